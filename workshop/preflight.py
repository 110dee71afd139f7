"""Pre-flight check: each tool's rules applied to the calendar before any file is written.

A scheduler refuses, or silently mangles, a file that breaks its rules: too many rows, a
post in the past, a time not on its grid, a text over a network's limit, an Instagram post
without a picture. Zalo OA limits broadcasts (per package per month, one a day per
follower, sent 06:00-20:00, scheduled 30 minutes ahead). The rules, each with its source,
are in ``data/schedulers.yaml`` (:func:`rules`); :data:`RULES` lists them.

:func:`zalo_calendar` applies Zalo OA's broadcast rules to the calendar itself (they hold
whatever file the calendar goes to). :func:`check` then applies one tool's rules and
returns a :class:`Result`: the rows that go into the tool's files (moved, shortened, split
into parts, as drafts) and a :class:`Finding` per row and rule that needed something (the
date, time, platform, the rule, and what was done or what to do, in the plan's language),
or the export refused with the reason. Nothing is written here.

Outcomes: ``adjusted`` (the row was changed: moved, shortened, made a draft, split into
another file), ``dropped`` (left out of this tool's files; the message says where it goes),
``todo`` (written, but the person completes it in the tool: a picture, a board), and
``refused`` (nothing for this tool; :attr:`Result.reason` says why).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import pandas as pd
import yaml

from workshop import data, i18n, schedule
from workshop.errors import WorkshopError
from workshop.exports import TIMEZONES
from workshop.exports_tools import text as textmod
from workshop.plan import Plan

TOOLS = ("buffer", "metricool", "publer", "hootsuite")
CHECKLIST = "checklist"
OUTCOMES = ("adjusted", "dropped", "todo", "refused")
BROADCAST = "broadcast_message"
#: What a broadcast over Zalo OA's quota becomes: an article on the OA page (no message).
ZALO_FALLBACK_TYPE = "article"
#: How far a second broadcast of a day may move to find a day without one.
ZALO_MAX_SHIFT_DAYS = 7
MAX_RULES_BYTES = 200_000

#: Every rule the check applies: id -> where it applies (a tool's rules, or all tools).
RULES = {
    "platform_supported": "tools",
    "business_account": "tools",
    "lead_time": "tools",
    "time_step": "hootsuite",
    "min_spacing": "hootsuite",
    "unique_text": "hootsuite",
    "text_length": "tools",
    "image_required": "tools",
    "board_required": "buffer, metricool, publer",
    "max_rows": "buffer, hootsuite",
    "zalo_send_window": "zalo_oa",
    "zalo_per_day": "zalo_oa",
    "zalo_quota": "zalo_oa",
    "zalo_lead_time": "zalo_oa",
    "past": "checklist",
}


#: Rule keys of ``data/schedulers.yaml`` whose :data:`RULES` id differs.
_RULE_KEYS = {
    "lead_minutes": "lead_time",
    "time_step_minutes": "time_step",
    "min_spacing_minutes": "min_spacing",
}


class ExportOptionError(WorkshopError):
    """An export option that cannot be used (named, with what is allowed)."""


# --- The rules file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a rule comes from; `status` is vendor, unconfirmed (third-party only) or toolkit."""

    id: str
    publisher: str
    title: str
    url: str
    status: str

    @property
    def confirmed(self) -> bool:
        return self.status == "vendor"

    def label(self, language: str = "vi") -> str:
        """ "Publisher: title", then "(unconfirmed)" for a third-party source."""
        text = f"{self.publisher}: {self.title}"
        if self.status == "unconfirmed":
            text += " " + i18n.t("schedulers.source.unconfirmed", language)
        elif self.status == "toolkit":
            text = i18n.t("schedulers.source.toolkit", language)
        return text


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    raw = open(path, "rb").read(MAX_RULES_BYTES + 1)  # noqa: SIM115 - bounded read
    if len(raw) > MAX_RULES_BYTES:
        raise ValueError(f"{path} is larger than {MAX_RULES_BYTES} bytes")
    loaded = yaml.safe_load(raw.decode("utf-8"))
    if not isinstance(loaded, dict) or not {"sources", "tools", "zalo_oa"} <= set(loaded):
        raise ValueError(f"{path} is not a schedulers rules file")
    return loaded


