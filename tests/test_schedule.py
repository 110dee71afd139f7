"""Tests of workshop.schedule: communication plan (C11) and editorial calendar (C12)."""

from __future__ import annotations

import datetime as dt
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop import data, schedule
from workshop.plan import CONTENT_TYPES, PLATFORM_IDS, calendar_size, validate

D = dt.date


def make_plan(**overrides):
    raw = {
        "client": {"id": "test-shop", "name": "Test shop", "country": "VN"},
        "start": "2027-01-01",
        "horizon_months": 1,
    }
    raw.update(overrides)
    return validate(raw)


FACEBOOK_TUE_FRI = {
    "rules": [
        {
            "platform": "facebook",
            "slots": [
                {"weekday": "tue", "content_type": "photo_post", "time": "09:00"},
                {"weekday": "fri", "content_type": "short_video", "time": "18:30"},
            ],
        }
    ]
}


# --- The worked example -------------------------------------------------------------------


def test_worked_example_january_2027_tue_fri():
    # January 2027 begins on a Friday. By hand:
    #   Tuesdays 5, 12, 19, 26 (4); Fridays 1, 8, 15, 22, 29 (5) -> 9 slot occurrences.
    #   1 January (Friday) is Tết Dương lịch, a Vietnamese public holiday -> skipped.
    #   12 January is a blackout date -> skipped.  9 - 2 = 7 items remain.
    plan = make_plan(editorial={**FACEBOOK_TUE_FRI, "blackout_dates": ["2027-01-12"]})
    cal = schedule.expand(plan, "vi")
    assert list(cal["date"]) == [
        D(2027, 1, 5),
        D(2027, 1, 8),
        D(2027, 1, 15),
        D(2027, 1, 19),
        D(2027, 1, 22),
        D(2027, 1, 26),
        D(2027, 1, 29),
    ]
    assert list(cal["time"]) == ["09:00", "18:30", "18:30", "09:00", "18:30", "09:00", "18:30"]
    assert list(cal["weekday"]) == ["tue", "fri", "fri", "tue", "fri", "tue", "fri"]
    assert set(cal["platform"]) == {"facebook"}
    assert list(cal.columns) == schedule.CALENDAR_COLUMNS
    assert all(isinstance(d, dt.date) for d in cal["date"])

    gone = schedule.skipped(plan, "vi")
    assert list(gone["date"]) == [D(2027, 1, 1), D(2027, 1, 12)]
    assert list(gone["reason"]) == ["holiday", "blackout"]
    assert "Tết Dương lịch" in gone["reason_label"].iloc[0]
    assert "New Year" in schedule.skipped(plan, "en")["reason_label"].iloc[0]
    assert len(cal) + len(gone) == 9


def test_holidays_kept_when_not_skipped():
    plan = make_plan(
        editorial={**FACEBOOK_TUE_FRI, "skip_holidays": False, "blackout_dates": ["2027-01-12"]}
    )
    cal = schedule.expand(plan)
    assert len(cal) == 8 and cal["date"].iloc[0] == D(2027, 1, 1)
    assert list(schedule.skipped(plan)["reason"]) == ["blackout"]


def test_country_other_has_no_holidays():
    plan = make_plan(
        client={"id": "x", "name": "X", "country": "OTHER"}, editorial=FACEBOOK_TUE_FRI
    )
    assert len(schedule.expand(plan)) == 9
    assert schedule.skipped(plan).empty
    assert schedule.coverage_warning(plan, "en") is None


def test_day_both_holiday_and_blackout_counts_once_as_holiday():
    plan = make_plan(editorial={**FACEBOOK_TUE_FRI, "blackout_dates": ["2027-01-01"]})
    gone = schedule.skipped(plan)
    assert list(gone["reason"]) == ["holiday"]
    assert len(schedule.expand(plan)) == 8


def test_mid_month_start_and_exclusive_end():
    plan = make_plan(start="2027-01-20", horizon_months=2, editorial=FACEBOOK_TUE_FRI)
    assert schedule.month_starts(plan) == [D(2027, 1, 1), D(2027, 2, 1)]
    assert schedule.horizon_end(plan) == D(2027, 3, 1)
    cal = schedule.expand(plan)
    assert cal["date"].min() == D(2027, 1, 22)  # first Friday on/after the 20th
    assert cal["date"].max() == D(2027, 2, 26)  # last Friday of February
    assert cal["month"].tolist()[0] == 1 and cal["month"].tolist()[-1] == 2


