"""Tests of workshop.exports: the editorial calendar as CSV, XLSX and iCalendar files."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import openpyxl
import pandas as pd
import pytest

from workshop import exports, i18n, schedule
from workshop.plan import validate

D = dt.date
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
STAMP = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.timezone.utc)


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
    assert FORMULA in back["title"].tolist()
    assert "Hướng dẫn pha phin" in back["title"].tolist()  # theme from the comm plan
    untitled = back[(back["platform"] == "linkedin") & (back["title"] != FORMULA)]
    expected = i18n.t(
        "schedule.title.default",
        "vi",
        content_type=i18n.label("content_type", "article", "vi"),
        platform=i18n.label("platform", "linkedin", "vi"),
    )
    assert set(untitled["title"]) == {expected}
    assert list(tmp_path.joinpath("out").iterdir()) == [path]  # no temporary file left


def test_csv_quotes_commas_and_newlines(tmp_path):
    plan = make_plan(
        editorial={
            "rules": [
                {
                    "platform": "facebook",
                    "slots": [
                        {"weekday": "mon", "content_type": "text_post", "theme": 'a, "b"\nc'}
                    ],
                }
            ]
        }
    )
    cal = schedule.expand(plan)
    back = pd.read_csv(
        exports.calendar_csv(cal, tmp_path / "c.csv"), dtype=str, keep_default_na=False
    )
    assert set(back["title"]) == {'a, "b"\nc'}


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
