"""The calendar as a CSV a person opens in Excel: names, not ids; the language's dates.

Columns (headers in the plan's language, ``schedule.column.*``): date (``dd/mm/yyyy`` in
Vietnamese, ``yyyy-mm-dd`` in English: ``i18n.fmt_date(..., "short_numeric")``), weekday,
time, platform, content type, theme (the post's title), notes, plan period, renewal date.
UTF-8 with a byte-order mark, so Excel on Windows reads the diacritics; the separator is
the one Excel expects in the language's regional settings (:data:`SEPARATORS`: ``;`` for
Vietnamese, whose decimal mark is a comma; ``,`` for English). Every cell goes through the
CSV-injection guard. Read it back with ``pandas.read_csv(path, encoding="utf-8-sig",
sep=SEPARATORS[language])``.
"""

from __future__ import annotations

import pandas as pd

from workshop import i18n
from workshop.exports_tools.text import clean, csv_bytes, title

FILE = "calendar-excel.csv"
COLUMNS = (
    "date",
    "weekday",
    "time",
    "platform",
    "content_type",
    "theme",
    "notes",
    "cycle",
    "renewal_date",
)
SEPARATORS = {"vi": ";", "en": ","}


def header(language: str) -> list[str]:
    """The translated column names."""
    return [i18n.t(f"schedule.column.{c}", language) for c in COLUMNS]


def rows(calendar: pd.DataFrame, language: str) -> list[list[str]]:
    """The calendar's rows as the texts a person reads."""
    out = []
    for rec in calendar.to_dict("records"):
        out.append(
            [
                i18n.fmt_date(rec["date"], language, "short_numeric"),
                i18n.weekday_name(rec["weekday"], language),
                rec["time"],
                i18n.label("platform", rec["platform"], language),
                i18n.label("content_type", rec["content_type"], language),
                title(rec.get("theme"), rec["content_type"], rec["platform"], language),
                clean(rec.get("notes")),
                str(int(rec["cycle"])),
                i18n.fmt_date(rec["renewal_date"], language, "short_numeric"),
            ]
        )
    return out


def file_bytes(calendar: pd.DataFrame, language: str) -> bytes:
    """The human CSV's bytes (see the module docstring)."""
    return csv_bytes(
        rows(calendar, language), header(language), bom=True, delimiter=SEPARATORS[language]
    )


def table_bytes(table: pd.DataFrame, language: str) -> bytes:
    """Any translated table (e.g. the pre-flight findings) as the same kind of CSV."""
    return csv_bytes(
        table.itertuples(index=False, name=None),
        [str(c) for c in table.columns],
        bom=True,
        delimiter=SEPARATORS[language],
    )
