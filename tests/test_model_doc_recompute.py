"""docs/model.md is enough to recompute the projection (issue 10): the month-by-month model
re-implemented here from the documented formulas alone, in plain Python loops, for the
example plans' central case, must give what ``roi.project`` gives. Only public names are
used: the inputs (``roi.scenario_inputs``, the numbers :func:`roi.assumptions_table`
shows) and the documented constants; nothing of the simulation's internals."""

from __future__ import annotations

import numpy as np
import pytest

from workshop import data, roi, schedule
from workshop import plan as plan_mod

DOC = (data.data_dir().parent / "docs" / "model.md").read_text(encoding="utf-8")
WEEKS = 52 / 12  # "posts per month = posts per week × 52 ÷ 12"
REFERENCE = 0.8  # "÷ FUNNEL_REFERENCE (0.8), at most 1.25"


def test_the_constants_used_here_are_the_documented_ones():
    assert "52 ÷ 12" in DOC and "``FUNNEL_REFERENCE`` (0.8), at most 1.25" in DOC
    assert "max(kept + new, launch audience)" in DOC and "(1 − 1 ÷ lifetime)" in DOC
    assert "min(posts in month m," in DOC and "quota) + paid broadcasts" in DOC


def calendar_share(plan) -> list[list[float]]:
    """k(m) per month and platform: the calendar's posts (schedule.monthly_posts, public)
    ÷ (pace asked × 52 ÷ 12)."""
    counts = schedule.monthly_posts(plan)
    share = []
    for m in range(1, plan.horizon_months + 1):
        row = []
        for p in plan.platforms.chosen:
            average = roi.posts_per_week(plan, p)[0] * WEEKS
            posts = counts.loc[m, p] if p in counts.columns else 0
            row.append(posts / average if average > 1e-6 else 0.0)
        share.append(row)
    return share


def recompute(inputs, months: int, share) -> dict[str, list[float]]:
    """docs/model.md, steps 1-8, one platform and one month at a time."""
    i = inputs
    followers = list(i.followers0)
    out: dict[str, list[float]] = {k: [] for k in ("followers", "reach", "clicks", "leads")}
    out.update({k: [] for k in ("customers", "active", "revenue", "gp", "cost", "cum_roi")})
    active = 0.0
    cum_gp = cum_cost = 0.0
    for _m in range(months):
        reach = clicks = leads = paid = 0.0
        for p in range(len(i.platforms)):
            k = share[_m][p]  # the calendar share of the month
            posts = i.posts_per_week[p] * WEEKS * k
            kept = followers[p] * (1 - i.churn[p])  # 1. leavers first
            room = max(i.ceiling[p] - kept, 0.0)
            word_of_mouth = (i.growth[p] + i.churn[p]) * i.cadence[p] * kept  # 3a.
            discovered = i.discovery[p] * i.posts_per_week[p] * WEEKS * i.follow_rate[p]  # 3b.
            new = (word_of_mouth + discovered) * k * (1 - kept / i.ceiling[p])
            followers[p] = kept + min(max(new, 0.0), room)
            if _m == 0 and posts > 0:  # 3c. at least the launch audience, under the ceiling
                followers[p] = max(followers[p], min(i.launch, i.ceiling[p]))
            # 4. a follower sees the month's posts; on Zalo OA at most the quota + paid
            to_followers = min(posts, i.broadcast_cap[p]) + i.paid_broadcasts[p]
            seen_by_followers = followers[p] * i.reach[p] * to_followers
            seen = seen_by_followers + i.discovery[p] * posts
            reach += seen
            clicks += seen * i.ctr[p]  # 5. per platform, then added
            leads += seen * i.ctr[p] * i.funnel_fit[p] * i.lead_rate
            paid += followers[p] * i.paid_broadcasts[p] * i.paid_price  # 7. paid broadcasts
        customers = leads * i.close_rate
        active = active * (1 - 1 / i.lifetime) + customers  # 6. geometric retention
        revenue = active * i.aov * i.purchases_per_customer_per_month
        gp = revenue * i.margin
        cost = i.hours_per_week * WEEKS * i.hourly_cost + i.help_cost + i.tools + i.ads + paid
        cost += i.one_off if _m == 0 else 0.0  # course fees, month 1
        cum_gp, cum_cost = cum_gp + gp, cum_cost + cost
        roi_m = (cum_gp - cum_cost) / cum_cost if cum_cost > 1e-6 else 0.0  # 8.
        for key, value in zip(
            out,
            (sum(followers), reach, clicks, leads, customers, active, revenue, gp, cost, roi_m),
            strict=True,
        ):
            out[key].append(value)
    return out


def _zalo_plan():
    """The café with the hours to keep Zalo OA up, on the premium package, with two paid
    broadcasts a month: the quota and the paid messages both matter."""
    plan = plan_mod.load(data.demo_plan())
    return plan.model_copy(
        update={
            "team": plan.team.model_copy(
                update={
                    "hours_per_week": 40,
                    "skills": [*plan.team.skills, "writing", "community_management"],
                }
            ),
            "platforms": plan.platforms.model_copy(update={"zalo_oa_package": "premium"}),
            "roi": plan.roi.model_copy(update={"zalo_paid_broadcasts_per_month": 2}),
        }
    )


def _learning_plan():
    """Nordic-saas learning long video by month 5 (its YouTube page waits) with a course."""
    plan = plan_mod.load(data.data_dir() / "clients" / "nordic-saas.yaml")
    skills = [s for s in plan.team.skills if s != "long_video"]
    learning = [{"skill": "long_video", "by_month": 5, "course_cost": 900}]
    raw = plan.model_dump(mode="json")
    raw["team"].update(skills=skills, learning=learning)
    return plan_mod.validate(raw)


CASES = {p.stem: (lambda p=p: plan_mod.load(p)) for p in data.example_plans()}
CASES["zalo-paid"] = _zalo_plan
CASES["learning"] = _learning_plan


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("scenario", roi.SCENARIOS)
def test_the_documented_formulas_give_the_projection(name, scenario):
    plan = CASES[name]()
    inputs = roi.scenario_inputs(plan)[scenario]
    share = calendar_share(plan)
    # a page whose skill is being learned posts from that month (docs/model.md)
    for learnt in plan.team.learning:
        for k, p in enumerate(plan.platforms.chosen):
            needs = data.load_platforms().loc[p, "required_skills"]
            if learnt.skill in needs and learnt.skill not in plan.team.skills:
                for m in range(learnt.by_month - 1):
                    share[m][k] = 0.0
    mine = recompute(inputs, plan.horizon_months, share)
    theirs = roi.project(plan, scenario)
    pairs = {
        "followers": "followers",
        "reach": "reach",
        "clicks": "clicks",
        "leads": "leads",
        "customers": "customers",
        "active": "active_customers",
        "revenue": "revenue",
        "gp": "gross_profit",
        "cost": "cost",
        "cum_roi": "cum_roi",
    }
    for key, column in pairs.items():
        np.testing.assert_allclose(mine[key], theirs[column], rtol=1e-9, atol=1e-9, err_msg=column)


def test_the_central_inputs_are_the_ones_the_assumptions_table_shows():
    plan = plan_mod.load(data.demo_plan())
    inputs = roi.scenario_inputs(plan)["expected"]
    table = roi.assumptions_table(plan, "en").set_index(["input", "platform"])
    for k, p in enumerate(inputs.platforms):
        shown = table.loc[("growth", p), "value"]
        assert shown == roi.format_value("rate", inputs.growth[k], "en", plan.currency)
