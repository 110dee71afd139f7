"""Step 3: the communication plan (C11) and the editorial calendar (C10, C12).

The article asks for two plans, one inside the other:

* the **communication plan** (C11) says, month by month over a semester or a year, which
  content is created (infographic, ebook, video, ...), when it launches and *where it is
  carried*: every level of marketing, the website, the newsletter and ads included, not only
  the social pages. It is ``plan.communication.items``; :func:`communication_plan` gives it
  in long form and :func:`communication_grid` as a month × channel table.
* the **editorial plan** (C12) says, for each single tool, what is published on which
  weekday ("what on Tuesday? and on Friday?"). It is renewed every month or every two
  months, inside the frame of the communication plan. It is ``plan.editorial.rules``
  (one rule per platform, weekly slots); :func:`expand` turns it into dated items over the
  plan's horizon, skipping public holidays of the client's country and blackout days.

Time frame. Month 1 is the calendar month that contains ``plan.start``; the horizon is
``plan.horizon_months`` calendar months. Dated items run from ``plan.start`` (inclusive)
to the first day after the last month (exclusive), so a plan starting mid-month simply has
a shorter first month.

All functions are pure: they read the plan and the data files (through
:mod:`workshop.data`) and return new DataFrames.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from workshop import data, i18n
from workshop.plan import CONTENT_TYPES, EditorialRule, Plan, Slot

WEEKDAYS = i18n.WEEKDAYS  # the plan's weekday ids, Monday first (one tuple, in i18n)

# Channels that always appear in the communication grid: C11 covers every level of
# marketing, not only the social pages.
ALWAYS_CHANNELS = ("website", "newsletter", "ads")

# How suggested rules spread n posts a week over the weekdays. The days are as far apart
# as a week allows, starting early in the week (the classic "Tuesday and Friday" of C12
# for two posts), weekends used only from four posts a week upwards.
SPREAD: dict[int, tuple[str, ...]] = {
    1: ("tue",),
    2: ("tue", "fri"),
    3: ("mon", "wed", "fri"),
    4: ("mon", "wed", "fri", "sun"),
    5: ("mon", "tue", "wed", "thu", "fri"),
    6: ("mon", "tue", "wed", "thu", "fri", "sat"),
    7: WEEKDAYS,
}
# Suggested publishing time: one time for every platform. Best times differ by audience
# and no source we trust gives a per-platform rule, so the suggestion is a neutral
# morning slot that the participant edits.
DEFAULT_TIME = "09:00"
# Content type used when a platform's main_formats holds no known content type.
FALLBACK_CONTENT_TYPE = "photo_post"
# Cadence suggested for a platform missing from platforms.csv (posts per week).
FALLBACK_POSTS_PER_WEEK = 3
# What one calendar item copies from the communication plan of its month and channel
# (its title when the slot has no theme, and its notes), in characters. Every item of the
# month copies it again: 300 items with every theme of the month made a 340 MB CSV from a
# 360 kB plan. Capped, the copy stays the size of one theme (the title) and of a short line
# (the notes); the rest is counted ("… (+3)"). With plan.MAX_CALENDAR_ITEMS this keeps the
# exports of the worst plan under 20 MB (benchmarks/worst_plan.py).
COPIED_THEMES_MAX_CHARS = 200  # = plan.MAX_THEME_CHARS: a calendar title is one theme long
COPIED_NOTES_MAX_CHARS = 120  # a short line: an asset and the start of its theme

CALENDAR_COLUMNS = [
    "date",
    "time",
    "weekday",
    "weekday_label",
    "platform",
    "platform_label",
    "content_type",
    "content_type_label",
    "theme",
    "month",
    "cycle",
    "renewal_date",
    "notes",
]
SKIPPED_COLUMNS = [
    "date",
    "time",
    "weekday",
    "platform",
    "platform_label",
    "content_type",
    "content_type_label",
    "reason",
    "reason_label",
]
COMMUNICATION_COLUMNS = [
    "month",
    "month_start",
    "month_label",
    "asset",
    "asset_label",
    "theme",
    "channel",
    "channel_label",
]


# --- Months -------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_starts(plan: Plan) -> list[dt.date]:
    """First day of each month of the horizon; month 1 is the month containing plan.start."""
    return [_add_months(plan.start, i) for i in range(plan.horizon_months)]


def horizon_end(plan: Plan) -> dt.date:
    """The exclusive end of the horizon: the first day after the last month."""
    return _add_months(plan.start, plan.horizon_months)


# --- Communication plan (C11) ---------------------------------------------------------------


def communication_plan(plan: Plan, language: str = "vi") -> pd.DataFrame:
    """The communication plan in long form: one row per (item, channel), sorted by month.

    Columns: month (1-based int), month_start (date), month_label, asset, asset_label,
    theme (free text, as typed), channel, channel_label. Items keep the plan's order
    within a month.
    """
    starts = month_starts(plan)
    rows = []
    for item in sorted(plan.communication.items, key=lambda it: it.month):
        if item.month > len(starts):  # a validated plan never has this; be safe anyway
            continue
        start = starts[item.month - 1]
        for channel in item.channels:
            rows.append(
                {
                    "month": item.month,
                    "month_start": start,
                    "month_label": i18n.fmt_month(start, language),
                    "asset": item.asset,
                    "asset_label": i18n.label("asset", item.asset, language),
                    "theme": item.theme,
                    "channel": channel,
                    "channel_label": i18n.label("channel", channel, language),
                }
            )
    df = pd.DataFrame(rows, columns=COMMUNICATION_COLUMNS)
    df["month"] = df["month"].astype("int64")
    return df


def communication_grid(plan: Plan, language: str = "vi") -> pd.DataFrame:
    """The communication plan as a month × channel table (C11 at a glance).

    Rows: every month of the horizon, labelled with ``i18n.fmt_month``, in order (index
    name: the "month" column label). Columns: the label of every channel used by the plan
    plus website, newsletter and ads (always, since C11 covers every level of marketing),
    in the order of ``workshop.plan.CHANNELS``. A cell lists the asset labels launched that
    month on that channel, joined by ", "; "" when none.
    """
    from workshop.plan import CHANNELS

    long = communication_plan(plan, language)
    used = set(long["channel"]) | set(ALWAYS_CHANNELS)
    channels = [c for c in CHANNELS if c in used]
    labels = [i18n.fmt_month(m, language) for m in month_starts(plan)]
    cells = {(m, c): [] for m in range(1, plan.horizon_months + 1) for c in channels}
    for month, channel, asset_label in zip(long["month"], long["channel"], long["asset_label"]):
        cells[(int(month), channel)].append(asset_label)
    grid = pd.DataFrame(
        [[", ".join(cells[(m, c)]) for c in channels] for m in range(1, plan.horizon_months + 1)],
        index=pd.Index(labels, name=i18n.t("schedule.column.month", language)),
        columns=[i18n.label("channel", c, language) for c in channels],
    )
    return grid


# --- Editorial rules (C12) -------------------------------------------------------------------


def _posts_per_week(plan: Plan, platform: str, catalogue: pd.DataFrame) -> float:
    if platform in plan.platforms.cadence_per_week:
        return float(plan.platforms.cadence_per_week[platform])
    if platform in catalogue.index:
        return float(catalogue.loc[platform, "posts_per_week"])
    return float(FALLBACK_POSTS_PER_WEEK)


def suggest_rules(plan: Plan) -> list[EditorialRule]:
    """A default editorial rule for each chosen platform that has none in the plan.

    * posts per week p is the plan's ``platforms.cadence_per_week`` for the platform when
      set, else ``posts_per_week`` from ``data/platforms.csv``; a platform at 0 gets no rule
      (it posts nothing);
    * weekly slots w = ⌊p + ¼⌋ (at most 7), and one more slot *every other week* when the
      rest p − w is ¼ or more (or when w = 0): 0.5 → one post every other week, 1.5 → one
      a week and one every other week, 2.4 and 2.5 → 2.5 a week, 2.2 → 2, 0.2 → 0.5. So the
      calendar's posts agree with the pace the hours (step 2) and the ROI (step 4) count,
      to a quarter of a post a week;
    * weekdays: :data:`SPREAD` for the number of slots (1 → Tue; 2 → Tue, Fri; 3 → Mon,
      Wed, Fri; 4 → Mon, Wed, Fri, Sun; 5 → Mon-Fri; 6 → Mon-Sat; 7 → every day), the
      every-other-week slot last;
    * content types cycle through the platform's ``main_formats`` (known content types
      only; ``photo_post`` when none);
    * time :data:`DEFAULT_TIME` (09:00), empty theme, renewal every month.
    """
    have = {rule.platform for rule in plan.editorial.rules}
    missing = [p for p in plan.platforms.chosen if p not in have]
    if not missing:
        return []
    catalogue = data.load_platforms()
    rules = []
    for platform in missing:
        pace = _posts_per_week(plan, platform, catalogue)
        if pace <= 0:
            continue
        weekly = min(7, math.floor(pace + 0.25))
        half = weekly < 7 and (weekly == 0 or pace - weekly >= 0.25)
        n = weekly + int(half)
        formats: list[str] = []
        if platform in catalogue.index:
            formats = [f for f in catalogue.loc[platform, "main_formats"] if f in CONTENT_TYPES]
        formats = formats or [FALLBACK_CONTENT_TYPE]
        slots = [
            Slot(
                weekday=day,
                content_type=formats[i % len(formats)],
                time=DEFAULT_TIME,
                every_weeks=2 if half and i == n - 1 else 1,
            )
            for i, day in enumerate(SPREAD[n])
        ]
        rules.append(EditorialRule(platform=platform, slots=slots, renewal_months=1))
    return rules


def editorial_rules(plan: Plan) -> list[EditorialRule]:
    """The rules the calendar is built from: the plan's own, then suggestions.

    The plan's rules come first, in their order, *including* rules for platforms that are
    not (yet) chosen: a participant may plan a page's editorial line before deciding to
    open it, and the calendar shows it. Then :func:`suggest_rules` adds a default rule for
    each chosen platform without one.
    """
    return list(plan.editorial.rules) + suggest_rules(plan)


# --- Expansion into dated items ------------------------------------------------------------


def _holiday_names(plan: Plan, language: str) -> dict[dt.date, str]:
    """Holiday date → name(s) in `language` (several on one day joined by " / ")."""
    country = plan.client.country
    if country == "OTHER":
        return {}
    holidays = data.load_holidays(country)
    column = "name_vi" if language == "vi" else "name_en"
    names: dict[dt.date, list[str]] = {}
    for day, name in zip(holidays["date"], holidays[column]):
        names.setdefault(day, [])
        if name not in names[day]:
            names[day].append(name)
    return {day: " / ".join(parts) for day, parts in names.items()}


def _joined(parts: list[str], sep: str, limit: int, language: str) -> str:
    """`parts` joined by `sep`, keeping whole parts while the text stays within `limit`
    characters, then "… (+N)" for the N parts left out. The first part is always there,
    cut to `limit` characters (ending in "…") when it is longer on its own."""
    kept: list[str] = []
    size = 0
    for part in parts:
        extra = len(part) + (len(sep) if kept else 0)
        if kept and size + extra > limit:
            break
        if not kept and len(part) > limit:
            part = part[: limit - 1] + "…"
        kept.append(part)
        size += len(part) + (len(sep) if len(kept) > 1 else 0)
    text = sep.join(kept)
    if len(kept) < len(parts):
        text += i18n.t("schedule.note.more", language, count=len(parts) - len(kept))
    return text


def _comm_by_month_channel(plan: Plan, language: str) -> pd.DataFrame:
    """(month, platform) → comm_theme, comm_note for the communication items of that month."""
    grouped: dict[tuple[int, str], list] = {}
    for item in sorted(plan.communication.items, key=lambda it: it.month):
        for channel in item.channels:
            grouped.setdefault((item.month, channel), []).append(item)
    rows = []
    for (month, channel), items in grouped.items():
        themes = list(dict.fromkeys(it.theme for it in items if it.theme))
        assets = []
        for it in items:
            asset = i18n.label("asset", it.asset, language)
            assets.append(
                i18n.t("schedule.note.asset_with_theme", language, asset=asset, theme=it.theme)
                if it.theme
                else asset
            )
        rows.append(
            {
                "month": month,
                "platform": channel,
                "comm_theme": _joined(themes, "; ", COPIED_THEMES_MAX_CHARS, language),
                "comm_note": i18n.t(
                    "schedule.note.communication",
                    language,
                    assets=_joined(assets, ", ", COPIED_NOTES_MAX_CHARS, language),
                ),
            }
        )
    return pd.DataFrame(rows, columns=["month", "platform", "comm_theme", "comm_note"])


def _occurrences(plan: Plan, language: str) -> pd.DataFrame:
    """Every slot occurrence over the horizon, with a `reason` ("" = kept).

    One row per (rule slot, matching day in [plan.start, horizon end)). Sorted by date,
    time, platform, then the rule's and the slot's order in the plan.
    """
    rules = editorial_rules(plan)
    start, end = plan.start, horizon_end(plan)
    slot_rows = [
        {
            "rule": r,
            "slot": s,
            "platform": rule.platform,
            "wd": WEEKDAYS.index(slot.weekday),
            "content_type": slot.content_type,
            "time": slot.time,
            "slot_theme": slot.theme,
            "renewal_months": rule.renewal_months,
            "every": slot.every_weeks,
        }
        for r, rule in enumerate(rules)
        for s, slot in enumerate(rule.slots)
    ]
    slots = pd.DataFrame(
        slot_rows,
        columns=[
            "rule",
            "slot",
            "platform",
            "wd",
            "content_type",
            "time",
            "slot_theme",
            "renewal_months",
            "every",
        ],
    )
    days = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D"))
    # 1970-01-01 was a Thursday: (days since epoch + 3) % 7 gives Monday = 0.
    weekday = (days.astype("int64") + 3) % 7
    # the plan's week k (0 = the week of plan.start, weeks from Monday) of each day: a slot
    # every other week falls in weeks 0, 2, 4, ...
    monday = np.datetime64(start, "D") - start.weekday()
    week = (days - monday).astype("int64") // 7
    occ = slots.merge(
        pd.DataFrame({"day": days, "wd": weekday, "week": week}), on="wd", how="inner"
    )
    occ = occ[occ["week"] % occ["every"] == 0]
    occ = occ.sort_values(["day", "time", "platform", "rule", "slot"], kind="stable")
    occ = occ.reset_index(drop=True)

    day64 = occ["day"].to_numpy(dtype="datetime64[D]")
    month0 = day64.astype("datetime64[M]").astype("int64") - np.datetime64(start, "M").astype(
        "int64"
    )
    renewal = occ["renewal_months"].to_numpy(dtype="int64")
    cycle0 = month0 // renewal
    starts = np.array([np.datetime64(m, "D") for m in month_starts(plan)], dtype="datetime64[D]")
    first = starts[(cycle0 * renewal).clip(max=len(starts) - 1)] if len(occ) else starts[:0]
    first = np.maximum(first, np.datetime64(start, "D"))

    dates = pd.Series(day64).dt.date if len(occ) else pd.Series([], dtype=object)
    occ["date"] = dates.to_numpy()
    occ["month"] = month0 + 1
    occ["cycle"] = cycle0 + 1
    occ["renewal_date"] = pd.Series(first).dt.date.to_numpy() if len(occ) else []

    # Holidays and blackout days; a holiday wins when a day is both.
    holidays = _holiday_names(plan, language) if plan.editorial.skip_holidays else {}
    hol_days = np.array(sorted(holidays), dtype="datetime64[D]")
    black_days = np.array(sorted(set(plan.editorial.blackout_dates)), dtype="datetime64[D]")
    campaign_days = np.array(sorted(set(plan.editorial.post_on_holidays)), dtype="datetime64[D]")
    is_holiday = np.isin(day64, hol_days) & ~np.isin(day64, campaign_days)
    is_blackout = np.isin(day64, black_days) & ~is_holiday
    occ["reason"] = np.where(is_holiday, "holiday", np.where(is_blackout, "blackout", ""))
    blackout_label = i18n.t("schedule.reason.blackout", language)
    labels = np.full(len(occ), "", dtype=object)
    if is_holiday.any():
        labels[is_holiday] = [
            i18n.t("schedule.reason.holiday", language, name=holidays[d])
            for d in occ.loc[is_holiday, "date"]
        ]
    labels[is_blackout] = blackout_label
    occ["reason_label"] = labels

    # Labels: looked up once per distinct value.
    occ["weekday"] = occ["wd"].map(dict(enumerate(WEEKDAYS)))
    occ["weekday_label"] = occ["weekday"].map({w: i18n.weekday_name(w, language) for w in WEEKDAYS})
    occ["platform_label"] = occ["platform"].map(
        {p: i18n.label("platform", p, language) for p in occ["platform"].unique()}
    )
    occ["content_type_label"] = occ["content_type"].map(
        {c: i18n.label("content_type", c, language) for c in occ["content_type"].unique()}
    )

    # Theme and notes from the communication plan of the same month on the same channel.
    comm = _comm_by_month_channel(plan, language)
    occ = occ.merge(comm, on=["month", "platform"], how="left")
    occ["comm_theme"] = occ["comm_theme"].fillna("")
    occ["notes"] = occ["comm_note"].fillna("").astype(object)
    occ["theme"] = np.where(occ["slot_theme"] != "", occ["slot_theme"], occ["comm_theme"])
    occ["month"] = occ["month"].astype("int64")
    occ["cycle"] = occ["cycle"].astype("int64")
    return occ


def expand(plan: Plan, language: str = "vi") -> pd.DataFrame:
    """The editorial calendar: one row per dated item over the horizon (C12).

    Each weekly slot of each rule of :func:`editorial_rules` occurs on every matching
    weekday from ``plan.start`` (inclusive) to :func:`horizon_end` (exclusive). Items on a
    public holiday of ``plan.client.country`` (when ``editorial.skip_holidays``; none for
    ``OTHER``), unless the plan posts on that holiday for a campaign
    (``editorial.post_on_holidays``), or on an ``editorial.blackout_dates`` day are left
    out (see :func:`skipped`).

    Columns: date (datetime.date), time ("HH:MM"), weekday ("mon".."sun"), weekday_label,
    platform, platform_label, content_type, content_type_label, theme, month (1-based),
    cycle, renewal_date, notes.

    * theme: the slot's theme; when empty, the themes of the communication items carried
      on that platform that month ("; "-joined, whole themes within
      :data:`COPIED_THEMES_MAX_CHARS` characters, then "… (+N)" for the N left out), else "".
    * cycle: the renewal period, 1-based: cycle = (month - 1) // renewal_months + 1, so with
      renewal_months = 2 months 1-2 are cycle 1, months 3-4 cycle 2.
    * renewal_date: the first day of the cycle (the first day of its first month, or
      plan.start for the first cycle), the day the editorial plan must be renewed.
    * notes: the communication plan's assets launched that month on that platform (within
      :data:`COPIED_NOTES_MAX_CHARS` characters, then "… (+N)").

    Sorted by date, time, platform (then rule and slot order).
    """
    occ = _occurrences(plan, language)
    kept = occ[occ["reason"] == ""]
    return kept[CALENDAR_COLUMNS].reset_index(drop=True)


def expand_with_skipped(plan: Plan, language: str = "vi") -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(expand(plan), skipped(plan))`` from one expansion of the slot occurrences.

    For callers that show both (the schedule panel redraws them on every change).
    """
    occ = _occurrences(plan, language)
    kept = occ["reason"] == ""
    return (
        occ[kept][CALENDAR_COLUMNS].reset_index(drop=True),
        occ[~kept][SKIPPED_COLUMNS].reset_index(drop=True),
    )


