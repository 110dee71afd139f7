"""Step 1: which platforms, and which of them can become a strategic asset (C1-C4).

**Classification (C1).** The article sorts social networks into three groups by the kind of
profile they offer a business (:data:`GROUPS`): a company page distinct from personal
profiles (Facebook, LinkedIn); one profile that serves a person or a business almost alike
(YouTube, X); no company profile at all (TikTok, *in the article's view*). :func:`classify`
shows today's fact (``platforms.csv`` column ``profile_model``) beside the article's view
(``article_group``) and flags where they differ.

**Strategic-asset fit (C3, C4).** An asset is something a company owns or controls to gain a
future profit (C4); a platform becomes one only if it is designed to promote a business like
this one (C3). :func:`asset_fit` scores that as an explainable weighted sum, not a black box::

    score = 100 × Σ_f  FIT_WEIGHTS[f] × factor_f          (points, 0-100, 1 decimal)
    c_f   = 100 × FIT_WEIGHTS[f] × factor_f                (contribution of f, points)

with every factor in [0, 1] (see :data:`FIT_WEIGHTS` and :func:`factor_table`):

``business_features``
    ``platforms.csv`` business_features: how far the platform is built to promote a business.
``market_fit``
    ``b2c_fit`` or ``b2b_fit`` of the platform, by ``plan.client.market``.
``audience_match``
    :data:`AUDIENCE_MATCH` [platform audience][client audience]: 1 when they are the same,
    a partial value otherwise.
``skills_match``
    ``0.8 × (share of required_skills the team has) + 0.2 × (share of helpful_skills the
    team has)``; an empty list counts as fully covered.
``local_reach``
    ``vn_reach`` (share of Vietnam's internet users) when ``client.country == "VN"``;
    elsewhere the toolkit has no per-country reach data and uses a neutral 0.5.
``visual_fit``
    ``v`` = 1 for a video-first platform, else the share of its main formats that are visual
    (:data:`VISUAL_FORMATS`). Visual product: ``0.5 + 0.5 × v``; non-visual product:
    ``1 − 0.6 × v``.

Verdict: ``strategic_asset`` when score ≥ :data:`ASSET_THRESHOLD`, ``useful`` when ≥
:data:`USEFUL_THRESHOLD`, else ``not_decisive``. A platform with no company profile today is
``not_decisive`` whatever its score: a medium made only for consumers is useful at most,
never decisive (C3).
"""

from __future__ import annotations

import pandas as pd

from workshop import data, i18n
from workshop.plan import Plan

GROUPS = ("separate_company_page", "shared_profile", "no_company_profile")

#: Weights of the fit factors (sum to 1). Business features weigh most with local reach:
#: C3 is about whether the platform is *designed* to promote a business, and an asset needs
#: customers it can reach. Market and audience say whether it promotes *this* business;
#: skills and visual fit whether the team can feed it. Skills weigh little here because
#: :func:`workshop.capacity.recommend` already refuses a platform whose required skills
#: the team lacks (C7).
FIT_WEIGHTS: dict[str, float] = {
    "business_features": 0.25,
    "market_fit": 0.15,
    "audience_match": 0.15,
    "skills_match": 0.10,
    "local_reach": 0.25,
    "visual_fit": 0.10,
}
FACTORS = tuple(FIT_WEIGHTS)

ASSET_THRESHOLD = 65.0  # score (points) from which a platform is a strategic asset
USEFUL_THRESHOLD = 45.0  # score from which it is useful; below: not decisive
VERDICTS = ("strategic_asset", "useful", "not_decisive")

#: audience_match: AUDIENCE_MATCH[platform audience][client audience]. Same audience = 1.
#: A general consumer platform still reaches young people well (0.7) and professionals
#: somewhat (0.5); a young-consumer platform reaches the general public partly (0.5) and
#: professionals hardly (0.1); a professional network reaches consumers little (0.3 / 0.1).
AUDIENCE_MATCH: dict[str, dict[str, float]] = {
    "young_consumers": {"young_consumers": 1.0, "general_consumers": 0.5, "professionals": 0.1},
    "general_consumers": {"young_consumers": 0.7, "general_consumers": 1.0, "professionals": 0.5},
    "professionals": {"young_consumers": 0.1, "general_consumers": 0.3, "professionals": 1.0},
}

