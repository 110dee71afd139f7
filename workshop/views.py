"""Moved: the notebook tables are :mod:`workshop.tables` (one table per result, shared by the
notebooks, the report, ``workshop summary`` and the room view).

Only :func:`table` and :class:`Table` stay here, for :func:`workshop.start.examples_table`
until it imports them from :mod:`workshop.tables`; then this module goes.
"""

from __future__ import annotations

from workshop.tables import Table, table

__all__ = ["Table", "table"]
