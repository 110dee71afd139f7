"""Calendar files from the editorial calendar: CSV (schedulers), XLSX (Excel), ICS (calendars).

Each writer takes the DataFrame of :func:`workshop.schedule.expand` and a target path, and
returns the path written. Writes are atomic: the file is written to a temporary file in the
same folder, then moved over the target with ``os.replace``, so an interrupted run never
leaves half a file. Every text that comes from a person (client name, themes, notes) is
written as data: quoted in CSV and neutralised when a spreadsheet would read it as a formula
(:func:`csv_cell`), typed as a string cell in XLSX (never a formula, even when it starts with
"="), escaped as iCalendar TEXT in ICS.

The writers do not trust the schema alone (defence in depth: a plan built with
``model_construct``, or a DataFrame edited in memory, is not validated). Every text is
first made one line of printable text (:func:`workshop.plan.one_line`: line breaks and tabs
become spaces, other control, line-separator and text-direction characters become U+FFFD),
so no text can break a CSV row or an iCalendar content line, inject an iCalendar property,
or hold a character that XML (XLSX) refuses.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from workshop import __version__, i18n, schedule
from workshop.plan import Plan, one_line

CSV_COLUMNS = ["date", "time", "platform", "content_type", "title", "notes"]
# Time zone of each country's calendar; "OTHER" gets floating local times (no TZID).
TIMEZONES = {
    "VN": "Asia/Ho_Chi_Minh",
    "FR": "Europe/Paris",
    "IT": "Europe/Rome",
    "US": "America/New_York",
    "GB": "Europe/London",
    "DE": "Europe/Berlin",
}
# Every calendar event is a fixed 30-minute slot: the moment to publish, not the hours of
# work to make the content (those are planned in step 2, capacity).
EVENT_MINUTES = 30
PRODID = f"-//workshop//social-page strategy workshop {__version__}//EN"
UID_DOMAIN = "workshop"
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Excel keeps at most 32,767 characters in a cell (and truncates or refuses more).
XLSX_CELL_MAX_CHARS = 32_767
# CSV cells a spreadsheet would read as a formula or a command (OWASP, "CSV Injection":
# https://owasp.org/www-community/attacks/CSV_Injection): =, +, -, @, and TAB and CR,
# which some spreadsheets strip from the start of a cell before they look for the others.
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# --- Shared helpers --------------------------------------------------------------------------


def _atomic_write(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a new temporary file beside `path`, then move it over `path`.

    The temporary name is random and the file is created by `write` itself, so the result
    gets the usual permissions (the process umask), unlike ``tempfile.mkstemp``'s 0600.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def titles(calendar_df: pd.DataFrame, language: str = "vi") -> list[str]:
    """Each item's title: its theme, or "<content type label> – <platform label>"."""
    out = []
    for theme, ctype, platform in zip(
        calendar_df["theme"], calendar_df["content_type"], calendar_df["platform"]
    ):
        if isinstance(theme, str) and theme.strip():
            out.append(theme)
        else:
            out.append(
                i18n.t(
                    "schedule.title.default",
                    language,
                    content_type=i18n.label("content_type", ctype, language),
                    platform=i18n.label("platform", platform, language),
                )
            )
    return out


def _as_date(value) -> dt.date:
    """A calendar date from a date, datetime or pandas Timestamp."""
    if isinstance(value, dt.datetime):  # Timestamp is a datetime subclass
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _notes(calendar_df: pd.DataFrame) -> list[str]:
    if "notes" not in calendar_df.columns:
        return [""] * len(calendar_df)
    return ["" if not isinstance(n, str) else n for n in calendar_df["notes"]]