def rules() -> dict:
    """``data/schedulers.yaml`` as a dict (read once per process)."""
    return _load(str(data.path("schedulers.yaml")))


def source(source_id: str) -> Source:
    """The :class:`Source` of a rule, by its id in ``data/schedulers.yaml``."""
    return _source(str(data.path("schedulers.yaml")), source_id)


@lru_cache(maxsize=64)
def _source(path: str, source_id: str) -> Source:
    raw = _load(path)["sources"][source_id]
    return Source(source_id, raw["publisher"], raw["title"], raw.get("url", ""), raw["status"])


def tool(name: str) -> dict:
    """One tool's layout and rules from ``data/schedulers.yaml``."""
    return rules()["tools"][name]


def tool_label(name: str, language: str = "vi") -> str:
    """A tool's name as a person reads it (Buffer, Metricool, ..., the posting checklist)."""
    if name in rules()["tools"]:
        return rules()["tools"][name]["name"]
    return i18n.t(f"schedulers.tool.{name}", language)


def supported(name: str) -> list[str]:
    """The platform ids a tool publishes to."""
    return list(tool(name)["platforms"])


def rule_sources() -> list[dict]:
    """Every rule with its value and source, for the report's closing note and the docs.

    One dict per (tool or network, rule): tool, rule, value (as text), source id, status.
    """
    cfg = rules()
    out = []
    for name, spec in cfg["tools"].items():
        out.append(
            {
                "tool": name,
                "rule": "layout",
                "value": ", ".join(spec.get("header") or spec.get("columns") or []),
                "source": spec["header_source"],
            }
        )
        out.append(
            {
                "tool": name,
                "rule": "platform_supported",
                "value": ", ".join(spec["platforms"]),
                "source": spec["platforms_source"],
            }
        )
        for key, value in spec.get("rules", {}).items():
            shown = {k: v for k, v in value.items() if k != "source"}
            out.append(
                {
                    "tool": name,
                    "rule": _RULE_KEYS.get(key, key),
                    "value": str(shown),
                    "source": value["source"],
                }
            )
    out.append(
        {
            "tool": "all",
            "rule": "text_length",
            "value": str(cfg["text_limits"]["limits"]),
            "source": cfg["text_limits"]["source"],
        }
    )
    out.append(
        {
            "tool": "all",
            "rule": "image_required",
            "value": ", ".join(cfg["image_required"]["platforms"]),
            "source": cfg["image_required"]["source"],
        }
    )
    for platform, src in cfg["business_account_required"].items():
        out.append({"tool": "all", "rule": "business_account", "value": platform, "source": src})
    z = cfg["zalo_oa"]
    for rule_id, value, src in (
        ("zalo_quota", str(z["packages"]), z["quota_source"]),
        ("zalo_per_day", str(z["per_day"]), z["per_day_source"]),
        ("zalo_send_window", "-".join(z["send_window"]), z["send_window_source"]),
        ("zalo_lead_time", f"{z['lead_minutes']} min", z["lead_source"]),
    ):
        out.append({"tool": "zalo_oa", "rule": rule_id, "value": value, "source": src})
    out.append({"tool": CHECKLIST, "rule": "past", "value": "0 min", "source": "toolkit"})
    for row in out:
        row["status"] = source(row["source"]).status
    return out


