"""Step 4: does organic growth pay for the work? (C5, C8, C9)

The article says a company page is worth managing only with a view to **return on
investment** (C5), that its potential becomes real only if the company keeps pace with
publishing and with the growth of its fan base (C8), and that the prize is sales and leads
*without spending on advertising* (C9). This module turns a plan into a month-by-month
projection of audience, reach, leads, customers and money, against the cost of the work.

Everything here is pure: functions read the plan (and, through :mod:`workshop.data`, the
benchmark ranges) and return new objects. Counts are people or actions per month, money is
in the plan's currency, rates are fractions (0.05 = 5 %).

Where each input comes from (:func:`resolve_inputs`)
---------------------------------------------------
* Every number the plan sets in ``plan.roi`` (an *override*) wins, and applies to every
  chosen platform. The hourly cost comes from ``plan.team.hourly_cost``.
* Otherwise the number comes from ``data/benchmarks.csv`` (per platform, falling back to
  the ``all`` row). A benchmark is a range low / typical / high; :func:`resolve_inputs`
  gives the typical values (and, asked for "conservative" / "optimistic", every
  unfavourable / favourable end at once: *low* for most inputs, *high* for the two where
  more is worse, follower churn and the hourly cost). The projection's three scenarios
  are not those ends but paths of the simulation (see *Uncertainty* below): the central
  case uses one draw of every uncertain input within its range, shown with its source by
  :func:`assumptions_table`.
* Hours of work and the pace kept come from what the team can deliver
  (:func:`workshop.delivery.delivery`: the hours the team has, plus ``team.help``, given to
  the chosen pages best asset fit first; a page whose required skill is missing gets
  nothing, and a page whose skill the team learns by month M (``team.learning``) gets its
  hours from the start but posts from month M: its calendar share k is 0 before M).
  ``hours per week`` below is the team's own hours worked, ``posts per week``
  the pace kept (the plan's pace × the page's share of the hours it needs); outside help
  costs ``Σ hours × rate × 52 ÷ 12`` a month. ``project(plan, delivered=False)`` is the
  plan as it asks: every page at its pace, every hour step 2 says it needs. Tools and
  advertising per month come from the plan; advertising is zero by default (C9).
* The pace asked on a platform (the same rule as step 2): the plan's
  ``platforms.cadence_per_week``, else the number of weekly slots in the plan's editorial
  rule for the platform, else ``posts_per_week`` of ``data/platforms.csv``.
* Posts month by month come from the dated calendar of step 3
  (:func:`workshop.schedule.monthly_posts`: the editorial rules, holidays when the plan
  skips them, blackout days, a mid-month start, slots every other week), as the
  *calendar share* of each month and platform (:func:`calendar_share`): ``k(m) = the
  calendar's posts in month m ÷ (pace asked × 52 ÷ 12)``; 1 is an average month. So the
  posts the projection counts are the posts the calendar and its exports hold.
* Metric names: growth ``follower_growth_rate`` (per month), churn
  ``follower_churn_rate`` (per month), ceiling ``audience_ceiling_<area>`` (followers; the
  area is ``client.area``: local, regional, national or international), launch audience
  ``launch_audience_<size>`` (people; the size is micro for 1-2 people on the team, small
  for 3-9, medium for 10-50), ``discovery_follow_rate`` (followers won per view by a
  non-follower), ``customer_lifetime_months_<b2c|b2b>`` (months), reach
  ``organic_reach_rate`` (share of followers who see one post), discovery
  ``discovery_views_per_post`` (views of one post by people who do not follow the page),
  engagement
  ``engagement_rate`` (interactions per follower per post), ``click_through_rate`` (clicks per
  person reached), ``lead_conversion_rate_<b2c|b2b>`` (leads per click: for a consumer business an
  enquiry, message, order or visit intention; for a B2B firm a web-form lead),
  ``lead_to_customer_rate_<b2c|b2b>``, ``average_order_value_<b2c|b2b>_<currency>``,
  ``purchases_per_customer`` (purchases in a customer's first year),
  ``gross_margin_<b2c|b2b>``, ``hourly_cost_<currency>``.

The model, month by month (:func:`project`)
------------------------------------------
For each chosen platform, with *F* the followers at the end of the previous month
(``plan.roi.starting_followers``, 0 for a new page, before month 1):

1. **Leavers first.** ``kept = F × (1 − churn)``: every month a share of the followers
   unfollow or go silent.
2. **Publishing pace (C8).** ``cadence factor = min(1, posts per week ÷ benchmark posts
   per week)``. Publishing half as often as the benchmark halves the growth; publishing
   more than the benchmark does not speed growth up (but it does add reach, step 4).
3. **Newcomers** come from three places.

   a. *Word of mouth*: ``(growth + churn) × cadence factor × kept``. Published growth
      rates are *net* (followers at the end of a month against the start) and are
      measured on established pages, so the newcomers add the churn back: a page that
      posts at the benchmark pace, far from its ceiling, grows at the benchmark's net rate.
   b. *Discovery*: ``discovery views per post × posts per month × discovery follow rate``
      (posts per month of an average month: posts per week × 52 ÷ 12)
      (step 4's views by people who do not follow the page, of whom a small share follow
      it). This is how a new page on TikTok or Reels wins its first followers.
   c. *Launch* (month 1 only, and only if the page posts): the customers, staff and
      contacts the business invites to follow a new page (``plan.roi.launch_audience``,
      else the benchmark for the business's size). The page ends month 1 with at least
      that many followers (still under the ceiling); those who already follow count once:
      ``F(month 1) = max(kept + new, launch audience)``. A page that already has that many
      followers gets nothing from it.

   ``new = (a + b) × k(m) × (1 − kept ÷ ceiling)`` (*k(m)*, the calendar share of the
   month: a month with half the posts grows half as much), never below zero and never
   more than the room left under the ceiling (``ceiling − kept``), then *c* in month 1
   (if the calendar has posts on the platform in month 1).
   In words: a page attracts new followers in proportion to the followers it has and to
   the strangers who see its posts, slowed down as it fills the audience it can ever
   reach (the *ceiling*: the people in the business's area, ``client.area``, who could
   care). ``F(this month) = kept + new``; the ``followers`` columns are end-of-month
   figures. Counting the leavers before the newcomers, and capping newcomers at the
   ceiling, keeps the model well-behaved for any rates: a page that starts bigger is never
   smaller later, and it never overshoots its ceiling. A page that does not post (no
   hours for it) wins nobody and only loses its leavers.
4. **Reach** has two parts, per platform, then added over the chosen platforms (posts in
   month m = posts per week × 52 ÷ 12 × k(m), the calendar's posts that month at the pace
   kept):

   * *followers*: ``F × organic reach rate × posts a follower sees in the month`` (the
     month's posts; on Zalo OA at most the quota, plus paid broadcasts), the times a post
     is seen by a follower in the month;
   * *discovery*: ``discovery views per post × posts per month``, the times a post is
     seen by people who do **not** follow the page (recommendation feeds such as TikTok's
     For You, Reels and YouTube's suggestions, shares, search, local discovery). On
     TikTok, Reels and YouTube most views of a small business's posts come from here.

   ``reach = F × organic reach rate × posts per month + discovery views per post × posts
   per month`` (column ``reach``; the discovery part alone is ``reach_discovery``).
   Discovery does not depend on the followers and scales with the number of posts: a post
   not published is seen by nobody, and the cadence factor is *not* applied again (it
   slows the *growth* of the page, step 2; applying it to discovery too would count a
   slow pace twice). Discovery views are platform estimates (``estimate`` rows of
   ``data/benchmarks.csv``) and count views, not unique people: a generous reading, so
   the click-through rate of step 5 applies to them as to follower reach. Messaging-first
   pages (Zalo OA, Telegram, WhatsApp) broadcast to their followers only: 0 views.
   **Zalo OA as itself**: a follower receives at most a few broadcasts a month, set by
   the OA's service package (``platforms.zalo_oa_package``; the quotas of
   ``data/schedulers.yaml``: basic 1, trial and advanced 4, premium 6, from Zalo OA's
   guide; :func:`broadcast_limits`): every Zalo OA post counts as a broadcast, and one
   past the quota reaches nobody (the calendar exports turn it into an article on the OA
   page). So the posts a Zalo OA follower sees in month m are ``min(posts in month m,
   quota) + paid broadcasts`` (``roi.zalo_paid_broadcasts_per_month``, paid ZNS Follower messages to
   every follower); a Zalo OA's *reach rate* is the share of followers who open a
   broadcast (its own estimate row). On every other platform the posts a follower can see
   are the month's posts.
   **Engagements** = F × engagement rate × posts per month (the benchmarks measure
   engagement per follower per post; shown, not used for money).
5. **The funnel.** ``clicks = reach × click-through rate`` (per platform, then added);
   ``leads = Σ over platforms of clicks × funnel fit × lead conversion rate``, where the
   *funnel fit* of a platform is its market fit × audience match from step 1
   (:func:`funnel_fit`) ÷ ``FUNNEL_REFERENCE`` (0.8), at most 1.25: a platform whose
   audience is the client's buyers turns clicks into leads at (or a little above) the
   benchmark rate, one whose audience is not turns few. ``customers = leads ×
   lead-to-customer rate`` (new customers won in the month).
6. **Revenue.** A customer buys ``purchases_per_customer`` times in their first year,
   spread evenly: ``purchases_per_customer ÷ 12`` purchases a month, from the month they
   are won, and keeps buying for ``customer lifetime`` months on average: every month a
   share ``1 ÷ lifetime`` of the customers stops (geometric retention). ``active
   customers(m) = active customers(m − 1) × (1 − 1 ÷ lifetime) + customers won in m``;
   ``revenue = active customers × average order value × purchases_per_customer ÷ 12``;
   ``gross profit = revenue × gross margin``. A B2B subscription (lifetime 30 months
   typical) keeps renewing; a café's walk-in customer (12) fades within the year.
7. **Cost.** ``cost of work = hours per week × 52 ÷ 12 × hourly cost``; ``cost = cost of
   work + outside help + tools + ads + paid broadcasts``, where ``paid broadcasts = Zalo
   OA followers F × paid broadcasts a month × cost of one message to one follower``
   (``roi.paid_message_cost``, else ``paid_message_cost_<currency>``: about 50 VND a ZNS
   Follower message), plus the course fees of ``team.learning`` in month 1. Work, help,
   tools and ads are the same every month; ads are zero unless the plan sets them, and
   they add no reach in this model (C9 is about *organic* reach).
8. **Return on investment (C5)**, cumulative from month 1: ``cum ROI = (cumulative gross
   profit − cumulative cost) ÷ cumulative cost``. 0.35 means every 1 spent so far has come
   back as 1.35 of gross profit. When nothing is spent (no hours, no tools, no ads; in
   practice: a cumulative cost below ``MIN_COST``, a millionth of a currency unit) there is
   no investment to return: ROI is reported as 0 and :class:`Summary` says
   ``cost_is_zero``; the projection never divides by zero. (So the ROI jumps from 0 to a
   large number when a very small cost is first entered: show "no cost entered" rather than
   the ROI whenever ``cost_is_zero``.)
9. **Break-even month**: the first month *from which* cumulative gross profit ≥ cumulative
   cost holds in every later month up to the horizon (``None`` if it does not hold in the
   horizon's last month; month 1 when there is no cost). A page that reaches zero and then
   falls back below it has not broken even: :class:`Summary` gives the month it first
   reached zero as ``fell_back_month``, and the sentences say "reaches zero in month m,
   then falls back". The share of simulated paths broken even by month m therefore never
   decreases with m.

Uncertainty
-----------
* :func:`monte_carlo` draws each uncertain input (every benchmark input the plan does not
  override) from a triangular distribution (low, typical, high) of its benchmark, once per
  path (the same value for every month of a path, and, for per-platform inputs, the same
  position in each platform's range: a good year for click-through is good on every page),
  runs all paths at once, and gives the 10th, 50th and 90th percentile per month of the
  cumulative ROI and of the followers. :func:`break_even_distribution` gives, per month,
  the share of paths that have broken even by then. The hours of work, the publishing
  pace, tools and ads are the plan's decisions and are not drawn.
* **The three scenarios are paths of that simulation** (:func:`scenario_inputs`): the
  path whose cumulative ROI at the horizon is the 10th percentile of all paths
  ("conservative"), the 50th ("expected": the central case, the median) and the 90th
  ("optimistic"). Each is one coherent draw of every input, so :func:`project` gives its
  months and :func:`assumptions_table` its values, and each always lies inside what is
  simulated. (Until issue 10 they took every unfavourable or favourable benchmark end at
  once, which lay outside all simulated paths, and "expected" took every typical value,
  which sat at the 9th-26th percentile because the ranges are skewed and multiply.)
  :func:`scenarios` stacks the three; :func:`resolve_inputs` still gives the benchmark
  ends (the ranges the draws come from).
* :func:`sensitivity` moves one uncertain input at a time to its benchmark low and high
  (all others as in the central case) and sorts inputs by how far the ROI at the horizon swings: the
  tornado chart. Inputs the plan overrides are the plan's own numbers: they are held fixed
  in Monte Carlo and left out of the tornado. Engagement does not affect money in this
  model, so it is not varied.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workshop import data, i18n
from workshop.plan import Plan

WEEKS_PER_MONTH = 52 / 12  # same constant as capacity.WEEKS_PER_MONTH (a test checks)
#: A platform whose audience fits the client's market and audience this well (market fit ×
#: audience match, step 1) turns clicks into leads at the benchmark rate (ESTIMATE).
FUNNEL_REFERENCE = 0.8
#: Business size from the people on the team (``team.people``): the launch audience's row.
SIZE_BY_PEOPLE = ((2, "micro"), (9, "small"), (50, "medium"))
MIN_PACE = 1e-6  # posts a month: a pace below it is no pace (the calendar share is 0)
MIN_COST = 1e-6  # cumulative costs below a millionth of a currency unit count as no cost
SCENARIOS = ("conservative", "expected", "optimistic")
#: Each named scenario is the simulated path at this percentile of cumulative net gain.
SCENARIO_PERCENTILES = {"conservative": 10, "expected": 50, "optimistic": 90}
BANDS = (10, 50, 90)  # Monte Carlo percentiles
FAN_BANDS = (5, 25, 75, 95)  # with BANDS: the 90 %, 80 % and 50 % bands of the fan chart

# Columns of project() that count people, actions or money and must never be negative.
COUNT_COLUMNS = (
    "followers",
    "reach",
    "reach_discovery",
    "engagements",
    "clicks",
    "leads",
    "customers",
    "active_customers",
    "revenue",
    "gross_profit",
    "cost_work",
    "cost_tools",
    "cost_ads",
    "cost",
    "cum_gross_profit",
    "cum_cost",
)


# --- The inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    """One uncertain input: where its benchmark is, whether plan overrides it."""

    key: str  # field of Inputs (purchases: the yearly figure, see Inputs)
    metric: str  # benchmark metric, with {market} / {currency} placeholders
    per_platform: bool
    override: str  # attribute of plan.roi ("team.hourly_cost" for the hourly cost)
    kind: str  # rate | count | money | number (how it is shown)
    more_is_worse: bool = False  # conservative = high end (churn, hourly cost)
    varies_money: bool = True  # varied in Monte Carlo and sensitivity


SPECS: tuple[_Spec, ...] = (
    _Spec("growth", "follower_growth_rate", True, "monthly_growth_rate", "rate"),
    _Spec("churn", "follower_churn_rate", True, "monthly_churn_rate", "rate", True),
    _Spec("ceiling", "audience_ceiling_{area}", True, "audience_ceiling", "count"),
    _Spec("reach", "organic_reach_rate", True, "organic_reach_rate", "rate"),
    _Spec("discovery", "discovery_views_per_post", True, "discovery_views_per_post", "count"),
    _Spec("engagement", "engagement_rate", True, "engagement_rate", "rate", varies_money=False),
    _Spec("ctr", "click_through_rate", True, "click_through_rate", "rate"),
    _Spec("lead_rate", "lead_conversion_rate_{market}", False, "lead_conversion_rate", "rate"),
    _Spec("close_rate", "lead_to_customer_rate_{market}", False, "lead_to_customer_rate", "rate"),
    _Spec("aov", "average_order_value_{market}_{currency}", False, "average_order_value", "money"),
    _Spec(
        "purchases_per_customer",
        "purchases_per_customer",
        False,
        "purchases_per_customer",
        "number",
    ),
    _Spec("margin", "gross_margin_{market}", False, "gross_margin", "rate"),
    _Spec("hourly_cost", "hourly_cost_{currency}", False, "team.hourly_cost", "money", True),
    # issue 10, items 3-4 (last, so that the draws of the inputs above stay as they were)
    _Spec("launch", "launch_audience_{size}", False, "launch_audience", "count"),
    _Spec("follow_rate", "discovery_follow_rate", True, "discovery_follow_rate", "rate"),
    _Spec(
        "lifetime",
        "customer_lifetime_months_{market}",
        False,
        "customer_lifetime_months",
        "number",
    ),
)
SPEC_BY_KEY = {s.key: s for s in SPECS}


@dataclass(frozen=True)
class Inputs:
    """Every number the projection uses, resolved for one scenario.

    Per-platform arrays (one entry per chosen platform, in ``platforms`` order):
    ``followers0`` (followers before month 1), ``growth`` (monthly new followers per
    follower), ``churn`` (monthly share of followers lost), ``ceiling`` (followers the page
    can ever reach), ``reach`` (share of followers who see one post), ``discovery``
    (views of one post by people who do not follow the page), ``engagement``
    (interactions per follower per post), ``posts_per_week`` (the plan's pace) and
    ``cadence`` (min(1, posts per week ÷ benchmark posts per week)), ``ctr`` (clicks per
    person reached; per platform because the benchmarks differ by platform).
    ``follow_rate`` (followers won per view by a non-follower), ``funnel_fit`` (the
    platform's market fit × audience match ÷ :data:`FUNNEL_REFERENCE`: leads per click
    relative to the benchmark).
    Scalars: ``launch`` (people the business can invite to follow a page at launch),
    ``lifetime`` (months a customer keeps buying, on average), ``lead_rate`` (leads per click),
    ``close_rate`` (customers per lead), ``aov`` (money per purchase),
    ``purchases_per_customer_per_month`` (purchases in the first year ÷ 12), ``margin``
    (gross margin), ``hours_per_week``, ``hourly_cost`` (money per hour), ``tools`` and
    ``ads`` (money per month), ``months`` (horizon).
    """

    platforms: tuple[str, ...]
    followers0: np.ndarray
    growth: np.ndarray
    churn: np.ndarray
    ceiling: np.ndarray
    reach: np.ndarray
    discovery: np.ndarray
    engagement: np.ndarray
    posts_per_week: np.ndarray
    cadence: np.ndarray
    ctr: np.ndarray
    lead_rate: float
    close_rate: float
    aov: float
    purchases_per_customer_per_month: float
    margin: float
    hours_per_week: float
    hourly_cost: float
    tools: float
    ads: float
    months: int
    launch: float
    follow_rate: np.ndarray
    lifetime: float
    funnel_fit: np.ndarray
    help_cost: float = 0.0
    #: (months, platforms): month m's posts in the dated calendar ÷ an average month's at
    #: the plan's pace (:func:`calendar_share`); None = every month an average month.
    share: np.ndarray | None = None
    #: per platform: broadcasts a follower can receive a month (Zalo OA's package; inf
    #: elsewhere), paid broadcasts sent to every follower a month (Zalo OA), and the cost
    #: of one paid message to one follower
    broadcast_cap: np.ndarray | None = None
    paid_broadcasts: np.ndarray | None = None
    paid_price: float = 0.0
    #: paid once, in month 1 (course fees of ``team.learning``)
    one_off: float = 0.0

    @property
    def cost_per_month(self) -> float:
        """hours per week × 52/12 × hourly cost + outside help + tools + ads."""
        work = self.hours_per_week * WEEKS_PER_MONTH * self.hourly_cost
        return work + self.help_cost + self.tools + self.ads


def business_size(plan: Plan) -> str:
    """``micro`` (1-2 people on the team), ``small`` (3-9) or ``medium`` (10-50)."""
    return next(name for most, name in SIZE_BY_PEOPLE if plan.team.people <= most)


def _metric(spec: _Spec, plan: Plan) -> str:
    return spec.metric.format(
        market=plan.client.market,
        currency=plan.currency.lower(),
        area=plan.client.area,
        size=business_size(plan),
    )


def _override(spec: _Spec, plan: Plan) -> float | None:
    if spec.override == "team.hourly_cost":
        value = plan.team.hourly_cost
    else:
        value = getattr(plan.roi, spec.override)
    return None if value is None else float(value)


_MEMO: dict[tuple, object] = {}
#: Calendars kept by :func:`calendar_share` (the most recent plans; a room has ~30).
CALENDAR_MEMO_SIZE = 64
_CALENDARS: dict[tuple, np.ndarray] = {}


def _benchmark(metric: str, platform: str = "all") -> data.Range:
    """``data.benchmark`` memoised per data folder (a slider redraw asks ~40 times).

    The key holds the reader function itself, so a test that swaps ``data.benchmark``
    never sees a stale value.
    """
    key = ("benchmark", data.benchmark, str(data.data_dir()), metric, platform)
    if key not in _MEMO:
        _MEMO[key] = data.benchmark(metric, platform)
    return _MEMO[key]  # type: ignore[return-value]


def _catalogue_pace(platform: str) -> tuple[float, bool] | None:
    """(posts_per_week, is an estimate) of ``data/platforms.csv``, None if not listed."""
    key = ("pace", data.load_platforms, str(data.data_dir()))
    if key not in _MEMO:
        catalogue = data.load_platforms()
        _MEMO[key] = {
            pid: (float(row["posts_per_week"]), "posts_per_week" in row["estimate"])
            for pid, row in catalogue.iterrows()
        }
    return _MEMO[key].get(platform)  # type: ignore[union-attr]


def _range(spec: _Spec, plan: Plan, platform: str = "all") -> data.Range:
    return _benchmark(_metric(spec, plan), platform if spec.per_platform else "all")


def _pick(spec: _Spec, rng: data.Range, scenario: str) -> float:
    if scenario not in SCENARIOS:
        raise ValueError(f"scenario must be one of {SCENARIOS}, not {scenario!r}")
    if spec.more_is_worse and scenario != "expected":
        scenario = "optimistic" if scenario == "conservative" else "conservative"
    return rng.value(scenario)


def _chosen(plan: Plan) -> tuple[str, ...]:
    return tuple(plan.platforms.chosen)


def posts_per_week(plan: Plan, platform: str) -> tuple[float, str]:
    """The plan's publishing pace on `platform` and where it comes from.

    The same rule as step 2 (``capacity.platform_hours``), so that the pace that is paid
    for is the pace that grows the page: ``plan.platforms.cadence_per_week`` ("plan"), else
    the number of weekly slots of the plan's editorial rule for the platform ("editorial"),
    else ``posts_per_week`` of ``data/platforms.csv`` ("data"; the benchmark
    ``posts_per_week`` typical value for a platform missing there).
    """
    if platform in plan.platforms.cadence_per_week:
        return float(plan.platforms.cadence_per_week[platform]), "plan"
    for rule in plan.editorial.rules:
        if rule.platform == platform:
            return float(sum(s.per_week for s in rule.slots)), "editorial"
    pace = _catalogue_pace(platform)
    if pace is not None:
        return pace[0], "data"
    return _benchmark("posts_per_week", platform).typical, "data"


def calendar_share(plan: Plan, chosen: list[str] | None = None) -> np.ndarray:
    """Month by month, the posts of the dated calendar (:func:`workshop.schedule.
    monthly_posts`: holidays, blackout days, a mid-month start, a slot every other week)
    ÷ the posts of an average month at the pace asked (posts per week × 52 ÷ 12), per
    chosen platform: an array (months, platforms). 1 is an average month; 0.5 the first
    month of a plan that starts mid-month; 0 a platform whose pace is 0."""
    chosen = list(plan.platforms.chosen if chosen is None else chosen)
    key = (
        "calendar",
        str(data.data_dir()),
        plan.editorial.model_dump_json(),
        plan.platforms.model_dump_json(),
        plan.start,
        plan.horizon_months,
        plan.client.country,
        tuple(chosen),
    )
    if key not in _CALENDARS:
        from workshop import schedule  # lazy: schedule reads the plan's editorial rules

        counts = schedule.monthly_posts(plan)
        share = np.zeros((plan.horizon_months, len(chosen)))
        for i, p in enumerate(chosen):
            average = posts_per_week(plan, p)[0] * WEEKS_PER_MONTH
            if average > MIN_PACE and p in counts.columns:
                share[:, i] = counts[p].to_numpy(dtype=float) / average
        share.setflags(write=False)
        while len(_CALENDARS) >= CALENDAR_MEMO_SIZE:
            _CALENDARS.pop(next(iter(_CALENDARS)))
        _CALENDARS[key] = share
    return _CALENDARS[key]


#: Platforms whose posts are broadcasts to followers, limited per follower and month.
BROADCAST_PLATFORMS = ("zalo_oa",)


def broadcast_limits(plan: Plan, chosen: list[str]) -> tuple[np.ndarray, np.ndarray, float]:
    """Zalo OA as itself (issue 10, item 5): per chosen platform, the broadcasts one
    follower can receive a month (``zalo_oa.packages`` of ``data/schedulers.yaml``, the
    same quota the calendar exports' pre-flight check applies, for ``platforms.
    zalo_oa_package``: basic 1, trial and advanced 4, premium 6; infinity elsewhere),
    the paid broadcasts sent to every follower a month (``roi.zalo_paid_broadcasts_per_
    month``, Zalo OA only), and the cost of one paid message to one follower
    (``roi.paid_message_cost``, else ``paid_message_cost_<currency>``)."""
    from workshop import preflight  # lazy: the schedulers' rules (data/schedulers.yaml)

    quota = float(preflight.rules()["zalo_oa"]["packages"][plan.platforms.zalo_oa_package])
    cap = np.array([quota if p in BROADCAST_PLATFORMS else np.inf for p in chosen], dtype=float)
    paid = np.array(
        [
            float(plan.roi.zalo_paid_broadcasts_per_month) if p in BROADCAST_PLATFORMS else 0.0
            for p in chosen
        ],
        dtype=float,
    )
    price = plan.roi.paid_message_cost
    if price is None:
        price = _benchmark(f"paid_message_cost_{plan.currency.lower()}").typical
    return cap, paid, float(price)


def funnel_fit(plan: Plan, platform: str) -> float:
    """Leads per click on `platform` relative to the benchmark rate: the platform's market
    fit (``b2c_fit`` / ``b2b_fit``) × audience match of step 1 (:func:`workshop.platforms.
    fit_factors`) ÷ :data:`FUNNEL_REFERENCE`, at most 1.25. So LinkedIn (B2B fit 0.95,
    professionals) converts an industrial firm's clicks far better than TikTok (0.2, young
    consumers), and the other way round for a bubble-tea shop."""
    key = ("funnel", data.load_platforms, str(data.data_dir()))
    if key not in _MEMO:
        _MEMO[key] = data.load_platforms()
    catalogue = _MEMO[key]
    if platform not in catalogue.index:  # type: ignore[union-attr]
        return 1.0
    from workshop import platforms as platforms_mod  # lazy: the fit factors of step 1

    f = platforms_mod.fit_factors(plan, catalogue.loc[platform])  # type: ignore[union-attr]
    return min(1.0 / FUNNEL_REFERENCE, f["market_fit"] * f["audience_match"] / FUNNEL_REFERENCE)


def _cadence_factor(pace: float, platform: str) -> float:
    reference = _benchmark("posts_per_week", platform).typical
    return 1.0 if reference <= 0 else min(1.0, max(0.0, pace) / reference)


def hours_needed(plan: Plan) -> float:
    """Weekly hours of work the chosen platforms need (step 2: capacity)."""
    from workshop import capacity  # lazy: keeps `import workshop.roi` light

    return max(0.0, float(capacity.total_hours_needed(plan)))


def resolve_inputs(
    plan: Plan, scenario: str = "expected", delivered: bool = True, kept: Any = None
) -> Inputs:
    """The inputs of one scenario: overrides win, else the benchmark (see module docstring).

    Conservative takes each benchmark's unfavourable end (low, but *high* churn and hourly
    cost), optimistic the favourable end, expected the typical value.

    `delivered` (the default): the pace each page really keeps and the hours really worked,
    from the hours the team has (:func:`workshop.delivery.delivery`); False: the plan as it
    asks (every page at its pace, every hour it needs paid at the team's rate). `kept`: the
    plan's :class:`workshop.delivery.Delivery` when the caller has it.
    """
    chosen = _chosen(plan)
    values: dict[str, object] = {}
    for spec in SPECS:
        override = _override(spec, plan)
        if spec.per_platform:
            values[spec.key] = np.array(
                [
                    override
                    if override is not None
                    else _pick(spec, _range(spec, plan, p), scenario)
                    for p in chosen
                ],
                dtype=float,
            )
        else:
            values[spec.key] = (
                override if override is not None else _pick(spec, _range(spec, plan), scenario)
            )
    paces = np.array([posts_per_week(plan, p)[0] for p in chosen], dtype=float)
    help_cost = one_off = 0.0
    share = calendar_share(plan, chosen)
    if not delivered:
        hours = hours_needed(plan)
    else:
        from workshop import delivery  # lazy: asset fit and capacity tables

        kept = delivery.delivery(plan) if kept is None else kept
        paces = np.array([kept.posts_kept(p) for p in chosen], dtype=float)
        hours, help_cost = kept.team_hours_worked, kept.help_cost_per_month
        one_off = kept.course_cost
        start = np.array([int(kept.table.loc[p, "from_month"]) for p in chosen], dtype=int)
        if (start > 1).any():  # a page whose skill is being learned posts from that month
            share = share.copy()
            for i, first in enumerate(start):
                share[: first - 1, i] = 0.0
    cadence = np.array([_cadence_factor(pace, p) for pace, p in zip(paces, chosen)], dtype=float)
    return Inputs(
        platforms=chosen,
        followers0=np.array(
            [float(plan.roi.starting_followers.get(p, 0)) for p in chosen], dtype=float
        ),
        growth=values["growth"],
        churn=values["churn"],
        ceiling=np.maximum(values["ceiling"], 1.0),
        reach=values["reach"],
        discovery=np.maximum(values["discovery"], 0.0),
        engagement=values["engagement"],
        posts_per_week=paces,
        cadence=cadence,
        ctr=values["ctr"],
        lead_rate=float(values["lead_rate"]),
        close_rate=float(values["close_rate"]),
        aov=float(values["aov"]),
        purchases_per_customer_per_month=float(values["purchases_per_customer"]) / 12,
        margin=float(values["margin"]),
        hours_per_week=hours,
        hourly_cost=float(values["hourly_cost"]),
        tools=float(plan.roi.tools_cost_per_month),
        ads=float(plan.roi.ad_spend_per_month),
        months=int(plan.horizon_months),
        launch=max(float(values["launch"]), 0.0),
        follow_rate=np.clip(values["follow_rate"], 0.0, 1.0),
        lifetime=max(float(values["lifetime"]), 1.0),
        funnel_fit=np.array([funnel_fit(plan, p) for p in chosen], dtype=float),
        help_cost=help_cost,
        share=share,
        one_off=one_off,
        **dict(
            zip(
                ("broadcast_cap", "paid_broadcasts", "paid_price"),
                broadcast_limits(plan, chosen),
                strict=True,
            )
        ),
    )


# --- The simulation core (shared by project, scenarios, Monte Carlo, sensitivity) ----------


def _cumsum(x: np.ndarray) -> np.ndarray:
    """Running total along axis 0 (months); a loop over months of whole-row additions is
    several times faster than ``np.cumsum(axis=0)`` for (36, 2000) arrays."""
    out = np.empty_like(x)
    total = np.zeros(x.shape[1:])
    for m in range(x.shape[0]):
        total = total + x[m]
        out[m] = total
    return out


def _simulate(
    followers0,
    growth,
    churn,
    ceiling,
    reach,
    discovery,
    engagement,
    posts_per_week,
    cadence,
    ctr,
    lead_rate,
    close_rate,
    aov,
    ppm,
    margin,
    cost_month,
    months: int,
    launch=0.0,
    follow_rate=0.0,
    lifetime=1.0,
    funnel_fit=1.0,
    share=None,
    broadcast_cap=None,
    paid_broadcasts=None,
    paid_price=0.0,
    one_off=0.0,
) -> dict[str, np.ndarray]:
    """Run many paths at once (the formulas of the module docstring).

    Per-platform arguments broadcast to shape (paths, platforms); the other arguments are
    scalars or shape (paths,) / (paths, 1). Returns time-major arrays of shape
    (months, paths), plus ``followers_by_platform`` (months, platforms, paths). Only the
    follower recursion (and running totals) loop over months; each step is whole-array
    arithmetic over paths and platforms.
    """
    per_platform = [
        np.atleast_2d(np.asarray(a, dtype=float))
        for a in (
            followers0,
            growth,
            churn,
            ceiling,
            reach,
            discovery,
            engagement,
            posts_per_week,
            cadence,
            ctr,
            follow_rate,
            funnel_fit,
        )
    ]

    def row(x):  # scalar → float; (paths,) or (paths, 1) → (1, paths) for time-major maths
        return np.asarray(x, dtype=float).reshape(1, -1) if np.ndim(x) else float(x)

    scalars = [
        row(x) for x in (lead_rate, close_rate, aov, ppm, margin, cost_month, launch, lifetime)
    ]
    lead_rate, close_rate, aov, ppm, margin, cost_month, launch, lifetime = scalars
    n_plat = np.broadcast_shapes(*(a.shape for a in per_platform))[1]
    n_paths = max(
        [a.shape[0] for a in per_platform] + [np.shape(x)[1] for x in scalars if np.ndim(x)]
    )
    shape = (n_plat, n_paths)  # platform-major inside: rows are contiguous over paths
    (
        followers0,
        growth,
        churn,
        ceiling,
        reach,
        discovery,
        engagement,
        posts_per_week,
        cadence,
        ctr,
        follow_rate,
        funnel_fit,
    ) = (np.broadcast_to(a.T, shape) for a in per_platform)

    # the calendar: month m's posts on a platform ÷ an average month's (1 without calendar)
    share = (
        np.ones((months, n_plat))
        if share is None
        else np.broadcast_to(np.asarray(share, dtype=float), (months, n_plat))
    )
    posts_month = posts_per_week * WEEKS_PER_MONTH  # an average month
    strangers = discovery * posts_month  # views by non-followers in an average month
    pull = (growth + churn) * cadence  # gross newcomers per follower, at this pace
    found = strangers * follow_rate  # 3b. followers won from non-follower views, a month
    keep = 1.0 - churn
    ceiling = np.maximum(ceiling, 1.0)
    f = np.array(followers0, dtype=float)
    launched = np.where(  # 3c. month 1, if the page posts in it
        posts_month * share[0][:, None] > 0, np.minimum(launch, ceiling), 0.0
    )
    by_platform = np.empty((months, n_plat, n_paths))
    for m in range(months):
        s_m = share[m][:, None]
        kept = f * keep  # 1. leavers
        new = (pull * kept + found) * s_m * (1.0 - kept / ceiling)  # 2-3.
        f = kept + np.minimum(np.maximum(new, 0.0), np.maximum(ceiling - kept, 0.0))
        if m == 0:
            f = np.maximum(f, launched)
        by_platform[m] = f

    # posts a follower can see in month m: the month's posts, at most the broadcasts a
    # follower can receive (Zalo OA), plus the paid broadcasts
    cap = np.full(n_plat, np.inf) if broadcast_cap is None else np.asarray(broadcast_cap)
    paid = np.zeros(n_plat) if paid_broadcasts is None else np.asarray(paid_broadcasts)
    to_followers = (
        np.minimum(posts_month[None] * share[:, :, None], cap[None, :, None]) + paid[None, :, None]
    )

    def per_month(per_post):  # Σ over platforms of followers × per post × posts they see
        total = np.zeros((months, n_paths))
        for p in range(n_plat):
            total += by_platform[:, p, :] * per_post[p] * to_followers[:, p, :]
        return total

    def unfollowed(weight):  # Σ over platforms of weight × the month's share
        return share @ weight if n_plat else np.zeros((months, n_paths))

    discovered = unfollowed(strangers)  # 4. views by non-followers
    reach_m = per_month(reach) + discovered  # 4. + followers
    engaged = per_month(engagement)
    clicks = per_month(reach * ctr) + unfollowed(strangers * ctr)  # 5.
    fit_clicks = per_month(reach * ctr * funnel_fit) + unfollowed(strangers * ctr * funnel_fit)
    leads = fit_clicks * lead_rate
    customers = leads * close_rate
    stay = 1.0 - 1.0 / np.maximum(lifetime, 1.0)  # 6. share of customers kept each month
    active = np.empty_like(customers)
    total = np.zeros(customers.shape[1:])
    for m in range(months):
        total = total * stay + customers[m]
        active[m] = total
    revenue = active * aov * ppm
    gross_profit = revenue * margin
    cost = np.broadcast_to(cost_month, (months, n_paths)).copy()  # 7.
    cost[0] += one_off  # 7. course fees, paid in month 1
    for p in np.flatnonzero(paid > 0):  # 7. paid broadcasts: per message to each follower
        cost += paid_price * paid[p] * by_platform[:, p, :]
    cum_gp = _cumsum(gross_profit)
    cum_cost = _cumsum(cost)
    cum_roi = np.divide(
        cum_gp - cum_cost,
        cum_cost,
        out=np.zeros_like(cum_gp),  # 8.
        where=cum_cost > MIN_COST,
    )
    followers = by_platform.sum(axis=1) if n_plat else np.zeros((months, n_paths))
    return dict(
        followers=followers,
        followers_by_platform=by_platform,
        reach=reach_m,
        reach_discovery=discovered,
        engagements=engaged,
        clicks=clicks,
        leads=leads,
        customers=customers,
        active_customers=active,
        revenue=revenue,
        gross_profit=gross_profit,
        cost=cost,
        cum_gross_profit=cum_gp,
        cum_cost=cum_cost,
        cum_roi=cum_roi,
    )


def _run(inputs: Inputs) -> dict[str, np.ndarray]:
    cols = lambda a: np.asarray(a, dtype=float).reshape(1, -1)  # noqa: E731
    return _simulate(
        cols(inputs.followers0),
        cols(inputs.growth),
        cols(inputs.churn),
        cols(inputs.ceiling),
        cols(inputs.reach),
        cols(inputs.discovery),
        cols(inputs.engagement),
        cols(inputs.posts_per_week),
        cols(inputs.cadence),
        cols(inputs.ctr),
        inputs.lead_rate,
        inputs.close_rate,
        inputs.aov,
        inputs.purchases_per_customer_per_month,
        inputs.margin,
        inputs.cost_per_month,
        inputs.months,
        inputs.launch,
        cols(inputs.follow_rate),
        inputs.lifetime,
        cols(inputs.funnel_fit),
        inputs.share,
        inputs.broadcast_cap,
        inputs.paid_broadcasts,
        inputs.paid_price,
        inputs.one_off,
    )


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, 1)


def month_starts(plan: Plan) -> list[dt.date]:
    """First day of each month of the horizon (month 1 = the month containing plan.start)."""
    return [_add_months(plan.start, k) for k in range(plan.horizon_months)]


def _validate(df: pd.DataFrame) -> pd.DataFrame:
    numeric = df.select_dtypes("number")
    if not np.isfinite(numeric.to_numpy(dtype=float)).all():
        raise RuntimeError("roi: the projection produced a NaN or infinite value (a bug)")
    counts = [c for c in numeric.columns if c in COUNT_COLUMNS or c.startswith("followers_")]
    if (numeric[counts] < 0).to_numpy().any():
        raise RuntimeError("roi: the projection produced a negative count (a bug)")
    return df


def project_inputs(inputs: Inputs, plan: Plan) -> pd.DataFrame:
    """:func:`project` for already-resolved (possibly edited) inputs."""
    out = _run(inputs)
    months = inputs.months
    df = pd.DataFrame(
        {
            "month": np.arange(1, months + 1),
            "month_start": [_add_months(plan.start, k) for k in range(months)],
            "followers": out["followers"][:, 0],
        }
    )
    for i, p in enumerate(inputs.platforms):
        df[f"followers_{p}"] = out["followers_by_platform"][:, i, 0]
    for name in (
        "reach",
        "reach_discovery",
        "engagements",
        "clicks",
        "leads",
        "customers",
        "active_customers",
        "revenue",
        "gross_profit",
    ):
        df[name] = out[name][:, 0]
    work = inputs.hours_per_week * WEEKS_PER_MONTH * inputs.hourly_cost
    df["cost_work"] = float(work)
    df["cost_help"] = float(inputs.help_cost)
    df["cost_tools"] = float(inputs.tools)
    df["cost_ads"] = float(inputs.ads)
    df["cost"] = out["cost"][:, 0]
    # the rest: paid Zalo OA broadcasts (by followers) and course fees (month 1)
    df["cost_other"] = df["cost"] - (work + inputs.help_cost + inputs.tools + inputs.ads)
    df["cum_gross_profit"] = out["cum_gross_profit"][:, 0]
    df["cum_cost"] = out["cum_cost"][:, 0]
    df["cum_net"] = df["cum_gross_profit"] - df["cum_cost"]
    df["cum_roi"] = out["cum_roi"][:, 0]
    return _validate(df)


def project(
    plan: Plan,
    scenario: str = "expected",
    delivered: bool = True,
    inputs: dict[str, Inputs] | None = None,
    kept: Any = None,
) -> pd.DataFrame:
    """Month-by-month projection of one scenario (formulas in the module docstring): the
    simulated path of :func:`scenario_inputs` (pass `inputs`, its result, to draw once for
    several calls); `delivered` False: that path with the pace and hours the plan asks for.

    Columns: month (1..horizon), month_start (date), followers (all chosen platforms,
    end of month), followers_<platform>, reach (views by followers and by non-followers),
    reach_discovery (the part of reach from non-followers), engagements, clicks, leads,
    customers (new in the month), active_customers, revenue, gross_profit, cost_work,
    cost_help (outside help), cost_tools, cost_ads, cost_other (paid broadcasts and course
    fees), cost (money per month), cum_gross_profit, cum_cost, cum_net (= cum_gross_profit
    − cum_cost), cum_roi (fraction; 0 while nothing is spent).
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"scenario must be one of {SCENARIOS}, not {scenario!r}")
    inputs = scenario_inputs(plan, kept) if inputs is None else inputs
    if not delivered:
        return project_inputs(_asked_inputs(plan, inputs[scenario], kept), plan)
    return project_inputs(inputs[scenario], plan)