def csv_cell(value) -> str:
    """A value as a CSV cell that no spreadsheet runs: one line, formula prefix neutralised.

    Follows OWASP's CSV-injection guidance: a cell that starts with ``=``, ``+``, ``-``,
    ``@``, TAB or CR gets a leading single quote, so Excel, LibreOffice and Google Sheets
    show it as text instead of evaluating it (``=HYPERLINK(...)``, ``=cmd|...``, ``@SUM``).
    Quoting alone is not enough: the double quotes around a CSV field are CSV syntax, which
    the spreadsheet removes before it looks at the cell, so a quoted ``"=1+2"`` is still
    the formula =1+2. (The csv module still quotes every cell holding a comma, a quote or a
    line break, which OWASP asks for too, so a cell can never spill into the next one.)
    The prefix is checked on the text as given, then :func:`workshop.plan.one_line` makes
    the cell one line (a leading TAB or CR, already neutralised, becomes a space).
    """
    text = "" if value is None else str(value)
    if text.startswith(CSV_FORMULA_PREFIXES):
        text = "'" + text
    return one_line(text)


# --- CSV -------------------------------------------------------------------------------------


def calendar_csv(
    calendar_df: pd.DataFrame, path: str | os.PathLike[str], language: str = "vi"
) -> Path:
    """Write the calendar as CSV for a scheduler's bulk import; return the path.

    Columns (fixed English header, whatever the language): date (YYYY-MM-DD), time (HH:MM,
    the client's local time), platform (platform id), content_type (content type id),
    title (:func:`titles`), notes. Plain UTF-8 *without* a byte-order mark: scheduling tools
    and scripts read the first header as "date", while a BOM would make it "\\ufeffdate";
    people who open the calendar in Excel use the XLSX file, which needs no encoding guess.
    Every cell goes through :func:`csv_cell`: one line, and a leading ``=``, ``+``, ``-``,
    ``@``, TAB or CR neutralised with a single quote (OWASP), so opening the CSV in a
    spreadsheet never runs a formula from a theme.
    """
    rows = (
        [csv_cell(v) for v in row]
        for row in zip(
            (_as_date(d).isoformat() for d in calendar_df["date"]),
            calendar_df["time"],
            calendar_df["platform"],
            calendar_df["content_type"],
            titles(calendar_df, language),
            _notes(calendar_df),
        )
    )

    def write(tmp: Path) -> None:
        with tmp.open("x", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            writer.writerows(rows)

    return _atomic_write(path, write)


# --- XLSX ------------------------------------------------------------------------------------


def sheet_name(label: str, taken: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name from a label.

    Removes the characters Excel refuses ([ ] : * ? / \\), trims quotes and spaces at the
    ends, cuts to 31 characters, and when the name is already in `taken` (compared without
    case, as Excel does) appends " (2)", " (3)", ... within the 31 characters.
    """
    taken = taken if taken is not None else set()
    base = _SHEET_FORBIDDEN.sub("", one_line(str(label), "")).strip(" '") or "Sheet"
    base = base[:SHEET_NAME_MAX].rstrip(" '") or "Sheet"
    name, n = base, 1
    lowered = {t.lower() for t in taken}
    while name.lower() in lowered:
        n += 1
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)].rstrip(" '") + suffix
    return name


def platform_order(plan: Plan, calendar_df: pd.DataFrame) -> list[str]:
    """Platforms of the workbook: those of the editorial rules, then any other in the data."""
    order = [rule.platform for rule in schedule.editorial_rules(plan)]
    for platform in calendar_df["platform"]:
        if platform not in order:
            order.append(platform)
    return order


def xlsx_sheet_names(plan: Plan, calendar_df: pd.DataFrame, language: str = "vi") -> dict[str, str]:
    """The sheet name of each part of the workbook: "all", "communication", platform ids."""
    taken: set[str] = set()
    names = {}
    for key, label in (
        [("all", i18n.t("schedule.sheet.all", language))]
        + [(p, i18n.label("platform", p, language)) for p in platform_order(plan, calendar_df)]
        + [("communication", i18n.t("schedule.sheet.communication", language))]
    ):
        names[key] = sheet_name(label, taken)
        taken.add(names[key])
    return names


def xlsx_text(value: str) -> str:
    """`value` as an XLSX cell can hold it: one line (:func:`workshop.plan.one_line`, so no
    control character openpyxl refuses, no noncharacter XML refuses, no lone surrogate),
    at most :data:`XLSX_CELL_MAX_CHARS` characters (cut with "…")."""
    text = one_line(value)
    if len(text) > XLSX_CELL_MAX_CHARS:
        text = text[: XLSX_CELL_MAX_CHARS - 1] + "…"
    return text


def _set_string(cell, value: str) -> None:
    """Store `value` as a text cell: openpyxl would otherwise make "=..." a formula."""
    cell.value = xlsx_text(value)
    cell.data_type = TYPE_STRING


def _fill_sheet(
    ws, header: list[str], rows: list[list], widths: list[int], formats: dict[int, str]
) -> None:
    ws.append([xlsx_text(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                _set_string(cell, value)
            else:
                cell.value = value
            if c in formats:
                cell.number_format = formats[c]
    ws.freeze_panes = "A2"
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width


def calendar_xlsx(
    plan: Plan, calendar_df: pd.DataFrame, path: str | os.PathLike[str], language: str = "vi"
) -> Path:
    """Write the calendar as an Excel workbook (openpyxl); return the path.

    Sheets (names from :func:`xlsx_sheet_names`): "all" items first, one sheet per platform
    (even a platform whose items were all skipped), then the communication plan grid
    (:func:`workshop.schedule.communication_grid`). Item columns: date (a real Excel date),
    time (a real Excel time, HH:MM), weekday, platform, content type, title, notes, plan
    period (cycle), renewal date. Header row bold and frozen, column widths set.
    """
    names = xlsx_sheet_names(plan, calendar_df, language)
    header = [
        i18n.t(f"schedule.column.{k}", language)
        for k in (
            "date",
            "time",
            "weekday",
            "platform",
            "content_type",
            "title",
            "notes",
            "cycle",
            "renewal_date",
        )
    ]
    widths = [12, 8, 12, 16, 20, 40, 50, 10, 14]
    formats = {1: "yyyy-mm-dd", 2: "hh:mm", 9: "yyyy-mm-dd"}
    item_titles = titles(calendar_df, language)
    notes = _notes(calendar_df)
    all_rows = []
    platforms = []
    for i, rec in enumerate(calendar_df.to_dict("records")):
        hour, minute = (int(x) for x in str(rec["time"]).split(":"))
        day = _as_date(rec["date"])
        all_rows.append(
            [
                day,
                dt.time(hour, minute),
                i18n.weekday_name(schedule.WEEKDAYS[day.weekday()], language),
                i18n.label("platform", rec["platform"], language),
                i18n.label("content_type", rec["content_type"], language),
                item_titles[i],
                notes[i],
                int(rec["cycle"]),
                _as_date(rec["renewal_date"]),
            ]
        )
        platforms.append(rec["platform"])
    grid = schedule.communication_grid(plan, language)

    def write(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = names["all"]
        _fill_sheet(ws, header, all_rows, widths, formats)
        for platform in platform_order(plan, calendar_df):
            rows = [row for row, p in zip(all_rows, platforms) if p == platform]
            _fill_sheet(wb.create_sheet(names[platform]), header, rows, widths, formats)
        ws = wb.create_sheet(names["communication"])
        grid_rows = [
            [label] + list(values)
            for label, values in zip(grid.index, grid.itertuples(index=False))
        ]
        _fill_sheet(
            ws,
            [str(grid.index.name)] + [str(c) for c in grid.columns],
            grid_rows,
            [14] + [24] * len(grid.columns),
            {},
        )
        wb.save(tmp)

    return _atomic_write(path, write)


# --- ICS -------------------------------------------------------------------------------------


def event_uid(
    client_id: str, date: dt.date, time: str, platform: str, content_type: str, index: int
) -> str:
    """A stable, unique event UID: SHA-256 of the item's identity, "@workshop".

    `index` numbers items with the same client, date, time, platform and content type
    (0, 1, ...), so two identical slots still get two UIDs, and re-exporting the same plan
    gives the same UIDs (a calendar updates events instead of duplicating them).
    """
    key = "|".join([client_id, date.isoformat(), time, platform, content_type, str(index)])
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def calendar_ics(
    plan: Plan,
    calendar_df: pd.DataFrame,
    path: str | os.PathLike[str],
    language: str = "vi",
    stamp: dt.datetime | None = None,
) -> Path:
    """Write the calendar as an iCalendar file (RFC 5545) for Google Calendar / Outlook.

    One VEVENT per item: UID (:func:`event_uid`), DTSTAMP (`stamp`, default now in UTC;
    pass a fixed one for reproducible files), DTSTART at the item's time in the client's
    country time zone (:data:`TIMEZONES`; floating local time for "OTHER"), DTEND =
    DTSTART + 30 minutes (a fixed publishing slot, :data:`EVENT_MINUTES`), SUMMARY = title
    (:func:`titles`), DESCRIPTION = notes then the content type, CATEGORIES = platform
    label. The calendar has PRODID, VERSION 2.0, X-WR-CALNAME (client name – editorial
    calendar), X-WR-TIMEZONE, and the VTIMEZONE components its events use (icalendar's
    ``add_missing_timezones``, limited to the calendar's years) so Outlook imports it.

    The bytes are those icalendar writes (:func:`_ics_icalendar`); the events are
    serialised by :func:`_ics_fast` (icalendar's own value escaping and line folding, without
    building a component per event) and the VTIMEZONE of a zone and year range is computed
    once per process. The first event is checked against icalendar's own serialisation;
    on any difference the whole file is built by icalendar.
    """
    stamp = stamp or dt.datetime.now(dt.UTC)
    items = _ics_items(plan, calendar_df, language)
    payload = _ics_fast(plan, calendar_df, items, language, stamp)
    if payload is None:
        payload = _ics_icalendar(plan, calendar_df, items, language, stamp)

    def write(tmp: Path) -> None:
        with tmp.open("xb") as fh:
            fh.write(payload)

    return _atomic_write(path, write)


def _ics_items(plan: Plan, calendar_df: pd.DataFrame, language: str) -> list[tuple]:
    """Each event's (uid, start, end, summary, description, category label)."""
    tzid = TIMEZONES.get(plan.client.country)
    tz = ZoneInfo(tzid) if tzid else None
    item_titles = titles(calendar_df, language)
    notes = _notes(calendar_df)
    counts: dict[tuple, int] = {}
    items = []
    for i, rec in enumerate(calendar_df.to_dict("records")):
        identity = (_as_date(rec["date"]), rec["time"], rec["platform"], rec["content_type"])
        index = counts.get(identity, 0)
        counts[identity] = index + 1
        hour, minute = (int(x) for x in str(rec["time"]).split(":"))
        start = dt.datetime.combine(identity[0], dt.time(hour, minute), tzinfo=tz)
        ctype = i18n.t(
            "schedule.description.content_type",
            language,
            content_type=i18n.label("content_type", rec["content_type"], language),
        )
        items.append(
            (
                event_uid(str(plan.client.id), *identity, index),
                start,
                start + dt.timedelta(minutes=EVENT_MINUTES),
                one_line(item_titles[i]),
                # our own paragraph break between the notes and the content type; the
                # texts themselves are one line each (vText writes the break as \n)
                "\n\n".join(one_line(part) for part in (notes[i], ctype) if part),
                one_line(i18n.label("platform", rec["platform"], language)),
            )
        )
    return items


def _ics_calendar(plan: Plan, language: str) -> icalendar.Calendar:
    """The VCALENDAR component with its own properties, no event yet."""
    tzid = TIMEZONES.get(plan.client.country)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add(
        "x-wr-calname",
        one_line(i18n.t("schedule.calendar_name", language, client=plan.client.name)),
    )
    if tzid:
        cal.add("x-wr-timezone", tzid)
    return cal


def _ics_event(item: tuple, stamp: dt.datetime) -> icalendar.Event:
    uid, start, end, summary, description, category = item
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", description)
    event.add("categories", [category])
    return event


def _tz_years(calendar_df: pd.DataFrame) -> tuple[dt.date, dt.date]:
    """First and last day of the VTIMEZONE range: a year before and after the calendar."""
    dates = [_as_date(d) for d in calendar_df["date"]]
    first, last = min(dates), max(dates)
    return dt.date(first.year - 1, 1, 1), dt.date(last.year + 1, 12, 31)


def _ics_icalendar(
    plan: Plan, calendar_df: pd.DataFrame, items: list[tuple], language: str, stamp: dt.datetime
) -> bytes:
    """The whole file built with icalendar components (the reference serialisation)."""
    cal = _ics_calendar(plan, language)
    for item in items:
        cal.add_component(_ics_event(item, stamp))
    if TIMEZONES.get(plan.client.country) and len(calendar_df):
        first, last = _tz_years(calendar_df)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


@functools.lru_cache(maxsize=32)
def _vtimezone(tzid: str, first: dt.date, last: dt.date) -> bytes:
    """The VTIMEZONE component icalendar's ``add_missing_timezones`` adds for `tzid`."""
    cal = icalendar.Calendar()
    event = icalendar.Event()
    event.add("dtstart", dt.datetime(first.year + 1, 1, 1, tzinfo=ZoneInfo(tzid)))
    cal.add_component(event)
    cal.add_missing_timezones(first_date=first, last_date=last)
    (tz,) = cal.timezones
    return tz.to_ical()


def _ics_fast(
    plan: Plan, calendar_df: pd.DataFrame, items: list[tuple], language: str, stamp: dt.datetime
) -> bytes | None:
    """The same bytes as :func:`_ics_icalendar`, or None when they cannot be guaranteed."""
    try:
        from icalendar.parser.string import _foldline
        from icalendar.prop import vCategory, vDDDTypes, vText
    except ImportError:  # another icalendar layout: the reference path
        return None
    tzid = TIMEZONES.get(plan.client.country)
    end_cal = b"END:VCALENDAR\r\n"
    head = _ics_calendar(plan, language).to_ical()
    if not head.endswith(end_cal):
        return None
    if not items:
        return head

    def fold(line: str) -> str:
        # icalendar folds at 75 octets: a line shorter than that is left as it is
        if len(line.encode("utf-8")) < 75:
            return line
        return _foldline(line)

    def text(value: str) -> str:
        return vText(value).to_ical().decode("utf-8")

    param = f";TZID={tzid}" if tzid else ""
    stamp_line = fold("DTSTAMP:" + vDDDTypes(stamp).to_ical().decode("utf-8"))
    fmt = "%Y%m%dT%H%M%S"
    blocks = []
    for uid, start, end, summary, description, category in items:
        blocks.append(
            "\r\n".join(
                (
                    "BEGIN:VEVENT",
                    fold("SUMMARY:" + text(summary)),
                    fold(f"DTSTART{param}:{start.strftime(fmt)}"),
                    fold(f"DTEND{param}:{end.strftime(fmt)}"),
                    stamp_line,
                    fold("UID:" + text(uid)),
                    fold("CATEGORIES:" + vCategory([category]).to_ical().decode("utf-8")),
                    fold("DESCRIPTION:" + text(description)),
                    "END:VEVENT",
                    "",
                )
            )
        )
    # the first event must be exactly what icalendar writes, or nothing is trusted
    if blocks[0].encode("utf-8") != _ics_event(items[0], stamp).to_ical():
        return None
    tz = b""
    if tzid:
        tz = _vtimezone(tzid, *_tz_years(calendar_df))
    return head[: -len(end_cal)] + tz + "".join(blocks).encode("utf-8") + end_cal
