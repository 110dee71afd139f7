"""Metricool: one CSV, one row per post, a ``TRUE``/``FALSE`` column per network.

Layout (``data/schedulers.yaml``, ``tools.metricool``; unconfirmed: the header is the
template copied into third-party code): every column of the template, in order. A row has
``Text``, ``Date`` (``YYYY-MM-DD``), ``Time`` (``HH:MM:SS``), ``Draft`` and exactly one
network column ``TRUE``; ``Pinterest Board`` and ``Pinterest Pin Title`` for a pin,
``Youtube Video Title`` for a video, and the post type for Instagram and Facebook
(``STORY`` for a story, ``REEL`` for a short video, else ``POST``: values as seen in the
third-party rows; only ``POST`` is seen there). The other columns are empty. A row whose
network needs a picture is a draft (the plan has no pictures). UTF-8 without a BOM.
"""

from __future__ import annotations

from workshop import preflight
from workshop.exports_tools import layout
from workshop.exports_tools.text import csv_bytes, title

TOOL = "metricool"
TITLE_MAX = 100
POST_TYPES = {"story": "STORY", "short_video": "REEL"}


def _bool(value: bool) -> str:
    return "TRUE" if value else "FALSE"


def files(result: preflight.Result, language: str = "vi") -> list[tuple[str, bytes]]:
    """The Metricool file(s) of a pre-flight result: (file name, bytes)."""
    spec = preflight.tool(TOOL)
    header = list(spec["header"])
    networks = spec["network_columns"]
    all_networks = list(networks.values()) + list(spec.get("other_network_columns", []))
    out = []
    for key, part, parts, rows in layout.files(result.calendar):
        body = []
        for row in rows:
            start = layout.start(row)
            cells = dict.fromkeys(header, "")
            cells.update({column: _bool(False) for column in all_networks})
            cells["Text"] = row["text"]
            cells["Date"] = start.strftime(spec["date_format"])
            cells["Time"] = start.strftime(spec["time_format"])
            cells["Draft"] = _bool(bool(row["draft"]))
            cells[networks[row["platform"]]] = _bool(True)
            name = title(row.get("theme"), row["content_type"], row["platform"], language)
            post_type = POST_TYPES.get(row["content_type"], "POST")
            if row["platform"] == "pinterest":
                cells["Pinterest Board"] = row["board"]
                cells["Pinterest Pin Title"] = name[:TITLE_MAX]
            elif row["platform"] == "youtube":
                cells["Youtube Video Title"] = name[:TITLE_MAX]
            elif row["platform"] == "instagram":
                cells["Instagram Post Type"] = post_type
            elif row["platform"] == "facebook":
                cells["Facebook Post Type"] = post_type
            body.append([cells[column] for column in header])
        out.append((layout.file_name(TOOL, key, part, parts), csv_bytes(body, header)))
    return out
