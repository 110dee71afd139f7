"""One client's report, built atomically: :func:`build_one`, used by every path.

The single plan (in the CLI process), each task of a local batch (a worker process) and
each task of a Dask batch (a Dask worker, into its own scratch folder) all call
:func:`build_one`. Per client, in ``OUT/<client-id>/``::

    report.ipynb  report.html  [report.pdf]  calendar.csv  calendar.xlsx  calendar.ics
    plan.yaml  manifest.json

Everything is written into ``OUT/.tmp-<id>-<pid>-<8 hex>/report/``, flushed to disk, then
swapped in (:func:`workshop.report.outdir.replace_folder`); a failed run keeps the executed
notebook, ``error.txt``, the kernel's stderr, the plan and a manifest in
``OUT/_failed/<id>/``. Building the same input twice gives the same folder (idempotent).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import hashlib
import json
import os
import stat
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workshop import __version__, data, fsutil, i18n
from workshop import plan as plan_mod
from workshop.report import html, kernels, pdf
from workshop.report.calendars import TOOL_FILES, write_exports
from workshop.report.guard import Guard
from workshop.report.inputs import (
    ClientResult,
    PlanInput,
    as_input,
    display_path,
    reason,
    template_path,
)
from workshop.report.outdir import (
    GENERATOR,
    MANIFEST,
    PAYLOAD,
    NotOurs,
    new_staging,
    publish_failed,
    publish_report,
    refusal_message,
)

STEPS = ("validate", "execute", "html", "exports", "pdf")
PLAN_COPY = "plan.yaml"  # the plan's bytes, as validated, in the client's folder
KERNEL_LOG = "kernel-stderr.log"
REPORT_FILES = ("report.html", "report.pdf", "calendar.csv", "calendar.xlsx", "calendar.ics")


def build_one(
    plan_input: PlanInput | str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    pdf: bool = False,
    capture_stderr: bool = True,
    kernel: kernels.WarmKernel | None = None,
    guard: Guard | None = None,
) -> ClientResult:
    """Build one client's report into ``out_dir/<client-id>/`` (atomically).

    `plan_input`: the plan as validated (:class:`PlanInput`: its bytes, read once, and the
    Plan parsed from them), or a path, read once here. Steps, each timed in the manifest:
    validate, execute (papermill, cwd = the template's folder, on the copy ``plan.yaml`` of
    the bytes in the client's folder), html (on the notebook papermill returns, scrubbed of
    machine paths), exports (calendar CSV/XLSX/ICS from ``schedule.expand`` of the same Plan,
    written in a thread *while the kernel runs*; its duration is the thread's own time), pdf
    (optional). `kernel`: a :class:`~workshop.report.kernels.WarmKernel` started earlier
    (consumed: always shut down here); None starts one now. `guard`: this process's undo
    list (:class:`~workshop.report.guard.Guard`), None for a private one.

    Never raises for a client's own failure: the result says ``failed`` with the failing
    cell, and the executed notebook is kept in ``out_dir/_failed/<client-id>/``;
    ``refused`` if ``out_dir/<client-id>/`` turned out not to be the tool's at the swap.
    """
    started = time.perf_counter()
    shown = plan_input.path if isinstance(plan_input, PlanInput) else os.fspath(plan_input)
    try:
        item = as_input(plan_input)
        if isinstance(item, ClientResult):  # a bare path that is not a valid plan
            item.seconds = round(time.perf_counter() - started, 3)
            return item
        build = _Build(item, Path(out_dir).resolve(), pdf, capture_stderr, guard or Guard())
        build.result.plan_path = display_path(shown)
        return build.run(kernel, started)
    finally:
        if kernel is not None:
            kernel.shutdown()


class _Background:
    """Run ``fn(*args)`` in a thread, then ``then()`` if given (untimed, errors ignored);
    :meth:`result` waits and returns fn's duration in seconds (re-raising its exception),
    :meth:`wait` waits and ignores the outcome."""

    def __init__(self, fn: Callable[..., Any], *args: Any, then: Callable[[], Any] | None = None):
        self.error: BaseException | None = None
        self.seconds = 0.0
        self.thread = threading.Thread(
            target=self._run, args=(fn, args, then), name="workshop-exports", daemon=True
        )
        self.thread.start()

    def _run(self, fn: Callable[..., Any], args: tuple, then: Callable[[], Any] | None) -> None:
        t0 = time.perf_counter()
        try:
            fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to result()
            self.error = exc
        self.seconds = round(time.perf_counter() - t0, 3)
        if then is not None:
            with contextlib.suppress(Exception):  # only a warm-up
                then()

    def wait(self) -> None:
        self.thread.join()

    def result(self) -> float:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.seconds


class StderrToFile:
    """Redirect this process's fd 2 (and so the kernel's stderr, inherited) to a file; the
    guard's :meth:`~workshop.report.guard.Guard.undo` gives fd 2 back first."""

    def __init__(self, path: Path, guard: Guard):
        self.path = path
        self.guard = guard

    def __enter__(self) -> StderrToFile:
        sys.stderr.flush()
        self.saved = os.dup(2)
        self.fh = open(self.path, "ab")
        os.dup2(self.fh.fileno(), 2)
        self.guard.redirect = self
        return self

    def __exit__(self, *exc: Any) -> None:
        sys.stderr.flush()
        self.guard.redirect = None
        os.dup2(self.saved, 2)
        os.close(self.saved)
        self.fh.close()

    def restore(self) -> None:
        """Give fd 2 back to the real stderr now (a signal handler about to exit)."""
        os.dup2(self.saved, 2)


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def _files(folder: Path) -> list[dict[str, Any]]:
    return [
        {"name": p.name, "bytes": p.lstat().st_size}
        for p in sorted(folder.iterdir())
        if stat.S_ISREG(p.lstat().st_mode)
    ]


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """``manifest.json`` listing every regular file of `folder` (and itself)."""
    manifest["files"] = _files(folder) + [{"name": MANIFEST, "bytes": None}]
    (folder / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )


