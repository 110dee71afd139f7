"""Figure builders (workshop.charts): the data in each figure is the model's data, texts are
translated, figures serialise and are deterministic. No rendering: we assert on fig.data.
The figure type itself (lazy validation, display bundle): tests/test_charts_figure.py."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import capacity, charts, data, i18n, platforms, roi, schedule
from workshop import plan as plan_mod
from workshop.plan import Plan

LANGS = ("vi", "en")


@pytest.fixture(scope="module")
def demo() -> Plan:
    return plan_mod.load(data.demo_plan())


@pytest.fixture(scope="module")
def growing(demo) -> Plan:
    """The demo plan with generous ROI overrides and 18 months, so that it breaks even."""
    return demo.model_copy(
        update={
            "horizon_months": 18,
            "roi": demo.roi.model_copy(
                update=dict(
                    monthly_growth_rate=0.15,
                    organic_reach_rate=0.3,
                    click_through_rate=0.05,
                    lead_conversion_rate=0.2,
                    lead_to_customer_rate=0.4,
                    monte_carlo_paths=200,
                )
            ),
        }
    )


def _build_all(p: Plan, lang: str) -> dict[str, charts.Figure]:
    cal = schedule.expand(p, lang)
    proj = roi.project(p)
    summ = roi.summary(p, proj)
    first = p.start
    return {
        "groups_chart": charts.groups_chart(platforms.classify(lang), lang),
        "asset_fit_chart": charts.asset_fit_chart(platforms.asset_fit(p, lang), lang),
        "capacity_chart": charts.capacity_chart(
            capacity.hours_needed(p), capacity.assess(p, lang), lang
        ),
        "recommend_chart": charts.recommend_chart(capacity.recommend(p, lang), lang),
        "communication_chart": charts.communication_chart(
            schedule.communication_grid(p, lang), lang
        ),
        "calendar_month_chart": charts.calendar_month_chart(
            cal, first.year, first.month, lang, skipped_df=schedule.skipped(p, lang)
        ),
        "timeline_chart": charts.timeline_chart(cal, lang),
        "audience_chart": charts.audience_chart(proj, lang),
        "funnel_chart": charts.funnel_chart(proj, lang),
        "revenue_cost_chart": charts.revenue_cost_chart(proj, lang, p.currency),
        "roi_chart": charts.roi_chart(proj, summ, lang),
        "scenario_chart": charts.scenario_chart(
            roi.scenarios(p), roi.monte_carlo(p, paths=200), lang
        ),
        "break_even_chance_chart": charts.break_even_chance_chart(
            roi.break_even_distribution(p, paths=200), proj, lang
        ),
        "break_even_dots_chart": charts.break_even_dots_chart(
            roi.break_even_distribution(p, paths=200), proj, lang
        ),
        "tornado_chart": charts.tornado_chart(
            roi.sensitivity(p, lang), lang, base_roi=summ.roi_at_horizon, currency=p.currency
        ),
    }


@pytest.fixture(scope="module")
def figures(demo) -> dict[str, dict[str, charts.Figure]]:
    return {lang: _build_all(demo, lang) for lang in LANGS}


def _strings(obj) -> list[str]:
    """Every string inside a plotly JSON structure (texts, titles, hover templates...)."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, (list, tuple)):
        return [s for v in obj for s in _strings(v)]
    return []


def _texts(fig: charts.Figure) -> list[str]:
    """The strings people read: layout texts and trace names/texts/hovers (not the template)."""
    js = fig.to_plotly_json()
    layout = {k: v for k, v in js["layout"].items() if k != "template"}
    return _strings(layout) + _strings(js["data"])


def _axis_titles(fig: charts.Figure) -> list[str]:
    return [t for t in (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) if t]


# --- every builder ------------------------------------------------------------------------


def test_every_builder_is_covered(figures):
    assert sorted(figures["vi"]) == sorted(charts.BUILDERS)
    assert all(name.endswith("_chart") for name in charts.BUILDERS)


