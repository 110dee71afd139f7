"""The plan: one YAML file per participant or client, the only state that flows between steps.

``load(path)`` reads and validates a plan and returns a typed :class:`Plan`; ``save(plan,
path)`` writes it back (atomically). A plan that fails validation raises
:class:`workshop.errors.PlanError`, which names *every* problem by its field path
(``team.hours_per_week``, ``editorial.rules.0.slots.1.weekday``) and says what is allowed,
in the plan's language. Unknown keys are errors, so a typo never falls back to a default
silently. ``json_schema()`` publishes the schema for editors (see ``plan.schema.json``).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from workshop import i18n
from workshop.errors import PlanError, Problem

# --- Vocabularies (fixed, so a plan can be checked while it is typed) -------------------

# Each vocabulary once, as a Literal (the type the schema checks); its tuple of values is
# derived from it (typing.get_args), so the two cannot drift apart.
PlatformId = Literal[
    "facebook",
    "instagram",
    "linkedin",
    "youtube",
    "x",
    "tiktok",
    "pinterest",
    "threads",
    "zalo_oa",
    "telegram",
    "whatsapp_business",
    "snapchat",
]
PLATFORM_IDS: tuple[str, ...] = get_args(PlatformId)

Skill = Literal[
    "writing",
    "photography",
    "graphic_design",
    "short_video",
    "long_video",
    "live_streaming",
    "community_management",
    "analytics",
]
SKILLS: tuple[str, ...] = get_args(Skill)

ContentType = Literal[
    "text_post",
    "photo_post",
    "carousel",
    "short_video",
    "long_video",
    "story",
    "live",
    "article",
    "infographic",
    "newsletter",
    "ebook",
    "broadcast_message",
]
CONTENT_TYPES: tuple[str, ...] = get_args(ContentType)

Asset = Literal[
    "infographic",
    "ebook",
    "video",
    "newsletter",
    "campaign",
    "blog_article",
    "event",
    "promotion",
    "case_study",
    "webinar",
]
ASSETS: tuple[str, ...] = get_args(Asset)

# Channels of the communication plan (C11): every platform plus the other marketing levels.
Channel = Literal[PlatformId, "website", "newsletter", "ads", "blog", "email", "offline"]
CHANNELS: tuple[str, ...] = get_args(Channel)

Sector = Literal[
    "food_beverage",
    "retail",
    "crafts",
    "b2b_services",
    "software",
    "tourism_hospitality",
    "education",
    "health_beauty",
    "manufacturing",
    "other",
]
SECTORS: tuple[str, ...] = get_args(Sector)
Audience = Literal["young_consumers", "general_consumers", "professionals"]
AUDIENCES: tuple[str, ...] = get_args(Audience)
Currency = Literal["VND", "EUR", "USD"]
CURRENCIES: tuple[str, ...] = get_args(Currency)
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Language = Literal["vi", "en"]

MAX_PLAN_BYTES = 1_000_000  # a plan is a few kB; refuse anything over 1 MB before parsing
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"

# --- Limits: every number, list and text of a plan is bounded, and each bound says why -----
#
# A plan comes from people the facilitator does not control, and a valid plan must go
# through every model and every export. So each limit below is (a) far above anything a
# real plan needs, and (b) low enough that the products the models form stay finite and
# formattable, and that what the exports copy stays small. benchmarks/worst_plan.py builds
# the plan with every limit reached and measures it; tests/test_plan_limits.py checks the
# limits one by one.

#: Money (team.hourly_cost, roi.average_order_value, roi.tools_cost_per_month,
#: roi.ad_spend_per_month), in the plan's currency. One bound for every currency, so it is
#: set for the one with the smallest unit: 10 billion VND (about 370,000 EUR) is 100 times
#: the high end of the B2B order-value benchmark (100 million VND) and far above any small
#: business's monthly budget or loaded hourly cost; in EUR or USD the same figure is merely
#: absurdly generous. With every other input at its own maximum, the projection's largest
#: total (cumulative gross profit over 60 months, about 3e26) stays inside the 28
#: significant digits that money formatting (i18n.fmt_money, Decimal) handles: 1e24 and
#: more used to crash it.
MAX_MONEY = 10_000_000_000
#: Followers before month 1, per platform: the most followed account on any platform has
#: well under a billion followers; a business page above that is a typo.
MAX_FOLLOWERS = 1_000_000_000
#: The audience ceiling (people a page can ever reach): a billion is more than any page
#: has ever reached, so the same bound as the followers.
MAX_AUDIENCE_CEILING = 1_000_000_000
#: Posts per week per platform. It multiplies the hours per post in step 2 and the posts
#: per month (reach, discovery, clicks) in step 4. 100 a week is 14 a day, every day:
#: several times what any platform advises a business page (1-2 a day at most).
MAX_CADENCE_PER_WEEK = 100
#: Views of one post by non-followers: a post seen by 10 million strangers is viral even
#: for a national brand.
MAX_DISCOVERY_VIEWS = 10_000_000
#: Purchases of one customer in the first year: 100 is two a week all year long.
MAX_PURCHASES_PER_CUSTOMER = 100
#: Monte Carlo paths. The runner keeps (months x platforms x paths) floats: 60 x 12 x
#: 10,000 x 8 bytes is 58 MB per array. Beyond 10,000 paths the 10th-90th percentile bands
#: move by well under a percent, so more paths only cost memory and time.
MAX_MONTE_CARLO_PATHS = 10_000
#: The random seed: what a 64-bit unsigned integer holds (numpy takes any size, but an int
#: of thousands of digits cannot even be printed by Python).
MAX_SEED = 2**64 - 1
#: Dates (start, blackout dates). The holiday data covers a few years around today; the
#: limits only catch typos (0207-01-01, 20270-01-01) and keep the horizon's end (start +
#: 60 months) a valid date for every library on the way.
MIN_DATE = dt.date(2000, 1, 1)
MAX_START = dt.date(2100, 12, 31)
MAX_DATE = dt.date(2105, 12, 31)  # the last day of a 60-month horizon starting at MAX_START
#: Texts: the client's name (a file name, a sheet title, a calendar name) and themes (a
#: calendar item's title: an ICS SUMMARY, an XLSX cell, a CSV cell).
MAX_NAME_CHARS = 120
MAX_THEME_CHARS = 200
#: Lines of the communication plan: six launches a month over the longest horizon
#: (60 months); the article's semester plan has a handful.
MAX_COMM_ITEMS = 360
#: Weekly slots of one editorial rule: four posts a day on one platform.
MAX_SLOTS_PER_RULE = 28
#: Blackout dates: every day of the longest horizon (60 months <= 1,827 days).
MAX_BLACKOUT_DATES = 1_830
#: Dated items of the editorial calendar over the horizon (:func:`calendar_size`), counting
#: the rules the plan writes and those suggested for chosen platforms without one. Every
#: item is a row of the CSV and of two XLSX sheets and an event of the ICS, so this is what
#: bounds the exports (time and size: openpyxl writes a few thousand rows a second here).
#: 6,000 items is five years of 23 posts a week (four pages at the data's pace of about
#: five posts a week each: the article's limit of 3-4 pages), or a year of 115 a week.
MAX_CALENDAR_ITEMS = 6_000

#: Device names Windows reserves in every folder (``con``, ``nul.txt`` ...): a client id
#: names a report folder, and a folder called ``con`` cannot be created or copied there.
WINDOWS_RESERVED_IDS = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{i}" for d in ("com", "lpt") for i in range(10)]
)

# --- Text that can go on one line -------------------------------------------------------
#
# A name or a theme ends up in one-line places: an XLSX cell, an ICS SUMMARY, a CSV cell, a
# terminal line, a sheet or file name. These characters can never go there: C0 controls
# (TAB, LF, CR, ESC ... which break lines, fields and terminal output), DEL and the C1
# controls (NEL U+0085, CSI U+009B), the Unicode line and paragraph separators, the
# bidirectional embedding/override/isolate controls (they reorder what a reader sees:
# "Trojan Source"), lone surrogates (not encodable in UTF-8) and the noncharacters
# U+FFFE/U+FFFF (refused by XML, hence XLSX). Everything else stays: Vietnamese, Thai,
# Chinese, Arabic, emoji with zero-width joiners (U+200D), variation selectors.
_UNSAFE_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0000, 0x001F, "control"),
    (0x007F, 0x009F, "control"),
    (0x2028, 0x2029, "line_separator"),
    (0x202A, 0x202E, "bidi"),
    (0x2066, 0x2069, "bidi"),
    (0xD800, 0xDFFF, "surrogate"),
    (0xFFFE, 0xFFFF, "noncharacter"),
)
_UNSAFE_CLASS = "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi, _ in _UNSAFE_RANGES)
_UNSAFE_RE = re.compile(f"[{_UNSAFE_CLASS}]")
#: The same rule as a JSON Schema pattern, so editors flag the character while typing.
ONE_LINE_PATTERN = f"^[^{_UNSAFE_CLASS}]*$"
# Characters that end a line for some reader (str.splitlines, Unicode, terminals, ICS and
# CSV parsers): replaced by a space rather than by U+FFFD when text is cleaned.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\t")


def unsafe_character(text: str) -> str | None:
    """The first character of `text` that cannot go in a one-line field, else None."""
    found = _UNSAFE_RE.search(text)
    return found.group() if found else None


def character_kind(char: str) -> str:
    """Why `char` is refused: control, line_separator, bidi, surrogate or noncharacter."""
    code = ord(char)
    return next(kind for lo, hi, kind in _UNSAFE_RANGES if lo <= code <= hi)


def codepoint(char: str) -> str:
    """``U+XXXX``: how a message names a character (most of these are invisible)."""
    return f"U+{ord(char):04X}"


def one_line(text: str, replacement: str = "\ufffd") -> str:
    """`text` with every character :func:`unsafe_character` refuses replaced.

    Line breaks and tabs become a space; every other unsafe character becomes
    `replacement` (U+FFFD, the visible "replacement character"). For exports and terminal
    output, which must not trust the schema alone (a plan built with ``model_construct``
    or edited in memory is not validated).
    """
    if not isinstance(text, str):
        text = str(text)
    if _UNSAFE_RE.search(text) is None:
        return text
    return _UNSAFE_RE.sub(lambda m: " " if m.group() in _LINE_BREAKS else replacement, text)


def _check_one_line(value: str) -> str:
    char = unsafe_character(value)
    if char is not None:
        raise PydanticCustomError(
            "text_unsafe_character",
            "text contains {char}",
            {"char": codepoint(char), "kind": character_kind(char)},
        )
    return value


def _check_not_reserved(value: str) -> str:
    if value in WINDOWS_RESERVED_IDS:
        raise PydanticCustomError("reserved_id", "{name} is a Windows device name", {"name": value})
    return value


#: One line of printable text (see :func:`unsafe_character`); the caller adds max_length.
OneLineText = Annotated[
    str, AfterValidator(_check_one_line), Field(json_schema_extra={"pattern": ONE_LINE_PATTERN})
]


_UNIQUE = {"uniqueItems": True}


class _Strict(BaseModel):
    # allow_inf_nan=False: ".inf" / ".nan" are valid YAML floats but never a valid cost,
    # rate or number of hours (NaN also slips past ge/le bounds).
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class Client(_Strict):
    """Who the plan is for."""

    id: Annotated[str, AfterValidator(_check_not_reserved)] = Field(
        "my-business",
        pattern=SLUG_PATTERN,
        description="Safe slug: lower-case letters, digits, '-'; names the report folder "
        "(not a Windows device name such as con or nul)",
        json_schema_extra={"not": {"enum": sorted(WINDOWS_RESERVED_IDS)}},
    )
    name: OneLineText = Field(
        "My business", min_length=1, max_length=MAX_NAME_CHARS, description="One line of text"
    )
    sector: Sector = "other"
    market: Literal["b2c", "b2b"] = "b2c"
    audience: Audience = "general_consumers"
    visual_product: bool = Field(True, description="The product photographs or films well")
    country: Literal["VN", "FR", "IT", "US", "GB", "DE", "OTHER"] = "VN"
    language: Language = "vi"
    currency: Currency | None = Field(None, description="Defaults to VND for vi, EUR for en")

    @model_validator(mode="after")
    def _default_currency(self) -> Client:
        if self.currency is None:
            object.__setattr__(self, "currency", "VND" if self.language == "vi" else "EUR")
        return self


class Team(_Strict):
    """The people who will run the pages (C7: the real capacity to follow a medium)."""

    people: int = Field(1, ge=1, le=50)
    hours_per_week: float = Field(6.0, ge=0, le=400, description="All people together")
    hourly_cost: float | None = Field(
        None,
        ge=0,
        le=MAX_MONEY,
        description="Loaded cost per hour in the "
        "plan's currency; empty = the data default (estimate)",
    )
    skills: list[Skill] = Field(
        default_factory=lambda: ["writing", "photography"],
        max_length=len(SKILLS),  # each skill at most once (a cross-check names duplicates)
        json_schema_extra={"uniqueItems": True},
    )


class Platforms(_Strict):
    """Platforms considered (empty = all known) and chosen; C2's mistake, if made."""

    # each platform at most once (a cross-check names duplicates), so at most all of them
    considered: list[PlatformId] = Field(
        default_factory=list, max_length=len(PLATFORM_IDS), json_schema_extra=_UNIQUE
    )
    chosen: list[PlatformId] = Field(
        default_factory=list, max_length=len(PLATFORM_IDS), json_schema_extra=_UNIQUE
    )
    personal_profile_as_company: list[PlatformId] = Field(
        default_factory=list,
        max_length=len(PLATFORM_IDS),
        json_schema_extra=_UNIQUE,
        description="Platforms where the business is run as a personal profile (C2)",
    )
    cadence_per_week: dict[PlatformId, Annotated[float, Field(ge=0, le=MAX_CADENCE_PER_WEEK)]] = (
        Field(
            default_factory=dict,
            max_length=len(PLATFORM_IDS),
            description="Posts per week per platform; empty = benchmark",
        )
    )


