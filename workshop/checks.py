"""The old name of :mod:`workshop.quizzes` (the self-check quizzes and facilitator notes).

Removed once tests/test_notebooks.py and tests/test_room.py import workshop.quizzes.
"""

from workshop.quizzes import CHECKS, NOTEBOOKS, NOTES, checks_for, note_html, note_text, notes_for

__all__ = ["CHECKS", "NOTEBOOKS", "NOTES", "checks_for", "note_html", "note_text", "notes_for"]
