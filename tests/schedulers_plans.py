"""Plans and helpers shared by the scheduler-export tests (not a test module).

:func:`plan_with` builds a small valid plan from editorial rules; :data:`NOW` is the fixed
moment of every export in the tests (the example plans start in 2027); :func:`rows` parses
a CSV file's bytes with the csv module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from workshop.plan import validate

NOW = dt.datetime(2026, 12, 1, 9, 0)
START = "2027-01-04"  # a Monday


def slot(weekday: str, content_type: str = "photo_post", time: str = "09:00", theme: str = ""):
    return {"weekday": weekday, "content_type": content_type, "time": time, "theme": theme}


def rule(platform: str, *slots: dict, renewal_months: int = 1) -> dict:
    return {"platform": platform, "slots": list(slots), "renewal_months": renewal_months}


def plan_with(*rules: dict, language: str = "vi", **overrides: Any):
    """A plan with these editorial rules (and no suggested ones), starting on a Monday."""
    raw: dict[str, Any] = {
        "client": {
            "id": "test-shop",
            "name": 'Cà phê "Sáng" & <Co>',
            "country": "VN",
            "language": language,
        },
        "platforms": {"chosen": [r["platform"] for r in rules]},
        "start": START,
        "horizon_months": 1,
        "editorial": {"rules": list(rules), "skip_holidays": False},
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(raw.get(key), dict):
            raw[key] = {**raw[key], **value}
        else:
            raw[key] = value
    return validate(raw)


def rows(payload: bytes, delimiter: str = ",") -> list[list[str]]:
    """The rows of a CSV file (bytes, UTF-8 with or without a BOM)."""
    return list(
        csv.reader(io.StringIO(payload.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    )
