"""Atomic file and folder writes: a reader sees the old content or the new, never half of one.

* :func:`atomic_write`, :func:`write_bytes_atomic`, :func:`write_text_atomic`: the new
  content goes to a temporary file *in the same folder* (``.<name>.<16 hex>.tmp``: a rename
  is atomic only within one file system), is flushed to disk (``fsync``), gets the mode of
  the file it replaces (a new file: the usual ``0666 & ~umask``), then ``os.replace`` puts
  it in place. On any error (a full disk, an interrupt) the temporary file is removed and
  the target is left as it was.
* :func:`replace_dir_atomic`: a staged folder takes the place of another with renames only
  (the old one moved aside, checked, then the new one renamed in); put back on failure.
* :func:`fsync_tree`, :func:`fsync_dir`, :func:`remove_tree`: the helpers around them.

Used by ``workshop report`` (``workshop.report``); ``plan.save``, ``exports`` and ``start``
write the same way.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import time
from collections.abc import Callable
from pathlib import Path

TMP_SUFFIX = ".tmp"


def temp_name(path: Path) -> Path:
    """A fresh temporary name beside `path`: ``.<name>.<16 hex>.tmp``."""
    return path.with_name(f".{path.name}.{secrets.token_hex(8)}{TMP_SUFFIX}")


def _target_mode(path: Path) -> int | None:
    """The permission bits of the regular file `path` replaces, or None (a new file)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else None


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a new temporary file beside `path`, then move it over `path`.

    `write` creates the file itself (e.g. ``openpyxl``'s ``save``); it is then flushed to
    disk, given the mode of the file it replaces, and renamed over `path`. The temporary
    file is removed if anything fails. Returns `path`.
    """
    path = Path(path)
    tmp = temp_name(path)
    mode = _target_mode(path)
    try:
        write(tmp)
        fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            os.fsync(fd)
            if mode is not None:
                os.fchmod(fd, mode)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` atomically (temporary file, fsync, mode kept, ``os.replace``)."""

    def write(tmp: Path) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(tmp, flags, 0o666)  # the umask applies, as for open(path, "w")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)

    return atomic_write(path, write)


def write_text_atomic(
    path: str | os.PathLike[str], text: str, encoding: str = "utf-8", newline: str | None = None
) -> Path:
    """Write `text` to `path` atomically; `newline` as for :func:`open` (None: ``\\n`` as is,
    since the text is encoded here, not translated)."""
    raw = text if newline is None else text.replace("\n", newline)
    return write_bytes_atomic(path, raw.encode(encoding))


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Flush a folder's entries (a rename in it) to disk; a no-op where folders cannot be
    opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: str | os.PathLike[str]) -> None:
    """Flush every regular file directly in `folder`, and the folder itself, to disk: done
    before a rename makes the folder visible."""
    folder = Path(folder)
    for item in folder.iterdir():
        if stat.S_ISREG(item.lstat().st_mode):
            fd = os.open(item, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fsync_dir(folder)


def remove_tree(path: str | os.PathLike[str], attempts: int = 40) -> None:
    """``shutil.rmtree`` that also wins against a thread still writing files into it
    (tries again every 50 ms, `attempts` times); a missing `path` is fine."""
    for _ in range(attempts):
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            return
        time.sleep(0.05)


def replace_dir_atomic(
    staged: str | os.PathLike[str],
    final: str | os.PathLike[str],
    aside: str | os.PathLike[str],
    check: Callable[[Path], None] | None = None,
) -> bool:
    """Make the folder `staged` the folder `final`, with renames only.

    If `final` exists it is first renamed to `aside` (a path that must not exist, on the
    same file system), then ``check(aside)`` is called (it may raise to stop: `final` is
    renamed back and the exception propagates, `staged` stays), then `staged` is renamed to
    `final`; if that fails, `aside` is put back. Returns True if an old folder is now at
    `aside` (the caller deletes it), False if there was none. A reader of `final` sees the
    old folder or the new one; between the two renames, no folder.
    """
    staged, final, aside = Path(staged), Path(final), Path(aside)
    try:
        os.rename(final, aside)
    except FileNotFoundError:  # nothing to replace (or removed meanwhile)
        os.rename(staged, final)
        return False
    try:
        if check is not None:
            check(aside)
        os.rename(staged, final)
    except BaseException:
        os.rename(aside, final)
        raise
    fsync_dir(final.parent)
    return True
