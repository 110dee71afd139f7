"""The notebooks' old import path of the quiz widgets and the start panel.

Removed once the notebooks import workshop.ui directly (``from workshop.ui import
facilitator_note, self_check, start_panel``).
"""

from workshop.ui.quizzes import SelfCheck, facilitator_note, self_check
from workshop.ui.start import StartPanel, start_panel

__all__ = ["SelfCheck", "StartPanel", "facilitator_note", "self_check", "start_panel"]
