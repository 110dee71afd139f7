"""Trust boundaries of the live workshop (issue 8): what the widgets show, where they write,
and which file a participant gets.

* Every HTML widget value and every Output bundle a panel builds from plan text is escaped
  (hostile names, themes, bad values quoted by a problem message, computed solutions).
* The save panel (:meth:`workshop.ui.Session.save`) writes only plan files inside the plans
  folder, and never over anything that is not a plan or over a bundled example.
* Notebook 00 never gives two participants the same plan file.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as widgets
import pytest
import yaml
from hostile import HOSTILE_TEXTS, hostile_plan, live_markup, live_markup_in_figure
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import data, i18n, quizzes, start
from workshop import plan as plan_mod
from workshop.errors import WorkshopError
from workshop.session import CURRENT_FILE, SaveRefused
from workshop.ui import (
    Session,
    capacity_panel,
    platforms_panel,
    roi_panel,
    save_panel,
    schedule_panel,
)
from workshop.ui import base as ui_base
from workshop.ui import quizzes as ui_quizzes
from workshop.ui import start as ui_start

PLOTLY_MIME = "application/vnd.plotly.v1+json"
LANGS = ("vi", "en")


def _walk(root: widgets.Widget) -> Iterator[widgets.Widget]:
    yield root
    for child in getattr(root, "children", ()) or ():
        yield from _walk(child)


def _live(root: widgets.Widget, html: bool = True, figures: bool = True) -> list[str]:
    """Live markup anywhere in a widget tree: HTML values and descriptions allowed to hold
    HTML (`html`), Output bundles: plotly figures, HTML and streams (`figures`)."""
    found = []
    for w in _walk(root):
        name = type(w).__name__
        if html and isinstance(w, (widgets.HTML, widgets.HTMLMath)):
            found += [f"{name}: {m}" for m in live_markup(w.value)]
        if html and getattr(w, "description_allow_html", False):
            found.append(f"{name}: description_allow_html")
        if figures and isinstance(w, widgets.Output):
            for bundle in w.outputs:
                content = bundle.get("data", {})
                if PLOTLY_MIME in content:
                    found += [f"figure {m}" for m in live_markup_in_figure(content[PLOTLY_MIME])]
                if "text/html" in content:
                    found += [f"Output html: {m}" for m in live_markup(content["text/html"])]
                if bundle.get("output_type") == "stream":
                    found += [f"Output stream: {m}" for m in live_markup(bundle.get("text", ""))]
    return found


def _hostile_session(tmp_path: Path, text: str, language: str) -> Session:
    folder = tmp_path / "plans"
    folder.mkdir(exist_ok=True)
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(hostile_plan(text, language), allow_unicode=True), "utf-8")
    return Session(path, language)


def _drive_every_panel(tmp_path: Path, text: str) -> dict[str, widgets.Widget]:
    """Build every panel on ``hostile_plan(text)`` and trigger the inputs that show plan
    text and errors; return the widget trees (name → root)."""
    language = "vi" if HOSTILE_TEXTS.index(text) % 2 == 0 else "en"
    session = _hostile_session(tmp_path, text, language)
    assert session.plan.client.name == text
    built: dict[str, widgets.Widget] = {}
    for build in (platforms_panel, capacity_panel, schedule_panel, roi_panel, save_panel):
        built[build.__name__] = build(session)
    # a problem message quoting the bad value, in every panel's inline error
    for name, panel in list(built.items()):
        assert not panel._apply("x", {"client.market": text})
        built[f"{name} problem"] = widgets.HTML(panel.error.value)
    # schedule: a hostile theme added, then a bad time and a hostile time
    schedule = built["schedule_panel"]
    c = schedule.controls
    c["comm_theme"].value = text
    c["comm_channels"].value = ("facebook",)
    c["comm_add"].click()
    assert schedule.error.value == ""
    c["ed_platform"].value = "facebook"
    c["day.mon"].value = True
    for bad in ("25:99", text):
        c["time.mon"].value = bad
        c["ed_apply"].click()
        assert schedule.error.value
        built[f"schedule_panel after time {bad!r}"] = widgets.HTML(schedule.error.value)
    c["comm_theme"].value = text * (201 // len(text) + 1)  # too long: a problem
    c["comm_add"].click()
    assert schedule.error.value
    # roi: the follower box of each chosen platform
    roi = built["roi_panel"]
    roi.controls["followers.facebook"].value = 1234
    # save: a hostile path is refused, naming it
    save = built["save_panel"]
    save.controls["path"].value = text
    save.controls["save"].click()
    assert save.error.value and not save.message.value
    # the start panel with a hostile business name, twice (the second gets another file)
    start_box = ui_start.start_panel(language, str(tmp_path / "room"))
    start_box.name.value = text
    start_box.example.value = "demo-cafe"
    start_box.create_button.click()
    built["start_panel (first)"] = widgets.HTML(start_box.message.value)
    start_box.create_button.click()
    built["start_panel"] = start_box
    # every self-check, answered, with its solution computed from the plan
    for check in quizzes.CHECKS.values():
        box = ui_quizzes.self_check(check.id, language, session)
        box.radio.value = box.radio.options[0][1]
        box.check_button.click()
        box.solution_toggle.value = True
        built[f"self_check {check.id}"] = box
    return built


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_every_panel_escapes_plan_text_and_problem_messages(tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    built = _drive_every_panel(tmp_path, text)
    found = {name: _live(root, figures=False) for name, root in built.items()}
    assert not {k: v for k, v in found.items() if v}


@pytest.mark.parametrize("text", [HOSTILE_TEXTS[0], HOSTILE_TEXTS[4], HOSTILE_TEXTS[11]])
def test_every_panel_figure_escapes_plan_text(tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    built = _drive_every_panel(tmp_path, text)
    found = {name: _live(root, html=False) for name, root in built.items()}
    assert not {k: v for k, v in found.items() if v}


def test_the_panel_check_fails_when_the_panels_do_not_escape(tmp_path, monkeypatch):
    """The escaping test above can fail: with the panels' escaping turned off, it finds the
    hostile name, themes and problem messages."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(ui_base, "_esc", str)
    built = _drive_every_panel(tmp_path, HOSTILE_TEXTS[0])
    found = {name: _live(root, figures=False) for name, root in built.items()}
    assert {name for name, hits in found.items() if hits} >= {
        "platforms_panel problem",
        "roi_panel problem",
        "schedule_panel after time '<img src=x onerror=alert(1)>'",
        "save_panel",
    }


