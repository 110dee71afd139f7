"""``workshop report --scheduler``: batches through a real Dask cluster on 127.0.0.1.

A module-scoped cluster: one ``dask scheduler`` and two ``dask worker`` processes (``--nworkers
1 --nthreads 1 --no-nanny``, so that a worker killed by its PID stays dead and its clients
must go to the other one), on free ports of 127.0.0.1, each worker with its own $TMPDIR, all
stopped at the end by their PIDs. The workers run the fixture template
(``tests/fixtures/failing-template``: the real template, failing for ids ``fails-*``).

Fast tests check what needs no cluster (the shipment checks, an unreachable scheduler).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

pytest.importorskip("distributed")

from workshop import data, i18n, report  # noqa: E402
from workshop.report import cluster  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FAILING_TEMPLATE = ROOT / "tests" / "fixtures" / "failing-template" / "report.ipynb"
DASK = Path(sys.executable).parent / "dask"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _stop(proc: subprocess.Popen) -> None:
    """Stop one of our processes by its PID: SIGTERM, then SIGKILL."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _plans(folder: Path, extra_fail: bool = True) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [Path(shutil.copy(p, folder / p.name)) for p in data.example_plans()]
    if extra_fail:
        raw = yaml.safe_load(data.demo_plan().read_text(encoding="utf-8"))
        raw["client"]["id"] = "fails-on-dask"
        path = folder / "fails.yaml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths


def _run_cli(paths, out, **kwargs) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = report.run_cli([str(p) for p in paths], str(out), None, False, **kwargs)
    return code, stdout.getvalue(), stderr.getvalue()


