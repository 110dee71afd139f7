"""Step 3 panel: the communication plan (C11), each platform's editorial plan (C12), the
calendar as a month view and a timeline, and its CSV / iCalendar exports."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from workshop import charts, exports, fsutil, i18n, preflight, schedule, schedulers
from workshop.plan import ASSETS, CHANNELS, CONTENT_TYPES, EditorialRule, Plan
from workshop.session import Session
from workshop.ui.base import (
    TABLE_CSS,
    WIDE,
    Panel,
    _checkbox,
    _esc,
    _options,
    _t,
    _with_code,
    heading,
)


def _calendar_and_skipped(plan: Plan, language: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(schedule.expand(plan), schedule.skipped(plan))`` from one expansion."""
    return schedule.expand_with_skipped(plan, language)


def _valid_time(text: str) -> bool:
    """Whether `text` is a time ``HH:MM`` (00:00 to 23:59)."""
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


def _dropdown(description: str, width: str = "420px", **options) -> widgets.Dropdown:
    return widgets.Dropdown(
        description=description, style=WIDE, layout=widgets.Layout(width=width), **options
    )


class SchedulePanel(Panel):
    """Communication plan editor (C11), editorial plan editor per platform (C12), the
    calendar as a month view and a timeline, and CSV / iCalendar exports."""

    def __init__(self, session: Session):
        super().__init__(session)
        lang = self.language
        communication = self._communication_controls()
        editorial = self._editorial_controls()
        calendar = self._calendar_controls()
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
        self.children = [
            widgets.HTML(TABLE_CSS),
            heading(_t("schedule.communication", lang), "h4"),
            *communication,
            self.outputs["communication"],
            heading(_t("schedule.editorial", lang), "h4"),
            *editorial,
            heading(_t("schedule.calendar", lang), "h4"),
            c["cal_month"],
            self.coverage,
            self.outputs["month"],
            self.outputs["timeline"],
            calendar,
            self.export_message,
            *self._footer(),
        ]
        with self._hold():
            self._sync_controls()
        self._refresh()

    # --- building the controls
    def _communication_controls(self) -> list[widgets.Widget]:
        """Month, asset, theme, channels, "add"; the item to remove and "remove"."""
        lang = self.language
        c = self.controls
        c["comm_month"] = _dropdown(_t("schedule.month", lang))
        c["comm_asset"] = _dropdown(
            _t("schedule.asset", lang), options=_options("asset", ASSETS, lang)
        )
        c["comm_theme"] = widgets.Text(
            description=_t("schedule.theme", lang),
            placeholder=_t("schedule.theme_hint", lang),
            style=WIDE,
            layout=widgets.Layout(width="640px"),
        )
        c["comm_channels"] = widgets.SelectMultiple(
            options=_options("channel", CHANNELS, lang),
            rows=7,
            description=_t("schedule.channels", lang),
            style=WIDE,
            layout=widgets.Layout(width="420px"),
        )
        c["comm_add"] = widgets.Button(
            description=_t("schedule.add_item", lang), icon="plus", button_style="primary"
        )
        c["comm_remove_item"] = _dropdown(_t("schedule.item", lang), "640px")
        c["comm_remove"] = widgets.Button(
            description=_t("schedule.remove_item", lang), icon="trash"
        )
        self._on_click(c["comm_add"], self._add_item)
        self._on_click(c["comm_remove"], self._remove_item)
        return [
            c["comm_month"],
            c["comm_asset"],
            c["comm_theme"],
            c["comm_channels"],
            c["comm_add"],
            widgets.HBox([c["comm_remove_item"], c["comm_remove"]]),
        ]

    def _editorial_controls(self) -> list[widgets.Widget]:
        """The platform; per weekday a tick, a content type and a time; renewal; "apply"."""
        lang = self.language
        c = self.controls
        c["ed_platform"] = _dropdown(_t("schedule.platform", lang))
        rows = []
        for day in i18n.WEEKDAYS:
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
        c["renewal"] = widgets.ToggleButtons(
            options=[(_t("schedule.renew_1", lang), 1), (_t("schedule.renew_2", lang), 2)],
            description=_t("schedule.renewal", lang),
            style=WIDE,
        )
        c["ed_apply"] = widgets.Button(
            description=_t("schedule.apply_rule", lang), icon="check", button_style="primary"
        )
        self._observe(c["ed_platform"], lambda change: self._load_rule())
        self._on_click(c["ed_apply"], self._apply_rule)
        return [c["ed_platform"], *rows, c["renewal"], c["ed_apply"]]

    def _calendar_controls(self) -> widgets.HBox:
        """The month shown (``controls["cal_month"]``); the export buttons (returned)."""
        lang = self.language
        c = self.controls
        c["cal_month"] = _dropdown(_t("schedule.show_month", lang))
        self._observe(c["cal_month"], lambda change: self._draw_month())
        c["export_csv"] = widgets.Button(description="CSV", icon="download")
        c["export_ics"] = widgets.Button(description="iCalendar", icon="calendar")
        c["export_csv"].tooltip = _t("schedule.export_csv", lang)
        c["export_ics"].tooltip = _t("schedule.export_ics", lang)
        self._on_click(c["export_csv"], lambda: self._export("csv"))
        self._on_click(c["export_ics"], lambda: self._export("ics"))
        # the bulk-import file of the scheduler the client posts with, after its pre-flight
        # check (workshop.schedulers), or the checklist for Meta Business Suite and Zalo OA
        c["export_tool"] = widgets.Dropdown(
            options=[(preflight.tool_label(t, lang), t) for t in preflight.TOOLS],
            value=preflight.TOOLS[0],
            description=_t("schedule.export_tool", lang),
            style=WIDE,
        )
        c["export_tool_go"] = widgets.Button(
            description=_t("schedule.export_tool_go", lang), icon="download"
        )
        self._on_click(c["export_tool_go"], self._export_tool)
        return widgets.VBox(
            [
                widgets.HBox([c["export_csv"], c["export_ics"]]),
                widgets.HBox([c["export_tool"], c["export_tool_go"]]),
            ]
        )

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

    def _rule_for(self, platform: str) -> EditorialRule | None:
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
            for day in i18n.WEEKDAYS:
                slot = slots.get(day)
                self.controls[f"day.{day}"].value = slot is not None
                if slot is not None:
                    self.controls[f"type.{day}"].value = slot.content_type
                    self.controls[f"time.{day}"].value = slot.time
            self.controls["renewal"].value = rule.renewal_months if rule else 1

    # --- communication plan
    def _write_items(self, items: list[dict], clear_theme: bool = False) -> None:
        """Write the communication items; when accepted, the pickers follow (and the theme
        box is emptied after an addition), then everything is redrawn."""
        label = _t("schedule.communication", self.language)
        if not self._apply(label, {"communication.items": items}):
            return
        with self._hold():
            if clear_theme:
                self.controls["comm_theme"].value = ""
            self._sync_controls()
        self._refresh()

    def _add_item(self) -> None:
        c = self.controls
        theme = c["comm_theme"].value.strip()
        if not theme:
            self._say(f"{c['comm_theme'].description}: {_t('error.theme_required', self.language)}")
            return
        item = {
            "month": c["comm_month"].value,
            "asset": c["comm_asset"].value,
            "theme": theme,
            "channels": list(c["comm_channels"].value),
        }
        items = [i.model_dump(mode="json") for i in self.plan.communication.items] + [item]
        self._write_items(items, clear_theme=True)

    def _remove_item(self) -> None:
        index = self.controls["comm_remove_item"].value
        if index is None:
            self._say(_t("error.nothing_to_remove", self.language))
            return
        items = self.plan.communication.items
        self._write_items([i.model_dump(mode="json") for k, i in enumerate(items) if k != index])

    # --- editorial plan
    def _slots(self, platform: str) -> list[dict] | None:
        """The ticked weekdays as slots (each keeps the theme of the platform's rule for
        that day); None after showing the problem of a time that is not HH:MM."""
        lang = self.language
        existing = next((r for r in self.plan.editorial.rules if r.platform == platform), None)
        themes: dict[str, str] = {}
        every: dict[str, int] = {}  # a slot every other week stays so when re-saved
        for slot in existing.slots if existing else []:
            themes.setdefault(slot.weekday, slot.theme)
            every.setdefault(slot.weekday, slot.every_weeks)
        slots = []
        for day in (d for d in i18n.WEEKDAYS if self.controls[f"day.{d}"].value):
            at = self.controls[f"time.{day}"].value.strip()
            if not _valid_time(at):
                where = f"{i18n.weekday_name(day, lang)} · {_t('schedule.time', lang)}"
                self._say(f"{where}: {_t('error.time', lang, value=at)}")
                return None
            content = self.controls[f"type.{day}"].value
            slots.append(
                {
                    "weekday": day,
                    "content_type": content,
                    "time": at,
                    "theme": themes.get(day, ""),
                    "every_weeks": every.get(day, 1),
                }
            )
        return slots

    def _apply_rule(self) -> None:
        lang = self.language
        platform = self.controls["ed_platform"].value
        if not platform:
            self._say(_t("error.no_platform", lang))
            return
        slots = self._slots(platform)
        if slots is None:
            return
        if not slots:
            self._say(_t("error.no_weekday", lang))
            return
        rule = {
            "platform": platform,
            "slots": slots,
            "renewal_months": self.controls["renewal"].value,
        }
        others = [r for r in self.plan.editorial.rules if r.platform != platform]
        rules = [r.model_dump(mode="json") for r in others] + [rule]
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
            warnings = (
                schedule.coverage_warning(self.plan, lang),
                schedule.broadcast_warning(self.plan, lang),
            )
            self.coverage.value = "<br>".join(f"⚠ {_esc(w)}" for w in warnings if w)
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
        else:  # the same ICS as the report's (the platform in every title, Zalo's rules)
            bundle = schedulers.build(self.plan, lang, calendar_df=calendar)
            name, payload, _ = schedulers.download(bundle, "ics")
            path = fsutil.write_bytes_atomic(self.session.export_path(f"-{name}"), payload)
        self.last_export = Path(path)
        self.export_message.value = _with_code(
            "schedule.exported", lang, {"path": path}, count=len(calendar)
        )
        self._clear()

    def _export_tool(self) -> None:
        """Write the chosen tool's file (a zip when it needs several) next to the plan file,
        after the pre-flight check; say where, how many posts, or why the tool refused."""
        lang, tool = self.language, self.controls["export_tool"].value
        bundle = schedulers.build(self.plan, lang, calendar_df=self._calendar)
        name, payload, _ = schedulers.download(bundle, tool)
        path = fsutil.write_bytes_atomic(self.session.export_path(f"-{name}"), payload)
        self.last_export = Path(path)
        refused = bundle.refused().get(tool)
        if refused:
            self.export_message.value = f"⚠ {_esc(refused)}"
        else:
            posts = len(bundle.results[tool].calendar)
            self.export_message.value = _with_code(
                "schedule.exported_tool",
                lang,
                {"path": path},
                tool=preflight.tool_label(tool, lang),
                count=posts,
            )
        self._clear()


def schedule_panel(session: Session) -> SchedulePanel:
    """Step 3 panel: edit the communication plan (month × asset × channels) and each
    platform's editorial plan (weekdays, content types, times, renewal), see the calendar
    as a month view and a timeline, export it as CSV and iCalendar next to the plan file."""
    return SchedulePanel(session)
