"""The output folder of a run: checked up front, locked for the whole run, cleaned up.

* ``--out`` is checked first (:func:`check_out`: a folder, or one that can be created, and
  writable: probed by creating a file), before any plan is read.
* One run per output folder: ``OUT/.workshop-report.lock`` is held (``flock``) for the whole
  run (:class:`OutputLock`); a second run into the same OUT stops at once, naming the other
  run's pid.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import stat
import time
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: OutputLock uses an exclusive lock file
    fcntl = None  # type: ignore[assignment]

from workshop import i18n
from workshop.report.guard import Guard, owner_gone, owner_info
from workshop.report.inputs import display_path, reason
from workshop.report.outdir import MAX_MARKER_BYTES, clean_stale

LOCK_NAME = ".workshop-report.lock"


def _probe_writable(folder: Path) -> OSError | None:
    """None if a file can be created, written and removed in `folder`, else the OSError.

    A real write, not ``os.access``: root passes every permission check, but not a
    read-only mount, a full disk or a quota."""
    probe = folder / f".workshop-probe-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        return exc
    try:
        os.write(fd, b"x")
        os.fsync(fd)
    except OSError as exc:
        return exc
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(probe)
    return None


def check_out(out: Path, language: str) -> str | None:
    """None if `out` can be the output folder, else a one-line message in `language`.

    `out` must be a folder we can write into (probed by :func:`_probe_writable`), or not
    exist yet with a writable folder as its nearest existing parent. Creates nothing.
    """
    shown = display_path(out)

    def cannot_create(reason: str) -> str:
        return i18n.t("report.cli.out_cannot_create", language, path=shown, reason=reason)

    try:
        st = os.stat(out)
    except FileNotFoundError:
        if os.path.islink(out):
            return cannot_create(os.strerror(errno.ENOENT))
        ancestor = Path(os.path.abspath(out)).parent
        while True:
            try:
                st = os.stat(ancestor)
                break
            except FileNotFoundError:
                if ancestor.parent == ancestor:
                    return cannot_create(os.strerror(errno.ENOENT))
                ancestor = ancestor.parent
            except OSError as exc:
                return cannot_create(reason(exc))
        if not stat.S_ISDIR(st.st_mode):
            return cannot_create(os.strerror(errno.ENOTDIR))
        err = _probe_writable(ancestor)
        return cannot_create(reason(err)) if err is not None else None
    except OSError as exc:  # ENOTDIR: a file on the way, ELOOP, EACCES...
        return cannot_create(reason(exc))
    if not stat.S_ISDIR(st.st_mode):
        return i18n.t("report.cli.out_not_folder", language, path=shown)
    err = _probe_writable(out)
    if err is not None:
        return i18n.t("report.cli.out_not_writable", language, path=shown, reason=reason(err))
    return None


class OutputBusy(Exception):
    """Another run holds the lock of the output folder `out`; `pid` is that run's, if known."""

    def __init__(self, out: Path, pid: int | None):
        super().__init__(f"{out} is locked by process {pid}")
        self.out = out
        self.pid = pid


class OutputLock:
    """``OUT/.workshop-report.lock``, held for the whole run: one `workshop report` at a time
    per output folder.

    With ``fcntl`` (Linux, macOS): ``flock(LOCK_EX | LOCK_NB)`` on the file, which the system
    releases when the process ends, even by SIGKILL; the holder writes its pid into it and
    removes it on release (a run that opened the old file checks, once locked, that the path
    still names it). Without ``fcntl``: the file is created exclusively (``O_EXCL``) with
    the holder's pid and start time, and taken over only when that process is gone.
    """

    def __init__(self, out: str | os.PathLike[str]):
        self.path = Path(out) / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`OutputBusy` at once (OSError if it cannot be made)."""
        if self.fd is not None:
            return
        if fcntl is not None:
            self._acquire_flock()
        else:
            self._acquire_exclusive()
        os.ftruncate(self.fd, 0)
        os.write(self.fd, json.dumps(owner_info()).encode("utf-8"))

    def _acquire_flock(self) -> None:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        for _ in range(50):
            fd = os.open(self.path, flags, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = self._holder_pid(fd)
                os.close(fd)
                raise OutputBusy(self.path.parent, pid) from None
            except BaseException:
                os.close(fd)
                raise
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path, follow_symlinks=False))
            except FileNotFoundError:
                same = False
            if same:
                self.fd = fd
                return
            os.close(fd)  # the holder removed it meanwhile: lock the new one
        raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN), str(self.path))

    def _acquire_exclusive(self) -> None:
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        for _ in range(50):
            try:
                self.fd = os.open(self.path, flags, 0o644)
                return
            except FileExistsError:
                info = self._read_info()
                if info is None:  # being written by its holder, or garbage: look again
                    time.sleep(0.02)
                    info = self._read_info()
                if info is not None and not owner_gone(info):
                    raise OutputBusy(self.path.parent, info.get("pid")) from None
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path)  # left by a run that was killed
        raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN), str(self.path))

    def _read_info(self, fd: int | None = None) -> dict[str, Any] | None:
        try:
            if fd is not None:
                raw = os.pread(fd, MAX_MARKER_BYTES, 0)
            else:
                with open(self.path, "rb") as fh:
                    raw = fh.read(MAX_MARKER_BYTES)
            info = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError):
            return None
        return info if isinstance(info, dict) else None

    def _holder_pid(self, fd: int) -> int | None:
        for _ in range(25):  # the holder writes its pid right after locking
            info = self._read_info(fd)
            if info is not None and isinstance(info.get("pid"), int):
                return info["pid"]
            time.sleep(0.02)
        return None

    def release(self) -> None:
        """Remove the lock file and let go of it (safe to call twice)."""
        fd, self.fd = self.fd, None
        if fd is None:
            return
        try:
            with contextlib.suppress(OSError):
                if os.path.samestat(os.fstat(fd), os.stat(self.path, follow_symlinks=False)):
                    os.unlink(self.path)
        finally:
            os.close(fd)


class OutputProblem(Exception):
    """The output folder cannot be used: `message` says why, for the person (exit 2)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def prepare_output(out: Path, language: str, guard: Guard | None = None) -> OutputLock:
    """Create `out` if needed, lock it (:class:`OutputLock`) and clean it up
    (:func:`clean_stale`); the lock is returned, held (and on the `guard`'s undo list).
    :class:`OutputProblem` if the folder cannot be created or locked, or another run holds
    it."""
    shown = display_path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputProblem(
            i18n.t("report.cli.out_cannot_create", language, path=shown, reason=reason(exc))
        ) from None
    lock = OutputLock(out)
    try:
        lock.acquire()
    except OutputBusy as exc:
        raise OutputProblem(
            i18n.t("report.cli.out_locked", language, path=shown, pid=exc.pid or "?")
        ) from None
    except OSError as exc:
        raise OutputProblem(
            i18n.t("report.cli.out_lock_failed", language, path=shown, reason=reason(exc))
        ) from None
    if guard is not None:
        guard.locks.append(lock)
    with contextlib.suppress(OSError):  # a clean-up that cannot finish never stops the run
        clean_stale(out)
    return lock
