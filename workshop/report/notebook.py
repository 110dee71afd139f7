"""What the report template's kernel runs around the sections: set-up and display.

The template (``notebooks/report/report.ipynb``) starts with :func:`setup` (the plan, the
language, plotly's renderer), builds one :class:`workshop.results.Results`, and shows each
section of :mod:`workshop.report.sections` with :func:`show`::

    plan, lang = notebook.setup(plan_path, language)
    res = Results(plan, lang)
    notebook.show(sections.summary(res))

:func:`prewarm` is the warm kernel's start-up line (``workshop.report.kernels.PRELOAD``):
imports and bundled data only, before any client is known.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from workshop import charts, data, i18n
from workshop import plan as plan_mod

# Charts leave the kernel as the plotly mimetype only (JupyterLab draws it; the executed
# notebook stays small): the HTML export turns each into a Plotly.newPlot call and embeds
# plotly.js once (workshop.report.html.html_report).
PLOTLY_RENDERER = "plotly_mimetype"
# Plotly config of every chart (made in one place: workshop.charts.figure).
PLOTLY_CONFIG = charts.PLOTLY_CONFIG

Part = Any  # an HTML string or a charts.Figure


def configure_plotly() -> None:
    """Charts in the executed notebook: the plotly mimetype only, with :data:`PLOTLY_CONFIG`
    (the offline HTML report adds plotly.js once, see ``workshop.report.html_report``)."""
    import plotly.io as pio

    pio.renderers.default = PLOTLY_RENDERER
    for name in ("notebook", "plotly_mimetype"):
        try:
            renderer = pio.renderers[name]
            if hasattr(renderer, "config"):
                renderer.config = dict(PLOTLY_CONFIG)
        except (KeyError, ValueError):  # pragma: no cover - plotly without that renderer
            pass


def prewarm() -> None:
    """Everything a report kernel needs that does not depend on the client: the plotly
    renderer, the figure classes, the message catalogues and the bundled data tables.

    The report runner runs this as the kernel's start-up line, before the kernel is given
    to a client (``workshop.report.WarmKernel``); no plan is read here.
    """
    configure_plotly()
    import plotly.graph_objects as go  # noqa: F401
    from IPython.display import HTML, display  # noqa: F401

    for lang in i18n.LANGUAGES:
        i18n.catalogue(lang)
    data.load_platforms()
    data.load_benchmarks()
    data.load_effort()
    _as_of_safe()


def _as_of_safe() -> None:
    with contextlib.suppress(Exception):  # a missing datasets.yaml: the report says so
        data.as_of()


def setup(plan_path: str, language: str = "") -> tuple[plan_mod.Plan, str]:
    """Load and validate the plan, pick the language ("" = the plan's), set up plotly."""
    configure_plotly()
    plan = plan_mod.load(plan_path)
    lang = language or plan.language
    if lang not in i18n.LANGUAGES:
        raise ValueError(f"language must be one of {i18n.LANGUAGES}, not {language!r}")
    return plan, lang


def show(parts: Part | Iterable[Part]) -> None:
    """Display report parts: HTML strings as HTML; a :class:`workshop.charts.Figure` as its
    :meth:`~workshop.charts.Figure.bundle` (the plotly mimetype with the project's config:
    exactly what the plotly renderer emits for the validated figure, without building it);
    anything else through IPython's display."""
    from IPython.display import HTML, display

    if isinstance(parts, (str, bytes, charts.Figure)) or not isinstance(parts, Iterable):
        parts = [parts]
    for part in parts:
        if part is None:
            continue
        if isinstance(part, str):
            display(HTML(part))
        elif isinstance(part, charts.Figure):
            display(figure_bundle(part), raw=True)
        else:
            display(part)


def figure_bundle(figure: charts.Figure) -> dict[str, Any]:
    """The display bundle of a chart in the report: :meth:`workshop.charts.Figure.bundle`."""
    return figure.bundle()
