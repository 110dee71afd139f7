"""One client report and a batch, through ``workshop report`` and through the naive chain.

* ``workshop report``: ``python -m workshop report PLAN --out DIR --jobs N`` as a subprocess
  (what a consultant types), wall time from start to exit, including interpreter start,
  validation, worker start, kernel, HTML export, calendar exports (CSV, XLSX, ICS) and the
  manifest. The per-step durations of the manifest are kept in the JSON.
* The **naive chain** (what a user would type without the toolkit's runner)::

      papermill notebooks/report/report.ipynb out.ipynb -p plan_path <absolute plan>
      jupyter nbconvert --to html --no-input out.ipynb

  with the CLIs of the virtualenv, run from the repository root. It produces the executed
  notebook and an HTML page only: **no calendar exports, no manifest, no offline
  clean-up**, so it does less work than ``workshop report``.

Runs alternate (report, naive, naive, report, ... so that neither always goes first) on the
same plan and machine; the figure is the median of each. Every run samples the summed RSS of
its process tree every 50 ms (psutil, else /proc).

The batch is also measured with kernels forked from the workers' fork-server and without it
(``WORKSHOP_NO_FORKSERVER=1``), alternating (on, off, off, on), and through a local Dask cluster
of two workers (``--scheduler``; one ``dask scheduler`` and two ``dask worker --nworkers 1
--nthreads 1`` on 127.0.0.1, started before the timing and stopped by their PIDs).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, TEMPLATE, VENV_BIN, generate_plans, run_timed

RATIO_TARGET = 0.5  # one report <= 0.5 x the naive chain
BATCH_RATIO_TARGET = 1 / 8  # 20 plans with --jobs 2 <= 1/8 of 20 x the naive chain
PEAK_MEMORY_TARGET_MB = 1536.0


def _env() -> dict[str, str]:
    # silence debugpy's "frozen modules" warning in kernels; changes no timing
    return {"PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def run_report(
    plans: list[Path] | Path,
    out: Path,
    jobs: int,
    extra: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """``python -m workshop report PLAN... --out OUT --jobs N [extra]`` with its peak memory
    (of the command's process tree: a Dask cluster's workers are not in it)."""
    args = [str(p) for p in plans] if isinstance(plans, list) else [str(plans)]
    cmd = [sys.executable, "-m", "workshop", "report", *args, "--out", str(out)]
    res = run_timed(
        [*cmd, "--jobs", str(jobs), *(extra or [])],
        cwd=ROOT,
        env={**_env(), **(env or {})},
        sample_memory=True,
    )
    res["load_average_1min"] = round(os.getloadavg()[0], 2)
    built = sorted(
        p.parent.name for p in out.glob("*/report.html") if not p.parent.name.startswith((".", "_"))
    )
    res["reports_built"] = len(built)
    steps: dict[str, list[float]] = {}
    for manifest in out.glob("*/manifest.json"):
        try:
            durations = json.loads(manifest.read_text())["durations"]
        except (OSError, ValueError, KeyError):
            continue
        for step, seconds in durations.items():
            steps.setdefault(step, []).append(seconds)
    res["step_seconds_mean"] = {k: round(statistics.mean(v), 3) for k, v in steps.items()}
    return res


def run_naive(plan: Path, folder: Path) -> dict[str, Any]:
    """The papermill CLI then the nbconvert CLI, as a user would type them."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = folder / "out.ipynb"
    papermill = run_timed(
        [
            str(VENV_BIN / "papermill"),
            str(TEMPLATE.relative_to(ROOT)),
            str(nb),
            "-p",
            "plan_path",
            str(plan.resolve()),
        ],
        cwd=ROOT,
        env=_env(),
        sample_memory=True,
    )
    nbconvert = run_timed(
        [str(VENV_BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb.name)],
        cwd=folder,
        env=_env(),
        sample_memory=True,
    )
    ok = (
        papermill["returncode"] == 0
        and nbconvert["returncode"] == 0
        and (folder / "out.html").is_file()
    )
    return {
        "seconds": round(papermill["seconds"] + nbconvert["seconds"], 3),
        "papermill_s": papermill["seconds"],
        "nbconvert_s": nbconvert["seconds"],
        "peak_rss_mb": max(papermill["peak_rss_mb"], nbconvert["peak_rss_mb"]),
        "returncode": 0 if ok else (papermill["returncode"] or nbconvert["returncode"] or 1),
        "errors": [x.get("stderr_tail") for x in (papermill, nbconvert) if x.get("stderr_tail")],
    }


