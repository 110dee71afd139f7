"""The small HTML builders of the report's sections: headings, paragraphs, notes, tables and
summary cards, every text escaped (:class:`workshop.markup.Markup`)."""

from __future__ import annotations

from typing import Any

from workshop import tables
from workshop.markup import Markup

Part = Any  # an HTML string or a charts.Figure


def heading(text: str, level: int = 2, kicker: str = "", first: bool = False) -> Markup:
    """``<h2>`` (or `level`) with `text` and an optional muted `kicker` (C-numbers)."""
    cls = Markup(' class="ws-first"') if first else Markup("")
    small = Markup(' <span class="ws-muted">{}</span>').format(kicker) if kicker else Markup("")
    return Markup("<h{level}{cls}>{text}{small}</h{level}>").format(
        level=int(level), cls=cls, text=text, small=small
    )


def para(text: str, cls: str = "") -> Markup:
    """A paragraph of `text` (with the CSS class `cls`, a name from this module)."""
    if cls:
        return Markup('<p class="{}">{}</p>').format(cls, text)
    return Markup("<p>{}</p>").format(text)


def note(text: str, warn: bool = False) -> Markup:
    """A boxed note (a warning box when `warn`)."""
    cls = "ws-note ws-warn-box" if warn else "ws-note"
    return Markup('<div class="{}">{}</div>').format(cls, text)


def table(t: tables.Table) -> Markup:
    """A :class:`workshop.tables.Table` in the report: its HTML with the report's classes
    (numbers aligned right, long texts that may break anywhere, group headings; every
    header and cell escaped), in a wrapper that scrolls on a narrow screen."""
    return Markup('<div class="ws-table-wrap">') + t.html(report=True) + Markup("</div>")


def card(
    label: str, value: str, sub: str = "", tone: str = "", attrs: dict[str, Any] | None = None
) -> Markup:
    """A summary card: `label`, a big `value`, a `sub` line; `tone` good/warn/bad; `attrs`
    extra attributes of the card (``data-*``, values escaped)."""
    tone_cls = f" ws-{tone}" if tone else ""
    if len(value) > 14:  # a sentence, not a figure: smaller type
        tone_cls += " ws-text"
    extra = Markup("").join(
        Markup(' {}="{}"').format(Markup(k), v) for k, v in (attrs or {}).items()
    )
    sub_html = Markup('<div class="ws-sub">{}</div>').format(sub) if sub else Markup("")
    return Markup(
        '<div class="ws-card"{extra}><div class="ws-label">{label}</div>'
        '<div class="ws-value{tone}">{value}</div>{sub}</div>'
    ).format(extra=extra, label=label, tone=tone_cls, value=value, sub=sub_html)
