"""Every calendar file of a plan, checked first, then written together (issue 12).

:func:`build` expands the plan's calendar once, runs the pre-flight check of every tool
(:func:`workshop.preflight.check_all`) and makes every file in memory:

* ``buffer-<channel>[-<part>].csv``, ``metricool.csv``, ``publer-<account>[-<part>].csv``,
  ``hootsuite-<profile>[-<part>].csv``: each scheduler's bulk-import layout
  (:mod:`workshop.exports_tools`), only for a tool the check did not refuse;
* ``calendar.ics`` (the platform in every title), ``calendar-excel.csv`` (for Excel);
* ``checklist.html`` (Meta Business Suite, Zalo OA, channels posted by hand);
* ``preflight.csv`` (every finding, post by post) and ``README.txt`` (what each file is
  for, which tools were refused and why), in the plan's language.

The ICS, the Excel CSV and the checklist show the calendar after Zalo OA's broadcast
rules (a broadcast moved into the send window or turned into an article is the same
everywhere); each scheduler's file also has its own tool's adjustments.

:func:`write_folder` writes a :class:`Bundle` into a folder atomically: every file into a
temporary folder beside them, then each moved into place; files this module wrote before
and no longer makes (a part that is gone) are removed, nothing else. :func:`download`
gives one tool's files as one download (a CSV, or a zip of several).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import secrets
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workshop import checklist, i18n, preflight, schedule
from workshop.errors import WorkshopError
from workshop.exports_tools import buffer, hootsuite, human, ics, layout, metricool, publer
from workshop.plan import Plan

MANIFEST = ".schedulers-files.json"
README = "README.txt"
PREFLIGHT = "preflight.csv"
CHECKLIST = "checklist.html"
WRITERS = {
    "buffer": lambda result, language: buffer.files(result),
    "metricool": metricool.files,
    "publer": publer.files,
    "hootsuite": lambda result, language: hootsuite.files(result),
}
#: What :func:`download` serves: one download per tool, then the other files.
DOWNLOADS = ("buffer", "metricool", "publer", "hootsuite", "ics", "excel", "checklist", "preflight")
#: Reproducible zip entries: the earliest date a zip can hold.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class FolderError(WorkshopError):
    """A calendar folder that is not ours to write (a link, a file)."""


@dataclass
class Bundle:
    """Every file of a plan's calendar folder, and the pre-flight results behind them."""

    plan: Plan
    language: str
    results: dict[str, preflight.Result]
    files: dict[str, bytes] = field(default_factory=dict)
    by_tool: dict[str, list[str]] = field(default_factory=dict)

    def findings(self) -> pd.DataFrame:
        """Every finding, translated (what :data:`PREFLIGHT` holds)."""
        return preflight.findings_table(self.results, self.language)

    def summary(self) -> pd.DataFrame:
        """The findings counted per tool, rule and outcome (for a widget, the report)."""
        return preflight.summary_table(self.results, self.language)

    def refused(self) -> dict[str, str]:
        """The tools with no file, and why."""
        return {name: r.reason for name, r in self.results.items() if r.refused}


def _readme(bundle: Bundle) -> bytes:
    language, plan = bundle.language, bundle.plan
    buffer_rule = preflight.tool("buffer")["rules"]["max_rows"]
    lines = [
        i18n.t("schedulers.readme.title", language, client=plan.client.name),
        "",
        i18n.t(
            "schedulers.readme.buffer",
            language,
            rows=buffer_rule["tiers"][buffer_rule["default_tier"]],
        ),
        i18n.t("schedulers.readme.metricool", language),
        i18n.t("schedulers.readme.publer", language),
        i18n.t("schedulers.readme.hootsuite", language),
        i18n.t("schedulers.readme.ics", language),
        i18n.t("schedulers.readme.excel", language),
        i18n.t("schedulers.readme.checklist", language),
        i18n.t("schedulers.readme.preflight", language),
        "",
    ]
    for name, reason in bundle.refused().items():
        lines.append(
            i18n.t(
                "schedulers.readme.refused",
                language,
                tool=preflight.tool_label(name, language),
                reason=reason,
            )
        )
    lines += ["", i18n.t("schedulers.readme.unconfirmed", language), ""]
    return "\r\n".join(lines).encode("utf-8")


