"""Step 2: can the team keep the chosen pages alive? Hours, skills, the 3-4 page limit (C5-C7).

Managing pages means growing them with a view to a return on investment (C5). That is only
possible within the team's **real capacity to follow a medium over time** (C7), and an SME
cannot run more than three or four pages and still get a return (C6).

Hours needed per platform, per week (:func:`hours_needed`)::

    posts_per_week  = plan.platforms.cadence_per_week[p]        if the plan sets it
                    = number of weekly slots of p's editorial rule if the plan has one
                      (a slot every other week counts ½)
                    = platforms.csv posts_per_week               otherwise
    content_mix     = the content types of the rule's slots (one entry per slot)
                    = [p's first main format]                    without a rule
    hours_per_post  = mean of effort.csv typical_hours over content_mix   (hours per item)
    content_hours   = posts_per_week × hours_per_post            (hours per week)
    total_hours     = content_hours + community_hours_per_week   (hours per week)

``total_hours_low`` / ``total_hours_high`` use effort.csv low_hours / high_hours instead.

Assessment (:func:`assess`)::

    gap         = hours_available − hours_needed                 (hours per week)
    utilisation = hours_needed / hours_available                 (0 when nothing is needed,
                                                                  inf when 0 h available)
    verdict     = fits if utilisation ≤ 0.85, tight if ≤ 1, else over
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pandas as pd

from workshop import data, i18n, platforms
from workshop.plan import Plan

SME_PAGE_LIMIT = 4  # C6: more pages than this and an SME gets no return (paralysis)
SME_PAGE_COMFORT = 3  # C6: three is comfortable, four is the upper end
WEEKS_PER_MONTH = 52 / 12
FITS_MAX = 0.85  # utilisation up to which the plan fits (15 % kept for surprises)
TIGHT_MAX = 1.0  # utilisation up to which the plan is tight; above: over
EPSILON = 1e-9  # tolerance when comparing sums of hours

HOURS_COLUMNS = [
    "id",
    "name",
    "posts_per_week",
    "cadence_source",
    "content_mix",
    "hours_per_post",
    "content_hours",
    "community_hours",
    "total_hours",
    "total_hours_low",
    "total_hours_high",
]


def page_limit_rule(language: str = "vi") -> str:
    """The C6 rule in one translated sentence, with its reason."""
    return i18n.t(
        "capacity.page_limit_rule", language, comfort=SME_PAGE_COMFORT, limit=SME_PAGE_LIMIT
    )


def _rules(plan: Plan) -> dict[str, list[str]]:
    return {
        rule.platform: [slot.content_type for slot in rule.slots] for rule in plan.editorial.rules
    }


def _rule_pace(plan: Plan) -> dict[str, float]:
    """Posts per week of each editorial rule (a slot every other week counts ½)."""
    return {r.platform: sum(s.per_week for s in r.slots) for r in plan.editorial.rules}


def platform_hours(plan: Plan, ids: list[str]) -> pd.DataFrame:
    """Weekly hours for the platforms `ids` (chosen or not), by the formulas of the module
    docstring. Index = platform id; columns :data:`HOURS_COLUMNS` (hours are per week,
    ``hours_per_post`` per content item)."""
    catalogue = data.load_platforms()
    effort = data.load_effort()
    rules = _rules(plan)
    rule_pace = _rule_pace(plan)
    rows = []
    for pid in ids:
        platform = catalogue.loc[pid]
        if pid in plan.platforms.cadence_per_week:
            posts, source = float(plan.platforms.cadence_per_week[pid]), "plan"
        elif pid in rules:
            posts, source = rule_pace[pid], "editorial"
        else:
            posts, source = float(platform["posts_per_week"]), "data"
        mix = rules.get(pid) or (list(platform["main_formats"][:1]) or ["text_post"])
        per_post = {
            col: float(effort.loc[mix, col].mean())
            for col in ("low_hours", "typical_hours", "high_hours")
        }
        community = float(platform["community_hours_per_week"])
        rows.append(
            {
                "id": pid,
                "name": platform["name"],
                "posts_per_week": posts,
                "cadence_source": source,
                "content_mix": list(mix),
                "hours_per_post": per_post["typical_hours"],
                "content_hours": posts * per_post["typical_hours"],
                "community_hours": community,
                "total_hours": posts * per_post["typical_hours"] + community,
                "total_hours_low": posts * per_post["low_hours"] + community,
                "total_hours_high": posts * per_post["high_hours"] + community,
            }
        )
    return pd.DataFrame(rows, columns=HOURS_COLUMNS).set_index("id", drop=False)


def hours_needed(plan: Plan) -> pd.DataFrame:
    """Weekly hours each chosen platform needs (C7), one row per chosen platform.

    See the module docstring for the formulas; columns :data:`HOURS_COLUMNS`
    (``cadence_source`` says where posts_per_week came from: plan | editorial | data).
    """
    return platform_hours(plan, list(plan.platforms.chosen))


def total_hours_needed(plan: Plan) -> float:
    """Hours per week all chosen platforms need together (typical effort).

    The ROI model prices the work with it: cost of work = this × WEEKS_PER_MONTH × hourly cost.
    """
    return float(hours_needed(plan)["total_hours"].sum())


def skill_gaps(plan: Plan) -> dict[str, list[str]]:
    """Per chosen platform (in the plan's order), its required skills the team lacks (C7).

    Every chosen platform is a key; an empty list means no gap. A YouTube channel without
    ``long_video`` is useless, so that gap is reported.
    """
    catalogue = data.load_platforms()
    have = set(plan.team.skills)
    return {
        pid: [s for s in catalogue.loc[pid, "required_skills"] if s not in have]
        for pid in plan.platforms.chosen
    }


@dataclass(frozen=True)
class Assessment:
    """The plan's workload against the team's capacity (hours per week)."""

    hours_available: float
    hours_needed: float
    gap: float  # available − needed (negative = hours short)
    utilisation: float  # needed / available (math.inf when 0 h are available)
    verdict: str  # fits | tight | over
    pages: int  # number of chosen platforms
    page_limit_ok: bool  # pages <= SME_PAGE_LIMIT
    skill_gaps: dict[str, list[str]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    language: str = "vi"


def _utilisation(needed: float, available: float) -> float:
    if needed <= 0:
        return 0.0
    return math.inf if available <= 0 else needed / available


def utilisation_verdict(utilisation: float) -> str:
    """fits if utilisation ≤ FITS_MAX (0.85), tight if ≤ TIGHT_MAX (1.0), else over."""
    if utilisation <= FITS_MAX:
        return "fits"
    return "tight" if utilisation <= TIGHT_MAX else "over"


def _h(value: float, lang: str) -> str:
    """Hours for a sentence: whole numbers without decimals, else one decimal."""
    value = round(value, 1)
    return i18n.fmt_number(value, lang, 0 if value == int(value) else 1)


def _skills(skills: list[str], lang: str) -> str:
    """Skill names for the middle of a sentence (first letter in lower case)."""
    names = (i18n.label("skill", s, lang) for s in skills)
    return ", ".join(n[:1].lower() + n[1:] for n in names)


def assess(plan: Plan, language: str | None = None) -> Assessment:
    """Compare the hours the chosen platforms need with the hours the team has (C5-C7).

    Also counts the pages against :data:`SME_PAGE_LIMIT` (C6) and lists skill gaps (C7).
    ``messages`` holds translated sentences: the verdict, the page limit when it is reached
    or exceeded, and one per platform with a skill gap.
    """
    lang = language or plan.language
    available = float(plan.team.hours_per_week)
    needed = total_hours_needed(plan)
    utilisation = _utilisation(needed, available)
    gaps = skill_gaps(plan)
    pages = len(plan.platforms.chosen)
    assessment = Assessment(
        hours_available=available,
        hours_needed=needed,
        gap=available - needed,
        utilisation=utilisation,
        verdict=utilisation_verdict(utilisation),
        pages=pages,
        page_limit_ok=pages <= SME_PAGE_LIMIT,
        skill_gaps=gaps,
        messages=[],
        language=lang,
    )
    messages = [verdict_text(assessment)]
    if pages == 0:
        messages.append(i18n.t("capacity.msg.no_pages", lang))
    elif pages > SME_PAGE_LIMIT:
        messages.append(
            i18n.t("capacity.msg.too_many_pages", lang, pages=pages, limit=SME_PAGE_LIMIT)
        )
    elif pages > SME_PAGE_COMFORT:
        messages.append(
            i18n.t("capacity.msg.at_page_limit", lang, pages=pages, comfort=SME_PAGE_COMFORT)
        )
    for pid, missing in gaps.items():
        if missing:
            messages.append(
                i18n.t(
                    "capacity.msg.skill_gap",
                    lang,
                    name=i18n.label("platform", pid, lang),
                    skills=_skills(missing, lang),
                )
            )
    return replace(assessment, messages=messages)


def verdict_text(assessment: Assessment) -> str:
    """One translated sentence: hours needed, hours available, and the gap or the margin."""
    lang = assessment.language
    values = dict(
        needed=_h(assessment.hours_needed, lang),
        available=_h(assessment.hours_available, lang),
        gap=_h(abs(assessment.gap), lang),
        percent=i18n.fmt_percent(assessment.utilisation, lang, 0)
        if assessment.verdict == "tight"
        else "",
    )
    if assessment.verdict == "over":
        key = "capacity.verdict.over"
    elif assessment.verdict == "tight":
        key = "capacity.verdict.tight"
    else:
        key = "capacity.verdict.fits"
    return i18n.t(key, lang, **values)


def recommend(plan: Plan, language: str | None = None) -> pd.DataFrame:
    """A set of platforms the team can sustain, best asset fit first, with a reason for each.

    Over the considered platforms in order of :func:`workshop.platforms.asset_fit` score, a
    platform is included when (a) the team has all its required skills, (b) its fit verdict
    is not ``not_decisive``, (c) fewer than :data:`SME_PAGE_LIMIT` platforms are included
    so far and (d) the hours of the included platforms plus its own stay within
    ``team.hours_per_week``. A platform that does not fit the hours left is skipped and the
    next one tried, so the result is the best set by fit priority (lexicographically) that
    fits; more hours never make that set worse, though a better-fit, bigger platform may
    replace two smaller ones.

    ``hours`` is the platform's typical weekly hours (:func:`platform_hours`: the plan's
    cadence or editorial rule where it sets one, else the data's cadence).
    Columns: id, name, score, verdict, hours, cumulative_hours (of the included set after
    this row), included, reason_code (included | skills | low_fit | page_limit | hours),
    reason (translated, with numbers). Index = id.
    """
    lang = language or plan.language
    fit = platforms.asset_fit(plan, lang)
    ids = list(fit.index)
    hours = platform_hours(plan, ids)["total_hours"] if ids else pd.Series(dtype=float)
    catalogue = data.load_platforms()
    have = set(plan.team.skills)
    available = float(plan.team.hours_per_week)
    used, count, rows = 0.0, 0, []
    for pid in ids:
        h = float(hours[pid])
        score = float(fit.loc[pid, "score"])
        missing = [s for s in catalogue.loc[pid, "required_skills"] if s not in have]
        name = fit.loc[pid, "name"]
        if missing:
            code = "skills"
            reason = i18n.t("capacity.reason.skills", lang, skills=_skills(missing, lang))
        elif fit.loc[pid, "verdict"] == "not_decisive":
            code = "low_fit"
            reason = i18n.t(
                "capacity.reason.low_fit",
                lang,
                score=i18n.fmt_number(score, lang, 1),
                threshold=i18n.fmt_number(platforms.USEFUL_THRESHOLD, lang, 0),
            )
        elif count >= SME_PAGE_LIMIT:
            code = "page_limit"
            reason = i18n.t("capacity.reason.page_limit", lang, limit=SME_PAGE_LIMIT)
        elif used + h > available + EPSILON:
            code = "hours"
            reason = i18n.t(
                "capacity.reason.hours",
                lang,
                hours=_h(h, lang),
                left=_h(max(available - used, 0.0), lang),
                available=_h(available, lang),
            )
        else:
            code = "included"
            used += h
            count += 1
            reason = i18n.t(
                "capacity.reason.included",
                lang,
                score=i18n.fmt_number(score, lang, 1),
                hours=_h(h, lang),
                used=_h(used, lang),
                available=_h(available, lang),
            )
        rows.append(
            {
                "id": pid,
                "name": name,
                "score": score,
                "verdict": fit.loc[pid, "verdict"],
                "hours": h,
                "cumulative_hours": used,
                "included": code == "included",
                "reason_code": code,
                "reason": reason,
            }
        )
    columns = [
        "id",
        "name",
        "score",
        "verdict",
        "hours",
        "cumulative_hours",
        "included",
        "reason_code",
        "reason",
    ]
    return pd.DataFrame(rows, columns=columns).set_index("id", drop=False)
