"""Per-client reports: validate plans, run the report template with papermill, export files.

``workshop report PLAN_OR_FOLDER... [--out DIR] [--jobs N] [--pdf]`` ends in :func:`run_cli`;
``workshop validate PLAN...`` in :func:`validate_cli`.

For each valid plan, a worker process (or, for a single plan, the CLI process itself) runs
the template ``notebooks/report/report.ipynb`` in its own fresh kernel (papermill, in-process;
the kernel is started ahead and pre-imports the report modules, see :class:`WarmKernel`; in
a worker it is forked from the worker's pre-imported kernel "zygote", see :func:`_zygote_main`),
writes the editorial calendar (CSV, XLSX, ICS via :mod:`workshop.exports`) in a thread while
the kernel runs, exports the notebook to a self-contained offline HTML report (nbconvert,
in-process; plotly.js embedded once, no external ``<script src>``/``<link href>``), an
optional PDF (headless Chromium) and ``manifest.json``. Per client, in ``OUT/<client-id>/``::

    report.ipynb  report.html  [report.pdf]  calendar.csv  calendar.xlsx  calendar.ics
    plan.yaml  manifest.json

Rules (the contract the tests check):

* **Validation first.** ``--out`` is checked first (a folder, or one that can be created, and
  writable: probed by creating a file), then every plan is validated before any kernel
  starts. An invalid plan, a missing/unreadable path, a broken link, a file that is not a
  regular file or whose name is not UTF-8, or a client id used by two plans is reported with
  field paths and gets no output folder; the *valid* plans are still built, and the exit
  status is 2 (bad input dominates a run-time failure).
* **Read once.** A plan's bytes are read once, at validation (a regular file only, at most
  ``plan.MAX_PLAN_BYTES`` + 1 bytes read); the same bytes and the Plan parsed from them go
  to the build (to workers over the pipe, never the path): the calendar files come from that
  Plan, the manifest hashes those bytes, and they are written as ``plan.yaml`` into the
  client's folder, the copy the kernel runs on (the report ships the plan it was built from).
* **Folders the tool owns.** ``OUT/<id>/`` (and ``OUT/_failed/<id>/``) is replaced only if it
  is the tool's own: a real folder (not a link) holding a ``manifest.json`` written by
  ``workshop report`` (``"generator": "workshop"``, or the earlier format with
  ``toolkit_version``, ``client_id`` and ``files``) for that same client id, and nothing but
  the files that manifest lists. Anything else: that client is *refused* before any kernel
  starts (status ``refused``, exit status 2, the other clients still built), with a message
  in the plan's language naming the folder and up to 5 entries it does not know; nothing in
  the folder is touched. The check is made again at the last moment, after the old folder
  was moved aside (a file dropped in during the run keeps the folder as it is).
* **One run per output folder.** ``OUT/.workshop-report.lock`` is held (``flock``) for the
  whole run; a second run into the same OUT exits 2 at once, naming the other run's pid.
* **Exit status.** 0 every report built; 1 at least one client failed while running; 2 bad
  input (invalid plan, unreadable or missing path, no plan found, ``--jobs`` < 1, unusable
  ``--out``, a folder that is not the tool's, OUT locked by another run); 130 / 143 when
  interrupted by SIGINT / SIGTERM.
* **Atomic outputs.** Everything is written into ``OUT/.tmp-<id>-<pid>-<8 hex>/report/`` and
  then renamed to ``OUT/<id>/`` (a previous report is first moved into
  ``OUT/.old-<id>-<pid>-<8 hex>/previous/`` and deleted after the swap). A previous report is
  replaced only by a successful run. A failed run keeps the executed notebook, ``error.txt``,
  the kernel's stderr, the plan and a manifest in ``OUT/_failed/<id>/``. Each temporary
  folder is private (0700) and holds a marker written first (:data:`STAGING_MARKER`: pid,
  process start time, toolkit version). The clean-up at the start of a run removes a folder
  only if its name matches :data:`STAGING_NAME` exactly, it holds a valid marker and the
  process that wrote it is gone (same pid *and* start time); an orphaned ``.old-*`` whose
  report is missing is restored. Anything else is left alone.
* **Kernel files.** Kernel connection files (with their HMAC keys) and kernel logs are
  written into a private folder of the process, ``OUT/.tmp-kernels-<pid>-<8 hex>/`` (same
  marker and clean-up), never into ``$JUPYTER_RUNTIME_DIR`` or ``$TMPDIR``; it is removed on
  every exit path (a SIGKILLed run's folder by the next run).
* **No machine paths.** The report, the executed notebook and the manifest name the plan by
  its file name and the template by its name; papermill's record of the parameters and
  paths is scrubbed before the notebook is saved (:func:`scrub_notebook`).
* **Isolation.** One kernel per client (a fresh process each, forked or launched); one
  client's failure never stops the others. Workers exit when the parent dies (even by
  SIGKILL), killing their zygote, their kernel and their temporary folders.

Test hook: the environment variable ``WORKSHOP_REPORT_FAIL_FOR`` (comma-separated client ids)
makes the template's setup cell raise ``RuntimeError`` for those clients, so the tests can
exercise a run-time failure in a real kernel (see :func:`workshop.report_view.setup`).
``WORKSHOP_NO_ZYGOTE=1`` makes workers launch every kernel the normal way (``python -m
ipykernel_launcher``) instead of forking it from their zygote (see :func:`_zygote_main`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: OutputLock uses an exclusive lock file
    fcntl = None  # type: ignore[assignment]

from workshop import __version__, data, i18n
from workshop import plan as plan_mod
from workshop.errors import PlanError, Problem

FAILED_DIR = "_failed"
TMP_PREFIX = ".tmp-"
OLD_PREFIX = ".old-"
PLAN_SUFFIXES = (".yaml", ".yml")
STEPS = ("validate", "execute", "html", "exports", "pdf")
FAIL_ENV = "WORKSHOP_REPORT_FAIL_FOR"
PDF_TIMEOUT_S = 120
GENERATOR = "workshop"  # manifest["generator"]: this folder was written by `workshop report`
MANIFEST = "manifest.json"
PLAN_COPY = "plan.yaml"  # the plan's bytes, as validated, in the client's folder
LOCK_NAME = ".workshop-report.lock"
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
START_TIME_TOLERANCE_S = 1.0  # /proc/stat's boot time may move by a second


def template_path() -> Path:
    """The report template notebook (``$WORKSHOP_REPORT_TEMPLATE`` overrides, for tests)."""
    return Path(os.environ.get("WORKSHOP_REPORT_TEMPLATE") or data.report_template())


def cli_language() -> str:
    """Language of the CLI's own messages: ``$WORKSHOP_LANG`` (vi or en), default vi."""
    lang = os.environ.get("WORKSHOP_LANG", i18n.DEFAULT_LANGUAGE)
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def display_path(path: str | os.PathLike[str] | bytes) -> str:
    """`path` as text that can always be printed or written as UTF-8: the bytes of a name
    that are not UTF-8 (kept by Python as surrogate escapes) are shown as ``\\xff``."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", "backslashreplace")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")


def _utf8_name(path: str | os.PathLike[str]) -> bool:
    try:
        os.fspath(path).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


# --- Results -------------------------------------------------------------------------------


@dataclasses.dataclass
class ClientResult:
    """What happened to one plan. `status` is ``ok``, ``failed``, ``invalid``, ``refused``
    (its output folder is not the tool's) or ``interrupted``; `seconds` is the wall time of
    the client's run (0 for invalid); `traceback` is for error.txt, never for the terminal."""

    plan_path: str
    client_id: str = ""
    client_name: str = ""
    language: str = i18n.DEFAULT_LANGUAGE
    status: str = "failed"
    seconds: float = 0.0
    out_dir: str = ""
    error: str = ""
    failed_cell: int | None = None
    error_name: str = ""
    error_value: str = ""
    failed_dir: str = ""
    notes: list[str] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)
    traceback: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class PlanInput:
    """One validated plan: `path` (where it was read, for the consultant's terminal only),
    `raw` (its bytes, read once) and `plan` (parsed from those bytes); `seconds`: the time
    reading and validating took. Everything built for the client comes from `raw` and
    `plan`; the file is never opened again."""

    path: str
    raw: bytes
    plan: plan_mod.Plan
    seconds: float = 0.0

    @property
    def name(self) -> str:
        """The plan's file name (printable), what the report and the manifest show."""
        return display_path(Path(self.path).name)


def _invalid(path: str, message: str, language: str, problems: list[str] | None = None):
    return ClientResult(
        plan_path=display_path(path),
        status="invalid",
        language=language,
        error=message,
        problems=problems if problems is not None else [message],
    )


# --- Discovery and validation (no kernel) --------------------------------------------------


def discover(paths: list[str | os.PathLike[str]]) -> tuple[list[Path], list[Problem]]:
    """Plan files named by `paths` (files, or folders searched for ``*.yaml``/``*.yml`` at
    their top level), sorted and de-duplicated (by resolved path), and a problem (in the CLI
    language, naming the path) for each path that does not exist, each broken link or entry
    that cannot be read (a link loop) and each folder that cannot be listed. Hidden entries
    (``.name``) and sub-folders of a folder are skipped; other non-regular files are
    returned, for the reader to refuse with a message.
    """
    lang = cli_language()
    found: dict[Path, Path] = {}
    problems: list[Problem] = []

    def problem(path: str | os.PathLike[str], key: str, **values: Any) -> None:
        shown = display_path(path)
        problems.append(Problem(shown, i18n.t(f"report.cli.{key}", lang, path=shown, **values)))

    def add(path: Path) -> None:
        """`path` if it (or its link's target) can be looked at, else a problem."""
        try:
            os.stat(path)
            resolved = path.resolve()
        except FileNotFoundError:
            if os.path.islink(path):
                problem(path, "broken_link", target=display_path(os.readlink(path)))
            else:
                problem(path, "missing_path")
            return
        except (OSError, RuntimeError) as exc:  # a link loop, a permission
            problem(path, "unreadable_entry", reason=_reason(exc))
            return
        found.setdefault(resolved, path)

    for raw in paths:
        path = Path(raw)
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            is_dir = False
        if not is_dir:
            add(path)
            continue
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problem(path, "unreadable_folder", reason=_reason(exc))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith(".") or Path(name).suffix.lower() not in PLAN_SUFFIXES:
                continue
            try:
                if entry.is_dir():  # follows links: a folder named x.yaml is not a plan
                    continue
            except OSError:
                pass  # reported by add()
            add(path / name)
    return sorted(found), problems


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(
        exc
    ).__name__


