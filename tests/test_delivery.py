"""What the team can really keep up (workshop/delivery.py) and the ROI that follows it
(issue 10, item 1): hours the team has, best fit first, skills or outside help, cost."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import capacity, data, delivery, platforms, roi, tables
from workshop import plan as plan_mod
from workshop.errors import PlanError
from workshop.report import sections
from workshop.results import Results

WEEKS = 52 / 12


def _plan(**team):
    raw = plan_mod.load(data.demo_plan()).model_dump(mode="json")
    raw["team"].update(team)
    return plan_mod.validate(raw)


def _fb_ig(hours: float, **extra):
    raw = plan_mod.load(data.demo_plan()).model_dump(mode="json")
    raw["platforms"]["chosen"] = ["facebook", "instagram"]
    raw["platforms"]["cadence_per_week"] = {"facebook": 3, "instagram": 2}
    raw["editorial"]["rules"] = []
    raw["team"].update(hours_per_week=hours, skills=["writing", "photography"], **extra)
    return plan_mod.validate(raw)


def test_hours_go_to_the_best_fit_first_then_run_out():
    plan = _fb_ig(4.0)
    need = capacity.hours_needed(plan)["total_hours"]
    fit = platforms.asset_fit(plan)
    first, second = sorted(["facebook", "instagram"], key=lambda p: -fit.loc[p, "score"])
    assert need[first] < 4.0 < need.sum()  # the first fits, the second only partly
    d = delivery.delivery(plan)
    t = d.table
    assert t.loc[first, "rank"] == 1 and t.loc[second, "rank"] == 2
    assert t.loc[first, "hours_allocated"] == pytest.approx(need[first])
    assert t.loc[second, "hours_allocated"] == pytest.approx(4.0 - need[first])
    share = (4.0 - need[first]) / need[second]
    assert t.loc[second, "kept_share"] == pytest.approx(share)
    assert t.loc[second, "posts_kept"] == pytest.approx(t.loc[second, "posts_asked"] * share)
    assert t.loc[first, "status"] == "full" and t.loc[second, "status"] == "partial"
    assert d.team_hours_worked == pytest.approx(4.0) and d.limited


def test_enough_hours_keep_the_plan_as_asked():
    plan = _fb_ig(40.0)
    d = delivery.delivery(plan)
    assert not d.limited and set(d.table["status"]) == {"full"}
    assert d.team_hours_worked == pytest.approx(capacity.total_hours_needed(plan))
    kept, asked = roi.project(plan), roi.project(plan, delivered=False)
    assert np.allclose(kept.select_dtypes("number"), asked.select_dtypes("number"))
    assert Results(plan).summary_asked is None
    assert "every chosen page" in delivery.delivery_text(plan, d, "en")


def test_zero_hours_no_posts_no_growth_from_posting_no_labour_cost():
    plan = _plan(hours_per_week=0)
    d = delivery.delivery(plan)
    assert (d.table["posts_kept"] == 0).all() and d.team_hours_worked == 0
    df = roi.project(plan)
    assert (df["cost_work"] == 0).all() and (df["reach_discovery"] == 0).all()
    assert (df["engagements"] == 0).all() and (df["customers"] == 0).all()
    start = sum(plan.roi.starting_followers.get(p, 0) for p in plan.platforms.chosen)
    assert (df["followers"] <= start + 1e-9).all()  # nothing but churn
    asked = roi.project(plan, delivered=False)
    assert asked["cost_work"].iloc[0] > 0 and asked["customers"].sum() > 0


def test_a_missing_skill_adds_nothing_unless_help_closes_it():
    raw = plan_mod.load(data.demo_plan()).model_dump(mode="json")
    raw["platforms"]["chosen"] = ["facebook", "youtube"]
    raw["team"].update(hours_per_week=60, skills=["writing", "photography"])
    plan = plan_mod.validate(raw)
    d = delivery.delivery(plan)
    assert d.table.loc["youtube", "status"] == "no_skill"
    assert "long_video" in d.table.loc["youtube", "missing_skills"]
    df = roi.project(plan)
    start = plan.roi.starting_followers.get("youtube", 0)
    assert (df["followers_youtube"] <= start + 1e-9).all()
    text = delivery.delivery_text(plan, d, "vi")
    assert "YouTube" in text and "team.help" in text
    missing = d.table.loc["youtube", "missing_skills"]
    raw["team"]["help"] = [
        {"skill": s, "hours_per_week": 10, "hourly_cost": 200_000} for s in missing
    ]
    helped = plan_mod.validate(raw)
    d2 = delivery.delivery(helped)
    assert d2.table.loc["youtube", "status"] in ("full", "partial")
    df2 = roi.project(helped)
    assert df2["followers_youtube"].iloc[-1] > df["followers_youtube"].iloc[-1]
    cost = len(missing) * 10 * 200_000 * WEEKS
    assert df2["cost_help"].iloc[0] == pytest.approx(cost)
    assert df2["cost"].iloc[0] == pytest.approx(
        df2["cost_work"].iloc[0] + cost + df2["cost_tools"].iloc[0] + df2["cost_ads"].iloc[0]
    )


def test_help_for_the_same_skill_twice_is_named():
    raw = plan_mod.load(data.demo_plan()).model_dump(mode="json")
    raw["team"]["help"] = [{"skill": "long_video", "hours_per_week": 2, "hourly_cost": 1}] * 2
    with pytest.raises(PlanError) as err:
        plan_mod.validate(raw)
    assert "team.help.1.skill" in [p.path for p in err.value.problems]


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 60), st.floats(0, 60))
def test_fewer_hours_never_give_more(h1, h2):
    """On the same draws: the typical inputs, and every percentile of the simulation (each
    path is monotone in the hours, so each percentile of the paths is too)."""
    low, high = sorted((h1, h2))
    plan_low, plan_high = _plan(hours_per_week=low), _plan(hours_per_week=high)
    a = roi.project_inputs(roi.resolve_inputs(plan_low), plan_low)
    b = roi.project_inputs(roi.resolve_inputs(plan_high), plan_high)
    for col in ("reach", "revenue", "cost", "customers", "followers"):
        assert a[col].sum() <= b[col].sum() * (1 + 1e-9) + 1e-9, col
    ma, mb = roi.monte_carlo(plan_low, paths=200), roi.monte_carlo(plan_high, paths=200)
    for col in ("followers_p10", "followers_p50", "followers_p90"):
        assert (ma[col] <= mb[col] * (1 + 1e-9) + 1e-9).all(), col


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_report_shows_asked_beside_delivered(language):
    plan = plan_mod.load(data.data_dir() / "clients" / "studio-yoga.yaml")
    res = Results(plan, language)
    assert res.delivery.limited and res.summary_asked is not None
    html = "".join(str(p) for p in sections.roi_section(res))
    t = tables.delivery_table(res)
    assert len(t) == len(plan.platforms.chosen)
    assert str(t.columns[0]) in html
    word = {"vi": "Theo kế hoạch mong muốn", "en": "As the plan asks"}[language]
    assert word in html
    assert res.summary_asked.total_cost > res.summary.total_cost  # 38 h asked, 4 h worked


# --- Learning a skill by month M (issue 10, item 1) ----------------------------------------------


def _learning_plan(by_month=4, course=1_000_000, help_=()):
    raw = {
        "client": {"language": "en", "country": "OTHER"},
        "team": {
            "hours_per_week": 40,
            "skills": ["writing", "photography"],
            "learning": [{"skill": "short_video", "by_month": by_month, "course_cost": course}],
            "help": list(help_),
        },
        "platforms": {"chosen": ["facebook", "tiktok"], "cadence_per_week": {"tiktok": 3}},
        "roi": {"starting_followers": {"facebook": 1000, "tiktok": 0}},
        "start": "2027-01-01",
        "horizon_months": 12,
    }
    return plan_mod.validate(raw)


def test_a_skill_learned_by_month_m_starts_the_page_in_month_m():
    plan = _learning_plan()
    d = delivery.delivery(plan)
    assert d.table.loc["tiktok", "status"] == "full" and d.table.loc["tiktok", "from_month"] == 4
    assert d.table.loc["facebook", "from_month"] == 1 and d.limited
    df = roi.project(plan)
    tiktok = df["followers_tiktok"].tolist()
    assert tiktok[:3] == [0.0, 0.0, 0.0] and tiktok[3] > 0  # posts from April on
    # the course is paid in month 1, on top of the same monthly cost
    assert df["cost_other"].iloc[0] == pytest.approx(1_000_000)
    assert (df["cost_other"].iloc[1:] == 0).all()
    # learning sooner never gives less: from month 1 it is as if the team had the skill
    sooner = roi.project(_learning_plan(by_month=1))
    assert (sooner["followers_tiktok"] >= df["followers_tiktok"] - 1e-9).all()
    has = plan.model_copy(
        update={
            "team": plan.team.model_copy(
                update={"skills": ["writing", "photography", "short_video"], "learning": []}
            )
        }
    )
    early = _learning_plan(by_month=1)

    def typical(p):  # the same (typical) inputs: the central path may be another draw
        return roi.project_inputs(roi.resolve_inputs(p), p)["followers_tiktok"].to_numpy()

    assert np.allclose(typical(early), typical(has))
    for lang in ("en", "vi"):
        text = delivery.delivery_text(plan, language=lang)
        assert ("month 4" in text) if lang == "en" else ("tháng thứ 4" in text)


def test_a_skill_learned_after_the_horizon_gives_nothing_within_it():
    df = roi.project(_learning_plan(by_month=30))
    assert (df["followers_tiktok"] == 0).all()
    assert "month 30" in delivery.delivery_text(_learning_plan(by_month=30), language="en")


def test_the_same_skill_learned_twice_is_named():
    raw = _learning_plan().model_dump(mode="json")
    raw["team"]["learning"] *= 2
    with pytest.raises(PlanError, match="team.learning"):
        plan_mod.validate(raw)
