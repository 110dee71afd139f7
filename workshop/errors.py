"""Errors a participant, facilitator or consultant can fix, with messages in the plan's language."""

from __future__ import annotations

from dataclasses import dataclass


class WorkshopError(Exception):
    """Base class for errors a person can fix (bad plan, missing file, bad option)."""


@dataclass(frozen=True)
class Problem:
    """One problem in a plan: where it is (a dotted field path) and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PlanError(WorkshopError):
    """A plan file that cannot be used; `problems` names every problem by field path."""

    def __init__(self, source: str, problems: list[Problem], language: str = "vi"):
        self.source = source
        self.problems = list(problems)
        self.language = language
        from workshop import i18n
        from workshop.plan import escape_unsafe

        # The source (a path) and the problems may quote the plan's own text: each line is
        # escaped so that a message printed to a terminal is one line per problem and never
        # carries a control sequence (defence in depth: plan.py quotes values with repr).
        header = i18n.t(
            "plan.error.header", language, source=escape_unsafe(source), count=len(self.problems)
        )
        lines = [header] + [f"  - {escape_unsafe(str(p))}" for p in self.problems]
        super().__init__("\n".join(lines))
