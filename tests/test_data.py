"""The default data files (data/) against workshop.data's column contract and the plan's vocabularies."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from workshop import data, i18n, plan

MODEL_METRICS = (
    "engagement_rate",
    "organic_reach_rate",
    "follower_growth_rate",
    "follower_churn_rate",
    "audience_ceiling_local",
    "audience_ceiling_regional",
    "audience_ceiling_national",
    "audience_ceiling_international",
    "launch_audience_micro",
    "launch_audience_small",
    "launch_audience_medium",
    "discovery_follow_rate",
    "customer_lifetime_months_b2c",
    "customer_lifetime_months_b2b",
    "posts_per_week",
    "click_through_rate",
    "lead_conversion_rate",
    "lead_to_customer_rate_b2c",
    "lead_to_customer_rate_b2b",
    "hourly_cost_vnd",
    "hourly_cost_eur",
    "hourly_cost_usd",
    "average_order_value_b2c_vnd",
    "average_order_value_b2b_vnd",
    "average_order_value_b2c_eur",
    "average_order_value_b2b_eur",
    "average_order_value_b2c_usd",
    "average_order_value_b2b_usd",
    "purchases_per_customer",
    "gross_margin",
    "gross_margin_b2c",
    "gross_margin_b2b",
    "community_hours_per_week",
)
RATE_UNITS = {"fraction", "fraction/month", "fraction/year"}
DATA_FILES = ("platforms.csv", "benchmarks.csv", "effort.csv", "holidays.csv")


@pytest.fixture(scope="module")
def platforms():
    return data.load_platforms()


@pytest.fixture(scope="module")
def benchmarks():
    return data.load_benchmarks()


# --- platforms.csv --------------------------------------------------------------------


def test_every_platform_id_exactly_once(platforms):
    ids = list(platforms["id"])
    assert sorted(ids) == sorted(plan.PLATFORM_IDS)
    assert len(ids) == len(set(ids))


def test_platform_vocabularies(platforms):
    models = {"separate_company_page", "shared_profile", "no_company_profile"}
    audiences = set(plan.Audience.__args__)
    for pid, row in platforms.iterrows():
        assert row["profile_model"] in models, pid
        assert row["audience"] in audiences, pid
        assert row["main_formats"], pid
        assert set(row["main_formats"]) <= set(plan.CONTENT_TYPES), pid
        assert row["required_skills"], pid
        assert set(row["required_skills"]) <= set(plan.SKILLS), pid
        assert set(row["helpful_skills"]) <= set(plan.SKILLS), pid
        assert not set(row["required_skills"]) & set(row["helpful_skills"]), pid
        assert set(row["estimate"]) <= set(platforms.columns), pid
        assert row["sources"].strip(), pid
        for col in ("business_features", "b2c_fit", "b2b_fit", "vn_reach"):
            assert 0 <= row[col] <= 1, (pid, col)
        assert row["posts_per_week"] > 0 and 0 < row["community_hours_per_week"] <= 3


def test_article_classification_and_todays_facts(platforms):
    # C1: the article's groups, kept beside today's profile model
    assert platforms.loc["facebook", "article_group"] == "separate_company_page"
    assert platforms.loc["linkedin", "article_group"] == "separate_company_page"
    assert platforms.loc["youtube", "article_group"] == "shared_profile"
    assert platforms.loc["x", "article_group"] == "shared_profile"
    assert platforms.loc["tiktok", "article_group"] == "no_company_profile"
    assert platforms.loc["tiktok", "profile_model"] == "shared_profile"
    assert platforms["article_group"].isna().sum() == len(plan.PLATFORM_IDS) - 5
    # C7 skills named in the brief
    assert platforms.loc["youtube", "required_skills"] == ["long_video"]
    assert "short_video" in platforms.loc["tiktok", "required_skills"]
    assert "photography" in platforms.loc["instagram", "required_skills"]


def test_vn_reach_worked_examples(platforms):
    # MAU / internet users, by hand: 76.5 / 78.44 = 0.9753; 72 / 78.44 = 0.9179; 5.58 / 78.44 = 0.0711
    assert platforms.loc["zalo_oa", "vn_reach"] == pytest.approx(0.975, abs=0.001)
    assert platforms.loc["facebook", "vn_reach"] == pytest.approx(0.918, abs=0.001)
    assert platforms.loc["x", "vn_reach"] == pytest.approx(0.071, abs=0.001)
    assert platforms["vn_reach"].idxmax() == "zalo_oa"


def test_platform_cadence_matches_benchmark(platforms):
    for pid in plan.PLATFORM_IDS:
        assert data.benchmark("posts_per_week", pid).typical == pytest.approx(
            platforms.loc[pid, "posts_per_week"]
        ), pid


# --- benchmarks.csv -------------------------------------------------------------------


def test_benchmark_rows_are_ordered_and_sourced(benchmarks):
    assert list(benchmarks.columns) == [
        "platform",
        "metric",
        "low",
        "typical",
        "high",
        "unit",
        "year",
        "estimate",
        "source",
    ]
    for _, row in benchmarks.iterrows():
        label = (row["platform"], row["metric"])
        assert row["low"] <= row["typical"] <= row["high"], label
        assert row["source"].strip() and row["unit"].strip(), label
        assert row["platform"] == "all" or row["platform"] in plan.PLATFORM_IDS, label
        assert 2010 <= int(row["year"]) <= 2026, label
        if row["unit"] in RATE_UNITS:
            assert row["low"] >= 0 and row["high"] <= 1, label


def test_benchmark_keys_are_unique(benchmarks):
    assert not benchmarks.duplicated(["platform", "metric"]).any()


def test_low_quality_sources_keep_their_caveat(benchmarks):
    for url in ("ezibreezy.com", "trypost.it", "ideaplan.io", "vectorgroup.vn"):
        rows = benchmarks[benchmarks["source"].str.contains(url, regex=False)]
        assert len(rows), url
        assert rows["source"].str.contains("LOW").all(), url


@pytest.mark.parametrize("metric", MODEL_METRICS)
def test_model_metric_has_all_row(metric):
    value = data.benchmark(metric, "all")
    assert value.low <= value.typical <= value.high
    assert value.source


@given(
    st.sampled_from(plan.PLATFORM_IDS),
    st.sampled_from(MODEL_METRICS),
    st.sampled_from(["conservative", "expected", "optimistic"]),
)
def test_benchmark_falls_back_to_all(pid, metric, scenario):
    value = data.benchmark(metric, pid)
    assert value.low <= value.value(scenario) <= value.high


def test_every_metric_the_model_can_ask_for_exists():
    # each spec's metric name, for every market, currency, area and business size a plan
    # can have, has a row (per platform or `all`) in benchmarks.csv
    import itertools

    from workshop import roi

    for spec in roi.SPECS:
        for market, currency, area, size in itertools.product(
            ("b2c", "b2b"),
            ("vnd", "eur", "usd"),
            ("local", "regional", "national", "international"),
            ("micro", "small", "medium"),
        ):
            metric = spec.metric.format(market=market, currency=currency, area=area, size=size)
            for pid in plan.PLATFORM_IDS:
                value = data.benchmark(metric, pid)
                assert value.low <= value.typical <= value.high, (metric, pid)


def test_bigger_areas_and_businesses_reach_more_people():
    areas = ("local", "regional", "national", "international")
    ceilings = [data.benchmark(f"audience_ceiling_{a}").typical for a in areas]
    assert ceilings == sorted(ceilings) and len(set(ceilings)) == 4
    # a B2B customer stays longer than a consumer (subscriptions, contracts)
    b2c, b2b = (data.benchmark(f"customer_lifetime_months_{m}") for m in ("b2c", "b2b"))
    assert b2b.typical > b2c.typical


def test_benchmark_worked_examples():
    assert data.benchmark("engagement_rate", "facebook").typical == pytest.approx(0.00063)
    assert data.benchmark("organic_reach_rate", "facebook").typical == pytest.approx(0.052)
    # youtube has no own engagement benchmark: the `all` row answers
    assert data.benchmark("engagement_rate", "youtube") == data.benchmark("engagement_rate")
    # 15M VND / 176 h = 85,227 VND/h, rounded to 85,000
    assert data.benchmark("hourly_cost_vnd").typical == pytest.approx(15_000_000 / 176, rel=0.01)
    assert data.benchmark("hourly_cost_usd").typical == pytest.approx(30.20)
    with pytest.raises(KeyError):
        data.benchmark("no_such_metric", "facebook")


# --- effort.csv -----------------------------------------------------------------------


def test_effort_covers_every_content_type():
    effort = data.load_effort()
    assert sorted(effort.index) == sorted(plan.CONTENT_TYPES)
    for ctype, row in effort.iterrows():
        assert 0 < row["low_hours"] <= row["typical_hours"] <= row["high_hours"], ctype
        assert row["skill"] in plan.SKILLS, ctype
        assert row["source"].strip(), ctype
    assert effort.loc["long_video", "skill"] == "long_video"
    assert effort.loc["live", "skill"] == "live_streaming"
    assert effort.loc["article", "typical_hours"] == pytest.approx(3.4)  # Orbit: 3h25m


# --- holidays.csv ---------------------------------------------------------------------


def test_vietnam_holidays():
    vn = data.load_holidays("VN")
    assert data.holiday_years("VN") == (2025, 2029)
    dates = set(vn["date"])
    assert dt.date(2027, 2, 6) in dates  # Tết 2027
    for year in range(2025, 2030):
        assert dt.date(year, 9, 2) in dates
        assert dt.date(year, 1, 1) in dates
        assert sum(d.year == year and d.month in (1, 2) for d in dates) >= 5  # Tết: several days
    assert any("Hùng Vương" in name for name in vn["name_vi"])
    assert vn["name_vi"].str.strip().all() and vn["name_en"].str.strip().all()
    assert vn["source"].str.strip().all()


@pytest.mark.parametrize("country", ["FR", "IT", "US", "GB", "DE"])
def test_other_countries(country):
    table = data.load_holidays(country)
    assert data.holiday_years(country) == (2025, 2029)
    christmas = table[table["date"] == dt.date(2027, 12, 25)]
    assert list(christmas["name_vi"]) == ["Lễ Giáng sinh"]
    assert not table.duplicated(["date"]).any()


# --- datasets.yaml --------------------------------------------------------------------


def test_datasets_cover_every_file():
    meta = yaml.safe_load(data.path("datasets.yaml").read_text(encoding="utf-8"))
    assert set(DATA_FILES) <= set(meta)
    for name in DATA_FILES:
        assert data.path(name).is_file(), name
        assert meta[name]["title"] and meta[name]["notes"], name
    dates = data.as_of()
    assert all(isinstance(d, dt.date) for d in dates.values())


# --- example plans --------------------------------------------------------------------


def test_example_plans_validate():
    paths = data.example_plans()
    names = {p.name for p in paths}
    assert {"demo-cafe.yaml", "nordic-saas.yaml", "gom-bat-trang.yaml", "studio-yoga.yaml"} <= names
    plans = {p.stem: plan.load(p) for p in paths}
    assert data.demo_plan().stem == "demo-cafe"
    cafe = plans["demo-cafe"]
    assert (cafe.language, cafe.currency, cafe.client.market) == ("vi", "VND", "b2c")
    assert cafe.communication.period == "semester" and cafe.start == dt.date(2027, 1, 1)
    assert {"facebook", "zalo_oa"} <= set(cafe.platforms.chosen)
    assert {r.platform for r in cafe.editorial.rules} == set(cafe.platforms.chosen)
    assert all(2 <= len(r.slots) <= 4 for r in cafe.editorial.rules)
    assert {"website", "newsletter", "ads"} <= {
        c for i in cafe.communication.items for c in i.channels
    }
    assert plans["nordic-saas"].horizon_months == 24
    assert plans["gom-bat-trang"].platforms.personal_profile_as_company == ["facebook"]
    assert len(plans["studio-yoga"].platforms.chosen) == 5
    for p in plans.values():
        assert p.client.id == next(k for k, v in plans.items() if v is p)


# --- vocabulary labels ----------------------------------------------------------------

VOCAB = [
    ("platform", plan.PLATFORM_IDS),
    ("skill", plan.SKILLS),
    ("content_type", plan.CONTENT_TYPES),
    ("asset", plan.ASSETS),
    ("channel", plan.CHANNELS),
    ("sector", plan.SECTORS),
    ("audience", plan.Audience.__args__),
    ("market", ("b2c", "b2b")),
    ("profile_model", ("separate_company_page", "shared_profile", "no_company_profile")),
    ("weekday", i18n.WEEKDAYS),
    ("weekday_short", i18n.WEEKDAYS),
    ("scenario", ("conservative", "expected", "optimistic")),
    ("currency", plan.Currency.__args__),
    ("period", ("semester", "year")),
]


@pytest.mark.parametrize("kind,values", VOCAB, ids=[k for k, _ in VOCAB])
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_vocabulary_value_has_a_label(kind, values, lang):
    for value in values:
        assert i18n.has(f"{kind}.{value}", lang), (kind, value, lang)
        assert i18n.label(kind, value, lang).strip()


def test_vietnamese_labels_examples():
    assert i18n.weekday_name("mon", "vi") == "Thứ Hai"
    assert i18n.weekday_name("sun", "vi") == "Chủ Nhật"
    assert i18n.label("platform", "zalo_oa", "en") == "Zalo Official Account"
    assert i18n.label("skill", "short_video", "vi") == "Video ngắn"


def test_every_source_id_platforms_csv_cites_has_a_publisher():
    # the groups table shows sources by publisher and title (data/sources.yaml), never an
    # id into notes a client does not have
    import re

    for cited in data.load_platforms()["sources"]:
        for part in (p.strip() for p in cited.split(";") if p.strip()):
            if not re.match(r"^([PS]\d+)\b", part):
                continue  # a note such as "no Vietnam usage or cadence source found"
            label = data.source_label(part)
            assert not re.match(r"^[PS]\d+\b", label), part  # resolved to its publisher
    assert (
        data.source_label("S47 (MIC Nov 2024: 72M MAU)") == "VOV (MIC data) (MIC Nov 2024: 72M MAU)"
    )
    assert data.source_label("not an id") == "not an id"
