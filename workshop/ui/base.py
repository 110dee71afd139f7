"""What every panel shares: :class:`Panel` (named controls and outputs, inline errors,
guarded callbacks, charts drawn in place), :class:`SavePanel`, and the HTML helpers.

Rules every panel follows:

* Every control has a translated ``description`` (catalogue ``workshop/locales/<lang>/
  ui.yaml``, keys ``ui.*``; value labels come from the shared vocabulary).
* Sliders have ``continuous_update=False``: a change is one release, not every pixel.
* Charts are :class:`workshop.charts.Figure` objects shown in an ``ipywidgets.Output`` whose
  ``outputs`` are replaced in one assignment (:meth:`~workshop.charts.Figure.bundle`, never
  validated by plotly on the way): the redraw happens in place without a blank frame,
  works without a running kernel (tests), and never uses ``FigureWidget`` (anywidget is
  not installed, and it bloats notebooks). Each Output has a minimum height so the page
  does not jump while a chart is replaced.
* Every HTML a widget shows is made of fixed tags around text escaped by
  :func:`workshop.markup.escape` (:func:`_esc`), and tables are the presenters' tables
  rendered by :func:`workshop.markup.table_html` (:func:`table_html`).
* Bad input never raises to the user: every callback is wrapped; a plan the schema refuses
  comes back from :meth:`Session.update` as translated problems and is shown inline in an
  ``HTML`` widget with the CSS class ``workshop-error``; an unexpected exception shows a
  short translated message there too (its traceback goes to the panel's log output only
  in facilitator mode).
* Panels expose their important children: ``panel.controls[name]``, ``panel.outputs[name]``
  (``panel.output`` is the main one), ``panel.figures[name]`` (the last figure drawn),
  ``panel.error``, and ``panel._refresh()`` (recompute and redraw; benchmarks time it).
"""

from __future__ import annotations

import datetime as dt
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import wraps
from typing import Any

import ipywidgets as widgets
import pandas as pd

from workshop import charts, i18n, markup, start
from workshop.errors import Problem
from workshop.plan import Plan
from workshop.session import SaveRefused, Session

#: What an empty table cell reads as.
DASH = "—"
#: Description width of the wide controls (the traits, the schedule's pickers).
WIDE = {"description_width": "200px"}

TABLE_CSS = """<style>
.workshop-table {border-collapse: collapse; font-size: 13px; margin: 4px 0 8px 0;}
.workshop-table th, .workshop-table td {padding: 3px 8px; border-bottom: 1px solid #ddd;
  text-align: left; vertical-align: top;}
.workshop-table th {background: #f5f5f5;}
.workshop-error {color: #b00020;}
.workshop-note {color: #555; font-size: 12px;}
</style>"""


# --- Text and HTML ------------------------------------------------------------------------------


def _t(key: str, language: str, **values: Any) -> str:
    return i18n.t(f"ui.{key}", language, **values)


def _esc(text: Any) -> str:
    """`text` escaped for HTML (:func:`workshop.markup.escape`): the one way a panel puts
    text into a widget's HTML."""
    return str(markup.escape(text))


def _with_code(key: str, language: str, code: Mapping[str, Any], **values: Any) -> str:
    """The catalogue sentence ``ui.<key>`` as HTML: the sentence escaped, and each value of
    `code` (a path...) escaped in its place inside ``<code>``."""
    marks = {name: f"\x00{name}\x00" for name in code}
    sentence = _esc(_t(key, language, **values, **marks))
    for name, value in code.items():
        sentence = sentence.replace(marks[name], f"<code>{_esc(value)}</code>")
    return sentence


def heading(text: str, tag: str = "b") -> widgets.HTML:
    """A heading widget: `text` escaped, in ``<b>`` (or `tag`, e.g. ``h4``)."""
    return widgets.HTML(f"<{tag}>{_esc(text)}</{tag}>")


def example_and_name(language: str) -> tuple[widgets.Dropdown, widgets.Text]:
    """The two inputs a new plan starts from (notebook 00, in JupyterLab and in a room): the
    bundled example to copy ("" = a blank plan) and the business name; both fit a phone."""
    options = [(i18n.t("start.ui.blank", language), "")] + [
        (f"{row.client} ({row.name})", row.name) for row in start.examples(language).itertuples()
    ]
    example = widgets.Dropdown(
        options=options,
        value="",
        description=i18n.t("start.ui.example", language),
        style={"description_width": "initial"},
        layout=widgets.Layout(width="auto", max_width="100%"),
    )
    name = widgets.Text(
        value="",
        description=i18n.t("start.ui.name", language),
        placeholder=i18n.t("start.ui.name_placeholder", language),
        style={"description_width": "initial"},
        layout=widgets.Layout(width="auto", max_width="100%"),
    )
    return example, name


def error_div(text: str) -> str:
    """An inline error line (CSS class ``workshop-error``) for the boxes that are not
    panels (self-checks, the start panel)."""
    return f'<div class="workshop-error" style="color:#b42318">{_esc(text)}</div>'


