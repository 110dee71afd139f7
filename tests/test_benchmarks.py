"""The benchmark harness runs and returns well-formed figures (no timing is asserted here:
targets live in benchmarks/, see benchmarks/README.md)."""

from __future__ import annotations

import math

from benchmarks import common, widgets
from benchmarks.__main__ import format_table, widget_rows

PANEL_FIGURES = {
    "capacity.hours",
    "schedule.weekday",
    "schedule.month",
    "roi.immediate",
    "roi.full",
}


def test_widget_reaction_quick_structure():
    result = widgets.run(3, in_kernel=True)
    assert result["changes"] == 3
    figures = result["figures"]
    assert set(figures) == PANEL_FIGURES
    for name, fig in figures.items():
        for key in ("p50_ms", "p95_ms", "min_ms", "max_ms"):
            assert isinstance(fig[key], float) and math.isfinite(fig[key]) and fig[key] > 0, name
        assert fig["min_ms"] <= fig["p50_ms"] <= fig["p95_ms"] <= fig["max_ms"], name
        assert fig["n"] == 3
        assert fig["target_p95_ms"] == widgets.TARGET_P95_MS
        assert isinstance(fig["met"], bool)
    # every change really redrew the panel (not a no-op change)
    assert figures["capacity.hours"]["redraws"] == 3
    assert figures["schedule.weekday"]["redraws"] == 3
    assert figures["schedule.month"]["redraws"] == 3
    # in a kernel the ROI panel defers its slow part; the benchmark ran it each time
    assert figures["roi.immediate"]["event_loop"] is True
    assert figures["roi.immediate"]["deferred"] == 3
    assert figures["roi.immediate"]["horizon_months"] == 36
    assert figures["roi.full"]["p50_ms"] >= figures["roi.immediate"]["min_ms"]
    table = format_table(widget_rows(result))
    assert "widget roi.full" in table and "p95 ≤ 50 ms" in table


def test_percentile_worked_example():
    # numpy's linear method: position (n-1)q = 3 × 0.95 = 2.85 → 30 + 0.85 × (40 - 30)
    assert common.percentile([10.0, 40.0, 20.0, 30.0], 95) == 38.5
    assert common.percentile([10.0, 40.0, 20.0, 30.0], 50) == 25.0
    assert common.percentile([7.0], 95) == 7.0


def test_tree_rss_counts_this_process():
    import os

    rss, count = common.tree_rss(os.getpid())
    assert rss > 10 * 2**20 and count >= 1
