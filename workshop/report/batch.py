"""Running the builds: one plan in this process (:func:`run_single`), a batch on an executor
of worker processes (:func:`run_batch`).

The executor is loky's ``ProcessPoolExecutor`` (a maintained ``concurrent.futures``
executor), not the standard library's, for one reason measured against what the runner must
do on Python 3.11: a SIGINT/SIGTERM of the CLI must end the workers *now*, kernels included,
and ``concurrent.futures.ProcessPoolExecutor`` has no public way to stop a running worker
before Python 3.14 (``terminate_workers``); loky's ``shutdown(kill_workers=True)`` kills each
worker's process tree. Either executor breaks when a worker dies (``BrokenProcessPool``);
the unfinished clients are then resubmitted to a fresh executor (:class:`_Batch`).

Workers are fresh interpreters (loky's spawn), one client at a time each, in its own kernel,
started ahead (:class:`Worker`): one kernel when the worker starts, the next one as soon as
a client begins if another may come. Progress: a tqdm bar when stderr is a terminal, else one
plain line per client (``[3/10] demo-cafe ok 7.1 s``).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing.util as mp_util
import os
import re
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

from workshop import i18n
from workshop.report import kernels
from workshop.report.build import build_one
from workshop.report.guard import Guard, owner_gone
from workshop.report.inputs import (
    ClientResult,
    PlanInput,
    as_input,
    cli_language,
    display_path,
    template_path,
)
from workshop.report.outdir import STAGING_NAME, clean_stale, staging_marker

MAX_ATTEMPTS = 2  # a client whose worker died under it is tried once more, then failed
PARENT_POLL_S = 0.25


class Interrupted(Exception):
    """The batch was stopped by a signal; `signum` says which, `results` what is known."""

    def __init__(self, signum: int, results: list[ClientResult] | None = None):
        super().__init__(signum)
        self.signum = signum
        self.results = results or []


class ClusterProblem(Exception):
    """The Dask cluster cannot be used (dask not installed, the scheduler not reachable):
    `message` says why, for the person (exit status 2)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def progress_line(done: int, total: int, res: ClientResult) -> str:
    return i18n.t(
        "report.cli.progress",
        res.language,
        i=done,
        n=total,
        client=res.client_id or Path(res.plan_path).name,
        status=i18n.t(f"report.status.{res.status}", res.language),
        seconds=i18n.fmt_number(res.seconds, res.language, 1),
    )


class Progress:
    """A tqdm bar when stderr is a terminal, else one plain line per client (or nothing)."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled, self.done = total, enabled, 0
        self.bar = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm  # only on a terminal

            self.bar = tqdm(total=total, unit="client", file=sys.stderr, dynamic_ncols=True)

    def record(self, res: ClientResult) -> None:
        self.done += 1
        line = progress_line(self.done, self.total, res)
        if self.bar is not None:
            self.bar.update(1)
            self.bar.write(line, file=sys.stderr)
        elif self.enabled:
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# --- One plan, in this process ----------------------------------------------------------------


def run_single(
    plan_input: PlanInput | str | os.PathLike[str],
    out: str | os.PathLike[str],
    pdf: bool = False,
    progress: bool = True,
    kernel: kernels.WarmKernel | None = None,
    on_interrupt: Any = None,
    guard: Guard | None = None,
) -> list[ClientResult]:
    """Build one plan's report in this process (no worker process: a single report does
    not pay a second interpreter and its imports), in `kernel` if given (consumed).

    Same outputs, manifest and rules as :func:`run_batch`. SIGINT / SIGTERM end the process
    like a worker's SIGTERM: the kernel is killed, the temporary and kernel folders removed,
    the output lock released (the guard's undo), ``on_interrupt(signum, results)`` called
    (the CLI prints its summary there) and the process exits with 130 / 143 (``os._exit``:
    an exception raised from a signal handler could leave the import lock held while the
    calendar thread waits for it). If this process is killed (SIGKILL), the kernel exits by
    itself within a second (ipykernel watches its parent) and the next run removes the
    temporary folders. `guard`: this process's undo list (the CLI's, holding its lock).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    lang = cli_language()
    shown = display_path(getattr(plan_input, "path", plan_input))
    guard = guard or Guard()

    def interrupt(signum: int) -> None:
        guard.undo()
        code = 130 if signum == signal.SIGINT else 143
        try:
            if on_interrupt is not None:
                partial = [ClientResult(plan_path=shown, status="interrupted", language=lang)]
                on_interrupt(signum, partial)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)

    previous = guard.install(interrupt)
    try:
        kernels.open_kernel_dir(out, guard)
        res = build_one(plan_input, out, pdf=pdf, kernel=kernel, guard=guard)
    finally:
        Guard.restore(previous)
        guard.close_kernel_dir()
    if progress:
        print(progress_line(1, 1, res), file=sys.stderr, flush=True)
    return [res]


