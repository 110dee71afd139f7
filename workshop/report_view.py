"""The client report's sections: what each cell of ``notebooks/report/report.ipynb`` shows.

Every function takes the plan and the report's language and returns a list of *parts*:
HTML strings (:class:`workshop.markup.Markup`, built here with fixed tags and every text
escaped by :func:`workshop.markup.escape`: names, themes, notes, sources, and the catalogue's
and the models' own words alike) and charts (:class:`workshop.charts.Figure`, what every
builder returns: plain data, validated only on demand). :func:`show` displays the parts, so
each notebook cell is one call::

    show(report_view.summary(plan, lang))

All the words come from the catalogue (``workshop/locales/<lang>/report.yaml``, keys
``report.*``, plus the step models' own translated texts), so one template serves Vietnamese
and English. Nothing here reads or writes files except :func:`setup`, which loads the plan
through :func:`workshop.plan.load`.

Test hook: :func:`setup` raises ``RuntimeError`` when the plan's client id is listed in the
environment variable ``WORKSHOP_REPORT_FAIL_FOR`` (comma-separated). The report runner's
tests use it to make one client fail inside a real kernel; it has no other use.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from typing import Any, Iterable

import pandas as pd

from workshop import __version__, capacity, charts, data, i18n, markup, platforms, roi, schedule
from workshop import plan as plan_mod
from workshop.markup import Markup

FAIL_ENV = "WORKSHOP_REPORT_FAIL_FOR"
# Charts leave the kernel as the plotly mimetype only (JupyterLab draws it; the executed
# notebook stays small): the HTML export turns each into a Plotly.newPlot call and embeds
# plotly.js once (workshop.report.html_report).
PLOTLY_RENDERER = "plotly_mimetype"
# Plotly config of every chart (made in one place: workshop.charts.figure).
PLOTLY_CONFIG = charts.PLOTLY_CONFIG

Part = Any  # an HTML string or a charts.Figure


def _t(key: str, lang: str, **values: Any) -> str:
    return i18n.t(f"report.{key}", lang, **values)


# --- Setup and display ---------------------------------------------------------------------


def configure_plotly() -> None:
    """Charts in the executed notebook: the plotly mimetype only, with :data:`PLOTLY_CONFIG`
    (the offline HTML report adds plotly.js once, see ``workshop.report.html_report``)."""
    import plotly.io as pio

    pio.renderers.default = PLOTLY_RENDERER
    for name in ("notebook", "plotly_mimetype"):
        try:
            renderer = pio.renderers[name]
            if hasattr(renderer, "config"):
                renderer.config = dict(PLOTLY_CONFIG)
        except (KeyError, ValueError):  # pragma: no cover - plotly without that renderer
            pass


def prewarm() -> None:
    """Everything a report kernel needs that does not depend on the client: the plotly
    renderer, the figure classes, the message catalogues and the bundled data tables.

    The report runner runs this as the kernel's start-up line, before the kernel is given
    to a client (``workshop.report.WarmKernel``); no plan is read here.
    """
    configure_plotly()
    import plotly.graph_objects as go  # noqa: F401
    from IPython.display import HTML, display  # noqa: F401

    for lang in i18n.LANGUAGES:
        i18n.catalogue(lang)
    data.load_platforms()
    data.load_benchmarks()
    data.load_effort()
    _as_of_safe()


def _as_of_safe() -> None:
    try:
        data.as_of()
    except Exception:  # noqa: BLE001 - a missing datasets.yaml is reported by the report
        pass


def test_hook(plan: plan_mod.Plan) -> None:
    """Raise RuntimeError for a client listed in ``$WORKSHOP_REPORT_FAIL_FOR`` (tests only)."""
    listed = {s.strip() for s in os.environ.get(FAIL_ENV, "").split(",") if s.strip()}
    if plan.client.id in listed:
        raise RuntimeError(f"{FAIL_ENV} asks this report to fail for {plan.client.id!r}")


def setup(plan_path: str, language: str = "") -> tuple[plan_mod.Plan, str]:
    """Load and validate the plan, pick the language ("" = the plan's), set up plotly."""
    configure_plotly()
    plan = plan_mod.load(plan_path)
    lang = language or plan.language
    if lang not in i18n.LANGUAGES:
        raise ValueError(f"language must be one of {i18n.LANGUAGES}, not {language!r}")
    test_hook(plan)
    return plan, lang


def show(parts: Part | Iterable[Part]) -> None:
    """Display report parts: HTML strings as HTML; a :class:`workshop.charts.Figure` as its
    :meth:`~workshop.charts.Figure.bundle` (the plotly mimetype with the project's config:
    exactly what the plotly renderer emits for the validated figure, without building it);
    anything else through IPython's display."""
    from IPython.display import HTML, display

    if isinstance(parts, (str, bytes, charts.Figure)) or not isinstance(parts, Iterable):
        parts = [parts]
    for part in parts:
        if part is None:
            continue
        if isinstance(part, str):
            display(HTML(part))
        elif isinstance(part, charts.Figure):
            display(figure_bundle(part), raw=True)
        else:
            display(part)


def figure_bundle(figure: charts.Figure) -> dict[str, Any]:
    """The display bundle of a chart in the report: :meth:`workshop.charts.Figure.bundle`."""
    return figure.bundle()


# --- Small HTML builders --------------------------------------------------------------------


def heading(text: str, level: int = 2, kicker: str = "", first: bool = False) -> Markup:
    """``<h2>`` (or `level`) with `text` and an optional muted `kicker` (C-numbers)."""
    cls = Markup(' class="ws-first"') if first else Markup("")
    small = Markup(' <span class="ws-muted">{}</span>').format(kicker) if kicker else Markup("")
    return Markup("<h{level}{cls}>{text}{small}</h{level}>").format(
        level=int(level), cls=cls, text=text, small=small
    )


def para(text: str, cls: str = "") -> Markup:
    """A paragraph of `text` (with the CSS class `cls`, a name from this module)."""
    if cls:
        return Markup('<p class="{}">{}</p>').format(cls, text)
    return Markup("<p>{}</p>").format(text)


def note(text: str, warn: bool = False) -> Markup:
    """A boxed note (a warning box when `warn`)."""
    cls = "ws-note ws-warn-box" if warn else "ws-note"
    return Markup('<div class="{}">{}</div>').format(cls, text)


def bullets(items: Iterable[str]) -> Markup:
    """A bulleted list of `items`."""
    inner = Markup("").join(Markup("<li>{}</li>").format(i) for i in items)
    return Markup("<ul>{}</ul>").format(inner)


def table(
    rows: list[list[Any]],
    headers: list[str],
    numeric: Iterable[int] = (),
    caption: str = "",
    long: Iterable[int] = (),
) -> Markup:
    """An HTML table; every cell is escaped (:func:`workshop.markup.rows_html`). `numeric` =
    column indexes aligned right, `long` = columns of long text (sources with URLs) that may
    break anywhere; a row that is a string is a group heading across the table."""
    numeric, long = set(numeric), set(long)
    num, wrap = {"class": "num"}, {"class": "ws-long"}
    inner = markup.rows_html(
        rows,
        headers,
        cell_attrs=lambda i: num if i in numeric else wrap if i in long else None,
        header_attrs=lambda i: num if i in numeric else None,
        caption=caption,
        group_attrs={"class": "ws-group"},
    )
    return Markup('<div class="ws-table-wrap">') + inner + Markup("</div>")


def card(
    label: str, value: str, sub: str = "", tone: str = "", attrs: dict[str, Any] | None = None
) -> Markup:
    """A summary card: `label`, a big `value`, a `sub` line; `tone` good/warn/bad; `attrs`
    extra attributes of the card (``data-*``, values escaped)."""
    tone_cls = f" ws-{tone}" if tone else ""
    if len(value) > 14:  # a sentence, not a figure: smaller type
        tone_cls += " ws-text"
    extra = Markup("").join(
        Markup(' {}="{}"').format(Markup(k), v) for k, v in (attrs or {}).items()
    )
    sub_html = Markup('<div class="ws-sub">{}</div>').format(sub) if sub else Markup("")
    return Markup(
        '<div class="ws-card"{extra}><div class="ws-label">{label}</div>'
        '<div class="ws-value{tone}">{value}</div>{sub}</div>'
    ).format(extra=extra, label=label, tone=tone_cls, value=value, sub=sub_html)


def _hours(value: float, lang: str) -> str:
    value = round(float(value), 1)
    return i18n.fmt_number(value, lang, 0 if value == int(value) else 1)


def _pct(value: float, lang: str) -> str:
    if value is None or not math.isfinite(value):
        return "∞"
    return i18n.fmt_percent(value, lang, 0)


def _platform(pid: str, lang: str) -> str:
    return charts.platform_name(pid, lang)


def _names(pids: Iterable[str], lang: str) -> str:
    return ", ".join(_platform(p, lang) for p in pids)


# --- The computed pieces, shared by several sections ----------------------------------------


def _calendar(plan: plan_mod.Plan, lang: str) -> pd.DataFrame:
    return schedule.expand(plan, lang)


def first_month(plan: plan_mod.Plan) -> dt.date:
    """The first day of the plan's first month."""
    return dt.date(plan.start.year, plan.start.month, 1)


def _month_items(cal: pd.DataFrame, month_start: dt.date) -> pd.DataFrame:
    if not len(cal):
        return cal
    dates = pd.to_datetime(cal["date"])
    mask = (dates.dt.year == month_start.year) & (dates.dt.month == month_start.month)
    return cal[mask.to_numpy()]


def break_even_text(
    plan: plan_mod.Plan,
    lang: str,
    summary: roi.Summary | None = None,
    projection: pd.DataFrame | None = None,
) -> str:
    """The break-even month in words: "month 5 (May 2027)" or "not within 12 months"."""
    proj = roi.project(plan) if projection is None else projection
    s = roi.summary(plan, proj) if summary is None else summary
    if s.cost_is_zero:
        return _t("roi.no_cost", lang)
    if s.break_even_month is None:
        return _t("roi.no_break_even", lang, months=plan.horizon_months)
    start = pd.Timestamp(proj["month_start"].iloc[s.break_even_month - 1]).date()
    return _t(
        "roi.break_even_value", lang, month=s.break_even_month, label=i18n.fmt_month(start, lang)
    )


# --- Title page ----------------------------------------------------------------------------


def title_page(plan: plan_mod.Plan, lang: str, today: dt.date | None = None) -> list[Part]:
    """Client name, profile, plan period, date and toolkit version."""
    today = today or dt.date.today()
    c = plan.client
    end = schedule.horizon_end(plan) - dt.timedelta(days=1)
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


def summary(plan: plan_mod.Plan, lang: str) -> list[Part]:
    """The first page: chosen platforms and why, capacity verdict, the calendar's first
    month, ROI with break-even month and the scenario band."""
    parts: list[Part] = [
        heading(_t("summary.heading", lang), first=True),
        para(_t("summary.lead", lang), "ws-muted"),
    ]
    chosen = list(plan.platforms.chosen)
    assessment = capacity.assess(plan, lang)
    proj = roi.project(plan)
    s = roi.summary(plan, proj)
    scen = roi.scenario_summary(plan, lang).set_index("scenario")
    cal = _calendar(plan, lang)
    month0 = first_month(plan)
    first_items = _month_items(cal, month0)
    weeks = max(1.0, (schedule.horizon_end(plan) - plan.start).days / 7)
    mc = roi.monte_carlo(plan)
    band = mc.iloc[-1]

    tone = {"fits": "good", "tight": "warn", "over": "bad"}[assessment.verdict]
    cards = [
        card(
            _t("summary.card.platforms", lang),
            ", ".join(charts.PLATFORM_NAMES.get(p, p) for p in chosen)
            if chosen
            else _t("summary.none", lang),
            _t("summary.card.pages", lang, pages=len(chosen), limit=capacity.SME_PAGE_LIMIT),
        ),
        card(
            _t("summary.card.capacity", lang),
            _t(
                "summary.card.capacity_value",
                lang,
                needed=_hours(assessment.hours_needed, lang),
                available=_hours(assessment.hours_available, lang),
            ),
            i18n.t(f"capacity.verdict_label.{assessment.verdict}", lang),
            tone,
        ),
        card(
            _t("summary.card.break_even", lang),
            break_even_text(plan, lang, s, proj),
            scen.loc["expected", "scenario_label"],
            "good" if s.break_even_month else "bad",
            {"data-break-even-month": s.break_even_month or ""},
        ),
        card(
            _t("summary.card.roi", lang, months=plan.horizon_months),
            _pct(s.roi_at_horizon, lang),
            _t(
                "summary.card.roi_band",
                lang,
                low=_pct(band["roi_p10"], lang),
                high=_pct(band["roi_p90"], lang),
            ),
            "good" if s.roi_at_horizon >= 0 else "bad",
        ),
        card(
            _t("summary.card.posts", lang),
            i18n.fmt_number(len(first_items), lang),
            _t("summary.card.posts_sub", lang, per_week=i18n.fmt_number(len(cal) / weeks, lang, 1)),
        ),
    ]
    parts.append(Markup('<div class="ws-cards">') + Markup("").join(cards) + Markup("</div>"))

    parts.append(heading(_t("summary.why_heading", lang), 3))
    if chosen:
        fit = platforms.asset_fit(plan, lang)
        hours = capacity.hours_needed(plan)
        rows = []
        for pid in chosen:
            score = fit.loc[pid, "score"] if pid in fit.index else None
            rows.append(
                [
                    _platform(pid, lang),
                    i18n.fmt_number(score, lang, 1) if score is not None else "–",
                    fit.loc[pid, "verdict_label"] if pid in fit.index else "–",
                    _hours(hours.loc[pid, "total_hours"], lang) if pid in hours.index else "–",
                    fit.loc[pid, "explanation"] if pid in fit.index else "",
                ]
            )
        parts.append(
            table(
                rows,
                [
                    _t("col.platform", lang),
                    _t("col.score", lang),
                    _t("col.verdict", lang),
                    _t("col.hours_week", lang),
                    _t("col.why", lang),
                ],
                numeric=(1, 3),
            )
        )
        rec = capacity.recommend(plan, lang)
        recommended = list(rec.index[rec["included"]])
        if set(recommended) == set(chosen):
            parts.append(para(_t("summary.recommended_same", lang)))
        elif recommended:
            parts.append(note(_t("summary.recommended", lang, names=_names(recommended, lang))))
    else:
        parts.append(note(_t("summary.no_platforms", lang), warn=True))

    parts.append(heading(_t("summary.capacity_heading", lang), 3))
    for i, msg in enumerate(assessment.messages):
        parts.append(note(msg, warn=(i > 0 or assessment.verdict != "fits")))

    parts.append(heading(_t("summary.roi_heading", lang), 3))
    parts.append(para(roi.roi_text(plan, lang)))
    parts.append(para(band_text(plan, lang, scen, mc)))

    parts.append(
        heading(_t("summary.calendar_heading", lang, month=i18n.fmt_month(month0, lang)), 3)
    )
    if len(first_items):
        parts.append(charts.calendar_month_chart(cal, month0.year, month0.month, lang))
    else:
        parts.append(para(_t("calendar.empty", lang)))
    return parts


def band_text(
    plan: plan_mod.Plan, lang: str, scen: pd.DataFrame | None = None, mc: pd.DataFrame | None = None
) -> str:
    """The scenario band in words: ROI at the horizon, conservative to optimistic, and the
    Monte Carlo p10-p90 interval (80 % of the simulated paths)."""
    scen = roi.scenario_summary(plan, lang).set_index("scenario") if scen is None else scen
    mc = roi.monte_carlo(plan) if mc is None else mc
    last = mc.iloc[-1]
    return _t(
        "summary.band",
        lang,
        months=plan.horizon_months,
        low=_pct(scen.loc["conservative", "roi_at_horizon"], lang),
        high=_pct(scen.loc["optimistic", "roi_at_horizon"], lang),
        paths=i18n.fmt_number(plan.roi.monte_carlo_paths, lang),
        p10=_pct(last["roi_p10"], lang),
        p90=_pct(last["roi_p90"], lang),
    )


# --- 1. Platforms (C1-C4) ------------------------------------------------------------------


def platforms_section(plan: plan_mod.Plan, lang: str) -> list[Part]:
    """C1 groups (the article's view beside today's), C2 warnings, C3-C4 asset fit."""
    parts: list[Part] = [heading(_t("s1.heading", lang), kicker="C1–C4"), para(_t("s1.lead", lang))]
    parts.append(heading(_t("s1.groups_heading", lang), 3))
    parts.append(para(_t("s1.groups_text", lang)))
    cls = platforms.classify(lang)
    considered = plan.considered_platforms()
    cls_considered = cls[cls["id"].isin(considered)]
    rows = [
        [
            _platform(r.id, lang),
            r.group_today_label,
            r.group_article_label,
            _t("s1.changed", lang) if r.article_differs else "",
        ]
        for r in cls_considered.itertuples()
    ]
    parts.append(
        table(
            rows,
            [
                _t("col.platform", lang),
                _t("col.today", lang),
                _t("col.article", lang),
                _t("col.changed", lang),
            ],
        )
    )
    parts.append(charts.groups_chart(cls_considered, lang))
    warnings = platforms.personal_profile_warnings(plan, lang)
    if warnings:
        parts.append(heading(_t("s1.personal_heading", lang), 3))
        parts.extend(note(w, warn=True) for w in warnings)
    parts.append(heading(_t("s1.fit_heading", lang), 3))
    parts.append(
        para(
            _t(
                "s1.fit_text",
                lang,
                asset=i18n.fmt_number(platforms.ASSET_THRESHOLD, lang),
                useful=i18n.fmt_number(platforms.USEFUL_THRESHOLD, lang),
            )
        )
    )
    fit = platforms.asset_fit(plan, lang)
    parts.append(charts.asset_fit_chart(fit, lang))
    chosen = set(plan.platforms.chosen)
    rows = [
        [
            _platform(r.id, lang) + (" ✓" if r.id in chosen else ""),
            i18n.fmt_number(r.score, lang, 1),
            r.verdict_label,
            r.explanation,
        ]
        for r in fit.itertuples()
    ]
    parts.append(
        table(
            rows,
            [
                _t("col.platform", lang),
                _t("col.score", lang),
                _t("col.verdict", lang),
                _t("col.why", lang),
            ],
            numeric=(1,),
            caption=_t("s1.chosen_mark", lang),
        )
    )
    factors = platforms.factor_table(lang)
    rows = [
        [r.label, i18n.fmt_percent(r.weight, lang, 0), r.measures] for r in factors.itertuples()
    ]
    parts.append(
        table(
            rows,
            [_t("col.factor", lang), _t("col.weight", lang), _t("col.measures", lang)],
            numeric=(1,),
        )
    )
    return parts


# --- 2. Capacity (C5-C7) -------------------------------------------------------------------


def capacity_section(plan: plan_mod.Plan, lang: str) -> list[Part]:
    """Hours needed against hours available, the page limit, skills, the recommended set."""
    parts: list[Part] = [heading(_t("s2.heading", lang), kicker="C5–C7"), para(_t("s2.lead", lang))]
    assessment = capacity.assess(plan, lang)
    hours = capacity.hours_needed(plan)
    parts.append(heading(_t("s2.hours_heading", lang), 3))
    for i, msg in enumerate(assessment.messages):
        parts.append(note(msg, warn=(i > 0 or assessment.verdict != "fits")))
    if len(hours):
        parts.append(charts.capacity_chart(hours, assessment, lang))
        rows = [
            [
                _platform(pid, lang),
                i18n.fmt_number(r.posts_per_week, lang, 1),
                _hours(r.hours_per_post, lang),
                _hours(r.content_hours, lang),
                _hours(r.community_hours, lang),
                _hours(r.total_hours, lang),
                f"{_hours(r.total_hours_low, lang)}–{_hours(r.total_hours_high, lang)}",
            ]
            for pid, r in zip(hours.index, hours.itertuples())
        ]
        rows.append(
            [_t("col.total", lang), "", "", "", "", _hours(assessment.hours_needed, lang), ""]
        )
        parts.append(
            table(
                rows,
                [
                    _t("col.platform", lang),
                    _t("col.posts_week", lang),
                    _t("col.hours_post", lang),
                    _t("col.content_hours", lang),
                    _t("col.community_hours", lang),
                    _t("col.hours_week", lang),
                    _t("col.range", lang),
                ],
                numeric=(1, 2, 3, 4, 5, 6),
            )
        )
    parts.append(heading(_t("s2.page_limit_heading", lang), 3))
    parts.append(para(capacity.page_limit_rule(lang)))
    parts.append(para(_t("s2.pages", lang, pages=assessment.pages, limit=capacity.SME_PAGE_LIMIT)))
    gaps = {p: g for p, g in assessment.skill_gaps.items() if g}
    parts.append(heading(_t("s2.skills_heading", lang), 3))
    parts.append(
        para(
            _t(
                "s2.team",
                lang,
                people=plan.team.people,
                skills=", ".join(i18n.label("skill", s, lang) for s in plan.team.skills) or "–",
            )
        )
    )
    if not gaps:
        parts.append(para(_t("s2.skills_ok", lang)))
    parts.append(heading(_t("s2.recommend_heading", lang), 3))
    parts.append(para(_t("s2.recommend_text", lang)))
    rec = capacity.recommend(plan, lang)
    if len(rec):
        parts.append(charts.recommend_chart(rec, lang))
        rows = [
            [
                _platform(r.id, lang),
                i18n.fmt_number(r.score, lang, 1),
                _hours(r.hours, lang),
                _t("yes", lang) if r.included else _t("no", lang),
                r.reason,
            ]
            for r in rec.itertuples()
        ]
        parts.append(
            table(
                rows,
                [
                    _t("col.platform", lang),
                    _t("col.score", lang),
                    _t("col.hours_week", lang),
                    _t("col.included", lang),
                    _t("col.reason", lang),
                ],
                numeric=(1, 2),
            )
        )
    return parts


# --- 3. Communication plan and editorial calendar (C10-C12) ---------------------------------


def schedule_section(plan: plan_mod.Plan, lang: str) -> list[Part]:
    """The communication plan (C11), the editorial rules and the dated calendar (C12)."""
    parts: list[Part] = [
        heading(_t("s3.heading", lang), kicker="C10–C12"),
        para(_t("s3.lead", lang)),
    ]
    parts.append(
        heading(
            _t(
                "s3.comm_heading",
                lang,
                period=i18n.label("period", plan.communication.period, lang),
            ),
            3,
        )
    )
    comm = schedule.communication_plan(plan, lang)
    if len(comm):
        parts.append(charts.communication_chart(comm, lang))
        rows = []
        for item in sorted(plan.communication.items, key=lambda i: i.month):
            month_start = schedule.month_starts(plan)[item.month - 1]
            rows.append(
                [
                    i18n.fmt_month(month_start, lang),
                    i18n.label("asset", item.asset, lang),
                    item.theme,
                    ", ".join(i18n.label("channel", c, lang) for c in item.channels),
                ]
            )
        parts.append(
            table(
                rows,
                [
                    _t("col.month", lang),
                    _t("col.asset", lang),
                    _t("col.theme", lang),
                    _t("col.channels", lang),
                ],
            )
        )
    else:
        parts.append(para(_t("s3.comm_empty", lang)))

    parts.append(heading(_t("s3.rules_heading", lang), 3))
    rules = schedule.editorial_rules(plan)
    own = {r.platform for r in plan.editorial.rules}
    rows = []
    for rule in rules:
        slots = "; ".join(
            _t(
                "s3.slot",
                lang,
                weekday=i18n.weekday_name(s.weekday, lang),
                time=s.time,
                content_type=i18n.label("content_type", s.content_type, lang),
            )
            + (f" – {s.theme}" if s.theme else "")
            for s in rule.slots
        )
        rows.append(
            [
                _platform(rule.platform, lang),
                slots,
                _t("s3.renewal", lang, n=rule.renewal_months),
                "" if rule.platform in own else _t("s3.suggested", lang),
            ]
        )
    headers = [
        _t("col.platform", lang),
        _t("col.slots", lang),
        _t("col.renewal", lang),
        _t("col.origin", lang),
    ]
    if rows and all(rule.platform in own for rule in rules):  # no suggestion: no origin column
        rows, headers = [r[:3] for r in rows], headers[:3]
    if rows:
        parts.append(table(rows, headers))
    cal = _calendar(plan, lang)
    skipped = schedule.skipped(plan, lang)
    parts.append(heading(_t("s3.timeline_heading", lang, months=plan.horizon_months), 3))
    parts.append(
        para(
            _t(
                "s3.count",
                lang,
                count=i18n.fmt_number(len(cal), lang),
                skipped=i18n.fmt_number(len(skipped), lang),
            )
        )
    )
    warning = schedule.coverage_warning(plan, lang)
    if warning:
        parts.append(note(warning, warn=True))
    if len(cal):
        parts.append(charts.timeline_chart(cal, lang, renewals=schedule.renewal_dates(plan, lang)))
    month0 = first_month(plan)
    items = _month_items(cal, month0)
    parts.append(heading(_t("s3.first_month_heading", lang, month=i18n.fmt_month(month0, lang)), 3))
    if len(items):
        rows = [
            [
                i18n.fmt_date(r.date, lang, "short_numeric"),
                i18n.t(f"weekday_short.{r.weekday}", lang),
                r.time,
                _platform(r.platform, lang),
                r.content_type_label,
                r.theme,
            ]
            for r in items.itertuples()
        ]
        parts.append(
            table(
                rows,
                [
                    _t("col.date", lang),
                    _t("col.weekday", lang),
                    _t("col.time", lang),
                    _t("col.platform", lang),
                    _t("col.content", lang),
                    _t("col.theme", lang),
                ],
            )
        )
    else:
        parts.append(para(_t("calendar.empty", lang)))
    if len(skipped):
        parts.append(heading(_t("s3.skipped_heading", lang), 3))
        rows = [
            [
                i18n.fmt_date(r.date, lang, "short_numeric"),
                r.time,
                r.platform_label,
                r.content_type_label,
                r.reason_label,
            ]
            for r in skipped.itertuples()
        ]
        parts.append(
            table(
                rows,
                [
                    _t("col.date", lang),
                    _t("col.time", lang),
                    _t("col.platform", lang),
                    _t("col.content", lang),
                    _t("col.reason", lang),
                ],
            )
        )
    parts.append(note(_t("s3.files", lang)))
    return parts


# --- 4. Return on investment (C5, C8, C9) ---------------------------------------------------


def roi_section(plan: plan_mod.Plan, lang: str) -> list[Part]:
    """Projection, scenarios, Monte Carlo band and the tornado of assumptions."""
    cur = plan.currency
    parts: list[Part] = [
        heading(_t("s4.heading", lang), kicker="C5, C8, C9"),
        para(_t("s4.lead", lang)),
    ]
    proj = roi.project(plan)
    s = roi.summary(plan, proj)
    parts.append(note(roi.roi_text(plan, lang)))
    parts.append(heading(_t("s4.audience_heading", lang), 3))
    parts.append(charts.audience_chart(proj, lang))
    parts.append(heading(_t("s4.funnel_heading", lang), 3))
    parts.append(
        para(
            _t(
                "s4.funnel_text",
                lang,
                leads=i18n.fmt_number(s.leads_total, lang),
                customers=i18n.fmt_number(s.customers_total, lang),
                months=plan.horizon_months,
            )
        )
    )
    parts.append(charts.funnel_chart(proj, lang))
    parts.append(heading(_t("s4.money_heading", lang), 3))
    parts.append(charts.revenue_cost_chart(proj, lang, cur))
    parts.append(heading(_t("s4.roi_heading", lang), 3))
    parts.append(charts.roi_chart(proj, s, lang))

    parts.append(heading(_t("s4.scenarios_heading", lang), 3))
    parts.append(
        para(_t("s4.scenarios_text", lang, paths=i18n.fmt_number(plan.roi.monte_carlo_paths, lang)))
    )
    scen = roi.scenario_summary(plan, lang)
    rows = []
    for r in scen.itertuples():
        be = r.break_even_month
        be_text = (
            _t("roi.no_break_even_short", lang)
            if be is None or (isinstance(be, float) and math.isnan(be))
            else _t("roi.month_n", lang, month=int(be))
        )
        rows.append(
            [
                r.scenario_label,
                be_text,
                _pct(r.roi_at_horizon, lang),
                i18n.fmt_money(r.total_gross_profit, cur, lang),
                i18n.fmt_money(r.total_cost, cur, lang),
                i18n.fmt_number(r.followers_end, lang),
                i18n.fmt_number(r.customers_total, lang),
            ]
        )
    parts.append(
        table(
            rows,
            [
                _t("col.scenario", lang),
                _t("col.break_even", lang),
                _t("col.roi", lang, months=plan.horizon_months),
                _t("col.gross_profit", lang),
                _t("col.cost", lang),
                _t("col.followers_end", lang),
                _t("col.customers", lang),
            ],
            numeric=(2, 3, 4, 5, 6),
        )
    )
    mc = roi.monte_carlo(plan)
    parts.append(charts.scenario_chart(roi.scenarios(plan), mc, lang))
    share = roi.break_even_distribution(plan)
    parts.append(
        para(
            _t(
                "s4.mc_share",
                lang,
                share=_pct(float(share.iloc[-1]), lang),
                months=plan.horizon_months,
            )
        )
    )

    parts.append(heading(_t("s4.tornado_heading", lang), 3))
    sens = roi.sensitivity(plan, lang)
    if len(sens):
        top = ", ".join(str(x) for x in sens["input_label"].head(2))
        parts.append(para(_t("s4.tornado_text", lang, top=top)))
        parts.append(charts.tornado_chart(sens, lang))
    else:
        parts.append(para(_t("s4.no_uncertain", lang)))
    return parts


# --- Appendix: assumptions, parameters, versions, data dates --------------------------------


def assumptions_section(plan: plan_mod.Plan, lang: str) -> list[Part]:
    """Every input of the projection with its value and source (estimates flagged)."""
    parts: list[Part] = [
        heading(_t("appendix.assumptions_heading", lang)),
        para(_t("appendix.assumptions_text", lang)),
    ]
    table_df = roi.assumptions_table(plan, lang)
    estimate = _t("appendix.estimate", lang)
    rows: list = []
    group = None
    for r in table_df.itertuples():
        if r.platform != group:  # one block per platform, then the shared inputs
            group = r.platform
            rows.append(
                _platform(r.platform, lang) if r.platform else _t("appendix.all_platforms", lang)
            )
        label = (
            i18n.t(f"roi.input.{r.input}", lang)
            if i18n.has(f"roi.input.{r.input}", lang)
            else r.input_label
        )
        rows.append(
            [
                label,
                r.value,
                r.source + (f" ({estimate})" if r.estimate and estimate not in r.source else ""),
            ]
        )
    parts.append(
        table(
            rows,
            [_t("col.assumption", lang), _t("col.value", lang), _t("col.source", lang)],
            numeric=(1,),
            long=(2,),
        )
    )
    return parts


def run_info(
    plan: plan_mod.Plan,
    lang: str,
    plan_path: str,
    language_param: str = "",
    now: dt.datetime | None = None,
) -> list[Part]:
    """The parameters the report was run with, the toolkit version, the data's as-of dates
    and the plan itself (as YAML, escaped). The plan is named by its file name only
    (whatever `plan_path` the runner passes: never the consultant's folders)."""
    now = now or dt.datetime.now().astimezone()
    parts: list[Part] = [
        heading(_t("appendix.run_heading", lang)),
        para(_t("appendix.run_text", lang)),
    ]
    rows = [
        [_t("appendix.version", lang), __version__],
        [_t("appendix.created", lang), now.isoformat(timespec="seconds")],
        [_t("appendix.param_plan", lang), f'plan_path = "{markup.file_name(plan_path)}"'],
        [
            _t("appendix.param_language", lang),
            f'language = "{language_param}"' + (f" → {lang}" if not language_param else ""),
        ],
        [_t("appendix.client_id", lang), plan.client.id],
        [_t("appendix.plan_hash", lang), plan_mod.plan_hash(plan)],
    ]
    parts.append(table(rows, [_t("col.item", lang), _t("col.value", lang)]))
    parts.append(heading(_t("appendix.as_of_heading", lang), 3))
    try:
        as_of = data.as_of()
    except Exception:  # noqa: BLE001 - the report still says what it knows
        as_of = {}
    rows = [[name, i18n.fmt_date(day, lang)] for name, day in sorted(as_of.items())]
    parts.append(
        table(rows, [_t("col.data_file", lang), _t("col.as_of", lang)]) if rows else para("–")
    )
    parts.append(heading(_t("appendix.plan_heading", lang), 3))
    parts.append(Markup('<pre class="ws-yaml">{}</pre>').format(plan_mod.dumps(plan)))
    return parts
