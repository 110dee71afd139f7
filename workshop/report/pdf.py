"""The optional PDF of a report: headless Chromium prints ``report.html`` (no network)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from workshop import i18n

PDF_TIMEOUT_S = 120

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
