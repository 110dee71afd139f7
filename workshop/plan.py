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
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from workshop import i18n
from workshop.errors import PlanError, Problem

# --- Vocabularies (fixed, so a plan can be checked while it is typed) -------------------

PLATFORM_IDS = (
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
)
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

SKILLS = (
    "writing",
    "photography",
    "graphic_design",
    "short_video",
    "long_video",
    "live_streaming",
    "community_management",
    "analytics",
)
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

CONTENT_TYPES = (
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
)
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

ASSETS = (
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
)
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

# Channels of the communication plan (C11): every platform plus the other marketing levels.
CHANNELS = PLATFORM_IDS + ("website", "newsletter", "ads", "blog", "email", "offline")
Channel = Literal[
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
    "website",
    "newsletter",
    "ads",
    "blog",
    "email",
    "offline",
]

SECTORS = (
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
)
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
AUDIENCES = ("young_consumers", "general_consumers", "professionals")
Audience = Literal["young_consumers", "general_consumers", "professionals"]
CURRENCIES = ("VND", "EUR", "USD")
Currency = Literal["VND", "EUR", "USD"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Language = Literal["vi", "en"]

MAX_PLAN_BYTES = 1_000_000  # a plan is a few kB; refuse anything over 1 MB before parsing
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class _Strict(BaseModel):
    # allow_inf_nan=False: ".inf" / ".nan" are valid YAML floats but never a valid cost,
    # rate or number of hours (NaN also slips past ge/le bounds).
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class Client(_Strict):
    """Who the plan is for."""

    id: str = Field(
        "my-business",
        pattern=SLUG_PATTERN,
        description="Safe slug: lower-case letters, digits, '-'; names the report folder",
    )
    name: str = Field("My business", min_length=1, max_length=120)
    sector: Sector = "other"
    market: Literal["b2c", "b2b"] = "b2c"
    audience: Audience = "general_consumers"
    visual_product: bool = Field(True, description="The product photographs or films well")
    country: Literal["VN", "FR", "IT", "US", "GB", "DE", "OTHER"] = "VN"
    language: Language = "vi"
    currency: Currency | None = Field(None, description="Defaults to VND for vi, EUR for en")

    @model_validator(mode="after")
    def _default_currency(self) -> "Client":
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
        description="Loaded cost per hour in the "
        "plan's currency; empty = the data default (estimate)",
    )
    skills: list[Skill] = Field(default_factory=lambda: ["writing", "photography"])


class Platforms(_Strict):
    """Platforms considered (empty = all known) and chosen; C2's mistake, if made."""

    considered: list[PlatformId] = Field(default_factory=list)
    chosen: list[PlatformId] = Field(default_factory=list)
    personal_profile_as_company: list[PlatformId] = Field(
        default_factory=list,
        description="Platforms where the business is run as a personal profile (C2)",
    )
    cadence_per_week: dict[PlatformId, Annotated[float, Field(ge=0, le=1000)]] = Field(
        default_factory=dict, description="Posts per week per platform; empty = benchmark"
    )


class CommItem(_Strict):
    """One line of the communication plan (C11): an asset, when, where it is carried."""

    month: int = Field(ge=1, le=60, description="1 = the plan's first month")
    asset: Asset
    theme: str = Field("", max_length=200)
    channels: list[Channel] = Field(min_length=1)


class CommunicationPlan(_Strict):
    period: Literal["semester", "year"] = "semester"
    items: list[CommItem] = Field(default_factory=list)


class Slot(_Strict):
    weekday: Weekday
    content_type: ContentType
    time: str = Field("09:00", pattern=TIME_PATTERN)
    theme: str = Field("", max_length=200)


class EditorialRule(_Strict):
    """The editorial plan of one platform (C12): weekly slots, renewed every 1 or 2 months."""

    platform: PlatformId
    slots: list[Slot] = Field(min_length=1, max_length=28)
    renewal_months: Literal[1, 2] = 1


class Editorial(_Strict):
    rules: list[EditorialRule] = Field(default_factory=list)
    skip_holidays: bool = True
    blackout_dates: list[dt.date] = Field(default_factory=list)


