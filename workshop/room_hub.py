"""The workshop room on JupyterHub: one room, many rooms, an online course.

``workshop room`` on a laptop protects the room with a room code (Voilà's token). On
JupyterHub (the multi-user Jupyter server: The Littlest JupyterHub on a small VM, Zero to
JupyterHub on Kubernetes) the *same* room runs as a **hub-managed service**:

* JupyterHub starts ``workshop room --hub`` as a service (``c.JupyterHub.services``) and
  routes ``/services/workshop-room/`` to it through its proxy (``configurable-http-proxy``);
* the service is the same Voilà server, under the service's prefix, with JupyterHub's
  OAuth (:class:`HubIdentityProvider`) in place of the room code: a person reaches a page
  only after logging in to the hub, and only with the ``access:services!service=...``
  scope, which the generated configuration gives every user;
* participants get **no server of their own** (their role holds only that scope), so the
  hub adds no way to run code: the room's pages accept widget messages only, as on a
  laptop. The facilitator is the hub's **admin**, with a JupyterLab server of their own
  (the spawner) to prepare notebooks, and the room's view at the facilitator URL;
* the room folder (plans, progress, secrets) is one shared folder, written by the service
  only, so each participant's plan stays theirs exactly as on a laptop (unguessable ids in
  the URL, never a business name in a path).

``workshop hub-config`` (:func:`write_config`) prepares the room folder and writes a
documented ``jupyterhub_config.py`` for this machine: the shared-password login of a
workshop (the room code for participants, a long admin password for the facilitator; swap
in another authenticator for a course with accounts), the login page in the room's
language, and where the hub keeps its database and cookie secret (the room's ``hub/``).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
import urllib.parse
from pathlib import Path

from traitlets import Unicode

from workshop import i18n, room_server
from workshop.errors import WorkshopError

try:  # JupyterHub is needed only where the room runs as a hub service
    from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
except ImportError:  # pragma: no cover - the `hub` extra is not installed
    JupyterHubIdentityProvider = None  # type: ignore[assignment,misc]

#: The service's name: its URL is ``/services/workshop-room/``.
SERVICE = "workshop-room"
#: Where the generated configuration keeps the hub's own files, inside the room folder.
HUB_DIR = "hub"
#: The facilitator's password in ``room.json`` (SharedPasswordAuthenticator wants >= 32).
ADMIN_KEY = "hub_admin_password"
TEMPLATES = Path(__file__).resolve().parent / "hub_templates"
#: A hub user name the configuration accepts for the facilitator.
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")

if JupyterHubIdentityProvider is not None:

    class HubIdentityProvider(JupyterHubIdentityProvider):
        """JupyterHub's OAuth identity provider for the room's Voilà server.

        Voilà passes ``token=""`` to its identity provider when no room code is set; the
        hub's provider has no such setting (its token is the service's API token), so this
        subclass accepts and ignores it. Everything else (OAuth with the hub, the access
        scope check, the login redirect) is JupyterHub's own."""

        token = Unicode("", help="ignored: JupyterHub's login replaces the room code")

        def get_handlers(self) -> list[tuple]:
            """The hub's logout and OAuth callback handlers under the service's prefix
            (Voilà 0.5 adds an identity provider's handlers without its ``base_url``, so
            ``/services/workshop-room/oauth_callback`` would be a 404)."""
            from jupyter_server.utils import url_path_join

            prefix = self.hub_auth.base_url
            return [(url_path_join(prefix, path), *rest) for path, *rest in super().get_handlers()]


def _t(key: str, language: str, **values: object) -> str:
    return i18n.t(f"room.hub.{key}", language, **values)


def service_address(environ: dict[str, str] | None = None) -> tuple[str, int, str]:
    """The (ip, port, prefix) JupyterHub gives its service in ``JUPYTERHUB_SERVICE_URL``
    and ``JUPYTERHUB_SERVICE_PREFIX``; a clear error outside a hub."""
    env = os.environ if environ is None else environ
    url, prefix = env.get("JUPYTERHUB_SERVICE_URL", ""), env.get("JUPYTERHUB_SERVICE_PREFIX", "")
    parts = urllib.parse.urlsplit(url)
    if not url or not prefix or not parts.hostname or not parts.port:
        raise WorkshopError(_t("not_in_hub", "en"))
    return parts.hostname, parts.port, prefix


def run_service(language: str, folder: str | None, pool: int = 1) -> int:
    """``workshop room --hub``: the room as a JupyterHub service (started by the hub)."""
    if JupyterHubIdentityProvider is None:
        raise WorkshopError(_t("no_jupyterhub", language))
    ip, port, prefix = service_address()
    room = room_server.prepare(language, folder)
    cmd = room_server.voila_command(room, ip, port, pool, hub_prefix=prefix)
    print(_t("service_ready", language, folder=str(room.folder), prefix=prefix), flush=True)
    return room_server.serve(cmd, room)