# --- Options ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """What the plan does not say and the person chooses (the widget, the report runner).

    * now: the moment of the export (default: now in the client's time zone; a naive
      datetime is the client's local time); posts before ``now`` + a tool's lead time
      cannot be scheduled;
    * zalo_package: the Zalo OA package (basic, trial, advanced, premium; default basic,
      the package without a subscription);
    * tiers: a tool's plan where its limits differ (``{"buffer": "paid"}``; default free);
    * pinterest_board: the Pinterest board every pin goes to (empty: to fill in the tool);
    * drafts: Metricool rows all as drafts (rows that need a picture always are).
    """

    now: dt.datetime | None = None
    zalo_package: str | None = None
    tiers: Mapping[str, str] = field(default_factory=dict)
    pinterest_board: str = ""
    drafts: bool = False

    @classmethod
    def before_start(cls, plan: Plan) -> Options:
        """The options of a document of the plan (the report, its calendar files): checked
        as if exported the day before the plan starts, so every post can still be
        scheduled and a rebuild of the same plan gives the same files."""
        return cls(now=dt.datetime.combine(plan.start, dt.time()) - dt.timedelta(days=1))

    def validated(self, language: str, plan: Plan | None = None) -> Options:
        """These options, checked; :class:`ExportOptionError` names a wrong one. The Zalo
        OA package defaults to the plan's (``platforms.zalo_oa_package``), else basic."""
        packages = rules()["zalo_oa"]["packages"]
        if self.zalo_package is not None and self.zalo_package not in packages:
            raise ExportOptionError(
                i18n.t(
                    "schedulers.error.option",
                    language,
                    name="zalo_package",
                    value=str(self.zalo_package)[:40],
                    allowed=", ".join(packages),
                )
            )
        for name, tier in dict(self.tiers).items():
            allowed = (
                tool(name).get("rules", {}).get("max_rows", {}).get("tiers", {})
                if name in TOOLS
                else {}
            )
            if name not in TOOLS or tier not in allowed:
                raise ExportOptionError(
                    i18n.t(
                        "schedulers.error.option",
                        language,
                        name=f"tiers.{str(name)[:20]}",
                        value=str(tier)[:40],
                        allowed=", ".join(allowed) or "-",
                    )
                )
        board = textmod.clean(self.pinterest_board)
        if len(board) > 180 or "\n" in board:
            raise ExportOptionError(
                i18n.t(
                    "schedulers.error.option",
                    language,
                    name="pinterest_board",
                    value=board[:40],
                    allowed=i18n.t("schedulers.error.board_allowed", language),
                )
            )
        return Options(
            now=self.now,
            zalo_package=self.zalo_package
            or (plan.platforms.zalo_oa_package if plan is not None else None)
            or rules()["zalo_oa"]["default_package"],
            tiers=dict(self.tiers),
            pinterest_board=board,
            drafts=bool(self.drafts),
        )


def timezone(plan: Plan) -> ZoneInfo | None:
    """The client's time zone (None for ``OTHER``: floating local times)."""
    tzid = TIMEZONES.get(plan.client.country)
    return ZoneInfo(tzid) if tzid else None


def now_for(plan: Plan, options: Options) -> dt.datetime:
    """`options.now` as a naive local time of the client (the calendar's times are local)."""
    tz = timezone(plan)
    now = options.now or dt.datetime.now(tz or dt.UTC)
    if now.tzinfo is not None:
        now = now.astimezone(tz).replace(tzinfo=None) if tz else now.replace(tzinfo=None)
    return now


# --- Findings and results -------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One row and rule that needed something, in the plan's language."""

    tool: str
    rule: str
    outcome: str
    date: dt.date | None
    time: str
    platform: str
    message: str
    source: str
    new_date: dt.date | None = None
    new_time: str = ""

    def as_row(self, language: str) -> dict:
        """The finding as a table row with translated values (for views and files)."""
        return {
            "tool": tool_label(self.tool, language),
            "date": i18n.fmt_date(self.date, language, "short_numeric") if self.date else "",
            "time": self.time,
            "platform": i18n.label("platform", self.platform, language) if self.platform else "",
            "rule": i18n.t(f"schedulers.rule.{self.rule}", language),
            "outcome": i18n.t(f"schedulers.outcome.{self.outcome}", language),
            "message": self.message,
            "source": source(self.source).label(language),
        }


@dataclass
class Result:
    """What a tool's files will hold, and why (see the module docstring)."""

    tool: str
    calendar: pd.DataFrame
    findings: list[Finding]
    refused: bool = False
    reason: str = ""

    @property
    def adjustments(self) -> list[Finding]:
        return [f for f in self.findings if f.outcome == "adjusted"]

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.findings if f.outcome == outcome)


