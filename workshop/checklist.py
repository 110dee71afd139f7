"""The printable posting checklist for the channels that import nothing.

Meta Business Suite and Zalo OA take no calendar file (issue 12), and WhatsApp Business and
Snapchat are in none of the schedulers: their posts are scheduled or published by hand.
The checklist is one section per channel (``checklist`` in ``data/schedulers.yaml``), the
posts in date order, each with a box to tick, the date, time, content type and theme, and
the notes of the month; a Zalo OA broadcast the pre-flight check moved or turned into an
article says so.

* :func:`sections` the checklist as data (a list of :class:`Section`);
* :func:`checklist_html` the sections as print-friendly HTML tables for the report and the
  PDF (every text escaped by :func:`workshop.markup.rows_html`; no markup of its own);
* :data:`CHECKLIST_CSS` the print styles the report includes;
* :func:`page` a standalone HTML page (``checklist.html`` in the calendar folder).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workshop import i18n, markup, preflight
from workshop.exports_tools.text import clean, title
from workshop.plan import Plan

#: The box a person ticks on paper (a character: nothing a browser acts on).
BOX = "\u2610"
#: Section order: Meta Business Suite channels, Zalo OA, then the others.
ORDER = ("facebook", "instagram", "zalo_oa")
#: Print styles of the checklist tables (class ``workshop-checklist``).
CHECKLIST_CSS = """
.workshop-checklist { width: 100%; border-collapse: collapse; margin: 0 0 1.5em;
  font-size: 11pt; line-height: 1.35; }
.workshop-checklist caption { text-align: left; font-weight: bold; font-size: 13pt;
  padding: 0.4em 0; caption-side: top; }
.workshop-checklist th, .workshop-checklist td { border: 1px solid #999; padding: 0.25em 0.4em;
  text-align: left; vertical-align: top; overflow-wrap: break-word; }
