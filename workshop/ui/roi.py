"""Step 4 panel: the main ROI assumptions as sliders → the break-even sentence and the
charts of the projection, the scenarios with their Monte Carlo band, and the tornado (C5, C8,
C9).

The slider arithmetic is plain functions, free of widgets: the ranges (:func:`_slider_range`)
and the defaults with their sources (:func:`slider_defaults`).
"""

from __future__ import annotations

import asyncio
import math
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from workshop import charts, i18n, roi
from workshop.plan import Plan
from workshop.session import Session
from workshop.ui.base import TABLE_CSS, Panel, _esc, _t, heading

#: Monte Carlo paths drawn by the ROI panel on each change: fewer than the plan's default
#: (``plan.roi.monte_carlo_paths``, 2000) used by the static cells and the report, so that
#: a slider answers at once. 500 paths give p10/p90 bands within about a percentage point
#: of the 2000-path bands for the example plans.
UI_MONTE_CARLO_PATHS = 500
#: Seconds the ROI panel waits before redrawing its slow charts (scenarios, Monte Carlo,
#: tornado) after a change; another change within that time replaces the pending redraw.
SLOW_REDRAW_DELAY = 0.15


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


#: The sliders of costs the plan itself gives (no benchmark: their default is 0).
PLAN_COSTS = ("tools", "ads")


def no_override_plan(plan: Plan) -> Plan:
    """`plan` without the values the ROI sliders override (so the benchmarks apply), the
    costs the plan itself gives (tools, ads) kept."""
    fields = {
        path.split(".", 1)[1]: None
        for name, path, *_ in ROI_SLIDERS
        if path.startswith("roi.") and name not in PLAN_COSTS
    }
    return plan.model_copy(
        update={
            "roi": plan.roi.model_copy(update=fields),
            "team": plan.team.model_copy(update={"hourly_cost": None}),
        }
    )


def slider_defaults(plan: Plan, language: str) -> tuple[dict[str, float], dict[str, str]]:
    """Each ROI slider's default, the value of :func:`no_override_plan` (a per-platform
    input: the mean over the chosen platforms), and its source (the first two named by
    :func:`workshop.roi.assumptions_table`): ``(defaults, sources)`` by slider name."""
    base = no_override_plan(plan)
    inputs = roi.resolve_inputs(base, "expected")
    table = roi.assumptions_table(base, language)
    defaults: dict[str, float] = {}
    sources: dict[str, str] = {}
    for name, *_ in ROI_SLIDERS:
        if name in PLAN_COSTS:
            defaults[name], sources[name] = 0.0, i18n.t("roi.source.plan", language)
            continue
        if name == "purchases_per_customer":
            value = inputs.purchases_per_customer_per_month * 12
        else:
            value = getattr(inputs, name)
        if np.ndim(value) and not np.size(value):  # a per-platform input, no platform
            defaults[name], sources[name] = roi.default_for_no_platform(base, name, language)
            continue
        defaults[name] = float(np.mean(value)) if np.ndim(value) else float(value)
        named = list(dict.fromkeys(table.loc[table["input"] == name, "source"]))
        sources[name] = "; ".join(named[:2])
    return defaults, sources


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
            heading(i18n.t("roi.input.starting_followers", lang)),
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
        return no_override_plan(self.plan)

    def _compute_defaults(self) -> None:
        # the defaults depend on the chosen platforms (per-platform benchmarks, averaged),
        # the market (close rate, order value, margin, customer lifetime), the currency
        # (money), the area (audience ceiling) and the team's size (launch audience)
        key = (
            tuple(self.plan.platforms.chosen),
            self.plan.client.market,
            self.plan.currency,
            self.plan.client.area,
            roi.business_size(self.plan),
        )
        if key != self._defaults_key:
            self._defaults, self._sources = slider_defaults(self.plan, self.language)
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
        self._inputs = roi.scenario_inputs(self.plan)  # the three paths, drawn once
        projection = roi.project(self.plan, inputs=self._inputs)
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
                roi.sensitivity(self.plan, lang, base=self._central()),
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
                projection = roi.project(plan, scenario, inputs=self._inputs_of(plan))
            frames.append(projection.assign(scenario=scenario))
        df = pd.concat(frames, ignore_index=True)
        return df[["scenario"] + [c for c in df.columns if c != "scenario"]]

    def _inputs_of(self, plan: Plan) -> dict[str, roi.Inputs]:
        """The scenario paths of `plan`: those :meth:`_refresh_fast` drew, if for `plan`."""
        if getattr(self, "_projected_plan", None) is plan and hasattr(self, "_inputs"):
            return self._inputs
        return roi.scenario_inputs(plan)

    def _central(self) -> roi.Inputs:
        return self._inputs_of(self.plan)["expected"]

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
