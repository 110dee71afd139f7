"""The local batch on its executor (``workshop.report.batch``) and the process guard.

The slow tests run twice: kernels forked from the workers' fork-server (the default on
Linux) and launched the normal way (``WORKSHOP_NO_FORKSERVER=1``, what every other system uses),
so CI covers both. Failing clients come from the fixture template
``tests/fixtures/failing-template`` (it fails for ids starting with ``fails-``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import yaml

from workshop import data, i18n, report
from workshop.report import batch as batch_mod

ROOT = Path(__file__).resolve().parents[1]
FAILING_TEMPLATE = ROOT / "tests" / "fixtures" / "failing-template" / "report.ipynb"


def _plan(folder: Path, cid: str, base: str = "studio-yoga.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    raw = yaml.safe_load((data.data_dir() / "clients" / base).read_text(encoding="utf-8"))
    raw["client"]["id"] = cid
    path = folder / f"{cid}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _complete(folder: Path) -> bool:
    manifest = json.loads((folder / "manifest.json").read_text())
    return {f["name"] for f in manifest["files"]} == {p.name for p in folder.iterdir()}


def _kernels_left() -> list:
    return [
        p
        for p in psutil.Process().children(recursive=True)
        if p.is_running() and p.status() != "zombie" and "ipykernel" in " ".join(p.cmdline())
    ]


@pytest.fixture(params=["forked", "launched"])
def kernel_mode(request, monkeypatch):
    """Both ways a worker's kernels start: forked from its fork-server, or launched."""
    if request.param == "launched":
        monkeypatch.setenv("WORKSHOP_NO_FORKSERVER", "1")
    else:
        if not sys.platform.startswith("linux"):
            pytest.skip("the fork-server needs Linux")
        monkeypatch.delenv("WORKSHOP_NO_FORKSERVER", raising=False)
    return request.param


# --- Fast: the guard and the resubmission rule ----------------------------------------------


def test_guard_defers_a_signal_to_the_end_of_a_critical_section():
    guard = report.Guard()
    seen = []
    handler = guard.deferrable(seen.append)
    with guard.critical():
        with guard.critical():
            handler(signal.SIGTERM, None)
        assert seen == []  # still inside the outer section
    assert seen == [signal.SIGTERM]
    handler(signal.SIGINT, None)
    assert seen == [signal.SIGTERM, signal.SIGINT]


def test_guard_undo_removes_its_folders_and_releases_its_locks(tmp_path, monkeypatch):
    killed = []
    monkeypatch.setattr(report.guard, "kill_children", lambda: killed.append(1))
    guard = report.Guard()
    stage = report.new_staging(tmp_path, "tmp", "demo-cafe", guard)
    assert guard.folders == [stage]
    lock = report.prepare_output(tmp_path, "en", guard)
    guard.kernel_dir = report.new_staging(tmp_path, "tmp", "kernels")
    guard.undo()
    assert list(tmp_path.iterdir()) == [] and lock.fd is None and killed == [1]