def _read_plan_bytes(path: Path, language: str) -> bytes:
    """The bytes of the plan file `path`, read once: a regular file only (no folder, FIFO,
    socket or device such as ``/dev/zero``: opened without blocking, checked with fstat),
    at most ``plan.MAX_PLAN_BYTES`` (never more than that + 1 bytes read, even if the file
    grows). A :class:`PlanError` in `language` otherwise.

    Same behaviour as ``plan.read_bytes(path, language)``, which replaces this private reader
    once both are merged.
    """
    source = display_path(path)
    limit = plan_mod.MAX_PLAN_BYTES

    def fail(key: str, **values: Any) -> PlanError:
        return PlanError(source, [Problem("", i18n.t(key, language, **values))], language)

    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_CLOEXEC", "O_NOCTTY", "O_BINARY"):
        flags |= getattr(os, name, 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise fail("plan.error.unreadable", reason=_reason(exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise fail("report.cli.not_regular_file")
        if st.st_size > limit:
            raise fail("plan.error.too_large", size=st.st_size, limit=limit)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise fail("plan.error.too_large", size=f"> {limit}", limit=limit)
        return b"".join(chunks)
    except OSError as exc:
        raise fail("plan.error.unreadable", reason=_reason(exc)) from None
    finally:
        os.close(fd)


def load_input(path: str | os.PathLike[str], language: str | None = None) -> PlanInput:
    """Read the plan at `path` once and validate it: a :class:`PlanInput`, or a
    :class:`PlanError` (a name that is not UTF-8, not a regular file, too large, not UTF-8
    text, not YAML, invalid fields, unsafe client id)."""
    started = time.perf_counter()
    lang = language or cli_language()
    path = Path(path)
    source = display_path(path)
    if not _utf8_name(path):
        raise PlanError(source, [Problem("", i18n.t("report.cli.name_not_utf8", lang))], lang)
    raw = _read_plan_bytes(path, lang)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanError(source, [Problem("", i18n.t("plan.error.not_utf8", lang))], lang) from None
    plan = plan_mod.loads(text, source=source, language=lang)
    if not plan_mod.slug_ok(plan.client.id):  # defence in depth: the schema checks it too
        msg = i18n.t("report.cli.unsafe_id", plan.language, id=plan.client.id)
        raise PlanError(source, [Problem("client.id", msg)], plan.language)
    return PlanInput(str(path), raw, plan, round(time.perf_counter() - started, 3))


def load_inputs(
    paths: list[str | os.PathLike[str]],
) -> tuple[list[PlanInput], list[ClientResult]]:
    """Discover, read (once) and validate every plan before anything runs.

    Returns ``(inputs, problems)``: the valid plans as :class:`PlanInput` and one ``invalid``
    :class:`ClientResult` per bad input (missing path, broken link, invalid plan with its
    field paths, unsafe or duplicate client id: two plans with one id would write one
    folder, so both are refused).
    """
    lang = cli_language()
    files, missing = discover(paths)
    problems = [_invalid(p.path, p.message, lang) for p in missing]
    loaded: list[PlanInput] = []
    for path in files:
        try:
            loaded.append(load_input(path, lang))
        except PlanError as exc:
            problems.append(
                _invalid(str(path), str(exc), exc.language, [str(p) for p in exc.problems])
            )
    by_id: dict[str, list[str]] = {}
    for item in loaded:
        by_id.setdefault(item.plan.client.id, []).append(item.path)
    inputs = []
    for item in loaded:
        plan = item.plan
        others = [display_path(p) for p in by_id[plan.client.id] if p != item.path]
        if others:
            msg = i18n.t(
                "report.cli.duplicate_id",
                plan.language,
                id=plan.client.id,
                others=", ".join(others),
            )
            res = _invalid(item.path, msg, plan.language)
            res.client_id, res.client_name = plan.client.id, plan.client.name
            problems.append(res)
        else:
            inputs.append(item)
    return inputs, problems


def validate_all(
    paths: list[str | os.PathLike[str]],
) -> tuple[list[tuple[Path, plan_mod.Plan]], list[ClientResult]]:
    """:func:`load_inputs` as ``(absolute path, Plan)`` pairs (for ``workshop validate``)."""
    inputs, problems = load_inputs(paths)
    return [(Path(i.path), i.plan) for i in inputs], problems


def _as_input(item: PlanInput | str | os.PathLike[str]) -> PlanInput | ClientResult:
    """`item` itself, or the plan at that path read once (an ``invalid`` result if it is not)."""
    if isinstance(item, PlanInput):
        return item
    try:
        return load_input(item)
    except PlanError as exc:
        return _invalid(str(item), str(exc), exc.language, [str(p) for p in exc.problems])


# --- Up-front checks of --out (nothing is created) -----------------------------------------


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
                return cannot_create(_reason(exc))
        if not stat.S_ISDIR(st.st_mode):
            return cannot_create(os.strerror(errno.ENOTDIR))
        err = _probe_writable(ancestor)
        return cannot_create(_reason(err)) if err is not None else None
    except OSError as exc:  # ENOTDIR: a file on the way, ELOOP, EACCES...
        return cannot_create(_reason(exc))
    if not stat.S_ISDIR(st.st_mode):
        return i18n.t("report.cli.out_not_folder", language, path=shown)
    err = _probe_writable(out)
    if err is not None:
        return i18n.t("report.cli.out_not_writable", language, path=shown, reason=_reason(err))
    return None


# --- One run per output folder (lock) ------------------------------------------------------


class OutputBusy(Exception):
    """Another run holds the lock of the output folder `out`; `pid` is that run's, if known."""

    def __init__(self, out: Path, pid: int | None):
        super().__init__(f"{out} is locked by process {pid}")
        self.out = out
        self.pid = pid


def _process_started(pid: int) -> float | None:
    """The start time of process `pid` (psutil), or None if unknown."""
    try:
        import psutil

        return float(psutil.Process(pid).create_time())
    except Exception:  # noqa: BLE001 - gone, or no psutil
        return None


def _owner_gone(info: dict[str, Any]) -> bool:
    """True if the process that wrote `info` (``pid`` + ``process_started``) has ended:
    no such pid, a zombie, or a pid now used by a process started at another time."""
    pid = info.get("pid")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False  # cannot tell: keep
    try:
        import psutil

        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return True
        created = proc.create_time()
    except ImportError:  # pragma: no cover - psutil is a dependency
        return not _pid_alive(pid)
    except Exception:  # noqa: BLE001 - psutil.NoSuchProcess and friends
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


def _owner_info() -> dict[str, Any]:
    return {
        "generator": GENERATOR,
        "pid": os.getpid(),
        "process_started": _process_started(os.getpid()),
        "toolkit_version": __version__,
    }


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
        os.write(self.fd, json.dumps(_owner_info()).encode("utf-8"))

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
                if info is not None and not _owner_gone(info):
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


_RUN_LOCKS: list[OutputLock] = []  # held by this process (released by the signal handlers)


def _release_run_locks() -> None:
    while _RUN_LOCKS:
        _RUN_LOCKS.pop().release()


class OutputProblem(Exception):
    """The output folder cannot be used: `message` says why, for the person (exit 2)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def prepare_output(out: Path, language: str) -> OutputLock:
    """Create `out` if needed, lock it (:class:`OutputLock`) and clean it up
    (:func:`clean_stale`); the lock is returned, held. :class:`OutputProblem` if the folder
    cannot be created or locked, or another run holds it."""
    shown = display_path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputProblem(
            i18n.t("report.cli.out_cannot_create", language, path=shown, reason=_reason(exc))
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
            i18n.t("report.cli.out_lock_failed", language, path=shown, reason=_reason(exc))
        ) from None
    _RUN_LOCKS.append(lock)
    try:
        clean_stale(out)
    except OSError:  # a clean-up that cannot finish never stops the run
        pass
    return lock


# --- Output folders the tool owns ----------------------------------------------------------


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


def _read_json_file(path: Path, limit: int) -> Any:
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
        return Foreign("unreadable", detail=_reason(exc))
    if stat.S_ISLNK(st.st_mode):
        return Foreign("link")
    if not stat.S_ISDIR(st.st_mode):
        return Foreign("not_folder")
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        return Foreign("unreadable", detail=_reason(exc))
    shown = [display_path(n) for n in names]
    manifest = _read_json_file(folder / MANIFEST, MAX_MANIFEST_BYTES)
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


def _entries_text(entries: list[str], language: str) -> str:
    if not entries:
        return i18n.t("report.cli.no_entries", language)
    shown = ", ".join(f"'{e}'" for e in entries[:MAX_SHOWN_ENTRIES])
    more = len(entries) - MAX_SHOWN_ENTRIES
    return shown + (" " + i18n.t("report.cli.more_entries", language, n=more) if more > 0 else "")


def _why_text(why: Foreign, language: str) -> str:
    return i18n.t(
        f"report.cli.why_{why.reason}",
        language,
        entries=_entries_text(why.entries, language),
        other=why.detail,
        reason=why.detail,
    )


def refusal_message(path: str, client_id: str, why: Foreign, language: str) -> str:
    """One line, in `language`: the folder `path` is not the tool's (why, up to
    :data:`MAX_SHOWN_ENTRIES` entries named), it was left as it is, this client not built."""
    return i18n.t(
        "report.cli.refused", language, path=path, id=client_id, why=_why_text(why, language)
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
                why=_why_text(root_why, lang),
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


def replace_folder(staged: Path, final: Path, client_id: str) -> None:
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
    with _critical():  # a signal in here is handled once the folders are back in order
        old = new_staging(final.parent, "old", client_id)
        aside = old / PREVIOUS
        try:
            os.rename(final, aside)
        except FileNotFoundError:  # removed meanwhile: nothing to replace
            _remove_tree(old)
            os.rename(staged, final)
            return
        except BaseException:
            _remove_tree(old)
            raise
        why = foreign_reason(aside, client_id)
        if why is not None:
            os.rename(aside, final)
            _remove_tree(old)
            raise NotOurs(final, client_id, why)
        try:
            os.rename(staged, final)
        except BaseException:
            os.rename(aside, final)
            _remove_tree(old)
            raise
    _remove_tree(old)


def discard_folder(folder: Path, client_id: str) -> Foreign | None:
    """Delete `folder` if it is the tool's own for `client_id` (moved aside and checked
    again first, like :func:`replace_folder`); else leave it and return why not."""
    if not os.path.lexists(folder):
        return None
    why = foreign_reason(folder, client_id)
    if why is not None:
        return why
    with _critical():
        old = new_staging(folder.parent, "old", client_id)
        aside = old / PREVIOUS
        try:
            os.rename(folder, aside)
        except FileNotFoundError:
            _remove_tree(old)
            return None
        why = foreign_reason(aside, client_id)
        if why is not None:
            os.rename(aside, folder)
    _remove_tree(old)
    return why


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
        started = _process_started(pid)
    payload = {
        "generator": GENERATOR,
        "kind": kind,
        "client_id": client_id,
        "pid": pid,
        "process_started": started,
        "toolkit_version": __version__,
    }
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(folder / STAGING_MARKER, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(payload, fh)


def new_staging(parent: Path, kind: str, client_id: str) -> Path:
    """A new private (0700) folder ``parent/.<kind>-<client_id>-<pid>-<8 hex>`` whose first
    entry is its marker (:func:`write_staging_marker`). `kind`: ``tmp`` (a client's folder
    being built, or this process's kernel files) or ``old`` (a report being replaced)."""
    with _critical():
        path = parent / f".{kind}-{client_id}-{os.getpid()}-{secrets.token_hex(4)}"
        os.mkdir(path, 0o700)
        try:
            write_staging_marker(path, kind, client_id)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
    return path


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
    marker = _read_json_file(folder / STAGING_MARKER, MAX_MARKER_BYTES)
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
    swap) gives its ``previous/`` back. Returns the names removed or restored.
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
            if marker is None or not _owner_gone(marker):
                continue
            if name.startswith(OLD_PREFIX) and not _restore_previous(
                folder, parent / marker["client_id"], marker["client_id"]
            ):
                continue
            _remove_tree(folder)
            done.append(name)
    return done


def _fsync_tree(folder: Path) -> None:
    """Flush the folder's files to disk before the rename makes them visible."""
    for item in folder.iterdir():
        if item.is_file():
            with open(item, "rb") as fh:
                os.fsync(fh.fileno())


# --- Kernel files: a private folder per process --------------------------------------------

_KERNEL_DIR: list[Path] = []  # this process's folder for kernel connection files and logs


def open_kernel_dir(out: Path) -> Path:
    """This process's private folder for kernel connection files (HMAC keys) and kernel
    logs: ``out/.tmp-kernels-<pid>-<8 hex>/`` (0700, with the staging marker). Removed by
    :func:`close_kernel_dir` (normal end), by the signal and parent-death handlers, and by
    the next run's :func:`clean_stale` after a SIGKILL."""
    if not _KERNEL_DIR:
        _KERNEL_DIR.append(new_staging(out, "tmp", KERNELS_ID))
    return _KERNEL_DIR[0]


def close_kernel_dir() -> None:
    """Remove this process's kernel folder (its kernels are shut down first)."""
    while _KERNEL_DIR:
        _remove_tree(_KERNEL_DIR.pop())


def _kernel_dir() -> Path:
    """Where a new kernel's files go: this process's kernel folder, or, for a kernel started
    outside a run, a private temporary folder removed when the process exits."""
    if not _KERNEL_DIR:
        import atexit

        _KERNEL_DIR.append(Path(tempfile.mkdtemp(prefix="workshop-kernels-")))
        atexit.register(close_kernel_dir)
    return _KERNEL_DIR[0]


def _remove_tree(path: Path, attempts: int = 40) -> None:
    """``shutil.rmtree`` that also wins against a thread still writing files into it."""
    for _ in range(attempts):
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            return
        time.sleep(0.05)


# --- HTML export ---------------------------------------------------------------------------

REPORT_CSS = """
:root { --ws-ink: #1f2933; --ws-muted: #52606d; --ws-line: #d9e2ec; --ws-accent: #0b6e4f;
        --ws-soft: #f0f4f8; --ws-warn: #b44d12; --ws-bad: #a61b1b; --ws-good: #0b6e4f; }
html { -webkit-text-size-adjust: 100%; }
body.jp-Notebook, body { background: #fff; color: var(--ws-ink);
  font-family: "Segoe UI", "Noto Sans", "Helvetica Neue", Arial, sans-serif; }
body.jp-Notebook { max-width: 1040px; margin: 0 auto; padding: 24px 28px 64px; }
.jp-Cell { padding: 0 !important; }
.jp-OutputArea-output, .jp-RenderedHTMLCommon { font-size: 15px; line-height: 1.55;
  color: var(--ws-ink); padding-right: 0 !important; }
.jp-OutputPrompt, .jp-InputPrompt { display: none !important; }
.jp-RenderedHTMLCommon h1 { font-size: 30px; margin: 0.2em 0 0.3em; color: var(--ws-ink); }
.jp-RenderedHTMLCommon h2 { font-size: 22px; margin: 1.8em 0 0.5em; padding-bottom: 6px;
  border-bottom: 3px solid var(--ws-accent); color: var(--ws-ink); }
.jp-RenderedHTMLCommon h3 { font-size: 17px; margin: 1.3em 0 0.4em; color: var(--ws-accent); }
.jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li { max-width: 78ch; }
.jp-RenderedHTMLCommon .ws-table-wrap table { border-collapse: collapse; margin: 0.6em 0 1em;
  font-size: 13.5px; width: auto; max-width: 100%; table-layout: auto; }
.jp-RenderedHTMLCommon .ws-table-wrap th { background: var(--ws-soft); font-weight: 600; }
.jp-RenderedHTMLCommon .ws-table-wrap th, .jp-RenderedHTMLCommon .ws-table-wrap td {
  border: 1px solid var(--ws-line); padding: 5px 9px; vertical-align: top; text-align: left;
  overflow-wrap: break-word; line-height: 1.4; }
.jp-RenderedHTMLCommon .ws-table-wrap td.ws-long { overflow-wrap: anywhere; min-width: 14em; }
.jp-RenderedHTMLCommon .ws-table-wrap td.num, .jp-RenderedHTMLCommon .ws-table-wrap th.num {
  text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.jp-RenderedHTMLCommon .ws-table-wrap tbody tr:nth-child(odd) { background: #fff; }
.jp-RenderedHTMLCommon .ws-table-wrap tbody tr:nth-child(even) { background: #f8fafc; }
.jp-RenderedHTMLCommon .ws-table-wrap tbody tr:hover { background: #eef6f2; }
.jp-RenderedHTMLCommon .ws-table-wrap tr.ws-group th { background: #e3efe9; color: var(--ws-accent);
  font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; }
.jp-RenderedHTMLCommon .ws-table-wrap caption { caption-side: bottom; text-align: left;
  font-size: 12px; color: var(--ws-muted); padding-top: 4px; }
.ws-table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; }
.ws-title { padding: 28px 0 18px; border-bottom: 1px solid var(--ws-line); margin-bottom: 8px; }
.ws-title .ws-kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 12px;
  color: var(--ws-accent); font-weight: 700; }
.jp-RenderedHTMLCommon .ws-title p.ws-meta { color: var(--ws-muted); font-size: 14px;
  margin: 3px 0; }
.ws-cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(176px, 1fr));
  gap: 12px; margin: 12px 0 16px; }
.ws-card { border: 1px solid var(--ws-line); border-radius: 8px; padding: 12px 14px;
  background: #fff; break-inside: avoid; }
.ws-card .ws-label { font-size: 12px; color: var(--ws-muted); text-transform: uppercase;
  letter-spacing: 0.05em; }
.ws-card .ws-value { font-size: 20px; font-weight: 700; margin: 2px 0; line-height: 1.3; }
.ws-card .ws-value.ws-text { font-size: 16px; }
.ws-card .ws-sub { font-size: 13px; color: var(--ws-muted); }
.ws-good { color: var(--ws-good); } .ws-warn { color: var(--ws-warn); }
.ws-bad { color: var(--ws-bad); }
.ws-note { background: var(--ws-soft); border-left: 4px solid var(--ws-accent);
  padding: 8px 12px; margin: 10px 0; font-size: 14px; }
.ws-note.ws-warn-box { border-left-color: var(--ws-warn); }
.ws-muted { color: var(--ws-muted); font-size: 13px; }
.jp-RenderedHTMLCommon pre.ws-yaml { background: var(--ws-soft); padding: 12px 14px;
  border-radius: 6px; font-size: 12.5px; line-height: 1.45; overflow-x: auto; white-space: pre;
  font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; border: 1px solid var(--ws-line);
  columns: 2 340px; column-gap: 28px; }
.jp-RenderedHTMLCommon code { font-size: 12.5px; }
.plotly-graph-div { max-width: 100%; }
@media (max-width: 640px) {
  body.jp-Notebook { padding: 12px 10px 40px; }
  .jp-RenderedHTMLCommon h1 { font-size: 24px; }
  .jp-RenderedHTMLCommon .ws-table-wrap table { font-size: 12.5px; }
  .jp-RenderedHTMLCommon .ws-table-wrap th, .jp-RenderedHTMLCommon .ws-table-wrap td {
    padding: 4px 6px; }
}
@media print {
  body.jp-Notebook { max-width: none; padding: 0; }
  .modebar, .modebar-container { display: none !important; }
  .jp-RenderedHTMLCommon h2 { break-before: page; }
  .jp-RenderedHTMLCommon h2.ws-first { break-before: avoid; }
  .jp-RenderedHTMLCommon tr, .plotly-graph-div, .ws-card { break-inside: avoid; }
  .ws-table-wrap { overflow: visible; }
  .jp-RenderedHTMLCommon pre.ws-yaml { font-size: 8.5px; columns: 3; column-gap: 16px;
    white-space: pre-wrap; }
}
@page { size: A4; margin: 14mm 12mm; }
"""

_TEMPLATE_SOURCE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{{ resources.workshop_head_js }}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_css -%}
<meta name="generator" content="workshop {{ resources.workshop_version }}">
<style type="text/css">{{ resources.workshop_css }}</style>
{%- endblock html_head_css -%}
"""

# An external script or stylesheet: <script ... src="http(s)://..." ...></script>,
# <link ... href="http(s)://...">, also protocol-relative //host URLs.
_EXTERNAL_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.IGNORECASE
)
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)


def make_offline(html: str) -> str:
    """Drop every ``<script src>`` and ``<link href>`` that points to another host.

    Plotly's notebook output still adds a MathJax ``<script src=cdn>`` (only LaTeX in chart
    labels would need it; the reports have none).
    """
    html = _EXTERNAL_SCRIPT.sub("", html)
    return _EXTERNAL_LINK.sub("", html)


def external_references(html: str) -> list[str]:
    """The src/href values of ``<script>``/``<link>`` tags pointing to another host."""
    refs = []
    for match in re.finditer(r"<(script|link)\b[^>]*>", html, re.IGNORECASE):
        for attr in re.finditer(
            r"\b(?:src|href)\s*=\s*[\"']?([^\"'\s>]+)", match.group(0), re.IGNORECASE
        ):
            if re.match(r"(?:https?:)?//", attr.group(1), re.IGNORECASE):
                refs.append(attr.group(1))
    return refs


PLOTLY_MIME = "application/vnd.plotly.v1+json"


def plotly_outputs_to_html(nb: Any, config: dict[str, Any] | None = None) -> int:
    """Turn every plotly chart output of `nb` (mimetype ``application/vnd.plotly.v1+json``,
    what the report kernel emits) into an HTML ``<div>`` plus a ``Plotly.newPlot`` script,
    in place; returns how many charts were converted.

    The chart's own ``config`` (set by the kernel's renderer) wins over `config`. plotly.js
    itself is *not* included: :func:`html_report` embeds it once in the page head. The
    figure JSON is escaped by plotly (``<``, ``>``, ``/`` as ``\\u`` escapes), so client text
    in a chart cannot close the script.
    """
    from plotly.io import to_html

    count = 0
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            bundle = output.get("data") if isinstance(output, dict) else None
            if not bundle or PLOTLY_MIME not in bundle:
                continue
            fig = dict(bundle[PLOTLY_MIME])
            fig_config = fig.pop("config", None) or config or {}
            html_div = to_html(
                fig, config=fig_config, include_plotlyjs=False, full_html=False, validate=False
            )
            output["data"] = {"text/html": html_div}
            count += 1
    return count


def _plotlyjs_head() -> str:
    """plotly.js (the copy bundled with the plotly package), inline, for the page head."""
    from plotly.offline import get_plotlyjs

    return (
        "<script type=\"text/javascript\">window.PlotlyConfig = {MathJaxConfig: 'local'};"
        '</script>\n<script type="text/javascript">' + get_plotlyjs() + "</script>"
    )


_EXPORTERS: dict[str, Any] = {}


def _exporter(language: str) -> Any:
    """nbconvert's HTMLExporter set up for the reports (built once per process/language)."""
    exporter = _EXPORTERS.get(language)
    if exporter is None:
        import jinja2
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            template_name="lab",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            exclude_markdown=True,
            language_code=language,
            mathjax_url="",
            require_js_url="",
            widget_renderer_url="",
            extra_loaders=[jinja2.DictLoader({"workshop_report.html.j2": _TEMPLATE_SOURCE})],
            template_file="workshop_report.html.j2",
        )
        _EXPORTERS[language] = exporter
    return exporter


