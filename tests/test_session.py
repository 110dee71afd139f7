"""The live workshop's state (:mod:`workshop.session`), without any widget: loading, dotted
changes validated as a whole plan, listeners, the plans-folder rule of saving, and the
layering (neither the session nor ``workshop.start`` imports the widgets)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workshop import data, i18n, start
from workshop import plan as plan_mod
from workshop.session import (
    PLANS_FOLDER,
    SaveRefused,
    Session,
    plans_folder_for,
    set_dotted,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def plan_file(tmp_path, monkeypatch) -> Path:
    """A participant's plan in the plans folder beside the notebook (the working folder)."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "plans" / "demo-cafe.yaml"
    target.parent.mkdir()
    shutil.copy(data.demo_plan(), target)
    return target


@pytest.fixture
def session(plan_file) -> Session:
    return Session(plan_file, "vi")


# --- loading and changing the plan ---------------------------------------------------------------


def test_session_loads_the_plan_file(plan_file):
    s = Session(plan_file, "vi")
    assert s.plan == plan_mod.load(plan_file)
    assert s.path == plan_file


@pytest.mark.parametrize("lang,currency", [("vi", "VND"), ("en", "EUR")])
def test_missing_path_gives_a_fresh_plan_in_the_language(tmp_path, lang, currency):
    s = Session(tmp_path / "new.yaml", lang)
    assert s.plan.client.language == lang and s.plan.currency == currency
    assert s.plan.platforms.chosen == []
    assert Session(None, lang).default_path() == Path("plans") / "my-business.yaml"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        Session(None, "fr")


def test_update_applies_dotted_changes_and_notifies(session):
    seen = []
    session.on_change(lambda s: seen.append(s.plan.team.hours_per_week))
    assert session.update({"team.hours_per_week": 12.5}) == []
    assert session.update(**{"roi.starting_followers.facebook": 5000}) == []
    assert session.plan.team.hours_per_week == 12.5
    assert session.plan.roi.starting_followers["facebook"] == 5000
    assert seen == [12.5, 12.5] and session.version == 2


@pytest.mark.parametrize(
    "changes,fragment",
    [
        ({"team.hours_per_week": "abc"}, "không phải là số"),  # text in a number
        ({"client.market": "b2x"}, "b2c, b2b"),  # unknown value
        ({"communication.items.0.theme": "x" * 201}, "200"),  # theme too long
        ({"platforms.chosen": ["facebook", "linkedin"]}, "linkedin"),  # not considered
        ({"no_such.field": 1}, "no_such.field"),  # unknown field
    ],
)
def test_bad_values_come_back_as_translated_problems(session, changes, fragment):
    before = session.plan
    calls = []
    session.on_change(calls.append)
    problems = session.update(changes)
    assert problems and fragment in " ".join(p.message for p in problems)
    assert session.plan == before and calls == []


def test_problems_are_in_the_session_language(plan_file):
    s = Session(plan_file, "en")  # a Vietnamese plan edited in an English session
    problems = s.update({"team.hours_per_week": "abc"})
    assert problems[0].message == i18n.t("plan.error.float_parsing", "en", value="'abc'")


def test_listeners_learn_who_made_the_change(session):
    """Every listener hears every accepted change with its origin (a panel ignores its own
    changes by it); a refused change tells nobody and keeps the version."""
    heard = []
    session.on_change(lambda s: heard.append(("a", s.origin, s.version)))
    session.on_change(lambda s: heard.append(("b", s.origin, s.version)))
    me = object()
    assert session.update({"team.people": 2}, origin=me) == []
    assert session.update({"team.people": 0}, origin=me)  # below the minimum: refused
    session.set_plan(session.plan.model_copy(), origin="elsewhere")
    assert heard == [("a", me, 1), ("b", me, 1), ("a", "elsewhere", 2), ("b", "elsewhere", 2)]


def test_export_paths_sit_next_to_the_plan(session, plan_file):
    assert session.export_path("-calendar.csv") == plan_file.with_name("demo-cafe-calendar.csv")


# --- dotted paths --------------------------------------------------------------------------------


