"""Step 2 panel: the team's hours, people and skills against the chosen platforms (C5-C7)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from workshop import capacity, charts, i18n, tables
from workshop.plan import SKILLS
from workshop.results import Results
from workshop.session import Session
from workshop.ui.base import TABLE_CSS, WIDE, Panel, _checkbox, _esc, _t, heading, table_html

HOURS_SLIDER_MAX = 60.0
#: Colour of each verdict's word (fits, tight, over).
VERDICT_COLOURS = {"fits": "#2CA02C", "tight": "#B8860B", "over": "#D62728"}


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
        chosen_row = self._chosen_row()
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
            heading(_t("capacity.skills", lang)),
            widgets.HBox(
                list(self.skill_boxes.values()), layout=widgets.Layout(flex_flow="row wrap")
            ),
            heading(_t("capacity.chosen", lang)),
            chosen_row,
            self.verdict,
            self.output,
            heading(_t("capacity.recommended", lang)),
            self.recommendation,
            *self._footer(),
        ]
        self._refresh()

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
        self._write({"platforms.chosen": self._ticked()}, _t("capacity.chosen", self.language))

    def _sync_controls(self) -> None:
        team = self.plan.team
        self.controls["hours"].value = min(team.hours_per_week, HOURS_SLIDER_MAX)
        self.controls["hours_text"].value = team.hours_per_week
        self.controls["people"].value = team.people
        for skill, box in self.skill_boxes.items():
            box.value = skill in team.skills
        self._sync_chosen()

    def _refresh(self) -> None:
        def run() -> None:
            lang = self.language
            assessment = capacity.assess(self.plan, lang)
            self.assessment = assessment
            self.verdict.value = verdict_html(assessment, lang)
            self.recommendation.value = table_html(tables.recommend_table(Results(self.plan, lang)))
            self._show(
                "capacity",
                charts.capacity_chart(capacity.hours_needed(self.plan), assessment, lang),
            )

        self._timed(run)


def verdict_html(assessment: capacity.Assessment, language: str) -> str:
    """The verdict word in its colour, the verdict sentence, and the other messages (page
    limit, skill gaps...) as a list; every text escaped."""
    label = i18n.t(f"capacity.verdict_label.{assessment.verdict}", language)
    colour = VERDICT_COLOURS[assessment.verdict]
    items = "".join(f"<li>{_esc(m)}</li>" for m in assessment.messages[1:])
    return (
        f"<div><b style='color:{colour}'>{_esc(label)}</b> · "
        f"{_esc(capacity.verdict_text(assessment))}</div>" + (f"<ul>{items}</ul>" if items else "")
    )


def capacity_panel(session: Session) -> CapacityPanel:
    """Step 2 panel: hours, people, skills and chosen platforms → the verdict (HTML with CSS
    class ``workshop-verdict``), page limit, skill gaps, recommended set, hours chart."""
    return CapacityPanel(session)