def _asked_inputs(plan: Plan, path: Inputs, kept: Any = None) -> Inputs:
    """A scenario's path with the plan's asked pace and hours (every page at its pace,
    every hour it needs paid): the same draws, so the two compare like for like."""
    if kept is None:
        from workshop import delivery  # lazy, as in resolve_inputs

        kept = delivery.delivery(plan)
    paces = np.array([float(kept.table.loc[p, "posts_asked"]) for p in path.platforms])
    cadence = np.array([_cadence_factor(x, p) for x, p in zip(paces, path.platforms)])
    return dataclasses.replace(
        path,
        posts_per_week=paces.astype(float),
        cadence=cadence.astype(float),
        hours_per_week=float(kept.hours_needed),
        help_cost=0.0,
    )


# --- Summaries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """The projection in a few numbers (money in the plan's currency)."""

    break_even_month: int | None
    """From this month on the cumulative return stays at or above zero (None: not by the
    horizon's last month); see :func:`_break_even`."""
    roi_at_horizon: float
    total_cost: float
    total_gross_profit: float
    followers_end: float
    leads_total: float
    customers_total: float
    cost_is_zero: bool
    fell_back_month: int | None = None
    """When the page does not break even: the month in which the cumulative return first
    reached zero before falling back below it (None if it never reached zero)."""

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def _break_even(cum_gp: np.ndarray, cum_cost: np.ndarray) -> np.ndarray:
    """The break-even month (1-based) along axis 0 (months): the first month from which
    ``cum_gp >= cum_cost`` holds in every later month of the horizon; 0 if it does not hold
    in the last month. The toolkit's one definition of break-even (notebook 04, C5): a page
    that reaches zero and falls back below has not broken even."""
    reached = np.asarray(cum_gp) >= np.asarray(cum_cost)
    stays = np.logical_and.accumulate(reached[::-1], axis=0)[::-1]
    return np.where(stays[-1], stays.argmax(axis=0) + 1, 0)