FINDING_COLUMNS = ("tool", "date", "time", "platform", "rule", "outcome", "message", "source")


def findings_table(results: Mapping[str, Result] | list[Result], language: str) -> pd.DataFrame:
    """Every finding of `results` as a table with translated headers (a view or a file)."""
    items = results.values() if isinstance(results, Mapping) else results
    rows = [f.as_row(language) for r in items for f in r.findings]
    df = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    df.columns = [i18n.t(f"schedulers.column.{c}", language) for c in FINDING_COLUMNS]
    return df


SUMMARY_COLUMNS = ("tool", "rule", "outcome", "count", "first", "message", "source")


def summary_table(results: Mapping[str, Result] | list[Result], language: str) -> pd.DataFrame:
    """The findings counted per tool, rule and outcome: how many rows, the first one's date,
    one message as an example, the source; refused tools with their reason. For a widget
    or a report that cannot show a thousand rows."""
    items = list(results.values() if isinstance(results, Mapping) else results)
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for result in items:
        for f in result.findings:
            groups.setdefault((f.tool, f.rule, f.outcome), []).append(f)
    rows = []
    for (name, rule_id, outcome), found in groups.items():
        first = min((f.date for f in found if f.date), default=None)
        rows.append(
            {
                "tool": tool_label(name, language),
                "rule": i18n.t(f"schedulers.rule.{rule_id}", language),
                "outcome": i18n.t(f"schedulers.outcome.{outcome}", language),
                "count": len(found),
                "first": i18n.fmt_date(first, language, "short_numeric") if first else "",
                "message": found[0].message,
                "source": source(found[0].source).label(language),
            }
        )
    for result in items:
        if result.refused:
            rows.append(
                {
                    "tool": tool_label(result.tool, language),
                    "rule": "",
                    "outcome": i18n.t("schedulers.outcome.refused", language),
                    "count": 0,
                    "first": "",
                    "message": result.reason,
                    "source": "",
                }
            )
    df = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    df.columns = [i18n.t(f"schedulers.column.{c}", language) for c in SUMMARY_COLUMNS]
    return df


# --- Zalo OA broadcasts ---------------------------------------------------------------------


def _minutes(hhmm: str) -> int:
    hour, minute = (int(x) for x in str(hhmm).split(":"))
    return hour * 60 + minute


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _relabel(df: pd.DataFrame, i: int, language: str) -> None:
    """Refresh the labels of row `i` after its date or content type changed."""
    day = df.at[i, "date"]
    df.at[i, "weekday"] = schedule.WEEKDAYS[day.weekday()]
    df.at[i, "weekday_label"] = i18n.weekday_name(df.at[i, "weekday"], language)
    df.at[i, "content_type_label"] = i18n.label("content_type", df.at[i, "content_type"], language)