def warm_html() -> None:
    """Import nbconvert and compile the report template now (e.g. while a kernel runs)."""
    for language in i18n.LANGUAGES:
        _exporter(language).template  # noqa: B018 - compiles the jinja template


def html_report(nb: Any, title: str, language: str) -> str:
    """The executed notebook as an offline, code-free HTML page.

    nbconvert's lab template without code, prompts, require.js, MathJax, mermaid or the
    widget manager; our stylesheet (screen, phone and print: the plotly modebar is hidden in
    print); ``<title>`` = `title`; ``<html lang=language>``. Plotly chart outputs become
    ``<div>`` + ``Plotly.newPlot`` (:func:`plotly_outputs_to_html`) and plotly.js is embedded
    once, in the head, only if there is a chart. `nb` is not modified.
    """
    import copy

    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    nb.metadata.pop("widgets", None)
    charts_count = plotly_outputs_to_html(nb)
    body, _ = _exporter(language).from_notebook_node(
        nb,
        resources={
            "workshop_css": REPORT_CSS,
            "workshop_version": __version__,
            "workshop_head_js": _plotlyjs_head() if charts_count else "",
            "metadata": {"name": title},
        },
    )
    return make_offline(body)


# --- PDF -----------------------------------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
)


def chromium_path() -> str | None:
    """The system Chromium (``$WORKSHOP_CHROMIUM`` overrides), or None."""
    override = os.environ.get("WORKSHOP_CHROMIUM")
    if override:
        return override if Path(override).exists() else shutil.which(override)
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_pdf(html_path: Path, pdf_path: Path, chromium: str, scratch: Path | None = None) -> None:
    """Print `html_path` to `pdf_path` with headless Chromium (no network, a throw-away
    profile in `scratch`, the client's private temporary folder, else in $TMPDIR)."""
    profile = tempfile.mkdtemp(prefix="workshop-chromium-", dir=scratch)
    try:
        cmd = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--virtual-time-budget=10000",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        proc = subprocess.run(
            cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=PDF_TIMEOUT_S, check=False
        )
        if proc.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise RuntimeError(f"chromium exit {proc.returncode}: {' | '.join(tail)}")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def pdf_step(folder: Path, language: str, scratch: Path | None = None) -> tuple[str, str | None]:
    """Print ``folder/report.html`` to ``folder/report.pdf`` if Chromium is there (its
    profile in `scratch`, see :func:`print_pdf`).

    Returns (status for the manifest: ``ok`` | ``skipped: no chromium`` | ``failed: ...``,
    a translated message for the person, or None). Never raises: the PDF is optional and
    the rest of the report ships without it.
    """
    chromium = chromium_path()
    if chromium is None:
        return "skipped: no chromium", i18n.t("report.cli.no_chromium", language)
    try:
        print_pdf(folder / "report.html", folder / "report.pdf", chromium, scratch)
        return "ok", None
    except Exception as exc:  # noqa: BLE001
        (folder / "report.pdf").unlink(missing_ok=True)
        return f"failed: {exc}", i18n.t("report.cli.pdf_failed", language, error=str(exc))