def _summary_rows(stdout: str) -> dict[str, str]:
    """The summary table's rows by client (the lines between the dashes and a blank line)."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("------")) + 1
    rows = {}
    for line in lines[start:]:
        if not line.strip():
            break
        name = line.split()[0]
        assert name not in rows, f"{name} twice in the summary"
        rows[name] = line
    return rows


def _complete(folder: Path) -> bool:
    manifest = json.loads((folder / "manifest.json").read_text())
    listed = {f["name"] for f in manifest["files"]}
    return listed == {p.name for p in folder.iterdir()}


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, WORKSHOP_LANG="en", PYDEVD_DISABLE_FILE_VALIDATION="1")
    env[report.inputs.TEMPLATE_ENV] = str(FAILING_TEMPLATE)
    procs = []
    logs = []

    def start(name: str, args: list[str], **extra: str) -> subprocess.Popen:
        log = open(root / f"{name}.log", "wb")  # noqa: SIM115 (the server's log: closed when it stops)
        logs.append(log)
        proc = subprocess.Popen(
            [str(DASK), *args],
            cwd=root,
            env=dict(env, **extra),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        procs.append(proc)
        return proc

    try:
        start(
            "scheduler",
            ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        )
        workers = {}
        for name in ("w1", "w2"):
            tmpdir = root / f"{name}-tmp"
            tmpdir.mkdir()
            args = ["worker", address, "--host", "127.0.0.1", "--name", name]
            args += ["--nworkers", "1", "--nthreads", "1", "--no-nanny", "--no-dashboard"]
            args += ["--local-directory", str(root / f"{name}-dask")]
            workers[name] = start(name, args, TMPDIR=str(tmpdir))
        from distributed import Client

        client = Client(address, timeout=60, set_as_default=False)
        client.wait_for_workers(2, timeout=120)
        yield dict(address=address, root=root, client=client, workers=workers)
        client.close()
    finally:
        for proc in reversed(procs):
            _stop(proc)
        for log in logs:
            log.close()


# --- Fast ---------------------------------------------------------------------------------


def test_shipments_with_odd_file_names_are_refused(tmp_path):
    assert cluster._safe_files({"manifest.json": b"{}", "report.html": b""})
    for name in ("../x", "sub/x", ".hidden", ""):
        assert not cluster._safe_files({"manifest.json": b"{}", name: b""}), name
    assert not cluster._safe_files({"report.html": b""})  # no manifest
    shipment = cluster.Shipment(
        {"plan_path": "a.yaml", "client_id": "a", "status": "ok", "language": "en"},
        "ok",
        {"manifest.json": b"{}", "../evil": b"x"},
    )
    res = cluster.install(shipment, tmp_path, report.Guard())
    assert res.status == "failed" and res.error == i18n.t("report.cli.cluster_bad_files", "en")
    assert list(tmp_path.iterdir()) == []


def test_unreachable_scheduler_exits_2_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_LANG", "en")
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 2)
    address = f"tcp://127.0.0.1:{_free_port()}"
    code, stdout, err = _run_cli([data.demo_plan()], tmp_path / "out", scheduler=address)
    assert code == 2 and address in err and "Traceback" not in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []  # lock released


# --- Slow: the real cluster -----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.cluster
def test_batch_through_two_dask_workers_written_here(dask_cluster, tmp_path, monkeypatch):
    """The example plans and one failing plan on the cluster: the files come back as bytes
    and are written here (no shared folder), each client once in the summary."""
    monkeypatch.setenv("WORKSHOP_LANG", "en")
    plans = _plans(tmp_path / "plans")
    out = tmp_path / "out"
    code, stdout, err = _run_cli([tmp_path / "plans"], out, scheduler=dask_cluster["address"])
    assert code == 1, stdout + err  # the fails-* client failed, the others were built
    ids = [yaml.safe_load(p.read_text())["client"]["id"] for p in plans]
    rows = _summary_rows(stdout)
    assert set(rows) == set(ids)
    ok = [i for i in ids if not i.startswith("fails-")]
    assert sorted(p.name for p in out.iterdir()) == sorted(ok + ["_failed"])
    for cid in ok:
        assert _complete(out / cid) and str(out / cid) in rows[cid]
        manifest = json.loads((out / cid / "manifest.json").read_text())
        assert manifest["status"] == "ok" and manifest["client_id"] == cid
        assert (out / cid / "report.html").stat().st_size > 100_000
    failed = out / "_failed" / "fails-on-dask"
    assert _complete(failed) and "RuntimeError" in (failed / "error.txt").read_text()
    kept = {
        p.name: p.read_text(errors="replace")[-3000:]
        for p in failed.iterdir()
        if p.suffix in (".txt", ".log")
    }
    assert "fixture template" in rows["fails-on-dask"], (rows["fails-on-dask"], kept)
    assert str(failed) in rows["fails-on-dask"]
    for name in ("w1", "w2"):  # the workers' scratch folders are gone
        scratch = dask_cluster["root"] / f"{name}-tmp" / f"workshop-dask-{os.getuid()}"
        leftovers = [p.name for p in scratch.iterdir() if not p.name.startswith(".tmp-kernels-")]
        assert leftovers == [], leftovers


@pytest.mark.slow
@pytest.mark.cluster
def test_shared_out_written_by_the_workers(dask_cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_LANG", "en")
    _plans(tmp_path / "plans", extra_fail=False)
    out = tmp_path / "out"
    code, stdout, err = _run_cli(
        [tmp_path / "plans"], out, scheduler=dask_cluster["address"], shared_out=True
    )
    assert code == 0, stdout + err
    names = sorted(p.name for p in out.iterdir())
    ids = [yaml.safe_load(p.read_text())["client"]["id"] for p in data.example_plans()]
    assert names == sorted(ids)
    assert all(_complete(out / n) for n in names)


@pytest.mark.slow
@pytest.mark.cluster
def test_worker_killed_mid_batch_its_clients_rebuilt_elsewhere(dask_cluster, tmp_path):
    """SIGKILL one worker by its PID while it builds: Dask runs its client on the other
    worker; every client ends complete, once in the summary, nothing half-written. (Last in
    the module: the killed worker does not come back.)"""
    import psutil

    plans = tmp_path / "plans"
    for i in range(4):
        raw = yaml.safe_load((data.data_dir() / "clients" / "studio-yoga.yaml").read_text())
        raw["client"]["id"] = f"client-{i}"
        (plans).mkdir(exist_ok=True)
        (plans / f"client-{i}.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    out = tmp_path / "out"
    victim = dask_cluster["workers"]["w1"]
    scratch = dask_cluster["root"] / "w1-tmp" / f"workshop-dask-{os.getuid()}"
    cli = subprocess.Popen(
        [sys.executable, "-m", "workshop", "report", str(plans), "--out", str(out)]
        + ["--scheduler", dask_cluster["address"]],
        cwd=ROOT,
        env=dict(os.environ, WORKSHOP_LANG="en"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:

        def building() -> bool:
            return scratch.is_dir() and any(
                p.name.startswith(".tmp-client-") for p in scratch.iterdir()
            )

        assert _wait_for(building, 120), "w1 never started a client"
        assert _wait_for(lambda: psutil.Process(victim.pid).children(recursive=True), 60)
        time.sleep(1.0)  # in the middle of the kernel's run
        kernels = psutil.Process(victim.pid).children(recursive=True)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
        stdout, stderr = cli.communicate(timeout=600)
    finally:
        if cli.poll() is None:
            os.killpg(cli.pid, signal.SIGKILL)
            cli.communicate()
    text = stdout.decode() + stderr.decode()
    assert cli.returncode == 0, text
    rows = _summary_rows(stdout.decode())
    assert sorted(rows) == [f"client-{i}" for i in range(4)]
    assert all(i18n.t("report.status.ok", "en") in row for row in rows.values())
    assert sorted(p.name for p in out.iterdir()) == [f"client-{i}" for i in range(4)]
    assert all(_complete(out / f"client-{i}") for i in range(4))

    # the killed worker's kernel (and fork-server) do not outlive it
    def alive() -> list[str]:
        return [
            " ".join(k.cmdline())[:120]
            for k in kernels
            if k.is_running() and k.status() != "zombie"
        ]

    assert _wait_for(lambda: not alive(), 30), alive()
