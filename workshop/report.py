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
    manifest.json

Rules (the contract the tests check):

* **Validation first.** Every plan is validated before any kernel starts. An invalid plan,
  a missing/unreadable path, or a client id used by two plans is reported with field paths
  and gets no output folder; the *valid* plans are still built, and the exit status is 2
  (bad input dominates a run-time failure).
* **Exit status.** 0 every report built; 1 at least one client failed while running; 2 bad
  input (invalid plan, unreadable or missing path, no plan found, ``--jobs`` < 1); 130 / 143
  when interrupted by SIGINT / SIGTERM.
* **Atomic outputs.** Everything is written into ``OUT/.tmp-<id>-<pid>-<random>/`` and then
  renamed to ``OUT/<id>/`` (a previous report is first renamed to ``OUT/.old-<id>-...`` and
  deleted after the swap). A previous report is replaced only by a successful run. A failed
  run keeps the executed notebook, ``error.txt``, the kernel's stderr and a manifest in
  ``OUT/_failed/<id>/``. Leftover ``.tmp-*`` / ``.old-*`` folders of a killed run are removed
  (an orphaned ``.old-*`` whose report is missing is restored) at the start of the next run;
  they are never taken for reports.
* **Isolation.** One kernel per client (a fresh process each, forked or launched); one
  client's failure never stops the others. Workers exit when the parent dies (even by
  SIGKILL), killing their zygote, their kernel and their temporary folder.

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
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

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


def template_path() -> Path:
    """The report template notebook (``$WORKSHOP_REPORT_TEMPLATE`` overrides, for tests)."""
    return Path(os.environ.get("WORKSHOP_REPORT_TEMPLATE") or data.report_template())


def cli_language() -> str:
    """Language of the CLI's own messages: ``$WORKSHOP_LANG`` (vi or en), default vi."""
    lang = os.environ.get("WORKSHOP_LANG", i18n.DEFAULT_LANGUAGE)
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


# --- Results -------------------------------------------------------------------------------


@dataclasses.dataclass
class ClientResult:
    """What happened to one plan. `status` is ``ok``, ``failed``, ``invalid`` or
    ``interrupted``; `seconds` is the wall time of the client's run (0 for invalid)."""

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

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# --- Discovery and validation (no kernel) --------------------------------------------------


def discover(paths: list[str | os.PathLike[str]]) -> tuple[list[Path], list[Problem]]:
    """Plan files named by `paths` (files, or folders searched for ``*.yaml``/``*.yml`` at
    their top level), sorted and de-duplicated (by resolved path), and a problem for each
    path that does not exist. Hidden files and folders (``.name``) are skipped in folders.
    """
    lang = cli_language()
    found: dict[Path, Path] = {}
    missing: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if (
                    child.suffix.lower() in PLAN_SUFFIXES
                    and child.is_file()
                    and not child.name.startswith(".")
                ):
                    found.setdefault(child.resolve(), child)
        elif path.exists():
            found.setdefault(path.resolve(), path)
        else:
            missing.append(Problem(str(path), i18n.t("report.cli.missing_path", lang)))
    return sorted(found), missing


def validate_all(
    paths: list[str | os.PathLike[str]],
) -> tuple[list[tuple[Path, plan_mod.Plan]], list[ClientResult]]:
    """Load and validate every plan before anything runs.

    Returns ``(plans, problems)``: the valid plans as (absolute path, Plan) and one
    ``invalid`` :class:`ClientResult` per bad input (missing path, invalid plan with its field
    paths, unsafe or duplicate client id: two plans with one id would write one folder, so
    both are refused).
    """
    lang = cli_language()
    files, missing = discover(paths)
    problems = [
        ClientResult(
            plan_path=p.path, status="invalid", language=lang, error=p.message, problems=[p.message]
        )
        for p in missing
    ]
    loaded: list[tuple[Path, plan_mod.Plan]] = []
    for path in files:
        try:
            plan = plan_mod.load(path, language=lang)
        except PlanError as exc:
            problems.append(
                ClientResult(
                    plan_path=str(path),
                    status="invalid",
                    language=exc.language,
                    error=str(exc),
                    problems=[str(p) for p in exc.problems],
                )
            )
            continue
        if not plan_mod.slug_ok(plan.client.id):  # defence in depth: the schema checks it too
            msg = i18n.t("report.cli.unsafe_id", plan.language, id=plan.client.id)
            problems.append(
                ClientResult(
                    plan_path=str(path),
                    client_id="",
                    status="invalid",
                    language=plan.language,
                    error=msg,
                    problems=[msg],
                )
            )
            continue
        loaded.append((path, plan))
    by_id: dict[str, list[Path]] = {}
    for path, plan in loaded:
        by_id.setdefault(plan.client.id, []).append(path)
    plans = []
    for path, plan in loaded:
        others = [str(p) for p in by_id[plan.client.id] if p != path]
        if others:
            msg = i18n.t(
                "report.cli.duplicate_id",
                plan.language,
                id=plan.client.id,
                others=", ".join(others),
            )
            problems.append(
                ClientResult(
                    plan_path=str(path),
                    client_id=plan.client.id,
                    client_name=plan.client.name,
                    language=plan.language,
                    status="invalid",
                    error=msg,
                    problems=[msg],
                )
            )
        else:
            plans.append((path, plan))
    return plans, problems


