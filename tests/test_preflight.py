"""Tests of workshop.preflight: one test per rule, where it passes and where it fails.

Every rule of :data:`workshop.preflight.RULES` has a test here (checked by
``test_every_rule_has_a_test``) and a source in ``data/schedulers.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from schedulers_plans import NOW, plan_with, rule, slot

from workshop import data, preflight, schedule

D = dt.date
OPTS = preflight.Options(now=NOW)


def found(result, rule_id, outcome=None):
    return [
        f
        for f in result.findings
        if f.rule == rule_id and (outcome is None or f.outcome == outcome)
    ]


# --- the rules file ---------------------------------------------------------------------------


def test_every_rule_has_a_test():
    source = Path(__file__).read_text(encoding="utf-8")
    tested = set(re.findall(r"def test_rule_(\w+?)_(?:passes|fails)", source))
    assert set(preflight.RULES) <= tested, set(preflight.RULES) - tested


def test_every_rule_names_a_known_source_with_a_status():
    cfg = preflight.rules()
    statuses = {"vendor", "unconfirmed", "toolkit"}
    for sid, src in cfg["sources"].items():
        assert src["status"] in statuses, sid
        assert src["publisher"] and src["title"], sid
    listed = preflight.rule_sources()
    assert {r["source"] for r in listed} <= set(cfg["sources"])
    ids = {r["rule"] for r in listed}
    assert set(preflight.RULES) == ids - {"layout"}
    # what is only third-party says so in its label
    label = preflight.source("buffer_notes").label("en")
    assert "unconfirmed" in label
    assert "chưa xác nhận" in preflight.source("zalo_quota").label("vi")
    assert preflight.source("publer_blog").confirmed


def test_rules_file_is_bounded_and_checked(tmp_path, monkeypatch):
    big = tmp_path / "schedulers.yaml"
    big.write_bytes(b"#" * (preflight.MAX_RULES_BYTES + 10))
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="larger"):
        preflight.rules()
    big.write_text(yaml.safe_dump({"tools": {}}), encoding="utf-8")
    preflight._load.cache_clear()
    with pytest.raises(ValueError, match="not a schedulers rules file"):
        preflight.rules()


def test_bad_options_are_named_before_any_work():
    plan = plan_with(rule("facebook", slot("mon")))
    with pytest.raises(preflight.ExportOptionError, match="zalo_package") as err:
        preflight.check(plan, "buffer", "vi", options=preflight.Options(zalo_package="gold"))
    assert "basic" in str(err.value) and "Tùy chọn" in str(err.value)
    with pytest.raises(preflight.ExportOptionError, match="tiers.buffer"):
        preflight.check(plan, "buffer", "en", options=preflight.Options(tiers={"buffer": "gold"}))
    with pytest.raises(preflight.ExportOptionError, match="tiers.publer"):
        preflight.check(plan, "buffer", "en", options=preflight.Options(tiers={"publer": "free"}))
    with pytest.raises(preflight.ExportOptionError, match="pinterest_board"):
        preflight.check(plan, "buffer", "en", options=preflight.Options(pinterest_board="a\nb"))
    with pytest.raises(preflight.ExportOptionError, match="tool"):
        preflight.check(plan, "later", "en")


# --- tool rules ---------------------------------------------------------------------------------


def test_rule_platform_supported_passes():
    plan = plan_with(rule("facebook", slot("mon")))
    r = preflight.check(plan, "metricool", "vi", options=OPTS)
    assert not found(r, "platform_supported") and len(r.calendar) == 4


def test_rule_platform_supported_fails():
    plan = plan_with(rule("facebook", slot("mon")), rule("zalo_oa", slot("tue")))
    r = preflight.check(plan, "metricool", "vi", options=OPTS)
    dropped = found(r, "platform_supported", "dropped")
    assert len(dropped) == 4 and {f.platform for f in dropped} == {"zalo_oa"}
    assert set(r.calendar["platform"]) == {"facebook"}
    assert "Metricool không đăng lên Zalo" in dropped[0].message
    only_zalo = plan_with(rule("zalo_oa", slot("tue")))
    refused = preflight.check(only_zalo, "buffer", "en", options=OPTS)
    assert refused.refused and "publishes to none" in refused.reason


def test_rule_business_account_passes():
    plan = plan_with(rule("facebook", slot("mon")), rule("instagram", slot("tue")))
    r = preflight.check(plan, "buffer", "en", options=OPTS)
    assert not found(r, "business_account")


def test_rule_business_account_fails():
    plan = plan_with(
        rule("facebook", slot("mon")),
        rule("instagram", slot("tue")),
        platforms={"personal_profile_as_company": ["facebook"]},
    )
    r = preflight.check(plan, "buffer", "en", options=OPTS)
    dropped = found(r, "business_account", "dropped")
    assert {f.platform for f in dropped} == {"facebook"} and len(dropped) == 4
    assert "personal profile" in dropped[0].message
    assert set(r.calendar["platform"]) == {"instagram"}


def test_rule_lead_time_passes():
    plan = plan_with(rule("facebook", slot("mon", time="09:00")))
    now = dt.datetime(2027, 1, 4, 8, 50)  # exactly 10 minutes before the first post
    r = preflight.check(plan, "publer", "en", options=preflight.Options(now=now))
    assert not found(r, "lead_time") and len(r.calendar) == 4


def test_rule_lead_time_fails():
    plan = plan_with(rule("facebook", slot("mon", time="09:00")))
    now = dt.datetime(2027, 1, 4, 8, 51)
    r = preflight.check(plan, "publer", "en", options=preflight.Options(now=now))
    (drop,) = found(r, "lead_time", "dropped")
    assert (drop.date, drop.time) == (D(2027, 1, 4), "09:00") and len(r.calendar) == 3
    aware = dt.datetime(2027, 2, 1, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội
    late = preflight.check(plan, "publer", "en", options=preflight.Options(now=aware))
    assert late.refused and "past or too soon" in late.reason


def test_rule_time_step_passes():
    plan = plan_with(rule("x", slot("mon", "text_post", "09:05")))
    assert not found(preflight.check(plan, "hootsuite", "en", options=OPTS), "time_step")


def test_rule_time_step_fails():
    plan = plan_with(rule("x", slot("mon", "text_post", "23:58")))
    r = preflight.check(plan, "hootsuite", "en", options=OPTS)
    steps = found(r, "time_step", "adjusted")
    assert len(steps) == 4
    assert (steps[0].date, steps[0].time) == (D(2027, 1, 4), "23:58")
    assert (steps[0].new_date, steps[0].new_time) == (D(2027, 1, 5), "00:00")
    assert r.calendar["time"].tolist() == ["00:00"] * 4
    # another tool keeps the time
    assert not found(preflight.check(plan, "buffer", "en", options=OPTS), "time_step")


def test_rule_min_spacing_passes():
    plan = plan_with(
        rule("x", slot("mon", "text_post", "09:00"), slot("mon", "photo_post", "09:05"))
    )
    assert not found(preflight.check(plan, "hootsuite", "en", options=OPTS), "min_spacing")


def test_rule_min_spacing_fails():
    plan = plan_with(
        rule("x", slot("mon", "text_post", "09:00"), slot("mon", "photo_post", "09:00"))
    )
    r = preflight.check(plan, "hootsuite", "vi", options=OPTS)
    moved = found(r, "min_spacing", "adjusted")
    assert len(moved) == 4 and moved[0].new_time == "09:05"
    first_day = r.calendar[r.calendar["date"] == D(2027, 1, 4)]
    assert first_day["time"].tolist() == ["09:00", "09:05"]
    # two profiles may post at the same time
    two = plan_with(
        rule("x", slot("mon", time="09:00")), rule("linkedin", slot("mon", time="09:00"))
    )
    assert not found(preflight.check(two, "hootsuite", "en", options=OPTS), "min_spacing")


def test_rule_unique_text_passes():
    plan = plan_with(rule("x", slot("mon", "text_post", theme="Only once")), horizon_months=1)
    plan = plan.model_copy(update={"start": D(2027, 1, 25)})  # one Monday left in January
    r = preflight.check(plan, "hootsuite", "en", options=OPTS)
    assert len(r.calendar) == 1 and not found(r, "unique_text")


def test_rule_unique_text_fails():
    plan = plan_with(rule("x", slot("mon", "text_post", theme="Every week")))
    r = preflight.check(plan, "hootsuite", "en", options=OPTS)
    assert len(found(r, "unique_text", "adjusted")) == 4
    texts = r.calendar["text"].tolist()
    assert len(set(texts)) == 4 and texts[0].endswith("(2027-01-04)")
    # Buffer has no such rule: the repeated text stays as it is
    buffer = preflight.check(plan, "buffer", "en", options=OPTS)
    assert len(set(buffer.calendar["text"])) == 1


def test_rule_text_length_passes():
    plan = plan_with(rule("x", slot("mon", "text_post", theme="Short")))
    r = preflight.check(plan, "buffer", "en", options=OPTS)
    assert not found(r, "text_length")


def test_rule_text_length_fails():
    long_theme = "Ă" * 200  # one character each in NFC
    items = [{"month": 1, "asset": "campaign", "theme": "N" * 200, "channels": ["x", "facebook"]}]
    plan = plan_with(
        rule("x", slot("mon", "text_post", theme=long_theme)),
        rule("facebook", slot("mon", "text_post", theme=long_theme)),
        communication={"items": items},
    )
    r = preflight.check(plan, "buffer", "en", options=OPTS)
    cut = found(r, "text_length", "adjusted")
    assert {f.platform for f in cut} == {"x"} and len(cut) == 4
    x_texts = r.calendar.loc[r.calendar["platform"] == "x", "text"]
    assert all(len(t) <= 280 for t in x_texts)
    assert all(t.startswith(long_theme) for t in x_texts)  # the theme kept, the notes left out
    fb = r.calendar.loc[r.calendar["platform"] == "facebook", "text"]
    assert all("N" * 100 in t for t in fb)  # the calendar note quotes a theme shortened to 120
    # a theme alone too long is cut with an ellipsis (Hootsuite also keeps a date tag)
    hoot = preflight.check(plan, "hootsuite", "en", options=OPTS)
    texts = hoot.calendar.loc[hoot.calendar["platform"] == "x", "text"]
    assert all(len(t) <= 280 and t.endswith(")") for t in texts)


def test_rule_image_required_passes():
    plan = plan_with(rule("linkedin", slot("mon", "text_post")))
    for name in preflight.TOOLS:
        assert not found(preflight.check(plan, name, "en", options=OPTS), "image_required")


def test_rule_image_required_fails():
    plan = plan_with(rule("instagram", slot("mon")), rule("linkedin", slot("tue", "text_post")))
    metricool = preflight.check(plan, "metricool", "vi", options=OPTS)
    drafts = found(metricool, "image_required", "adjusted")
    assert len(drafts) == 4 and "bản nháp" in drafts[0].message
    by_platform = metricool.calendar.groupby("platform")["draft"].apply(set).to_dict()
    assert by_platform == {"instagram": {True}, "linkedin": {False}}
    buffer = preflight.check(plan, "buffer", "vi", options=OPTS)
    todo = found(buffer, "image_required", "todo")
    assert len(todo) == 4 and {f.platform for f in todo} == {"instagram"}
    assert len(buffer.calendar) == 8  # kept: the person adds the picture


def test_rule_board_required_passes():
    plan = plan_with(rule("pinterest", slot("wed", "infographic")))
    r = preflight.check(
        plan, "buffer", "en", options=preflight.Options(now=NOW, pinterest_board="Recipes")
    )
    assert not found(r, "board_required") and set(r.calendar["board"]) == {"Recipes"}


def test_rule_board_required_fails():
    plan = plan_with(rule("pinterest", slot("wed", "infographic")))
    for name, column in (("buffer", "Board Name"), ("metricool", "Pinterest Board")):
        r = preflight.check(plan, name, "en", options=OPTS)
        todo = found(r, "board_required", "todo")
        assert len(todo) == 4 and column in todo[0].message
    assert not found(preflight.check(plan, "hootsuite", "en", options=OPTS), "board_required")


def test_rule_max_rows_passes():
    plan = plan_with(rule("facebook", *[slot(d) for d in ("mon", "wed")]))  # 8-9 posts
    r = preflight.check(plan, "buffer", "en", options=OPTS)
    assert not found(r, "max_rows") and set(r.calendar["part"]) == {1}


def test_rule_max_rows_fails():
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    plan = plan_with(rule("facebook", *[slot(d) for d in days]))  # 28 posts in January
    free = preflight.check(plan, "buffer", "en", options=OPTS)
    splits = found(free, "max_rows", "adjusted")
    assert len(splits) == 2  # parts 2 and 3 of 10 posts each
    assert free.calendar.groupby("part").size().tolist() == [10, 10, 8]
    assert "part 2 of 3" in splits[0].message
    paid = preflight.check(
        plan, "buffer", "en", options=preflight.Options(now=NOW, tiers={"buffer": "paid"})
    )
    assert not found(paid, "max_rows")
    long_plan = plan_with(rule("x", *[slot(d, "text_post") for d in days]), horizon_months=12)
    hoot = preflight.check(long_plan, "hootsuite", "en", options=OPTS)
    sizes = hoot.calendar.groupby("part").size().tolist()
    assert max(sizes) == 350 and sum(sizes) == len(hoot.calendar) > 350


# --- Zalo OA ------------------------------------------------------------------------------------


def zalo(*slots, package=None, **kw):
    plan = plan_with(rule("zalo_oa", *slots), **kw)
    options = preflight.Options(now=NOW, zalo_package=package)
    return plan, options


def test_rule_zalo_send_window_passes():
    plan, options = zalo(slot("tue", "broadcast_message", "20:00"), package="premium")
    _, findings = preflight.zalo_calendar(plan, schedule.expand(plan), "vi", options)
    assert not [f for f in findings if f.rule == "zalo_send_window"]


def test_rule_zalo_send_window_fails():
    plan, options = zalo(
        slot("tue", "broadcast_message", "21:30"),
        slot("fri", "broadcast_message", "05:00"),
        slot("sat", "photo_post", "23:00"),  # an article: no window
        package="premium",
    )
    cal, findings = preflight.zalo_calendar(plan, schedule.expand(plan), "vi", options)
    moved = [f for f in findings if f.rule == "zalo_send_window"]
    assert len(moved) == 8  # every broadcast (4 Tuesdays, 4 Fridays), before the quota
    assert {(f.time, f.new_time) for f in moved} == {("21:30", "20:00"), ("05:00", "06:00")}
    assert "06:00 đến 20:00" in moved[0].message
    articles = cal[cal["content_type"] == "photo_post"]
    assert set(articles["time"]) == {"23:00"}


def test_rule_zalo_per_day_passes():
    plan, options = zalo(slot("tue", "broadcast_message"), package="premium")
    _, findings = preflight.zalo_calendar(plan, schedule.expand(plan), "en", options)
    assert not [f for f in findings if f.rule == "zalo_per_day"]


def test_rule_zalo_per_day_fails():
    plan, options = zalo(
        slot("tue", "broadcast_message", "09:00"),
        slot("tue", "broadcast_message", "18:00"),
        package="premium",
    )
    cal, findings = preflight.zalo_calendar(plan, schedule.expand(plan), "en", options)
    moved = [f for f in findings if f.rule == "zalo_per_day"]
    assert moved and all(f.new_date == f.date + dt.timedelta(days=1) for f in moved[:3])
    broadcasts = cal[cal["content_type"] == "broadcast_message"]
    assert not broadcasts["date"].duplicated().any()  # at most one a day
    assert set(cal.loc[cal["date"] == D(2027, 1, 6), "weekday"]) == {"wed"}  # labels follow


def test_rule_zalo_quota_passes():
    plan, options = zalo(slot("tue", "broadcast_message"), package="advanced")  # 4 Tuesdays
    cal, findings = preflight.zalo_calendar(plan, schedule.expand(plan), "en", options)
    assert not [f for f in findings if f.rule == "zalo_quota"]
    assert (cal["content_type"] == "broadcast_message").sum() == 4


@pytest.mark.parametrize(("package", "kept"), [("basic", 1), ("trial", 4), ("premium", 6)])
def test_rule_zalo_quota_fails(package, kept):
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    plan, options = zalo(*[slot(d, "broadcast_message") for d in days], package=package)
    cal, findings = preflight.zalo_calendar(plan, schedule.expand(plan), "vi", options)
    over = [f for f in findings if f.rule == "zalo_quota"]
    assert (cal["content_type"] == "broadcast_message").sum() == kept
    assert len(over) == len(cal) - kept
    assert set(cal.loc[cal["content_type"] != "broadcast_message", "content_type"]) == {"article"}
    assert "bài viết trên trang OA" in over[0].message
    # the default package is Basic (no subscription)
    default = preflight.zalo_calendar(plan, schedule.expand(plan), "en", preflight.Options())[0]
    assert (default["content_type"] == "broadcast_message").sum() == 1


def test_rule_zalo_lead_time_passes():
    plan, options = zalo(slot("mon", "broadcast_message", "10:00"), package="premium")
    options = preflight.Options(now=dt.datetime(2027, 1, 4, 9, 30), zalo_package="premium")
    r = preflight.check_checklist(plan, "en", options=options)
    assert not found(r, "zalo_lead_time")


def test_rule_zalo_lead_time_fails():
    plan, _ = zalo(slot("mon", "broadcast_message", "10:00"), package="premium")
    options = preflight.Options(now=dt.datetime(2027, 1, 4, 9, 31), zalo_package="premium")
    r = preflight.check_checklist(plan, "en", options=options)
    (late,) = found(r, "zalo_lead_time", "todo")
    assert late.date == D(2027, 1, 4) and "send it now" in late.message
    assert len(r.calendar) == 4  # still on the checklist


def test_rule_past_passes():
    plan = plan_with(rule("facebook", slot("mon")))
    r = preflight.check_checklist(plan, "en", options=OPTS)
    assert not found(r, "past") and len(r.calendar) == 4


def test_rule_past_fails():
    plan = plan_with(rule("facebook", slot("mon")))
    now = dt.datetime(2027, 1, 12, 0, 0)
    r = preflight.check_checklist(plan, "en", options=preflight.Options(now=now))
    assert len(found(r, "past", "dropped")) == 2 and len(r.calendar) == 2


# --- results ------------------------------------------------------------------------------------


def test_findings_table_is_translated():
    plan = plan_with(rule("zalo_oa", slot("tue")), rule("facebook", slot("mon")))
    results = preflight.check_all(plan, "vi", options=OPTS)
    table = preflight.findings_table(results, "vi")
    assert list(table.columns)[:3] == ["Công cụ", "Ngày", "Giờ"]
    assert "zalo_oa" not in " ".join(table.astype(str).stack())  # labels, not ids
    assert table.iloc[0]["Ngày"] == "05/01/2027"


def test_summary_counts_findings_per_tool_rule_and_outcome():
    plan = plan_with(rule("zalo_oa", slot("tue")), rule("instagram", slot("mon")))
    results = preflight.check_all(plan, "en", options=OPTS)
    summary = preflight.summary_table(results, "en")
    assert list(summary.columns) == [
        "Tool",
        "Rule",
        "Outcome",
        "Posts",
        "First post",
        "What was done / what to do",
        "Source",
    ]
    buffer = summary[(summary["Tool"] == "Buffer")].set_index("Rule")["Posts"].to_dict()
    assert buffer == {"Platforms the tool publishes to": 4, "Picture or video required": 4}
    assert summary["Posts"].sum() == sum(len(r.findings) for r in results.values())
    refused = preflight.summary_table(
        [preflight.check(plan_with(rule("zalo_oa", slot("tue"))), "buffer", "en", options=OPTS)],
        "en",
    )
    assert refused.iloc[-1]["Outcome"] == "Not exported"


def test_example_plans_pass_every_tool(example):
    plan, results = example
    for name in preflight.TOOLS:
        assert not results[name].refused, (plan.client.id, name, results[name].reason)


@pytest.fixture(params=sorted(p.stem for p in data.example_plans()))
def example(request):
    from workshop import plan as plan_mod

    p = plan_mod.load(data.path("clients") / f"{request.param}.yaml")
    return p, preflight.check_all(p, p.language, options=OPTS)