# --- One client ----------------------------------------------------------------------------

_CURRENT_TMP: list[Path] = []  # the temporary folders of the client running in this process
_CRITICAL: dict[str, Any] = {"depth": 0, "pending": None}


@contextlib.contextmanager
def _critical() -> Any:
    """A section a SIGINT/SIGTERM must not cut in two (a folder created but not yet
    recorded, a thread started but not yet known): a handler made by :func:`_deferrable`
    runs at the end of the section instead."""
    _CRITICAL["depth"] += 1
    try:
        yield
    finally:
        _CRITICAL["depth"] -= 1
        if not _CRITICAL["depth"] and _CRITICAL["pending"] is not None:
            action, _CRITICAL["pending"] = _CRITICAL["pending"], None
            action()


def _deferrable(action: Any) -> Any:
    """A signal handler that runs ``action(signum)`` now, or at the end of the current
    :func:`_critical` section."""

    def handler(signum: int, _frame: Any) -> None:
        if _CRITICAL["depth"]:
            _CRITICAL["pending"] = lambda: action(signum)
        else:
            action(signum)

    return handler


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def _sha256(data_bytes: bytes) -> str:
    return hashlib.sha256(data_bytes).hexdigest()


def _files(folder: Path) -> list[dict[str, Any]]:
    return [
        {"name": p.name, "bytes": p.lstat().st_size}
        for p in sorted(folder.iterdir())
        if stat.S_ISREG(p.lstat().st_mode)
    ]


def _write_bytes(path: Path, raw: bytes) -> None:
    with open(path, "xb") as fh:
        fh.write(raw)


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(
        json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )


class _StderrToFile:
    """Redirect this process's fd 2 (and so the kernel's stderr, inherited) to a file."""

    active: "_StderrToFile | None" = None  # the redirection in force, if any

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> "_StderrToFile":
        sys.stderr.flush()
        self.saved = os.dup(2)
        self.fh = open(self.path, "ab")
        os.dup2(self.fh.fileno(), 2)
        _StderrToFile.active = self
        return self

    def __exit__(self, *exc: Any) -> None:
        sys.stderr.flush()
        _StderrToFile.active = None
        os.dup2(self.saved, 2)
        os.close(self.saved)
        self.fh.close()

    @classmethod
    def restore(cls) -> None:
        """Give fd 2 back to the real stderr now (a signal handler about to exit)."""
        active = cls.active
        if active is not None:
            cls.active = None
            os.dup2(active.saved, 2)


def build_one(
    plan_input: PlanInput | str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    pdf: bool = False,
    capture_stderr: bool = True,
    kernel: WarmKernel | None = None,
) -> ClientResult:
    """Build one client's report into ``out_dir/<client-id>/`` (atomically).

    `plan_input`: the plan as validated (:class:`PlanInput`: its bytes, read once, and the
    Plan parsed from them), or a path, read once here. Steps, each timed in the manifest:
    validate, execute (papermill, kernel ``python3``, cwd = the template's folder, on the
    copy ``plan.yaml`` of the bytes in the client's folder), html (:func:`html_report` on
    the notebook papermill returns, scrubbed of machine paths), exports (calendar
    CSV/XLSX/ICS from ``schedule.expand`` of the same Plan, written in a thread *while the
    kernel runs*; its duration is the thread's own time), pdf (optional). `kernel`: a
    :class:`WarmKernel` started earlier (consumed: always shut down here); None starts one
    now. Never raises for a client's own failure: the result says ``failed`` with the
    failing cell, and the executed notebook is kept in ``out_dir/_failed/<client-id>/``;
    ``refused`` if ``out_dir/<client-id>/`` turned out not to be the tool's at the swap.
    """
    started_wall = time.perf_counter()
    started = _now()
    out = Path(out_dir).resolve()
    shown = plan_input.path if isinstance(plan_input, PlanInput) else os.fspath(plan_input)
    result = ClientResult(plan_path=display_path(shown), language=cli_language())
    durations = {step: 0.0 for step in STEPS}
    try:
        return _build_one(
            plan_input, out, pdf, capture_stderr, kernel, started_wall, started, result, durations
        )
    finally:
        if kernel is not None:
            kernel.shutdown()


