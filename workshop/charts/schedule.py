"""Step 3, schedule (C10-C12): the communication plan as a channel × month grid, a month of
the editorial calendar, and the calendar over the whole horizon."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from workshop import i18n
from workshop.charts.figure import Draft, Figure, _trace
from workshop.charts.style import (
    _BARE_AXIS,
    BAD,
    _fmt_date,
    _fmt_month,
    _month_ticks,
    _name,
    _short,
    _t,
    _wrap,
    _year_once,
    colour,
    platform_name,
)
from workshop.i18n import WEEKDAYS
from workshop.markup import plotly_text, plotly_texts


def communication_chart(comm_df: pd.DataFrame, language: str = "vi", title: bool = False) -> Figure:
    """The communication plan (C11) as a channel × month grid: channels down (their names
    written horizontally, readable at any width), months across, each cell naming the
    assets launched there and shaded by how many (1, 2, 3 or more).

    Each cell is one horizontal bar of length 1 centred on its month's column (one bar
    trace, ``meta["kind"] == "communication"``; ``customdata`` per cell = [month label,
    channel label, number of assets, full list]). A cell's text uses one size for the
    whole grid and is hidden where it does not fit at 9 px (plotly ``uniformtext``), so a
    narrow screen shows the shading without overlapping words; the hover has the list.
    ``meta["months"]`` and ``meta["channels"]`` give the grid's order.

    Accepts :func:`workshop.schedule.communication_grid` (wide: index = month labels,
    columns = channel labels, cells = ", "-joined asset labels) or
    :func:`workshop.schedule.communication_plan` (long form: only the months with items).
    """
    if "channel" in comm_df.columns and "asset_label" in comm_df.columns:
        long = comm_df
        months = list(dict.fromkeys(long["month_label"]))
        channels = list(dict.fromkeys(long["channel_label"]))
        cells = {(m, c): [] for m in months for c in channels}
        for m, c, a in zip(long["month_label"], long["channel_label"], long["asset_label"]):
            cells[(m, c)].append(str(a))
    else:
        months = [str(m) for m in comm_df.index]
        channels = [str(c) for c in comm_df.columns]
        cells = {}
        for m, row in zip(months, comm_df.itertuples(index=False)):
            for c, value in zip(channels, row):
                cells[(m, c)] = [p for p in str(value or "").split(", ") if p]
    shades = ("#F3F3F3", "#C6DBEF", "#9ECAE1", "#6BAED6")
    ys, xs, colours, texts, custom = [], [], [], [], []
    row_names = {c: _wrap(c, 18) for c in channels}
    for k, m in enumerate(months):
        for c in channels:
            assets = cells[(m, c)]
            ys.append(row_names[c])
            xs.append(k)
            colours.append(shades[min(len(assets), len(shades) - 1)])
            texts.append("<br>".join(_wrap(_short(a, 22), 11) for a in assets))
            custom.append(
                [
                    plotly_text(m),
                    plotly_text(c),
                    len(assets),
                    "<br>".join(plotly_texts(assets)) or "—",
                ]
            )
    fig = Draft(
        _trace(
            "bar",
            y=ys,
            x=[0.96] * len(xs),
            base=[x - 0.48 for x in xs],
            orientation="h",
            width=0.92,
            marker=dict(color=colours, line=dict(width=0)),
            text=texts,
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,
            textfont=dict(size=11, color="#222222"),
            customdata=custom,
            showlegend=False,
            hovertemplate=(
                "<b>%{customdata[0]}</b> · %{customdata[1]}<br>"
                + _t("hover.assets", language)
                + ": %{customdata[2]}<br>%{customdata[3]}<extra></extra>"
            ),
            meta={"kind": "communication", "months": months, "channels": channels},
        )
    )
    fig.xaxis(
        **_BARE_AXIS,
        tickmode="array",
        tickvals=list(range(len(months))),
        ticktext=_year_once(months),
        range=[-0.5, len(months) - 0.5],
        side="top",
        title=dict(text=""),
    )
    fig.yaxis(
        **_BARE_AXIS,
        categoryorder="array",
        categoryarray=[row_names[c] for c in channels],
        autorange="reversed",
        automargin=True,
    )
    height = max(260, 46 * len(channels) + 110)
    return fig.finish(
        "communication",
        language,
        title,
        height=height,
        barmode="overlay",
        uniformtext=dict(minsize=9, mode="hide"),
        margin=dict(t=110 if title else 60, b=20),
    )


def calendar_month_chart(
    cal_df: pd.DataFrame,
    year: int,
    month: int,
    language: str = "vi",
    title: bool = False,
    skipped_df: pd.DataFrame | None = None,
    max_items: int = 4,
) -> Figure:
    """A month view of the editorial calendar (C12): 7 columns Monday..Sunday (weekday names
    from the catalogue), one row per week, each item a dot in its platform's colour with its
    time and content type (shortened to fit; the hover has the full text and the theme). A
    day with more than `max_items` items shows "+n". Days on which items were left out
    (public holidays, blackout days: :func:`workshop.schedule.skipped`, optional) are shaded
    and named. Input: :func:`workshop.schedule.expand`.
    """
    first = dt.date(year, month, 1)
    origin = first - dt.timedelta(days=first.weekday())
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    weeks = math.ceil((next_month - origin).days / 7)
    by_day = _items_by_day(cal_df, first, next_month)
    off_days = _off_days(skipped_df, first, next_month)
    fig = Draft()
    per_platform: dict[str, dict[str, list]] = {}
    more: dict[str, list] = {"x": [], "y": [], "text": []}
    for i in range(weeks * 7):
        day, col, row = origin + dt.timedelta(days=i), i % 7, i // 7
        in_month = day.month == month
        _day_cell(fig, day, col, row, in_month, off_days.get(day) if in_month else None, language)
        items = by_day.get(day, []) if in_month else []
        for k, item in enumerate(items[:max_items]):
            pid = str(item["platform"])
            bucket = per_platform.setdefault(pid, {"x": [], "y": [], "text": [], "custom": []})
            bucket["x"].append(col + 0.08)
            bucket["y"].append(-row - 0.33 - 0.165 * k)
            bucket["text"].append(
                plotly_text(
                    _short(f"{item.get('time', '')} {item.get('content_type_label', '')}", 19)
                )
            )
            bucket["custom"].append(
                plotly_texts(
                    [
                        _fmt_date(day, language),
                        item.get("platform_label") or platform_name(pid, language),
                        item.get("content_type_label", ""),
                        item.get("theme") or "—",
                        item.get("time", ""),
                    ]
                )
            )
        if len(items) > max_items:
            more["x"].append(col + 0.95)
            more["y"].append(-row - 0.06)
            more["text"].append(f"+{len(items) - max_items}")
    for pid, b in per_platform.items():
        fig.add_trace(
            _trace(
                "scatter",
                x=b["x"],
                y=b["y"],
                mode="markers+text",
                text=b["text"],
                textposition="middle right",
                textfont=dict(size=10),
                marker=dict(size=9, color=colour(pid)),
                name=_name(pid, language),
                customdata=b["custom"],
                cliponaxis=False,
                hovertemplate=(
                    "<b>%{customdata[0]} %{customdata[4]}</b><br>%{customdata[1]}: "
                    "%{customdata[2]}<br>"
                    + _t("hover.theme", language)
                    + ": %{customdata[3]}<extra></extra>"
                ),
                meta={"kind": "items", "platform": pid},
            )
        )
    if more["x"]:
        fig.add_trace(
            _trace(
                "scatter",
                **more,
                mode="text",
                textposition="bottom left",
                textfont=dict(size=10),
                showlegend=False,
                hoverinfo="skip",
                meta={"kind": "more"},
            )
        )
    fig.xaxis(
        **_BARE_AXIS,
        range=[-0.01, 7.01],
        tickmode="array",
        tickvals=[c + 0.5 for c in range(7)],
        ticktext=plotly_texts(i18n.t(f"weekday.{w}", language) for w in WEEKDAYS),
        side="top",
    )
    fig.yaxis(**_BARE_AXIS, range=[-weeks - 0.02, 0.02], showticklabels=False)
    header = plotly_text(_fmt_month(first, language))
    return fig.finish(
        "calendar_month",
        language,
        title,
        suffix=f" — {header}",
        height=120 * weeks + 110,
        margin=dict(t=120 if title else 80, l=10, r=10, b=10),
        legend=dict(y=1.0 + 40 / (120 * weeks)),
        meta={"month": header},
    )


def _items_by_day(
    cal_df: pd.DataFrame, first: dt.date, next_month: dt.date
) -> dict[dt.date, list[dict]]:
    """The calendar's items from `first` to before `next_month`, by day, in time order."""
    by_day: dict[dt.date, list[dict]] = {}
    if len(cal_df):
        inside = cal_df[(cal_df["date"] >= first) & (cal_df["date"] < next_month)]
        for record in inside.sort_values(["date", "time"], kind="stable").to_dict("records"):
            by_day.setdefault(record["date"], []).append(record)
    return by_day


