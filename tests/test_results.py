"""workshop.results: every model result computed once per Results, equal to the model's own.

The models are monkeypatched with counters that count only the calls made from outside the
models (a call a model makes to another model, such as ``capacity.assess`` asking
``capacity.hours_needed``, is the model's own business), then every result is read twice and
a whole report, every table and the summary are rendered on the same ``Results``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from functools import cached_property

import pandas as pd
import pytest

from workshop import capacity, data, platforms, roi, schedule, tables
from workshop import plan as plan_mod
from workshop.report import sections
from workshop.results import Results

LANGS = ("vi", "en")
MODELS = {
    platforms: ("classify", "asset_fit", "factor_table", "personal_profile_warnings"),
    capacity: ("hours_needed", "total_hours_needed", "assess", "recommend", "skill_gaps"),
    schedule: (
        "month_starts",
        "horizon_end",
        "communication_plan",
        "communication_grid",
        "editorial_rules",
        "expand",
        "skipped",
        "expand_with_skipped",
        "renewal_dates",
        "coverage_warning",
        "broadcast_warning",
        "monthly_posts",
    ),
    roi: (
        "project",
        "summary",
        "scenarios",
        "scenario_summary",
        "monte_carlo",
        "break_even_distribution",
        "sensitivity",
        "assumptions_table",
    ),
}
#: What one Results asks of the models, whatever is read: one call each, one projection per
#: scenario; the calendar and the skipped slots from one expansion.
EXPECTED = Counter(
    {
        "platforms.classify": 1,
        "platforms.asset_fit": 1,
        "platforms.factor_table": 1,
        "platforms.personal_profile_warnings": 1,
        "capacity.hours_needed": 1,
        "capacity.assess": 1,
        "capacity.recommend": 1,
        "schedule.month_starts": 1,
        "schedule.horizon_end": 2,  # and the checklist's pre-flight check (a date sum)
        "schedule.communication_plan": 1,
        "schedule.communication_grid": 1,
        "schedule.editorial_rules": 1,
        "schedule.expand_with_skipped": 1,
        "schedule.renewal_dates": 1,
        "schedule.coverage_warning": 1,
        "schedule.broadcast_warning": 1,
        "schedule.monthly_posts": 1,  # the ROI's posts per month (counts; memoised by roi)
        "roi.project": 4,  # one per scenario, and the plan as asked (its team is short)
        "roi.summary": 4,
        "roi.monte_carlo": 1,
        "roi.break_even_distribution": 1,
        "roi.sensitivity": 1,
        "roi.assumptions_table": 1,
    }
)
SECTIONS = sections.SECTIONS[1:]  # without the title page (it shows today's date)
RESULTS = [
    name
    for name, value in vars(Results).items()
    if isinstance(value, (cached_property, property)) and not name.startswith("_")
]


def _plan(name: str = "demo-cafe.yaml", paths: int = 100) -> plan_mod.Plan:
    plan = plan_mod.load(data.data_dir() / "clients" / name)
    return plan.model_copy(update={"roi": plan.roi.model_copy(update={"monte_carlo_paths": paths})})


@contextlib.contextmanager
def counted_models(monkeypatch):
    """Count the calls of every function of :data:`MODELS` made from outside the models."""
    counts: Counter[str] = Counter()
    depth = [0]
    for module, names in MODELS.items():
        for name in names:
            original = getattr(module, name)
            key = f"{module.__name__.rsplit('.', 1)[-1]}.{name}"

            def wrapper(*args, _original=original, _key=key, **kwargs):
                if depth[0] == 0:
                    counts[_key] += 1
                depth[0] += 1
                try:
                    return _original(*args, **kwargs)
                finally:
                    depth[0] -= 1

            monkeypatch.setattr(module, name, wrapper)
    yield counts


def _everything(res: Results) -> None:
    """Read every result twice, render a whole report and every table on `res`."""
    for _ in range(2):
        for name in RESULTS:
            getattr(res, name)
        res.calendar_month(res.first_month)
    for name in ("title_page", *SECTIONS):
        getattr(sections, name)(res)
    sections.run_info(res, plan_path="x.yaml")
    for name in tables.__all__:
        fn = getattr(tables, name)
        if name.endswith("_table") and name not in ("room_table", "problems_table"):
            extra = ("x.yaml",) if name == "parameters_table" else ()
            fn(res, *extra)
    tables.run_information(res, "x.yaml")
    tables.personal_profile_text(res)


@pytest.mark.parametrize("lang", LANGS)
def test_each_model_result_is_computed_once_per_results(monkeypatch, lang):
    plan = _plan()
    monkeypatch.setattr(roi, "_CALENDARS", {})  # no calendar memoised by an earlier test
    with counted_models(monkeypatch) as counts:
        res = Results(plan, lang)
        assert sum(counts.values()) == 0  # nothing before a result is read
        _everything(res)
    assert counts == EXPECTED, counts - EXPECTED or EXPECTED - counts


def test_a_result_nobody_reads_is_not_computed(monkeypatch):
    plan = _plan()
    with counted_models(monkeypatch) as counts:
        res = Results(plan, "en")
        sections.platforms_section(res)
    assert counts == Counter(
        {
            "platforms.classify": 1,
            "platforms.asset_fit": 1,
            "platforms.factor_table": 1,
            "platforms.personal_profile_warnings": 1,
        }
    )
    assert "asset_fit" in repr(res) and "monte_carlo" not in repr(res)


@pytest.mark.parametrize("name", sorted(p.name for p in data.example_plans()))
def test_every_result_is_the_models_own(name):
    plan = _plan(name)
    for lang in LANGS:
        res = Results(plan, lang)
        frames = {
            "classification": platforms.classify(lang),
            "asset_fit": platforms.asset_fit(plan, lang),
            "factors": platforms.factor_table(lang),
            "hours": capacity.hours_needed(plan),
            "recommendation": capacity.recommend(plan, lang),
            "communication_plan": schedule.communication_plan(plan, lang),
            "communication_grid": schedule.communication_grid(plan, lang),
            "calendar": schedule.expand(plan, lang),
            "skipped": schedule.skipped(plan, lang),
            "renewals": schedule.renewal_dates(plan, lang),
            "projection": roi.project(plan),
            "scenarios": roi.scenarios(plan),
            "scenario_summary": roi.scenario_summary(plan, lang),
            "monte_carlo": roi.monte_carlo(plan),
            "sensitivity": roi.sensitivity(plan, lang),
            "assumptions": roi.assumptions_table(plan, lang),
        }
        for key, expected in frames.items():
            pd.testing.assert_frame_equal(getattr(res, key), expected, obj=key)
        pd.testing.assert_series_equal(res.break_even_share, roi.break_even_distribution(plan))
        for scenario in roi.SCENARIOS:
            pd.testing.assert_frame_equal(res.projections[scenario], roi.project(plan, scenario))
            assert res.summaries[scenario] == roi.summary(plan, roi.project(plan, scenario))
        assert res.summary == roi.summary(plan)
        assert res.assessment == capacity.assess(plan, lang)
        assert res.skill_gaps == capacity.skill_gaps(plan)
        assert res.personal_profile_warnings == platforms.personal_profile_warnings(plan, lang)
        assert res.editorial_rules == schedule.editorial_rules(plan)
        assert res.month_starts == schedule.month_starts(plan)
        assert res.horizon_end == schedule.horizon_end(plan)
        assert res.coverage_warning == schedule.coverage_warning(plan, lang)
        considered = platforms.classify(lang)
        considered = considered[considered["id"].isin(plan.considered_platforms())]
        pd.testing.assert_frame_equal(res.considered_classification, considered)


def test_calendar_windows():
    plan = _plan().model_copy(update={"start": dt.date(2027, 1, 20)})
    res = Results(plan, "en")
    assert res.first_month == dt.date(2027, 1, 1)
    cal = res.calendar
    for month in (dt.date(2027, 1, 31), dt.date(2027, 12, 5), dt.date(2028, 1, 1)):
        expected = cal[[d.year == month.year and d.month == month.month for d in cal["date"]]]
        pd.testing.assert_frame_equal(res.calendar_month(month), expected)
    window = res.calendar_between(dt.date(2027, 2, 1), dt.date(2027, 2, 8))
    assert len(window) and all(
        dt.date(2027, 2, 1) <= d < dt.date(2027, 2, 8) for d in window["date"]
    )


def test_language_and_of():
    plan = _plan()
    assert Results(plan).language == plan.language == Results(plan, "").language
    with pytest.raises(ValueError, match="language"):
        Results(plan, "fr")
    res = Results(plan, "en")
    assert Results.of(res) is res and Results.of(res, "en") is res
    other = Results.of(res, "vi")
    assert other is not res and other.plan is plan and other.language == "vi"
    made = Results.of(plan, "en")
    assert isinstance(made, Results) and made.plan is plan and made.language == "en"


def test_sections_on_one_results_are_the_sections_on_fresh_ones():
    """Sharing one Results changes nothing a section shows: no section alters a result."""
    plan = _plan("studio-yoga.yaml")
    now = dt.datetime(2027, 1, 2, 3, 4, tzinfo=dt.UTC)

    def report(given) -> list:  # given(): the Results each section is given
        parts = [part for name in SECTIONS for part in getattr(sections, name)(given())]
        parts += sections.title_page(given(), today=now.date())
        parts += sections.run_info(given(), plan_path="x.yaml", now=now)
        return [p if isinstance(p, str) else p.to_json_data() for p in parts]

    shared = Results(plan, "vi")
    assert report(lambda: shared) == report(lambda: shared) == report(lambda: Results(plan, "vi"))


def test_one_simulation_feeds_the_scenarios_the_bands_and_the_break_even_chances():
    """Results draws the plan's simulation once; what it gives equals the models' own."""
    plan = _plan()
    res = Results(plan, "en")
    pd.testing.assert_frame_equal(res.monte_carlo, roi.monte_carlo(plan))
    pd.testing.assert_series_equal(res.break_even_share, roi.break_even_distribution(plan))
    for s in roi.SCENARIOS:
        pd.testing.assert_frame_equal(res.projections[s], roi.project(plan, s))
    assert res.scenario_inputs["expected"].growth.tolist() == (
        roi.scenario_inputs(plan)["expected"].growth.tolist()
    )
