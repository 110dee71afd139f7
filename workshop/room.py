"""The facilitator's view of the whole room (notebook 05): every participant's plan at a glance.

:func:`summarise` reads every ``*.yaml`` plan in a folder and returns one row per file:
the client, the chosen platforms, the capacity verdict (step 2: hours needed against hours
available, :func:`workshop.capacity.assess`) and the break-even month of the expected
projection (step 4: :func:`workshop.roi.summary`). A plan that fails validation, or whose
models fail, never stops the table: its row says ``valid = False`` and lists every problem
by field path, in the facilitator's language (the room's `language`, even for a plan written
in the other one), readable for people (:func:`readable`): a quoted value in plain quotes
rather than Python's repr, and a list of allowed ids with their names in that language.

Everything a participant wrote (business names, file names, the bad values the problem
messages quote) is shown as text: the tables are :class:`workshop.tables.Table`, whose HTML
escapes every cell (:mod:`workshop.markup`).

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
    break_even_label the break-even month in words (:func:`workshop.roi.break_even_text`)
    roi_at_horizon   cumulative ROI at the horizon (fraction; NaN when invalid)
    problems         "path: message" lines joined by "; " ("" when valid)
    problem_list     the same problems, one :class:`workshop.errors.Problem` each (a
                     message may itself hold "; " or a line break: use this to split)

:func:`workshop.tables.room_table` turns that into a table for people (translated headers,
formatted numbers) and :func:`workshop.tables.problems_table` lists the problems, one row
each.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from workshop import i18n, roi, tables
from workshop import plan as plan_mod
from workshop.errors import PlanError, Problem, WorkshopError
from workshop.results import Results

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
    "break_even_label",
    "roi_at_horizon",
    "problems",
    "problem_list",
]


def plan_files(plans_dir: str | os.PathLike[str]) -> list[Path]:
    """The plan files in `plans_dir` (``*.yaml`` and ``*.yml``, sorted, hidden files skipped)."""
    folder = Path(plans_dir)
    files = [p for pattern in ("*.yaml", "*.yml") for p in folder.glob(pattern)]
    return sorted(p for p in files if not p.name.startswith(".") and p.is_file())


def _row(path: Path, language: str) -> dict:
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
        "break_even_label": "",
        "roi_at_horizon": float("nan"),
        "problems": "",
        "problem_list": [],
    }

    def failed(problems: list[Problem]) -> dict:
        row["problem_list"] = problems
        row["problems"] = "; ".join(str(problem) for problem in problems)
        return row

    try:
        p = plan_mod.load(path, language)
    except PlanError as err:
        return failed(plan_problems(path, err, language))
    row.update(
        client=p.client.name,
        pages=len(p.platforms.chosen),
        platforms=", ".join(tables.platform_name(x, language) for x in p.platforms.chosen),
        hours_available=float(p.team.hours_per_week),
    )
    try:
        res = Results(p, language)
        assessment, summary = res.assessment, res.summary
        label = roi.break_even_text(p, language, result=summary, with_month=False)
    except (WorkshopError, ValueError, KeyError, ZeroDivisionError) as err:
        return failed([Problem("", i18n.t("room.model_failed", language, error=str(err)))])
    row.update(
        valid=True,
        hours_needed=float(assessment.hours_needed),
        verdict=assessment.verdict,
        verdict_label=i18n.t(f"capacity.verdict_label.{assessment.verdict}", language),
        break_even_month=(
            pd.NA if summary.break_even_month is None else int(summary.break_even_month)
        ),
        break_even_label=label,
        roi_at_horizon=float(summary.roi_at_horizon),
    )
    return row


# --- problems for people ----------------------------------------------------------------------

#: Which vocabulary a field's values come from (the last such name in its path decides).
FIELD_KINDS = {
    "weekday": "weekday",
    "content_type": "content_type",
    "asset": "asset",
    "channels": "channel",
    "skills": "skill",
    "sector": "sector",
    "market": "market",
    "audience": "audience",
    "area": "area",
    "chosen": "platform",
    "considered": "platform",
    "personal_profile_as_company": "platform",
    "platform": "platform",
    "cadence_per_week": "platform",
    "starting_followers": "platform",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _raw_plan(path: Path) -> Any:
    """The parsed YAML of a plan file, or None when it cannot be read or parsed (its problem
    then says so already); read only to make the problems readable."""
    try:
        if not path.is_file() or path.stat().st_size > plan_mod.MAX_PLAN_BYTES:
            return None
        return plan_mod._parse_yaml(path.read_text(encoding="utf-8"))
    except Exception:  # noqa: BLE001 - any unreadable plan: the problems stay as they are
        return None


def plan_problems(path: Path, err: PlanError, language: str) -> list[Problem]:
    """The problems of the plan file at `path` (which raised `err`) in the room's
    `language` and made :func:`readable`.

    A plan validated in its own language (``client.language``) is validated once more with
    the room's language put in its place, so that every message is in the room's language.
    """
    problems = list(err.problems)
    raw = _raw_plan(path)
    client = raw.get("client") if isinstance(raw, dict) else None
    stated = client.get("language") if isinstance(client, dict) else None
    if stated in i18n.LANGUAGES and stated != language:
        again = {**raw, "client": {**client, "language": language}}
        try:
            plan_mod.validate(again, path.name, language)
        except PlanError as err_again:
            problems = list(err_again.problems)
    return [readable(problem, raw, language) for problem in problems]


def _value_at(raw: Any, path: str) -> list[Any]:
    """The values a problem's field path can name in the raw plan: the value at `path`, and
    the last key itself (a dict key that is not allowed is quoted as the key)."""
    found: list[Any] = []

    def walk(node: Any, rest: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                name = str(key)
                if rest == name:
                    found.extend([value, key])
                elif rest.startswith(name + "."):
                    walk(value, rest[len(name) + 1 :])
        elif isinstance(node, list):
            head, _, tail = rest.partition(".")
            if head.isdigit() and int(head) < len(node):
                if tail:
                    walk(node[int(head)], tail)
                else:
                    found.append(node[int(head)])

    if path:
        walk(raw, path)
    return found


def shown_value(value: str, limit: int = 60) -> str:
    """A text value as a person reads it in a message: in quotes, line breaks and control
    characters shown as "↵" and "�", cut at `limit` characters (never Python's repr)."""
    text = _CONTROL.sub(lambda m: "↵" if m.group(0) in "\r\n\u2028\u2029" else "�", value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”"


@lru_cache(maxsize=64)
def _vocabulary(kind: str, language: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """A pattern for lists of two or more ids of `kind` ("mon, tue, wed") and each id's
    display form in `language` ("mon (Thứ Hai)")."""
    prefix = f"{kind}."
    ids = [key[len(prefix) :] for key in i18n.catalogue(language) if key.startswith(prefix)]
    if not ids:
        return None, {}
    forms = {}
    for value in ids:
        if kind == "platform" and i18n.has(f"channel.{value}", language):
            name = i18n.t(f"channel.{value}", language)  # the short name ("Zalo OA")
        else:
            name = i18n.label(kind, value, language)
        same = name.replace(" ", "").casefold() == value.replace("_", "").casefold()
        forms[value] = value if same else i18n.t("room.vocab_item", language, id=value, name=name)
    one = "|".join(re.escape(v) for v in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w'“])(?:{one})(?:, (?:{one}))+(?![\w'”])"), forms


def _kind(path: str) -> str | None:
    for part in reversed(path.split(".")):
        if part in FIELD_KINDS:
            return FIELD_KINDS[part]
    return None


def readable(problem: Problem, raw: Any, language: str) -> Problem:
    """`problem` for people, in `language`: a value the message quotes with Python's repr
    (``'x'``, ``"it's\\n"``) shown by :func:`shown_value`; a list of allowed ids (``mon, tue,
    ...``) with each id's name (``mon (Thứ Hai), ...``); the whole-plan path ``(plan)`` or
    "" named in words. The field path itself stays as the plan file spells it."""
    message = problem.message
    for value in _value_at(raw, problem.path):
        if isinstance(value, str):
            quoted = repr(value)
            if len(quoted) > 60:  # what workshop.plan quotes of a long value
                quoted = quoted[:57] + "..."
            message = message.replace(quoted, shown_value(value))
    kind = _kind(problem.path)
    if kind:
        pattern, forms = _vocabulary(kind, language)
        if pattern is not None:
            message = pattern.sub(
                lambda m: ", ".join(forms.get(v, v) for v in m.group(0).split(", ")), message
            )
    path = problem.path
    if path in ("", "(plan)"):
        path = i18n.t("room.whole_plan", language)
    return Problem(path, message)


def plans_dir_for(plans_dir: str | os.PathLike[str]) -> Path:
    """The folder notebook 05 reads: `plans_dir`; in a room (``workshop room``), the room's
    plans for the facilitator (the secret in the page's URL) and nothing for anyone else."""
    from workshop import room_kernel

    folder = room_kernel.folder()
    if folder is None:
        return Path(plans_dir)
    if room_kernel.facilitator_ok(folder):
        return folder / room_kernel.PLANS
    return folder / room_kernel.PLANS / "-none-"


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