def test_month_starts_cross_the_year():
    plan = make_plan(start="2027-11-15", horizon_months=4)
    assert schedule.month_starts(plan) == [
        D(2027, 11, 1),
        D(2027, 12, 1),
        D(2028, 1, 1),
        D(2028, 2, 1),
    ]


# --- Renewal cycles (C12) -----------------------------------------------------------------


def test_renewal_cycles_every_two_months():
    rules = {
        "rules": [
            {
                "platform": "linkedin",
                "renewal_months": 2,
                "slots": [{"weekday": "wed", "content_type": "article"}],
            }
        ]
    }
    plan = make_plan(start="2027-01-15", horizon_months=5, editorial=rules)
    cal = schedule.expand(plan)
    by_month = cal.groupby("month")[["cycle", "renewal_date"]].first()
    # months 1-2 -> cycle 1, 3-4 -> cycle 2, 5 -> cycle 3; the first cycle starts on the 15th
    assert by_month["cycle"].tolist() == [1, 1, 2, 2, 3]
    assert by_month["renewal_date"].tolist() == [
        D(2027, 1, 15),
        D(2027, 1, 15),
        D(2027, 3, 1),
        D(2027, 3, 1),
        D(2027, 5, 1),
    ]
    ren = schedule.renewal_dates(plan)
    assert ren["renewal_date"].tolist() == [D(2027, 1, 15), D(2027, 3, 1), D(2027, 5, 1)]
    assert ren["cycle_end"].tolist() == [D(2027, 2, 28), D(2027, 4, 30), D(2027, 5, 31)]
    assert set(ren["platform"]) == {"linkedin"}


def test_renewal_monthly():
    plan = make_plan(horizon_months=3, editorial=FACEBOOK_TUE_FRI)
    ren = schedule.renewal_dates(plan)
    assert ren["renewal_date"].tolist() == [D(2027, 1, 1), D(2027, 2, 1), D(2027, 3, 1)]
    assert schedule.expand(plan).groupby("month")["cycle"].first().tolist() == [1, 2, 3]


# --- Communication plan (C11) ---------------------------------------------------------------

COMM = {
    "period": "semester",
    "items": [
        {"month": 1, "asset": "ebook", "theme": "Cà phê sạch", "channels": ["facebook", "website"]},
        {"month": 1, "asset": "video", "channels": ["youtube"]},
        {"month": 3, "asset": "promotion", "theme": "Tết", "channels": ["facebook", "ads"]},
    ],
}


def test_communication_plan_long_form():
    plan = make_plan(horizon_months=6, communication=COMM)
    long = schedule.communication_plan(plan, "en")
    assert len(long) == 2 + 1 + 2  # one row per (item, channel)
    assert list(long.columns) == schedule.COMMUNICATION_COLUMNS
    assert long["month"].tolist() == [1, 1, 1, 3, 3]
    assert long["month_start"].iloc[-1] == D(2027, 3, 1)
    assert long["month_label"].iloc[0] == "Jan 2027"


def test_communication_grid_covers_every_marketing_level():
    plan = make_plan(horizon_months=6, communication=COMM)
    grid = schedule.communication_grid(plan, "en")
    assert grid.shape[0] == 6
    assert list(grid.index)[:3] == ["Jan 2027", "Feb 2027", "Mar 2027"]
    from workshop import i18n

    lab = {
        c: i18n.label("channel", c, "en")
        for c in ("facebook", "youtube", "website", "newsletter", "ads")
    }
    assert set(lab.values()) <= set(grid.columns)
    assert len(grid.columns) == 5
    assert grid.loc["Jan 2027", lab["website"]] == i18n.label("asset", "ebook", "en")
    assert grid.loc["Feb 2027", lab["facebook"]] == ""
    assert grid.loc["Mar 2027", lab["newsletter"]] == ""
    assert grid.loc["Mar 2027", lab["ads"]] == i18n.label("asset", "promotion", "en")


def test_empty_communication_grid_still_has_website_newsletter_ads():
    grid = schedule.communication_grid(make_plan(horizon_months=2), "vi")
    assert grid.shape == (2, 3)
    assert (grid == "").all().all()