#: Content types that show a product visually (used by visual_fit).
VISUAL_FORMATS = frozenset(
    {"photo_post", "carousel", "short_video", "long_video", "story", "live", "infographic"}
)
REQUIRED_SKILL_SHARE = 0.8  # skills_match = 0.8 × required covered + 0.2 × helpful covered
NEUTRAL_REACH = 0.5  # local_reach outside Vietnam (no per-country data)


def classify(language: str = "vi") -> pd.DataFrame:
    """The three profile groups of C1, today's fact beside the article's view.

    One row per platform in ``platforms.csv`` (index = platform id). Columns: id, name,
    group_today, group_article (``pd.NA`` where the article is silent), article_differs
    (True where the article states a group different from today's), group_today_label,
    group_article_label (translated; a "not covered" text where the article is silent),
    main_formats (list of content types), sources.
    """
    df = data.load_platforms()
    out = pd.DataFrame(
        {
            "id": df["id"],
            "name": df["name"],
            "group_today": df["profile_model"],
            "group_article": df["article_group"].astype("string"),
        },
        index=df.index,
    )
    out["article_differs"] = [
        bool(pd.notna(a) and a != t) for a, t in zip(out["group_article"], out["group_today"])
    ]
    out["group_today_label"] = [
        i18n.label("profile_model", g, language) for g in out["group_today"]
    ]
    out["group_article_label"] = [
        i18n.label("profile_model", g, language)
        if pd.notna(g)
        else i18n.t("platforms.article_silent", language)
        for g in out["group_article"]
    ]
    out["main_formats"] = df["main_formats"]
    out["sources"] = df["sources"]
    return out


def _audience_match(platform_audience: str, client_audience: str) -> float:
    return AUDIENCE_MATCH.get(platform_audience, {}).get(client_audience, 0.5)


def _share(needed: list[str], have: set[str]) -> float:
    return 1.0 if not needed else sum(s in have for s in needed) / len(needed)


def _visual_share(row: pd.Series) -> float:
    if bool(row["video_first"]):
        return 1.0
    formats = list(row["main_formats"])
    return sum(f in VISUAL_FORMATS for f in formats) / len(formats) if formats else 0.0


def fit_factors(plan: Plan, platform: pd.Series) -> dict[str, float]:
    """The six factors (each in [0, 1]) for one ``platforms.csv`` row; see module docstring."""
    client, skills = plan.client, set(plan.team.skills)
    v = _visual_share(platform)
    factors = {
        "business_features": float(platform["business_features"]),
        "market_fit": float(platform["b2c_fit" if client.market == "b2c" else "b2b_fit"]),
        "audience_match": _audience_match(platform["audience"], client.audience),
        "skills_match": (
            REQUIRED_SKILL_SHARE * _share(platform["required_skills"], skills)
            + (1 - REQUIRED_SKILL_SHARE) * _share(platform["helpful_skills"], skills)
        ),
        "local_reach": float(platform["vn_reach"]) if client.country == "VN" else NEUTRAL_REACH,
        "visual_fit": 0.5 + 0.5 * v if client.visual_product else 1.0 - 0.6 * v,
    }
    return {k: min(1.0, max(0.0, float(x))) for k, x in factors.items()}


def verdict_for(score: float, group_today: str) -> str:
    """``strategic_asset`` (≥ 65), ``useful`` (≥ 45) or ``not_decisive``; always
    ``not_decisive`` for a platform with no company profile (C3)."""
    if group_today == "no_company_profile":
        return "not_decisive"
    if score >= ASSET_THRESHOLD:
        return "strategic_asset"
    if score >= USEFUL_THRESHOLD:
        return "useful"
    return "not_decisive"


