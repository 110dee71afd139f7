"""Hootsuite Bulk Composer: one CSV per profile, no header: date-time, message, URL.

Layout (``data/schedulers.yaml``, ``tools.hootsuite``; unconfirmed: users' blogs): three
columns without a header row, the date-time as ``mm/dd/yyyy HH:MM`` (24 h; the format
chosen in the upload dialog, whose default it is), the message, an empty URL. At most 350
rows a file, times on a 5-minute grid, at least 10 minutes ahead, no text twice on a
profile (the pre-flight check applies all four). The message has no line breaks (the
parts are joined by " · "). UTF-8 without a BOM (it would sit before the first date).
"""

from __future__ import annotations

from workshop import preflight
from workshop.exports_tools import layout
from workshop.exports_tools.text import csv_bytes

TOOL = "hootsuite"


def files(result: preflight.Result) -> list[tuple[str, bytes]]:
    """The Hootsuite files of a pre-flight result: (file name, bytes), one per profile part."""
    spec = preflight.tool(TOOL)
    out = []
    for key, part, parts, rows in layout.files(result.calendar):
        body = [
            [layout.start(row).strftime(spec["datetime_format"]), row["text"], ""] for row in rows
        ]
        out.append((layout.file_name(TOOL, key, part, parts), csv_bytes(body)))
    return out