@pytest.mark.parametrize("name", charts.BUILDERS)
@pytest.mark.parametrize("lang", LANGS)
def test_figure_serialises_and_has_no_catalogue_keys(figures, name, lang):
    fig = figures[lang][name]
    assert isinstance(fig, charts.Figure)
    json.loads(fig.to_json())
    keys = set(i18n.catalogue(lang))
    for text in _texts(fig):
        assert text not in keys, f"{name}: untranslated key {text!r}"
        assert "charts." not in text, f"{name}: untranslated key in {text!r}"
    assert fig.layout.separators == charts.SEPARATORS[lang]
    assert fig.layout.title.text is None  # no headline title unless title=True


@pytest.mark.parametrize("name", charts.BUILDERS)
def test_texts_differ_between_languages(figures, name):
    vi, en = figures["vi"][name], figures["en"][name]
    titles_vi, titles_en = _axis_titles(vi), _axis_titles(en)
    if titles_vi or titles_en:
        assert titles_vi != titles_en
    assert set(_texts(vi)) != set(_texts(en))


def test_builders_are_deterministic(demo):
    a, b = _build_all(demo, "vi"), _build_all(demo, "vi")
    for name in charts.BUILDERS:
        assert a[name].to_json() == b[name].to_json(), name


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("which", ["demo", "growing"])
def test_json_data_is_the_validated_figure_json(demo, growing, lang, which):
    """The widgets' and the report's fast path (Figure.to_json_data, no validation) gives
    exactly the JSON of the validated figure, for every builder; to_plotly() is that
    figure, built once."""
    import plotly.io as pio

    plan = demo if which == "demo" else growing
    figs = _build_all(plan, lang)
    for name in charts.BUILDERS:
        fig = figs[name]
        assert isinstance(fig, charts.Figure), name
        assert not fig.validated, name  # a builder never validates
        data = fig.to_json_data()
        assert not fig.validated, name
        expected = json.loads(pio.to_json(fig.to_plotly()))
        assert data == expected, name
        assert fig.to_plotly() is fig.to_plotly()  # built once
        assert fig.height == fig.layout.height


def test_json_data_with_title_and_a_figure_made_from_plotly(demo):
    import plotly.io as pio

    proj = roi.project(demo)
    summ = roi.summary(demo, proj)
    fig = charts.roi_chart(proj, summ, "en", title=True)
    assert fig.to_json_data() == json.loads(pio.to_json(fig.to_plotly()))
    # a go.Figure made elsewhere becomes a Figure (kept, not validated again)
    plotly_figure = go.Figure(data=[go.Bar(x=[1], y=[2])])
    wrapped = charts.Figure.from_plotly(plotly_figure)
    assert wrapped.to_plotly() is plotly_figure
    assert wrapped.to_json_data()["data"][0]["y"] == [2]
    assert wrapped.to_json_data() == json.loads(pio.to_json(plotly_figure))


def test_title_only_on_request(demo):
    proj = roi.project(demo)
    fig = charts.roi_chart(proj, roi.summary(demo, proj), "en", title=True)
    assert fig.layout.title.text == i18n.t("charts.roi.title", "en")
    assert fig.layout.margin.t > charts.LAYOUT["margin"]["t"]


def test_separators_per_language():
    assert charts.base_layout("vi")["separators"] == ",."  # 1.234,5
    assert charts.base_layout("en")["separators"] == ".,"  # 1,234.5


def test_platform_colours_cover_every_platform_and_differ():
    from workshop.plan import PLATFORM_IDS

    assert set(charts.PLATFORM_COLOURS) == set(PLATFORM_IDS)
    assert len(set(charts.PLATFORM_COLOURS.values())) == len(PLATFORM_IDS)
    assert charts.colour("youtube") == charts.PLATFORM_COLOURS["youtube"]
    assert charts.colour("nonexistent") == charts.NEUTRAL


# --- capacity -----------------------------------------------------------------------------


def _needed_traces(fig):
    return [t for t in fig.data if (t.meta or {}).get("kind") == "needed"]


@pytest.mark.parametrize("lang", LANGS)
def test_capacity_bars_sum_to_hours_needed(demo, lang):
    assessment = capacity.assess(demo, lang)
    fig = charts.capacity_chart(capacity.hours_needed(demo), assessment, lang)
    needed = _needed_traces(fig)
    assert [t.meta["platform"] for t in needed] == list(demo.platforms.chosen)
    assert sum(t.y[0] for t in needed) == pytest.approx(assessment.hours_needed)
    available = [t for t in fig.data if (t.meta or {}).get("kind") == "available"]
    assert available[0].y[0] == pytest.approx(demo.team.hours_per_week)


