"""The tables of the four workshop steps (see :mod:`workshop.tables`)."""

from __future__ import annotations

import datetime as dt

from workshop import data, delivery, i18n, roi
from workshop.results import Results
from workshop.tables.base import CHECK, DASH, Table, fmt_hours, fmt_pct, names, platform_name, table

# --- step 1: platforms (C1-C4) --------------------------------------------------------------


def groups_table(res: Results) -> Table:
    """C1: each considered platform's profile group today beside the article's view, a note
    where they differ, its main formats and the sources of today's facts, by publisher
    (:func:`workshop.data.source_label`)."""
    lang = res.language
    changed = i18n.t("view.changed", lang)
    rows = [
        [
            platform_name(r.id, lang),
            r.group_today_label,
            r.group_article_label,
            changed if r.article_differs else "",
            names("content_type", r.main_formats, lang, ""),
            data.source_label(r.sources),
        ]
        for r in res.considered_classification.itertuples()
    ]
    keys = ["platform", "group_today", "group_article", "changed", "formats", "sources"]
    return table(rows, keys, lang)


def fit_table(res: Results) -> Table:
    """C3: strategic-asset fit of each considered platform, best first; ✓ marks the chosen."""
    lang, chosen = res.language, set(res.plan.platforms.chosen)
    rows = [
        [
            platform_name(r.id, lang) + (f" {CHECK}" if r.id in chosen else ""),
            i18n.fmt_number(r.score, lang, 1),
            r.verdict_label,
            r.explanation,
        ]
        for r in res.asset_fit.itertuples()
    ]
    caption = i18n.t("view.chosen_mark", lang)
    keys = ["platform", "score", "verdict", "why"]
    return table(rows, keys, lang, numeric=["score"], caption=caption)


def factors_table(res: Results) -> Table:
    """The fit factors with their weights and what each one measures (the score is open)."""
    lang = res.language
    rows = [[r.label, fmt_pct(r.weight, lang), r.measures] for r in res.factors.itertuples()]
    return table(rows, ["factor", "weight", "measures"], lang, numeric=["weight"])


def chosen_table(res: Results) -> Table:
    """The chosen platforms and why: fit score, verdict, weekly hours, the fit's reason."""
    lang, fit, hours = res.language, res.asset_fit, res.hours
    rows = []
    for pid in res.plan.platforms.chosen:
        known = pid in fit.index
        rows.append(
            [
                platform_name(pid, lang),
                i18n.fmt_number(fit.loc[pid, "score"], lang, 1) if known else DASH,
                fit.loc[pid, "verdict_label"] if known else DASH,
                fmt_hours(hours.loc[pid, "total_hours"], lang) if pid in hours.index else DASH,
                fit.loc[pid, "explanation"] if known else "",
            ]
        )
    keys = ["platform", "score", "verdict", "hours_week", "why"]
    return table(rows, keys, lang, numeric=["score", "hours_week"])


def personal_profile_text(res: Results) -> str:
    """C2 for this plan: one warning per personal profile run as a business, or a sentence
    saying there is none."""
    warnings = res.personal_profile_warnings
    if not warnings:
        return i18n.t("view.no_personal_profile", res.language)
    return "\n".join(f"⚠ {w}" for w in warnings)


# --- step 2: capacity (C5-C7) ---------------------------------------------------------------


def hours_table(res: Results) -> Table:
    """C7: hours per week each chosen platform needs (typical, and the low-high range), with
    a total row."""
    lang, df = res.language, res.hours
    rows: list[list[str]] = [
        [
            platform_name(pid, lang),
            i18n.fmt_number(r.posts_per_week, lang, 1),
            fmt_hours(r.hours_per_post, lang),
            fmt_hours(r.content_hours, lang),
            fmt_hours(r.community_hours, lang),
            fmt_hours(r.total_hours, lang),
            f"{fmt_hours(r.total_hours_low, lang)}–{fmt_hours(r.total_hours_high, lang)}",
        ]
        for pid, r in zip(df.index, df.itertuples(), strict=True)
    ]
    total = float(df["total_hours"].sum()) if len(df) else 0.0
    rows.append([i18n.t("view.total", lang), "", "", "", "", fmt_hours(total, lang), ""])
    keys = ["platform", "posts_week", "hours_post", "content_hours", "community_hours"]
    keys += ["hours_week", "range"]
    return table(rows, keys, lang, numeric=keys[1:])