def test_theme_and_notes_come_from_the_communication_plan():
    rules = {
        "rules": [
            {
                "platform": "facebook",
                "slots": [
                    {"weekday": "tue", "content_type": "photo_post"},
                    {"weekday": "fri", "content_type": "short_video", "theme": "Hậu trường"},
                ],
            }
        ]
    }
    plan = make_plan(horizon_months=3, communication=COMM, editorial=rules)
    cal = schedule.expand(plan, "vi")
    jan_tue = cal[(cal["month"] == 1) & (cal["weekday"] == "tue")]
    feb = cal[cal["month"] == 2]
    fri = cal[cal["weekday"] == "fri"]
    assert set(jan_tue["theme"]) == {"Cà phê sạch"}  # from the ebook of month 1
    assert all("Cà phê sạch" in n for n in jan_tue["notes"])
    assert set(feb["theme"]) <= {"", "Hậu trường"} and set(feb["notes"]) == {""}
    assert set(fri["theme"]) == {"Hậu trường"}  # the slot's theme wins


# --- Suggested rules ----------------------------------------------------------------------


def test_suggest_rules_from_cadence_override():
    plan = make_plan(
        platforms={
            "chosen": ["facebook", "linkedin", "instagram"],
            "cadence_per_week": {"facebook": 2.2, "linkedin": 2.5, "instagram": 0.5},
        }
    )
    rules = {r.platform: r for r in schedule.suggest_rules(plan)}
    assert [s.weekday for s in rules["facebook"].slots] == ["tue", "fri"]  # 2.2 -> 2
    # 2.5 -> two weekly slots and one every other week (the last)
    assert [(s.weekday, s.every_weeks) for s in rules["linkedin"].slots] == [
        ("mon", 1),
        ("wed", 1),
        ("fri", 2),
    ]
    assert [(s.weekday, s.every_weeks) for s in rules["instagram"].slots] == [("tue", 2)]
    formats = [
        f for f in data.load_platforms().loc["linkedin", "main_formats"] if f in CONTENT_TYPES
    ]
    assert [s.content_type for s in rules["linkedin"].slots] == [
        formats[i % len(formats)] for i in range(3)
    ]
    assert all(s.time == "09:00" and r.renewal_months == 1 for r in rules.values() for s in r.slots)


def test_suggest_rules_from_data_cadence_and_small_or_zero_paces():
    plan = make_plan(
        platforms={
            "chosen": ["facebook", "youtube", "x"],
            "cadence_per_week": {"youtube": 0.2, "x": 0},
        }
    )
    rules = {r.platform: r for r in schedule.suggest_rules(plan)}
    pace = float(data.load_platforms().loc["facebook", "posts_per_week"])
    assert abs(sum(s.per_week for s in rules["facebook"].slots) - pace) <= 0.25
    assert [(s.weekday, s.every_weeks) for s in rules["youtube"].slots] == [("tue", 2)]
    assert "x" not in rules  # a page at 0 posts a week has nothing in the calendar


@given(st.floats(0.25, 7.0))
def test_a_suggested_rule_keeps_the_pace_to_a_quarter_post_a_week(pace):
    plan = make_plan(platforms={"chosen": ["facebook"], "cadence_per_week": {"facebook": pace}})
    (rule,) = schedule.suggest_rules(plan)
    assert abs(sum(s.per_week for s in rule.slots) - pace) <= 0.25 + 1e-9
    assert len(rule.slots) <= 7 and len({s.weekday for s in rule.slots}) == len(rule.slots)