def build(
    plan: Plan,
    language: str | None = None,
    options: preflight.Options | None = None,
    calendar_df: pd.DataFrame | None = None,
    stamp: dt.datetime | None = None,
) -> Bundle:
    """Check and make every file of the plan's calendar folder, in memory.

    `language` defaults to the plan's; `options` are the pre-flight options (now, Zalo OA
    package, tiers, Pinterest board); `stamp` is the ICS DTSTAMP (default now). Bad
    options raise :class:`workshop.preflight.ExportOptionError` before any work.
    """
    language = language or plan.language
    options = (options or preflight.Options()).validated(language, plan)
    cal = calendar_df if calendar_df is not None else schedule.expand(plan, language)
    results = preflight.check_all(plan, language, cal, options)
    bundle = Bundle(plan, language, results)
    for name in preflight.TOOLS:
        result = results[name]
        if result.refused:
            bundle.by_tool[name] = []
            continue
        made = WRITERS[name](result, language)
        bundle.by_tool[name] = [file for file, _ in made]
        bundle.files.update(made)
    base, zalo_findings = preflight.zalo_calendar(plan, cal, language, options)
    notes: dict[tuple, list[str]] = {}
    for f in zalo_findings:
        notes.setdefault((f.new_date, f.new_time, f.platform), []).append(f.message)
    bundle.files[ics.FILE] = ics.file_bytes(plan, base, language, stamp=stamp, notes=notes)
    bundle.files[human.FILE] = human.file_bytes(base, language)
    sections = checklist.sections(plan, language, results[preflight.CHECKLIST], options)
    bundle.files[CHECKLIST] = checklist.page(plan, sections, language).encode("utf-8")
    bundle.files[PREFLIGHT] = human.table_bytes(bundle.findings(), language)
    bundle.files[README] = _readme(bundle)
    bundle.by_tool.update(
        {
            "ics": [ics.FILE],
            "excel": [human.FILE],
            preflight.CHECKLIST: [CHECKLIST],
            "preflight": [PREFLIGHT],
        }
    )
    for name in bundle.files:
        if not layout.FILE_NAME.match(name) and name != README:
            raise ValueError(f"unexpected file name {name!r}")
    return bundle


def _previous(folder: Path) -> list[str]:
    try:
        raw = (folder / MANIFEST).read_bytes()[:100_000]
        names = json.loads(raw.decode("utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [n for n in names if isinstance(n, str) and (layout.FILE_NAME.match(n) or n == README)]


def write_folder(bundle: Bundle, folder: str | os.PathLike[str]) -> list[Path]:
    """Write every file of `bundle` into `folder` (made if missing); return the paths.

    The files are written into a temporary folder inside `folder`, then each is moved over
    its name (``os.replace``): a reader never sees half a file, and an error before the
    moves leaves `folder` as it was. Files listed in the folder's manifest from an earlier
    run that this bundle does not make are removed; nothing else is touched. A `folder`
    that is a link or not a folder raises :class:`FolderError`.
    """
    folder = Path(folder)
    with contextlib.suppress(FileExistsError):
        folder.mkdir(parents=True)
    mode = os.lstat(folder).st_mode
    if not stat.S_ISDIR(mode):
        raise FolderError(i18n.t("schedulers.error.folder", bundle.language, folder=folder.name))
    stage = folder / f".staging-{secrets.token_hex(8)}"
    stage.mkdir()
    try:
        for name, payload in bundle.files.items():
            with (stage / name).open("xb") as fh:
                fh.write(payload)
        manifest = {"files": sorted(bundle.files), "tool": "workshop.schedulers"}
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        stale = [n for n in _previous(folder) if n not in bundle.files]
        for name in sorted(bundle.files):
            os.replace(stage / name, folder / name)
        os.replace(stage / MANIFEST, folder / MANIFEST)
        for name in stale:
            target = folder / name
            with contextlib.suppress(FileNotFoundError):
                if stat.S_ISREG(os.lstat(target).st_mode):  # never a link or a folder
                    target.unlink()
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return [folder / name for name in sorted(bundle.files)]


def download(bundle: Bundle, name: str) -> tuple[str, bytes, str]:
    """One tool's files as one download: (file name, bytes, MIME type).

    `name` is a tool (buffer, metricool, publer, hootsuite) or ics, excel, checklist,
    preflight. One file is given as it is; several (Buffer's channels, parts) as a zip
    ``<name>.zip`` with fixed timestamps. A refused tool gives its README line instead:
    ``("<name>.txt", reason, "text/plain")``.
    """
    names = bundle.by_tool.get(name)
    if names is None:
        raise KeyError(name)
    if not names:
        reason = bundle.results[name].reason if name in bundle.results else ""
        return f"{name}.txt", reason.encode("utf-8"), "text/plain"
    if len(names) == 1:
        file = names[0]
        mime = {
            ".csv": "text/csv",
            ".ics": "text/calendar",
            ".html": "text/html",
        }.get(Path(file).suffix, "application/octet-stream")
        return file, bundle.files[file], mime
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in names:
            info = zipfile.ZipInfo(file, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, bundle.files[file])
    return f"{name}.zip", out.getvalue(), "application/zip"
