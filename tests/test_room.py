"""The facilitator's room view, the participant's own plan file, and the notebook tables
(:mod:`workshop.tables`)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from workshop import data, i18n, quizzes, roi, room, start, tables
from workshop import plan as plan_mod
from workshop.results import Results

LANGS = ("vi", "en")


def _write(path, raw):
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def _one_page_plan(hours: float) -> dict:
    return {
        "client": {"id": "one-page", "name": "One page", "language": "en"},
        "team": {"hours_per_week": hours, "skills": ["writing"]},
        "platforms": {
            "considered": ["facebook"],
            "chosen": ["facebook"],
            "cadence_per_week": {"facebook": 2},
        },
        "start": "2027-01-01",
    }


def _facebook_hours_by_hand(posts: float) -> float:
    """posts × typical hours of Facebook's first main format + its community hours."""
    cat = pd.read_csv(data.path("platforms.csv"), keep_default_na=False).set_index("id")
    effort = pd.read_csv(data.path("effort.csv"), keep_default_na=False).set_index("content_type")
    first = cat.loc["facebook", "main_formats"].split(";")[0]
    return posts * float(effort.loc[first, "typical_hours"]) + float(
        cat.loc["facebook", "community_hours_per_week"]
    )


@pytest.fixture
def room_dir(tmp_path):
    for path in data.example_plans():
        shutil.copy(path, tmp_path / path.name)
    _write(
        tmp_path / "zz-broken.yaml",
        {"client": {"language": "en"}, "team": {"hours_per_week": -3, "skillz": []}},
    )
    (tmp_path / "notes.txt").write_text("not a plan")
    (tmp_path / ".hidden.yaml").write_text("client: {}")
    return tmp_path


def test_summarise_lists_every_plan_and_never_crashes(room_dir):
    df = room.summarise(room_dir, "en")
    assert list(df.columns) == room.COLUMNS
    names = [p.name for p in data.example_plans()] + ["zz-broken.yaml"]
    assert df["file"].tolist() == names
    good = df[df["valid"]]
    assert len(good) == len(data.example_plans())
    assert set(good["verdict"]) <= {"fits", "tight", "over"}
    assert (good["pages"] > 0).all() and (good["hours_needed"] > 0).all()
    broken = df[df["file"] == "zz-broken.yaml"].iloc[0]
    assert not broken["valid"] and broken["client"] == ""
    assert "team.hours_per_week" in broken["problems"] and "team.skillz" in broken["problems"]
    assert str(df["break_even_month"].dtype) == "Int64"


def test_summarise_worked_example(tmp_path):
    """One page, Facebook, 2 posts a week: hours by hand; verdict by the 85 % / 100 % rule."""
    needed = _facebook_hours_by_hand(2)
    _write(tmp_path / "a.yaml", _one_page_plan(hours=needed / 0.5))  # 50 % used: fits
    _write(tmp_path / "b.yaml", _one_page_plan(hours=needed / 0.95))  # 95 %: tight
    _write(tmp_path / "c.yaml", _one_page_plan(hours=needed / 2))  # 200 %: over
    df = room.summarise(tmp_path, "vi")
    assert df["hours_needed"].tolist() == pytest.approx([needed] * 3)
    assert df["verdict"].tolist() == ["fits", "tight", "over"]
    assert df["verdict_label"].tolist() == [
        i18n.t(f"capacity.verdict_label.{v}", "vi") for v in ("fits", "tight", "over")
    ]
    assert df["platforms"].tolist() == ["Facebook"] * 3
    assert room.counts(df) == {
        "total": 3,
        "valid": 3,
        "invalid": 0,
        "fits": 1,
        "tight": 1,
        "over": 1,
    }
    assert room.counts_text(df, "en") == i18n.t(
        "room.counts", "en", total=3, valid=3, invalid=0, fits=1, tight=1, over=1
    )


def test_empty_or_missing_folder(tmp_path):
    for folder in (tmp_path, tmp_path / "missing"):
        df = room.summarise(folder, "vi")
        assert df.empty and list(df.columns) == room.COLUMNS
        assert room.counts_text(df, "vi") == i18n.t("room.empty", "vi")
        assert tables.room_table(df, "vi").empty


