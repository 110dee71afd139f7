"""Tables for the workshop notebooks: the step models' results with translated headers.

Each function returns a plain :class:`pandas.DataFrame` whose column headers come from the
catalogue (``view.col.*``) and whose values are formatted in the reader's language
(numbers, percentages, dates). A notebook cell ends with one of these calls, so the table is
ordinary display output: complete in a headless run (papermill, nbval) and in the report.
Nothing here computes anything new; every number comes from ``platforms``, ``capacity``,
``schedule`` or ``roi``.

Plan texts (the client's name, themes) are shown as text: a :class:`Table`'s HTML is made by
:func:`workshop.markup.table_html`, which escapes every header and cell (issue 8: pandas'
``Styler.to_html`` did not, and a plan named ``<img src=x onerror=...>`` ran its script in
the facilitator's JupyterLab). Missing values read as "—", never "nan". The run information
names the plan's file, never the folders of the machine it is on.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workshop import capacity, i18n, markup, platforms, roi, schedule
from workshop.plan import Plan

CHECK, CROSS, DASH = "✓", "✗", "—"


class Table(pd.DataFrame):
    """A DataFrame for people: shown without the row numbers, text aligned left.

    It behaves as any DataFrame in code; only its notebook display (HTML) and its ``repr``
    (plain text, e.g. in a terminal or a text-only report) leave the index out. The HTML
    escapes every header and cell (:func:`workshop.markup.table_html`; a cell that is
    :class:`workshop.markup.Markup` is the toolkit's own markup and is kept), and shows a
    missing value as "—".
    """

    @property
    def _constructor(self):
        return Table

    def _repr_html_(self) -> str:
        return str(markup.table_html(self, empty=DASH))

    def __repr__(self) -> str:
        if not len(self):
            return super().__repr__()
        shown = pd.DataFrame(self).astype(object).where(self.notna(), DASH)
        return shown.to_string(index=False)


def table(df: pd.DataFrame) -> Table:
    """`df` as a :class:`Table` (same data, shown without its index)."""
    return Table(df)


def _headers(df: pd.DataFrame, keys: list[str], language: str) -> Table:
    df.columns = [i18n.t(f"view.col.{k}", language) for k in keys]
    return Table(df)


def _h(value: float, language: str) -> str:
    """Hours in a table column: always one decimal, so a column reads evenly."""
    return i18n.fmt_number(round(float(value), 1), language, 1)


def _platform(pid: str, language: str) -> str:
    return i18n.label("platform", pid, language)


def groups_table(language: str, plan: Plan | None = None) -> pd.DataFrame:
    """C1: each platform's profile group today beside the article's view (the considered
    platforms of `plan` when given, else all), with a mark where the article differs."""
    df = platforms.classify(language)
    if plan is not None:
        df = df[df["id"].isin(plan.considered_platforms())]
    keys = ["platform", "group_today", "group_article", "changed", "formats"]
    out = pd.DataFrame(
        {
            "platform": [_platform(p, language) for p in df["id"]],
            "group_today": df["group_today_label"].tolist(),
            "group_article": df["group_article_label"].tolist(),
            "changed": [
                i18n.t("view.changed", language) if d else "" for d in df["article_differs"]
            ],
            "formats": [
                ", ".join(i18n.label("content_type", f, language) for f in fm)
                for fm in df["main_formats"]
            ],
        }
    )
    return _headers(out, keys, language)


def fit_table(plan: Plan, language: str) -> pd.DataFrame:
    """C3: strategic-asset fit of each considered platform, best first; ✓ marks the chosen."""
    fit = platforms.asset_fit(plan, language)
    chosen = set(plan.platforms.chosen)
    keys = ["platform", "chosen", "score", "verdict", "why"]
    out = pd.DataFrame(
        {
            "platform": [_platform(p, language) for p in fit["id"]],
            "chosen": [CHECK if p in chosen else "" for p in fit["id"]],
            "score": [i18n.fmt_number(s, language, 1) for s in fit["score"]],
            "verdict": fit["verdict_label"].tolist(),
            "why": fit["explanation"].tolist(),
        }
    )
    return _headers(out, keys, language)


def factors_table(language: str) -> pd.DataFrame:
    """The fit factors with their weights and what each one measures (the score is open)."""
    df = platforms.factor_table(language)
    out = pd.DataFrame(
        {
            "factor": df["label"].tolist(),
            "weight": [i18n.fmt_percent(w, language, 0) for w in df["weight"]],
            "measures": df["measures"].tolist(),
        }
    )
    return _headers(out, ["factor", "weight", "measures"], language)


def hours_table(plan: Plan, language: str) -> pd.DataFrame:
    """C7: hours per week each chosen platform needs, with a total row (typical effort)."""
    df = capacity.hours_needed(plan)
    keys = [
        "platform",
        "posts_week",
        "hours_post",
        "content_hours",
        "community_hours",
        "hours_week",
    ]
    rows = [
        [
            _platform(pid, language),
            i18n.fmt_number(r.posts_per_week, language, 1),
            _h(r.hours_per_post, language),
            _h(r.content_hours, language),
            _h(r.community_hours, language),
            _h(r.total_hours, language),
        ]
        for pid, r in zip(df.index, df.itertuples())
    ]
    rows.append(
        [
            i18n.t("view.total", language),
            "",
            "",
            "",
            "",
            _h(df["total_hours"].sum() if len(df) else 0.0, language),
        ]
    )
    return _headers(pd.DataFrame(rows), keys, language)


def skills_table(plan: Plan, language: str) -> pd.DataFrame:
    """C7: each chosen platform's required skills and the ones the team lacks."""
    from workshop import data

    catalogue = data.load_platforms()
    gaps = capacity.skill_gaps(plan)
    rows = []
    for pid in plan.platforms.chosen:
        required = list(catalogue.loc[pid, "required_skills"])
        missing = gaps.get(pid, [])
        rows.append(
            [
                _platform(pid, language),
                ", ".join(i18n.label("skill", s, language) for s in required) or DASH,
                ", ".join(i18n.label("skill", s, language) for s in missing) or CHECK,
            ]
        )
    return _headers(
        pd.DataFrame(rows, columns=range(3)), ["platform", "required", "missing"], language
    )


def recommend_table(plan: Plan, language: str) -> pd.DataFrame:
    """C6, C7: the recommended set (best fit first) and the reason for every platform."""
    df = capacity.recommend(plan, language)
    keys = ["platform", "score", "hours_week", "recommended", "reason"]
    out = pd.DataFrame(
        {
            "platform": [_platform(p, language) for p in df["id"]],
            "score": [i18n.fmt_number(s, language, 1) for s in df["score"]],
            "hours_week": [_h(h, language) for h in df["hours"]],
            "recommended": [CHECK if x else CROSS for x in df["included"]],
            "reason": df["reason"].tolist(),
        }
    )
    return _headers(out, keys, language)


def calendar_table(plan: Plan, language: str, days: int = 14) -> pd.DataFrame:
    """C12: the first `days` days of the editorial calendar, one row per dated item."""
    cal = schedule.expand(plan, language)
    if len(cal):
        cal = cal[cal["date"] < plan.start + dt.timedelta(days=days)]
    keys = ["date", "weekday", "time", "platform", "content", "theme"]
    out = pd.DataFrame(
        {
            "date": [i18n.fmt_date(d, language) for d in cal["date"]],
            "weekday": cal["weekday_label"].tolist(),
            "time": cal["time"].tolist(),
            "platform": [_platform(p, language) for p in cal["platform"]],
            "content": cal["content_type_label"].tolist(),
            "theme": cal["theme"].tolist(),
        }
    )
    return _headers(out, keys, language)


def renewals_table(plan: Plan, language: str) -> pd.DataFrame:
    """C12: per platform, how often its editorial plan is renewed and the renewal dates."""
    df = schedule.renewal_dates(plan, language)
    rows = []
    for pid, group in df.groupby("platform", sort=False):
        months = int(group["renewal_months"].iloc[0])
        dates = [i18n.fmt_date(d, language) for d in group["renewal_date"]]
        rows.append(
            [
                _platform(pid, language),
                i18n.t("view.every_months", language, months=months),
                ", ".join(dates[:4]) + (" …" if len(dates) > 4 else ""),
            ]
        )
    return _headers(
        pd.DataFrame(rows, columns=range(3)), ["platform", "renewal", "dates"], language
    )


def skipped_table(plan: Plan, language: str) -> pd.DataFrame:
    """Slots left out of the calendar (public holidays, blackout days) and why."""
    df = schedule.skipped(plan, language)
    out = pd.DataFrame(
        {
            "date": [i18n.fmt_date(d, language) for d in df["date"]],
            "platform": [_platform(p, language) for p in df["platform"]],
            "content": df["content_type_label"].tolist(),
            "reason": df["reason_label"].tolist(),
        }
    )
    return _headers(out, ["date", "platform", "content", "reason"], language)


def assumptions_table(plan: Plan, language: str) -> pd.DataFrame:
    """The ROI model's inputs with their values and sources; ✓ marks estimates."""
    df = roi.assumptions_table(plan, language)
    out = pd.DataFrame(
        {
            "input": df["input_label"].tolist(),
            "value": df["value"].tolist(),
            "source": df["source"].tolist(),
            "estimate": [CHECK if e else "" for e in df["estimate"]],
        }
    )
    return _headers(out, ["input", "value", "source", "estimate"], language)


def scenarios_table(plan: Plan, language: str) -> pd.DataFrame:
    """Break-even month and ROI at the horizon in the three scenarios (C5)."""
    df = roi.scenario_summary(plan, language)

    def be(month) -> str:
        if month is None or pd.isna(month):
            return i18n.t("view.never", language, months=plan.horizon_months)
        return i18n.t("view.month_n", language, month=int(month))

    out = pd.DataFrame(
        {
            "scenario": df["scenario_label"].tolist(),
            "break_even": [be(m) for m in df["break_even_month"]],
            "roi": [i18n.fmt_percent(r, language, 0) for r in df["roi_at_horizon"]],
            "followers": [i18n.fmt_number(f, language) for f in df["followers_end"]],
            "leads": [i18n.fmt_number(x, language) for x in df["leads_total"]],
            "customers": [i18n.fmt_number(x, language) for x in df["customers_total"]],
        }
    )
    return _headers(
        out, ["scenario", "break_even", "roi", "followers", "leads", "customers"], language
    )


def plan_table(plan: Plan, language: str) -> pd.DataFrame:
    """The plan in a few lines: who, the team, the platforms, the period (notebook 00)."""
    none = DASH
    rows = [
        ["client", f"{plan.client.name} ({plan.client.id})"],
        [
            "profile",
            " · ".join(
                [
                    i18n.label("sector", plan.client.sector, language),
                    i18n.label("market", plan.client.market, language),
                    i18n.label("audience", plan.client.audience, language),
                ]
            ),
        ],
        [
            "team",
            i18n.t(
                "view.plan.team_value",
                language,
                people=plan.team.people,
                hours=_h(plan.team.hours_per_week, language),
            ),
        ],
        ["skills", ", ".join(i18n.label("skill", s, language) for s in plan.team.skills) or none],
        ["considered", ", ".join(_platform(p, language) for p in plan.considered_platforms())],
        ["chosen", ", ".join(_platform(p, language) for p in plan.platforms.chosen) or none],
        [
            "period",
            i18n.t(
                "view.plan.period_value",
                language,
                start=i18n.fmt_date(plan.start, language),
                months=plan.horizon_months,
            ),
        ],
        ["currency", plan.currency],
    ]
    out = pd.DataFrame([[i18n.t(f"view.plan.{k}", language), v] for k, v in rows], columns=range(2))
    return _headers(out, ["item", "value"], language)


def personal_profile_text(plan: Plan, language: str) -> str:
    """C2 for this plan: one warning per personal profile run as a business, or a sentence
    saying there is none."""
    warnings = platforms.personal_profile_warnings(plan, language)
    return (
        "\n".join(f"⚠ {w}" for w in warnings)
        if warnings
        else i18n.t("view.no_personal_profile", language)
    )


def run_information(plan: Plan | None, plan_path: str, language: str) -> pd.DataFrame:
    """Toolkit version, data as-of dates and the plan (or plans folder) used; the notebooks'
    last cell. The plan is named by its file name only (``x.yaml``, or the folder's name),
    never by a path that shows the machine's folders."""
    from workshop import __version__, data

    rows = [
        [i18n.t("view.run.version", language), __version__],
        [i18n.t("view.run.plan", language), markup.file_name(plan_path, DASH)],
    ]
    if plan is not None:
        rows.append([i18n.t("view.run.client", language), f"{plan.client.name} ({plan.client.id})"])
    rows.append([i18n.t("view.run.language", language), language])
    rows += [
        [i18n.t("view.run.as_of", language, name=name), i18n.fmt_date(day, language)]
        for name, day in sorted(data.as_of().items())
    ]
    return _headers(pd.DataFrame(rows, columns=range(2)), ["item", "value"], language)
