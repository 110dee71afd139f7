"""Escaping as a rule: every presenter shows a plan's text as text, never as markup.

Every table of :mod:`workshop.tables`, every report section of :mod:`workshop.report.sections`,
every chart builder of :mod:`workshop.charts` (fed by the models of the plan) and the room
view of :mod:`workshop.room` is rendered with each hostile text of ``tests/hostile.py`` in
every free-text field of a valid plan, and the room also with invalid plans whose bad values
(an id, a weekday, a platform, an unknown key...) are hostile, so that the problem messages
quote them. No live markup may come out (:func:`hostile.live_markup` on HTML,
:func:`hostile.live_markup_in_figure` on figures), and the hostile text must still be there
for the reader, as text. No kernel: everything runs in this process.
"""

from __future__ import annotations

import datetime as dt
import html
import inspect
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
import yaml
from hostile import HOSTILE_TEXTS, hostile_plan, live_markup, live_markup_in_figure

from workshop import capacity, charts, i18n, markup, platforms, roi, room, schedule, tables
from workshop import plan as plan_mod
from workshop.markup import Markup
from workshop.report import sections
from workshop.results import Results

LANGS = ("vi", "en")
ROOT = Path(__file__).resolve().parents[1]
TEXT_IDS = [f"h{i}" for i in range(len(HOSTILE_TEXTS))]


def _fast(raw: dict) -> dict:
    """Fewer Monte Carlo paths: the escaping does not depend on them."""
    return {**raw, "roi": {**raw.get("roi", {}), "monte_carlo_paths": 100}}


def _plan(text: str, lang: str) -> plan_mod.Plan:
    return plan_mod.validate(_fast(hostile_plan(text, lang)))


# --- the tables, the report sections, the charts: one list each, checked complete ---------

TABLES = {  # every table of workshop.tables that shows a plan's results
    "groups_table": tables.groups_table,
    "fit_table": tables.fit_table,
    "factors_table": tables.factors_table,
    "chosen_table": tables.chosen_table,
    "hours_table": tables.hours_table,
    "skills_table": tables.skills_table,
    "recommend_table": tables.recommend_table,
    "communication_table": tables.communication_table,
    "rules_table": tables.rules_table,
    "calendar_table": tables.calendar_table,
    "renewals_table": tables.renewals_table,
    "skipped_table": tables.skipped_table,
    "assumptions_table": tables.assumptions_table,
    "scenarios_table": tables.scenarios_table,
    "delivery_table": tables.delivery_table,
    "plan_table": tables.plan_table,
    "run_information": lambda r: tables.run_information(r, f"/home/an/{r.plan.client.name}"),
    "parameters_table": lambda r: tables.parameters_table(r, f"/home/an/{r.plan.client.name}"),
    "data_dates_table": tables.data_dates_table,
}
ROOM_TABLES = {"room_table", "problems_table"}  # the room's: tested with the room below

REPORT_SECTIONS = {
    "title_page": sections.title_page,
    "summary": sections.summary,
    "platforms_section": sections.platforms_section,
    "capacity_section": sections.capacity_section,
    "schedule_section": sections.schedule_section,
    "roi_section": sections.roi_section,
    "assumptions_section": sections.assumptions_section,
    "run_info": lambda r: sections.run_info(r, plan_path=f"/home/an/{r.plan.client.name}.yaml"),
}


