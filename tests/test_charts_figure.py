"""The one figure type (workshop.charts.Figure): what every builder returns, validated only
on demand, displayed the way plotly's ``plotly_mimetype`` renderer displays the validated
figure, with the project's plotly config made in one place."""

from __future__ import annotations

import ast
import copy
import json
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.io.base_renderers import PlotlyRenderer

from workshop import capacity, charts, data, platforms, roi, schedule
from workshop import plan as plan_mod
from workshop.charts import figure as figure_mod
from workshop.report import notebook as report_notebook

ROOT = Path(__file__).resolve().parents[1]
MIME = charts.PLOTLY_MIME


@pytest.fixture(scope="module")
def demo() -> plan_mod.Plan:
    return plan_mod.load(data.demo_plan())


def _every_builder(p: plan_mod.Plan, lang: str) -> dict[str, charts.Figure]:
    cal = schedule.expand(p, lang)
    proj = roi.project(p)
    summ = roi.summary(p, proj)
    return {
        "groups_chart": charts.groups_chart(platforms.classify(lang), lang),
        "asset_fit_chart": charts.asset_fit_chart(platforms.asset_fit(p, lang), lang),
        "capacity_chart": charts.capacity_chart(
            capacity.hours_needed(p), capacity.assess(p, lang), lang
        ),
        "recommend_chart": charts.recommend_chart(capacity.recommend(p, lang), lang),
        "communication_chart": charts.communication_chart(
            schedule.communication_plan(p, lang), lang, title=True
        ),
        "calendar_month_chart": charts.calendar_month_chart(
            cal, p.start.year, p.start.month, lang, skipped_df=schedule.skipped(p, lang)
        ),
        "timeline_chart": charts.timeline_chart(
            cal, lang, renewals=schedule.renewal_dates(p, lang)
        ),
        "audience_chart": charts.audience_chart(proj, lang),
        "funnel_chart": charts.funnel_chart(proj, lang),
        "revenue_cost_chart": charts.revenue_cost_chart(proj, lang, p.currency, title=True),
        "roi_chart": charts.roi_chart(proj, summ, lang),
        "scenario_chart": charts.scenario_chart(
            roi.scenarios(p), roi.monte_carlo(p, paths=100), lang
        ),
        "break_even_chance_chart": charts.break_even_chance_chart(
            roi.break_even_distribution(p, paths=100), proj, lang
        ),
        "break_even_dots_chart": charts.break_even_dots_chart(
            roi.break_even_distribution(p, paths=100), proj, lang
        ),
        "tornado_chart": charts.tornado_chart(roi.sensitivity(p, lang), lang),
    }


@pytest.fixture(scope="module")
def every(demo) -> dict[str, charts.Figure]:
    return _every_builder(demo, "en")


@pytest.fixture
def no_validation(monkeypatch):
    """Any plotly validation of a chart figure fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a go.Figure was built")

    monkeypatch.setattr(figure_mod.go, "Figure", refuse)


@pytest.fixture
def renderer_default():
    """Set plotly's default renderer for one test (restored afterwards)."""
    before = pio.renderers.default

    def use(name: str) -> None:
        pio.renderers.default = name

    yield use
    pio.renderers.default = before


def _renderer_bundle(fig: charts.Figure) -> dict:
    """What plotly's own ``plotly_mimetype`` renderer, given the project's config, displays
    for the validated figure."""
    renderer = PlotlyRenderer(config=copy.deepcopy(charts.PLOTLY_CONFIG))
    return renderer.to_mimebundle(fig.to_plotly().to_dict())


# --- one type, validated on demand ------------------------------------------------------------


def test_every_builder_returns_a_figure_and_nothing_else_exists(every):
    assert sorted(every) == sorted(charts.BUILDERS)
    assert all(type(fig) is charts.Figure for fig in every.values())
    # no second type, no switch that changes what a builder returns
    assert not hasattr(charts, "spec") and not hasattr(charts, "FigureSpec")