def error_html(language: str, error: Exception) -> str:
    """:func:`error_div` with the translated "something went wrong: …" and the error."""
    return error_div(i18n.t("check.ui.error", language, error=str(error)))


def table_html(df: pd.DataFrame) -> str:
    """A presenter's table (:mod:`workshop.tables`) as the panels show it: every header and
    cell escaped (:func:`workshop.markup.table_html`), styled by :data:`TABLE_CSS`."""
    return str(markup.table_html(df, empty=DASH, cell_style=""))


def _bundle(fig: charts.Figure) -> dict[str, Any]:
    """The figure as ``Output`` data: its display bundle (:meth:`workshop.charts.Figure.bundle`,
    the plotly mimetype with the project's config; not validated) as a display_data."""
    return {
        "output_type": "display_data",
        "data": {**fig.bundle(), "text/plain": ""},
        "metadata": {},
    }


# --- Controls -----------------------------------------------------------------------------------


def _options(kind: str, values: Iterable[str], language: str) -> list[tuple[str, str]]:
    return [(i18n.label(kind, v, language), v) for v in values]


def button(description: str, icon: str, button_style: str = "") -> widgets.Button:
    """A button as wide as its text (the boxes that are not panels: self-checks, start)."""
    return widgets.Button(
        description=description,
        button_style=button_style,
        icon=icon,
        layout=widgets.Layout(width="auto"),
    )


def _checkbox(description: str, value: bool = False) -> widgets.Checkbox:
    return widgets.Checkbox(
        value=value,
        description=description,
        indent=False,
        layout=widgets.Layout(width="auto", margin="0 12px 0 0"),
    )


# --- The base panel -----------------------------------------------------------------------------