@pytest.mark.parametrize("language", LANGS)
def test_display_and_problem_tables_are_translated(room_dir, language):
    df = room.summarise(room_dir, language)
    shown = tables.room_table(df, language)
    assert list(shown.columns) == [i18n.t(f"room.col.{c}", language) for c in tables.ROOM_COLUMNS]
    broken = shown[shown[i18n.t("room.col.file", language)] == "zz-broken.yaml"].iloc[0]
    assert broken[i18n.t("room.col.client", language)] == i18n.t("room.invalid", language)
    assert broken[i18n.t("room.col.break_even_month", language)] == "—"
    problems = tables.problems_table(df, language)
    assert isinstance(problems, pd.DataFrame) and len(problems) >= 2
    assert set(problems[i18n.t("room.col.file", language)]) == {"zz-broken.yaml"}
    valid_only = df[df["valid"]]
    assert tables.problems_table(valid_only, language) == i18n.t("room.all_valid", language)


def test_break_even_is_said_in_words_as_everywhere_else(tmp_path):
    """The room says the break-even month as the report and the notebooks do
    (:func:`workshop.roi.break_even_text`): "month 2", "not within 12 months"."""
    pays = _one_page_plan(10)
    pays["client"] = {**pays["client"], "id": "pays"}
    pays["roi"] = {"average_order_value": 5_000_000, "gross_margin": 0.9}
    _write(tmp_path / "a-never.yaml", _one_page_plan(10))
    _write(tmp_path / "b-pays.yaml", pays)
    df = room.summarise(tmp_path, "en")
    never, paid = (plan_mod.validate(raw) for raw in (_one_page_plan(10), pays))
    assert pd.isna(df["break_even_month"].iloc[0]) and df["break_even_month"].iloc[1] >= 1
    shown = tables.room_table(df, "en")
    assert shown["Break-even month"].tolist() == [
        i18n.t("report.roi.no_break_even", "en", months=12),
        i18n.t("report.roi.month_n", "en", month=int(df["break_even_month"].iloc[1])),
    ]
    for plan, cell in zip((never, paid), shown["Break-even month"]):
        assert cell == roi.break_even_text(plan, "en", with_month=False)
        assert cell == tables.scenarios_table(Results(plan, "en")).iloc[1, 1]  # expected row
    roi_cells = [tables.fmt_pct(r, "en") for r in df["roi_at_horizon"]]
    assert shown["ROI at horizon"].tolist() == roi_cells
    assert shown["Hours needed / week"].tolist() == [
        tables.fmt_hours(h, "en") for h in df["hours_needed"]
    ]


# --- a participant's own plan file -------------------------------------------------------------


@pytest.mark.parametrize(
    "name,slug",
    [
        ("Cà phê Đà Lạt!", "ca-phe-da-lat"),
        ("  Gốm Bát Tràng  ", "gom-bat-trang"),
        ("Lan's Bakery & Co.", "lan-s-bakery-co"),
        ("!!!", "my-business"),
        ("", "my-business"),
    ],
)
def test_slugify_examples(name, slug):
    assert start.slugify(name) == slug


@given(st.text(max_size=200))
def test_slugify_always_gives_a_safe_id(name):
    assert plan_mod.slug_ok(start.slugify(name))


def test_participant_path_refuses_unsafe_ids():
    assert start.participant_path("my-shop").as_posix() == "plans/my-shop.yaml"
    with pytest.raises(ValueError):
        start.participant_path("../escape")


