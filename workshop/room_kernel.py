"""The room as a participant's kernel sees it: the Voilà pages served by ``workshop room``.

``workshop room`` (:mod:`workshop.room_server`) starts Voilà with the environment variable
``WORKSHOP_ROOM`` naming the room's folder; every kernel it starts inherits it, so the same
notebooks know they are served to a room (:func:`folder`) and behave as follows (outside a
room nothing here changes anything):

* **Each participant's plan is theirs.** A plan lives in ``<room>/plans/<id>.yaml`` where
  ``id`` is 22 characters of :func:`secrets.token_urlsafe` (128 bits: nobody guesses
  another participant's id). The id travels in the page's URL (``?p=<id>``), so nobody
  retypes a path; a page never lists the folder, and a participant's page can only read or
  write the plan its own URL names (:class:`RoomSession`). The business name is never part
  of a path.
* **Uploads** (:func:`accept_upload`): at most :data:`MAX_UPLOAD` bytes, validated by the
  plan schema (the same field-path messages as everywhere, in the page's language) before
  anything is written; a valid upload becomes a new plan under a new id.
* **Progress** (:func:`record_step`): the highest step a participant's page reached and
  when, in ``<room>/progress/<id>.json``, for the facilitator's live view.
* **Checkpoints** (:func:`checkpoint`): "start from the reference plan of this step" replaces
  the participant's plan by the room's reference plan (a bundled example in the room's
  language) under their own business name; the plan it replaces is kept beside it as
  ``<room>/backups/<id>.before-<step>.yaml``, so nothing is lost.
* **The facilitator's pages** need the facilitator secret in their URL (``?f=<secret>``),
  compared in the kernel with the hash ``workshop room`` stored (:func:`facilitator_ok`).

Participants cannot run code of their own: Voilà accepts only widget (comm) messages from
the browser and drops ``execute_request`` (tests/test_room_server.py proves it on a real
server).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import urllib.parse
from pathlib import Path
from typing import Any

from workshop import data, i18n
from workshop import plan as plan_mod
from workshop.errors import PlanError, Problem, WorkshopError
from workshop.session import SaveRefused, Session

#: The environment variable naming the room's folder (set by ``workshop room`` only).
ENV = "WORKSHOP_ROOM"
#: The file that marks a folder as a room made by ``workshop room``.
MARKER = ".workshop-room"
#: The room's settings (room code, the facilitator secret's hash), readable by its owner only.
SETTINGS = "room.json"
PLANS = "plans"
PROGRESS = "progress"
#: Plans replaced by a checkpoint (never read as plans of the room).
BACKUPS = "backups"
#: A participant's id: what :func:`new_id` makes, and nothing else.
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")
#: The largest plan file a participant may upload (a full example plan is about 6 KB).
MAX_UPLOAD = 64 * 1024
#: The participant's steps, in order: notebook file stems (the facilitator's 05 is not one).
STEPS = ("00-start", "01-platforms", "02-capacity", "03-schedule", "04-roi")
#: The reference plan of every step, per room language (a bundled example).
REFERENCE = {"vi": "demo-cafe", "en": "nordic-saas"}

_query_cache: dict[str, str] | None = None


def _t(key: str, language: str, **values: Any) -> str:
    return i18n.t(f"room.{key}", language, **values)


def folder() -> Path | None:
    """The room's folder when this kernel serves a room (``WORKSHOP_ROOM`` names a folder
    with the room marker), else None."""
    value = os.environ.get(ENV, "")
    if not value:
        return None
    path = Path(value)
    return path if (path / MARKER).is_file() else None


def active() -> bool:
    """True when this kernel serves a room page."""
    return folder() is not None


def query() -> dict[str, str]:
    """The page's query parameters (first value of each), read once per kernel.

    A pre-heated Voilà kernel runs the notebook before anyone opens the page; it learns
    its request here, waiting for it (``voila.utils.get_query_string``) when pre-heated.
    """
    global _query_cache
    if _query_cache is None:
        text = os.environ.get("QUERY_STRING", "")
        if os.environ.get("VOILA_PREHEAT", "False") != "False":
            from voila.utils import get_query_string

            text = get_query_string() or ""
        parsed = urllib.parse.parse_qs(text, keep_blank_values=True)
        _query_cache = {k: v[0] for k, v in parsed.items() if v}
    return _query_cache


def new_id() -> str:
    """A new participant id: 22 URL-safe characters, 128 random bits."""
    return secrets.token_urlsafe(16)


def valid_id(value: Any) -> bool:
    """True for a string shaped like :func:`new_id`'s ids (so never a path)."""
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def plan_file(room: Path, pid: str) -> Path:
    """``<room>/plans/<pid>.yaml`` for a valid id (ValueError otherwise)."""
    if not valid_id(pid):
        raise ValueError("not a participant id")
    return room / PLANS / f"{pid}.yaml"


