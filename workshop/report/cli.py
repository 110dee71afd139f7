"""The command lines: ``workshop report`` (:func:`run_cli`) and ``workshop validate``
(:func:`validate_cli`), the end-of-run summary table and the exit status.

Exit status: 0 every report built; 1 at least one client failed while running; 2 bad input
(invalid plan, unreadable or missing path, no plan found, ``--jobs`` < 1, unusable
``--out``, a folder that is not the tool's, OUT locked by another run), even if the other
clients were built (bad input dominates a run-time failure); 130 / 143 when interrupted by
SIGINT / SIGTERM. No kernel starts before ``--out`` is checked, every plan validated (its
bytes read once), OUT locked and cleaned, and the clients whose folders are not the tool's
refused.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import sys
import time
from pathlib import Path

from workshop import i18n
from workshop.report import batch
from workshop.report.guard import Guard
from workshop.report.inputs import (
    ClientResult,
    PlanInput,
    cli_language,
    display_path,
    load_inputs,
    template_path,
)
from workshop.report.lock import OutputProblem, check_out, prepare_output
from workshop.report.outdir import check_ownership

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


@dataclasses.dataclass
class Options:
    """How ``workshop report`` runs: `jobs` local workers, or the Dask cluster at
    `scheduler` (then `shared_out`: the workers write into OUT themselves, a folder they
    all see under the same path; else they send the finished files back)."""

    jobs: int | None = None
    pdf: bool = False
    scheduler: str | None = None
    shared_out: bool = False


def _precheck(paths: list[str], out_dir: Path, options: Options, lang: str) -> int | None:
    """The checks before any plan is read: an exit status to stop with, or None."""
    if options.jobs is not None and options.jobs < 1:
        _err(i18n.t("report.cli.bad_jobs", lang, jobs=options.jobs))
        return 2
    if not template_path().is_file():
        _err(i18n.t("report.cli.no_template", lang, path=display_path(template_path())))
        return 2
    problem = check_out(out_dir, lang)
    if problem is not None:
        _err(problem)
        return 2
    return None


def _print_interrupted(partial: list[ClientResult], problems: list[ClientResult], out: str):
    lang = cli_language()
    print(file=sys.stderr)
    print(summary_table(partial + problems, lang), file=sys.stderr)
    _err(i18n.t("report.cli.interrupted", lang, out=out))


def _build(
    inputs: list[PlanInput],
    out_dir: Path,
    options: Options,
    problems: list[ClientResult],
    guard: Guard,
) -> list[ClientResult]:
    """Build the valid, owned clients: on the Dask cluster, in this process (one plan), or
    on local workers. :class:`~workshop.report.batch.Interrupted` on SIGINT/SIGTERM."""
    shown_out = display_path(out_dir.resolve())
    if options.scheduler:
        try:
            from workshop.report import cluster  # imports dask.distributed (heavy, optional)
        except ImportError:
            message = i18n.t("report.cli.cluster_missing", cli_language())
            raise batch.ClusterProblem(message) from None
        return cluster.run_cluster(
            inputs, out_dir, options.scheduler, pdf=options.pdf, shared=options.shared_out
        )
    if len(inputs) == 1:

        def interrupted(signum: int, partial: list[ClientResult]) -> None:
            _print_interrupted(partial, problems, shown_out)

        return batch.run_single(
            inputs[0], out_dir, pdf=options.pdf, on_interrupt=interrupted, guard=guard
        )
    return batch.run_batch(inputs, out_dir, jobs=options.jobs, pdf=options.pdf)


def _run_locked(
    inputs: list[PlanInput], out_dir: Path, options: Options, problems: list[ClientResult]
) -> tuple[int | None, list[ClientResult]]:
    """Lock and clean OUT, refuse the clients whose folders are not the tool's, build the
    rest. Returns (an exit status to stop with or None, the built results); `problems` gets
    the refused clients."""
    lang = cli_language()
    guard = Guard()
    try:
        lock = prepare_output(out_dir, lang, guard)
    except OutputProblem as exc:
        _err(exc.message)
        return 2, []
    try:
        inputs, refused = check_ownership(inputs, out_dir)
        for res in refused:
            _err(res.error)
        problems.extend(refused)
        if not inputs:
            return None, []
        n_jobs = max(1, min(options.jobs or os.cpu_count() or 1, len(inputs)))
        if options.scheduler:
            where = dict(scheduler=options.scheduler, out=display_path(out_dir))
            _err(i18n.t("report.cli.starting_cluster", lang, n=len(inputs), **where))
        else:
            where = dict(jobs=n_jobs, out=display_path(out_dir))
            _err(i18n.t("report.cli.starting", lang, n=len(inputs), **where))
        try:
            built = _build(inputs, out_dir, options, problems, guard)
        except batch.ClusterProblem as exc:
            _err(exc.message)
            return 2, []
        except batch.Interrupted as exc:
            _print_interrupted(exc.results, problems, display_path(out_dir.resolve()))
            return (130 if exc.signum == signal.SIGINT else 143), []
        for res in built:
            for note in res.notes:
                _err(f"{res.client_id}: {note}")
        return None, built
    finally:
        lock.release()
        guard.locks.clear()


def run_cli(
    paths: list[str],
    out: str,
    jobs: int | None,
    pdf: bool,
    scheduler: str | None = None,
    shared_out: bool = False,
) -> int:
    """``workshop report``: check ``--out``, validate all (bytes read once), lock and clean
    the output folder, refuse the clients whose folders are not the tool's, build the rest
    (locally, or on the Dask cluster at `scheduler`), print a summary; exit status as in the
    module docstring. No kernel starts before all of that is done."""
    lang = cli_language()
    _printable_streams()
    options = Options(jobs=jobs, pdf=pdf, scheduler=scheduler, shared_out=shared_out)
    out_dir = Path(out)
    stop = _precheck(paths, out_dir, options, lang)
    if stop is not None:
        return stop
    inputs, problems = load_inputs(paths)
    for res in problems:
        _err(res.error)
    if not inputs and not problems:
        _err(i18n.t("report.cli.no_plans", lang, paths=", ".join(map(display_path, paths))))
        return 2
    started = time.perf_counter()
    results: list[ClientResult] = []
    if inputs:
        stop, results = _run_locked(inputs, out_dir, options, problems)
        if stop is not None:
            return stop
    results = results + problems
    print()
    print(summary_table(results, lang))
    print()
    done = i18n.t(
        "report.cli.done",
        lang,
        ok=sum(r.ok for r in results),
        total=len(results),
        seconds=i18n.fmt_number(time.perf_counter() - started, lang, 1),
        out=display_path(out_dir.resolve()),
    )
    print(done)
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