# --- A batch worker ---------------------------------------------------------------------------


class Worker:
    """The state of one batch worker process: its guard (kernel folder, temporary folders,
    kernels), the kernel started ahead and whether kernels are forked from its fork-server.

    Built by the executor's initializer (:meth:`initialize`) in the worker process itself;
    :attr:`current` is that process's one worker (None in every other process).
    """

    current: ClassVar[Worker | None] = None

    def __init__(self, out: Path, pdf: bool) -> None:
        self.out, self.pdf = out, pdf
        self.guard = Guard()
        self.cwd = template_path().parent
        self.forkserver = False  # kernels forked from a fork-server (set by initialize)
        self.warm: kernels.WarmKernel | None = None

    @classmethod
    def initialize(cls, out: str, pdf: bool, parent_pid: int) -> None:
        """The executor's initializer: ignore SIGINT (the parent decides), clean up and exit
        143 on SIGTERM, exit when the parent dies, open the kernel folder, start the
        fork-server and the first kernel."""
        worker = cls(Path(out), pdf)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, worker.guard.deferrable(lambda _signum: worker.exit(143)))
        worker.watch_parent(parent_pid)
        os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        kernels.open_kernel_dir(worker.out, worker.guard)
        worker.forkserver = kernels.start_forkserver()  # it preloads while this goes on
        cls.current = worker
        mp_util.Finalize(worker, worker.close, exitpriority=10)
        worker.warm = worker.start_kernel()
        import papermill  # noqa: F401 - heavy: imported while the kernel starts

    def start_kernel(self) -> kernels.WarmKernel | None:
        try:
            return kernels.WarmKernel(self.cwd, guard=self.guard, forkserver=self.forkserver)
        except Exception:  # noqa: BLE001 - build_one starts its own kernel (and says why)
            return None

    def build(self, plan_input: PlanInput, prewarm: bool) -> ClientResult:
        """Build one client in the kernel started ahead; start the next one first if
        another client may come (`prewarm`)."""
        kernel, self.warm = self.warm, None
        if prewarm:
            self.warm = self.start_kernel()
        return build_one(plan_input, self.out, pdf=self.pdf, kernel=kernel, guard=self.guard)

    def watch_parent(self, parent_pid: int) -> None:
        """Exit (killing the kernels, removing the temporary folders) as soon as the parent
        process is gone, even if it was SIGKILLed."""

        def watch() -> None:
            while os.getppid() == parent_pid:
                time.sleep(PARENT_POLL_S)
            self.exit(1)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()

    def exit(self, code: int) -> None:
        self.guard.undo()
        os._exit(code)

    def close(self) -> None:
        """The worker's normal end: shut the spare kernel down, remove the kernel folder."""
        warm, self.warm = self.warm, None
        if warm is not None:
            warm.shutdown()
        self.guard.close_kernel_dir()


def _build_task(plan_input: PlanInput, prewarm: bool) -> dict[str, Any]:
    """What the parent submits: one client, in this worker (:attr:`Worker.current`)."""
    worker = Worker.current
    if worker is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("no batch worker in this process")
    return worker.build(plan_input, prewarm).to_dict()


# --- The batch --------------------------------------------------------------------------------


def _started(out: Path, client_id: str) -> bool:
    """True if a worker that is gone had begun `client_id` (its temporary folder is there)."""
    try:
        names = os.listdir(out)
    except OSError:
        return False
    for name in names:
        match = STAGING_NAME.fullmatch(name)
        if match and match["kind"] == "tmp" and match["id"] == client_id:
            marker = staging_marker(out / name)
            if marker is not None and owner_gone(marker):
                return True
    return False


