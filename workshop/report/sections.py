"""The client report's sections: what each cell of ``notebooks/report/report.ipynb`` shows.

The template builds one :class:`workshop.results.Results` per report (every model result
of the plan, computed once whichever sections need it) and passes it to every section.
Each section returns a list of *parts*: HTML strings (:class:`workshop.markup.Markup`, built
here with fixed tags and every text escaped by :func:`workshop.markup.escape`: names,
themes, notes, sources, and the catalogue's and the models' own words alike), the tables of
:mod:`workshop.tables` rendered by :func:`table`, and charts (:class:`workshop.charts.Figure`,
plain data, validated only on demand). :func:`workshop.report.notebook.show` displays the parts, so each notebook
cell is one call::

    plan, lang = notebook.setup(plan_path, language)
    res = Results(plan, lang)
    notebook.show(sections.summary(res))

A section also takes ``(plan, language)`` (it then makes its own ``Results``: scripts, the
report runner's warm-up; :func:`_section`). All the words come from the catalogue
(``workshop/locales/<lang>/report.yaml``, keys ``report.*``; the tables' ``view.*``), so one
template serves Vietnamese and English. Nothing here reads or writes files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from workshop import __version__, capacity, charts, checklist, i18n, platforms, roi, tables
from workshop import plan as plan_mod
from workshop.markup import Markup
from workshop.report.parts import Part, card, heading, note, para, table
from workshop.results import Results
from workshop.tables import fmt_hours, fmt_pct

#: The sections of the template, in the order of its cells (then :func:`run_info`, which
#: also takes the run's parameters).
SECTIONS = (
    "title_page",
    "summary",
    "platforms_section",
    "capacity_section",
    "schedule_section",
    "roi_section",
    "assumptions_section",
)


def _t(key: str, lang: str, **values: Any) -> str:
    return i18n.t(f"report.{key}", lang, **values)


def _notes(assessment: capacity.Assessment) -> list[Part]:
    """The capacity messages as notes: the verdict (a warning unless it fits), then the
    page-limit and skill-gap warnings."""
    return [
        note(msg, warn=(i > 0 or assessment.verdict != "fits"))
        for i, msg in enumerate(assessment.messages)
    ]


def _section(build: Callable[..., list[Part]]) -> Callable[..., list[Part]]:
    """A section of `build(res, ...)` that also takes ``(plan, language, ...)`` and then makes
    the plan's :class:`Results` itself (scripts, the report runner's warm-up)."""

    @functools.wraps(build)
    def section(source: Results | plan_mod.Plan, lang: str | None = None, *args, **kwargs):
        return build(Results.of(source, lang), *args, **kwargs)

    return section


# --- Title page ----------------------------------------------------------------------------


@_section
def title_page(res: Results, today: dt.date | None = None) -> list[Part]:
    """Client name, profile, plan period, date and toolkit version."""
    lang, plan, today = res.language, res.plan, today or dt.date.today()
    c = plan.client
    end = res.horizon_end - dt.timedelta(days=1)
    profile = " · ".join(
        [i18n.label("sector", c.sector, lang), i18n.label("market", c.market, lang)]
    )
    period = _t(
        "title.period",
        lang,
        start=i18n.fmt_date(plan.start, lang),
        end=i18n.fmt_date(end, lang),
        months=plan.horizon_months,
    )
    prepared = _t(
        "title.prepared", lang, date=i18n.fmt_date(today, lang, "long"), version=__version__
    )
    return [
        Markup(
            '<div class="ws-title"><div class="ws-kicker">{kicker}</div><h1>{name}</h1>'
            '<p class="ws-meta">{profile}</p><p class="ws-meta">{period}</p>'
            '<p class="ws-meta">{prepared}</p></div>'
        ).format(
            kicker=_t("title.kicker", lang),
            name=c.name,
            profile=profile,
            period=period,
            prepared=prepared,
        )
    ]


# --- Summary -------------------------------------------------------------------------------


def summary_cards(res: Results) -> Markup:
    """The five cards of the first page: platforms, weekly workload, break-even month (its
    number in ``data-break-even-month``), ROI at the horizon (``data-roi-at-horizon``, a
    fraction) with the Monte Carlo p10-p90 band, posts in the first month."""
    lang, plan, chosen, a, s = (
        res.language,
        res.plan,
        res.plan.platforms.chosen,
        res.assessment,
        res.summary,
    )
    t = functools.partial(_t, lang=lang)
    band, weeks = res.monte_carlo.iloc[-1], max(1.0, (res.horizon_end - plan.start).days / 7)
    names = ", ".join(charts.PLATFORM_NAMES.get(p, p) for p in chosen) or t("summary.none")
    pages = t("summary.card.pages", pages=len(chosen), limit=capacity.SME_PAGE_LIMIT)
    hours = {
        "needed": fmt_hours(a.hours_needed, lang),
        "available": fmt_hours(a.hours_available, lang),
    }
    verdict = i18n.t(f"capacity.verdict_label.{a.verdict}", lang)
    break_even = roi.break_even_text(plan, lang, projection=res.projection, result=s)
    expected = res.scenario_summary.set_index("scenario").loc["expected", "scenario_label"]
    low, high = fmt_pct(band["roi_p10"], lang), fmt_pct(band["roi_p90"], lang)
    posts = i18n.fmt_number(len(res.calendar_month(res.first_month)), lang)
    per_week = i18n.fmt_number(len(res.calendar) / weeks, lang, 1)
    cards = [
        card(t("summary.card.platforms"), names, pages),
        card(
            t("summary.card.capacity"),
            t("summary.card.capacity_value", **hours),
            verdict,
            {"fits": "good", "tight": "warn", "over": "bad"}[a.verdict],
        ),
        card(
            t("summary.card.break_even"),
            break_even,
            expected,
            "good" if s.break_even_month else "bad",
            {"data-break-even-month": s.break_even_month or ""},
        ),
        card(
            t("summary.card.roi", months=plan.horizon_months),
            fmt_pct(s.roi_at_horizon, lang),
            t("summary.card.roi_band", low=low, high=high),
            "good" if s.roi_at_horizon >= 0 else "bad",
            {"data-roi-at-horizon": repr(float(s.roi_at_horizon))},
        ),
        card(t("summary.card.posts"), posts, t("summary.card.posts_sub", per_week=per_week)),
    ]
    return Markup('<div class="ws-cards">') + Markup("").join(cards) + Markup("</div>")


@_section
def summary(res: Results) -> list[Part]:
    """The first page: chosen platforms and why, capacity verdict, the calendar's first
    month, ROI with break-even month and the scenario band."""
    lang, plan, month0 = res.language, res.plan, res.first_month
    parts: list[Part] = [
        heading(_t("summary.heading", lang), first=True),
        para(_t("summary.lead", lang), "ws-muted"),
        summary_cards(res),
        heading(_t("summary.why_heading", lang), 3),
    ]
    chosen = list(plan.platforms.chosen)
    if chosen:
        parts.append(table(tables.chosen_table(res)))
        rec = res.recommendation
        recommended = list(rec.index[rec["included"]])
        if set(recommended) == set(chosen):
            parts.append(para(_t("summary.recommended_same", lang)))
        elif recommended:
            names = ", ".join(tables.platform_name(p, lang) for p in recommended)
            parts.append(note(_t("summary.recommended", lang, names=names)))
    else:
        parts.append(note(_t("summary.no_platforms", lang), warn=True))
    parts.append(heading(_t("summary.capacity_heading", lang), 3))
    parts += _notes(res.assessment)
    parts.append(heading(_t("summary.roi_heading", lang), 3))
    parts.append(para(roi.roi_text(plan, lang, projection=res.projection, result=res.summary)))
    parts.append(para(band_text(res)))
    month = i18n.fmt_month(month0, lang)
    parts.append(heading(_t("summary.calendar_heading", lang, month=month), 3))
    if len(res.calendar_month(month0)):
        parts.append(charts.calendar_month_chart(res.calendar, month0.year, month0.month, lang))
    else:
        parts.append(para(_t("calendar.empty", lang)))
    return parts


def band_text(res: Results) -> str:
    """The uncertainty in words: the central case's ROI at the horizon (the simulation's
    median path) and the conservative and optimistic cases (its 10th and 90th percentile
    paths), as a what-if, not a forecast."""
    lang, scen = res.language, res.scenario_summary.set_index("scenario")
    return _t(
        "summary.band",
        lang,
        months=res.plan.horizon_months,
        mid=fmt_pct(scen.loc["expected", "roi_at_horizon"], lang),
        low=fmt_pct(scen.loc["conservative", "roi_at_horizon"], lang),
        high=fmt_pct(scen.loc["optimistic", "roi_at_horizon"], lang),
        paths=i18n.fmt_number(res.plan.roi.monte_carlo_paths, lang),
    )


# --- 1. Platforms (C1-C4) ------------------------------------------------------------------


@_section
def platforms_section(res: Results) -> list[Part]:
    """C1 groups (the article's view beside today's), C2 warnings, C3-C4 asset fit."""
    lang = res.language
    full = tables.groups_table(res)
    groups = full.select("platform", "group_today", "group_article", "changed")
    parts: list[Part] = [
        heading(_t("s1.heading", lang), kicker="C1–C4"),
        para(_t("s1.lead", lang)),
        heading(_t("s1.groups_heading", lang), 3),
        para(_t("s1.groups_text", lang)),
        table(groups),
        *_sources_parts(full, lang),
        charts.groups_chart(res.considered_classification, lang),
    ]
    if res.personal_profile_warnings:
        parts.append(heading(_t("s1.personal_heading", lang), 3))
        parts.extend(note(w, warn=True) for w in res.personal_profile_warnings)
    asset = i18n.fmt_number(platforms.ASSET_THRESHOLD, lang)
    useful = i18n.fmt_number(platforms.USEFUL_THRESHOLD, lang)
    return parts + [
        heading(_t("s1.fit_heading", lang), 3),
        para(_t("s1.fit_text", lang, asset=asset, useful=useful)),
        charts.asset_fit_chart(res.asset_fit, lang),
        table(tables.fit_table(res)),
        table(tables.factors_table(res)),
    ]


def _sources_parts(groups: tables.Table, lang: str) -> list[Part]:
    """The sources of the groups table's facts, one small line per platform under the
    table (a column of them would squeeze the table on a phone)."""
    platform, sources = groups.columns[0], groups.columns[-1]
    return [
        para(_t("s1.sources_line", lang, platform=row[platform], sources=row[sources]), "ws-muted")
        for _, row in groups.iterrows()
        if row[sources]
    ]


# --- 2. Capacity (C5-C7) -------------------------------------------------------------------


@_section
def capacity_section(res: Results) -> list[Part]:
    """Hours needed against hours available, the page limit, skills, the recommended set."""
    lang, plan, assessment = res.language, res.plan, res.assessment
    parts: list[Part] = [
        heading(_t("s2.heading", lang), kicker="C5–C7"),
        para(_t("s2.lead", lang)),
        heading(_t("s2.hours_heading", lang), 3),
        *_notes(assessment),
    ]
    if len(res.hours):
        parts.append(charts.capacity_chart(res.hours, assessment, lang))
        parts.append(table(tables.hours_table(res)))
    pages = _t("s2.pages", lang, pages=assessment.pages, limit=capacity.SME_PAGE_LIMIT)
    skills = ", ".join(i18n.label("skill", s, lang) for s in plan.team.skills) or "–"
    parts += [
        heading(_t("s2.page_limit_heading", lang), 3),
        para(capacity.page_limit_rule(lang)),
        para(pages),
        heading(_t("s2.skills_heading", lang), 3),
        para(_t("s2.team", lang, people=plan.team.people, skills=skills)),
    ]
    if not any(res.skill_gaps.values()):
        parts.append(para(_t("s2.skills_ok", lang)))
    parts.append(heading(_t("s2.recommend_heading", lang), 3))
    parts.append(para(_t("s2.recommend_text", lang)))
    if len(res.recommendation):
        parts.append(charts.recommend_chart(res.recommendation, lang))
        parts.append(table(tables.recommend_table(res)))
    return parts


# --- 3. Communication plan and editorial calendar (C10-C12) ---------------------------------


@_section
def schedule_section(res: Results) -> list[Part]:
    """The communication plan (C11), the editorial rules and the dated calendar (C12)."""
    lang, plan = res.language, res.plan
    period = i18n.label("period", plan.communication.period, lang)
    parts: list[Part] = [
        heading(_t("s3.heading", lang), kicker="C10–C12"),
        para(_t("s3.lead", lang)),
        heading(_t("s3.comm_heading", lang, period=period), 3),
    ]
    if len(res.communication_plan):
        parts.append(charts.communication_chart(res.communication_plan, lang))
        parts.append(table(tables.communication_table(res)))
    else:
        parts.append(para(_t("s3.comm_empty", lang)))
    parts.append(heading(_t("s3.rules_heading", lang), 3))
    if res.editorial_rules:
        parts.append(table(tables.rules_table(res)))
    count = i18n.fmt_number(len(res.calendar), lang)
    skipped = i18n.fmt_number(len(res.skipped), lang)
    parts.append(heading(_t("s3.timeline_heading", lang, months=plan.horizon_months), 3))
    parts.append(para(_t("s3.count", lang, count=count, skipped=skipped)))
    if res.coverage_warning:
        parts.append(note(res.coverage_warning, warn=True))
    if res.broadcast_warning:
        parts.append(note(res.broadcast_warning, warn=True))
    if len(res.calendar):
        parts.append(charts.timeline_chart(res.calendar, lang, renewals=res.renewals))
    month0 = res.first_month
    month = i18n.fmt_month(month0, lang)
    parts.append(heading(_t("s3.first_month_heading", lang, month=month), 3))
    first = tables.calendar_table(res, month=month0)
    parts.append(table(first) if len(first) else para(_t("calendar.empty", lang)))
    if len(res.skipped):
        parts.append(heading(_t("s3.skipped_heading", lang), 3))
        parts.append(table(tables.skipped_table(res)))
    first_checklist = _first_month_checklist(res)
    if first_checklist:
        parts.append(heading(_t("s3.checklist_heading", lang, month=month), 3))
        parts.append(para(_t("s3.checklist_lead", lang), "ws-keep"))
        parts.append(checklist.checklist_html(first_checklist, lang))
    parts.append(note(_t("s3.files", lang)))
    return parts


def _first_month_checklist(res: Results) -> list:
    """The checklist's sections with the posts of the plan's first month only (the whole
    year is in ``checklist.html`` beside the report)."""
    month0 = res.first_month
    out = []
    for section in res.checklist:
        items = [
            i for i in section.items if (i.date.year, i.date.month) == (month0.year, month0.month)
        ]
        if items:
            out.append(dataclasses.replace(section, items=items))
    return out


# --- 4. Return on investment (C5, C8, C9) ---------------------------------------------------


def delivery_parts(res: Results) -> list[Part]:
    """What the team can keep up (C7, C8), and when it is less than the plan asks, the table
    per platform (the plan as asked beside the plan as delivered is in the sentence)."""
    parts: list[Part] = [note(tables.delivery_text(res), warn=res.delivery.limited)]
    if res.summary_asked is not None:
        parts.append(table(tables.delivery_table(res)))
    return parts


@_section
def roi_section(res: Results) -> list[Part]:
    """Projection, scenarios, Monte Carlo band and the tornado of assumptions."""
    lang, plan, proj, s = res.language, res.plan, res.projection, res.summary
    months = plan.horizon_months
    funnel = _t(
        "s4.funnel_text",
        lang,
        leads=i18n.fmt_number(s.leads_total, lang),
        customers=i18n.fmt_number(s.customers_total, lang),
        months=months,
    )
    paths = i18n.fmt_number(plan.roi.monte_carlo_paths, lang)
    share = fmt_pct(float(res.break_even_share.iloc[-1]), lang)
    parts: list[Part] = [
        heading(_t("s4.heading", lang), kicker="C5, C8, C9"),
        para(_t("s4.lead", lang)),
        *delivery_parts(res),
        note(roi.roi_text(plan, lang, projection=proj, result=s)),
        heading(_t("s4.audience_heading", lang), 3),
        charts.audience_chart(proj, lang),
        heading(_t("s4.funnel_heading", lang), 3),
        para(funnel),
        charts.funnel_chart(proj, lang),
        heading(_t("s4.money_heading", lang), 3),
        charts.revenue_cost_chart(proj, lang, plan.currency),
        heading(_t("s4.roi_heading", lang), 3),
        charts.roi_chart(proj, s, lang),
        heading(_t("s4.scenarios_heading", lang), 3),
        para(_t("s4.scenarios_text", lang, paths=paths)),
        table(tables.scenarios_table(res)),
        charts.scenario_chart(res.scenarios, res.monte_carlo, lang),
        para(_t("s4.mc_share", lang, share=share, months=months)),
        charts.break_even_chance_chart(res.break_even_share, proj, lang),
        charts.break_even_dots_chart(res.break_even_share, proj, lang),
        heading(_t("s4.tornado_heading", lang), 3),
    ]
    sens = res.sensitivity
    if len(sens):
        top = ", ".join(str(x) for x in sens["input_label"].head(2))
        parts.append(para(_t("s4.tornado_text", lang, top=top)))
        parts.append(charts.tornado_chart(sens, lang))
    else:
        parts.append(para(_t("s4.no_uncertain", lang)))
    return parts


# --- Appendix: assumptions, parameters, versions, data dates --------------------------------


@_section
def assumptions_section(res: Results) -> list[Part]:
    """Every input of the projection with its value and source (estimates flagged)."""
    return [
        heading(_t("appendix.assumptions_heading", res.language)),
        para(_t("appendix.assumptions_text", res.language)),
        table(tables.assumptions_table(res)),
    ]


@_section
def run_info(
    res: Results, plan_path: str = "", language_param: str = "", now: dt.datetime | None = None
) -> list[Part]:
    """The parameters the report was run with, the toolkit version, the data's as-of dates
    and the plan itself (as YAML, escaped). The plan is named by its file name only
    (whatever `plan_path` the runner passes: never the consultant's folders)."""
    lang = res.language
    dates = tables.data_dates_table(res)
    return [
        heading(_t("appendix.run_heading", lang)),
        para(_t("appendix.run_text", lang)),
        table(tables.parameters_table(res, plan_path, language_param, now)),
        heading(_t("appendix.as_of_heading", lang), 3),
        table(dates) if len(dates) else para("–"),
        heading(_t("appendix.plan_heading", lang), 3),
        Markup('<pre class="ws-yaml">{}</pre>').format(plan_mod.dumps(res.plan)),
    ]
