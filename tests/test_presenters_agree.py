"""Every presenter says the same break-even month and ROI at the horizon, for every plan.

For each example plan (and one that does break even within its horizon, since the examples'
expected scenarios do not), in each language: the notebook's scenario table
(:func:`workshop.tables.scenarios_table`), the client report's summary cards
(``data-break-even-month``, ``data-roi-at-horizon`` and the words on the cards), the
report's own scenario table, ``workshop summary``'s output and the room's table are read as
a person or a script would read them, and must agree with each other and with the model.
"""

from __future__ import annotations

import html
import re

import pytest

from workshop import data, i18n, markup, roi, room, summary, tables
from workshop import plan as plan_mod
from workshop.report import sections
from workshop.results import Results

LANGS = ("vi", "en")


def _fast(plan: plan_mod.Plan, **roi_values) -> plan_mod.Plan:
    values = {"monte_carlo_paths": 100, **roi_values}
    return plan.model_copy(update={"roi": plan.roi.model_copy(update=values)})


def _plans() -> dict[str, plan_mod.Plan]:
    plans = {p.name: _fast(plan_mod.load(p)) for p in data.example_plans()}
    demo = plan_mod.load(data.demo_plan())
    pays = _fast(demo, average_order_value=150_000, gross_margin=0.6)  # breaks even in month 6
    plans["pays.yaml"] = pays.model_copy(
        update={"client": pays.client.model_copy(update={"id": "pays"})}
    )
    return plans


PLANS = _plans()


def _card(page: str, label: str) -> tuple[dict[str, str], str]:
    """The attributes and the value text of the summary card labelled `label`."""
    cards = re.findall(
        r'<div class="ws-card"([^>]*)><div class="ws-label">([^<]*)</div>'
        r'<div class="ws-value[^"]*">([^<]*)</div>',
        page,
    )
    for attrs, found, value in cards:
        if html.unescape(found) == label:
            return dict(re.findall(r'([\w-]+)="([^"]*)"', attrs)), html.unescape(value)
    raise AssertionError(f"no card {label!r}")


def _expected_row(table: tables.Table, lang: str) -> list[str]:
    label = i18n.label("scenario", "expected", lang)
    return next(row for row in table.values.tolist() if row[0] == label)


def _summary_row(text: str, lang: str, table: tables.Table) -> list[str]:
    """The expected scenario's row of the scenario table ``workshop summary`` printed."""
    header = "  ".join(table.columns)
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.split() == header.split())
    label = i18n.label("scenario", "expected", lang)
    line = next(line for line in lines[start + 1 : start + 4] if line.startswith(label))
    return re.split(r"\s{2,}", line.strip())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(PLANS))
def test_break_even_and_roi_agree_everywhere(name, lang):
    plan = PLANS[name]
    res = Results(plan, lang)
    s = roi.summary(plan)
    month_words = roi.break_even_text(plan, lang, result=s, with_month=False)
    roi_words = tables.fmt_pct(s.roi_at_horizon, lang)

    # the notebook's table (notebook 04 displays tables.scenarios_table)
    notebook = _expected_row(tables.scenarios_table(res), lang)
    assert notebook[1:3] == [month_words, roi_words]

    # the report's summary cards and its own scenario table
    page = "".join(p for p in sections.summary(res) if isinstance(p, str))
    attrs, value = _card(page, i18n.t("report.summary.card.break_even", lang))
    assert attrs["data-break-even-month"] == str(s.break_even_month or "")
    assert value == roi.break_even_text(plan, lang, projection=res.projection, result=s)
    if s.break_even_month:
        assert value.startswith(notebook[1])  # "month 4 (Apr 2027)" / "month 4"
    else:
        assert value == notebook[1]
    roi_label = i18n.t("report.summary.card.roi", lang, months=plan.horizon_months)
    attrs, value = _card(page, roi_label)
    assert float(attrs["data-roi-at-horizon"]) == pytest.approx(s.roi_at_horizon, abs=0)
    assert value == notebook[2] == tables.fmt_pct(float(attrs["data-roi-at-horizon"]), lang)
    section = "".join(p for p in sections.roi_section(res) if isinstance(p, str))
    cells = [markup.escape(c) for c in notebook[:3]]
    assert f'<tr><td>{cells[0]}</td><td>{cells[1]}</td><td class="num">{cells[2]}</td>' in section

    # workshop summary
    text = summary.render(plan, lang)
    printed = _summary_row(text, lang, tables.scenarios_table(res))
    assert printed[1:3] == notebook[1:3]


@pytest.mark.parametrize("lang", LANGS)
def test_the_room_agrees_with_the_other_presenters(tmp_path, lang):
    for name, plan in PLANS.items():
        (tmp_path / name).write_text(plan_mod.dumps(plan), encoding="utf-8")
    df = room.summarise(tmp_path, lang)
    shown = tables.room_table(df, lang)
    files = shown[i18n.t("room.col.file", lang)].tolist()
    assert sorted(files) == sorted(PLANS)
    for row, file in zip(shown.itertuples(index=False), files, strict=True):
        notebook = _expected_row(tables.scenarios_table(Results(PLANS[file], lang)), lang)
        assert [row[7], row[8]] == notebook[1:3], file


def test_the_plans_cover_both_outcomes():
    """At least one plan breaks even within its horizon and one does not (else half of the
    agreement above would go untested)."""
    months = [roi.summary(plan).break_even_month for plan in PLANS.values()]
    assert None in months and any(months)