class _Batch:
    """The parent's side of a batch: submit, record, resubmit what a dead worker stopped."""

    def __init__(
        self, inputs: list[PlanInput], out: Path, jobs: int, pdf: bool, progress: Progress
    ):
        self.inputs, self.out, self.jobs, self.pdf = inputs, out, jobs, pdf
        self.progress = progress
        self.results: list[ClientResult | None] = [None] * len(inputs)
        self.attempts = [0] * len(inputs)
        self.lang = cli_language()
        self.executor: Any = None
        self.signum: int | None = None  # set by the signal handler, acted on by the loop

    def on_signal(self, signum: int, _frame: Any) -> None:
        self.signum = signum

    def check_signal(self) -> None:
        if self.signum is not None:
            raise Interrupted(self.signum)

    def _new_executor(self) -> Any:
        import loky  # heavy (≈ 0.1-0.3 s): only a batch needs it

        return loky.ProcessPoolExecutor(
            max_workers=self.jobs,
            initializer=Worker.initialize,
            initargs=(str(self.out), self.pdf, os.getpid()),
        )

    def record(self, index: int, res: ClientResult) -> None:
        self.results[index] = res
        self.progress.record(res)

    def run(self) -> None:
        pending = list(range(len(self.inputs)))
        while pending:
            self.check_signal()
            self.executor = self._new_executor()
            broken, code = self._round(pending)
            self.stop(kill=bool(broken))  # else: workers end normally, spare kernels too
            pending = self._after_break(broken, code) if broken else []

    def _round(self, indexes: list[int]) -> tuple[list[int], str]:
        """Submit `indexes` (in order) and record their results; returns the clients a dead
        worker left unfinished and its exit code as loky reports it."""
        futures = {}
        for rank, index in enumerate(indexes):
            prewarm = rank < len(indexes) - self.jobs  # some task may be left for its worker
            futures[self.executor.submit(_build_task, self.inputs[index], prewarm)] = index
        broken, code, waiting = [], "?", set(futures)
        while waiting:
            self.check_signal()
            done, waiting = cf.wait(waiting, timeout=0.25, return_when=cf.FIRST_COMPLETED)
            for future in done:
                index = futures[future]
                try:
                    self.record(index, ClientResult(**future.result()))
                except cf.BrokenExecutor as exc:
                    broken.append(index)
                    found = re.search(r"\(([-0-9]+)\)", str(exc))
                    code = found.group(1) if found else code
                except Exception as exc:  # noqa: BLE001 - a result that cannot come back
                    self.record(index, self._failure(index, f"{type(exc).__name__}: {exc}"))
        return sorted(broken), code

    def _failure(self, index: int, error: str) -> ClientResult:
        item = self.inputs[index]
        return ClientResult(
            plan_path=display_path(item.path),
            client_id=item.plan.client.id,
            client_name=item.plan.client.name,
            language=item.plan.language,
            status="failed",
            error=error,
        )

    def _after_break(self, broken: list[int], code: str) -> list[int]:
        """The clients to submit again: each one that had begun in a worker now gone counts
        an attempt (failed at :data:`MAX_ATTEMPTS`); the others had not begun."""
        again = []
        for index in broken:
            if _started(self.out, self.inputs[index].plan.client.id):
                self.attempts[index] += 1
            if self.attempts[index] >= MAX_ATTEMPTS:
                message = i18n.t(
                    "report.cli.worker_died", self.inputs[index].plan.language, code=code
                )
                self.record(index, self._failure(index, message))
            else:
                again.append(index)
        clean_stale(self.out)  # the dead workers' temporary folders
        return again

    def stop(self, kill: bool = True) -> None:
        """Stop the workers and wait for them: end them normally (they shut their spare
        kernel down and remove their kernel folder), or kill their process trees (kernels
        included; what they were writing is removed by ``clean_stale`` afterwards)."""
        executor, self.executor = self.executor, None
        if executor is not None:
            with contextlib.suppress(Exception):
                executor.shutdown(wait=True, kill_workers=kill)

    def interrupted(self) -> list[ClientResult]:
        for index, res in enumerate(self.results):
            if res is None:
                item = self.inputs[index]
                self.results[index] = ClientResult(
                    plan_path=display_path(item.path),
                    client_id=item.plan.client.id,
                    client_name=item.plan.client.name,
                    status="interrupted",
                    language=self.lang,
                )
        return [r for r in self.results if r is not None]


def run_batch(
    plan_inputs: list[PlanInput | str | os.PathLike[str]],
    out: str | os.PathLike[str],
    jobs: int | None = None,
    pdf: bool = False,
    progress: bool = True,
) -> list[ClientResult]:
    """Build every plan's report with `jobs` worker processes (default: the number of cores).

    `plan_inputs`: the plans as validated (:class:`PlanInput`), sent to the workers as they
    are (bytes and Plan, never the path); a bare path is read once here (``invalid`` if it
    is not a valid plan). One client's failure never stops the others; a worker that dies
    breaks the executor: the clients it left are resubmitted to a fresh one (a client whose
    worker died under it twice is ``failed``). SIGINT / SIGTERM kill the workers and their
    kernels, remove their temporary folders and raise :class:`Interrupted` with the partial
    results; only complete client folders remain.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    items = [as_input(p) for p in plan_inputs]
    early = [r for r in items if isinstance(r, ClientResult)]
    inputs = [i for i in items if isinstance(i, PlanInput)]
    if not inputs:
        return early
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(inputs)))
    bar = Progress(len(inputs), progress)
    batch = _Batch(inputs, out, jobs, pdf, bar)

    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            previous[signum] = signal.signal(signum, batch.on_signal)
    try:
        batch.run()
    except Interrupted as exc:
        batch.stop()
        clean_stale(out)  # what the killed workers were writing
        raise Interrupted(exc.signum, batch.interrupted() + early) from None
    finally:
        Guard.restore(previous)
        batch.stop()
        clean_stale(out)  # anything a killed worker left
        bar.close()
    return [r for r in batch.results if r is not None] + early
