"""Plan files: reading (bounded, trap-free YAML), writing (atomic), hashing, the JSON Schema.

Part of :mod:`workshop.plan` (import from there).
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

import yaml

from workshop import i18n
from workshop.errors import PlanError, Problem
from workshop.plan.checks import (
    validate,
)
from workshop.plan.models import (
    Plan,
)
from workshop.plan.vocab import (
    _UNSAFE_RE,
    MAX_PLAN_BYTES,
    SLUG_PATTERN,
    WINDOWS_RESERVED_IDS,
)

# --- Reading YAML ---------------------------------------------------------------------------


class _PyPlanLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` (no Python objects, ever) with two YAML 1.1 traps removed.

    * Base-60 numbers: plain ``time: 10:30`` would be the integer 630; here it stays the
      text ``"10:30"`` (any plain scalar containing ``:`` is never an int or a float).
    * Impossible dates: ``start: 2027-13-01`` matches the timestamp pattern and made PyYAML
      raise ``ValueError``; here it stays text, so validation names the field ``start``.
    """


class _PlanLoader(getattr(yaml, "CSafeLoader", _PyPlanLoader)):
    """:class:`_PyPlanLoader` parsing with libyaml (``CSafeLoader``) when PyYAML has it:
    five times faster on the largest plan the schema allows (0.6 s to 0.12 s for 260 kB),
    with the same safe constructors and resolvers (both are Python); libyaml refuses
    nesting deeper than 1,000 levels by itself. Its error positions are less precise, so
    :func:`_parse_yaml` asks the pure-Python loader where a broken file breaks."""


