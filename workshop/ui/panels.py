"""Widget panels for the live workshop: the only module that imports ipywidgets.

Each workshop notebook first shows its result for the plan as plain output (a table, a
chart: :class:`workshop.charts.Figure`), then offers a panel from here. A panel re-calls
*the same* model functions (:mod:`workshop.platforms`, :mod:`workshop.capacity`,
:mod:`workshop.schedule`, :mod:`workshop.roi`) and chart builders (:mod:`workshop.charts`)
as the static cells, and redraws in place. The state is one :class:`workshop.session.Session`:
the plan being edited, the file it came from, and listeners told about every change, so
that panels of one notebook stay in step and the "save plan" button writes what every panel
changed.

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

import asyncio
import datetime as dt
import html
import math
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from workshop import capacity, charts, exports, i18n, platforms, roi, schedule
from workshop.errors import Problem
from workshop.plan import ASSETS, CHANNELS, CONTENT_TYPES, SKILLS, Plan
from workshop.session import SaveRefused, Session

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
COUNTRIES = ("VN", "FR", "IT", "US", "GB", "DE", "OTHER")
MARKETS = ("b2c", "b2b")
AUDIENCES = ("young_consumers", "general_consumers", "professionals")
#: Monte Carlo paths drawn by the ROI panel on each change: fewer than the plan's default
#: (``plan.roi.monte_carlo_paths``, 2000) used by the static cells and the report, so that
#: a slider answers at once. 500 paths give p10/p90 bands within about a percentage point
#: of the 2000-path bands for the example plans.
UI_MONTE_CARLO_PATHS = 500
#: Seconds the ROI panel waits before redrawing its slow charts (scenarios, Monte Carlo,
#: tornado) after a change; another change within that time replaces the pending redraw.
SLOW_REDRAW_DELAY = 0.15
HOURS_SLIDER_MAX = 60.0


def _t(key: str, language: str, **values: Any) -> str:
    return i18n.t(f"ui.{key}", language, **values)


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


# --- Shared panel machinery ----------------------------------------------------------------


def _bundle(fig: charts.Figure) -> dict[str, Any]:
    """The figure as ``Output`` data: its display bundle (:meth:`workshop.charts.Figure.bundle`,
    the plotly mimetype with the project's config; not validated) as a display_data."""
    return {
        "output_type": "display_data",
        "data": {**fig.bundle(), "text/plain": ""},
        "metadata": {},
    }


def _calendar_and_skipped(plan: Plan, language: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(schedule.expand(plan), schedule.skipped(plan))`` from one expansion."""
    return schedule.expand_with_skipped(plan, language)


def _table_html(df: pd.DataFrame, css: str = "workshop-table") -> str:
    """A small HTML table (all text escaped)."""
    return df.to_html(index=False, escape=True, border=0, classes=css, na_rep="")


TABLE_CSS = """<style>
.workshop-table {border-collapse: collapse; font-size: 13px; margin: 4px 0 8px 0;}
.workshop-table th, .workshop-table td {padding: 3px 8px; border-bottom: 1px solid #ddd;
  text-align: left; vertical-align: top;}
.workshop-table th {background: #f5f5f5;}
.workshop-error {color: #b00020;}
.workshop-note {color: #555; font-size: 12px;}
</style>"""


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
        self._holding = 0
        self._listener = session.on_change(self._on_session_change)

    # building blocks
    def _output(self, name: str, min_height: int = 440) -> widgets.Output:
        out = widgets.Output(layout=widgets.Layout(min_height=f"{min_height}px", width="100%"))
        self.outputs[name] = out
        return out

    @property
    def output(self) -> widgets.Output:
        """The panel's main chart output."""
        return next(iter(self.outputs.values()))

    def _footer(self) -> list[widgets.Widget]:
        return [self.error] + ([self.log_output] if self.session.facilitator else [])

    def _control(self, name: str, widget: widgets.Widget) -> widgets.Widget:
        self.controls[name] = widget
        return widget

    @contextmanager
    def _hold(self):
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

    # messages
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

    # drawing
    def _show(self, name: str, fig: charts.Figure) -> None:
        """Replace the figure in output `name` in one step (no blank frame)."""
        out = self.outputs[name]
        height = fig.height or 440
        out.layout.min_height = f"{int(height)}px"
        out.outputs = (_bundle(fig),)
        self.figures[name] = fig

    # plan changes from elsewhere
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

    @property
    def plan(self) -> Plan:
        return self.session.plan


def _options(kind: str, values: Iterable[str], language: str) -> list[tuple[str, str]]:
    return [(i18n.label(kind, v, language), v) for v in values]


def _checkbox(description: str, value: bool = False) -> widgets.Checkbox:
    return widgets.Checkbox(
        value=value,
        description=description,
        indent=False,
        layout=widgets.Layout(width="auto", margin="0 12px 0 0"),
    )


WIDE = {"description_width": "200px"}


# --- Step 1: platforms ----------------------------------------------------------------------


class PlatformsPanel(Panel):
    """Business traits → asset fit of each considered platform (table + chart); the chosen
    platforms as checkboxes (C1-C4)."""

    SORT_KEYS = ("score", "name") + tuple(f"c_{f}" for f in platforms.FACTORS)

    def __init__(self, session: Session):
        super().__init__(session)
        lang = self.language
        client = self.plan.client
        market = self._control(
            "market",
            widgets.ToggleButtons(
                options=_options("market", MARKETS, lang),
                value=client.market,
                description=_t("platforms.market", lang),
                style=WIDE,
            ),
        )
        audience = self._control(
            "audience",
            widgets.Dropdown(
                options=_options("audience", AUDIENCES, lang),
                value=client.audience,
                description=_t("platforms.audience", lang),
                style=WIDE,
                layout=widgets.Layout(width="480px"),
            ),
        )
        visual = self._control(
            "visual_product",
            widgets.Checkbox(
                value=client.visual_product,
                description=_t("platforms.visual_product", lang),
                indent=False,
            ),
        )
        country = self._control(
            "country",
            widgets.Dropdown(
                options=[(_t(f"country.{c}", lang), c) for c in COUNTRIES],
                value=client.country,
                description=_t("platforms.country", lang),
                style=WIDE,
                layout=widgets.Layout(width="480px"),
            ),
        )
        sort_by = self._control(
            "sort_by",
            widgets.Dropdown(
                options=[
                    (_t("platforms.sort.score", lang), "score"),
                    (_t("platforms.sort.name", lang), "name"),
                ]
                + [(i18n.t(f"platforms.factor.{f}", lang), f"c_{f}") for f in platforms.FACTORS],
                value="score",
                description=_t("platforms.sort_by", lang),
                style=WIDE,
                layout=widgets.Layout(width="480px"),
            ),
        )
        ascending = self._control(
            "ascending",
            widgets.Checkbox(
                value=False, description=_t("platforms.ascending", lang), indent=False
            ),
        )
        self.chosen_boxes: dict[str, widgets.Checkbox] = {}
        self.chosen_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self._build_chosen()
        self.table = widgets.HTML()
        self.warnings = widgets.HTML()
        self.warnings.add_class("workshop-warning")
        self._output("asset_fit", 400)
        self._fit: pd.DataFrame | None = None

        for name, path in (
            ("market", "client.market"),
            ("audience", "client.audience"),
            ("visual_product", "client.visual_product"),
            ("country", "client.country"),
        ):
            self._observe(self.controls[name], self._trait_handler(name, path))
        self.field_labels = {
            name: self.controls[name].description
            for name in ("market", "audience", "visual_product", "country")
        }
        self.field_labels["chosen"] = _t("platforms.choose", lang)
        self._observe(sort_by, lambda change: self._draw_table())
        self._observe(ascending, lambda change: self._draw_table())

        self.children = [
            widgets.HTML(TABLE_CSS),
            widgets.HTML(f"<b>{_esc(_t('platforms.traits', lang))}</b>"),
            market,
            audience,
            visual,
            country,
            widgets.HTML(f"<b>{_esc(_t('platforms.fit_heading', lang))}</b>"),
            widgets.HBox([sort_by, ascending]),
            self.table,
            self.output,
            widgets.HTML(f"<b>{_esc(_t('platforms.choose', lang))}</b>"),
            self.chosen_box,
            self.warnings,
            *self._footer(),
        ]
        self._refresh()

    def _build_chosen(self) -> None:
        lang = self.language
        chosen = set(self.plan.platforms.chosen)
        self.chosen_boxes = {}
        for pid in self.plan.considered_platforms():
            box = _checkbox(i18n.label("platform", pid, lang), pid in chosen)
            self._observe(box, lambda change: self._write_chosen())
            self.chosen_boxes[pid] = box
            self.controls[f"chosen.{pid}"] = box
        self.chosen_box.children = list(self.chosen_boxes.values())

    def _trait_handler(self, name: str, path: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            label = self.controls[name].description
            if self._apply(label, {path: change["new"]}):
                self._refresh()

        return handler

    def _write_chosen(self) -> None:
        chosen = [pid for pid, box in self.chosen_boxes.items() if box.value]
        if self._apply(_t("platforms.choose", self.language), {"platforms.chosen": chosen}):
            self._draw_table()

    def _sync_controls(self) -> None:
        client = self.plan.client
        for name in ("market", "audience", "visual_product", "country"):
            self.controls[name].value = getattr(client, name)
        if list(self.chosen_boxes) != self.plan.considered_platforms():
            self._build_chosen()
        chosen = set(self.plan.platforms.chosen)
        for pid, box in self.chosen_boxes.items():
            box.value = pid in chosen

    def _refresh(self) -> None:
        def run() -> None:
            lang = self.language
            self._fit = platforms.asset_fit(self.plan, lang)
            self._draw_table()
            self._show("asset_fit", charts.asset_fit_chart(self._fit, lang))
            warnings = platforms.personal_profile_warnings(self.plan, lang)
            self.warnings.value = "<br>".join(f"⚠ {_esc(w)}" for w in warnings)

        self._timed(run)

    def sorted_fit(self) -> pd.DataFrame:
        """The asset-fit table in the order chosen by the "sort by" controls."""
        fit = self._fit if self._fit is not None else platforms.asset_fit(self.plan, self.language)
        key = self.controls["sort_by"].value
        df = fit.reset_index(drop=True)
        if key == "name":
            df = df.assign(
                _key=[i18n.label("platform", p, self.language).lower() for p in df["id"]]
            )
            key = "_key"
        return df.sort_values(
            [key, "id"], ascending=[self.controls["ascending"].value, True], kind="stable"
        )

    def _draw_table(self) -> None:
        lang = self.language
        df = self.sorted_fit()
        groups = platforms.classify(lang).set_index("id")["group_today_label"]
        chosen = set(self.plan.platforms.chosen)
        table = pd.DataFrame(
            {
                _t("col.platform", lang): [i18n.label("platform", p, lang) for p in df["id"]],
                _t("col.group", lang): [groups.get(p, "") for p in df["id"]],
                _t("col.score", lang): [i18n.fmt_number(s, lang, 1) for s in df["score"]],
                _t("col.verdict", lang): df["verdict_label"],
                _t("col.chosen", lang): ["✓" if p in chosen else "" for p in df["id"]],
                _t("col.explanation", lang): df["explanation"],
            }
        )
        self.table.value = _table_html(table)


def platforms_panel(session: Session) -> PlatformsPanel:
    """Step 1 panel: the business's traits → each platform's asset fit (sortable table and
    chart), and checkboxes to choose the platforms (written to the plan)."""
    return PlatformsPanel(session)


# --- Step 2: capacity ------------------------------------------------------------------------


class CapacityPanel(Panel):
    """Hours, people, skills and chosen platforms → verdict, page limit, skill gaps,
    recommended set and the hours chart (C5-C7)."""

    def __init__(self, session: Session):
        super().__init__(session)
        lang = self.language
        team = self.plan.team
        hours = self._control(
            "hours",
            widgets.FloatSlider(
                value=min(team.hours_per_week, HOURS_SLIDER_MAX),
                min=0,
                max=HOURS_SLIDER_MAX,
                step=0.5,
                description=_t("capacity.hours", lang),
                continuous_update=False,
                style=WIDE,
                layout=widgets.Layout(width="560px"),
                readout_format=".1f",
            ),
        )
        hours_text = self._control(
            "hours_text",
            widgets.BoundedFloatText(
                value=team.hours_per_week,
                min=0,
                max=400,
                step=0.5,
                description=_t("capacity.hours_exact", lang),
                style={"description_width": "auto"},
                layout=widgets.Layout(width="220px"),
            ),
        )
        people = self._control(
            "people",
            widgets.BoundedIntText(
                value=team.people,
                min=1,
                max=50,
                description=_t("capacity.people", lang),
                style=WIDE,
                layout=widgets.Layout(width="300px"),
            ),
        )
        self.skill_boxes = {}
        for skill in SKILLS:
            box = _checkbox(i18n.label("skill", skill, lang), skill in team.skills)
            self._observe(box, lambda change: self._write_skills())
            self.skill_boxes[skill] = box
            self.controls[f"skill.{skill}"] = box
        self.chosen_boxes = {}
        self.chosen_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self._build_chosen()
        self.verdict = widgets.HTML()
        self.verdict.add_class("workshop-verdict")
        self.recommendation = widgets.HTML()
        self._output("capacity", 440)

        self.field_labels = {
            "hours_per_week": hours.description,
            "people": people.description,
            "skills": _t("capacity.skills", lang),
            "chosen": _t("capacity.chosen", lang),
        }
        self._observe(hours, self._on_hours)
        self._observe(hours_text, self._on_hours_text)
        self._observe(
            people, lambda change: self._write({"team.people": change["new"]}, people.description)
        )
        self.children = [
            widgets.HTML(TABLE_CSS),
            widgets.HBox([hours, hours_text]),
            people,
            widgets.HTML(f"<b>{_esc(_t('capacity.skills', lang))}</b>"),
            widgets.HBox(
                list(self.skill_boxes.values()), layout=widgets.Layout(flex_flow="row wrap")
            ),
            widgets.HTML(f"<b>{_esc(_t('capacity.chosen', lang))}</b>"),
            self.chosen_box,
            self.verdict,
            self.output,
            widgets.HTML(f"<b>{_esc(_t('capacity.recommended', lang))}</b>"),
            self.recommendation,
            *self._footer(),
        ]
        self._refresh()

    def _build_chosen(self) -> None:
        chosen = set(self.plan.platforms.chosen)
        self.chosen_boxes = {}
        for pid in self.plan.considered_platforms():
            box = _checkbox(i18n.label("platform", pid, self.language), pid in chosen)
            self._observe(box, lambda change: self._write_chosen())
            self.chosen_boxes[pid] = box
            self.controls[f"chosen.{pid}"] = box
        self.chosen_box.children = list(self.chosen_boxes.values())

    def _write(self, changes: dict[str, Any], label: str) -> None:
        if self._apply(label, changes):
            self._refresh()

    def _on_hours(self, change: dict) -> None:
        with self._hold():
            self.controls["hours_text"].value = change["new"]
        self._write({"team.hours_per_week": change["new"]}, self.controls["hours"].description)

    def _on_hours_text(self, change: dict) -> None:
        with self._hold():
            self.controls["hours"].value = min(float(change["new"]), HOURS_SLIDER_MAX)
        self._write({"team.hours_per_week": change["new"]}, self.controls["hours"].description)

    def _write_skills(self) -> None:
        skills = [s for s, box in self.skill_boxes.items() if box.value]
        self._write({"team.skills": skills}, _t("capacity.skills", self.language))

    def _write_chosen(self) -> None:
        chosen = [p for p, box in self.chosen_boxes.items() if box.value]
        self._write({"platforms.chosen": chosen}, _t("capacity.chosen", self.language))

    def _sync_controls(self) -> None:
        team = self.plan.team
        self.controls["hours"].value = min(team.hours_per_week, HOURS_SLIDER_MAX)
        self.controls["hours_text"].value = team.hours_per_week
        self.controls["people"].value = team.people
        for skill, box in self.skill_boxes.items():
            box.value = skill in team.skills
        if list(self.chosen_boxes) != self.plan.considered_platforms():
            self._build_chosen()
        for pid, box in self.chosen_boxes.items():
            box.value = pid in self.plan.platforms.chosen

    def _refresh(self) -> None:
        def run() -> None:
            lang = self.language
            assessment = capacity.assess(self.plan, lang)
            self.assessment = assessment
            label = i18n.t(f"capacity.verdict_label.{assessment.verdict}", lang)
            colour = {"fits": "#2CA02C", "tight": "#B8860B", "over": "#D62728"}[assessment.verdict]
            items = "".join(f"<li>{_esc(m)}</li>" for m in assessment.messages[1:])
            self.verdict.value = (
                f"<div><b style='color:{colour}'>{_esc(label)}</b> · "
                f"{_esc(capacity.verdict_text(assessment))}</div>"
                + (f"<ul>{items}</ul>" if items else "")
            )
            rec = capacity.recommend(self.plan, lang)
            table = pd.DataFrame(
                {
                    _t("col.platform", lang): [i18n.label("platform", p, lang) for p in rec["id"]],
                    _t("col.score", lang): [i18n.fmt_number(s, lang, 1) for s in rec["score"]],
                    _t("col.hours", lang): [i18n.fmt_number(h, lang, 1) for h in rec["hours"]],
                    _t("col.recommended", lang): ["✓" if x else "—" for x in rec["included"]],
                    _t("col.reason", lang): rec["reason"],
                }
            )
            self.recommendation.value = _table_html(table)
            self._show(
                "capacity",
                charts.capacity_chart(capacity.hours_needed(self.plan), assessment, lang),
            )

        self._timed(run)


def capacity_panel(session: Session) -> CapacityPanel:
    """Step 2 panel: hours, people, skills and chosen platforms → the verdict (HTML with CSS
    class ``workshop-verdict``), page limit, skill gaps, recommended set, hours chart."""
    return CapacityPanel(session)


# --- Step 3: schedule ------------------------------------------------------------------------


class SchedulePanel(Panel):
    """Communication plan editor (C11), editorial plan editor per platform (C12), the
    calendar as a month view and a timeline, and CSV / iCalendar exports."""

    def __init__(self, session: Session):
        super().__init__(session)
        lang = self.language
        # communication plan
        self.controls["comm_month"] = widgets.Dropdown(
            description=_t("schedule.month", lang), style=WIDE, layout=widgets.Layout(width="420px")
        )
        self.controls["comm_asset"] = widgets.Dropdown(
            options=_options("asset", ASSETS, lang),
            description=_t("schedule.asset", lang),
            style=WIDE,
            layout=widgets.Layout(width="420px"),
        )
        self.controls["comm_theme"] = widgets.Text(
            description=_t("schedule.theme", lang),
            placeholder=_t("schedule.theme_hint", lang),
            style=WIDE,
            layout=widgets.Layout(width="640px"),
        )
        self.controls["comm_channels"] = widgets.SelectMultiple(
            options=_options("channel", CHANNELS, lang),
            rows=7,
            description=_t("schedule.channels", lang),
            style=WIDE,
            layout=widgets.Layout(width="420px"),
        )
        self.controls["comm_add"] = widgets.Button(
            description=_t("schedule.add_item", lang), icon="plus", button_style="primary"
        )
        self.controls["comm_remove_item"] = widgets.Dropdown(
            description=_t("schedule.item", lang), style=WIDE, layout=widgets.Layout(width="640px")
        )
        self.controls["comm_remove"] = widgets.Button(
            description=_t("schedule.remove_item", lang), icon="trash"
        )
        self._on_click(self.controls["comm_add"], self._add_item)
        self._on_click(self.controls["comm_remove"], self._remove_item)
        # editorial plan
        self.controls["ed_platform"] = widgets.Dropdown(
            description=_t("schedule.platform", lang),
            style=WIDE,
            layout=widgets.Layout(width="420px"),
        )
        rows = []
        for day in WEEKDAYS:
            box = self._control(f"day.{day}", _checkbox(i18n.weekday_name(day, lang)))
            box.layout.width = "140px"
            kind = self._control(
                f"type.{day}",
                widgets.Dropdown(
                    options=_options("content_type", CONTENT_TYPES, lang),
                    description=_t("schedule.content_type", lang),
                    layout=widgets.Layout(width="330px"),
                ),
            )
            at = self._control(
                f"time.{day}",
                widgets.Text(
                    value="09:00",
                    description=_t("schedule.time", lang),
                    layout=widgets.Layout(width="170px"),
                    style={"description_width": "auto"},
                ),
            )
            rows.append(widgets.HBox([box, kind, at]))
        self.controls["renewal"] = widgets.ToggleButtons(
            options=[(_t("schedule.renew_1", lang), 1), (_t("schedule.renew_2", lang), 2)],
            description=_t("schedule.renewal", lang),
            style=WIDE,
        )
        self.controls["ed_apply"] = widgets.Button(
            description=_t("schedule.apply_rule", lang), icon="check", button_style="primary"
        )
        self._observe(self.controls["ed_platform"], lambda change: self._load_rule())
        self._on_click(self.controls["ed_apply"], self._apply_rule)
        # calendar
        self.controls["cal_month"] = widgets.Dropdown(
            description=_t("schedule.show_month", lang),
            style=WIDE,
            layout=widgets.Layout(width="420px"),
        )
        self._observe(self.controls["cal_month"], lambda change: self._draw_month())
        self.controls["export_csv"] = widgets.Button(description="CSV", icon="download")
        self.controls["export_ics"] = widgets.Button(description="iCalendar", icon="calendar")
        self.controls["export_csv"].tooltip = _t("schedule.export_csv", lang)
        self.controls["export_ics"].tooltip = _t("schedule.export_ics", lang)
        self._on_click(self.controls["export_csv"], lambda: self._export("csv"))
        self._on_click(self.controls["export_ics"], lambda: self._export("ics"))
        self.export_message = widgets.HTML()
        self.coverage = widgets.HTML()
        self._output("communication", 360)
        self._output("month", 600)
        self._output("timeline", 300)
        self._calendar: pd.DataFrame | None = None
        self._skipped: pd.DataFrame | None = None

        c = self.controls
        self.field_labels = {
            "month": c["comm_month"].description,
            "asset": c["comm_asset"].description,
            "theme": c["comm_theme"].description,
            "channels": c["comm_channels"].description,
            "time": _t("schedule.time", lang),
            "content_type": _t("schedule.content_type", lang),
        }
        heading = lambda key: widgets.HTML(f"<h4>{_esc(_t(key, lang))}</h4>")  # noqa: E731
        self.children = [
            widgets.HTML(TABLE_CSS),
            heading("schedule.communication"),
            c["comm_month"],
            c["comm_asset"],
            c["comm_theme"],
            c["comm_channels"],
            c["comm_add"],
            widgets.HBox([c["comm_remove_item"], c["comm_remove"]]),
            self.outputs["communication"],
            heading("schedule.editorial"),
            c["ed_platform"],
            *rows,
            c["renewal"],
            c["ed_apply"],
            heading("schedule.calendar"),
            c["cal_month"],
            self.coverage,
            self.outputs["month"],
            self.outputs["timeline"],
            widgets.HBox([c["export_csv"], c["export_ics"]]),
            self.export_message,
            *self._footer(),
        ]
        with self._hold():
            self._sync_controls()
        self._refresh()

    # --- options that follow the plan
    def _month_options(self) -> list[tuple[str, int]]:
        return [
            (i18n.fmt_month(start, self.language), k + 1)
            for k, start in enumerate(schedule.month_starts(self.plan))
        ]

    def _item_options(self) -> list[tuple[str, int]]:
        lang = self.language
        starts = schedule.month_starts(self.plan)
        out = []
        for i, item in enumerate(self.plan.communication.items):
            month = (
                i18n.fmt_month(starts[item.month - 1], lang)
                if item.month <= len(starts)
                else str(item.month)
            )
            channels = ", ".join(i18n.label("channel", ch, lang) for ch in item.channels)
            text = f"{month} · {i18n.label('asset', item.asset, lang)}"
            if item.theme:
                text += f" · {item.theme[:50]}"
            out.append((f"{text} ({channels})", i))
        return out

    def _editable_platforms(self) -> list[str]:
        ids = list(self.plan.platforms.chosen)
        ids += [r.platform for r in self.plan.editorial.rules if r.platform not in ids]
        return ids

    def _sync_controls(self) -> None:
        c = self.controls
        months = self._month_options()
        for name in ("comm_month", "cal_month"):
            current = c[name].value
            c[name].options = months
            values = [v for _, v in months]
            c[name].value = current if current in values else values[0]
        items = self._item_options()
        c["comm_remove_item"].options = items
        c["comm_remove_item"].value = items[0][1] if items else None
        ids = self._editable_platforms()
        current = c["ed_platform"].value
        c["ed_platform"].options = [(i18n.label("platform", p, self.language), p) for p in ids]
        c["ed_platform"].value = current if current in ids else (ids[0] if ids else None)
        self._load_rule()

    def _rule_for(self, platform: str):
        for rule in schedule.editorial_rules(self.plan):
            if rule.platform == platform:
                return rule
        return None

    def _load_rule(self) -> None:
        """Show the editorial rule of the selected platform (or the suggested one)."""
        platform = self.controls["ed_platform"].value
        rule = self._rule_for(platform) if platform else None
        slots = {}
        for slot in rule.slots if rule else []:
            slots.setdefault(slot.weekday, slot)
        with self._hold():
            for day in WEEKDAYS:
                slot = slots.get(day)
                self.controls[f"day.{day}"].value = slot is not None
                if slot is not None:
                    self.controls[f"type.{day}"].value = slot.content_type
                    self.controls[f"time.{day}"].value = slot.time
            self.controls["renewal"].value = rule.renewal_months if rule else 1

    # --- communication plan
    def _add_item(self) -> None:
        lang = self.language
        c = self.controls
        theme = c["comm_theme"].value.strip()
        if not theme:
            self._say(f"{c['comm_theme'].description}: {_t('error.theme_required', lang)}")
            return
        item = {
            "month": c["comm_month"].value,
            "asset": c["comm_asset"].value,
            "theme": theme,
            "channels": list(c["comm_channels"].value),
        }
        items = [i.model_dump(mode="json") for i in self.plan.communication.items] + [item]
        if self._apply(_t("schedule.communication", lang), {"communication.items": items}):
            with self._hold():
                c["comm_theme"].value = ""
                self._sync_controls()
            self._refresh()

    def _remove_item(self) -> None:
        index = self.controls["comm_remove_item"].value
        if index is None:
            self._say(_t("error.nothing_to_remove", self.language))
            return
        items = [
            i.model_dump(mode="json")
            for k, i in enumerate(self.plan.communication.items)
            if k != index
        ]
        if self._apply(_t("schedule.communication", self.language), {"communication.items": items}):
            with self._hold():
                self._sync_controls()
            self._refresh()

    # --- editorial plan
    def _apply_rule(self) -> None:
        lang = self.language
        platform = self.controls["ed_platform"].value
        if not platform:
            self._say(_t("error.no_platform", lang))
            return
        existing = next((r for r in self.plan.editorial.rules if r.platform == platform), None)
        themes = {}
        for slot in existing.slots if existing else []:
            themes.setdefault(slot.weekday, slot.theme)
        slots = []
        for day in WEEKDAYS:
            if not self.controls[f"day.{day}"].value:
                continue
            at = self.controls[f"time.{day}"].value.strip()
            if not _valid_time(at):
                self._say(
                    f"{i18n.weekday_name(day, lang)} · {_t('schedule.time', lang)}: "
                    + _t("error.time", lang, value=at)
                )
                return
            slots.append(
                {
                    "weekday": day,
                    "content_type": self.controls[f"type.{day}"].value,
                    "time": at,
                    "theme": themes.get(day, ""),
                }
            )
        if not slots:
            self._say(_t("error.no_weekday", lang))
            return
        rule = {
            "platform": platform,
            "slots": slots,
            "renewal_months": self.controls["renewal"].value,
        }
        rules = [
            r.model_dump(mode="json") for r in self.plan.editorial.rules if r.platform != platform
        ] + [rule]
        if self._apply(_t("schedule.editorial", lang), {"editorial.rules": rules}):
            self._refresh()

    # --- views
    def _refresh(self) -> None:
        def run() -> None:
            lang = self.language
            self._show(
                "communication",
                charts.communication_chart(schedule.communication_grid(self.plan, lang), lang),
            )
            self._calendar, self._skipped = _calendar_and_skipped(self.plan, lang)
            warning = schedule.coverage_warning(self.plan, lang)
            self.coverage.value = f"⚠ {_esc(warning)}" if warning else ""
            self._draw_month()
            self._show("timeline", charts.timeline_chart(self._calendar, lang))

        self._timed(run)

    def _draw_month(self) -> None:
        if self._calendar is None:
            return
        month = self.controls["cal_month"].value or 1
        starts = schedule.month_starts(self.plan)
        first = starts[min(month, len(starts)) - 1]
        self._show(
            "month",
            charts.calendar_month_chart(
                self._calendar,
                first.year,
                first.month,
                self.language,
                skipped_df=self._skipped,
            ),
        )

    def _export(self, kind: str) -> None:
        lang = self.language
        calendar = (
            self._calendar if self._calendar is not None else schedule.expand(self.plan, lang)
        )
        if kind == "csv":
            path = exports.calendar_csv(calendar, self.session.export_path("-calendar.csv"), lang)
        else:
            path = exports.calendar_ics(
                self.plan, calendar, self.session.export_path("-calendar.ics"), lang
            )
        self.last_export = Path(path)
        self.export_message.value = _t(
            "schedule.exported", lang, path=f"<code>{_esc(path)}</code>", count=len(calendar)
        )
        self._clear()


def _valid_time(text: str) -> bool:
    try:
        hours, minutes = text.split(":")
        return (
            len(hours) == 2
            and len(minutes) == 2
            and 0 <= int(hours) <= 23
            and 0 <= int(minutes) <= 59
        )
    except ValueError:
        return False


def schedule_panel(session: Session) -> SchedulePanel:
    """Step 3 panel: edit the communication plan (month × asset × channels) and each
    platform's editorial plan (weekdays, content types, times, renewal), see the calendar
    as a month view and a timeline, export it as CSV and iCalendar next to the plan file."""
    return SchedulePanel(session)


# --- Step 4: ROI --------------------------------------------------------------------------------

#: ROI sliders: roi input key, plan field (dotted), kind, slider min, max and step (rates
#: as fractions; money and count ranges are set from the default value, see
#: :func:`_money_range` and :func:`_count_range`).
ROI_SLIDERS: tuple[tuple[str, str, str, float, float, float], ...] = (
    ("growth", "roi.monthly_growth_rate", "rate", 0.0, 0.5, 0.0025),
    ("reach", "roi.organic_reach_rate", "rate", 0.0, 0.5, 0.0025),
    ("discovery", "roi.discovery_views_per_post", "count", 0.0, 0.0, 0.0),
    ("engagement", "roi.engagement_rate", "rate", 0.0, 0.3, 0.0025),
    ("ctr", "roi.click_through_rate", "rate", 0.0, 0.1, 0.0005),
    ("lead_rate", "roi.lead_conversion_rate", "rate", 0.0, 0.5, 0.0025),
    ("close_rate", "roi.lead_to_customer_rate", "rate", 0.0, 1.0, 0.005),
    ("aov", "roi.average_order_value", "money", 0.0, 0.0, 0.0),
    ("margin", "roi.gross_margin", "rate", 0.0, 1.0, 0.01),
    ("hourly_cost", "team.hourly_cost", "money", 0.0, 0.0, 0.0),
    ("tools", "roi.tools_cost_per_month", "money", 0.0, 0.0, 0.0),
    ("ads", "roi.ad_spend_per_month", "money", 0.0, 0.0, 0.0),
)
#: Characters of a benchmark's source shown under a slider (the rest in the tooltip).
SOURCE_CHARS = 90
#: Money slider scale when the default is 0 (tools, ads): a typical monthly budget.
MONEY_SCALE = {"VND": 5_000_000.0, "EUR": 500.0, "USD": 500.0}


def _nice(value: float) -> float:
    """The nearest "nice" number at or above `value` (1, 2, 2.5, 5 × 10^k)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        nice = factor * 10**exponent
        if nice >= value - 1e-12:
            return float(nice)
    return float(10 ** (exponent + 1))


def _money_range(default: float, current: float, currency: str) -> tuple[float, float]:
    """(max, step) of a money slider: up to 4 × the default (or a typical budget)."""
    top = _nice(
        max(
            4 * default, 2 * current, MONEY_SCALE.get(currency, 500.0) if default <= 0 else 0.0, 1.0
        )
    )
    return top, _nice(top / 400)


def _count_range(default: float, current: float) -> tuple[float, float]:
    """(max, step) of a count slider (views per post): up to 4 × the default, at least 100,
    in whole steps of about 1/200 of the range (default 200 → max 1000, step 5)."""
    top = _nice(max(4 * default, 2 * current, 100.0))
    return top, max(1.0, _nice(top / 200))


def _slider_range(
    kind: str, default: float, current: float, currency: str
) -> tuple[float, float] | None:
    """(max, step) of a money or count slider, None for the fixed ranges of rates."""
    if kind == "money":
        return _money_range(default, current, currency)
    if kind == "count":
        return _count_range(default, current)
    return None


class RoiPanel(Panel):
    """Sliders for the main ROI assumptions (each showing its default and source) → the
    break-even sentence, the cumulative ROI chart (fast), then the scenarios with the Monte
    Carlo band and the tornado (slow, redrawn just after; C5, C8, C9).

    Speed: a change runs :meth:`_refresh_fast` (projection, sentence, ROI chart) at once and
    :meth:`_refresh_slow` (three scenarios, Monte Carlo with :data:`UI_MONTE_CARLO_PATHS`
    paths, sensitivity) right after; in a running kernel the slow part is scheduled
    :data:`SLOW_REDRAW_DELAY` seconds later on the event loop and a newer change replaces it,
    so quick successive changes only pay for the fast part. Without an event loop (tests,
    benchmarks) both run in the callback. :meth:`_refresh` runs both.
    """

    #: Schedule the slow redraw on the running event loop (a kernel); False = always at once.
    defer_slow = True

    def __init__(self, session: Session):
        super().__init__(session)
        lang = self.language
        self.breakeven = widgets.HTML()
        self.breakeven.add_class("workshop-breakeven")
        self.value_labels: dict[str, widgets.HTML] = {}
        self.default_labels: dict[str, widgets.HTML] = {}
        self.follower_box = widgets.VBox()
        self._pending: asyncio.TimerHandle | None = None
        self._defaults: dict[str, float] = {}
        self._sources: dict[str, str] = {}
        self._defaults_key: tuple | None = None
        self._compute_defaults()
        rows = []
        for key, path, kind, low, high, step in ROI_SLIDERS:
            rows.append(self._slider_row(key, path, kind, low, high, step))
        self._build_followers()
        self.field_labels = {
            path.rsplit(".", 1)[1]: self.controls[name].description
            for name, path, *_ in ROI_SLIDERS
        }
        self.field_labels["starting_followers"] = i18n.t("roi.input.starting_followers", lang)
        self._output("roi", 440)
        self._output("scenario", 440)
        self._output("tornado", 420)
        self.children = [
            widgets.HTML(TABLE_CSS),
            *rows,
            widgets.HTML(f"<b>{_esc(i18n.t('roi.input.starting_followers', lang))}</b>"),
            self.follower_box,
            self.breakeven,
            self.outputs["roi"],
            self.outputs["scenario"],
            self.outputs["tornado"],
            *self._footer(),
        ]
        self._refresh()

    # --- defaults and sources (of the plan with no overrides)
    def _no_override_plan(self) -> Plan:
        fields = {
            path.split(".", 1)[1]: None
            for _, path, _, _, _, _ in ROI_SLIDERS
            if path.startswith("roi.")
            and path not in ("roi.tools_cost_per_month", "roi.ad_spend_per_month")
        }
        return self.plan.model_copy(
            update={
                "roi": self.plan.roi.model_copy(update=fields),
                "team": self.plan.team.model_copy(update={"hourly_cost": None}),
            }
        )

    def _compute_defaults(self) -> None:
        # the defaults depend on the chosen platforms (per-platform benchmarks, averaged),
        # the market (close rate, order value, margin) and the currency (money)
        key = (tuple(self.plan.platforms.chosen), self.plan.client.market, self.plan.currency)
        if key == self._defaults_key:
            return
        base = self._no_override_plan()
        inputs = roi.resolve_inputs(base, "expected")
        table = roi.assumptions_table(base, self.language)
        for name, path, kind, *_ in ROI_SLIDERS:
            if name in ("tools", "ads"):
                self._defaults[name] = 0.0
                self._sources[name] = i18n.t("roi.source.plan", self.language)
                continue
            if name == "purchases_per_customer":
                value = inputs.purchases_per_customer_per_month * 12
            else:
                value = getattr(inputs, name)
            if np.ndim(value) and not np.size(value):  # a per-platform input, no platform
                self._defaults[name], self._sources[name] = roi.default_for_no_platform(
                    base, name, self.language
                )
                continue
            self._defaults[name] = float(np.mean(value)) if np.ndim(value) else float(value)
            sources = list(dict.fromkeys(table.loc[table["input"] == name, "source"]))
            self._sources[name] = "; ".join(sources[:2])
        self._defaults_key = key

    def _current(self, path: str) -> float | None:
        node: Any = self.plan
        for part in path.split("."):
            node = getattr(node, part)
        return None if node is None else float(node)

    def _format(self, kind: str, value: float) -> str:
        return roi.format_value(kind, value, self.language, self.plan.currency)

    def _slider_row(
        self, name: str, path: str, kind: str, low: float, high: float, step: float
    ) -> widgets.Widget:
        lang = self.language
        default = self._defaults[name]
        current = self._current(path)
        value = default if current is None else current
        scale = _slider_range(kind, default, value, self.plan.currency)
        if scale is not None:
            high, step = scale
        slider = self._control(
            name,
            widgets.FloatSlider(
                value=min(max(value, low), high),
                min=low,
                max=high,
                step=step,
                description=i18n.t(f"roi.input.{name}", lang),
                continuous_update=False,
                readout=False,
                style={"description_width": "300px"},
                layout=widgets.Layout(width="620px"),
            ),
        )
        slider.tooltip = slider.description
        shown = self.value_labels[name] = widgets.HTML(_esc(self._format(kind, value)))
        note = self.default_labels[name] = widgets.HTML()
        note.add_class("workshop-note")
        reset = self._control(
            f"reset.{name}",
            widgets.Button(
                description="",
                icon="undo",
                tooltip=_t("roi.reset", lang),
                layout=widgets.Layout(width="36px"),
            ),
        )
        self._update_note(name, kind)
        self._observe(slider, lambda change: self._on_slider(name, path, kind, change["new"]))
        self._on_click(reset, lambda: self._on_reset(name, path, kind))
        return widgets.VBox(
            [widgets.HBox([slider, shown, reset]), note], layout=widgets.Layout(margin="0 0 4px 0")
        )

    def _update_note(self, name: str, kind: str) -> None:
        """ "default: … · source: …" under a slider; a long source is shortened, the whole
        text is in the tooltip."""
        source = self._sources.get(name, "")
        short = source if len(source) <= SOURCE_CHARS else source[: SOURCE_CHARS - 1] + "…"
        text = _t(
            "roi.default",
            self.language,
            value=self._format(kind, self._defaults[name]),
            source=short,
        )
        self.default_labels[name].value = f"<span title='{_esc(source)}'>{_esc(text)}</span>"

    def _build_followers(self) -> None:
        lang = self.language
        boxes = []
        for pid in self.plan.platforms.chosen:
            box = self._control(
                f"followers.{pid}",
                widgets.BoundedIntText(
                    value=int(self.plan.roi.starting_followers.get(pid, 0)),
                    min=0,
                    max=100_000_000,
                    description=charts.platform_name(pid, lang, short=True),
                    style={"description_width": "300px"},
                    layout=widgets.Layout(width="460px"),
                ),
            )
            box.tooltip = i18n.label("platform", pid, lang)
            self._observe(box, lambda change, pid=pid: self._on_followers(pid, change["new"]))
            boxes.append(box)
        self.follower_box.children = boxes or [widgets.HTML(_esc(_t("roi.no_platform", lang)))]

    # --- callbacks
    def _on_slider(self, name: str, path: str, kind: str, value: float) -> None:
        self.value_labels[name].value = _esc(self._format(kind, value))
        if self._apply(self.controls[name].description, {path: float(value)}):
            self._changed()

    def _on_reset(self, name: str, path: str, kind: str) -> None:
        value = 0.0 if name in ("tools", "ads") else None
        if self._apply(self.controls[name].description, {path: value}):
            with self._hold():
                self._set_slider(name, kind, self._defaults[name])
            self._changed()

    def _on_followers(self, pid: str, value: int) -> None:
        label = i18n.t("roi.input.starting_followers", self.language)
        if self._apply(label, {f"roi.starting_followers.{pid}": int(value)}):
            self._changed()

    def _set_slider(self, name: str, kind: str, value: float) -> None:
        slider = self.controls[name]
        if value > slider.max:
            scale = _slider_range(kind, self._defaults[name], value, self.plan.currency)
            if scale is not None:
                slider.max, slider.step = scale
        slider.value = min(max(value, slider.min), slider.max)
        self.value_labels[name].value = _esc(self._format(kind, value))

    def _sync_controls(self) -> None:
        self._compute_defaults()
        for name, path, kind, *_ in ROI_SLIDERS:
            current = self._current(path)
            self._set_slider(name, kind, self._defaults[name] if current is None else current)
            self._update_note(name, kind)
        if [k for k in self.controls if k.startswith("followers.")] != [
            f"followers.{p}" for p in self.plan.platforms.chosen
        ]:
            for key in [k for k in self.controls if k.startswith("followers.")]:
                del self.controls[key]
            self._build_followers()
        for pid in self.plan.platforms.chosen:
            self.controls[f"followers.{pid}"].value = int(
                self.plan.roi.starting_followers.get(pid, 0)
            )

    def _changed(self) -> None:
        """After an accepted change: the fast views now, the slow ones soon."""
        self._timed(self._refresh_fast)
        loop = None
        if self.defer_slow:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = None
        if loop is None:
            self._refresh_slow()
            return
        if self._pending is not None:
            self._pending.cancel()
        self._pending = loop.call_later(SLOW_REDRAW_DELAY, self._guard(self._run_pending))

    def _run_pending(self) -> None:
        self._pending = None
        self._refresh_slow()

    # --- views
    def _refresh_fast(self) -> None:
        """Projection, break-even sentence and cumulative ROI chart (expected scenario)."""
        lang = self.language
        projection = roi.project(self.plan)
        self.summary = roi.summary(self.plan, projection)
        self.projection = projection
        self._projected_plan = self.plan  # the plan `projection` belongs to
        text = roi_sentence(self.plan, projection, self.summary, lang)
        self.breakeven.value = f"<b>{_esc(text)}</b>"
        self._show("roi", charts.roi_chart(projection, self.summary, lang))

    def _refresh_slow(self) -> None:
        """Three scenarios with the Monte Carlo band, and the tornado."""
        lang = self.language
        mc = roi.monte_carlo(
            self.plan, paths=min(UI_MONTE_CARLO_PATHS, self.plan.roi.monte_carlo_paths)
        )
        self._show("scenario", charts.scenario_chart(self._scenarios(), mc, lang))
        base = self.summary.roi_at_horizon if hasattr(self, "summary") else None
        self._show(
            "tornado",
            charts.tornado_chart(
                roi.sensitivity(self.plan, lang),
                lang,
                base_roi=base,
                currency=self.plan.currency,
            ),
        )

    def _scenarios(self) -> pd.DataFrame:
        """``roi.scenarios(plan)``, reusing the expected projection :meth:`_refresh_fast` just
        computed for the same plan (the same frame, one projection fewer per change)."""
        plan = self.plan
        frames = []
        for scenario in roi.SCENARIOS:
            if scenario == "expected" and getattr(self, "_projected_plan", None) is plan:
                projection = self.projection
            else:
                projection = roi.project(plan, scenario)
            frames.append(projection.assign(scenario=scenario))
        df = pd.concat(frames, ignore_index=True)
        return df[["scenario"] + [c for c in df.columns if c != "scenario"]]

    def _refresh(self) -> None:
        def run() -> None:
            self._refresh_fast()
            self._refresh_slow()

        self._timed(run)


def roi_sentence(plan: Plan, projection: pd.DataFrame, summary: roi.Summary, language: str) -> str:
    """:func:`workshop.roi.roi_text` for an already computed expected projection (no second
    projection on a slider change)."""
    return roi.roi_text(plan, language, projection=projection, result=summary)


def roi_panel(session: Session) -> RoiPanel:
    """Step 4 panel: the main ROI assumptions as sliders (default and source shown under
    each) → the break-even sentence (HTML with CSS class ``workshop-breakeven``), the
    cumulative ROI chart, the scenarios with the Monte Carlo band, and the tornado."""
    return RoiPanel(session)


# --- Saving --------------------------------------------------------------------------------------


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
            description=_t("save.button", lang), icon="save", button_style="success"
        )
        self.message = widgets.HTML()
        self.message.add_class("workshop-saved")
        self._on_click(self.controls["save"], self._save)
        self.children = [
            widgets.HBox([self.controls["path"], self.controls["save"]]),
            self.message,
            *self._footer(),
        ]

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
        self.message.value = _t(
            "save.saved",
            lang,
            path=f"<code>{_esc(written)}</code>",
            time=dt.datetime.now().strftime("%H:%M:%S"),
        )

    def _sync_controls(self) -> None:
        self.controls["path"].value = str(self.session.default_path())


def save_panel(session: Session) -> SavePanel:
    """A "save plan" button: writes the session's plan to its file (``workshop.plan.save``,
    atomic) and shows "saved to …", or the problem inline."""
    return SavePanel(session)
