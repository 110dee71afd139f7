"""`workshop hub-config` and `workshop room --hub` without a running hub (workshop/room_hub.py):
the configuration JupyterHub would load, the refusals before anything is written, the
service's address from the hub's environment, and Voilà's command under the hub. The real
hub, proxy and browser run in tests/test_room_hub.py."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

pytest.importorskip("jupyterhub")

from traitlets.config import Config  # noqa: E402

from workshop import cli, i18n, room_hub, room_kernel, room_server  # noqa: E402
from workshop.errors import WorkshopError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def proxy(tmp_path):
    """A stand-in file where configurable-http-proxy would be (only its path is written)."""
    path = tmp_path / "bin" / "configurable-http-proxy"
    path.parent.mkdir()
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    return path


def _load(config: Path) -> Config:
    """Run the file as JupyterHub does (``get_config()`` gives the Config it fills)."""
    c = Config()
    exec(
        compile(config.read_text(encoding="utf-8"), str(config), "exec"), {"get_config": lambda: c}
    )
    return c


def _write(tmp_path, proxy, **kwargs):
    values = {"port": 8100, "hub_port": 8181, "proxy_api_port": 8101, "service_port": 8191}
    values.update(kwargs)
    return room_hub.write_config("vi", str(tmp_path / "room"), "lan", proxy=str(proxy), **values)


def test_the_config_runs_the_room_as_a_service_behind_the_hubs_login(tmp_path, proxy):
    target, room = _write(tmp_path, proxy)
    assert target == room.folder / "hub" / "jupyterhub_config.py"
    c = _load(target)
    (service,) = c.JupyterHub.services
    assert service["name"] == room_hub.SERVICE
    assert service["url"] == "http://127.0.0.1:8191"
    assert service["command"][:5] == [sys.executable, "-m", "workshop", "room", "--hub"]
    assert service["command"][service["command"].index("--folder") + 1] == str(room.folder)
    assert service["oauth_no_confirm"] is True
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8100/"
    assert c.JupyterHub.hub_bind_url == "http://127.0.0.1:8181"
    assert c.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:8101"
    assert c.ConfigurableHTTPProxy.command == [str(proxy.resolve())]
    # the hub's own files live in the room's hub/ folder, never in the current directory
    for path in (c.JupyterHub.cookie_secret_file, c.JupyterHub.pid_file, c.JupyterHub.db_url):
        assert str(room.folder / "hub") in path
    # login: the room code for everyone, a long different password for the admin
    settings = room_kernel.settings(room.folder)
    assert c.JupyterHub.authenticator_class == "shared-password"
    assert c.SharedPasswordAuthenticator.user_password == settings["code"]
    admin = c.SharedPasswordAuthenticator.admin_password
    assert admin == settings[room_hub.ADMIN_KEY] and len(admin) >= 32 and admin != room.code
    assert c.Authenticator.admin_users == {"lan"}
    # participants: the room's pages only (no `self`, so no server and no code of theirs)
    (role,) = c.JupyterHub.load_roles
    assert role["name"] == "user"
    assert "access:services!service=workshop-room" in role["scopes"]
    assert not any(s in ("self", "inherit") or s.startswith("servers") for s in role["scopes"])
    assert c.JupyterHub.default_url.endswith("/voila/render/00-start.ipynb")
    # the login page speaks the room's language
    assert c.JupyterHub.template_vars["workshop"]["title"] == i18n.t("room.hub.login.title", "vi")
    assert (Path(c.JupyterHub.template_paths[0]) / "login.html").is_file()
    assert stat.S_IMODE((room.folder / "hub").stat().st_mode) == 0o700


def test_the_admin_password_survives_the_services_own_start(tmp_path, proxy):
    _, room = _write(tmp_path, proxy)
    before = room_kernel.settings(room.folder)
    again = room_server.prepare("vi", room.folder)  # what `workshop room --hub` does first
    after = room_kernel.settings(room.folder)
    assert after[room_hub.ADMIN_KEY] == before[room_hub.ADMIN_KEY]
    assert again.code == room.code
    _write(tmp_path, proxy)  # writing the config again keeps the password too
    assert room_kernel.settings(room.folder)[room_hub.ADMIN_KEY] == before[room_hub.ADMIN_KEY]
    assert stat.S_IMODE((room.folder / "room.json").stat().st_mode) == 0o600


@pytest.mark.parametrize("name", ["", "Lan Admin", "../lan", "lan;rm", "x" * 40, "Lan"])
def test_a_bad_facilitator_name_is_refused_and_nothing_is_written(tmp_path, proxy, name):
    with pytest.raises(WorkshopError, match="--facilitator"):
        room_hub.write_config("vi", str(tmp_path / "room"), name, proxy=str(proxy))
    assert not (tmp_path / "room").exists()


def test_ports_and_the_proxy_are_checked_before_anything_is_written(tmp_path, proxy):
    with pytest.raises(WorkshopError, match="--service-port"):
        _write(tmp_path, proxy, service_port=8100)
    with pytest.raises(WorkshopError, match="70000"):
        _write(tmp_path, proxy, port=70000)
    with pytest.raises(WorkshopError, match="configurable-http-proxy"):
        room_hub.write_config("en", str(tmp_path / "room"), "lan", proxy=str(tmp_path / "none"))
    assert not (tmp_path / "room").exists()


def test_the_config_is_never_written_into_the_repository(tmp_path, proxy):
    with pytest.raises(WorkshopError, match="--out"):
        _write(tmp_path, proxy, out=str(ROOT / "jupyterhub_config.py"))
    assert not (ROOT / "jupyterhub_config.py").exists()
    assert not (tmp_path / "room").exists()


def test_the_service_takes_its_address_from_the_hub_and_refuses_to_run_outside_one():
    env = {
        "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:10101",
        "JUPYTERHUB_SERVICE_PREFIX": "/services/workshop-room/",
    }
    assert room_hub.service_address(env) == ("127.0.0.1", 10101, "/services/workshop-room/")
    with pytest.raises(WorkshopError, match="workshop hub-config"):
        room_hub.service_address({})


def test_voila_under_the_hub_has_the_hubs_login_instead_of_the_room_code(tmp_path):
    room = room_server.prepare("vi", tmp_path / "room")
    cmd = room_server.voila_command(room, port=9001, hub_prefix="/services/workshop-room/")
    assert "--Voila.base_url=/services/workshop-room/" in cmd
    assert "--Voila.identity_provider_class=workshop.room_hub.HubIdentityProvider" in cmd
    assert not any(a.startswith("--Voila.token") for a in cmd)
    assert "--VoilaConfiguration.file_allowlist=^$" in cmd  # the rest of the room's locks


def test_the_hubs_handlers_live_under_the_services_prefix(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x" * 32)
    monkeypatch.setenv("JUPYTERHUB_API_URL", "http://127.0.0.1:8081/hub/api")
    provider = room_hub.HubIdentityProvider(token="")
    # HubAuth reads JUPYTERHUB_SERVICE_PREFIX when jupyterhub is imported; set it as the hub would
    provider.hub_auth.base_url = "/services/workshop-room/"
    paths = [h[0] for h in provider.get_handlers()]
    assert "/services/workshop-room/oauth_callback" in paths
    assert all(p.startswith("/services/workshop-room/") for p in paths)


def test_the_cli_prints_how_to_start_and_who_logs_in_how(tmp_path, proxy, capsys):
    code = cli.main(
        ["hub-config", "--language", "en", "--folder", str(tmp_path / "room")]
        + ["--facilitator", "lan", "--proxy", str(proxy)]
    )
    out = capsys.readouterr().out
    assert code == 0
    room = room_server.prepare("en", tmp_path / "room")
    assert "jupyterhub -f" in out and room.code in out and "lan" in out
    assert f"f={room.facilitator_secret}" in out
    assert room_kernel.settings(room.folder)[room_hub.ADMIN_KEY] not in out  # stays in the file
    assert cli.main(["hub-config", "--facilitator", "Bad Name", "--proxy", str(proxy)]) == 2
