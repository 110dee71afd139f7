"""Output folders ``workshop report`` owns, and the temporary folders it writes them through.

* **Folders the tool owns.** ``OUT/<id>/`` (and ``OUT/_failed/<id>/``) is replaced only if it
  is the tool's own: a real folder (not a link) holding a ``manifest.json`` written by
  ``workshop report`` (``"generator": "workshop"``, or the earlier format with
  ``toolkit_version``, ``client_id`` and ``files``) for that same client id, and nothing but
  the files that manifest lists (:func:`foreign_reason`). Anything else: the client is
  refused before any kernel starts (:func:`check_ownership`), and checked again at the last
  moment, after the old folder was moved aside (:func:`replace_folder`).
* **Temporary folders.** Everything is written into ``OUT/.tmp-<id>-<pid>-<8 hex>/report/``
  and renamed to ``OUT/<id>/``; a previous report is first moved into
  ``OUT/.old-<id>-<pid>-<8 hex>/previous/`` and deleted after the swap. Each temporary
  folder is private (0700) and holds a marker written first (:data:`STAGING_MARKER`: pid,
  process start time, host, toolkit version). :func:`clean_stale` removes a folder only if
  its name matches :data:`STAGING_NAME` exactly, it holds a valid marker and the process
  that wrote it is gone (same pid *and* start time, on this host); an orphaned ``.old-*``
  whose report is missing is restored. Anything else is left alone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import secrets
import shutil
import stat
from pathlib import Path
from typing import Any

from workshop import __version__, fsutil, i18n
from workshop import plan as plan_mod
from workshop.report.guard import (
    GENERATOR,
    HOST,
    Guard,
    kill_processes_using,
    owner_gone,
    process_started,
)
from workshop.report.inputs import ClientResult, PlanInput, display_path, reason

FAILED_DIR = "_failed"
TMP_PREFIX = ".tmp-"
OLD_PREFIX = ".old-"
MANIFEST = "manifest.json"
STAGING_MARKER = ".workshop-staging.json"
# .tmp-<client id>-<pid>-<8 hex> / .old-<client id>-<pid>-<8 hex>, matched in full
STAGING_NAME = re.compile(
    r"\.(?P<kind>tmp|old)-(?P<id>[a-z0-9][a-z0-9-]*)-(?P<pid>[0-9]{1,10})-(?P<token>[0-9a-f]{8})"
)
KERNELS_ID = "kernels"  # .tmp-kernels-<pid>-<8 hex>: a process's kernel files
PAYLOAD = "report"  # .tmp-*/report/ becomes OUT/<id>/
PREVIOUS = "previous"  # .old-*/previous/ is the report being replaced
MAX_MANIFEST_BYTES = 1_000_000
MAX_MARKER_BYTES = 4096
MAX_SHOWN_ENTRIES = 5


# --- Output folders the tool owns ------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Foreign:
    """Why a folder is not the tool's own. `reason`: ``link``, ``not_folder``,
    ``unreadable``, ``no_manifest``, ``other_client`` or ``unlisted``; `entries`: the names
    in it the tool does not know (sorted, printable); `detail`: the other client's id or
    the system's reason."""

    reason: str
    entries: list[str] = dataclasses.field(default_factory=list)
    detail: str = ""


class NotOurs(Exception):
    """`folder` would have been replaced or removed, but it is not the tool's (`why`)."""

    def __init__(self, folder: Path, client_id: str, why: Foreign):
        super().__init__(f"{folder}: {why.reason}")
        self.folder = folder
        self.client_id = client_id
        self.why = why


def read_json_file(path: Path, limit: int) -> Any:
    """The JSON in `path` if it is a regular file (not a link) of at most `limit` bytes,
    else None."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with open(path, "rb") as fh:
            return json.loads(fh.read(limit + 1).decode("utf-8"))
    except (OSError, ValueError):
        return None


def _tool_manifest(manifest: Any) -> bool:
    """A manifest written by this tool: ``"generator": "workshop"``, or the earlier format
    (``toolkit_version`` + ``client_id`` + ``files``); either way with a list of files."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        return False
    if manifest.get("generator") == GENERATOR:
        return True
    return isinstance(manifest.get("toolkit_version"), str) and "client_id" in manifest


