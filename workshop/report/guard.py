"""What a process of ``workshop report`` must undo when it is stopped, in one object.

A :class:`Guard` belongs to one process (the CLI building a single plan, a batch worker, a
Dask worker, the CLI writing what Dask workers send back); nothing of it crosses a process
boundary. It records the temporary folders being written, the kernels not yet shut down,
the process's kernel folder and the output locks held, so that a signal handler (or the
parent-death watcher of a worker) can kill the kernels, remove those folders and release the
locks. Short *critical* sections (a folder created but not yet recorded, a thread started
but not yet known, the renames of a swap) make a signal wait until they end.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil

from workshop import __version__, fsutil

GENERATOR = "workshop"  # manifests and markers: written by `workshop report`
START_TIME_TOLERANCE_S = 1.0  # /proc/stat's boot time may move by a second
HOST = socket.gethostname()


def kill_children() -> None:
    """Kill every descendant of this process (its kernels, a fork-server), best effort."""
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.kill()


def process_started(pid: int) -> float | None:
    """The start time of process `pid` (psutil), or None if unknown."""
    try:
        return float(psutil.Process(pid).create_time())
    except psutil.Error:
        return None


def owner_gone(info: dict[str, Any]) -> bool:
    """True if the process that wrote `info` (``pid`` + ``process_started``) has ended:
    no such pid, a zombie, or a pid now used by a process started at another time
    (never for a marker written on another host)."""
    pid = info.get("pid")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False  # cannot tell: keep
    if info.get("host", HOST) != HOST:
        return False  # written on another machine (a shared folder): cannot tell, keep
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return True
        created = proc.create_time()
    except psutil.Error:  # NoSuchProcess and friends
        return not _pid_alive(pid)
    started = info.get("process_started")
    if isinstance(started, (int, float)) and not isinstance(started, bool):
        return abs(created - float(started)) > START_TIME_TOLERANCE_S  # pid reused
    return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def owner_info() -> dict[str, Any]:
    """Who this process is, for a lock file: pid, start time, host, toolkit version."""
    return {
        "generator": GENERATOR,
        "pid": os.getpid(),
        "process_started": process_started(os.getpid()),
        "host": HOST,
        "toolkit_version": __version__,
    }


def kill_processes_using(folder: Path) -> None:
    """Kill the processes whose command line names a file in `folder` (the kernels
    started on connection files there), best effort."""
    mark = str(folder) + os.sep
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if proc.pid != os.getpid() and any(mark in arg for arg in proc.info["cmdline"] or []):
                proc.kill()
        except psutil.Error:
            pass


class Guard:
    """The undo list of this process, and the critical sections signals wait for."""

    def __init__(self) -> None:
        self.folders: list[Path] = []  # temporary folders being written (removed on undo)
        self.kernels: set[Any] = set()  # WarmKernels not shut down (their files removed)
        self.locks: list[Any] = []  # OutputLocks held (released)
        self.kernel_dir: Path | None = None  # this process's kernel folder (removed)
        self.redirect: Any = None  # a StderrToFile in force (fd 2 given back first)
        self._depth = 0
        self._pending: Callable[[], None] | None = None

    @contextlib.contextmanager
    def critical(self) -> Iterator[None]:
        """A section a SIGINT/SIGTERM must not cut in two: a handler made by
        :meth:`deferrable` runs at the end of the section instead."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth and self._pending is not None:
                action, self._pending = self._pending, None
                action()

    def deferrable(self, action: Callable[[int], None]) -> Callable[[int, Any], None]:
        """A signal handler that runs ``action(signum)`` now, or at the end of the current
        :meth:`critical` section."""

        def handler(signum: int, _frame: Any) -> None:
            if self._depth:
                self._pending = lambda: action(signum)
            else:
                action(signum)

        return handler

    def install(self, action: Callable[[int], None]) -> dict[int, Any]:
        """Handle SIGINT and SIGTERM with ``action(signum)`` (deferred in critical sections);
        returns the previous handlers for :meth:`restore` (none outside the main thread)."""
        previous = {}
        handler = self.deferrable(action)
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
                previous[signum] = signal.signal(signum, handler)
        return previous

    @staticmethod
    def restore(previous: dict[int, Any]) -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    def close_kernel_dir(self) -> None:
        """Remove this process's kernel folder (its kernels are shut down first)."""
        folder, self.kernel_dir = self.kernel_dir, None
        if folder is not None:
            fsutil.remove_tree(folder)

    def remove_folders(self) -> None:
        """Remove the temporary folders on the undo list."""
        for folder in list(self.folders):
            fsutil.remove_tree(folder)
        self.folders.clear()

    def undo(self) -> None:
        """On the way out (a signal, the parent gone): kill this process's kernels, remove
        its temporary folders, kernel files and kernel folder, release its output locks."""
        redirect, self.redirect = self.redirect, None
        if redirect is not None:
            redirect.restore()
        kill_children()
        self.remove_folders()
        for kernel in list(self.kernels):
            kernel.forget_files()
        self.close_kernel_dir()
        while self.locks:
            self.locks.pop().release()
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