# --- Output folder housekeeping ------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner_pid(name: str) -> int | None:
    """The pid embedded in a ``.tmp-<id>-<pid>-<rand>`` / ``.old-...`` folder name."""
    parts = name.rsplit("-", 2)
    if len(parts) == 3 and parts[1].isdigit():
        return int(parts[1])
    return None


def clean_stale(out: Path) -> list[str]:
    """Remove ``.tmp-*`` and ``.old-*`` folders left in `out` by a killed run.

    A folder whose owning process is still alive (another run writing now) is left alone.
    An ``.old-<id>-...`` whose ``<id>`` folder is missing (killed between the two renames of
    a swap) is renamed back to ``<id>``: it is a complete previous report. Returns the names
    removed or restored.
    """
    done: list[str] = []
    if not out.is_dir():
        return done
    for entry in sorted(out.iterdir()):
        name = entry.name
        if not entry.is_dir() or not name.startswith((TMP_PREFIX, OLD_PREFIX)):
            continue
        pid = _owner_pid(name)
        if pid is not None and pid != os.getpid() and _pid_alive(pid):
            continue
        if name.startswith(OLD_PREFIX):
            client_id = name[len(OLD_PREFIX) :].rsplit("-", 2)[0]
            target = out / client_id
            if (
                plan_mod.slug_ok(client_id)
                and not target.exists()
                and (entry / "manifest.json").is_file()
            ):
                os.rename(entry, target)
                done.append(name)
                continue
        shutil.rmtree(entry, ignore_errors=True)
        done.append(name)
    failed = out / FAILED_DIR
    if failed.is_dir():
        for entry in failed.iterdir():
            if entry.name.startswith(TMP_PREFIX):
                pid = _owner_pid(entry.name)
                if pid is None or not _pid_alive(pid):
                    shutil.rmtree(entry, ignore_errors=True)
    return done


def _new_tmp(parent: Path, client_id: str) -> Path:
    parent.mkdir(parents=True, exist_ok=True)
    path = parent / f"{TMP_PREFIX}{client_id}-{os.getpid()}-{secrets.token_hex(4)}"
    path.mkdir()
    return path


def _swap_into(tmp: Path, final: Path) -> None:
    """Make `tmp` the folder `final`, replacing an existing `final` only at the last moment."""
    if final.exists():
        old = final.parent / f"{OLD_PREFIX}{final.name}-{os.getpid()}-{secrets.token_hex(4)}"
        os.rename(final, old)
        try:
            os.rename(tmp, final)
        except BaseException:
            os.rename(old, final)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, final)


def _fsync_tree(folder: Path) -> None:
    """Flush the folder's files to disk before the rename makes them visible."""
    for item in folder.iterdir():
        if item.is_file():
            with open(item, "rb") as fh:
                os.fsync(fh.fileno())


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


def print_pdf(html_path: Path, pdf_path: Path, chromium: str) -> None:
    """Print `html_path` to `pdf_path` with headless Chromium (no network, no profile)."""
    profile = tempfile.mkdtemp(prefix="workshop-chromium-")
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


