"""Every generated file of the repository, from one command.

Usage (from the repository root)::

    make generated                              # rewrite what is stale
    .venv/bin/python tools/generate.py --check  # exit 1 naming what is stale (make test runs it)

=====================================  ================================================
file                                   made from
=====================================  ================================================
``data/plan.schema.json``              ``workshop/plan/`` (``plan.json_schema``)
``docs/model.md``                      the docstrings of ``workshop/`` (tools/make_model_doc.py)
``notebooks/{vi,en,report}/*.ipynb``   their jupytext twins ``*.py`` (percent format): edit
                                       the ``.py``; the ``.ipynb`` is rewritten, outputs-free
``tests/fixtures/failing-template/``   ``notebooks/report/report.ipynb`` plus the fixture's
``report.ipynb``                       two failing lines and its own first cell
``data/holidays.csv``                  the ``holidays`` package (tools/make_holidays.py),
                                       only when it is installed: ``.venv/bin/pip install
                                       holidays``; skipped (and said) otherwise
=====================================  ================================================

A notebook whose ``.ipynb`` was edited in JupyterLab (newer than its ``.py``) is not
overwritten: the command says so and stops, since the other direction is
``jupytext --sync`` (which the pre-commit hook runs).
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import make_model_doc  # noqa: E402  (a sibling script)

from workshop import plan  # noqa: E402

NOTEBOOK_DIRS = ("notebooks/vi", "notebooks/en", "notebooks/report")
FIXTURE = ROOT / "tests" / "fixtures" / "failing-template" / "report.ipynb"
TEMPLATE = ROOT / "notebooks" / "report" / "report.ipynb"
FIXTURE_FIRST_CELL = (
    "Test fixture (tests/fixtures/failing-template): the client report template of\n"
    "notebooks/report/report.ipynb, cell for cell, except that the setup cell raises\n"
    'RuntimeError for a client whose id starts with "fails-". The tests run it with\n'
    "WORKSHOP_REPORT_TEMPLATE=tests/fixtures/failing-template/report.ipynb; regenerate it\n"
    "with `make generated` after changing the template."
)
FIXTURE_LINES = (
    'if plan.client.id.startswith("fails-"):  # the fixture\'s one difference\n'
    '    raise RuntimeError(f"fixture template: the report of {plan.client.id!r} fails here")'
)


def schema_text() -> str:
    """``data/plan.schema.json`` as :func:`workshop.plan.write_json_schema` writes it."""
    return json.dumps(plan.json_schema(), indent=2, ensure_ascii=False) + "\n"


def notebook_text(twin: Path) -> str:
    """The outputs-free ``.ipynb`` text of a jupytext percent twin; cell ids kept from the
    current ``.ipynb`` (cell by cell), so a regeneration changes only what changed."""
    nb = jupytext.read(twin)
    current = twin.with_suffix(".ipynb")
    if current.exists():
        old = nbformat.reads(current.read_text(encoding="utf-8"), as_version=4)
        for cell, before in zip(nb.cells, old.cells):
            if "id" in before:
                cell["id"] = before["id"]
    return jupytext.writes(nb, fmt="ipynb")


def fixture_text() -> str:
    """The failing-template fixture: the real template with its setup cell (the one that
    calls ``notebook.setup``) extended by two lines and its own comment cell."""
    nb = nbformat.reads(TEMPLATE.read_text(encoding="utf-8"), as_version=4)
    nb = copy.deepcopy(nb)
    nb.cells[0].source = FIXTURE_FIRST_CELL
    setup = [i for i, cell in enumerate(nb.cells) if "notebook.setup(" in cell.source]
    if len(setup) != 1:
        raise SystemExit("report template: expected one cell calling notebook.setup(")
    nb.cells[setup[0]].source += "\n" + FIXTURE_LINES
    out = io.StringIO()
    nbformat.write(nb, out)
    return out.getvalue()


def holidays_text() -> str | None:
    """``data/holidays.csv`` from the ``holidays`` package, or None when it is not installed."""
    if importlib.util.find_spec("holidays") is None:
        return None
    import csv

    import make_holidays

    out = io.StringIO()
    fields = ["date", "country", "name_vi", "name_en", "source"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(make_holidays.rows(2025, 2029, False))
    return out.getvalue()


def targets() -> list[tuple[Path, Callable[[], str | None]]]:
    """(file, function giving its text) for every generated file, in a stable order."""
    found: list[tuple[Path, Callable[[], str | None]]] = [
        (ROOT / "data" / "plan.schema.json", schema_text),
        (ROOT / "docs" / "model.md", make_model_doc.render),
    ]
    for folder in NOTEBOOK_DIRS:
        for twin in sorted((ROOT / folder).glob("*.py")):
            found.append((twin.with_suffix(".ipynb"), lambda twin=twin: notebook_text(twin)))
    found.append((FIXTURE, fixture_text))
    found.append((ROOT / "data" / "holidays.csv", holidays_text))
    return found


def _same_notebook(current: str, wanted: str) -> bool:
    """Notebooks compare by content (cells without their ids, metadata), not by layout."""
    try:
        a, b = json.loads(current), json.loads(wanted)
    except ValueError:
        return False
    for nb in (a, b):
        for cell in nb.get("cells", []):
            cell.pop("id", None)
    return a == b


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    stale: list[str] = []
    for path, make in targets():
        name = path.relative_to(ROOT).as_posix()
        wanted = make()
        if wanted is None:
            print(f"skipped {name} (pip install holidays to regenerate it)")
            continue
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        same = _same_notebook(current, wanted) if path.suffix == ".ipynb" else current == wanted
        if same:
            continue
        twin = path.with_suffix(".py")
        edited = path.suffix == ".ipynb" and twin.exists() and path.exists()
        if not args.check and edited and path.stat().st_mtime > twin.stat().st_mtime + 1:
            print(f"{name} is newer than its .py twin: run jupytext --sync {name} first")
            return 1
        stale.append(name)
        if not args.check:
            path.write_text(wanted, encoding="utf-8")
            print(f"wrote {name}")
    if args.check and stale:
        print("stale generated files (run `make generated`):\n  " + "\n  ".join(stale))
        return 1
    if not stale:
        print("every generated file is current")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
