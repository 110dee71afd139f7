"""Tests of the scheduler files (workshop.exports_tools) and the folder (workshop.schedulers).

Each scheduler CSV is parsed with the csv module against the documented header in
``tests/fixtures/schedulers/`` and the tool's limits; the Excel CSV is read with pandas as
UTF-8-sig; the ICS is parsed with icalendar.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import unicodedata
import zipfile
from pathlib import Path

import icalendar
import pandas as pd
import pytest
from hostile import HOSTILE_TEXTS, hostile_plan, live_markup
from hypothesis import given, settings
from hypothesis import strategies as st
from schedulers_plans import NOW, plan_with, rows, rule, slot

from workshop import data, i18n, preflight, schedule, schedulers
from workshop import plan as plan_mod
from workshop.exports_tools import human, ics, text

FIXTURES = Path(__file__).with_name("fixtures") / "schedulers"
OPTS = preflight.Options(now=NOW)
STAMP = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
FORMULA = '=HYPERLINK("https://evil.example/","x")'
RAW_IDS = ("photo_post", "short_video", "text_post", "zalo_oa", "broadcast_message", "long_video")


def header_of(name: str) -> list[str]:
    return rows((FIXTURES / name).read_bytes())[0]


@pytest.fixture(scope="module")
def mixed():
    """A plan on five platforms with hostile and long themes, a Zalo OA broadcast."""
    items = [
        {"month": 1, "asset": "ebook", "theme": "Hướng dẫn pha phin", "channels": ["facebook"]},
    ]
    plan = plan_with(
        rule(
            "facebook",
            slot("mon", "photo_post", "08:00", FORMULA),
            slot("wed", "text_post", "11:30", "-20% cold brew"),
        ),
        rule("instagram", slot("tue", "story", "19:02", "@SUM(A1:A9)")),
        rule("pinterest", slot("wed", "infographic", "20:00")),
        rule("x", slot("fri", "text_post", "10:00", "+1+2")),
        rule("zalo_oa", slot("tue", "broadcast_message", "21:00", "Ưu đãi")),
        communication={"items": items},
    )
    return plan, schedulers.build(plan, "vi", OPTS, stamp=STAMP)


# --- Buffer -----------------------------------------------------------------------------------


def test_buffer_one_file_per_channel_in_the_documented_layout(mixed):
    plan, bundle = mixed
    names = bundle.by_tool["buffer"]
    assert names == [
        "buffer-facebook.csv",
        "buffer-instagram.csv",
        "buffer-pinterest.csv",
        "buffer-x.csv",
    ]
    limit = preflight.tool("buffer")["rules"]["max_rows"]["tiers"]["free"]
    for name in names:
        payload = bundle.files[name]
        assert not payload.startswith(b"\xef\xbb\xbf")  # no BOM: the header is matched exactly
        table = rows(payload)
        expected = header_of(
            "buffer-pinterest-header.csv" if "pinterest" in name else "buffer-header.csv"
        )
        assert table[0] == expected
        assert 1 <= len(table) - 1 <= limit
        for row in table[1:]:
            assert len(row) == len(expected) and row[0]
            dt.datetime.strptime(row[3], "%Y-%m-%d %H:%M")  # Posting Time
    fb = rows(bundle.files["buffer-facebook.csv"])
    assert fb[1][3] == "2027-01-04 08:00"


def test_buffer_splits_a_channel_over_its_row_limit():
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    plan = plan_with(rule("facebook", *[slot(d) for d in days]))
    bundle = schedulers.build(plan, "en", OPTS, stamp=STAMP)
    assert bundle.by_tool["buffer"] == [
        "buffer-facebook-1.csv",
        "buffer-facebook-2.csv",
        "buffer-facebook-3.csv",
    ]
    counts = [len(rows(bundle.files[n])) - 1 for n in bundle.by_tool["buffer"]]
    assert counts == [10, 10, 8]
    paid = schedulers.build(
        plan, "en", preflight.Options(now=NOW, tiers={"buffer": "paid"}), stamp=STAMP
    )
    assert paid.by_tool["buffer"] == ["buffer-facebook.csv"]


# --- Metricool --------------------------------------------------------------------------------


def test_metricool_one_row_per_post_with_a_true_column_per_network(mixed):
    plan, bundle = mixed
    assert bundle.by_tool["metricool"] == ["metricool.csv"]
    table = rows(bundle.files["metricool.csv"])
    header = header_of("metricool-header.csv")
    assert table[0] == header
    spec = preflight.tool("metricool")
    networks = list(spec["network_columns"].values()) + spec["other_network_columns"]
    body = [dict(zip(header, r)) for r in table[1:]]
    cal = preflight.check(plan, "metricool", "vi", options=OPTS).calendar
    assert len(body) == len(cal)
    for row, rec in zip(body, cal.to_dict("records")):
        assert len(row) == len(header)
        flags = {n: row[n] for n in networks}
        assert set(flags.values()) <= {"TRUE", "FALSE"}
        assert [n for n, v in flags.items() if v == "TRUE"] == [
            spec["network_columns"][rec["platform"]]
        ]
        dt.date.fromisoformat(row["Date"])
        assert re.fullmatch(r"\d\d:\d\d:00", row["Time"])
        assert row["Draft"] == (
            "TRUE" if rec["platform"] in ("instagram", "pinterest") else "FALSE"
        )
    ig = [r for r in body if r["Instagram"] == "TRUE"]
    assert {r["Instagram Post Type"] for r in ig} == {"STORY"}
    pins = [r for r in body if r["Pinterest"] == "TRUE"]
    assert all(r["Pinterest Pin Title"] for r in pins)


def test_metricool_header_in_data_matches_the_fixture():
    assert preflight.tool("metricool")["header"] == header_of("metricool-header.csv")
    assert preflight.tool("buffer")["header"] == header_of("buffer-header.csv")
    assert preflight.tool("publer")["header"] == header_of("publer-header.csv")


# --- Publer -----------------------------------------------------------------------------------


def test_publer_keeps_its_twelve_columns(mixed):
    plan, bundle = mixed
    header = header_of("publer-header.csv")
    assert len(header) == 12
    for name in bundle.by_tool["publer"]:
        table = rows(bundle.files[name])
        assert table[0] == header
        for row in table[1:]:
            assert len(row) == 12
            dt.datetime.strptime(row[0], "%Y-%m-%d %H:%M")
            assert row[1]
    pins = rows(bundle.files["publer-pinterest.csv"])[1:]
    assert all(r[header.index("Title")] for r in pins)


# --- Hootsuite --------------------------------------------------------------------------------


def test_hootsuite_no_header_three_columns_per_profile(mixed):
    plan, bundle = mixed
    sample = rows((FIXTURES / "hootsuite-sample.csv").read_bytes())
    assert len(sample[0]) == 3
    for name in bundle.by_tool["hootsuite"]:
        table = rows(bundle.files[name])
        assert 1 <= len(table) <= preflight.tool("hootsuite")["rules"]["max_rows"]["value"]
        texts = [r[1] for r in table]
        assert len(set(texts)) == len(texts)  # no text twice on a profile
        for row in table:
            assert len(row) == 3 and row[2] == ""
            when = dt.datetime.strptime(row[0], "%m/%d/%Y %H:%M")
            assert when.minute % 5 == 0 and when >= NOW + dt.timedelta(minutes=10)
            assert "\n" not in row[1]
    ig = rows(bundle.files["hootsuite-instagram.csv"])
    assert ig[0][0] == "01/05/2027 19:05"  # 19:02 on the 5-minute grid


def test_hootsuite_splits_at_350_rows():
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    plan = plan_with(rule("x", *[slot(d, "text_post") for d in days]), horizon_months=12)
    bundle = schedulers.build(plan, "en", OPTS, stamp=STAMP)
    names = bundle.by_tool["hootsuite"]
    assert names == ["hootsuite-x-1.csv", "hootsuite-x-2.csv"]
    assert [len(rows(bundle.files[n])) for n in names] == [350, 365 - 3 - 350]


# --- every scheduler file ---------------------------------------------------------------------


def test_no_raw_ids_where_a_person_reads(mixed):
    plan, bundle = mixed
    for name, payload in bundle.files.items():
        body = payload.decode("utf-8-sig")
        for raw in RAW_IDS:
            assert raw not in body, (name, raw)


def test_every_csv_cell_is_injection_safe(mixed):
    plan, bundle = mixed
    for name, payload in bundle.files.items():
        if not name.endswith(".csv"):
            continue
        delimiter = human.SEPARATORS["vi"] if name in (human.FILE, "preflight.csv") else ","
        for row in rows(payload, delimiter):
            for cell in row:
                assert not cell.lstrip(" ").startswith(text.FORMULA_STARTS), (name, cell)
    buffer_fb = rows(bundle.files["buffer-facebook.csv"])
    assert buffer_fb[1][0].startswith("'" + FORMULA)  # neutralised, still readable
    assert any(r[0].startswith("'-20% cold brew") for r in buffer_fb[1:])


def test_post_text_is_theme_content_type_and_notes_in_the_plan_language(mixed):
    plan, bundle = mixed
    first = rows(bundle.files["publer-facebook.csv"])[1][1]
    assert first.split("\n") == [
        "'" + FORMULA,
        "Loại nội dung: Bài đăng ảnh",
        "Kế hoạch truyền thông tháng này: Sách điện tử (ebook) – Hướng dẫn pha phin",
    ]
    english = schedulers.build(plan, "en", OPTS, stamp=STAMP)
    assert "Content type: Photo post" in english.files["publer-facebook.csv"].decode()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_csv_cell_never_starts_a_formula_and_has_no_control_characters(value):
    cell = text.csv_cell(value)
    assert not cell.lstrip(" ").startswith(text.FORMULA_STARTS)
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", cell)
    assert cell == unicodedata.normalize("NFC", cell)


def test_fit_counts_nfc_characters_and_keeps_the_tag():
    decomposed = unicodedata.normalize("NFD", "Tiếng Việt " * 40)  # ~2x longer in NFD
    body, cut = text.fit([decomposed, "Loại nội dung: X", "notes " * 100], 280, keep_last="(tag)")
    assert cut and len(body) <= 280 and body.endswith("(tag)")
    assert body.startswith("Tiếng Việt")  # NFC
    kept, cut = text.fit(["short", "type"], 280)
    assert (kept, cut) == ("short\ntype", False)


# --- the Excel CSV ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_excel_csv_reads_back_with_pandas_as_utf8_sig(mixed, language):
    plan, _ = mixed
    bundle = schedulers.build(plan, language, OPTS, stamp=STAMP)
    payload = bundle.files[human.FILE]
    assert payload.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(
        io.BytesIO(payload),
        encoding="utf-8-sig",
        sep=human.SEPARATORS[language],
        dtype=str,
        keep_default_na=False,
    )
    assert list(back.columns) == human.header(language)
    base, _ = preflight.zalo_calendar(plan, schedule.expand(plan, language), language, OPTS)
    assert len(back) == len(base)
    date_col, platform_col = back.columns[0], back.columns[3]
    first = back.iloc[0]
    assert first[date_col] == ("04/01/2027" if language == "vi" else "2027-01-04")
    assert set(back[platform_col]) == {
        i18n.label("platform", p, language) for p in base["platform"].unique()
    }
    content = back[back.columns[4]]
    assert not set(content) & set(RAW_IDS)
    assert ("Thứ Hai" if language == "vi" else "Monday") in set(back[back.columns[1]])


# --- the ICS ----------------------------------------------------------------------------------


def test_ics_has_the_platform_in_every_summary_and_the_content_type_in_descriptions(mixed):
    plan, bundle = mixed
    payload = bundle.files[ics.FILE]
    cal = icalendar.Calendar.from_ical(payload)
    events = list(cal.walk("VEVENT"))
    base, _ = preflight.zalo_calendar(plan, schedule.expand(plan, "vi"), "vi", OPTS)
    assert len(events) == len(base)
    for event, rec in zip(events, base.to_dict("records")):
        label = i18n.label("platform", rec["platform"], "vi")
        assert str(event["SUMMARY"]).startswith(label + ": ")
        content = i18n.label("content_type", rec["content_type"], "vi")
        assert f"Loại nội dung: {content}" in str(event["DESCRIPTION"])
        start = event["DTSTART"].dt
        assert start.tzinfo is not None and str(start.tzinfo) == "Asia/Ho_Chi_Minh"
        assert (start.date(), start.strftime("%H:%M")) == (rec["date"], rec["time"])
        assert event["DTEND"].dt - start == dt.timedelta(minutes=30)
    summaries = [str(e["SUMMARY"]) for e in events]
    assert f"Facebook: {FORMULA}" in summaries  # text, escaped by iCalendar rules only
    zalo = [e for e in events if "Zalo" in str(e["SUMMARY"])]
    assert zalo and all("20:00" in str(e["DESCRIPTION"]) for e in zalo)  # the move is noted
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert all(len(line) <= 75 for line in payload.split(b"\r\n"))
    assert cal.timezones  # VTIMEZONE for Outlook


def test_ics_uids_match_the_existing_calendar_and_floating_for_other(tmp_path):
    from workshop import exports

    plan = plan_with(rule("linkedin", slot("tue", "article", "08:30", "Insight")))
    cal = schedule.expand(plan, "en")
    old = icalendar.Calendar.from_ical(
        exports.calendar_ics(plan, cal, tmp_path / "old.ics", "en", STAMP).read_bytes()
    )
    new = icalendar.Calendar.from_ical(ics.file_bytes(plan, cal, "en", STAMP))
    assert [str(e["UID"]) for e in old.walk("VEVENT")] == [
        str(e["UID"]) for e in new.walk("VEVENT")
    ]
    other = plan.model_copy(update={"client": plan.client.model_copy(update={"country": "OTHER"})})
    floating = icalendar.Calendar.from_ical(ics.file_bytes(other, cal, "en", STAMP))
    assert all(e["DTSTART"].dt.tzinfo is None for e in floating.walk("VEVENT"))
    assert not floating.timezones


def test_ics_fold_never_splits_a_character():
    line = "SUMMARY:" + "Bát Tràng ồ ạt " * 20
    folded = ics.fold(line)
    parts = folded.split(b"\r\n")
    assert all(len(p) <= 75 for p in parts)
    unfolded = folded.replace(b"\r\n ", b"").rstrip(b"\r\n").decode("utf-8")
    assert unfolded == line


# --- the folder -------------------------------------------------------------------------------


def test_write_folder_writes_everything_and_returns_the_paths(mixed, tmp_path):
    plan, bundle = mixed
    folder = tmp_path / "client" / "calendar"
    paths = schedulers.write_folder(bundle, folder)
    assert sorted(p.name for p in paths) == sorted(bundle.files)
    assert all(p.read_bytes() == bundle.files[p.name] for p in paths)
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted([*bundle.files, schedulers.MANIFEST])  # no staging folder left
    manifest = json.loads((folder / schedulers.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["files"] == sorted(bundle.files)


def test_write_folder_removes_only_its_own_stale_files(tmp_path):
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    many = schedulers.build(plan_with(rule("facebook", *[slot(d) for d in days])), "en", OPTS)
    folder = tmp_path / "calendar"
    schedulers.write_folder(many, folder)
    (folder / "notes-of-mine.csv").write_text("mine", encoding="utf-8")
    few = schedulers.build(plan_with(rule("facebook", slot("mon"))), "en", OPTS)
    schedulers.write_folder(few, folder)
    names = {p.name for p in folder.iterdir()}
    assert "buffer-facebook-2.csv" not in names and "buffer-facebook.csv" in names
    assert "notes-of-mine.csv" in names  # not ours: kept


def test_write_folder_refuses_a_link(tmp_path, mixed):
    plan, bundle = mixed
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    os.symlink(real, link)
    with pytest.raises(schedulers.FolderError, match="liên kết"):
        schedulers.write_folder(bundle, link)
    assert list(real.iterdir()) == []
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(schedulers.FolderError):
        schedulers.write_folder(bundle, afile)


def test_download_one_file_or_a_zip(mixed):
    plan, bundle = mixed
    name, payload, mime = schedulers.download(bundle, "metricool")
    assert (name, mime) == ("metricool.csv", "text/csv") and payload == bundle.files[name]
    name, payload, mime = schedulers.download(bundle, "buffer")
    assert (name, mime) == ("buffer.zip", "application/zip")
    with zipfile.ZipFile(io.BytesIO(payload)) as zf:
        assert zf.namelist() == bundle.by_tool["buffer"]
        assert zf.read("buffer-x.csv") == bundle.files["buffer-x.csv"]
    again = schedulers.download(bundle, "buffer")[1]
    assert again == payload  # reproducible
    assert schedulers.download(bundle, "ics")[2] == "text/calendar"
    with pytest.raises(KeyError):
        schedulers.download(bundle, "later")


def test_every_download_is_served(mixed):
    plan, bundle = mixed
    served = {name: schedulers.download(bundle, name)[0] for name in schedulers.DOWNLOADS}
    assert served == {
        "buffer": "buffer.zip",
        "metricool": "metricool.csv",
        "publer": "publer.zip",
        "hootsuite": "hootsuite.zip",
        "ics": "calendar.ics",
        "excel": "calendar-excel.csv",
        "checklist": "checklist.html",
        "preflight": "preflight.csv",
    }


@pytest.mark.parametrize("hostile", HOSTILE_TEXTS)
def test_hostile_themes_are_data_in_every_file(hostile):
    plan = plan_mod.validate(hostile_plan(hostile, "vi"))
    bundle = schedulers.build(plan, "vi", OPTS, stamp=STAMP)
    for name, payload in bundle.files.items():
        if name.endswith(".csv"):
            delimiter = ";" if name in (human.FILE, "preflight.csv") else ","
            for row in rows(payload, delimiter):
                for cell in row:
                    assert not cell.lstrip(" ").startswith(text.FORMULA_STARTS), (name, cell)
    events = icalendar.Calendar.from_ical(bundle.files[ics.FILE]).walk("VEVENT")
    assert any(hostile in str(e["SUMMARY"]) for e in events)  # the text, kept as text
    assert live_markup(bundle.files["checklist.html"].decode("utf-8")) == []


def test_a_refused_tool_has_no_file_and_says_why():
    plan = plan_with(rule("zalo_oa", slot("tue", "broadcast_message")))
    bundle = schedulers.build(plan, "en", OPTS, stamp=STAMP)
    assert set(bundle.refused()) == set(preflight.TOOLS)
    assert not any(n.startswith(preflight.TOOLS) for n in bundle.files)
    name, payload, mime = schedulers.download(bundle, "buffer")
    assert name == "buffer.txt" and b"publishes to none" in payload
    readme = bundle.files[schedulers.README].decode("utf-8")
    assert "Buffer: no file" in readme
    assert "checklist.html" in bundle.files


# --- the example plans ------------------------------------------------------------------------


@pytest.mark.parametrize("stem", sorted(p.stem for p in data.example_plans()))
def test_example_plans_export_without_refusal(stem, tmp_path):
    plan = plan_mod.load(data.path("clients") / f"{stem}.yaml")
    bundle = schedulers.build(plan, plan.language, OPTS, stamp=STAMP)
    assert bundle.refused() == {}
    paths = schedulers.write_folder(bundle, tmp_path / "calendar")
    assert {"calendar.ics", human.FILE, "checklist.html", "preflight.csv"} <= {
        p.name for p in paths
    }
    for name in preflight.TOOLS:
        assert bundle.by_tool[name], name
    if stem == "gom-bat-trang":
        # the data requires it: Facebook is run as a personal profile (C2), which no
        # scheduler can publish to, so every Facebook post goes to the checklist, by hand
        for name in preflight.TOOLS:
            result = bundle.results[name]
            dropped = [f for f in result.findings if f.rule == "business_account"]
            assert len(dropped) == (schedule.expand(plan)["platform"] == "facebook").sum()
            assert "facebook" not in set(result.calendar["platform"])
        assert "Facebook – đăng trực tiếp" in bundle.files["checklist.html"].decode("utf-8")
    if stem == "demo-cafe":
        # Zalo OA: the weekly broadcast is over the Basic package's one a month
        quota = [f for f in bundle.results["checklist"].findings if f.rule == "zalo_quota"]
        assert quota and all(f.platform == "zalo_oa" for f in quota)