class CommItem(_Strict):
    """One line of the communication plan (C11): an asset, when, where it is carried."""

    month: int = Field(ge=1, le=60, description="1 = the plan's first month")
    asset: Asset
    theme: OneLineText = Field("", max_length=MAX_THEME_CHARS)
    channels: list[Channel] = Field(
        min_length=1, max_length=len(CHANNELS), json_schema_extra=_UNIQUE
    )


class CommunicationPlan(_Strict):
    period: Literal["semester", "year"] = "semester"
    items: list[CommItem] = Field(default_factory=list, max_length=MAX_COMM_ITEMS)


class Slot(_Strict):
    weekday: Weekday
    content_type: ContentType
    time: str = Field("09:00", pattern=TIME_PATTERN)
    theme: OneLineText = Field("", max_length=MAX_THEME_CHARS)


class EditorialRule(_Strict):
    """The editorial plan of one platform (C12): weekly slots, renewed every 1 or 2 months."""

    platform: PlatformId
    slots: list[Slot] = Field(min_length=1, max_length=MAX_SLOTS_PER_RULE)
    renewal_months: Literal[1, 2] = 1


class Editorial(_Strict):
    # one rule per platform (a cross-check names duplicates)
    rules: list[EditorialRule] = Field(default_factory=list, max_length=len(PLATFORM_IDS))
    skip_holidays: bool = True
    blackout_dates: list[Annotated[dt.date, Field(ge=MIN_DATE, le=MAX_DATE)]] = Field(
        default_factory=list, max_length=MAX_BLACKOUT_DATES
    )


