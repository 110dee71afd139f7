"""Messages and number/date/money formats in Vietnamese (`vi`) and English (`en`).

The catalogue is one folder of YAML files per language (``workshop/locales/<lang>/*.yaml``),
each file a flat mapping ``key: text``. Keys are unique across files; both languages must
define the same keys (a test enforces it). Texts use ``str.format`` placeholders.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from pathlib import Path

import yaml
from babel.dates import format_date as _babel_date
from babel.numbers import format_currency as _babel_currency
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

# The C loader when PyYAML was built with libyaml (10-20x faster); both are safe loaders.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALES = {"vi": "vi_VN", "en": "en_US"}
_LOCALE_DIR = Path(__file__).with_name("locales")
# Currencies whose amounts are shown without decimals.
_NO_DECIMALS = {"VND"}


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    return language


@cache
def catalogue(language: str) -> dict[str, str]:
    """All messages of one language, merged from ``locales/<language>/*.yaml``."""
    _check_language(language)
    merged: dict[str, str] = {}
    for path in sorted((_LOCALE_DIR / language).glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
        for key, text in data.items():
            if key in merged:
                raise ValueError(f"duplicate message key {key!r} in {path}")
            merged[str(key)] = str(text)
    return merged


def t(key: str, language: str = DEFAULT_LANGUAGE, **values) -> str:
    """The message `key` in `language`, with ``{placeholders}`` filled from `values`.

    A missing key raises KeyError: an untranslated string is a bug, not a fallback.
    """
    text = catalogue(language)[key]
    return text.format(**values) if values else text


def has(key: str, language: str = DEFAULT_LANGUAGE) -> bool:
    """Whether the catalogue of `language` defines `key`."""
    return key in catalogue(language)


def label(kind: str, value: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Display name of a vocabulary value, e.g. ``label("skill", "short_video", "vi")``.

    Looks up ``<kind>.<value>``; falls back to the value itself for free text.
    """
    key = f"{kind}.{value}"
    return t(key, language) if has(key, language) else str(value)


#: Decimal precision for formatting: babel works in Decimal, whose default 28 digits raise
#: ``InvalidOperation`` above ~1e25 (an ROI of 1e27 % is possible: profit ÷ a tiny valid
#: cost). 400 digits format every finite float (up to 1.7e308).
_FORMAT_PRECISION = 400


def fmt_number(value: float, language: str = DEFAULT_LANGUAGE, digits: int = 0) -> str:
    """A number with the language's grouping and decimal marks (vi: 1.234,5; en: 1,234.5)."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    with localcontext() as ctx:
        ctx.prec = _FORMAT_PRECISION
        return _babel_decimal(value, format=pattern, locale=LOCALES[_check_language(language)])


def fmt_money(value: float, currency: str, language: str = DEFAULT_LANGUAGE) -> str:
    """An amount in `currency`, the language's way (vi: "1.234.000 ₫"; en: "€1,234").

    VND, and any amount of 1,000 or more, is shown in whole units; smaller amounts in
    other currencies keep two decimals.
    """
    locale = LOCALES[_check_language(language)]
    with localcontext() as ctx:
        ctx.prec = _FORMAT_PRECISION
        if currency in _NO_DECIMALS or abs(value) >= 1000:
            pattern = "#,##0\u00a0¤" if language == "vi" else "¤#,##0"
            whole = int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            return _babel_currency(
                whole, currency, locale=locale, format=pattern, currency_digits=False
            )
        return _babel_currency(value, currency, locale=locale)


def fmt_percent(value: float, language: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    """A fraction as a percentage (0.125 -> vi "12,5%", en "12.5%")."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    with localcontext() as ctx:
        ctx.prec = _FORMAT_PRECISION
        return _babel_percent(value, format=pattern, locale=LOCALES[_check_language(language)])


def fmt_date(value: dt.date, language: str = DEFAULT_LANGUAGE, style: str = "medium") -> str:
    """A date in the language's convention (vi: 05/01/2027 style; en: Jan 5, 2027)."""
    if style == "short_numeric":
        return value.strftime("%d/%m/%Y") if language == "vi" else value.isoformat()
    return _babel_date(value, format=style, locale=LOCALES[_check_language(language)])


def fmt_month(value: dt.date, language: str = DEFAULT_LANGUAGE) -> str:
    """A month label (vi: "thg 1 2027"; en: "Jan 2027")."""
    return _babel_date(value, format="MMM y", locale=LOCALES[_check_language(language)])


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday_name(weekday: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Full name of a weekday code ("mon".."sun")."""
    return t(f"weekday.{weekday}", language)