def _build_one(
    plan_input: PlanInput | str | os.PathLike[str],
    out: Path,
    pdf: bool,
    capture_stderr: bool,
    kernel: WarmKernel | None,
    started_wall: float,
    started: str,
    result: ClientResult,
    durations: dict[str, float],
) -> ClientResult:
    stage: Path | None = None

    def step_done(step: str, t0: float) -> None:
        durations[step] = round(time.perf_counter() - t0, 3)

    t0 = time.perf_counter()
    item = _as_input(plan_input)
    if isinstance(item, ClientResult):  # a bare path that is not a valid plan
        item.seconds = round(time.perf_counter() - started_wall, 3)
        return item
    plan = item.plan
    lang = plan.language
    cid = plan.client.id
    result.client_id, result.client_name, result.language = cid, plan.client.name, lang
    durations["validate"] = round(item.seconds + time.perf_counter() - t0, 3)

    public = {"plan_path": PLAN_COPY, "plan_name": item.name, "language": ""}
    manifest: dict[str, Any] = {
        "generator": GENERATOR,
        "toolkit_version": __version__,
        "client_id": cid,
        "language": lang,
        "plan": {
            "name": item.name,
            "file": PLAN_COPY,
            "sha256": _sha256(item.raw),
            "plan_hash": plan_mod.plan_hash(plan),
        },
        "parameters": public,
        "template": template_path().name,
        "data_as_of": {k: v.isoformat() for k, v in _as_of().items()},
        "started": started,
    }
    step = "execute"
    exports_job: _Background | None = None
    try:
        with _critical():  # a signal here is handled once the folder is known
            stage = new_staging(out, "tmp", cid)
            _CURRENT_TMP.append(stage)
        payload = stage / PAYLOAD
        payload.mkdir()
        copy = payload / PLAN_COPY
        _write_bytes(copy, item.raw)  # the kernel runs on these very bytes
        params = dict(public, plan_path=str(copy))
        nb_path = payload / "report.ipynb"
        if kernel is not None and not kernel.alive():  # e.g. died with its worker's zygote
            kernel.shutdown()
            kernel = None
        if kernel is None:
            kernel = WarmKernel(template_path().parent)
            own_kernel = kernel
        else:
            own_kernel = None
        # the calendar files do not need the kernel: write them while it runs
        with _critical():  # never a writing thread we do not know about
            exports_job = _Background(
                write_exports, plan, payload, lang, then=None if _EXPORTERS else warm_html
            )
        t0 = time.perf_counter()
        log_path = stage / "kernel-stderr.log"
        try:
            if capture_stderr:
                with _StderrToFile(log_path):
                    nb = _execute(nb_path, params, public, kernel)
            else:
                nb = _execute(nb_path, params, public, kernel)
        finally:
            log = kernel.stderr_text()
            if log and capture_stderr:
                with contextlib.suppress(OSError), open(log_path, "a", encoding="utf-8") as fh:
                    fh.write(log)
            elif log:
                sys.stderr.write(log)
            if own_kernel is not None:
                own_kernel.shutdown()
        step_done("execute", t0)

        step = "html"
        t0 = time.perf_counter()
        title = f"{plan.client.name} · {i18n.t('report.title.label', lang)}"
        (payload / "report.html").write_text(html_report(nb, title, lang), encoding="utf-8")
        step_done("html", t0)

        step = "exports"
        durations["exports"] = exports_job.result()
        exports_job = None

        if pdf:
            step = "pdf"
            t0 = time.perf_counter()
            manifest["pdf"], message = pdf_step(payload, lang, scratch=stage)
            if message:
                result.notes.append(message)
            step_done("pdf", t0)

        result.seconds = round(time.perf_counter() - started_wall, 3)
        manifest.update(
            status="ok",
            finished=_now(),
            seconds=result.seconds,
            durations=durations,
            notes=result.notes,
        )
        manifest["files"] = _files(payload) + [{"name": MANIFEST, "bytes": None}]
        step = "save"
        _write_json(payload / MANIFEST, manifest)
        _fsync_tree(payload)
        final = out / cid
        replace_folder(payload, final, cid)
        why = discard_folder(out / FAILED_DIR / cid, cid)
        if why is not None:
            result.notes.append(
                i18n.t(
                    "report.cli.failed_left",
                    lang,
                    path=display_path(out / FAILED_DIR / cid),
                    why=_why_text(why, lang),
                )
            )
        result.status, result.out_dir = "ok", display_path(final)
        return result
    except NotOurs as exc:  # the folder changed during the run: it stays as it is
        if exports_job is not None:
            exports_job.wait()
        result.status = "refused"
        result.seconds = round(time.perf_counter() - started_wall, 3)
        result.error = refusal_message(display_path(exc.folder), cid, exc.why, lang)
        result.problems = [result.error]
        return result
    except BaseException as exc:  # one client's failure never stops the others
        if exports_job is not None:
            exports_job.wait()  # never remove a folder a thread is still writing into
        if isinstance(exc, (KeyboardInterrupt, SystemExit, Interrupted)):
            raise
        result.status = "failed"
        result.seconds = round(time.perf_counter() - started_wall, 3)
        _describe_failure(result, exc, step)
        if stage is not None and (stage / PAYLOAD).is_dir():
            manifest.update(
                status="failed",
                failed_step=step,
                finished=_now(),
                seconds=result.seconds,
                durations=durations,
                error=result.error,
                failed_cell=result.failed_cell,
            )
            try:
                result.failed_dir = display_path(_keep_failed(stage, out, cid, manifest, exc))
            except NotOurs as kept_exc:
                result.notes.append(
                    refusal_message(display_path(kept_exc.folder), cid, kept_exc.why, lang)
                )
            except OSError as kept_exc:  # e.g. the disk is still full: keep nothing
                result.notes.append(
                    i18n.t("report.cli.failed_not_kept", lang, reason=_reason(kept_exc))
                )
        return result
    finally:
        if stage is not None:
            _remove_tree(stage)
        _CURRENT_TMP.clear()


def _as_of() -> dict[str, dt.date]:
    try:
        return data.as_of()
    except Exception:  # a missing datasets.yaml must not stop a report
        return {}


# The kernel's start-up lines: import what every report needs, before the client is known
# (no plan, no client data: only modules, the message catalogue and the bundled data tables).
PRELOAD = "__import__('workshop.report_view').report_view.prewarm()"


def _kernel_manager_class() -> type:
    from jupyter_client.manager import AsyncKernelManager

    class _TrackingKernelManager(AsyncKernelManager):
        """Remembers the clients it hands out, so they can be closed with the kernel."""

        def client(self, **kwargs: Any) -> Any:
            kc = super().client(**kwargs)
            self.__dict__.setdefault("_workshop_clients", []).append(kc)
            return kc

    return _TrackingKernelManager


_LIVE_KERNELS: set["WarmKernel"] = set()  # not shut down yet (their stderr files, on exit)


class WarmKernel:
    """A fresh ``python3`` kernel started *before* its client is known.

    Started with cwd = the template's folder, the IPython history in memory, its connection
    file and stderr in this process's private kernel folder (:func:`open_kernel_dir`), and
    :data:`PRELOAD` as start-up line (imports and data tables only),
    so its start and imports overlap other work (the previous client's HTML and exports in
    a worker, the CLI's own imports and validation for a single plan). Still one kernel per
    client: :func:`build_one` runs one notebook in it and shuts it down (``now=True``);
    a kernel that gets no client is shut down with :meth:`shutdown`. In a worker whose zygote
    works, the kernel process is forked by the zygote (:func:`_provisioner_class`), else
    jupyter_client launches ``python -m ipykernel_launcher`` as usual.
    """

    def __init__(self, cwd: str | os.PathLike[str] | None = None, preload: bool = True):
        from jupyter_core.utils import run_sync

        folder = _kernel_dir()  # private (0700), never $TMPDIR or $JUPYTER_RUNTIME_DIR
        token = secrets.token_hex(8)
        self.stderr_path = folder / f"workshop-kernel-{token}.log"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.stderr_path, flags, 0o600)
        self.km = _kernel_manager_class()(kernel_name="python3")
        self.km.connection_file = str(folder / f"kernel-{token}.json")
        self.connection_file = Path(self.km.connection_file)
        if _ZYGOTE is not None and not _ZYGOTE.broken:  # a worker: fork from its zygote
            import uuid

            self.km.kernel_id = str(uuid.uuid4())
            prov = _provisioner_class()(
                kernel_id=self.km.kernel_id, kernel_spec=self.km.kernel_spec, parent=self.km
            )
            prov.zygote = _ZYGOTE
            prov.stderr_path = str(self.stderr_path)
            self.km.provisioner = prov
        args = ["--HistoryManager.hist_file=:memory:"]
        if preload:
            args.append(f"--IPKernelApp.exec_lines={PRELOAD}")
        try:
            run_sync(self.km.start_kernel)(
                cwd=str(cwd or template_path().parent), extra_arguments=args, stderr=fd
            )
        finally:
            os.close(fd)
        self.closed = False
        _LIVE_KERNELS.add(self)

    def alive(self) -> bool:
        """True while the kernel process runs (checked before a client is given to it)."""
        from jupyter_core.utils import run_sync

        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001
            return False

    def stderr_text(self) -> str:
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def shutdown(self) -> None:
        """Kill the kernel now, close its clients and channels, remove its stderr file."""
        if self.closed:
            return
        self.closed = True
        _LIVE_KERNELS.discard(self)
        from jupyter_core.utils import run_sync

        for kc in self.km.__dict__.get("_workshop_clients", []):
            try:
                kc.stop_channels()
            except Exception:  # noqa: BLE001
                pass
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - already dead
            try:
                run_sync(self.km.cleanup_resources)()
            except Exception:  # noqa: BLE001
                pass
        self.forget_files()

    def forget_files(self) -> None:
        """Remove the kernel's connection file (its HMAC key) and stderr file."""
        for path in (self.stderr_path, self.connection_file):
            with contextlib.suppress(OSError):
                path.unlink()


# --- Kernel zygote (workers only) ----------------------------------------------------------
#
# A worker's kernels are forked from one pre-imported helper process (the "zygote"): it has
# imported ipykernel, pandas, numpy, plotly and workshop.report_view, run
# report_view.prewarm() (modules, catalogues, bundled tables) and the report's sections once
# on the bundled demo plan (:func:`_zygote_warm_up`: first-call costs; never a client's
# plan), without any zmq context, socket, event loop, thread (OpenBLAS limited to 1 thread)
# or kernel. For each client it os.fork()s a child that becomes an ordinary IPKernelApp on
# the connection file jupyter_client wrote (its own session, stderr file, cwd, environment,
# freshly seeded `random` and numpy generators): still one fresh process per client, without
# the ~1 s interpreter start, imports and first-call costs. Lifetimes: the
# zygote gets PR_SET_PDEATHSIG=SIGKILL (it dies with its worker, even on SIGKILL) and exits
# when the worker closes its socket; each kernel gets PR_SET_PDEATHSIG=SIGKILL towards the
# zygote and watches it like a normal kernel watches its parent (JPY_PARENT_PID). Any
# problem with the zygote falls back to the normal launch; ``WORKSHOP_NO_ZYGOTE=1`` forces it.

ZYGOTE_ENV = "WORKSHOP_NO_ZYGOTE"
ZYGOTE_TIMEOUT_S = 60.0
_PR_SET_PDEATHSIG = 1
_ZYGOTE: "_Zygote | None" = None  # this worker's zygote (None: normal kernel launches)