def _hours_df(rows: list[tuple[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": pid,
                "name": pid,
                "posts_per_week": 2.0,
                "hours_per_post": h / 4,
                "content_hours": h / 2,
                "community_hours": h / 2,
                "total_hours": h,
                "total_hours_low": h * 0.8,
                "total_hours_high": h * 1.5,
            }
            for pid, h in rows
        ]
    )


def test_capacity_over_is_red_worked_example():
    # 3 h (Facebook) + 2 h (Zalo) = 5 h needed, 4 h available: 1 h short, shown in red.
    hours = _hours_df([("facebook", 3.0), ("zalo_oa", 2.0)])
    assessment = capacity.Assessment(
        hours_available=4.0,
        hours_needed=5.0,
        gap=-1.0,
        utilisation=1.25,
        verdict="over",
        pages=2,
        page_limit_ok=True,
    )
    for lang, text in (("vi", "thiếu 1,0 giờ/tuần"), ("en", "1.0 h/week short")):
        fig = charts.capacity_chart(hours, assessment, lang)
        rects = [s for s in fig.layout.shapes if s.type == "rect"]
        assert len(rects) == 1
        assert (rects[0].y0, rects[0].y1) == (4.0, 5.0)
        assert rects[0].line.color == charts.BAD
        assert any(text in (a.text or "") for a in fig.layout.annotations)
        line = [s for s in fig.layout.shapes if s.type == "line"][0]
        assert line.y0 == 4.0 and line.line.color == charts.BAD


def test_capacity_fits_has_no_red_box():
    hours = _hours_df([("facebook", 3.0)])
    assessment = capacity.Assessment(
        hours_available=6.0,
        hours_needed=3.0,
        gap=3.0,
        utilisation=0.5,
        verdict="fits",
        pages=1,
        page_limit_ok=True,
    )
    fig = charts.capacity_chart(hours, assessment, "en")
    assert not [s for s in fig.layout.shapes if s.type == "rect"]
    assert all(charts.BAD not in str(a.font.color) for a in fig.layout.annotations)


@settings(max_examples=30, deadline=None)
@given(
    hours=st.lists(st.floats(0, 40, allow_nan=False), min_size=0, max_size=6),
    available=st.floats(0, 60, allow_nan=False),
)
def test_capacity_chart_property(hours, available):
    ids = ["facebook", "instagram", "linkedin", "youtube", "tiktok", "zalo_oa"][: len(hours)]
    df = _hours_df(list(zip(ids, hours)))
    needed = sum(hours)
    verdict = "over" if needed > available else "fits"
    a = capacity.Assessment(available, needed, available - needed, 0.0, verdict, len(ids), True)
    fig = charts.capacity_chart(df, a, "vi")
    assert sum(t.y[0] for t in _needed_traces(fig)) == pytest.approx(needed)
    assert bool([s for s in fig.layout.shapes if s.type == "rect"]) == (needed - available > 1e-9)
    assert fig.layout.yaxis.range[1] >= max(needed, available)


# --- ROI ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_roi_chart_y_is_cum_roi_and_break_even_is_marked(growing, lang):
    proj = roi.project(growing)
    summ = roi.summary(growing, proj)
    assert summ.break_even_month is not None  # the fixture is built to break even
    fig = charts.roi_chart(proj, summ, lang)
    assert list(fig.data[0].y) == pytest.approx(list(proj["cum_roi"]))
    assert list(fig.data[0].x) == list(proj["month"])
    vlines = [s for s in fig.layout.shapes if s.type == "line" and s.x0 == s.x1]
    assert len(vlines) == 1 and vlines[0].x0 == summ.break_even_month
    label = i18n.fmt_month(proj["month_start"].iloc[summ.break_even_month - 1], lang)
    assert any(label in (a.text or "") for a in fig.layout.annotations)


