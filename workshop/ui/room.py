"""The room's panels (pages served by ``workshop room``; :mod:`workshop.room_kernel`).

* :class:`RoomStartPanel` (notebook 00 in a room): name your business (or start from an
  example), or upload a plan file; either makes your own plan under a new id and gives the
  link to step 01 carrying it.
* :class:`RoomBar` (top of notebooks 00-04 in a room): whose plan this is, the steps as
  links carrying the id, "download my plan", and the catch-up checkpoint "start from the
  reference plan of this step".
* :class:`RoomView` (notebook 05 in a room): the facilitator's live view of the room,
  refreshing by itself (:mod:`workshop.ui.room_view`).

Outside a room, :func:`room_bar` shows nothing, so the notebooks read the same in
JupyterLab, papermill and nbval.
"""

from __future__ import annotations

import base64
from typing import Any

import ipywidgets as widgets

from workshop import i18n, room_kernel
from workshop import plan as plan_mod
from workshop.session import Session
from workshop.ui.base import _esc, button, error_div, error_html, example_and_name

LINK_STYLE = (
    "display:inline-block;margin:2px 6px 2px 0;padding:4px 10px;border-radius:4px;"
    "border:1px solid #d0d7de;text-decoration:none;color:#0969da;white-space:nowrap"
)
CURRENT_STYLE = LINK_STYLE.replace("color:#0969da", "color:#fff;background:#0969da")


def _t(key: str, language: str, **values: Any) -> str:
    return i18n.t(f"room.{key}", language, **values)


def step_links(language: str, pid: str | None, current: int) -> str:
    """The participant's steps 00-04 as links carrying their id (the current one marked)."""
    parts = []
    for n, name in enumerate(room_kernel.STEPS):
        label = _esc(_t(f"step.{n}", language))
        style = CURRENT_STYLE if n == current else LINK_STYLE
        if pid is None and n > 0:
            parts.append(f'<span style="{LINK_STYLE};color:#8c959f">{label}</span>')
            continue
        href = _esc(room_kernel.step_url(name, pid))
        parts.append(f'<a class="workshop-room-step" href="{href}" style="{style}">{label}</a>')
    return "".join(parts)


def next_link(language: str, pid: str, current: int) -> str:
    """The "continue to step N" link (empty after the last step)."""
    if current + 1 >= len(room_kernel.STEPS):
        return ""
    href = _esc(room_kernel.step_url(room_kernel.STEPS[current + 1], pid))
    label = _esc(_t("next", language, step=_t(f"step.{current + 1}", language)))
    return (
        f'<a class="workshop-room-next" href="{href}" style="{CURRENT_STYLE};font-weight:600">'
        f"{label} →</a>"
    )


def download_link(language: str, plan: plan_mod.Plan) -> str:
    """A link that downloads `plan` as a YAML file (a data URL: no file served)."""
    payload = base64.b64encode(plan_mod.dumps(plan).encode("utf-8")).decode("ascii")
    name = f"{plan.client.id or 'plan'}.yaml"
    return (
        f'<a class="workshop-room-download" download="{_esc(name)}" '
        f'href="data:application/x-yaml;base64,{payload}" style="{LINK_STYLE}">'
        f"⬇ {_esc(_t('download', language))}</a>"
    )