def participant_id() -> str | None:
    """The id in this page's URL (``?p=``), when it is a valid id whose plan exists."""
    room = folder()
    pid = query().get("p", "")
    if room is None or not valid_id(pid) or not plan_file(room, pid).is_file():
        return None
    return pid


def step_url(step: str, pid: str | None = None, **extra: str) -> str:
    """The link to another page of the room, relative to the current page (Voilà serves
    every notebook at ``/voila/render/<name>.ipynb``), carrying the participant's id."""
    params = {"p": pid} if pid else {}
    params.update(extra)
    tail = f"?{urllib.parse.urlencode(params)}" if params else ""
    return f"{step}.ipynb{tail}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.write_text(json.dumps(value), encoding="utf-8")
    os.replace(tmp, path)


def record_step(room: Path, pid: str, step: int) -> None:
    """Note that participant `pid` reached `step` (0-4): the highest step stays."""
    path = room / PROGRESS / f"{pid}.json"
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        reached = max(int(old.get("step", 0)), step)
    except (OSError, ValueError, TypeError, AttributeError):
        reached = step
    _write_json(path, {"step": reached, "at": _now()})


def progress(room: Path) -> dict[str, dict[str, Any]]:
    """Every participant's progress: ``{id: {"step": int, "at": ISO time}}``."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((room / PROGRESS).glob("*.json")):
        if not valid_id(path.stem):
            continue
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
            out[path.stem] = {"step": int(value["step"]), "at": str(value.get("at", ""))}
        except (OSError, ValueError, TypeError, KeyError):
            continue
    return out


def _write_plan_text(room: Path, text: str) -> str:
    """Write a new plan file under a new id (created exclusively); return the id."""
    from workshop import start

    for _ in range(5):
        pid = new_id()
        try:
            start._write_new(plan_file(room, pid), text)
        except FileExistsError:  # pragma: no cover - 2**-128
            continue
        return pid
    raise WorkshopError("no free participant id")  # pragma: no cover


def create(room: Path, name: str, example: str, language: str) -> str:
    """A new participant's plan, from `example` ("" = a blank plan) under business `name`
    (validated by the plan schema: a bad name raises :class:`PlanError` naming
    ``client.name``); returns the new id."""
    from workshop import start

    text = start._participant_text(example, language, name, None)
    pid = _write_plan_text(room, text)
    record_step(room, pid, 0)
    return pid


def accept_upload(room: Path, content: bytes, language: str) -> str:
    """A plan file a participant uploaded, as a new plan under a new id (returned).

    Refused before anything is written, with :class:`PlanError` naming the field (in
    `language`), when it is larger than :data:`MAX_UPLOAD` or not a valid plan."""
    if len(content) > MAX_UPLOAD:
        problem = Problem("", _t("upload.too_big", language, size=len(content), limit=MAX_UPLOAD))
        raise PlanError("upload", [problem], language)
    plan = plan_mod.from_bytes(bytes(content), source="upload", language=language)
    pid = _write_plan_text(room, plan_mod.dumps(plan))
    record_step(room, pid, 0)
    return pid


def reference_plan(language: str, name: str) -> plan_mod.Plan:
    """The room's reference plan for `language` (:data:`REFERENCE`), under business `name`."""
    sources = {p.stem: p for p in data.example_plans()}
    plan = plan_mod.load(sources[REFERENCE[language]], language)
    client = plan.client.model_copy(update={"name": name or plan.client.name})
    return plan_mod.validate(
        plan_mod.to_dict(plan.model_copy(update={"client": client})), language=language
    )