def foreign_reason(folder: Path, client_id: str) -> Foreign | None:
    """None if `folder` may be replaced for client `client_id`: it does not exist, or it is
    a real folder (not a link) holding a ``manifest.json`` of this tool for that client and
    only regular files that manifest lists. Else why not (:class:`Foreign`)."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return Foreign("unreadable", detail=reason(exc))
    if stat.S_ISLNK(st.st_mode):
        return Foreign("link")
    if not stat.S_ISDIR(st.st_mode):
        return Foreign("not_folder")
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        return Foreign("unreadable", detail=reason(exc))
    shown = [display_path(n) for n in names]
    manifest = read_json_file(folder / MANIFEST, MAX_MANIFEST_BYTES)
    if not _tool_manifest(manifest):
        return Foreign("no_manifest", shown)
    if manifest.get("client_id") != client_id:
        return Foreign("other_client", shown, detail=display_path(str(manifest.get("client_id"))))
    listed = {MANIFEST} | {
        f["name"]
        for f in manifest["files"]
        if isinstance(f, dict) and isinstance(f.get("name"), str)
    }
    unknown = []
    for name in names:
        try:
            plain = stat.S_ISREG(os.lstat(folder / name).st_mode)
        except OSError:
            plain = False
        if name not in listed or not plain:
            unknown.append(display_path(name))
    return Foreign("unlisted", unknown) if unknown else None


def entries_text(entries: list[str], language: str) -> str:
    if not entries:
        return i18n.t("report.cli.no_entries", language)
    shown = ", ".join(f"'{e}'" for e in entries[:MAX_SHOWN_ENTRIES])
    more = len(entries) - MAX_SHOWN_ENTRIES
    return shown + (" " + i18n.t("report.cli.more_entries", language, n=more) if more > 0 else "")


def why_text(why: Foreign, language: str) -> str:
    return i18n.t(
        f"report.cli.why_{why.reason}",
        language,
        entries=entries_text(why.entries, language),
        other=why.detail,
        reason=why.detail,
    )


def refusal_message(path: str, client_id: str, why: Foreign, language: str) -> str:
    """One line, in `language`: the folder `path` is not the tool's (why, up to
    :data:`MAX_SHOWN_ENTRIES` entries named), it was left as it is, this client not built."""
    return i18n.t(
        "report.cli.refused", language, path=path, id=client_id, why=why_text(why, language)
    )


def check_ownership(
    inputs: list[PlanInput], out: Path
) -> tuple[list[PlanInput], list[ClientResult]]:
    """Split `inputs` into the clients whose ``out/<id>/`` and ``out/_failed/<id>/`` may be
    written (absent, or the tool's own) and a ``refused`` result for each of the others
    (also all of them if ``out/_failed`` itself is a link or not a folder)."""
    shown_out = display_path(out)
    failed_root = out / FAILED_DIR
    try:
        root_mode: int | None = os.lstat(failed_root).st_mode
    except FileNotFoundError:
        root_mode = None
    except OSError:
        root_mode = 0
    root_why = None
    if root_mode is not None and not stat.S_ISDIR(root_mode):
        root_why = Foreign("link" if stat.S_ISLNK(root_mode) else "not_folder")
    ok, refused = [], []
    for item in inputs:
        cid, lang = item.plan.client.id, item.plan.language
        message = None
        if root_why is not None:
            message = i18n.t(
                "report.cli.failed_root_unusable",
                lang,
                path=os.path.join(shown_out, FAILED_DIR),
                why=why_text(root_why, lang),
            )
        else:
            for folder, shown in (
                (out / cid, os.path.join(shown_out, cid)),
                (failed_root / cid, os.path.join(shown_out, FAILED_DIR, cid)),
            ):
                why = foreign_reason(folder, cid)
                if why is not None:
                    message = refusal_message(shown, cid, why, lang)
                    break
        if message is None:
            ok.append(item)
        else:
            refused.append(
                ClientResult(
                    plan_path=display_path(item.path),
                    client_id=cid,
                    client_name=item.plan.client.name,
                    language=lang,
                    status="refused",
                    error=message,
                    problems=[message],
                )
            )
    return ok, refused


def replace_folder(staged: Path, final: Path, client_id: str, guard: Guard | None = None) -> None:
    """Make the folder `staged` the folder `final` (renames only).

    An existing `final` must be the tool's own (:func:`foreign_reason`); it is moved into a
    new ``.old-<id>-...`` staging folder (as ``previous/``), checked *again* there (nobody
    can add to it by its name any more), and deleted after the swap; if it turned out not to
    be the tool's, it is put back as it was and :class:`NotOurs` is raised (`staged` stays).
    """
    if not os.path.lexists(final):
        os.rename(staged, final)
        return
    why = foreign_reason(final, client_id)
    if why is not None:
        raise NotOurs(final, client_id, why)

    def still_ours(aside: Path) -> None:  # nobody can add to it by its name any more
        again = foreign_reason(aside, client_id)
        if again is not None:
            raise NotOurs(final, client_id, again)

    with _critical(guard):  # a signal in here is handled once the folders are back in order
        old = new_staging(final.parent, "old", client_id, guard)
        try:
            fsutil.replace_dir_atomic(staged, final, old / PREVIOUS, check=still_ours)
        finally:
            _forget(guard, old)


def discard_folder(folder: Path, client_id: str, guard: Guard | None = None) -> Foreign | None:
    """Delete `folder` if it is the tool's own for `client_id` (moved aside and checked
    again first, like :func:`replace_folder`); else leave it and return why not."""
    if not os.path.lexists(folder):
        return None
    why = foreign_reason(folder, client_id)
    if why is not None:
        return why
    with _critical(guard):
        old = new_staging(folder.parent, "old", client_id, guard)
        aside = old / PREVIOUS
        try:
            try:
                os.rename(folder, aside)
            except FileNotFoundError:  # removed meanwhile
                return None
            why = foreign_reason(aside, client_id)
            if why is not None:
                os.rename(aside, folder)
        finally:
            _forget(guard, old)
    return why


def publish_report(
    payload: Path, out: Path, client_id: str, language: str, guard: Guard | None = None
) -> tuple[Path, list[str]]:
    """Make the finished folder `payload` the client's ``out/<id>/`` (flushed to disk first,
    swapped by :func:`replace_folder`), then remove an earlier failure's
    ``out/_failed/<id>/`` if it is the tool's. Returns the folder and the notes (in
    `language`) for a failure folder left in place. :class:`NotOurs` if ``out/<id>/`` is not
    the tool's (nothing changed)."""
    fsutil.fsync_tree(payload)
    final = out / client_id
    replace_folder(payload, final, client_id, guard)
    failed = out / FAILED_DIR / client_id
    why = discard_folder(failed, client_id, guard)
    if why is None:
        return final, []
    shown = display_path(failed)
    return final, [
        i18n.t("report.cli.failed_left", language, path=shown, why=why_text(why, language))
    ]