def _first_reached(cum_gp: np.ndarray, cum_cost: np.ndarray) -> np.ndarray:
    """The first month (1-based) with ``cum_gp >= cum_cost``, held or not; 0 if never."""
    reached = np.asarray(cum_gp) >= np.asarray(cum_cost)
    return np.where(reached.any(axis=0), reached.argmax(axis=0) + 1, 0)


def summary(plan: Plan, projection: pd.DataFrame | None = None) -> Summary:
    """Break-even month, ROI at the horizon, totals (of `projection`, default expected)."""
    df = project(plan) if projection is None else projection
    cum_gp, cum_cost = df["cum_gross_profit"].to_numpy(), df["cum_cost"].to_numpy()
    be = int(_break_even(cum_gp, cum_cost))
    touched = 0 if be else int(_first_reached(cum_gp, cum_cost))
    total_cost = float(df["cum_cost"].iloc[-1])
    return Summary(
        break_even_month=be or None,
        fell_back_month=touched or None,
        roi_at_horizon=float(df["cum_roi"].iloc[-1]),
        total_cost=total_cost,
        total_gross_profit=float(df["cum_gross_profit"].iloc[-1]),
        followers_end=float(df["followers"].iloc[-1]),
        leads_total=float(df["leads"].sum()),
        customers_total=float(df["customers"].sum()),
        cost_is_zero=total_cost <= MIN_COST,
    )


