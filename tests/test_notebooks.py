"""The workshop notebooks: two languages in step, committed clean, paired, parameterised,
and running headless for every example plan (papermill, a real kernel).

Fast tests (structure) run everywhere; the papermill runs are marked ``slow``.
"""

from __future__ import annotations

import ast
import hashlib
import html
import json
import re
import shutil
import time
from functools import cache
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

from workshop import data, i18n, markup, quizzes

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
LANGS = ("vi", "en")
WORKSHOP = ("00-start", "01-platforms", "02-capacity", "03-schedule", "04-roi")
NAMES = WORKSHOP + ("05-facilitator-room",)
HEADINGS = {
    "en": (
        "## Overview",
        "## Before you start",
        "## Summary",
        "### What's next",
        "## Run information",
        "**Time:**",
    ),
    "vi": (
        "## Tổng quan",
        "## Trước khi bắt đầu",
        "## Tóm tắt",
        "### Tiếp theo",
        "## Thông tin lần chạy",
        "**Thời gian:**",
    ),
}
PARAMETERS = {"plan_path": str, "language": str, "facilitator": bool}
ROOM_PARAMETERS = {"plans_dir": str, "language": str, "facilitator": bool}


def _nb(lang: str, name: str) -> nbformat.NotebookNode:
    return nbformat.read(NB_DIR / lang / f"{name}.ipynb", as_version=4)


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _all_notebooks() -> list[Path]:
    return sorted(p for lang in LANGS for p in (NB_DIR / lang).glob("*.ipynb"))


def test_every_notebook_exists_in_both_languages():
    for lang in LANGS:
        assert sorted(p.stem for p in (NB_DIR / lang).glob("*.ipynb")) == sorted(NAMES)
        assert sorted(p.stem for p in (NB_DIR / lang).glob("*.py")) == sorted(NAMES)
    assert yaml.safe_load((NB_DIR / "jupytext.toml").read_text().replace(" = ", ": ")) == {
        "formats": "ipynb,py:percent"
    }


# --- (a) the two languages are the same notebook ---------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_languages_have_identical_code_and_structure(name):
    vi, en = _nb("vi", name), _nb("en", name)
    assert [c.cell_type for c in vi.cells] == [c.cell_type for c in en.cells]
    assert [_tags(c) for c in vi.cells] == [_tags(c) for c in en.cells]
    for i, (a, b) in enumerate(zip(vi.cells, en.cells)):
        if a.cell_type == "code":
            if "parameters" in _tags(a):
                diff = [
                    (x, y) for x, y in zip(a.source.splitlines(), b.source.splitlines()) if x != y
                ]
                assert len(a.source.splitlines()) == len(b.source.splitlines())
                comment = '  # ngôn ngữ hiển thị / display language: "vi" hoặc/or "en"'
                assert diff == [
                    ('language: str = "vi"' + comment, 'language: str = "en"' + comment)
                ], f"cell {i}"
            else:
                assert a.source == b.source, f"{name} code cell {i} differs"
        else:
            assert a.source != b.source, f"{name} markdown cell {i} is not translated"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_skeleton(name, lang):
    nb = _nb(lang, name)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    h1 = [line for text in markdown for line in text.splitlines() if line.startswith("# ")]
    assert len(h1) == 1 and nb.cells[0].source.startswith("# "), h1
    text = "\n".join(markdown)
    for heading in HEADINGS[lang]:
        assert heading in text, f"{lang}/{name}: no {heading!r}"
    if name in WORKSHOP:
        assert 20 <= len(nb.cells) <= 35, len(
            nb.cells
        )  # 04: + the team, + break-even chance and dots
        # results first: the save cell comes after every panel, near the end
        sources = [c.source for c in nb.cells]
        if name != "00-start":
            assert "ui.save_panel(session)" in sources
            save = sources.index("ui.save_panel(session)")
            assert all(
                i < save
                for i, s in enumerate(sources)
                if "_panel(session)" in s and "save" not in s
            )
            assert save >= len(sources) - 5
    # every idea id in the notebook's checks is named in its Markdown
    for check in quizzes.checks_for(name):
        for idea in check.ideas:
            assert f"{idea}" in text or name == "00-start"