def test_roi_chart_without_break_even_says_so(demo):
    proj = roi.project(demo)
    fake = {"break_even_month": None}
    fig = charts.roi_chart(proj, fake, "en")
    assert not [s for s in fig.layout.shapes if s.type == "line" and s.x0 == s.x1]
    assert any(i18n.t("charts.roi.no_break_even", "en") == a.text for a in fig.layout.annotations)


def test_month_axis_labels_are_translated(growing):
    proj = roi.project(growing)
    vi = charts.roi_chart(proj, None, "vi").layout.xaxis
    en = charts.roi_chart(proj, None, "en").layout.xaxis
    assert vi.ticktext[0] == "thg 1<br>2027" and en.ticktext[0] == "Jan<br>2027"
    assert len(vi.tickvals) == 9  # 18 months: every other month
    assert "Jan<br>2028" in en.ticktext  # the year again at each January


def test_audience_chart_stacks_followers(demo):
    proj = roi.project(demo)
    fig = charts.audience_chart(proj, "en")
    assert [t.meta["platform"] for t in fig.data] == list(demo.platforms.chosen)
    total = [sum(t.y[i] for t in fig.data) for i in range(len(proj))]
    assert total == pytest.approx(list(proj["followers"]))
    assert fig.data[0].line.color == charts.PLATFORM_COLOURS[demo.platforms.chosen[0]]


def test_funnel_and_money_charts_carry_the_projection(demo):
    proj = roi.project(demo)
    fig = charts.funnel_chart(proj, "vi")
    by_kind = {t.meta["kind"]: t for t in fig.data}
    assert list(by_kind["leads"].y) == pytest.approx(list(proj["leads"]))
    assert list(by_kind["customers"].y) == pytest.approx(list(proj["customers"]))
    fig = charts.revenue_cost_chart(proj, "vi", "VND")
    by_kind = {t.meta["kind"]: t for t in fig.data}
    assert list(by_kind["gross_profit"].y) == pytest.approx(list(proj["gross_profit"]))
    assert list(by_kind["cost"].y) == pytest.approx(list(proj["cost"]))
    assert by_kind["cost"].customdata[0][1] == i18n.fmt_money(proj["cost"].iloc[0], "VND", "vi")
    assert "₫" in fig.layout.yaxis.title.text


def test_scenario_chart_lines_and_band(growing):
    scen = roi.scenarios(growing)
    mc = roi.monte_carlo(growing, paths=200)
    fig = charts.scenario_chart(scen, mc, "en")
    kinds = {(t.meta or {}).get("kind"): t for t in fig.data}
    assert list(kinds["p10"].y) == pytest.approx(list(mc["roi_p10"]))
    assert list(kinds["p90"].y) == pytest.approx(list(mc["roi_p90"]))
    assert kinds["p10"].fill == "tonexty"
    lines = {t.meta["scenario"]: t for t in fig.data if t.meta.get("kind") == "scenario"}
    assert set(lines) == set(roi.SCENARIOS)
    expected = scen[scen["scenario"] == "expected"]["cum_roi"]
    assert list(lines["expected"].y) == pytest.approx(list(expected))
    assert lines["optimistic"].name == i18n.label("scenario", "optimistic", "en")


def test_tornado_bars_start_at_base_and_end_at_roi(growing):
    sens = roi.sensitivity(growing, "en")
    base = roi.summary(growing).roi_at_horizon
    fig = charts.tornado_chart(sens, "en", base_roi=base, currency=growing.currency)
    low = next(t for t in fig.data if t.meta["kind"] == "roi_low")
    ordered = sens.sort_values("swing", kind="stable")
    assert list(low.y) == list(ordered["input_label"])  # widest swing last = on top
    assert [b + x for b, x in zip(low.base, low.x)] == pytest.approx(list(ordered["roi_low"]))
    # without a base: one grey span per input from its lower to its higher ROI
    fig = charts.tornado_chart(sens, "en")
    span = next(t for t in fig.data if t.meta["kind"] == "span")
    assert list(span.x) == pytest.approx(list(ordered["swing"]))