def scenarios(plan: Plan) -> pd.DataFrame:
    """:func:`project` for the three scenarios, stacked (long form, column ``scenario``)."""
    inputs = scenario_inputs(plan)
    frames = [project_inputs(inputs[s], plan).assign(scenario=s) for s in SCENARIOS]
    df = pd.concat(frames, ignore_index=True)
    return df[["scenario"] + [c for c in df.columns if c != "scenario"]]


def scenario_summary(plan: Plan, language: str = "vi") -> pd.DataFrame:
    """One row per scenario: its :class:`Summary` numbers and a translated label."""
    rows = []
    inputs = scenario_inputs(plan)
    for s in SCENARIOS:
        row = summary(plan, project_inputs(inputs[s], plan)).as_dict()
        rows.append({"scenario": s, "scenario_label": i18n.label("scenario", s, language), **row})
    return pd.DataFrame(rows)


# --- Monte Carlo --------------------------------------------------------------------------------


def _triangular(u: np.ndarray, low, mode, high) -> np.ndarray:
    """Inverse CDF of the triangular distribution (vectorised; low == high allowed)."""
    low, mode, high = (np.asarray(a, dtype=float) for a in (low, mode, high))
    lo, hi = np.minimum(np.minimum(low, mode), high), np.maximum(np.maximum(low, mode), high)
    mode = np.clip(mode, lo, hi)
    width = hi - lo
    split = np.divide(
        mode - lo, width, out=np.full(np.broadcast(lo, hi).shape, 0.5), where=width > 0
    )
    left = lo + np.sqrt(u * width * (mode - lo))
    right = hi - np.sqrt((1.0 - u) * width * (hi - mode))
    return np.where(u < split, left, right)


