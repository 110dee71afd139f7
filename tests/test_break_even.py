"""One definition of break-even (issue 10, item 7): the first month from which the cumulative
return stays at or above zero until the horizon. A page that reaches zero and falls back has
not broken even, and every sentence generated from the month says so."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import data, i18n, quizzes, roi, tables
from workshop import plan as plan_mod
from workshop.results import Results


def _be(net: list[float]) -> tuple[int, int]:
    gp = np.cumsum(np.maximum(net, 0))
    cost = np.cumsum(np.maximum(-np.asarray(net), 0))
    return int(roi._break_even(gp, cost)), int(roi._first_reached(gp, cost))


@pytest.mark.parametrize(
    "cum, stays, first",
    [
        ([1, -1, -1], 0, 1),  # reaches zero in month 1, falls back: no break-even
        ([-1, 1, -1, 1, 1], 4, 2),  # the month from which it stays, not the first touch
        ([1, 1, 1], 1, 1),
        ([-3, -2, 0], 3, 3),  # zero counts as broken even (at or above)
        ([-3, -2, -1], 0, 0),
    ],
)
def test_hand_worked_months(cum, stays, first):
    cum = np.asarray(cum, dtype=float)
    assert int(roi._break_even(cum, np.zeros_like(cum))) == stays
    assert int(roi._first_reached(cum, np.zeros_like(cum))) == first


def test_paths_along_the_second_axis():
    cum = np.array([[1.0, -1.0], [-1.0, 1.0], [2.0, 1.0]])  # months × 2 paths
    assert roi._break_even(cum, np.zeros_like(cum)).tolist() == [3, 2]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-100, 100, allow_nan=False), min_size=1, max_size=36))
def test_the_month_found_is_the_definition(cum):
    cum = np.asarray(cum)
    month = int(roi._break_even(cum, np.zeros_like(cum)))
    ok = cum >= 0
    if month == 0:
        assert not ok[-1]
    else:
        assert ok[month - 1 :].all()
        assert month == 1 or not ok[month - 2]


def _fading(plan) -> pd.DataFrame:
    """The plan's projection made into a fading page: ahead in month 1, then behind, −16 %."""
    df = roi.project(plan).copy()
    n = len(df)
    cost = np.full(n, 100.0)
    gp = np.r_[150.0, np.full(n - 1, 100.0 * (n * 0.84 - 1.5) / (n - 1))]
    df["cum_cost"], df["cum_gross_profit"] = np.cumsum(cost), np.cumsum(gp)
    df["cum_roi"] = (df["cum_gross_profit"] - df["cum_cost"]) / df["cum_cost"]
    return df


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_fading_page_is_worded_as_not_broken_even(language):
    plan = plan_mod.load(data.demo_plan())
    df = _fading(plan)
    assert df["cum_gross_profit"].iloc[0] > df["cum_cost"].iloc[0]
    assert round(float(df["cum_roi"].iloc[-1]), 2) == -0.16
    s = roi.summary(plan, df)
    assert s.break_even_month is None and s.fell_back_month == 1
    card = roi.break_even_text(plan, language, projection=df, result=s)
    short = roi.break_even_text(plan, language, result=s, with_month=False)
    sentence = roi.roi_text(plan, language, projection=df, result=s)
    never = {"vi": "chưa hòa vốn", "en": "not within"}[language]
    assert never in card and never in short
    assert {"vi": "tụt", "en": "falls back"}[language] in card
    assert {"vi": "chưa hoàn vốn", "en": "has not paid for itself"}[language] in sentence
    for text in (card, short, sentence):
        assert "pays for itself from" not in text and "bắt đầu hoàn vốn" not in text


def test_a_page_that_stays_ahead_is_dated_from_the_month_it_stays():
    plan = plan_mod.load(data.demo_plan())
    df = roi.project(plan).copy()
    n = len(df)
    net = np.r_[50.0, -80.0, np.full(n - 2, 40.0)]  # touches in 1, behind in 2, back in 3
    df["cum_cost"] = np.cumsum(np.full(n, 100.0))
    df["cum_gross_profit"] = df["cum_cost"] + np.cumsum(net)
    df["cum_roi"] = (df["cum_gross_profit"] - df["cum_cost"]) / df["cum_cost"]
    s = roi.summary(plan, df)
    assert s.break_even_month == 3 and s.fell_back_month is None
    assert "month 3" in roi.break_even_text(plan, "en", projection=df, result=s)
    assert "from month 3" in roi.roi_text(plan, "en", projection=df, result=s)


