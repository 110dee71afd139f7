"""Tests of workshop.capacity: hours needed vs available, skills, the 3-4 page limit (C5-C7)."""

from __future__ import annotations

import math
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import capacity, data, i18n, platforms
from workshop import plan as plan_module
from workshop.plan import CONTENT_TYPES, PLATFORM_IDS, SKILLS

LANGS = ("vi", "en")
LOCALES = Path(capacity.__file__).with_name("locales")
ALL_SKILLS = list(SKILLS)


def make_plan(language="en", **sections):
    raw = {"client": {"language": language}}
    for key, value in sections.items():
        raw.setdefault(key, {}).update(value)
    return plan_module.validate(raw)


def typical(content_type):
    return float(data.load_effort().loc[content_type, "typical_hours"])


def community(pid):
    return float(data.load_platforms().loc[pid, "community_hours_per_week"])


def first_format(pid):
    return data.load_platforms().loc[pid, "main_formats"][0]


# --- hours needed: worked examples ---------------------------------------------------------


def test_hours_needed_worked_example_facebook_instagram():
    """Facebook 3 posts and Instagram 2 posts a week (plan cadence, no editorial rule):
    hours = cadence × hours per item of the platform's first main format + community time."""
    plan = make_plan(
        platforms={
            "chosen": ["facebook", "instagram"],
            "cadence_per_week": {"facebook": 3, "instagram": 2},
        },
        team={"hours_per_week": 6},
    )
    fb = 3 * typical(first_format("facebook")) + community("facebook")
    ig = 2 * typical(first_format("instagram")) + community("instagram")
    # with today's data: 3 × 0.3 (text post) + 2 = 2.9 h; 2 × 0.5 (photo post) + 2 = 3 h
    table = capacity.hours_needed(plan)
    assert list(table.index) == ["facebook", "instagram"]
    assert table.loc["facebook", "posts_per_week"] == 3
    assert table.loc["facebook", "cadence_source"] == "plan"
    assert table.loc["facebook", "content_mix"] == [first_format("facebook")]
    assert table.loc["facebook", "content_hours"] == pytest.approx(
        3 * typical(first_format("facebook"))
    )
    assert table.loc["facebook", "community_hours"] == pytest.approx(community("facebook"))
    assert table.loc["facebook", "total_hours"] == pytest.approx(fb)
    assert table.loc["instagram", "total_hours"] == pytest.approx(ig)
    assert capacity.total_hours_needed(plan) == pytest.approx(fb + ig)

    effort = data.load_effort()
    low = 3 * effort.loc[first_format("facebook"), "low_hours"] + community("facebook")
    high = 3 * effort.loc[first_format("facebook"), "high_hours"] + community("facebook")
    assert table.loc["facebook", "total_hours_low"] == pytest.approx(low)
    assert table.loc["facebook", "total_hours_high"] == pytest.approx(high)
    assert low <= fb <= high

    result = capacity.assess(plan)
    assert result.hours_needed == pytest.approx(fb + ig)
    assert result.gap == pytest.approx(6 - (fb + ig))
    assert result.utilisation == pytest.approx((fb + ig) / 6)
    u = (fb + ig) / 6
    assert result.verdict == ("fits" if u <= 0.85 else "tight" if u <= 1 else "over")
    assert result.pages == 2 and result.page_limit_ok


def test_editorial_rule_sets_cadence_and_mix():
    """A rule with a photo post on Monday and a short video on Thursday: 2 posts a week,
    hours per post = the mean of the two items."""
    rule = {
        "platform": "facebook",
        "slots": [
            {"weekday": "mon", "content_type": "photo_post"},
            {"weekday": "thu", "content_type": "short_video"},
        ],
    }
    plan = make_plan(platforms={"chosen": ["facebook"]}, editorial={"rules": [rule]})
    row = capacity.hours_needed(plan).loc["facebook"]
    per_post = (typical("photo_post") + typical("short_video")) / 2
    assert row["cadence_source"] == "editorial"
    assert row["posts_per_week"] == 2
    assert row["content_mix"] == ["photo_post", "short_video"]
    assert row["hours_per_post"] == pytest.approx(per_post)
    assert row["total_hours"] == pytest.approx(2 * per_post + community("facebook"))
    # the plan's cadence wins over the rule's slot count; the mix stays the rule's
    plan = make_plan(
        platforms={"chosen": ["facebook"], "cadence_per_week": {"facebook": 5}},
        editorial={"rules": [rule]},
    )
    row = capacity.hours_needed(plan).loc["facebook"]
    assert row["cadence_source"] == "plan"
    assert row["total_hours"] == pytest.approx(5 * per_post + community("facebook"))