@given(
    st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)),
    st.integers(1, 14),
    st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
)
def test_a_slot_every_other_week_falls_in_the_plans_even_weeks(start, months, weekday):
    rule = {
        "platform": "facebook",
        "slots": [{"weekday": weekday, "content_type": "photo_post", "every_weeks": 2}],
    }
    plan = make_plan(editorial={"rules": [rule], "skip_holidays": False})
    plan = plan.model_copy(update={"start": start, "horizon_months": months})
    cal = schedule.expand(plan, "en")
    monday = start - dt.timedelta(days=start.weekday())
    weeks = [(d - monday).days // 7 for d in cal["date"]]
    assert all(w % 2 == 0 for w in weeks)
    assert weeks == sorted(set(weeks))  # one a fortnight, none missed in between
    assert all(b - a == 2 for a, b in zip(weeks, weeks[1:], strict=False))
    every_week = plan.model_copy(
        update={
            "editorial": plan.editorial.model_copy(
                update={
                    "rules": [
                        plan.editorial.rules[0].model_copy(
                            update={
                                "slots": [
                                    plan.editorial.rules[0]
                                    .slots[0]
                                    .model_copy(update={"every_weeks": 1})
                                ]
                            }
                        )
                    ]
                }
            )
        }
    )
    assert abs(len(schedule.expand(every_week, "en")) - 2 * len(cal)) <= 1
    assert calendar_size(plan)[0] == len(cal)


def test_editorial_rules_keep_plan_rules_and_add_suggestions():
    plan = make_plan(platforms={"chosen": ["instagram"]}, editorial=FACEBOOK_TUE_FRI)
    rules = schedule.editorial_rules(plan)
    assert [r.platform for r in rules] == ["facebook", "instagram"]  # facebook not chosen, kept
    assert (
        schedule.suggest_rules(
            make_plan(platforms={"chosen": ["facebook"]}, editorial=FACEBOOK_TUE_FRI)
        )
        == []
    )


# --- Views and warnings -------------------------------------------------------------------


def test_month_view_shape_and_cells():
    plan = make_plan(editorial=FACEBOOK_TUE_FRI)
    cal = schedule.expand(plan, "en")
    view = schedule.month_view(cal, 2027, 1)
    assert view.shape == (6, 7)
    assert list(view.columns) == list(schedule.WEEKDAYS)
    # 1 Jan 2027 is a Friday: week 1, column "fri"; the holiday has no item.
    assert view.loc[1, "fri"] == "1"
    assert view.loc[1, "mon"] == ""  # 28 Dec 2026, outside the month
    assert view.loc[2, "tue"].splitlines() == ["5", "09:00 Facebook: Photo post"]
    assert view.loc[5, "sun"] == "31"
    feb = schedule.month_view(cal, 2027, 2, language="en")
    assert feb.shape == (6, 7) and feb.iloc[0, 0] == "1"  # Feb 2027 starts on a Monday
    assert list(feb.columns)[0] == "Monday"
    cells = schedule.month_cells(cal, 2027, 1)
    assert len(cells) == 42 and cells["count"].sum() == len(cal)


def test_coverage_warning():
    first, last = data.holiday_years("VN")
    inside = make_plan(start=f"{first}-01-01", horizon_months=12)
    assert schedule.coverage_warning(inside, "vi") is None
    beyond = make_plan(start=f"{last}-06-01", horizon_months=12)
    message = schedule.coverage_warning(beyond, "en")
    assert message and str(last) in message
    assert schedule.coverage_warning(beyond, "vi") != message
    off = make_plan(start=f"{last}-06-01", horizon_months=12, editorial={"skip_holidays": False})
    assert schedule.coverage_warning(off, "en") is None
    # expansion still works beyond the data: a warning, not an error
    assert (
        len(
            schedule.expand(
                make_plan(start=f"{last}-12-01", horizon_months=3, editorial=FACEBOOK_TUE_FRI)
            )
        )
        > 0
    )


def test_holiday_names_joined_and_missing_data(tmp_path, monkeypatch):
    (tmp_path / "holidays.csv").write_text(
        "date,country,name_vi,name_en,source\n"
        "2027-01-05,VN,Lễ A,Day A,test\n2027-01-05,VN,Lễ B,Day B,test\n"
        "2027-01-08,FR,Fête,Holiday,test\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(tmp_path))
    plan = make_plan(editorial=FACEBOOK_TUE_FRI)
    gone = schedule.skipped(plan, "en")
    assert list(gone["date"]) == [D(2027, 1, 5)]
    assert gone["reason_label"].iloc[0].endswith("Day A / Day B")
    de = make_plan(client={"id": "x", "name": "X", "country": "DE"}, editorial=FACEBOOK_TUE_FRI)
    assert schedule.coverage_warning(de, "en") is not None  # no DE row at all
    assert len(schedule.expand(de)) == 9


def test_expand_is_fast():
    slots = [{"weekday": w, "content_type": "photo_post"} for w in ("mon", "tue", "thu", "sat")]
    plan = make_plan(
        horizon_months=12,
        editorial={
            "rules": [
                {"platform": p, "slots": slots}
                for p in ("facebook", "instagram", "linkedin", "tiktok")
            ]
        },
    )
    schedule.expand(plan)  # warm the data caches
    best = min(_timed(lambda: schedule.expand(plan)) for _ in range(5))
    assert best < 0.050, f"expand took {best * 1000:.1f} ms"


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# --- Properties ---------------------------------------------------------------------------

WEEKDAY = st.sampled_from(list(schedule.WEEKDAYS))
SLOT = st.fixed_dictionaries(
    {
        "weekday": WEEKDAY,
        "content_type": st.sampled_from(list(CONTENT_TYPES)),
        "time": st.sampled_from(["07:00", "09:00", "12:30", "20:15"]),
    }
)


@st.composite
def plans(draw):
    platforms = draw(
        st.lists(st.sampled_from(list(PLATFORM_IDS)), min_size=0, max_size=3, unique=True)
    )
    start = draw(st.dates(D(2025, 1, 1), D(2029, 6, 30)))
    horizon = draw(st.integers(1, 6))
    rules = [
        {
            "platform": p,
            "renewal_months": draw(st.sampled_from([1, 2])),
            "slots": draw(st.lists(SLOT, min_size=1, max_size=4)),
        }
        for p in platforms
    ]
    blackout = draw(st.lists(st.dates(start, start + dt.timedelta(days=200)), max_size=5))
    return make_plan(
        client={
            "id": "prop",
            "name": "Prop",
            "country": draw(st.sampled_from(["VN", "FR", "IT", "US", "GB", "DE", "OTHER"])),
        },
        start=start.isoformat(),
        horizon_months=horizon,
        editorial={
            "rules": rules,
            "skip_holidays": draw(st.booleans()),
            "blackout_dates": [d.isoformat() for d in blackout],
        },
    )


def _brute_force_total(plan) -> int:
    """Slot occurrences counted day by day, independently of the vectorised code."""
    end = schedule.horizon_end(plan)
    total, day = 0, plan.start
    while day < end:
        code = schedule.WEEKDAYS[day.weekday()]
        total += sum(s.weekday == code for r in plan.editorial.rules for s in r.slots)
        day += dt.timedelta(days=1)
    return total


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_expand_properties(plan):
    cal = schedule.expand(plan)
    gone = schedule.skipped(plan)
    end = schedule.horizon_end(plan)
    assert all(plan.start <= d < end for d in cal["date"])
    blackout = set(plan.editorial.blackout_dates)
    assert not blackout & set(cal["date"])
    if plan.editorial.skip_holidays and plan.client.country != "OTHER":
        holidays = set(data.load_holidays(plan.client.country)["date"])
        assert not holidays & set(cal["date"])
    assert len(cal) + len(gone) == _brute_force_total(plan)
    keys = list(zip(cal["date"], cal["time"], cal["platform"]))
    assert keys == sorted(keys)
    assert all(schedule.WEEKDAYS[d.weekday()] == w for d, w in zip(cal["date"], cal["weekday"]))
    assert (cal["cycle"] >= 1).all() and (cal["renewal_date"] <= cal["date"]).all()
    assert set(gone["reason"]) <= {"holiday", "blackout"}


def test_expand_with_skipped_equals_the_two_public_calls():
    from workshop import data, schedule
    from workshop import plan as plan_module

    p = plan_module.load(data.demo_plan())
    for lang in ("vi", "en"):
        cal, skip = schedule.expand_with_skipped(p, lang)
        assert cal.equals(schedule.expand(p, lang))
        assert skip.equals(schedule.skipped(p, lang))
        assert len(skip) > 0  # the demo plan crosses Tết


def test_a_campaign_posts_on_the_holidays_it_names():
    # the café's Tết gift boxes sell until New Year's Eve: it posts on 29 Tết and the Eve
    # (4-5 February 2027) although the calendar skips holidays; a blackout day stays one
    rule = {
        "platform": "facebook",
        "slots": [
            {"weekday": day, "content_type": "photo_post"}
            for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        ],
    }
    base = {"rules": [rule], "skip_holidays": True}
    plain = make_plan(editorial=base, horizon_months=2)
    campaign = make_plan(
        horizon_months=2,
        editorial={
            **base,
            "post_on_holidays": ["2027-02-04", "2027-02-05", "2027-02-06"],
            "blackout_dates": ["2027-02-06"],
        },
    )
    skipped_days = set(schedule.skipped(plain, "en")["date"])
    assert {dt.date(2027, 2, 4), dt.date(2027, 2, 5)} <= skipped_days
    kept = set(schedule.expand(campaign, "en")["date"])
    assert dt.date(2027, 2, 4) in kept and dt.date(2027, 2, 5) in kept
    assert dt.date(2027, 2, 6) not in kept and dt.date(2027, 2, 7) not in kept
    reasons = schedule.skipped(campaign, "en").set_index("date")["reason"]
    assert reasons[dt.date(2027, 2, 6)] == "blackout"
    assert len(schedule.expand(campaign, "en")) == len(schedule.expand(plain, "en")) + 2
