"""Buffer: one CSV per channel (``Text``, ``Image URL``, ``Tags``, ``Posting Time``).

Layout (``data/schedulers.yaml``, ``tools.buffer``; unconfirmed: third-party copies of
Buffer's help article 926): the header row exactly as written (case-sensitive), Posting
Time ``YYYY-MM-DD HH:mm`` (24 h, the channel's time zone), ``Board Name`` added for a
Pinterest channel. Image URL and Tags are left empty (the plan has no pictures; Buffer's
tags are its own labels). UTF-8 without a byte-order mark (whether Buffer accepts one is
unknown, and a BOM would change the first header). Rows split into parts of the plan's
row limit by the pre-flight check (10 a file on the free plan, 100 on paid plans).
"""

from __future__ import annotations

from workshop import preflight
from workshop.exports_tools import layout
from workshop.exports_tools.text import csv_bytes

TOOL = "buffer"


def files(result: preflight.Result) -> list[tuple[str, bytes]]:
    """The Buffer files of a pre-flight result: (file name, bytes), one per channel part."""
    spec = preflight.tool(TOOL)
    out = []
    for key, part, parts, rows in layout.files(result.calendar):
        extra = spec.get("extra_columns", {}).get(key, [])
        header = list(spec["header"]) + list(extra)
        body = []
        for row in rows:
            cells = [row["text"], "", "", layout.start(row).strftime(spec["datetime_format"])]
            if extra:
                cells.append(row["board"])
            body.append(cells)
        data = csv_bytes(body, header, bom=spec["bom"])
        out.append((layout.file_name(TOOL, key, part, parts), data))
    return out
