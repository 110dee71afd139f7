"""The plan's sections as pydantic models (:class:`Plan` and its parts), each field bounded.

Part of :mod:`workshop.plan` (import from there).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from workshop.plan.vocab import (
    _UNIQUE,
    CHANNELS,
    MAX_AUDIENCE_CEILING,
    MAX_BLACKOUT_DATES,
    MAX_CADENCE_PER_WEEK,
    MAX_COMM_ITEMS,
    MAX_DATE,
    MAX_DISCOVERY_VIEWS,
    MAX_FOLLOWERS,
    MAX_MONEY,
    MAX_MONTE_CARLO_PATHS,
    MAX_NAME_CHARS,
    MAX_PURCHASES_PER_CUSTOMER,
    MAX_SEED,
    MAX_SLOTS_PER_RULE,
    MAX_START,
    MAX_THEME_CHARS,
    MIN_DATE,
    PLATFORM_IDS,
    SKILLS,
    SLUG_PATTERN,
    TIME_PATTERN,
    WINDOWS_RESERVED_IDS,
    Asset,
    Audience,
    Channel,
    ContentType,
    Currency,
    Language,
    OneLineText,
    PlatformId,
    Sector,
    Skill,
    Weekday,
    _check_not_reserved,
)


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
    area: Literal["local", "regional", "national", "international"] = Field(
        "local",
        description="The market the business can serve: it sets the audience ceiling's default",
    )
    country: Literal["VN", "FR", "IT", "US", "GB", "DE", "OTHER"] = "VN"
    language: Language = "vi"
    currency: Currency | None = Field(None, description="Defaults to VND for vi, EUR for en")

    @model_validator(mode="after")
    def _default_currency(self) -> Client:
        if self.currency is None:
            object.__setattr__(self, "currency", "VND" if self.language == "vi" else "EUR")
        return self


class Help(_Strict):
    """Outside help that closes a skill gap (C7): a freelancer, an agency or a new hire who
    brings `skill` and works `hours_per_week` for the pages at `hourly_cost` (paid in full,
    every month of the horizon)."""

    skill: Skill
    hours_per_week: float = Field(ge=0, le=80)
    hourly_cost: float = Field(ge=0, le=MAX_MONEY, description="In the plan's currency")


class Learning(_Strict):
    """A skill the team learns (C7): the pages that need it post from month `by_month` on;
    their hours are worked from the start (learning and practising), and `course_cost`
    (a course, a coach) is paid in month 1."""

    skill: Skill
    by_month: int = Field(ge=1, le=60, description="The first month the team has the skill")
    course_cost: float = Field(0.0, ge=0, le=MAX_MONEY, description="In the plan's currency")


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
    help: list[Help] = Field(
        default_factory=list,
        max_length=len(SKILLS),  # one entry per skill (a cross-check names duplicates)
        description="Outside help that closes skill gaps (empty = none)",
    )
    learning: list[Learning] = Field(
        default_factory=list,
        max_length=len(SKILLS),  # one entry per skill (a cross-check names duplicates)
        description="Skills the team learns, and by which month (empty = none)",
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
    zalo_oa_package: Literal["basic", "trial", "advanced", "premium"] = Field(
        "basic",
        description="The Zalo OA service package: how many broadcasts a follower receives a "
        "month (data/schedulers.yaml: basic 1, trial and advanced 4, premium 6)",
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
    every_weeks: Literal[1, 2] = Field(
        1, description="1: every week; 2: every other week, from the plan's first week"
    )

    @property
    def per_week(self) -> float:
        """Posts this slot gives in an average week (1, or ½ every other week)."""
        return 1.0 / self.every_weeks


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
    post_on_holidays: list[Annotated[dt.date, Field(ge=MIN_DATE, le=MAX_DATE)]] = Field(
        default_factory=list,
        max_length=MAX_BLACKOUT_DATES,
        description="Holidays the calendar keeps although it skips holidays (a campaign); "
        "a blackout day stays a blackout day",
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
    launch_audience: int | None = Field(
        None,
        ge=0,
        le=MAX_FOLLOWERS,
        description="People the business can invite to follow a new page (customers, staff, "
        "contacts)",
    )
    discovery_follow_rate: float | None = Field(
        None, ge=0, le=1, description="Followers won per view by a non-follower"
    )
    customer_lifetime_months: float | None = Field(
        None, ge=1, le=120, description="Months a customer keeps buying, on average"
    )
    zalo_paid_broadcasts_per_month: int = Field(
        0,
        ge=0,
        le=31,
        description="Paid messages (ZNS Follower) sent to every Zalo OA follower each month, "
        "beyond the package's free broadcasts",
    )
    paid_message_cost: float | None = Field(
        None, ge=0, le=MAX_MONEY, description="Cost of one paid Zalo OA message to one follower"
    )
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
