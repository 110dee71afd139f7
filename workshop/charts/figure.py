"""The one figure type every builder returns (:class:`Figure`), the draft a builder fills in
(:class:`Draft`), and the plotly display bundle, built here and nowhere else.

A :class:`Figure` is the figure as plain data, ``{"data": [trace dicts], "layout": {...}}``,
exactly what plotly would validate into a ``go.Figure``. It is cheap to make (no plotly
validation) and validated only when something asks for plotly objects:

* :meth:`Figure.to_plotly` builds the ``go.Figure`` once and keeps it; :attr:`Figure.data`
  and :attr:`Figure.layout` are that figure's (``fig.data[0].y``,
  ``fig.layout.xaxis.title.text`` work as on a ``go.Figure``).
* :meth:`Figure.to_json_data` gives the figure's JSON as Python data, equal to
  ``json.loads(plotly.io.to_json(fig.to_plotly()))``, without validating (the fast path of
  the widgets: validating and serialising back is most of a redraw).
* :meth:`Figure.bundle` is the display bundle, ``{PLOTLY_MIME: figure JSON + config}``, with
  the project's :data:`PLOTLY_CONFIG`: what plotly's ``plotly_mimetype`` renderer emits for
  the validated figure. Notebooks (:meth:`Figure._repr_mimebundle_`: a cell ending in a
  builder call shows the chart), the widgets' ``Output`` data and the client report all
  display a figure through it.

Treat a figure as read-only: :meth:`Figure.to_plotly` returns the cached ``go.Figure``, and
a change made to it would not reach :meth:`Figure.to_json_data` or :meth:`Figure.bundle`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from workshop.charts.style import AXIS, _merge, _t, base_layout

#: The mimetype of a plotly figure in a display bundle (JupyterLab, VS Code, the report).
PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: Plotly config of every chart: hover and zoom stay, the logo and selection tools go, the
#: chart follows its container's width.
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "toImage"],
}

# Layout arrays plotly leaves out of a figure's JSON when they are empty.
_ARRAY_PROPS = ("shapes", "annotations", "images", "sliders", "updatemenus", "selections")


@lru_cache(maxsize=8)
def _template_json(name: str) -> str:
    """A named plotly template as JSON (plotly expands a template's name in the figure)."""
    return json.dumps(pio.templates[name].to_plotly_json())


class Figure:
    """A figure as plain data, validated into a ``go.Figure`` on demand (see the module).

    ``Figure(data, layout)``: `data` the traces as dicts (``{"type": "bar", ...}``), `layout`
    the layout dict; `name` the builder's short name (``"roi"``), shown by ``repr``.
    """

    __slots__ = ("_data", "_figure", "_layout", "name")

    def __init__(
        self, data: Iterable[Mapping[str, Any]], layout: Mapping[str, Any], name: str = ""
    ) -> None:
        self._data: list[Any] = list(data)
        self._layout: dict[str, Any] = dict(layout)
        self._figure: go.Figure | None = None
        self.name = name

    @classmethod
    def from_plotly(cls, figure: go.Figure, name: str = "") -> Figure:
        """A :class:`Figure` of a ``go.Figure`` made elsewhere (kept: not validated again)."""
        js = figure.to_plotly_json()
        out = cls(js["data"], js["layout"], name)
        out._figure = figure
        return out

    # --- plotly objects (validated once, on first use) ----------------------------------

    def to_plotly(self) -> go.Figure:
        """The validated ``go.Figure`` (built on the first call, then the same object)."""
        if self._figure is None:
            self._figure = go.Figure(data=self._data, layout=self._layout)
        return self._figure

    @property
    def data(self) -> tuple[Any, ...]:
        """The validated traces (``go.Figure.data``)."""
        return self.to_plotly().data

    @property
    def layout(self) -> go.Layout:
        """The validated layout (``go.Figure.layout``)."""
        return self.to_plotly().layout

    def to_plotly_json(self) -> dict[str, Any]:
        """``go.Figure.to_plotly_json()`` of the validated figure."""
        return self.to_plotly().to_plotly_json()

    def to_json(self, **kwargs: Any) -> str:
        """``go.Figure.to_json()`` of the validated figure (`kwargs` as plotly's)."""
        return self.to_plotly().to_json(**kwargs)

    def show(self, *args: Any, **kwargs: Any) -> None:
        """``go.Figure.show()`` of the validated figure (scripts; a notebook cell shows a
        figure by itself, through :meth:`_repr_mimebundle_`)."""
        self.to_plotly().show(*args, **kwargs)

    @property
    def validated(self) -> bool:
        """Whether the ``go.Figure`` has been built (tests check that a redraw never does)."""
        return self._figure is not None

    # --- plain data (not validated) -----------------------------------------------------

    @property
    def height(self) -> int | None:
        """The layout height in pixels (None if unset)."""
        return self._layout.get("height")

    def to_json_data(self) -> dict[str, Any]:
        """The figure's JSON as Python data, ``{"data": [...], "layout": {...}}``: what
        ``json.loads(plotly.io.to_json(self.to_plotly()))`` gives, without validating."""
        layout = {
            k: v
            for k, v in self._layout.items()  # plotly drops empty arrays
            if not (k in _ARRAY_PROPS and isinstance(v, (list, tuple)) and not v)
        }
        if isinstance(layout.get("template"), str):  # plotly expands a named template
            layout["template"] = json.loads(_template_json(layout["template"]))
        return json.loads(pio.to_json({"data": self._data, "layout": layout}, validate=False))

    def bundle(self, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The display bundle, ``{PLOTLY_MIME: {"data", "layout", "config"}}``: what plotly's
        ``plotly_mimetype`` renderer with :data:`PLOTLY_CONFIG` gives for the validated
        figure. `config` adds plotly config options to (or changes) the project's."""
        figure = self.to_json_data()
        figure["config"] = copy.deepcopy({**PLOTLY_CONFIG, **(config or {})})
        return {PLOTLY_MIME: figure}

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """IPython's display hook (a notebook cell ending in a builder call): :meth:`bundle`,
        a short ``text/plain``, and what the other mimetype renderers of plotly's default
        renderer add, made by plotly from the same JSON with the same config.

        The default is plotly's ``plotly_mimetype`` in a kernel, so the cell shows
        :meth:`bundle` and nothing else; the workshop notebooks choose
        ``plotly_mimetype+notebook`` (:func:`workshop.start.setup_notebook`), whose
        ``notebook`` part adds the chart as HTML (plotly.js embedded once) so that a page
        exported from the notebook shows it offline, as it does for a ``go.Figure``.
        """
        shown = self.bundle()
        if set(str(pio.renderers.default or "").split("+")) - {"", "plotly_mimetype"}:
            # what go.Figure's own display hook calls: each default renderer activated once
            others = pio.renderers._build_mime_bundle(
                self.to_json_data(), config=copy.deepcopy(PLOTLY_CONFIG)
            )
            shown = {**others, **shown}
        shown["text/plain"] = repr(self)
        if include is not None:
            shown = {k: v for k, v in shown.items() if k in set(include)}
        if exclude is not None:
            shown = {k: v for k, v in shown.items() if k not in set(exclude)}
        return shown

    def __repr__(self) -> str:
        kinds = ", ".join(str(t.get("type", "?")) for t in self._data)
        return f"<Figure {self.name or '?'}: [{kinds}], height {self.height}>"


# --- Drafts: how a builder makes its figure ---------------------------------------------------
# Builders collect traces, axis options, shapes and annotations in a draft and make the
# figure once (:meth:`Draft.finish`): plotly validates every update of an existing figure
# (``update_layout`` alone costs ~20 ms, ``add_vline`` ~6 ms), and a widget redraws several
# figures on every slider release. As plain data, a figure costs a few milliseconds.


def _trace(kind: str, **props: Any) -> dict[str, Any]:
    """A trace as a plain dict (validated with its figure, when a plotly object is asked)."""
    return {"type": kind, **props}


class Draft:
    """The traces and layout parts of a figure being built (see :meth:`finish`)."""

    def __init__(self, *traces: Mapping[str, Any]):
        self.data: list[Any] = list(traces)
        self.axes: dict[str, dict[str, Any]] = {"xaxis": {}, "yaxis": {}}
        self.shapes: list[dict[str, Any]] = []
        self.annotations: list[dict[str, Any]] = []

    def add_trace(self, trace: Mapping[str, Any]) -> None:
        self.data.append(trace)

    def xaxis(self, **options: Any) -> None:
        """Set x-axis options (merged over the shared axis style, ``AXIS``)."""
        _merge(self.axes["xaxis"], options)

    def yaxis(self, **options: Any) -> None:
        """Set y-axis options (merged over the shared axis style, ``AXIS``)."""
        _merge(self.axes["yaxis"], options)

    def shape(self, **shape: Any) -> None:
        self.shapes.append(shape)

    def note(self, **annotation: Any) -> None:
        self.annotations.append(annotation)

    def hline(self, y: float, line: dict[str, Any]) -> None:
        """A horizontal line across the plot area at `y` (data units)."""
        self.shape(type="line", xref="paper", x0=0, x1=1, yref="y", y0=y, y1=y, line=line)

    def vline(self, x: Any, line: dict[str, Any]) -> None:
        """A vertical line over the plot area's height at `x` (data units)."""
        self.shape(type="line", yref="paper", y0=0, y1=1, xref="x", x0=x, x1=x, line=line)

    def finish(
        self, name: str, language: str, title: bool, suffix: str = "", **overrides: Any
    ) -> Figure:
        """The :class:`Figure`: the traces with the shared layout (:func:`base_layout`,
        with the catalogue's ``charts.<name>.title`` + `suffix` when `title`), `overrides`,
        the draft's axes, shapes and annotations."""
        text = (_t(f"{name}.title", language) + suffix) if title else None
        layout = base_layout(language, text, **overrides)
        for axis, options in self.axes.items():
            merged = dict(layout.get(axis, AXIS))
            _merge(merged, options)
            layout[axis] = merged
        layout["shapes"] = self.shapes
        layout["annotations"] = self.annotations
        return Figure(self.data, layout, name)
