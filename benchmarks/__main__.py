"""``python -m benchmarks [--quick] [--json PATH] [--only AREA,...] [--in-process]``

Measures every figure of ``benchmarks/README.md``, prints one table (figure, value, target,
met, ratio to the naive chain) and writes the same figures, the details and the machine to
JSON (default ``benchmarks/results/latest.json``). Targets are reported, never asserted: the
exit status is 0 when every area ran, 1 when one crashed (its error is in the table and JSON).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from benchmarks import common

AREAS = ("widgets", "reports", "models")


def _log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _row(
    figure: str,
    value: str,
    target: str = "",
    met: bool | None = None,
    ratio: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "figure": figure,
        "value": value,
        "target": target,
        "met": met,
        "ratio_to_naive": ratio,
        **extra,
    }


def widget_rows(res: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name, fig in res["figures"].items():
        rows.append(
            _row(
                f"widget {name}",
                f"p50 {fig['p50_ms']:.1f} / p95 {fig['p95_ms']:.1f} ms",
                f"p95 ≤ {fig['target_p95_ms']:.0f} ms",
                fig["met"],
                p50_ms=fig["p50_ms"],
                p95_ms=fig["p95_ms"],
                n=fig["n"],
            )
        )
    return rows


def report_rows(res: dict[str, Any]) -> list[dict[str, Any]]:
    one, many = res["one_report"], res["batch"]
    rows = [
        _row(
            "one report: workshop report --jobs 1",
            f"{one['report_s']:.2f} s",
            f"≤ {one['target_ratio']} × naive",
            one["met"],
            one["ratio"],
            seconds=one["report_s"],
        ),
        _row(
            "one report: naive papermill + nbconvert CLIs",
            f"{one['naive_s']:.2f} s",
            "(reference, no calendar exports)",
            None,
            1.0,
            seconds=one["naive_s"],
        ),
    ]
    n = many["plans"]
    rows.append(
        _row(
            f"batch {n} plans: {n} × naive chain",
            f"{many['naive_total_s']:.1f} s",
            "(reference, estimated)",
            None,
            1.0,
            seconds=many["naive_total_s"],
        )
    )
    for jobs in (1, 2):
        j = many.get(f"jobs{jobs}")
        if not j:
            continue
        ok = j["returncode"] == 0 and j["reports_built"] == n
        target = f"≤ 1/8 × {n} × naive" if jobs == 2 else ""
        met = many.get("met_time") if jobs == 2 else None
        value = f"{j['seconds']:.1f} s" + ("" if ok else f" ({j['reports_built']}/{n} built!)")
        rows.append(
            _row(
                f"batch {n} plans: --jobs {jobs}",
                value,
                target,
                (met and ok) if jobs == 2 else None,
                j["ratio"],
                seconds=j["seconds"],
            )
        )
    for jobs in (1, 2):
        j = many.get(f"jobs{jobs}")
        if not j:
            continue
        rows.append(
            _row(
                f"batch {n} plans: peak RSS, --jobs {jobs} (all processes)",
                f"{j['peak_rss_mb']:.0f} MB",
                f"≤ {many['target_peak_rss_mb']:.0f} MB" if jobs == 2 else "",
                many.get("met_memory") if jobs == 2 else None,
                None,
                peak_rss_mb=j["peak_rss_mb"],
                max_processes=j.get("max_processes"),
            )
        )
    return rows


def model_rows(res: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for label, r in res.items():
        if "skipped" in r:
            rows.append(_row(f"model {label}", "skipped", "", None, None, note=r["skipped"]))
            continue
        target = f"≤ {r['target_ms']:.0f} ms" if "target_ms" in r else ""
        rows.append(
            _row(
                f"model {label}",
                f"{r['median_ms']:.2f} ms",
                target,
                r.get("met"),
                None,
                median_ms=r["median_ms"],
                best_ms=r["best_ms"],
            )
        )
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    """The table, in Markdown (readable in a terminal and pasteable into the README)."""
    head = ["figure", "value", "target", "met", "ratio to naive"]
    body = []
    for r in rows:
        met = {True: "✓", False: "✗", None: ""}[r["met"]]
        ratio = "" if r["ratio_to_naive"] is None else f"{r['ratio_to_naive']:.3f}"
        body.append([r["figure"], r["value"], r["target"], met, ratio])
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    for row in body:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small counts (10 widget changes, 1 report run each, 4 plans)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=common.DEFAULT_JSON,
        help=f"where to write the figures (default {common.DEFAULT_JSON})",
    )
    parser.add_argument(
        "--only", default=",".join(AREAS), help=f"comma-separated areas among {', '.join(AREAS)}"
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="widgets measured in this process instead of a kernel",
    )
    args = parser.parse_args(argv)
    areas = [a.strip() for a in args.only.split(",") if a.strip()]
    unknown = [a for a in areas if a not in AREAS]
    if unknown:
        parser.error(f"unknown area(s): {', '.join(unknown)}")

    started = time.perf_counter()
    machine = common.machine()
    _log(
        f"{'quick' if args.quick else 'full'} run on {machine['nproc']} × "
        f"{machine['cpu_model']}, load {machine['load_average_1min']}"
    )
    details: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    crashed: dict[str, str] = {}
    for area in AREAS:
        if area not in areas:
            continue
        t0 = time.perf_counter()
        _log(f"{area} ...")
        try:
            if area == "widgets":
                from benchmarks import widgets

                res = widgets.run(10 if args.quick else 100, in_kernel=not args.in_process)
                rows += widget_rows(res)
            elif area == "reports":
                from benchmarks import reports

                res = reports.run(args.quick)
                rows += report_rows(res)
            else:
                from benchmarks import models

                res = models.run(args.quick)
                rows += model_rows(res)
            details[area] = res
        except Exception as exc:  # noqa: BLE001 - report and go on with the other areas
            crashed[area] = "".join(traceback.format_exception(exc))[-3000:]
            rows.append(_row(f"{area}: CRASHED", f"{type(exc).__name__}: {exc}"[:80]))
            _log(f"{area} crashed:\n{crashed[area]}")
        _log(f"{area} done in {time.perf_counter() - t0:.1f} s")

    total = time.perf_counter() - started
    table = format_table(rows)
    print(table)
    print(
        f"\n{machine['date']} · {machine['nproc']} × {machine['cpu_model']} · "
        f"{machine['memory_mb']:.0f} MB · Python {machine['python']} · "
        f"{'quick' if args.quick else 'full'} run in {total:.0f} s"
    )
    payload = {
        "mode": "quick" if args.quick else "full",
        "seconds": round(total, 1),
        "machine": machine,
        "figures": rows,
        "details": details,
        "crashed": crashed,
        "table": table,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    print(f"written: {args.json}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
