"""Step 4, ROI (C5, C8, C9): followers, the funnel, gross profit against cost, cumulative
ROI with the break-even month, the three scenarios with the Monte Carlo band, and the
sensitivity tornado."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from workshop import i18n
from workshop.charts.figure import Draft, Figure, _trace
from workshop.charts.style import (
    BAD,
    GOOD,
    SCENARIO_COLOURS,
    _currency_symbol,
    _get,
    _legend_bottom,
    _money_list,
    _month_axis,
    _month_labels,
    _month_name,
    _name,
    _pct_format,
    _t,
    colour,
)
from workshop.charts.uncertainty import _fan, filled_band
from workshop.markup import plotly_text, plotly_texts
from workshop.roi import SCENARIOS, SPEC_BY_KEY, format_value


def _follower_columns(proj_df: pd.DataFrame) -> list[str]:
    return [c for c in proj_df.columns if c.startswith("followers_")]


def audience_chart(proj_df: pd.DataFrame, language: str = "vi", title: bool = False) -> Figure:
    """Followers per platform month by month, stacked areas in the platforms' colours (C8:
    the fan base has to grow). Input: :func:`workshop.roi.project`.
    """
    fig = Draft()
    x = [int(m) for m in proj_df["month"]]
    labels = _month_labels(proj_df, language)
    unit = _t("unit.followers", language)
    for col in _follower_columns(proj_df):
        pid = col[len("followers_") :]
        name = _name(pid, language)
        fig.add_trace(
            _trace(
                "scatter",
                x=x,
                y=proj_df[col].astype(float).tolist(),
                name=name,
                mode="lines",
                stackgroup="followers",
                line=dict(width=1, color=colour(pid)),
                fillcolor=colour(pid),
                customdata=labels,
                hovertemplate=name + ": %{y:,.0f} " + unit + "<extra>%{customdata}</extra>",
                meta={"kind": "followers", "platform": pid},
            )
        )
    fig.xaxis(**_month_axis(proj_df, language))
    fig.yaxis(title=dict(text=_t("axis.followers", language)), rangemode="tozero", tickformat=",~f")
    return fig.finish("audience", language, title, hovermode="x unified")


def funnel_chart(proj_df: pd.DataFrame, language: str = "vi", title: bool = False) -> Figure:
    """Leads and new customers per month from organic reach (C9). Input:
    :func:`workshop.roi.project` (columns leads, customers).
    """
    series = (("leads", "funnel.leads", "#9ECAE1"), ("customers", "funnel.customers", "#08519C"))
    return _monthly_bars(proj_df, language, title, "funnel", series, None)


def revenue_cost_chart(
    proj_df: pd.DataFrame, language: str = "vi", currency: str = "VND", title: bool = False
) -> Figure:
    """Gross profit (revenue × margin) against cost (work + tools + ads), month by month.
    Input: :func:`workshop.roi.project` (columns gross_profit, cost). Money in `currency`.
    """
    series = (("gross_profit", "money.gross_profit", GOOD), ("cost", "money.cost", BAD))
    return _monthly_bars(proj_df, language, title, "revenue_cost", series, currency)


def _monthly_bars(
    proj_df: pd.DataFrame,
    language: str,
    title: bool,
    name: str,
    series: tuple[tuple[str, str, str], ...],
    currency: str | None,
) -> Figure:
    """Bars of a few columns of the projection side by side, month by month: `series` is
    (column, catalogue key of its name, colour) each. With a `currency` the values are money
    (the hover shows them formatted, the bars are slightly transparent); else numbers."""
    x = [int(m) for m in proj_df["month"]]
    labels = _month_labels(proj_df, language)
    fig = Draft()
    for col, key, col_colour in series:
        label = _t(key, language)
        values = proj_df[col].astype(float).tolist()
        if currency:
            marker = dict(color=col_colour, opacity=0.85)
            money = _money_list(values, currency, language)
            custom: list[Any] = [[lbl, m] for lbl, m in zip(labels, money)]
            hover = label + ": %{customdata[1]}<extra>%{customdata[0]}</extra>"
        else:
            marker, custom = dict(color=col_colour), labels
            hover = label + ": %{y:,.1f}<extra>%{customdata}</extra>"
        fig.add_trace(
            _trace(
                "bar",
                x=x,
                y=values,
                name=label,
                marker=marker,
                customdata=custom,
                hovertemplate=hover,
                meta={"kind": col},
            )
        )
    fig.xaxis(**_month_axis(proj_df, language))
    if currency:
        symbol = _currency_symbol(currency, language)
        axis_title = _t("axis.money_month", language, currency=symbol)
    else:
        axis_title = _t("axis.per_month", language)
    fig.yaxis(title=dict(text=axis_title), rangemode="tozero", tickformat=",~f")
    return fig.finish(name, language, title, barmode="group", bargap=0.25, hovermode="x unified")


def roi_chart(
    proj_df: pd.DataFrame, summary: Any = None, language: str = "vi", title: bool = False
) -> Figure:
    """Cumulative ROI month by month, ``(cumulative gross profit − cumulative cost) /
    cumulative cost``, with the zero line and the break-even month (first month from which
    it stays ≥ 0, per :func:`workshop.roi.summary`) marked by a vertical line and a note.
    Input: :func:`workshop.roi.project` (column cum_roi, a fraction) and the summary.
    """
    x = [int(m) for m in proj_df["month"]]
    y = proj_df["cum_roi"].astype(float).tolist()
    labels = _month_labels(proj_df, language)
    fig = Draft(
        _trace(
            "scatter",
            x=x,
            y=y,
            mode="lines+markers",
            name=_t("roi.cum_roi", language),
            line=dict(color=SCENARIO_COLOURS["expected"], width=3),
            marker=dict(size=6),
            customdata=labels,
            hovertemplate=_t("roi.cum_roi", language) + ": %{y:.0%}<extra>%{customdata}</extra>",
            meta={"kind": "cum_roi"},
            showlegend=False,
        )
    )
    fig.hline(y=0, line=dict(color="#444444", width=1))
    be = _get(summary, "break_even_month") if summary is not None else None
    above = dict(y=1, yref="paper", yanchor="bottom", showarrow=False)  # notes over the plot
    if be is not None and not (isinstance(be, float) and math.isnan(be)):
        be = int(be)
        label = _month_name(proj_df, be, language)  # escaped once, by _t
        fig.vline(x=be, line=dict(color=GOOD, width=2, dash="dash"))
        right_half = x and be > (min(x) + max(x)) / 2
        fig.note(
            **above,
            x=be,
            xanchor="right" if right_half else "left",
            xshift=-4 if right_half else 4,
            font=dict(color=GOOD, size=13),
            text=_t("roi.break_even", language, month=be, label=label),
        )
    else:
        fig.note(
            **above,
            x=1,
            xref="paper",
            xanchor="right",
            font=dict(color=BAD, size=13),
            text=_t("roi.no_break_even", language),
        )
    fig.xaxis(**_month_axis(proj_df, language))
    fig.yaxis(
        title=dict(text=_t("axis.cum_roi", language)),
        tickformat=_pct_format(y),
        zeroline=False,
    )
    return fig.finish("roi", language, title, margin=dict(t=96 if title else 50))


def scenario_chart(
    scen_df: pd.DataFrame,
    mc_df: pd.DataFrame | None = None,
    language: str = "vi",
    title: bool = False,
    metric: str = "cum_roi",
) -> Figure:
    """Cumulative ROI of the three scenarios (conservative, central, optimistic: the
    simulated paths at the 10th, 50th and 90th percentile) in front of the Monte Carlo fan:
    the 90 % (p5-p95), 80 % (p10-p90) and 50 % (p25-p75) bands, darker towards the middle
    (the outer and inner bands when the frame has their columns). Inputs: :func:`workshop.roi.scenarios` (long, column
    scenario) and :func:`workshop.roi.monte_carlo` (columns ``<metric>_p10/_p50/_p90``,
    or ``p10/p50/p90``).
    """
    fig = Draft()
    if mc_df is not None and len(mc_df):
        _fan(fig, mc_df, metric, language, (5, 95, 0.08, "90"))
        _band(fig, mc_df, metric, language)
        _fan(fig, mc_df, metric, language, (25, 75, 0.22, "50"))
    dash = {"conservative": "dot", "expected": "solid", "optimistic": "dash"}
    for sc in SCENARIOS:
        sub = scen_df[scen_df["scenario"] == sc]
        if not len(sub):
            continue
        name = plotly_text(i18n.label("scenario", sc, language))
        fig.add_trace(
            _trace(
                "scatter",
                x=[int(m) for m in sub["month"]],
                y=sub[metric].astype(float).tolist(),
                mode="lines",
                name=name,
                line=dict(
                    color=SCENARIO_COLOURS[sc], width=3 if sc == "expected" else 2, dash=dash[sc]
                ),
                customdata=_month_labels(sub, language),
                hovertemplate=name + ": %{y:.0%}<extra>%{customdata}</extra>",
                meta={"kind": "scenario", "scenario": sc},
            )
        )
    fig.hline(y=0, line=dict(color="#444444", width=1))
    base = scen_df if len(scen_df) else mc_df
    if base is not None and len(base):
        fig.xaxis(**_month_axis(base.drop_duplicates("month").sort_values("month"), language))
    yaxis = dict(title=dict(text=_t("axis.cum_roi", language)), tickformat=".0%", zeroline=False)
    focus = _scenario_focus(scen_df, mc_df, metric)
    if focus is not None:
        # The optimistic scenario takes every favourable end at once and can dwarf the
        # band; keep the band readable and say where the line goes (the value is shown).
        low, high, peak, month = focus
        pad = 0.1 * (high - low or 1.0)
        yaxis["range"] = [low - 1.5 * pad, high + pad]  # room for the note at the bottom
        fig.note(
            x=1,
            xref="paper",
            y=0.01,
            yref="paper",
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font=dict(size=12, color=SCENARIO_COLOURS["optimistic"]),
            text=_t(
                "scenario.off_chart",
                language,
                name=i18n.label("scenario", "optimistic", language),
                value=i18n.fmt_percent(peak, language, 0),
                month=month,
            ),
        )
    fig.yaxis(**yaxis)
    return fig.finish("scenario", language, title, hovermode="x unified")


def _band(fig: Draft, mc_df: pd.DataFrame, metric: str, language: str) -> None:
    """The Monte Carlo p10-p90 band (80 % of the simulated paths)."""
    cols = _band_columns(mc_df, metric)
    filled_band(fig, mc_df, cols[0], cols[2], _t("scenario.band", language), 0.16, language)


def _scenario_focus(
    scen_df: pd.DataFrame, mc_df: pd.DataFrame | None, metric: str
) -> tuple[float, float, float, int] | None:
    """(low, high, optimistic peak, its month) when the optimistic line rises more than
    twice as far above zero as everything else (band, expected, conservative); else None."""
    opt = scen_df[scen_df["scenario"] == "optimistic"]
    rest = scen_df[scen_df["scenario"] != "optimistic"][metric].astype(float).tolist()
    if mc_df is not None and len(mc_df):
        cols = _band_columns(mc_df, metric)
        rest += mc_df[cols[0]].astype(float).tolist() + mc_df[cols[2]].astype(float).tolist()
    if not len(opt) or not rest:
        return None
    values = opt[metric].astype(float)
    peak = float(values.max())
    low, high = min(rest + [0.0]), max(rest + [0.0])
    if peak <= max(2 * high, high + 1.0):
        return None
    month = int(opt["month"].iloc[int(values.to_numpy().argmax())])
    return low, high, peak, month


def _band_columns(mc_df: pd.DataFrame, metric: str) -> tuple[str, str, str]:
    prefixes = [f"{metric}_"] + (["roi_"] if metric == "cum_roi" else []) + [""]
    for prefix in prefixes:
        cols = tuple(f"{prefix}p{q}" for q in (10, 50, 90))
        if all(c in mc_df.columns for c in cols):
            return cols  # type: ignore[return-value]
    raise KeyError(f"no p10/p50/p90 columns for {metric!r} in {list(mc_df.columns)}")


def tornado_chart(
    sens_df: pd.DataFrame,
    language: str = "vi",
    base_roi: float | None = None,
    currency: str | None = None,
    title: bool = False,
) -> Figure:
    """Sensitivity (tornado): for each uncertain input, the ROI at the horizon when only that
    input is at its benchmark low or high (all others expected); the widest swing on top.

    With `base_roi` (the expected ROI at the horizon, ``roi.summary(plan).roi_at_horizon``)
    each bar starts at that base line and runs to the ROI with the input low (orange) or
    high (blue). Without it, each input gets one grey span from its lower to its higher
    ROI, with the two ends marked. Input values in the hover are formatted as rates, money
    (in `currency`) or numbers. Input: :func:`workshop.roi.sensitivity`.
    """
    df = sens_df.sort_values("swing", ascending=True, kind="stable")
    labels = plotly_texts(df["input_label"])
    shown = {c: _input_values(df, c, language, currency) for c in ("low_value", "high_value")}
    fig = Draft()
    if base_roi is not None:
        _tornado_from_base(fig, df, labels, shown, base_roi, language)
    else:
        _tornado_spans(fig, df, labels, shown, language)
    all_roi = (
        list(df["roi_low"]) + list(df["roi_high"]) + ([base_roi] if base_roi is not None else [])
    )
    fig.xaxis(title=dict(text=_t("axis.roi_horizon", language)), tickformat=_pct_format(all_roi))
    fig.yaxis(automargin=True, ticks="")
    legend = _legend_bottom(1, t=96 if title else 50)
    height = max(320, 36 * len(df) + 220)
    return fig.finish("tornado", language, title, barmode="overlay", height=height, **legend)


#: The tornado's two ends: (ROI column, input value column, catalogue key, colour).
_SIDES = (
    ("roi_low", "low_value", "tornado.low", "#F28E2B"),
    ("roi_high", "high_value", "tornado.high", "#4E79A7"),
)


def _input_values(df: pd.DataFrame, column: str, language: str, currency: str | None) -> list:
    """The inputs' values in `column`, formatted for the hover as rates, money (in
    `currency`; numbers without one) or numbers, by the input's kind in the ROI model."""
    out = []
    for key, value in zip(df["input"], df[column]):
        spec = SPEC_BY_KEY.get(str(key))
        kind = spec.kind if spec else "number"
        if kind == "money" and not currency:
            kind = "number"
        out.append(plotly_text(format_value(kind, float(value), language, currency or "")))
    return out


