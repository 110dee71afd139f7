"""The one style of every figure: layout, axes, fonts, colours, number separators, platform
names, month ticks and labels, text wrapping, and the catalogue's chart texts.

Plotly's ``simple_white`` look written out (:data:`AXIS`, :data:`LAYOUT`), a readable font
that has Vietnamese diacritics, the legend above the plot area (never over data or axis
labels), one colour per platform (:data:`PLATFORM_COLOURS`), the language's number
separators (vi ``1.234,5``; en ``1,234.5``: plotly's ``separators``), axis titles and hover
texts from the catalogue (``workshop/locales/<lang>/charts.yaml``, keys ``charts.*``).

Month axes are plain month numbers 1..horizon with translated tick labels
(:func:`workshop.i18n.fmt_month`), because plotly's own date labels are English-only.

Names with a leading underscore are the helpers the chart modules of this package share
(every text they return is escaped for plotly, :func:`workshop.markup.plotly_text`); they
are not the package's API.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import pandas as pd

from workshop import i18n
from workshop.markup import plotly_text, plotly_texts

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

#: Options of an axis drawn without line, ticks, grid, zero line or zoom (grids and tables
#: whose cells are shapes), over :data:`AXIS`.
_BARE_AXIS: dict[str, Any] = dict(
    showline=False, ticks="", showgrid=False, zeroline=False, fixedrange=True
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


def _merge(target: dict[str, Any], options: Mapping[str, Any]) -> None:
    """Set `options` in `target`; a dict option is merged into a dict already there (one
    level: ``margin=dict(t=96)`` keeps the other margins)."""
    for key, value in options.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key] = {**target[key], **value}
        else:
            target[key] = value


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
    _merge(layout, overrides)
    return layout


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


def _month_name(df: pd.DataFrame, month: int, language: str) -> str:
    """The label of month number `month` of `df`, not escaped: its month and year when `df`
    has ``month_start`` ("thg 3 2027", "Mar 2027"), else "month n" of the catalogue."""
    if "month_start" in df.columns:
        starts = df.loc[df["month"] == month, "month_start"]
        if len(starts):
            return _fmt_month(pd.Timestamp(starts.iloc[0]).date(), language)
    return i18n.t("charts.month_n", language, n=month)


def _money_list(values: Sequence[float], currency: str, language: str) -> list[str]:
    return plotly_texts(i18n.fmt_money(float(v), currency, language) for v in values)


def _currency_symbol(currency: str, language: str) -> str:
    text = i18n.fmt_money(0, currency, language)
    return "".join(ch for ch in text if not (ch.isdigit() or ch in " \u00a0.,-")) or currency


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