def zalo_calendar(
    plan: Plan, calendar_df: pd.DataFrame, language: str, options: Options | None = None
) -> tuple[pd.DataFrame, list[Finding]]:
    """The calendar with Zalo OA's broadcast rules applied, and a finding per change.

    For each Zalo OA broadcast (content type ``broadcast_message``), in date order:

    1. send window (``zalo_send_window``): a time before 06:00 moves to 06:00, after 20:00
       to 20:00 the same day;
    2. one a day per follower (``zalo_per_day``): a second broadcast on a day moves to the
       next day without one (at most :data:`ZALO_MAX_SHIFT_DAYS` days later, inside the
       horizon), else it becomes an article;
    3. quota (``zalo_quota``): past the package's broadcasts in a calendar month (followers'
       allowance resets on the 1st), a broadcast becomes an article on the OA page
       (:data:`ZALO_FALLBACK_TYPE`: seen on the page, not sent as a message).

    Other rows are unchanged. The result is sorted like :func:`workshop.schedule.expand`.
    """
    options = (options or Options()).validated(language, plan)
    cfg = rules()["zalo_oa"]
    quota = int(cfg["packages"][options.zalo_package])
    opens, closes = (_minutes(t) for t in cfg["send_window"])
    df = calendar_df.copy().reset_index(drop=True)
    for col in ("weekday", "weekday_label", "content_type", "content_type_label", "time"):
        if col in df.columns:
            df[col] = df[col].astype(object)
    findings: list[Finding] = []
    is_broadcast = (df["platform"] == "zalo_oa") & (df["content_type"] == BROADCAST)
    if not is_broadcast.any():
        return df, findings
    end = schedule.horizon_end(plan)
    package = i18n.t(f"schedulers.zalo.package.{options.zalo_package}", language)

    def add(rule: str, i: int, old_date, old_time, key: str, src: str, **values) -> None:
        findings.append(
            Finding(
                CHECKLIST,
                rule,
                "adjusted",
                old_date,
                old_time,
                "zalo_oa",
                i18n.t(key, language, **values),
                src,
                new_date=df.at[i, "date"],
                new_time=df.at[i, "time"],
            )
        )

    order = sorted(
        (i for i in df.index[is_broadcast]), key=lambda i: (df.at[i, "date"], df.at[i, "time"])
    )
    # 1. send window
    for i in order:
        minutes = _minutes(df.at[i, "time"])
        if opens <= minutes <= closes:
            continue
        old = df.at[i, "time"]
        df.at[i, "time"] = _hhmm(opens if minutes < opens else closes)
        add(
            "zalo_send_window",
            i,
            df.at[i, "date"],
            old,
            "schedulers.zalo.window",
            cfg["send_window_source"],
            start=cfg["send_window"][0],
            end=cfg["send_window"][1],
            time=df.at[i, "time"],
        )
    # 2. one a day, 3. quota per month
    taken = {df.at[i, "date"] for i in order}
    used_days: set[dt.date] = set()
    per_month: dict[tuple[int, int], int] = {}
    for i in sorted(order, key=lambda i: (df.at[i, "date"], df.at[i, "time"])):
        day, at = df.at[i, "date"], df.at[i, "time"]
        if day in used_days:
            new_day = None
            for shift in range(1, ZALO_MAX_SHIFT_DAYS + 1):
                candidate = day + dt.timedelta(days=shift)
                if candidate >= end:
                    break
                if candidate not in taken and candidate not in used_days:
                    new_day = candidate
                    break
            if new_day is None:
                df.at[i, "content_type"] = ZALO_FALLBACK_TYPE
                _relabel(df, i, language)
                add(
                    "zalo_per_day",
                    i,
                    day,
                    at,
                    "schedulers.zalo.per_day_article",
                    cfg["per_day_source"],
                )
                continue
            df.at[i, "date"] = new_day
            _relabel(df, i, language)
            add(
                "zalo_per_day",
                i,
                day,
                at,
                "schedulers.zalo.per_day",
                cfg["per_day_source"],
                date=i18n.fmt_date(new_day, language, "short_numeric"),
            )
            day = new_day
        month = (day.year, day.month)
        if per_month.get(month, 0) >= quota:
            df.at[i, "content_type"] = ZALO_FALLBACK_TYPE
            _relabel(df, i, language)
            add(
                "zalo_quota",
                i,
                day,
                at,
                "schedulers.zalo.quota",
                cfg["quota_source"],
                package=package,
                quota=quota,
            )
            continue
        per_month[month] = per_month.get(month, 0) + 1
        used_days.add(day)
    df = df.sort_values(["date", "time", "platform"], kind="stable").reset_index(drop=True)
    return df, findings


# --- One tool -------------------------------------------------------------------------------


def _start(row: Mapping) -> dt.datetime:
    hour, minute = (int(x) for x in str(row["time"]).split(":"))
    return dt.datetime.combine(row["date"], dt.time(hour, minute))


def _date_tag(day: dt.date, language: str) -> str:
    return i18n.t(
        "schedulers.text.date_tag", language, date=i18n.fmt_date(day, language, "short_numeric")
    )


def _file_key(name: str, platform: str) -> str:
    """The file a row goes to: one per channel/profile/account, one for Metricool."""
    return "all" if name == "metricool" else platform


