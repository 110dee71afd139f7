"""``workshop lab``: the workshop in JupyterLab, from a working copy outside the repository.

For the people who want the code (students, facilitators preparing a session). The
repository's notebooks stay as they are (committed without outputs, reviewed through their
``.py`` twins); the participant works in a copy of their language's notebooks:

* a folder outside the repository (default ``~/workshop-toolkit/<lang>``), marked as the
  tool's by a ``.workshop-lab`` file; a folder that is not empty and not marked is refused,
  so the command never writes into a folder it did not make;
* the ``.ipynb`` files only (no ``.py`` twins, no ``jupytext.toml``), code cells collapsed
  (``metadata.jupyter.source_hidden``) except the parameters cell, whose ``plan_path`` says
  ``""``: the current plan (:func:`workshop.session.current_plan`), so nobody retypes a path;
* a notebook already in the copy is never overwritten (it is the participant's work) unless
  ``--reset`` is given; the repository's newer notebooks are then copied again;
* the JupyterLab interface in the participant's language: for ``vi`` the Vietnamese language
  pack (``jupyterlab-language-pack-vi-VN``), chosen through the copy's own user settings;
* the project's JupyterLab extension (``jupyter-config/labextensions``: Run All clicked
  while the kernel starts waits for it).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import nbformat

from workshop import i18n
from workshop.errors import WorkshopError
from workshop.session import PLANS_FOLDER

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXTENSIONS = ROOT / "jupyter-config" / "labextensions"
MARKER = ".workshop-lab"
SETTINGS_DIR = ".lab-settings"
LOCALES = {"vi": "vi_VN", "en": "en"}
PARAMETER_DEFAULT = 'plan_path: str = ""  # "" = kế hoạch hiện tại / the current plan (plans/)'
ROOM_DEFAULT = 'plans_dir: str = "plans"  # kế hoạch trong bản làm việc / the plans of this copy'
#: the parameter lines a copy rewrites (a participant never retypes a path)
REWRITES = {"plan_path": PARAMETER_DEFAULT, "plans_dir": ROOM_DEFAULT}


def default_folder(language: str) -> Path:
    """``~/workshop-toolkit/<language>`` (outside any repository)."""
    return Path.home() / "workshop-toolkit" / language


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_folder(folder: Path, language: str) -> None:
    """Refuse a folder inside the repository, or one that is not empty and not ours."""
    if _inside(folder, ROOT.resolve()):
        raise WorkshopError(i18n.t("lab.inside_repository", language, folder=str(folder)))
    if folder.exists() and not folder.is_dir():
        raise WorkshopError(i18n.t("lab.not_a_folder", language, folder=str(folder)))
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise WorkshopError(i18n.t("lab.not_ours", language, folder=str(folder), marker=MARKER))


def participant_notebook(source: Path) -> nbformat.NotebookNode:
    """The participant's copy of a repository notebook: every code cell collapsed but the
    parameters cell, whose ``plan_path`` says ``""`` (the current plan) and whose
    ``plans_dir`` (the room notebook) says ``plans`` (the copy's own plans); no outputs."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags:
            lines = cell.source.splitlines()
            cell.source = "\n".join(
                REWRITES.get(line.split(":", 1)[0].strip(), line) for line in lines
            )
            continue
        cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    return nb


def _write_settings(folder: Path, language: str) -> Path:
    """The copy's JupyterLab user settings: the interface language (and no news pop-up)."""
    settings = folder / SETTINGS_DIR
    translation = settings / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    translation.parent.mkdir(parents=True, exist_ok=True)
    news.parent.mkdir(parents=True, exist_ok=True)
    translation.write_text(json.dumps({"locale": LOCALES[language]}), encoding="utf-8")
    news.write_text(json.dumps({"fetchNews": "false"}), encoding="utf-8")
    return settings


def prepare(
    language: str, folder: str | os.PathLike[str] | None = None, reset: bool = False
) -> Path:
    """Make (or refresh) the working copy for `language` and return its folder.

    Notebooks already there are kept unless `reset`; the ``plans/`` folder is never touched.
    """
    if language not in LOCALES:
        raise WorkshopError(i18n.t("lab.language", "en", value=language, allowed="vi, en"))
    target = Path(folder).expanduser() if folder else default_folder(language)
    target = target.resolve()
    _check_folder(target, language)
    target.mkdir(parents=True, exist_ok=True)
    (target / MARKER).write_text("made by `workshop lab`\n", encoding="utf-8")
    (target / PLANS_FOLDER).mkdir(exist_ok=True)
    for source in sorted((NOTEBOOKS / language).glob("*.ipynb")):
        dest = target / source.name
        if dest.exists() and not reset:
            continue
        nbformat.write(participant_notebook(source), dest)
    _write_settings(target, language)
    return target


def command(
    folder: Path, port: int = 8888, ip: str = "127.0.0.1", browser: bool = True
) -> list[str]:
    """The ``jupyter lab`` command line for a prepared working copy."""
    cmd = [
        str(Path(sys.executable).with_name("jupyter-lab")),
        f"--ServerApp.ip={ip}",
        f"--ServerApp.port={port}",
        f"--ServerApp.root_dir={folder}",
        f"--LabApp.user_settings_dir={folder / SETTINGS_DIR}",
        f"--LabApp.workspaces_dir={folder / SETTINGS_DIR / 'workspaces'}",
        f"--LabApp.extra_labextensions_path={EXTENSIONS}",
    ]
    if not browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def run(language: str, folder: str | None, port: int, ip: str, browser: bool, reset: bool) -> int:
    """``workshop lab``: prepare the copy, then run JupyterLab on it until Ctrl-C."""
    target = prepare(language, folder, reset)
    print(i18n.t("lab.ready", language, folder=str(target)), flush=True)
    if shutil.which("jupyter-lab") is None and not Path(command(target)[0]).exists():
        raise WorkshopError(i18n.t("lab.no_jupyterlab", language))
    proc = subprocess.Popen(command(target, port, ip, browser))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        return proc.wait()
