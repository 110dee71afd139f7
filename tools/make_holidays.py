"""Generate ``data/holidays.csv`` from the ``holidays`` package (a build tool, not a runtime dependency).

Usage (from the repository root)::

    .venv/bin/pip install holidays          # only needed to regenerate the file
    .venv/bin/python tools/make_holidays.py [--first 2025] [--last 2029] [--out data/holidays.csv]

Output columns: ``date, country, name_vi, name_en, source`` (one row per public holiday and
country, sorted by country then date). Vietnam's names come from the package in both
Vietnamese (``vi``) and English (``en_US``). For FR, IT, US, GB and DE the package has no
Vietnamese names, so ``name_vi`` is translated from the English name with the mapping
``VI_NAMES`` below (falling back to the English name where there is no entry; a
``--strict`` run fails instead). The run is deterministic: same package version, same file.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import holidays

COUNTRIES = ("VN", "FR", "IT", "US", "GB", "DE")
ENGLISH = {"GB": "en_GB"}  # English variant per country (default en_US)

# Vietnamese names of the other countries' holidays, keyed by the package's English name.
# Where the same English name means different days in different countries, the key is
# (country, name).
VI_NAMES: dict[object, str] = {
    "New Year's Day": "Tết Dương lịch",
    "New Year's Day (observed)": "Tết Dương lịch (nghỉ bù)",
    "Christmas Day": "Lễ Giáng sinh",
    "Christmas Day (observed)": "Lễ Giáng sinh (nghỉ bù)",
    "Second Day of Christmas": "Ngày thứ hai Lễ Giáng sinh",
    "Boxing Day": "Ngày tặng quà (sau Giáng sinh)",
    "Boxing Day (observed)": "Ngày tặng quà (nghỉ bù)",
    "Saint Stephen's Day": "Lễ Thánh Stêphanô",
    "Good Friday": "Thứ Sáu Tuần Thánh",
    "Easter Sunday": "Chủ nhật Phục sinh",
    "Easter Monday": "Thứ Hai Phục sinh",
    "Ascension Day": "Lễ Thăng Thiên",
    "Pentecost Monday": "Thứ Hai Lễ Ngũ Tuần",
    "Assumption Day": "Lễ Đức Mẹ Lên Trời",
    "Assumption Of Mary Day": "Lễ Đức Mẹ Lên Trời",
    "All Saints' Day": "Lễ Các Thánh",
    "Immaculate Conception": "Lễ Đức Mẹ Vô Nhiễm Nguyên Tội",
    "Epiphany": "Lễ Hiển Linh",
    "Armistice Day": "Ngày Đình chiến 1918",
    "Victory Day": "Ngày Chiến thắng 1945",
    "May Day": "Ngày nghỉ đầu tháng Năm",
    "Spring Bank Holiday": "Ngày nghỉ ngân hàng mùa xuân",
    "Labor Day": "Ngày Quốc tế Lao động",
    ("US", "Labor Day"): "Ngày Lao động (Mỹ)",
    "National Day": "Quốc khánh",
    ("FR", "National Day"): "Quốc khánh Pháp",
    "Republic Day": "Ngày Cộng hòa",
    "Liberation Day": "Ngày Giải phóng",
    "Saint Francis of Assisi, Patron Saint of Italy": "Lễ Thánh Phanxicô Assisi, bổn mạng nước Ý",
    "National Unity Day": "Ngày Thống nhất Quốc gia",
    "German Unity Day": "Ngày Thống nhất nước Đức",
    "Martin Luther King Jr. Day": "Ngày Martin Luther King",
    "Washington's Birthday": "Ngày sinh Washington",
    "Memorial Day": "Ngày Tưởng niệm",
    "Juneteenth National Independence Day": "Ngày Giải phóng nô lệ (Juneteenth)",
    "Juneteenth National Independence Day (observed)": "Ngày Giải phóng nô lệ (Juneteenth, nghỉ bù)",
    "Independence Day": "Ngày Độc lập",
    "Independence Day (observed)": "Ngày Độc lập (nghỉ bù)",
    "Columbus Day": "Ngày Columbus",
    "Veterans Day": "Ngày Cựu chiến binh",
    "Veterans Day (observed)": "Ngày Cựu chiến binh (nghỉ bù)",
    "Thanksgiving Day": "Lễ Tạ ơn",
}


def vi_name(country: str, english: str, strict: bool = False) -> str:
    """Vietnamese name of a non-Vietnamese holiday (parts joined with '; ' are translated one by one)."""
    parts = []
    for part in english.split("; "):
        name = VI_NAMES.get((country, part), VI_NAMES.get(part))
        if name is None:
            if strict:
                raise KeyError(f"no Vietnamese name for {country} holiday {part!r}")
            name = part
        parts.append(name)
    return "; ".join(parts)


def rows(first: int, last: int, strict: bool = False) -> list[dict[str, str]]:
    """All rows for `COUNTRIES` and years first..last, sorted by country then date."""
    source = f"python-holidays {holidays.__version__} (https://github.com/vacanza/holidays)"
    out: list[dict[str, str]] = []
    years = range(first, last + 1)
    for country in COUNTRIES:
        english = holidays.country_holidays(
            country, years=years, language=ENGLISH.get(country, "en_US")
        )
        if country == "VN":
            local = holidays.country_holidays(country, years=years, language="vi")
        for day in sorted(english):
            name_en = english[day]
            name_vi = local[day] if country == "VN" else vi_name(country, name_en, strict)
            out.append(
                {
                    "date": day.isoformat(),
                    "country": country,
                    "name_vi": name_vi,
                    "name_en": name_en,
                    "source": source,
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=2025)
    parser.add_argument("--last", type=int, default=2029)
    parser.add_argument(
        "--out", default=str(Path(__file__).resolve().parents[1] / "data" / "holidays.csv")
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail when a holiday has no Vietnamese name in VI_NAMES",
    )
    args = parser.parse_args(argv)
    data = rows(args.first, args.last, args.strict)
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=["date", "country", "name_vi", "name_en", "source"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(data)
    print(f"wrote {len(data)} rows to {args.out} (holidays {holidays.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