def test_building_and_showing_never_validate(demo, no_validation, renderer_default):
    """Builders, to_json_data, bundle, height, repr and the notebook display hook all work
    on the plain data: go.Figure is never called."""
    renderer_default("plotly_mimetype")
    for name, fig in _every_builder(demo, "vi").items():
        assert not fig.validated
        assert fig.to_json_data()["data"], name
        shown = fig._repr_mimebundle_()
        assert shown[MIME] == fig.bundle()[MIME]
        assert fig.height == fig.to_json_data()["layout"]["height"]
        assert fig.name == name.removesuffix("_chart") and fig.name in repr(fig)
        assert not fig.validated
    with pytest.raises(AssertionError, match="go.Figure was built"):
        fig.to_plotly()  # the check above can fail


def test_validation_happens_once_on_first_plotly_access(demo):
    proj = roi.project(demo)
    fig = charts.roi_chart(proj, roi.summary(demo, proj), "en")
    assert not fig.validated
    assert list(fig.data[0].y) == pytest.approx(list(proj["cum_roi"]))  # validates
    assert fig.validated
    plotly_figure = fig.to_plotly()
    assert isinstance(plotly_figure, go.Figure)
    assert fig.to_plotly() is plotly_figure and fig.data[0] is plotly_figure.data[0]
    assert fig.layout is plotly_figure.layout
    assert fig.layout.xaxis.title.text == plotly_figure.layout.xaxis.title.text
    assert fig.to_json() == plotly_figure.to_json()
    assert fig.to_plotly_json() == plotly_figure.to_plotly_json()


def test_json_data_equals_the_validated_json_for_every_builder_in_both_languages(demo):
    for lang in ("vi", "en"):
        for name, fig in _every_builder(demo, lang).items():
            assert fig.to_json_data() == json.loads(pio.to_json(fig.to_plotly())), (name, lang)


def test_json_data_is_a_fresh_copy(every):
    fig = every["capacity_chart"]
    first = fig.to_json_data()
    first["layout"]["height"] = 1
    first["data"][0]["name"] = "changed"
    assert fig.to_json_data() != first
    assert fig.bundle()[MIME]["layout"]["height"] == fig.height


# --- the display bundle ---------------------------------------------------------------------


def test_bundle_is_what_the_plotly_mimetype_renderer_gives(every):
    for name, fig in every.items():
        assert fig.bundle() == _renderer_bundle(fig), name
        assert set(fig.bundle()) == {MIME}
        assert fig.bundle()[MIME]["config"] == charts.PLOTLY_CONFIG


def test_bundle_config_extends_the_projects_without_changing_it(every):
    before = copy.deepcopy(charts.PLOTLY_CONFIG)
    fig = every["roi_chart"]
    shown = fig.bundle({"staticPlot": True, "displaylogo": True})
    assert shown[MIME]["config"] == {**before, "staticPlot": True, "displaylogo": True}
    shown = fig.bundle()
    shown[MIME]["config"]["modeBarButtonsToRemove"].append("zoom2d")
    assert before == charts.PLOTLY_CONFIG  # a bundle never shares the project's config


def test_notebook_display_is_the_renderer_bundle(every, renderer_default):
    """A cell ending in a builder call: IPython's display formatter (what the kernel's
    display hook calls) gives the renderer's bundle and a short text, nothing else."""
    from IPython.core.formatters import DisplayFormatter

    renderer_default("plotly_mimetype")  # plotly's default inside a kernel
    formatter = DisplayFormatter()
    for name, fig in every.items():
        shown, _ = formatter.format(fig)
        assert set(shown) == {MIME, "text/plain"}, name
        assert shown[MIME] == _renderer_bundle(fig)[MIME], name
        assert shown["text/plain"] == repr(fig) and len(shown["text/plain"]) < 200


def test_notebook_display_with_the_workshop_renderer_adds_plotlys_html(every, renderer_default):
    """The workshop notebooks use ``plotly_mimetype+notebook`` (start.setup_notebook): the
    display adds the HTML plotly's ``notebook`` renderer makes (for exported pages), with
    the same config, while the plotly mimetype stays the renderer's bundle."""
    renderer_default("plotly_mimetype+notebook")
    fig = every["funnel_chart"]
    shown = fig._repr_mimebundle_()
    assert set(shown) == {MIME, "text/html", "text/plain"}
    assert shown[MIME] == _renderer_bundle(fig)[MIME]
    plotlys = pio.renderers._build_mime_bundle(fig.to_plotly().to_dict())
    assert set(plotlys) == {MIME, "text/html"}  # what a go.Figure would show
    assert "Plotly.newPlot" in shown["text/html"] and '"displaylogo": false' in shown["text/html"]
    assert fig._repr_mimebundle_(include=[MIME]) == {MIME: shown[MIME]}
    assert MIME not in fig._repr_mimebundle_(exclude=[MIME])


