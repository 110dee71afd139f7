"""Getting started: notebook set-up and a participant's own plan file (notebook 00).

A participant never edits the bundled examples in ``data/clients/``: notebook 00 makes a
plan file of their own, a copy of an example or a plan with the schema's defaults, at
``plans/<client-id>.yaml`` under the notebook's working folder (:func:`create_plan_file`).
That file is always NEW: it is created exclusively, and when the name is taken (another
participant of the same business name, or a name whose id is the same) the plan gets the
next free id and the participant is told which file is theirs. An existing file is only
continued on request (:func:`continue_plan_file`). Ids come from any script
(:func:`slugify`).

Every notebook starts with :func:`setup_notebook` (plotly, and errors a person can fix
shown as messages, not tracebacks) and :func:`open_session` (a
:class:`workshop.session.Session`: the plan, which must exist outside notebook 00, and the
plans folder the session may save into); the notebook builds its panels from the session
(:mod:`workshop.ui`). This module never imports the widgets.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
import plotly.io as pio

from workshop import data, i18n, tables
from workshop import plan as plan_mod
from workshop.errors import PlanError, Problem, WorkshopError
from workshop.session import PLANS_FOLDER, Session, current_plan, remember_current

PLOTLY_RENDERER = "plotly_mimetype+notebook"


def setup_notebook(renderer: str = PLOTLY_RENDERER) -> None:
    """Prepare a workshop notebook's kernel: plotly's renderer, and errors for a person.

    ``plotly_mimetype`` lets JupyterLab draw the chart; ``notebook`` embeds plotly.js in the
    output so an exported HTML report shows it offline. The ``PLOTLY_RENDERER`` environment
    variable, when set, wins (e.g. for a run that must stay small).

    In an IPython kernel, a :class:`~workshop.errors.WorkshopError` (a bad or missing plan,
    a PlanError naming its problems...) raised by a cell is shown as its message only:
    no Python frames (:func:`show_workshop_error`). The cell still fails, so a headless
    run (papermill, nbval) stops there and reports it.
    """
    pio.renderers.default = os.environ.get("PLOTLY_RENDERER") or renderer
    try:
        # only in a kernel: IPython is not needed to make plan files (scripts, the CLI)
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the kernel
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "set_custom_exc"):
        shell.set_custom_exc((WorkshopError,), show_workshop_error)


#: Control characters removed from an error shown in a notebook (kept: tab and newline).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def workshop_error_text(error: BaseException) -> str:
    """The text a person reads for `error`: its message, without control characters (a
    plan's text may hold terminal escapes), never a traceback."""
    return _CONTROL.sub("\ufffd", str(error))


def show_workshop_error(shell, etype, value, tb, tb_offset=None) -> list[str]:
    """IPython custom exception handler (``shell.set_custom_exc``) for WorkshopError.

    Shows the error as the cell's ``error`` output with the message as its only
    "traceback" line (``shell._showtraceback``, the hook ipykernel implements: JupyterLab,
    nbconvert and Voilà render it as text, never as HTML), and returns that line. IPython
    has already recorded the exception as the cell's error, so the cell still fails:
    papermill raises ``PapermillExecutionError`` (ename ``PlanError``) and nbval fails.
    """
    stb = [workshop_error_text(value)]
    if shell is not None:
        shell._showtraceback(etype, value, stb)
    return stb


#: Latin letters that Unicode does not decompose into an ASCII letter and a mark.
_LATIN_EXTRA = str.maketrans(
    {
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
    }
)
DEFAULT_SLUG = "my-business"
#: Hex digits of the name's SHA-256 in the id of a name with non-Latin letters.
SLUG_HASH_CHARS = 8


def _name_key(name: str) -> str:
    """The form of a business name two spellings of it share (NFKC, case-folded, single
    spaces): the input of the id's hash."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _script(char: str) -> str:
    """A short lower-case name of the script of `char` ("thai", "cjk", "cyrillic"...)."""
    try:
        word = unicodedata.name(char).split()[0].lower()
    except ValueError:
        return "u"
    return re.sub(r"[^a-z]", "", word)[:12] or "u"


def slugify(name: str) -> str:
    """A safe client id from a business name, for any script: always ``plan.slug_ok``.

    Latin and Vietnamese names are transliterated ("Cà phê Sài Gòn" -> "ca-phe-sai-gon":
    diacritics dropped, đ -> d, ß -> ss...; anything not a letter or digit becomes "-").
    A name with letters or digits of another script (Thai, Chinese, Cyrillic, Arabic...),
    which no installed package transliterates, keeps its Latin part and gets the script's
    name and a short hash of the name: "ร้านกาแฟ" -> "thai-1f0c2d3e", "Café 東京" ->
    "cafe-cjk-…". The hash makes the id stable (the same name always gives the same id,
    whatever its case and spacing) and different for different names. A name with no
    letter or digit gives "my-business". The result has at most 63 characters.

    Two names can still give one id ("Cà phê" and "Ca phe"): :func:`create_plan_file`
    never lets the second one take the first one's file.
    """
    text = unicodedata.normalize("NFKC", name).translate(_LATIN_EXTRA)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    foreign = [
        ch
        for ch in text
        if ch.isalnum()
        and not re.search(
            "[A-Za-z0-9]", unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        )
    ]
    digest = hashlib.sha256(_name_key(name).encode("utf-8")).hexdigest()[:SLUG_HASH_CHARS]
    if foreign:
        tail = f"{_script(foreign[0])}-{digest}"
        head = slug[: 63 - len(tail) - 1].strip("-")
        slug = f"{head}-{tail}" if head else tail
    else:
        slug = slug[:63].strip("-")
    if not slug:
        return DEFAULT_SLUG
    if not plan_mod.slug_ok(slug):  # e.g. a name the schema reserves
        slug = f"{slug[: 63 - SLUG_HASH_CHARS - 1].strip('-')}-{digest}"
    return slug if plan_mod.slug_ok(slug) else DEFAULT_SLUG


def participant_path(client_id: str, folder: str | os.PathLike[str] = PLANS_FOLDER) -> Path:
    """Where a participant's plan lives: ``<folder>/<client_id>.yaml`` (relative paths are
    relative to the notebook's working folder)."""
    if not plan_mod.slug_ok(client_id):
        raise ValueError(f"{client_id!r} is not a safe client id (lower-case letters, digits, '-')")
    return Path(folder) / f"{client_id}.yaml"


def open_session(
    plan_path: str | os.PathLike[str] | None,
    language: str = "vi",
    facilitator: bool = False,
    folder: str | os.PathLike[str] | None = None,
    allow_new: bool = False,
) -> Session:
    """The notebooks' :class:`workshop.session.Session`, which never overwrites a bundled
    example; the notebook builds its panels from it (``ui.platforms_panel(session)``...).

    * ``plan_path = ""`` means the current plan: the one saved, created or continued last
      in the plans folder (:func:`workshop.session.current_plan`), so a participant never
      retypes a path from notebook to notebook (``workshop lab``'s copies say ``""``).
    * In a room (``workshop room``), ``""`` means the plan the page's URL names.
    * `plan_path` must name an existing file: a missing one (a typo, notebook 00 not run
      yet) raises :class:`~workshop.errors.PlanError` naming the path and saying what to
      do, before anything runs (shown without a traceback, see :func:`setup_notebook`).
      Only notebook 00 passes ``allow_new=True``: there a missing path starts from a new
      default plan.
    * The session saves only into its plans folder (`folder`, else the plan's own
      ``plans`` folder, else ``plans/`` beside the notebook: see
      :func:`workshop.session.plans_folder_for`). A plan read from elsewhere (one of
      the examples in ``data/clients/``, or a file kept in another folder) is saved to
      the working copy ``<plans folder>/<file name>``; when that copy already exists, the
      session loads it, so notebook 02 continues where 01 was saved even with the default
      parameters; a line says so.
    """
    if not plan_path and folder is None:
        from workshop import room_kernel

        if room_kernel.active():  # a page served by `workshop room`: the plan in its URL
            return room_kernel.open_session(language, facilitator, allow_new)
    path = Path(plan_path) if plan_path else current_plan(folder or PLANS_FOLDER)
    if path is None or not path.exists():
        if not allow_new:
            shown = str(plan_path) if plan_path else '""'
            problem = Problem("plan_path", i18n.t("start.missing_plan", language, path=shown))
            raise PlanError(shown, [problem], language)
        return Session(path, language, facilitator, plans_folder=folder)
    session = Session(path, language, facilitator, plans_folder=folder)
    copy = session.path
    if copy is not None and copy != path and copy.exists():
        session = Session(copy, language, facilitator, plans_folder=session.plans_folder)
        print(i18n.t("start.continuing", language, path=copy.as_posix()))
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
    return tables.table(df)


def _write(dest: Path, text: str, overwrite: bool, language: str) -> Path:
    """Write a plan file: replace `dest` atomically when `overwrite`, else create it
    exclusively (FileExistsError with a translated message when it exists)."""
    if overwrite:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.chmod(tmp, 0o644)
            os.replace(tmp, dest)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return dest
    try:
        _write_new(dest, text)
    except FileExistsError:
        raise FileExistsError(i18n.t("start.exists", language, path=str(dest))) from None
    return dest


def copy_example(
    name: str,
    dest: str | os.PathLike[str],
    language: str = "vi",
    overwrite: bool = False,
    client_name: str = "",
) -> Path:
    """Copy the example plan `name` (a file stem in ``data/clients/``) to `dest`.

    Without `client_name` the file is copied as it is (its comments kept); with one, the
    copy gets that name and its slug as client id. The example is validated first (a
    broken example is never handed out). Raises KeyError naming the examples when `name`
    is unknown, FileExistsError when `dest` exists and `overwrite` is False (the file is
    created exclusively: one that appears meanwhile is not replaced either).
    """
    text = _participant_text(name, language, client_name, None)
    return _write(Path(dest), text, overwrite, language)


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
    text = _participant_text("", language, client_name, None)
    return _write(Path(dest), text, overwrite, language)


def create_or_load(
    dest: str | os.PathLike[str], example: str = "", language: str = "vi", client_name: str = ""
) -> tuple[Path, str]:
    """The plan file `dest`, continued if it exists, else created: ``(path, message_key)``.

    Use it only when the participant asked to continue that very file (``start.kept``);
    a participant asking for a *new* plan gets :func:`create_plan_file`, which never
    hands out an existing file. A missing `dest` is copied from `example` when one is
    named (``start.copied``), or created from defaults (``start.created``); the creation
    is exclusive, so a file that appears meanwhile is kept, not replaced.
    """
    dest = Path(dest)
    if dest.exists():
        return dest, "start.kept"
    text = _participant_text(example, language, client_name, None)
    try:
        _write_new(dest, text)
    except FileExistsError:
        return dest, "start.kept"
    return dest, "start.copied" if example else "start.created"


#: Ids tried for one name before giving up: <slug>, <slug>-2, ... <slug>-MAX_SUFFIX.
MAX_SUFFIX = 999


def _with_suffix(slug: str, n: int) -> str:
    """``<slug>-<n>`` within the 63 characters of an id (n = 1: the slug itself)."""
    if n == 1:
        return slug
    tail = f"-{n}"
    return slug[: 63 - len(tail)].rstrip("-") + tail


def _participant_text(example: str, language: str, client_name: str, client_id: str | None) -> str:
    """The plan file a participant starts from, as text: a copy of `example` (validated;
    the file itself, comments kept, when neither a name nor an id is given) or the
    schema's defaults, with their name and `client_id` (default: the slug of the name)."""
    name = client_name.strip()
    if example:
        sources = {p.stem: p for p in data.example_plans()}
        if example not in sources:
            raise KeyError(
                i18n.t(
                    "start.unknown_example",
                    language,
                    name=example,
                    known=", ".join(sorted(sources)),
                )
            )
        plan = plan_mod.load(sources[example], language)
        if not name and client_id is None:
            return sources[example].read_text(encoding="utf-8")
        name = name or plan.client.name
        client = plan.client.model_copy(update={"name": name, "id": client_id or slugify(name)})
        raw = plan_mod.to_dict(plan.model_copy(update={"client": client}))
        return plan_mod.dumps(plan_mod.validate(raw, source=example, language=language))
    name = name or i18n.t("start.default_client_name", language)
    raw = {"client": {"name": name, "id": client_id or slugify(name), "language": language}}
    return plan_mod.dumps(plan_mod.validate(raw, language=language))


def _write_new(dest: Path, text: str) -> None:
    """Create `dest` with `text`, only if it does not exist (FileExistsError otherwise).

    The text is written to a temporary file first and then hard-linked to `dest`: the
    link fails if `dest` exists (an exclusive creation, like ``O_EXCL``), and a reader
    never sees half a plan. On a file system without hard links, ``open(dest, "x")``.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, dest)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (some network or FAT file systems)
            with open(dest, "x", encoding="utf-8") as fh:
                fh.write(text)
    finally:
        Path(tmp).unlink(missing_ok=True)


def create_plan_file(
    client_name: str,
    example: str = "",
    language: str = "vi",
    folder: str | os.PathLike[str] = PLANS_FOLDER,
) -> tuple[Path, str]:
    """A NEW plan file for a participant in `folder`: ``(path, message_key)``.

    The file is ``<folder>/<slugify(client_name)>.yaml``, created exclusively (see
    :func:`_write_new`): when that file exists already, whoever made it, it is left as it
    is and the plan gets the next free id, ``<slug>-2``, ``<slug>-3``... (its client id
    is the file's stem, so reports never share a folder either). The key is
    ``start.copied`` / ``start.created`` for the first choice, ``start.copied_other`` /
    ``start.created_other`` when another id was needed (the message names both files, so
    the participant knows which one is theirs). An existing file is never continued
    here: that is :func:`continue_plan_file`, on the participant's explicit request.
    """
    folder = Path(folder)
    base = slugify(client_name)
    for n in range(1, MAX_SUFFIX + 1):
        client_id = _with_suffix(base, n)
        dest = participant_path(client_id, folder)
        text = _participant_text(example, language, client_name, client_id)
        try:
            _write_new(dest, text)
        except FileExistsError:
            continue
        remember_current(dest)
        key = "start.copied" if example else "start.created"
        return dest, key if n == 1 else f"{key}_other"
    raise WorkshopError(
        i18n.t("start.too_many", language, folder=folder.as_posix(), name=client_name.strip())
    )


def continue_plan_file(
    text: str, language: str = "vi", folder: str | os.PathLike[str] = PLANS_FOLDER
) -> tuple[Path, str]:
    """An existing plan file a participant asked to continue: ``(path, "start.kept")``.

    `text` is the file name given when the plan was created (``lan-s-bakery-2.yaml``,
    with or without ``plans/``) or the business name (its slug's file). The file must
    exist in `folder` (WorkshopError naming it otherwise) and be a valid plan
    (:class:`PlanError` naming its problems otherwise).
    """
    text = text.strip()
    name = Path(text).name
    stem = name.rsplit(".", 1)[0] if name.lower().endswith((".yaml", ".yml")) else ""
    client_id = stem if stem and plan_mod.slug_ok(stem) else slugify(text)
    path = participant_path(client_id, folder)
    if stem and client_id == stem and name.lower().endswith(".yml"):
        path = path.with_suffix(".yml")
    if not path.is_file():
        shown = (Path(folder) / name).as_posix() if stem else path.as_posix()
        raise WorkshopError(i18n.t("start.no_such_plan", language, path=shown))
    plan_mod.load(path, language)
    remember_current(path)
    return path, "start.kept"
