"""Tests of workshop.exports: the editorial calendar as CSV, XLSX and iCalendar files."""

from __future__ import annotations

import csv
import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import openpyxl
import pandas as pd
import pytest
from hostile import CONTROL_TEXTS, HOSTILE_TEXTS, hostile_plan, unvalidated_plan

from workshop import exports, i18n, schedule
from workshop.plan import one_line, unsafe_character, validate

D = dt.date
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
STAMP = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


def make_plan(country="VN", **overrides):
    raw = {
        "client": {"id": "demo-shop", "name": 'Cà phê "Sáng" & <Co>', "country": country},
        "start": "2027-01-01",
        "horizon_months": 2,
        "communication": {
            "items": [
                {
                    "month": 1,
                    "asset": "ebook",
                    "theme": "Hướng dẫn pha phin",
                    "channels": ["facebook", "website"],
                }
            ]
        },
        "editorial": {
            "rules": [
                {
                    "platform": "facebook",
                    "slots": [
                        {"weekday": "tue", "content_type": "photo_post", "time": "09:00"},
                        {
                            "weekday": "fri",
                            "content_type": "short_video",
                            "time": "18:30",
                            "theme": SCRIPT,
                        },
                    ],
                },
                {
                    "platform": "linkedin",
                    "renewal_months": 2,
                    "slots": [
                        {
                            "weekday": "wed",
                            "content_type": "article",
                            "time": "08:00",
                            "theme": FORMULA,
                        },
                        {"weekday": "wed", "content_type": "article", "time": "08:00"},
                    ],
                },
            ],
            "blackout_dates": ["2027-01-12"],
        },
    }
    raw.update(overrides)
    return validate(raw)


@pytest.fixture
def plan():
    return make_plan()


@pytest.fixture
def cal(plan):
    return schedule.expand(plan, "vi")


# --- CSV ---------------------------------------------------------------------------------


def test_csv_round_trip(cal, tmp_path):
    path = exports.calendar_csv(cal, tmp_path / "out" / "calendar.csv", "vi")
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # plain UTF-8, no BOM
    assert raw.splitlines()[0] == b"date,time,platform,content_type,title,notes"
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(back) == len(cal)
    assert back["date"].tolist() == [d.isoformat() for d in cal["date"]]
    assert back["platform"].tolist() == cal["platform"].tolist()
    assert back["time"].tolist() == cal["time"].tolist()
    assert SCRIPT in back["title"].tolist()  # written as text
    assert "'" + FORMULA in back["title"].tolist()  # neutralised for spreadsheets (OWASP)
    assert "Hướng dẫn pha phin" in back["title"].tolist()  # theme from the comm plan
    untitled = back[(back["platform"] == "linkedin") & (back["title"] != "'" + FORMULA)]
    expected = i18n.t(
        "schedule.title.default",
        "vi",
        content_type=i18n.label("content_type", "article", "vi"),
        platform=i18n.label("platform", "linkedin", "vi"),
    )
    assert set(untitled["title"]) == {expected}
    assert list(tmp_path.joinpath("out").iterdir()) == [path]  # no temporary file left


