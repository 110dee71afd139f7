"""Figure builders: pure functions from a model's DataFrame (or plan) to a plotly ``go.Figure``.

Every builder ends in ``_chart``, takes the output of one step model plus a ``language``
("vi" or "en"), and returns a new :class:`plotly.graph_objects.Figure`. Builders never
display anything, never read or write files and are deterministic (same input, same
figure), so the same call works in a static notebook cell, inside a widget's ``Output`` and
in the papermill client report. Tests check the figure *data* (``fig.data[i].y``), not
pixels.

One shared style (:func:`base_layout`): the ``simple_white`` look, a readable font that
has Vietnamese diacritics, the legend above the plot area (never over data or axis labels),
one colour per platform (:data:`PLATFORM_COLOURS`), the language's number separators
(vi ``1.234,5``; en ``1,234.5``: plotly's ``separators``), axis titles and hover texts from
the catalogue (``workshop/locales/<lang>/charts.yaml``, keys ``charts.*``). Figures carry no
headline title (the caption is the Markdown above the chart) unless ``title=True`` (a
standalone export).

Texts are data, labels are markup: plotly.js renders a subset of HTML in trace names, texts,
hover texts, tick labels, legends, annotations and titles, so every text that comes from a
model or a plan (platform, asset and content names, themes, reasons, holiday names, month
labels, values put into the catalogue's templates) goes through
:func:`workshop.markup.plotly_text` (``&``, ``<``, ``>`` escaped; plotly.js shows the
characters). Only the builders' own markup stays live: ``<b>``, ``<br>``, ``<extra>`` and
``%{...}`` in hover templates written here, the ``<br>`` of :func:`_wrap` and of the
catalogue's group labels (``charts.group.*``).

Month axes are plain month numbers 1..horizon with translated tick labels
(:func:`workshop.i18n.fmt_month`), because plotly's own date labels are English-only.
Traces carry ``meta`` dicts (``{"kind": ..., "platform": ...}``) so tests and the widget
layer can find a trace without relying on its translated name.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import math
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from workshop import i18n
from workshop.markup import Markup, plotly_text, plotly_texts

# --- One style for every figure ----------------------------------------------------------

FONT_FAMILY = "Noto Sans, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif"

#: Axis style of every figure: plotly's ``simple_white`` look (a dark axis line, ticks
#: outside, no grid), written out rather than used as a template, because applying a
#: plotly template costs 50-80 ms per figure and widgets redraw on every slider release.
AXIS: dict[str, Any] = dict(
    showline=True,
    linecolor="#242424",
    linewidth=1,
    ticks="outside",
    tickcolor="#242424",
    showgrid=False,
    zeroline=False,
    automargin=True,
    title=dict(standoff=12),
)

#: Layout shared by every figure (language-independent part; see :func:`base_layout`).
LAYOUT: dict[str, Any] = dict(
    template="none",
    paper_bgcolor="#FFFFFF",
    plot_bgcolor="#FFFFFF",
    xaxis=AXIS,
    yaxis=AXIS,
    font=dict(family=FONT_FAMILY, size=14, color="#222222"),
    margin=dict(t=56, l=70, r=30, b=60),
    # Legend in one row above the plot area: it never covers data or axis titles.
    legend=dict(
        orientation="h",
        yanchor="bottom",
        y=1.02,
        xanchor="left",
        x=0,
        font=dict(size=13),
        bgcolor="rgba(255,255,255,0)",
        traceorder="normal",
    ),
    hoverlabel=dict(font=dict(family=FONT_FAMILY, size=13)),
    height=440,
)

#: Decimal mark then thousands separator, plotly's ``layout.separators``.
SEPARATORS = {"vi": ",.", "en": ".,"}

#: One colour per platform id, used by every chart (brand-like, kept distinguishable).
PLATFORM_COLOURS: dict[str, str] = {
    "facebook": "#1877F2",  # blue
    "instagram": "#C13584",  # magenta
    "linkedin": "#0A3D7A",  # dark blue
    "youtube": "#E62117",  # red
    "x": "#111111",  # black
    "tiktok": "#00A39A",  # teal
    "pinterest": "#9C1C3B",  # raspberry
    "threads": "#8A8A8A",  # grey
    "zalo_oa": "#00A8E8",  # blue-cyan
    "telegram": "#5C6BC0",  # indigo
    "whatsapp_business": "#25A244",  # green
    "snapchat": "#E5B800",  # dark yellow
}
#: Colours of the communication plan's non-platform channels (C11).
CHANNEL_COLOURS: dict[str, str] = {
    "website": "#8C6D31",
    "newsletter": "#9467BD",
    "ads": "#FF7F0E",
    "blog": "#8C564B",
    "email": "#7F8C1F",
    "offline": "#7F7F7F",
}
#: Colours of the asset-fit factors (workshop.platforms.FIT_WEIGHTS order).
FACTOR_COLOURS = ("#4C78A8", "#F58518", "#54A24B", "#B279A2", "#72B7B2", "#D4A017")
#: Colours of the three ROI scenarios.
SCENARIO_COLOURS = {"conservative": "#D62728", "expected": "#1F77B4", "optimistic": "#2CA02C"}
GOOD, BAD, NEUTRAL, LIGHT = "#2CA02C", "#D62728", "#7F7F7F", "#E5E5E5"
#: Brand names used when the catalogue has no ``platform.<id>`` label.
PLATFORM_NAMES = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "youtube": "YouTube",
    "x": "X",
    "tiktok": "TikTok",
    "pinterest": "Pinterest",
    "threads": "Threads",
    "zalo_oa": "Zalo OA",
    "telegram": "Telegram",
    "whatsapp_business": "WhatsApp Business",
    "snapchat": "Snapchat",
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SCENARIOS = ("conservative", "expected", "optimistic")


@lru_cache(maxsize=4096)
def _fmt_month(day: dt.date, language: str) -> str:
    """:func:`workshop.i18n.fmt_month`, cached (babel formatting is slow for redraws)."""
    return i18n.fmt_month(day, language)


@lru_cache(maxsize=8192)
def _fmt_date(day: dt.date, language: str) -> str:
    """:func:`workshop.i18n.fmt_date`, cached."""
    return i18n.fmt_date(day, language)


def _t(key: str, language: str, **values: Any) -> str:
    """A chart text of the catalogue; the values put into it are escaped for plotly."""
    return i18n.t(
        f"charts.{key}",
        language,
        **{k: plotly_text(v) if isinstance(v, str) else v for k, v in values.items()},
    )


def _name(pid: Any, language: str) -> str:
    """:func:`platform_name` escaped for a plotly label."""
    return plotly_text(platform_name(str(pid), language))


def colour(key: str) -> str:
    """The colour of a platform or channel id (grey for anything unknown)."""
    return PLATFORM_COLOURS.get(key) or CHANNEL_COLOURS.get(key) or NEUTRAL


def platform_name(pid: str, language: str, short: bool = True) -> str:
    """Display name of a platform id for a chart.

    Short (default, for axes and legends): the catalogue's channel name (``channel.<id>``,
    e.g. "Zalo OA"); long: ``platform.<id>`` ("Zalo Official Account (Zalo OA)"); else the
    brand name of :data:`PLATFORM_NAMES`.
    """
    for key in (f"channel.{pid}", f"platform.{pid}") if short else (f"platform.{pid}",):
        if i18n.has(key, language):
            return i18n.t(key, language)
    return PLATFORM_NAMES.get(pid, str(pid))


def base_layout(language: str, title: str | None = None, **overrides: Any) -> dict[str, Any]:
    """The shared layout for `language`, with `title` (standalone exports only) and overrides.

    ``separators`` follow the language (vi ",." = decimal comma, thousands dot). With a
    title, the top margin grows so that title and legend never overlap.
    """
    layout = {k: (dict(v) if isinstance(v, dict) else v) for k, v in LAYOUT.items()}
    layout["separators"] = SEPARATORS.get(language, ".,")
    if title:
        layout["title"] = dict(
            text=title, x=0, xref="paper", xanchor="left", y=0.98, yanchor="top", font=dict(size=18)
        )
        layout["margin"] = {**layout["margin"], "t": 96}
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


# Builders collect traces, axis options, shapes and annotations in a draft and build the
# figure once (:func:`_finish`): plotly validates every update of an existing figure
# (``update_layout`` alone costs ~20 ms, ``add_vline`` ~6 ms), and a widget redraws several
# figures on every slider release. Built in one go, a figure costs a few milliseconds.


class _Draft:
    """Traces and layout parts of a figure being built (see :func:`_finish`)."""

    def __init__(self, traces: Sequence[Any] = ()):
        self.data: list[Any] = list(traces)
        self.parts: dict[str, Any] = {"xaxis": {}, "yaxis": {}, "shapes": [], "annotations": []}

    def add_trace(self, trace: Any) -> None:
        self.data.append(trace)


def _trace(kind: str, **props: Any) -> dict[str, Any]:
    """A trace as a plain dict (validated once, with the figure, in :func:`_finish`)."""
    return {"type": kind, **props}


def _figure(*traces: Any) -> _Draft:
    return _Draft(traces)


def _parts(fig: _Draft) -> dict[str, Any]:
    return fig.parts


def _merge(target: dict[str, Any], options: dict[str, Any]) -> None:
    for key, value in options.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key] = {**target[key], **value}
        else:
            target[key] = value


def _xaxis(fig: _Draft, **options: Any) -> None:
    _merge(_parts(fig)["xaxis"], options)


def _yaxis(fig: _Draft, **options: Any) -> None:
    _merge(_parts(fig)["yaxis"], options)


def _shape(fig: _Draft, **shape: Any) -> None:
    _parts(fig)["shapes"].append(shape)


def _note(fig: _Draft, **annotation: Any) -> None:
    _parts(fig)["annotations"].append(annotation)


def _hline(fig: _Draft, y: float, line: dict[str, Any]) -> None:
    """A horizontal line across the plot area at `y` (data units)."""
    _shape(fig, type="line", xref="paper", x0=0, x1=1, yref="y", y0=y, y1=y, line=line)


def _vline(fig: _Draft, x: Any, line: dict[str, Any]) -> None:
    """A vertical line over the plot area's height at `x` (data units)."""
    _shape(fig, type="line", yref="paper", y0=0, y1=1, xref="x", x0=x, x1=x, line=line)