class Panel(widgets.VBox):
    """Base of every panel: a session, named controls and outputs, inline errors."""

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.language = session.language
        self.controls: dict[str, widgets.Widget] = {}
        self.outputs: dict[str, widgets.Output] = {}
        self.figures: dict[str, charts.Figure] = {}  # name → the last figure drawn
        self.error = widgets.HTML(value="")
        self.error.add_class("workshop-error")
        self.log_output = widgets.Output()
        self.log_output.add_class("workshop-log")
        self.timings: list[float] = []  # milliseconds per _refresh
        self.field_labels: dict[str, str] = {}  # plan field name → control label
        self.chosen_boxes: dict[str, widgets.Checkbox] = {}
        self._holding = 0
        self._listener = session.on_change(self._on_session_change)

    @property
    def plan(self) -> Plan:
        return self.session.plan

    # --- building blocks
    def _output(self, name: str, min_height: int = 440) -> widgets.Output:
        out = widgets.Output(layout=widgets.Layout(min_height=f"{min_height}px", width="100%"))
        self.outputs[name] = out
        return out

    @property
    def output(self) -> widgets.Output:
        """The panel's main chart output."""
        return next(iter(self.outputs.values()))

    def _footer(self) -> list[widgets.Widget]:
        """The error line (and the facilitator's log); every button of the panel as wide as
        its label (ipywidgets' fixed width cuts "Lưu kế hoạch của nền tảng này")."""
        for widget in self.controls.values():
            if isinstance(widget, widgets.Button) and widget.layout.width is None:
                widget.layout.width = "auto"
        return [self.error] + ([self.log_output] if self.session.facilitator else [])

    def _control(self, name: str, widget: widgets.Widget) -> widgets.Widget:
        self.controls[name] = widget
        return widget

    @contextmanager
    def _hold(self) -> Iterator[None]:
        """Set widget values from the plan without their callbacks writing back."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1

    def _guard(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a callback: ignored while holding; any exception becomes an inline message."""

        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if self._holding:
                return None
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - a participant never sees a traceback
                self._fail(exc)
                return None

        return wrapper

    def _observe(self, widget: widgets.Widget, handler: Callable[[dict], Any]) -> None:
        widget.observe(self._guard(handler), names="value")

    def _on_click(self, button: widgets.Button, handler: Callable[[], Any]) -> None:
        button.on_click(self._guard(lambda _button: handler()))

    # --- the chosen platforms (steps 1 and 2)
    def _chosen_row(self) -> widgets.HBox:
        """A row of checkboxes, one per considered platform (``controls["chosen.<id>"]``);
        a tick calls :meth:`_write_chosen`."""
        self.chosen_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self._build_chosen()
        return self.chosen_box

    def _build_chosen(self) -> None:
        chosen = set(self.plan.platforms.chosen)
        self.chosen_boxes = {}
        for pid in self.plan.considered_platforms():
            box = _checkbox(i18n.label("platform", pid, self.language), pid in chosen)
            self._observe(box, lambda change: self._write_chosen())
            self.chosen_boxes[pid] = box
            self.controls[f"chosen.{pid}"] = box
        self.chosen_box.children = list(self.chosen_boxes.values())

    def _sync_chosen(self) -> None:
        """The checkboxes from the plan (rebuilt when the considered platforms changed)."""
        if list(self.chosen_boxes) != self.plan.considered_platforms():
            self._build_chosen()
        chosen = set(self.plan.platforms.chosen)
        for pid, box in self.chosen_boxes.items():
            box.value = pid in chosen

    def _ticked(self) -> list[str]:
        """The platforms ticked, in the order of the considered platforms."""
        return [pid for pid, box in self.chosen_boxes.items() if box.value]

    def _write_chosen(self) -> None:
        """Write the ticked platforms to the plan (panels with :meth:`_chosen_row`)."""

    # --- messages
    def _fail(self, exc: BaseException) -> None:
        self.error.value = _esc(_t("error.unexpected", self.language))
        if self.session.facilitator:
            self.log_output.append_stderr("".join(traceback.format_exception(exc)))

    def _show_problems(self, label: str, problems: Iterable[Problem]) -> None:
        """One line per problem, named by the control it comes from when the panel knows
        the field (``field_labels``: last field name of the problem's path → label)."""
        lines = []
        for problem in problems:
            fields = [part for part in problem.path.split(".") if not part.isdigit()]
            name = self.field_labels.get(fields[-1], label) if fields else label
            lines.append(f"<b>{_esc(name)}</b>: {_esc(problem.message)}")
        self.error.value = "<br>".join(lines)

    def _say(self, message: str) -> None:
        """Show one inline error message (already translated)."""
        self.error.value = _esc(message)

    def _clear(self) -> None:
        self.error.value = ""

    def _apply(self, label: str, changes: Mapping[str, Any]) -> bool:
        """Write changes to the session's plan; show the problems inline when refused."""
        problems = self.session.update(dict(changes), origin=self)
        if problems:
            self._show_problems(label, problems)
            return False
        self._clear()
        return True

    # --- drawing
    def _show(self, name: str, fig: charts.Figure) -> None:
        """Replace the figure in output `name` in one step (no blank frame)."""
        out = self.outputs[name]
        height = fig.height or 440
        out.layout.min_height = f"{int(height)}px"
        out.outputs = (_bundle(fig),)
        self.figures[name] = fig

    # --- plan changes from elsewhere
    def _on_session_change(self, session: Session) -> None:
        if session.origin is self:
            return
        try:
            with self._hold():
                self._sync_controls()
            self._refresh()
        except Exception as exc:  # noqa: BLE001
            self._fail(exc)

    def _sync_controls(self) -> None:
        """Set the controls from the session's plan (subclasses)."""

    def _refresh(self) -> None:
        """Recompute and redraw everything the panel shows (subclasses)."""

    def _timed(self, fn: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        try:
            return fn()
        finally:
            self.timings.append((time.perf_counter() - start) * 1000)


# --- Saving -------------------------------------------------------------------------------------


class SavePanel(Panel):
    """A "save plan" button (and the file name) → writes the plan, says where."""

    def __init__(self, session: Session):
        super().__init__(session)
        lang = self.language
        self.controls["path"] = widgets.Text(
            value=str(session.default_path()),
            description=_t("save.path", lang),
            style={"description_width": "120px"},
            layout=widgets.Layout(width="640px"),
        )
        self.controls["save"] = widgets.Button(
            layout=widgets.Layout(width="auto"),
            description=_t("save.button", lang),
            icon="save",
            button_style="success",
        )
        self.message = widgets.HTML()
        self.message.add_class("workshop-saved")
        self._on_click(self.controls["save"], self._save)
        # In a room (workshop room) a participant's plan has one file, named by the id in
        # the page's URL: no path to type, and no other file to choose.
        self.in_room = getattr(session, "room", None) is not None
        row = (
            [self.controls["save"]]
            if self.in_room
            else [self.controls["path"], self.controls["save"]]
        )
        self.children = [widgets.HBox(row), self.message, *self._footer()]

    def _save(self) -> None:
        lang = self.language
        text = self.controls["path"].value.strip()
        if not text:
            self._say(_t("error.no_path", lang))
            return
        try:
            written = self.session.save(text)
        except SaveRefused as exc:
            self.message.value = ""
            self._say(str(exc))
            return
        except OSError as exc:
            self.message.value = ""
            self._say(_t("error.save_failed", lang, reason=exc.strerror or str(exc)))
            return
        self._clear()
        now = dt.datetime.now().strftime("%H:%M:%S")
        if self.in_room:
            self.message.value = _esc(i18n.t("room.saved", lang, time=now))
            return
        self.message.value = _with_code("save.saved", lang, {"path": written}, time=now)

    def _sync_controls(self) -> None:
        self.controls["path"].value = str(self.session.default_path())


def save_panel(session: Session) -> SavePanel:
    """A "save plan" button: writes the session's plan to its file (``workshop.plan.save``,
    atomic) and shows "saved to …", or the problem inline."""
    return SavePanel(session)