def one_report(runs: int, plan: Path, workdir: Path) -> dict[str, Any]:
    """`runs` alternating pairs of ``workshop report --jobs 1`` and the naive chain."""
    report_runs, naive_runs = [], []
    for k in range(runs):
        order = ("report", "naive") if k % 2 == 0 else ("naive", "report")
        for kind in order:
            if kind == "report":
                report_runs.append(run_report(plan, workdir / f"report-{k}", jobs=1))
            else:
                naive_runs.append(run_naive(plan, workdir / f"naive-{k}"))
    failures = [r for r in report_runs if r["returncode"] != 0 or r["reports_built"] != 1]
    naive_failures = [r for r in naive_runs if r["returncode"] != 0]
    report_s = statistics.median(r["seconds"] for r in report_runs)
    naive_s = statistics.median(r["seconds"] for r in naive_runs)
    ratio = report_s / naive_s
    return {
        "plan": str(plan),
        "runs": runs,
        "report_s": round(report_s, 3),
        "naive_s": round(naive_s, 3),
        "ratio": round(ratio, 3),
        "target_ratio": RATIO_TARGET,
        "met": ratio <= RATIO_TARGET,
        "report_peak_rss_mb": max(r["peak_rss_mb"] for r in report_runs),
        "naive_peak_rss_mb": max(r["peak_rss_mb"] for r in naive_runs),
        "report_runs": report_runs,
        "naive_runs": naive_runs,
        "failed": len(failures) + len(naive_failures),
        "note": "naive chain = papermill CLI + nbconvert CLI: executed notebook and HTML "
        "only, no calendar exports (CSV/XLSX/ICS) and no manifest",
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def dask_cluster(folder: Path, workers: int = 2) -> Iterator[str]:
    """A local Dask cluster on 127.0.0.1 (free ports): one scheduler and `workers` workers
    (``--nworkers 1 --nthreads 1``; ``distributed.worker.daemon: false`` so that a worker
    may fork its kernels), stopped at the end by their PIDs. Yields the scheduler address."""
    dask = str(VENV_BIN / "dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, **_env(), "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    folder.mkdir(parents=True, exist_ok=True)
    procs = []
    log = open(folder / "dask.log", "wb")  # noqa: SIM115 (the server's log: closed when it stops)
    try:
        cmds = [[dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]]
        for i in range(workers):
            cmds.append(
                [dask, "worker", address, "--host", "127.0.0.1", "--nworkers", "1"]
                + ["--nthreads", "1", "--no-dashboard", "--local-directory", str(folder / f"w{i}")]
            )
        for cmd in cmds:
            procs.append(
                subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
            )
        from distributed import Client

        with Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


def _ratio(res: dict[str, Any], naive_total: float, count: int) -> dict[str, Any]:
    res["ratio"] = round(res["seconds"] / naive_total, 4)
    res["per_plan_s"] = round(res["seconds"] / count, 3)
    return res


def forkserver_on_off(count: int, naive_total: float, workdir: Path, runs: int) -> dict:
    """``--jobs 2`` with kernels forked from the workers' fork-server and without it
    (``WORKSHOP_NO_FORKSERVER=1``), alternating on, off, off, on, ... (`runs` of each)."""
    on, off = [], []
    for k in range(runs):
        for kind in ("on", "off") if k % 2 == 0 else ("off", "on"):
            env = {} if kind == "on" else {"WORKSHOP_NO_FORKSERVER": "1"}
            res = run_report(workdir / "plans", workdir / f"fs-{kind}-{k}", jobs=2, env=env)
            (on if kind == "on" else off).append(_ratio(res, naive_total, count))
    on_s = statistics.median(r["seconds"] for r in on)
    off_s = statistics.median(r["seconds"] for r in off)
    return {
        "runs": runs,
        "on_s": round(on_s, 3),
        "off_s": round(off_s, 3),
        "on_ratio": round(on_s / naive_total, 4),
        "off_ratio": round(off_s / naive_total, 4),
        "on_over_off": round(on_s / off_s, 3),
        "on_runs": on,
        "off_runs": off,
    }


def dask_batch(count: int, naive_total: float, workdir: Path) -> dict[str, Any]:
    """The same plans through a local two-worker Dask cluster (cluster start not timed)."""
    try:
        import distributed  # noqa: F401 - the cluster extra
    except ImportError:
        return {"skipped": "dask[distributed] not installed (pip install workshop[cluster])"}
    started = time.perf_counter()
    with dask_cluster(workdir / "dask") as address:
        cluster_start_s = round(time.perf_counter() - started, 3)
        res = run_report(workdir / "plans", workdir / "batch-dask", 1, ["--scheduler", address])
    res["cluster_start_s"] = cluster_start_s
    return _ratio(res, naive_total, count)


def batch(
    count: int,
    naive_one_s: float,
    workdir: Path,
    jobs_list: tuple[int, ...] = (1, 2),
    forkserver_runs: int = 2,
) -> dict[str, Any]:
    """`count` generated plans with each ``--jobs`` value, the fork-server on and off, and
    through a two-worker Dask cluster, against count × the naive chain (timed once per plan
    in :func:`one_report` and multiplied, not run `count` times)."""
    generate_plans(count, workdir / "plans")
    naive_total = naive_one_s * count
    result: dict[str, Any] = {
        "plans": count,
        "plan_folder_note": "variations of data/clients/*.yaml "
        "(client id, weekly hours, chosen platforms); see benchmarks.common.generate_plans",
        "naive_total_s": round(naive_total, 3),
        "naive_note": f"{count} x the median naive chain of the one-report runs "
        f"({naive_one_s:.2f} s), not measured plan by plan",
        "target_ratio_jobs2": BATCH_RATIO_TARGET,
        "target_peak_rss_mb": PEAK_MEMORY_TARGET_MB,
    }
    for jobs in jobs_list:
        res = run_report(workdir / "plans", workdir / f"batch-j{jobs}", jobs=jobs)
        result[f"jobs{jobs}"] = _ratio(res, naive_total, count)
    result["forkserver"] = forkserver_on_off(count, naive_total, workdir, forkserver_runs)
    result["dask2"] = dask_batch(count, naive_total, workdir)
    j2 = result.get("jobs2")
    if j2:
        result["met_time"] = j2["ratio"] <= BATCH_RATIO_TARGET
        result["met_memory"] = j2["peak_rss_mb"] <= PEAK_MEMORY_TARGET_MB
    return result


def run(quick: bool, workdir: Path | None = None) -> dict[str, Any]:
    """The one-report and batch figures (quick: 1 run each, 4 plans; else 3 runs, 20 plans)."""
    from workshop import data

    with tempfile.TemporaryDirectory(prefix="bench-reports-", dir=workdir) as tmp:
        folder = Path(tmp)
        single = one_report(1 if quick else 3, data.demo_plan(), folder / "one")
        many = batch(
            4 if quick else 20,
            single["naive_s"],
            folder / "batch",
            forkserver_runs=1 if quick else 2,
        )
    print(summary_text(single, many), file=sys.stderr)
    return {"one_report": single, "batch": many}


def summary_text(single: dict[str, Any], many: dict[str, Any]) -> str:
    """The figures the table of ``benchmarks/__main__.py`` does not show yet, as lines."""
    n, fs, dk = many["plans"], many["forkserver"], many["dask2"]
    lines = [
        f"reports: one report {single['report_s']:.2f} s, ratio {single['ratio']:.3f}",
        f"reports: {n} plans --jobs 2, fork-server on {fs['on_s']:.1f} s (ratio "
        f"{fs['on_ratio']:.3f}), off {fs['off_s']:.1f} s (ratio {fs['off_ratio']:.3f}), "
        f"on/off {fs['on_over_off']:.3f}",
    ]
    if "seconds" in dk:
        lines.append(
            f"reports: {n} plans on a 2-worker Dask cluster {dk['seconds']:.1f} s "
            f"(ratio {dk['ratio']:.3f}, {dk['reports_built']}/{n} built; cluster start "
            f"{dk['cluster_start_s']:.1f} s, not counted)"
        )
    else:
        lines.append(f"reports: Dask cluster skipped: {dk.get('skipped')}")
    return "\n".join(lines)