# --- platforms ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_asset_fit_bars_add_up_to_the_score(demo, lang):
    fit = platforms.asset_fit(demo, lang)
    fig = charts.asset_fit_chart(fit, lang)
    factors = [t for t in fig.data if t.meta["kind"] == "factor"]
    assert [t.meta["factor"] for t in factors] == list(platforms.FACTORS)
    totals = [sum(t.x[i] for t in factors) for i in range(len(fit))]
    score = next(t for t in fig.data if t.meta["kind"] == "score")
    assert totals == pytest.approx(list(score.x), abs=0.051)  # score has 1 decimal
    assert score.x[-1] == fit["score"].max()  # best platform drawn on top
    assert factors[0].name == i18n.t("platforms.factor.business_features", lang)
    lines = sorted(s.x0 for s in fig.layout.shapes)
    assert lines == [platforms.USEFUL_THRESHOLD, platforms.ASSET_THRESHOLD]


def test_groups_chart_shows_tiktok_moving():
    df = platforms.classify("en")
    fig = charts.groups_chart(df, "en")
    article, today = (
        next(t for t in fig.data if t.meta["kind"] == k) for k in ("article", "today")
    )
    assert len(today.meta["ids"]) == len(df)
    assert len(article.meta["ids"]) == len(df)  # silent ones in the "not covered" row
    moved = list(df[df["article_differs"]]["id"])
    assert "tiktok" in moved
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert len(arrows) == len(moved)
    i_art, i_today = article.meta["ids"].index("tiktok"), today.meta["ids"].index("tiktok")
    # the arrow leaves just above the article's marker (towards today's, which is higher)
    assert arrows[0].ay == pytest.approx(article.y[i_art] + 0.38)
    assert arrows[0].y == pytest.approx(today.y[i_today])
    assert article.y[i_art] < today.y[i_today]  # "no company profile" row is lower
    assert article.marker.line.width[i_art] > 0  # ringed


@pytest.mark.parametrize("lang", LANGS)
def test_groups_chart_one_marker_per_line_in_its_column(lang):
    """All 12 platforms: every marker at its column's left edge + 0.06 (none drifts
    towards the other column), one per line, evenly spaced by 1 inside a cell."""
    df = platforms.classify(lang)
    assert len(df) == 12
    fig = charts.groups_chart(df, lang)
    for trace, col in ((t, 0 if t.meta["kind"] == "article" else 1) for t in fig.data):
        assert list(trace.x) == pytest.approx([col + 0.06] * len(trace.x))
        assert len(set(trace.y)) == len(trace.y)  # no two markers on one line
    article = next(t for t in fig.data if t.meta["kind"] == "article")
    silent = [
        y for pid, y in zip(article.meta["ids"], article.y) if pd.isna(df.loc[pid, "group_article"])
    ]
    assert len(silent) == int(df["group_article"].isna().sum()) > 0
    assert sorted(silent, reverse=True) == [silent[0] - k for k in range(len(silent))]


@pytest.mark.parametrize("lang", LANGS)
def test_asset_fit_legend_on_top_and_threshold_names_apart(demo, lang):
    fig = charts.asset_fit_chart(platforms.asset_fit(demo, lang), lang)
    assert fig.layout.legend.y > 1 and fig.layout.legend.yanchor == "bottom"
    names = [a for a in fig.layout.annotations if a.text and "≥" in a.text]
    by_anchor = {a.xanchor: a.x for a in names}
    # "useful" ends at its line (45), "strategic asset" starts at its own (65)
    assert by_anchor == {"right": platforms.USEFUL_THRESHOLD, "left": platforms.ASSET_THRESHOLD}


# --- schedule -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_calendar_month_chart_has_one_marker_per_item(demo, lang):
    cal = schedule.expand(demo, lang)
    year, month = 2027, 3
    fig = charts.calendar_month_chart(cal, year, month, lang)
    in_month = cal[
        (cal["date"] >= dt.date(year, month, 1)) & (cal["date"] < dt.date(year, month + 1, 1))
    ]
    items = [t for t in fig.data if t.meta["kind"] == "items"]
    assert sum(len(t.x) for t in items) == len(in_month)
    assert {t.meta["platform"] for t in items} == set(in_month["platform"])
    assert list(fig.layout.xaxis.ticktext) == [i18n.weekday_name(w, lang) for w in charts.WEEKDAYS]
    # March 2027 starts on a Monday and has 31 days: 5 week rows, 35 cells
    assert len([s for s in fig.layout.shapes if s.type == "rect"]) == 35


