"""Figure builders: pure functions from a model's DataFrame (or plan) to a :class:`Figure`.

Every builder ends in ``_chart``, takes the output of one step model plus a ``language``
("vi" or "en"), and returns a new :class:`Figure` (always that type): the figure as plain
data, validated into a ``go.Figure`` only when asked (:meth:`Figure.to_plotly`, or reading
``fig.data`` / ``fig.layout``), displayed by a notebook cell that ends in the call, drawn by
the widgets and the client report through :meth:`Figure.bundle` (see
:mod:`workshop.charts.figure`). Builders never display anything, never read or write files
and are deterministic (same input, same figure), so the same call works in a static
notebook cell, inside a widget's ``Output`` and in the papermill client report. Tests check
the figure *data* (``fig.data[i].y``), not pixels.

One shared style (:mod:`workshop.charts.style`, :func:`base_layout`). Figures carry no
headline title (the caption is the Markdown above the chart) unless ``title=True`` (a
standalone export).

Texts are data, labels are markup: plotly.js renders a subset of HTML in trace names, texts,
hover texts, tick labels, legends, annotations and titles, so every text that comes from a
model or a plan (platform, asset and content names, themes, reasons, holiday names, month
labels, values put into the catalogue's templates) goes through
:func:`workshop.markup.plotly_text` (``&``, ``<``, ``>`` escaped; plotly.js shows the
characters). Only the builders' own markup stays live: ``<b>``, ``<br>``, ``<extra>`` and
``%{...}`` in hover templates written here, the ``<br>`` of the text wrapping and of the
catalogue's group labels (``charts.group.*``).

Traces carry ``meta`` dicts (``{"kind": ..., "platform": ...}``) so tests and the widget
layer can find a trace without relying on its translated name.

Modules: :mod:`~workshop.charts.style` (layout, colours, fonts, separators, month ticks,
text wrapping), :mod:`~workshop.charts.figure` (the figure type, the draft builders fill,
the display bundle), one module per workshop step: :mod:`~workshop.charts.platforms`,
:mod:`~workshop.charts.capacity`, :mod:`~workshop.charts.schedule`,
:mod:`~workshop.charts.roi` (and :mod:`~workshop.charts.uncertainty`: the chance of having
broken even by each month).
"""

from __future__ import annotations

from workshop.charts.capacity import CAPACITY_BARGAP, capacity_chart, recommend_chart
from workshop.charts.figure import PLOTLY_CONFIG, PLOTLY_MIME, Figure
from workshop.charts.platforms import asset_fit_chart, groups_chart
from workshop.charts.roi import (
    audience_chart,
    funnel_chart,
    revenue_cost_chart,
    roi_chart,
    scenario_chart,
    tornado_chart,
)
from workshop.charts.schedule import calendar_month_chart, communication_chart, timeline_chart
from workshop.charts.style import (
    AXIS,
    BAD,
    CHANNEL_COLOURS,
    FACTOR_COLOURS,
    FONT_FAMILY,
    GOOD,
    LAYOUT,
    LIGHT,
    NEUTRAL,
    PLATFORM_COLOURS,
    PLATFORM_NAMES,
    SCENARIO_COLOURS,
    SEPARATORS,
    base_layout,
    colour,
    platform_name,
)

# helpers the tests check directly (not the package's API)
from workshop.charts.style import _month_axis as _month_axis
from workshop.charts.style import _pct_format as _pct_format
from workshop.charts.style import _short as _short
from workshop.charts.style import _wrap as _wrap
from workshop.charts.style import _year_once as _year_once
from workshop.charts.uncertainty import break_even_chance_chart, break_even_dots_chart
from workshop.i18n import WEEKDAYS
from workshop.roi import SCENARIOS

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
    "break_even_chance_chart",
    "break_even_dots_chart",
    "tornado_chart",
)

__all__ = [
    "AXIS",
    "BAD",
    "BUILDERS",
    "CAPACITY_BARGAP",
    "CHANNEL_COLOURS",
    "FACTOR_COLOURS",
    "FONT_FAMILY",
    "GOOD",
    "LAYOUT",
    "LIGHT",
    "NEUTRAL",
    "PLATFORM_COLOURS",
    "PLATFORM_NAMES",
    "PLOTLY_CONFIG",
    "PLOTLY_MIME",
    "SCENARIOS",
    "SCENARIO_COLOURS",
    "SEPARATORS",
    "WEEKDAYS",
    "Figure",
    "base_layout",
    "break_even_chance_chart",
    "break_even_dots_chart",
    "colour",
    "platform_name",
    "asset_fit_chart",
    "audience_chart",
    "calendar_month_chart",
    "capacity_chart",
    "communication_chart",
    "funnel_chart",
    "groups_chart",
    "recommend_chart",
    "revenue_cost_chart",
    "roi_chart",
    "scenario_chart",
    "timeline_chart",
    "tornado_chart",
]