@pytest.mark.slow
def test_a_notebook_cell_ending_in_a_builder_call_shows_the_chart(tmp_path, demo):
    """In a real kernel (nbclient), the output of ``charts.roi_chart(...)`` as the last line
    of a cell is the renderer's bundle of the validated figure."""
    import nbformat
    from nbclient import NotebookClient

    code = (
        "from workshop import charts, data, plan, roi\n"
        "p = plan.load(data.demo_plan())\n"
        "proj = roi.project(p)\n"
        "charts.roi_chart(proj, roi.summary(p, proj), 'vi')"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = nb.cells[0].outputs
    assert [o["output_type"] for o in outputs] == ["execute_result"]
    proj = roi.project(demo)
    expected = _renderer_bundle(charts.roi_chart(proj, roi.summary(demo, proj), "vi"))
    assert outputs[0]["data"][MIME] == expected[MIME]
    assert outputs[0]["data"]["text/plain"].startswith("<Figure roi")


@pytest.mark.slow
def test_workshop_notebooks_embed_plotlyjs_once_and_each_chart_as_html_too(tmp_path):
    """With start.setup_notebook's renderer (plotly_mimetype+notebook), as for a go.Figure:
    plotly.js goes out once (the first chart's cell), every chart has the plotly mimetype
    and plotly's HTML (exported pages show it offline)."""
    import os

    import nbformat
    from nbclient import NotebookClient

    cells = [
        "from workshop import charts, data, plan, roi, start\n"
        "start.setup_notebook()\n"
        "p = plan.load(data.demo_plan())\n"
        "proj = roi.project(p)",
        "charts.roi_chart(proj, roi.summary(p, proj), 'en')",
        "charts.funnel_chart(proj, 'en')",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    env = {k: v for k, v in os.environ.items() if k != "PLOTLY_RENDERER"}
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env=env)  # the kernel without PLOTLY_RENDERER: setup_notebook's choice
    first, second = nb.cells[1].outputs, nb.cells[2].outputs
    assert [o["output_type"] for o in first] == ["display_data", "execute_result"]
    assert "plotly.js v" in first[0]["data"]["text/html"]  # the library, once
    assert [o["output_type"] for o in second] == ["execute_result"]
    for output in (first[1], second[0]):
        assert set(output["data"]) == {MIME, "text/html", "text/plain"}
        assert "Plotly.newPlot" in output["data"]["text/html"]
        assert "plotly.js v" not in output["data"]["text/html"]


# --- the config in one place ------------------------------------------------------------------


def test_the_plotly_config_is_made_in_one_place(every):
    """Only workshop/charts/figure.py writes a plotly config; the report and the widgets
    display figures through Figure.bundle."""
    from workshop.ui import base

    writers = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "workshop").rglob("*.py"))
        if "displaylogo" in path.read_text(encoding="utf-8")
    ]
    assert writers == ["workshop/charts/figure.py"]
    fig = every["timeline_chart"]
    assert report_notebook.PLOTLY_CONFIG is charts.PLOTLY_CONFIG
    assert report_notebook.figure_bundle(fig) == fig.bundle()
    output = base._bundle(fig)
    assert output["output_type"] == "display_data"
    assert output["data"] == {**fig.bundle(), "text/plain": ""}


# --- the package's shape ------------------------------------------------------------------------


def test_chart_modules_import_at_module_level_only():
    """No function-local imports in workshop/charts (the chart layer sits above the models
    and imports them at module level)."""
    found = []
    for path in sorted((ROOT / "workshop" / "charts").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        found.append(f"{path.name}:{inner.lineno} in {node.name}")
    assert found == []