.workshop-checklist thead { display: table-header-group; }
.workshop-checklist tr { break-inside: avoid; page-break-inside: avoid; }
.workshop-checklist td.box { width: 2em; font-size: 14pt; text-align: center; }
.workshop-checklist td.when { white-space: nowrap; }
.workshop-checklist tr.month th { background: #eee; font-weight: normal; }
@media print { .workshop-checklist { font-size: 10pt; } }
@media screen and (max-width: 640px) {
  .workshop-checklist, .workshop-checklist caption, .workshop-checklist tbody,
  .workshop-checklist tr, .workshop-checklist th, .workshop-checklist td { display: block; }
  .workshop-checklist thead { display: none; }
  .workshop-checklist tr { border: 1px solid #999; margin: 0 0 0.4em; padding: 0.2em; }
  .workshop-checklist th, .workshop-checklist td { border: none; padding: 0.1em 0.3em; }
  .workshop-checklist td.box { float: left; width: 1.6em; }
  .workshop-checklist td.when { display: inline-block; font-weight: bold; }
  .workshop-checklist td:empty { display: none; }
}
""".strip()


@dataclass(frozen=True)
class Item:
    """One post to publish by hand."""

    date: dt.date
    date_label: str
    weekday_label: str
    time: str
    content_type_label: str
    theme: str
    notes: str
    adjusted: str = ""


@dataclass(frozen=True)
class Section:
    """One channel of the checklist."""

    platform: str
    platform_label: str
    tool: str
    title: str
    hint: str
    items: list[Item] = field(default_factory=list)


def _tool(plan: Plan, platform: str) -> str:
    tool = preflight.rules()["checklist"][platform]
    if platform in plan.platforms.personal_profile_as_company:
        return "by_hand"  # Meta Business Suite manages Pages and business accounts only
    return tool


def sections(
    plan: Plan,
    language: str = "vi",
    result: preflight.Result | None = None,
    options: preflight.Options | None = None,
) -> list[Section]:
    """The checklist's sections, from the pre-flight result of the checklist (computed when
    not given: :func:`workshop.preflight.check_checklist`). Channels without a post have no
    section."""
    options = (options or preflight.Options()).validated(language, plan)
    result = result or preflight.check_checklist(plan, language, options=options)
    cal = result.calendar
    changed: dict[tuple, list[str]] = {}
    for f in result.findings:
        if f.outcome in ("adjusted", "todo") and f.platform == "zalo_oa":
            key = (f.new_date or f.date, f.new_time or f.time)
            changed.setdefault(key, []).append(f.message)
    platforms = list(dict.fromkeys(cal["platform"])) if len(cal) else []
    platforms.sort(key=lambda p: (ORDER.index(p) if p in ORDER else len(ORDER), p))
    zalo = preflight.rules()["zalo_oa"]
    out = []
    for platform in platforms:
        tool = _tool(plan, platform)
        label = i18n.label("platform", platform, language)
        hint = i18n.t(
            f"schedulers.checklist.hint.{tool}",
            language,
            package=i18n.t(f"schedulers.zalo.package.{options.zalo_package}", language),
            quota=zalo["packages"][options.zalo_package],
        )
        items = []
        for rec in cal[cal["platform"] == platform].to_dict("records"):
            messages = changed.get((rec["date"], rec["time"]), []) if platform == "zalo_oa" else []
            items.append(
                Item(
                    date=rec["date"],
                    date_label=i18n.fmt_date(rec["date"], language, "short_numeric"),
                    weekday_label=i18n.weekday_name(rec["weekday"], language),
                    time=rec["time"],
                    content_type_label=i18n.label("content_type", rec["content_type"], language),
                    theme=title(rec.get("theme"), rec["content_type"], platform, language),
                    notes=clean(rec.get("notes")),
                    adjusted=" ".join(
                        i18n.t("schedulers.checklist.adjusted", language, message=m)
                        for m in messages
                    ),
                )
            )
        out.append(
            Section(
                platform=platform,
                platform_label=label,
                tool=tool,
                title=i18n.t(f"schedulers.checklist.section.{tool}", language, platform=label),
                hint=hint,
                items=items,
            )
        )
    return out


def _headers(language: str) -> list[str]:
    return [
        i18n.t(f"schedulers.checklist.column.{c}", language)
        for c in ("done", "date", "time", "content", "theme", "notes")
    ]


_CLASSES = {0: {"class": "box"}, 1: {"class": "when"}, 2: {"class": "when"}}


def checklist_html(checklist: list[Section], language: str = "vi") -> markup.Markup:
    """The sections as HTML tables (class ``workshop-checklist``), one per channel: the
    channel and how to post in the caption, a heading row per month (with the month's
    notes when all its posts share them), a row per post; every text escaped. Style:
    :data:`CHECKLIST_CSS` (a table on paper and wide screens, a card per post on a phone).
    An empty checklist is one sentence in a table caption."""
    tables = []
    for section in checklist:
        months: dict[tuple[int, int], list[Item]] = {}
        for item in section.items:
            months.setdefault((item.date.year, item.date.month), []).append(item)
        rows: list = []
        for items in months.values():
            notes = {item.notes for item in items}
            shared = notes.pop() if len(notes) == 1 else ""
            heading = i18n.fmt_month(items[0].date, language)
            rows.append(f"{heading} · {shared}" if shared else heading)
            for item in items:
                own = "" if shared else item.notes
                rows.append(
                    [
                        BOX,
                        f"{item.weekday_label} {item.date_label}",
                        item.time,
                        item.content_type_label,
                        item.theme,
                        "\n".join(part for part in (own, item.adjusted) if part),
                    ]
                )
        tables.append(
            markup.rows_html(
                rows,
                _headers(language),
                caption=f"{section.title}\n{section.hint}",
                cell_attrs=_CLASSES.get,
                table_attrs={"class": "workshop-checklist"},
                group_attrs={"class": "month"},
            )
        )
    if not tables:
        tables.append(
            markup.rows_html(
                [],
                _headers(language),
                caption=i18n.t("schedulers.checklist.empty", language),
                table_attrs={"class": "workshop-checklist"},
            )
        )
    return markup.escape("").join(tables)


def page(plan: Plan, checklist: list[Section], language: str = "vi") -> str:
    """A standalone, printable HTML page of the checklist (UTF-8; no script, no link)."""
    heading = markup.escape(i18n.t("schedulers.checklist.title", language, client=plan.client.name))
    intro = markup.escape(i18n.t("schedulers.checklist.intro", language))
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{heading}</title>\n<style>\n"
        "body { font-family: 'Noto Sans', 'Segoe UI', Roboto, Arial, sans-serif; margin: 1.5em; }\n"
        "@page { margin: 12mm; }\n"
        f"{CHECKLIST_CSS}\n</style>\n</head>\n<body>\n<h1>{heading}</h1>\n<p>{intro}</p>\n"
        f"{checklist_html(checklist, language)}\n</body>\n</html>\n"
    )
