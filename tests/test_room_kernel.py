"""The room without a server (issue 11): each participant's plan is theirs, uploads are
checked before anything is written, checkpoints keep what they replace, the facilitator
secret is needed for the room's plans, and `workshop room` refuses folders it did not make.

The same behaviour through a real Voilà server and Chromium: tests/test_room_server.py."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import data, room_kernel, room_server
from workshop import plan as plan_mod
from workshop import room as room_mod
from workshop.errors import PlanError, WorkshopError
from workshop.session import SaveRefused
from workshop.ui import room_bar


@pytest.fixture
def room(tmp_path, monkeypatch):
    prepared = room_server.prepare("vi", tmp_path / "room")
    monkeypatch.setenv(room_kernel.ENV, str(prepared.folder))
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setattr(room_kernel, "_query_cache", None)
    return prepared


def _visit(monkeypatch, **params: str) -> None:
    """Pretend this kernel serves a page whose URL carries `params`."""
    from urllib.parse import urlencode

    monkeypatch.setenv("QUERY_STRING", urlencode(params))
    monkeypatch.setattr(room_kernel, "_query_cache", None)


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_ids_are_unguessable_and_never_paths():
    ids = {room_kernel.new_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(room_kernel.valid_id(i) for i in ids)
    for bad in ("", "../../etc/passwd", "a" * 21, "a" * 23, "a/" * 11, "..", None, 7, "a b" * 7):
        assert not room_kernel.valid_id(bad)
        with pytest.raises(ValueError):
            room_kernel.plan_file(Path("/r"), bad)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_either_an_id_or_refused(value):
    if room_kernel.valid_id(value):
        assert room_kernel.plan_file(Path("/r"), value).parent == Path("/r/plans")
    else:
        with pytest.raises(ValueError):
            room_kernel.plan_file(Path("/r"), value)


def test_outside_a_room_nothing_is_active(monkeypatch, tmp_path):
    monkeypatch.delenv(room_kernel.ENV, raising=False)
    assert not room_kernel.active()
    # a folder without the marker is not a room, whatever the variable says
    monkeypatch.setenv(room_kernel.ENV, str(tmp_path))
    assert room_kernel.folder() is None
    assert room_mod.plans_dir_for("plans") == Path("plans")


def test_create_writes_one_plan_under_a_new_id_and_the_url_finds_it(room, monkeypatch):
    pid = room_kernel.create(room.folder, "Tiệm bánh Hoa", "demo-cafe", "vi")
    assert room_kernel.valid_id(pid)
    path = room_kernel.plan_file(room.folder, pid)
    assert plan_mod.load(path, "vi").client.name == "Tiệm bánh Hoa"
    assert room_kernel.progress(room.folder)[pid]["step"] == 0
    _visit(monkeypatch, p=pid)
    assert room_kernel.participant_id() == pid
    session = room_kernel.open_session("vi")
    assert session.plan.client.name == "Tiệm bánh Hoa"


def test_a_participant_without_a_name_is_given_one(room):
    pid = room_kernel.create(room.folder, "  ", "", "vi")
    assert plan_mod.load(room_kernel.plan_file(room.folder, pid), "vi").client.name.strip()


@pytest.mark.parametrize("name", ["x" * 500, "<script>alert(1)</script>\n" * 40])
def test_a_bad_business_name_is_refused_naming_the_field_and_nothing_is_written(room, name):
    before = _files(room.folder)
    with pytest.raises(PlanError) as err:
        room_kernel.create(room.folder, name, "", "vi")
    assert "client.name" in str(err.value)
    assert _files(room.folder) == before


def test_a_name_with_path_tricks_is_only_a_name(room):
    pid = room_kernel.create(room.folder, "../../plans/*", "", "en")
    assert _files(room.folder / "plans") == [f"{pid}.yaml"]


def test_a_page_without_a_valid_id_gets_no_plan(room, monkeypatch):
    other = room_kernel.create(room.folder, "Other shop", "", "en")
    for value in ("", "../" + other, other[:-1], other + "x", room_kernel.new_id()):
        _visit(monkeypatch, p=value)
        assert room_kernel.participant_id() is None
        # the page opens on a blank plan that cannot be saved, and reads no one's plan
        session = room_kernel.open_session("en")
        assert session.pid is None and session.plan.client.name != "Other shop"
        with pytest.raises(SaveRefused):
            session.save()
        bar = room_bar(session, 2)
        assert "step 00" in bar.links.value and "workshop-error" in bar.links.value
        assert other not in bar.links.value


def test_a_participant_session_writes_only_its_own_file(room, monkeypatch):
    mine = room_kernel.create(room.folder, "Mine", "", "en")
    theirs = room_kernel.create(room.folder, "Theirs", "", "en")
    their_text = room_kernel.plan_file(room.folder, theirs).read_bytes()
    _visit(monkeypatch, p=mine)
    session = room_kernel.open_session("en")
    for target in (
        room_kernel.plan_file(room.folder, theirs),
        room.folder / "plans" / ".." / "plans" / f"{theirs}.yaml",
        room.folder / "room.json",
        room.folder / "app" / "00-start.ipynb",
    ):
        with pytest.raises(SaveRefused) as err:
            session.save(target)
        assert "room" in str(err.value) or "phòng" in str(err.value)
    assert room_kernel.plan_file(room.folder, theirs).read_bytes() == their_text
    assert session.save() == room_kernel.plan_file(room.folder, mine)


def test_an_upload_that_is_not_a_plan_is_refused_with_field_paths_and_nothing_written(room):
    before = _files(room.folder)
    bad = b"client:\n  name: ''\nplatforms:\n  chosen: [myspace]\n"
    with pytest.raises(PlanError) as err:
        room_kernel.accept_upload(room.folder, bad, "vi")
    assert "client.name" in str(err.value)
    for content in (b"\xff\xfe not yaml", b"- a list\n", b"a: &x [*x]\n", b"x" * 70_000):
        with pytest.raises(PlanError):
            room_kernel.accept_upload(room.folder, content, "vi")
    assert _files(room.folder) == before


def test_a_too_big_upload_says_its_size_in_the_pages_language(room):
    with pytest.raises(PlanError) as err:
        room_kernel.accept_upload(room.folder, b"#" * (room_kernel.MAX_UPLOAD + 1), "vi")
    assert str(room_kernel.MAX_UPLOAD) in str(err.value)
    assert "byte" in str(err.value)


def test_a_valid_upload_becomes_a_new_plan_under_a_new_id(room):
    source = next(p for p in data.example_plans() if p.stem == "demo-cafe")
    pid = room_kernel.accept_upload(room.folder, source.read_bytes(), "vi")
    loaded = plan_mod.load(room_kernel.plan_file(room.folder, pid), "vi")
    assert loaded == plan_mod.load(source, "vi")
    assert room_kernel.accept_upload(room.folder, source.read_bytes(), "vi") != pid


def test_a_checkpoint_keeps_the_name_and_the_plan_it_replaces(room):
    pid = room_kernel.create(room.folder, "Quán Bé Na", "", "vi")
    before = room_kernel.plan_file(room.folder, pid).read_bytes()
    plan = room_kernel.checkpoint(room.folder, pid, 3, "vi")
    assert plan.client.name == "Quán Bé Na"
    reference = room_kernel.reference_plan("vi", "Quán Bé Na")
    assert plan_mod.load(room_kernel.plan_file(room.folder, pid), "vi") == reference
    assert (room.folder / "backups" / f"{pid}.before-03.yaml").read_bytes() == before
    assert room_kernel.progress(room.folder)[pid]["step"] == 3
    # the backups are not plans of the room
    assert list(room_mod.summarise(room.folder / "plans", "vi")["file"]) == [f"{pid}.yaml"]


def test_progress_keeps_the_highest_step_and_ignores_foreign_files(room):
    pid = room_kernel.create(room.folder, "Shop", "", "en")
    room_kernel.record_step(room.folder, pid, 4)
    room_kernel.record_step(room.folder, pid, 2)
    (room.folder / "progress" / "../../x.json").resolve()  # never written
    (room.folder / "progress" / "not-an-id.json").write_text("{}", encoding="utf-8")
    (room.folder / "progress" / f"{room_kernel.new_id()}.json").write_text("[", encoding="utf-8")
    assert room_kernel.progress(room.folder) == {
        pid: {"step": 4, "at": room_kernel.progress(room.folder)[pid]["at"]}
    }


def test_only_the_facilitator_secret_opens_the_rooms_plans(room, monkeypatch):
    room_kernel.create(room.folder, "Shop", "", "en")
    assert room_kernel.facilitator_ok(room.folder, room.facilitator_secret)
    for wrong in ("", room.facilitator_secret[:-1], room.code, room_kernel.secret_hash("x")):
        assert not room_kernel.facilitator_ok(room.folder, wrong)
    _visit(monkeypatch, f="wrong")
    assert room_mod.summarise(room_mod.plans_dir_for("plans"), "en").empty
    _visit(monkeypatch, f=room.facilitator_secret)
    assert room_mod.plans_dir_for("plans") == room.folder / "plans"
    assert len(room_mod.summarise(room_mod.plans_dir_for("plans"), "en")) == 1


def test_prepare_keeps_the_secrets_private_and_across_starts(tmp_path):
    first = room_server.prepare("en", tmp_path / "r")
    settings_file = first.folder / "room.json"
    assert stat.S_IMODE(settings_file.stat().st_mode) == 0o600
    stored = json.loads(settings_file.read_text(encoding="utf-8"))
    assert stored["facilitator_sha256"] == room_kernel.secret_hash(first.facilitator_secret)
    assert len(first.code) == room_server.CODE_LENGTH
    assert set(first.code) <= set(room_server.CODE_ALPHABET)
    pid = room_kernel.create(first.folder, "Kept", "", "en")
    again = room_server.prepare("en", tmp_path / "r")
    assert (again.code, again.facilitator_secret) == (first.code, first.facilitator_secret)
    assert room_kernel.plan_file(again.folder, pid).is_file()  # plans are never touched
    renewed = room_server.prepare("en", tmp_path / "r", new_secrets=True)
    assert renewed.code != first.code and renewed.facilitator_secret != first.facilitator_secret
    names = sorted(p.name for p in (first.folder / "app").glob("*.ipynb"))
    assert names == [f"{s}.ipynb" for s in room_kernel.STEPS] + ["05-facilitator-room.ipynb"]


def test_prepare_refuses_folders_it_did_not_make_and_writes_nothing(tmp_path):
    theirs = tmp_path / "photos"
    theirs.mkdir()
    (theirs / "holiday.jpg").write_bytes(b"jpeg")
    with pytest.raises(WorkshopError) as err:
        room_server.prepare("vi", theirs)
    assert room_kernel.MARKER in str(err.value)
    assert _files(theirs) == ["holiday.jpg"]
    with pytest.raises(WorkshopError):
        room_server.prepare("en", room_server.lab.ROOT / "rooms")
    assert not (room_server.lab.ROOT / "rooms").exists()
    afile = tmp_path / "a-file"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(WorkshopError):
        room_server.prepare("en", afile)
    with pytest.raises(WorkshopError):
        room_server.prepare("fr", tmp_path / "new")


def test_the_voila_command_keeps_the_room_closed(tmp_path):
    prepared = room_server.prepare("vi", tmp_path / "r")
    cmd = room_server.voila_command(prepared, port=9001, pool=2)
    flags = dict(a.split("=", 1) for a in cmd if a.startswith("--") and "=" in a)
    assert flags["--Voila.ip"] == "127.0.0.1"
    assert flags["--Voila.token"] == prepared.code
    assert flags["--VoilaConfiguration.show_tracebacks"] == "False"
    assert flags["--VoilaConfiguration.file_allowlist"] == "^$"
    assert flags["--VoilaConfiguration.preheat_kernel"] == "True"
    pools = json.loads(flags["--VoilaKernelManager.kernel_pools_config"])
    assert pools["default"]["pool_size"] == 2
    assert pools["05-facilitator-room.ipynb"]["pool_size"] == 0
    assert str(prepared.app) in cmd and "--no-browser" in cmd
    env = room_server.environment(prepared)
    assert env[room_kernel.ENV] == str(prepared.folder)
    assert env["JUPYTER_PATH"].split(":")[0] == str(room_server.TEMPLATES)


def test_the_banner_gives_both_urls_the_code_and_a_qr_code(tmp_path):
    prepared = room_server.prepare("vi", tmp_path / "r")
    text = room_server.banner(prepared, "127.0.0.1", 8866)
    urls = room_server.urls(prepared, "127.0.0.1", 8866)
    assert urls["participant"] in text and urls["facilitator"] in text
    assert f"token={prepared.code}" in urls["participant"]
    assert prepared.facilitator_secret not in urls["participant"]
    assert prepared.code in text
    assert "▀" in text or "█" in text  # the QR code's blocks
    assert "127.0.0.1" in text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_rooms_notebooks_say_nothing_about_jupyterlab(tmp_path, language):
    """A room page runs no cell by hand and has no parameters cell or plan paths: the
    cells tagged lab-only (how to run cells, where plan files go) are left out of the copy."""
    prepared = room_server.prepare(language, tmp_path / "r")
    for path in sorted(prepared.app.glob("0[0-4]-*.ipynb")):
        nb = room_server.nbformat.read(path, as_version=4)
        prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "plan_path" not in prose, path.name
        assert "Shift + Enter" not in prose, path.name
        assert all(room_server.LAB_ONLY not in c.metadata.get("tags", []) for c in nb.cells)
    source = room_server.lab.NOTEBOOKS / language / "00-start.ipynb"
    lab_copy = room_server.lab.participant_notebook(source)
    assert any(room_server.LAB_ONLY in c.metadata.get("tags", []) for c in lab_copy.cells)
