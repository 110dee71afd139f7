"""What ``workshop report`` builds from: plan files discovered, read once and validated.

No kernel, no output folder: everything here runs before anything is written. A plan's
bytes are read once (a regular file only, at most ``plan.MAX_PLAN_BYTES`` + 1 bytes read);
the same bytes and the :class:`PlanInput` parsed from them go to the build, in this
process, a worker or a Dask worker (never the path, to be read again).
"""

from __future__ import annotations

import dataclasses
import os
import stat
import time
from pathlib import Path
from typing import Any

from workshop import data, i18n
from workshop import plan as plan_mod
from workshop.errors import PlanError, Problem

PLAN_SUFFIXES = (".yaml", ".yml")
TEMPLATE_ENV = "WORKSHOP_REPORT_TEMPLATE"  # another template notebook (tests' fixtures)


def template_path() -> Path:
    """The report template notebook: ``notebooks/report/report.ipynb``, or the notebook named
    by ``$WORKSHOP_REPORT_TEMPLATE`` (used by the tests, e.g. a fixture template that fails
    for a chosen client: ``tests/fixtures/failing-template/report.ipynb``)."""
    return Path(os.environ.get(TEMPLATE_ENV) or data.report_template())


def cli_language() -> str:
    """Language of the CLI's own messages: ``$WORKSHOP_LANG`` (vi or en), default vi."""
    lang = os.environ.get("WORKSHOP_LANG", i18n.DEFAULT_LANGUAGE)
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def display_path(path: str | os.PathLike[str] | bytes) -> str:
    """`path` as text that can always be printed or written as UTF-8: the bytes of a name
    that are not UTF-8 (kept by Python as surrogate escapes) are shown as ``\\xff``."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", "backslashreplace")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")


def utf8_name(path: str | os.PathLike[str]) -> bool:
    try:
        os.fspath(path).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


# --- Results -------------------------------------------------------------------------------


@dataclasses.dataclass
class ClientResult:
    """What happened to one plan. `status` is ``ok``, ``failed``, ``invalid``, ``refused``
    (its output folder is not the tool's) or ``interrupted``; `seconds` is the wall time of
    the client's run (0 for invalid); `traceback` is for error.txt, never for the terminal."""

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
    traceback: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class PlanInput:
    """One validated plan: `path` (where it was read, for the consultant's terminal only),
    `raw` (its bytes, read once) and `plan` (parsed from those bytes); `seconds`: the time
    reading and validating took. Everything built for the client comes from `raw` and
    `plan`; the file is never opened again."""

    path: str
    raw: bytes
    plan: plan_mod.Plan
    seconds: float = 0.0

    @property
    def name(self) -> str:
        """The plan's file name (printable), what the report and the manifest show."""
        return display_path(Path(self.path).name)


def invalid(path: str, message: str, language: str, problems: list[str] | None = None):
    return ClientResult(
        plan_path=display_path(path),
        status="invalid",
        language=language,
        error=message,
        problems=problems if problems is not None else [message],
    )


# --- Discovery and validation (no kernel) --------------------------------------------------


def discover(paths: list[str | os.PathLike[str]]) -> tuple[list[Path], list[Problem]]:
    """Plan files named by `paths` (files, or folders searched for ``*.yaml``/``*.yml`` at
    their top level), sorted and de-duplicated (by resolved path), and a problem (in the CLI
    language, naming the path) for each path that does not exist, each broken link or entry
    that cannot be read (a link loop) and each folder that cannot be listed. Hidden entries
    (``.name``) and sub-folders of a folder are skipped; other non-regular files are
    returned, for the reader to refuse with a message.
    """
    lang = cli_language()
    found: dict[Path, Path] = {}
    problems: list[Problem] = []

    def problem(path: str | os.PathLike[str], key: str, **values: Any) -> None:
        shown = display_path(path)
        problems.append(Problem(shown, i18n.t(f"report.cli.{key}", lang, path=shown, **values)))

    def add(path: Path) -> None:
        """`path` if it (or its link's target) can be looked at, else a problem."""
        try:
            os.stat(path)
            resolved = path.resolve()
        except FileNotFoundError:
            if os.path.islink(path):
                problem(path, "broken_link", target=display_path(os.readlink(path)))
            else:
                problem(path, "missing_path")
            return
        except (OSError, RuntimeError) as exc:  # a link loop, a permission
            problem(path, "unreadable_entry", reason=reason(exc))
            return
        found.setdefault(resolved, path)

    for raw in paths:
        path = Path(raw)
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            is_dir = False
        if not is_dir:
            add(path)
            continue
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problem(path, "unreadable_folder", reason=reason(exc))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith(".") or Path(name).suffix.lower() not in PLAN_SUFFIXES:
                continue
            try:
                if entry.is_dir():  # follows links: a folder named x.yaml is not a plan
                    continue
            except OSError:
                pass  # reported by add()
            add(path / name)
    return sorted(found), problems


def reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(
        exc
    ).__name__


def load_input(path: str | os.PathLike[str], language: str | None = None) -> PlanInput:
    """Read the plan at `path` once and validate it: a :class:`PlanInput`, or a
    :class:`PlanError` (a name that is not UTF-8, not a regular file, too large, not UTF-8
    text, not YAML, invalid fields, unsafe client id)."""
    started = time.perf_counter()
    lang = language or cli_language()
    path = Path(path)
    source = display_path(path)
    if not utf8_name(path):
        raise PlanError(source, [Problem("", i18n.t("report.cli.name_not_utf8", lang))], lang)
    raw = plan_mod.read_bytes(path, lang)  # once: these bytes feed everything after
    plan = plan_mod.from_bytes(raw, source=source, language=lang)
    if not plan_mod.slug_ok(plan.client.id):  # defence in depth: the schema checks it too
        msg = i18n.t("report.cli.unsafe_id", plan.language, id=plan.client.id)
        raise PlanError(source, [Problem("client.id", msg)], plan.language)
    return PlanInput(str(path), raw, plan, round(time.perf_counter() - started, 3))


def load_inputs(
    paths: list[str | os.PathLike[str]],
) -> tuple[list[PlanInput], list[ClientResult]]:
    """Discover, read (once) and validate every plan before anything runs.

    Returns ``(inputs, problems)``: the valid plans as :class:`PlanInput` and one ``invalid``
    :class:`ClientResult` per bad input (missing path, broken link, invalid plan with its
    field paths, unsafe or duplicate client id: two plans with one id would write one
    folder, so both are refused).
    """
    lang = cli_language()
    files, missing = discover(paths)
    problems = [invalid(p.path, p.message, lang) for p in missing]
    loaded: list[PlanInput] = []
    for path in files:
        try:
            loaded.append(load_input(path, lang))
        except PlanError as exc:
            problems.append(
                invalid(str(path), str(exc), exc.language, [str(p) for p in exc.problems])
            )
    by_id: dict[str, list[str]] = {}
    for item in loaded:
        by_id.setdefault(item.plan.client.id, []).append(item.path)
    inputs = []
    for item in loaded:
        plan = item.plan
        others = [display_path(p) for p in by_id[plan.client.id] if p != item.path]
        if others:
            msg = i18n.t(
                "report.cli.duplicate_id",
                plan.language,
                id=plan.client.id,
                others=", ".join(others),
            )
            res = invalid(item.path, msg, plan.language)
            res.client_id, res.client_name = plan.client.id, plan.client.name
            problems.append(res)
        else:
            inputs.append(item)
    return inputs, problems


def validate_all(
    paths: list[str | os.PathLike[str]],
) -> tuple[list[tuple[Path, plan_mod.Plan]], list[ClientResult]]:
    """:func:`load_inputs` as ``(absolute path, Plan)`` pairs (for ``workshop validate``)."""
    inputs, problems = load_inputs(paths)
    return [(Path(i.path), i.plan) for i in inputs], problems


def as_input(item: PlanInput | str | os.PathLike[str]) -> PlanInput | ClientResult:
    """`item` itself, or the plan at that path read once (an ``invalid`` result if it is not)."""
    if isinstance(item, PlanInput):
        return item
    try:
        return load_input(item)
    except PlanError as exc:
        return invalid(str(item), str(exc), exc.language, [str(p) for p in exc.problems])