def test_copy_example_keeps_the_file_and_refuses_to_overwrite(tmp_path):
    dest = tmp_path / "plans" / "mine.yaml"
    assert start.copy_example("demo-cafe", dest) == dest
    assert dest.read_bytes() == data.demo_plan().read_bytes()
    dest.write_text("# my edits\n" + dest.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(FileExistsError):
        start.copy_example("demo-cafe", dest, "en")
    assert dest.read_text(encoding="utf-8").startswith("# my edits")
    with pytest.raises(KeyError, match="demo-cafe"):
        start.copy_example("no-such-example", tmp_path / "x.yaml", "en")


@pytest.mark.parametrize("language,currency", [("vi", "VND"), ("en", "EUR")])
def test_new_plan_file_is_valid_with_defaults(tmp_path, language, currency):
    path = start.new_plan_file(tmp_path / "p.yaml", language, "Quán Bà Tư")
    p = plan_mod.load(path)
    assert (p.client.name, p.client.id, p.language, p.currency) == (
        "Quán Bà Tư",
        "quan-ba-tu",
        language,
        currency,
    )
    assert p.team == plan_mod.Team()
    blank = plan_mod.load(start.new_plan_file(tmp_path / "q.yaml", language))
    assert blank.client.name == i18n.t("start.default_client_name", language)


def test_create_or_load_never_overwrites(tmp_path):
    dest = tmp_path / "plans" / "shop.yaml"
    assert start.create_or_load(dest, "", "en", "Shop") == (dest, "start.created")
    before = dest.read_bytes()
    assert start.create_or_load(dest, "demo-cafe", "en", "Shop") == (dest, "start.kept")
    assert dest.read_bytes() == before
    other = tmp_path / "plans" / "copy.yaml"
    assert start.create_or_load(other, "nordic-saas", "en", "") == (other, "start.copied")


def test_examples_table_headers(tmp_path):
    for language in LANGS:
        df = start.examples_table(language)
        assert list(df.columns) == [
            i18n.t(f"start.col.{c}", language)
            for c in ("name", "client", "sector", "language", "platforms")
        ]
        assert len(df) == len(data.example_plans())


def test_setup_notebook_sets_the_renderer(monkeypatch):
    import plotly.io as pio

    monkeypatch.delenv("PLOTLY_RENDERER", raising=False)
    before = pio.renderers.default
    try:
        start.setup_notebook()
        assert pio.renderers.default == "plotly_mimetype+notebook"
    finally:
        pio.renderers.default = before


# --- the notebook tables ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGS)
def test_every_table_has_translated_headers(language):
    res = Results(plan_mod.load(data.demo_plan()), language)
    shown = [
        tables.groups_table(res),
        tables.fit_table(res),
        tables.factors_table(res),
        tables.chosen_table(res),
        tables.hours_table(res),
        tables.skills_table(res),
        tables.recommend_table(res),
        tables.communication_table(res),
        tables.rules_table(res),
        tables.calendar_table(res),
        tables.calendar_table(res, month=res.first_month),
        tables.renewals_table(res),
        tables.skipped_table(res),
        tables.assumptions_table(res),
        tables.scenarios_table(res),
        tables.plan_table(res),
        tables.run_information(res, "x.yaml"),
        tables.parameters_table(res, "x.yaml"),
        tables.data_dates_table(res),
    ]
    months = res.plan.horizon_months
    headers = set(
        i18n.t(k, language, months=months)
        for k in i18n.catalogue(language)
        if k.startswith("view.col.")
    )
    for df in shown:
        assert set(df.columns) <= headers, df.columns
        assert len(df)


def test_hours_table_total_by_hand():
    res = Results(plan_mod.validate(_one_page_plan(hours=10)), "en")
    df = tables.hours_table(res)
    assert df.iloc[-1]["Platform"] == "Total"
    expected = round(_facebook_hours_by_hand(2), 1)
    assert float(df.iloc[-1]["Hours / week"]) == pytest.approx(expected)
    assert float(df.iloc[0]["Hours / week"]) == pytest.approx(expected)
    assert df.ids["Hours / week"] == "hours_week" and "hours_week" in df.numeric


def test_personal_profile_text():
    p = plan_mod.validate(
        {
            **_one_page_plan(6),
            "platforms": {
                "considered": ["facebook"],
                "chosen": ["facebook"],
                "personal_profile_as_company": ["facebook"],
            },
        }
    )
    assert tables.personal_profile_text(Results(p, "en")).startswith("⚠ ")
    plain = Results(plan_mod.validate(_one_page_plan(6)), "vi")
    assert tables.personal_profile_text(plain) == i18n.t("view.no_personal_profile", "vi")


def test_my_catalogue_files_have_the_same_keys_in_both_languages():
    from pathlib import Path

    folder = Path(i18n.__file__).with_name("locales")
    for name in ("checks.yaml", "notes.yaml"):
        vi = yaml.safe_load((folder / "vi" / name).read_text(encoding="utf-8"))
        en = yaml.safe_load((folder / "en" / name).read_text(encoding="utf-8"))
        assert set(vi) == set(en), set(vi) ^ set(en)
        # the same placeholders in both languages
        for key in vi:
            fields = lambda s: set(__import__("re").findall(r"{(\w+)}", str(s)))  # noqa: E731
            assert fields(vi[key]) == fields(en[key]), key
    for note in quizzes.NOTES:
        assert f"note.{note}.text" in vi


# --- the problems table: one row per problem, readable, in the room's language ----------------


def _bad_plan(language: str) -> dict:
    """An invalid plan written in `language`: a weekday holding "; " and a line break in a
    number field, so that a message holds "; " (the old table split it) and a repr escape."""
    return {
        "client": {"id": "bad-one", "name": "Bad", "language": language},
        "team": {"hours_per_week": "it's\nten"},
        "editorial": {
            "rules": [
                {
                    "platform": "facebook",
                    "slots": [{"weekday": "mon; tue", "content_type": "story"}],
                }
            ]
        },
        "platforms": {"chosen": ["facebok"]},
    }


@pytest.mark.parametrize("language", LANGS)
def test_problems_table_one_row_per_problem_readable_in_the_room_language(tmp_path, language):
    other = "en" if language == "vi" else "vi"
    _write(tmp_path / "bad.yaml", _bad_plan(other))  # written in the other language
    df = room.summarise(tmp_path, language)
    problems = tables.problems_table(df, language)
    cols = [i18n.t(f"room.col.{c}", language) for c in ("file", "field", "problem")]
    assert list(problems.columns) == cols
    fields = problems[cols[1]].tolist()
    assert sorted(fields) == sorted(
        ["team.hours_per_week", "editorial.rules.0.slots.0.weekday", "platforms.chosen.0"]
    )  # three problems, three rows: "mon; tue" does not split its message
    by_field = dict(zip(fields, problems[cols[2]]))
    weekday = by_field["editorial.rules.0.slots.0.weekday"]
    assert weekday.startswith("“mon; tue”")  # in quotes, not Python's 'mon; tue'
    assert "'mon; tue'" not in weekday
    # the allowed ids with their names in the room's language
    assert f"mon ({i18n.weekday_name('mon', language)})" in weekday
    hours = by_field["team.hours_per_week"]
    assert "“it's↵ten”" in hours and "\\n" not in hours and "\"it's" not in hours
    # the room's language, not the plan's: the message is the room's catalogue text
    expected = i18n.t("plan.error.float_parsing", language, value="“it's↵ten”")
    assert hours == expected
    assert not any("'facebok'" in m for m in problems[cols[2]])
    # the room table: the same problems, one line each
    shown = tables.room_table(df, language)
    cell = shown[i18n.t("room.col.problems", language)].iloc[0]
    assert len(cell.split("\n")) == 3
    assert cell.count("<br>") == 0 and shown._repr_html_().count("<br>") == 2


def test_problems_of_a_whole_file_are_named_in_words(tmp_path):
    (tmp_path / "list.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("client: [\n", encoding="utf-8")
    problems = tables.problems_table(room.summarise(tmp_path, "vi"), "vi")
    assert (
        problems[i18n.t("room.col.field", "vi")].tolist() == [i18n.t("room.whole_plan", "vi")] * 2
    )


def test_readable_problem_examples():
    from workshop.errors import Problem

    raw = {"client": {"id": "Bad Id"}, "platforms": {"cadence_per_week": {"fb": 2}}}
    shown = room.readable(Problem("client.id", "'Bad Id' is wrong; 'x' stays"), raw, "en")
    assert shown == Problem("client.id", "“Bad Id” is wrong; 'x' stays")
    key = room.readable(Problem("platforms.cadence_per_week.fb", "'fb' is not allowed"), raw, "en")
    assert key.message == "“fb” is not allowed"
    assert room.shown_value("a\x00b\r\n" + "x" * 100).startswith("“a�b↵↵x")
    assert len(room.shown_value("x" * 100)) == 62  # 60 characters and the two quotes
    # a list of one id is not a list of allowed values: left alone
    assert room.readable(Problem("platforms.chosen.0", "'facebook' twice"), {}, "vi").message == (
        "'facebook' twice"
    )