def test_calendar_month_chart_marks_holidays_and_caps_items(demo):
    cal = schedule.expand(demo, "vi")
    skipped = schedule.skipped(demo, "vi")
    fig = charts.calendar_month_chart(cal, 2027, 2, "vi", skipped_df=skipped)
    tet = skipped[
        (skipped["date"] >= dt.date(2027, 2, 1)) & (skipped["date"] < dt.date(2027, 3, 1))
    ]
    assert len(tet)  # Tết 2027 falls in February
    shaded = [s for s in fig.layout.shapes if s.type == "rect" and s.fillcolor == "#FFF0F0"]
    assert len(shaded) == tet["date"].nunique()
    # five items on one day, at most two drawn: "+3"
    day = dt.date(2027, 3, 3)
    many = pd.DataFrame(
        [
            {
                "date": day,
                "time": f"0{i}:00",
                "platform": "facebook",
                "platform_label": "Facebook",
                "content_type": "story",
                "content_type_label": "Story",
                "theme": "",
            }
            for i in range(5)
        ]
    )
    fig = charts.calendar_month_chart(many, 2027, 3, "en", max_items=2)
    assert sum(len(t.x) for t in fig.data if t.meta["kind"] == "items") == 2
    assert next(t for t in fig.data if t.meta["kind"] == "more").text == ("+3",)


def test_timeline_has_every_item_and_renewals(demo):
    cal = schedule.expand(demo, "en")
    fig = charts.timeline_chart(cal, "en")
    items = [t for t in fig.data if t.meta["kind"] == "items"]
    assert sum(len(t.x) for t in items) == len(cal)
    renewal = next(t for t in fig.data if t.meta["kind"] == "renewal")
    assert len(renewal.x) == len(cal[["platform", "renewal_date"]].drop_duplicates())


def test_communication_chart_counts_every_item_channel(demo):
    long = schedule.communication_plan(demo, "vi")
    grid = schedule.communication_grid(demo, "vi")
    fig = charts.communication_chart(grid, "vi")
    cells = fig.data[0]
    assert cells.meta["kind"] == "communication"
    assert sum(cd[2] for cd in cells.customdata) == len(long)
    # channels down (horizontal names), months across
    assert cells.meta["months"] == list(grid.index)
    assert cells.meta["channels"] == list(grid.columns)
    assert len(cells.y) == len(grid.index) * len(grid.columns)
    assert list(fig.layout.xaxis.tickvals) == list(range(len(grid.index)))
    assert list(fig.layout.xaxis.ticktext[:2]) == ["thg 1<br>2027", "thg 2"]
    assert fig.layout.uniformtext.mode == "hide"  # text that does not fit is hidden
    assert cells.textangle == 0
    fig_long = charts.communication_chart(long, "vi")
    assert sum(cd[2] for cd in fig_long.data[0].customdata) == len(long)
    # each cell is centred on its month column and 0.96 wide
    assert [b + 0.48 for b in fig_long.data[0].base][:1] == [0]


def test_year_once():
    assert charts._year_once(["thg 12 2026", "thg 1 2027", "thg 2 2027", "x"]) == [
        "thg 12<br>2026",
        "thg 1<br>2027",
        "thg 2",
        "x",
    ]


def test_recommend_chart_splits_included(demo):
    rec = capacity.recommend(demo, "en")
    fig = charts.recommend_chart(rec, "en")
    inc = next(t for t in fig.data if t.meta["kind"] == "included")
    assert len(inc.y) == int(rec["included"].sum())
    assert sum(inc.x) == pytest.approx(rec.loc[rec["included"], "hours"].sum())


