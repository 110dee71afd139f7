"""Step 2, capacity (C5-C7): the hours the chosen platforms need beside the hours the team
has, and the recommended set."""

from __future__ import annotations

from typing import Any

import pandas as pd

from workshop import i18n
from workshop.charts.figure import Draft, Figure, _trace
from workshop.charts.style import BAD, _get, _name, _t, colour
from workshop.markup import plotly_text

CAPACITY_BARGAP = 0.4


def capacity_chart(
    hours_df: pd.DataFrame, assessment: Any, language: str = "vi", title: bool = False
) -> Figure:
    """Hours per week the chosen platforms need (stacked, one colour per platform) beside the
    hours the team has (C7). A dashed line marks the hours available across the chart; when
    the need is over it, the excess is shaded red and labelled. A whisker on the stack shows
    the low-high effort range. Inputs: :func:`workshop.capacity.hours_needed` and
    :func:`workshop.capacity.assess`.
    """
    available = float(_get(assessment, "hours_available", 0.0))
    needed_total = float(
        _get(assessment, "hours_needed", hours_df["total_hours"].sum() if len(hours_df) else 0.0)
    )
    verdict = _get(assessment, "verdict", "fits")
    x_need, x_have = _t("capacity.needed", language), _t("capacity.available", language)
    h_unit = _t("unit.hours_week", language)
    fig = Draft()
    for _, row in hours_df.iterrows():
        pid = str(row["id"])
        name = _name(pid, language)
        fig.add_trace(
            _trace(
                "bar",
                x=[x_need],
                y=[float(row["total_hours"])],
                name=name,
                marker=dict(color=colour(pid), line=dict(color="white", width=1)),
                customdata=[
                    [
                        float(row["content_hours"]),
                        float(row["community_hours"]),
                        float(row["posts_per_week"]),
                    ]
                ],
                hovertemplate=(
                    "<b>"
                    + name
                    + "</b><br>"
                    + _t("hover.total", language)
                    + ": %{y:.1f} "
                    + h_unit
                    + "<br>"
                    + _t("hover.content", language)
                    + ": %{customdata[0]:.1f}<br>"
                    + _t("hover.community", language)
                    + ": %{customdata[1]:.1f}<br>"
                    + _t("hover.posts", language)
                    + ": %{customdata[2]:.1f}<extra></extra>"
                ),
                meta={"kind": "needed", "platform": pid},
            )
        )
    fig.add_trace(
        _trace(
            "bar",
            x=[x_have],
            y=[available],
            name=x_have,
            showlegend=False,
            marker=dict(color="#BDBDBD"),
            hovertemplate=x_have + ": %{y:.1f} " + h_unit + "<extra></extra>",
            meta={"kind": "available"},
        )
    )
    if len(hours_df):
        low = float(hours_df["total_hours_low"].sum())
        high = float(hours_df["total_hours_high"].sum())
        fig.add_trace(
            _trace(
                "scatter",
                x=[x_need],
                y=[needed_total],
                mode="markers",
                marker=dict(size=1, color="#333333"),
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=[max(high - needed_total, 0)],
                    arrayminus=[max(needed_total - low, 0)],
                    color="#333333",
                    width=12,
                    thickness=1.5,
                ),
                customdata=[[low, high]],
                showlegend=False,
                hovertemplate=(
                    _t("hover.range", language) + ": %{customdata[0]:.1f}–"
                    "%{customdata[1]:.1f} " + h_unit + "<extra></extra>"
                ),
                meta={"kind": "range"},
            )
        )
    over = needed_total - available
    line_colour = BAD if verdict == "over" else "#444444"
    fig.hline(y=available, line=dict(color=line_colour, width=2, dash="dash"))
    fig.note(
        x=1,
        xref="paper",
        xanchor="right",
        y=available,
        yanchor="bottom",
        text=_t("capacity.available_line", language, hours=i18n.fmt_number(available, language, 1)),
        showarrow=False,
        font=dict(color=line_colour, size=13),
    )
    if over > 1e-9:
        half = (1 - CAPACITY_BARGAP) / 2
        fig.shape(
            type="rect",
            xref="x",
            yref="y",
            x0=-half,
            x1=half,
            y0=available,
            y1=needed_total,
            fillcolor="rgba(214,39,40,0.12)",
            line=dict(color=BAD, width=3),
            layer="above",
        )
        fig.note(
            x=half,
            xref="x",
            xanchor="left",
            xshift=8,
            y=(available + needed_total) / 2,
            yanchor="middle",
            text="<b>"
            + _t("capacity.over_label", language, hours=i18n.fmt_number(over, language, 1))
            + "</b>",
            showarrow=False,
            font=dict(color=BAD, size=14),
        )
    top = max(
        needed_total,
        available,
        float(hours_df["total_hours_high"].sum()) if len(hours_df) else 0.0,
        1.0,
    )
    fig.yaxis(
        title=dict(text=_t("axis.hours_week", language)),
        range=[0, top * 1.18],
        rangemode="tozero",
    )
    fig.xaxis(categoryorder="array", categoryarray=[x_need, x_have])
    return fig.finish("capacity", language, title, barmode="stack", bargap=CAPACITY_BARGAP)


def recommend_chart(rec_df: pd.DataFrame, language: str = "vi", title: bool = False) -> Figure:
    """The recommended set (C6, C7): hours per week of each considered platform, best fit at
    the top; included platforms in their colour, the others grey with the reason in the
    hover. Input: :func:`workshop.capacity.recommend`.
    """
    df = rec_df.reset_index(drop=True).iloc[::-1]
    names = [_name(p, language) for p in df["id"]]
    included = [bool(x) for x in df["included"]]
    fig = Draft()
    for flag, key in ((True, "recommend.included"), (False, "recommend.left_out")):
        idx = [i for i, f in enumerate(included) if f == flag]
        fig.add_trace(
            _trace(
                "bar",
                y=[names[i] for i in idx],
                x=[float(df["hours"].iloc[i]) for i in idx],
                orientation="h",
                name=_t(key, language),
                marker=dict(
                    color=[colour(str(df["id"].iloc[i])) if flag else "#C7C7C7" for i in idx]
                ),
                customdata=[plotly_text(df["reason"].iloc[i]) for i in idx],
                hovertemplate="<b>%{y}</b><br>%{x:.1f} "
                + _t("unit.hours_week", language)
                + "<br>%{customdata}<extra></extra>",
                meta={"kind": "included" if flag else "left_out"},
            )
        )
    fig.yaxis(categoryorder="array", categoryarray=names, automargin=True, ticks="")
    fig.xaxis(title=dict(text=_t("axis.hours_week", language)), rangemode="tozero")
    height = max(320, 30 * len(df) + 150)
    return fig.finish("recommend", language, title, barmode="overlay", height=height)