def _tornado_hover(name: str, value: str, roi: str, language: str) -> str:
    """Hover template of one end of a tornado bar: the input, the end's `name`, the input's
    value and the ROI at the horizon (`value` and `roi`: plotly template references)."""
    short = _t("axis.roi_horizon_short", language)
    return f"<b>%{{y}}</b><br>{name} (%{{{value}}}): {short} %{{{roi}:.0%}}<extra></extra>"


def _tornado_from_base(
    fig: Draft, df: pd.DataFrame, labels: list, shown: dict, base_roi: float, language: str
) -> None:
    """Bars from the base ROI to the ROI with each input low and high, the base line named."""
    for col, val_col, key, col_colour in _SIDES:
        values = df[col].astype(float)
        name = _t(key, language)
        fig.add_trace(
            _trace(
                "bar",
                y=labels,
                x=(values - base_roi).tolist(),
                base=[base_roi] * len(df),
                orientation="h",
                name=name,
                marker=dict(color=col_colour),
                customdata=[[float(v), s] for v, s in zip(values, shown[val_col])],
                hovertemplate=_tornado_hover(name, "customdata[1]", "customdata[0]", language),
                meta={"kind": col},
            )
        )
    fig.vline(x=base_roi, line=dict(color="#333333", width=1.5))
    fig.note(
        x=base_roi,
        y=1,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        text=_t("tornado.base", language, roi=i18n.fmt_percent(base_roi, language, 0)),
        font=dict(size=12),
    )


def _tornado_spans(fig: Draft, df: pd.DataFrame, labels: list, shown: dict, language: str) -> None:
    """One grey span per input from its lower to its higher ROI, both ends marked."""
    lo = df[["roi_low", "roi_high"]].min(axis=1).astype(float)
    hi = df[["roi_low", "roi_high"]].max(axis=1).astype(float)
    fig.add_trace(
        _trace(
            "bar",
            y=labels,
            x=(hi - lo).tolist(),
            base=lo.tolist(),
            orientation="h",
            marker=dict(color="#D9D9D9"),
            showlegend=False,
            hoverinfo="skip",
            meta={"kind": "span"},
        )
    )
    for col, val_col, key, col_colour in _SIDES:
        name = _t(key, language)
        tick = dict(
            color=col_colour, size=12, symbol="line-ns", line=dict(width=4, color=col_colour)
        )
        fig.add_trace(
            _trace(
                "scatter",
                y=labels,
                x=df[col].astype(float).tolist(),
                mode="markers",
                name=name,
                marker=tick,
                customdata=shown[val_col],
                hovertemplate=_tornado_hover(name, "customdata", "x", language),
                meta={"kind": col},
            )
        )
