"""Self-check quizzes and facilitator notes: the data and the grading, without any widget.

**Self-checks.** Each notebook (00-04) asks at least two questions about a strategy
decision of the article (C1-C12). A :class:`Check` names its notebook, the ideas it tests,
its answer options (keys), and the correct key. Every visible text lives in the catalogue
(``workshop/locales/<lang>/checks.yaml``)::

    check.<id>.question             the question
    check.<id>.option.<key>         the text of one option
    check.<id>.feedback.<key>       why that option is right or wrong (it *explains*)
    check.<id>.solution             the worked solution a student can reveal
    check.<id>.computed             (some checks) the same reasoning with the plan's numbers

:func:`grade` returns ``(correct, feedback_key)``; the widget in ``workshop.ui.quizzes``
only shows the texts. Some checks carry a ``compute`` function that fills
``check.<id>.computed`` from the models for the current plan (e.g. the weekly hours a
fifth page would add, from :func:`workshop.capacity.platform_hours`).

**Facilitator notes.** :data:`NOTES` lists the notes per notebook section with their
timing in minutes; the text is ``note.<id>.text`` in ``locales/<lang>/notes.yaml``.
:func:`note_html` renders one as a small styled box (shown only in facilitator mode).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from workshop import capacity, i18n, markup, platforms, roi
from workshop.plan import Plan

NOTEBOOKS = (
    "00-start",
    "01-platforms",
    "02-capacity",
    "03-schedule",
    "04-roi",
    "05-facilitator-room",
)


# --- Computed parts: the plan's own numbers in a solution --------------------------------


def _h(value: float, language: str) -> str:
    """Hours for a sentence: whole numbers without decimals, else one decimal."""
    value = round(float(value), 1)
    return i18n.fmt_number(value, language, 0 if value == int(value) else 1)


def _fifth_page(plan: Plan, language: str) -> dict[str, str]:
    """Hours a further page would add to this plan (C6, C7).

    candidate = the best-fit considered platform not yet chosen (``asset_fit`` order);
    extra     = its typical weekly hours (``capacity.platform_hours``, hours per week);
    after     = hours needed by the chosen pages + extra;
    left      = team.hours_per_week − after (negative = hours short).
    """
    fit = platforms.asset_fit(plan, language)
    candidates = [pid for pid in fit.index if pid not in plan.platforms.chosen]
    if not candidates:
        raise LookupError("every considered platform is already chosen")
    pid = candidates[0]
    extra = float(capacity.platform_hours(plan, [pid])["total_hours"].iloc[0])
    needed = capacity.total_hours_needed(plan)
    available = float(plan.team.hours_per_week)
    after = needed + extra
    return {
        "platform": i18n.label("platform", pid, language),
        "extra": _h(extra, language),
        "needed": _h(needed, language),
        "after": _h(after, language),
        "available": _h(available, language),
        "pages": str(len(plan.platforms.chosen) + 1),
        "verdict": i18n.t(
            "check.capacity_fifth_page.computed." + ("fits" if after <= available else "short"),
            language,
            short=_h(after - available, language),
        ),
    }


def _video_gap(plan: Plan, language: str) -> dict[str, str]:
    """The team's video skills, and the chosen platforms whose required skills it lacks."""
    video = [s for s in plan.team.skills if s in ("short_video", "long_video")]
    gaps = {pid: missing for pid, missing in capacity.skill_gaps(plan).items() if missing}
    none = i18n.t("check.none", language)
    return {
        "skills": ", ".join(i18n.label("skill", s, language) for s in video) or none,
        "gaps": "; ".join(
            f"{i18n.label('platform', pid, language)}: "
            + ", ".join(i18n.label("skill", s, language) for s in missing)
            for pid, missing in gaps.items()
        )
        or none,
    }


def _break_even(plan: Plan, language: str) -> dict[str, str]:
    """The plan's own break-even month and the ROI at the horizon (``roi.summary``)."""
    summary = roi.summary(plan)
    month = summary.break_even_month
    final = summary.roi_at_horizon
    if month is None:
        when = i18n.t("check.roi_keep_going.computed.never", language, horizon=plan.horizon_months)
    else:
        when = i18n.t("check.roi_keep_going.computed.month", language, month=int(month))
    return {
        "when": when,
        "final": i18n.fmt_percent(final, language, 0) if math.isfinite(final) else "—",
        "horizon": str(plan.horizon_months),
    }


