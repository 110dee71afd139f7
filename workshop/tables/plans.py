"""The tables about a whole plan, a run and the room (see :mod:`workshop.tables`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from workshop import __version__, data, i18n, markup
from workshop import plan as plan_mod
from workshop.errors import Problem
from workshop.results import Results
from workshop.tables.base import DASH, Table, fmt_hours, fmt_pct, names, platform_name, table

# --- the plan and the run ----------------------------------------------------------------------


def plan_table(res: Results) -> Table:
    """The plan in a few lines: who, the team, the platforms, the period (notebook 00)."""
    plan, lang = res.plan, res.language
    c, team = plan.client, plan.team
    rows = {
        "client": f"{c.name} ({c.id})",
        "profile": " · ".join(
            i18n.label(kind, value, lang)
            for kind, value in (
                ("sector", c.sector),
                ("market", c.market),
                ("audience", c.audience),
            )
        ),
        "team": i18n.t(
            "view.plan.team_value",
            lang,
            people=team.people,
            hours=fmt_hours(team.hours_per_week, lang),
        ),
        "skills": names("skill", team.skills, lang),
        "considered": ", ".join(platform_name(p, lang) for p in plan.considered_platforms()),
        "chosen": ", ".join(platform_name(p, lang) for p in plan.platforms.chosen) or DASH,
        "period": i18n.t(
            "view.plan.period_value",
            lang,
            start=i18n.fmt_date(plan.start, lang),
            months=plan.horizon_months,
        ),
        "currency": plan.currency,
    }
    return table(
        [[i18n.t(f"view.plan.{k}", lang), v] for k, v in rows.items()], ["item", "value"], lang
    )


def run_information(res: Results | None, plan_path: Any, language: str | None = None) -> Table:
    """Toolkit version, data as-of dates and the plan (or plans folder) used; the notebooks'
    last cell. The plan is named by its file name only (``x.yaml``, or the folder's name),
    never by a path that shows the machine's folders. `language` defaults to the plan's."""
    lang = language or (res.language if res is not None else i18n.DEFAULT_LANGUAGE)
    rows = [
        [i18n.t("view.run.version", lang), __version__],
        [i18n.t("view.run.plan", lang), markup.file_name(plan_path, DASH)],
    ]
    if res is not None:
        rows.append(
            [i18n.t("view.run.client", lang), f"{res.plan.client.name} ({res.plan.client.id})"]
        )
    rows.append([i18n.t("view.run.language", lang), lang])
    rows += [
        [i18n.t("view.run.as_of", lang, name=name), i18n.fmt_date(day, lang)]
        for name, day in sorted(data.as_of().items())
    ]
    return table(rows, ["item", "value"], lang)


def parameters_table(
    res: Results, plan_path: Any, language_param: str = "", now: dt.datetime | None = None
) -> Table:
    """How a report was run: toolkit version, time, its parameters (the plan by its file
    name only), the client id and the plan's fingerprint."""
    lang, now = res.language, now or dt.datetime.now().astimezone()
    t = lambda key: i18n.t(f"report.appendix.{key}", lang)  # noqa: E731
    chosen = f'language = "{language_param}"' + (f" → {lang}" if not language_param else "")
    rows = [
        [t("version"), __version__],
        [t("created"), now.isoformat(timespec="seconds")],
        [t("param_plan"), f'plan_path = "{markup.file_name(plan_path)}"'],
        [t("param_language"), chosen],
        [t("client_id"), res.plan.client.id],
        [t("plan_hash"), plan_mod.plan_hash(res.plan)],
    ]
    return table(rows, ["item", "value"], lang)


def data_dates_table(res: Results) -> Table:
    """The bundled data files and the day each was last checked (empty when unknown)."""
    try:
        as_of = data.as_of()
    except Exception:  # noqa: BLE001 - a missing datasets.yaml: the report says what it knows
        as_of = {}
    rows = [[name, i18n.fmt_date(day, res.language)] for name, day in sorted(as_of.items())]
    return table(rows, ["data_file", "as_of"], res.language)


# --- the room (notebook 05): every participant's plan --------------------------------------


def _problem_lists(room_df: pd.DataFrame) -> list[list[Problem]]:
    """Each row's problems: the ``problem_list`` column, or (a table made without it) the
    ``problems`` text as one problem."""
    if "problem_list" in room_df.columns:
        return [list(x) if isinstance(x, (list, tuple)) else [] for x in room_df["problem_list"]]
    return [[Problem("", str(text))] if text else [] for text in room_df["problems"]]


ROOM_COLUMNS = ["file", "client", "platforms", "pages", "hours_needed", "hours_available"]
ROOM_COLUMNS += ["verdict_label", "break_even_month", "roi_at_horizon", "problems"]


def room_table(room_df: pd.DataFrame, language: str) -> Table:
    """The room (:func:`workshop.room.summarise`) for people: hours and ROI formatted,
    break-even in words, "—" for what an invalid plan does not have."""

    def one(row: Any, problems: list[Problem]) -> list[Any]:
        ok = bool(row.valid)
        client = row.client if ok or row.client else i18n.t("room.invalid", language)
        hours = [
            DASH if pd.isna(h) else fmt_hours(h, language)
            for h in (row.hours_needed, row.hours_available)
        ]
        return [
            row.file,
            client,
            row.platforms,
            row.pages,
            *hours,
            row.verdict_label if ok else DASH,
            row.break_even_label if ok else DASH,
            fmt_pct(row.roi_at_horizon, language),
            "\n".join(map(str, problems)),
        ]

    rows = [one(r, p) for r, p in zip(room_df.itertuples(), _problem_lists(room_df), strict=True)]
    numeric = ["pages", "hours_needed", "hours_available", "roi_at_horizon"]
    return table(rows, ROOM_COLUMNS, language, prefix="room.col", numeric=numeric)


def problems_table(room_df: pd.DataFrame, language: str) -> Table | str:
    """The invalid plans, one row per problem (a message spanning lines stays one row): the
    file, the field path, the message; or a sentence saying every plan can be used."""
    bad = room_df[~room_df["valid"]]
    if not len(bad):
        return i18n.t("room.all_valid", language)
    rows = [
        [name, problem.path or i18n.t("room.whole_plan", language), problem.message.strip()]
        for name, problems in zip(bad["file"], _problem_lists(bad), strict=True)
        for problem in problems or [Problem("", "")]
    ]
    return table(rows, ["file", "field", "problem"], language, prefix="room.col")
