"""The live workshop's state: one plan being edited, the file it belongs to, and who to tell
when it changes (no widget code here).

A notebook opens one :class:`Session` (:func:`workshop.start.open_session`) and builds its
panels from it (:mod:`workshop.ui`). Every panel writes through :meth:`Session.update`, which
validates the whole plan again and tells every listener (:meth:`Session.on_change`), so the
panels of one notebook stay in step, and :meth:`Session.save` writes what every panel
changed.

Where a session writes (the trust rule of the save panel, issue 8): only plan files inside
its *plans folder* (:func:`plans_folder_for`); never a bundled example, never a file that is
not a plan (:meth:`Session.check_target`, :class:`SaveRefused`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from workshop import data, fsutil, i18n
from workshop import plan as plan_mod
from workshop.errors import PlanError, Problem, WorkshopError
from workshop.plan import Client, Plan

#: The name of a plans folder: where participants' plan files live, beside the notebooks.
PLANS_FOLDER = "plans"
#: In a plans folder: the file name of the plan saved last (``plan_path: ""`` continues it)
CURRENT_FILE = ".current-plan"
#: The file name endings of a plan file.
PLAN_SUFFIXES = (".yaml", ".yml")


def _t(key: str, language: str, **values: Any) -> str:
    return i18n.t(f"ui.{key}", language, **values)


class SaveRefused(WorkshopError):
    """A file :meth:`Session.save` will not write: ``path`` (as the participant meant it),
    ``reason`` (``example`` | ``outside`` | ``suffix`` | ``not_file`` | ``not_plan``),
    ``folder`` (the session's plans folder); the message is translated and names both."""

    def __init__(self, path: Path, reason: str, folder: Path, language: str):
        self.path = path
        self.reason = reason
        self.folder = folder
        why = _t(f"save.refused.{reason}", language, folder=str(folder))
        super().__init__(_t("save.refused", language, path=str(path), reason=why))


def plans_folder_for(plan_path: str | Path | None, folder: str | Path | None = None) -> Path:
    """The folder a session may save into (its *plans folder*).

    `folder` when given; else the folder of `plan_path` when that file sits in a folder
    named ``plans`` (a participant's own plan, or a room's plans folder, wherever it is);
    else ``plans/`` beside the notebook (relative to the working folder: the notebook's
    own folder in JupyterLab, papermill's ``cwd``). A bundled example is never in a plans
    folder: its working copy goes to ``plans/``.
    """
    if folder is not None:
        return Path(folder)
    if plan_path:
        path = Path(plan_path)
        try:
            parent = path.resolve().parent
        except (OSError, RuntimeError):
            parent = None
        if parent is not None and parent.name == PLANS_FOLDER:
            return path.parent if str(path.parent) not in ("", ".") else parent
    return Path(PLANS_FOLDER)


def _bundled_examples() -> set[Path]:
    try:
        return {p.resolve() for p in data.example_plans()}
    except OSError:
        return set()


def _resolved(path: Path) -> Path | None:
    """`path` from the working folder, symlinks resolved (None: a symlink loop)."""
    try:
        return (Path.cwd() / path).resolve()
    except (OSError, RuntimeError):
        return None


class Session:
    """The plan being edited in a notebook, the file it belongs to, and change listeners.

    ``Session(plan_path, language)`` loads the plan file (a :class:`PlanError` names every
    problem of an invalid file, before any widget is built). A path that does not exist
    yet, or ``None``, starts from a fresh default :class:`~workshop.plan.Plan` in
    `language`; :meth:`save` then creates the file. ``facilitator=True`` shows tracebacks
    of unexpected errors in the panels' log (participants only see a short message).

    Where it writes (the trust rule of the save panel): only plan files inside its
    :attr:`plans_folder` (see :func:`plans_folder_for`). :attr:`source` is the file the
    plan was read from; :attr:`path` the file :meth:`save` writes by default: the source
    itself when it is in the plans folder, else a working copy ``<plans folder>/<file
    name>`` (a bundled example, or a plan kept elsewhere, is never written), and for a
    fresh plan ``<plans folder>/<client id>.yaml``. :meth:`check_target` says which files
    :meth:`save` accepts.
    """

    def __init__(
        self,
        plan_path: str | Path | None = None,
        language: str = "vi",
        facilitator: bool = False,
        plans_folder: str | Path | None = None,
    ):
        if language not in i18n.LANGUAGES:
            raise ValueError(f"language must be one of {i18n.LANGUAGES}, not {language!r}")
        self.language = language
        self.facilitator = bool(facilitator)
        self.source: Path | None = Path(plan_path) if plan_path else None
        self.plans_folder: Path = plans_folder_for(self.source, plans_folder)
        if self.source is not None and self.source.exists():
            self.plan: Plan = plan_mod.load(self.source, language)
        else:
            self.plan = Plan(client=Client(language=language))
        self.path: Path | None = self._home(self.source)
        self._listeners: list[Callable[[Session], None]] = []
        self.origin: object | None = None  # who made the last change
        self.version = 0  # increases with every accepted change

    def _home(self, source: Path | None) -> Path | None:
        """The default save target for a plan read from `source` (None: from the id)."""
        if source is None:
            return None
        resolved = _resolved(source)
        if (
            resolved is not None
            and resolved.is_relative_to(self._root())
            and resolved not in _bundled_examples()
        ):
            return source
        name = source.name if source.suffix.lower() in PLAN_SUFFIXES else f"{source.stem}.yaml"
        return self.plans_folder / name

    def _root(self) -> Path:
        return (Path.cwd() / self.plans_folder).resolve()

    # --- listeners
    def on_change(self, callback: Callable[[Session], None]) -> Callable[[Session], None]:
        """Call ``callback(session)`` after every accepted change; returns the callback."""
        self._listeners.append(callback)
        return callback

    def _notify(self) -> None:
        for callback in list(self._listeners):
            callback(self)

    # --- changes
    def update(
        self, changes: Mapping[str, Any] | None = None, /, *, origin: object = None, **dotted: Any
    ) -> list[Problem]:
        """Apply changes given by dotted field paths and return the problems (empty = done).

        ``session.update({"team.hours_per_week": 12})`` or
        ``session.update(**{"roi.starting_followers.facebook": 500})``. The whole plan is
        validated again (schema and cross-field checks); a refused change leaves the plan
        untouched and comes back as translated :class:`~workshop.errors.Problem` items,
        in the session's language. Nothing here raises for a bad value.
        """
        all_changes = {**(changes or {}), **dotted}
        raw = plan_mod.to_dict(self.plan)
        for key, value in all_changes.items():
            try:
                set_dotted(raw, key, value)
            except (KeyError, IndexError, TypeError, ValueError):
                return [Problem(key, _t("error.unknown_field", self.language, field=key))]
        try:
            new = plan_mod.validate(raw, source="plan", language=self.language)
        except PlanError as exc:
            return self._problems_in_language(raw, exc)
        self.set_plan(new, origin=origin)
        return []

    def _problems_in_language(self, raw: dict, exc: PlanError) -> list[Problem]:
        """The problems of `exc` in the session's language (validation names them in the
        plan's own language; a UI in the other language validates a copy again)."""
        if exc.language == self.language:
            return exc.problems
        client = raw.get("client")
        if isinstance(client, dict):
            client = {**client, "language": self.language}
            try:
                plan_mod.validate({**raw, "client": client}, language=self.language)
            except PlanError as again:
                return again.problems
        return exc.problems

    def set_plan(self, new: Plan, origin: object = None) -> None:
        """Replace the plan (already validated) and notify the listeners."""
        self.plan = new
        self.origin = origin
        self.version += 1
        self._notify()

    # --- files
    def default_path(self) -> Path:
        """Where the plan is saved: :attr:`path`, else ``<plans folder>/<client id>.yaml``."""
        return self.path or self.plans_folder / f"{self.plan.client.id}.yaml"

    def export_path(self, suffix: str) -> Path:
        """A file next to the plan file: ``<plan stem><suffix>`` (e.g. "-calendar.csv")."""
        base = self.default_path()
        return base.with_name(f"{base.stem}{suffix}")

    def check_target(self, path: str | Path) -> tuple[Path, Path]:
        """``(path as meant, resolved path)`` of a file :meth:`save` may write, else
        :class:`SaveRefused` naming the path and the reason.

        A bare file name (``mine.yaml``) means a file of the plans folder; any other path
        is relative to the working folder. The target, symlinks resolved, must: not be a
        bundled example (``example``); lie inside the plans folder (``outside``); end in
        .yaml or .yml (``suffix``); and either not exist yet, or be a regular file
        (``not_file``) that loads as a valid plan (``not_plan``): a README, a script or a
        YAML file that is not a plan is never overwritten.
        """
        text = str(path).strip()
        meant = Path(text)
        if "/" not in text and os.sep not in text and text not in ("", ".", ".."):
            meant = self.plans_folder / text
        resolved = _resolved(meant)
        reason = self._refusal(resolved)
        if reason or resolved is None:
            raise SaveRefused(meant, reason or "outside", self.plans_folder, self.language)
        return meant, resolved

    def _refusal(self, resolved: Path | None) -> str:
        """Why :meth:`save` must not write `resolved` ("" = it may)."""
        root = self._root()
        if resolved is None:  # a symlink loop
            return "outside"
        if resolved in _bundled_examples():
            return "example"
        if not resolved.is_relative_to(root):
            return "outside"
        if resolved == root or resolved.suffix.lower() not in PLAN_SUFFIXES:
            return "suffix"
        if not os.path.lexists(resolved):
            return ""
        if not resolved.is_file():
            return "not_file"
        try:
            plan_mod.load(resolved, self.language)
        except PlanError:
            return "not_plan"
        return ""

    def save(self, path: str | Path | None = None) -> Path:
        """Write the plan to `path` (default :meth:`default_path`) and remember it; returns
        the path as meant (e.g. ``plans/mine.yaml``).

        Only a target :meth:`check_target` accepts is written (:class:`SaveRefused`
        otherwise, nothing written); the write is atomic (:func:`workshop.plan.save`).
        """
        meant, resolved = self.check_target(path if path else self.default_path())
        plan_mod.save(self.plan, resolved)
        self.path = meant
        remember_current(resolved)
        return meant


def remember_current(path: str | Path) -> None:
    """Note `path` (a plan file in a plans folder) as the folder's current plan: the next
    notebook opened with ``plan_path = ""`` continues it (:func:`current_plan`). Only the
    file name is kept, in ``<folder>/.current-plan``, written atomically."""
    path = Path(path)
    fsutil.write_text_atomic(path.parent / CURRENT_FILE, path.name + "\n")


def current_plan(folder: str | Path = PLANS_FOLDER) -> Path | None:
    """The plan saved last in `folder` (see :func:`remember_current`), or None when there is
    none, or when the note names anything but an existing plan file of that folder."""
    note = Path(folder) / CURRENT_FILE
    try:
        name = note.read_text(encoding="utf-8")[:300].strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not name or Path(name).name != name or not name.endswith(PLAN_SUFFIXES):
        return None
    path = Path(folder) / name
    return path if path.is_file() and not path.is_symlink() else None


def set_dotted(raw: dict, dotted: str, value: Any) -> None:
    """Set ``raw[a][b][0][c] = value`` for ``dotted = "a.b.0.c"``.

    A missing dict key on the way raises KeyError (no field is invented), a ``None`` on
    the way becomes ``{}`` (an optional section being filled in), the last key is created;
    a list index that is not a number raises ValueError, one out of range IndexError.
    """
    parts = dotted.split(".")
    node: Any = raw
    for part in parts[:-1]:
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                raise KeyError(part)
            if node[part] is None:
                node[part] = {}
            node = node[part]
        else:
            raise TypeError(dotted)
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise TypeError(dotted)