def test_a_client_a_dead_worker_had_begun_is_tried_once_more_then_failed(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_LANG", "en")
    inputs = [report.load_input(_plan(tmp_path / "plans", cid)) for cid in ("begun", "queued")]
    out = tmp_path / "out"
    out.mkdir()
    progress = batch_mod.Progress(2, enabled=False)
    run = batch_mod._Batch(inputs, out, 2, False, progress)
    dead = _dead_pid()

    def begun_by_a_dead_worker() -> None:
        folder = out / f".tmp-begun-{dead}-{os.urandom(4).hex()}"
        folder.mkdir()
        report.write_staging_marker(folder, "tmp", "begun", pid=dead)

    begun_by_a_dead_worker()
    assert run._after_break([0, 1], "-9") == [0, 1]  # both again; "begun" counts one try
    assert run.attempts == [1, 0] and list(out.iterdir()) == []  # its folder cleaned up
    begun_by_a_dead_worker()
    assert run._after_break([0, 1], "-9") == [1]  # the second time it is failed
    res = run.results[0]
    assert res.status == "failed" and res.client_id == "begun"
    assert res.error == i18n.t("report.cli.worker_died", "en", code="-9")
    assert run.results[1] is None


# --- Slow: real batches -----------------------------------------------------------------------


@pytest.mark.slow
def test_batch_with_a_failing_client_in_both_kernel_modes(tmp_path, monkeypatch, kernel_mode):
    monkeypatch.setenv("WORKSHOP_LANG", "en")
    monkeypatch.setenv(report.inputs.TEMPLATE_ENV, str(FAILING_TEMPLATE))
    plans = tmp_path / "plans"
    for cid in ("ok-a", "ok-b", "fails-c"):
        _plan(plans, cid)
    out = tmp_path / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = report.run_cli([str(plans)], str(out), 2, False)
    text = stdout.getvalue() + stderr.getvalue()
    assert code == 1, text
    assert sorted(p.name for p in out.iterdir()) == ["_failed", "ok-a", "ok-b"]
    for folder in (out / "ok-a", out / "ok-b", out / "_failed" / "fails-c"):
        assert _complete(folder)
        manifest = json.loads((folder / "manifest.json").read_text())
        # the requested mode, unless the kernel died before answering (a port race) and
        # the one documented retry ran the client in a fresh, launched kernel
        retried = manifest.get("kernel_restarts") == 1
        expected = "launched" if retried else kernel_mode
        assert manifest["kernel"] == expected, (folder.name, manifest.get("kernel_restarts"))
    assert "RuntimeError" in (out / "_failed" / "fails-c" / "error.txt").read_text()
    assert "[3/3]" in stderr.getvalue()
    assert _wait_for(lambda: not _kernels_left(), 10)


@pytest.mark.slow
def test_a_worker_killed_mid_build_its_client_is_rebuilt(tmp_path, kernel_mode):
    """SIGKILL the worker building a client: the executor breaks, the unfinished clients go
    to a fresh one, every client ends complete and once in the summary, exit 0."""
    plans = tmp_path / "plans"
    for i in range(4):
        _plan(plans, f"client-{i}")
    out = tmp_path / "out"
    env = dict(os.environ, WORKSHOP_LANG="en")
    if kernel_mode == "launched":
        env["WORKSHOP_NO_FORKSERVER"] = "1"
    cli = subprocess.Popen(
        [sys.executable, "-m", "workshop", "report", str(plans), "--out", str(out), "--jobs", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stages = lambda: [p for p in out.glob(".tmp-client-*")] if out.is_dir() else []  # noqa: E731
        assert _wait_for(stages, 120), "no client started"
        victim = int(report.STAGING_NAME.fullmatch(stages()[0].name)["pid"])
        assert victim in {p.pid for p in psutil.Process(cli.pid).children(recursive=True)}
        time.sleep(0.5)
        os.kill(victim, signal.SIGKILL)
        stdout, stderr = cli.communicate(timeout=600)
    finally:
        if cli.poll() is None:
            os.killpg(cli.pid, signal.SIGKILL)
            cli.communicate()
    text = stdout.decode() + stderr.decode()
    assert cli.returncode == 0, text
    assert sorted(p.name for p in out.iterdir()) == [f"client-{i}" for i in range(4)]
    assert all(_complete(out / f"client-{i}") for i in range(4))
    lines = [line.split()[0] for line in stdout.decode().splitlines() if line.startswith("client-")]
    assert sorted(lines) == [f"client-{i}" for i in range(4)]  # each once


def test_fork_server_warm_up_runs_every_section_as_the_template_does():
    """The fork-server's warm-up ignores errors (it is only a warm-up), so this test is what
    notices when it no longer runs the sections the template runs (it once called them with
    the old (plan, language) arguments and warmed nothing)."""
    from workshop.report import forkserver, sections

    assert forkserver.warm_sections() == len(sections.SECTIONS) * len(i18n.LANGUAGES)