def monthly_posts(plan: Plan) -> pd.DataFrame:
    """Posts the calendar holds per month of the horizon and platform: the items of
    :func:`expand` counted (holidays and blackout days already left out). Index = month
    (1-based, every month of the horizon), columns = the platforms with a rule; the ROI
    projection (step 4) posts these, so the calendar, the hours and the money agree."""
    occ = _occurrences(plan, "en")
    kept = occ[occ["reason"] == ""]
    counts = pd.crosstab(kept["month"], kept["platform"]) if len(kept) else pd.DataFrame()
    months = range(1, plan.horizon_months + 1)
    return counts.reindex(index=months, fill_value=0).astype("int64").rename_axis("month")


def skipped(plan: Plan, language: str = "vi") -> pd.DataFrame:
    """The slot occurrences :func:`expand` leaves out, and why.

    Columns: date, time, weekday, platform, platform_label, content_type,
    content_type_label, reason ("holiday" or "blackout"; a day that is both counts as a
    holiday), reason_label (with the holiday's name in `language`).
    ``len(expand(p)) + len(skipped(p))`` is the number of slot occurrences over the horizon.
    """
    occ = _occurrences(plan, language)
    return occ[occ["reason"] != ""][SKIPPED_COLUMNS].reset_index(drop=True)


