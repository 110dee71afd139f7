"""Tests of workshop.platforms: classification (C1), personal-profile warning (C2), asset fit (C3, C4)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import data, i18n, platforms
from workshop import plan as plan_module
from workshop.plan import PLATFORM_IDS, SKILLS

LANGS = ("vi", "en")
LOCALES = Path(platforms.__file__).with_name("locales")


def make_plan(language="en", **sections):
    raw = {"client": {"language": language}}
    for key, value in sections.items():
        raw.setdefault(key, {}).update(value)
    return plan_module.validate(raw)


# --- C1: classification -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGS)
def test_classify_groups_of_the_article(language):
    table = platforms.classify(language)
    assert list(table.index) == list(data.load_platforms().index)
    assert set(table["group_today"]) <= set(platforms.GROUPS)
    for pid in ("facebook", "linkedin"):
        assert table.loc[pid, "group_today"] == "separate_company_page"
        assert table.loc[pid, "group_article"] == "separate_company_page"
        assert not table.loc[pid, "article_differs"]
    for pid in ("youtube", "x"):
        assert table.loc[pid, "group_today"] == "shared_profile"
        assert table.loc[pid, "group_article"] == "shared_profile"
        assert not table.loc[pid, "article_differs"]
    # TikTok: business accounts exist today; the article says "no company profile" (C1c)
    assert table.loc["tiktok", "group_today"] == "shared_profile"
    assert table.loc["tiktok", "group_article"] == "no_company_profile"
    assert table.loc["tiktok", "article_differs"]
    assert table.loc["tiktok", "group_article_label"] == i18n.t(
        "profile_model.no_company_profile", language
    )


def test_classify_article_silent_is_na_and_labelled():
    table = platforms.classify("vi")
    silent = table[table["group_article"].isna()]
    assert len(silent) > 0 and "zalo_oa" in silent.index
    assert not silent["article_differs"].any()
    assert (silent["group_article_label"] == i18n.t("platforms.article_silent", "vi")).all()
    # article_differs is exactly "stated and different"
    stated = table[table["group_article"].notna()]
    assert (stated["article_differs"] == (stated["group_article"] != stated["group_today"])).all()


def test_classify_labels_are_translated_and_formats_are_lists():
    vi, en = platforms.classify("vi"), platforms.classify("en")
    for group in platforms.GROUPS:
        assert i18n.has(f"profile_model.{group}", "vi") and i18n.has(f"profile_model.{group}", "en")
    assert (vi["group_today_label"] != vi["group_today"]).all()
    assert (vi["group_today_label"] != en["group_today_label"]).all()
    assert all(isinstance(f, list) and f for f in vi["main_formats"])
    assert vi.loc["youtube", "main_formats"][0] == "long_video"
    assert all(isinstance(s, str) and s for s in vi["sources"])


# --- C3, C4: asset fit --------------------------------------------------------------------


def test_weights_sum_to_one_and_are_positive():
    assert math.isclose(sum(platforms.FIT_WEIGHTS.values()), 1.0)
    assert all(w > 0 for w in platforms.FIT_WEIGHTS.values())
    assert set(platforms.FIT_WEIGHTS) == {
        "business_features",
        "market_fit",
        "audience_match",
        "skills_match",
        "local_reach",
        "visual_fit",
    }


def test_asset_fit_facebook_worked_example():
    """Facebook for a Vietnamese B2C café (general consumers, visual product), team
    writing + photography: every factor computed by hand from the data row."""
    plan = make_plan(
        client={
            "market": "b2c",
            "audience": "general_consumers",
            "country": "VN",
            "visual_product": True,
        },
        team={"skills": ["writing", "photography"]},
        platforms={"considered": ["facebook", "linkedin"]},
    )
    row = data.load_platforms().loc["facebook"]
    assert row["audience"] == "general_consumers" and not row["video_first"]
    required, helpful = row["required_skills"], row["helpful_skills"]
    have = {"writing", "photography"}
    visual_formats = {
        "photo_post",
        "carousel",
        "short_video",
        "long_video",
        "story",
        "live",
        "infographic",
    }
    v = sum(f in visual_formats for f in row["main_formats"]) / len(row["main_formats"])
    expected = {
        "business_features": row["business_features"],
        "market_fit": row["b2c_fit"],
        "audience_match": 1.0,  # same audience
        "skills_match": 0.8 * sum(s in have for s in required) / len(required)
        + 0.2 * sum(s in have for s in helpful) / len(helpful),
        "local_reach": row["vn_reach"],
        "visual_fit": 0.5 + 0.5 * v,
    }
    weights = {
        "business_features": 0.25,
        "market_fit": 0.15,
        "audience_match": 0.15,
        "skills_match": 0.10,
        "local_reach": 0.25,
        "visual_fit": 0.10,
    }
    assert weights == platforms.FIT_WEIGHTS
    expected_score = round(100 * sum(weights[k] * expected[k] for k in weights), 1)

    fit = platforms.asset_fit(plan)
    assert list(fit.index) == ["facebook", "linkedin"]  # best first
    fb = fit.loc["facebook"]
    for k, value in expected.items():
        assert fb[f"f_{k}"] == pytest.approx(value)
        assert fb[f"c_{k}"] == pytest.approx(100 * weights[k] * value)
    assert fb["score"] == pytest.approx(expected_score)
    assert fb["verdict"] == (
        "strategic_asset"
        if expected_score >= 65
        else "useful"
        if expected_score >= 45
        else "not_decisive"
    )


def test_market_audience_country_and_visual_switch_the_factors():
    row = data.load_platforms().loc["linkedin"]
    b2b = make_plan(
        client={
            "market": "b2b",
            "audience": "professionals",
            "country": "FR",
            "visual_product": False,
        },
        platforms={"considered": ["linkedin"]},
    )
    fit = platforms.asset_fit(b2b).loc["linkedin"]
    assert fit["f_market_fit"] == pytest.approx(row["b2b_fit"])
    assert fit["f_audience_match"] == 1.0
    assert fit["f_local_reach"] == 0.5  # outside Vietnam: neutral
    b2c = make_plan(
        client={"market": "b2c", "audience": "young_consumers"},
        platforms={"considered": ["linkedin"]},
    )
    fit = platforms.asset_fit(b2c).loc["linkedin"]
    assert fit["f_market_fit"] == pytest.approx(row["b2c_fit"])
    assert fit["f_audience_match"] == platforms.AUDIENCE_MATCH["professionals"]["young_consumers"]
    assert fit["f_local_reach"] == pytest.approx(row["vn_reach"])
    # a video-first platform: 1 for a visual product, 0.4 for a non-visual one
    visual = make_plan(client={"visual_product": True}, platforms={"considered": ["youtube"]})
    plain = make_plan(client={"visual_product": False}, platforms={"considered": ["youtube"]})
    assert platforms.asset_fit(visual).loc["youtube", "f_visual_fit"] == pytest.approx(1.0)
    assert platforms.asset_fit(plain).loc["youtube", "f_visual_fit"] == pytest.approx(0.4)


def test_audience_table_is_one_on_the_diagonal_and_partial_elsewhere():
    for platform_aud, row in platforms.AUDIENCE_MATCH.items():
        for client_aud, value in row.items():
            assert 0 <= value <= 1
            assert (value == 1.0) == (platform_aud == client_aud)


@pytest.mark.parametrize(
    "score,group,verdict",
    [
        (65.0, "separate_company_page", "strategic_asset"),
        (64.9, "separate_company_page", "useful"),
        (45.0, "shared_profile", "useful"),
        (44.9, "shared_profile", "not_decisive"),
        (100.0, "no_company_profile", "not_decisive"),  # C3: never decisive
    ],
)
def test_verdict_thresholds(score, group, verdict):
    assert platforms.verdict_for(score, group) == verdict


def test_no_company_profile_is_never_decisive(monkeypatch):
    """If a platform offered no company profile (the article's TikTok), its verdict is
    not_decisive however high its score (C3)."""
    catalogue = data.load_platforms()
    catalogue.loc["tiktok", "profile_model"] = "no_company_profile"
    monkeypatch.setattr(platforms.data, "load_platforms", lambda: catalogue.copy())
    plan = make_plan(
        client={"audience": "young_consumers"},
        team={"skills": list(SKILLS)},
        platforms={"considered": ["tiktok"]},
    )
    fit = platforms.asset_fit(plan).loc["tiktok"]
    assert fit["score"] >= platforms.ASSET_THRESHOLD  # it would be an asset
    assert fit["verdict"] == "not_decisive"
    assert i18n.t("platforms.explanation.no_company_profile", "en") in fit["explanation"]


def test_asset_fit_is_sorted_and_explains_strongest_and_weakest():
    plan = make_plan()
    fit = platforms.asset_fit(plan)
    assert set(fit.index) == set(PLATFORM_IDS)  # none considered = all
    assert list(fit["score"]) == sorted(fit["score"], reverse=True)
    fb = fit.loc["facebook"]
    factors = {k: fb[f"f_{k}"] for k in platforms.FACTORS}
    best = max(factors, key=lambda k: (factors[k], platforms.FIT_WEIGHTS[k]))
    worst = min(factors, key=lambda k: (factors[k], platforms.FIT_WEIGHTS[k]))
    assert i18n.t(f"platforms.factor.{best}", "en") in fb["explanation"]
    assert i18n.t(f"platforms.factor.{worst}", "en") in fb["explanation"]
    assert fb["verdict_label"] == i18n.t(f"platforms.verdict.{fb['verdict']}", "en")


@settings(max_examples=60, deadline=None)
@given(
    market=st.sampled_from(["b2c", "b2b"]),
    audience=st.sampled_from(["young_consumers", "general_consumers", "professionals"]),
    country=st.sampled_from(["VN", "FR", "US", "OTHER"]),
    visual=st.booleans(),
    skills=st.lists(st.sampled_from(SKILLS), unique=True),
    considered=st.lists(st.sampled_from(PLATFORM_IDS), unique=True),
)
def test_score_is_the_sum_of_contributions(market, audience, country, visual, skills, considered):
    plan = make_plan(
        client={
            "market": market,
            "audience": audience,
            "country": country,
            "visual_product": visual,
        },
        team={"skills": skills},
        platforms={"considered": considered},
    )
    fit = platforms.asset_fit(plan)
    assert set(fit.index) == set(plan.considered_platforms())
    for _, row in fit.iterrows():
        contributions = [row[f"c_{k}"] for k in platforms.FACTORS]
        for k in platforms.FACTORS:
            assert 0.0 <= row[f"f_{k}"] <= 1.0
            assert row[f"c_{k}"] == pytest.approx(100 * platforms.FIT_WEIGHTS[k] * row[f"f_{k}"])
        assert abs(row["score"] - sum(contributions)) <= 0.05 + 1e-9
        assert 0 <= row["score"] <= 100
        assert row["verdict"] == platforms.verdict_for(row["score"], row["group_today"])
    assert list(fit["score"]) == sorted(fit["score"], reverse=True)


@settings(max_examples=40, deadline=None)
@given(skills=st.lists(st.sampled_from(SKILLS), unique=True), extra=st.sampled_from(SKILLS))
def test_more_skills_never_lower_a_score(skills, extra):
    base = make_plan(team={"skills": skills})
    more = make_plan(team={"skills": sorted(set(skills) | {extra})})
    a, b = platforms.asset_fit(base), platforms.asset_fit(more)
    for pid in a.index:
        assert b.loc[pid, "score"] >= a.loc[pid, "score"]


# --- C2: personal profile used as a company --------------------------------------------------


@pytest.mark.parametrize("language", LANGS)
def test_personal_profile_warning_only_when_the_plan_says_so(language):
    assert platforms.personal_profile_warnings(make_plan(language)) == []
    plan = make_plan(language, platforms={"personal_profile_as_company": ["facebook"]})
    warnings = platforms.personal_profile_warnings(plan)
    assert len(warnings) == 1
    assert warnings[0] == i18n.t(
        "platforms.warning.personal_profile.facebook",
        language,
        name=i18n.label("platform", "facebook", language),
    )
    assert ("Page" in warnings[0]) if language == "en" else ("Fanpage" in warnings[0])
    plan = make_plan(
        language, platforms={"personal_profile_as_company": ["facebook", "instagram", "linkedin"]}
    )
    warnings = platforms.personal_profile_warnings(plan)
    assert len(warnings) == 3
    assert warnings[1].startswith(i18n.label("platform", "instagram", language))
    assert warnings[1] == i18n.t(
        "platforms.warning.personal_profile.account",
        language,
        name=i18n.label("platform", "instagram", language),
    )
    assert warnings[2] == i18n.t(
        "platforms.warning.personal_profile.page",
        language,
        name=i18n.label("platform", "linkedin", language),
    )


# --- translations ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGS)
def test_factor_table(language):
    table = platforms.factor_table(language)
    assert list(table["factor"]) == list(platforms.FIT_WEIGHTS)
    assert math.isclose(table["weight"].sum(), 1.0)
    assert table["label"].str.len().gt(0).all() and table["measures"].str.len().gt(10).all()
    other = platforms.factor_table("en" if language == "vi" else "vi")
    assert (table["label"] != other["label"]).all()


def test_locale_files_have_the_same_prefixed_keys():
    vi = yaml.safe_load((LOCALES / "vi" / "platforms.yaml").read_text(encoding="utf-8"))
    en = yaml.safe_load((LOCALES / "en" / "platforms.yaml").read_text(encoding="utf-8"))
    assert set(vi) == set(en)
    assert all(key.startswith("platforms.") for key in vi)
    assert all(vi[k] != en[k] for k in vi)
    # placeholders agree between languages
    import string

    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    assert all(fields(vi[k]) == fields(en[k]) for k in vi)


@pytest.mark.parametrize("language", LANGS)
def test_every_text_of_the_module_exists_in_both_languages(language):
    plan = make_plan(
        language,
        client={"language": language},
        platforms={"personal_profile_as_company": list(PLATFORM_IDS)},
    )
    fit = platforms.asset_fit(plan)
    assert fit["explanation"].str.len().gt(0).all()
    assert len(platforms.personal_profile_warnings(plan)) == len(PLATFORM_IDS)
    table = platforms.classify(language)
    assert isinstance(table, pd.DataFrame)
    for pid in PLATFORM_IDS:
        assert i18n.has(f"platform.{pid}", language)
    for skill in SKILLS:
        assert i18n.has(f"skill.{skill}", language)