def checkpoint(room: Path, pid: str, step: int, language: str) -> plan_mod.Plan:
    """Replace participant `pid`'s plan by the reference plan (their business name kept);
    the replaced file is kept as ``<room>/backups/<pid>.before-<step>.yaml``. Returns the plan."""
    path = plan_file(room, pid)
    try:
        name = plan_mod.load(path, language).client.name
    except (OSError, PlanError):
        name = ""
    plan = reference_plan(language, name)
    if path.is_file():
        backup = room / BACKUPS / f"{pid}.before-{step:02d}.yaml"
        backup.parent.mkdir(exist_ok=True)
        backup.write_bytes(path.read_bytes())
    plan_mod.save(plan, path)
    record_step(room, pid, step)
    return plan


def settings(room: Path) -> dict[str, Any]:
    """The room's settings (``room.json``)."""
    return json.loads((room / SETTINGS).read_text(encoding="utf-8"))


def secret_hash(secret: str) -> str:
    """How the facilitator secret is stored: its SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def facilitator_ok(room: Path | None = None, secret: str | None = None) -> bool:
    """True when `secret` (default: this page's ``?f=``) is the room's facilitator secret."""
    room = room or folder()
    if room is None:
        return False
    given = query().get("f", "") if secret is None else secret
    try:
        stored = str(settings(room)["facilitator_sha256"])
    except (OSError, ValueError, KeyError):
        return False
    return bool(given) and hmac.compare_digest(secret_hash(given), stored)


class RoomSession(Session):
    """A participant's session in a room: it reads and writes ``<room>/plans/<id>.yaml``
    only (any other target is refused, reason ``room``), and never notes a "current
    plan" (that file would be shared by the whole room)."""

    def __init__(self, room: Path, pid: str | None, language: str, facilitator: bool = False):
        self.room = room
        self.pid = pid
        path = plan_file(room, pid) if pid else None
        super().__init__(path, language, facilitator, plans_folder=room / PLANS)

    def adopt(self, pid: str) -> None:
        """Become participant `pid`'s session (after a create, an upload or a checkpoint)."""
        self.pid = pid
        self.source = self.path = plan_file(self.room, pid)
        self.set_plan(plan_mod.load(self.path, self.language), origin="room")

    def default_path(self) -> Path:
        return self.path or self.plans_folder / "-"

    def check_target(self, path: str | Path) -> tuple[Path, Path]:
        own = plan_file(self.room, self.pid) if self.pid else None
        if own is None or Path(str(path)).resolve() != own.resolve():
            raise SaveRefused(Path(str(path)), "room", self.plans_folder, self.language)
        return own, own.resolve()

    def save(self, path: str | Path | None = None) -> Path:
        meant, resolved = self.check_target(path if path else self.default_path())
        plan_mod.save(self.plan, resolved)
        return meant


def open_session(language: str, facilitator: bool = False, allow_new: bool = False) -> Session:
    """The page's session in a room: the plan the URL's ``?p=`` names. Without one (or a
    wrong one) the page still opens, on the schema's blank plan that cannot be saved
    (``pid`` None): notebook 00 (`allow_new`) makes the participant's plan from there, and
    the room bar of the other steps says to start from 00 (:func:`workshop.ui.room_bar`).
    Never an exception: Voilà would stop the page at the cell with a generic error."""
    room = folder()
    assert room is not None
    return RoomSession(room, participant_id(), language, facilitator)