def _as_of() -> dict[str, str]:
    try:
        return {k: v.isoformat() for k, v in data.as_of().items()}
    except Exception:  # noqa: BLE001 - a missing datasets.yaml must not stop a report
        return {}


@dataclasses.dataclass
class _Build:
    """The state of one client's build; :meth:`run` goes through the steps."""

    item: PlanInput
    out: Path
    pdf: bool
    capture_stderr: bool
    guard: Guard
    stage: Path | None = None
    step: str = "execute"
    exports: _Background | None = None

    def __post_init__(self) -> None:
        plan = self.item.plan
        self.lang, self.cid = plan.language, plan.client.id
        self.result = ClientResult(
            plan_path=display_path(self.item.path),
            client_id=self.cid,
            client_name=plan.client.name,
            language=self.lang,
        )
        self.durations = {step: 0.0 for step in STEPS}
        self.public = {"plan_path": PLAN_COPY, "plan_name": self.item.name, "language": ""}
        self.manifest: dict[str, Any] = {
            "generator": GENERATOR,
            "toolkit_version": __version__,
            "client_id": self.cid,
            "language": self.lang,
            "plan": {
                "name": self.item.name,
                "file": PLAN_COPY,
                "sha256": hashlib.sha256(self.item.raw).hexdigest(),
                "plan_hash": plan_mod.plan_hash(plan),
            },
            "parameters": self.public,
            "template": template_path().name,
            "data_as_of": _as_of(),
            "started": _now(),
        }

    @property
    def payload(self) -> Path:
        assert self.stage is not None
        return self.stage / PAYLOAD

    def run(self, kernel: kernels.WarmKernel | None, started: float) -> ClientResult:
        self.started = started
        self.durations["validate"] = round(self.item.seconds, 3)
        try:
            self._stage()
            nb = self._execute(kernel)
            self._timed("html", self._html, nb)
            self.step = "exports"
            self.durations["exports"] = self.exports.result()
            self.exports = None
            if self.pdf:
                self._timed("pdf", self._pdf)
            return self._save()
        except NotOurs as exc:  # the folder changed during the run: it stays as it is
            self._wait_exports()
            return self._refused(exc)
        except BaseException as exc:  # one client's failure never stops the others
            self._wait_exports()
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            return self._failed(exc)
        finally:
            if self.stage is not None:
                fsutil.remove_tree(self.stage)
                with contextlib.suppress(ValueError):
                    self.guard.folders.remove(self.stage)

    def _timed(self, step: str, fn: Callable[..., Any], *args: Any) -> None:
        self.step = step
        t0 = time.perf_counter()
        fn(*args)
        self.durations[step] = round(time.perf_counter() - t0, 3)

    def _stage(self) -> None:
        self.stage = new_staging(self.out, "tmp", self.cid, self.guard)
        self.payload.mkdir()
        with open(self.payload / PLAN_COPY, "xb") as fh:  # the kernel runs on these bytes
            fh.write(self.item.raw)

    def _execute(self, kernel: kernels.WarmKernel | None) -> Any:
        if kernel is not None and not kernel.alive():  # e.g. died with its fork-server
            kernel.shutdown()
            kernel = None
        own = None
        if kernel is None:
            kernel = own = kernels.WarmKernel(template_path().parent, guard=self.guard)
        self.manifest["kernel"] = "forked" if kernel.forked else "launched"
        with self.guard.critical():  # never a writing thread we do not know about
            then = None if html.html_ready() else html.warm_html
            self.exports = _Background(
                write_exports, self.item.plan, self.payload, self.lang, then=then
            )
        t0 = time.perf_counter()
        log_path = self.stage / KERNEL_LOG
        params = dict(self.public, plan_path=str(self.payload / PLAN_COPY))
        redirect = StderrToFile(log_path, self.guard) if self.capture_stderr else None
        try:
            with redirect or contextlib.nullcontext():
                try:
                    nb = kernels.execute(self.payload / "report.ipynb", params, self.public, kernel)
                except RuntimeError as exc:
                    if not kernels.died_at_start(exc):
                        raise
                    # The kernel died before it answered (e.g. a port another process took
                    # between jupyter_client choosing it and the kernel binding it): no cell
                    # of the client's ran, so one fresh kernel, launched, runs it again.
                    self._keep_log(kernel.stderr_text(), log_path)
                    if own is not None:
                        own.shutdown()
                    kernel = own = kernels.WarmKernel(template_path().parent, guard=self.guard)
                    self.manifest["kernel"] = "launched"
                    self.manifest["kernel_restarts"] = 1
                    nb = kernels.execute(self.payload / "report.ipynb", params, self.public, kernel)
        finally:
            self._keep_log(kernel.stderr_text(), log_path)
            if own is not None:
                own.shutdown()
        self.durations["execute"] = round(time.perf_counter() - t0, 3)
        return nb

    def _keep_log(self, log: str, log_path: Path) -> None:
        if log and self.capture_stderr:
            with contextlib.suppress(OSError), open(log_path, "a", encoding="utf-8") as fh:
                fh.write(log)
        elif log:
            sys.stderr.write(log)

    def _html(self, nb: Any) -> None:
        title = f"{self.item.plan.client.name} · {i18n.t('report.title.label', self.lang)}"
        page = html.html_report(nb, title, self.lang)
        (self.payload / "report.html").write_text(page, encoding="utf-8")

    def _pdf(self) -> None:
        self.manifest["pdf"], message = pdf.pdf_step(self.payload, self.lang, scratch=self.stage)
        if message:
            self.result.notes.append(message)

    def _finish(self, status: str, **extra: Any) -> None:
        self.result.status = status
        self.result.seconds = round(time.perf_counter() - self.started, 3)
        self.manifest.update(
            status=status,
            finished=_now(),
            seconds=self.result.seconds,
            durations=self.durations,
            **extra,
        )

    def _save(self) -> ClientResult:
        self.step = "save"
        self._finish("ok", notes=self.result.notes)
        self.result.status = "failed"  # until the folder is in place
        write_manifest(self.payload, self.manifest)
        final, notes = publish_report(self.payload, self.out, self.cid, self.lang, self.guard)
        self.result.notes.extend(notes)
        self.result.status, self.result.out_dir = "ok", display_path(final)
        return self.result

    def _refused(self, exc: NotOurs) -> ClientResult:
        self.result.status = "refused"
        self.result.seconds = round(time.perf_counter() - self.started, 3)
        self.result.error = refusal_message(display_path(exc.folder), self.cid, exc.why, self.lang)
        self.result.problems = [self.result.error]
        return self.result

    def _wait_exports(self) -> None:
        if self.exports is not None:
            self.exports.wait()  # never remove a folder a thread is still writing into

    def _failed(self, exc: BaseException) -> ClientResult:
        self._finish("failed")
        self.manifest.pop("notes", None)
        describe_failure(self.result, exc, self.step)
        if self.stage is None or not self.payload.is_dir():
            return self.result
        self.manifest.update(
            failed_step=self.step, error=self.result.error, failed_cell=self.result.failed_cell
        )
        try:
            self.result.failed_dir = display_path(self._keep_failed(exc))
        except NotOurs as kept:
            shown = display_path(kept.folder)
            self.result.notes.append(refusal_message(shown, self.cid, kept.why, self.lang))
        except OSError as kept:  # e.g. the disk is still full: keep nothing
            note = i18n.t("report.cli.failed_not_kept", self.lang, reason=reason(kept))
            self.result.notes.append(note)
        return self.result

    def _keep_failed(self, exc: BaseException) -> Path:
        """Move the failed run's folder to ``out/_failed/<cid>/`` (replacing an older one of
        the tool's): the executed notebook, the plan, ``error.txt``, the kernel's stderr and
        a manifest, never a report. OSError (a full disk) or NotOurs if it cannot."""
        payload = self.payload
        for name in REPORT_FILES:
            (payload / name).unlink(missing_ok=True)  # only what helps debugging
        for pattern in TOOL_FILES:
            for made in payload.glob(pattern):
                if made.is_file() and not made.is_symlink():
                    made.unlink(missing_ok=True)
        for leftover in payload.glob(f".*{fsutil.TMP_SUFFIX}"):  # a calendar file cut short
            leftover.unlink(missing_ok=True)
        text = "".join(traceback.format_exception(exc))
        (payload / "error.txt").write_text(text, encoding="utf-8")
        log = self.stage / KERNEL_LOG
        if log.is_file():
            os.replace(log, payload / KERNEL_LOG)
        write_manifest(payload, self.manifest)
        return publish_failed(payload, self.out, self.cid, self.guard)


def describe_failure(result: ClientResult, exc: BaseException, step: str) -> None:
    """Fill `result`'s error fields (in the client's language) from `exc`: the failing cell
    of the notebook, a full disk, or the step that failed."""
    from papermill.exceptions import PapermillExecutionError  # heavy, loaded by now

    lang = result.language
    if isinstance(exc, PapermillExecutionError):
        result.failed_cell = int(exc.cell_index)
        result.error_name, result.error_value = str(exc.ename), str(exc.evalue)
        result.error = i18n.t(
            "report.cli.failed_cell",
            lang,
            cell=exc.cell_index,
            count=exc.exec_count,
            ename=exc.ename,
            evalue=_shorten(str(exc.evalue)),
        )
    else:
        result.error_name, result.error_value = type(exc).__name__, str(exc)
        step_name = i18n.t(f"report.step.{step}", lang)
        if _disk_full(exc):
            result.error = i18n.t("report.cli.disk_full", lang, step=step_name)
        else:
            result.error = i18n.t(
                "report.cli.failed_step",
                lang,
                step=step_name,
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