def _draw_inputs(
    plan: Plan, paths: int, seed: int, kept: Any = None
) -> tuple[Inputs, dict[str, np.ndarray]]:
    """The typical inputs and, per uncertain input, its `paths` draws (rows: paths; columns:
    platforms, or one column for an input shared by all platforms)."""
    base = resolve_inputs(plan, "expected", kept=kept)
    rng = np.random.default_rng(seed)
    # one uniform per input per path, drawn for every input in a fixed order so that
    # overriding one input never changes the draws of another
    uniforms = rng.random((len(SPECS), paths))
    drawn: dict[str, np.ndarray] = {}
    for spec, u in zip(SPECS, uniforms):
        if spec.per_platform:
            fixed = np.asarray(getattr(base, spec.key), dtype=float)[None, :]
        else:
            fixed = np.full(
                (1, 1),
                getattr(base, spec.key)
                if spec.key != "purchases_per_customer"
                else base.purchases_per_customer_per_month * 12,
            )
        if _override(spec, plan) is not None or not spec.varies_money:
            drawn[spec.key] = fixed
            continue
        if spec.per_platform:
            ranges = [_range(spec, plan, p) for p in base.platforms]
            low = np.array([r.low for r in ranges])[None, :]
            mode = np.array([r.typical for r in ranges])[None, :]
            high = np.array([r.high for r in ranges])[None, :]
        else:
            r = _range(spec, plan)
            low, mode, high = r.low, r.typical, r.high
        drawn[spec.key] = _triangular(u[:, None], low, mode, high)
    return base, drawn