def chart_figures(p: plan_mod.Plan, lang: str, validated: bool = True) -> dict[str, list]:
    """Every builder's figure for plan `p`, fed by the plan's models, as a
    :class:`charts.Figure` (what the report and the widgets show) and, when `validated`,
    as a ``go.Figure`` too (the same data, tests/test_charts.py checks; slower)."""
    cal = schedule.expand(p, lang)
    skipped = schedule.skipped(p, lang)
    proj = roi.project(p)
    summ = roi.summary(p, proj)
    sens = roi.sensitivity(p, lang)
    calls = {
        "groups_chart": [(platforms.classify(lang), lang)],
        "asset_fit_chart": [(platforms.asset_fit(p, lang), lang)],
        "capacity_chart": [(capacity.hours_needed(p), capacity.assess(p, lang), lang)],
        "recommend_chart": [(capacity.recommend(p, lang), lang)],
        "communication_chart": [
            (schedule.communication_grid(p, lang), lang),
            (schedule.communication_plan(p, lang), lang),
        ],
        "calendar_month_chart": [
            (cal, p.start.year, p.start.month, lang, True, skipped),
            (cal, p.start.year, p.start.month + 1, lang, False, skipped, 1),
        ],
        "timeline_chart": [(cal, lang, True, schedule.renewal_dates(p, lang)), (cal, lang)],
        "audience_chart": [(proj, lang)],
        "funnel_chart": [(proj, lang)],
        "revenue_cost_chart": [(proj, lang, p.currency, True)],
        "roi_chart": [(proj, summ, lang)],
        "scenario_chart": [(roi.scenarios(p), roi.monte_carlo(p, paths=100), lang)],
        "break_even_chance_chart": [(roi.break_even_distribution(p, paths=100), proj, lang)],
        "break_even_dots_chart": [(roi.break_even_distribution(p, paths=100), proj, lang)],
        "tornado_chart": [
            (sens, lang, summ.roi_at_horizon, p.currency),
            (sens, lang),
        ],
    }
    out = {}
    for name, arg_lists in calls.items():
        builder = getattr(charts, name)
        out[name] = [builder(*args) for args in arg_lists]
        if validated:
            out[name] += [fig.to_plotly() for fig in out[name]]
    return out


def test_every_presenter_is_in_the_lists():
    """A new table, section or builder must join the lists above (and so this test)."""
    found = {
        name
        for name, fn in inspect.getmembers(tables, inspect.isfunction)
        if fn.__module__.startswith(tables.__name__)
        and (name.endswith("_table") or name == "run_information")
    }
    assert found == set(TABLES) | ROOM_TABLES
    assert set(REPORT_SECTIONS) == {*sections.SECTIONS, "run_info"}
    p = plan_mod.validate(_fast(hostile_plan("x")))
    assert sorted(chart_figures(p, "en")) == sorted(charts.BUILDERS)


# --- markup.py ----------------------------------------------------------------------------


def test_the_issue_check_prints_zero():
    """issue 8: ``views.table(df)._repr_html_()`` carried ``<img src=x onerror=...>`` live."""
    shown = tables.table(pd.DataFrame({"a": ["<img src=x onerror=alert(1)>"]}))._repr_html_()
    assert shown.count("img src=x") == 0
    assert markup.escape("<img src=x onerror=alert(1)>") in shown


def test_escape_and_markup():
    assert markup.escape("<a href='x'>&\"") == "&lt;a href&#61;&#x27;x&#x27;&gt;&amp;&quot;"
    assert html.unescape(markup.escape(HOSTILE_TEXTS[0])) == HOSTILE_TEXTS[0]
    assert isinstance(markup.escape("x"), Markup)
    trusted = Markup("<b>")
    assert markup.escape(trusted) is trusted
    assert markup.escape(None) == "" and markup.escape(float("nan"), "—") == "—"
    assert markup.escape(pd.NA) == ""
    # combining keeps the trusted part and escapes the rest, whichever side it is on
    assert trusted + "<i>" == "<b>&lt;i&gt;" and isinstance(trusted + "<i>", Markup)
    assert "<i>" + trusted == "&lt;i&gt;<b>" and isinstance("<i>" + trusted, Markup)
    assert Markup("<br>").join(["<x>", Markup("<y>")]) == "&lt;x&gt;<br><y>"
    assert Markup("<p>{0}</p>{name}").format("<s>", name="&") == "<p>&lt;s&gt;</p>&amp;"
    assert markup.text(float("nan"), "—") == "—" and markup.text(3) == "3"


def test_table_html_escapes_every_cell_and_header_unless_markup():
    df = pd.DataFrame({"<th>": ["<td>", Markup("<b>ok</b>")], "n": [1, None]})
    shown = markup.table_html(df)
    assert "<b>ok</b>" in shown and "&lt;td&gt;" in shown and "&lt;th&gt;" in shown
    assert "<td>" not in shown and "<th>" not in shown.replace("<th ", "")
    assert ">None<" not in shown and ">nan<" not in shown
    assert "two<br>lines" in markup.table_html(pd.DataFrame({"a": ["two\nlines"]}))
    rows = markup.rows_html([["<x>", 1], "<group>"], ["a", "b"], caption="<c>")
    assert "&lt;x&gt;" in rows and "&lt;group&gt;" in rows and "&lt;c&gt;" in rows
    assert live_markup(rows) == []