# --- The checks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One self-check: a question with options (keys), the correct key, the ideas it tests.

    ``compute(plan, language) -> dict`` (optional) returns the values of the
    ``check.<id>.computed`` text for the current plan.
    """

    id: str
    notebook: str
    ideas: tuple[str, ...]
    options: tuple[str, ...]
    correct: str
    compute: Callable[[Plan, str], dict[str, str]] | None = field(default=None, repr=False)


CHECKS: dict[str, Check] = {
    c.id: c
    for c in (
        # 00-start: the article's argument
        Check(
            "start_asset",
            "00-start",
            ("C4",),
            ("own_for_future_profit", "many_followers", "paid_ads"),
            "own_for_future_profit",
        ),
        Check(
            "start_page_limit",
            "00-start",
            ("C6",),
            ("one", "three_or_four", "as_many_as_possible"),
            "three_or_four",
        ),
        Check(
            "start_mandatory",
            "00-start",
            ("C10",),
            ("page_mandatory", "plans_first", "ads_first"),
            "plans_first",
        ),
        # 01-platforms: groups, the personal-profile mistake, strategic assets
        Check(
            "platforms_youtube_group",
            "01-platforms",
            ("C1",),
            ("separate_company_page", "shared_profile", "no_company_profile"),
            "shared_profile",
        ),
        Check(
            "platforms_tiktok_today",
            "01-platforms",
            ("C1",),
            ("separate_company_page", "shared_profile", "no_company_profile"),
            "shared_profile",
        ),
        Check(
            "platforms_personal_profile",
            "01-platforms",
            ("C2",),
            ("good_shortcut", "harmful_mistake", "fine_if_small"),
            "harmful_mistake",
        ),
        Check(
            "platforms_consumer_asset",
            "01-platforms",
            ("C3",),
            ("always_asset", "useful_not_decisive", "never_use"),
            "useful_not_decisive",
        ),
        # 02-capacity: the page limit, hours and skills
        Check(
            "capacity_fifth_page",
            "02-capacity",
            ("C6", "C7"),
            ("yes_sustainable", "no_paralysis", "yes_if_posting_less"),
            "no_paralysis",
            compute=_fifth_page,
        ),
        Check(
            "capacity_youtube_no_video",
            "02-capacity",
            ("C7",),
            ("open_anyway", "not_until_skills", "open_with_ads"),
            "not_until_skills",
            compute=_video_gap,
        ),
        Check(
            "capacity_too_many",
            "02-capacity",
            ("C6",),
            ("more_reach", "postponed_posts", "lower_cost"),
            "postponed_posts",
        ),
        # 03-schedule: communication plan vs editorial plan
        Check(
            "schedule_renewal",
            "03-schedule",
            ("C11", "C12"),
            ("communication", "editorial", "neither"),
            "editorial",
        ),
        Check(
            "schedule_comm_scope",
            "03-schedule",
            ("C11",),
            ("social_only", "all_levels", "ads_only"),
            "all_levels",
        ),
        Check(
            "schedule_tuesday",
            "03-schedule",
            ("C12",),
            ("communication", "editorial", "roi"),
            "editorial",
        ),
        # 04-roi: ROI, pace, organic reach
        Check(
            "roi_keep_going",
            "04-roi",
            ("C5", "C8"),
            ("stop_now", "keep_going_and_track", "add_pages"),
            "keep_going_and_track",
            compute=_break_even,
        ),
        Check(
            "roi_no_ads",
            "04-roi",
            ("C9",),
            ("impossible", "hard_but_possible", "easy"),
            "hard_but_possible",
        ),
        Check(
            "roi_pace",
            "04-roi",
            ("C8",),
            ("more_pages", "pace_and_fans", "bigger_logo"),
            "pace_and_fans",
        ),
    )
}


def checks_for(notebook: str) -> list[Check]:
    """The checks of one notebook (e.g. ``"02-capacity"``), in catalogue order."""
    return [c for c in CHECKS.values() if c.notebook == notebook]


def get(check_id: str) -> Check:
    """The check `check_id`; KeyError naming the known ids otherwise."""
    try:
        return CHECKS[check_id]
    except KeyError:
        raise KeyError(f"unknown check {check_id!r}; known: {', '.join(CHECKS)}") from None


def grade(check_id: str, answer: str | None) -> tuple[bool, str]:
    """Grade an answer: ``(correct, feedback_key)``.

    The feedback key is ``check.<id>.feedback.<answer>``: a text that explains why that
    option is right or wrong. No answer yet gives ``(False, "check.ui.no_answer")``.
    An answer that is not one of the check's options raises ValueError.
    """
    check = get(check_id)
    if answer is None or answer == "":
        return False, "check.ui.no_answer"
    if answer not in check.options:
        raise ValueError(f"{answer!r} is not an option of {check_id!r}: {', '.join(check.options)}")
    return answer == check.correct, f"check.{check_id}.feedback.{answer}"


def question(check_id: str, language: str) -> str:
    """The question's text."""
    return i18n.t(f"check.{get(check_id).id}.question", language)