# --- helpers ------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(months=st.integers(1, 60))
def test_month_axis_never_crowds(months):
    start = dt.date(2027, 5, 1)
    df = pd.DataFrame(
        {
            "month": range(1, months + 1),
            "month_start": [
                dt.date(2027 + (4 + k) // 12, (4 + k) % 12 + 1, 1) for k in range(months)
            ],
        }
    )
    axis = charts._month_axis(df, "vi")
    assert 1 <= len(axis["tickvals"]) <= 12
    assert axis["tickvals"][0] == 1
    assert axis["ticktext"][0].endswith(str(start.year))
    assert not any("charts." in t for t in axis["ticktext"])


def test_wrap_and_short():
    # "Tại cửa hàng" is 12 characters: it fits; "/ ngoại tuyến" (13) does not
    assert charts._wrap("Tại cửa hàng / ngoại tuyến", 12) == "Tại cửa hàng<br>/ ngoại<br>tuyến"
    assert charts._short("Tin nhắn gửi hàng loạt", 10) == "Tin nhắn…"
    assert charts._short("abc", 10) == "abc"
    assert charts._pct_format([0.1, 0.5]) == ".0%"
    assert charts._pct_format([0.1, 0.101]) == ".2%"
    assert charts._pct_format([]) == ".0%"


def test_scenario_chart_keeps_the_band_readable_when_the_optimistic_line_soars():
    """An optimistic line far above the band (the scenarios are paths of the simulation
    now, so it stays inside; this is the chart's guard for frames built otherwise): the y
    axis is fitted to the band and the other scenarios, and an annotation gives the
    optimistic value, so nothing is hidden without being said."""
    from workshop import data, roi
    from workshop import plan as plan_module

    p = plan_module.load(data.demo_plan())
    scen, mc = roi.scenarios(p), roi.monte_carlo(p)
    opt = scen["scenario"] == "optimistic"
    scen.loc[opt, "cum_roi"] = scen.loc[opt, "cum_roi"] * 10 + 5  # soaring
    peak = scen[opt]["cum_roi"].max()
    for lang in ("vi", "en"):
        fig = charts.scenario_chart(scen, mc, lang)
        low, high = fig.layout.yaxis.range
        assert high < peak
        assert high >= mc["roi_p90"].max() and low <= scen["cum_roi"].min()
        texts = [a.text for a in fig.layout.annotations]
        assert any(i18n.fmt_percent(peak, lang, 0) in t for t in texts)
    # a plan whose scenarios stay close keeps plotly's automatic range
    tame = scen.assign(cum_roi=scen["cum_roi"].clip(upper=0.5))
    assert charts.scenario_chart(tame, mc, "en").layout.yaxis.range is None


def test_break_even_chance_never_falls_and_says_its_last_month(demo):
    share = roi.break_even_distribution(demo, paths=200)
    proj = roi.project(demo)
    for lang in LANGS:
        fig = charts.break_even_chance_chart(share, proj, lang)
        y = list(fig.data[0].y)
        assert y == pytest.approx(share.tolist()) and all(b >= a for a, b in zip(y, y[1:]))
        last = i18n.fmt_percent(share.iloc[-1], lang, digits=0)
        assert any(last in a.text and str(len(share)) in a.text for a in fig.layout.annotations)
        assert fig.layout.yaxis.range[0] == 0


def test_break_even_dots_stack_twenty_cases_and_keep_a_never_column(demo):
    share = roi.break_even_distribution(demo, paths=200)
    proj = roi.project(demo)
    dots = roi.break_even_dots(share)
    for lang in LANGS:
        fig = charts.break_even_dots_chart(share, proj, lang)
        xs, ys = list(fig.data[0].x), list(fig.data[0].y)
        assert len(xs) == 20
        never_x = len(share) + 2
        assert xs.count(never_x) == dots.count(None)
        # dots stack 1, 2, 3... over each month: no two dots share a place
        assert len(set(zip(xs, ys))) == 20
        assert fig.layout.xaxis.tickvals[-1] == never_x
        within = 20 - dots.count(None)
        assert any(f"{within} " in a.text for a in fig.layout.annotations)


def test_break_even_dots_for_a_plan_that_never_breaks_even():
    share = pd.Series([0.0] * 12, index=pd.Index(range(1, 13), name="month"))
    proj = pd.DataFrame({"month": range(1, 13)})
    fig = charts.break_even_dots_chart(share, proj, "vi")
    assert set(fig.data[0].x) == {14} and sorted(fig.data[0].y) == list(range(1, 21))