def _plotly_decode(text: str) -> str:
    """What plotly.js shows for a label's text between tags: ``convertEntities`` of
    ``svg_text_utils`` (its entity map and pattern, read from the bundled plotly.js below)."""
    names = {"mu": "μ", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0", "times": "×"}
    names.update({"plusmn": "±", "deg": "°"})

    def one(m: re.Match) -> str:
        ref = m.group(1)
        if ref.startswith("#x"):
            return chr(int(ref[2:], 16))
        if ref.startswith("#"):
            return chr(int(ref[1:]))
        return names.get(ref, m.group(0))

    return re.sub(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);", one, text)


def test_plotly_js_decodes_what_plotly_text_escapes():
    """plotly.js (the copy plotly.py ships and JupyterLab's extension bundles) turns
    ``&amp; &lt; &gt;`` back into characters, so a reader sees the original text; it does
    not know ``&quot;``, which is why plotly_text leaves quotes alone."""
    import plotly

    js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(
        encoding="utf-8"
    )
    assert 'amp:"&",lt:"<",gt:">"' in js
    assert r"/&(#\d+|#x[\da-fA-F]+|[a-z]+);/g" in js
    assert "quot:" not in js.split('amp:"&",lt:"<",gt:">"')[1][:80]
    for text in HOSTILE_TEXTS + ("a & b", "&amp;", "3 < 4 > 2", 'it\'s "quoted"'):
        shown = markup.plotly_text(text)
        assert "<" not in shown and ">" not in shown
        assert _plotly_decode(shown) == text
    assert markup.plotly_text(Markup("<b>x</b>")) == "<b>x</b>"


def test_file_name_never_keeps_a_folder():
    assert markup.file_name("/home/an/plans/x.yaml") == "x.yaml"
    assert markup.file_name(Path("/srv/room/plans")) == "plans"
    assert markup.file_name("C:\\Users\\an\\plan.yaml") == "plan.yaml"
    assert markup.file_name("../../data/clients/") == "clients"
    assert markup.file_name("x.yaml") == "x.yaml"
    assert markup.file_name("", "—") == "—" and markup.file_name(None, "—") == "—"


def test_markup_is_made_only_where_named():
    """Every module that makes :class:`Markup` (or writes raw HTML through pandas' Styler or
    ``to_html``) is one of the places the markup module's docstring names."""
    named = set(re.findall(r"``(workshop/[\w/]+\.py)``", markup.__doc__))
    makers = set()
    for path in sorted((ROOT / "workshop").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        if re.search(r"\bMarkup\(", source):
            makers.add(rel)
        assert not re.search(r"\.style\.|\.to_html\(", source), rel  # pandas does not escape
        if rel.startswith("workshop/ui/"):  # the widgets escape through workshop.markup only
            assert not re.search(r"\bhtml\.escape\(|^import html\b", source, re.M), rel
    assert makers <= named, makers - named
    assert "workshop/markup.py" in makers


# --- every presenter with every hostile text ------------------------------------------------


@pytest.fixture(scope="module")
def hostile_plans():
    return {(t, lang): _plan(t, lang) for t in HOSTILE_TEXTS for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=TEXT_IDS)
def test_tables_show_hostile_text_as_text(hostile_plans, text, lang):
    res = Results(hostile_plans[(text, lang)], lang)
    seen = ""
    for name, build in TABLES.items():
        table = build(res)
        for shown in (table._repr_html_(), table.html(report=True)):
            assert live_markup(shown) == [], (name, live_markup(shown))
            seen += shown
    assert markup.escape(text) in seen  # the reader still sees the text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=TEXT_IDS)
def test_report_sections_show_hostile_text_as_text(hostile_plans, text, lang):
    res = Results(hostile_plans[(text, lang)], lang)
    seen = ""
    for name, section in REPORT_SECTIONS.items():
        for part in section(res):
            if isinstance(part, str):
                assert live_markup(part) == [], (name, live_markup(part))
                seen += part
            else:
                assert isinstance(part, charts.Figure), name
                shown = part.to_json_data()  # what the report shows (not validated)
                assert live_markup_in_figure(shown) == [], (name, live_markup_in_figure(shown))
    assert markup.escape(text) in seen


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=TEXT_IDS)
def test_charts_show_hostile_text_as_text(hostile_plans, text, lang):
    p = hostile_plans[(text, lang)]
    escaped = markup.plotly_text(text)
    found = False
    for name, figures in chart_figures(p, lang, validated=text == HOSTILE_TEXTS[0]).items():
        for fig in figures:
            if isinstance(fig, charts.Figure):
                fig = fig.to_json_data()  # what is shown (not validated)
            assert live_markup_in_figure(fig) == [], (name, live_markup_in_figure(fig))
            if isinstance(fig, go.Figure):
                fig.to_json()  # still a valid figure
            found = found or any(escaped in s for _, s in _figure_strings(fig))
    assert found  # the themes are in the calendar's hover texts


def _figure_strings(fig):
    from hostile import figure_strings

    return figure_strings(fig)


# --- the room, with valid and invalid hostile plans -----------------------------------------


def _invalid_plans(text: str) -> dict[str, object]:
    """Plans whose bad value is `text`, so that the problem message quotes it."""
    ok = hostile_plan("ok")
    slot = ok["editorial"]["rules"][0]["slots"][0]
    cases = {
        "client-id": {**ok, "client": {**ok["client"], "id": text}},
        "weekday": {
            **ok,
            "editorial": {
                "rules": [{"platform": "facebook", "slots": [{**slot, "weekday": text}]}]
            },
        },
        "slot-time": {
            **ok,
            "editorial": {"rules": [{"platform": "facebook", "slots": [{**slot, "time": text}]}]},
        },
        "platform": {**ok, "platforms": {"chosen": [text, "facebook"]}},
        "cadence-key": {**ok, "platforms": {"chosen": ["facebook"], "cadence_per_week": {text: 2}}},
        "channel": {
            **ok,
            "communication": {"items": [{"month": 1, "asset": "video", "channels": [text]}]},
        },
        "hours": {**ok, "team": {"hours_per_week": text}},
        "skill": {**ok, "team": {"skills": ["writing", text]}},
        "unknown-key": {**ok, text: 1},
        "start": {**ok, "start": text},
        "language": {**ok, "client": {**ok["client"], "language": text}},
        "not-a-mapping": [text],
    }
    return cases


def _room_folder(folder: Path, text: str, lang: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    safe_name = text.replace("/", "∕").replace("\0", "")  # a file name cannot hold "/"
    (folder / f"ok-{safe_name}.yaml").write_text(
        yaml.safe_dump(_fast(hostile_plan(text, lang)), allow_unicode=True), encoding="utf-8"
    )
    for case, raw in _invalid_plans(text).items():
        (folder / f"bad-{case}.yaml").write_text(
            yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8"
        )
    (folder / "bad-not-yaml.yaml").write_text(f"client: [{text}\n  : -", encoding="utf-8")
    return folder


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=TEXT_IDS)
def test_room_shows_hostile_names_and_problems_as_text(tmp_path, text, lang):
    folder = _room_folder(tmp_path / "plans", text, lang)
    df = room.summarise(folder, lang)
    assert df["valid"].sum() == 1 and (~df["valid"]).sum() == len(_invalid_plans(text)) + 1
    shown = tables.room_table(df, lang)._repr_html_()
    problems = tables.problems_table(df, lang)
    assert isinstance(problems, pd.DataFrame)
    problems_html = problems._repr_html_()
    for part in (shown, problems_html):
        assert live_markup(part) == [], live_markup(part)
    assert markup.escape(text) in shown  # the client's name, as text
    # the messages quote the hostile values, as text
    quoted = markup.escape(text)
    assert problems_html.count(quoted) >= 5, problems_html
    counts = room.counts_text(df, lang)
    assert live_markup(counts) == [] and "<" not in counts
    run = tables.run_information(None, str(folder), lang)._repr_html_()
    assert live_markup(run) == [] and str(tmp_path) not in run


# --- the run information shows a file name, never the machine's folders ----------------------


@pytest.mark.parametrize("lang", LANGS)
def test_run_information_shows_the_plan_file_name_only(lang):
    p = _plan("Quán Bà Tư", lang)
    for given, name in (
        ("/home/consultant/clients/secret/quan-ba-tu.yaml", "quan-ba-tu.yaml"),
        ("C:\\Users\\consultant\\quan-ba-tu.yaml", "quan-ba-tu.yaml"),
        (Path("/srv/room/plans"), "plans"),
        ("quan-ba-tu.yaml", "quan-ba-tu.yaml"),
    ):
        df = tables.run_information(Results(p, lang), given)
        row = df[df.iloc[:, 0] == i18n.t("view.run.plan", lang)].iloc[0]
        assert row.iloc[1] == name
        shown = df._repr_html_()
        assert "consultant" not in shown and "/srv" not in shown
        parts = sections.run_info(p, lang, str(given))
        page = "".join(x for x in parts if isinstance(x, str))
        assert html.escape(name) in page
        assert "consultant" not in page and "/srv" not in page and "C:" not in page


# --- odd but valid plans: every presenter, sensible words -----------------------------------

_BASE = {"client": {"id": "odd", "name": "Odd", "language": "vi"}, "start": "2027-01-01"}
ODD_PLANS = {
    "no-platform": {**_BASE, "platforms": {"chosen": []}},
    "zero-hours": {**_BASE, "team": {"hours_per_week": 0}, "platforms": {"chosen": ["facebook"]}},
    "empty-calendar": {
        **_BASE,
        "horizon_months": 1,
        "platforms": {"chosen": ["facebook"]},
        "editorial": {
            "rules": [
                {
                    "platform": "facebook",
                    "slots": [{"weekday": "mon", "content_type": "photo_post"}],
                }
            ],
            "blackout_dates": [dt.date(2027, 1, 1) + dt.timedelta(days=i) for i in range(31)],
        },
    },
}
NOT_WORDS = re.compile(r"(?<![\w.])(nan|NaN|None|<NA>|NaT|inf|null)(?![\w])")


def _visible(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", html_text))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", sorted(ODD_PLANS))
def test_odd_plans_go_through_every_presenter(tmp_path, case, lang):
    raw = {**ODD_PLANS[case], "client": {**_BASE["client"], "language": lang}}
    p = plan_mod.validate(_fast(raw))
    res = Results(p, lang)
    if case == "empty-calendar":
        assert len(schedule.expand(p, lang)) == 0
    for name, build in TABLES.items():
        df = build(res)
        text = _visible(df._repr_html_()) + repr(df) + df.to_text()
        assert not NOT_WORDS.search(text), (name, NOT_WORDS.search(text))
    for name, section in REPORT_SECTIONS.items():
        for part in section(res):
            if isinstance(part, str):
                if part.startswith('<pre class="ws-yaml">'):
                    continue  # the plan's own YAML may say null
                found = NOT_WORDS.search(_visible(part))
                assert not found, (name, found, _visible(part)[:300])
            else:
                part.to_json_data()
    for figures in chart_figures(p, lang).values():
        for fig in figures:
            if isinstance(fig, go.Figure):
                fig.to_json()
    folder = tmp_path / "room"
    folder.mkdir()
    (folder / f"{case}.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    df = room.summarise(folder, lang)
    assert df["valid"].all(), df["problems"].tolist()
    shown = _visible(tables.room_table(df, lang)._repr_html_())
    assert not NOT_WORDS.search(shown), shown
    assert tables.problems_table(df, lang) == i18n.t("room.all_valid", lang)


def test_tables_show_missing_values_as_a_dash_never_nan():
    """A missing value in a notebook table reads "—" (pandas' Styler wrote "nan", "None")."""
    df = tables.table(pd.DataFrame({"a": [None, float("nan"), "x"], "b": [pd.NA, 1, 2]}))
    shown = _visible(df._repr_html_())
    assert not NOT_WORDS.search(shown) and shown.count("—") == 3
    assert not NOT_WORDS.search(repr(df)) and repr(df).count("—") == 3
