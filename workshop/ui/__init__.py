"""The widget layer of the live workshop (the only package that imports ipywidgets).

``Session`` (:mod:`workshop.session`) holds the plan being edited; the ``*_panel`` functions build the panels the
notebooks show under their static results. See :mod:`workshop.ui.panels`.
"""

from workshop.session import Session
from workshop.ui.panels import (
    CapacityPanel,
    Panel,
    PlatformsPanel,
    RoiPanel,
    SavePanel,
    SchedulePanel,
    capacity_panel,
    platforms_panel,
    roi_panel,
    save_panel,
    schedule_panel,
)

__all__ = [
    "CapacityPanel",
    "Panel",
    "PlatformsPanel",
    "RoiPanel",
    "SavePanel",
    "SchedulePanel",
    "Session",
    "capacity_panel",
    "platforms_panel",
    "roi_panel",
    "save_panel",
    "schedule_panel",
]
