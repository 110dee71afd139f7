"""The worst plan the schema allows: every list at its maximum, the longest texts, the
largest numbers, 60 months; built through validate → models → exports and measured.

    .venv/bin/python -m benchmarks.worst_plan            # Vietnamese text at full length
    .venv/bin/python -m benchmarks.worst_plan --emoji    # texts of 4-byte characters only

Prints the wall time of each step, the peak memory of the process (RSS high-water mark,
``resource.getrusage``) and the size of each export. The targets the plan limits are set
for (workshop/plan/vocab.py, "Limits"): well under 10 s, 500 MB and 20 MB of exports on the
development machine (2 shared cores). It measures and prints; it asserts nothing
(tests/test_plan_limits.py checks the sizes, which do not depend on the machine).

:func:`worst_plan_dict` and :func:`build_all` are shared with the tests: the fuzz test
(tests/test_fuzz.py) runs generated plans through the same :func:`build_all`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from workshop import capacity, exports, platforms, roi, schedule
from workshop import plan as plan_mod

#: A fixed stamp, so that two runs write the same ICS bytes.
STAMP = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
#: The plan starts on the first day the holiday data covers (2025-01-01) and runs 60
#: months, to the last day it covers: both edges of data/holidays.csv.
START = dt.date(2025, 1, 1)
HORIZON = 60

# Vietnamese at its heaviest: letters with two diacritics are 3 bytes in UTF-8.
_VI = "Ưu đãi đặc biệt tuần lễ khai trương cửa hàng gốm Bát Tràng ở phố Hàng Bạc "
# The most bytes a character can take (4 in UTF-8), with a zero-width joiner sequence.
_EMOJI = "👩\u200d👩\u200d👧\u200d👦🎉🏺☕🇻🇳"


def long_text(n: int, index: int, emoji: bool = False) -> str:
    """A distinct text of exactly `n` characters (the index first, so no two are equal)."""
    fill = _EMOJI if emoji else _VI
    head = f"{index:05d} "
    body = (fill * (n // len(fill) + 2))[: n - len(head)]
    return head + body


def _slots_for_calendar(horizon_days: int) -> list[tuple[int, str]]:
    """(rule index, weekday) of as many slots as the calendar limit allows, spread over the
    12 rules round robin; every weekday occurs at most ceil(days / 7) times."""
    per_slot = -(-horizon_days // 7)
    count = plan_mod.MAX_CALENDAR_ITEMS // per_slot
    weekdays = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    n_rules = len(plan_mod.PLATFORM_IDS)
    count = min(count, n_rules * plan_mod.MAX_SLOTS_PER_RULE)
    return [(i % n_rules, weekdays[(i // n_rules) % 7]) for i in range(count)]


def worst_plan_dict(emoji: bool = False) -> dict[str, Any]:
    """The plan with every limit of workshop/plan/vocab.py reached (as plain data).

    * every list at its maximum (platforms, skills, channels, communication items, blackout
      dates) and as many editorial slots as :data:`plan.MAX_CALENDAR_ITEMS` allows over 60
      months, every rule and slot with the longest theme; the communication items are
      spread over the months so that every calendar item copies the most it can;
    * the largest numbers, chosen so that the funnel is as big as it gets (every rate at
      1, no churn, every count and amount at its maximum);
    * blackout dates before the start (valid, and they remove no calendar item), holidays
      not skipped: every slot occurrence is an item.
    """
    P = plan_mod
    ids = list(P.PLATFORM_IDS)
    end = schedule._add_months(START, HORIZON)
    slots = _slots_for_calendar((end - START).days)
    rules = []
    for r, pid in enumerate(ids):
        mine = [w for rule, w in slots if rule == r]
        rules.append(
            {
                "platform": pid,
                "renewal_months": 2 if r % 2 else 1,
                "slots": [
                    {
                        "weekday": w,
                        "content_type": P.CONTENT_TYPES[(r + k) % len(P.CONTENT_TYPES)],
                        "time": f"{(6 + k) % 24:02d}:{(k * 7) % 60:02d}",
                        "theme": long_text(P.MAX_THEME_CHARS, 1000 * r + k, emoji),
                    }
                    for k, w in enumerate(mine)
                ],
            }
        )
    items = [
        {
            "month": 1 + i % HORIZON,
            "asset": P.ASSETS[i % len(P.ASSETS)],
            "theme": long_text(P.MAX_THEME_CHARS, 50_000 + i, emoji),
            "channels": list(P.CHANNELS),
        }
        for i in range(P.MAX_COMM_ITEMS)
    ]
    blackout = [P.MIN_DATE + dt.timedelta(days=i) for i in range(P.MAX_BLACKOUT_DATES)]
    assert blackout[-1] < START
    money = P.MAX_MONEY
    return {
        "version": 1,
        "client": {
            "id": ("worst-plan-" + "x" * 63)[:63],
            "name": long_text(P.MAX_NAME_CHARS, 0, emoji),
            "sector": "crafts",
            "market": "b2b",
            "audience": "professionals",
            "visual_product": True,
            "country": "VN",
            "language": "vi",
            "currency": "VND",
        },
        "team": {
            "people": 50,
            "hours_per_week": 400,
            "hourly_cost": money,
            "skills": list(P.SKILLS),
        },
        "platforms": {
            "considered": ids,
            "chosen": ids,
            "personal_profile_as_company": ids,
            "cadence_per_week": {p: P.MAX_CADENCE_PER_WEEK for p in ids},
        },
        "communication": {"period": "year", "items": items},
        # holidays not skipped: every slot occurrence is a calendar item (the most output)
        "editorial": {"rules": rules, "skip_holidays": False, "blackout_dates": blackout},
        "roi": {
            "starting_followers": {p: P.MAX_FOLLOWERS for p in ids},
            "monthly_growth_rate": 2,
            "monthly_churn_rate": 0,
            "audience_ceiling": P.MAX_AUDIENCE_CEILING,
            "organic_reach_rate": 1,
            "discovery_views_per_post": P.MAX_DISCOVERY_VIEWS,
            "engagement_rate": 1,
            "click_through_rate": 1,
            "lead_conversion_rate": 1,
            "lead_to_customer_rate": 1,
            "average_order_value": money,
            "purchases_per_customer": P.MAX_PURCHASES_PER_CUSTOMER,
            "gross_margin": 1,
            "tools_cost_per_month": money,
            "ad_spend_per_month": money,
            "monte_carlo_paths": P.MAX_MONTE_CARLO_PATHS,
            "seed": P.MAX_SEED,
        },
        "start": START,
        "horizon_months": HORIZON,
    }


def build_all(
    plan: plan_mod.Plan,
    folder: Path,
    paths: int | None = None,
    timings: dict[str, float] | None = None,
    cpu: dict[str, float] | None = None,
) -> dict[str, int]:
    """Run `plan` through every model and write the three exports into `folder`.

    platforms.asset_fit, capacity.assess and recommend, schedule.expand (and skipped,
    communication_grid), roi.project / summary of each scenario, monte_carlo (with `paths`,
    default the plan's) and sensitivity, then the CSV, XLSX and ICS. Returns the size in
    bytes of each export; `timings` and `cpu`, when given, receive the wall-clock and the
    CPU seconds of each step. Raises whatever a model raises (the caller asserts there is
    nothing).
    """
    timings = {} if timings is None else timings
    cpu = {} if cpu is None else cpu
    lang = plan.language

    def step(name: str, fn):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - started
        cpu[name] = cpu.get(name, 0.0) + time.process_time() - started_cpu
        return result

    step(
        "platforms", lambda: (platforms.asset_fit(plan), platforms.personal_profile_warnings(plan))
    )
    step("capacity", lambda: (capacity.assess(plan), capacity.recommend(plan)))
    cal, _ = step("schedule", lambda: schedule.expand_with_skipped(plan, lang))
    step("schedule", lambda: schedule.communication_grid(plan, lang))

    def roi_models():
        for scenario in roi.SCENARIOS:
            roi.summary(plan, roi.project(plan, scenario))
        roi.sensitivity(plan, lang)
        roi.assumptions_table(plan, lang)

    step("roi", roi_models)
    step("monte_carlo", lambda: roi.monte_carlo(plan, paths=paths))
    folder.mkdir(parents=True, exist_ok=True)
    step("csv", lambda: exports.calendar_csv(cal, folder / "calendar.csv", lang))
    step("xlsx", lambda: exports.calendar_xlsx(plan, cal, folder / "calendar.xlsx", lang))
    step("ics", lambda: exports.calendar_ics(plan, cal, folder / "calendar.ics", lang, STAMP))
    sizes = {name: (folder / f"calendar.{name}").stat().st_size for name in ("csv", "xlsx", "ics")}
    sizes["items"] = len(cal)
    return sizes


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def drawn_variant(raw: dict[str, Any]) -> dict[str, Any]:
    """The worst plan with every ROI input left to the benchmarks, so that Monte Carlo
    draws all of them on every path (the most memory it can take: paths x months x
    platforms); the paths, seed and starting followers stay at their maximum."""
    raw = dict(raw, team=dict(raw["team"], hourly_cost=None))
    keep = ("starting_followers", "monte_carlo_paths", "seed", "tools_cost_per_month")
    raw["roi"] = {k: v for k, v in raw["roi"].items() if k in keep}
    return raw


def measure(emoji: bool = False) -> dict[str, Any]:
    """Build the worst plan (see module docstring) and return the figures."""
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    rss_before = _peak_rss_mb()
    started, started_cpu = time.perf_counter(), time.process_time()
    raw = worst_plan_dict(emoji)
    text = plan_mod.dumps(plan_mod.validate(raw))  # what a participant's file would hold
    t0, c0 = time.perf_counter(), time.process_time()
    plan = plan_mod.loads(text)
    timings["load+validate"] = time.perf_counter() - t0
    cpu["load+validate"] = time.process_time() - c0
    with tempfile.TemporaryDirectory() as tmp:
        sizes = build_all(plan, Path(tmp), timings=timings, cpu=cpu)
    drawn = plan_mod.validate(drawn_variant(raw))
    t0, c0 = time.perf_counter(), time.process_time()
    roi.monte_carlo(drawn)
    roi.break_even_distribution(drawn)
    timings["monte_carlo (all inputs drawn)"] = time.perf_counter() - t0
    cpu["monte_carlo (all inputs drawn)"] = time.process_time() - c0
    return {
        "text": "emoji (4-byte UTF-8)" if emoji else "Vietnamese",
        "plan_bytes": len(text.encode("utf-8")),
        "calendar_items": sizes.pop("items"),
        "export_bytes": sizes,
        "export_mb_total": round(sum(sizes.values()) / 1e6, 2),
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "cpu_seconds": {k: round(v, 2) for k, v in cpu.items()},
        "seconds_total": round(time.perf_counter() - started, 2),
        "cpu_seconds_total": round(time.process_time() - started_cpu, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_before_mb": round(rss_before, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worst_plan", description=__doc__)
    parser.add_argument("--emoji", action="store_true", help="texts of 4-byte characters")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    figures = measure(args.emoji)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(
        f"worst plan ({figures['text']} texts): {figures['plan_bytes']:,} bytes of YAML, "
        f"{figures['calendar_items']:,} calendar items"
    )
    print(f"  {'step':<32} {'wall s':>7} {'cpu s':>7}")
    for name, seconds in figures["seconds"].items():
        print(f"  {name:<32} {seconds:7.2f} {figures['cpu_seconds'][name]:7.2f}")
    print(f"  {'total':<32} {figures['seconds_total']:7.2f} {figures['cpu_seconds_total']:7.2f}")
    print(
        f"  peak RSS {figures['peak_rss_mb']:.1f} MB "
        f"({figures['rss_before_mb']:.1f} MB of it before the plan: imports)"
    )
    for name, size in figures["export_bytes"].items():
        print(f"  {name:<5} {size / 1e6:7.2f} MB")
    print(f"  {'all':<5} {figures['export_mb_total']:7.2f} MB")
    load = ", ".join(f"{x:.2f}" for x in figures["load_average"])
    print(f"  load average {load} on {os.cpu_count()} cores (wall times are noisy when high)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
