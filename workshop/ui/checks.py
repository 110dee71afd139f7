"""Widgets for self-checks and facilitator notes (the logic is in :mod:`workshop.quizzes`).

``self_check(check_id, language, plan)`` builds radio buttons, a "check my answer" button
whose feedback *explains* (right or wrong), and a "show the solution" toggle; when a plan
(or a session holding one) is given, the solution ends with that plan's own numbers.
``facilitator_note(note_id, language, facilitator)`` displays a styled note with its timing
only in facilitator mode, and nothing at all otherwise.

Every text comes from the catalogue; a failure shows an inline message with CSS class
``workshop-error``, never a traceback.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from IPython.display import HTML, display

from workshop import i18n, quizzes

_CSS = (
    "<style>"
    ".workshop-check{border:1px solid #d0d7de;border-radius:6px;padding:6px 12px;"
    "margin:8px 0;max-width:900px}"
    ".workshop-check .widget-radio-box label{white-space:normal;line-height:1.3;"
    "height:auto;margin:3px 0}"
    ".workshop-check .widget-radio{width:auto}"
    "</style>"
)


def _plan_of(source: Any):
    """The plan to compute with: a Plan, or the ``.plan`` of a session (read when used)."""
    if source is None:
        return None
    return getattr(source, "plan", source)


def _error_html(language: str, error: Exception) -> str:
    text = i18n.t("check.ui.error", language, error=str(error))
    return f'<div class="workshop-error" style="color:#b42318">{html.escape(text)}</div>'


class SelfCheck(widgets.VBox):
    """A self-check box. Parts are attributes so in-kernel tests can drive them:
    ``radio`` (value = option key), ``check_button``, ``feedback`` (HTML),
    ``solution_toggle`` (ToggleButton) and ``solution`` (HTML, hidden until toggled)."""

    def __init__(self, check_id: str, language: str, plan: Any = None, **kwargs: Any):
        self.check_id = check_id
        self.language = language
        self._plan_source = plan
        check = quizzes.get(check_id)
        title = html.escape(i18n.t("check.ui.title", language))
        question = html.escape(quizzes.question(check.id, language))
        self.header = widgets.HTML(
            f"{_CSS}<div><strong>✎ {title}</strong> "
            f'<span style="color:#57606a">({", ".join(check.ideas)})</span></div>'
            f'<div class="workshop-check-question" style="margin:4px 0">{question}</div>'
        )
        self.radio = widgets.RadioButtons(
            options=quizzes.options(check.id, language),
            value=None,
            layout=widgets.Layout(width="auto"),
        )
        self.check_button = widgets.Button(
            description=i18n.t("check.ui.check_button", language),
            button_style="primary",
            icon="check",
            layout=widgets.Layout(width="auto"),
        )
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
            self.feedback.value = _error_html(self.language, err)
            return
        if self.radio.value is None:
            colour, mark, css = "#57606a", "•", "workshop-check-none"
        elif correct:
            colour, mark, css = "#1a7f37", "✔", "workshop-check-correct"
        else:
            colour, mark, css = "#b42318", "✘", "workshop-check-incorrect"
        self.feedback.value = (
            f'<div class="workshop-check-feedback {css}" '
            f'style="color:{colour};margin:4px 0">{mark} '
            f"{html.escape(text)}</div>"
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
            heading = html.escape(i18n.t("check.ui.solution_heading", self.language))
            self.solution.value = (
                '<div class="workshop-check-solution" style="background:#f6f8fa;'
                'border-left:4px solid #0969da;padding:6px 10px;margin:4px 0">'
                f"<strong>{heading}.</strong> {html.escape(text)}</div>"
            )
        except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
            self.solution.value = _error_html(self.language, err)
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
        return widgets.HTML(_error_html(language, err))


def facilitator_note(note_id: str, language: str, facilitator: bool) -> None:
    """Display the facilitator note `note_id` with its timing, only when `facilitator` is
    True; otherwise display nothing at all (the cell has no output). Returns None, so the
    cell's last expression adds nothing either."""
    if not facilitator:
        return None
    try:
        display(HTML(quizzes.note_html(note_id, language)))
    except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
        display(HTML(_error_html(language, err)))
    return None


