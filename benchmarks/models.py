"""Model only: the step models timed in this process, through :mod:`benchmarks.bench_models`.

Reuses ``bench_models._calls()`` (the demo plan: ROI projection over 36 months, Monte Carlo
36 months x 2,000 paths, sensitivity, scenarios; capacity recommendation and schedule
expansion over a year) and ``bench_models.measure()`` (timeit, best and median of `repeat`
runs of N calls, N so that one run lasts about `budget` seconds). The table shows the median.
The report sections' figures come from :mod:`benchmarks.presenters`.
"""

from __future__ import annotations

from typing import Any

from benchmarks import bench_models, presenters


def run(quick: bool) -> dict[str, Any]:
    """``{label: {"best_ms", "median_ms", "number", "repeat", ["target_ms", "met"]}}``."""
    repeat = 2 if quick else 5
    budget = 0.05 if quick else 0.2
    results: dict[str, Any] = {}
    for label, fn in bench_models._calls():
        if isinstance(fn, str):
            results[label] = {"skipped": fn}
            continue
        res = bench_models.measure(fn, repeat, budget=budget)
        target = bench_models.TARGETS_MS.get(label)
        if target is not None:
            res["target_ms"] = target
            res["met"] = res["median_ms"] <= target
        results[label] = res
    # the report's sections on one Results, against results computed again (presenters.py)
    results.update(presenters.run(quick))
    return results