def admin_password(room: room_server.Room) -> str:
    """The facilitator's hub password, kept in ``room.json`` (made on first use)."""
    from workshop import room_kernel

    values = room_kernel.settings(room.folder)
    password = str(values.get(ADMIN_KEY, ""))
    if len(password) < 32:
        password = secrets.token_urlsafe(32)
        room_server.write_settings(room.folder, {**values, ADMIN_KEY: password})
    return password


def _proxy_command(explicit: str | None, language: str) -> str:
    found = explicit or shutil.which("configurable-http-proxy")
    if not found or not Path(found).is_file():
        raise WorkshopError(_t("no_proxy", language, path=explicit or "configurable-http-proxy"))
    return str(Path(found).resolve())


def login_words(language: str) -> dict[str, str]:
    """The words of the hub's login page in the room's language (hub_templates/login.html)."""
    keys = ("title", "intro", "username", "password", "submit", "facilitator_hint", "error")
    return {k: _t(f"login.{k}", language) for k in keys}


def config_text(
    room: room_server.Room,
    facilitator: str,
    *,
    ip: str = "127.0.0.1",
    port: int = 8000,
    hub_port: int = 8081,
    proxy_api_port: int = 8001,
    service_port: int = 10101,
    proxy: str = "configurable-http-proxy",
    python: str = sys.executable,
    pool: int = 1,
) -> str:
    """The ``jupyterhub_config.py`` for `room` (see the module docstring; every line is
    commented in the file itself, for the person who runs the hub)."""
    hub = room.folder / HUB_DIR
    service_cmd = [
        python,
        "-m",
        "workshop",
        "room",
        "--hub",
        "--language",
        room.language,
        "--folder",
        str(room.folder),
        "--pool",
        str(pool),
    ]
    r = repr
    return f"""\
# jupyterhub_config.py, written by `workshop hub-config` (the social-page workshop toolkit).
# Start the hub from any folder:  jupyterhub -f {r(str(hub / "jupyterhub_config.py"))[1:-1]}
# What it does, and how to change it for a course: README.md, "Running a room on JupyterHub".
import json
from pathlib import Path

ROOM = Path({r(str(room.folder))})  # the room: notebooks, plans, progress, room.json
HUB = ROOM / {r(HUB_DIR)}  # the hub's own files (database, cookie secret, pid files)
SERVICE = {r(SERVICE)}
FACILITATOR = {r(facilitator)}  # the hub's admin: sees every plan, has a JupyterLab
_settings = json.loads((ROOM / "room.json").read_text(encoding="utf-8"))

c = get_config()  # noqa: F821 - provided by JupyterHub

# Where people connect (the proxy) and where the hub and its proxy talk to each other.
c.JupyterHub.bind_url = {r(f"http://{ip}:{port}/")}
c.JupyterHub.hub_bind_url = {r(f"http://127.0.0.1:{hub_port}")}
c.ConfigurableHTTPProxy.api_url = {r(f"http://127.0.0.1:{proxy_api_port}")}
c.ConfigurableHTTPProxy.command = [{r(proxy)}]
c.ConfigurableHTTPProxy.pid_file = str(HUB / "proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + str(HUB / "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = str(HUB / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(HUB / "jupyterhub.pid")

# Login: a workshop's shared passwords. Participants type any name and the room code;
# the facilitator types FACILITATOR and the admin password (both in room.json, mode 0600).
# A name gives no access to anyone's plan: plans are reached by their unguessable ids only.
# For a course with accounts, use another authenticator (NativeAuthenticator, an OAuth
# provider from oauthenticator, or The Littlest JupyterHub's FirstUseAuthenticator).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = _settings["code"]
c.SharedPasswordAuthenticator.admin_password = _settings[{r(ADMIN_KEY)}]
c.Authenticator.admin_users = {{FACILITATOR}}
c.Authenticator.allow_all = True

# The login page in the room's language.
c.JupyterHub.template_paths = [{r(str(TEMPLATES))}]
c.JupyterHub.template_vars = {{"workshop": {r(login_words(room.language))}}}

# The room: `workshop room --hub`, started and stopped by the hub, behind its proxy at
# /services/workshop-room/, logging in through the hub (OAuth, no confirmation page).
c.JupyterHub.services = [
    {{
        "name": SERVICE,
        "url": {r(f"http://127.0.0.1:{service_port}")},
        "command": {r(service_cmd)},
        "oauth_no_confirm": True,
        "display": True,
    }}
]
# Participants may open the room and nothing else: no server of their own, so nothing
# in the hub runs code for them. The facilitator (admin) keeps every right.
c.JupyterHub.load_roles = [
    {{
        "name": "user",
        "description": "a workshop participant: the room's pages only",
        "scopes": [
            "access:services!service=" + SERVICE,
            "read:users:name!user",  # who they are (the OAuth "identify" scopes)
            "read:users:groups!user",
        ],
    }}
]
# After logging in, everyone lands on the room's first page.
c.JupyterHub.default_url = "/services/" + SERVICE + "/voila/render/00-start.ipynb"

# The facilitator's own JupyterLab (to prepare): a local process as the hub's user.
# On The Littlest JupyterHub delete these two lines (it brings its systemd spawner); on
# Kubernetes (Zero to JupyterHub) the chart's KubeSpawner replaces them.
c.JupyterHub.spawner_class = "simple"
c.Spawner.default_url = "/lab"
"""


