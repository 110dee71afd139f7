"""The room on JupyterHub for real (issue 11, item 7): `workshop hub-config` writes the
configuration, `jupyterhub` (PyPI) starts with `configurable-http-proxy` (npm) on 127.0.0.1,
started by its PID and stopped by it; the hub starts the room (`workshop room --hub`) as its
service. Debian's Chromium through Playwright plays three participants and the facilitator,
every request off loopback aborted and counted (0).

* nobody reaches the room's pages without logging in to the hub; a wrong room code is
  refused on the hub's login page, which speaks the room's language;
* three participants log in with any name and the room code, land on the room's first
  page, create their plan and save it at step 01 (each file on disk, each its own id);
* a participant has no server of their own and no admin page (nothing runs code for them);
* the facilitator logs in as the hub's admin and the room view lists the three plans.

Screenshots: tests/artifacts/hub-login-390.png, hub-01-1366.png, hub-05-1366.png.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from browsing import CHROMIUM, CHROMIUM_ARGS, jupyter_env, loopback_only

from workshop import i18n, room_kernel

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
BIN = Path(__import__("sys").executable).parent
LANG = "vi"
FACILITATOR = "lan"
PAGE_TIMEOUT = 180_000
KNOWN_PAGE_ERROR = "setData is not a function"
#: where `make hub-proxy` (called by .ci/run) installs configurable-http-proxy from npm
LOCAL_PROXY = ROOT / "build" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
PARTICIPANTS = ("an", "binh", "chi")
BUSINESSES = {"an": "Tiệm hoa An", "binh": "Xưởng gốm Bình <i>x</i>", "chi": "Quán phở Chi"}


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _proxy() -> str | None:
    found = shutil.which("configurable-http-proxy")
    return found or (str(LOCAL_PROXY) if LOCAL_PROXY.is_file() else None)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """`workshop hub-config` then `jupyterhub -f` on free ports; stopped by its PID."""
    if CHROMIUM is None:
        pytest.skip("Debian chromium is not installed")
    pytest.importorskip("playwright.sync_api")
    pytest.importorskip("jupyterhub")
    proxy = _proxy()
    if proxy is None:
        if os.environ.get("CI"):
            pytest.fail("configurable-http-proxy is missing: .ci/run installs it (make hub-proxy)")
        pytest.skip("configurable-http-proxy is not installed (make hub-proxy)")
    base = tmp_path_factory.mktemp("room-hub")
    folder = base / "room"
    port, hub_port, api_port, service_port = _free_ports(4)
    env = {**jupyter_env(base), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    written = subprocess.run(
        [
            str(BIN / "workshop"),
            "hub-config",
            "--language",
            LANG,
            "--folder",
            str(folder),
            "--facilitator",
            FACILITATOR,
            "--port",
            str(port),
            "--hub-port",
            str(hub_port),
            "--proxy-api-port",
            str(api_port),
            "--service-port",
            str(service_port),
            "--proxy",
            proxy,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    config = folder / "hub" / "jupyterhub_config.py"
    assert str(config) in written.stdout
    log = (base / "hub.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [str(BIN / "jupyterhub"), "-f", str(config)],
        cwd=str(base),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:  # the hub answers, and the room's service is routed and up
            assert proc.poll() is None, (base / "hub.log").read_text(encoding="utf-8")
            try:
                urllib.request.urlopen(f"{url}/hub/login", timeout=5).close()
                with socket.create_connection(("127.0.0.1", service_port), timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        settings = room_kernel.settings(folder)
        yield {
            "url": url,
            "folder": folder,
            "code": settings["code"],
            "secret": settings["facilitator_secret"],
            "admin_password": settings["hub_admin_password"],
            "log": base / "hub.log",
            "pid": proc.pid,
        }
    finally:
        import psutil

        children = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signal.SIGTERM)  # the hub stops its service and its proxy
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        gone, alive = psutil.wait_procs(children, timeout=30)
        for child in alive:  # only what this test started, by PID
            child.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(hub):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Person:
    """One browser context; off-loopback requests aborted and counted, page errors kept."""

    def __init__(self, browser, width: int = 1366, height: int = 900):
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.route("**/*", loopback_only(self.blocked))
        self.page = self.context.new_page()
        self.page.set_default_timeout(PAGE_TIMEOUT)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def log_in(self, hub, name: str, password: str) -> None:
        self.page.goto(f"{hub['url']}/")
        self.page.wait_for_selector("#username_input")
        self.page.fill("#username_input", name)
        self.page.fill("#password_input", password)
        self.page.click("#login_submit")

    def close(self) -> None:
        assert self.blocked == []
        assert all(KNOWN_PAGE_ERROR in e for e in self.errors), self.errors
        assert "Traceback" not in self.page.content()
        self.context.close()


def _status(opener, url: str) -> int:
    try:
        with opener.open(url, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as err:
        return err.code


def test_nobody_reaches_the_room_without_the_hubs_login(hub, browser):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
            return None

    opener = urllib.request.build_opener(NoRedirect)
    render = f"{hub['url']}/services/workshop-room/voila/render"
    for path in ("00-start.ipynb", f"05-facilitator-room.ipynb?f={hub['secret']}"):
        try:
            opener.open(f"{render}/{path}", timeout=60)
            raise AssertionError("served without a login")
        except urllib.error.HTTPError as err:
            assert err.code == 302
            assert "/hub/api/oauth2/authorize" in err.headers["Location"]
    # the room code of the laptop room is no way in on the hub
    assert _status(opener, f"{render}/00-start.ipynb?token={hub['code']}") == 302

    p = Person(browser, 390, 844)
    p.log_in(hub, "an", "WRONGCODE")
    p.page.wait_for_selector(".login_error")
    words = i18n.t("room.hub.login.title", LANG)
    assert words in p.page.locator("h1").inner_text()
    assert "/hub/login" in p.page.url
    p.page.screenshot(path=str(ARTIFACTS / "hub-login-390.png"), full_page=True)
    p.close()


def test_three_participants_log_in_and_save_their_own_plans(hub, browser):
    ids = {}
    for name in PARTICIPANTS:
        p = Person(browser)
        page = p.page
        p.log_in(hub, name, hub["code"])
        page.wait_for_url("**/services/workshop-room/voila/render/00-start.ipynb*")
        page.wait_for_selector(".workshop-start input[type=text]")
        page.fill(".workshop-start input[type=text]", BUSINESSES[name])
        page.click(f".workshop-start button:has-text('{i18n.t('start.ui.create', LANG)}')")
        nxt = page.locator(".workshop-room-message .workshop-room-next")
        nxt.wait_for()
        pid = urllib.parse.parse_qs(urllib.parse.urlparse(nxt.get_attribute("href")).query)["p"][0]
        nxt.click()
        page.wait_for_url("**/01-platforms.ipynb?p=*")
        page.wait_for_selector(".workshop-room-bar")
        assert BUSINESSES[name] in page.locator(".workshop-room-bar").inner_text()
        label = re.compile(rf"^\s*{re.escape(i18n.t('ui.save.button', LANG))}\s*$")
        page.locator("button").filter(has_text=label).click()
        page.wait_for_function(
            "(t) => [...document.querySelectorAll('.workshop-saved')]"
            ".some(e => e.innerText.includes(t))",
            arg=i18n.t("room.saved", LANG, time="")[:8],
        )
        if name == PARTICIPANTS[0]:
            page.screenshot(path=str(ARTIFACTS / "hub-01-1366.png"))
        # no server of their own, no admin page: nothing in the hub runs code for them
        for path in ("/hub/spawn", "/hub/admin", f"/user/{name}/lab", "/hub/api/users"):
            response = page.goto(f"{hub['url']}{path}")
            assert response.status in (403, 404), (path, response.status, page.url)
            assert "/hub/" in page.url  # the hub's refusal, never a server of theirs
        ids[name] = pid
        p.close()
    assert len(set(ids.values())) == 3
    import psutil

    servers = [
        c
        for c in psutil.Process(hub["pid"]).children(recursive=True)
        if "jupyterhub-singleuser" in " ".join(c.cmdline())
    ]
    assert servers == []  # no participant got a server that could run code
    for name, pid in ids.items():
        text = room_kernel.plan_file(hub["folder"], pid).read_text(encoding="utf-8")
        assert BUSINESSES[name] in text
        assert room_kernel.progress(hub["folder"])[pid]["step"] >= 1
    hub["ids"] = ids


def test_the_facilitator_is_the_hubs_admin_and_sees_the_three(hub, browser):
    f = Person(browser)
    page = f.page
    f.log_in(hub, FACILITATOR, hub["code"])  # the room code is not the admin's password
    page.wait_for_selector(".login_error")
    f.log_in(hub, FACILITATOR, hub["admin_password"])
    page.wait_for_url("**/services/workshop-room/**")
    page.goto(
        f"{hub['url']}/services/workshop-room/voila/render/05-facilitator-room.ipynb"
        f"?f={hub['secret']}"
    )
    view = page.locator(".workshop-room-view")
    view.wait_for()
    for name in PARTICIPANTS:
        page.wait_for_function(
            "(t) => document.querySelector('.workshop-room-view').innerText.includes(t)",
            arg=BUSINESSES[name],
        )
    page.screenshot(path=str(ARTIFACTS / "hub-05-1366.png"), full_page=True)
    response = page.goto(f"{hub['url']}/hub/admin")  # the admin page is the facilitator's
    assert response.status == 200
    f.close()