def pdf_step(folder: Path, language: str) -> tuple[str, str | None]:
    """Print ``folder/report.html`` to ``folder/report.pdf`` if Chromium is there.

    Returns (status for the manifest: ``ok`` | ``skipped: no chromium`` | ``failed: ...``,
    a translated message for the person, or None). Never raises: the PDF is optional and
    the rest of the report ships without it.
    """
    chromium = chromium_path()
    if chromium is None:
        return "skipped: no chromium", i18n.t("report.cli.no_chromium", language)
    try:
        print_pdf(folder / "report.html", folder / "report.pdf", chromium)
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
        {"name": p.name, "bytes": p.stat().st_size} for p in sorted(folder.iterdir()) if p.is_file()
    ]


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
    plan_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    pdf: bool = False,
    capture_stderr: bool = True,
    kernel: WarmKernel | None = None,
) -> ClientResult:
    """Build one client's report into ``out_dir/<client-id>/`` (atomically).

    Steps, each timed in the manifest: validate (load the plan again from the file's bytes,
    hashed), execute (papermill, kernel ``python3``, cwd = the template's folder), html
    (:func:`html_report` on the notebook papermill returns), exports (calendar CSV/XLSX/ICS
    from ``schedule.expand``, written in a thread *while the kernel runs*; its duration is
    the thread's own time), pdf (optional). `kernel`: a :class:`WarmKernel` started earlier
    (consumed: always shut down here); None starts one now. Never raises for a client's own
    failure: the result says ``failed`` with the failing cell, and the executed notebook is
    kept in ``out_dir/_failed/<client-id>/``.
    """
    started_wall = time.perf_counter()
    started = _now()
    out = Path(out_dir).resolve()
    src = Path(plan_path).resolve()
    result = ClientResult(plan_path=str(src), language=cli_language())
    durations = {step: 0.0 for step in STEPS}
    try:
        return _build_one(
            src, out, pdf, capture_stderr, kernel, started_wall, started, result, durations
        )
    finally:
        if kernel is not None:
            kernel.shutdown()


