"""The table type of :mod:`workshop.tables` (:class:`Table`, made by :func:`table`) and the
one formatter of each kind of value: :func:`fmt_hours`, :func:`fmt_pct`,
:func:`platform_name`, :data:`DASH` for a missing value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from workshop import i18n, markup
from workshop import plan as plan_mod

CHECK, CROSS, DASH = "✓", "✗", "—"
#: Cell style of the notebook tables: text aligned left and top (JupyterLab aligns right).
_STYLE = {"style": markup.CELL_STYLE}
_REPORT = {"num": {"class": "num"}, "long": {"class": "ws-long"}, "group": {"class": "ws-group"}}


# --- one formatter per kind of value ----------------------------------------------------------


def fmt_hours(value: float, language: str) -> str:
    """Hours: one decimal, none for a whole number ("12", "12,5")."""
    value = round(float(value), 1)
    return i18n.fmt_number(value, language, 0 if value == int(value) else 1)


def fmt_pct(value: float | None, language: str) -> str:
    """A return or a share as a whole percentage ("125%"); "∞" when infinite, "—" missing."""
    if value is None or pd.isna(value):
        return DASH
    return "∞" if math.isinf(value) else i18n.fmt_percent(value, language, 0)


def platform_name(pid: str, language: str) -> str:
    """A platform's short name in a table ("Zalo OA"; the charts name it the same)."""
    return i18n.label("channel", pid, language)


def names(kind: str, values: Iterable[str], language: str, empty: str = DASH) -> str:
    """The labels of vocabulary `values` of `kind`, comma-separated (`empty` when none)."""
    return ", ".join(i18n.label(kind, v, language) for v in values) or empty


# --- the table type -----------------------------------------------------------------------------


class Table(pd.DataFrame):
    """A DataFrame for people: translated headers, formatted values, shown without the index.

    Metadata for presenters: :attr:`ids` (header → column id, see :meth:`select`),
    :attr:`numeric` and :attr:`long` (ids of number columns, aligned right in the report,
    and of long texts that may break anywhere), :attr:`caption`, and :attr:`group` (the id
    of a column shown as a heading row wherever its value changes, not as a column).
    """

    _metadata = ["ids", "numeric", "long", "caption", "group"]
    ids: dict[str, str] = {}
    numeric: frozenset[str] = frozenset()
    long: frozenset[str] = frozenset()
    caption: str = ""
    group: str | None = None

    @property
    def _constructor(self):
        return Table

    def select(self, *ids: str) -> Table:
        """The columns `ids`, in that order, with their metadata."""
        headers = {k: h for h, k in self.ids.items()}
        out = Table(pd.DataFrame(self)[[headers[k] for k in ids]])
        out.ids = {headers[k]: k for k in ids}
        out.numeric, out.long = self.numeric & set(ids), self.long & set(ids)
        out.caption, out.group = self.caption, self.group if self.group in ids else None
        return out

    def shown(self) -> tuple[list[str], list[Any]]:
        """``(headers, rows)`` as people see them: missing values as "—", and with a group
        column, a heading row (a string) wherever its value changes."""
        df = pd.DataFrame(self).astype(object).where(self.notna(), DASH)
        if self.group is None:
            return [str(c) for c in df.columns], df.values.tolist()
        header = next(h for h, k in self.ids.items() if k == self.group)
        rows, current = [], None
        for group, row in zip(df[header], df.drop(columns=[header]).values.tolist(), strict=True):
            if group != current:
                rows.append(str(group))
                current = group
            rows.append(row)
        return [str(c) for c in df.columns if c != header], rows

    def html(self, report: bool = False) -> markup.Markup:
        """The table as HTML, every header and cell escaped (:func:`markup.rows_html`):
        for a notebook (inline styles) or, when `report`, with the report's CSS classes."""
        headers, rows = self.shown()
        kinds = [self.ids.get(h, h) for h in headers]
        if report:
            num, long = _REPORT["num"], _REPORT["long"]

            def cell(i: int) -> dict | None:
                return num if kinds[i] in self.numeric else long if kinds[i] in self.long else None

            return markup.rows_html(
                rows,
                headers,
                cell_attrs=cell,
                header_attrs=lambda i: num if kinds[i] in self.numeric else None,
                caption=self.caption,
                group_attrs=_REPORT["group"],
                empty=DASH,
            )
        return markup.rows_html(
            rows,
            headers,
            cell_attrs=lambda i: _STYLE,
            header_attrs=lambda i: _STYLE,
            caption=self.caption,
            table_attrs={"class": "workshop-table"},
            group_attrs=_STYLE,
            empty=DASH,
        )

    def _repr_html_(self) -> str:
        return str(self.html())

    def to_text(self, width: int = 48) -> str:
        """The table for a terminal: a header line and one line per row (a group heading on
        a line of its own), text aligned left and numbers right, each cell cut at `width`
        characters, every control character made visible (:func:`workshop.plan.one_line`)."""
        headers, rows = self.shown()

        def cut(value: Any) -> str:
            text = plan_mod.one_line(str(value))
            return text if len(text) <= width else text[: width - 1] + "…"

        cells = [[cut(v) for v in headers]] + [
            [cut(v) for v in r] for r in rows if not isinstance(r, str)
        ]
        widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
        right = [self.ids.get(h, h) in self.numeric for h in headers]

        def line(row: list[str]) -> str:
            padded = (
                v.rjust(w) if r else v.ljust(w) for v, w, r in zip(row, widths, right, strict=True)
            )
            return "  ".join(padded).rstrip()

        body, data_rows = [line(cells[0])], iter(cells[1:])
        for r in rows:
            body.append(cut(r) if isinstance(r, str) else line(next(data_rows)))
        return "\n".join(body)

    def __repr__(self) -> str:
        return self.to_text() if len(self) else super().__repr__()


def table(
    df: pd.DataFrame | Sequence[Sequence[Any]],
    ids: Sequence[str] | None = None,
    language: str = "",
    *,
    prefix: str = "view.col",
    numeric: Iterable[str] = (),
    long: Iterable[str] = (),
    caption: str = "",
    group: str | None = None,
    **header_values: Any,
) -> Table:
    """A :class:`Table` of `df` (a DataFrame, or rows). With `ids` (column ids), the
    headers are the catalogue's ``<prefix>.<id>`` in `language` (`header_values` fill
    their placeholders); without, the DataFrame's own headers are kept."""
    if ids is None:
        out = Table(pd.DataFrame(df))
        out.ids = {str(c): str(c) for c in out.columns}
    else:
        headers = [i18n.t(f"{prefix}.{k}", language, **header_values) for k in ids]
        out = Table(pd.DataFrame(list(df), columns=range(len(ids))))
        out.columns = headers
        out.ids = dict(zip(headers, ids, strict=True))
    out.numeric, out.long = frozenset(numeric), frozenset(long)
    out.caption, out.group = caption, group
    return out
