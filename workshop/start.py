"""Getting started: notebook set-up and a participant's own plan file (notebook 00).

A participant never edits the bundled examples in ``data/clients/``: notebook 00 either
copies an example (:func:`copy_example`) or creates a plan from the schema's defaults
(:func:`new_plan_file`) at a path of their own, by default ``plans/<client-id>.yaml``
under the notebook's working folder (:func:`participant_path`). Both refuse to overwrite
an existing file unless asked, so a re-run never destroys a saved plan.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd

from workshop import data, i18n
from workshop import plan as plan_mod

PLOTLY_RENDERER = "plotly_mimetype+notebook"
PLANS_FOLDER = "plans"


def setup_notebook(renderer: str = PLOTLY_RENDERER) -> None:
    """Set plotly's default renderer for notebooks (and reports made from them).

    ``plotly_mimetype`` lets JupyterLab draw the chart; ``notebook`` embeds plotly.js in the
    output so an exported HTML report shows it offline. The ``PLOTLY_RENDERER`` environment
    variable, when set, wins (e.g. for a run that must stay small).
    """
    import plotly.io as pio

    pio.renderers.default = os.environ.get("PLOTLY_RENDERER") or renderer


def slugify(name: str) -> str:
    """A safe client id from a display name: "Cà phê Sài Gòn" -> "ca-phe-sai-gon".

    Diacritics are dropped (Vietnamese đ -> d), anything else that is not a letter or a digit
    becomes "-", and the result is cut to 63 characters. An empty result gives
    "my-business" (the schema's default id).
    """
    text = name.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].strip("-")
    return slug if plan_mod.slug_ok(slug) else "my-business"


def participant_path(client_id: str, folder: str | os.PathLike[str] = PLANS_FOLDER) -> Path:
    """Where a participant's plan lives: ``<folder>/<client_id>.yaml`` (relative paths are
    relative to the notebook's working folder)."""
    if not plan_mod.slug_ok(client_id):
        raise ValueError(f"{client_id!r} is not a safe client id (lower-case letters, digits, '-')")
    return Path(folder) / f"{client_id}.yaml"


def example_copy_path(
    plan_path: str | os.PathLike[str], folder: str | os.PathLike[str] = PLANS_FOLDER
) -> Path | None:
    """The participant's working copy of a bundled example, ``<folder>/<stem>.yaml``, or None
    when `plan_path` is not one of the examples in ``data/clients/``."""
    path = Path(plan_path)
    try:
        bundled = {p.resolve() for p in data.example_plans()}
        if path.resolve() not in bundled:
            return None
    except OSError:
        return None
    return Path(folder) / path.name


def open_session(
    plan_path: str | os.PathLike[str],
    language: str = "vi",
    facilitator: bool = False,
    folder: str | os.PathLike[str] = PLANS_FOLDER,
):
    """The notebooks' :class:`workshop.ui.Session`, which never overwrites a bundled example.

    * `plan_path` is one of the examples in ``data/clients/``: the session saves (and
      exports) to the participant's working copy ``<folder>/<file name>`` instead. When that
      copy already exists, the session loads it, so notebook 02 continues where 01 was
      saved even with the default parameters; a line says so.
    * Any other path: loaded from and saved to `plan_path` (the Session's own rule; a path
      that does not exist yet starts from the default plan).
    """
    from workshop import ui

    copy = example_copy_path(plan_path, folder)
    if copy is None:
        return ui.Session(plan_path, language, facilitator)
    session = ui.Session(copy if copy.exists() else plan_path, language, facilitator)
    if copy.exists():
        print(i18n.t("start.continuing", language, path=copy.as_posix()))
    session.path = copy
    return session


def examples(language: str = "vi") -> pd.DataFrame:
    """The example plans bundled with the toolkit: name (file stem), client, sector, language.

    Column headers stay as ids (name, client, sector, language, platforms); values are
    translated where they are vocabulary.
    """
    rows = []
    for path in data.example_plans():
        try:
            p = plan_mod.load(path, language)
        except plan_mod.PlanError:
            continue
        rows.append(
            {
                "name": path.stem,
                "client": p.client.name,
                "sector": i18n.label("sector", p.client.sector, language),
                "language": i18n.t(f"start.language.{p.language}", language),
                "platforms": ", ".join(
                    i18n.label("platform", x, language) for x in p.platforms.chosen
                ),
            }
        )
    return pd.DataFrame(rows, columns=["name", "client", "sector", "language", "platforms"])


def examples_table(language: str = "vi") -> pd.DataFrame:
    """:func:`examples` with translated column headers (notebook 00)."""
    df = examples(language)
    df.columns = [i18n.t(f"start.col.{c}", language) for c in df.columns]
    from workshop import views

    return views.table(df)


def _refuse_overwrite(dest: Path, overwrite: bool, language: str) -> None:
    if dest.exists() and not overwrite:
        raise FileExistsError(i18n.t("start.exists", language, path=str(dest)))


def copy_example(
    name: str,
    dest: str | os.PathLike[str],
    language: str = "vi",
    overwrite: bool = False,
    client_name: str = "",
) -> Path:
    """Copy the example plan `name` (a file stem in ``data/clients/``) to `dest`.

    Without `client_name` the file is copied as it is (its comments kept); with one, the
    copy gets that name and its slug as client id (written through ``plan.save``). The
    example is validated first (a broken example is never handed out). Raises KeyError
    naming the examples when `name` is unknown, FileExistsError when `dest` exists and
    `overwrite` is False.
    """
    sources = {p.stem: p for p in data.example_plans()}
    if name not in sources:
        raise KeyError(
            i18n.t("start.unknown_example", language, name=name, known=", ".join(sorted(sources)))
        )
    dest = Path(dest)
    _refuse_overwrite(dest, overwrite, language)
    example = plan_mod.load(sources[name], language)
    if client_name.strip():
        client = example.client.model_copy(
            update={"name": client_name.strip(), "id": slugify(client_name)}
        )
        return plan_mod.save(example.model_copy(update={"client": client}), dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    shutil.copyfile(sources[name], tmp)
    os.replace(tmp, dest)
    return dest


def new_plan_file(
    dest: str | os.PathLike[str],
    language: str = "vi",
    client_name: str = "",
    overwrite: bool = False,
) -> Path:
    """Write a new plan with the schema's defaults to `dest` and return the path.

    The client's name is `client_name` (default: the translated "My business"), its id the
    slug of the name, its language `language` (currency VND for vi, EUR for en, the schema's
    rule). FileExistsError when `dest` exists and `overwrite` is False.
    """
    dest = Path(dest)
    _refuse_overwrite(dest, overwrite, language)
    name = client_name.strip() or i18n.t("start.default_client_name", language)
    new = plan_mod.validate(
        {"client": {"name": name, "id": slugify(name), "language": language}}, language=language
    )
    return plan_mod.save(new, dest)


def create_or_load(
    dest: str | os.PathLike[str], example: str = "", language: str = "vi", client_name: str = ""
) -> tuple[Path, str]:
    """The plan file a participant works on, created once: ``(path, message_key)``.

    If `dest` exists it is kept (``start.kept``); else it is copied from `example` when one
    is named (``start.copied``), or created from defaults (``start.created``).
    """
    dest = Path(dest)
    if dest.exists():
        return dest, "start.kept"
    if example:
        return copy_example(example, dest, language, client_name=client_name), "start.copied"
    return new_plan_file(dest, language, client_name), "start.created"
