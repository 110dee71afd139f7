"""What the tools' writers share: file names, the rows of each file, date formats."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pandas as pd

#: A file name the writers make: lower-case letters, digits and "-", then ".csv".
FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}\.(csv|ics|html|txt)$")


def file_name(tool: str, key: str, part: int, parts: int) -> str:
    """``<tool>-<key>.csv`` (``<tool>.csv`` for the key "all"), ``-<part>`` when split
    (zero-padded to the number of parts' width, so the files sort in order)."""
    stem = tool if key == "all" else f"{tool}-{key.replace('_', '-')}"
    width = len(str(parts))
    name = f"{stem}.csv" if parts <= 1 else f"{stem}-{part:0{width}d}.csv"
    if not FILE_NAME.match(name):
        raise ValueError(f"unexpected file name {name!r}")
    return name


def files(calendar: pd.DataFrame) -> Iterator[tuple[str, int, int, list[dict]]]:
    """Each file of a pre-flight result: (file key, part, number of parts, rows in order).

    Keys in the order they first appear (the calendar is in date order)."""
    if calendar.empty:
        return
    records = calendar.to_dict("records")
    keys = list(dict.fromkeys(r["file"] for r in records))
    for key in keys:
        rows = [r for r in records if r["file"] == key]
        parts = max(int(r["part"]) for r in rows)
        for part in range(1, parts + 1):
            yield key, part, parts, [r for r in rows if int(r["part"]) == part]


def start(row: dict) -> dt.datetime:
    """A row's date and time as a naive local datetime."""
    hour, minute = (int(x) for x in str(row["time"]).split(":"))
    return dt.datetime.combine(row["date"], dt.time(hour, minute))
