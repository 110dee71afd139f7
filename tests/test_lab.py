"""Tests of workshop.lab (``workshop lab``: the working copy outside the repository) and of the
current plan that lets ``plan_path = ""`` continue from notebook to notebook."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from workshop import data, lab, start
from workshop import plan as plan_mod
from workshop.errors import PlanError, WorkshopError
from workshop.session import CURRENT_FILE, current_plan

ROOT = Path(__file__).resolve().parents[1]


def test_the_copy_holds_the_notebooks_only_with_code_collapsed_and_no_path_to_retype(tmp_path):
    folder = lab.prepare("vi", tmp_path / "copy")
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    repo = sorted(p.name for p in (ROOT / "notebooks" / "vi").glob("*.ipynb"))
    assert names == sorted([*repo, "plans"])  # no .py twins, no jupytext.toml
    for name in repo:
        nb = nbformat.read(folder / name, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        wanted = lab.ROOM_DEFAULT if "plans_dir" in params[0].source else lab.PARAMETER_DEFAULT
        assert len(params) == 1 and wanted in params[0].source.splitlines()
        assert all(c.metadata["jupyter"]["source_hidden"] for c in code if c not in params)
        assert all(not c.outputs for c in code)
    settings = folder / lab.SETTINGS_DIR / "@jupyterlab" / "translation-extension"
    assert json.loads((settings / "plugin.jupyterlab-settings").read_text())["locale"] == "vi_VN"
    assert (folder / lab.MARKER).is_file()


def test_the_participants_notebooks_are_kept_unless_reset(tmp_path):
    folder = lab.prepare("en", tmp_path / "copy")
    mine = folder / "01-platforms.ipynb"
    mine.write_text(mine.read_text().replace("Platforms", "My notes"), encoding="utf-8")
    (folder / "plans" / "mine.yaml").write_text("kept", encoding="utf-8")
    lab.prepare("en", folder)
    assert "My notes" in mine.read_text()
    lab.prepare("en", folder, reset=True)
    assert "My notes" not in mine.read_text()
    assert (folder / "plans" / "mine.yaml").read_text() == "kept"  # plans are never touched


def test_folders_inside_the_repository_or_not_ours_are_refused_writing_nothing(tmp_path):
    with pytest.raises(WorkshopError, match="kho mã"):
        lab.prepare("vi", ROOT / "notebooks" / "copy")
    assert not (ROOT / "notebooks" / "copy").exists()
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(WorkshopError, match="workshop lab"):
        lab.prepare("en", theirs)
    assert sorted(p.name for p in theirs.iterdir()) == ["notes.txt"]
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(WorkshopError):
        lab.prepare("en", a_file)


def test_the_command_line_names_the_copy_settings_and_extension(tmp_path):
    cmd = lab.command(tmp_path, port=9999, browser=False)
    assert f"--ServerApp.root_dir={tmp_path}" in cmd and "--ServerApp.ip=127.0.0.1" in cmd
    assert any(c.startswith("--LabApp.extra_labextensions_path=") for c in cmd)
    assert "--no-browser" in cmd and "--ServerApp.port=9999" in cmd


def test_empty_plan_path_continues_the_plan_created_last(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PlanError):  # no plan yet: the message says to run notebook 00
        start.open_session("", "en")
    path, _ = start.create_plan_file("Lan's bakery", "demo-cafe", "en")
    assert current_plan() == path
    session = start.open_session("", "en")
    assert session.plan.client.name == "Lan's bakery"
    session.plan = session.plan.model_copy(update={"horizon_months": 18})
    other = session.save("plans/second.yaml")
    assert current_plan() == Path(other)  # the plan saved last
    assert start.open_session("", "en").plan.horizon_months == 18


@pytest.mark.parametrize("note", ["../../etc/passwd.yaml", "/tmp/x.yaml", "missing.yaml", "a.txt"])
def test_a_current_plan_note_naming_anything_else_is_ignored(tmp_path, note):
    (tmp_path / CURRENT_FILE).write_text(note, encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert current_plan(tmp_path) is None


@pytest.mark.slow
def test_a_copied_notebook_runs_on_the_current_plan(tmp_path):
    """The working copy's notebook 01 runs headless from its own folder with plan_path = ""
    after notebook 00's panel made a plan there."""
    import papermill

    folder = lab.prepare("en", tmp_path / "copy")
    os.chdir(folder)
    try:
        start.create_plan_file("Copy shop", "gom-bat-trang", "en")
    finally:
        os.chdir(ROOT)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(folder / "01-platforms.ipynb"), str(out), cwd=str(folder), kernel_name="python3"
    )
    text = out.read_text(encoding="utf-8")
    assert "copy-shop.yaml" in text or "Copy shop" in text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_workshop_lab_serves_the_copy_in_vietnamese_and_stops_by_its_pid(tmp_path):
    port = _free_port()
    folder = tmp_path / "copy"
    log = tmp_path / "lab.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "workshop", "lab", "--language", "vi", "--folder", str(folder)]
            + ["--port", str(port), "--no-browser"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, JUPYTER_TOKEN="t0ken"),
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        page = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/lab?token=t0ken", timeout=5) as r:
                    page = r.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        assert page, log.read_text()
        with urllib.request.urlopen(f"{url}/lab/api/translations/vi_VN?token=t0ken") as r:
            pack = json.loads(r.read())
        assert pack["data"], "the Vietnamese language pack is not installed"
        with urllib.request.urlopen(f"{url}/api/contents?token=t0ken") as r:
            listing = {item["name"] for item in json.loads(r.read())["content"]}
        assert "01-platforms.ipynb" in listing and not any(n.endswith(".py") for n in listing)
        assert plan_mod.load(data.demo_plan())  # the repository's files are untouched
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    assert "Bản làm việc" in log.read_text(encoding="utf-8")
