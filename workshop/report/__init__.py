"""Per-client reports: validate plans, run the report template with papermill, export files.

``workshop report PLAN_OR_FOLDER... [--out DIR] [--jobs N] [--pdf] [--scheduler ADDRESS]``
ends in :func:`run_cli`; ``workshop validate PLAN...`` in :func:`validate_cli`. One client is
built by :func:`build_one` (atomically, idempotently), which every path uses: a single plan
in the CLI process, a local batch on worker processes (:func:`run_batch`), a batch on a Dask
cluster (:mod:`workshop.report.cluster`).

The package, by job (each module's docstring has its rules):

* :mod:`~workshop.report.inputs`: discover plan files, read each once, validate;
* :mod:`~workshop.report.lock`: ``--out`` checked up front, one run per output folder;
* :mod:`~workshop.report.outdir`: folders the tool owns, marked temporary folders, the swap;
* :mod:`~workshop.report.guard`: what a process undoes when it is stopped;
* :mod:`~workshop.report.html` (+ ``templates/``, ``report.css``), :mod:`~workshop.report.pdf`;
* :mod:`~workshop.report.kernels`: kernels started ahead, papermill;
  :mod:`~workshop.report.forkserver`: kernels forked from a pre-imported fork-server;
* :mod:`~workshop.report.build`: one client; :mod:`~workshop.report.batch`: the executor;
  :mod:`~workshop.report.cluster`: Dask; :mod:`~workshop.report.cli`: the command lines.

The report's sections (what each template cell shows) are in :mod:`workshop.report.sections`; the kernel-side set-up and display in :mod:`workshop.report.notebook`.
Environment: ``WORKSHOP_LANG`` (messages), ``WORKSHOP_CHROMIUM`` (the PDF's browser),
``WORKSHOP_REPORT_TEMPLATE`` (another template notebook: the tests' fixtures),
``WORKSHOP_NO_FORKSERVER=1`` (no fork-server: every kernel launched normally).
"""

from __future__ import annotations

from workshop.report.batch import Interrupted, Worker, run_batch, run_single
from workshop.report.build import PLAN_COPY, STEPS, build_one, describe_failure, write_exports
from workshop.report.cli import BAD_INPUT, exit_status, run_cli, summary_table, validate_cli
from workshop.report.guard import Guard
from workshop.report.html import (
    PLOTLY_MIME,
    REPORT_CSS,
    external_references,
    html_report,
    make_offline,
    plotly_outputs_to_html,
    warm_html,
)
from workshop.report.inputs import (
    PLAN_SUFFIXES,
    ClientResult,
    PlanInput,
    cli_language,
    discover,
    display_path,
    load_input,
    load_inputs,
    template_path,
    validate_all,
)
from workshop.report.kernels import PRELOAD, WarmKernel, scrub_notebook
from workshop.report.lock import (
    LOCK_NAME,
    OutputBusy,
    OutputLock,
    OutputProblem,
    check_out,
    prepare_output,
)
from workshop.report.outdir import (
    FAILED_DIR,
    GENERATOR,
    MANIFEST,
    STAGING_MARKER,
    STAGING_NAME,
    Foreign,
    NotOurs,
    check_ownership,
    clean_stale,
    discard_folder,
    foreign_reason,
    new_staging,
    refusal_message,
    replace_folder,
    staging_marker,
    write_staging_marker,
)
from workshop.report.pdf import chromium_path, pdf_step, print_pdf

__all__ = [
    "BAD_INPUT",
    "FAILED_DIR",
    "GENERATOR",
    "LOCK_NAME",
    "MANIFEST",
    "PLAN_COPY",
    "PLAN_SUFFIXES",
    "PLOTLY_MIME",
    "PRELOAD",
    "REPORT_CSS",
    "STAGING_MARKER",
    "STAGING_NAME",
    "STEPS",
    "ClientResult",
    "Foreign",
    "Guard",
    "Interrupted",
    "NotOurs",
    "OutputBusy",
    "OutputLock",
    "OutputProblem",
    "PlanInput",
    "WarmKernel",
    "Worker",
    "build_one",
    "check_out",
    "check_ownership",
    "chromium_path",
    "clean_stale",
    "cli_language",
    "describe_failure",
    "discard_folder",
    "discover",
    "display_path",
    "exit_status",
    "external_references",
    "foreign_reason",
    "html_report",
    "load_input",
    "load_inputs",
    "make_offline",
    "new_staging",
    "pdf_step",
    "plotly_outputs_to_html",
    "prepare_output",
    "print_pdf",
    "refusal_message",
    "replace_folder",
    "run_batch",
    "run_cli",
    "run_single",
    "scrub_notebook",
    "staging_marker",
    "summary_table",
    "template_path",
    "validate_all",
    "validate_cli",
    "warm_html",
    "write_exports",
    "write_staging_marker",
]