def _draw_paths(plan: Plan, paths: int, seed: int) -> dict[str, np.ndarray]:
    return _simulate_drawn(*_draw_inputs(plan, paths, seed))


@dataclass(frozen=True)
class Simulation:
    """One run of the plan's simulation: the typical inputs (`base`), every uncertain input's
    draws (`drawn`) and the simulated paths (`out`, time-major arrays). The scenarios, the
    percentile bands and the break-even chances all read the same run."""

    base: Inputs
    drawn: dict[str, np.ndarray]
    out: dict[str, np.ndarray]


def simulate(
    plan: Plan, paths: int | None = None, seed: int | None = None, kept: Any = None
) -> Simulation:
    """The plan's simulation (``plan.roi.monte_carlo_paths`` paths, ``plan.roi.seed`` unless
    given); pass it as `sim` to :func:`scenario_inputs`, :func:`monte_carlo` and
    :func:`break_even_distribution` to draw once for all three."""
    paths = int(plan.roi.monte_carlo_paths if paths is None else paths)
    seed = int(plan.roi.seed if seed is None else seed)
    base, drawn = _draw_inputs(plan, paths, seed, kept)
    return Simulation(base, drawn, _simulate_drawn(base, drawn))


def _simulate_drawn(base: Inputs, drawn: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    cost_month = (
        base.hours_per_week * WEEKS_PER_MONTH * drawn["hourly_cost"]
        + base.help_cost
        + base.tools
        + base.ads
    )
    return _simulate(
        base.followers0[None, :],
        drawn["growth"],
        drawn["churn"],
        drawn["ceiling"],
        drawn["reach"],
        drawn["discovery"],
        drawn["engagement"],
        base.posts_per_week[None, :],
        base.cadence[None, :],
        drawn["ctr"],
        drawn["lead_rate"],
        drawn["close_rate"],
        drawn["aov"],
        drawn["purchases_per_customer"] / 12,
        drawn["margin"],
        cost_month,
        base.months,
        np.maximum(drawn["launch"], 0.0),
        np.clip(drawn["follow_rate"], 0.0, 1.0),
        np.maximum(drawn["lifetime"], 1.0),
        base.funnel_fit[None, :],
        base.share,
        base.broadcast_cap,
        base.paid_broadcasts,
        base.paid_price,
        base.one_off,
    )


def _path_inputs(base: Inputs, drawn: dict[str, np.ndarray], path: int) -> Inputs:
    """The inputs of one simulated path: :func:`project_inputs` of them gives that path."""
    values: dict[str, object] = {}
    for spec in SPECS:
        row = drawn[spec.key][path if drawn[spec.key].shape[0] > 1 else 0]
        if spec.key == "purchases_per_customer":
            values["purchases_per_customer_per_month"] = float(row[0]) / 12
        elif spec.per_platform:
            values[spec.key] = np.array(row, dtype=float)
        else:
            values[spec.key] = float(row[0])
    return dataclasses.replace(base, **values)


def scenario_inputs(
    plan: Plan, kept: Any = None, sim: Simulation | None = None
) -> dict[str, Inputs]:
    """The inputs of the three named scenarios: coherent paths of the plan's own simulation
    (``plan.roi.monte_carlo_paths`` paths, ``plan.roi.seed``), the paths whose cumulative ROI
    at the horizon sits at the percentiles :data:`SCENARIO_PERCENTILES` (10, 50, 90) of all
    paths (the path at rank ``round(q/100 × (paths − 1))`` in ROI order; ROI rather than net
    gain, so that the ROI the report quotes for the central case is the simulation's median
    ROI). So the central case ("expected") is the simulation's median path, and the
    cautious and favourable cases always lie
    inside what is simulated (the old "every favourable end at once" case lay outside all of
    it). A path is one draw of every uncertain input, so each scenario is a plan a consultant
    can explain input by input (:func:`assumptions_table` of the scenario). `kept`: the
    plan's :class:`workshop.delivery.Delivery`, when the caller has it.
    """
    sim = simulate(plan, kept=kept) if sim is None else sim
    base, drawn, out = sim.base, sim.drawn, sim.out
    order = np.argsort(out["cum_roi"][-1], kind="stable")
    chosen = {
        s: int(order[round(q / 100 * (len(order) - 1))]) for s, q in SCENARIO_PERCENTILES.items()
    }
    return {s: _path_inputs(base, drawn, i) for s, i in chosen.items()}


def _percentiles(x: np.ndarray, qs) -> np.ndarray:
    """Percentiles along axis 1 (paths), numpy's default 'linear' method: one sort per
    month row instead of one partition per percentile."""
    ordered = np.sort(x, axis=1)
    n = ordered.shape[1]
    out = []
    for q in qs:
        pos = q / 100 * (n - 1)
        lo = int(np.floor(pos))
        hi = min(lo + 1, n - 1)
        frac = pos - lo
        out.append(ordered[:, lo] + (ordered[:, hi] - ordered[:, lo]) * frac)
    return np.array(out)


def monte_carlo(
    plan: Plan, paths: int | None = None, seed: int | None = None, sim: Simulation | None = None
) -> pd.DataFrame:
    """Percentile bands per month from `paths` random draws of the benchmark ranges.

    `paths` defaults to ``plan.roi.monte_carlo_paths``, `seed` to ``plan.roi.seed`` (same
    seed → same bands). Columns: month, month_start, roi_p10, roi_p50, roi_p90 (cumulative
    ROI), followers_p10, followers_p50, followers_p90, then the fan chart's outer and inner
    bands of the cumulative ROI: roi_p5, roi_p25, roi_p75, roi_p95 (:data:`FAN_BANDS`).
    """
    out = (simulate(plan, paths, seed) if sim is None else sim).out
    roi_q = _percentiles(out["cum_roi"], BANDS)
    fol_q = _percentiles(out["followers"], BANDS)
    df = pd.DataFrame(
        {"month": np.arange(1, plan.horizon_months + 1), "month_start": month_starts(plan)}
    )
    for i, q in enumerate(BANDS):
        df[f"roi_p{q}"] = roi_q[i]
    for i, q in enumerate(BANDS):
        df[f"followers_p{q}"] = fol_q[i]
    for q, values in zip(FAN_BANDS, _percentiles(out["cum_roi"], FAN_BANDS), strict=True):
        df[f"roi_p{q}"] = values
    return df


def break_even_distribution(
    plan: Plan, paths: int | None = None, seed: int | None = None, sim: Simulation | None = None
) -> pd.Series:
    """Share of Monte Carlo paths that have broken even by each month (index: month 1..H).

    A path has broken even by month m when its break-even month (:func:`_break_even`: from
    then on it stays at or above zero) is m or earlier, so the series never decreases;
    ``1 − last value`` is the share of paths that do not break even within the horizon.
    """
    out = (simulate(plan, paths, seed) if sim is None else sim).out
    first = _break_even(out["cum_gross_profit"], out["cum_cost"])
    months = np.arange(1, plan.horizon_months + 1)
    share = ((first[None, :] > 0) & (first[None, :] <= months[:, None])).mean(axis=1)
    return pd.Series(share, index=pd.Index(months, name="month"), name="share_broken_even")


def break_even_dots(share: pd.Series, dots: int = 20) -> list[int | None]:
    """A quantile dotplot of the break-even month: `dots` dots, each one in `dots`
    simulated cases, from :func:`break_even_distribution` (`share`, never decreasing).

    Dot k (k = 1..dots) stands for the quantile ``q = (k − ½) ÷ dots`` of the break-even
    month: it sits at the first month m with ``share(m) ≥ q``, or at ``None`` ("not within
    the horizon") when the share never reaches q. So the number of dots at or before month
    m is the share broken even by m, rounded to the nearest 1/`dots` (for 20 dots: 79 %
    gives 16 dots by that month).
    """
    if dots < 1:
        raise ValueError("dots must be at least 1")
    months = [int(m) for m in share.index]
    values = np.maximum.accumulate(np.asarray(share, dtype=float)) if len(share) else share
    out: list[int | None] = []
    for k in range(1, dots + 1):
        q = (k - 0.5) / dots
        hit = np.flatnonzero(np.asarray(values) >= q - 1e-12)
        out.append(months[int(hit[0])] if len(hit) else None)
    return out


# --- Sensitivity (tornado) ---------------------------------------------------------------------


def _with_value(inputs: Inputs, spec: _Spec, value) -> Inputs:
    if spec.key == "purchases_per_customer":
        return dataclasses.replace(inputs, purchases_per_customer_per_month=float(value) / 12)
    if spec.per_platform:
        value = np.asarray(value, dtype=float)
        if spec.key == "ceiling":
            value = np.maximum(value, 1.0)
        return dataclasses.replace(inputs, **{spec.key: value})
    return dataclasses.replace(inputs, **{spec.key: float(value)})


def uncertain_inputs(plan: Plan) -> list[str]:
    """Keys of the inputs Monte Carlo and the tornado vary (benchmarks not overridden)."""
    return [s.key for s in SPECS if s.varies_money and _override(s, plan) is None]


def sensitivity(plan: Plan, language: str = "vi", base: Inputs | None = None) -> pd.DataFrame:
    """One-at-a-time sensitivity of the ROI at the horizon (for a tornado chart).

    For each uncertain input (see :func:`uncertain_inputs`): the ROI at the horizon with
    that input at its benchmark low, then high, all other inputs as in the central case
    (`base`, default :func:`scenario_inputs`' "expected": the simulation's median path). Columns: input,
    input_label, low_value, high_value (for per-platform inputs: the average over the
    chosen platforms), roi_low, roi_high, swing = |roi_high − roi_low|; sorted by swing,
    largest first.
    """
    base = scenario_inputs(plan)["expected"] if base is None else base
    rows = []
    for key in uncertain_inputs(plan):
        spec = SPEC_BY_KEY[key]
        if spec.per_platform:
            if not base.platforms:
                continue
            ranges = [_range(spec, plan, p) for p in base.platforms]
            low = np.array([r.low for r in ranges])
            high = np.array([r.high for r in ranges])
        else:
            r = _range(spec, plan)
            low, high = r.low, r.high
        roi_low = float(_run(_with_value(base, spec, low))["cum_roi"][-1, 0])
        roi_high = float(_run(_with_value(base, spec, high))["cum_roi"][-1, 0])
        rows.append(
            {
                "input": key,
                "input_label": i18n.t(f"roi.input.{key}", language),
                "low_value": float(np.mean(low)),
                "high_value": float(np.mean(high)),
                "roi_low": roi_low,
                "roi_high": roi_high,
                "swing": abs(roi_high - roi_low),
            }
        )
    columns = ["input", "input_label", "low_value", "high_value", "roi_low", "roi_high", "swing"]
    df = pd.DataFrame(rows, columns=columns)
    return df.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


# --- Tables and text for people ------------------------------------------------------------------


def _pct(value: float, language: str) -> str:
    a = abs(value)
    digits = 1 if a >= 0.01 or a == 0 else (2 if a >= 0.001 else 3)
    return i18n.fmt_percent(value, language, digits=digits)


def format_value(kind: str, value: float, language: str, currency: str) -> str:
    """An input's value the language's way (rate → %, money → currency, else number)."""
    if kind == "rate":
        return _pct(value, language)
    if kind == "money":
        return i18n.fmt_money(value, currency, language)
    digits = 0 if kind == "count" or float(value).is_integer() else 1
    return i18n.fmt_number(value, language, digits=digits)


def _source_text(rng: data.Range, language: str) -> str:
    """Where a benchmark comes from, for a person: the cited hosts (language-neutral) and an
    "estimate" flag; the full English note stays in data/benchmarks.csv and data/README.md."""
    hosts = data.source_hosts(rng.source)
    if not hosts:
        return i18n.t(
            "roi.source.estimate_only" if rng.estimate else "roi.source.benchmark", language
        )
    text = i18n.t("roi.source.refs", language, refs=", ".join(hosts))
    if rng.estimate:
        text += " · " + i18n.t("roi.source.estimate", language)
    return text


def default_for_no_platform(plan: Plan, key: str, language: str = "vi") -> tuple[float, str]:
    """``(value, source)`` of the per-platform input `key` (e.g. "growth") for a plan with
    no platform chosen: the plan's override, else the typical value of the benchmark for
    all platforms, with its source in `language`.

    The projection has no platform to apply it to (its audience is zero); the value is
    what the ROI panel's slider shows until a platform is chosen, instead of the mean of
    zero platforms' values (NaN, which crashed notebook 04).
    """
    spec = SPEC_BY_KEY[key]
    override = _override(spec, plan)
    if override is not None:
        return override, i18n.t("roi.source.override", language)
    rng = _range(spec, plan)
    return _pick(spec, rng, "expected"), _source_text(rng, language)


def assumptions_table(
    plan: Plan,
    language: str = "vi",
    scenario: str = "expected",
    inputs: dict[str, Inputs] | None = None,
) -> pd.DataFrame:
    """Every input of the projection, its value and its source ("defaults shown, with sources").

    Columns: input (key), platform ("" for inputs shared by all platforms), input_label
    (translated, with the platform's name), value (formatted in `language`), source
    (the plan, step 2, or the benchmark's source with an "estimate" flag), estimate (bool).
    """
    # the values the scenario's projection uses (the central case: the median path's)
    inputs = (scenario_inputs(plan) if inputs is None else inputs)[scenario]
    cur = plan.currency
    override_text = i18n.t("roi.source.override", language)
    plan_text = i18n.t("roi.source.plan", language)
    rows: list[dict] = []

    def add(key, platform, value, kind, source, estimate=False):
        label = i18n.t(f"roi.input.{key}", language)
        if platform:
            label = f"{label} ({i18n.label('platform', platform, language)})"
        rows.append(
            {
                "input": key,
                "platform": platform,
                "input_label": label,
                "value": format_value(kind, value, language, cur),
                "source": source,
                "estimate": bool(estimate),
            }
        )

    for i, p in enumerate(inputs.platforms):
        start = plan.roi.starting_followers.get(p)
        add(
            "starting_followers",
            p,
            inputs.followers0[i],
            "count",
            plan_text if start is not None else i18n.t("roi.source.new_page", language),
        )
        pace, origin = posts_per_week(plan, p)
        bench = _benchmark("posts_per_week", p)
        pace_estimate = origin == "data" and (_catalogue_pace(p) or (0.0, False))[1]
        pace_source = i18n.t(f"roi.source.pace_{origin}", language)
        if pace_estimate:
            pace_source += " · " + i18n.t("roi.source.estimate", language)
        kept = float(inputs.posts_per_week[i])
        if abs(kept - pace) > 1e-9:  # the team's hours do not reach the plan's pace
            asked = format_value("number", pace, language, cur)
            pace_source = i18n.t("roi.source.pace_kept", language, asked=asked)
        add("posts_per_week", p, kept, "number", pace_source, pace_estimate)
        add(
            "cadence",
            p,
            inputs.cadence[i],
            "rate",
            i18n.t(
                "roi.source.cadence_factor",
                language,
                benchmark=format_value("number", bench.typical, language, cur),
            ),
        )
        add(
            "funnel_fit",
            p,
            inputs.funnel_fit[i],
            "rate",
            i18n.t(
                "roi.source.funnel_fit",
                language,
                reference=format_value("number", FUNNEL_REFERENCE, language, cur),
            )
            + " · "
            + i18n.t("roi.source.estimate", language),
            True,
        )
        for spec in SPECS:
            if not spec.per_platform:
                continue
            value = getattr(inputs, spec.key)[i]
            if _override(spec, plan) is not None:
                add(spec.key, p, value, spec.kind, override_text)
            else:
                rng = _range(spec, plan, p)
                add(spec.key, p, value, spec.kind, _source_text(rng, language), rng.estimate)
    for spec in SPECS:
        if spec.per_platform:
            continue
        value = (
            inputs.purchases_per_customer_per_month * 12
            if spec.key == "purchases_per_customer"
            else getattr(inputs, spec.key)
        )
        if _override(spec, plan) is not None:
            add(spec.key, "", value, spec.kind, override_text)
        else:
            rng = _range(spec, plan)
            add(spec.key, "", value, spec.kind, _source_text(rng, language), rng.estimate)
    add(
        "hours_per_week",
        "",
        inputs.hours_per_week,
        "number",
        i18n.t("roi.source.capacity", language),
    )
    if inputs.help_cost:
        add("help_cost", "", inputs.help_cost, "money", plan_text)
    add("tools", "", inputs.tools, "money", plan_text)
    add("ads", "", inputs.ads, "money", plan_text)
    add("months", "", inputs.months, "count", plan_text)
    return pd.DataFrame(
        rows, columns=["input", "platform", "input_label", "value", "source", "estimate"]
    )


def break_even_text(
    plan: Plan,
    language: str | None = None,
    scenario: str = "expected",
    projection: pd.DataFrame | None = None,
    result: Summary | None = None,
    *,
    with_month: bool = True,
) -> str:
    """The break-even month of `scenario` in words, for a card, a table cell or the room:
    "month 5 (May 2027)" ("month 5" when not `with_month`), "not within 12 months", or "no
    cost to recover". The one wording of break-even: every presenter calls this.

    Pass `projection` (the :func:`project` of `scenario`) and/or its `result`
    (:func:`summary`) to avoid computing them again; without `with_month` the month's
    label is not needed, and `result` alone is enough.
    """
    lang = language or plan.language
    if result is None or (with_month and projection is None):
        projection = project(plan, scenario) if projection is None else projection
        result = summary(plan, projection) if result is None else result
    if result.cost_is_zero:
        return i18n.t("report.roi.no_cost", lang)
    month = result.break_even_month
    if month is None and result.fell_back_month:
        key = "report.roi.fell_back" if with_month else "report.roi.fell_back_short"
        return i18n.t(key, lang, month=result.fell_back_month, months=plan.horizon_months)
    if month is None:
        return i18n.t("report.roi.no_break_even", lang, months=plan.horizon_months)
    if not with_month:
        return i18n.t("report.roi.month_n", lang, month=month)
    start = pd.Timestamp(projection["month_start"].iloc[month - 1]).date()
    return i18n.t(
        "report.roi.break_even_value", lang, month=month, label=i18n.fmt_month(start, lang)
    )


def roi_text(
    plan: Plan,
    language: str = "vi",
    scenario: str = "expected",
    projection: pd.DataFrame | None = None,
    result: Summary | None = None,
) -> str:
    """One sentence: the ROI at the horizon and the break-even month (or that there is none).

    Pass `projection` (the :func:`project` of `scenario`) and/or its `result`
    (:func:`summary`) to avoid computing them again (a slider redraw does).
    """
    df = project(plan, scenario) if projection is None else projection
    s = summary(plan, df) if result is None else result
    values = dict(
        months=plan.horizon_months,
        scenario=i18n.label("scenario", scenario, language),
        roi=i18n.fmt_percent(s.roi_at_horizon, language, digits=0),
        profit=i18n.fmt_money(s.total_gross_profit, plan.currency, language),
        cost=i18n.fmt_money(s.total_cost, plan.currency, language),
    )
    if s.cost_is_zero:
        return i18n.t("roi.text.cost_zero", language, **values)
    if s.break_even_month is None and s.fell_back_month:
        return i18n.t("roi.text.fell_back", language, month=s.fell_back_month, **values)
    if s.break_even_month is None:
        return i18n.t("roi.text.no_break_even", language, **values)
    start = df["month_start"].iloc[s.break_even_month - 1]
    return i18n.t(
        "roi.text.break_even",
        language,
        month=s.break_even_month,
        month_label=i18n.fmt_month(start, language),
        **values,
    )
