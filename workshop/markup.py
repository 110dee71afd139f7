"""One way to put text into HTML and into plotly labels: escaped, unless the toolkit made it.

Plans come from people the facilitator and the consultant do not control (participants'
files in a room folder, clients' files sent by email). Any text that comes from a plan, from
a file name or from a message quoting a plan's value (names, themes, problem messages,
paths) is *data*: it is shown as text, never interpreted as markup. This module is the only
way the toolkit turns text into markup:

* :func:`escape` text for HTML (``& < > " '``), as :class:`Markup`;
* :class:`Markup` a ``str`` holding HTML the toolkit built itself; it is never escaped
  again, and everything combined with it (``+``, :meth:`Markup.join`, :meth:`Markup.format`)
  is escaped unless it is itself ``Markup``;
* :func:`table_html` (a DataFrame) and :func:`rows_html` (a list of rows) build an HTML
  table in which every header and cell is escaped unless it is ``Markup``;
* :func:`plotly_text` text for a plotly label. plotly.js renders a subset of HTML in trace
  names, ``text``, hover texts and templates, tick labels, legend entries, annotations and
  titles (``<b>``, ``<i>``, ``<br>``, ``<a href>``, ``<span style>``...). Only ``&``, ``<``
  and ``>`` are escaped: plotly.js decodes ``&amp; &lt; &gt;`` and numeric references back to
  the characters (``svg_text_utils.convertEntities``) but not ``&quot;``, so the reader sees
  the original text, and no tag can start.

Escaping is the default: a value is treated as text unless it is ``Markup``, and ``Markup``
is only made from literals and from escaped parts. The places that must emit markup, and
why each is safe (``tests/test_escaping.py::test_markup_is_made_only_where_named`` checks
that no other module makes ``Markup``):

* ``workshop/markup.py`` (this module): the table elements (``<table>``, ``<th>``, ``<td>``,
  the ``<br>`` of a multi-line cell) around escaped cell texts.
* ``workshop/tables/base.py``: none of its own; ``Table._repr_html_`` (the notebooks'
  tables) and ``Table.html`` (the report's) go through :func:`table_html` (every cell
  escaped).
* ``workshop/report/parts.py``: the report's headings, paragraphs, cards, notes and table
  wrappers: fixed tags and class names written in the code, with every text escaped (plan
  texts, catalogue texts and model texts alike) by :func:`escape`.
* ``workshop/report/sections.py``: the sections built of those parts, plus the plan
  appendix's ``<pre>`` (the YAML escaped) and the summary's card row.
* ``workshop/room.py``: none of its own; its tables are ``tables.Table`` (a problems cell
  holds one problem per line, and :func:`table_html` turns the line breaks of an escaped
  cell into ``<br>``).
* ``workshop/charts/``: the builders' own label markup (``<b>``, ``<br>``, ``<extra>`` and
  ``%{...}`` placeholders in hover templates, the ``<br>`` of wrapped labels, bold tick
  labels and notes), written in the code or in ``workshop/locales/*/charts.yaml``; every
  text from a model or a plan (platform, asset and content labels, themes, reasons,
  holiday names, month labels, scenario and input labels) goes through :func:`plotly_text`
  first, and customdata shown by a ``%{customdata}`` placeholder is escaped the same way.

Not markup, and so not here: ``print()`` output and text/plain (the notebooks print
sentences), and the report's plotly JSON (``workshop.report`` embeds it with ``<``
escaped as ``\\u003c``).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = [
    "Markup",
    "escape",
    "text",
    "plotly_text",
    "plotly_texts",
    "rows_html",
    "table_html",
    "file_name",
]

#: What an empty or missing value reads as in a table or a label.
EMPTY = ""


class Markup(str):
    """HTML the toolkit built itself (or escaped text): shown as it is, never escaped again.

    ``Markup("<b>") + name`` escapes `name`; so do :meth:`join` and :meth:`format` for their
    arguments. A plain ``str`` is never trusted: make ``Markup`` only from literals in the
    code and from escaped parts.
    """

    __slots__ = ()

    def __html__(self) -> str:  # the convention of markupsafe, IPython and jinja2
        return str(self)

    def __add__(self, other: Any) -> Markup:
        if isinstance(other, str):
            return Markup(str.__add__(self, escape(other)))
        return NotImplemented

    def __radd__(self, other: Any) -> Markup:
        if isinstance(other, str):
            return Markup(str.__add__(escape(other), self))
        return NotImplemented

    def join(self, parts: Iterable[Any]) -> Markup:  # type: ignore[override]
        return Markup(str.join(self, (escape(p) for p in parts)))

    def format(self, *args: Any, **kwargs: Any) -> Markup:  # type: ignore[override]
        return Markup(
            str.format(
                self, *(escape(a) for a in args), **{k: escape(v) for k, v in kwargs.items()}
            )
        )

    def __repr__(self) -> str:
        return f"Markup({str.__repr__(self)})"


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def text(value: Any, empty: str = EMPTY) -> str:
    """`value` as display text: `empty` for None, NaN, ``pd.NA`` and ``NaT``; ``str`` else."""
    if isinstance(value, str):
        return value
    if _missing(value):
        return empty
    return str(value)


def escape(value: Any, empty: str = EMPTY) -> Markup:
    """`value` as HTML text: ``Markup`` unchanged, anything else escaped. None and NaN
    become `empty`.

    ``& < > " '`` are escaped as usual, and ``=`` too (``&#61;``): the text is then safe
    in any attribute value, quoted or not, and an escaped payload reads as no attribute
    even to a plain text search (issue 8's check, ``grep 'img src=x'``, finds nothing).
    Browsers show the same characters.
    """
    if isinstance(value, Markup):
        return value
    if hasattr(value, "__html__") and not isinstance(value, str):
        return Markup(value.__html__())
    return Markup(html.escape(text(value, empty), quote=True).replace("=", "&#61;"))


def _cell(value: Any, empty: str) -> Markup:
    """A table cell: escaped; the line breaks of a multi-line text kept as ``<br>``."""
    if isinstance(value, Markup):
        return value
    out = escape(value, empty)
    return Markup(out.replace("\r\n", "\n").replace("\n", "<br>")) if "\n" in out else out


def plotly_text(value: Any, empty: str = EMPTY) -> str:
    """`value` for a plotly label (trace name, text, hover text, customdata shown by a hover
    template, tick label, annotation, title): ``&``, ``<`` and ``>`` escaped, which plotly.js
    decodes back for the reader; ``Markup`` (the builders' own labels) unchanged."""
    if isinstance(value, Markup):
        return str(value)
    return html.escape(text(value, empty), quote=False)


def plotly_texts(values: Iterable[Any], empty: str = EMPTY) -> list[str]:
    """:func:`plotly_text` of each value."""
    return [plotly_text(v, empty) for v in values]


def _attrs(attrs: dict[str, Any] | None) -> str:
    """` name="value"` for each attribute; names come from the caller's code, values are
    escaped."""
    return "".join(f' {name}="{escape(value)}"' for name, value in (attrs or {}).items())


def rows_html(
    rows: Iterable[Any],
    headers: Iterable[Any],
    *,
    cell_attrs: Any = None,
    header_attrs: Any = None,
    caption: Any = "",
    table_attrs: dict[str, Any] | None = None,
    group_attrs: dict[str, Any] | None = None,
    empty: str = EMPTY,
) -> Markup:
    """An HTML table of `rows` (lists of cells) under `headers`; every header and cell is
    escaped unless it is :class:`Markup`.

    A row that is a plain string is a group heading spanning the table. `cell_attrs(i)` and
    `header_attrs(i)` give the attributes of column `i`'s cells and header (a dict, from
    fixed names in the caller's code); missing values (None, NaN) read as `empty`.
    """
    headers = list(headers)
    cell_attrs = cell_attrs or (lambda i: None)
    header_attrs = header_attrs or (lambda i: None)
    head = "".join(
        f"<th{_attrs(header_attrs(i))}>{_cell(h, empty)}</th>" for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        if isinstance(row, str):
            body.append(
                f'<tr{_attrs(group_attrs)}><th colspan="{len(headers)}">{_cell(row, empty)}</th></tr>'
            )
            continue
        cells = "".join(
            f"<td{_attrs(cell_attrs(i))}>{_cell(v, empty)}</td>" for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{_cell(caption, empty)}</caption>" if text(caption) else ""
    return Markup(
        f"<table{_attrs(table_attrs)}>{cap}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


#: Cell style of the notebook tables: text aligned left and top (JupyterLab aligns right).
CELL_STYLE = "text-align: left; vertical-align: top;"


def table_html(
    df: Any,
    *,
    index: bool = False,
    empty: str = EMPTY,
    table_attrs: dict[str, Any] | None = None,
    cell_style: str = CELL_STYLE,
) -> Markup:
    """A DataFrame as an HTML table: the column headers and every cell escaped unless it is
    :class:`Markup`, the index left out (unless `index`), missing values as `empty`.

    Numbers are written as ``str()`` gives them: the toolkit's tables format their numbers
    in the reader's language before they get here.
    """
    columns = [str(c) if not isinstance(c, Markup) else c for c in df.columns]
    rows = df.itertuples(index=False, name=None)
    if index:
        columns = [Markup("")] + columns
        rows = ([i, *r] for i, r in zip(df.index, df.itertuples(index=False, name=None)))
    style = {"style": cell_style} if cell_style else None
    return rows_html(
        rows,
        columns,
        cell_attrs=lambda i: style,
        header_attrs=lambda i: style,
        table_attrs={"class": "workshop-table", **(table_attrs or {})},
        empty=empty,
    )


_SEPARATORS = re.compile(r"[\\/]")


def file_name(path: Any, empty: str = EMPTY) -> str:
    """The last part of a file or folder path (``/home/an/plans/x.yaml`` → ``x.yaml``; a
    Windows path too), never the machine's folders: what a run-information table shows."""
    value = text(path, empty).rstrip("/\\")
    name = _SEPARATORS.split(value)[-1] if value else ""
    return name or empty