def _finish(
    fig: _Draft, name: str, language: str, title: bool, suffix: str = "", **overrides: Any
) -> go.Figure:
    """The figure: the draft's traces with the shared layout, the builder's axes, shapes and
    annotations, validated once (or, inside :func:`spec`, the same as a :class:`FigureSpec`,
    not validated)."""
    text = (_t(f"{name}.title", language) + suffix) if title else None
    layout = base_layout(language, text, **overrides)
    parts = _parts(fig)
    for axis in ("xaxis", "yaxis"):
        merged = dict(layout.get(axis, AXIS))
        _merge(merged, parts[axis])
        layout[axis] = merged
    layout["shapes"] = parts["shapes"]
    layout["annotations"] = parts["annotations"]
    if _AS_SPEC.get():
        return FigureSpec(data=list(fig.data), layout=layout)  # type: ignore[return-value]
    return go.Figure(data=fig.data, layout=layout)


# --- Figures as plain data (widgets) ---------------------------------------------------------
# Validating a figure (``go.Figure(...)``) and serialising it back (``fig.to_dict()`` deep-
# copies it) is most of a widget redraw. A widget only needs the figure's JSON, so the
# panels build their figures with :func:`spec`: the same builder, the same traces and layout,
# without the validation round trip. ``FigureSpec.to_json_data()`` equals
# ``json.loads(pio.to_json(builder(...)))`` (tests/test_charts.py checks every builder).

_AS_SPEC: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "workshop_charts_spec", default=False
)


