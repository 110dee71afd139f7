"""What the team can really deliver (C5-C8): the hours it has, split over the chosen pages.

Step 2 (:mod:`workshop.capacity`) says how many hours a week the chosen platforms *need*;
this module says what the team can *keep up* with the hours it *has*, and the ROI step
(:mod:`workshop.roi`) projects that, not the plan's wish. The rules, in order:

1. **Skills first (C7).** A chosen platform whose required skills
   (``data/platforms.csv``, ``required_skills``) the team lacks produces nothing: no posts,
   no hours, no growth from posting. A gap is closed only by the plan saying so:
   ``team.skills`` (the team learns it) or an entry of ``team.help`` (outside help with that
   skill, its hours and its rate), or an entry of ``team.learning`` (the team learns the
   skill by month M: the page gets its hours from the start, learning and practising, and
   posts from month M; ``from_month``; a course fee is paid in month 1).
2. **The hours pool.** ``pool = team.hours_per_week + Σ team.help[].hours_per_week``.
3. **Best fit first (C3, C4, C6).** The platforms that can produce are served in the order
   of their asset-fit score (step 1, :func:`workshop.platforms.asset_fit`, ties by id: the
   order :func:`workshop.capacity.recommend` uses), each taking ``allocated = min(needed,
   what is left of the pool)``. So a team that is short of hours keeps its best pages at
   full pace rather than every page at a fraction of it, the C6 lesson ("fewer pages, kept
   alive").
4. **The pace kept.** ``kept share = allocated ÷ needed`` (1 when a page needs no hours);
   ``posts per week kept = posts per week asked × kept share``. The community hours of a
   page scale with it too (a page answered half the time is half a page).
5. **The cost.** Outside help is paid in full: ``help cost per month = Σ hours × rate ×
   52/12``. It works first; the team's own hours worked are ``min(team hours, max(0,
   Σ allocated − help hours))``, priced at the team's hourly cost by :mod:`workshop.roi`.

:func:`delivery` returns the table and the totals; :func:`delivery_text` puts it in one
sentence for notebook 04, the report and ``workshop summary``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workshop import capacity, data, i18n
from workshop.plan import Plan

WEEKS_PER_MONTH = 52 / 12

COLUMNS = [
    "id",
    "rank",
    "hours_needed",
    "hours_allocated",
    "kept_share",
    "posts_asked",
    "posts_kept",
    "missing_skills",
    "status",
    "from_month",
]
STATUSES = ("full", "partial", "no_hours", "no_skill")


@dataclass(frozen=True)
class Delivery:
    """The plan as the team can deliver it (see the module docstring).

    ``table``: one row per chosen platform, in the plan's order, columns :data:`COLUMNS`
    (``rank``: 1 = served first; ``status``: one of :data:`STATUSES`). Hours are per week.
    """

    table: pd.DataFrame
    team_hours: float
    help_hours: float
    help_cost_per_month: float
    hours_needed: float
    hours_allocated: float
    team_hours_worked: float
    course_cost: float = 0.0  # course fees of team.learning, paid in month 1

    @property
    def limited(self) -> bool:
        """True when some chosen page is not kept at the pace the plan asks for."""
        t = self.table
        return bool((t["status"] != "full").any() or (t["from_month"] > 1).any())

    def posts_kept(self, platform: str) -> float:
        return float(self.table.loc[platform, "posts_kept"])


def _order(plan: Plan, producing: list[str], fit: pd.DataFrame | None) -> list[str]:
    if fit is None:
        from workshop import platforms  # lazy: asset_fit reads the catalogue

        fit = platforms.asset_fit(plan)
    ranked = {pid: i for i, pid in enumerate(fit.index)}  # score, then id: as recommend
    return sorted(producing, key=lambda pid: ranked.get(pid, len(ranked)))


def delivery(
    plan: Plan,
    needed: pd.DataFrame | None = None,
    gaps: dict[str, list[str]] | None = None,
    fit: pd.DataFrame | None = None,
) -> Delivery:
    """Allocate the team's hours over the chosen platforms (rules in the module docstring).

    `needed`, `gaps`, `fit`: the plan's :func:`workshop.capacity.hours_needed`,
    :func:`workshop.capacity.skill_gaps` and :func:`workshop.platforms.asset_fit`, when the
    caller has them already (:class:`workshop.results.Results` does)."""
    if needed is None and gaps is None and fit is None:
        return _cached(_key(plan), plan)
    return _allocate(plan, needed, gaps, fit)


def _key(plan: Plan) -> str:
    """What the allocation reads of a plan: the client (asset fit), platforms, team (but
    its hourly cost) and editorial rules (an ROI slider's change leaves it unchanged)."""
    team = plan.team.model_dump_json(exclude={"hourly_cost"})  # the ROI slider's, not read
    parts = (plan.client, plan.platforms, plan.editorial)
    # the functions and tables read, by identity: a test that replaces one gets a new key
    readers = (capacity.hours_needed, capacity.skill_gaps, data.load_platforms, data.load_effort)
    ids = ",".join(str(id(f)) for f in readers)
    return "\x1f".join([ids, team] + [part.model_dump_json() for part in parts])


def _cached(key: str, plan: Plan) -> Delivery:
    """:func:`_allocate` once per distinct :func:`_key` (each ROI projection asks: the
    three scenarios, the Monte Carlo and the tornado of one widget change share one)."""
    hit = _CACHE.get(key)
    if hit is None:
        hit = _CACHE[key] = _allocate(plan, None, None, None)
        while len(_CACHE) > 64:
            _CACHE.pop(next(iter(_CACHE)))
    return hit


_CACHE: dict[str, Delivery] = {}


def _allocate(
    plan: Plan,
    needed: pd.DataFrame | None,
    gaps: dict[str, list[str]] | None,
    fit: pd.DataFrame | None,
) -> Delivery:
    needed = capacity.hours_needed(plan) if needed is None else needed
    gaps = capacity.skill_gaps(plan) if gaps is None else gaps
    helped = {h.skill for h in plan.team.help}
    learnt = {s.skill: s.by_month for s in plan.team.learning if s.skill not in helped}
    missing = {
        pid: [s for s in gaps.get(pid, []) if s not in helped and s not in learnt]
        for pid in needed.index
    }
    from_month = {
        pid: max([1] + [learnt[s] for s in gaps.get(pid, []) if s in learnt])
        for pid in needed.index
    }
    help_hours = float(sum(h.hours_per_week for h in plan.team.help))
    help_cost = float(sum(h.hours_per_week * h.hourly_cost for h in plan.team.help))
    pool = float(plan.team.hours_per_week) + help_hours
    producing = [pid for pid in needed.index if not missing[pid]]
    allocated = dict.fromkeys(needed.index, 0.0)
    rank = dict.fromkeys(needed.index, 0)
    for i, pid in enumerate(_order(plan, producing, fit), start=1):
        take = min(float(needed.loc[pid, "total_hours"]), pool)
        allocated[pid], rank[pid] = take, i
        pool -= take
    rows = []
    for pid in needed.index:
        need = float(needed.loc[pid, "total_hours"])
        if missing[pid]:
            share, status = 0.0, "no_skill"
        else:
            share = 1.0 if need <= 0 else allocated[pid] / need
            status = "full" if share >= 1 - 1e-9 else ("partial" if share > 0 else "no_hours")
        share = min(1.0, share)
        asked = float(needed.loc[pid, "posts_per_week"])
        rows.append([pid, rank[pid], need, allocated[pid], share, asked, asked * share])
        rows[-1] += [list(missing[pid]), status, 1 if missing[pid] else from_month[pid]]
    table = pd.DataFrame(rows, columns=COLUMNS).set_index("id", drop=False)
    total = float(sum(allocated.values()))
    team_worked = min(float(plan.team.hours_per_week), max(0.0, total - help_hours))
    return Delivery(
        table=table,
        team_hours=float(plan.team.hours_per_week),
        help_hours=help_hours,
        help_cost_per_month=help_cost * WEEKS_PER_MONTH,
        course_cost=float(sum(s.course_cost for s in plan.team.learning)),
        hours_needed=float(needed["total_hours"].sum()),
        hours_allocated=total,
        team_hours_worked=team_worked,
    )


def _names(ids: list[str], lang: str) -> str:
    return ", ".join(i18n.label("platform", pid, lang) for pid in ids)


def delivery_text(plan: Plan, result: Delivery | None = None, language: str | None = None) -> str:
    """One sentence: what the team can keep up with the hours it has, and what it cannot."""
    lang = language or plan.language
    d = delivery(plan) if result is None else result
    t = d.table
    if not len(t):
        return i18n.t("delivery.text.no_platform", lang)
    hours = dict(
        have=i18n.fmt_number(d.team_hours + d.help_hours, lang, digits=1),
        need=i18n.fmt_number(d.hours_needed, lang, digits=1),
    )
    if not d.limited:
        return i18n.t("delivery.text.all_kept", lang, **hours)
    parts = []
    full = list(t.index[t["status"] == "full"])
    if full:
        parts.append(i18n.t("delivery.text.full", lang, names=_names(full, lang)))
    for pid in t.index[t["status"] == "partial"]:
        share = i18n.fmt_percent(float(t.loc[pid, "kept_share"]), lang, digits=0)
        parts.append(i18n.t("delivery.text.partial", lang, names=_names([pid], lang), share=share))
    idle = list(t.index[t["status"] == "no_hours"])
    if idle:
        parts.append(i18n.t("delivery.text.no_hours", lang, names=_names(idle, lang)))
    for pid in t.index[t["status"] == "no_skill"]:
        skills = ", ".join(i18n.label("skill", s, lang) for s in t.loc[pid, "missing_skills"])
        parts.append(
            i18n.t("delivery.text.no_skill", lang, names=_names([pid], lang), skills=skills)
        )
    for pid in t.index[t["from_month"] > 1]:
        learnt = {s.skill for s in plan.team.learning if s.by_month == t.loc[pid, "from_month"]}
        skills = ", ".join(i18n.label("skill", s, lang) for s in sorted(learnt))
        month = int(t.loc[pid, "from_month"])
        parts.append(
            i18n.t(
                "delivery.text.learning",
                lang,
                names=_names([pid], lang),
                month=month,
                month_label=i18n.fmt_month(schedule_month(plan, month), lang),
                skills=skills,
            )
        )
    return i18n.t("delivery.text.limited", lang, parts="; ".join(parts), **hours)


def schedule_month(plan: Plan, month: int):
    """The first day of the plan's month `month` (1-based)."""
    from workshop import schedule  # lazy: schedule reads the editorial rules

    return schedule._add_months(schedule.month_starts(plan)[0], month - 1)


def compare_text(plan: Plan, asked, kept, result: Delivery, language: str | None = None) -> str:
    """The plan as it asks beside the plan as the team can deliver it, in one sentence:
    ROI at the horizon and break-even month of each (`asked`, `kept`: their
    :class:`workshop.roi.Summary`)."""
    from workshop import roi  # lazy: roi imports this module lazily too

    lang = language or plan.language

    def be(summary) -> str:
        return roi.break_even_text(plan, lang, result=summary, with_month=False)

    return i18n.t(
        "delivery.compare",
        lang,
        asked_hours=i18n.fmt_number(result.hours_needed, lang, digits=1),
        asked_roi=i18n.fmt_percent(asked.roi_at_horizon, lang, digits=0),
        asked_be=be(asked),
        roi=i18n.fmt_percent(kept.roi_at_horizon, lang, digits=0),
        be=be(kept),
    )