class RoiAssumptions(_Strict):
    """Overrides of the ROI model's inputs; empty = the benchmark default from ``data/``.

    Rates are fractions (0.05 = 5 %), money is in the plan's currency.
    """

    starting_followers: dict[PlatformId, Annotated[int, Field(ge=0, le=MAX_FOLLOWERS)]] = Field(
        default_factory=dict, max_length=len(PLATFORM_IDS)
    )
    monthly_growth_rate: float | None = Field(None, ge=0, le=2)
    monthly_churn_rate: float | None = Field(None, ge=0, le=1)
    audience_ceiling: int | None = Field(None, ge=1, le=MAX_AUDIENCE_CEILING)
    organic_reach_rate: float | None = Field(None, ge=0, le=1)
    discovery_views_per_post: float | None = Field(None, ge=0, le=MAX_DISCOVERY_VIEWS)
    engagement_rate: float | None = Field(None, ge=0, le=1)
    click_through_rate: float | None = Field(None, ge=0, le=1)
    lead_conversion_rate: float | None = Field(None, ge=0, le=1)
    lead_to_customer_rate: float | None = Field(None, ge=0, le=1)
    average_order_value: float | None = Field(None, ge=0, le=MAX_MONEY)
    purchases_per_customer: float | None = Field(None, ge=0, le=MAX_PURCHASES_PER_CUSTOMER)
    gross_margin: float | None = Field(None, ge=0, le=1)
    tools_cost_per_month: float = Field(0.0, ge=0, le=MAX_MONEY)
    ad_spend_per_month: float = Field(0.0, ge=0, le=MAX_MONEY, description="Zero by default (C9)")
    monte_carlo_paths: int = Field(2000, ge=100, le=MAX_MONTE_CARLO_PATHS)
    seed: int = Field(20261126, ge=0, le=MAX_SEED)