def test_data_cadence_is_the_default():
    plan = make_plan(platforms={"chosen": ["youtube"]})
    row = capacity.hours_needed(plan).loc["youtube"]
    catalogue = data.load_platforms().loc["youtube"]
    assert row["cadence_source"] == "data"
    assert row["posts_per_week"] == catalogue["posts_per_week"]
    assert row["total_hours"] == pytest.approx(
        catalogue["posts_per_week"] * typical("long_video") + community("youtube")
    )


def test_no_platform_chosen():
    plan = make_plan()
    assert capacity.hours_needed(plan).empty
    assert capacity.total_hours_needed(plan) == 0
    result = capacity.assess(plan)
    assert result.verdict == "fits" and result.utilisation == 0 and result.pages == 0
    assert i18n.t("capacity.msg.no_pages", "en") in result.messages


# --- verdict and its sentence --------------------------------------------------------------


@pytest.mark.parametrize(
    "u,verdict",
    [
        (0, "fits"),
        (0.85, "fits"),
        (0.851, "tight"),
        (1.0, "tight"),
        (1.001, "over"),
        (math.inf, "over"),
    ],
)
def test_utilisation_verdict(u, verdict):
    assert capacity.utilisation_verdict(u) == verdict


def _assessment(needed, available, language):
    u = capacity._utilisation(needed, available)
    return capacity.Assessment(
        available,
        needed,
        available - needed,
        u,
        capacity.utilisation_verdict(u),
        1,
        True,
        {},
        [],
        language,
    )


def test_verdict_text_numbers_in_each_language():
    assert (
        capacity.verdict_text(_assessment(9.5, 6, "en"))
        == "Your plan needs 9.5 h a week; the team has 6 h: 3.5 h short."
    )
    assert (
        capacity.verdict_text(_assessment(9.5, 6, "vi"))
        == "Kế hoạch của bạn cần 9,5 giờ mỗi tuần; đội ngũ chỉ có 6 giờ: thiếu 3,5 giờ."
    )
    assert (
        capacity.verdict_text(_assessment(4, 10, "en"))
        == "Your plan needs 4 h a week; the team has 10 h: 6 h to spare."
    )
    tight = capacity.verdict_text(_assessment(9.5, 10, "en"))
    assert "9.5" in tight and "95%" in tight
    assert "95%" in capacity.verdict_text(_assessment(9.5, 10, "vi"))


def test_zero_hours_available_is_handled():
    plan = make_plan(team={"hours_per_week": 0}, platforms={"chosen": ["facebook"]})
    result = capacity.assess(plan)
    assert result.utilisation == math.inf and result.verdict == "over"
    assert result.gap == pytest.approx(-result.hours_needed)
    assert result.messages[0] == capacity.verdict_text(result)
    rec = capacity.recommend(plan)
    assert not rec["included"].any()
    assert set(rec["reason_code"]) <= {"skills", "low_fit", "hours"}


# --- C7: skills -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGS)
def test_youtube_without_long_video_is_a_gap_and_not_recommended(language):
    plan = make_plan(
        language,
        team={"skills": ["writing", "photography"], "hours_per_week": 100},
        platforms={"chosen": ["facebook", "youtube"]},
    )
    gaps = capacity.skill_gaps(plan)
    assert gaps == {"facebook": [], "youtube": ["long_video"]}
    result = capacity.assess(plan)
    expected = i18n.t(
        "capacity.msg.skill_gap",
        language,
        name=i18n.label("platform", "youtube", language),
        skills=capacity._skills(["long_video"], language),
    )
    assert expected in result.messages
    rec = capacity.recommend(plan)
    assert rec.loc["youtube", "reason_code"] == "skills"
    assert not rec.loc["youtube", "included"]
    assert capacity._skills(["long_video"], language) in rec.loc["youtube", "reason"]
    assert ("video dài" if language == "vi" else "long video") in rec.loc["youtube", "reason"]
    # with the skill, the gap is gone
    skilled = make_plan(
        language, team={"skills": ["writing", "long_video"]}, platforms={"chosen": ["youtube"]}
    )
    assert capacity.skill_gaps(skilled) == {"youtube": []}
    assert capacity.recommend(skilled).loc["youtube", "reason_code"] != "skills"


# --- C6: the page limit ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGS)
def test_five_pages_break_the_limit(language):
    chosen = ["facebook", "instagram", "linkedin", "zalo_oa", "x"]
    result = capacity.assess(make_plan(language, platforms={"chosen": chosen}))
    assert result.pages == 5 and not result.page_limit_ok
    assert (
        i18n.t("capacity.msg.too_many_pages", language, pages=5, limit=capacity.SME_PAGE_LIMIT)
        in result.messages
    )
    four = capacity.assess(make_plan(language, platforms={"chosen": chosen[:4]}))
    assert four.page_limit_ok
    assert (
        i18n.t("capacity.msg.at_page_limit", language, pages=4, comfort=capacity.SME_PAGE_COMFORT)
        in four.messages
    )
    three = capacity.assess(make_plan(language, platforms={"chosen": chosen[:3]}))
    assert three.page_limit_ok and len(three.messages) == 1  # only the verdict


