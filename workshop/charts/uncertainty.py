"""Step 4, how sure (C5): the chance of having broken even by each month, from the plan's
simulation (:func:`workshop.roi.break_even_distribution`), read as "by month 12: 79 %";
the same chances as 20 dots, one per 20 cases (:func:`break_even_dots_chart`); and the fan's outer and inner bands drawn by :func:`workshop.charts.roi.scenario_chart`."""

from __future__ import annotations

import pandas as pd

from workshop import i18n, roi
from workshop.charts.figure import Draft, Figure, _trace
from workshop.charts.style import SCENARIO_COLOURS, _month_axis, _month_labels, _t


def break_even_chance_chart(
    share: pd.Series, proj_df: pd.DataFrame, language: str = "vi", title: bool = False
) -> Figure:
    """The share of simulated cases that have broken even by each month (break-even as the
    toolkit defines it: from that month on the cumulative return stays at or above zero, so
    the curve never falls), 0-100 %, with the last month's share written above the plot.
    Inputs: :func:`workshop.roi.break_even_distribution` (index month 1..H) and the plan's
    projection (its ``month`` and ``month_start`` give the axis labels).
    """
    months = [int(m) for m in share.index]
    y = [float(v) for v in share.to_numpy()]
    axis_df = proj_df[proj_df["month"].isin(months)]
    fig = Draft(
        _trace(
            "scatter",
            x=months,
            y=y,
            mode="lines+markers",
            line=dict(color=SCENARIO_COLOURS["expected"], width=3, shape="hv"),
            marker=dict(size=5),
            fill="tozeroy",
            fillcolor="rgba(15, 118, 110, 0.12)",
            name=_t("break_even_chance.name", language),
            customdata=_month_labels(axis_df, language),
            hovertemplate=_t("break_even_chance.name", language)
            + ": %{y:.0%}<extra>%{customdata}</extra>",
            meta={"kind": "break_even_chance"},
            showlegend=False,
        )
    )
    if months:
        fig.note(
            x=1,
            xref="paper",
            xanchor="right",
            y=1,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            font=dict(size=13),
            text=_t(
                "break_even_chance.note",
                language,
                month=months[-1],
                share=i18n.fmt_percent(y[-1], language, digits=0),
            ),
        )
    fig.xaxis(**_month_axis(axis_df, language))
    fig.yaxis(
        title=dict(text=_t("axis.break_even_chance", language)),
        tickformat=".0%",
        range=[0, 1.05],
    )
    return fig.finish("break_even_chance", language, title, margin=dict(t=96 if title else 50))


NEVER_COLOUR = "#9CA3AF"  # dots that do not break even within the horizon


def break_even_dots_chart(
    share: pd.Series, proj_df: pd.DataFrame, language: str = "vi", title: bool = False
) -> Figure:
    """A quantile dotplot of the break-even month: 20 dots, each one in 20 simulated cases
    (:func:`workshop.roi.break_even_dots`), stacked over the month in which that case breaks
    even, and a last column "not within the horizon" for the cases that do not. Inputs as
    :func:`break_even_chance_chart`; the dots by a month are that chart's share rounded to
    the nearest 5 %.
    """
    dots = roi.break_even_dots(share)
    months = [int(m) for m in share.index]
    horizon = max(months) if months else 0
    never_x = horizon + 2
    xs, ys, colours, labels = [], [], [], []
    height: dict[int, int] = {}
    names = dict(zip(proj_df["month"].astype(int), _month_labels(proj_df, language)))
    never = _t("break_even_dots.never", language, months=horizon)
    for month in dots:
        x = never_x if month is None else month
        height[x] = height.get(x, 0) + 1
        xs.append(x)
        ys.append(height[x])
        colours.append(NEVER_COLOUR if month is None else SCENARIO_COLOURS["expected"])
        labels.append(never if month is None else names.get(month, str(month)))
    tallest = max(height.values(), default=1)
    size = 13 if tallest <= 10 else max(6, 130 // tallest)  # a tall stack keeps its dots apart
    fig = Draft(
        _trace(
            "scatter",
            x=xs,
            y=ys,
            mode="markers",
            marker=dict(size=size, color=colours, line=dict(width=1, color="#FFFFFF")),
            name=_t("break_even_dots.name", language),
            customdata=labels,
            hovertemplate="%{customdata}<extra></extra>",
            meta={"kind": "break_even_dots"},
            showlegend=False,
        )
    )
    within = sum(1 for m in dots if m is not None)
    fig.note(
        x=0,
        xref="paper",
        xanchor="left",
        y=1,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        align="left",
        font=dict(size=13),
        text=_t("break_even_dots.note", language, n=within, dots=len(dots), months=horizon),
    )
    axis_df = proj_df[proj_df["month"].isin(months)]
    axis = _month_axis(axis_df, language)
    axis["tickvals"] = [*axis["tickvals"], never_x]
    axis["ticktext"] = [*axis["ticktext"], _t("break_even_dots.never_tick", language)]
    axis["range"] = [0.4, never_x + 0.8] if months else None
    fig.xaxis(**axis)
    fig.yaxis(visible=False, range=[0, max(tallest, 5) + 1])
    return fig.finish(
        "break_even_dots", language, title, height=320, margin=dict(t=110 if title else 64)
    )


def filled_band(
    fig: Draft, mc_df: pd.DataFrame, low: str, high: str, name: str, alpha: float, language: str
) -> None:
    """A band between the columns `low` and `high` of a Monte Carlo frame: an invisible
    upper edge, then the lower edge filled up to it (the hover gives both ends; each trace's
    ``meta.kind`` is its percentile, e.g. ``p90``)."""
    x = [int(m) for m in mc_df["month"]]
    top = mc_df[high].astype(float)
    edge = dict(x=x, mode="lines", line=dict(width=0))
    kind = {c: c.rsplit("_", 1)[-1] for c in (low, high)}
    fig.add_trace(
        _trace(
            "scatter",
            **edge,
            y=top.tolist(),
            showlegend=False,
            hoverinfo="skip",
            meta={"kind": kind[high]},
        )
    )
    fig.add_trace(
        _trace(
            "scatter",
            **edge,
            y=mc_df[low].astype(float).tolist(),
            fill="tonexty",
            fillcolor=f"rgba(31,119,180,{alpha})",
            name=name,
            customdata=[[lbl, h] for lbl, h in zip(_month_labels(mc_df, language), top)],
            hovertemplate=name + ": %{y:.0%} – %{customdata[1]:.0%}<extra>%{customdata[0]}</extra>",
            meta={"kind": kind[low]},
        )
    )


def _fan(fig: Draft, mc_df: pd.DataFrame, metric: str, language: str, band: tuple) -> None:
    """The fan's outer 90 % (p5-p95) or inner 50 % (p25-p75) band of the cumulative ROI,
    when the Monte Carlo frame has its columns: lighter outside, darker inside, drawn around
    the 80 % band of ``charts.roi._band``."""
    lo, hi, alpha, share = band
    if metric != "cum_roi" or not {f"roi_p{lo}", f"roi_p{hi}"} <= set(mc_df.columns):
        return
    name = _t("scenario.fan", language, share=share)
    filled_band(fig, mc_df, f"roi_p{lo}", f"roi_p{hi}", name, alpha, language)