def _trap_free(loader: type) -> None:
    loader.yaml_implicit_resolvers = {
        first: [
            (
                tag,
                re.compile(r"(?![^:]*:)" + rx.pattern, rx.flags)
                if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
                else rx,
            )
            for tag, rx in resolvers
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, AttributeError):  # 2027-13-01, or an explicit !!timestamp "hello"
        return loader.construct_scalar(node)


_trap_free(_PyPlanLoader)
_trap_free(_PlanLoader)


def _parse_yaml(text: str) -> Any:
    """``yaml.load`` with :class:`_PlanLoader` (safe: no tags beyond plain YAML data); on
    a YAML error, the pure-Python loader parses again to say where (line, column)."""
    try:
        return yaml.load(text, Loader=_PlanLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError:
        if not hasattr(yaml, "CSafeLoader"):  # it was the pure-Python loader already
            raise
    return yaml.load(text, Loader=_PyPlanLoader)  # noqa: S506 - a SafeLoader


def display_path(path: str | bytes | os.PathLike) -> str:
    """A path as a message can print it on any terminal.

    Bytes that are not UTF-8 (a name made on another system, kept by Python as surrogate
    escapes) are shown as ``\\xNN``; control characters and the other characters
    :func:`unsafe_character` refuses are shown escaped, so a file named with a newline or a
    terminal escape sequence can neither break a message nor drive the terminal.
    """
    return escape_unsafe(os.fsencode(path).decode("utf-8", errors="backslashreplace"))


def escape_unsafe(text: str) -> str:
    """`text` with each character :func:`unsafe_character` refuses written as an escape
    (``\\n``, ``\\x1b``, ``\\u202e``): for messages, which must show what is there."""
    if _UNSAFE_RE.search(text) is None:
        return text
    return _UNSAFE_RE.sub(
        lambda m: m.group().encode("unicode_escape", errors="backslashreplace").decode("ascii"),
        text,
    )


def _refuse(source: str, lang: str, key: str, **values: Any) -> PlanError:
    return PlanError(source, [Problem("", i18n.t(key, lang, **values))], lang)


def read_bytes(path: str | bytes | os.PathLike, language: str | None = None) -> bytes:
    """The bytes of the plan file at `path`: a regular file of at most MAX_PLAN_BYTES.

    Never hangs and never reads more than ``MAX_PLAN_BYTES + 1`` bytes: the file is opened
    with ``O_NONBLOCK`` (opening a FIFO without a writer returns at once) and checked with
    ``fstat`` on the open descriptor (no race with a rename) before anything is read; a
    directory, a FIFO, a socket or a device (``/dev/zero``) is refused. A path whose name
    is not valid UTF-8 is refused too (it could not be shown in a report, a manifest or a
    message). Every failure is a :class:`PlanError` naming the path readably, in
    `language` (default Vietnamese). Used by :func:`load`; the report runner calls it once
    per plan and parses the same bytes with :func:`from_bytes`.
    """
    lang = language or i18n.DEFAULT_LANGUAGE
    try:
        raw_name = os.fsencode(path)
    except TypeError:
        raise PlanError(
            repr(path)[:60], [Problem("", i18n.t("plan.error.not_a_path", lang))], lang
        ) from None
    source = display_path(raw_name)
    try:
        raw_name.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(source, lang, "plan.error.path_not_utf8") from None
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(raw_name, flags)
    except OSError as exc:
        if exc.errno == errno.EISDIR:  # Windows: a folder cannot be opened
            raise _refuse(source, lang, "plan.error.is_directory") from None
        raise _refuse(
            source, lang, "plan.error.unreadable", reason=exc.strerror or str(exc)
        ) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(source, lang, "plan.error.is_directory")
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(source, lang, "plan.error.not_regular")
        if info.st_size > MAX_PLAN_BYTES:
            raise _refuse(
                source, lang, "plan.error.too_large", size=info.st_size, limit=MAX_PLAN_BYTES
            )
        chunks: list[bytes] = []
        left = MAX_PLAN_BYTES + 1  # one byte more than allowed tells a file that grew
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except PlanError:
        raise
    except OSError as exc:
        raise _refuse(
            source, lang, "plan.error.unreadable", reason=exc.strerror or str(exc)
        ) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_PLAN_BYTES:
        raise _refuse(
            source, lang, "plan.error.too_large", size=f"> {MAX_PLAN_BYTES}", limit=MAX_PLAN_BYTES
        )
    return data


def from_bytes(data: bytes, source: str = "<plan>", language: str | None = None) -> Plan:
    """Decode (UTF-8) and validate a plan's bytes, as read by
    :func:`read_bytes`. Every failure is a :class:`PlanError`."""
    lang = language or i18n.DEFAULT_LANGUAGE
    if len(data) > MAX_PLAN_BYTES:
        raise _refuse(source, lang, "plan.error.too_large", size=len(data), limit=MAX_PLAN_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(source, lang, "plan.error.not_utf8") from None
    return loads(text, source=source, language=language)


def load(path: str | bytes | os.PathLike, language: str | None = None) -> Plan:
    """Read a plan file (YAML, safe loader only: see :class:`_PlanLoader`) and validate it.

    The bytes come from :func:`read_bytes` (a regular file, at most MAX_PLAN_BYTES). Every
    failure, from a missing file to a wrong field, is a :class:`PlanError`.
    """
    data = read_bytes(path, language)
    return from_bytes(data, source=display_path(path), language=language)


def loads(text: str, source: str = "<plan>", language: str | None = None) -> Plan:
    """Parse and validate a plan from YAML text."""
    lang = language or i18n.DEFAULT_LANGUAGE
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_PLAN_BYTES:  # the same limit as load(), checked before parsing
        raise PlanError(
            source,
            [Problem("", i18n.t("plan.error.too_large", lang, size=size, limit=MAX_PLAN_BYTES))],
            lang,
        )
    try:
        raw = _parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise PlanError(
            source, [Problem("", i18n.t("plan.error.not_yaml", lang, where=where))], lang
        ) from None
    except Exception:  # noqa: BLE001 - PyYAML's constructors also raise ValueError
        # (!!int abc), KeyError (!!bool maybe), RecursionError ([[[[...]]]] 5000 deep)...
        raise PlanError(
            source, [Problem("", i18n.t("plan.error.not_yaml", lang, where=""))], lang
        ) from None
    return validate(raw, source=source, language=language)


def to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain YAML-able data (dates as ISO strings, defaults included)."""
    return plan.model_dump(mode="json")


# Characters YAML reads as line breaks inside a scalar (and so folds or normalises away)
# unless they are written as escapes in a double-quoted string.
_YAML_BREAKS = frozenset("\r\x85\u2028\u2029")


class _PlanDumper(yaml.SafeDumper):
    """``yaml.SafeDumper`` that keeps Vietnamese text readable yet round-trips any text.

    With ``allow_unicode`` PyYAML writes NEL (U+0085) and the Unicode line and paragraph
    separators raw, and reading them back turns them into ordinary line breaks or spaces.
    A string holding one of those is written double-quoted with every non-ASCII character
    escaped (a rare case: such a character is nearly always pasted by accident).
    """

    def choose_scalar_style(self) -> str:
        if self.event.value and not _YAML_BREAKS.isdisjoint(self.event.value):
            return '"'
        return super().choose_scalar_style()

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        if _YAML_BREAKS.isdisjoint(text):
            return super().write_double_quoted(text, split)
        saved, self.allow_unicode = self.allow_unicode, False
        try:
            return super().write_double_quoted(text, split)
        finally:
            self.allow_unicode = saved


def dumps(plan: Plan) -> str:
    """The plan as YAML text; ``loads(dumps(p)) == p``."""
    return yaml.dump(
        to_dict(plan), Dumper=_PlanDumper, allow_unicode=True, sort_keys=False, width=100
    )


def save(plan: Plan, path: str | os.PathLike[str]) -> Path:
    """Write the plan to `path` atomically (a crash never leaves half a file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600; keep the mode of the file being replaced (else 0644),
    # so that a plan saved from a notebook stays readable where it was readable before.
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(dumps(plan))
            fh.flush()
            os.fsync(fh.fileno())  # the bytes are on disk before the rename makes them visible
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def plan_hash(plan: Plan) -> str:
    """A stable SHA-256 of the plan's content (for manifests and caches)."""
    import hashlib

    return hashlib.sha256(json.dumps(to_dict(plan), sort_keys=True).encode()).hexdigest()


def json_schema() -> dict[str, Any]:
    """The plan's JSON Schema (draft 2020-12), for editors that check YAML while typing."""
    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Social-page strategy workshop plan"
    return schema


def write_json_schema(path: str | os.PathLike[str]) -> Path:
    """Write :func:`json_schema` to `path` (``data/plan.schema.json`` in the repository)."""
    path = Path(path)
    path.write_text(
        json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path


def slug_ok(value: str) -> bool:
    """Whether `value` is a safe client id: it cannot leave an output folder, and it is
    not a Windows device name (:data:`WINDOWS_RESERVED_IDS`); exactly what the schema
    accepts for ``client.id``."""
    return bool(re.fullmatch(SLUG_PATTERN, value)) and value not in WINDOWS_RESERVED_IDS