@pytest.mark.parametrize("language", LANGS)
def test_page_limit_rule_names_the_numbers(language):
    assert capacity.SME_PAGE_LIMIT == 4 and capacity.SME_PAGE_COMFORT == 3
    text = capacity.page_limit_rule(language)
    assert "3" in text and "4" in text
    assert pytest.approx(52 / 12) == capacity.WEEKS_PER_MONTH


def test_recommend_stops_at_the_page_limit():
    plan = make_plan(team={"hours_per_week": 400, "skills": ALL_SKILLS})
    rec = capacity.recommend(plan)
    assert rec["included"].sum() == capacity.SME_PAGE_LIMIT
    eligible = rec[rec["reason_code"].isin(["included", "page_limit"])]
    assert list(eligible["included"]) == [True] * 4 + [False] * (len(eligible) - 4)
    assert (eligible.iloc[4:]["reason_code"] == "page_limit").all()


def test_recommend_worked_example_hours():
    """Two eligible platforms; hours for exactly the best one: the second is left out
    for hours with the numbers in its reason."""
    plan = make_plan(
        team={"skills": ALL_SKILLS}, platforms={"considered": ["facebook", "linkedin"]}
    )
    fit = platforms.asset_fit(plan)
    first, second = list(fit.index)
    table = capacity.platform_hours(plan, [first, second])
    h1, h2 = table.loc[first, "total_hours"], table.loc[second, "total_hours"]
    available = h1 + h2 / 2
    plan = make_plan(
        team={"skills": ALL_SKILLS, "hours_per_week": available},
        platforms={"considered": ["facebook", "linkedin"]},
    )
    rec = capacity.recommend(plan)
    assert list(rec.index) == [first, second]
    assert list(rec["reason_code"]) == ["included", "hours"]
    assert rec.loc[first, "cumulative_hours"] == pytest.approx(h1)
    assert rec.loc[second, "reason"] == i18n.t(
        "capacity.reason.hours",
        "en",
        hours=capacity._h(h2, "en"),
        left=capacity._h(available - h1, "en"),
        available=capacity._h(available, "en"),
    )


def test_low_fit_is_left_out(monkeypatch):
    catalogue = data.load_platforms()
    catalogue.loc["x", ["business_features", "b2c_fit", "b2b_fit", "vn_reach"]] = 0.0
    monkeypatch.setattr(platforms.data, "load_platforms", lambda: catalogue.copy())
    monkeypatch.setattr(capacity.data, "load_platforms", lambda: catalogue.copy())
    plan = make_plan(
        team={"skills": ALL_SKILLS, "hours_per_week": 100},
        platforms={"considered": ["x", "facebook"]},
    )
    rec = capacity.recommend(plan)
    assert rec.loc["x", "reason_code"] == "low_fit"
    assert rec.loc["facebook", "reason_code"] == "included"
    assert list(rec.index) == ["facebook", "x"]


# --- properties --------------------------------------------------------------------------------

plans = st.fixed_dictionaries(
    {
        "hours": st.floats(0, 60, allow_nan=False),
        "skills": st.lists(st.sampled_from(SKILLS), unique=True),
        "chosen": st.lists(st.sampled_from(PLATFORM_IDS), unique=True, max_size=6),
        "cadence": st.dictionaries(st.sampled_from(PLATFORM_IDS), st.floats(0, 21), max_size=3),
        "rule": st.one_of(
            st.none(),
            st.tuples(
                st.sampled_from(PLATFORM_IDS),
                st.lists(st.sampled_from(CONTENT_TYPES), min_size=1, max_size=7),
            ),
        ),
        "audience": st.sampled_from(["young_consumers", "general_consumers", "professionals"]),
        "market": st.sampled_from(["b2c", "b2b"]),
    }
)


def build(params, hours=None):
    rules = []
    if params["rule"]:
        pid, types = params["rule"]
        rules = [{"platform": pid, "slots": [{"weekday": "mon", "content_type": t} for t in types]}]
    return make_plan(
        client={"audience": params["audience"], "market": params["market"]},
        team={
            "hours_per_week": params["hours"] if hours is None else hours,
            "skills": params["skills"],
        },
        platforms={"chosen": params["chosen"], "cadence_per_week": params["cadence"]},
        editorial={"rules": rules},
    )


