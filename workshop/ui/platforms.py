"""Step 1 panel: the business's traits → each platform's asset fit (C1-C4)."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd

from workshop import charts, i18n, platforms, tables
from workshop.results import Results
from workshop.session import Session
from workshop.ui.base import (
    TABLE_CSS,
    WIDE,
    Panel,
    _esc,
    _options,
    _t,
    heading,
    table_html,
)

COUNTRIES = ("VN", "FR", "IT", "US", "GB", "DE", "OTHER")
MARKETS = ("b2c", "b2b")
AUDIENCES = ("young_consumers", "general_consumers", "professionals")
AREAS = ("local", "regional", "national", "international")
#: The traits the panel edits: control name → plan field.
TRAITS = {
    "market": "client.market",
    "audience": "client.audience",
    "visual_product": "client.visual_product",
    "country": "client.country",
    "area": "client.area",  # step 4's audience ceiling
}


class PlatformsPanel(Panel):
    """Business traits → asset fit of each considered platform (table + chart); the chosen
    platforms as checkboxes (C1-C4)."""

    SORT_KEYS = ("score", "name") + tuple(f"c_{f}" for f in platforms.FACTORS)

    def __init__(self, session: Session):
        super().__init__(session)
        lang = self.language
        traits = self._trait_controls()
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
        chosen_row = self._chosen_row()
        self.table = widgets.HTML()
        self.warnings = widgets.HTML()
        self.warnings.add_class("workshop-warning")
        self._output("asset_fit", 400)
        self._fit: pd.DataFrame | None = None

        for name, path in TRAITS.items():
            self._observe(self.controls[name], self._trait_handler(name, path))
        self.field_labels = {name: self.controls[name].description for name in TRAITS}
        self.field_labels["chosen"] = _t("platforms.choose", lang)
        self._observe(sort_by, lambda change: self._draw_table())
        self._observe(ascending, lambda change: self._draw_table())

        self.children = [
            widgets.HTML(TABLE_CSS),
            heading(_t("platforms.traits", lang)),
            *traits,
            heading(_t("platforms.fit_heading", lang)),
            widgets.HBox([sort_by, ascending]),
            self.table,
            self.output,
            heading(_t("platforms.choose", lang)),
            chosen_row,
            self.warnings,
            *self._footer(),
        ]
        self._refresh()

    def _trait_controls(self) -> list[widgets.Widget]:
        """The market, audience, visual-product, country and area controls, from the plan."""
        lang = self.language
        client = self.plan.client
        wide = widgets.Layout(width="480px")
        made = {
            "market": widgets.ToggleButtons(
                options=_options("market", MARKETS, lang), value=client.market, style=WIDE
            ),
            "audience": widgets.Dropdown(
                options=_options("audience", AUDIENCES, lang),
                value=client.audience,
                style=WIDE,
                layout=wide,
            ),
            "visual_product": widgets.Checkbox(value=client.visual_product, indent=False),
            "country": widgets.Dropdown(
                options=[(_t(f"country.{c}", lang), c) for c in COUNTRIES],
                value=client.country,
                style=WIDE,
                layout=wide,
            ),
            "area": widgets.Dropdown(
                options=_options("area", AREAS, lang),
                value=client.area,
                style=WIDE,
                layout=wide,
            ),
        }
        for name, widget in made.items():
            widget.description = _t(f"platforms.{name}", lang)
            self._control(name, widget)
        return list(made.values())

    def _trait_handler(self, name: str, path: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            label = self.controls[name].description
            if self._apply(label, {path: change["new"]}):
                self._refresh()

        return handler

    def _write_chosen(self) -> None:
        label = _t("platforms.choose", self.language)
        if self._apply(label, {"platforms.chosen": self._ticked()}):
            self._draw_table()

    def _sync_controls(self) -> None:
        client = self.plan.client
        for name in TRAITS:
            self.controls[name].value = getattr(client, name)
        self._sync_chosen()

    def _refresh(self) -> None:
        def run() -> None:
            lang = self.language
            self._fit = platforms.asset_fit(self.plan, lang)
            self._draw_table()
            self._show("asset_fit", charts.asset_fit_chart(self._fit, lang))
            warnings = platforms.personal_profile_warnings(self.plan, lang)
            self.warnings.value = "<br>".join(f"⚠ {_esc(w)}" for w in warnings)

        self._timed(run)

    def _fit_frame(self) -> pd.DataFrame:
        """``platforms.asset_fit`` of the plan (computed by :meth:`_refresh`; the choice of
        platforms does not change it)."""
        if self._fit is None:
            self._fit = platforms.asset_fit(self.plan, self.language)
        return self._fit

    def sorted_fit(self) -> pd.DataFrame:
        """The asset-fit table in the order chosen by the "sort by" controls."""
        key = self.controls["sort_by"].value
        df = self._fit_frame().reset_index(drop=True)
        if key == "name":
            df = df.assign(
                _key=[i18n.label("platform", p, self.language).lower() for p in df["id"]]
            )
            key = "_key"
        return df.sort_values(
            [key, "id"], ascending=[self.controls["ascending"].value, True], kind="stable"
        )

    def _draw_table(self) -> None:
        """The notebook's fit table (:func:`workshop.tables.fit_table`: best first, ✓ for
        the chosen) in the order of the "sort by" controls, with each platform's profile
        group today."""
        lang = self.language
        order = self.sorted_fit()["id"].tolist()
        table = tables.fit_table(Results(self.plan, lang))
        table.index = self._fit_frame()["id"].tolist()  # fit_table keeps asset_fit's rows
        table = table.loc[order]
        groups = platforms.classify(lang).set_index("id")["group_today_label"]
        table.insert(1, _t("col.group", lang), [groups.get(p, "") for p in order])
        self.table.value = table_html(table)


def platforms_panel(session: Session) -> PlatformsPanel:
    """Step 1 panel: the business's traits → each platform's asset fit (sortable table and
    chart), and checkboxes to choose the platforms (written to the plan)."""
    return PlatformsPanel(session)