def _build_one(
    src: Path,
    out: Path,
    pdf: bool,
    capture_stderr: bool,
    kernel: WarmKernel | None,
    started_wall: float,
    started: str,
    result: ClientResult,
    durations: dict[str, float],
) -> ClientResult:
    tmp: Path | None = None

    def step_done(step: str, t0: float) -> None:
        durations[step] = round(time.perf_counter() - t0, 3)

    try:
        t0 = time.perf_counter()
        raw = src.read_bytes()
        plan = plan_mod.loads(raw.decode("utf-8"), source=str(src), language=cli_language())
        lang = plan.language
        cid = plan.client.id
        if not plan_mod.slug_ok(cid):
            raise PlanError(
                str(src), [Problem("client.id", i18n.t("report.cli.unsafe_id", lang, id=cid))], lang
            )
        result.client_id, result.client_name, result.language = cid, plan.client.name, lang
        step_done("validate", t0)
    except PlanError as exc:
        result.status = "invalid"
        result.language = exc.language
        result.error = str(exc)
        result.problems = [str(p) for p in exc.problems]
        result.seconds = round(time.perf_counter() - started_wall, 3)
        return result
    except Exception as exc:  # unreadable file etc.
        result.status = "invalid"
        result.error = f"{type(exc).__name__}: {exc}"
        result.seconds = round(time.perf_counter() - started_wall, 3)
        return result

    params = {"plan_path": str(src), "language": ""}
    manifest: dict[str, Any] = {
        "toolkit_version": __version__,
        "client_id": cid,
        "language": lang,
        "plan": {"path": str(src), "sha256": _sha256(raw), "plan_hash": plan_mod.plan_hash(plan)},
        "parameters": params,
        "template": str(template_path()),
        "data_as_of": {k: v.isoformat() for k, v in _as_of().items()},
        "started": started,
    }
    step = "execute"
    exports_job: _Background | None = None
    try:
        out.mkdir(parents=True, exist_ok=True)
        with _critical():  # a signal here is handled once the folder is known
            tmp = _new_tmp(out, cid)
            _CURRENT_TMP.append(tmp)
        nb_path = tmp / "report.ipynb"
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
                write_exports, plan, tmp, lang, then=None if _EXPORTERS else warm_html
            )
        t0 = time.perf_counter()
        try:
            if capture_stderr:
                with _StderrToFile(tmp / "kernel-stderr.log"):
                    nb = _execute(nb_path, params, kernel)
            else:
                nb = _execute(nb_path, params, kernel)
        finally:
            log = kernel.stderr_text()
            if log and capture_stderr:
                with open(tmp / "kernel-stderr.log", "a", encoding="utf-8") as fh:
                    fh.write(log)
            elif log:
                sys.stderr.write(log)
            if own_kernel is not None:
                own_kernel.shutdown()
        step_done("execute", t0)

        step = "html"
        t0 = time.perf_counter()
        title = f"{plan.client.name} · {i18n.t('report.title.label', lang)}"
        (tmp / "report.html").write_text(html_report(nb, title, lang), encoding="utf-8")
        step_done("html", t0)

        step = "exports"
        durations["exports"] = exports_job.result()
        exports_job = None

        if pdf:
            step = "pdf"
            t0 = time.perf_counter()
            manifest["pdf"], message = pdf_step(tmp, lang)
            if message:
                result.notes.append(message)
            step_done("pdf", t0)

        (tmp / "kernel-stderr.log").unlink(missing_ok=True)
        result.seconds = round(time.perf_counter() - started_wall, 3)
        manifest.update(
            status="ok",
            finished=_now(),
            seconds=result.seconds,
            durations=durations,
            notes=result.notes,
        )
        manifest["files"] = _files(tmp) + [{"name": "manifest.json", "bytes": None}]
        _write_json(tmp / "manifest.json", manifest)
        _fsync_tree(tmp)
        final = out / cid
        _swap_into(tmp, final)
        tmp = None
        shutil.rmtree(out / FAILED_DIR / cid, ignore_errors=True)
        result.status, result.out_dir = "ok", str(final)
        return result
    except BaseException as exc:  # one client's failure never stops the others
        if exports_job is not None:
            exports_job.wait()  # never remove a folder a thread is still writing into
        if isinstance(exc, (KeyboardInterrupt, SystemExit, Interrupted)):
            raise
        result.status = "failed"
        result.seconds = round(time.perf_counter() - started_wall, 3)
        _describe_failure(result, exc, step)
        if tmp is not None:
            manifest.update(
                status="failed",
                failed_step=step,
                finished=_now(),
                seconds=result.seconds,
                durations=durations,
                error=result.error,
                failed_cell=result.failed_cell,
            )
            result.failed_dir = str(_keep_failed(tmp, out, cid, manifest, exc))
            tmp = None
        return result
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
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

    Started with cwd = the template's folder, the IPython history in memory, its stderr in
    a temporary file, and :data:`PRELOAD` as start-up line (imports and data tables only),
    so its start and imports overlap other work (the previous client's HTML and exports in
    a worker, the CLI's own imports and validation for a single plan). Still one kernel per
    client: :func:`build_one` runs one notebook in it and shuts it down (``now=True``);
    a kernel that gets no client is shut down with :meth:`shutdown`. In a worker whose zygote
    works, the kernel process is forked by the zygote (:func:`_provisioner_class`), else
    jupyter_client launches ``python -m ipykernel_launcher`` as usual.
    """

    def __init__(self, cwd: str | os.PathLike[str] | None = None, preload: bool = True):
        from jupyter_core.utils import run_sync

        fd, name = tempfile.mkstemp(prefix="workshop-kernel-", suffix=".log")
        self.stderr_path = Path(name)
        self.km = _kernel_manager_class()(kernel_name="python3")
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
        self.stderr_path.unlink(missing_ok=True)


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


def _execute(nb_path: Path, params: dict[str, Any], kernel: WarmKernel) -> Any:
    """Run the template in `kernel` with papermill; return the executed notebook (also
    written to `nb_path`, once, at the end or at the failing cell)."""
    import papermill

    template = template_path()
    return papermill.execute_notebook(
        str(template),
        str(nb_path),
        parameters=params,
        kernel_name="python3",
        log_output=False,
        progress_bar=False,
        request_save_on_cell_execute=False,
        km=kernel.km,
    )


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
    result.notes.append("".join(traceback.format_exception(exc))[-4000:])


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _keep_failed(
    tmp: Path, out: Path, cid: str, manifest: dict[str, Any], exc: BaseException
) -> Path:
    """Move the failed run's folder to ``out/_failed/<cid>/`` (replacing an older one)."""
    (tmp / "error.txt").write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    for name in ("report.html", "report.pdf", "calendar.csv", "calendar.xlsx", "calendar.ics"):
        (tmp / name).unlink(missing_ok=True)  # only what helps debugging, never a "report"
    manifest["files"] = _files(tmp) + [{"name": "manifest.json", "bytes": None}]
    _write_json(tmp / "manifest.json", manifest)
    failed_root = out / FAILED_DIR
    failed_root.mkdir(parents=True, exist_ok=True)
    staged = failed_root / tmp.name
    os.rename(tmp, staged)
    final = failed_root / cid
    _swap_into(staged, final)
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


def _remove_tree(path: Path, attempts: int = 40) -> None:
    """``shutil.rmtree`` that also wins against a thread still writing files into it."""
    for _ in range(attempts):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            return
        time.sleep(0.05)


def _worker_exit(code: int) -> None:
    _kill_children()
    for tmp in list(_CURRENT_TMP):
        _remove_tree(tmp)
    for kernel in list(_LIVE_KERNELS):
        kernel.stderr_path.unlink(missing_ok=True)
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
    """A worker: receive ``(index, plan path, prewarm)`` on `conn`, build each, send back the
    result dicts.

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
            index, plan_path, prewarm = task
            conn.send(("start", index, None))
            kernel, warm = warm, None
            if prewarm:
                try:
                    warm = WarmKernel(cwd)
                except Exception:  # noqa: BLE001
                    warm = None
            try:
                result = build_one(plan_path, out, pdf=pdf, kernel=kernel)
            except BaseException as exc:  # noqa: BLE001 - report anything, keep serving
                result = ClientResult(
                    plan_path=str(plan_path), status="failed", error=f"{type(exc).__name__}: {exc}"
                )
            conn.send(("done", index, result.to_dict()))
    finally:
        if warm is not None:
            warm.shutdown()
        if _ZYGOTE is not None:
            _ZYGOTE.close()
            _ZYGOTE = None
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
    plan_path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    pdf: bool = False,
    progress: bool = True,
    kernel: WarmKernel | None = None,
    on_interrupt: Any = None,
) -> list[ClientResult]:
    """Build one plan's report in this process (no worker process: a single report does
    not pay a second interpreter and its imports), in `kernel` if given (consumed).

    Same outputs, manifest and rules as :func:`run_batch`. SIGINT / SIGTERM end the process
    like a worker's SIGTERM: the kernel is killed, the temporary folder removed,
    ``on_interrupt(signum, results)`` called (the CLI prints its summary there) and the
    process exits with 130 / 143 (``os._exit``: an exception raised from a signal handler
    could leave the import lock held while the calendar thread waits for it). If this
    process is killed (SIGKILL), the kernel exits by itself within a second (ipykernel
    watches its parent) and the next run removes the temporary folder.
    """
    import psutil  # noqa: F401 - imported now: nothing is imported in the signal handler

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    lang = cli_language()
    previous = {}

    def interrupt(signum: int) -> None:
        _StderrToFile.restore()
        _kill_children()
        for tmp in list(_CURRENT_TMP):
            _remove_tree(tmp)
        for kernel in list(_LIVE_KERNELS):
            kernel.stderr_path.unlink(missing_ok=True)
        code = 130 if signum == signal.SIGINT else 143
        try:
            if on_interrupt is not None:
                on_interrupt(
                    signum,
                    [ClientResult(plan_path=str(plan_path), status="interrupted", language=lang)],
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
        res = build_one(plan_path, out, pdf=pdf, kernel=kernel)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if progress:
        print(_progress_line(1, 1, res), file=sys.stderr, flush=True)
    return [res]


def run_batch(
    plan_paths: list[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    jobs: int | None = None,
    pdf: bool = False,
    progress: bool = True,
) -> list[ClientResult]:
    """Build every plan's report with `jobs` worker processes (default: the number of cores).

    Plans are expected to be validated already (:func:`validate_all`); a plan that became
    invalid meanwhile is reported ``invalid`` by its worker. Workers are ``spawn`` processes
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
    paths = [str(Path(p).resolve()) for p in plan_paths]
    total = len(paths)
    results: list[ClientResult | None] = [None] * total
    if not paths:
        return []
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
            w["conn"].send((index, paths[index], w["warm"]))

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
        raise Interrupted(exc.signum, [r for r in results if r is not None]) from None
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
    return [r for r in results if r is not None]


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