def write_config(
    language: str,
    folder: str | None,
    facilitator: str,
    *,
    out: str | None = None,
    ip: str = "127.0.0.1",
    port: int = 8000,
    hub_port: int = 8081,
    proxy_api_port: int = 8001,
    service_port: int = 10101,
    proxy: str | None = None,
    pool: int = 1,
) -> tuple[Path, room_server.Room]:
    """``workshop hub-config``: prepare the room folder and write its hub configuration
    (default ``<room>/hub/jupyterhub_config.py``; `out` must not be inside the
    repository). Checks every argument before writing anything."""
    if not USERNAME.match(facilitator or ""):
        raise WorkshopError(_t("bad_facilitator", language, name=facilitator))
    for value in (port, hub_port, proxy_api_port, service_port):
        if not 0 < value < 65536:
            raise WorkshopError(_t("bad_port", language, port=value))
    if len({port, hub_port, proxy_api_port, service_port}) < 4:
        raise WorkshopError(_t("same_port", language))
    proxy_cmd = _proxy_command(proxy, language)
    if JupyterHubIdentityProvider is None:
        raise WorkshopError(_t("no_jupyterhub", language))
    chosen = Path(out).expanduser().resolve() if out else None
    if chosen is not None and room_server.lab._inside(chosen, room_server.lab.ROOT.resolve()):
        raise WorkshopError(_t("out_in_repository", language, path=str(chosen)))
    room = room_server.prepare(language, folder)
    target = chosen or room.folder / HUB_DIR / "jupyterhub_config.py"
    admin_password(room)
    (room.folder / HUB_DIR).mkdir(mode=0o700, exist_ok=True)
    text = config_text(
        room,
        facilitator,
        ip=ip,
        port=port,
        hub_port=hub_port,
        proxy_api_port=proxy_api_port,
        service_port=service_port,
        proxy=proxy_cmd,
        pool=pool,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return target, room


def hub_urls(room: room_server.Room, ip: str, port: int) -> dict[str, str]:
    """The hub's address for participants and the facilitator's room view on the hub."""
    base = f"http://{room_server._host(ip)}:{port}"
    render = f"{base}/services/{SERVICE}/voila/render"
    return {
        "participant": f"{base}/",
        "facilitator": f"{render}/{room_server.FACILITATOR_NOTEBOOK}.ipynb?f={room.facilitator_secret}",
    }


def config_banner(
    target: Path, room: room_server.Room, facilitator: str, ip: str, port: int
) -> str:
    """What ``workshop hub-config`` prints: the file, how to start, who logs in how."""
    lang = room.language
    u = hub_urls(room, ip, port)
    return "\n".join(
        [
            _t("written", lang, path=str(target)),
            _t("start", lang, command=f"jupyterhub -f {target}"),
            "",
            _t("participants", lang, url=u["participant"], code=room.code),
            _t("facilitator", lang, name=facilitator, folder=str(room.folder)),
            _t("facilitator_url", lang, url=u["facilitator"]),
        ]
    )


def run_config_cli(args: object) -> int:
    """The CLI of ``workshop hub-config`` (arguments from :mod:`workshop.cli`)."""
    a = args
    target, room = write_config(
        a.language,
        a.folder,
        a.facilitator,
        out=a.out,
        ip=a.ip,
        port=a.port,
        hub_port=a.hub_port,
        proxy_api_port=a.proxy_api_port,
        service_port=a.service_port,
        proxy=a.proxy,
        pool=a.pool,
    )
    print(config_banner(target, room, a.facilitator, a.ip, a.port))
    return 0