def renewal_dates(plan: Plan, language: str = "vi") -> pd.DataFrame:
    """When each platform's editorial plan is renewed (C12: every 1 or 2 months).

    One row per (platform, cycle): platform, platform_label, renewal_months, cycle
    (1-based), renewal_date (first day of the cycle; plan.start for the first one) and
    cycle_end (last day of the cycle, at most the horizon's last day). Platforms in the
    order of :func:`editorial_rules`.
    """
    starts = month_starts(plan)
    last_day = horizon_end(plan) - dt.timedelta(days=1)
    rows = []
    for rule in editorial_rules(plan):
        step = rule.renewal_months
        for c, i in enumerate(range(0, len(starts), step), start=1):
            end = _add_months(starts[i], step) - dt.timedelta(days=1)
            rows.append(
                {
                    "platform": rule.platform,
                    "platform_label": i18n.label("platform", rule.platform, language),
                    "renewal_months": step,
                    "cycle": c,
                    "renewal_date": max(starts[i], plan.start),
                    "cycle_end": min(end, last_day),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "platform",
            "platform_label",
            "renewal_months",
            "cycle",
            "renewal_date",
            "cycle_end",
        ],
    )


# --- Views ---------------------------------------------------------------------------------


def month_cells(calendar_df: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    """The 42 day cells (6 weeks × Mon..Sun) of a month view, in long form.

    The grid starts on the Monday of the week containing the 1st. Columns: week (0-5),
    weekday ("mon".."sun"), date, in_month (bool), items (list of dicts with time,
    platform, platform_label, content_type, content_type_label, theme), count.
    """
    first = dt.date(year, month, 1)
    origin = first - dt.timedelta(days=first.weekday())
    days = [origin + dt.timedelta(days=i) for i in range(42)]
    by_day: dict[dt.date, list[dict]] = {}
    if len(calendar_df):
        cols = [
            c
            for c in (
                "time",
                "platform",
                "platform_label",
                "content_type",
                "content_type_label",
                "theme",
            )
            if c in calendar_df.columns
        ]
        in_range = calendar_df[(calendar_df["date"] >= days[0]) & (calendar_df["date"] <= days[-1])]
        for day, record in zip(in_range["date"], in_range[cols].to_dict("records")):
            by_day.setdefault(day, []).append(record)
    rows = [
        {
            "week": i // 7,
            "weekday": WEEKDAYS[i % 7],
            "date": day,
            "in_month": day.month == month,
            "items": by_day.get(day, []),
            "count": len(by_day.get(day, [])),
        }
        for i, day in enumerate(days)
    ]
    return pd.DataFrame(rows)


def month_view(
    calendar_df: pd.DataFrame, year: int, month: int, language: str | None = None
) -> pd.DataFrame:
    """A month as a 6 × 7 table (weeks × Mon..Sun) for a month-view chart or table.

    A cell of a day in the month is its day number, then one line per item
    "HH:MM platform_label: content_type_label" (plus " – theme" when set); a cell outside
    the month is "". Columns are "mon".."sun", or the weekday names when `language` is
    given; the index is the week number 1-6.
    """
    cells = month_cells(calendar_df, year, month)
    texts = []
    for day, in_month, items in zip(cells["date"], cells["in_month"], cells["items"]):
        if not in_month:
            texts.append("")
            continue
        lines = [str(day.day)]
        for item in items:
            line = (
                f"{item.get('time', '')} {item.get('platform_label', item.get('platform'))}: "
                f"{item.get('content_type_label', item.get('content_type'))}"
            )
            if item.get("theme"):
                line += f" – {item['theme']}"
            lines.append(line)
        texts.append("\n".join(lines))
    columns = (
        list(WEEKDAYS) if language is None else [i18n.weekday_name(w, language) for w in WEEKDAYS]
    )
    return pd.DataFrame(
        np.array(texts, dtype=object).reshape(6, 7),
        index=pd.RangeIndex(1, 7, name="week"),
        columns=columns,
    )


def broadcast_warning(plan: Plan, language: str = "vi") -> str | None:
    """A warning when Zalo OA's broadcast rules change the calendar (the pre-flight
    check's :func:`workshop.preflight.zalo_calendar`: the package's broadcasts a month, one
    a day, the send window), else None: how many broadcasts it moves or turns into
    articles, and the package's quota. Step 4 counts only what followers receive."""
    if "zalo_oa" not in plan.platforms.chosen:
        return None
    from workshop import preflight  # lazy: preflight reads this module

    _, findings = preflight.zalo_calendar(plan, expand(plan, language), language)
    if not findings:
        return None
    package = plan.platforms.zalo_oa_package
    return i18n.t(
        "schedule.warning.broadcast_quota",
        language,
        changed=len(findings),
        quota=int(preflight.rules()["zalo_oa"]["packages"][package]),
        package=i18n.t(f"schedulers.zalo.package.{package}", language),
    )


def coverage_warning(plan: Plan, language: str = "vi") -> str | None:
    """A warning when holidays cannot be skipped over the whole horizon, else None.

    None when holidays are not skipped or the country is ``OTHER``. Otherwise a message when
    ``data/holidays.csv`` has no year for the country, or the horizon's first or last year
    falls outside ``data.holiday_years(country)``. Items are still expanded: a warning, not
    an error.
    """
    country = plan.client.country
    if not plan.editorial.skip_holidays or country == "OTHER":
        return None
    first, last = data.holiday_years(country)
    start, end = plan.start, horizon_end(plan) - dt.timedelta(days=1)
    if (first, last) == (0, 0):
        return i18n.t("schedule.warning.no_holiday_data", language, country=country)
    if start.year < first or end.year > last:
        return i18n.t(
            "schedule.warning.holiday_coverage",
            language,
            country=country,
            first=first,
            last=last,
            start=i18n.fmt_date(start, language),
            end=i18n.fmt_date(end, language),
        )
    return None
