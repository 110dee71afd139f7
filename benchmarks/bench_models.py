"""Micro-benchmark of the step models, the way a widget calls them.

Run: ``.venv/bin/python benchmarks/bench_models.py [--repeat 5] [--quick]``

Times, with ``timeit`` (best of `repeat` runs of N calls each; N chosen so that one run
takes about 0.2 s), on the demo plan (``data/clients/demo-cafe.yaml``):

* ``roi.project``: one scenario over 36 months;
* ``roi.monte_carlo``: 36 months × 2,000 paths (target: well under 50 ms on 2 cores);
* ``roi.sensitivity``: the tornado, 36 months;
* ``capacity.recommend`` and ``schedule.expand`` over a year, when those modules import
  (skipped with a note otherwise).

Prints a table and writes ``benchmarks/results/models.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import sys
import timeit
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "models.json"
TARGETS_MS = {
    "roi.monte_carlo (36 months x 2,000 paths)": 50.0,
    # issue 10, item 8: projection, chance curve and sensitivity together "well under 50 ms"
    "the ROI chain (36 months x 2,000 paths)": 50.0,
}


def roi_chain(plan) -> None:
    """What step 4 computes after a change, the way :class:`workshop.results.Results`
    does: one simulation (2,000 paths) for the central projection, the bands and the
    chance of having broken even, then the tornado around the central path."""
    from workshop import roi

    sim = roi.simulate(plan, paths=2000)
    inputs = roi.scenario_inputs(plan, sim=sim)
    roi.project(plan, inputs=inputs)
    roi.monte_carlo(plan, sim=sim)
    roi.break_even_distribution(plan, sim=sim)
    roi.sensitivity(plan, base=inputs["expected"])


def _calls() -> list[tuple[str, object]]:
    from workshop import data, roi
    from workshop import plan as plan_module

    demo = plan_module.load(data.demo_plan())
    year = demo.model_copy(update={"horizon_months": 12})
    three_years = demo.model_copy(update={"horizon_months": 36})
    calls: list[tuple[str, object]] = [
        ("roi.project (36 months)", lambda: roi.project(three_years)),
        (
            "roi.monte_carlo (36 months x 2,000 paths)",
            lambda: roi.monte_carlo(three_years, paths=2000),
        ),
        ("roi.sensitivity (36 months)", lambda: roi.sensitivity(three_years)),
        ("roi.scenarios (36 months)", lambda: roi.scenarios(three_years)),
        ("the ROI chain (36 months x 2,000 paths)", lambda: roi_chain(three_years)),
    ]
    for module, name, label in (
        ("workshop.capacity", "recommend", "capacity.recommend"),
        ("workshop.schedule", "expand", "schedule.expand (1 year)"),
    ):
        try:
            fn = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as exc:
            calls.append((label, f"skipped: {exc}"))
            continue
        calls.append((label, (lambda fn=fn: fn(year))))
    return calls


def measure(fn, repeat: int, budget: float = 0.2) -> dict:
    """Best and median time per call (ms) over `repeat` runs of N calls."""
    fn()  # warm caches (data files are read once per process)
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()  # N such that one run takes >= 0.2 s
    number = max(1, int(number * budget / 0.2))
    runs = sorted(t / number * 1000 for t in timer.repeat(repeat=repeat, number=number))
    return {
        "best_ms": runs[0],
        "median_ms": runs[len(runs) // 2],
        "number": number,
        "repeat": repeat,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="repeat 2, small budget")
    args = parser.parse_args(argv)
    repeat = 2 if args.quick else args.repeat
    results: dict[str, dict] = {}
    for label, fn in _calls():
        if isinstance(fn, str):
            results[label] = {"skipped": fn}
            continue
        results[label] = measure(fn, repeat, budget=0.05 if args.quick else 0.2)
        target = TARGETS_MS.get(label)
        if target is not None:
            results[label]["target_ms"] = target
            results[label]["meets_target"] = results[label]["best_ms"] < target

    width = max(len(k) for k in results)
    print(f"{'call':<{width}}  {'best ms':>9}  {'median ms':>9}  {'N x runs':>9}  note")
    for label, r in results.items():
        if "skipped" in r:
            print(f"{label:<{width}}  {'-':>9}  {'-':>9}  {'-':>9}  {r['skipped']}")
            continue
        note = ""
        if "target_ms" in r:
            note = f"target < {r['target_ms']:.0f} ms: {'ok' if r['meets_target'] else 'MISSED'}"
        print(
            f"{label:<{width}}  {r['best_ms']:9.2f}  {r['median_ms']:9.2f}  "
            f"{r['number']:>4} x {r['repeat']:<2}  {note}"
        )

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "when": dt.datetime.now().isoformat(timespec="seconds"),
                "python": sys.version.split()[0],
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "load_average_1min": load,
                "results": results,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written: {RESULTS}" + (f" (load average {load:.2f})" if load is not None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