def check(
    plan: Plan,
    name: str,
    language: str = "vi",
    calendar_df: pd.DataFrame | None = None,
    options: Options | None = None,
) -> Result:
    """Tool `name`'s rules applied to the calendar (``schedule.expand`` by default).

    The calendar first goes through :func:`zalo_calendar`; the rules then apply in this
    order, each adding a :class:`Finding` per row it concerns:

    * ``platform_supported``: rows of a platform the tool does not publish to are dropped
      (they are in the posting checklist);
    * ``business_account``: Facebook/Instagram rows of a platform run as a personal profile
      (``plan.platforms.personal_profile_as_company``) are dropped: schedulers publish to
      Pages and business accounts only;
    * ``lead_time``: rows earlier than now + the tool's lead time are dropped;
    * ``time_step`` (Hootsuite): times move up to the tool's 5-minute grid;
    * ``min_spacing`` (Hootsuite): a post of a profile closer than the spacing to the one
      before moves later;
    * ``unique_text`` (Hootsuite): a text repeated on a profile gets its date appended;
    * ``text_length``: a text over the network's limit loses its notes, then is cut;
    * ``image_required``: a row of a network that needs a picture or video becomes a draft
      (Metricool) or is marked to complete in the tool;
    * ``board_required``: a Pinterest row without a board (no ``options.pinterest_board``)
      is marked to complete;
    * ``max_rows``: a file over the row limit is split into parts (one finding per part).

    The result's calendar has the expand columns plus ``text``, ``draft``, ``file`` (the
    file key: a platform, or "all") and ``part`` (1-based). Refused when no row is left.
    """
    if name not in TOOLS:
        raise ExportOptionError(
            i18n.t(
                "schedulers.error.option",
                language,
                name="tool",
                value=str(name)[:40],
                allowed=", ".join(TOOLS),
            )
        )
    options = (options or Options()).validated(language, plan)
    spec = tool(name)
    tool_rules = spec.get("rules", {})
    cfg = rules()
    cal = calendar_df if calendar_df is not None else schedule.expand(plan, language)
    cal, _ = zalo_calendar(plan, cal, language, options)
    label = spec["name"]
    findings: list[Finding] = []
    records = cal.to_dict("records")

    def finding(rule, outcome, rec, key, src, old=None, **values) -> None:
        old_date, old_time = old if old else (rec["date"], rec["time"])
        findings.append(
            Finding(
                name,
                rule,
                outcome,
                old_date,
                old_time,
                rec["platform"],
                i18n.t(key, language, tool=label, **values),
                src,
                new_date=rec["date"] if outcome == "adjusted" else None,
                new_time=rec["time"] if outcome == "adjusted" else "",
            )
        )

    # platform_supported, business_account
    keep = []
    platforms = set(spec["platforms"])
    personal = set(plan.platforms.personal_profile_as_company)
    business = cfg["business_account_required"]
    for rec in records:
        if rec["platform"] not in platforms:
            finding(
                "platform_supported",
                "dropped",
                rec,
                "schedulers.msg.platform_supported",
                spec["platforms_source"],
                platform=i18n.label("platform", rec["platform"], language),
            )
        elif rec["platform"] in business and rec["platform"] in personal:
            finding(
                "business_account",
                "dropped",
                rec,
                "schedulers.msg.business_account",
                business[rec["platform"]],
                platform=i18n.label("platform", rec["platform"], language),
            )
        else:
            keep.append(rec)
    records = keep

    # lead_time
    lead = tool_rules.get("lead_minutes")
    if lead:
        earliest = now_for(plan, options) + dt.timedelta(minutes=int(lead["value"]))
        keep = []
        for rec in records:
            if _start(rec) < earliest:
                finding(
                    "lead_time",
                    "dropped",
                    rec,
                    "schedulers.msg.lead_time",
                    lead["source"],
                    minutes=int(lead["value"]),
                )
            else:
                keep.append(rec)
        records = keep

    # time_step
    step_rule = tool_rules.get("time_step_minutes")
    step = int(step_rule["value"]) if step_rule else 1
    if step_rule:
        for rec in records:
            start = _start(rec)
            if start.minute % step:
                old = (rec["date"], rec["time"])
                start += dt.timedelta(minutes=step - start.minute % step)
                rec["date"], rec["time"] = start.date(), start.strftime("%H:%M")
                finding(
                    "time_step",
                    "adjusted",
                    rec,
                    "schedulers.msg.time_step",
                    step_rule["source"],
                    old=old,
                    step=step,
                    time=rec["time"],
                )

    # min_spacing (per profile: per file key)
    spacing_rule = tool_rules.get("min_spacing_minutes")
    if spacing_rule:
        gap = dt.timedelta(minutes=int(spacing_rule["value"]))
        last: dict[str, dt.datetime] = {}
        for rec in sorted(records, key=lambda r: (_start(r), r["platform"])):
            start = _start(rec)
            prev = last.get(rec["platform"])
            if prev is not None and start < prev + gap:
                old = (rec["date"], rec["time"])
                start = prev + gap
                rec["date"], rec["time"] = start.date(), start.strftime("%H:%M")
                finding(
                    "min_spacing",
                    "adjusted",
                    rec,
                    "schedulers.msg.min_spacing",
                    spacing_rule["source"],
                    old=old,
                    minutes=int(spacing_rule["value"]),
                    time=rec["time"],
                    date=i18n.fmt_date(rec["date"], language, "short_numeric"),
                )
            last[rec["platform"]] = start

    # texts: unique_text, text_length
    limits = cfg["text_limits"]["limits"]
    unique_rule = tool_rules.get("unique_text")
    sep = "\n" if spec.get("line_breaks", True) else textmod.INLINE_SEPARATOR
    seen: dict[tuple[str, str], int] = {}
    parts_of = []
    for rec in records:
        parts = textmod.post_parts(rec, language)
        parts_of.append(parts)
        key = (rec["platform"], "\n".join(parts))
        seen[key] = seen.get(key, 0) + 1
    for rec, parts in zip(records, parts_of):
        tag = ""
        if unique_rule and seen[(rec["platform"], "\n".join(parts))] > 1:
            tag = _date_tag(rec["date"], language)
            finding(
                "unique_text",
                "adjusted",
                rec,
                "schedulers.msg.unique_text",
                unique_rule["source"],
                tag=tag,
            )
        limit = limits.get(rec["platform"])
        rec["text"], shortened = textmod.fit(parts, limit, keep_last=tag, sep=sep)
        if shortened:
            finding(
                "text_length",
                "adjusted",
                rec,
                "schedulers.msg.text_length",
                cfg["text_limits"]["source"],
                limit=limit,
                platform=i18n.label("platform", rec["platform"], language),
            )

    # image_required, board_required
    needs_image = set(cfg["image_required"]["platforms"])
    board_rule = tool_rules.get("board_required")
    for rec in records:
        rec["draft"] = bool(options.drafts) if name == "metricool" else False
        if rec["platform"] in needs_image:
            if name == "metricool":
                rec["draft"] = True
                finding(
                    "image_required",
                    "adjusted",
                    rec,
                    "schedulers.msg.image_draft",
                    cfg["image_required"]["source"],
                    platform=i18n.label("platform", rec["platform"], language),
                )
            else:
                finding(
                    "image_required",
                    "todo",
                    rec,
                    "schedulers.msg.image_todo",
                    cfg["image_required"]["source"],
                    platform=i18n.label("platform", rec["platform"], language),
                )
        rec["board"] = ""
        if board_rule and rec["platform"] in board_rule["platforms"]:
            rec["board"] = options.pinterest_board
            if not rec["board"]:
                finding(
                    "board_required",
                    "todo",
                    rec,
                    "schedulers.msg.board_required",
                    board_rule["source"],
                    column=board_rule["column"],
                )

    # max_rows: parts per file
    records.sort(key=lambda r: (_start(r), r["platform"]))
    max_rule = tool_rules.get("max_rows")
    limit_rows = None
    if max_rule:
        if "tiers" in max_rule:
            tier = options.tiers.get(name, max_rule["default_tier"])
            limit_rows = int(max_rule["tiers"][tier])
        else:
            limit_rows = int(max_rule["value"])
    counters: dict[str, int] = {}
    for rec in records:
        rec["file"] = _file_key(name, rec["platform"])
        n = counters.get(rec["file"], 0)
        counters[rec["file"]] = n + 1
        rec["part"] = n // limit_rows + 1 if limit_rows else 1
        if limit_rows and n % limit_rows == 0 and n > 0:
            finding(
                "max_rows",
                "adjusted",
                rec,
                "schedulers.msg.max_rows",
                max_rule["source"],
                rows=limit_rows,
                part=rec["part"],
                parts=math.ceil(
                    sum(1 for r in records if _file_key(name, r["platform"]) == rec["file"])
                    / limit_rows
                ),
            )

    columns = list(cal.columns) + ["text", "draft", "board", "file", "part"]
    result_df = pd.DataFrame(records, columns=columns)
    if not records:
        return Result(name, result_df, findings, True, _reason(name, label, findings, language))
    return Result(name, result_df, findings)