def asset_fit(plan: Plan, language: str | None = None) -> pd.DataFrame:
    """Strategic-asset fit of every considered platform, best first (C3, C4).

    Columns: id, name, group_today, score (0-100 points, 1 decimal, ``100 × Σ w × f``),
    ``f_<factor>`` (raw factor, 0-1) and ``c_<factor>`` (contribution, points,
    ``100 × w × f``) for each factor of :data:`FIT_WEIGHTS`, verdict, verdict_label,
    explanation (one sentence naming the strongest and the weakest factor). Index = id.
    `language` defaults to the plan's.
    """
    lang = language or plan.language
    catalogue = data.load_platforms()
    rows = []
    for pid in plan.considered_platforms():
        if pid not in catalogue.index:
            continue
        platform = catalogue.loc[pid]
        f = fit_factors(plan, platform)
        row: dict = {"id": pid, "name": platform["name"], "group_today": platform["profile_model"]}
        contributions = {k: 100.0 * FIT_WEIGHTS[k] * f[k] for k in FACTORS}
        row["score"] = round(sum(contributions.values()), 1)
        for k in FACTORS:
            row[f"f_{k}"] = f[k]
        for k in FACTORS:
            row[f"c_{k}"] = contributions[k]
        verdict = verdict_for(row["score"], platform["profile_model"])
        row["verdict"] = verdict
        row["verdict_label"] = i18n.t(f"platforms.verdict.{verdict}", lang)
        row["explanation"] = _explain(platform, f, row["score"], lang)
        rows.append(row)
    columns = (
        ["id", "name", "group_today", "score"]
        + [f"f_{k}" for k in FACTORS]
        + [f"c_{k}" for k in FACTORS]
        + ["verdict", "verdict_label", "explanation"]
    )
    out = pd.DataFrame(rows, columns=columns)
    if len(out):
        out = out.sort_values(["score", "id"], ascending=[False, True], kind="stable")
    return out.set_index("id", drop=False)


def _explain(platform: pd.Series, f: dict[str, float], score: float, lang: str) -> str:
    # strongest = highest raw factor (ties: the heavier weight); weakest = the lowest
    order = sorted(FACTORS, key=lambda k: (f[k], FIT_WEIGHTS[k]))
    weakest, strongest = order[0], order[-1]
    text = i18n.t(
        "platforms.explanation",
        lang,
        name=platform["name"],
        score=i18n.fmt_number(score, lang, 1),
        strongest=i18n.t(f"platforms.factor.{strongest}", lang),
        strongest_value=i18n.fmt_percent(f[strongest], lang, 0),
        weakest=i18n.t(f"platforms.factor.{weakest}", lang),
        weakest_value=i18n.fmt_percent(f[weakest], lang, 0),
    )
    if platform["profile_model"] == "no_company_profile":
        text += " " + i18n.t("platforms.explanation.no_company_profile", lang)
    return text


def personal_profile_warnings(plan: Plan, language: str | None = None) -> list[str]:
    """One warning per platform in ``plan.platforms.personal_profile_as_company`` (C2).

    Running a business as a personal profile is a known, harmful and disapproved mistake;
    on Facebook it breaks the terms. Each warning says what to do instead: migrate to a
    Page (Facebook), a company page, or a business / professional account.
    """
    lang = language or plan.language
    catalogue = data.load_platforms()
    warnings = []
    for pid in plan.platforms.personal_profile_as_company:
        name = i18n.label("platform", pid, lang)
        if pid == "facebook":
            key = "platforms.warning.personal_profile.facebook"
        elif (
            pid in catalogue.index
            and catalogue.loc[pid, "profile_model"] == "separate_company_page"
        ):
            key = "platforms.warning.personal_profile.page"
        else:
            key = "platforms.warning.personal_profile.account"
        warnings.append(i18n.t(key, lang, name=name))
    return warnings


def factor_table(language: str = "vi") -> pd.DataFrame:
    """The fit factors for notebooks and reports: factor, weight (0-1), label, what it measures."""
    return pd.DataFrame(
        {
            "factor": list(FACTORS),
            "weight": [FIT_WEIGHTS[k] for k in FACTORS],
            "label": [i18n.t(f"platforms.factor.{k}", language) for k in FACTORS],
            "measures": [i18n.t(f"platforms.factor.{k}.what", language) for k in FACTORS],
        }
    )