def options(check_id: str, language: str) -> list[tuple[str, str]]:
    """The options as ``(label, key)`` pairs, in the check's order (for radio buttons)."""
    check = get(check_id)
    return [(i18n.t(f"check.{check.id}.option.{key}", language), key) for key in check.options]


def feedback(check_id: str, answer: str | None, language: str) -> tuple[bool, str]:
    """``(correct, text)``: the verdict word ("Correct." / "Not quite.") and the explanation."""
    correct, key = grade(check_id, answer)
    if key == "check.ui.no_answer":
        return False, i18n.t(key, language)
    head = i18n.t("check.ui.correct" if correct else "check.ui.incorrect", language)
    return correct, f"{head} {i18n.t(key, language)}"


def solution(check_id: str, language: str, plan: Plan | None = None) -> str:
    """The solution text; with a plan, followed by the computed part for that plan.

    A computed part that cannot be computed for this plan (e.g. every platform is already
    chosen) is left out rather than failing: the general solution still stands.
    """
    check = get(check_id)
    text = i18n.t(f"check.{check.id}.solution", language)
    if plan is not None and check.compute is not None:
        try:
            values = check.compute(plan, language)
        except (LookupError, ValueError, ZeroDivisionError):
            return text
        text += " " + i18n.t(f"check.{check.id}.computed", language, **values)
    return text


# --- Facilitator notes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A facilitator note: which notebook it belongs to and how long the section takes."""

    id: str
    notebook: str
    minutes: int


NOTES: dict[str, Note] = {
    n.id: n
    for n in (
        Note("start_welcome", "00-start", 10),
        Note("start_article", "00-start", 10),
        Note("start_plan", "00-start", 10),
        Note("platforms_groups", "01-platforms", 10),
        Note("platforms_fit", "01-platforms", 15),
        Note("platforms_choose", "01-platforms", 10),
        Note("capacity_hours", "02-capacity", 10),
        Note("capacity_skills", "02-capacity", 10),
        Note("capacity_recommend", "02-capacity", 15),
        Note("schedule_communication", "03-schedule", 15),
        Note("schedule_editorial", "03-schedule", 15),
        Note("schedule_export", "03-schedule", 5),
        Note("roi_assumptions", "04-roi", 10),
        Note("roi_projection", "04-roi", 15),
        Note("roi_uncertainty", "04-roi", 10),
        Note("room_overview", "05-facilitator-room", 10),
    )
}


def notes_for(notebook: str) -> list[Note]:
    """The notes of one notebook, in order."""
    return [n for n in NOTES.values() if n.notebook == notebook]


def minutes_for(notebook: str) -> int:
    """The time a notebook takes in a live workshop: the sum of its notes' minutes."""
    return sum(n.minutes for n in notes_for(notebook))


def note_text(note_id: str, language: str) -> str:
    """The note's text (``note.<id>.text``)."""
    if note_id not in NOTES:
        raise KeyError(f"unknown note {note_id!r}; known: {', '.join(NOTES)}")
    return i18n.t(f"note.{note_id}.text", language)


def note_html(note_id: str, language: str) -> str:
    """The note as a small styled HTML box: a heading, the timing ("⏱ 10 min"), the text.

    Every text is escaped (:func:`workshop.markup.escape`); ``**bold**`` is not
    interpreted (notes are plain sentences).
    """
    note = NOTES.get(note_id)
    if note is None:
        raise KeyError(f"unknown note {note_id!r}; known: {', '.join(NOTES)}")
    heading = markup.escape(i18n.t("note.ui.heading", language))
    timing = markup.escape(i18n.t("note.ui.timing", language, minutes=note.minutes))
    text = markup.escape(note_text(note_id, language))
    return (
        '<div class="workshop-facilitator-note" style="border-left:4px solid #b7791f;'
        "background:#fffaf0;padding:8px 12px;margin:6px 0;border-radius:4px;"
        'color:#5a3e0a;font-size:0.95em">'
        f'<strong>{heading}</strong> <span style="float:right">{timing}</span>'
        f'<div style="margin-top:4px">{text}</div></div>'
    )
