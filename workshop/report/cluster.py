"""Batches on a Dask cluster: ``workshop report clients/ --scheduler tcp://HOST:8786``.

The same one-client build (:func:`workshop.report.build.build_one`) is mapped over the
``distributed`` workers of the cluster (``pip install workshop[cluster]`` on this machine and
on every worker). Validation, the ownership checks, the lock of OUT and the summary stay on
this machine; each worker gets the plan as validated (its bytes and the Plan, never a path).

* **Default: no shared file system.** A worker builds into a private scratch folder of its
  own machine (a marked temporary folder under ``$TMPDIR/workshop-dask-<uid>/``), sends the
  finished files back as bytes (:class:`Shipment`) and removes its scratch; this machine
  writes them into OUT through the same marked temporary folder and swap as a local build
  (:func:`install`): a client's folder is complete or absent, never half-written.
* **``--shared-out``**: the workers write into OUT themselves, which must then be the same
  path on every worker (a shared file system); the swap is the same.
* **A worker killed mid-batch**: the scheduler runs its clients again on another worker (up
  to ``distributed.scheduler.allowed-failures`` times, then ``KilledWorker``: that client is
  ``failed``); a task that raises is retried :data:`RETRIES` time(s). Each client is in the
  summary once, with its final status.

Dask is imported when this module is (only for ``--scheduler``).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import os
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

from distributed import Client, get_worker

from workshop import fsutil, i18n
from workshop.report import kernels
from workshop.report.batch import ClusterProblem, Interrupted, Progress
from workshop.report.build import build_one, describe_failure
from workshop.report.guard import Guard
from workshop.report.inputs import ClientResult, PlanInput, cli_language, display_path, reason
from workshop.report.outdir import (
    FAILED_DIR,
    MANIFEST,
    PAYLOAD,
    NotOurs,
    clean_stale,
    new_staging,
    publish_failed,
    publish_report,
    refusal_message,
)

RETRIES = 1  # a task that raises (not a client's own failure: that is a result) runs again
CONNECT_TIMEOUT_S = 20
POLL_S = 0.2
MAX_FILES = 32  # a client's folder holds about ten files: anything more is not ours


@dataclasses.dataclass
class Shipment:
    """What a worker sends back for one client: its result, which folder the files make
    (``ok``: ``OUT/<id>/``, ``failed``: ``OUT/_failed/<id>/``, None: nothing to write) and
    the files themselves (name → bytes)."""

    result: dict[str, Any]
    folder: str | None = None
    files: dict[str, bytes] = dataclasses.field(default_factory=dict)


# --- On a Dask worker ---------------------------------------------------------------------


class RemoteWorker:
    """The state of this Dask worker process for report builds: a guard, a scratch root
    (cleaned of dead workers' folders at each build), a kernel folder, a kernel started ahead.
    :meth:`here` makes the one of this process on first use."""

    _current: ClassVar[RemoteWorker | None] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self) -> None:
        self.guard = Guard()
        self.root = Path(tempfile.gettempdir()) / f"workshop-dask-{os.getuid()}"
        self.root.mkdir(mode=0o700, exist_ok=True)
        clean_stale(self.root)
        kernels.open_kernel_dir(self.root, self.guard)
        self.forkserver = kernels.start_forkserver()  # not under a nanny (a daemon)
        self.warm: kernels.WarmKernel | None = None
        self.builds = threading.Semaphore(1)  # one build at a time: fd 2 is redirected
        atexit.register(self.close)

    def close(self) -> None:
        """The worker's end: shut the spare kernel down, remove the kernel folder."""
        warm, self.warm = self.warm, None
        if warm is not None:
            warm.shutdown()
        self.guard.close_kernel_dir()

    @classmethod
    def here(cls) -> RemoteWorker:
        with cls._lock:
            if cls._current is None:
                cls._current = cls()
            return cls._current

    def kernel(self, prewarm: bool) -> kernels.WarmKernel | None:
        """The kernel for this build (the one started ahead, else None: build_one starts
        one), and the next one started now if another build may come (`prewarm`)."""
        kernel, self.warm = self.warm, None
        if prewarm:
            try:
                self.warm = kernels.WarmKernel(guard=self.guard, forkserver=self.forkserver)
            except Exception:  # noqa: BLE001 - the next build starts its own
                self.warm = None
        return kernel

    def build(self, item: PlanInput, out: str | None, pdf: bool, prewarm: bool) -> Shipment:
        with self.builds:
            kernel = self.kernel(prewarm)
            if out is not None:  # --shared-out: straight into OUT
                res = build_one(item, out, pdf=pdf, kernel=kernel, guard=self.guard)
                return Shipment(res.to_dict())
            clean_stale(self.root)
            scratch = new_staging(self.root, "tmp", item.plan.client.id, self.guard)
            try:
                res = build_one(item, scratch, pdf=pdf, kernel=kernel, guard=self.guard)
                return _pack(res, scratch)
            finally:
                self.guard.folders.remove(scratch)
                fsutil.remove_tree(scratch)


def _pack(res: ClientResult, scratch: Path) -> Shipment:
    """The client's finished folder in `scratch` as bytes, for the machine running the CLI."""
    cid = res.client_id
    for kind, folder in (("ok", scratch / cid), ("failed", scratch / FAILED_DIR / cid)):
        if (res.ok if kind == "ok" else res.status == "failed") and folder.is_dir():
            files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
            return Shipment(res.to_dict(), kind, files)
    return Shipment(res.to_dict())


def remote_build(item: PlanInput, out: str | None, pdf: bool, prewarm: bool) -> Shipment:
    """The task each Dask worker runs for one client (see :class:`RemoteWorker`)."""
    get_worker()  # raises outside a Dask worker: this is not for local use
    return RemoteWorker.here().build(item, out, pdf, prewarm)


# --- On the machine running the command ---------------------------------------------------


def _safe_files(files: dict[str, bytes]) -> bool:
    """Plain file names only (no folder, no hidden file), a manifest, a bounded count."""
    names = list(files)
    plain = all(n == Path(n).name and not n.startswith(".") and n not in ("", "..") for n in names)
    return plain and MANIFEST in files and len(names) <= MAX_FILES


def install(shipment: Shipment, out: Path, guard: Guard) -> ClientResult:
    """Write what a worker sent into ``out`` like a local build: a marked temporary folder,
    then the swap into ``out/<id>/`` (or ``out/_failed/<id>/``)."""
    res = ClientResult(**shipment.result)
    if shipment.folder is None:  # --shared-out (the worker wrote OUT), or nothing kept
        return res
    res.out_dir = res.failed_dir = ""  # the worker's scratch paths
    cid, lang = res.client_id, res.language
    if not _safe_files(shipment.files):
        res.status, res.error = "failed", i18n.t("report.cli.cluster_bad_files", lang)
        return res
    stage = new_staging(out, "tmp", cid, guard)
    try:
        payload = stage / PAYLOAD
        payload.mkdir()
        for name, raw in shipment.files.items():
            with open(payload / name, "xb") as fh:
                fh.write(raw)
        if shipment.folder == "ok":
            final, notes = publish_report(payload, out, cid, lang, guard)
            res.out_dir = display_path(final)
            res.notes.extend(notes)
        else:
            res.failed_dir = display_path(publish_failed(payload, out, cid, guard))
    except NotOurs as exc:
        message = refusal_message(display_path(exc.folder), cid, exc.why, lang)
        if shipment.folder == "ok":
            res.status, res.error, res.problems = "refused", message, [message]
        else:
            res.notes.append(message)
    except OSError as exc:  # e.g. a full disk here
        if shipment.folder == "ok":
            res.status = "failed"
            describe_failure(res, exc, "save")
        else:
            res.notes.append(i18n.t("report.cli.failed_not_kept", lang, reason=reason(exc)))
    finally:
        fsutil.remove_tree(stage)
        guard.folders.remove(stage)
    return res


class _ClusterRun:
    """The command's side of a Dask batch: submit, wait, write what comes back."""

    def __init__(self, client: Any, out: Path, shared: bool, progress: Progress):
        self.client, self.out, self.shared, self.progress = client, out, shared, progress
        self.guard = Guard()
        self.signum: int | None = None

    def on_signal(self, signum: int, _frame: Any) -> None:
        self.signum = signum

    def submit(self, inputs: list[PlanInput], pdf: bool) -> list[Any]:
        n_workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        out = str(self.out) if self.shared else None
        return [
            self.client.submit(
                remote_build,
                item,
                out,
                pdf,
                rank < len(inputs) - n_workers,  # another client may come to that worker
                key=f"workshop-report-{item.plan.client.id}-{os.urandom(4).hex()}",
                pure=False,
                retries=RETRIES,
            )
            for rank, item in enumerate(inputs)
        ]

    def collect(self, futures: list[Any], inputs: list[PlanInput]) -> list[ClientResult]:
        results: dict[int, ClientResult] = {}
        waiting = dict(enumerate(futures))
        while waiting:
            if self.signum is not None:
                raise Interrupted(self.signum, [results[i] for i in sorted(results)])
            done = [i for i, f in waiting.items() if f.done()]
            if not done:
                time.sleep(POLL_S)
            for index in done:
                results[index] = self.result(waiting.pop(index), inputs[index])
                self.progress.record(results[index])
        return [results[i] for i in sorted(results)]

    def result(self, future: Any, item: PlanInput) -> ClientResult:
        try:
            shipment = future.result()
        except Exception as exc:  # noqa: BLE001 - KilledWorker, a task that raised twice
            lang = item.plan.language
            error = i18n.t(
                "report.cli.cluster_task_failed", lang, error=f"{type(exc).__name__}: {exc}"
            )
            return ClientResult(
                plan_path=display_path(item.path),
                client_id=item.plan.client.id,
                client_name=item.plan.client.name,
                language=lang,
                status="failed",
                error=error,
            )
        return install(shipment, self.out, self.guard)


def _connect(scheduler: str) -> Any:
    lang = cli_language()
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        message = i18n.t("report.cli.cluster_unreachable", lang, address=scheduler, reason=exc)
        raise ClusterProblem(message) from None


def run_cluster(
    inputs: list[PlanInput],
    out: str | os.PathLike[str],
    scheduler: str,
    pdf: bool = False,
    shared: bool = False,
    progress: bool = True,
) -> list[ClientResult]:
    """Build every plan on the Dask cluster at `scheduler`; write the results into `out`
    here (or, with `shared`, let the workers write into `out`, the same path for all).
    SIGINT/SIGTERM cancel the tasks, remove what was being written here and raise
    :class:`~workshop.report.batch.Interrupted`. :class:`ClusterProblem` if the scheduler
    cannot be reached."""
    out = Path(out).resolve()
    client = _connect(scheduler)
    bar = Progress(len(inputs), progress)
    run = _ClusterRun(client, out, shared, bar)
    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):  # not the main thread
            previous[signum] = signal.signal(signum, run.on_signal)
    futures: list[Any] = []
    try:
        futures = run.submit(inputs, pdf)
        return run.collect(futures, inputs)
    except Interrupted as exc:
        client.cancel(futures, force=True)
        run.guard.remove_folders()
        known = {r.client_id for r in exc.results}
        rest = [
            ClientResult(
                plan_path=display_path(i.path),
                client_id=i.plan.client.id,
                client_name=i.plan.client.name,
                status="interrupted",
                language=cli_language(),
            )
            for i in inputs
            if i.plan.client.id not in known
        ]
        raise Interrupted(exc.signum, exc.results + rest) from None
    finally:
        Guard.restore(previous)
        bar.close()
        client.close()