@pytest.mark.parametrize("name", NAMES)
def test_every_check_and_note_of_the_notebook_is_used_there(name):
    code = "\n".join(c.source for c in _nb("en", name).cells if c.cell_type == "code")
    used_checks = re.findall(r'self_check\("(\w+)"', code)
    used_notes = re.findall(r'facilitator_note\("(\w+)"', code)
    assert sorted(used_checks) == sorted(c.id for c in quizzes.checks_for(name))
    assert sorted(used_notes) == sorted(n.id for n in quizzes.notes_for(name))
    if name in WORKSHOP:
        assert len(used_checks) >= 2


def test_catalogues_have_the_same_keys():
    assert set(i18n.catalogue("vi")) == set(i18n.catalogue("en"))


# --- (b) committed without outputs, and paired with a percent script ---------------------------


@pytest.mark.parametrize("path", _all_notebooks(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "widgets" not in nb.metadata
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", _all_notebooks(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_py_twin_is_in_sync(path):
    a = jupytext.read(path)
    b = jupytext.read(path.with_suffix(".py"))
    assert len(a.cells) == len(b.cells)
    for x, y in zip(a.cells, b.cells):
        assert (x.cell_type, x.source.strip(), _tags(x)) == (
            y.cell_type,
            y.source.strip(),
            _tags(y),
        )


# --- (c) one parameters cell: typed, commented literals -------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_parameters_cell(name, lang):
    nb = _nb(lang, name)
    cells = [c for c in nb.cells if "parameters" in _tags(c)]
    assert len(cells) == 1 and cells[0].cell_type == "code"
    source = cells[0].source
    expected = ROOM_PARAMETERS if name.startswith("05") else PARAMETERS
    found = {}
    for stmt in ast.parse(source).body:
        assert isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name), ast.dump(stmt)
        value = ast.literal_eval(stmt.value)  # a literal, nothing derived
        kind = {"str": str, "bool": bool, "int": int, "float": float}[stmt.annotation.id]
        assert type(value) is kind
        found[stmt.target.id] = kind
        line = source.splitlines()[stmt.lineno - 1]
        assert re.search(r"\S  # \S", line), f"no comment on {line!r}"
    assert found == expected
    namespace: dict = {}
    exec(source, namespace)  # noqa: S102 - the cell is a few literals
    assert namespace["language"] == lang
    import papermill as pm

    inspected = pm.inspect_notebook(str(NB_DIR / lang / f"{name}.ipynb"))
    assert set(inspected) == set(expected)
    assert all(p["help"] for p in inspected.values())


# --- (d) + (e) headless runs with papermill ------------------------------------------------


def _plans_for(lang: str) -> list[str]:
    """Example plans written in `lang`, plus the demo plan in both languages."""
    names = [
        p.stem
        for p in data.example_plans()
        if yaml.safe_load(p.read_text(encoding="utf-8"))["client"]["language"] == lang
    ]
    demo = data.demo_plan().stem
    return sorted(set(names) | {demo})


RUNS = [(lang, name, plan) for lang in LANGS for name in WORKSHOP for plan in _plans_for(lang)]


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("runs")


@cache
def _execute(lang: str, name: str, plan: str, facilitator: bool, base: str):
    """Run one notebook in a fresh kernel in its own folder; return (notebook, seconds,
    files before, files after)."""
    import papermill as pm

    work = Path(base) / f"{lang}-{name}-{plan}-{facilitator}"
    work.mkdir()
    if name.startswith("05"):
        plans = work / "room"
        plans.mkdir()
        for p in data.example_plans():
            shutil.copy(p, plans / p.name)
        (plans / "zz-broken.yaml").write_text(
            "client: {language: en}\nteam: {hours_per_week: -3}\n", encoding="utf-8"
        )
        params = {"plans_dir": str(plans), "facilitator": facilitator}
    else:
        source = next(p for p in data.example_plans() if p.stem == plan)
        shutil.copy(source, work / source.name)
        params = {"plan_path": str(work / source.name), "facilitator": facilitator}
    before = _digest(work)
    out = work / "out" / f"{name}.ipynb"
    out.parent.mkdir()
    start = time.perf_counter()
    pm.execute_notebook(
        str(NB_DIR / lang / f"{name}.ipynb"),
        str(out),
        parameters=params,
        cwd=str(work),
        kernel_name="python3",
        progress_bar=False,
    )
    seconds = time.perf_counter() - start
    nb = nbformat.read(out, as_version=4)
    out.unlink()
    out.parent.rmdir()
    return nb, seconds, before, _digest(work)


def _text(nb) -> str:
    """Everything a reader sees in the outputs (stream text and every text-like mimetype)."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output["text"])
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def _cell_seconds(nb) -> float:
    return sum(c.metadata.get("papermill", {}).get("duration") or 0 for c in nb.cells)


WATCHED = (ROOT / "data" / "clients", NB_DIR / "vi", NB_DIR / "en")


@pytest.fixture(scope="module")
def repository_untouched():
    """No notebook run may write into the example plans or the notebooks' folders."""
    before = [_digest(folder) for folder in WATCHED]
    yield
    assert [_digest(folder) for folder in WATCHED] == before


@pytest.mark.slow
@pytest.mark.usefixtures("repository_untouched")
@pytest.mark.parametrize("lang,name,plan", RUNS, ids=lambda v: str(v))
def test_notebook_runs_headless_for_example_plan(lang, name, plan, run_dir):
    nb, seconds, before, after = _execute(lang, name, plan, False, str(run_dir))
    assert after == before, "a headless run wrote files"
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    text = _text(nb)
    client = yaml.safe_load(
        (data.data_dir() / "clients" / f"{plan}.yaml").read_text(encoding="utf-8")
    )["client"]["name"]
    assert html.escape(client) in text or client in text  # run information names the plan
    if name != "00-start":
        assert any(
            "application/vnd.plotly.v1+json" in o.get("data", {})
            for c in nb.cells
            for o in c.get("outputs", [])
        )
    # participant mode: none of the facilitator notes' text
    for note_id in quizzes.NOTES:
        for language in LANGS:
            assert markup.escape(quizzes.note_text(note_id, language)) not in text
    assert "workshop-facilitator-note" not in text
    # a timing is printed, never asserted (benchmarks/ holds the targets)
    print(f"{lang}/{name}: {_cell_seconds(nb):.1f} s in the kernel")


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_room_notebook_lists_every_plan_and_the_broken_one(lang, run_dir):
    nb, _, before, after = _execute(lang, "05-facilitator-room", "room", False, str(run_dir))
    assert after == before
    text = _text(nb)
    for p in data.example_plans():
        assert p.name in text
    assert "zz-broken.yaml" in text and "team.hours_per_week" in text
    assert i18n.t("room.col.break_even_month", lang) in text
    assert "workshop-facilitator-note" not in text


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_facilitator_mode_shows_the_notes(name, run_dir):
    lang = "vi" if NAMES.index(name) % 2 == 0 else "en"
    nb, _, _, _ = _execute(
        lang, name, "room" if name.startswith("05") else "demo-cafe", True, str(run_dir)
    )
    text = _text(nb)
    for note in quizzes.notes_for(name):
        assert markup.escape(quizzes.note_text(note.id, lang)) in text
        assert html.escape(i18n.t("note.ui.timing", lang, minutes=note.minutes)) in text
    other = "en" if lang == "vi" else "vi"
    assert markup.escape(quizzes.note_text(quizzes.notes_for(name)[0].id, other)) not in text
    json.dumps(nb)  # the executed notebook is plain JSON
