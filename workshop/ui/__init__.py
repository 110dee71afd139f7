"""The widget layer of the live workshop (the only package that imports ipywidgets).

A notebook opens a :class:`workshop.session.Session` (``start.open_session``: the plan being
edited, its file, change listeners) and shows, under its static results, the panel of its
step: the ``*_panel`` functions below. Each panel re-calls the same model functions and
chart builders as the static cells and redraws in place; the rules every panel follows are
in :mod:`workshop.ui.base`.

==========================  ===========================================================
module                      what it holds
==========================  ===========================================================
:mod:`workshop.ui.base`     :class:`Panel` (controls, outputs, inline errors, guarded
                            callbacks, charts drawn through ``Figure.bundle``),
                            :class:`SavePanel`, the HTML helpers
:mod:`workshop.ui.platforms`  step 1: traits → asset fit, the chosen platforms
:mod:`workshop.ui.capacity`   step 2: hours, people, skills → verdict, recommendation
:mod:`workshop.ui.schedule`   step 3: communication and editorial plans, calendar, exports
:mod:`workshop.ui.roi`        step 4: ROI sliders → break-even, scenarios, tornado
:mod:`workshop.ui.quizzes`    self-checks and facilitator notes
:mod:`workshop.ui.start`      notebook 00: create or continue a plan file
:mod:`workshop.ui.room`       a room's pages: start, the bar of steps, download, checkpoint
:mod:`workshop.ui.room_view`  the facilitator's live view of a room (notebook 05)
==========================  ===========================================================
"""

from workshop.session import Session
from workshop.ui.base import Panel, SavePanel, save_panel
from workshop.ui.capacity import CapacityPanel, capacity_panel
from workshop.ui.platforms import PlatformsPanel, platforms_panel
from workshop.ui.quizzes import SelfCheck, facilitator_note, self_check
from workshop.ui.roi import RoiPanel, roi_panel
from workshop.ui.room import RoomBar, RoomStartPanel, room_bar
from workshop.ui.room_view import RoomView, room_view
from workshop.ui.schedule import SchedulePanel, schedule_panel
from workshop.ui.start import StartPanel, start_panel

__all__ = [
    "CapacityPanel",
    "Panel",
    "PlatformsPanel",
    "RoiPanel",
    "RoomBar",
    "RoomStartPanel",
    "RoomView",
    "SavePanel",
    "SchedulePanel",
    "SelfCheck",
    "Session",
    "StartPanel",
    "capacity_panel",
    "facilitator_note",
    "platforms_panel",
    "roi_panel",
    "room_bar",
    "room_view",
    "save_panel",
    "schedule_panel",
    "self_check",
    "start_panel",
]
