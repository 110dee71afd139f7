"""``workshop room``: serve the workshop to a room through Voilà, nothing installed for them.

One command on the facilitator's laptop (or a server) prepares a *room folder* and runs
Voilà (voila, from PyPI) on it:

* ``<room>/app/``: the notebooks 00-05 of the room's language, copied from the repository
  (:func:`workshop.lab.participant_notebook`: no outputs, ``plan_path = ""``), refreshed at
  every start (participants never edit them: Voilà hides code and runs nothing but widgets);
* ``<room>/plans/`` and ``<room>/progress/``: each participant's plan and step
  (:mod:`workshop.room_kernel`), outside the folder Voilà serves, so no URL reaches them;
* ``<room>/room.json`` (mode 0600): the room code and the facilitator secret's hash;
  ``<room>/.workshop-room`` marks the folder as the tool's: a folder that is not empty and
  not marked is refused, so the command never writes into a folder it did not make.

Voilà runs in app mode: one kernel per page, code hidden, tracebacks hidden, pre-heated
kernels (``--pool`` per participant notebook) so a page opens without waiting for imports,
idle kernels of closed pages culled, files under ``app/`` not served (an empty allow-list),
and only widget messages accepted from the browser (Voilà's default, kept). It listens on
127.0.0.1 unless ``--ip`` says otherwise. The **room code** is Voilà's token: the shared
URL carries it (a participant who types the URL without it gets a login page asking for
it); the facilitator's page (05) needs the **facilitator secret** as well, checked in the
kernel. Both are printed, with a QR code of the participants' URL for phones.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from workshop import i18n, lab, room_kernel
from workshop.errors import WorkshopError

#: Characters of a room code: no 0/O, 1/I/L, easy to read aloud and to type on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
APP = "app"
FACILITATOR_NOTEBOOK = "05-facilitator-room"
#: Notebooks not pre-heated (opened by one person, the facilitator).
NOT_PREHEATED = (FACILITATOR_NOTEBOOK,)
#: The page template (Voilà's lab template without its CDN stylesheets) and where it lives.
TEMPLATE = "workshop-room"
TEMPLATES = Path(__file__).resolve().parent / "room_template"
#: A kernel whose page is gone is shut down after this many idle seconds.
CULL_IDLE_SECONDS = 1800


@dataclass(frozen=True)
class Room:
    """A prepared room: its folder, language, room code and facilitator secret."""

    folder: Path
    language: str
    code: str
    facilitator_secret: str

    @property
    def app(self) -> Path:
        return self.folder / APP


def _t(key: str, language: str, **values: object) -> str:
    return i18n.t(f"room.{key}", language, **values)


def default_folder(language: str) -> Path:
    """``~/workshop-room/<language>`` (outside any repository)."""
    return Path.home() / "workshop-room" / language


def new_code() -> str:
    """A room code: 8 characters of :data:`CODE_ALPHABET` (about 40 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _check_folder(folder: Path, language: str) -> None:
    if lab._inside(folder, lab.ROOT.resolve()):
        raise WorkshopError(_t("inside_repository", language, folder=str(folder)))
    if folder.exists() and not folder.is_dir():
        raise WorkshopError(i18n.t("lab.not_a_folder", language, folder=str(folder)))
    if folder.is_dir() and any(folder.iterdir()) and not (folder / room_kernel.MARKER).is_file():
        raise WorkshopError(_t("not_ours", language, folder=str(folder), marker=room_kernel.MARKER))


#: Cells tagged so are about JupyterLab (running cells, the parameters cell, plan paths):
#: a room page has none of these, so its copy leaves them out.
LAB_ONLY = "lab-only"


def room_notebook(source: Path) -> nbformat.NotebookNode:
    """The room's copy of a repository notebook: :func:`workshop.lab.participant_notebook`
    without the cells tagged :data:`LAB_ONLY`."""
    nb = lab.participant_notebook(source)
    nb.cells = [c for c in nb.cells if LAB_ONLY not in c.metadata.get("tags", [])]
    return nb


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(path.with_suffix(".tmp"), path)


#: The keys of ``room.json`` that :func:`prepare` itself writes.
SETTINGS_KEYS = ("language", "code", "facilitator_secret", "facilitator_sha256")


def write_settings(folder: Path, values: dict[str, object]) -> None:
    """Write the room's ``room.json`` (mode 0600: it holds the room's secrets)."""
    _write_private(folder / room_kernel.SETTINGS, json.dumps(values, indent=2))


def prepare(
    language: str, folder: str | os.PathLike[str] | None = None, new_secrets: bool = False
) -> Room:
    """Make (or refresh) the room folder for `language`; return the :class:`Room`.

    The room code and facilitator secret are kept from one start to the next (links
    already shared keep working) unless `new_secrets`; plans and progress are never
    touched; the notebooks in ``app/`` are copied again from the repository.
    """
    if language not in lab.LOCALES:
        raise WorkshopError(i18n.t("lab.language", "en", value=language, allowed="vi, en"))
    target = (Path(folder).expanduser() if folder else default_folder(language)).resolve()
    _check_folder(target, language)
    target.mkdir(parents=True, exist_ok=True)
    (target / room_kernel.MARKER).write_text("made by `workshop room`\n", encoding="utf-8")
    for sub in (APP, room_kernel.PLANS, room_kernel.PROGRESS):
        (target / sub).mkdir(exist_ok=True)
    for source in sorted((lab.NOTEBOOKS / language).glob("*.ipynb")):
        nbformat.write(room_notebook(source), target / APP / source.name)
    settings_path = target / room_kernel.SETTINGS
    code = secret = ""
    kept: dict[str, object] = {}
    if settings_path.is_file():
        old = room_kernel.settings(target)
        if not new_secrets:
            code, secret = str(old.get("code", "")), str(old.get("facilitator_secret", ""))
            # other keys (the JupyterHub admin password of `workshop hub-config`) are kept
            kept = {k: v for k, v in old.items() if k not in SETTINGS_KEYS}
    if not code or not secret:
        code, secret = new_code(), secrets.token_urlsafe(18)
    write_settings(
        target,
        {
            **kept,
            "language": language,
            "code": code,
            "facilitator_secret": secret,
            "facilitator_sha256": room_kernel.secret_hash(secret),
        },
    )
    return Room(target, language, code, secret)


def voila_command(
    room: Room,
    ip: str = "127.0.0.1",
    port: int = 8866,
    pool: int = 1,
    hub_prefix: str | None = None,
) -> list[str]:
    """The Voilà command line serving `room` (see the module docstring for each choice).

    With `hub_prefix` (the room as a JupyterHub service, :mod:`workshop.room_hub`) Voilà is
    served under that prefix and JupyterHub's login replaces the room code."""
    if hub_prefix is None:
        access = [f"--Voila.token={room.code}"]
    else:
        access = [
            f"--Voila.base_url={hub_prefix}",
            "--Voila.identity_provider_class=workshop.room_hub.HubIdentityProvider",
        ]
    pools = {
        "default": {"pool_size": max(pool, 0)},
        **{f"{name}.ipynb": {"pool_size": 0} for name in NOT_PREHEATED},
    }
    return [
        sys.executable,
        "-m",
        "voila",
        str(room.app),
        "--no-browser",
        f"--Voila.ip={ip}",
        f"--Voila.port={port}",
        *access,
        "--Voila.port_retries=0",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.file_allowlist=^$",  # matches no file: nothing under app/ served
        f"--VoilaConfiguration.template={TEMPLATE}",
        f"--VoilaConfiguration.preheat_kernel={pool > 0}",
        f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        "--MappingKernelManager.cull_interval=300",
    ]


def environment(room: Room) -> dict[str, str]:
    """The server's environment: the room's folder for every kernel it starts."""
    env = dict(os.environ)
    env[room_kernel.ENV] = str(room.folder)
    # the room's page template (workshop/room_template: no request off the server)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(TEMPLATES), os.environ.get("JUPYTER_PATH", "")) if p
    )
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def _host(ip: str) -> str:
    """The address to print for `ip`: for 0.0.0.0 (every address) this machine's own
    address on its network (found without sending anything), else `ip` itself."""
    if ip not in ("0.0.0.0", "", "::"):
        return ip
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))  # UDP: no packet is sent
            return s.getsockname()[0]
    except OSError:
        return "127.0.0.1"


