"""Checking a plan: the cross-field checks, the calendar's size, pydantic's errors turned
into messages people can act on (both languages), and :func:`validate`.

Part of :mod:`workshop.plan` (import from there).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from pydantic import (
    BaseModel,
    ValidationError,
)

from workshop import i18n
from workshop.errors import PlanError, Problem
from workshop.plan.models import (
    Plan,
)
from workshop.plan.vocab import (
    MAX_CALENDAR_ITEMS,
    SLUG_PATTERN,
    TIME_PATTERN,
    character_kind,
    codepoint,
    unsafe_character,
)

# --- Cross-field checks (pydantic checks each field; these check the plan as a whole) -----


def _duplicates(path: str, values: Iterable[str], lang: str, suffix: str = "") -> list[Problem]:
    """A problem at ``{path}.{i}{suffix}`` for each value already seen earlier in the list."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            problems.append(
                Problem(f"{path}.{i}{suffix}", i18n.t("plan.error.duplicate", lang, value=value))
            )
        seen.add(value)
    return problems


def _cross_checks(plan: Plan, lang: str) -> list[Problem]:
    """The plan as a whole: chosen among the considered, no duplicates, items inside the
    horizon, a calendar of bounded size."""
    problems: list[Problem] = []
    considered = set(plan.platforms.considered)
    for i, pid in enumerate(plan.platforms.chosen):
        if considered and pid not in considered:
            problems.append(
                Problem(
                    f"platforms.chosen.{i}",
                    i18n.t(
                        "plan.error.chosen_not_considered",
                        lang,
                        value=pid,
                        allowed=", ".join(sorted(considered)),
                    ),
                )
            )
    for name in ("chosen", "considered", "personal_profile_as_company"):
        problems += _duplicates(f"platforms.{name}", getattr(plan.platforms, name), lang)
    for i, item in enumerate(plan.communication.items):
        if item.month > plan.horizon_months:
            problems.append(
                Problem(
                    f"communication.items.{i}.month",
                    i18n.t(
                        "plan.error.month_after_horizon",
                        lang,
                        value=item.month,
                        horizon=plan.horizon_months,
                    ),
                )
            )
    problems += _duplicates(
        "editorial.rules", [r.platform for r in plan.editorial.rules], lang, ".platform"
    )
    problems += _duplicates("team.skills", plan.team.skills, lang)
    problems += _duplicates("team.help", [h.skill for h in plan.team.help], lang, ".skill")
    problems += _duplicates("team.learning", [s.skill for s in plan.team.learning], lang, ".skill")
    for i, item in enumerate(plan.communication.items):
        problems += _duplicates(f"communication.items.{i}.channels", item.channels, lang)
    items, slots, suggested = calendar_size(plan)
    if items > MAX_CALENDAR_ITEMS:
        problems.append(
            Problem(
                "editorial.rules",
                i18n.t(
                    "plan.error.calendar_too_large",
                    lang,
                    count=items,
                    months=plan.horizon_months,
                    slots=slots,
                    suggested=suggested,
                    limit=MAX_CALENDAR_ITEMS,
                ),
            )
        )
    return problems


def _weekday_counts(first: dt.date, end: dt.date) -> list[int]:
    """How many Mondays, Tuesdays ... Sundays there are in [first, end)."""
    days = max(0, (end - first).days)
    weeks, rest = divmod(days, 7)
    return [weeks + ((w - first.weekday()) % 7 < rest) for w in range(7)]