_ARRAY_PROPS = ("shapes", "annotations", "images", "sliders", "updatemenus", "selections")


@lru_cache(maxsize=8)
def _template_json(name: str) -> str:
    import plotly.io as pio

    return json.dumps(pio.templates[name].to_plotly_json())


class FigureSpec(dict):
    """A figure as plain data, ``{"data": [trace dicts], "layout": {...}}``, exactly what the
    builder would validate into a ``go.Figure``.

    :meth:`figure` builds (once) and returns that ``go.Figure``; :meth:`to_json_data` the
    figure's JSON as Python data (what ``json.loads(pio.to_json(figure))`` gives) without
    building it; :attr:`height` the layout height in pixels (None if unset).
    """

    _figure: go.Figure | None = None

    @property
    def height(self) -> Any:
        return self["layout"].get("height")

    def figure(self) -> go.Figure:
        if self._figure is None:
            self._figure = go.Figure(data=self["data"], layout=self["layout"])
        return self._figure

    def to_json_data(self) -> dict[str, Any]:
        import plotly.io as pio

        layout = {
            k: v
            for k, v in self["layout"].items()  # plotly drops empty arrays
            if not (k in _ARRAY_PROPS and isinstance(v, (list, tuple)) and not v)
        }
        if isinstance(layout.get("template"), str):  # plotly expands a named template
            layout["template"] = json.loads(_template_json(layout["template"]))
        return json.loads(pio.to_json({"data": self["data"], "layout": layout}, validate=False))