def delivery_text(res: Results) -> str:
    """C7, C8: what the team can keep up, in a sentence; when that is less than the plan
    asks, a second sentence with the plan as asked beside the plan as delivered."""
    d, plan, lang = res.delivery, res.plan, res.language
    text = delivery.delivery_text(plan, d, lang)
    if res.summary_asked is not None:
        text += " " + delivery.compare_text(plan, res.summary_asked, res.summary, d, lang)
    return text


def _status(row, lang: str) -> str:
    """The page's status, and the month it starts when its skill is being learned."""
    status = i18n.t(f"delivery.status.{row.status}", lang)
    if row.from_month > 1:
        return i18n.t("delivery.status_from", lang, status=status, month=row.from_month)
    return status


def delivery_table(res: Results) -> Table:
    """C7, C8: per chosen platform, served first to last (the pages without the skills they
    need at the end), the hours it needs and gets and the posts a week kept of those asked
    (:mod:`workshop.delivery`)."""
    lang, d = res.language, res.delivery
    df = d.table.sort_values(["rank"], key=lambda r: r.where(r > 0, len(d.table) + 1))
    rows = [
        [
            platform_name(pid, lang),
            fmt_hours(r.hours_needed, lang),
            fmt_hours(r.hours_allocated, lang),
            f"{i18n.fmt_number(r.posts_kept, lang, 1)} / {i18n.fmt_number(r.posts_asked, lang, 1)}",
            _status(r, lang),
        ]
        for pid, r in zip(df.index, df.itertuples(), strict=True)
    ]
    keys = ["platform", "hours_needed", "hours_allocated", "posts", "status"]
    return table(rows, keys, lang, prefix="delivery.col", numeric=keys[1:4])


def skills_table(res: Results) -> Table:
    """C7: each chosen platform's required skills and the ones the team lacks."""
    lang, catalogue, gaps = res.language, data.load_platforms(), res.skill_gaps
    rows = [
        [
            platform_name(pid, lang),
            names("skill", catalogue.loc[pid, "required_skills"], lang),
            names("skill", gaps.get(pid, []), lang, CHECK),
        ]
        for pid in res.plan.platforms.chosen
    ]
    return table(rows, ["platform", "required", "missing"], lang)


def recommend_table(res: Results) -> Table:
    """C6, C7: the recommended set (best fit first) and the reason for every platform; the
    platforms the plan chose are marked ✓, as in the fit table (the column says whether the
    step recommends the platform, not whether the plan chose it)."""
    lang, chosen = res.language, set(res.plan.platforms.chosen)
    yes, no = i18n.t("view.yes", lang), i18n.t("view.no", lang)
    rows = [
        [
            platform_name(r.id, lang) + (f" {CHECK}" if r.id in chosen else ""),
            i18n.fmt_number(r.score, lang, 1),
            fmt_hours(r.hours, lang),
            yes if r.included else no,
            r.reason,
        ]
        for r in res.recommendation.itertuples()
    ]
    keys = ["platform", "score", "hours_week", "included", "reason"]
    return table(rows, keys, lang, numeric=["score", "hours_week"])


# --- step 3: communication plan and editorial calendar (C10-C12) -----------------------------


def communication_table(res: Results) -> Table:
    """C11: the communication plan, one row per item: month, asset, theme, channels."""
    lang, starts = res.language, res.month_starts
    rows = [
        [
            i18n.fmt_month(starts[item.month - 1], lang),
            i18n.label("asset", item.asset, lang),
            item.theme,
            names("channel", item.channels, lang, ""),
        ]
        for item in sorted(res.plan.communication.items, key=lambda i: i.month)
        if item.month <= len(starts)
    ]
    return table(rows, ["month", "asset", "theme", "channels"], lang)