def publish_failed(payload: Path, out: Path, client_id: str, guard: Guard | None = None) -> Path:
    """Make a failed run's folder `payload` the client's ``out/_failed/<id>/`` (replacing an
    older one of the tool's). :class:`NotOurs` if ``out/_failed`` or that folder is not the
    tool's, OSError (e.g. a full disk) if it cannot be written."""
    fsutil.fsync_tree(payload)
    failed_root = out / FAILED_DIR
    with contextlib.suppress(FileExistsError):
        failed_root.mkdir()
    mode = os.lstat(failed_root).st_mode
    if not stat.S_ISDIR(mode):  # a link or a file: not ours
        why = Foreign("link" if stat.S_ISLNK(mode) else "not_folder")
        raise NotOurs(failed_root, client_id, why)
    final = failed_root / client_id
    replace_folder(payload, final, client_id, guard)
    return final


# --- Temporary folders: exact names and a marker -------------------------------------------


def write_staging_marker(
    folder: Path,
    kind: str,
    client_id: str,
    pid: int | None = None,
    started: float | None = None,
) -> None:
    """Write the marker :data:`STAGING_MARKER` into the new temporary `folder`: who made it
    (pid, that process's start time, against pid reuse), for which client, which toolkit.
    `pid`/`started` default to this process (the tests pass others)."""
    if pid is None:
        pid = os.getpid()
    if started is None and pid == os.getpid():
        started = process_started(pid)
    payload = {
        "generator": GENERATOR,
        "kind": kind,
        "client_id": client_id,
        "pid": pid,
        "process_started": started,
        "host": HOST,
        "toolkit_version": __version__,
    }
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(folder / STAGING_MARKER, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(payload, fh)


def new_staging(parent: Path, kind: str, client_id: str, guard: Guard | None = None) -> Path:
    """A new private (0700) folder ``parent/.<kind>-<client_id>-<pid>-<8 hex>`` whose first
    entry is its marker (:func:`write_staging_marker`). `kind`: ``tmp`` (a client's folder
    being built, or this process's kernel files) or ``old`` (a report being replaced).
    With a `guard`, the folder is on its undo list from the moment it exists."""
    with _critical(guard):
        path = parent / f".{kind}-{client_id}-{os.getpid()}-{secrets.token_hex(4)}"
        os.mkdir(path, 0o700)
        try:
            write_staging_marker(path, kind, client_id)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        if guard is not None:
            guard.folders.append(path)
    return path


def _critical(guard: Guard | None) -> Any:
    return guard.critical() if guard is not None else contextlib.nullcontext()


def _forget(guard: Guard | None, folder: Path) -> None:
    """Remove the temporary `folder` and take it off the guard's undo list."""
    fsutil.remove_tree(folder)
    if guard is not None and folder in guard.folders:
        guard.folders.remove(folder)


def staging_marker(folder: Path) -> dict[str, Any] | None:
    """The marker of `folder` if `folder` is one of ours: its name matches
    :data:`STAGING_NAME` in full, it is a real folder (not a link) and its marker agrees
    with its name (kind, client id, pid). Else None."""
    match = STAGING_NAME.fullmatch(folder.name)
    if match is None or not plan_mod.slug_ok(match["id"]):
        return None
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return None
    except OSError:
        return None
    marker = read_json_file(folder / STAGING_MARKER, MAX_MARKER_BYTES)
    if (
        not isinstance(marker, dict)
        or marker.get("generator") != GENERATOR
        or marker.get("kind") != match["kind"]
        or marker.get("client_id") != match["id"]
        or marker.get("pid") != int(match["pid"])
    ):
        return None
    return marker


def _restore_previous(old: Path, target: Path, client_id: str) -> bool:
    """A stale ``.old-*`` folder: put its ``previous/`` back as `target` if `target` is
    missing (a complete earlier folder, the run was killed mid-swap). True if `old` may now
    be deleted (nothing left in it that is not the tool's)."""
    previous = old / PREVIOUS
    if not os.path.lexists(previous):
        return True
    if not os.path.lexists(target):
        os.rename(previous, target)
        return True
    return foreign_reason(previous, client_id) is None  # a newer report is there


def clean_stale(out: Path) -> list[str]:
    """Remove the temporary folders a killed run left in `out` and ``out/_failed``.

    Only folders named exactly like ours (:data:`STAGING_NAME`), holding a valid marker
    (:func:`staging_marker`) whose process is gone (pid *and* start time) are touched: a
    folder whose owner still runs, or that only looks like ours, is left alone. An
    ``.old-<id>-...`` whose ``<id>`` folder is missing (killed between the two renames of a
    swap) gives its ``previous/`` back. The kernels still running on a dead process's kernel
    folder (a launched kernel notices its parent is gone only after a while, and would write
    its connection file again) are killed first. Returns the names removed or restored.
    """
    done: list[str] = []
    for parent in (out, out / FAILED_DIR):
        try:
            if not stat.S_ISDIR(os.lstat(parent).st_mode):
                continue
            with os.scandir(parent) as it:
                names = sorted(e.name for e in it)
        except OSError:
            continue
        for name in names:
            folder = parent / name
            marker = staging_marker(folder)
            if marker is None or not owner_gone(marker):
                continue
            if name.startswith(OLD_PREFIX) and not _restore_previous(
                folder, parent / marker["client_id"], marker["client_id"]
            ):
                continue
            if marker["client_id"] == KERNELS_ID:  # its kernels may outlive their worker
                kill_processes_using(folder)
            fsutil.remove_tree(folder)
            done.append(name)
    return done
