"""The iCalendar file the calendar tools import, with the platform in every title.

Google Calendar shows neither CATEGORIES nor the event's colour from a file, so the
platform is the start of SUMMARY ("Facebook: Món của tuần"), and DESCRIPTION carries the
content type, the month's notes and, for a Zalo OA broadcast the pre-flight check moved or
turned into an article, what changed. Events are the 30-minute publishing slots of
:mod:`workshop.exports` (same UIDs, :func:`workshop.exports.event_uid`, so re-importing
updates events), at the client's local time with its VTIMEZONE (floating for ``OTHER``).
Values are escaped by icalendar's ``vText`` and lines folded at 75 octets (RFC 5545) by
:func:`fold`; the VTIMEZONE is icalendar's. This writer replaces
:func:`workshop.exports.calendar_ics` once the lead switches the report to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
import pandas as pd
from icalendar.prop import vCategory, vDDDTypes, vText

from workshop import exports, i18n
from workshop.exports_tools.text import clean, title
from workshop.plan import Plan

FILE = "calendar.ics"


def _summary(rec: Mapping, language: str) -> str:
    return i18n.t(
        "schedulers.ics.summary",
        language,
        platform=i18n.label("platform", rec["platform"], language),
        title=title(rec.get("theme"), rec["content_type"], rec["platform"], language),
    )


def fold(line: str) -> bytes:
    """One content line as RFC 5545 bytes: folded so no line is longer than 75 octets
    (CRLF and a space before each continuation), never inside a UTF-8 character."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return raw + b"\r\n"
    out, chunk, limit = [], b"", 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > limit:
            out.append(chunk)
            chunk, limit = b"", 74  # continuation lines start with a space
        chunk += encoded
    out.append(chunk)
    return b"\r\n ".join(out) + b"\r\n"


def _text(value: str) -> str:
    return vText(value).to_ical().decode("utf-8")


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, first: dt.date, last: dt.date) -> bytes:
    """The VTIMEZONE icalendar's ``add_missing_timezones`` makes for `tzid` over the years."""
    cal = icalendar.Calendar()
    event = icalendar.Event()
    event.add("dtstart", dt.datetime(first.year + 1, 1, 1, tzinfo=ZoneInfo(tzid)))
    cal.add_component(event)
    cal.add_missing_timezones(first_date=first, last_date=last)
    (tz,) = cal.timezones
    return tz.to_ical()


def file_bytes(
    plan: Plan,
    calendar: pd.DataFrame,
    language: str,
    stamp: dt.datetime | None = None,
    notes: Mapping[tuple, Sequence[str]] | None = None,
) -> bytes:
    """The ICS file's bytes.

    `stamp` is every event's DTSTAMP (default now, UTC; pass one for reproducible bytes).
    `notes` maps (date, time, platform) to messages added to an event's description (the
    pre-flight check's adjustments of that row). Values are escaped by icalendar's
    ``vText``; lines are folded by :func:`fold`; the VTIMEZONE is icalendar's.
    """
    stamp = stamp or dt.datetime.now(dt.UTC)
    tzid = exports.TIMEZONES.get(plan.client.country)
    param = f";TZID={tzid}" if tzid else ""
    name = i18n.t("schedule.calendar_name", language, client=clean(plan.client.name))
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:" + _text(exports.PRODID),
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:" + _text(name),
    ]
    if tzid:
        head.append("X-WR-TIMEZONE:" + tzid)
    out = [fold(line) for line in head]
    if tzid and len(calendar):
        dates = list(calendar["date"])
        first = dt.date(min(dates).year - 1, 1, 1)
        last = dt.date(max(dates).year + 1, 12, 31)
        out.append(_vtimezone(tzid, first, last))
    stamp_line = fold("DTSTAMP:" + vDDDTypes(stamp.astimezone(dt.UTC)).to_ical().decode())
    fmt = "%Y%m%dT%H%M%S"
    counts: dict[tuple, int] = {}
    notes = notes or {}
    for rec in calendar.to_dict("records"):
        day = rec["date"]
        identity = (day, rec["time"], rec["platform"], rec["content_type"])
        index = counts.get(identity, 0)
        counts[identity] = index + 1
        hour, minute = (int(x) for x in str(rec["time"]).split(":"))
        start = dt.datetime.combine(day, dt.time(hour, minute))
        end = start + dt.timedelta(minutes=exports.EVENT_MINUTES)
        description = [
            i18n.t(
                "schedule.description.content_type",
                language,
                content_type=i18n.label("content_type", rec["content_type"], language),
            )
        ]
        if clean(rec.get("notes")):
            description.append(clean(rec.get("notes")))
        for message in notes.get((day, rec["time"], rec["platform"]), ()):
            description.append(i18n.t("schedulers.ics.note", language, message=message))
        category = vCategory([i18n.label("platform", rec["platform"], language)])
        out += [
            b"BEGIN:VEVENT\r\n",
            fold("UID:" + _text(exports.event_uid(plan.client.id, *identity, index))),
            stamp_line,
            fold(f"DTSTART{param}:{start.strftime(fmt)}"),
            fold(f"DTEND{param}:{end.strftime(fmt)}"),
            fold("SUMMARY:" + _text(_summary(rec, language))),
            fold("DESCRIPTION:" + _text("\n\n".join(description))),
            fold("CATEGORIES:" + category.to_ical().decode("utf-8")),
            b"END:VEVENT\r\n",
        ]
    out.append(b"END:VCALENDAR\r\n")
    return b"".join(out)