class Plan(_Strict):
    """A participant's or client's whole plan (see module docstring)."""

    version: Literal[1] = 1
    client: Client = Field(default_factory=Client)
    team: Team = Field(default_factory=Team)
    platforms: Platforms = Field(default_factory=Platforms)
    communication: CommunicationPlan = Field(default_factory=CommunicationPlan)
    editorial: Editorial = Field(default_factory=Editorial)
    roi: RoiAssumptions = Field(default_factory=RoiAssumptions)
    start: dt.date = Field(
        default_factory=lambda: _first_of_next_month(dt.date.today()), ge=MIN_DATE, le=MAX_START
    )
    horizon_months: int = Field(12, ge=1, le=60)

    @property
    def language(self) -> str:
        return self.client.language

    @property
    def currency(self) -> str:
        return self.client.currency  # type: ignore[return-value]

    def considered_platforms(self) -> list[str]:
        """The platforms considered, or every known platform when none is listed."""
        return list(self.platforms.considered) or list(PLATFORM_IDS)


def _first_of_next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


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

    counts = _weekday_counts(plan.start, schedule.horizon_end(plan))
    suggested_rules = schedule.suggest_rules(plan)
    items = slots = suggested = 0
    for rule in list(plan.editorial.rules) + suggested_rules:
        for slot in rule.slots:
            items += counts[schedule.WEEKDAYS.index(slot.weekday)]
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