def _set_pdeathsig(signum: int = signal.SIGKILL) -> None:
    """Linux: get `signum` when the parent (thread) that created this process dies."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def _pid_running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        return _pid_alive(pid) if not os.path.isdir("/proc") else False


class _Zygote:
    """The worker's side of the zygote: start it, ask it to fork kernels, close it."""

    def __init__(self) -> None:
        import socket
        import threading

        ours, theirs = socket.socketpair()
        code = (
            "import sys; sys.path[:] = [p for p in sys.path if p]; "
            "import workshop.report as r; "
            f"r._zygote_main({theirs.fileno()}, {os.getpid()})"
            "  # workshop kernel zygote: forks ipykernel kernels"
        )
        env = dict(os.environ)
        env.setdefault("OPENBLAS_NUM_THREADS", "1")  # no BLAS thread pool before fork()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", code],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                cwd=str(template_path().parent),
                env=env,
            )
        finally:
            theirs.close()
        self.sock = ours
        self.sock.settimeout(ZYGOTE_TIMEOUT_S)
        self.file = ours.makefile("rwb")
        self.lock = threading.Lock()
        self.ready = False
        self.broken = False

    def _reply(self) -> dict[str, Any]:
        line = self.file.readline()
        if not line:
            raise RuntimeError("kernel zygote closed its socket")
        return json.loads(line)

    def fork(self, argv: list[str], env: dict[str, str], cwd: str, stderr: str) -> int:
        """A new kernel process (`argv` for IPKernelApp): its pid (its own session)."""
        with self.lock:
            if self.broken:
                raise RuntimeError("kernel zygote unavailable")
            try:
                if not self.ready:
                    if self._reply().get("ready") is None:
                        raise RuntimeError("kernel zygote did not start")
                    self.ready = True
                request = {"argv": argv, "env": env, "cwd": cwd, "stderr": stderr}
                self.file.write(json.dumps(request).encode() + b"\n")
                self.file.flush()
                reply = self._reply()
                pid = int(reply["pid"])
            except BaseException:
                self.broken = True
                self.close()
                raise
            return pid

    def close(self) -> None:
        """Close the socket (the zygote exits) and make sure the process is gone."""
        with contextlib.suppress(Exception):
            self.file.close()
        with contextlib.suppress(Exception):
            self.sock.close()
        try:
            self.proc.wait(timeout=2)
        except Exception:  # noqa: BLE001
            with contextlib.suppress(Exception):
                self.proc.kill()
                self.proc.wait(timeout=2)


def _zygote_for_worker() -> "_Zygote | None":
    if os.environ.get(ZYGOTE_ENV, "").strip() not in ("", "0") or not sys.platform.startswith(
        "linux"
    ):
        return None
    try:
        return _Zygote()
    except Exception:  # noqa: BLE001 - normal kernel launches
        return None


def _zygote_main(fd: int, worker_pid: int) -> None:
    """The zygote process: pre-import, then fork one kernel per request on socket `fd`."""
    import socket

    _set_pdeathsig(signal.SIGKILL)
    if os.getppid() != worker_pid:  # the worker died before prctl
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the worker decides
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped by the system
    sock = socket.socket(fileno=fd)
    f = sock.makefile("rwb")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    import ipykernel.kernelapp  # noqa: F401
    import ipykernel.ipkernel  # noqa: F401

    with contextlib.suppress(Exception):  # imported by every kernel's start (debugpy)
        import ipykernel.debugger  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401

    from workshop import report_view

    report_view.prewarm()
    _zygote_warm_up()
    # everything imported so far lives as long as the kernels: out of the cyclic GC's sight
    # (gc.freeze), the kernels' collections neither scan nor copy-on-write these pages
    import gc

    gc.collect()
    gc.freeze()
    f.write(json.dumps({"ready": os.getpid()}).encode() + b"\n")
    f.flush()
    me = os.getpid()
    while True:
        line = f.readline()
        if not line:
            break
        try:
            req = json.loads(line)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _zygote_child(req, sock, f, me)  # never returns
            f.write(json.dumps({"pid": pid}).encode() + b"\n")
        except Exception as exc:  # noqa: BLE001 - the worker falls back
            f.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode() + b"\n")
        f.flush()
    os._exit(0)


def _zygote_warm_up() -> None:
    """Run the report's sections once, in every language, on the *bundled demo plan* (example
    data shipped with the toolkit, never a client's plan), and throw the results away.

    A fresh kernel pays ≈ 0.5-0.7 s of first-call costs in the cells (lazy imports, babel
    locale data, plotly templates, pandas code paths); paid here once, before any fork,
    they are shared by every kernel forked afterwards. Only module-level state warms up:
    the report functions keep no plan in a cache (the caches hold formatted dates, the
    bundled tables and plotly templates). Errors are ignored (the kernels then pay them).
    """
    import io

    from workshop import report_view

    sections = (
        "title_page",
        "summary",
        "platforms_section",
        "capacity_section",
        "schedule_section",
        "roi_section",
        "assumptions_section",
    )
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            path = data.demo_plan()
            plan = plan_mod.load(path)
            for lang in i18n.LANGUAGES:
                for name in sections:
                    getattr(report_view, name)(plan, lang)
                report_view.run_info(plan, lang, plan_path=str(path), language_param="")
            del plan
    except Exception:  # noqa: BLE001 - only a warm-up
        pass


