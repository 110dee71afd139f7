"""Errors a person can fix, shown as messages in the notebooks (issue 8), and the plans that
used to crash a notebook.

* A :class:`~workshop.errors.WorkshopError` raised by a cell shows its message only (no
  Python frames, no HTML), in the plan's language, and the cell still FAILS, so headless
  runs stop (``start.setup_notebook`` registers an IPython custom exception handler).
* Notebooks 01-05 stop with a message naming a missing ``plan_path`` and saying what to
  do; notebook 00 starts a new plan.
* A valid plan with no platform chosen, or with 0 team hours, runs every notebook.

The papermill runs start real kernels (marked ``slow``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from workshop import data, i18n, start
from workshop import plan as plan_mod
from workshop.errors import PlanError, WorkshopError

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
LANGS = ("vi", "en")
WORKSHOP = ("00-start", "01-platforms", "02-capacity", "03-schedule", "04-roi")
#: What a Python traceback shows and a message for a person never does.
FRAMES = re.compile(r"Traceback|File \"|-{3,}>|\.py\b|line \d+|\x1b\[|site-packages")


# --- open_session: a missing plan says so --------------------------------------------------


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize("typed", ["plans/cafe-typo.yaml", ""])
def test_open_session_refuses_a_missing_plan_naming_it(tmp_path, monkeypatch, language, typed):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PlanError) as err:
        start.open_session(typed, language)
    message = str(err.value)
    assert (typed or '""') in message and "plan_path" in message and "00" in message
    assert err.value.language == language
    assert i18n.t("start.missing_plan", language, path="@").split("@")[0] in message
    assert not (tmp_path / "plans").exists()  # nothing written


def test_open_session_allows_a_new_plan_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    session = start.open_session("plans/new.yaml", "en", allow_new=True)
    assert session.plan.platforms.chosen == [] and session.plan.language == "en"
    assert session.default_path() == Path("plans/new.yaml")
    assert start.open_session("", "vi", allow_new=True).default_path() == Path(
        "plans/my-business.yaml"
    )


def test_open_session_names_every_problem_of_a_bad_plan(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("client: {language: en}\nteam: {hours_per_week: -3}\n", encoding="utf-8")
    with pytest.raises(PlanError, match="team.hours_per_week"):
        start.open_session(bad, "en")


# --- the handler: a message, not a traceback -------------------------------------------------


def test_the_handler_shows_the_message_only_without_control_characters():
    shown = []

    class Shell:
        def _showtraceback(self, etype, value, stb):
            shown.append((etype, value, stb))

    error = WorkshopError("Kế hoạch 'x\x1b[31m' <b>bad</b>\n  - team: wrong")
    expected = ["Kế hoạch 'x\ufffd[31m' <b>bad</b>\n  - team: wrong"]
    assert start.show_workshop_error(Shell(), WorkshopError, error, None) == expected
    assert shown == [(WorkshopError, error, expected)]


def test_setup_notebook_registers_the_handler_in_an_ipython_shell(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    try:
        start.setup_notebook()
        assert shell.custom_exceptions == (WorkshopError,)
        shown = []
        monkeypatch.setattr(shell, "_showtraceback", lambda *args: shown.append(args))
        result = shell.run_cell(
            "from workshop import start\nstart.open_session('plans/none.yaml', 'en')"
        )
        assert isinstance(result.error_in_exec, PlanError)  # the cell still fails
        ((etype, value, stb),) = shown
        assert etype is PlanError and stb == [str(value)] and "plans/none.yaml" in stb[0]
    finally:
        shell.set_custom_exc((), None)


# --- real kernels: papermill ---------------------------------------------------------------


def _run(notebook: str, work: Path, **parameters):
    """Run a notebook with papermill in `work`; return (executed notebook, error or None)."""
    import papermill as pm

    out = work / "out.ipynb"
    error = None
    try:
        pm.execute_notebook(
            str(NB_DIR / f"{notebook}.ipynb"),
            str(out),
            parameters=parameters,
            cwd=str(work),
            kernel_name="python3",
            progress_bar=False,
        )
    except pm.PapermillExecutionError as exc:
        error = exc
    return nbformat.read(out, as_version=4), error


def _error_outputs(nb) -> list[dict]:
    return [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


def _assert_a_message_not_a_traceback(nb, error, *fragments: str) -> str:
    assert error is not None, "the cell did not fail: a headless run would go on"
    assert error.ename == "PlanError"
    (output,) = _error_outputs(nb)
    shown = "\n".join(output["traceback"])
    assert not FRAMES.search(shown), shown
    for fragment in fragments:
        assert fragment in shown, (fragment, shown)
    cell = next(c for c in nb.cells if output in c.get("outputs", []))
    for other in cell.outputs:  # nothing rendered as HTML beside it
        assert "text/html" not in other.get("data", {})
    return shown


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGS)
def test_an_invalid_plan_fails_the_cell_with_its_message_only(tmp_path, language):
    bad = tmp_path / "plans" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text(
        "client: {name: '<img src=x onerror=alert(1)>', market: '<b>b2x</b>'}\n"
        "team: {hours_per_week: -3}\n",
        encoding="utf-8",
    )
    nb, error = _run(f"{language}/02-capacity", tmp_path, plan_path=str(bad))
    shown = _assert_a_message_not_a_traceback(
        nb, error, "team.hours_per_week", "client.market", str(bad)
    )
    header = i18n.t("plan.error.header", language, source="@", count=2).split("@")[1][:12]
    assert header in shown  # in the notebook's language


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGS)
def test_a_missing_plan_path_stops_with_what_to_do(tmp_path, language):
    nb, error = _run(f"{language}/03-schedule", tmp_path, plan_path="plans/typo.yaml")
    text = i18n.t("start.missing_plan", language, path="plans/typo.yaml")
    _assert_a_message_not_a_traceback(nb, error, text)
    assert not (tmp_path / "plans").exists()


@pytest.mark.slow
def test_notebook_00_starts_a_new_plan_for_a_missing_path(tmp_path):
    nb, error = _run("en/00-start", tmp_path, plan_path="plans/new.yaml")
    assert error is None and not _error_outputs(nb)
    assert not (tmp_path / "plans").exists()  # nothing is written without a click


# --- plans that used to crash a notebook ------------------------------------------------------


def _plan(language: str, chosen: list[str], hours: float) -> dict:
    return {
        "client": {"id": f"edge-{language}", "name": "Edge case", "language": language},
        "team": {"hours_per_week": hours},
        "platforms": {"chosen": chosen},
    }


EDGE_PLANS = {
    "no-platform": lambda language: _plan(language, [], 6.0),
    "zero-hours": lambda language: _plan(language, ["facebook", "zalo_oa"], 0.0),
    "no-platform-zero-hours": lambda language: _plan(language, [], 0.0),
}


@pytest.mark.parametrize("name", sorted(EDGE_PLANS))
@pytest.mark.parametrize("language", LANGS)
def test_edge_plans_are_valid(name, language):
    plan_mod.validate(EDGE_PLANS[name](language))


def test_every_panel_builds_for_a_plan_with_no_platform_and_no_hours(tmp_path, monkeypatch):
    """Notebook 04's crash, in-kernel: the ROI panel averaged the benchmarks of zero
    platforms (NaN) and made a slider range from it."""
    from workshop import ui

    monkeypatch.chdir(tmp_path)
    for name, build in sorted(EDGE_PLANS.items()):
        path = tmp_path / "plans" / f"{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(yaml.safe_dump(build("en")), encoding="utf-8")
        session = ui.Session(path, "en")
        for panel in (ui.platforms_panel, ui.capacity_panel, ui.schedule_panel, ui.roi_panel):
            built = panel(session)
            assert built.error.value == "", (name, panel.__name__)
        roi_panel = ui.roi_panel(session)
        for key, slider in roi_panel.controls.items():
            if hasattr(slider, "max") and not key.startswith("followers."):
                assert slider.max == slider.max and slider.value == slider.value  # not NaN


#: Every notebook with each edge case (the combined one runs in-kernel above).
EDGE_RUNS = [
    (lang, nb, plan) for lang in LANGS for nb in WORKSHOP for plan in ("no-platform", "zero-hours")
]


@pytest.mark.slow
@pytest.mark.parametrize("language,notebook,plan", EDGE_RUNS, ids=str)
def test_every_notebook_runs_for_a_plan_with_no_platform_or_no_hours(
    tmp_path, language, notebook, plan
):
    path = tmp_path / "plans" / f"{plan}.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(EDGE_PLANS[plan](language)), encoding="utf-8")
    nb, error = _run(f"{language}/{notebook}", tmp_path, plan_path=str(path))
    assert error is None, f"{error.ename}: {error.evalue}" if error else ""
    assert not _error_outputs(nb)


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGS)
def test_the_room_notebook_lists_plans_with_no_platform_or_no_hours(tmp_path, language):
    room = tmp_path / "room"
    room.mkdir()
    for name, build in EDGE_PLANS.items():
        raw = build(language)
        raw["client"]["id"] = name
        (room / f"{name}.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    shutil.copy(data.demo_plan(), room / data.demo_plan().name)
    nb, error = _run(f"{language}/05-facilitator-room", tmp_path, plans_dir=str(room))
    assert error is None, f"{error.ename}: {error.evalue}" if error else ""
    text = "\n".join(
        "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/html", ""))
        for c in nb.cells
        for o in c.get("outputs", [])
    )
    for name in EDGE_PLANS:
        assert f"{name}.yaml" in text
