"""Trust boundaries of ``workshop report`` (issue 8): what it may delete, lock, read and leave.

* Output folders the tool owns, provably: ``OUT/<id>/`` and ``OUT/_failed/<id>/`` are
  replaced only when they hold the tool's own manifest for that client and nothing else;
  otherwise that client is refused before any kernel starts, naming the folder.
* Temporary folders: exact name pattern *and* a marker (pid, process start time, version);
  the stale clean-up touches nothing else.
* One run per output folder (a lock), ``--out`` checked before validation and any kernel.
* The plan's bytes are read once (regular files only, bounded) and feed everything.
* Kernel connection files and logs live in a private folder of the run and never stay.
* No absolute path of the consultant's machine in the report, the notebook or the manifest.
* Discovery names broken links, unreadable entries and non-UTF-8 names.

Fast tests need no kernel (a refused client never reaches one). Slow ones build real reports.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import html
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import icalendar
import openpyxl
import pytest
import yaml

from workshop import __version__, data, i18n, report
from workshop import plan as plan_mod

ROOT = Path(__file__).resolve().parents[1]
DEMO = data.data_dir() / "clients" / "demo-cafe.yaml"
# the real template, plus a failure in its setup cell for clients whose id starts "fails-"
FAILING_TEMPLATE = ROOT / "tests" / "fixtures" / "failing-template" / "report.ipynb"


# --- Helpers ------------------------------------------------------------------------------


def _raw(name: str) -> dict:
    return yaml.safe_load((data.data_dir() / "clients" / name).read_text(encoding="utf-8"))


def _write(folder: Path, name: str, raw: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _plan(folder: Path, name: str, cid: str, label: str, base: str = "studio-yoga.yaml") -> Path:
    """A valid plan whose client name and first theme carry `label` (to tell versions apart)."""
    raw = _raw(base)
    raw["client"]["id"] = cid
    raw["client"]["name"] = f"Client {label}"
    raw["editorial"]["rules"][0]["slots"][0]["theme"] = f"Theme {label}"
    return _write(folder, name, raw)


def _tool_report(folder: Path, cid: str, names=("report.html",), **manifest) -> Path:
    """A report folder as the tool writes it: the files and a manifest listing them."""
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_text(f"previous {name}", encoding="utf-8")
    payload = {
        "generator": report.GENERATOR,
        "toolkit_version": __version__,
        "client_id": cid,
        "status": "ok",
        "files": [{"name": n, "bytes": 1} for n in names] + [{"name": "manifest.json"}],
    }
    payload.update(manifest)
    (folder / "manifest.json").write_text(json.dumps(payload), encoding="utf-8")
    return folder


def _tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its content (to prove nothing changed)."""
    return {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The CLI's environment with TMPDIR and JUPYTER_RUNTIME_DIR in fresh folders."""
    tmpdir, runtime = tmp_path / "sys-tmp", tmp_path / "jupyter-runtime"
    tmpdir.mkdir(exist_ok=True)
    runtime.mkdir(exist_ok=True)
    env = dict(
        os.environ,
        WORKSHOP_LANG="en",
        TMPDIR=str(tmpdir),
        JUPYTER_RUNTIME_DIR=str(runtime),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    env.update(extra)
    return env


def _cli(args: list[str], tmp_path: Path, cwd: Path = ROOT, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "workshop", "report", *args],
        cwd=cwd,
        env=_env(tmp_path, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _run(args: list[str], tmp_path: Path, cwd: Path = ROOT, timeout: float = 300, **extra: str):
    proc = _cli(args, tmp_path, cwd=cwd, **extra)
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


KERNEL_FILE_PATTERNS = ("kernel-*.json", "workshop-kernel-*", "workshop-chromium-*")


def _kernel_leaks(*folders: Path) -> list[str]:
    """Kernel connection files, kernel logs and browser profiles left in `folders`."""
    found = []
    for folder in folders:
        for pattern in KERNEL_FILE_PATTERNS:
            found += [str(p) for p in folder.rglob(pattern)]
    return sorted(found)


def _env_leaks(tmp_path: Path) -> list[str]:
    """What a run left in its $TMPDIR and $JUPYTER_RUNTIME_DIR (both fresh, so anything
    there was made by the run): kernel files, or jupyter_client's ``tmp*.json``."""
    folders = [tmp_path / "sys-tmp", tmp_path / "jupyter-runtime"]
    return sorted(
        set(_kernel_leaks(*folders)) | {str(p) for f in folders for p in f.rglob("*.json")}
    )


def _kernel_processes() -> list:
    """The kernels this process started that still run (there should be none)."""
    import psutil

    return [
        p
        for p in psutil.Process().children(recursive=True)
        if p.is_running() and p.status() != "zombie" and "ipykernel" in " ".join(p.cmdline())
    ]


def _wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


class _NoKernel:
    """Stands in for WarmKernel: records that someone tried to start a kernel."""

    started: list[str] = []

    def __init__(self, *args, **kwargs):
        _NoKernel.started.append("kernel")
        raise AssertionError("a kernel was started")


@pytest.fixture
def no_kernel(monkeypatch):
    _NoKernel.started = []
    monkeypatch.setattr(report.kernels, "WarmKernel", _NoKernel)
    return _NoKernel.started


@pytest.fixture
def fake_builds(monkeypatch):
    """run_single / run_batch replaced: record which clients would be built (no kernel)."""
    built: list[str] = []

    def cid(item) -> str:
        plan = getattr(item, "plan", None)
        return plan.client.id if plan is not None else plan_mod.load(item).client.id

    def single(item, out, **kwargs):
        built.append(cid(item))
        return [report.ClientResult(str(item), client_id=cid(item), status="ok")]

    def batch(items, out, **kwargs):
        built.extend(cid(i) for i in items)
        return [report.ClientResult(str(i), client_id=cid(i), status="ok") for i in items]

    monkeypatch.setattr(report.batch, "run_single", single)
    monkeypatch.setattr(report.batch, "run_batch", batch)
    return built


def _run_cli(paths, out, jobs=None, pdf=False) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = report.run_cli([str(p) for p in paths], str(out), jobs, pdf)
    return code, stdout.getvalue(), stderr.getvalue()


# --- 1. Output folders the tool owns --------------------------------------------------------


def test_foreign_reason_accepts_only_the_tools_own_folder_for_that_client(tmp_path):
    assert report.foreign_reason(tmp_path / "absent", "a") is None  # free: created
    ours = _tool_report(tmp_path / "ours", "a", ("report.html", "plan.yaml"))
    assert report.foreign_reason(ours, "a") is None
    # a manifest of the format before the "generator" marker is still the tool's
    legacy = _tool_report(tmp_path / "legacy", "a", generator=None)
    data_ = json.loads((legacy / "manifest.json").read_text())
    del data_["generator"]
    (legacy / "manifest.json").write_text(json.dumps(data_))
    assert report.foreign_reason(legacy, "a") is None

    extra = _tool_report(tmp_path / "extra", "a")
    (extra / "notes.txt").write_text("mine")
    (extra / "sub").mkdir()
    got = report.foreign_reason(extra, "a")
    assert got.reason == "unlisted" and got.entries == ["notes.txt", "sub"]

    other = _tool_report(tmp_path / "other", "b")
    assert report.foreign_reason(other, "a").reason == "other_client"

    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "report.html").write_text("x")
    got = report.foreign_reason(plain, "a")
    assert got.reason == "no_manifest" and got.entries == ["report.html"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert report.foreign_reason(empty, "a").reason == "no_manifest"

    for bad in ("not json", "[1, 2]", json.dumps({"client_id": "a"})):  # not a tool manifest
        folder = tmp_path / f"bad-{len(bad)}"
        folder.mkdir()
        (folder / "manifest.json").write_text(bad)
        assert report.foreign_reason(folder, "a").reason == "no_manifest", bad

    link = tmp_path / "link"
    link.symlink_to(ours, target_is_directory=True)
    assert report.foreign_reason(link, "a").reason == "link"
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    assert report.foreign_reason(a_file, "a").reason == "not_folder"

    # a listed name that is a symlink (the tool never writes one) is not the tool's
    linked = _tool_report(tmp_path / "linked", "a", ("report.html", "calendar.csv"))
    (linked / "calendar.csv").unlink()
    (linked / "calendar.csv").symlink_to(a_file)
    assert report.foreign_reason(linked, "a").entries == ["calendar.csv"]
    # the manifest itself a symlink to a good manifest elsewhere
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "manifest.json").symlink_to(ours / "manifest.json")
    assert report.foreign_reason(fake, "a").reason == "no_manifest"


def test_refusal_message_names_the_folder_and_five_entries_in_the_plans_language(tmp_path):
    folder = tmp_path / "demo-cafe"
    folder.mkdir()
    for i in range(8):
        (folder / f"note-{i}.txt").write_text("mine")
    why = report.foreign_reason(folder, "demo-cafe")
    for lang in ("vi", "en"):
        msg = report.refusal_message(str(folder), "demo-cafe", why, lang)
        assert str(folder) in msg and "\n" not in msg
        assert all(f"note-{i}.txt" in msg for i in range(5))
        assert "note-5.txt" not in msg and i18n.t("report.cli.more_entries", lang, n=3) in msg
    assert report.refusal_message(str(folder), "demo-cafe", why, "vi") != report.refusal_message(
        str(folder), "demo-cafe", why, "en"
    )


def test_issue_case_notes_txt_in_a_client_folder_is_kept_and_named(tmp_path):
    """mkdir -p out/demo-cafe && echo mine > out/demo-cafe/notes.txt &&
    workshop report data/clients/demo-cafe.yaml --out out"""
    work = tmp_path / "work"
    (work / "out" / "demo-cafe").mkdir(parents=True)
    (work / "out" / "demo-cafe" / "notes.txt").write_text("mine\n")
    code, out, err = _run([str(DEMO), "--out", "out"], tmp_path, cwd=work, timeout=120)
    assert code == 2, out + err
    assert (work / "out" / "demo-cafe" / "notes.txt").read_text() == "mine\n"
    assert sorted(p.name for p in (work / "out" / "demo-cafe").iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in (work / "out").iterdir()) == ["demo-cafe"]  # no lock, no tmp
    why = report.foreign_reason(work / "out" / "demo-cafe", "demo-cafe")
    # the plan is Vietnamese: the refusal is in Vietnamese, naming the folder and the file
    assert report.refusal_message(os.path.join("out", "demo-cafe"), "demo-cafe", why, "vi") in err
    assert "Traceback" not in err + out
    assert _env_leaks(tmp_path) == []


def test_issue_case_plan_kept_in_its_own_report_folder_is_not_deleted(tmp_path):
    out = tmp_path / "out"
    folder = _tool_report(out / "demo-cafe", "demo-cafe", ("report.html", "calendar.csv"))
    plan = folder / "my-plan.yaml"
    shutil.copy(DEMO, plan)
    before = _tree(folder)
    code, stdout, err = _run([str(plan), "--out", str(out)], tmp_path, timeout=120)
    assert code == 2, stdout + err
    assert _tree(folder) == before
    assert "my-plan.yaml" in err and "Traceback" not in err


def test_issue_case_out_dot_keeps_a_project_folder_named_like_the_client(tmp_path):
    project = tmp_path / "project"
    (project / "demo-cafe" / "src").mkdir(parents=True)
    (project / "demo-cafe" / "src" / "app.py").write_text("print('mine')\n")
    (project / "demo-cafe" / "README.md").write_text("# mine\n")
    shutil.copy(DEMO, project / "demo-cafe.yaml")
    before = _tree(project / "demo-cafe")
    code, stdout, err = _run(["demo-cafe.yaml", "--out", "."], tmp_path, cwd=project, timeout=120)
    assert code == 2, stdout + err
    assert _tree(project / "demo-cafe") == before
    assert sorted(p.name for p in project.iterdir()) == ["demo-cafe", "demo-cafe.yaml"]
    assert "demo-cafe" in err and "Traceback" not in err


def test_refused_client_never_reaches_a_kernel_and_the_others_are_built(
    tmp_path, no_kernel, fake_builds
):
    plans = tmp_path / "plans"
    _plan(plans, "a.yaml", "alpha", "A")
    _plan(plans, "b.yaml", "beta", "B")
    _plan(plans, "c.yaml", "gamma", "C")
    out = tmp_path / "out"
    (out / "alpha").mkdir(parents=True)
    (out / "alpha" / "notes.txt").write_text("mine")
    _tool_report(out / report.FAILED_DIR / "gamma", "gamma")
    (out / report.FAILED_DIR / "gamma" / "debug.txt").write_text("mine")  # same rule in _failed
    code, stdout, err = _run_cli([plans], out)
    assert code == 2
    assert fake_builds == ["beta"] and no_kernel == []
    assert (out / "alpha" / "notes.txt").read_text() == "mine"
    assert (out / report.FAILED_DIR / "gamma" / "debug.txt").read_text() == "mine"
    assert "notes.txt" in err and "debug.txt" in err
    lines = {line.split()[0]: line for line in stdout.splitlines() if line.strip()}
    assert i18n.t("report.status.refused", "en") in lines["alpha"]
    assert i18n.t("report.status.refused", "en") in lines["gamma"]


def test_failed_root_not_a_real_folder_refuses_every_client(tmp_path, no_kernel, fake_builds):
    plans = tmp_path / "plans"
    _plan(plans, "a.yaml", "alpha", "A")
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / report.FAILED_DIR).symlink_to(elsewhere, target_is_directory=True)
    code, _, err = _run_cli([plans], out)
    assert code == 2 and fake_builds == [] and no_kernel == []
    assert report.FAILED_DIR in err and list(elsewhere.iterdir()) == []


def test_replace_folder_checks_again_at_the_last_moment(tmp_path):
    """A file dropped into the old report during the run: that folder is kept as it is."""
    final = _tool_report(tmp_path / "client", "client")
    new = tmp_path / "new"
    new.mkdir()
    (new / "report.html").write_text("new")
    (final / "late.txt").write_text("mine")
    with pytest.raises(report.NotOurs) as info:
        report.replace_folder(new, final, "client")
    assert info.value.why.entries == ["late.txt"]
    assert (final / "late.txt").read_text() == "mine" and new.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client", "new"]
    (final / "late.txt").unlink()
    report.replace_folder(new, final, "client")
    assert (final / "report.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client"]


def test_help_documents_the_folder_rule(capsys):
    from workshop import cli

    with pytest.raises(SystemExit):
        cli.main(["report", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "replaced only if workshop report made it" in text
    assert "nothing but the files that manifest lists" in text and "refused" in text
    assert report.LOCK_NAME in text


# --- 2. Temporary folders: exact pattern and marker -----------------------------------------


def test_new_staging_has_the_exact_pattern_and_the_marker_first(tmp_path):
    import psutil

    stage = report.new_staging(tmp_path, "tmp", "demo-cafe")
    match = report.STAGING_NAME.fullmatch(stage.name)
    assert match and match["kind"] == "tmp" and match["id"] == "demo-cafe"
    assert int(match["pid"]) == os.getpid() and len(match["token"]) == 8
    assert [p.name for p in stage.iterdir()] == [report.STAGING_MARKER]
    assert stat.S_IMODE(stage.stat().st_mode) == 0o700
    marker = json.loads((stage / report.STAGING_MARKER).read_text())
    assert marker["pid"] == os.getpid() and marker["toolkit_version"] == __version__
    assert marker["process_started"] == pytest.approx(psutil.Process().create_time(), abs=0.05)
    assert marker["client_id"] == "demo-cafe" and marker["generator"] == report.GENERATOR
    assert report.STAGING_NAME.fullmatch(f".old-a-b-1-{'a' * 8}")["id"] == "a-b"
    for name in (".tmp-x-1-abcdef1", ".tmp-x-1-abcdef123", ".tmp-x-1-ABCDEF12", ".tmp--1-abcdef12"):
        assert not report.STAGING_NAME.fullmatch(name), name


def _stale(parent: Path, kind: str, cid: str, pid: int, started: float | None = None) -> Path:
    folder = parent / f".{kind}-{cid}-{pid}-{os.urandom(4).hex()}"
    folder.mkdir()
    report.write_staging_marker(folder, kind, cid, pid=pid, started=started)
    return folder


def test_stale_cleanup_removes_only_marked_folders_of_dead_owners(tmp_path):
    import psutil

    dead = _dead_pid()
    parent = psutil.Process(os.getppid())
    user_notes = tmp_path / ".tmp-notes-1-abcdef12"  # the issue's case: looks like ours
    user_notes.mkdir()
    (user_notes / "todo.txt").write_text("mine")
    short = tmp_path / f".tmp-demo-cafe-{dead}-abcd"  # pattern wrong (4 hex), marker right
    short.mkdir()
    report.write_staging_marker(short, "tmp", "demo-cafe", pid=dead)
    stale = _stale(tmp_path, "tmp", "demo-cafe", dead)
    (stale / "half.html").write_text("half")
    kernels = _stale(tmp_path, "tmp", "kernels", dead)
    (kernels / "kernel-1.json").write_text("{}")
    live = _stale(tmp_path, "tmp", "other", parent.pid, parent.create_time())
    reused = _stale(tmp_path, "tmp", "reused", parent.pid, parent.create_time() - 1000)
    liar = tmp_path / f".tmp-liar-{dead}-abcdef12"  # marker names another pid
    liar.mkdir()
    report.write_staging_marker(liar, "tmp", "liar", pid=dead + 1)
    target = tmp_path / "target"
    target.mkdir()
    report.write_staging_marker(target, "tmp", "evil", pid=dead)
    link = tmp_path / f".tmp-evil-{dead}-abcdef12"
    link.symlink_to(target, target_is_directory=True)
    failed = tmp_path / report.FAILED_DIR
    failed.mkdir()
    failed_stale = _stale(failed, "old", "gone", dead)
    failed_user = failed / ".old-gone-1-abcdef12"
    failed_user.mkdir()

    removed = report.clean_stale(tmp_path)
    assert sorted(removed) == sorted([stale.name, kernels.name, reused.name, failed_stale.name])
    for kept in (user_notes, short, live, liar, target, link, failed_user):
        assert kept.exists(), kept.name
    assert (user_notes / "todo.txt").read_text() == "mine"
    assert not stale.exists() and not kernels.exists() and not reused.exists()


def test_stale_old_folder_gives_back_the_previous_report(tmp_path):
    dead = _dead_pid()
    lost = _stale(tmp_path, "old", "lost-client", dead)
    _tool_report(lost / "previous", "lost-client")
    again = _stale(tmp_path, "old", "still-here", dead)
    _tool_report(again / "previous", "still-here")
    _tool_report(tmp_path / "still-here", "still-here", ("report.ipynb",))
    report.clean_stale(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lost-client", "still-here"]
    assert (tmp_path / "lost-client" / "report.html").read_text() == "previous report.html"
    assert (tmp_path / "still-here" / "report.ipynb").exists()  # the newer report stays


def test_stale_old_folder_holding_a_foreign_previous_is_never_deleted(tmp_path):
    """Killed after moving a folder aside and finding it was not ours: it is given back."""
    dead = _dead_pid()
    old = _stale(tmp_path, "old", "client", dead)
    (old / "previous").mkdir()
    (old / "previous" / "mine.txt").write_text("mine")
    report.clean_stale(tmp_path)
    assert (tmp_path / "client" / "mine.txt").read_text() == "mine"
    blocked = _stale(tmp_path, "old", "client", dead)  # and the place is taken: left alone
    (blocked / "previous").mkdir()
    (blocked / "previous" / "mine.txt").write_text("mine too")
    report.clean_stale(tmp_path)
    assert (blocked / "previous" / "mine.txt").read_text() == "mine too"


# --- 3. One run per output folder -----------------------------------------------------------


def test_output_lock_excludes_a_second_holder_and_is_removed(tmp_path):
    first = report.OutputLock(tmp_path)
    first.acquire()
    assert (tmp_path / report.LOCK_NAME).is_file()
    with pytest.raises(report.OutputBusy) as info:
        report.OutputLock(tmp_path).acquire()
    assert info.value.pid == os.getpid()
    first.release()
    assert not (tmp_path / report.LOCK_NAME).exists()
    again = report.OutputLock(tmp_path)
    again.acquire()
    again.release()


def test_output_lock_without_fcntl_falls_back_to_an_exclusive_file(tmp_path, monkeypatch):
    monkeypatch.setattr(report.lock, "fcntl", None)
    first = report.OutputLock(tmp_path)
    first.acquire()
    with pytest.raises(report.OutputBusy) as info:
        report.OutputLock(tmp_path).acquire()
    assert info.value.pid == os.getpid()
    first.release()
    assert not (tmp_path / report.LOCK_NAME).exists()
    # a lock left by a killed run (its process is gone) is taken over
    (tmp_path / report.LOCK_NAME).write_text(
        json.dumps({"pid": _dead_pid(), "process_started": 1.0})
    )
    taken = report.OutputLock(tmp_path)
    taken.acquire()
    taken.release()


def test_second_run_into_a_locked_out_exits_2_at_once_naming_the_pid(tmp_path):
    """Two real processes: one holds the lock of OUT, `workshop report` into OUT refuses."""
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from workshop import report; "
            f"lock = report.OutputLock({str(out)!r}); lock.acquire(); "
            "print('locked', flush=True); sys.stdin.readline(); lock.release()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == b"locked"
        started = time.monotonic()
        code, stdout, err = _run([str(DEMO), "--out", str(out)], tmp_path, timeout=60)
        elapsed = time.monotonic() - started
        assert code == 2, stdout + err
        assert i18n.t("report.cli.out_locked", "en", path=str(out), pid=holder.pid) in err
        assert "Traceback" not in err
        assert sorted(p.name for p in out.iterdir()) == [report.LOCK_NAME]  # nothing built
        print(f"second run refused in {elapsed:.2f} s")
    finally:
        holder.communicate(b"\n", timeout=10)
    assert list(out.iterdir()) == []


def test_a_link_in_place_of_the_lock_file_is_never_followed(tmp_path, no_kernel, fake_builds):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "bashrc"
    victim.write_text("mine")
    (out / report.LOCK_NAME).symlink_to(victim)
    code, _, err = _run_cli([DEMO], out)
    assert code == 2 and fake_builds == [] and victim.read_text() == "mine"
    assert err.strip().endswith(
        i18n.t("report.cli.out_lock_failed", "vi", path=str(out), reason=os.strerror(errno.ELOOP))
    )


# --- 4. --out checked up front --------------------------------------------------------------


@pytest.mark.parametrize("case", ["file", "under-a-file", "probe-fails"])
def test_bad_out_exits_2_before_validation_and_any_kernel(tmp_path, case, no_kernel, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file")
    out = {"file": blocker, "under-a-file": blocker / "sub", "probe-fails": tmp_path / "ro"}[case]
    if case == "probe-fails":  # a read-only folder, simulated (root writes through 0o555)
        out.mkdir()
        monkeypatch.setattr(
            report.lock,
            "_probe_writable",
            lambda folder: OSError(errno.EROFS, "Read-only file system"),
        )
    validated = []
    monkeypatch.setattr(report.cli, "load_inputs", lambda *a, **k: validated.append(1) or ([], []))
    monkeypatch.setenv("WORKSHOP_LANG", "en")
    code, stdout, err = _run_cli([DEMO], out)
    assert code == 2 and validated == [] and no_kernel == []
    expected = {
        "file": i18n.t("report.cli.out_not_folder", "en", path=str(out)),
        "under-a-file": i18n.t(
            "report.cli.out_cannot_create", "en", path=str(out), reason=os.strerror(errno.ENOTDIR)
        ),
        "probe-fails": i18n.t(
            "report.cli.out_not_writable", "en", path=str(out), reason="Read-only file system"
        ),
    }[case]
    assert err == expected + "\n" and stdout == ""
    assert blocker.read_text() == "a file"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["blocker"] + (["ro"] if case == "probe-fails" else [])
    )
    if case == "probe-fails":
        assert list(out.iterdir()) == []


def test_check_out_probes_by_writing(tmp_path):
    assert report.check_out(tmp_path / "new" / "deeper", "en") is None
    assert not (tmp_path / "new").exists()  # nothing created by the check
    assert report.check_out(tmp_path, "en") is None
    assert list(tmp_path.iterdir()) == []  # the probe file is gone
    assert report.lock._probe_writable(tmp_path) is None


@contextlib.contextmanager
def _mounted_tmpfs(folder: Path, options: str):
    """A tmpfs on `folder` (root in a container with CAP_SYS_ADMIN), or skip the test."""
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_read_only_out_on_a_read_only_mount_exits_2_without_traceback_or_leak(tmp_path):
    with _mounted_tmpfs(tmp_path / "ro", "size=1m,ro") as out:
        for args in (
            [str(DEMO)],
            [str(DEMO), str(data.data_dir() / "clients" / "studio-yoga.yaml")],
        ):
            code, stdout, err = _run([*args, "--out", str(out)], tmp_path, timeout=120)
            assert code == 2, stdout + err
            assert err.strip() == i18n.t(
                "report.cli.out_not_writable", "en", path=str(out), reason=os.strerror(errno.EROFS)
            )
        assert list(out.iterdir()) == []
    assert _env_leaks(tmp_path) == []


def test_single_plan_out_is_a_file_no_traceback_no_leak(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("a file")
    code, stdout, err = _run([str(DEMO), "--out", str(out)], tmp_path, timeout=120)
    assert code == 2 and "Traceback" not in err + stdout
    assert err.strip() == i18n.t("report.cli.out_not_folder", "en", path=str(out))
    assert out.read_text() == "a file" and _env_leaks(tmp_path) == []


# --- 5. The plan's bytes, read once ---------------------------------------------------------


def test_plan_reader_refuses_non_regular_files_quickly(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "workshop", "validate", str(fifo), "/dev/zero"],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        timeout=60,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err
    msg = i18n.t("plan.error.not_regular", "en")
    assert err.count(msg) == 2 and str(fifo) in err and "/dev/zero" in err


def test_plan_reader_reads_at_most_the_limit_plus_one_byte(tmp_path, monkeypatch):
    """Even a file that says it is small (it grew after fstat, or a filesystem misreports
    it) is read up to the limit + 1 byte, never to its end."""
    io_file = Path("/proc/self/io")
    if not io_file.exists():
        pytest.skip("needs /proc/self/io to count the bytes read")
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.truncate(50 * plan_mod.MAX_PLAN_BYTES)  # sparse: 50 MB that cost nothing

    def bytes_read() -> int:
        fields = dict(line.split(": ") for line in io_file.read_text().splitlines())
        return int(fields["rchar"])

    real_fstat, real_stat = os.fstat, os.stat

    def small(st):
        if stat.S_ISREG(st.st_mode) and st.st_size > plan_mod.MAX_PLAN_BYTES:
            return os.stat_result((*tuple(st)[:6], 10, *tuple(st)[7:10]))
        return st

    report.load_inputs([DEMO])  # everything imported and warm
    monkeypatch.setattr(os, "fstat", lambda fd: small(real_fstat(fd)))
    monkeypatch.setattr(os, "stat", lambda *a, **k: small(real_stat(*a, **k)))
    before = bytes_read()
    inputs, problems = report.load_inputs([big])
    read = bytes_read() - before
    monkeypatch.undo()
    assert inputs == [] and len(problems) == 1 and "big.yaml" in problems[0].error
    assert read < plan_mod.MAX_PLAN_BYTES + 200_000, read
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(DEMO.read_bytes())
    inputs, problems = report.load_inputs([exact])
    assert problems == [] and inputs[0].raw == DEMO.read_bytes()
    assert inputs[0].plan == plan_mod.load(DEMO) and inputs[0].name == "exact.yaml"


# --- 8. Discovery -----------------------------------------------------------------------------


def test_discovery_names_broken_links_loops_and_unreadable_folders(tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(DEMO, plans / "good.yaml")
    (plans / "broken.yaml").symlink_to(tmp_path / "gone.yaml")
    (plans / "loop.yaml").symlink_to(plans / "loop.yaml")
    (plans / "notes.txt").symlink_to(tmp_path / "gone.txt")  # not a plan name: not reported
    for lang in ("en", "vi"):
        monkeypatch.setenv("WORKSHOP_LANG", lang)
        files, problems = report.discover([plans])
        assert [p.name for p in files] == ["good.yaml"]
        by_name = {Path(p.path).name: p.message for p in problems}
        assert set(by_name) == {"broken.yaml", "loop.yaml"}
        assert by_name["broken.yaml"] == i18n.t(
            "report.cli.broken_link",
            lang,
            path=str(plans / "broken.yaml"),
            target=str(tmp_path / "gone.yaml"),
        )
        assert str(plans / "loop.yaml") in by_name["loop.yaml"]
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == plans:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, problems = report.discover([plans])
    assert files == [] and str(plans) in problems[0].message
    monkeypatch.setattr(os, "scandir", real_scandir)
    code, _, err = _run_cli([plans], tmp_path / "out")
    assert code == 2 and "broken.yaml" in err and "loop.yaml" in err


def test_missing_path_message_names_the_path(tmp_path, monkeypatch, no_kernel):
    monkeypatch.setenv("WORKSHOP_LANG", "en")
    missing = tmp_path / "typo.yaml"
    code, _, err = _run_cli([missing], tmp_path / "out")
    assert code == 2
    assert str(missing) in err
    assert i18n.t("report.cli.missing_path", "en", path=str(missing)) in err


def test_non_utf8_file_name_is_reported_readably(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    raw_name = os.fsencode(plans) + b"/plan-\xff.yaml"
    with open(raw_name, "wb") as fh:
        fh.write(DEMO.read_bytes())
    for command in (
        ["report", str(plans), "--out", str(tmp_path / "out")],
        ["validate", str(plans)],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "workshop", *command],
            cwd=ROOT,
            env=_env(tmp_path, PYTHONIOENCODING="utf-8:strict"),
            capture_output=True,
            timeout=120,
        )
        text = proc.stdout.decode() + proc.stderr.decode()  # strict: valid UTF-8 only
        assert proc.returncode == 2, text
        assert "Traceback" not in text and "UnicodeEncodeError" not in text
        assert "plan-\\xff.yaml" in text
        assert i18n.t("report.cli.name_not_utf8", "en") in text
    assert not (tmp_path / "out").exists()


def test_display_path_never_fails():
    bad = os.fsdecode(b"/tmp/x-\xff\xfe.yaml")
    shown = report.display_path(bad)
    shown.encode("utf-8")  # no surrogate left
    assert shown == "/tmp/x-\\xff\\xfe.yaml" and report.display_path("/tmp/đ.yaml") == "/tmp/đ.yaml"


# --- Slow: real reports -----------------------------------------------------------------------


def _texts(folder: Path) -> dict[str, str]:
    """What each output says, as text: the HTML, the calendar files, the manifest, the plan."""
    wb = openpyxl.load_workbook(folder / "calendar.xlsx", read_only=True)
    cells = " ".join(
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
    )
    ics = icalendar.Calendar.from_ical((folder / "calendar.ics").read_bytes())
    return {
        "report.html": (folder / "report.html").read_text(encoding="utf-8"),
        "report.ipynb": (folder / "report.ipynb").read_text(encoding="utf-8"),
        "calendar.csv": (folder / "calendar.csv").read_text(encoding="utf-8"),
        "calendar.xlsx": cells,
        "calendar.ics": str(ics.get("x-wr-calname"))
        + " ".join(str(e.get("summary")) for e in ics.walk("VEVENT")),
        "plan.yaml": (folder / "plan.yaml").read_text(encoding="utf-8"),
    }


@pytest.fixture(scope="module")
def rewritten_batch(tmp_path_factory):
    """Three plans, one refused (a foreign folder), two built with --jobs 2; after validation
    and before the workers start, both plan files are rewritten (VERSION-TWO)."""
    root = tmp_path_factory.mktemp("trust-batch")
    plans = root / "plans"
    first = {
        "alpha": _plan(plans, "alpha.yaml", "alpha", "VERSION-ONE", "demo-cafe.yaml"),
        "beta": _plan(plans, "beta.yaml", "beta", "VERSION-ONE"),
    }
    _plan(plans, "gamma.yaml", "gamma", "VERSION-ONE")
    originals = {cid: p.read_bytes() for cid, p in first.items()}
    out = root / "out"
    (out / "gamma").mkdir(parents=True)
    (out / "gamma" / "notes.txt").write_text("mine")
    real_batch = report.run_batch

    def rewriting_batch(*args, **kwargs):
        for cid, path in first.items():
            _plan(
                plans,
                path.name,
                cid,
                "VERSION-TWO",
                "demo-cafe.yaml" if cid == "alpha" else "studio-yoga.yaml",
            )
        return real_batch(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(report.batch, "run_batch", rewriting_batch)
        mp.setenv("WORKSHOP_LANG", "en")
        code, stdout, err = _run_cli([plans], out, jobs=2)
    return dict(
        root=root, plans=plans, out=out, code=code, stdout=stdout, err=err, originals=originals
    )


@pytest.mark.slow
def test_batch_refuses_one_client_and_builds_the_others(rewritten_batch):
    b = rewritten_batch
    assert b["code"] == 2, b["stdout"] + b["err"]
    out = b["out"]
    assert sorted(p.name for p in out.iterdir()) == ["alpha", "beta", "gamma"]
    assert sorted(p.name for p in (out / "gamma").iterdir()) == ["notes.txt"]
    for cid in ("alpha", "beta"):
        manifest = json.loads((out / cid / "manifest.json").read_text())
        assert manifest["status"] == "ok" and manifest["generator"] == report.GENERATOR
        assert report.foreign_reason(out / cid, cid) is None  # the next run may replace it


@pytest.mark.slow
def test_batch_outputs_come_from_the_validated_bytes(rewritten_batch):
    b = rewritten_batch
    for cid, raw in b["originals"].items():
        folder = b["out"] / cid
        texts = _texts(folder)
        for name, text in texts.items():
            assert "VERSION-ONE" in text, (cid, name)
            assert "VERSION-TWO" not in text, (cid, name)
        assert (folder / "plan.yaml").read_bytes() == raw
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["plan"]["sha256"] == hashlib.sha256(raw).hexdigest()
        assert manifest["plan"]["plan_hash"] == plan_mod.plan_hash(plan_mod.loads(raw.decode()))
    assert "VERSION-TWO" in (b["plans"] / "alpha.yaml").read_text()  # the rewrite did happen


@pytest.mark.slow
def test_no_absolute_path_of_the_machine_in_report_notebook_or_manifest(rewritten_batch):
    b = rewritten_batch
    secrets_ = {str(b["root"]), str(b["root"].resolve()), str(b["plans"]), str(b["out"])}
    for cid in b["originals"]:
        folder = b["out"] / cid
        for name in ("report.html", "report.ipynb", "manifest.json"):
            text = (folder / name).read_text(encoding="utf-8")
            for secret in secrets_:
                assert secret not in text, (cid, name, secret)
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["plan"]["name"] == f"{cid}.yaml" and "path" not in manifest["plan"]
        assert manifest["template"] == "report.ipynb"
        assert manifest["parameters"] == {
            "plan_path": "plan.yaml",
            "plan_name": f"{cid}.yaml",
            "language": "",
        }
        nb = json.loads((folder / "report.ipynb").read_text())
        assert nb["metadata"]["papermill"]["parameters"] == manifest["parameters"]
        page = (folder / "report.html").read_text(encoding="utf-8")
        # the run information names the plan by its file name (escaped), never by a path
        assert f"{cid}.yaml" in html.unescape(page)


@pytest.mark.slow
def test_single_plan_rewritten_mid_run_then_rebuilt_from_its_own_copy(tmp_path, monkeypatch):
    """One plan (built in the CLI process): the validated bytes win; a second run replaces
    the tool's own folder, even when the plan is the report's own plan.yaml."""
    plans = tmp_path / "plans"
    plan = _plan(plans, "solo.yaml", "solo", "VERSION-ONE")
    raw = plan.read_bytes()
    out = tmp_path / "out"
    real_single = report.run_single

    def rewriting_single(*args, **kwargs):
        _plan(plans, "solo.yaml", "solo", "VERSION-TWO")
        return real_single(*args, **kwargs)

    monkeypatch.setattr(report.batch, "run_single", rewriting_single)
    monkeypatch.setenv("WORKSHOP_LANG", "en")
    code, stdout, err = _run_cli([plan], out)
    assert code == 0, stdout + err
    folder = out / "solo"
    for name, text in _texts(folder).items():
        assert "VERSION-ONE" in text and "VERSION-TWO" not in text, name
    first = json.loads((folder / "manifest.json").read_text())
    assert first["plan"]["sha256"] == hashlib.sha256(raw).hexdigest()
    monkeypatch.setattr(report.batch, "run_single", real_single)
    (folder / "report.html").write_text("marker of the first run")
    code, stdout, err = _run_cli([folder / "plan.yaml"], out)  # the report's own copy
    assert code == 0, stdout + err
    assert (folder / "plan.yaml").read_bytes() == raw
    assert "marker of the first run" not in (folder / "report.html").read_text()
    assert sorted(p.name for p in out.iterdir()) == ["solo"]


@pytest.mark.slow
@pytest.mark.parametrize("how", ["tmpfs", "monkeypatch"])
def test_disk_full_mid_run_fails_that_client_cleanly(tmp_path, how, monkeypatch):
    """A full disk while the report is written: the client fails with a clear message, no
    traceback, nothing half-written, no kernel running, no kernel file left."""
    import psutil

    plans = tmp_path / "plans"
    plan = _plan(plans, "full.yaml", "full", "X")
    if how == "tmpfs":
        # 1 MiB: the plan, calendar files and notebook fit, the 4 MB HTML does not
        with _mounted_tmpfs(tmp_path / "tiny", "size=1m") as out:
            code, stdout, err = _run([str(plan), "--out", str(out)], tmp_path, timeout=300)
            text = stdout + err
            assert not [
                p.pid
                for p in psutil.process_iter(["cmdline"])
                if str(out) in " ".join(p.info["cmdline"] or [])
            ]  # no kernel left running
            left = sorted(p.name for p in out.iterdir())
            failed = out / report.FAILED_DIR / "full"
            kept = sorted(p.name for p in failed.iterdir()) if failed.is_dir() else []
            if kept:
                listed = {
                    f["name"] for f in json.loads((failed / "manifest.json").read_text())["files"]
                }
                assert set(kept) == listed  # a complete record, not a half-written one
    else:
        out = tmp_path / "out"
        real = report.html_report

        def full_disk(*args, **kwargs):
            real(*args, **kwargs)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "report.html")

        monkeypatch.setattr(report.html, "html_report", full_disk)
        monkeypatch.setenv("WORKSHOP_LANG", "en")
        code, stdout, err = _run_cli([plan], out)
        text = stdout + err
        left = sorted(p.name for p in out.iterdir())
        assert _kernel_processes() == []
    assert code == 1, text
    assert "Traceback" not in text
    assert any(
        i18n.t("report.cli.disk_full", "en", step=i18n.t(f"report.step.{step}", "en")) in text
        for step in (*report.STEPS, "save")
    ), text
    assert "full" not in left and not [n for n in left if n.startswith(".")]
    assert _env_leaks(tmp_path) == []


# --- Slow: kernel files never left behind ---------------------------------------------------


def _kernel_dirs(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.name.startswith(".tmp-kernels-")] if out.is_dir() else []


@pytest.mark.slow
def test_lock_against_a_real_run_and_no_kernel_file_outside_a_private_folder(tmp_path):
    plans = tmp_path / "plans"
    plan = _plan(plans, "one.yaml", "one", "X")
    out = tmp_path / "out"
    first = _cli([str(plan), "--out", str(out)], tmp_path)
    try:
        assert _wait_for(
            lambda: _kernel_dirs(out) and list(_kernel_dirs(out)[0].glob("kernel-*.json")), 60
        )
        kdir = _kernel_dirs(out)[0]
        assert kdir.stat().st_mode & 0o777 == 0o700  # (jupyter_client adds the sticky bit)
        assert _env_leaks(tmp_path) == []  # nothing in $TMPDIR or the Jupyter runtime dir
        (tmp_path / "second").mkdir()
        code, stdout, err = _run([str(plan), "--out", str(out)], tmp_path / "second", timeout=60)
        assert code == 2 and str(first.pid) in err, stdout + err
        stdout, err = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.communicate()
    assert first.returncode == 0, err.decode()
    assert sorted(p.name for p in out.iterdir()) == ["one"]
    assert _env_leaks(tmp_path) == [] and _kernel_leaks(out) == []


@pytest.mark.slow
def test_no_kernel_file_left_after_a_batch_with_a_failure(tmp_path):
    plans = tmp_path / "plans"
    _plan(plans, "ok.yaml", "ok-client", "X")
    _plan(plans, "bad.yaml", "fails-client", "Y")
    out = tmp_path / "out"
    code, stdout, err = _run(
        [str(plans), "--out", str(out), "--jobs", "2"],
        tmp_path,
        **{report.inputs.TEMPLATE_ENV: str(FAILING_TEMPLATE)},
    )
    assert code == 1, stdout + err
    assert sorted(p.name for p in out.iterdir()) == ["_failed", "ok-client"]
    assert _env_leaks(tmp_path) == [] and _kernel_leaks(out) == []
    kept = out / report.FAILED_DIR / "fails-client"
    assert "kernel-stderr.log" in {p.name for p in kept.iterdir()}  # the log, for debugging


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "code", "args"),
    [
        (signal.SIGTERM, 143, []),  # one plan: built in the CLI process
        (signal.SIGINT, 130, ["--jobs", "2"]),  # two plans: worker processes
    ],
)
def test_no_kernel_file_left_after_sigterm_or_sigint(tmp_path, signum, code, args):
    plans = tmp_path / "plans"
    plan = _plan(plans, "one.yaml", "one", "X")
    if args:
        _plan(plans, "two.yaml", "two", "Y")
    out = tmp_path / "out"
    proc = _cli([str(plans if args else plan), "--out", str(out), *args], tmp_path)
    try:
        assert _wait_for(
            lambda: (
                any(d.glob("kernel-*.json") for d in _kernel_dirs(out))
                and any(out.glob(".tmp-one-*"))
            ),
            60,
        )
        time.sleep(0.5)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == code, err.decode()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # lock too
    assert _kernel_leaks(out) == [] and _env_leaks(tmp_path) == []


@pytest.mark.slow
def test_no_kernel_file_left_after_sigkill_and_rerun(tmp_path):
    import psutil

    plans = tmp_path / "plans"
    _plan(plans, "a.yaml", "client-a", "X")
    _plan(plans, "b.yaml", "client-b", "Y")
    out = tmp_path / "out"
    args = [str(plans), "--out", str(out), "--jobs", "2"]
    proc = _cli(args, tmp_path)
    try:
        assert _wait_for(lambda: len(list(out.glob(".tmp-client-*"))) >= 1, 60)
        assert _wait_for(
            lambda: any(True for d in _kernel_dirs(out) for _ in d.glob("kernel-*.json")), 60
        )
        time.sleep(0.5)
        children = psutil.Process(proc.pid).children(recursive=True)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert _wait_for(
        lambda: not any(c.is_running() and c.status() != "zombie" for c in children), 20
    )
    code, stdout, err = _run(args, tmp_path)
    assert code == 0, stdout + err
    assert sorted(p.name for p in out.iterdir()) == ["client-a", "client-b"]
    assert _env_leaks(tmp_path) == [] and _kernel_leaks(out) == []