def _off_days(
    skipped_df: pd.DataFrame | None, first: dt.date, next_month: dt.date
) -> dict[dt.date, str]:
    """The days from `first` to before `next_month` on which items were left out, with the
    first reason given (translated ``reason_label`` when there is one)."""
    off_days: dict[dt.date, str] = {}
    if skipped_df is not None and len(skipped_df):
        reasons = skipped_df.get(
            "reason_label", skipped_df.get("reason", pd.Series([""] * len(skipped_df)))
        )
        for day, reason in zip(skipped_df["date"], reasons):
            if first <= day < next_month:
                off_days.setdefault(day, str(reason))
    return off_days


def _day_cell(
    fig: Draft, day: dt.date, col: int, row: int, in_month: bool, off: str | None, language: str
) -> None:
    """One day of the month view: its cell (grey outside the month, pink on a day off), its
    number at the top left and, on a day off, the reason (shortened; the hover has it)."""
    fill = "#FFF0F0" if off is not None else "#FFFFFF" if in_month else "#F4F4F4"
    fig.shape(
        type="rect",
        xref="x",
        yref="y",
        x0=col,
        x1=col + 1,
        y0=-row - 1,
        y1=-row,
        line=dict(color="#D0D0D0", width=1),
        fillcolor=fill,
        layer="below",
    )
    at = dict(xref="x", yref="y", showarrow=False)
    colour_of_day = "#222222" if in_month else "#AAAAAA"
    fig.note(
        **at,
        x=col + 0.05,
        y=-row - 0.04,
        text=str(day.day),
        xanchor="left",
        yanchor="top",
        font=dict(size=12, color=colour_of_day),
    )
    if off is not None:
        fig.note(
            **at,
            x=col + 0.5,
            y=-row - 0.62,
            text=_wrap(_short(off, 40), 18),
            font=dict(size=10, color=BAD),
            hovertext=_t("calendar.skipped", language, reason=off),
        )