class RoiAssumptions(_Strict):
    """Overrides of the ROI model's inputs; empty = the benchmark default from ``data/``.

    Rates are fractions (0.05 = 5 %), money is in the plan's currency.
    """

    starting_followers: dict[PlatformId, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    monthly_growth_rate: float | None = Field(None, ge=0, le=2)
    monthly_churn_rate: float | None = Field(None, ge=0, le=1)
    audience_ceiling: int | None = Field(None, ge=1)
    organic_reach_rate: float | None = Field(None, ge=0, le=1)
    discovery_views_per_post: float | None = Field(None, ge=0, le=10_000_000)
    engagement_rate: float | None = Field(None, ge=0, le=1)
    click_through_rate: float | None = Field(None, ge=0, le=1)
    lead_conversion_rate: float | None = Field(None, ge=0, le=1)
    lead_to_customer_rate: float | None = Field(None, ge=0, le=1)
    average_order_value: float | None = Field(None, ge=0)
    purchases_per_customer: float | None = Field(None, ge=0, le=100)
    gross_margin: float | None = Field(None, ge=0, le=1)
    tools_cost_per_month: float = Field(0.0, ge=0)
    ad_spend_per_month: float = Field(0.0, ge=0, description="Zero by default (C9)")
    monte_carlo_paths: int = Field(2000, ge=100, le=100_000)
    seed: int = Field(20261126, ge=0)


class Plan(_Strict):
    """A participant's or client's whole plan (see module docstring)."""

    version: Literal[1] = 1
    client: Client = Field(default_factory=Client)
    team: Team = Field(default_factory=Team)
    platforms: Platforms = Field(default_factory=Platforms)
    communication: CommunicationPlan = Field(default_factory=CommunicationPlan)
    editorial: Editorial = Field(default_factory=Editorial)
    roi: RoiAssumptions = Field(default_factory=RoiAssumptions)
    start: dt.date = Field(default_factory=lambda: _first_of_next_month(dt.date.today()))
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


def _cross_checks(plan: Plan, lang: str) -> list[Problem]:
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
        seen: set[str] = set()
        for i, pid in enumerate(getattr(plan.platforms, name)):
            if pid in seen:
                problems.append(
                    Problem(
                        f"platforms.{name}.{i}", i18n.t("plan.error.duplicate", lang, value=pid)
                    )
                )
            seen.add(pid)
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
    rule_platforms: set[str] = set()
    for i, rule in enumerate(plan.editorial.rules):
        if rule.platform in rule_platforms:
            problems.append(
                Problem(
                    f"editorial.rules.{i}.platform",
                    i18n.t("plan.error.duplicate", lang, value=rule.platform),
                )
            )
        rule_platforms.add(rule.platform)
    for i, skill in enumerate(plan.team.skills):
        if skill in plan.team.skills[:i]:
            problems.append(
                Problem(f"team.skills.{i}", i18n.t("plan.error.duplicate", lang, value=skill))
            )
    return problems


# --- Turning pydantic's errors into messages people can act on, in two languages ----------


def _path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(plan)"


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
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    key = f"plan.error.{kind}"
    if kind == "string_pattern_mismatch":
        # say the rule in words rather than the regular expression
        pattern = str(ctx.get("pattern", ""))
        key = {SLUG_PATTERN: "plan.error.slug", TIME_PATTERN: "plan.error.time"}.get(pattern, key)
    values = dict(
        value=shown,
        allowed=_allowed_for(error) or "",
        **{
            k: v
            for k, v in ctx.items()
            if k in ("ge", "le", "gt", "lt", "min_length", "max_length", "pattern", "expected")
        },
    )
    if kind == "extra_forbidden":
        return Problem(
            _path(loc),
            i18n.t(
                "plan.error.extra_forbidden", lang, name=str(loc[-1]), allowed=_fields_at(loc[:-1])
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


class _PlanLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` (no Python objects, ever) with two YAML 1.1 traps removed.

    * Base-60 numbers: plain ``time: 10:30`` would be the integer 630; here it stays the
      text ``"10:30"`` (any plain scalar containing ``:`` is never an int or a float).
    * Impossible dates: ``start: 2027-13-01`` matches the timestamp pattern and made PyYAML
      raise ``ValueError``; here it stays text, so validation names the field ``start``.
    """


_PlanLoader.yaml_implicit_resolvers = {
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


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, AttributeError):  # 2027-13-01, or an explicit !!timestamp "hello"
        return loader.construct_scalar(node)


_PlanLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _parse_yaml(text: str) -> Any:
    """``yaml.load`` with :class:`_PlanLoader` (safe: no tags beyond plain YAML data)."""
    return yaml.load(text, Loader=_PlanLoader)  # noqa: S506 - _PlanLoader is a SafeLoader


def load(path: str | os.PathLike[str], language: str | None = None) -> Plan:
    """Read a plan file (YAML, safe loader only: see :class:`_PlanLoader`) and validate it.

    Every failure, from a missing file to a wrong field, is a :class:`PlanError`.
    """
    path = Path(path)
    lang = language or i18n.DEFAULT_LANGUAGE
    source = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), source)
        if size > MAX_PLAN_BYTES:
            raise PlanError(
                source,
                [
                    Problem(
                        "", i18n.t("plan.error.too_large", lang, size=size, limit=MAX_PLAN_BYTES)
                    )
                ],
                lang,
            )
        text = path.read_text(encoding="utf-8")
    except PlanError:
        raise
    except UnicodeDecodeError:
        raise PlanError(source, [Problem("", i18n.t("plan.error.not_utf8", lang))], lang) from None
    except OSError as exc:
        raise PlanError(
            source,
            [Problem("", i18n.t("plan.error.unreadable", lang, reason=exc.strerror or str(exc)))],
            lang,
        ) from None
    return loads(text, source=source, language=language)


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
    """Whether `value` is a safe client id (cannot leave an output folder)."""
    return bool(re.fullmatch(SLUG_PATTERN, value))
