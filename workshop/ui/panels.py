"""The old module of the panels: only what tests/test_charts_figure.py still imports.

Removed once tests/test_charts_figure.py imports workshop.ui.base (``base._bundle``).
"""

from workshop.ui.base import _bundle

__all__ = ["_bundle"]