def _zygote_child(req: dict[str, Any], sock: Any, f: Any, zygote_pid: int) -> None:
    """In the forked child: become a fresh IPKernelApp for the request; never returns."""
    code = 1
    try:
        os.setsid()  # its own process group: the worker signals the group, like jupyter_client
        _set_pdeathsig(signal.SIGKILL)
        if os.getppid() != zygote_pid:
            os._exit(1)
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        with contextlib.suppress(Exception):
            f.close()
        with contextlib.suppress(Exception):
            sock.close()
        err = os.open(req["stderr"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.dup2(err, 2)
        os.close(err)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(req["cwd"])
        env = dict(req["env"])
        env["JPY_PARENT_PID"] = str(zygote_pid)
        os.environ.clear()
        os.environ.update(env)
        sys.path.insert(0, req["cwd"])
        import random

        import numpy

        random.seed()
        numpy.random.seed()  # a fork would otherwise share the zygote's random state
        from ipykernel.kernelapp import IPKernelApp

        # parent_handle's default was read from the zygote's environment at import time
        argv = [*req["argv"], f"--IPKernelApp.parent_handle={zygote_pid}"]
        sys.argv = [sys.executable, "-m", "ipykernel_launcher", *argv]
        IPKernelApp.launch_instance(argv=argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001
        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


_PROVISIONER_CLASS: list[type] = []


def _provisioner_class() -> type:
    """The kernel provisioner of zygote kernels (the class is built once, on first use)."""
    if _PROVISIONER_CLASS:
        return _PROVISIONER_CLASS[0]
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    class _ZygoteProvisioner(LocalProvisioner):
        """LocalProvisioner whose kernels are forked by the worker's zygote (see above);
        falls back to the normal launch (``self.process``) if the zygote fails."""

        zygote: Any = None
        stderr_path: str = ""
        zpid: int | None = None

        @property
        def has_process(self) -> bool:
            return self.process is not None or self.zpid is not None

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            z = self.zygote
            if z is not None and len(cmd) >= 3 and list(cmd[1:3]) == ["-m", "ipykernel_launcher"]:
                cwd = str(kwargs.get("cwd") or os.getcwd())
                try:
                    pid = z.fork(
                        list(cmd[3:]), dict(kwargs.get("env") or os.environ), cwd, self.stderr_path
                    )
                except Exception:  # noqa: BLE001 - normal launch below
                    pid = None
                if pid:
                    self.zpid = self.pid = self.pgid = pid
                    self.cwd = cwd
                    return self.connection_info
            return await super().launch_kernel(cmd, **kwargs)

        async def poll(self) -> int | None:
            if self.process is not None or self.zpid is None:
                return await super().poll()
            return None if _pid_running(self.zpid) else 0

        async def wait(self) -> int | None:
            if self.process is not None or self.zpid is None:
                return await super().wait()
            import asyncio

            while _pid_running(self.zpid):
                await asyncio.sleep(0.02)
            self.zpid = None
            return 0

        async def send_signal(self, signum: int) -> None:
            if self.process is not None or self.zpid is None:
                return await super().send_signal(signum)
            try:
                os.killpg(self.zpid, signum)
            except ProcessLookupError:
                pass
            except OSError:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.zpid, signum)

        async def kill(self, restart: bool = False) -> None:
            if self.process is not None or self.zpid is None:
                return await super().kill(restart=restart)
            await self.send_signal(signal.SIGKILL)

        async def terminate(self, restart: bool = False) -> None:
            if self.process is not None or self.zpid is None:
                return await super().terminate(restart=restart)
            await self.send_signal(signal.SIGTERM)

    _PROVISIONER_CLASS.append(_ZygoteProvisioner)
    return _ZygoteProvisioner


def _execute(
    nb_path: Path, params: dict[str, Any], public: dict[str, Any], kernel: WarmKernel
) -> Any:
    """Run the template in `kernel` with papermill; return the executed notebook (also
    written to `nb_path`, at the end or at the failing cell), with papermill's record of
    this machine's paths replaced by `public` (:func:`scrub_notebook`) in both."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    template = template_path()
    try:
        nb = papermill.execute_notebook(
            str(template),
            str(nb_path),
            parameters=params,
            kernel_name="python3",
            log_output=False,
            progress_bar=False,
            request_save_on_cell_execute=False,
            km=kernel.km,
        )
    except PapermillExecutionError:
        with contextlib.suppress(Exception):  # the failure is what matters
            _scrub_saved(nb_path, public)
        raise
    scrub_notebook(nb, public)
    _save_notebook(nb, nb_path)
    return nb


def scrub_notebook(nb: Any, public: dict[str, Any]) -> None:
    """Remove this machine's paths from what papermill recorded in `nb`, in place: the
    parameters (``metadata.papermill.parameters`` and the injected-parameters cell) become
    `public` (the plan's copy as ``plan.yaml``, relative to the report folder; the plan's
    file name), the template and output paths their file names."""
    from papermill.translators import translate_parameters

    meta = nb.get("metadata", {}).get("papermill")
    if isinstance(meta, dict):
        meta["input_path"] = template_path().name
        meta["output_path"] = "report.ipynb"
        meta["parameters"] = dict(public)
    for cell in nb.get("cells", []):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["source"] = translate_parameters("python3", "python", dict(public), "Parameters")


def _save_notebook(nb: Any, path: Path) -> None:
    """Write `nb` as papermill does (same bytes), without validating it again (≈ 2x faster:
    papermill's notebook was just validated)."""
    from nbformat.v4 import nbjson

    path.write_text(nbjson.writes(nb), encoding="utf-8")


def _scrub_saved(path: Path, public: dict[str, Any]) -> None:
    import nbformat

    nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    scrub_notebook(nb, public)
    _save_notebook(nb, path)


class _Background:
    """Run ``fn(*args)`` in a thread, then ``then()`` if given (untimed, errors ignored);
    :meth:`result` waits and returns fn's duration in seconds (re-raising its exception),
    :meth:`wait` waits and ignores the outcome."""

    def __init__(self, fn: Any, *args: Any, then: Any = None):
        import threading

        self.error: BaseException | None = None
        self.seconds = 0.0

        def run() -> None:
            t0 = time.perf_counter()
            try:
                fn(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to result()
                self.error = exc
            self.seconds = round(time.perf_counter() - t0, 3)
            if then is not None:
                try:
                    then()
                except Exception:  # noqa: BLE001 - only a warm-up
                    pass

        self.thread = threading.Thread(target=run, name="workshop-exports", daemon=True)
        self.thread.start()

    def wait(self) -> None:
        self.thread.join()

    def result(self) -> float:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.seconds


def write_exports(plan: plan_mod.Plan, folder: Path, language: str) -> list[Path]:
    """calendar.csv, calendar.xlsx and calendar.ics of the plan's editorial calendar."""
    from workshop import exports, schedule

    cal = schedule.expand(plan, language)
    return [
        Path(
            exports.calendar_csv(cal, folder / "calendar.csv", language) or folder / "calendar.csv"
        ),
        Path(
            exports.calendar_xlsx(plan, cal, folder / "calendar.xlsx", language)
            or folder / "calendar.xlsx"
        ),
        Path(
            exports.calendar_ics(plan, cal, folder / "calendar.ics", language)
            or folder / "calendar.ics"
        ),
    ]


def _describe_failure(result: ClientResult, exc: BaseException, step: str) -> None:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        result.failed_cell = int(exc.cell_index)
        result.error_name = str(exc.ename)
        result.error_value = str(exc.evalue)
        result.error = i18n.t(
            "report.cli.failed_cell",
            result.language,
            cell=exc.cell_index,
            count=exc.exec_count,
            ename=exc.ename,
            evalue=_shorten(str(exc.evalue)),
        )
    elif _disk_full(exc):
        result.error_name = type(exc).__name__
        result.error_value = str(exc)
        result.error = i18n.t(
            "report.cli.disk_full",
            result.language,
            step=i18n.t(f"report.step.{step}", result.language),
        )
    else:
        result.error_name = type(exc).__name__
        result.error_value = str(exc)
        result.error = i18n.t(
            "report.cli.failed_step",
            result.language,
            step=i18n.t(f"report.step.{step}", result.language),
            ename=type(exc).__name__,
            evalue=_shorten(str(exc)),
        )
    result.traceback = "".join(traceback.format_exception(exc))[-4000:]


def _disk_full(exc: BaseException | None) -> bool:
    """True if `exc` (or what caused it) is a full disk or an exceeded quota."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _keep_failed(
    stage: Path, out: Path, cid: str, manifest: dict[str, Any], exc: BaseException
) -> Path:
    """Move the failed run's folder to ``out/_failed/<cid>/`` (replacing an older one of the
    tool's): the executed notebook, the plan, ``error.txt``, the kernel's stderr and a
    manifest, never a report. OSError (e.g. a full disk) or :class:`NotOurs` if it cannot."""
    payload = stage / PAYLOAD
    for name in ("report.html", "report.pdf", "calendar.csv", "calendar.xlsx", "calendar.ics"):
        (payload / name).unlink(missing_ok=True)  # only what helps debugging, never a "report"
    for leftover in payload.glob(".*.tmp"):  # a calendar file cut short
        leftover.unlink(missing_ok=True)
    (payload / "error.txt").write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    log = stage / "kernel-stderr.log"
    if log.is_file():
        os.replace(log, payload / "kernel-stderr.log")
    manifest["files"] = _files(payload) + [{"name": MANIFEST, "bytes": None}]
    _write_json(payload / MANIFEST, manifest)
    failed_root = out / FAILED_DIR
    with contextlib.suppress(FileExistsError):
        failed_root.mkdir()
    if not stat.S_ISDIR(os.lstat(failed_root).st_mode):  # a link or a file: not ours
        mode = os.lstat(failed_root).st_mode
        raise NotOurs(failed_root, cid, Foreign("link" if stat.S_ISLNK(mode) else "not_folder"))
    final = failed_root / cid
    replace_folder(payload, final, cid)
    return final


# --- Worker processes ----------------------------------------------------------------------


def _kill_children() -> None:
    """Kill this process's children (the running kernel), best effort."""
    try:
        import psutil

        for child in psutil.Process().children(recursive=True):
            try:
                child.kill()
            except psutil.Error:
                pass
    except Exception:
        pass


def _forget_everything() -> None:
    """On the way out (a signal, the parent gone): kill this process's kernels, remove its
    temporary folders, kernel files and kernel folder, release its output lock."""
    _kill_children()
    for tmp in list(_CURRENT_TMP):
        _remove_tree(tmp)
    for kernel in list(_LIVE_KERNELS):
        kernel.forget_files()
    close_kernel_dir()
    _release_run_locks()


def _worker_exit(code: int) -> None:
    _forget_everything()
    os._exit(code)


def _watch_parent() -> None:
    """Exit (killing the kernel and the temp folder) as soon as the parent process dies."""
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        _worker_exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker_main(conn: Any, out: str, pdf: bool) -> None:
    """A worker: receive ``(index, PlanInput, prewarm)`` on `conn` (the plan's bytes and the
    Plan parsed from them, never a path to read again), build each, send back the result
    dicts. Its kernels' files live in its own kernel folder (:func:`open_kernel_dir`).

    The worker keeps one :class:`WarmKernel` ahead: one is started as soon as the worker
    starts, and when a client begins, the next client's kernel is started (if the parent says
    another task may come: `prewarm`) so its start-up overlaps this client's run. A warm
    kernel that gets no client is shut down when the worker ends.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    signal.signal(signal.SIGTERM, _deferrable(lambda _signum: _worker_exit(143)))
    _watch_parent()
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    cwd = template_path().parent
    open_kernel_dir(Path(out))
    global _ZYGOTE
    _ZYGOTE = _zygote_for_worker()
    if _ZYGOTE is not None:
        import papermill  # noqa: F401 - while the zygote starts (the first fork waits for it)
    warm: WarmKernel | None = None
    try:
        warm = WarmKernel(cwd)
    except Exception:  # noqa: BLE001 - build_one starts its own kernel (and reports why)
        warm = None
    import papermill  # noqa: F401,F811 - while the kernel starts

    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                break
            if task is None:
                break
            index, plan_input, prewarm = task
            conn.send(("start", index, None))
            kernel, warm = warm, None
            if prewarm:
                try:
                    warm = WarmKernel(cwd)
                except Exception:  # noqa: BLE001
                    warm = None
            try:
                result = build_one(plan_input, out, pdf=pdf, kernel=kernel)
            except BaseException as exc:  # noqa: BLE001 - report anything, keep serving
                result = ClientResult(
                    plan_path=display_path(getattr(plan_input, "path", plan_input)),
                    status="failed",
                    error=f"{type(exc).__name__}: {exc}",
                )
            conn.send(("done", index, result.to_dict()))
    finally:
        if warm is not None:
            warm.shutdown()
        if _ZYGOTE is not None:
            _ZYGOTE.close()
            _ZYGOTE = None
        close_kernel_dir()
    conn.close()


class Interrupted(Exception):
    """The batch was stopped by a signal; `signum` says which."""

    def __init__(self, signum: int, results: list[ClientResult] | None = None):
        super().__init__(signum)
        self.signum = signum
        self.results = results or []


def _progress(total: int, enabled: bool) -> Any:
    if enabled and sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(total=total, unit="client", file=sys.stderr, dynamic_ncols=True)
    return None


def _progress_line(done: int, total: int, res: ClientResult) -> str:
    return i18n.t(
        "report.cli.progress",
        res.language,
        i=done,
        n=total,
        client=res.client_id or Path(res.plan_path).name,
        status=i18n.t(f"report.status.{res.status}", res.language),
        seconds=i18n.fmt_number(res.seconds, res.language, 1),
    )


def run_single(
    plan_input: PlanInput | str | os.PathLike[str],
    out: str | os.PathLike[str],
    pdf: bool = False,
    progress: bool = True,
    kernel: WarmKernel | None = None,
    on_interrupt: Any = None,
) -> list[ClientResult]:
    """Build one plan's report in this process (no worker process: a single report does
    not pay a second interpreter and its imports), in `kernel` if given (consumed).

    Same outputs, manifest and rules as :func:`run_batch`. SIGINT / SIGTERM end the process
    like a worker's SIGTERM: the kernel is killed, the temporary and kernel folders removed,
    the output lock released, ``on_interrupt(signum, results)`` called (the CLI prints its
    summary there) and the process exits with 130 / 143 (``os._exit``: an exception raised
    from a signal handler could leave the import lock held while the calendar thread waits
    for it). If this process is killed (SIGKILL), the kernel exits by itself within a second
    (ipykernel watches its parent) and the next run removes the temporary folders.
    """
    import psutil  # noqa: F401 - imported now: nothing is imported in the signal handler

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    lang = cli_language()
    shown = display_path(getattr(plan_input, "path", plan_input))
    previous = {}

    def interrupt(signum: int) -> None:
        _StderrToFile.restore()
        _forget_everything()
        code = 130 if signum == signal.SIGINT else 143
        try:
            if on_interrupt is not None:
                on_interrupt(
                    signum,
                    [ClientResult(plan_path=shown, status="interrupted", language=lang)],
                )
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)

    on_signal = _deferrable(interrupt)
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[signum] = signal.signal(signum, on_signal)
        except ValueError:  # not the main thread: leave signals alone
            pass
    try:
        open_kernel_dir(out)
        res = build_one(plan_input, out, pdf=pdf, kernel=kernel)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        close_kernel_dir()
    if progress:
        print(_progress_line(1, 1, res), file=sys.stderr, flush=True)
    return [res]


def run_batch(
    plan_inputs: list[PlanInput | str | os.PathLike[str]],
    out: str | os.PathLike[str],
    jobs: int | None = None,
    pdf: bool = False,
    progress: bool = True,
) -> list[ClientResult]:
    """Build every plan's report with `jobs` worker processes (default: the number of cores).

    `plan_inputs`: the plans as validated (:class:`PlanInput`, see :func:`load_inputs`), sent
    to the workers as they are (bytes and Plan, never the path); a bare path is read once
    here (``invalid`` if it is not a valid plan). Workers are ``spawn`` processes
    (a clean interpreter each, no inherited threads or kernels), each running one client at a
    time in its own kernel; a worker that dies is replaced and its client marked failed.
    Progress: a tqdm bar when stderr is a terminal, else one plain line per client
    (``[3/10] demo-cafe ok 7.1 s``). SIGINT / SIGTERM stop the workers (their temporary
    folders are removed) and raise :class:`Interrupted` after the partial results are
    recorded; only complete client folders remain.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    items = [_as_input(p) for p in plan_inputs]
    early = [r for r in items if isinstance(r, ClientResult)]
    inputs = [i for i in items if isinstance(i, PlanInput)]
    paths = [display_path(i.path) for i in inputs]
    total = len(inputs)
    results: list[ClientResult | None] = [None] * total
    if not inputs:
        return early
    jobs = max(1, min(jobs or os.cpu_count() or 1, total))
    ctx = multiprocessing.get_context("spawn")
    lang = cli_language()
    bar = _progress(total, progress)
    pending = list(range(total))
    workers: dict[int, dict[str, Any]] = {}
    done_count = 0
    received: list[int] = []

    def start_worker() -> None:
        parent_conn, child_conn = ctx.Pipe()
        proc = ctx.Process(
            target=_worker_main,
            args=(child_conn, str(out), pdf),
            name="workshop-report-worker",
            daemon=False,
        )
        proc.start()
        child_conn.close()
        workers[proc.sentinel] = {"proc": proc, "conn": parent_conn, "task": None, "warm": True}

    def dispatch(w: dict[str, Any]) -> None:
        if pending and w["task"] is None:
            index = pending.pop(0)
            w["task"] = index
            # prewarm the worker's next kernel only if some task may be left for it
            others = sum(1 for x in workers.values() if x is not w and x["warm"])
            w["warm"] = len(pending) > others
            w["conn"].send((index, inputs[index], w["warm"]))

    def record(index: int, res: ClientResult) -> None:
        nonlocal done_count
        results[index] = res
        done_count += 1
        received.append(index)
        line = _progress_line(done_count, total, res)
        if bar is not None:
            bar.update(1)
            bar.write(line, file=sys.stderr)
        elif progress:
            print(line, file=sys.stderr, flush=True)

    previous = {}

    def on_signal(signum: int, _frame: Any) -> None:
        raise Interrupted(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[signum] = signal.signal(signum, on_signal)
        except ValueError:  # not the main thread: leave signals alone
            pass
    try:
        for _ in range(jobs):
            start_worker()
        for w in list(workers.values()):
            dispatch(w)
        while done_count < total:
            conns = {w["conn"]: key for key, w in workers.items()}
            ready = wait(list(conns) + list(workers), timeout=1.0)
            for obj in ready:
                if obj in conns:
                    key = conns[obj]
                    w = workers.get(key)
                    if w is None:
                        continue
                    try:
                        kind, index, payload = w["conn"].recv()
                    except (EOFError, OSError):
                        continue  # the sentinel will tell us the worker died
                    if kind == "done":
                        w["task"] = None
                        record(index, ClientResult(**payload))
                        dispatch(w)
            for key in [k for k in ready if k in workers]:
                w = workers.pop(key)
                w["proc"].join(timeout=1)
                # drain a result sent just before the worker ended
                try:
                    while w["conn"].poll():
                        kind, index, payload = w["conn"].recv()
                        if kind == "done":
                            w["task"] = None
                            record(index, ClientResult(**payload))
                except (EOFError, OSError):
                    pass
                if w["task"] is not None and results[w["task"]] is None:
                    code = w["proc"].exitcode
                    res = ClientResult(
                        plan_path=paths[w["task"]],
                        status="failed",
                        language=lang,
                        error=i18n.t("report.cli.worker_died", lang, code=code),
                    )
                    record(w["task"], res)
                if pending:
                    start_worker()
                    for nw in workers.values():
                        dispatch(nw)
    except Interrupted as exc:
        _stop_workers(workers)
        for index, res in enumerate(results):
            if res is None:
                results[index] = ClientResult(
                    plan_path=paths[index], status="interrupted", language=lang
                )
        raise Interrupted(exc.signum, [r for r in results if r is not None] + early) from None
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for w in workers.values():
            try:
                w["conn"].send(None)
            except (OSError, ValueError):
                pass
        for w in workers.values():
            w["proc"].join(timeout=10)
            if w["proc"].is_alive():
                w["proc"].kill()
        if bar is not None:
            bar.close()
    return [r for r in results if r is not None] + early


def _stop_workers(workers: dict[int, dict[str, Any]]) -> None:
    for w in workers.values():
        if w["proc"].is_alive():
            w["proc"].terminate()  # SIGTERM: the worker kills its kernel and temp folder
    deadline = time.monotonic() + 10
    for w in workers.values():
        w["proc"].join(timeout=max(0.1, deadline - time.monotonic()))
        if w["proc"].is_alive():
            w["proc"].kill()
            w["proc"].join(timeout=2)
    workers.clear()


# --- Summary and CLI entry points ----------------------------------------------------------

BAD_INPUT = ("invalid", "refused")  # exit status 2


def exit_status(results: list[ClientResult]) -> int:
    """0 all ok; 2 any bad input (an invalid plan, a client refused because its folder is not
    the tool's); else 1 if any client failed (or was interrupted)."""
    if any(r.status in BAD_INPUT for r in results):
        return 2
    if any(r.status != "ok" for r in results):
        return 1
    return 0


def summary_table(results: list[ClientResult], language: str | None = None) -> str:
    """The end-of-batch table: client, status, time, output folder or error."""
    lang = language or cli_language()
    head = [
        i18n.t("report.cli.col_client", lang),
        i18n.t("report.cli.col_status", lang),
        i18n.t("report.cli.col_time", lang),
        i18n.t("report.cli.col_result", lang),
    ]
    rows = []
    for r in results:
        client = r.client_id or Path(r.plan_path).name
        status = i18n.t(f"report.status.{r.status}", r.language)
        seconds = f"{i18n.fmt_number(r.seconds, lang, 1)} s" if r.seconds else "-"
        if r.status == "ok":
            detail = r.out_dir
        elif r.status == "invalid":
            detail = f"{r.plan_path}: " + "; ".join(r.problems or [r.error])
        elif r.status in ("failed", "refused"):
            detail = r.error
            if r.failed_dir:
                detail += "  → " + i18n.t("report.cli.failed_kept", r.language, path=r.failed_dir)
        else:
            detail = r.plan_path
        rows.append([client, status, seconds, detail])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    widths[-1] = 0
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths)).rstrip()]
    lines.append("  ".join("-" * max(w, 6) for w in widths).rstrip())
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


def _printable_streams() -> None:
    """Never a UnicodeEncodeError on the terminal (a terminal that is not UTF-8, a name that
    slipped through :func:`display_path`): unprintable characters become escapes."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.reconfigure(errors="backslashreplace")


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_cli(paths: list[str], out: str, jobs: int | None, pdf: bool) -> int:
    """``workshop report``: check ``--out``, validate all (bytes read once), lock and clean
    the output folder, refuse the clients whose folders are not the tool's, build the rest,
    print a summary; exit status as in the module docstring (bad input is reported and
    skipped, the rest built, 2). No kernel starts before all of that is done."""
    lang = cli_language()
    _printable_streams()
    if jobs is not None and jobs < 1:
        _err(i18n.t("report.cli.bad_jobs", lang, jobs=jobs))
        return 2
    if not template_path().is_file():
        _err(i18n.t("report.cli.no_template", lang, path=display_path(template_path())))
        return 2
    out_dir = Path(out)
    problem = check_out(out_dir, lang)
    if problem is not None:
        _err(problem)
        return 2
    inputs, problems = load_inputs(paths)
    for res in problems:
        _err(res.error)
    if not inputs and not problems:
        _err(i18n.t("report.cli.no_plans", lang, paths=", ".join(map(display_path, paths))))
        return 2
    results: list[ClientResult] = []
    started = time.perf_counter()
    shown_out = display_path(out_dir.resolve())
    if inputs:
        try:
            lock = prepare_output(out_dir, lang)
        except OutputProblem as exc:
            _err(exc.message)
            return 2
        try:
            inputs, refused = check_ownership(inputs, out_dir)
            for res in refused:
                _err(res.error)
            problems = problems + refused
            if inputs:
                n_jobs = max(1, min(jobs or os.cpu_count() or 1, len(inputs)))
                _err(
                    i18n.t(
                        "report.cli.starting",
                        lang,
                        n=len(inputs),
                        jobs=n_jobs,
                        out=display_path(out_dir),
                    )
                )
                try:
                    if len(inputs) == 1:

                        def interrupted(signum: int, partial: list[ClientResult]) -> None:
                            print(file=sys.stderr)
                            print(summary_table(partial + problems, lang), file=sys.stderr)
                            _err(i18n.t("report.cli.interrupted", lang, out=shown_out))

                        built = run_single(inputs[0], out_dir, pdf=pdf, on_interrupt=interrupted)
                    else:
                        built = run_batch(inputs, out_dir, jobs=jobs, pdf=pdf)
                except Interrupted as exc:
                    print(file=sys.stderr)
                    print(summary_table(exc.results + problems, lang), file=sys.stderr)
                    _err(i18n.t("report.cli.interrupted", lang, out=shown_out))
                    return 130 if exc.signum == signal.SIGINT else 143
                results = built
                for res in built:
                    for note in res.notes:
                        _err(f"{res.client_id}: {note}")
        finally:
            lock.release()
            with contextlib.suppress(ValueError):
                _RUN_LOCKS.remove(lock)
    results = results + problems
    elapsed = time.perf_counter() - started
    print()
    print(summary_table(results, lang))
    ok = sum(r.ok for r in results)
    print()
    print(
        i18n.t(
            "report.cli.done",
            lang,
            ok=ok,
            total=len(results),
            seconds=i18n.fmt_number(elapsed, lang, 1),
            out=shown_out,
        )
    )
    return exit_status(results)


def validate_cli(paths: list[str]) -> int:
    """``workshop validate``: check plans without running anything (0 all valid, else 2)."""
    lang = cli_language()
    _printable_streams()
    inputs, problems = load_inputs(paths)
    if not inputs and not problems:
        _err(i18n.t("report.cli.no_plans", lang, paths=", ".join(map(display_path, paths))))
        return 2
    for item in inputs:
        plan = item.plan
        print(
            i18n.t(
                "report.cli.valid",
                plan.language,
                path=display_path(item.path),
                client=plan.client.id,
            )
        )
    for res in problems:
        _err(res.error)
    print(i18n.t("report.cli.validate_summary", lang, ok=len(inputs), bad=len(problems)))
    return 2 if problems else 0