@settings(max_examples=60, deadline=None)
@given(params=plans)
def test_hours_needed_has_no_nan_or_negative_values(params):
    table = capacity.hours_needed(build(params))
    numbers = table[
        [
            "posts_per_week",
            "hours_per_post",
            "content_hours",
            "community_hours",
            "total_hours",
            "total_hours_low",
            "total_hours_high",
        ]
    ]
    assert not numbers.isna().any().any()
    assert (numbers >= 0).all().all()
    assert (table["total_hours_low"] <= table["total_hours"] + 1e-9).all()
    assert (table["total_hours"] <= table["total_hours_high"] + 1e-9).all()
    assert capacity.total_hours_needed(build(params)) == pytest.approx(table["total_hours"].sum())


@settings(max_examples=40, deadline=None)
@given(params=plans, more=st.floats(0, 100, allow_nan=False))
def test_more_hours_lower_utilisation_and_never_turn_fits_into_over(params, more):
    base = capacity.assess(build(params))
    richer = capacity.assess(build(params, hours=params["hours"] + more))
    assert richer.utilisation <= base.utilisation
    if base.verdict == "fits":
        assert richer.verdict == "fits"
    if base.verdict != "over":
        assert richer.verdict != "over"
    assert richer.hours_needed == base.hours_needed


@settings(max_examples=40, deadline=None)
@given(params=plans)
def test_recommend_respects_hours_pages_skills_and_fit(params):
    plan = build(params)
    rec = capacity.recommend(plan)
    chosen = rec[rec["included"]]
    assert len(chosen) <= capacity.SME_PAGE_LIMIT
    assert chosen["hours"].sum() <= plan.team.hours_per_week + 1e-6
    assert (chosen["verdict"] != "not_decisive").all()
    required = data.load_platforms()["required_skills"]
    for pid in chosen.index:
        assert set(required[pid]) <= set(plan.team.skills)
    assert list(rec["score"]) == sorted(rec["score"], reverse=True)
    assert set(rec["reason_code"]) <= {"included", "skills", "low_fit", "hours", "page_limit"}
    assert (rec["included"] == (rec["reason_code"] == "included")).all()


@settings(max_examples=30, deadline=None)
@given(params=plans, more=st.floats(0.1, 100, allow_nan=False))
def test_more_hours_never_make_the_recommendation_worse(params, more):
    """Read in fit order, the included flags with more hours are lexicographically at least
    as good (the first platform that changes is added, not removed), and the best included
    platform's score never drops. (The *number* of platforms may drop: a better-fit, bigger
    platform can take the hours of two smaller ones.)"""
    base = capacity.recommend(build(params))
    richer = capacity.recommend(build(params, hours=params["hours"] + more))
    assert list(base.index) == list(richer.index)
    flags_base, flags_richer = list(base["included"]), list(richer["included"])
    assert flags_richer >= flags_base  # lexicographic: True > False
    if base["included"].any():
        assert richer[richer["included"]]["score"].max() >= base[base["included"]]["score"].max()


@settings(max_examples=30, deadline=None)
@given(params=plans, hours=st.lists(st.floats(0, 80, allow_nan=False), min_size=2, max_size=5))
def test_utilisation_is_non_increasing_in_hours(params, hours):
    values = [capacity.assess(build(params, hours=h)).utilisation for h in sorted(hours)]
    assert all(a >= b for a, b in zip(values, values[1:]))


# --- translations ------------------------------------------------------------------------------


def test_locale_files_have_the_same_prefixed_keys():
    vi = yaml.safe_load((LOCALES / "vi" / "capacity.yaml").read_text(encoding="utf-8"))
    en = yaml.safe_load((LOCALES / "en" / "capacity.yaml").read_text(encoding="utf-8"))
    assert set(vi) == set(en)
    assert all(key.startswith("capacity.") for key in vi)
    assert all(vi[k] != en[k] for k in vi)

    def fields(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert all(fields(vi[k]) == fields(en[k]) for k in vi)


@pytest.mark.parametrize("language", LANGS)
def test_every_text_of_the_module_exists_in_both_languages(language):
    chosen = ["facebook", "instagram", "youtube", "tiktok", "x"]
    plan = make_plan(
        language, team={"skills": ["writing"], "hours_per_week": 5}, platforms={"chosen": chosen}
    )
    result = capacity.assess(plan)
    assert result.language == language and len(result.messages) >= 3
    assert all(isinstance(m, str) and m for m in result.messages)
    rec = capacity.recommend(plan)
    assert rec["reason"].str.len().gt(0).all()
    for code in ("included", "skills", "low_fit", "hours", "page_limit"):
        assert i18n.has(f"capacity.reason_code.{code}", language)
        assert i18n.has(f"capacity.reason.{code}", language)
    for verdict in ("fits", "tight", "over"):
        assert i18n.has(f"capacity.verdict.{verdict}", language)
        assert i18n.has(f"capacity.verdict_label.{verdict}", language)
    assert capacity.page_limit_rule(language)