def test_set_dotted_walks_dicts_and_lists():
    raw = {"a": {"b": [{"c": 1}, {"c": 2}]}, "opt": None}
    set_dotted(raw, "a.b.1.c", 5)
    set_dotted(raw, "a.new", "x")  # the last key may be new
    set_dotted(raw, "opt.inner", 3)  # an empty optional section is filled in
    assert raw == {"a": {"b": [{"c": 1}, {"c": 5}], "new": "x"}, "opt": {"inner": 3}}
    set_dotted(raw, "a.b.0", {"c": 9})
    assert raw["a"]["b"][0] == {"c": 9}


@pytest.mark.parametrize(
    "dotted,error",
    [
        ("missing.key", KeyError),  # no field is invented on the way
        ("a.b.x.c", ValueError),  # a list index that is not a number
        ("a.b.7.c", IndexError),
        ("a.n.deeper", TypeError),  # into a number
        ("a.n.deeper.still", TypeError),
    ],
)
def test_set_dotted_refuses_paths_that_are_not_in_the_plan(dotted, error):
    raw = {"a": {"b": [{"c": 1}], "n": 3}}
    before = repr(raw)
    with pytest.raises(error):
        set_dotted(raw, dotted, 0)
    assert repr(raw) == before


# --- where a session saves -----------------------------------------------------------------------


def test_the_plans_folder_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "room" / PLANS_FOLDER).mkdir(parents=True)
    assert plans_folder_for("anything.yaml", "mine") == Path("mine")
    assert plans_folder_for("room/plans/lan.yaml") == Path("room/plans")
    assert plans_folder_for(tmp_path / "room/plans/lan.yaml") == tmp_path / "room/plans"
    assert plans_folder_for("plans/lan.yaml") == Path("plans")
    assert plans_folder_for("elsewhere/lan.yaml") == Path(PLANS_FOLDER)
    assert plans_folder_for(data.demo_plan()) == Path(PLANS_FOLDER)  # never an example's
    assert plans_folder_for(None) == Path(PLANS_FOLDER)


def test_check_target_without_writing(plan_file, tmp_path):
    session = Session("plans/demo-cafe.yaml", "vi")  # a path relative to the notebook
    assert session.check_target("mine.yaml") == (
        Path("plans/mine.yaml"),
        (tmp_path / "plans" / "mine.yaml").resolve(),
    )
    assert session.check_target("plans/demo-cafe.yaml")[1] == plan_file.resolve()
    for typed, reason in [
        ("../x.yaml", "outside"),
        ("notes.txt", "suffix"),
        (str(data.demo_plan()), "example"),
    ]:
        with pytest.raises(SaveRefused) as err:
            session.check_target(typed)
        assert err.value.reason == reason and err.value.folder == Path("plans")
        assert i18n.t(f"ui.save.refused.{reason}", "vi", folder="plans") in str(err.value)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["demo-cafe.yaml"]


def test_an_example_is_saved_as_a_working_copy(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = Session(data.demo_plan(), "vi")
    assert s.source == data.demo_plan() and s.path == Path("plans/demo-cafe.yaml")
    before = data.demo_plan().read_bytes()
    assert s.save() == Path("plans/demo-cafe.yaml")
    assert data.demo_plan().read_bytes() == before
    assert plan_mod.load(tmp_path / "plans" / "demo-cafe.yaml") == s.plan


# --- layering ------------------------------------------------------------------------------------


def test_open_session_gives_the_session_the_panels_take(plan_file):
    from workshop import ui

    s = start.open_session(plan_file, "en")
    assert type(s) is Session and ui.Session is Session
    assert ui.save_panel(s).session is s


def _imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at any depth of its code (function-local ones too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("module", ["session", "start", "quizzes", "readiness"])
def test_the_logic_modules_never_import_the_widgets(module):
    imported = _imported_modules(ROOT / "workshop" / f"{module}.py")
    assert not {
        m for m in imported if m.split(".")[0] == "ipywidgets" or m.startswith("workshop.ui")
    }


def test_importing_start_and_session_loads_no_widget():
    """In a fresh interpreter, ``workshop.start`` (and so the session) loads neither
    ipywidgets nor ``workshop.ui`` (the back-edge start → ui is gone)."""
    code = (
        "import sys, workshop.start, workshop.session, workshop.quizzes\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'ipywidgets'"
        " or m.startswith('workshop.ui'))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_the_import_checks_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from workshop.ui import base\n    import ipywidgets as w\n")
    assert {"workshop.ui", "workshop.ui.base", "ipywidgets"} <= _imported_modules(bad)