@pytest.mark.parametrize("path", data.example_plans(), ids=lambda p: p.stem)
def test_probability_of_having_broken_even_never_decreases(path):
    plan = plan_mod.load(path)
    share = roi.break_even_distribution(plan, paths=400, seed=3).to_numpy()
    assert (np.diff(share) >= -1e-12).all()
    out = roi._draw_paths(plan, 400, 3)
    be = roi._break_even(out["cum_gross_profit"], out["cum_cost"])
    assert share[-1] == pytest.approx((be > 0).mean())


@pytest.mark.parametrize("path", data.example_plans(), ids=lambda p: p.stem)
def test_every_presenter_tells_the_same_month(path):
    """The summary card's month, the scenario table, the self-check and the room agree."""
    plan = plan_mod.load(path)
    res = Results(plan, "en")
    month = roi.summary(plan).break_even_month
    assert res.summary.break_even_month == month
    computed = quizzes._break_even(plan, "en")["when"]
    assert (str(month) in computed) if month else ("12" in computed or "24" in computed)
    table = tables.scenarios_table(res)
    expected = roi.break_even_text(plan, "en", result=res.summary, with_month=False)
    assert expected in table.to_string()


@pytest.mark.parametrize("path", data.example_plans(), ids=lambda p: p.stem)
def test_the_scenarios_are_paths_of_the_simulation(path):
    """issue 10 item 6: the central case is the simulation's median path; the named
    scenarios lie inside what is simulated, at its 10th and 90th percentiles."""
    plan = plan_mod.load(path)
    out = roi._draw_paths(plan, plan.roi.monte_carlo_paths, plan.roi.seed)
    final = np.sort(out["cum_roi"][-1])
    res = Results(plan, "en")
    for scenario, q in roi.SCENARIO_PERCENTILES.items():
        got = res.summaries[scenario].roi_at_horizon
        rank = round(q / 100 * (len(final) - 1))
        assert got == pytest.approx(final[rank], rel=1e-9, abs=1e-9), scenario
        assert final[0] <= got <= final[-1]
    assert res.summary.roi_at_horizon == pytest.approx(float(np.median(final)), abs=0.01)
    # the sentence, the card and the scenario table name the same central ROI
    roi_text = i18n.fmt_percent(res.summary.roi_at_horizon, "en", digits=0)
    assert roi_text in roi.roi_text(plan, "en", projection=res.projection, result=res.summary)
    assert roi_text in tables.scenarios_table(res).to_string()


def test_the_band_sentence_quotes_no_all_ends_case():
    plan = plan_mod.load(data.demo_plan())
    from workshop.report import sections

    text = sections.band_text(Results(plan, "en"))
    assert "median" in text and "not a forecast" in text
    ends = roi.project_inputs(roi.resolve_inputs(plan, "optimistic"), plan)
    assert i18n.fmt_percent(float(ends["cum_roi"].iloc[-1]), "en", 0) not in text


def _share(values):
    return pd.Series(values, index=pd.Index(range(1, len(values) + 1), name="month"))


def test_dots_are_the_shares_rounded_to_one_in_twenty():
    # 79 % broken even by month 12, 40 % by month 6, nothing before month 4
    values = [0, 0, 0, 0.1, 0.2, 0.4, 0.5, 0.6, 0.7, 0.75, 0.78, 0.79]
    dots = roi.break_even_dots(_share(values))
    assert len(dots) == 20
    assert dots.count(None) == 4  # 16 of 20 dots by month 12 (79 % → 16/20 = 80 %)
    for m, v in enumerate(values, start=1):
        by_m = sum(1 for d in dots if d is not None and d <= m)
        assert abs(by_m / 20 - v) <= 0.025 + 1e-9
    assert dots == sorted(dots, key=lambda d: 99 if d is None else d)


@given(st.lists(st.floats(0, 1), min_size=1, max_size=60), st.integers(1, 50))
def test_dots_never_run_ahead_of_the_share(raw, n):
    share = _share(sorted(raw))
    dots = roi.break_even_dots(share, n)
    assert len(dots) == n
    for m in share.index:
        by_m = sum(1 for d in dots if d is not None and d <= m)
        assert abs(by_m - share[m] * n) <= 0.5 + 1e-9


def test_dots_need_at_least_one():
    with pytest.raises(ValueError):
        roi.break_even_dots(_share([0.5]), 0)