# --- Reading YAML ---------------------------------------------------------------------------


class _PyPlanLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` (no Python objects, ever) with two YAML 1.1 traps removed.

    * Base-60 numbers: plain ``time: 10:30`` would be the integer 630; here it stays the
      text ``"10:30"`` (any plain scalar containing ``:`` is never an int or a float).
    * Impossible dates: ``start: 2027-13-01`` matches the timestamp pattern and made PyYAML
      raise ``ValueError``; here it stays text, so validation names the field ``start``.
    """


class _PlanLoader(getattr(yaml, "CSafeLoader", _PyPlanLoader)):
    """:class:`_PyPlanLoader` parsing with libyaml (``CSafeLoader``) when PyYAML has it:
    five times faster on the largest plan the schema allows (0.6 s to 0.12 s for 260 kB),
    with the same safe constructors and resolvers (both are Python); libyaml refuses
    nesting deeper than 1,000 levels by itself. Its error positions are less precise, so
    :func:`_parse_yaml` asks the pure-Python loader where a broken file breaks."""


def _trap_free(loader: type) -> None:
    loader.yaml_implicit_resolvers = {
        first: [
            (
                tag,
                re.compile(r"(?![^:]*:)" + rx.pattern, rx.flags)
                if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
                else rx,
            )
            for tag, rx in resolvers
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, AttributeError):  # 2027-13-01, or an explicit !!timestamp "hello"
        return loader.construct_scalar(node)


_trap_free(_PyPlanLoader)
_trap_free(_PlanLoader)


def _parse_yaml(text: str) -> Any:
    """``yaml.load`` with :class:`_PlanLoader` (safe: no tags beyond plain YAML data); on
    a YAML error, the pure-Python loader parses again to say where (line, column)."""
    try:
        return yaml.load(text, Loader=_PlanLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError:
        if not hasattr(yaml, "CSafeLoader"):  # it was the pure-Python loader already
            raise
    return yaml.load(text, Loader=_PyPlanLoader)  # noqa: S506 - a SafeLoader


def display_path(path: str | bytes | os.PathLike) -> str:
    """A path as a message can print it on any terminal.

    Bytes that are not UTF-8 (a name made on another system, kept by Python as surrogate
    escapes) are shown as ``\\xNN``; control characters and the other characters
    :func:`unsafe_character` refuses are shown escaped, so a file named with a newline or a
    terminal escape sequence can neither break a message nor drive the terminal.
    """
    return escape_unsafe(os.fsencode(path).decode("utf-8", errors="backslashreplace"))


def escape_unsafe(text: str) -> str:
    """`text` with each character :func:`unsafe_character` refuses written as an escape
    (``\\n``, ``\\x1b``, ``\\u202e``): for messages, which must show what is there."""
    if _UNSAFE_RE.search(text) is None:
        return text
    return _UNSAFE_RE.sub(
        lambda m: m.group().encode("unicode_escape", errors="backslashreplace").decode("ascii"),
        text,
    )


def _refuse(source: str, lang: str, key: str, **values: Any) -> PlanError:
    return PlanError(source, [Problem("", i18n.t(key, lang, **values))], lang)


def read_bytes(path: str | bytes | os.PathLike, language: str | None = None) -> bytes:
    """The bytes of the plan file at `path`: a regular file of at most MAX_PLAN_BYTES.

    Never hangs and never reads more than ``MAX_PLAN_BYTES + 1`` bytes: the file is opened
    with ``O_NONBLOCK`` (opening a FIFO without a writer returns at once) and checked with
    ``fstat`` on the open descriptor (no race with a rename) before anything is read; a
    directory, a FIFO, a socket or a device (``/dev/zero``) is refused. A path whose name
    is not valid UTF-8 is refused too (it could not be shown in a report, a manifest or a
    message). Every failure is a :class:`PlanError` naming the path readably, in
    `language` (default Vietnamese). Used by :func:`load`; the report runner calls it once
    per plan and parses the same bytes with :func:`from_bytes`.
    """
    lang = language or i18n.DEFAULT_LANGUAGE
    try:
        raw_name = os.fsencode(path)
    except TypeError:
        raise PlanError(
            repr(path)[:60], [Problem("", i18n.t("plan.error.not_a_path", lang))], lang
        ) from None
    source = display_path(raw_name)
    try:
        raw_name.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(source, lang, "plan.error.path_not_utf8") from None
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(raw_name, flags)
    except OSError as exc:
        if exc.errno == errno.EISDIR:  # Windows: a folder cannot be opened
            raise _refuse(source, lang, "plan.error.is_directory") from None
        raise _refuse(
            source, lang, "plan.error.unreadable", reason=exc.strerror or str(exc)
        ) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(source, lang, "plan.error.is_directory")
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(source, lang, "plan.error.not_regular")
        if info.st_size > MAX_PLAN_BYTES:
            raise _refuse(
                source, lang, "plan.error.too_large", size=info.st_size, limit=MAX_PLAN_BYTES
            )
        chunks: list[bytes] = []
        left = MAX_PLAN_BYTES + 1  # one byte more than allowed tells a file that grew
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except PlanError:
        raise
    except OSError as exc:
        raise _refuse(
            source, lang, "plan.error.unreadable", reason=exc.strerror or str(exc)
        ) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_PLAN_BYTES:
        raise _refuse(
            source, lang, "plan.error.too_large", size=f"> {MAX_PLAN_BYTES}", limit=MAX_PLAN_BYTES
        )
    return data


def from_bytes(data: bytes, source: str = "<plan>", language: str | None = None) -> Plan:
    """Decode (UTF-8) and validate a plan's bytes, as read by
    :func:`read_bytes`. Every failure is a :class:`PlanError`."""
    lang = language or i18n.DEFAULT_LANGUAGE
    if len(data) > MAX_PLAN_BYTES:
        raise _refuse(source, lang, "plan.error.too_large", size=len(data), limit=MAX_PLAN_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(source, lang, "plan.error.not_utf8") from None
    return loads(text, source=source, language=language)


def load(path: str | bytes | os.PathLike, language: str | None = None) -> Plan:
    """Read a plan file (YAML, safe loader only: see :class:`_PlanLoader`) and validate it.

    The bytes come from :func:`read_bytes` (a regular file, at most MAX_PLAN_BYTES). Every
    failure, from a missing file to a wrong field, is a :class:`PlanError`.
    """
    data = read_bytes(path, language)
    return from_bytes(data, source=display_path(path), language=language)


def loads(text: str, source: str = "<plan>", language: str | None = None) -> Plan:
    """Parse and validate a plan from YAML text."""
    lang = language or i18n.DEFAULT_LANGUAGE
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_PLAN_BYTES:  # the same limit as load(), checked before parsing
        raise PlanError(
            source,
            [Problem("", i18n.t("plan.error.too_large", lang, size=size, limit=MAX_PLAN_BYTES))],
            lang,
        )
    try:
        raw = _parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise PlanError(
            source, [Problem("", i18n.t("plan.error.not_yaml", lang, where=where))], lang
        ) from None
    except Exception:  # noqa: BLE001 - PyYAML's constructors also raise ValueError
        # (!!int abc), KeyError (!!bool maybe), RecursionError ([[[[...]]]] 5000 deep)...
        raise PlanError(
            source, [Problem("", i18n.t("plan.error.not_yaml", lang, where=""))], lang
        ) from None
    return validate(raw, source=source, language=language)


def to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain YAML-able data (dates as ISO strings, defaults included)."""
    return plan.model_dump(mode="json")


# Characters YAML reads as line breaks inside a scalar (and so folds or normalises away)
# unless they are written as escapes in a double-quoted string.
_YAML_BREAKS = frozenset("\r\x85\u2028\u2029")


class _PlanDumper(yaml.SafeDumper):
    """``yaml.SafeDumper`` that keeps Vietnamese text readable yet round-trips any text.

    With ``allow_unicode`` PyYAML writes NEL (U+0085) and the Unicode line and paragraph
    separators raw, and reading them back turns them into ordinary line breaks or spaces.
    A string holding one of those is written double-quoted with every non-ASCII character
    escaped (a rare case: such a character is nearly always pasted by accident).
    """

    def choose_scalar_style(self) -> str:
        if self.event.value and not _YAML_BREAKS.isdisjoint(self.event.value):
            return '"'
        return super().choose_scalar_style()

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        if _YAML_BREAKS.isdisjoint(text):
            return super().write_double_quoted(text, split)
        saved, self.allow_unicode = self.allow_unicode, False
        try:
            return super().write_double_quoted(text, split)
        finally:
            self.allow_unicode = saved


def dumps(plan: Plan) -> str:
    """The plan as YAML text; ``loads(dumps(p)) == p``."""
    return yaml.dump(
        to_dict(plan), Dumper=_PlanDumper, allow_unicode=True, sort_keys=False, width=100
    )


def save(plan: Plan, path: str | os.PathLike[str]) -> Path:
    """Write the plan to `path` atomically (a crash never leaves half a file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600; keep the mode of the file being replaced (else 0644),
    # so that a plan saved from a notebook stays readable where it was readable before.
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(dumps(plan))
            fh.flush()
            os.fsync(fh.fileno())  # the bytes are on disk before the rename makes them visible
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def plan_hash(plan: Plan) -> str:
    """A stable SHA-256 of the plan's content (for manifests and caches)."""
    import hashlib

    return hashlib.sha256(json.dumps(to_dict(plan), sort_keys=True).encode()).hexdigest()


def json_schema() -> dict[str, Any]:
    """The plan's JSON Schema (draft 2020-12), for editors that check YAML while typing."""
    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Social-page strategy workshop plan"
    return schema


def write_json_schema(path: str | os.PathLike[str]) -> Path:
    """Write :func:`json_schema` to `path` (``data/plan.schema.json`` in the repository)."""
    path = Path(path)
    path.write_text(
        json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path


def slug_ok(value: str) -> bool:
    """Whether `value` is a safe client id: it cannot leave an output folder, and it is
    not a Windows device name (:data:`WINDOWS_RESERVED_IDS`); exactly what the schema
    accepts for ``client.id``."""
    return bool(re.fullmatch(SLUG_PATTERN, value)) and value not in WINDOWS_RESERVED_IDS
