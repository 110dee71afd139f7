"""Tests of workshop.i18n: the catalogue is complete in both languages, formats are right.

The catalogue tests guard every module's locale files: a key, a placeholder or a file
present in one language and not the other fails here, named.
"""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import i18n, plan

LOCALE_DIR = Path(i18n.__file__).with_name("locales")


def _files(language: str) -> dict[str, Path]:
    return {p.name: p for p in sorted((LOCALE_DIR / language).glob("*.yaml"))}


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a str.format text (``{a.b}`` and ``{a[0]}`` count as ``a``)."""
    names = set()
    for _, field, _, _ in string.Formatter().parse(text):
        if field is not None:
            names.add(field.split(".")[0].split("[")[0])
    return names


# --- The catalogue --------------------------------------------------------------------------


def test_both_languages_have_the_same_locale_files():
    assert sorted(_files("vi")) == sorted(_files("en"))


@pytest.mark.parametrize("name", sorted(set(_files("vi")) | set(_files("en"))))
def test_each_locale_file_has_the_same_keys_in_both_languages(name):
    vi_path, en_path = LOCALE_DIR / "vi" / name, LOCALE_DIR / "en" / name
    assert vi_path.is_file() and en_path.is_file(), f"{name} exists in one language only"
    vi, en = set(_raw(vi_path)), set(_raw(en_path))
    assert not vi - en, f"keys only in vi/{name}: {sorted(vi - en)}"
    assert not en - vi, f"keys only in en/{name}: {sorted(en - vi)}"


def test_both_languages_define_exactly_the_same_keys():
    vi, en = set(i18n.catalogue("vi")), set(i18n.catalogue("en"))
    assert not vi - en, f"keys only in Vietnamese: {sorted(vi - en)}"
    assert not en - vi, f"keys only in English: {sorted(en - vi)}"
    assert len(vi) > 0


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_is_a_non_empty_string(language):
    for name, path in _files(language).items():
        raw = _raw(path)
        assert isinstance(raw, dict), f"{language}/{name} is not a flat mapping"
        for key, text in raw.items():
            assert isinstance(key, str) and key, f"{language}/{name}: bad key {key!r}"
            assert isinstance(text, str), f"{language}/{name}: {key} is not text: {text!r}"
            assert text.strip(), f"{language}/{name}: {key} is empty"


def test_placeholders_are_the_same_in_both_languages():
    vi, en = i18n.catalogue("vi"), i18n.catalogue("en")
    wrong = {
        key: (sorted(_placeholders(vi[key])), sorted(_placeholders(en[key])))
        for key in set(vi) & set(en)
        if _placeholders(vi[key]) != _placeholders(en[key])
    }
    assert not wrong, f"placeholders differ (vi, en): {wrong}"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_can_be_formatted(language):
    # An unbalanced "{" or "}" makes str.format raise; literal braces must be doubled.
    for key, text in i18n.catalogue(language).items():
        values = {name: "X" for name in _placeholders(text)}
        try:
            filled = i18n.t(key, language, **values) if values else text.format()
        except (ValueError, IndexError, KeyError) as exc:
            pytest.fail(f"{language}: {key} cannot be formatted: {exc}")
        assert filled


def test_keys_are_unique_across_files():
    for language in i18n.LANGUAGES:
        total = sum(len(_raw(p)) for p in _files(language).values())
        assert total == len(i18n.catalogue(language)), language


def test_plan_messages_are_translated():
    vi, en = i18n.catalogue("vi"), i18n.catalogue("en")
    keys = [k for k in vi if k.startswith("plan.")]
    assert len(keys) >= 30
    for key in keys:
        assert vi[key] != en[key], key
    assert "không" in vi["plan.error.literal_error"]


VOCABULARIES = {
    "platform": plan.PLATFORM_IDS,
    "skill": plan.SKILLS,
    "content_type": plan.CONTENT_TYPES,
    "asset": plan.ASSETS,
    "channel": plan.CHANNELS,
    "sector": plan.SECTORS,
    "weekday": i18n.WEEKDAYS,
    "currency": ("VND", "EUR", "USD"),
    "market": ("b2c", "b2b"),
    "audience": ("young_consumers", "general_consumers", "professionals"),
    "period": ("semester", "year"),
}


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("kind", sorted(VOCABULARIES))
def test_every_vocabulary_value_has_a_label(kind, language):
    missing = [v for v in VOCABULARIES[kind] if not i18n.has(f"{kind}.{v}", language)]
    assert not missing, f"no {language} label for {kind}: {missing}"


# --- t, has, label ---------------------------------------------------------------------------


def test_t_fills_placeholders():
    assert i18n.t("plan.error.duplicate", "en", value="facebook") == (
        "'facebook' appears more than once."
    )
    assert i18n.t("plan.error.duplicate", "vi", value="facebook") == (
        "'facebook' xuất hiện nhiều hơn một lần."
    )
    assert i18n.t("plan.error.duplicate", value="x") == i18n.t(
        "plan.error.duplicate", "vi", value="x"
    )


def test_t_of_a_missing_key_raises_key_error():
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "vi")
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "en", value=1)
    assert not i18n.has("no.such.key", "en")
    assert i18n.has("plan.error.header", "en")


def test_t_with_a_missing_placeholder_value_raises_key_error():
    with pytest.raises(KeyError):
        i18n.t("plan.error.duplicate", "en", other="x")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        i18n.catalogue("fr")
    with pytest.raises(ValueError):
        i18n.t("plan.error.empty", "fr")
    with pytest.raises(ValueError):
        i18n.fmt_number(1, "fr")


def test_label_uses_the_catalogue_and_falls_back_to_the_value():
    for language in i18n.LANGUAGES:
        assert i18n.label("skill", "writing", language) == i18n.t("skill.writing", language)
        assert i18n.label("plan.error", "empty", language) == i18n.t("plan.error.empty", language)
        assert i18n.label("skill", "juggling", language) == "juggling"
        assert i18n.label("theme", "Tết sale", language) == "Tết sale"
    assert i18n.label("skill", "writing", "vi") != i18n.label("skill", "writing", "en")


def test_label_fallback_with_a_fake_catalogue(monkeypatch):
    fake = {"vi": {"skill.writing": "Viết"}, "en": {"skill.writing": "Writing"}}
    monkeypatch.setattr(i18n, "catalogue", lambda language: fake[language])
    assert i18n.label("skill", "writing", "vi") == "Viết"
    assert i18n.label("skill", "writing", "en") == "Writing"
    assert i18n.label("skill", "photography", "vi") == "photography"
    assert i18n.label("platform", 42, "en") == "42"


def test_weekday_name():
    for code in i18n.WEEKDAYS:
        assert i18n.weekday_name(code, "en") == i18n.t(f"weekday.{code}", "en")
    assert i18n.WEEKDAYS == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# --- Formats: worked examples ----------------------------------------------------------------

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # numbers: vi groups with "." and decimals with ","; en the other way round
        (lambda: i18n.fmt_number(1234567, "vi"), "1.234.567"),
        (lambda: i18n.fmt_number(1234567, "en"), "1,234,567"),
        (lambda: i18n.fmt_number(1234.5, "vi", 1), "1.234,5"),
        (lambda: i18n.fmt_number(1234.5, "en", 1), "1,234.5"),
        (lambda: i18n.fmt_number(0.456, "en", 2), "0.46"),
        (lambda: i18n.fmt_number(-2500, "vi"), "-2.500"),
        (lambda: i18n.fmt_number(999.6, "en"), "1,000"),
        # money: VND in whole dong, sign after in vi
        (lambda: i18n.fmt_money(1234567, "VND", "vi"), f"1.234.567{NBSP}₫"),
        (lambda: i18n.fmt_money(1234567.4, "VND", "vi"), f"1.234.567{NBSP}₫"),
        (lambda: i18n.fmt_money(1500, "VND", "vi"), f"1.500{NBSP}₫"),
        (lambda: i18n.fmt_money(-1500, "VND", "vi"), f"-1.500{NBSP}₫"),
        (lambda: i18n.fmt_money(45000, "VND", "en"), "₫45,000"),
        (lambda: i18n.fmt_money(1234.6, "EUR", "en"), "€1,235"),
        (lambda: i18n.fmt_money(1234.4, "EUR", "en"), "€1,234"),
        (lambda: i18n.fmt_money(1234.6, "EUR", "vi"), f"1.235{NBSP}€"),
        (lambda: i18n.fmt_money(12.5, "EUR", "en"), "€12.50"),
        (lambda: i18n.fmt_money(12.5, "EUR", "vi"), f"12,50{NBSP}€"),
        (lambda: i18n.fmt_money(2000, "USD", "en"), "$2,000"),
        # percentages: a fraction in, one decimal by default
        (lambda: i18n.fmt_percent(0.125, "vi"), "12,5%"),
        (lambda: i18n.fmt_percent(0.125, "en"), "12.5%"),
        (lambda: i18n.fmt_percent(0.5, "en", 0), "50%"),
        (lambda: i18n.fmt_percent(1.2345, "vi", 2), "123,45%"),
        (lambda: i18n.fmt_percent(-0.05, "en"), "-5.0%"),
        # dates
        (lambda: i18n.fmt_date(dt.date(2027, 1, 5), "vi", "short_numeric"), "05/01/2027"),
        (lambda: i18n.fmt_date(dt.date(2027, 1, 5), "en", "short_numeric"), "2027-01-05"),
        (lambda: i18n.fmt_date(dt.date(2027, 1, 5), "en"), "Jan 5, 2027"),
        (lambda: i18n.fmt_date(dt.date(2027, 1, 5), "vi"), "5 thg 1, 2027"),
        (lambda: i18n.fmt_month(dt.date(2027, 1, 5), "en"), "Jan 2027"),
        (lambda: i18n.fmt_month(dt.date(2027, 12, 31), "vi"), "thg 12 2027"),
    ],
)
def test_format_worked_examples(call, expected):
    assert call() == expected


def test_fmt_money_rounds_half_up():
    assert i18n.fmt_money(1234.5, "EUR", "en") == "€1,235"
    assert i18n.fmt_money(1234566.5, "VND", "vi") == f"1.234.567{NBSP}₫"
    assert i18n.fmt_money(2.5, "VND", "vi") == f"3{NBSP}₫"


@settings(max_examples=100, deadline=None)
@given(st.integers(-(10**12), 10**12))
def test_fmt_number_groups_thousands(n):
    vi, en = i18n.fmt_number(n, "vi"), i18n.fmt_number(n, "en")
    assert vi.replace(".", "") == en.replace(",", "") == str(n)
    assert vi == en.replace(",", ".")
    digits = str(abs(n))
    assert en.lstrip("-").split(",")[0] == digits[: len(digits) % 3 or 3]


@settings(max_examples=100, deadline=None)
@given(st.floats(-10, 10, allow_nan=False))
def test_fmt_percent_is_the_fraction_times_100(p):
    en = i18n.fmt_percent(p, "en")
    vi = i18n.fmt_percent(p, "vi")
    assert en.endswith("%") and vi.endswith("%")
    assert abs(float(en[:-1].replace(",", "")) - p * 100) <= 0.05 + 1e-9
    assert vi == en.replace(",", " ").replace(".", ",").replace(" ", ".")


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**12), st.sampled_from(["VND", "EUR", "USD"]))
def test_fmt_money_whole_amounts(n, currency):
    vi, en = i18n.fmt_money(n, currency, "vi"), i18n.fmt_money(n, currency, "en")
    assert i18n.fmt_number(n, "vi") in vi and i18n.fmt_number(n, "en") in en
    if currency == "VND" or n >= 1000:
        assert "," not in vi and "." not in en  # no decimals


@settings(max_examples=100, deadline=None)
@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))
def test_fmt_date_short_numeric(day):
    assert dt.datetime.strptime(i18n.fmt_date(day, "vi", "short_numeric"), "%d/%m/%Y").date() == day
    assert dt.date.fromisoformat(i18n.fmt_date(day, "en", "short_numeric")) == day
    assert str(day.year) in i18n.fmt_month(day, "vi") and str(day.year) in i18n.fmt_month(day, "en")