def exit_status(results: list[ClientResult]) -> int:
    """0 all ok; 2 any invalid input; else 1 if any client failed (or was interrupted)."""
    if any(r.status == "invalid" for r in results):
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
        elif r.status == "failed":
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


def run_cli(paths: list[str], out: str, jobs: int | None, pdf: bool) -> int:
    """``workshop report``: validate all, build the valid ones, print a summary; exit status
    as in the module docstring (invalid plans are reported and skipped, the rest built, 2)."""
    lang = cli_language()
    if jobs is not None and jobs < 1:
        print(i18n.t("report.cli.bad_jobs", lang, jobs=jobs), file=sys.stderr)
        return 2
    if not template_path().is_file():
        print(i18n.t("report.cli.no_template", lang, path=template_path()), file=sys.stderr)
        return 2
    kernel: WarmKernel | None = None
    files, _ = discover(paths)
    if len(files) == 1:  # one plan: built here; its kernel starts while we validate
        os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        try:
            kernel = WarmKernel(template_path().parent)
        except Exception:  # noqa: BLE001 - build_one starts its own kernel (and reports why)
            kernel = None
    try:
        plans, problems = validate_all(paths)
    except BaseException:
        if kernel is not None:
            kernel.shutdown()
        raise
    if len(plans) != 1 and kernel is not None:
        kernel.shutdown()
        kernel = None
    for res in problems:
        print(res.error, file=sys.stderr)
    if not plans and not problems:
        print(
            i18n.t("report.cli.no_plans", lang, paths=", ".join(map(str, paths))), file=sys.stderr
        )
        return 2
    out_dir = Path(out)
    results: list[ClientResult] = list(problems)
    started = time.perf_counter()
    if plans:
        n_jobs = max(1, min(jobs or os.cpu_count() or 1, len(plans)))
        print(
            i18n.t("report.cli.starting", lang, n=len(plans), jobs=n_jobs, out=out_dir),
            file=sys.stderr,
            flush=True,
        )
        try:
            if len(plans) == 1:

                def interrupted(signum: int, partial: list[ClientResult]) -> None:
                    print(file=sys.stderr)
                    print(summary_table(partial + problems, lang), file=sys.stderr)
                    print(
                        i18n.t("report.cli.interrupted", lang, out=out_dir.resolve()),
                        file=sys.stderr,
                    )

                built = run_single(
                    plans[0][0], out_dir, pdf=pdf, kernel=kernel, on_interrupt=interrupted
                )
            else:
                built = run_batch([p for p, _ in plans], out_dir, jobs=jobs, pdf=pdf)
        except Interrupted as exc:
            print(file=sys.stderr)
            print(summary_table(exc.results + problems, lang), file=sys.stderr)
            print(i18n.t("report.cli.interrupted", lang, out=out_dir.resolve()), file=sys.stderr)
            return 130 if exc.signum == signal.SIGINT else 143
        results = built + problems
        for res in built:
            for note in res.notes:
                if res.ok or not note.startswith("Traceback"):
                    print(f"{res.client_id}: {note}", file=sys.stderr)
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
            out=out_dir.resolve(),
        )
    )
    return exit_status(results)


def validate_cli(paths: list[str]) -> int:
    """``workshop validate``: check plans without running anything (0 all valid, else 2)."""
    lang = cli_language()
    plans, problems = validate_all(paths)
    if not plans and not problems:
        print(
            i18n.t("report.cli.no_plans", lang, paths=", ".join(map(str, paths))), file=sys.stderr
        )
        return 2
    for path, plan in plans:
        print(i18n.t("report.cli.valid", plan.language, path=path, client=plan.client.id))
    for res in problems:
        print(res.error, file=sys.stderr)
    print(i18n.t("report.cli.validate_summary", lang, ok=len(plans), bad=len(problems)))
    return 2 if problems else 0
