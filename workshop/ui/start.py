"""Notebook 00's panel: create the participant's own plan file, or continue one, on click
only (the files are made by :mod:`workshop.start`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from workshop import i18n, start
from workshop.ui.base import _esc, button, error_div, error_html, example_and_name
from workshop.ui.room import RoomStartPanel


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

    def __init__(self, language: str, folder: str = start.PLANS_FOLDER, **kwargs: Any):
        self.language = language
        self.folder = folder
        self.example, self.name = example_and_name(language)
        self.create_button = button(i18n.t("start.ui.create", language), "file", "primary")
        self.continue_button = button(i18n.t("start.ui.continue", language), "folder-open")
        hint = widgets.HTML(
            '<div class="workshop-note" style="color:#57606a;font-size:12px">'
            f"{_esc(i18n.t('start.ui.continue_hint', language))}</div>"
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
            self.message.value = error_div(i18n.t("start.ui.name_needed", self.language))
        return name

    def _on_create(self, _button: Any = None) -> None:
        name = self._name_or_say()
        if not name:
            return
        try:
            path, key = start.create_plan_file(name, self.example.value, self.language, self.folder)
        except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
            self.message.value = error_html(self.language, err)
            return
        taken = start.participant_path(start.slugify(name), self.folder).as_posix()
        self._done(i18n.t(key, self.language, path=path.as_posix(), taken=taken), path)

    def _on_continue(self, _button: Any = None) -> None:
        text = self._name_or_say()
        if not text:
            return
        try:
            path, key = start.continue_plan_file(text, self.language, self.folder)
        except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
            self.message.value = error_html(self.language, err)
            return
        self._done(i18n.t(key, self.language, path=path.as_posix()), path)

    def _done(self, text: str, path: Path) -> None:
        hint = i18n.t("start.next_step", self.language, path=path.as_posix())
        self.message.value = (
            f'<div class="workshop-start-result" style="color:#1a7f37">'
            f"✔ {_esc(text)}</div>"
            f"<div>{_esc(hint)}</div>"
        )


def start_panel(
    language: str, folder: str = start.PLANS_FOLDER, session: Any = None
) -> widgets.Widget:
    """The "create my plan file" panel of notebook 00 (writes only when clicked); in a
    room (`session` a :class:`workshop.room_kernel.RoomSession`), the room's own panel:
    a plan under an id nobody can guess (:class:`workshop.ui.room.RoomStartPanel`)."""
    try:
        if getattr(session, "room", None) is not None:
            return RoomStartPanel(session)
        return StartPanel(language, folder)
    except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
        return widgets.HTML(error_html(language, err))
