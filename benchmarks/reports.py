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
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, TEMPLATE, VENV_BIN, generate_plans, run_timed

RATIO_TARGET = 0.5  # one report <= 0.5 x the naive chain
BATCH_RATIO_TARGET = 1 / 8  # 20 plans with --jobs 2 <= 1/8 of 20 x the naive chain
PEAK_MEMORY_TARGET_MB = 1536.0


def _env() -> dict[str, str]:
    # silence debugpy's "frozen modules" warning in kernels; changes no timing
    return {"PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def run_report(plans: list[Path] | Path, out: Path, jobs: int) -> dict[str, Any]:
    """``python -m workshop report PLAN... --out OUT --jobs N`` with its peak memory."""
    args = [str(p) for p in plans] if isinstance(plans, list) else [str(plans)]
    res = run_timed(
        [sys.executable, "-m", "workshop", "report", *args, "--out", str(out), "--jobs", str(jobs)],
        cwd=ROOT,
        env=_env(),
        sample_memory=True,
    )
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


def batch(
    count: int, naive_one_s: float, workdir: Path, jobs_list: tuple[int, ...] = (1, 2)
) -> dict[str, Any]:
    """`count` generated plans with each ``--jobs`` value, against count × the naive chain
    (timed once per plan in :func:`one_report` and multiplied, not run `count` times)."""
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
        res["ratio"] = round(res["seconds"] / naive_total, 4)
        res["per_plan_s"] = round(res["seconds"] / count, 3)
        result[f"jobs{jobs}"] = res
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
        many = batch(4 if quick else 20, single["naive_s"], folder / "batch")
    return {"one_report": single, "batch": many}
