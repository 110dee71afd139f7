"""Texts written into calendar files: cleaned, CSV-injection safe, within a length.

Every text that reaches a file comes from a plan (themes, notes, the client's name) and is
untrusted. :func:`clean` normalises it (Unicode NFC, so a Vietnamese letter counts as one
character; line breaks as ``\\n``; other control characters and bidirectional overrides
removed). :func:`csv_cell` then neutralises a cell a spreadsheet would run as a formula
(OWASP "CSV Injection": a cell starting with ``=``, ``+``, ``-``, ``@``, TAB or CR, or their
full-width forms, after any leading spaces, gets a leading ``'``). :func:`post_text` is the
text of one post: its theme, then its content type and the month's notes in the plan's
language, shortened to a network's limit by :func:`fit`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from workshop import i18n

#: Characters that make a spreadsheet read a cell as a formula (OWASP CSV Injection), and
#: their full-width forms (some spreadsheets convert them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
ELLIPSIS = "…"
#: What separates a post's parts in a tool that takes no line breaks.
INLINE_SEPARATOR = " · "
BOM = "\ufeff"
# C0 controls except \n, DEL, C1 controls, bidirectional embeddings/overrides/isolates.
_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(value: object) -> str:
    """`value` as one clean text: NFC, ``\\n`` line breaks, no other control characters.

    None and NaN give "". A tab becomes a space; CR LF, CR, U+2028 and U+2029 become
    ``\\n``; other C0/C1 controls, DEL and bidirectional override characters are removed;
    spaces at the ends are stripped.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _clean(str(value))


@lru_cache(maxsize=8192)
def _clean(value: str) -> str:
    text = unicodedata.normalize("NFC", value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROLS.sub("", text).strip()


def csv_cell(value: object) -> str:
    """`value` for a CSV cell: :func:`clean`, and a leading ``'`` when a spreadsheet would
    read it as a formula (it starts, after spaces, with one of :data:`FORMULA_STARTS`)."""
    if value == "":
        return ""
    text = clean(value)
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def length(text: str) -> int:
    """The length a network counts: characters of the NFC form."""
    return len(unicodedata.normalize("NFC", text))


def fit(
    parts: Sequence[str], limit: int | None, keep_last: str = "", sep: str = "\n"
) -> tuple[str, bool]:
    """``parts`` joined by `sep` (a line break) within `limit` characters; whether it was
    shortened.

    Parts are dropped from the end (notes before the content type) until the text fits;
    the first part (the theme) is cut with "…" when it alone is too long. `keep_last` (a
    date tag) is always kept at the end. No limit: everything, unshortened.
    """
    parts = [unicodedata.normalize("NFC", p) for p in parts if p]
    if sep != "\n":
        parts = [" ".join(p.split("\n")) for p in parts]
    tail = [keep_last] if keep_last else []
    full = sep.join(parts + tail)
    if limit is None or length(full) <= limit:
        return full, False
    kept = list(parts)
    while len(kept) > 1:
        kept.pop()
        text = sep.join(kept + tail)
        if length(text) <= limit:
            return text, True
    room = limit - (length(sep + keep_last) if keep_last else 0) - len(ELLIPSIS)
    head = (kept[0] if kept else "")[: max(room, 0)].rstrip()
    return sep.join([head + ELLIPSIS] + tail), True


def title(theme: object, content_type: str, platform: str, language: str) -> str:
    """A post's title: its theme, or "<content type> – <platform>" in `language`."""
    text = clean(theme)
    if text:
        return text
    return i18n.t(
        "schedule.title.default",
        language,
        content_type=i18n.label("content_type", content_type, language),
        platform=i18n.label("platform", platform, language),
    )


def post_parts(row: dict, language: str) -> list[str]:
    """The parts of a post's text: title, content type line, notes (if any)."""
    parts = [
        title(row.get("theme"), row["content_type"], row["platform"], language),
        i18n.t(
            "schedulers.text.content_type",
            language,
            content_type=i18n.label("content_type", row["content_type"], language),
        ),
    ]
    notes = clean(row.get("notes"))
    if notes:
        parts.append(notes)
    return parts


def csv_bytes(
    rows: Iterable[Sequence[object]],
    header: Sequence[str] | None = None,
    *,
    bom: bool = False,
    delimiter: str = ",",
) -> bytes:
    """A CSV file as UTF-8 bytes (RFC 4180: CRLF, quotes where needed); every cell through
    :func:`csv_cell`; a byte-order mark first when `bom`."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if header:
        writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ((BOM if bom else "") + out.getvalue()).encode("utf-8")
