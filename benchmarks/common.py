"""Shared helpers of the benchmarks: paths, percentiles, machine facts, memory sampling,
generated plans.

Nothing here asserts a target: the benchmarks measure and report, the table says whether a
target is met.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import importlib.metadata
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
RESULTS_DIR = ROOT / "benchmarks" / "results"
DEFAULT_JSON = RESULTS_DIR / "latest.json"
TEMPLATE = ROOT / "notebooks" / "report" / "report.ipynb"

#: Packages whose versions go into the JSON (the ones the timings depend on).
PACKAGES = (
    "numpy",
    "pandas",
    "plotly",
    "ipywidgets",
    "ipykernel",
    "jupyter_client",
    "nbclient",
    "nbconvert",
    "nbformat",
    "papermill",
    "pydantic",
    "psutil",
    "jsonschema",
)


def percentile(values: list[float], q: float) -> float:
    """The `q`-th percentile (0-100) with linear interpolation (numpy's default method)."""
    if not values:
        raise ValueError("no values")
    data = sorted(values)
    pos = (len(data) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (pos - low)


def summarise_ms(samples: list[float]) -> dict[str, Any]:
    """p50, p95, min, max and count of millisecond samples."""
    return {
        "p50_ms": round(percentile(samples, 50), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        "min_ms": round(min(samples), 3),
        "max_ms": round(max(samples), 3),
        "n": len(samples),
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_total_mb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def machine() -> dict[str, Any]:
    """Where the figures were measured."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model(),
        "memory_mb": memory_total_mb(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "packages": versions,
    }


# --- memory of a process tree ------------------------------------------------------------


def _children_proc(pid: int) -> list[int]:
    """Every descendant of `pid` from /proc (used when psutil is missing)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        out.extend(kids)
        todo.extend(kids)
    return out


def _rss_proc(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def tree_rss(pid: int) -> tuple[int, int]:
    """(sum of the RSS in bytes of `pid` and all its descendants, number of processes)."""
    try:
        import psutil
    except ImportError:
        pids = [pid, *_children_proc(pid)]
        return sum(_rss_proc(p) for p in pids), len(pids)
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    total = 0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total, len(procs)


class TreeMemorySampler:
    """Samples the summed RSS of a process tree every `interval` seconds in a thread.

    ``peak_mb`` is the largest sum seen (shared pages are counted in every process that maps
    them, so this is an upper bound of the real footprint), ``max_processes`` the largest
    number of processes seen at once.
    """

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.max_processes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, count = tree_rss(self.pid)
            self.peak = max(self.peak, rss)
            self.max_processes = max(self.max_processes, count)
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 2**20, 1)


def run_timed(
    cmd: list[str],
    cwd: Path | str | None = None,
    env: dict | None = None,
    timeout: float = 900,
    sample_memory: bool = False,
) -> dict[str, Any]:
    """Run `cmd`, return wall seconds, exit code, stderr tail and (optionally) the peak RSS
    of its process tree sampled every 50 ms."""
    full_env = {**os.environ, **(env or {})}
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    sampler = TreeMemorySampler(proc.pid) if sample_memory else None
    if sampler:
        sampler.__enter__()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    finally:
        if sampler:
            sampler.__exit__(None, None, None)
    seconds = time.perf_counter() - start
    result = {
        "seconds": round(seconds, 3),
        "returncode": proc.returncode,
        "cmd": " ".join(str(c) for c in cmd),
    }
    if proc.returncode != 0:
        result["stderr_tail"] = err.decode("utf-8", "replace").strip().splitlines()[-8:]
    if sampler:
        result["peak_rss_mb"] = sampler.peak_mb
        result["max_processes"] = sampler.max_processes
    return result


# --- plans -------------------------------------------------------------------------------


def write_plan_36(folder: Path) -> Path:
    """The demo plan with ``horizon_months: 36`` as a YAML file in `folder` (for ROI)."""
    from workshop import data
    from workshop import plan as plan_mod

    demo = plan_mod.load(data.demo_plan())
    return plan_mod.save(
        demo.model_copy(update={"horizon_months": 36}), folder / "demo-cafe-36.yaml"
    )


#: Multipliers of the example's weekly hours for generated plans.
HOUR_FACTORS = (1.0, 0.5, 1.5, 2.0, 0.75, 3.0, 1.25)


def generate_plans(count: int, folder: Path) -> list[Path]:
    """`count` valid plans in `folder`, variations of the bundled examples.

    Plan *i* starts from example ``i % n``, gets the client id ``bench-<i>-<example id>``,
    weekly hours × ``HOUR_FACTORS[i % 7]``, and its chosen platforms changed: every third
    plan drops its last chosen platform (when it has two or more), every third adds the first
    considered platform that was not chosen. A variation the schema refuses falls back to
    the id and hours change only.
    """
    from workshop import data
    from workshop import plan as plan_mod
    from workshop.errors import PlanError

    examples = [plan_mod.load(p) for p in data.example_plans()]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        base = examples[i % len(examples)]
        raw = plan_mod.to_dict(base)
        raw["client"]["id"] = f"bench-{i:02d}-{base.client.id}"[:60]
        hours = raw["team"]["hours_per_week"] * HOUR_FACTORS[i % len(HOUR_FACTORS)]
        raw["team"]["hours_per_week"] = round(max(1.0, hours), 1)
        simple = copy.deepcopy(raw)
        chosen = list(raw["platforms"]["chosen"])
        considered = list(raw["platforms"]["considered"])
        if i % 3 == 1 and len(chosen) >= 2:
            dropped = chosen.pop()
            raw["platforms"]["chosen"] = chosen
            cadence = raw["platforms"].get("cadence_per_week") or {}
            cadence.pop(dropped, None)
        elif i % 3 == 2:
            extra = [p for p in considered if p not in chosen]
            if extra:
                raw["platforms"]["chosen"] = chosen + extra[:1]
        try:
            plan = plan_mod.validate(raw)
        except PlanError:
            plan = plan_mod.validate(simple)
        paths.append(plan_mod.save(plan, folder / f"{plan.client.id}.yaml"))
    return paths
