"""workshop.tables: the table type, the one formatter of each kind of value, and the tables
that replace the copies the notebooks, the report, the summary and the room each had."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import get_args

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import charts, data, i18n, roi, tables
from workshop import plan as plan_mod
from workshop.results import Results

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("vi", "en")


@pytest.fixture(scope="module")
def demo():
    plan = plan_mod.load(data.demo_plan())
    plan = plan.model_copy(update={"roi": plan.roi.model_copy(update={"monte_carlo_paths": 100})})
    return {lang: Results(plan, lang) for lang in LANGS}


# --- one formatter per kind of value ---------------------------------------------------------


def test_hours_have_one_decimal_unless_whole():
    assert tables.fmt_hours(12, "en") == "12" and tables.fmt_hours(12.04, "en") == "12"
    assert tables.fmt_hours(12.3, "en") == "12.3" and tables.fmt_hours(12.3, "vi") == "12,3"
    assert tables.fmt_hours(1234.5, "vi") == "1.234,5"


def test_percentages_are_whole_and_missing_is_a_dash():
    assert tables.fmt_pct(1.25, "en") == "125%" and tables.fmt_pct(-0.094, "vi") == "-9%"
    assert tables.fmt_pct(float("inf"), "en") == "∞"
    assert tables.fmt_pct(None, "en") == tables.fmt_pct(float("nan"), "vi") == tables.DASH


@pytest.mark.parametrize("lang", LANGS)
def test_a_platform_is_named_as_the_charts_name_it(lang):
    for pid in plan_mod.PLATFORM_IDS:
        assert tables.platform_name(pid, lang) == charts.platform_name(pid, lang)


def test_vocabulary_tuples_are_their_literals():
    P = plan_mod
    for values, literal in (
        (P.PLATFORM_IDS, P.PlatformId),
        (P.SKILLS, P.Skill),
        (P.CONTENT_TYPES, P.ContentType),
        (P.ASSETS, P.Asset),
        (P.CHANNELS, P.Channel),
        (P.SECTORS, P.Sector),
        (P.AUDIENCES, P.Audience),
        (P.CURRENCIES, P.Currency),
    ):
        assert values == get_args(literal) and len(set(values)) == len(values)
    assert P.CHANNELS[: len(P.PLATFORM_IDS)] == P.PLATFORM_IDS
    assert get_args(P.Weekday) == i18n.WEEKDAYS


# --- the table type ----------------------------------------------------------------------------


def test_select_keeps_the_metadata(demo):
    fit = tables.fit_table(demo["en"])
    assert fit.ids == {"Platform": "platform", "Score": "score", "Verdict": "verdict", "Why": "why"}
    assert fit.numeric == {"score"} and fit.caption == i18n.t("view.chosen_mark", "en")
    two = fit.select("score", "platform")
    assert list(two.columns) == ["Score", "Platform"] and two.numeric == {"score"}
    assert two.caption == fit.caption and two.ids == {"Score": "score", "Platform": "platform"}
    assert isinstance(two, tables.Table) and isinstance(fit.head(2), tables.Table)
    with pytest.raises(KeyError):
        fit.select("nope")


def test_numbers_align_right_in_the_report_and_groups_become_headings(demo):
    res = demo["en"]
    shown = tables.assumptions_table(res)
    page = shown.html(report=True)
    groups = re.findall(r'<tr class="ws-group"><th colspan="3">([^<]*)</th></tr>', page)
    platforms = [tables.platform_name(p, "en") for p in res.assumptions["platform"].unique() if p]
    assert groups == platforms + [i18n.t("view.all_platforms", "en")]
    assert "<th>Platform</th>" not in page  # the group column is not a column
    assert '<th class="num">Value</th>' in page and '<td class="ws-long">' in page
    notebook = shown._repr_html_()
    assert notebook.count("<tr style=") == len(groups) and 'class="workshop-table"' in notebook
    lines = shown.to_text().split("\n")
    assert lines[1] == platforms[0] and len(lines) == 1 + len(groups) + len(shown)


def test_to_text_is_one_printable_line_per_row_numbers_right():
    df = pd.DataFrame({"name": ["a\x1b[2Jb", "two\nlines", "x" * 80], "n": ["1", "22", None]})
    shown = tables.table(df, numeric=["n"])
    lines = shown.to_text(width=10).split("\n")
    assert len(lines) == 4
    assert all(plan_mod.unsafe_character(line) is None for line in lines)
    assert lines[1].startswith("a\ufffd[2Jb") and "two lines" in lines[2]
    assert "x" * 9 + "…" in lines[3] and "x" * 10 not in lines[3]
    assert lines[1].endswith(" 1") and lines[2].endswith("22") and lines[3].endswith("—")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=30), min_size=2, max_size=2), max_size=5))
def test_to_text_never_passes_a_control_character(rows):
    shown = tables.table(rows, ["item", "value"], "en")
    lines = shown.to_text().split("\n")
    assert len(lines) == 1 + len(rows)
    assert all(plan_mod.unsafe_character(line) is None for line in lines)


# --- the tables ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_scenarios_say_break_even_and_roi_the_one_way(demo, lang):
    res = demo[lang]
    shown = tables.scenarios_table(res)
    break_even, roi_col = shown.iloc[:, 1].tolist(), shown.iloc[:, 2].tolist()
    for i, scenario in enumerate(roi.SCENARIOS):
        result = res.summaries[scenario]
        assert break_even[i] == roi.break_even_text(res.plan, lang, scenario, with_month=False)
        assert roi_col[i] == tables.fmt_pct(result.roi_at_horizon, lang)
    months = res.plan.horizon_months
    assert shown.columns[2] == i18n.t("view.col.roi", lang, months=months)


def test_break_even_words():
    plan = plan_mod.load(data.demo_plan())
    base = roi.summary(plan)
    never = dataclasses.replace(base, break_even_month=None, cost_is_zero=False)
    paid = dataclasses.replace(base, break_even_month=4, cost_is_zero=False)
    free = dataclasses.replace(base, break_even_month=1, cost_is_zero=True)
    proj = roi.project(plan)
    april = i18n.fmt_month(proj["month_start"].iloc[3], "en")
    assert roi.break_even_text(plan, "en", result=never) == "not within 12 months"
    assert roi.break_even_text(plan, "en", result=paid, with_month=False) == "month 4"
    assert roi.break_even_text(plan, "en", projection=proj, result=paid) == f"month 4 ({april})"
    assert roi.break_even_text(plan, "vi", result=free) == i18n.t("report.roi.no_cost", "vi")
    # the other wordings are gone from the catalogue
    for key in ("view.never", "view.month_n", "room.never", "report.roi.no_break_even_short"):
        assert not i18n.has(key, "en") and not i18n.has(key, "vi")


def test_calendar_tables_window(demo):
    res = demo["en"]
    two_weeks = tables.calendar_table(res)
    end = res.plan.start + dt.timedelta(days=14)
    assert len(two_weeks) == len(res.calendar_between(res.plan.start, end)) > 0
    month = tables.calendar_table(res, month=res.first_month)
    assert len(month) == len(res.calendar_month(res.first_month)) > len(two_weeks)
    first = res.calendar.iloc[0]
    assert month.iloc[0].tolist()[:3] == [
        i18n.fmt_date(first["date"], "en", "short_numeric"),
        i18n.t(f"weekday_short.{first['weekday']}", "en"),
        first["time"],
    ]


def test_hours_table_ranges_and_total(demo):
    res = demo["vi"]
    shown = tables.hours_table(res)
    hours = res.hours
    assert len(shown) == len(hours) + 1
    low, high = hours["total_hours_low"].iloc[0], hours["total_hours_high"].iloc[0]
    assert shown.iloc[0, -1] == f"{tables.fmt_hours(low, 'vi')}–{tables.fmt_hours(high, 'vi')}"
    assert shown.iloc[-1, 0] == i18n.t("view.total", "vi")
    assert shown.iloc[-1, 5] == tables.fmt_hours(res.assessment.hours_needed, "vi")


def test_rules_table_says_where_a_rule_is_a_suggestion(demo):
    plan = demo["en"].plan
    own = tables.rules_table(demo["en"])
    assert "origin" not in own.ids.values()  # every rule is the plan's own
    suggested = plan.model_copy(
        update={"editorial": plan.editorial.model_copy(update={"rules": plan.editorial.rules[1:]})}
    )
    shown = tables.rules_table(Results(suggested, "en"))
    assert shown.iloc[:, -1].tolist().count(i18n.t("view.suggested", "en")) == 1


def test_the_presenters_keep_no_table_code_of_their_own():
    """The copies are gone: the report's sections, the summary and the room build no table
    themselves (no DataFrame, no HTML table, no pandas text table), and views.py keeps only
    the names start.py still imports."""
    for name in ("report/sections", "summary", "room"):
        source = (ROOT / "workshop" / f"{name}.py").read_text(encoding="utf-8")
        for made in ("rows_html(", "table_html(", ".to_string(", "view.col.", "room.col."):
            assert made not in source, (name, made)
        if name != "room":  # the room's own results frame (room.summarise) is a DataFrame
            assert "pd.DataFrame(" not in source, name
    assert not (ROOT / "workshop" / "views.py").exists()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_recommendation_marks_what_the_plan_chose_apart_from_what_it_recommends(lang):
    """issue 12: the recommendation said "Chosen: no" for platforms the client had chosen."""
    plan = plan_mod.load(data.data_dir() / "clients" / "studio-yoga.yaml")
    t = tables.recommend_table(Results(plan, lang))
    header = t.columns[list(t.ids.values()).index("included")]
    assert header == {"vi": "Được đề xuất", "en": "Recommended"}[lang]
    names = list(t.iloc[:, 0])
    chosen = [i18n.label("platform", p, lang) + f" {tables.CHECK}" for p in plan.platforms.chosen]
    assert set(chosen) <= set(names)
    no = i18n.t("view.no", lang)
    assert any(n in chosen and v == no for n, v in zip(names, t[header], strict=True))