class StartPanel(widgets.VBox):
    """Notebook 00: create the participant's own plan file, on click only.

    Parts (attributes, for in-kernel tests): ``example`` (Dropdown; "" = blank plan),
    ``name`` (Text), ``create_button``, ``continue_button``, ``message`` (HTML).

    "Create" always makes a NEW file, ``<folder>/<slug of the name>.yaml``, created
    exclusively (:func:`workshop.start.create_plan_file`): when that file exists, whoever
    made it, it is left untouched and the participant gets the next free name
    (``<slug>-2.yaml``...), and the message says which file is theirs. "Continue" opens an
    existing plan, only on that explicit request, by the file name given back at
    creation (or the business name) (:func:`workshop.start.continue_plan_file`).
    """

    def __init__(self, language: str, folder: str = "plans", **kwargs: Any):
        from workshop import start

        self.language = language
        self.folder = folder
        examples = start.examples(language)
        options = [(i18n.t("start.ui.blank", language), "")] + [
            (f"{row.client} ({row.name})", row.name) for row in examples.itertuples()
        ]
        self.example = widgets.Dropdown(
            options=options,
            value="",
            description=i18n.t("start.ui.example", language),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.name = widgets.Text(
            value="",
            description=i18n.t("start.ui.name", language),
            placeholder=i18n.t("start.ui.name_placeholder", language),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="420px"),
        )
        self.create_button = widgets.Button(
            description=i18n.t("start.ui.create", language),
            button_style="primary",
            icon="file",
            layout=widgets.Layout(width="auto"),
        )
        self.continue_button = widgets.Button(
            description=i18n.t("start.ui.continue", language),
            icon="folder-open",
            layout=widgets.Layout(width="auto"),
        )
        hint = widgets.HTML(
            '<div class="workshop-note" style="color:#57606a;font-size:12px">'
            f"{html.escape(i18n.t('start.ui.continue_hint', language))}</div>"
        )
        self.message = widgets.HTML("")
        self.create_button.on_click(self._on_create)
        self.continue_button.on_click(self._on_continue)
        super().__init__(
            [
                self.example,
                self.name,
                widgets.HBox([self.create_button, self.continue_button]),
                hint,
                self.message,
            ],
            **kwargs,
        )
        self.add_class("workshop-start")

    def _name_or_say(self) -> str:
        name = self.name.value.strip()
        if not name:
            self.message.value = (
                '<div class="workshop-error" style="color:#b42318">'
                f"{html.escape(i18n.t('start.ui.name_needed', self.language))}</div>"
            )
        return name

    def _on_create(self, _button: Any = None) -> None:
        from workshop import start

        name = self._name_or_say()
        if not name:
            return
        try:
            path, key = start.create_plan_file(name, self.example.value, self.language, self.folder)
        except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
            self.message.value = _error_html(self.language, err)
            return
        taken = start.participant_path(start.slugify(name), self.folder).as_posix()
        self._done(i18n.t(key, self.language, path=path.as_posix(), taken=taken), path)

    def _on_continue(self, _button: Any = None) -> None:
        from workshop import start

        text = self._name_or_say()
        if not text:
            return
        try:
            path, key = start.continue_plan_file(text, self.language, self.folder)
        except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
            self.message.value = _error_html(self.language, err)
            return
        self._done(i18n.t(key, self.language, path=path.as_posix()), path)

    def _done(self, text: str, path: Path) -> None:
        hint = i18n.t("start.next_step", self.language, path=path.as_posix())
        self.message.value = (
            f'<div class="workshop-start-result" style="color:#1a7f37">'
            f"✔ {html.escape(text)}</div>"
            f"<div>{html.escape(hint)}</div>"
        )


def start_panel(language: str, folder: str = "plans") -> widgets.Widget:
    """The "create my plan file" panel of notebook 00 (writes only when clicked)."""
    try:
        return StartPanel(language, folder)
    except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
        return widgets.HTML(_error_html(language, err))
