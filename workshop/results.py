"""One plan's results, each computed once: what every presenter shows.

``Results(plan, language)`` asks the step models (:mod:`~workshop.platforms`,
:mod:`~workshop.capacity`, :mod:`~workshop.schedule`, :mod:`~workshop.roi`) for each result
the first time a presenter reads it, and keeps it (:func:`functools.cached_property`). The
notebooks' tables, the client report's sections, ``workshop summary`` and the room view all
read the same object, so a report no longer projects the same plan thirteen times nor runs
the 2,000-path Monte Carlo twice (``benchmarks/presenters.py`` measures the sections before
and after).

Pure: nothing here formats a value for people, reads or writes a file or displays anything;
the results are the models' own DataFrames, dataclasses and sentences (the models translate
their labels and messages into `language`). Formatting is :mod:`workshop.tables`' job.

A :class:`Results` is a snapshot of the plan it was given: after changing a plan (a widget,
a ``model_copy``), make a new one. Treat the results as read-only: a DataFrame changed in
place would be shown changed by every later reader.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import pandas as pd

from workshop import capacity, delivery, i18n, platforms, roi, schedule
from workshop.plan import EditorialRule, Plan


class Results:
    """The results of `plan` in `language` ("" or None: the plan's own language)."""

    def __init__(self, plan: Plan, language: str | None = None) -> None:
        lang = language or plan.language
        if lang not in i18n.LANGUAGES:
            raise ValueError(f"language must be one of {i18n.LANGUAGES}, not {language!r}")
        self.plan = plan
        self.language = lang

    @classmethod
    def of(cls, source: Results | Plan, language: str | None = None) -> Results:
        """`source` itself when it is a :class:`Results` (in `language`, if given), else the
        results of the plan `source` (for callers that hold a plan and a language)."""
        if isinstance(source, Results) and language in (None, "", source.language):
            return source
        plan = source.plan if isinstance(source, Results) else source
        return cls(plan, language)

    def __repr__(self) -> str:
        done = sorted(k for k in vars(self) if k not in ("plan", "language"))
        return f"<Results {self.plan.client.id!r} {self.language}: computed {done}>"

    # --- step 1: platforms (C1-C4) -------------------------------------------------------

    @cached_property
    def classification(self) -> pd.DataFrame:
        """C1 for every platform of the data (:func:`workshop.platforms.classify`)."""
        return platforms.classify(self.language)

    @cached_property
    def considered_classification(self) -> pd.DataFrame:
        """:attr:`classification` of the plan's considered platforms only, in data order."""
        df = self.classification
        return df[df["id"].isin(self.plan.considered_platforms())]

    @cached_property
    def asset_fit(self) -> pd.DataFrame:
        """C3-C4 fit of each considered platform, best first (:func:`platforms.asset_fit`)."""
        return platforms.asset_fit(self.plan, self.language)

    @cached_property
    def factors(self) -> pd.DataFrame:
        """The fit factors and their weights (:func:`workshop.platforms.factor_table`)."""
        return platforms.factor_table(self.language)

    @cached_property
    def personal_profile_warnings(self) -> list[str]:
        """C2: one warning per personal profile run as a business
        (:func:`workshop.platforms.personal_profile_warnings`)."""
        return platforms.personal_profile_warnings(self.plan, self.language)

    # --- step 2: capacity (C5-C7) --------------------------------------------------------

    @cached_property
    def hours(self) -> pd.DataFrame:
        """Hours per week of each chosen platform (:func:`workshop.capacity.hours_needed`)."""
        return capacity.hours_needed(self.plan)

    @cached_property
    def assessment(self) -> capacity.Assessment:
        """Hours needed against hours available, pages, skill gaps and the messages
        (:func:`workshop.capacity.assess`)."""
        return capacity.assess(self.plan, self.language)

    @property
    def skill_gaps(self) -> dict[str, list[str]]:
        """Per chosen platform, the required skills the team lacks (the assessment's own,
        :func:`workshop.capacity.skill_gaps`)."""
        return self.assessment.skill_gaps

    @cached_property
    def recommendation(self) -> pd.DataFrame:
        """The set the team can sustain, with a reason per platform
        (:func:`workshop.capacity.recommend`)."""
        return capacity.recommend(self.plan, self.language)

    # --- step 3: communication plan and editorial calendar (C10-C12) ----------------------

    @cached_property
    def month_starts(self) -> list[dt.date]:
        """The first day of each month of the horizon (:func:`workshop.schedule.month_starts`)."""
        return schedule.month_starts(self.plan)

    @cached_property
    def horizon_end(self) -> dt.date:
        """The first day after the horizon (:func:`workshop.schedule.horizon_end`)."""
        return schedule.horizon_end(self.plan)

    @cached_property
    def communication_plan(self) -> pd.DataFrame:
        """C11 in long form, one row per (item, channel)
        (:func:`workshop.schedule.communication_plan`)."""
        return schedule.communication_plan(self.plan, self.language)

    @cached_property
    def communication_grid(self) -> pd.DataFrame:
        """C11 as a month × channel grid (:func:`workshop.schedule.communication_grid`)."""
        return schedule.communication_grid(self.plan, self.language)

    @cached_property
    def editorial_rules(self) -> list[EditorialRule]:
        """Each chosen platform's rule, the plan's or a suggested one
        (:func:`workshop.schedule.editorial_rules`)."""
        return schedule.editorial_rules(self.plan)

    @cached_property
    def _expansion(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        return schedule.expand_with_skipped(self.plan, self.language)

    @property
    def calendar(self) -> pd.DataFrame:
        """C12: the dated editorial calendar (:func:`workshop.schedule.expand`), from the
        same expansion as :attr:`skipped` (:func:`workshop.schedule.expand_with_skipped`)."""
        return self._expansion[0]

    @property
    def skipped(self) -> pd.DataFrame:
        """The slots the calendar leaves out and why (:func:`workshop.schedule.skipped`)."""
        return self._expansion[1]

    @property
    def first_month(self) -> dt.date:
        """The first day of the calendar month the plan starts in."""
        return dt.date(self.plan.start.year, self.plan.start.month, 1)

    def calendar_between(self, first: dt.date, end: dt.date) -> pd.DataFrame:
        """The calendar's items dated from `first` (inclusive) to `end` (exclusive)."""
        cal = self.calendar
        return cal[(cal["date"] >= first) & (cal["date"] < end)] if len(cal) else cal

    def calendar_month(self, month: dt.date) -> pd.DataFrame:
        """The calendar's items in the calendar month of the day `month`."""
        first = dt.date(month.year, month.month, 1)
        return self.calendar_between(
            first, dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        )

    @cached_property
    def renewals(self) -> pd.DataFrame:
        """When each platform's editorial plan is renewed
        (:func:`workshop.schedule.renewal_dates`)."""
        return schedule.renewal_dates(self.plan, self.language)

    @cached_property
    def coverage_warning(self) -> str | None:
        """A warning when the holidays do not cover the horizon, else None
        (:func:`workshop.schedule.coverage_warning`)."""
        return schedule.coverage_warning(self.plan, self.language)

    @cached_property
    def checklist(self) -> list:
        """The posting checklist of the channels that import nothing (Meta Business Suite,
        Zalo OA; :func:`workshop.checklist.sections`), checked as of the day before the
        plan starts, as the report's calendar files are."""
        from workshop import checklist, preflight  # lazy: the schedulers' rules

        options = preflight.Options.before_start(self.plan)
        result = preflight.check_checklist(self.plan, self.language, self.calendar, options)
        return checklist.sections(self.plan, self.language, result, options)

    @cached_property
    def broadcast_warning(self) -> str | None:
        """A warning when the calendar sends more Zalo OA broadcasts than a follower can
        receive (:func:`workshop.schedule.broadcast_warning`), else None."""
        return schedule.broadcast_warning(self.plan, self.language)

    # --- step 4: return on investment (C5, C8, C9) -----------------------------------------

    @cached_property
    def delivery(self) -> delivery.Delivery:
        """What the team can keep up with the hours it has (:func:`workshop.delivery.delivery`):
        the pace and hours the projection counts."""
        return delivery.delivery(self.plan, self.hours, self.skill_gaps, self.asset_fit)

    @cached_property
    def summary_asked(self) -> roi.Summary | None:
        """The expected scenario's summary as the plan *asks* (every page at its pace, every
        hour paid), when the team cannot deliver that (:attr:`delivery` is limited); else None."""
        if not self.delivery.limited:
            return None
        inputs, kept = self.scenario_inputs, self.delivery
        asked = roi.project(self.plan, "expected", delivered=False, inputs=inputs, kept=kept)
        return roi.summary(self.plan, asked)

    @cached_property
    def projection(self) -> pd.DataFrame:
        """The expected scenario's month-by-month projection (:func:`workshop.roi.project`)."""
        return roi.project(self.plan, "expected", inputs=self.scenario_inputs)

    @cached_property
    def scenario_inputs(self) -> dict[str, roi.Inputs]:
        """The three scenarios' inputs: paths of the plan's simulation, drawn once
        (:func:`workshop.roi.scenario_inputs`)."""
        return roi.scenario_inputs(self.plan, self.delivery, self.simulation)

    @cached_property
    def simulation(self) -> roi.Simulation:
        """The plan's simulation, drawn once (:func:`workshop.roi.simulate`): the scenarios,
        the percentile bands and the break-even chances read it."""
        return roi.simulate(self.plan, kept=self.delivery)

    @cached_property
    def summary(self) -> roi.Summary:
        """The expected scenario's summary: break-even month, ROI at the horizon, totals
        (:func:`workshop.roi.summary`)."""
        return roi.summary(self.plan, self.projection)

    @cached_property
    def projections(self) -> dict[str, pd.DataFrame]:
        """:func:`workshop.roi.project` of each scenario of :data:`workshop.roi.SCENARIOS`
        (the expected one is :attr:`projection`)."""
        return {
            s: self.projection
            if s == "expected"
            else roi.project(self.plan, s, inputs=self.scenario_inputs)
            for s in roi.SCENARIOS
        }

    @cached_property
    def summaries(self) -> dict[str, roi.Summary]:
        """:func:`workshop.roi.summary` of each scenario's projection."""
        return {
            s: self.summary if s == "expected" else roi.summary(self.plan, df)
            for s, df in self.projections.items()
        }

    @cached_property
    def scenarios(self) -> pd.DataFrame:
        """The three projections stacked, as :func:`workshop.roi.scenarios` gives them."""
        frames = [df.assign(scenario=s) for s, df in self.projections.items()]
        df = pd.concat(frames, ignore_index=True)
        return df[["scenario"] + [c for c in df.columns if c != "scenario"]]

    @cached_property
    def scenario_summary(self) -> pd.DataFrame:
        """One row per scenario, as :func:`workshop.roi.scenario_summary` gives it."""
        rows = [
            {
                "scenario": s,
                "scenario_label": i18n.label("scenario", s, self.language),
                **result.as_dict(),
            }
            for s, result in self.summaries.items()
        ]
        return pd.DataFrame(rows)

    @cached_property
    def monte_carlo(self) -> pd.DataFrame:
        """Percentile bands per month (:func:`workshop.roi.monte_carlo`, the plan's paths)."""
        return roi.monte_carlo(self.plan, sim=self.simulation)

    @cached_property
    def break_even_share(self) -> pd.Series:
        """Share of the simulated paths broken even by each month
        (:func:`workshop.roi.break_even_distribution`)."""
        return roi.break_even_distribution(self.plan, sim=self.simulation)

    @cached_property
    def sensitivity(self) -> pd.DataFrame:
        """One-at-a-time swing of the ROI per uncertain input (:func:`roi.sensitivity`)."""
        return roi.sensitivity(self.plan, self.language, base=self.scenario_inputs["expected"])

    @cached_property
    def assumptions(self) -> pd.DataFrame:
        """Every input of the projection with its value and source
        (:func:`workshop.roi.assumptions_table`)."""
        return roi.assumptions_table(self.plan, self.language, inputs=self.scenario_inputs)