def test_the_walker_finds_live_markup():
    """The checker above can fail: raw plan text in an HTML widget or a figure is found."""
    raw = widgets.VBox([widgets.HTML(HOSTILE_TEXTS[0])])
    assert _live(raw)
    out = widgets.Output()
    out.outputs = (
        {
            "output_type": "display_data",
            "data": {PLOTLY_MIME: {"data": [{"type": "bar", "name": HOSTILE_TEXTS[4]}]}},
            "metadata": {},
        },
    )
    assert _live(widgets.VBox([out]))


# --- 1. The save panel writes only plan files inside the plans folder -----------------------


def _digest(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """A notebook's working folder: a README, a script, a plans folder with one plan."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / "tool.py").write_text("print('hi')\n", encoding="utf-8")
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(data.demo_plan(), plans / "demo-cafe.yaml")
    (plans / "README.md").write_text("# room\n", encoding="utf-8")
    (plans / "script.py").write_text("x = 1\n", encoding="utf-8")
    (plans / "settings.yaml").write_text("title: not a plan\nitems: [1, 2]\n", encoding="utf-8")
    (plans / "broken.yaml").write_text("client: {language: en}\nteam: {hours_per_week: -3}\n")
    (plans / "folder.yaml").mkdir()
    (plans / "to-readme.yaml").symlink_to(tmp_path / "README.md")
    (plans / "to-example.yaml").symlink_to(data.demo_plan())
    (tmp_path / "outside.yaml").write_text(plan_mod.dumps(plan_mod.load(data.demo_plan())))
    (plans / "to-outside.yaml").symlink_to(tmp_path / "outside.yaml")
    (plans / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    return tmp_path


REFUSED = {
    "./README.md": "outside",
    "./tool.py": "outside",
    "./outside.yaml": "outside",
    "<absolute path outside>": "outside",
    "README.md": "suffix",  # a bare name is a file of the plans folder: plans/README.md
    "tool.py": "suffix",
    "../escape.yaml": "outside",
    "plans/../outside.yaml": "outside",
    "plans/README.md": "suffix",
    "plans/script.py": "suffix",
    "plans/new.txt": "suffix",
    "plans/settings.yaml": "not_plan",
    "plans/broken.yaml": "not_plan",
    "plans/folder.yaml": "not_file",
    "plans/to-readme.yaml": "outside",
    "plans/to-example.yaml": "example",
    "plans/to-outside.yaml": "outside",
    "plans/elsewhere/outside.yaml": "outside",
    "plans": "suffix",
    str(data.demo_plan()): "example",
}


@pytest.mark.parametrize("typed,reason", sorted(REFUSED.items()))
def test_save_refuses_anything_but_a_plan_file_in_the_plans_folder(workdir, typed, reason):
    if typed == "<absolute path outside>":
        typed = str(workdir.parent / f"{workdir.name}-elsewhere.yaml")
    session = start.open_session("plans/demo-cafe.yaml", "en")
    session.update({"team.hours_per_week": 33.0})
    before = _digest(workdir), _digest(data.data_dir() / "clients")
    with pytest.raises(SaveRefused) as err:
        session.save(typed)
    assert isinstance(err.value, WorkshopError)
    assert err.value.reason == reason
    assert str(err.value.path) in str(err.value)
    assert (_digest(workdir), _digest(data.data_dir() / "clients")) == before
    # the widget: an inline message beside the button naming the path and the reason
    panel = save_panel(session)
    panel.controls["path"].value = typed
    panel.controls["save"].click()
    assert panel.message.value == "" and "workshop-error" in panel.error._dom_classes
    shown = panel.error.value
    assert i18n.t(f"ui.save.refused.{reason}", "en", folder="@@").split("@@")[0][:20] in shown
    assert ui_base._esc(str(err.value.path)) in shown
    assert (_digest(workdir), _digest(data.data_dir() / "clients")) == before
    assert not (workdir.parent / f"{workdir.name}-elsewhere.yaml").exists()
    assert session.path == Path("plans/demo-cafe.yaml")  # a refusal changes nothing


@pytest.mark.parametrize(
    "typed,written",
    [
        ("plans/new.yaml", "plans/new.yaml"),
        ("plans/other.yml", "plans/other.yml"),
        ("mine.yaml", "plans/mine.yaml"),  # a bare file name goes into the plans folder
        ("plans/demo-cafe.yaml", "plans/demo-cafe.yaml"),  # a plan: replaced
        ("plans/sub/deeper.yaml", "plans/sub/deeper.yaml"),
    ],
)
def test_save_writes_plan_files_in_the_plans_folder(workdir, typed, written):
    session = start.open_session("plans/demo-cafe.yaml", "en")
    session.update({"team.hours_per_week": 33.0})
    panel = save_panel(session)
    panel.controls["path"].value = typed
    panel.controls["save"].click()
    assert panel.error.value == ""
    target = workdir / written
    assert plan_mod.load(target).team.hours_per_week == 33.0
    assert written in panel.message.value
    assert session.path.resolve() == target.resolve()


def test_the_plans_folder_is_beside_the_notebook_unless_the_plan_is_in_one(workdir):
    room = workdir / "room" / "plans"
    room.mkdir(parents=True)
    shutil.copy(data.demo_plan(), room / "lan.yaml")
    session = start.open_session(room / "lan.yaml", "vi")
    assert session.plans_folder.resolve() == room.resolve()
    assert session.save().resolve() == (room / "lan.yaml").resolve()
    with pytest.raises(SaveRefused):
        session.save("plans/lan.yaml")  # the notebook's plans folder is not this session's
    # a plan outside any plans folder: saved as a working copy in plans/ beside the notebook
    session = start.open_session("outside.yaml", "vi")
    assert session.plans_folder.resolve() == (workdir / "plans").resolve()
    assert session.default_path() == Path("plans") / "outside.yaml"
    before = (workdir / "outside.yaml").read_bytes()
    session.update({"team.hours_per_week": 9.0})
    assert session.save().resolve() == (workdir / "plans" / "outside.yaml").resolve()
    assert (workdir / "outside.yaml").read_bytes() == before
    # the next notebook continues from the working copy
    assert start.open_session("outside.yaml", "vi").plan.team.hours_per_week == 9.0


def test_saving_an_example_writes_the_working_copy_and_the_next_notebook_continues(workdir):
    (workdir / "plans" / "demo-cafe.yaml").unlink()
    session = start.open_session(data.demo_plan(), "vi")
    assert session.default_path() == Path("plans") / "demo-cafe.yaml"
    session.update({"team.hours_per_week": 17.5})
    assert session.save().resolve() == (workdir / "plans" / "demo-cafe.yaml").resolve()
    assert plan_mod.load(data.demo_plan()).team.hours_per_week != 17.5
    assert start.open_session(data.demo_plan(), "vi").plan.team.hours_per_week == 17.5


# --- 2. Slugs for any script; never two participants in one file -------------------------------


@pytest.mark.parametrize(
    "name,slug",
    [
        ("Cà phê Đà Lạt!", "ca-phe-da-lat"),
        ("Quán Bà Tư", "quan-ba-tu"),
        ("Straße & Søn", "strasse-son"),
        ("ＦＵＬＬ width", "full-width"),
    ],
)
def test_slugify_transliterates_latin_and_vietnamese(name, slug):
    assert start.slugify(name) == slug


NON_LATIN = {
    "ร้านกาแฟ": "thai",
    "ร้านกาแฟสด": "thai",
    "北京烤鸭店": "cjk",
    "上海烤鸭店": "cjk",
    "Кофейня": "cyrillic",
    "Пекарня": "cyrillic",
    "مقهى": "arabic",
    "카페": "hangul",
    "Café 東京": "cafe-cjk",
}


def test_slugify_gives_every_non_latin_name_its_own_stable_id():
    slugs = {name: start.slugify(name) for name in NON_LATIN}
    for name, slug in slugs.items():
        assert plan_mod.slug_ok(slug), slug
        assert slug.startswith(NON_LATIN[name] + "-"), slug
        assert start.slugify(name) == slug  # stable
        assert start.slugify(f"  {name.upper()}  ") == slug  # case and spaces do not matter
    assert len(set(slugs.values())) == len(slugs)
    assert start.slugify("!!!") == start.slugify("") == "my-business"


def test_a_second_participant_with_the_same_name_gets_another_file(tmp_path):
    folder = tmp_path / "plans"
    first, key1 = start.create_plan_file("Кофейня", "demo-cafe", "vi", folder)
    first_bytes = first.read_bytes()
    second, key2 = start.create_plan_file("Кофейня", "", "vi", folder)
    third, key3 = start.create_plan_file("кофейня", "", "vi", folder)
    assert len({first, second, third}) == 3
    assert (key1, key2, key3) == ("start.copied", "start.created_other", "start.created_other")
    assert first.read_bytes() == first_bytes
    for path in (first, second, third):
        plan = plan_mod.load(path)
        assert plan.client.id == path.stem and path.parent == folder
    assert second.stem == f"{first.stem}-2" and third.stem == f"{first.stem}-3"


def test_creation_is_exclusive_even_when_a_file_appears_after_the_check(tmp_path, monkeypatch):
    folder = tmp_path / "plans"
    folder.mkdir()
    theirs = folder / "lan-s-bakery.yaml"
    theirs.write_text("someone else's plan, written a moment ago\n", encoding="utf-8")
    monkeypatch.setattr(Path, "exists", lambda self: False)  # a check that comes too late
    path, key = start.create_plan_file("Lan's Bakery", "", "en", folder)
    assert theirs.read_text(encoding="utf-8").startswith("someone else's")
    assert path == folder / "lan-s-bakery-2.yaml" and key == "start.created_other"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), max_size=30),
        min_size=2,
        max_size=4,
        unique=True,
    )
)
def test_two_different_names_never_share_a_new_file(names):
    for name in names:
        assert plan_mod.slug_ok(start.slugify(name))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plans"
        paths = []
        for name in names:
            path, key = start.create_plan_file(name, "", "en", folder)
            assert path.parent == folder and plan_mod.slug_ok(path.stem)
            plan = plan_mod.load(path)
            assert plan.client.id == path.stem
            assert plan.client.name == (name.strip() or i18n.t("start.default_client_name", "en"))
            assert key.endswith("_other") == (path.stem != start.slugify(name))
            paths.append(path)
        assert len(set(paths)) == len(paths)
        plan_files = [p.name for p in folder.iterdir() if p.name != CURRENT_FILE]
        assert sorted(plan_files) == sorted(p.name for p in paths)
        assert (folder / CURRENT_FILE).read_text(encoding="utf-8").strip() == paths[-1].name


def test_start_panel_creates_a_new_file_and_continues_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    panel = ui_start.start_panel("en")
    panel.name.value = "北京烤鸭店"
    panel.create_button.click()
    mine = sorted((tmp_path / "plans").glob("*.yaml"))
    assert len(mine) == 1 and mine[0].stem.startswith("cjk-")
    assert f"plans/{mine[0].name}" in panel.message.value
    panel.create_button.click()  # a second participant, same name: a file of their own
    files = sorted((tmp_path / "plans").glob("*.yaml"))
    assert len(files) == 2
    other = next(p for p in files if p != mine[0])
    assert f"plans/{other.name}" in panel.message.value
    assert f"plans/{mine[0].name}" in panel.message.value  # says whose file was taken
    # continuing is explicit, by the file name (or the business name) given back
    panel.name.value = other.name
    panel.continue_button.click()
    assert f"plans/{other.name}" in panel.message.value
    assert i18n.t("start.kept", "en", path="@").split("@")[0] in panel.message.value
    assert len(list((tmp_path / "plans").glob("*.yaml"))) == 2
    panel.name.value = "no-such-plan.yaml"
    panel.continue_button.click()
    assert "workshop-error" in panel.message.value and "no-such-plan.yaml" in panel.message.value
    assert len(list((tmp_path / "plans").glob("*.yaml"))) == 2