def urls(room: Room, ip: str = "127.0.0.1", port: int = 8866) -> dict[str, str]:
    """The participants' URL (room code included) and the facilitator's URL."""
    base = f"http://{_host(ip)}:{port}/voila/render"
    return {
        "participant": f"{base}/00-start.ipynb?token={room.code}",
        "facilitator": (
            f"{base}/{FACILITATOR_NOTEBOOK}.ipynb?token={room.code}&f={room.facilitator_secret}"
        ),
    }


def qr_text(url: str) -> str:
    """A QR code of `url` for a terminal (segno; two rows per text line)."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def banner(room: Room, ip: str, port: int) -> str:
    """What the command prints: the folder, both URLs, the room code, the QR code."""
    lang = room.language
    u = urls(room, ip, port)
    lines = [
        _t("ready", lang, folder=str(room.folder)),
        "",
        _t("participants", lang, url=u["participant"]),
        _t("code", lang, code=room.code),
        "",
        qr_text(u["participant"]),
        _t("facilitator", lang, url=u["facilitator"]),
        _t("keep_secret", lang),
    ]
    if ip == "127.0.0.1":
        lines += ["", _t("loopback", lang)]
    return "\n".join(lines)


def run(
    language: str,
    folder: str | None = None,
    ip: str = "127.0.0.1",
    port: int = 8866,
    pool: int = 1,
    new_secrets: bool = False,
) -> int:
    """``workshop room``: prepare the room, run Voilà on it until Ctrl-C (or SIGTERM),
    then stop it by its PID."""
    room = prepare(language, folder, new_secrets)
    cmd = voila_command(room, ip, port, pool)
    return serve(cmd, room, banner(room, ip, port))


def serve(cmd: list[str], room: Room, message: str = "") -> int:
    """Run the Voilà command `cmd` for `room`, print `message` once it is started, and
    wait; on Ctrl-C or SIGTERM stop Voilà by its PID (SIGTERM, then SIGKILL after 20 s)."""
    proc = subprocess.Popen(cmd, env=environment(room), cwd=str(room.app))
    if message:
        print(message, flush=True)

    def _stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
