"""The calendar files beside a client's report (:func:`write_exports`), written in the
report runner's exports thread while the kernel runs (:mod:`workshop.report.build`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workshop import plan as plan_mod

#: The schedulers' downloads beside them (:func:`write_exports`), by name pattern.
TOOL_FILES = (
    "buffer.*",
    "buffer-*.csv",
    "metricool.*",
    "metricool-*.csv",
    "publer.*",
    "publer-*.csv",
    "hootsuite.*",
    "hootsuite-*.csv",
    "calendar-excel.csv",
    "checklist.html",
    "preflight.csv",
    "README.txt",
)


def write_exports(plan: plan_mod.Plan, folder: Path, language: str) -> list[Path]:
    """The plan's calendar files, beside the report: calendar.csv and calendar.xlsx, and
    one download per tool of :func:`workshop.schedulers.build` (:func:`workshop.schedulers.
    download`: a file, or a zip when a tool needs several, such as Buffer's one CSV per
    channel): buffer, metricool, publer and hootsuite bulk imports (or ``<tool>.txt``, why
    the pre-flight check refused it), calendar.ics (the platform in every title),
    calendar-excel.csv (names, translated headers, a BOM for Excel), checklist.html (Meta
    Business Suite, Zalo OA), preflight.csv, and README.txt saying what each is for. At
    most a dozen files, whatever the calendar's size.

    The pre-flight check runs as if the export were made the day before the plan starts
    (so a report of the same plan is the same every time it is built, and every post can
    still be scheduled); the ICS is stamped with the plan's first day."""
    from workshop import exports, preflight, schedule, schedulers  # heavy: in the thread

    cal = schedule.expand(plan, language)
    exports.calendar_csv(cal, folder / "calendar.csv", language)
    exports.calendar_xlsx(plan, cal, folder / "calendar.xlsx", language)
    options = preflight.Options.before_start(plan)
    stamp = dt.datetime.combine(plan.start, dt.time(), tzinfo=dt.UTC)
    bundle = schedulers.build(plan, language, options, calendar_df=cal, stamp=stamp)
    written = [folder / "calendar.csv", folder / "calendar.xlsx"]
    files = [schedulers.download(bundle, tool)[:2] for tool in schedulers.DOWNLOADS]
    files.append((schedulers.README, bundle.files[schedulers.README]))
    for name, payload in files:  # fixed names (schedulers.build checks them)
        with (folder / name).open("xb") as fh:  # a fresh temporary folder: never overwrites
            fh.write(payload)
        written.append(folder / name)
    return written
