"""The plan's vocabularies (each a ``Literal`` and its tuple), its limits (every number,
list and text bounded, each bound with its reason) and the one-line text rules.

Part of :mod:`workshop.plan` (import from there).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    Field,
)
from pydantic_core import PydanticCustomError

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
