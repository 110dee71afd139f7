"""Widgets for self-checks and facilitator notes (the logic is in :mod:`workshop.quizzes`).

``self_check(check_id, language, plan)`` builds radio buttons, a "check my answer" button
whose feedback *explains* (right or wrong), and a "show the solution" toggle; when a plan
(or a session holding one) is given, the solution ends with that plan's own numbers.
``facilitator_note(note_id, language, facilitator)`` displays a styled note with its timing
only in facilitator mode, and nothing at all otherwise.

Every text comes from the catalogue and is escaped (:func:`workshop.ui.base._esc`); a
failure shows an inline message with CSS class ``workshop-error``, never a traceback.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from IPython.display import HTML, display

from workshop import i18n, quizzes
from workshop.ui.base import _esc, button, error_html

_CSS = (
    "<style>"
    ".workshop-check{border:1px solid #d0d7de;border-radius:6px;padding:6px 12px;"
    "margin:8px 0;max-width:900px}"
    ".workshop-check .widget-radio-box label{white-space:normal;line-height:1.3;"
    "height:auto;margin:3px 0}"
    ".workshop-check .widget-radio{width:auto}"
    "</style>"
)
#: The feedback's colour, mark and CSS class: no answer yet, correct, incorrect.
_VERDICTS = {
    None: ("#57606a", "•", "workshop-check-none"),
    True: ("#1a7f37", "✔", "workshop-check-correct"),
    False: ("#b42318", "✘", "workshop-check-incorrect"),
}


def _plan_of(source: Any):
    """The plan to compute with: a Plan, or the ``.plan`` of a session (read when used)."""
    if source is None:
        return None
    return getattr(source, "plan", source)


class SelfCheck(widgets.VBox):
    """A self-check box. Parts are attributes so in-kernel tests can drive them:
    ``radio`` (value = option key), ``check_button``, ``feedback`` (HTML),
    ``solution_toggle`` (ToggleButton) and ``solution`` (HTML, hidden until toggled)."""

    def __init__(self, check_id: str, language: str, plan: Any = None, **kwargs: Any):
        self.check_id = check_id
        self.language = language
        self._plan_source = plan
        check = quizzes.get(check_id)
        title = _esc(i18n.t("check.ui.title", language))
        question = _esc(quizzes.question(check.id, language))
        self.header = widgets.HTML(
            f"{_CSS}<div><strong>✎ {title}</strong> "
            f'<span style="color:#57606a">({_esc(", ".join(check.ideas))})</span></div>'
            f'<div class="workshop-check-question" style="margin:4px 0">{question}</div>'
        )
        self.radio = widgets.RadioButtons(
            options=quizzes.options(check.id, language),
            value=None,
            layout=widgets.Layout(width="auto"),
        )
        self.check_button = button(i18n.t("check.ui.check_button", language), "check", "primary")
        self.solution_toggle = widgets.ToggleButton(
            value=False,
            description=i18n.t("check.ui.show_solution", language),
            icon="eye",
            layout=widgets.Layout(width="auto"),
        )
        self.feedback = widgets.HTML("")
        self.solution = widgets.HTML("", layout=widgets.Layout(display="none"))
        self.check_button.on_click(self._on_check)
        self.solution_toggle.observe(self._on_toggle, names="value")
        super().__init__(
            [
                self.header,
                self.radio,
                widgets.HBox([self.check_button, self.solution_toggle]),
                self.feedback,
                self.solution,
            ],
            **kwargs,
        )
        self.add_class("workshop-check")

    def _on_check(self, _button: Any = None) -> None:
        try:
            correct, text = quizzes.feedback(self.check_id, self.radio.value, self.language)
        except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
            self.feedback.value = error_html(self.language, err)
            return
        colour, mark, css = _VERDICTS[None if self.radio.value is None else correct]
        self.feedback.value = (
            f'<div class="workshop-check-feedback {css}" '
            f'style="color:{colour};margin:4px 0">{mark} {_esc(text)}</div>'
        )

    def _on_toggle(self, change: dict) -> None:
        shown = bool(change["new"])
        self.solution_toggle.description = i18n.t(
            "check.ui.hide_solution" if shown else "check.ui.show_solution", self.language
        )
        if not shown:
            self.solution.layout.display = "none"
            return
        try:
            text = quizzes.solution(self.check_id, self.language, _plan_of(self._plan_source))
            heading = _esc(i18n.t("check.ui.solution_heading", self.language))
            self.solution.value = (
                '<div class="workshop-check-solution" style="background:#f6f8fa;'
                'border-left:4px solid #0969da;padding:6px 10px;margin:4px 0">'
                f"<strong>{heading}.</strong> {_esc(text)}</div>"
            )
        except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
            self.solution.value = error_html(self.language, err)
        self.solution.layout.display = ""


def self_check(check_id: str, language: str, plan: Any = None) -> widgets.Widget:
    """A self-check widget for `check_id` (see :data:`workshop.quizzes.CHECKS`).

    `plan` is a :class:`workshop.plan.Plan` or an object with a ``.plan`` (a session); it is
    read when the solution is revealed, so the numbers follow the participant's edits.
    An unknown check id gives an inline error message instead of a traceback.
    """
    try:
        return SelfCheck(check_id, language, plan)
    except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
        return widgets.HTML(error_html(language, err))


def facilitator_note(note_id: str, language: str, facilitator: bool) -> None:
    """Display the facilitator note `note_id` with its timing, only when `facilitator` is
    True; otherwise display nothing at all (the cell has no output). Returns None, so the
    cell's last expression adds nothing either."""
    if not facilitator:
        return None
    try:
        display(HTML(quizzes.note_html(note_id, language)))
    except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
        display(HTML(error_html(language, err)))
    return None
