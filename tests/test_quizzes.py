"""Self-check quizzes and facilitator notes: grading, texts in both languages, the widgets
in-kernel."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop import data, i18n, platforms, quizzes
from workshop import plan as plan_mod
from workshop.ui import quizzes as ui_quizzes
from workshop.ui import start as ui_start

LANGS = ("vi", "en")
WORKSHOP_NOTEBOOKS = ("00-start", "01-platforms", "02-capacity", "03-schedule", "04-roi")


def _plan(**changes) -> plan_mod.Plan:
    raw = {
        "client": {
            "id": "test-shop",
            "name": "Test shop",
            "language": "en",
            "market": "b2c",
            "audience": "general_consumers",
            "country": "VN",
        },
        "team": {"hours_per_week": 6, "skills": ["writing", "photography"]},
        "platforms": {"considered": ["facebook", "linkedin"], "chosen": ["facebook"]},
        "start": "2027-01-01",
    }
    for key, value in changes.items():
        raw[key] = {**raw.get(key, {}), **value}
    return plan_mod.validate(raw)


# --- the catalogue of checks ------------------------------------------------------------------


@pytest.mark.parametrize("notebook", WORKSHOP_NOTEBOOKS)
def test_at_least_two_checks_per_notebook(notebook):
    assert len(quizzes.checks_for(notebook)) >= 2


def test_every_idea_c1_to_c12_is_checked_or_noted_somewhere():
    ideas = {idea for c in quizzes.CHECKS.values() for idea in c.ideas}
    # C10-C12 are checked; C1-C9 too. Every idea of the article has at least one self-check.
    assert ideas == {f"C{i}" for i in range(1, 13)}


@pytest.mark.parametrize("check", quizzes.CHECKS.values(), ids=lambda c: c.id)
def test_check_is_well_formed(check):
    assert check.correct in check.options
    assert len(set(check.options)) == len(check.options) >= 3
    assert check.notebook in quizzes.NOTEBOOKS
    assert all(re.fullmatch(r"C([1-9]|1[0-2])", idea) for idea in check.ideas)


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize("check", quizzes.CHECKS.values(), ids=lambda c: c.id)
def test_every_text_exists_and_explains(check, language):
    assert quizzes.question(check.id, language).strip()
    labels = [label for label, _ in quizzes.options(check.id, language)]
    assert len(set(labels)) == len(labels)
    feedbacks = []
    for key in check.options:
        correct, text = quizzes.feedback(check.id, key, language)
        assert correct == (key == check.correct)
        # the verdict word, then an explanation of a full sentence or more
        head = i18n.t("check.ui.correct" if correct else "check.ui.incorrect", language)
        assert text.startswith(head) and len(text) > len(head) + 50
        feedbacks.append(text)
    assert len(set(feedbacks)) == len(feedbacks)  # every option explained on its own
    assert len(quizzes.solution(check.id, language)) > 50
    if check.compute is not None:
        assert i18n.has(f"check.{check.id}.computed", language)


def test_grade_examples():
    assert quizzes.grade("schedule_renewal", "editorial") == (
        True,
        "check.schedule_renewal.feedback.editorial",
    )
    assert quizzes.grade("schedule_renewal", "communication") == (
        False,
        "check.schedule_renewal.feedback.communication",
    )
    assert quizzes.grade("schedule_renewal", None) == (False, "check.ui.no_answer")
    assert quizzes.grade("schedule_renewal", "") == (False, "check.ui.no_answer")
    with pytest.raises(ValueError, match="not an option"):
        quizzes.grade("schedule_renewal", "both")
    with pytest.raises(KeyError, match="unknown check"):
        quizzes.grade("no_such_check", "editorial")


@given(st.sampled_from(sorted(quizzes.CHECKS)), st.data())
def test_grade_is_correct_exactly_for_the_correct_option(check_id, draw):
    check = quizzes.CHECKS[check_id]
    answer = draw.draw(st.sampled_from(check.options))
    correct, key = quizzes.grade(check_id, answer)
    assert correct is (answer == check.correct)
    assert key == f"check.{check_id}.feedback.{answer}"


@given(st.text(max_size=20).filter(lambda s: s not in ("",)))
def test_grade_refuses_anything_but_an_option(answer):
    check = quizzes.CHECKS["roi_no_ads"]
    if answer in check.options:
        assert quizzes.grade(check.id, answer)[0] is (answer == check.correct)
    else:
        with pytest.raises(ValueError):
            quizzes.grade(check.id, answer)


# --- the answers agree with the data and the models ------------------------------------------


def test_youtube_and_tiktok_answers_follow_the_platform_data():
    df = data.load_platforms()
    assert quizzes.CHECKS["platforms_youtube_group"].correct == df.loc["youtube", "article_group"]
    assert quizzes.CHECKS["platforms_tiktok_today"].correct == df.loc["tiktok", "profile_model"]
    # and the article's view of TikTok is the third group the question quotes
    assert df.loc["tiktok", "article_group"] == "no_company_profile"


def test_consumer_only_answer_follows_the_fit_model():
    # a platform with no company profile is never decisive, whatever its score (C3)
    assert platforms.verdict_for(100.0, "no_company_profile") == "not_decisive"
    assert quizzes.CHECKS["platforms_consumer_asset"].correct == "useful_not_decisive"


def test_fifth_page_computed_by_hand():
    """Plan: Facebook chosen (no cadence, no editorial rule), LinkedIn considered, 6 h.

    By the capacity model's formula, hours of a platform = posts_per_week (platforms.csv)
    × typical hours of its first main format (effort.csv) + community_hours_per_week.
    """
    plan = _plan()
    cat = pd.read_csv(data.path("platforms.csv"), keep_default_na=False).set_index("id")
    effort = pd.read_csv(data.path("effort.csv"), keep_default_na=False).set_index("content_type")

    def hours(pid):
        row = cat.loc[pid]
        first_format = row["main_formats"].split(";")[0]
        return float(row["posts_per_week"]) * float(
            effort.loc[first_format, "typical_hours"]
        ) + float(row["community_hours_per_week"])

    fb, li = hours("facebook"), hours("linkedin")
    values = quizzes.CHECKS["capacity_fifth_page"].compute(plan, "en")
    assert values["platform"] == "LinkedIn"
    assert values["extra"] == i18n.fmt_number(
        round(li, 1), "en", 0 if round(li, 1) == int(round(li, 1)) else 1
    )
    assert float(values["after"]) == pytest.approx(round(fb + li, 1))
    assert values["available"] == "6"
    assert values["pages"] == "2"
    short = i18n.t(
        "check.capacity_fifth_page.computed.short", "en", short=quizzes._h(fb + li - 6, "en")
    )
    assert values["verdict"] == (
        short if fb + li > 6 else i18n.t("check.capacity_fifth_page.computed.fits", "en")
    )
    text = quizzes.solution("capacity_fifth_page", "en", plan)
    assert "LinkedIn" in text and text.startswith(
        i18n.t("check.capacity_fifth_page.solution", "en")
    )


def test_fifth_page_without_candidate_keeps_the_general_solution():
    plan = _plan(platforms={"considered": ["facebook"], "chosen": ["facebook"]})
    assert quizzes.solution("capacity_fifth_page", "vi", plan) == i18n.t(
        "check.capacity_fifth_page.solution", "vi"
    )


def test_break_even_computed_uses_the_roi_summary(monkeypatch):
    from workshop import roi

    fake = roi.Summary(
        break_even_month=10,
        roi_at_horizon=0.25,
        total_cost=1.0,
        total_gross_profit=1.25,
        followers_end=0.0,
        leads_total=0.0,
        customers_total=0.0,
        cost_is_zero=False,
    )
    monkeypatch.setattr(roi, "summary", lambda plan, projection=None: fake)
    text = quizzes.solution("roi_keep_going", "en", _plan())
    assert text.endswith(
        "For your plan: the projection breaks even in month 10; "
        "cumulative ROI after 12 months: 25%."
    )
    never = roi.Summary(**{**fake.as_dict(), "break_even_month": None, "roi_at_horizon": -0.5})
    monkeypatch.setattr(roi, "summary", lambda plan, projection=None: never)
    assert "không hòa vốn" not in quizzes.solution("roi_keep_going", "vi", _plan())
    assert "chưa hòa vốn trong 12 tháng" in quizzes.solution("roi_keep_going", "vi", _plan())


def test_video_gap_names_missing_skills():
    plan = _plan(
        platforms={"considered": ["facebook", "youtube"], "chosen": ["facebook", "youtube"]}
    )
    values = quizzes.CHECKS["capacity_youtube_no_video"].compute(plan, "en")
    assert values["skills"] == "none"
    assert values["gaps"].startswith("YouTube: ") and "Long video" in values["gaps"]


# --- facilitator notes -----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGS)
def test_every_note_has_text_and_timing(language):
    for note in quizzes.NOTES.values():
        assert note.minutes > 0
        html = quizzes.note_html(note.id, language)
        assert i18n.t("note.ui.timing", language, minutes=note.minutes) in html
        assert "workshop-facilitator-note" in html
    assert "⏱ 15 min" in quizzes.note_html("capacity_recommend", "en")
    assert "⏱ 15 phút" in quizzes.note_html("capacity_recommend", "vi")


def test_every_workshop_notebook_has_notes_and_a_time():
    for nb in quizzes.NOTEBOOKS:
        assert quizzes.notes_for(nb)
    assert quizzes.minutes_for("02-capacity") == 10 + 10 + 15


def test_unknown_note_is_named():
    with pytest.raises(KeyError, match="no_such_note"):
        quizzes.note_html("no_such_note", "vi")


# --- the widgets, driven in Python ---------------------------------------------------------------


@pytest.mark.parametrize("language", LANGS)
def test_self_check_feedback_and_solution(language):
    w = ui_quizzes.self_check("schedule_renewal", language)
    assert quizzes.question("schedule_renewal", language) in w.header.value
    assert [key for _, key in w.radio.options] == list(quizzes.CHECKS["schedule_renewal"].options)
    w.check_button.click()  # nothing chosen yet
    assert i18n.t("check.ui.no_answer", language) in w.feedback.value
    w.radio.value = "communication"
    w.check_button.click()
    assert "workshop-check-incorrect" in w.feedback.value
    assert i18n.t("check.ui.incorrect", language) in w.feedback.value
    w.radio.value = "editorial"
    w.check_button.click()
    assert "workshop-check-correct" in w.feedback.value
    assert w.solution.layout.display == "none"
    w.solution_toggle.value = True
    assert w.solution.layout.display == ""
    assert w.solution_toggle.description == i18n.t("check.ui.hide_solution", language)
    import html as html_mod

    assert html_mod.escape(i18n.t("check.schedule_renewal.solution", language)) in w.solution.value
    w.solution_toggle.value = False
    assert w.solution.layout.display == "none"


def test_self_check_solution_follows_the_session_plan():
    class FakeSession:
        plan = _plan()

    session = FakeSession()
    w = ui_quizzes.self_check("capacity_fifth_page", "en", session)
    w.solution_toggle.value = True
    assert "LinkedIn" in w.solution.value and "6 h" in w.solution.value
    # the participant changes the plan: the next reveal uses the new one
    session.plan = _plan(team={"hours_per_week": 40})
    w.solution_toggle.value = False
    w.solution_toggle.value = True
    assert "40 h" in w.solution.value


def test_self_check_errors_are_inline():
    w = ui_quizzes.self_check("no_such_check", "en")
    assert "workshop-error" in w.value and "no_such_check" in w.value


@pytest.mark.parametrize("language", LANGS)
def test_facilitator_note_shows_only_in_facilitator_mode(language, monkeypatch):
    shown = []
    monkeypatch.setattr(ui_quizzes, "display", lambda obj: shown.append(obj))
    assert ui_quizzes.facilitator_note("capacity_hours", language, False) is None
    assert shown == []
    assert ui_quizzes.facilitator_note("capacity_hours", language, True) is None
    assert len(shown) == 1
    import html as html_mod

    html = shown[0].data
    assert html_mod.escape(quizzes.note_text("capacity_hours", language)) in html
    assert i18n.t("note.ui.timing", language, minutes=10) in html


def test_start_panel_creates_once_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    w = ui_start.start_panel("vi")
    w.create_button.click()
    assert "workshop-error" in w.message.value and not (tmp_path / "plans").exists()
    w.name.value = "Tiệm bánh Cô Lan"
    w.example.value = "demo-cafe"
    w.create_button.click()
    path = tmp_path / "plans" / "tiem-banh-co-lan.yaml"
    saved = plan_mod.load(path)
    assert saved.client.name == "Tiệm bánh Cô Lan" and saved.client.id == "tiem-banh-co-lan"
    assert saved.platforms.chosen == plan_mod.load(data.demo_plan()).platforms.chosen
    before = path.read_bytes()
    w.example.value = ""
    w.create_button.click()  # same name again: a new file, the first one not overwritten
    assert path.read_bytes() == before
    assert "plans/tiem-banh-co-lan.yaml" in w.message.value
    assert "plans/tiem-banh-co-lan-2.yaml" in w.message.value
    assert plan_mod.load(tmp_path / "plans" / "tiem-banh-co-lan-2.yaml").platforms.chosen == []
