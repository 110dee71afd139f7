"""Every table a person reads, built once: the notebooks display it, the client report
renders it, ``workshop summary`` prints it and the room view shows it.

Each function takes a plan's :class:`~workshop.results.Results` (the models' results,
computed once per plan) and returns a :class:`Table`: a DataFrame whose headers come from
the catalogue (``view.col.*``) and whose values are already formatted in the reader's
language. Nothing here computes a model result; every number comes from the ``Results``.

One way to write each kind of value: :func:`fmt_hours` (hours), :func:`fmt_pct` (ROI and
shares), :func:`platform_name` (a platform in a table), :data:`DASH` (a missing value),
:func:`workshop.roi.break_even_text` (the break-even month).

Plan texts (names, themes) stay text: :meth:`Table.html` escapes every header and cell
through :func:`workshop.markup.rows_html` (issue 8: pandas' ``Styler.to_html`` did not, and a
plan named ``<img src=x onerror=...>`` ran its script in the facilitator's JupyterLab), and
:meth:`Table.to_text` turns every control character into U+FFFD for the terminal
(:func:`workshop.plan.one_line`). The run information names the plan's file, never the
folders of the machine it is on.

Which table shows what (a presenter may show fewer columns, :meth:`Table.select`):

* the steps (:mod:`~workshop.tables.steps`): :func:`groups_table`, :func:`fit_table`,
  :func:`factors_table`, :func:`chosen_table` (C1-C4); :func:`hours_table`,
  :func:`skills_table`, :func:`recommend_table` (C5-C7); :func:`communication_table`,
  :func:`rules_table`, :func:`calendar_table`, :func:`renewals_table`,
  :func:`skipped_table` (C10-C12); :func:`scenarios_table`, :func:`assumptions_table`
  (C5, C8, C9);
* a whole plan, a run, the room (:mod:`~workshop.tables.plans`): :func:`plan_table`,
  :func:`run_information`, :func:`parameters_table`, :func:`data_dates_table`,
  :func:`room_table`, :func:`problems_table`;
* the type and the formatters: :mod:`~workshop.tables.base`.
"""

from __future__ import annotations

from workshop.tables.base import (
    CHECK,
    CROSS,
    DASH,
    Table,
    fmt_hours,
    fmt_pct,
    platform_name,
    table,
)
from workshop.tables.plans import (
    ROOM_COLUMNS,
    data_dates_table,
    parameters_table,
    plan_table,
    problems_table,
    room_table,
    run_information,
)
from workshop.tables.steps import (
    assumptions_table,
    calendar_table,
    chosen_table,
    communication_table,
    delivery_table,
    delivery_text,
    factors_table,
    fit_table,
    groups_table,
    hours_table,
    personal_profile_text,
    recommend_table,
    renewals_table,
    rules_table,
    scenarios_table,
    skills_table,
    skipped_table,
)

__all__ = [
    "CHECK",
    "CROSS",
    "DASH",
    "ROOM_COLUMNS",
    "Table",
    "assumptions_table",
    "calendar_table",
    "chosen_table",
    "communication_table",
    "delivery_table",
    "delivery_text",
    "data_dates_table",
    "factors_table",
    "fit_table",
    "fmt_hours",
    "fmt_pct",
    "groups_table",
    "hours_table",
    "parameters_table",
    "personal_profile_text",
    "plan_table",
    "platform_name",
    "problems_table",
    "recommend_table",
    "renewals_table",
    "room_table",
    "rules_table",
    "run_information",
    "scenarios_table",
    "skills_table",
    "skipped_table",
    "table",
]
