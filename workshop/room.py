"""The facilitator's view of the whole room (notebook 05): every participant's plan at a glance.

:func:`summarise` reads every ``*.yaml`` plan in a folder and returns one row per file:
the client, the chosen platforms, the capacity verdict (step 2: hours needed against hours
available, :func:`workshop.capacity.assess`) and the break-even month of the expected
projection (step 4: :func:`workshop.roi.summary`). A plan that fails validation, or whose
models fail, never stops the table: its row says ``valid = False`` and lists every problem
by field path, in the facilitator's language.

Columns of :func:`summarise` (ids, stable for code and tests)::

    file             file name (not the full path)
    valid            bool: the plan loaded and every model ran
    client           the client's display name ("" when invalid)
    platforms        the chosen platforms' display names, comma-separated
    pages            number of chosen platforms
    hours_needed     hours per week the chosen platforms need (typical effort)
    hours_available  team.hours_per_week
    verdict          fits | tight | over ("" when invalid)
    verdict_label    the verdict, translated
    break_even_month 1-based month of the horizon, <NA> when never within it
    roi_at_horizon   cumulative ROI at the horizon (fraction; NaN when invalid)
    problems         "path: message" lines joined by "; " ("" when valid)

:func:`display_table` turns that into a table with translated headers and formatted numbers.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from workshop import i18n, views
from workshop import plan as plan_mod
from workshop.errors import PlanError, WorkshopError

COLUMNS = [
    "file",
    "valid",
    "client",
    "platforms",
    "pages",
    "hours_needed",
    "hours_available",
    "verdict",
    "verdict_label",
    "break_even_month",
    "roi_at_horizon",
    "problems",
]
SHOWN = [
    "file",
    "client",
    "platforms",
    "pages",
    "hours_needed",
    "hours_available",
    "verdict_label",
    "break_even_month",
    "roi_at_horizon",
    "problems",
]


def plan_files(plans_dir: str | os.PathLike[str]) -> list[Path]:
    """The plan files in `plans_dir` (``*.yaml`` and ``*.yml``, sorted, hidden files skipped)."""
    folder = Path(plans_dir)
    files = [p for pattern in ("*.yaml", "*.yml") for p in folder.glob(pattern)]
    return sorted(p for p in files if not p.name.startswith(".") and p.is_file())


def _row(path: Path, language: str) -> dict:
    from workshop import capacity, roi

    row = {
        "file": path.name,
        "valid": False,
        "client": "",
        "platforms": "",
        "pages": 0,
        "hours_needed": float("nan"),
        "hours_available": float("nan"),
        "verdict": "",
        "verdict_label": "",
        "break_even_month": pd.NA,
        "roi_at_horizon": float("nan"),
        "problems": "",
    }
    try:
        p = plan_mod.load(path, language)
    except PlanError as err:
        row["problems"] = "; ".join(str(problem) for problem in err.problems)
        return row
    row.update(
        client=p.client.name,
        pages=len(p.platforms.chosen),
        platforms=", ".join(i18n.label("platform", x, language) for x in p.platforms.chosen),
        hours_available=float(p.team.hours_per_week),
    )
    try:
        assessment = capacity.assess(p, language)
        summary = roi.summary(p)
    except (WorkshopError, ValueError, KeyError, ZeroDivisionError) as err:
        row["problems"] = i18n.t("room.model_failed", language, error=str(err))
        return row
    row.update(
        valid=True,
        hours_needed=float(assessment.hours_needed),
        verdict=assessment.verdict,
        verdict_label=i18n.t(f"capacity.verdict_label.{assessment.verdict}", language),
        break_even_month=(
            pd.NA if summary.break_even_month is None else int(summary.break_even_month)
        ),
        roi_at_horizon=float(summary.roi_at_horizon),
    )
    return row


def summarise(plans_dir: str | os.PathLike[str], language: str = "vi") -> pd.DataFrame:
    """One row per plan file in `plans_dir` (see the module docstring for the columns).

    An empty or missing folder gives an empty table with the same columns.
    """
    rows = (
        [_row(path, language) for path in plan_files(plans_dir)] if Path(plans_dir).is_dir() else []
    )
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["break_even_month"] = df["break_even_month"].astype("Int64")
    df["pages"] = df["pages"].astype(int)
    df["valid"] = df["valid"].astype(bool)
    return df


def invalid(summary_df: pd.DataFrame) -> pd.DataFrame:
    """The rows of plans that could not be used, with their problems (file, problems)."""
    return summary_df.loc[~summary_df["valid"], ["file", "problems"]].reset_index(drop=True)


def problems_table(summary_df: pd.DataFrame, language: str = "vi") -> pd.DataFrame | str:
    """The invalid plans as a table with translated headers (one row per problem), or a
    sentence saying every plan can be used."""
    bad = invalid(summary_df)
    if not len(bad):
        return i18n.t("room.all_valid", language)
    rows = [
        [f, p.strip()]
        for f, text in zip(bad["file"], bad["problems"])
        for p in (text.split("; ") if text else [""])
    ]
    return views.table(
        pd.DataFrame(
            rows, columns=[i18n.t("room.col.file", language), i18n.t("room.col.problems", language)]
        )
    )


def counts(summary_df: pd.DataFrame) -> dict[str, int]:
    """How many plans: total, valid, invalid, and per capacity verdict (fits, tight, over)."""
    valid = summary_df[summary_df["valid"]]
    out = {"total": len(summary_df), "valid": len(valid), "invalid": len(summary_df) - len(valid)}
    for verdict in ("fits", "tight", "over"):
        out[verdict] = int((valid["verdict"] == verdict).sum())
    return out


def counts_text(summary_df: pd.DataFrame, language: str = "vi") -> str:
    """One translated sentence with :func:`counts` (for the top of notebook 05)."""
    c = counts(summary_df)
    if c["total"] == 0:
        return i18n.t("room.empty", language)
    return i18n.t("room.counts", language, **c)


def display_table(summary_df: pd.DataFrame, language: str = "vi") -> pd.DataFrame:
    """The room table for people: translated headers, hours and ROI formatted, "—" for
    "never breaks even" and for values an invalid plan does not have."""
    never = i18n.t("room.never", language)
    dash = "—"

    def hours(value: float) -> str:
        return dash if pd.isna(value) else i18n.fmt_number(value, language, 1)

    out = pd.DataFrame(
        {
            "file": summary_df["file"],
            "client": summary_df["client"].where(
                summary_df["valid"] | (summary_df["client"] != ""), i18n.t("room.invalid", language)
            ),
            "platforms": summary_df["platforms"],
            "pages": summary_df["pages"],
            "hours_needed": summary_df["hours_needed"].map(hours),
            "hours_available": summary_df["hours_available"].map(hours),
            "verdict_label": summary_df["verdict_label"].where(summary_df["valid"], dash),
            "break_even_month": [
                dash if not ok else (never if pd.isna(m) else str(int(m)))
                for ok, m in zip(summary_df["valid"], summary_df["break_even_month"])
            ],
            "roi_at_horizon": [
                dash if pd.isna(r) else i18n.fmt_percent(r, language, 0)
                for r in summary_df["roi_at_horizon"]
            ],
            "problems": summary_df["problems"],
        },
        columns=SHOWN,
    )
    out.columns = [i18n.t(f"room.col.{c}", language) for c in SHOWN]
    return views.table(out)
