"""Default data: the only module that knows file paths.

Files live in the repository's ``data/`` folder (override with the ``WORKSHOP_DATA_DIR``
environment variable, e.g. for tests). Each file is documented in ``data/README.md``
(source, units, as-of date, which figures are estimates). Readers are cached: data files
are read once per process.

Columns (the contract every model relies on):

``platforms.csv``
    id, name, profile_model (today: separate_company_page | shared_profile |
    no_company_profile), article_group (the article's classification, empty where it is
    silent), business_features (0-1: how far the platform is designed to promote a
    business, C3), b2c_fit, b2b_fit (0-1), audience (young_consumers | general_consumers |
    professionals), vn_reach (0-1, share of Vietnam's internet users), video_first (bool),
    main_formats (``;``-separated content types), required_skills (``;``-separated skills
    without which the platform is not sustainable, C7), helpful_skills, posts_per_week
    (typical cadence), community_hours_per_week, estimate (``;``-separated names of the
    columns that are estimates), sources.
``benchmarks.csv``
    platform (a platform id, or ``all``), metric, low, typical, high, unit, year,
    estimate (bool), source.
``effort.csv``
    content_type, low_hours, typical_hours, high_hours (hours of work per item for one
    person), skill (the skill it needs, empty if none), estimate (bool), source.
``holidays.csv``
    date, country, name_vi, name_en, source.
``datasets.yaml``
    per file: as_of (date), title, notes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

# The C loader when PyYAML was built with libyaml (10-20x faster); both are safe loaders.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

REPO_ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """The data folder: ``$WORKSHOP_DATA_DIR`` or ``<repo>/data``."""
    return Path(os.environ.get("WORKSHOP_DATA_DIR") or REPO_ROOT / "data")


def path(name: str) -> Path:
    """Path of a data file by name (``data_dir() / name``)."""
    return data_dir() / name


def _split(value: object) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return []
    return [part.strip() for part in value.split(";") if part.strip()]


@lru_cache(maxsize=4)
def _platforms(folder: str) -> pd.DataFrame:
    df = pd.read_csv(
        Path(folder) / "platforms.csv", dtype={"article_group": "string"}, keep_default_na=False
    )
    for col in ("main_formats", "required_skills", "helpful_skills", "estimate"):
        df[col] = df[col].map(_split)
    df["video_first"] = df["video_first"].astype(str).str.lower().isin(["true", "1", "yes"])
    for col in (
        "business_features",
        "b2c_fit",
        "b2b_fit",
        "vn_reach",
        "posts_per_week",
        "community_hours_per_week",
    ):
        df[col] = pd.to_numeric(df[col])
    df["article_group"] = df["article_group"].replace("", pd.NA)
    return df.set_index("id", drop=False)


@lru_cache(maxsize=4)
def _sources(folder: str) -> dict[str, str]:
    raw = yaml.safe_load((Path(folder) / "sources.yaml").read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in (raw.get("sources") or {}).items()}


#: A source cited by id in platforms.csv: ``P1`` or ``S47``, then maybe "(detail)".
_SOURCE_REF = re.compile(r"^(?P<id>[PS]\d{1,3})\b\s*(?:\((?P<detail>.*)\))?\s*$")


def source_label(cited: str) -> str:
    """The sources a platforms.csv row cites by id (``"P1; S2 (Rival IQ 2024: 4.69
    posts/week)"``), by publisher and title from ``data/sources.yaml``, each with its
    detail: what a person can judge, not an id into notes they do not have. A part that
    is not a known id is kept as written."""
    registry = _sources(str(data_dir()))
    shown = []
    for part in _split(cited):
        m = _SOURCE_REF.match(part)
        if m is None or m["id"] not in registry:
            shown.append(part)
            continue
        label = registry[m["id"]]
        shown.append(f"{label} ({m['detail']})" if m["detail"] else label)
    return "; ".join(shown)


def load_platforms() -> pd.DataFrame:
    """The platform catalogue, indexed by platform id (a copy: callers may modify it)."""
    return _platforms(str(data_dir())).copy()


@lru_cache(maxsize=4)
def _benchmarks(folder: str) -> pd.DataFrame:
    df = pd.read_csv(Path(folder) / "benchmarks.csv", keep_default_na=False)
    for col in ("low", "typical", "high"):
        df[col] = pd.to_numeric(df[col])
    df["estimate"] = df["estimate"].astype(str).str.lower().isin(["true", "1", "yes"])
    return df


def load_benchmarks() -> pd.DataFrame:
    """All benchmark rows (long format, see module docstring)."""
    return _benchmarks(str(data_dir())).copy()


@dataclass(frozen=True)
class Range:
    """A benchmark as low / typical / high, with where it comes from."""

    low: float
    typical: float
    high: float
    unit: str = ""
    source: str = ""
    estimate: bool = False

    def value(self, scenario: str = "expected") -> float:
        """The figure for a scenario: conservative = low, expected = typical, optimistic = high."""
        return {"conservative": self.low, "expected": self.typical, "optimistic": self.high}[
            scenario
        ]


def benchmark(metric: str, platform: str = "all") -> Range:
    """The benchmark `metric` for `platform`, falling back to the ``all`` row.

    Raises KeyError naming the metric when neither exists. Cached: the ROI model calls
    this many times per projection, and a slider must answer in milliseconds.
    """
    return _benchmark(str(data_dir()), metric, platform)


@lru_cache(maxsize=4096)
def _benchmark(folder: str, metric: str, platform: str) -> Range:
    df = _benchmarks(folder)
    for key in (platform, "all"):
        rows = df[(df["platform"] == key) & (df["metric"] == metric)]
        if len(rows):
            row = rows.iloc[-1]
            return Range(
                float(row["low"]),
                float(row["typical"]),
                float(row["high"]),
                str(row["unit"]),
                str(row["source"]),
                bool(row["estimate"]),
            )
    raise KeyError(f"no benchmark {metric!r} for {platform!r} or 'all' in benchmarks.csv")


def source_hosts(source: str, limit: int = 3) -> list[str]:
    """The web hosts cited in a source note, in order, without repeats (at most `limit`).

    Source notes in ``data/`` are English prose with URLs; reports and widgets show only
    the hosts (language-neutral) and point to ``data/README.md`` for the full note.
    """
    hosts: list[str] = []
    for match in re.finditer(r"https?://(?:www\.)?([^/\s;,)]+)", source or ""):
        host = match.group(1).lower()
        if host not in hosts:
            hosts.append(host)
    return hosts[:limit]


@lru_cache(maxsize=4)
def _effort(folder: str) -> pd.DataFrame:
    df = pd.read_csv(Path(folder) / "effort.csv", keep_default_na=False)
    for col in ("low_hours", "typical_hours", "high_hours"):
        df[col] = pd.to_numeric(df[col])
    df["estimate"] = df["estimate"].astype(str).str.lower().isin(["true", "1", "yes"])
    return df.set_index("content_type", drop=False)


def load_effort() -> pd.DataFrame:
    """Hours per content item by content type (low / typical / high), indexed by type."""
    return _effort(str(data_dir())).copy()


@lru_cache(maxsize=4)
def _holidays(folder: str) -> pd.DataFrame:
    df = pd.read_csv(Path(folder) / "holidays.csv", keep_default_na=False)
    df["date"] = pd.to_datetime(df["date"]).dt.date
    return df


def load_holidays(country: str = "VN") -> pd.DataFrame:
    """Public holidays of one country (columns date, name_vi, name_en, source)."""
    df = _holidays(str(data_dir()))
    return df[df["country"] == country].reset_index(drop=True).copy()


def holiday_years(country: str = "VN") -> tuple[int, int]:
    """First and last year covered by ``holidays.csv`` for `country`."""
    dates = load_holidays(country)["date"]
    return (min(dates).year, max(dates).year) if len(dates) else (0, 0)


@lru_cache(maxsize=4)
def _datasets(folder: str) -> dict:
    return (
        yaml.load((Path(folder) / "datasets.yaml").read_text(encoding="utf-8"), Loader=_YAML_LOADER)
        or {}
    )


def as_of() -> dict[str, dt.date]:
    """The as-of date of each data file, for reports' "run information"."""
    out = {}
    for name, meta in _datasets(str(data_dir())).items():
        value = meta.get("as_of")
        out[name] = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return out


def example_plans() -> list[Path]:
    """The example plans bundled in ``data/clients/`` (sorted by file name)."""
    return sorted((data_dir() / "clients").glob("*.yaml"))


def demo_plan() -> Path:
    """The demo plan used by ``make demo`` and the notebooks' default parameters."""
    return data_dir() / "clients" / "demo-cafe.yaml"


def notebooks_dir() -> Path:
    """The workshop notebooks (``<repo>/notebooks``)."""
    return REPO_ROOT / "notebooks"


def report_template() -> Path:
    """The client-report template (a jupytext pair: ``report.py`` is the source,
    ``report.ipynb`` is what papermill runs)."""
    return notebooks_dir() / "report" / "report.ipynb"