def timeline_chart(
    cal_df: pd.DataFrame,
    language: str = "vi",
    title: bool = False,
    renewals: pd.DataFrame | None = None,
) -> Figure:
    """The editorial calendar over the whole horizon (C12): one row per platform, one tick
    per dated item in the platform's colour; a diamond just above the row marks each date
    the platform's editorial plan is renewed (every 1 or 2 months). Gaps are holidays and
    blackout days. Input: :func:`workshop.schedule.expand` (``renewal_date`` column), or
    the renewals of :func:`workshop.schedule.renewal_dates`.
    """
    fig = Draft()
    platforms = list(dict.fromkeys(cal_df["platform"])) if len(cal_df) else []
    names = {p: _name(p, language) for p in platforms}
    row = {p: len(platforms) - 1 - i for i, p in enumerate(platforms)}  # first on top
    for pid in platforms:
        sub = cal_df[cal_df["platform"] == pid]
        fig.add_trace(
            _trace(
                "scatter",
                x=[pd.Timestamp(d) for d in sub["date"]],
                y=[row[pid]] * len(sub),
                mode="markers",
                name=names[pid],
                marker=dict(
                    symbol="line-ns-open",
                    size=18,
                    line=dict(width=2, color=colour(pid)),
                    color=colour(pid),
                ),
                customdata=[
                    plotly_texts([_fmt_date(d, language), t, c, th or "—"]) + [names[pid]]
                    for d, t, c, th in zip(
                        sub["date"], sub["time"], sub["content_type_label"], sub["theme"]
                    )
                ],
                hovertemplate=(
                    "<b>%{customdata[0]} %{customdata[1]}</b><br>%{customdata[4]}: "
                    "%{customdata[2]}<br>"
                    + _t("hover.theme", language)
                    + ": %{customdata[3]}<extra></extra>"
                ),
                showlegend=False,
                meta={"kind": "items", "platform": pid},
            )
        )
    if renewals is not None and len(renewals):
        rd = renewals[["platform", "renewal_date"]]
    elif len(cal_df) and "renewal_date" in cal_df.columns:
        rd = cal_df[["platform", "renewal_date"]].drop_duplicates()
    else:
        rd = pd.DataFrame(columns=["platform", "renewal_date"])
    rd = rd[rd["platform"].isin(platforms)]
    if len(rd):
        fig.add_trace(
            _trace(
                "scatter",
                x=[pd.Timestamp(d) for d in rd["renewal_date"]],
                y=[row[p] + 0.36 for p in rd["platform"]],
                mode="markers",
                name=_t("timeline.renewal", language),
                marker=dict(symbol="diamond", size=9, color="#333333"),
                customdata=[
                    [plotly_text(_fmt_date(d, language)), names[p]]
                    for d, p in zip(rd["renewal_date"], rd["platform"])
                ],
                hovertemplate=(
                    "%{customdata[1]}<br>"
                    + _t("timeline.renewal", language)
                    + ": %{customdata[0]}<extra></extra>"
                ),
                meta={"kind": "renewal"},
            )
        )
    if len(cal_df):
        start, end = min(cal_df["date"]), max(cal_df["date"])
        ticks, d = [], dt.date(start.year, start.month, 1)
        while d <= end:
            ticks.append(d)
            d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        step = 1 if len(ticks) <= 12 else 2 if len(ticks) <= 24 else 3
        ticks = ticks[::step]
        fig.xaxis(
            tickmode="array",
            tickvals=[pd.Timestamp(t) for t in ticks],
            ticktext=_month_ticks(ticks, language),
            tickangle=0,
            range=[
                pd.Timestamp(ticks[0]) - pd.Timedelta(days=3),
                pd.Timestamp(end) + pd.Timedelta(days=4),
            ],
        )
    fig.xaxis(title=dict(text=_t("axis.date", language)), showgrid=True, gridcolor="#EEEEEE")
    fig.yaxis(
        tickmode="array",
        tickvals=[row[p] for p in platforms],
        ticktext=[names[p] for p in platforms],
        range=[-0.6, len(platforms) - 0.3],
        automargin=True,
        ticks="",
        showgrid=False,
        zeroline=False,
    )
    return fig.finish("timeline", language, title, height=max(260, 64 * len(platforms) + 170))