class RoomBar(widgets.VBox):
    """The top of a participant's page: whose plan, the steps, download, checkpoint.

    Parts: ``links`` (HTML: steps, next, download), ``checkpoint_button`` (steps 1-4),
    ``message`` (HTML, beside the button)."""

    def __init__(self, session: Session, step: int, **kwargs: Any):
        self.session = session
        self.step = step
        self.language = session.language
        self.links = widgets.HTML()
        self.links.add_class("workshop-room-bar")
        self.message = widgets.HTML()
        children: list[widgets.Widget] = [self.links]
        self.checkpoint_button: widgets.Button | None = None
        if step > 0 and getattr(session, "pid", None):
            self.checkpoint_button = button(_t("checkpoint", self.language), "life-ring")
            self.checkpoint_button.tooltip = _t("checkpoint_hint", self.language)
            self.checkpoint_button.on_click(self._on_checkpoint)
            children.append(widgets.HBox([self.checkpoint_button, self.message]))
        else:
            children.append(self.message)
        super().__init__(children, **kwargs)
        self.add_class("workshop-room")
        session.on_change(lambda _s: self._draw())
        self._draw()

    def _draw(self) -> None:
        s, lang = self.session, self.language
        pid = getattr(s, "pid", None)
        head = ""
        if pid:
            head = (
                f'<div style="margin-bottom:4px"><b>{_esc(_t("your_plan", lang))}:</b> '
                f"{_esc(s.plan.client.name)}</div>"
            )
        tail = ""
        if pid:
            tail = f"<div>{next_link(lang, pid, self.step)}{download_link(lang, s.plan)}</div>"
        elif self.step > 0:  # no plan in this page's URL: say so, and where to start
            start_link = _esc(room_kernel.step_url(room_kernel.STEPS[0]))
            tail = (
                f'<div class="workshop-error" style="color:#b42318;margin-top:4px">'
                f"{_esc(_t('no_plan', lang))} "
                f'<a href="{start_link}" style="{LINK_STYLE}">{_esc(_t("step.0", lang))} →</a></div>'
            )
        self.links.value = (
            f'{head}<div style="display:flex;flex-wrap:wrap">'
            f"{step_links(lang, pid, self.step)}</div>{tail}"
        )

    def _on_checkpoint(self, _button: Any = None) -> None:
        s = self.session
        try:
            room_kernel.checkpoint(s.room, s.pid, self.step, self.language)
            s.adopt(s.pid)
        except Exception as err:  # noqa: BLE001 - shown beside the button, never a traceback
            self.message.value = error_html(self.language, err)
            return
        self.message.value = (
            f'<span style="color:#1a7f37">✔ {_esc(_t("checkpoint_done", self.language))}</span>'
        )


def room_bar(session: Session, step: int) -> RoomBar | None:
    """The room bar of step `step` (0-4) in a room; None (nothing shown) elsewhere. Notes
    that the participant reached this step (:func:`workshop.room_kernel.record_step`)."""
    if getattr(session, "room", None) is None:
        return None
    if session.pid:
        room_kernel.record_step(session.room, session.pid, step)
    return RoomBar(session, step)


class RoomStartPanel(widgets.VBox):
    """Notebook 00 in a room: make your own plan (name + optional example), or upload one.

    Parts: ``example`` (Dropdown), ``name`` (Text), ``create_button``, ``upload``
    (FileUpload, one .yaml file), ``message`` (HTML, under the buttons)."""

    def __init__(self, session: Session, **kwargs: Any):
        self.session = session
        self.language = lang = session.language
        self.example, self.name = example_and_name(lang)
        self.create_button = button(i18n.t("start.ui.create", lang), "file", "primary")
        self.upload = widgets.FileUpload(
            accept=".yaml,.yml", multiple=False, description=_t("upload", lang)
        )
        self.upload.layout = widgets.Layout(width="auto")
        self.message = widgets.HTML()
        self.message.add_class("workshop-room-message")
        self.create_button.on_click(self._on_create)
        self.upload.observe(self._on_upload, names="value")
        super().__init__(
            [
                widgets.HTML(f"<div>{_esc(_t('start_intro', lang))}</div>"),
                self.example,
                self.name,
                widgets.HBox([self.create_button, self.upload], layout={"flex_flow": "row wrap"}),
                widgets.HTML(
                    f'<div style="color:#57606a;font-size:12px">{_esc(_t("upload_hint", lang))}'
                    "</div>"
                ),
                self.message,
            ],
            **kwargs,
        )
        self.add_class("workshop-start")
        if getattr(session, "pid", None):
            self._done("continuing", session.pid)

    def _done(self, key: str, pid: str) -> None:
        lang = self.language
        self.message.value = (
            f'<div class="workshop-start-result" style="color:#1a7f37">✔ '
            f"{_esc(_t(key, lang, name=self.session.plan.client.name))}</div>"
            f'<div style="margin-top:6px">{next_link(lang, pid, 0)}</div>'
            f'<div style="color:#57606a;font-size:12px">{_esc(_t("bookmark", lang))}</div>'
        )

    def _on_create(self, _button: Any = None) -> None:
        name = self.name.value.strip()
        if not name:
            self.message.value = error_div(i18n.t("start.ui.name_needed", self.language))
            return
        try:
            pid = room_kernel.create(self.session.room, name, self.example.value, self.language)
            self.session.adopt(pid)
        except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
            self.message.value = error_html(self.language, err)
            return
        self._done("created", pid)

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change.get("new") or ()
        if not files:
            return
        item = files[0]
        content = item["content"] if isinstance(item, dict) else item.content
        try:
            pid = room_kernel.accept_upload(self.session.room, bytes(content), self.language)
            self.session.adopt(pid)
        except Exception as err:  # noqa: BLE001 - shown inline, never a traceback
            self.message.value = error_div(str(err))
            return
        self._done("uploaded", pid)