def test_csv_quotes_commas_and_newlines(plan, tmp_path):
    valid = make_plan(
        editorial={
            "rules": [
                {
                    "platform": "facebook",
                    "slots": [{"weekday": "mon", "content_type": "text_post", "theme": 'a, "b"'}],
                }
            ]
        }
    )
    back = pd.read_csv(
        exports.calendar_csv(schedule.expand(valid), tmp_path / "c.csv"),
        dtype=str,
        keep_default_na=False,
    )
    assert set(back["title"]) == {'a, "b"'}
    # a line break (refused by the schema; here from a plan that skipped validation) never
    # splits a row: every cell is one line
    broken = unvalidated_plan(valid, 'a, "b"\nc\r\nd')
    path = exports.calendar_csv(schedule.expand(broken), tmp_path / "n.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert set(back["title"]) == {'a, "b" c  d'}
    assert len(path.read_bytes().splitlines()) == len(back) + 1


def _csv_rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("column", ["title", "notes"])
@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"], ids=repr)
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(plan, cal, lead, column, tmp_path):
    # OWASP CSV injection: a cell starting with = + - @ TAB or CR gets a leading quote
    payload = f'{lead}HYPERLINK("https://evil.example/","x")'
    source = {"title": "theme", "notes": "notes"}[column]
    path = exports.calendar_csv(cal.assign(**{source: payload}), tmp_path / "c.csv")
    cells = {row[column] for row in _csv_rows(path)}
    assert cells == {"'" + one_line(payload)}


@pytest.mark.parametrize("lead", ["=", "+", "-", "@"])
def test_csv_neutralises_formula_themes_of_a_valid_plan(lead, tmp_path):
    theme = f"{lead}1+2"
    raw = hostile_plan(theme)
    plan = validate(raw)
    rows = _csv_rows(exports.calendar_csv(schedule.expand(plan), tmp_path / "c.csv"))
    titles = {row["title"] for row in rows}
    assert "'" + theme in titles and theme not in titles


def test_no_csv_cell_of_a_hostile_plan_starts_like_a_formula(tmp_path):
    for i, text in enumerate(HOSTILE_TEXTS + CONTROL_TEXTS):
        plan = unvalidated_plan(validate(hostile_plan("x")), text)
        path = exports.calendar_csv(schedule.expand(plan), tmp_path / f"{i}.csv")
        rows = _csv_rows(path)
        assert rows
        for row in rows:
            for value in row.values():
                assert not value.startswith(exports.CSV_FORMULA_PREFIXES), (text, value)
                assert unsafe_character(value) is None, (text, value)


# --- XLSX --------------------------------------------------------------------------------


def test_xlsx_sheets_and_rows(plan, cal, tmp_path):
    path = exports.calendar_xlsx(plan, cal, tmp_path / "calendar.xlsx", "vi")
    wb = openpyxl.load_workbook(path)
    fb = i18n.label("platform", "facebook", "vi")
    li = i18n.label("platform", "linkedin", "vi")
    assert wb.sheetnames == [
        i18n.t("schedule.sheet.all", "vi"),
        fb,
        li,
        i18n.t("schedule.sheet.communication", "vi"),
    ]
    assert wb.sheetnames == list(exports.xlsx_sheet_names(plan, cal, "vi").values())
    assert wb.worksheets[0].max_row - 1 == len(cal)
    for platform, name in (("facebook", fb), ("linkedin", li)):
        ws = wb[name]
        assert ws.max_row - 1 == (cal["platform"] == platform).sum()
        dates = [row[0].value for row in ws.iter_rows(min_row=2)]
        assert all(isinstance(d, dt.datetime) for d in dates)  # real Excel dates
        assert [d.date() for d in dates] == cal.loc[cal["platform"] == platform, "date"].tolist()
        assert ws["A1"].font.bold and ws.freeze_panes == "A2"
        assert ws.column_dimensions["F"].width >= 20
    grid = schedule.communication_grid(plan, "vi")
    ws = wb[i18n.t("schedule.sheet.communication", "vi")]
    assert ws.max_row - 1 == len(grid)
    assert [c.value for c in ws[1]][1:] == list(grid.columns)


def test_xlsx_user_text_is_never_a_formula(plan, cal, tmp_path):
    path = exports.calendar_xlsx(plan, cal, tmp_path / "calendar.xlsx", "vi")
    ws = openpyxl.load_workbook(path).worksheets[0]
    titles = [row[5] for row in ws.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in titles)
    values = {c.value for c in titles}
    assert SCRIPT in values and FORMULA in values


@pytest.mark.parametrize("text", CONTROL_TEXTS)
def test_xlsx_control_characters_never_crash_the_writer(text, tmp_path):
    # openpyxl refuses C0 controls (IllegalCharacterError) and XML refuses U+FFFE: a plan
    # that skipped validation must still give a workbook, with the characters replaced
    plan = unvalidated_plan(make_plan(), text)
    cal = schedule.expand(plan, "vi")
    path = exports.calendar_xlsx(plan, cal, tmp_path / "c.xlsx", "vi")
    ws = openpyxl.load_workbook(path).worksheets[0]
    titles = [row[5].value for row in ws.iter_rows(min_row=2)]
    assert one_line(text) in titles
    assert all(unsafe_character(t) is None for t in titles)


def test_xlsx_cells_are_cut_at_excels_limit(plan, cal, tmp_path):
    long = "x" * (exports.XLSX_CELL_MAX_CHARS + 10)
    path = exports.calendar_xlsx(plan, cal.assign(notes=long), tmp_path / "c.xlsx")
    ws = openpyxl.load_workbook(path).worksheets[0]
    notes = ws.cell(row=2, column=7).value
    assert len(notes) == exports.XLSX_CELL_MAX_CHARS and notes.endswith("…")


def test_sheet_name_sanitised_and_unique():
    taken = {"Facebook"}
    assert exports.sheet_name("a/b:c*d?[e]\\f") == "abcdef"
    long = exports.sheet_name("x" * 40)
    assert len(long) == 31
    assert exports.sheet_name("facebook", taken) == "facebook (2)"
    assert len(exports.sheet_name("y" * 31, {"y" * 31})) <= 31


# --- ICS ---------------------------------------------------------------------------------


def _events(path):
    parsed = icalendar.Calendar.from_ical(path.read_bytes())
    return parsed, list(parsed.walk("VEVENT"))


def test_ics_round_trip(plan, cal, tmp_path):
    path = exports.calendar_ics(plan, cal, tmp_path / "calendar.ics", "vi", stamp=STAMP)
    parsed, events = _events(path)
    assert len(events) == len(cal)
    assert str(parsed["VERSION"]) == "2.0" and "workshop" in str(parsed["PRODID"])
    assert str(parsed["X-WR-CALNAME"]) == i18n.t(
        "schedule.calendar_name", "vi", client=plan.client.name
    )
    starts = [ev["DTSTART"].dt for ev in events]
    assert [s.date() for s in starts] == cal["date"].tolist()
    assert [s.strftime("%H:%M") for s in starts] == cal["time"].tolist()
    assert all(str(s.tzinfo) == "Asia/Ho_Chi_Minh" for s in starts)
    assert all(ev["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh" for ev in events)
    assert all(ev["DTEND"].dt - ev["DTSTART"].dt == dt.timedelta(minutes=30) for ev in events)
    uids = [str(ev["UID"]) for ev in events]
    assert len(set(uids)) == len(uids) and all(u.endswith("@workshop") for u in uids)
    assert all(ev["DTSTAMP"].dt == STAMP for ev in events)
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    summaries = [str(ev["SUMMARY"]) for ev in events]
    assert SCRIPT in summaries and FORMULA in summaries
    cats = {tuple(ev["CATEGORIES"].cats) for ev in events}
    assert cats == {
        (i18n.label("platform", "facebook", "vi"),),
        (i18n.label("platform", "linkedin", "vi"),),
    }
    first = events[0]
    assert "Hướng dẫn pha phin" in str(first["DESCRIPTION"])
    assert i18n.label("content_type", cal["content_type"].iloc[0], "vi") in str(
        first["DESCRIPTION"]
    )


def test_ics_uids_are_stable_and_distinct_for_twin_slots(plan, cal, tmp_path):
    a = exports.calendar_ics(plan, cal, tmp_path / "a.ics", stamp=STAMP)
    b = exports.calendar_ics(plan, cal, tmp_path / "b.ics", stamp=STAMP + dt.timedelta(days=1))
    uids_a = [str(ev["UID"]) for ev in _events(a)[1]]
    uids_b = [str(ev["UID"]) for ev in _events(b)[1]]
    assert uids_a == uids_b
    # linkedin has two identical Wednesday 08:00 article slots: indexes 0 and 1
    wed = D(2027, 1, 6)
    assert exports.event_uid("demo-shop", wed, "08:00", "linkedin", "article", 0) in uids_a
    assert exports.event_uid("demo-shop", wed, "08:00", "linkedin", "article", 1) in uids_a


_ICS_NAMES = {
    b"BEGIN",
    b"END",
    b"PRODID",
    b"VERSION",
    b"CALSCALE",
    b"X-WR-CALNAME",
    b"X-WR-TIMEZONE",
    b"SUMMARY",
    b"DTSTART",
    b"DTEND",
    b"DTSTAMP",
    b"UID",
    b"CATEGORIES",
    b"DESCRIPTION",
    b"TZID",
    b"TZNAME",
    b"TZOFFSETFROM",
    b"TZOFFSETTO",
    b"RRULE",
    b"RDATE",
    b"COMMENT",
}


@pytest.mark.parametrize("text", CONTROL_TEXTS)
def test_ics_control_characters_never_break_a_line_or_inject_a_property(text, tmp_path):
    # defence in depth: the client's name and every theme hold line breaks, CR, NEL,
    # U+2028, escapes... and a plan that skipped validation must not trust the schema
    plan = unvalidated_plan(make_plan(), text)
    cal = schedule.expand(plan, "vi")
    path = exports.calendar_ics(plan, cal, tmp_path / "c.ics", "vi", stamp=STAMP)
    raw = path.read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b""
    for line in lines[:-1]:
        assert b"\n" not in line and b"\r" not in line
        if not line.startswith(b" "):  # not a folded continuation
            name = line.split(b":", 1)[0].split(b";", 1)[0]
            assert name in _ICS_NAMES, line
    assert unsafe_character(raw.decode("utf-8").replace("\r\n", "")) is None
    parsed, events = _events(path)
    assert len(events) == len(cal)
    for ev in events:
        assert "ATTENDEE" not in ev and "LOCATION" not in ev
        assert str(ev["SUMMARY"]) == one_line(text)
    assert str(parsed["X-WR-CALNAME"]) == one_line(
        i18n.t("schedule.calendar_name", "vi", client=text)
    )


@pytest.mark.parametrize("country, tzid", [("FR", "Europe/Paris"), ("US", "America/New_York")])
def test_ics_time_zone_by_country(country, tzid, tmp_path):
    plan = make_plan(country=country)
    cal = schedule.expand(plan, "en")
    parsed, events = _events(exports.calendar_ics(plan, cal, tmp_path / "c.ics", "en"))
    assert len(events) == len(cal)
    assert {
        ev["DTSTART"].dt.tzinfo.key
        if isinstance(ev["DTSTART"].dt.tzinfo, ZoneInfo)
        else str(ev["DTSTART"].dt.tzinfo)
        for ev in events
    } == {tzid}
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == [tzid]


def test_ics_floating_time_for_other_country(tmp_path):
    plan = make_plan(country="OTHER")
    cal = schedule.expand(plan)
    parsed, events = _events(exports.calendar_ics(plan, cal, tmp_path / "c.ics"))
    assert all(ev["DTSTART"].dt.tzinfo is None for ev in events)
    assert list(parsed.walk("VTIMEZONE")) == []


def test_empty_calendar_files(tmp_path):
    plan = make_plan(editorial={"rules": []})
    cal = schedule.expand(plan)
    assert cal.empty
    assert _events(exports.calendar_ics(plan, cal, tmp_path / "e.ics"))[1] == []
    assert pd.read_csv(exports.calendar_csv(cal, tmp_path / "e.csv")).empty
    wb = openpyxl.load_workbook(exports.calendar_xlsx(plan, cal, tmp_path / "e.xlsx"))
    assert len(wb.sheetnames) == 2 and wb.worksheets[0].max_row == 1


# --- Atomic writes -----------------------------------------------------------------------


def test_failed_write_keeps_the_old_file(plan, cal, tmp_path, monkeypatch):
    path = tmp_path / "calendar.xlsx"
    path.write_bytes(b"old")

    def broken_save(self, filename):
        with open(filename, "wb") as fh:
            fh.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError):
        exports.calendar_xlsx(plan, cal, path)
    assert path.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [path]


def test_csv_accepts_timestamp_dates(cal, tmp_path):
    stamped = cal.assign(date=pd.to_datetime(cal["date"]))
    back = pd.read_csv(exports.calendar_csv(stamped, tmp_path / "t.csv"), dtype=str)
    assert back["date"].tolist() == [d.isoformat() for d in cal["date"]]