def spec(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> FigureSpec:
    """Call a builder of this module (``spec(timeline_chart, cal, "vi")``) and return its
    figure as a :class:`FigureSpec` (plain data, not validated) instead of a ``go.Figure``."""
    token = _AS_SPEC.set(True)
    try:
        result = builder(*args, **kwargs)
    finally:
        _AS_SPEC.reset(token)
    if isinstance(result, go.Figure):  # a builder that does not end in _finish
        js = result.to_plotly_json()
        out = FigureSpec(data=js["data"], layout=js["layout"])
        out._figure = result
        return out
    return result


def _legend_bottom(rows: int, **margin: int) -> dict[str, Any]:
    """Legend pinned to the bottom of the figure (below the x-axis title), and the margins
    (bottom grown for `rows` rows of entries): used where the top is taken by labels."""
    return dict(
        legend=dict(
            yref="container", y=0.0, yanchor="bottom", x=0, xanchor="left", orientation="h"
        ),
        margin={"b": 84 + 24 * rows, **margin},
    )


def _pct_format(values: Sequence[float]) -> str:
    """d3 format for a percentage axis: whole percents unless the values are very close."""
    vals = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    span = (max(vals) - min(vals)) if vals else 1.0
    return ".0%" if span >= 0.05 else ".1%" if span >= 0.005 else ".2%"


def _wrap(text: str, width: int = 14) -> str:
    """Break a text into lines of about `width` characters, each escaped for plotly, joined
    by plotly's ``<br>`` (the text is data: a ``<br>`` written in it stays text)."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "<br>".join(plotly_texts(lines))


def _short(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """An attribute of a dataclass/object or a key of a mapping (model summaries vary)."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    if isinstance(obj, pd.Series):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _month_axis(df: pd.DataFrame, language: str) -> dict[str, Any]:
    """x axis of month numbers with translated month labels (every 1, 2, 3 or 6 months)."""
    months = [int(m) for m in df["month"]]
    step = 1 if len(months) <= 12 else 2 if len(months) <= 24 else 3 if len(months) <= 36 else 6
    if "month_start" in df.columns:
        starts = [pd.Timestamp(d).date() for d in df["month_start"]][::step]
        labels = _month_ticks(starts, language)
    else:
        labels = [_t("month_n", language, n=m) for m in months][::step]
    return dict(
        tickmode="array",
        tickvals=months[::step],
        ticktext=labels,
        tickangle=0,
        title=dict(text=_t("axis.month", language)),
        range=[min(months) - 0.6, max(months) + 0.6] if months else None,
    )


def _month_ticks(starts: Sequence[dt.date], language: str) -> list[str]:
    """Short month tick labels, the year on a second line at the first tick and each
    January (vi "thg 3", en "Mar"; from :func:`workshop.i18n.fmt_month`)."""
    out = []
    for k, day in enumerate(starts):
        text = plotly_text(_fmt_month(day, language))
        head, _, year = text.rpartition(" ")
        if not head or not year.isdigit():
            out.append(text)
        elif k == 0 or day.month == 1:
            out.append(f"{head}<br>{year}")
        else:
            out.append(head)
    return out


def _month_labels(df: pd.DataFrame, language: str) -> list[str]:
    """Month labels for hover texts (escaped for plotly)."""
    if "month_start" in df.columns:
        return plotly_texts(_fmt_month(pd.Timestamp(d).date(), language) for d in df["month_start"])
    return [_t("month_n", language, n=int(m)) for m in df["month"]]


def _money_list(values: Sequence[float], currency: str, language: str) -> list[str]:
    return plotly_texts(i18n.fmt_money(float(v), currency, language) for v in values)


def _currency_symbol(currency: str, language: str) -> str:
    text = i18n.fmt_money(0, currency, language)
    return "".join(ch for ch in text if not (ch.isdigit() or ch in " \u00a0.,-")) or currency


# --- Step 1: platforms (C1-C4) ---------------------------------------------------------


def groups_chart(classify_df: pd.DataFrame, language: str = "vi", title: bool = False) -> go.Figure:
    """C1 side by side: the article's three profile groups (left) and today's (right).

    Rows are the groups (company page distinct from personal profiles; one profile for a
    person or a business; no company profile), plus a row for platforms the article does
    not cover (left column only). Each platform is a marker in the cell of its group, one
    per line at the same x (the column's left edge + 0.06), its name to the right, so that
    names never run into the other column even on a phone; a row is as tall as its fuller
    cell. A red arrow runs from the article's group to today's where they differ (TikTok),
    and the moved platform's marker is ringed in red. Input:
    :func:`workshop.platforms.classify`.
    """
    groups = ("separate_company_page", "shared_profile", "no_company_profile")
    df = classify_df.reset_index(drop=True)
    silent = "__silent__"
    article = [g if isinstance(g, str) and g in groups else silent for g in df["group_article"]]
    today = [str(g) for g in df["group_today"]]
    rows = list(groups) + ([silent] if silent in article else [])
    per_col = 1  # markers per line inside a cell
    group_labels = [
        _t(f"group.{g}", language) if g != silent else _t("group.silent", language) for g in rows
    ]
    # a row is as tall as its fuller cell, and tall enough for its label's lines
    # (row height = (lines + pad) × 30 px; a label line is about 18 px)
    lines = {
        g: max(
            1,
            math.ceil(max(sum(a == g for a in article), sum(t == g for t in today)) / per_col),
            math.ceil(0.6 * (label.count("<br>") + 1) - 0.5),
        )
        for g, label in zip(rows, group_labels)
    }
    pad = 0.5
    top, band = 0.0, {}
    for g in rows:
        h = lines[g] + pad
        band[g] = (top, top - h)
        top -= h

    def positions(assign: list[str], col: int) -> dict[int, tuple[float, float]]:
        pos: dict[int, tuple[float, float]] = {}
        for g in rows:
            members = [i for i, a in enumerate(assign) if a == g]
            y0 = band[g][0] - pad / 2 - 0.5
            for k, i in enumerate(members):
                pos[i] = (col + 0.06 + 0.47 * (k % per_col), y0 - (k // per_col))
        return pos

    pos_article, pos_today = positions(article, 0), positions(today, 1)
    names = [_name(pid, language) for pid in df["id"]]
    moved = [bool(x) for x in df["article_differs"]]
    fig = _figure()
    for col, pos in ((0, pos_article), (1, pos_today)):
        ids = [i for i in range(len(df)) if i in pos]
        fig.add_trace(
            _trace(
                "scatter",
                x=[pos[i][0] for i in ids],
                y=[pos[i][1] for i in ids],
                mode="markers+text",
                text=[names[i] for i in ids],
                textposition="middle right",
                textfont=dict(size=13),
                marker=dict(
                    size=15,
                    color=[colour(str(df.loc[i, "id"])) for i in ids],
                    line=dict(width=[3 if moved[i] else 0 for i in ids], color=BAD),
                ),
                customdata=[
                    plotly_texts([df.loc[i, "group_article_label"], df.loc[i, "group_today_label"]])
                    for i in ids
                ],
                hovertemplate=(
                    "<b>%{text}</b><br>"
                    + _t("groups.article", language)
                    + ": %{customdata[0]}<br>"
                    + _t("groups.today", language)
                    + ": %{customdata[1]}<extra></extra>"
                ),
                name=_t("groups.article" if col == 0 else "groups.today", language),
                showlegend=False,
                meta={
                    "kind": "article" if col == 0 else "today",
                    "ids": [str(df.loc[i, "id"]) for i in ids],
                },
            )
        )
    for i in range(len(df)):
        if moved[i] and i in pos_article and i in pos_today:
            (x0, y0), (x1, y1) = pos_article[i], pos_today[i]
            # from just above (or below) the article's marker, towards today's: the line
            # leaves the marker's row before it could cross the name written beside it
            lift = 0.38 if y1 > y0 else -0.38 if y1 < y0 else 0.0
            _note(
                fig,
                x=x1 - 0.025,
                y=y1,
                ax=x0 + 0.01,
                ay=y0 + lift,
                xref="x",
                yref="y",
                axref="x",
                ayref="y",
                showarrow=True,
                arrowhead=3,
                arrowsize=1.2,
                arrowwidth=2.5,
                arrowcolor=BAD,
                text="",
                standoff=4,
                startstandoff=4,
            )
    if any(moved):
        _note(
            fig,
            x=1.0,
            y=0,
            xref="paper",
            yref="paper",
            xanchor="right",
            yanchor="top",
            yshift=-4,
            showarrow=False,
            align="right",
            text=_wrap(_t("groups.moved_note", language), 44),
            font=dict(size=12, color=BAD),
        )
    shapes = [
        dict(
            type="line",
            xref="x",
            yref="y",
            x0=-0.02,
            x1=2.0,
            y0=band[g][0],
            y1=band[g][0],
            line=dict(color=LIGHT, width=1.5),
        )
        for g in rows[1:]
    ]
    shapes.append(
        dict(
            type="line",
            xref="x",
            yref="y",
            x0=1.0,
            x1=1.0,
            y0=0,
            y1=top,
            line=dict(color="#BBBBBB", width=1.5, dash="dot"),
        )
    )
    _parts(fig)["shapes"].extend(shapes)
    _xaxis(
        fig,
        range=[-0.02, 2.0],
        tickmode="array",
        tickvals=[0.5, 1.5],
        ticktext=[
            "<b>" + _t("groups.article", language) + "</b>",
            "<b>" + _t("groups.today", language) + "</b>",
        ],
        side="top",
        showline=False,
        ticks="",
        showgrid=False,
        zeroline=False,
        tickfont=dict(size=15),
        fixedrange=True,
    )
    _yaxis(
        fig,
        range=[top, 0],
        tickmode="array",
        tickvals=[(band[g][0] + band[g][1]) / 2 for g in rows],
        ticktext=group_labels,
        showline=False,
        ticks="",
        showgrid=False,
        zeroline=False,
        automargin=True,
        fixedrange=True,
    )
    height = int(30 * -top) + (150 if title else 110)
    return _finish(
        fig,
        "groups",
        language,
        title,
        height=height,
        showlegend=False,
        margin=dict(t=110 if title else 50, l=20, r=20, b=50),
    )


def asset_fit_chart(fit_df: pd.DataFrame, language: str = "vi", title: bool = False) -> go.Figure:
    """Strategic-asset fit (C3): one horizontal bar per platform, stacked by factor.

    Each segment is a factor's contribution ``c_<factor>`` in points (100 × weight ×
    factor); the bar's length is the score, written at its end. Best platform at the top.
    Dashed lines mark the thresholds ``strategic asset`` (65) and ``useful`` (45) of
    :mod:`workshop.platforms`, named in an empty band above the bars ("useful" to the left
    of its line, "strategic asset" to the right of its own, so the two names never meet).
    The factors' legend sits above the plot (plotly grows the top margin for its rows), so
    however many rows it wraps into at a narrow width it never meets the x-axis title.
    Input: :func:`workshop.platforms.asset_fit`.
    """
    from workshop import platforms as _platforms

    df = fit_df.reset_index(drop=True).sort_values(
        ["score", "id"], ascending=[True, False], kind="stable"
    )
    names = [_name(p, language) for p in df["id"]]
    fig = _figure()
    for k, factor in enumerate(_platforms.FACTORS):
        label = plotly_text(i18n.t(f"platforms.factor.{factor}", language))
        fig.add_trace(
            _trace(
                "bar",
                y=names,
                x=df[f"c_{factor}"].astype(float).tolist(),
                orientation="h",
                name=label,
                marker=dict(
                    color=FACTOR_COLOURS[k % len(FACTOR_COLOURS)],
                    line=dict(color="white", width=0.5),
                ),
                customdata=df[f"f_{factor}"].astype(float).tolist(),
                hovertemplate=(
                    "<b>%{y}</b><br>"
                    + label
                    + ": %{x:.1f} "
                    + _t("unit.points", language)
                    + " ("
                    + _t("hover.factor", language)
                    + " %{customdata:.0%})<extra></extra>"
                ),
                meta={"kind": "factor", "factor": factor},
            )
        )
    verdicts = plotly_texts(df["verdict_label"]) if "verdict_label" in df else [""] * len(df)
    fig.add_trace(
        _trace(
            "scatter",
            y=names,
            x=df["score"].astype(float).tolist(),
            mode="text",
            text=plotly_texts(i18n.fmt_number(s, language, 1) for s in df["score"]),
            textposition="middle right",
            textfont=dict(size=13, color="#222222"),
            customdata=verdicts,
            hovertemplate=(
                "<b>%{y}</b><br>"
                + _t("hover.score", language)
                + ": %{x:.1f}<br>%{customdata}<extra></extra>"
            ),
            showlegend=False,
            cliponaxis=False,
            meta={"kind": "score"},
        )
    )
    band = len(df) - 0.5  # the bars fill -0.5 .. n-0.5; the names go in the band above
    for value, key, dash, side in (
        (_platforms.ASSET_THRESHOLD, "fit.asset_line", "dash", "left"),
        (_platforms.USEFUL_THRESHOLD, "fit.useful_line", "dot", "right"),
    ):
        _vline(fig, x=value, line=dict(color="#444444", width=1.5, dash=dash))
        _note(
            fig,
            x=value,
            xshift=4 if side == "left" else -4,
            y=band + 0.55,
            yref="y",
            yanchor="middle",
            xanchor=side,
            align=side,
            showarrow=False,
            text=_wrap(
                i18n.t(f"charts.{key}", language, value=i18n.fmt_number(value, language)), 16
            ),
            font=dict(size=12, color="#444444"),
        )
    _xaxis(fig, range=[0, 100], title=dict(text=_t("axis.fit_score", language)))
    _yaxis(fig, automargin=True, ticks="", range=[-0.5, band + 1.1])
    height = max(380, 34 * len(df) + 250)
    return _finish(
        fig,
        "asset_fit",
        language,
        title,
        barmode="stack",
        height=height,
        bargap=0.3,
        margin=dict(t=110 if title else 40, b=70),
    )


# --- Step 2: capacity (C5-C7) ------------------------------------------------------------

CAPACITY_BARGAP = 0.4


def capacity_chart(
    hours_df: pd.DataFrame, assessment: Any, language: str = "vi", title: bool = False
) -> go.Figure:
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
    fig = _figure()
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
    _hline(fig, y=available, line=dict(color=line_colour, width=2, dash="dash"))
    _note(
        fig,
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
        _shape(
            fig,
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
        _note(
            fig,
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
    _yaxis(
        fig,
        title=dict(text=_t("axis.hours_week", language)),
        range=[0, top * 1.18],
        rangemode="tozero",
    )
    _xaxis(fig, categoryorder="array", categoryarray=[x_need, x_have])
    return _finish(fig, "capacity", language, title, barmode="stack", bargap=CAPACITY_BARGAP)


def recommend_chart(rec_df: pd.DataFrame, language: str = "vi", title: bool = False) -> go.Figure:
    """The recommended set (C6, C7): hours per week of each considered platform, best fit at
    the top; included platforms in their colour, the others grey with the reason in the
    hover. Input: :func:`workshop.capacity.recommend`.
    """
    df = rec_df.reset_index(drop=True).iloc[::-1]
    names = [_name(p, language) for p in df["id"]]
    included = [bool(x) for x in df["included"]]
    fig = _figure()
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
    _yaxis(fig, categoryorder="array", categoryarray=names, automargin=True, ticks="")
    _xaxis(fig, title=dict(text=_t("axis.hours_week", language)), rangemode="tozero")
    height = max(320, 30 * len(df) + 150)
    return _finish(fig, "recommend", language, title, barmode="overlay", height=height)


# --- Step 3: schedule (C10-C12) ----------------------------------------------------------


def communication_chart(
    comm_df: pd.DataFrame, language: str = "vi", title: bool = False
) -> go.Figure:
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
    fig = _figure(
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
    _xaxis(
        fig,
        tickmode="array",
        tickvals=list(range(len(months))),
        ticktext=_year_once(months),
        range=[-0.5, len(months) - 0.5],
        side="top",
        ticks="",
        showline=False,
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        title=dict(text=""),
    )
    _yaxis(
        fig,
        categoryorder="array",
        categoryarray=[row_names[c] for c in channels],
        autorange="reversed",
        automargin=True,
        ticks="",
        showline=False,
        fixedrange=True,
    )
    height = max(260, 46 * len(channels) + 110)
    return _finish(
        fig,
        "communication",
        language,
        title,
        height=height,
        barmode="overlay",
        uniformtext=dict(minsize=9, mode="hide"),
        margin=dict(t=110 if title else 60, b=20),
    )


def _year_once(labels: Sequence[str]) -> list[str]:
    """Month labels ("thg 3 2027", "Mar 2027") with the year only at the first label and
    where it changes, on a second line ("thg 3<br>2027", "thg 4", ...)."""
    out, shown = [], None
    for text in plotly_texts(labels):
        head, _, year = text.rpartition(" ")
        if not head or not year.isdigit():
            out.append(text)
        elif year != shown:
            out.append(f"{head}<br>{year}")
            shown = year
        else:
            out.append(head)
    return out


def calendar_month_chart(
    cal_df: pd.DataFrame,
    year: int,
    month: int,
    language: str = "vi",
    title: bool = False,
    skipped_df: pd.DataFrame | None = None,
    max_items: int = 4,
) -> go.Figure:
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
    days = [origin + dt.timedelta(days=i) for i in range(weeks * 7)]
    by_day: dict[dt.date, list[dict]] = {}
    if len(cal_df):
        inside = cal_df[(cal_df["date"] >= first) & (cal_df["date"] < next_month)]
        for record in inside.sort_values(["date", "time"], kind="stable").to_dict("records"):
            by_day.setdefault(record["date"], []).append(record)
    off_days: dict[dt.date, str] = {}
    if skipped_df is not None and len(skipped_df):
        for day, reason in zip(
            skipped_df["date"],
            skipped_df.get(
                "reason_label", skipped_df.get("reason", pd.Series([""] * len(skipped_df)))
            ),
        ):
            if first <= day < next_month:
                off_days.setdefault(day, str(reason))

    fig = _figure()
    shapes, annotations = [], []
    per_platform: dict[str, dict[str, list]] = {}
    more_x, more_y, more_t = [], [], []
    for i, day in enumerate(days):
        col, row = i % 7, i // 7
        in_month = day.month == month
        fill = "#FFFFFF" if in_month else "#F4F4F4"
        if in_month and day in off_days:
            fill = "#FFF0F0"
        shapes.append(
            dict(
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
        )
        annotations.append(
            dict(
                x=col + 0.05,
                y=-row - 0.04,
                xref="x",
                yref="y",
                text=str(day.day),
                showarrow=False,
                xanchor="left",
                yanchor="top",
                font=dict(size=12, color="#222222" if in_month else "#AAAAAA"),
            )
        )
        if in_month and day in off_days:
            annotations.append(
                dict(
                    x=col + 0.5,
                    y=-row - 0.62,
                    xref="x",
                    yref="y",
                    showarrow=False,
                    text=_wrap(_short(off_days[day], 40), 18),
                    font=dict(size=10, color=BAD),
                    hovertext=_t("calendar.skipped", language, reason=str(off_days[day])),
                )
            )
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
            more_x.append(col + 0.95)
            more_y.append(-row - 0.06)
            more_t.append(f"+{len(items) - max_items}")
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
    if more_x:
        fig.add_trace(
            _trace(
                "scatter",
                x=more_x,
                y=more_y,
                mode="text",
                text=more_t,
                textposition="bottom left",
                textfont=dict(size=10),
                showlegend=False,
                hoverinfo="skip",
                meta={"kind": "more"},
            )
        )
    _parts(fig)["shapes"].extend(shapes)
    _parts(fig)["annotations"].extend(annotations)
    _xaxis(
        fig,
        range=[-0.01, 7.01],
        tickmode="array",
        tickvals=[c + 0.5 for c in range(7)],
        ticktext=plotly_texts(i18n.t(f"weekday.{w}", language) for w in WEEKDAYS),
        side="top",
        showline=False,
        ticks="",
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    _yaxis(
        fig,
        range=[-weeks - 0.02, 0.02],
        showticklabels=False,
        showline=False,
        ticks="",
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    header = plotly_text(_fmt_month(first, language))
    return _finish(
        fig,
        "calendar_month",
        language,
        title,
        suffix=f" — {header}",
        height=120 * weeks + 110,
        margin=dict(t=120 if title else 80, l=10, r=10, b=10),
        legend=dict(y=1.0 + 40 / (120 * weeks)),
        meta={"month": header},
    )


def timeline_chart(
    cal_df: pd.DataFrame,
    language: str = "vi",
    title: bool = False,
    renewals: pd.DataFrame | None = None,
) -> go.Figure:
    """The editorial calendar over the whole horizon (C12): one row per platform, one tick
    per dated item in the platform's colour; a diamond just above the row marks each date
    the platform's editorial plan is renewed (every 1 or 2 months). Gaps are holidays and
    blackout days. Input: :func:`workshop.schedule.expand` (``renewal_date`` column), or
    the renewals of :func:`workshop.schedule.renewal_dates`.
    """
    fig = _figure()
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
        _xaxis(
            fig,
            tickmode="array",
            tickvals=[pd.Timestamp(t) for t in ticks],
            ticktext=_month_ticks(ticks, language),
            tickangle=0,
            range=[
                pd.Timestamp(ticks[0]) - pd.Timedelta(days=3),
                pd.Timestamp(end) + pd.Timedelta(days=4),
            ],
        )
    _xaxis(fig, title=dict(text=_t("axis.date", language)), showgrid=True, gridcolor="#EEEEEE")
    _yaxis(
        fig,
        tickmode="array",
        tickvals=[row[p] for p in platforms],
        ticktext=[names[p] for p in platforms],
        range=[-0.6, len(platforms) - 0.3],
        automargin=True,
        ticks="",
        showgrid=False,
        zeroline=False,
    )
    return _finish(fig, "timeline", language, title, height=max(260, 64 * len(platforms) + 170))


# --- Step 4: ROI (C5, C8, C9) -------------------------------------------------------------


def _follower_columns(proj_df: pd.DataFrame) -> list[str]:
    return [c for c in proj_df.columns if c.startswith("followers_")]


def audience_chart(proj_df: pd.DataFrame, language: str = "vi", title: bool = False) -> go.Figure:
    """Followers per platform month by month, stacked areas in the platforms' colours (C8:
    the fan base has to grow). Input: :func:`workshop.roi.project`.
    """
    fig = _figure()
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
    _xaxis(fig, **_month_axis(proj_df, language))
    _yaxis(
        fig, title=dict(text=_t("axis.followers", language)), rangemode="tozero", tickformat=",~f"
    )
    return _finish(fig, "audience", language, title, hovermode="x unified")


def funnel_chart(proj_df: pd.DataFrame, language: str = "vi", title: bool = False) -> go.Figure:
    """Leads and new customers per month from organic reach (C9). Input:
    :func:`workshop.roi.project` (columns leads, customers).
    """
    x = [int(m) for m in proj_df["month"]]
    labels = _month_labels(proj_df, language)
    fig = _figure()
    for col, key, col_colour in (
        ("leads", "funnel.leads", "#9ECAE1"),
        ("customers", "funnel.customers", "#08519C"),
    ):
        name = _t(key, language)
        fig.add_trace(
            _trace(
                "bar",
                x=x,
                y=proj_df[col].astype(float).tolist(),
                name=name,
                marker=dict(color=col_colour),
                customdata=labels,
                hovertemplate=name + ": %{y:,.1f}<extra>%{customdata}</extra>",
                meta={"kind": col},
            )
        )
    _xaxis(fig, **_month_axis(proj_df, language))
    _yaxis(
        fig, title=dict(text=_t("axis.per_month", language)), rangemode="tozero", tickformat=",~f"
    )
    return _finish(
        fig, "funnel", language, title, barmode="group", bargap=0.25, hovermode="x unified"
    )


def revenue_cost_chart(
    proj_df: pd.DataFrame, language: str = "vi", currency: str = "VND", title: bool = False
) -> go.Figure:
    """Gross profit (revenue × margin) against cost (work + tools + ads), month by month.
    Input: :func:`workshop.roi.project` (columns gross_profit, cost). Money in `currency`.
    """
    x = [int(m) for m in proj_df["month"]]
    labels = _month_labels(proj_df, language)
    fig = _figure()
    for col, key, col_colour in (
        ("gross_profit", "money.gross_profit", GOOD),
        ("cost", "money.cost", BAD),
    ):
        name = _t(key, language)
        values = proj_df[col].astype(float).tolist()
        fig.add_trace(
            _trace(
                "bar",
                x=x,
                y=values,
                name=name,
                marker=dict(color=col_colour, opacity=0.85),
                customdata=[
                    [lbl, m] for lbl, m in zip(labels, _money_list(values, currency, language))
                ],
                hovertemplate=name + ": %{customdata[1]}<extra>%{customdata[0]}</extra>",
                meta={"kind": col},
            )
        )
    _xaxis(fig, **_month_axis(proj_df, language))
    _yaxis(
        fig,
        title=dict(
            text=_t("axis.money_month", language, currency=_currency_symbol(currency, language))
        ),
        rangemode="tozero",
        tickformat=",~f",
    )
    return _finish(
        fig, "revenue_cost", language, title, barmode="group", bargap=0.25, hovermode="x unified"
    )


def roi_chart(
    proj_df: pd.DataFrame, summary: Any = None, language: str = "vi", title: bool = False
) -> go.Figure:
    """Cumulative ROI month by month, ``(cumulative gross profit − cumulative cost) /
    cumulative cost``, with the zero line and the break-even month (first month from which
    it stays ≥ 0, per :func:`workshop.roi.summary`) marked by a vertical line and a note.
    Input: :func:`workshop.roi.project` (column cum_roi, a fraction) and the summary.
    """
    x = [int(m) for m in proj_df["month"]]
    y = proj_df["cum_roi"].astype(float).tolist()
    labels = _month_labels(proj_df, language)
    fig = _figure(
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
    _hline(fig, y=0, line=dict(color="#444444", width=1))
    be = _get(summary, "break_even_month") if summary is not None else None
    if be is not None and not (isinstance(be, float) and math.isnan(be)):
        be = int(be)
        # the labels are escaped already: Markup, so that _t does not escape them twice
        label = Markup(labels[x.index(be)]) if be in x else _t("month_n", language, n=be)
        _vline(fig, x=be, line=dict(color=GOOD, width=2, dash="dash"))
        right_half = x and be > (min(x) + max(x)) / 2
        _note(
            fig,
            x=be,
            y=1,
            yref="paper",
            yanchor="bottom",
            xanchor="right" if right_half else "left",
            xshift=-4 if right_half else 4,
            showarrow=False,
            font=dict(color=GOOD, size=13),
            text=_t("roi.break_even", language, month=be, label=label),
        )
    else:
        _note(
            fig,
            x=1,
            xref="paper",
            xanchor="right",
            y=1,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            font=dict(color=BAD, size=13),
            text=_t("roi.no_break_even", language),
        )
    _xaxis(fig, **_month_axis(proj_df, language))
    _yaxis(
        fig,
        title=dict(text=_t("axis.cum_roi", language)),
        tickformat=_pct_format(y),
        zeroline=False,
    )
    return _finish(fig, "roi", language, title, margin=dict(t=96 if title else 50))


def scenario_chart(
    scen_df: pd.DataFrame,
    mc_df: pd.DataFrame | None = None,
    language: str = "vi",
    title: bool = False,
    metric: str = "cum_roi",
) -> go.Figure:
    """Cumulative ROI of the three scenarios (conservative, expected, optimistic: low,
    typical and high benchmarks) with the Monte Carlo p10-p90 band behind them (80 % of the
    simulated paths fall inside). Inputs: :func:`workshop.roi.scenarios` (long, column
    scenario) and :func:`workshop.roi.monte_carlo` (columns ``<metric>_p10/_p50/_p90``,
    or ``p10/p50/p90``).
    """
    fig = _figure()
    if mc_df is not None and len(mc_df):
        cols = _band_columns(mc_df, metric)
        x = [int(m) for m in mc_df["month"]]
        labels = _month_labels(mc_df, language)
        fig.add_trace(
            _trace(
                "scatter",
                x=x,
                y=mc_df[cols[2]].astype(float).tolist(),
                mode="lines",
                line=dict(width=0),
                showlegend=False,
                hoverinfo="skip",
                meta={"kind": "p90"},
            )
        )
        fig.add_trace(
            _trace(
                "scatter",
                x=x,
                y=mc_df[cols[0]].astype(float).tolist(),
                mode="lines",
                line=dict(width=0),
                fill="tonexty",
                fillcolor="rgba(31,119,180,0.16)",
                name=_t("scenario.band", language),
                customdata=[[lbl, hi] for lbl, hi in zip(labels, mc_df[cols[2]].astype(float))],
                hovertemplate=(
                    _t("scenario.band", language)
                    + ": %{y:.0%} – %{customdata[1]:.0%}<extra>%{customdata[0]}</extra>"
                ),
                meta={"kind": "p10"},
            )
        )
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
    _hline(fig, y=0, line=dict(color="#444444", width=1))
    base = scen_df if len(scen_df) else mc_df
    if base is not None and len(base):
        _xaxis(fig, **_month_axis(base.drop_duplicates("month").sort_values("month"), language))
    yaxis = dict(title=dict(text=_t("axis.cum_roi", language)), tickformat=".0%", zeroline=False)
    focus = _scenario_focus(scen_df, mc_df, metric)
    if focus is not None:
        # The optimistic scenario takes every favourable end at once and can dwarf the
        # band; keep the band readable and say where the line goes (the value is shown).
        low, high, peak, month = focus
        pad = 0.1 * (high - low or 1.0)
        yaxis["range"] = [low - 1.5 * pad, high + pad]  # room for the note at the bottom
        _note(
            fig,
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
    _yaxis(fig, **yaxis)
    return _finish(fig, "scenario", language, title, hovermode="x unified")


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
) -> go.Figure:
    """Sensitivity (tornado): for each uncertain input, the ROI at the horizon when only that
    input is at its benchmark low or high (all others expected); the widest swing on top.

    With `base_roi` (the expected ROI at the horizon, ``roi.summary(plan).roi_at_horizon``)
    each bar starts at that base line and runs to the ROI with the input low (orange) or
    high (blue). Without it, each input gets one grey span from its lower to its higher
    ROI, with the two ends marked. Input values in the hover are formatted as rates, money
    (in `currency`) or numbers. Input: :func:`workshop.roi.sensitivity`.
    """
    from workshop import roi as _roi

    df = sens_df.sort_values("swing", ascending=True, kind="stable")
    labels = plotly_texts(df["input_label"])

    def shown(column: str) -> list[str]:
        out = []
        for key, value in zip(df["input"], df[column]):
            spec = _roi.SPEC_BY_KEY.get(str(key))
            kind = spec.kind if spec else "number"
            if kind == "money" and not currency:
                kind = "number"
            out.append(plotly_text(_roi.format_value(kind, float(value), language, currency or "")))
        return out

    fig = _figure()
    sides = (
        ("roi_low", "low_value", "tornado.low", "#F28E2B"),
        ("roi_high", "high_value", "tornado.high", "#4E79A7"),
    )
    if base_roi is not None:
        for col, val_col, key, col_colour in sides:
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
                    customdata=[[float(v), s] for v, s in zip(values, shown(val_col))],
                    hovertemplate=(
                        "<b>%{y}</b><br>"
                        + name
                        + " (%{customdata[1]}): "
                        + _t("axis.roi_horizon_short", language)
                        + " %{customdata[0]:.0%}<extra></extra>"
                    ),
                    meta={"kind": col},
                )
            )
        _vline(fig, x=base_roi, line=dict(color="#333333", width=1.5))
        _note(
            fig,
            x=base_roi,
            y=1,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            text=_t("tornado.base", language, roi=i18n.fmt_percent(base_roi, language, 0)),
            font=dict(size=12),
        )
    else:
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
        for col, val_col, key, col_colour in sides:
            name = _t(key, language)
            fig.add_trace(
                _trace(
                    "scatter",
                    y=labels,
                    x=df[col].astype(float).tolist(),
                    mode="markers",
                    name=name,
                    marker=dict(
                        color=col_colour,
                        size=12,
                        symbol="line-ns",
                        line=dict(width=4, color=col_colour),
                    ),
                    customdata=shown(val_col),
                    hovertemplate=(
                        "<b>%{y}</b><br>"
                        + name
                        + " (%{customdata}): "
                        + _t("axis.roi_horizon_short", language)
                        + " %{x:.0%}<extra></extra>"
                    ),
                    meta={"kind": col},
                )
            )
    all_roi = (
        list(df["roi_low"]) + list(df["roi_high"]) + ([base_roi] if base_roi is not None else [])
    )
    _xaxis(fig, title=dict(text=_t("axis.roi_horizon", language)), tickformat=_pct_format(all_roi))
    _yaxis(fig, automargin=True, ticks="")
    height = max(320, 36 * len(df) + 220)
    return _finish(
        fig,
        "tornado",
        language,
        title,
        barmode="overlay",
        height=height,
        **_legend_bottom(1, t=96 if title else 50),
    )


#: Every builder, by name (for the widget layer, reports and tests).
BUILDERS = (
    "groups_chart",
    "asset_fit_chart",
    "capacity_chart",
    "recommend_chart",
    "communication_chart",
    "calendar_month_chart",
    "timeline_chart",
    "audience_chart",
    "funnel_chart",
    "revenue_cost_chart",
    "roi_chart",
    "scenario_chart",
    "tornado_chart",
)
