"""Publer: one CSV per account, the twelve columns of Publer's template, every one kept.

Layout (``data/schedulers.yaml``, ``tools.publer``): Publer's blog (vendor) says the
template has twelve columns, none to be removed, and a ``Date`` like ``2029-11-19 20:35``;
the names and order of the twelve are from third-party guides (unconfirmed). The accounts
are chosen in Publer's bulk uploader, so each account gets its own file. ``Title`` carries
a pin's or video's title, ``Board/Album`` a pin's board; the rest stay empty. UTF-8
without a BOM.
"""

from __future__ import annotations

from workshop import preflight
from workshop.exports_tools import layout
from workshop.exports_tools.text import csv_bytes, title

TOOL = "publer"
TITLE_MAX = 100
TITLED = ("pinterest", "youtube")


def files(result: preflight.Result, language: str = "vi") -> list[tuple[str, bytes]]:
    """The Publer files of a pre-flight result: (file name, bytes), one per account part."""
    spec = preflight.tool(TOOL)
    header = list(spec["header"])
    out = []
    for key, part, parts, rows in layout.files(result.calendar):
        body = []
        for row in rows:
            cells = dict.fromkeys(header, "")
            cells["Date"] = layout.start(row).strftime(spec["datetime_format"])
            cells["Text"] = row["text"]
            if row["platform"] in TITLED:
                name = title(row.get("theme"), row["content_type"], row["platform"], language)
                cells["Title"] = name[:TITLE_MAX]
            if row["platform"] == "pinterest":
                cells["Board/Album"] = row["board"]
            body.append([cells[column] for column in header])
        out.append((layout.file_name(TOOL, key, part, parts), csv_bytes(body, header)))
    return out