def _every_other_week_counts(first: dt.date, end: dt.date) -> list[int]:
    """How many Mondays ... Sundays of the plan's weeks 0, 2, 4 ... (weeks from the Monday
    of `first`'s week) there are in [first, end): the days of a slot every other week."""
    days, lead = max(0, (end - first).days), first.weekday()
    counts = []
    for w in range(7):  # that weekday falls on offsets w + 7k from the first Monday
        k_min, k_max = (0 if w >= lead else 1), (lead + days - 1 - w) // 7
        counts.append(max(0, k_max // 2 - (k_min - 1) // 2) if k_max >= k_min else 0)
    return counts


def calendar_size(plan: Plan) -> tuple[int, int, int]:
    """(items, weekly slots, suggested weekly slots) of the plan's editorial calendar:
    how many dated items ``schedule.expand`` gives before holidays and blackout days are
    taken out (so never fewer than it gives).

    The rules are those of ``schedule.editorial_rules``: the plan's own, then the ones
    suggested for chosen platforms without a rule (``schedule.suggest_rules``, which reads
    the posting pace of ``data/platforms.csv``). Each slot counts the days of its weekday
    over the horizon. Cheap: no date is expanded.
    """
    from workshop import schedule  # lazy: schedule imports this module

    end = schedule.horizon_end(plan)
    counts = {1: _weekday_counts(plan.start, end), 2: _every_other_week_counts(plan.start, end)}
    suggested_rules = schedule.suggest_rules(plan)
    items = slots = suggested = 0
    for rule in list(plan.editorial.rules) + suggested_rules:
        for slot in rule.slots:
            items += counts[slot.every_weeks][schedule.WEEKDAYS.index(slot.weekday)]
            slots += 1
    suggested = sum(len(rule.slots) for rule in suggested_rules)
    return items, slots, suggested


# --- Turning pydantic's errors into messages people can act on, in two languages ----------


def _key_name(part: Any) -> str:
    """A key of the plan as a message shows it: unknown keys are the plan's own text, so
    they are shown escaped (repr) when they hold an unsafe character, and cut at 60."""
    text = str(part)
    if unsafe_character(text) is not None:
        text = repr(text)[1:-1]
    return text if len(text) <= 60 else text[:57] + "..."


def _path(loc: tuple[Any, ...]) -> str:
    return ".".join(_key_name(part) for part in loc) or "(plan)"


def _shown(value: Any) -> str:
    """A wrong value as a message quotes it: repr (escapes control characters), cut at 60."""
    if isinstance(value, (dict, list)):
        return type(value).__name__
    try:
        shown = repr(value)
    except ValueError:  # an int of more than 4,300 digits cannot be converted to text
        shown = f"<{type(value).__name__}>"
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _number(value: Any) -> Any:
    """A bound as a message shows it: 10000000000, not 10000000000.0 or 1e10."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _allowed_for(error: dict[str, Any]) -> str | None:
    ctx = error.get("ctx") or {}
    if "expected" in ctx:
        return str(ctx["expected"]).replace("'", "").replace(" or ", ", ")
    return None


def _translate(error: dict[str, Any], lang: str) -> Problem:
    kind = error["type"]
    loc = tuple(error["loc"])
    ctx = error.get("ctx") or {}
    # dict keys that fail a Literal show up as "[key]" loc parts
    loc = tuple(p for p in loc if p != "[key]")
    value = error.get("input")
    shown = _shown(value)
    key = f"plan.error.{kind}"
    if kind == "string_pattern_mismatch":
        # say the rule in words rather than the regular expression
        pattern = str(ctx.get("pattern", ""))
        key = {SLUG_PATTERN: "plan.error.slug", TIME_PATTERN: "plan.error.time"}.get(pattern, key)
    if kind == "float_type" and isinstance(value, int) and not isinstance(value, bool):
        key = "plan.error.int_parsing_size"  # an integer too large to be a float (10**400)
    bound = ctx.get("ge", ctx.get("le"))
    if kind in ("greater_than_equal", "less_than_equal") and (
        isinstance(bound, dt.date) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(bound))
    ):  # a date bound (pydantic gives it as ISO text)
        key = f"plan.error.date_too_{'early' if kind == 'greater_than_equal' else 'late'}"
    values = dict(
        value=shown,
        allowed=_allowed_for(error) or "",
        **{
            k: _number(v)
            for k, v in ctx.items()
            if k
            in (
                "ge",
                "le",
                "gt",
                "lt",
                "min_length",
                "max_length",
                "pattern",
                "expected",
                "char",
                "name",
            )
        },
    )
    if kind == "string_unicode" and isinstance(value, str) and unsafe_character(value):
        # pydantic refuses a lone surrogate before our own check: say it the same way
        kind, key = "text_unsafe_character", "plan.error.text_unsafe_character"
        char = unsafe_character(value)
        ctx = {"char": codepoint(char), "kind": character_kind(char)}
        values["char"] = ctx["char"]
    if kind == "text_unsafe_character":
        values["kind"] = i18n.t(f"plan.char.{ctx.get('kind', 'control')}", lang)
    if kind == "extra_forbidden":
        return Problem(
            _path(loc),
            i18n.t(
                "plan.error.extra_forbidden",
                lang,
                name=_key_name(loc[-1]),
                allowed=_fields_at(loc[:-1]),
            ),
        )
    if i18n.has(key, lang):
        return Problem(_path(loc), i18n.t(key, lang, **values))
    return Problem(
        _path(loc), i18n.t("plan.error.generic", lang, value=shown, detail=error.get("msg", kind))
    )


def _fields_at(loc: tuple[Any, ...]) -> str:
    """The allowed keys of the model at a location, for 'unknown key' messages."""
    model: Any = Plan
    for part in loc:
        if isinstance(part, int) or part == "[key]":
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return ""
        annotation = field.annotation
        inner = getattr(annotation, "__args__", None)
        model = annotation
        if inner:
            model = next(
                (a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), annotation
            )
    fields = getattr(model, "model_fields", None)
    return ", ".join(fields) if fields else ""


def _detect_language(raw: Any, default: str) -> str:
    if isinstance(raw, dict):
        client = raw.get("client")
        if isinstance(client, dict) and client.get("language") in i18n.LANGUAGES:
            return client["language"]
    return default


def validate(raw: Any, source: str = "<plan>", language: str | None = None) -> Plan:
    """Validate an already-parsed plan (a mapping) and return the typed :class:`Plan`.

    Raises :class:`PlanError` naming every problem. Messages are in the plan's own
    language when it states one, else in `language` (default Vietnamese).
    """
    lang = _detect_language(raw, language or i18n.DEFAULT_LANGUAGE)
    if raw is None:
        raise PlanError(source, [Problem("", i18n.t("plan.error.empty", lang))], lang)
    if not isinstance(raw, dict):
        raise PlanError(
            source,
            [Problem("", i18n.t("plan.error.not_mapping", lang, kind=type(raw).__name__))],
            lang,
        )
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as exc:
        problems = [_translate(e, lang) for e in exc.errors(include_url=False)]
        raise PlanError(source, problems, lang) from None
    problems = _cross_checks(plan, lang)
    if problems:
        raise PlanError(source, problems, lang)
    return plan