def rules_table(res: Results) -> Table:
    """C12: each platform's weekly slots and renewal, and whether the rule is a suggestion
    (that column only when one is)."""
    lang, own = res.language, {r.platform for r in res.plan.editorial.rules}
    rows = []
    for rule in res.editorial_rules:
        slots = "; ".join(
            i18n.t(
                "view.slot",
                lang,
                weekday=i18n.weekday_name(s.weekday, lang),
                time=s.time,
                content_type=i18n.label("content_type", s.content_type, lang),
            )
            + (f" ({i18n.t('view.every_other_week', lang)})" if s.every_weeks == 2 else "")
            + (f" – {s.theme}" if s.theme else "")
            for s in rule.slots
        )
        origin = "" if rule.platform in own else i18n.t("view.suggested", lang)
        every = i18n.t("view.every_months", lang, months=rule.renewal_months)
        rows.append([platform_name(rule.platform, lang), slots, every, origin])
    keys = ["platform", "slots", "renewal", "origin"]
    if all(rule.platform in own for rule in res.editorial_rules):
        rows, keys = [r[:3] for r in rows], keys[:3]
    return table(rows, keys, lang)


def calendar_table(res: Results, days: int = 14, month: dt.date | None = None) -> Table:
    """C12: the dated calendar's first `days` days, or (given `month`, any day of it) that
    calendar month; one row per dated item."""
    lang, start = res.language, res.plan.start
    if month is None:
        cal = res.calendar_between(start, start + dt.timedelta(days=days))
    else:
        cal = res.calendar_month(month)
    rows = [
        [
            i18n.fmt_date(r.date, lang, "short_numeric"),
            i18n.t(f"weekday_short.{r.weekday}", lang),
            r.time,
            platform_name(r.platform, lang),
            r.content_type_label,
            r.theme,
        ]
        for r in cal.itertuples()
    ]
    return table(rows, ["date", "weekday", "time", "platform", "content", "theme"], lang)


def skipped_table(res: Results) -> Table:
    """Slots left out of the calendar (public holidays, blackout days) and why."""
    lang = res.language
    rows = [
        [
            i18n.fmt_date(r.date, lang, "short_numeric"),
            r.time,
            platform_name(r.platform, lang),
            r.content_type_label,
            r.reason_label,
        ]
        for r in res.skipped.itertuples()
    ]
    return table(rows, ["date", "time", "platform", "content", "reason"], lang)


def renewals_table(res: Results) -> Table:
    """C12: per platform, how often its editorial plan is renewed and the renewal dates."""
    lang, rows = res.language, []
    for pid, group in res.renewals.groupby("platform", sort=False):
        dates = [i18n.fmt_date(d, lang) for d in group["renewal_date"]]
        every = i18n.t("view.every_months", lang, months=int(group["renewal_months"].iloc[0]))
        rows.append(
            [platform_name(pid, lang), every, ", ".join(dates[:4]) + (" …" * (len(dates) > 4))]
        )
    return table(rows, ["platform", "renewal", "dates"], lang)


# --- step 4: return on investment (C5, C8, C9) ------------------------------------------------


def scenarios_table(res: Results) -> Table:
    """C5: break-even month, ROI at the horizon, gross profit, cost, followers and new
    customers of the three scenarios."""
    lang, plan, cur = res.language, res.plan, res.plan.currency
    rows = [
        [
            r.scenario_label,
            roi.break_even_text(plan, lang, result=res.summaries[r.scenario], with_month=False),
            fmt_pct(r.roi_at_horizon, lang),
            i18n.fmt_money(r.total_gross_profit, cur, lang),
            i18n.fmt_money(r.total_cost, cur, lang),
            i18n.fmt_number(r.followers_end, lang),
            i18n.fmt_number(r.customers_total, lang),
        ]
        for r in res.scenario_summary.itertuples()
    ]
    keys = ["scenario", "break_even", "roi", "gross_profit", "cost", "followers", "customers"]
    return table(rows, keys, lang, numeric=keys[2:], months=plan.horizon_months)


def assumptions_table(res: Results) -> Table:
    """The ROI model's inputs, one block per platform then the shared ones: each value and
    its source (estimates say so)."""
    lang = res.language
    estimate = i18n.t("view.estimate", lang)
    shared = i18n.t("view.all_platforms", lang)
    rows = []
    for r in res.assumptions.itertuples():
        key = f"roi.input.{r.input}"
        source = r.source
        if r.estimate and estimate not in source:
            source += f" ({estimate})"
        rows.append(
            [
                platform_name(r.platform, lang) if r.platform else shared,
                i18n.t(key, lang) if i18n.has(key, lang) else r.input_label,
                r.value,
                source,
            ]
        )
    keys = ["platform", "input", "value", "source"]
    return table(rows, keys, lang, numeric=["value"], long=["source"], group="platform")