def _reason(name: str, label: str, findings: list[Finding], language: str) -> str:
    """Why nothing is left for a tool: the rule that dropped most rows."""
    dropped = [f.rule for f in findings if f.outcome == "dropped"]
    if not dropped:
        return i18n.t("schedulers.refused.empty", language, tool=label)
    main = max(set(dropped), key=dropped.count)
    return i18n.t(f"schedulers.refused.{main}", language, tool=label)


def check_checklist(
    plan: Plan,
    language: str = "vi",
    calendar_df: pd.DataFrame | None = None,
    options: Options | None = None,
) -> Result:
    """The rows of the posting checklist (Meta Business Suite, Zalo OA, by hand), checked.

    The calendar goes through :func:`zalo_calendar`; rows of the checklist's channels
    (``checklist`` in ``data/schedulers.yaml``) are kept, except those before now
    (``past``: dropped); a Zalo OA broadcast later than now but less than 30 minutes
    ahead (``zalo_lead_time``) is kept and marked to send at once.
    """
    options = (options or Options()).validated(language, plan)
    cfg = rules()
    cal = calendar_df if calendar_df is not None else schedule.expand(plan, language)
    cal, findings = zalo_calendar(plan, cal, language, options)
    channels = cfg["checklist"]
    now = now_for(plan, options)
    lead = dt.timedelta(minutes=int(cfg["zalo_oa"]["lead_minutes"]))
    keep = []
    for rec in cal.to_dict("records"):
        if rec["platform"] not in channels:
            continue
        start = _start(rec)
        if start < now:
            findings.append(
                Finding(
                    CHECKLIST,
                    "past",
                    "dropped",
                    rec["date"],
                    rec["time"],
                    rec["platform"],
                    i18n.t("schedulers.msg.past", language),
                    "toolkit",
                )
            )
            continue
        if rec["platform"] == "zalo_oa" and rec["content_type"] == BROADCAST and start < now + lead:
            findings.append(
                Finding(
                    CHECKLIST,
                    "zalo_lead_time",
                    "todo",
                    rec["date"],
                    rec["time"],
                    rec["platform"],
                    i18n.t(
                        "schedulers.zalo.lead", language, minutes=cfg["zalo_oa"]["lead_minutes"]
                    ),
                    cfg["zalo_oa"]["lead_source"],
                )
            )
        keep.append(rec)
    return Result(CHECKLIST, pd.DataFrame(keep, columns=list(cal.columns)), findings)


def check_all(
    plan: Plan,
    language: str = "vi",
    calendar_df: pd.DataFrame | None = None,
    options: Options | None = None,
) -> dict[str, Result]:
    """:func:`check` for every tool and :func:`check_checklist`, from one expansion."""
    cal = calendar_df if calendar_df is not None else schedule.expand(plan, language)
    out = {name: check(plan, name, language, cal, options) for name in TOOLS}
    out[CHECKLIST] = check_checklist(plan, language, cal, options)
    return out
