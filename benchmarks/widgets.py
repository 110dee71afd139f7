"""Widget reaction: from a widget value change to the new output being ready in the kernel.

Each panel is built the way its notebook builds it (``ui.Session(plan_path, lang)``, the
panel, and the notebook's save panel listening to the same session). A *change* is what a
participant does with one control; its time runs from the line that sets the widget value
(``panel.controls[name].value = x``, or ``.click()`` for a button) until that line returns,
which is when the panel's callbacks have finished: plan validated and updated in the
session (listeners told), model recomputed, figure built, serialised (``plotly.io.to_json``)
and assigned to the ``Output`` widget / ``HTML`` widgets. In a kernel (the default) every
widget update is also sent as a comm message on the IOPub socket inside that time; what is
*not* included is the browser receiving the message and plotly.js drawing the chart.

Figures (p50 and p95 over `changes` changes each, after `WARMUP` unmeasured ones):

* ``capacity.hours``: the hours-per-week slider set to a new value (capacity assessment,
  recommendation table, hours chart).
* ``schedule.weekday``: Sunday ticked / unticked in the editorial rule of the first platform,
  then "apply" clicked (plan update, communication grid, calendar expansion over the
  horizon, month view, timeline).
* ``schedule.month``: the month shown in the calendar changed (month view only).
* ``roi.immediate``: one of the ROI sliders moved, on the demo plan with 36 months. In a
  running kernel :meth:`RoiPanel._changed` draws the fast part (projection, break-even
  sentence, cumulative ROI chart) at once and schedules the slow part on the event loop
  ``SLOW_REDRAW_DELAY`` later: this figure is the time until the widget's callback returns,
  i.e. what the participant waits for the first redraw.
* ``roi.full``: the same change plus the slow part, called the way the deferred callback
  calls it (``panel._refresh_slow()``: three scenarios, Monte Carlo with
  ``UI_MONTE_CARLO_PATHS`` paths, the scenario chart with bands, the sensitivity tornado);
  the pending timer is cancelled so nothing runs twice. The timer's delay itself is not
  counted. This is the time until every chart of the panel is up to date.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, summarise_ms, write_plan_36

TARGET_P95_MS = 50.0
WARMUP = 3
#: ROI sliders moved in turn (the money sliders are scaled from the plan's defaults).
ROI_CYCLE = ("growth", "reach", "engagement", "ctr", "lead_rate", "close_rate", "margin", "aov")
FRACTIONS = (0.15, 0.3, 0.45, 0.6, 0.25, 0.5, 0.35, 0.2, 0.4, 0.55)


def _timed_changes(change: Callable[[int], None], count: int) -> list[float]:
    for i in range(WARMUP):
        change(-1 - i)
    samples = []
    for i in range(count):
        t0 = time.perf_counter()
        change(i)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def _check(panel: Any, name: str) -> None:
    if panel.error.value:
        raise RuntimeError(f"{name}: the panel shows an error: {panel.error.value}")


def bench_capacity(plan_path: Path, count: int, language: str) -> dict[str, Any]:
    from workshop import ui

    session = ui.Session(plan_path, language)
    panel = ui.capacity_panel(session)
    ui.save_panel(session)
    slider = panel.controls["hours"]
    values = [v / 2 for v in range(2, 81)]  # 1.0 .. 40.0 by 0.5
    values = [v for v in values if v != slider.value]
    before = len(panel.timings)

    def change(i: int) -> None:
        slider.value = values[i % len(values)]

    samples = _timed_changes(change, count)
    _check(panel, "capacity")
    redraws = len(panel.timings) - before - WARMUP
    return {"capacity.hours": {**summarise_ms(samples), "redraws": redraws}}


def bench_schedule(plan_path: Path, count: int, language: str) -> dict[str, Any]:
    from workshop import ui

    session = ui.Session(plan_path, language)
    panel = ui.schedule_panel(session)
    ui.save_panel(session)
    c = panel.controls
    day = c["day.sun"]
    before = len(panel.timings)

    def toggle(_i: int) -> None:
        day.value = not day.value
        c["ed_apply"].click()

    weekday = _timed_changes(toggle, count)
    _check(panel, "schedule.weekday")
    redraws = len(panel.timings) - before - WARMUP
    months = [v for _, v in c["cal_month"].options]
    drawn: list[int] = []
    original = panel._draw_month

    def counted() -> None:
        original()
        drawn.append(1)

    panel._draw_month = counted  # count redraws; the observer calls the bound attribute

    def month(i: int) -> None:
        current = c["cal_month"].value
        nxt = months[(months.index(current) + 1 + (i % 2)) % len(months)]
        if nxt == current:
            nxt = months[(months.index(current) + 1) % len(months)]
        c["cal_month"].value = nxt

    shown = _timed_changes(month, count)
    _check(panel, "schedule.month")
    return {
        "schedule.weekday": {
            **summarise_ms(weekday),
            "redraws": redraws,
            "platform": c["ed_platform"].value,
        },
        "schedule.month": {
            **summarise_ms(shown),
            "redraws": len(drawn) - WARMUP,
            "months": len(months),
        },
    }


def _roi(plan_path: Path, count: int, language: str) -> dict[str, Any]:
    from workshop import ui
    from workshop.ui import roi as ui_roi

    session = ui.Session(plan_path, language)
    panel = ui.roi_panel(session)
    ui.save_panel(session)
    loop_running = True
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        loop_running = False
    immediate: list[float] = []
    full: list[float] = []
    deferred = 0

    def change(i: int) -> tuple[float, float]:
        nonlocal deferred
        name = ROI_CYCLE[abs(i) % len(ROI_CYCLE)]
        slider = panel.controls[name]
        frac = FRACTIONS[(abs(i) // len(ROI_CYCLE) + abs(i)) % len(FRACTIONS)]
        value = round(slider.min + (slider.max - slider.min) * frac / slider.step) * slider.step
        if abs(value - slider.value) < slider.step / 2:
            value = min(slider.max, value + slider.step)
        t0 = time.perf_counter()
        slider.value = value
        t1 = time.perf_counter()
        if panel._pending is not None:  # what the deferred callback would run
            panel._pending.cancel()
            panel._pending = None
            deferred += i >= 0
            panel._refresh_slow()
        t2 = time.perf_counter()
        return (t1 - t0) * 1000, (t2 - t0) * 1000

    for i in range(WARMUP):
        change(-1 - i)
    for i in range(count):
        a, b = change(i)
        immediate.append(a)
        full.append(b)
    _check(panel, "roi")
    note = (
        "slow part deferred by the panel (running event loop) in "
        f"{deferred}/{count} changes, then run by the benchmark"
    )
    return {
        "roi.immediate": {
            **summarise_ms(immediate),
            "event_loop": loop_running,
            "deferred": deferred,
            "note": note,
            "horizon_months": session.plan.horizon_months,
            "monte_carlo_paths": ui_roi.UI_MONTE_CARLO_PATHS,
        },
        "roi.full": {
            **summarise_ms(full),
            "horizon_months": session.plan.horizon_months,
            "monte_carlo_paths": ui_roi.UI_MONTE_CARLO_PATHS,
        },
    }


def bench_roi(plan_path: Path, count: int, language: str) -> dict[str, Any]:
    """ROI panel changes, always with a running event loop (as in a kernel), so that the
    panel defers its slow part exactly as it does for a participant."""
    try:
        asyncio.get_running_loop()
        return _roi(plan_path, count, language)
    except RuntimeError:
        pass

    async def inside() -> dict[str, Any]:
        return _roi(plan_path, count, language)

    return asyncio.run(inside())


def measure(
    changes: int, workdir: str | Path | None = None, plan_path: str | Path | None = None
) -> dict[str, Any]:
    """Every widget-reaction figure, measured in this process (call it inside a kernel).

    `plan_path` (default: the demo plan) is used for the capacity and schedule panels; the
    ROI panel gets the same plan with ``horizon_months: 36`` written to `workdir`.
    """
    from workshop import data
    from workshop import plan as plan_mod

    with tempfile.TemporaryDirectory(prefix="bench-widgets-", dir=workdir) as tmp:
        folder = Path(tmp)
        source = Path(plan_path) if plan_path else data.demo_plan()
        plan = plan_mod.load(source)
        language = plan.language
        base = plan_mod.save(plan, folder / "plan.yaml")  # panels may save next to it
        plan36 = (
            write_plan_36(folder)
            if plan_path is None
            else plan_mod.save(
                plan.model_copy(update={"horizon_months": 36}), folder / "plan-36.yaml"
            )
        )
        figures: dict[str, Any] = {}
        figures.update(bench_capacity(base, changes, language))
        figures.update(bench_schedule(base, changes, language))
        figures.update(bench_roi(plan36, changes, language))
    for fig in figures.values():
        fig["target_p95_ms"] = TARGET_P95_MS
        fig["met"] = fig["p95_ms"] <= TARGET_P95_MS
    return figures


def run(changes: int, in_kernel: bool = True, timeout: float = 600) -> dict[str, Any]:
    """Measure in a fresh ``python3`` kernel (default) or in this process.

    In a kernel the timings include sending each widget update as a comm message, and the
    cell runs with the kernel's event loop, as in a notebook. Returns
    ``{"mode": ..., "changes": n, "figures": {...}}``.
    """
    if not in_kernel:
        return {
            "mode": "in-process (no kernel, no comm messages)",
            "changes": changes,
            "figures": measure(changes),
        }
    from jupyter_client.manager import start_new_kernel

    started = time.perf_counter()
    # the kernel's stderr (ipykernel's "running over TCP" warning) is noise here
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT), stderr=subprocess.DEVNULL)
    kernel_start = time.perf_counter() - started
    try:
        with tempfile.TemporaryDirectory(prefix="bench-kernel-") as tmp:
            out = Path(tmp) / "widgets.json"
            code = (
                "import json, sys\n"
                f"sys.path.insert(0, {str(ROOT)!r})\n"
                "from benchmarks.widgets import measure\n"
                f"_r = measure({int(changes)})\n"
                f"open({str(out)!r}, 'w').write(json.dumps(_r))\n"
            )
            errors: list[str] = []

            def hook(msg: dict) -> None:
                if msg["msg_type"] == "error":
                    errors.append("\n".join(msg["content"].get("traceback", [])))

            reply = kc.execute_interactive(
                code, timeout=timeout, output_hook=hook, store_history=False
            )
            if reply["content"]["status"] != "ok":
                raise RuntimeError(
                    "widget benchmark failed in the kernel:\n"
                    + ("\n".join(errors) or str(reply["content"]))
                )
            figures = json.loads(out.read_text())
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return {
        "mode": "in a python3 kernel (widget updates sent as comm messages)",
        "changes": changes,
        "kernel_start_s": round(kernel_start, 3),
        "figures": figures,
    }
