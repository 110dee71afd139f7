"""The client report's sections on the demo plan, with one :class:`~workshop.results.Results`
for the whole report (what the template does) against results computed again where they are
used (what the sections did before ``workshop/results.py``).

``python -m benchmarks.presenters [--quick]`` prints one line per figure; ``benchmarks.models``
adds the same figures to ``python -m benchmarks``. Timings only, never asserted:

* ``one Results``: every section of one report (title page to run information) reading one
  ``Results``, made fresh for each report;
* ``a Results per section``: each section makes its own (the models run once per section);
* ``recomputed on every use``: a ``Results`` that keeps nothing, so every read asks the
  model again (an upper bound of the old sections, which kept some results in local
  variables and recomputed others: ``roi.project`` 13 times, the Monte Carlo twice).

The line also gives how many times the sections called ``roi.project``,
``capacity.hours_needed`` and the Monte Carlo draws in each mode (counted, not timed).
"""

from __future__ import annotations

import argparse
import contextlib
from collections import Counter
from functools import cached_property
from typing import Any

from benchmarks import bench_models

COUNTED = (("roi", "project"), ("capacity", "hours_needed"), ("roi", "_draw_paths"))


def _uncached():
    from workshop.results import Results

    class Uncached(Results):
        """A Results that keeps nothing: each read of a result computes it again."""

        def __getattribute__(self, name: str) -> Any:
            value = super().__getattribute__(name)
            if isinstance(getattr(type(self), name, None), cached_property):
                self.__dict__.pop(name, None)
            return value

    return Uncached


def report(plan, mode: str) -> None:
    """Every section of one report of `plan` (`mode`: one, per_section, every_use)."""
    from workshop.report import sections
    from workshop.results import Results

    make = {"one": Results, "per_section": Results, "every_use": _uncached()}[mode]
    res = make(plan)
    for name in sections.SECTIONS:
        getattr(sections, name)(make(plan) if mode == "per_section" else res)
    sections.run_info(make(plan) if mode == "per_section" else res, plan_path="demo.yaml")


@contextlib.contextmanager
def counting():
    """Count the calls of the functions of :data:`COUNTED` (module globals patched)."""
    import importlib

    counts: Counter[str] = Counter()
    saved = []
    for module_name, name in COUNTED:
        module = importlib.import_module(f"workshop.{module_name}")
        original = getattr(module, name)

        def counted(*args, _fn=original, _key=f"{module_name}.{name}", **kwargs):
            counts[_key] += 1
            return _fn(*args, **kwargs)

        saved.append((module, name, original))
        setattr(module, name, counted)
    try:
        yield counts
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


LABELS = {
    "one": "report sections (demo plan), one Results",
    "per_section": "report sections (demo plan), a Results per section",
    "every_use": "report sections (demo plan), recomputed on every use",
}


def run(quick: bool) -> dict[str, Any]:
    """``{label: {"best_ms", "median_ms", "number", "repeat", "calls"}}`` per mode."""
    from workshop import data
    from workshop import plan as plan_mod

    plan = plan_mod.load(data.demo_plan())
    repeat, budget = (2, 0.05) if quick else (5, 0.2)
    out: dict[str, Any] = {}
    for mode, label in LABELS.items():
        with counting() as counts:
            report(plan, mode)
        figure = bench_models.measure(lambda mode=mode: report(plan, mode), repeat, budget)
        out[label] = {**figure, "calls": dict(counts)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="repeat 2, small budget")
    args = parser.parse_args(argv)
    for label, figure in run(args.quick).items():
        calls = ", ".join(f"{k} ×{v}" for k, v in sorted(figure["calls"].items()))
        print(
            f"{label}: median {figure['median_ms']:.0f} ms, best {figure['best_ms']:.0f} ms "
            f"({figure['repeat']} runs of {figure['number']}); calls: {calls}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
