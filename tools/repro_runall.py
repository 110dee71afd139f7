"""Reproduce "Run All on a freshly opened notebook never completes" in JupyterLab (issue 8).

Starts JupyterLab on 127.0.0.1 (its own PID, a free port, an empty token, ``--allow-root``
when root) serving a COPY of ``notebooks/`` and ``data/clients/`` in a temporary folder, then,
per attempt, opens a notebook fresh (a new browser context, no running kernel, a reset
workspace) in Debian's chromium and clicks Run > Run All Cells as a participant would:

* ``--click shown``: as soon as the notebook's cells are on the page;
* ``--click idle``: once the status bar says the kernel is idle.

Each attempt records whether every code cell finished (``[n]`` prompts), how long it took,
the kernel status sequence seen on the websocket (iopub ``status``), the execute requests
the page sent and the replies it got, the cells left waiting, the frontend's kernel status
text, dialogs, console errors and requests still pending. ``--load`` runs one busy-loop
process per core during the attempts (started and stopped by PID).

``--settings`` chooses the JupyterLab settings:

* ``default``: JupyterLab's defaults (what ``make lab`` gave before the fix);
* ``shipped``: JupyterLab's defaults plus what the project ships in ``jupyter-config/``
  (``--LabApp.extra_labextensions_path``, as ``make lab`` does: the run-when-ready
  extension);
* ``test-old``: the old browser test's user settings (``windowingMode: none``, no news).

Usage (from the repository root)::

    .venv/bin/python tools/repro_runall.py --attempts 20 --click shown --settings default
    .venv/bin/python tools/repro_runall.py --attempts 20 --click idle --load --json out.json

Prints one line per attempt and a summary (failures / attempts per condition). Failed
attempts keep a screenshot and the full record under ``--artifacts``. Nothing is written into
the repository except there (default ``tests/artifacts/repro/``, git-ignored).
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the browser tests' shared helpers
from browsing import CHROMIUM, CHROMIUM_ARGS, JUPYTER_LAB, LOCAL_HOSTS, jupyter_env  # noqa: E402

SHIPPED_CONFIG = ROOT / "jupyter-config"
# how `make lab` adds the project's JupyterLab extension (jupyter-config/README.md)
SHIPPED_FLAG = f"--LabApp.extra_labextensions_path={SHIPPED_CONFIG / 'labextensions'}"
STALL_SECONDS = 15

# every code cell's prompt, in order: "" (never run), "*" (queued/running) or the count
PROMPTS_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell.jp-CodeCell')].map(c => {
        const p = c.querySelector('.jp-InputPrompt');
        const m = p ? /\\[(.*)\\]/.exec(p.textContent) : null;
        return m ? m[1].trim() : null;
    })"""
# widget outputs (ipywidgets' renderer is a Panel without a data-mime-type; a widget shown as
# its text repr means no widget manager), the ones that hold a rendered widget, and errors
WIDGETS_JS = """() => {
    const all = [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output')];
    const panels = all.filter(o => o.classList.contains('lm-Panel') &&
        !o.getAttribute('data-mime-type'));
    const reprs = all.filter(o => o.getAttribute('data-mime-type') === 'text/plain' &&
        /^(VBox|HBox|Box|Output|HTML|Button|[A-Za-z]+Panel)\\(/.test(o.textContent.trim()));
    const views = panels.filter(o => o.querySelector('.jupyter-widgets'));
    const errors = panels.map(o => o.textContent)
        .filter(t => /Error displaying widget|model not found/.test(t))
        .map(t => t.slice(0, 120));
    return [panels.length + reprs.length, views.length, errors];
}"""
# "Python 3 (ipykernel) | Idle", "No Kernel | Initializing"...: the current kernel's status item
KERNEL_TEXT_JS = """() => {
    const bar = document.querySelector('.jp-StatusBar-Widget');
    const m = bar ? /(No Kernel|[A-Za-z][^|]*?\\)) \\| ([A-Z][a-z]+)/.exec(bar.textContent) : null;
    return m ? m[1] + ' | ' + m[2] : '';
}"""
# the frontend's view of the kernel, polled into window.__kstatus from page start
INIT_JS = """(() => {
    window.__kstatus = [];
    const t0 = performance.now();
    let last = null;
    setInterval(() => {
        const items = [...document.querySelectorAll('.jp-StatusBar-Widget')]
            .map(e => e.textContent).filter(t => t.includes('|'));
        const ind = document.querySelector(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
        const now = items.join(' / ') + ' #' + (ind ? ind.getAttribute('data-status') : '-');
        if (now !== last) {
            window.__kstatus.push([Math.round(performance.now() - t0), now]);
            last = now;
        }
    }, 50);
})()"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload), encoding="utf-8")


def copy_tree(base: Path) -> Path:
    """A copy of the notebooks (``.ipynb`` only) and the example plans under `base`/root."""
    root = base / "root"
    for lang in ("vi", "en"):
        shutil.copytree(
            ROOT / "notebooks" / lang,
            root / "notebooks" / lang,
            ignore=shutil.ignore_patterns("*.py", "plans", ".ipynb_checkpoints"),
        )
    shutil.copytree(ROOT / "data" / "clients", root / "data" / "clients")
    return root


def lab_env(base: Path, settings: str) -> tuple[dict[str, str], list[str]]:
    """Environment and extra arguments of a hermetic JupyterLab with the chosen settings."""
    env = jupyter_env(base)
    env.pop("JUPYTER_CONFIG_PATH", None)
    env.pop("JUPYTER_PATH", None)
    user = base / "settings"
    user.mkdir(parents=True, exist_ok=True)
    args = [f"--LabApp.user_settings_dir={user}"]
    if settings == "test-old":
        write_json(
            user / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
            {"windowingMode": "none"},
        )
        write_json(
            user / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
            {"fetchNews": "false", "checkForUpdates": False},
        )
    elif settings == "shipped":
        args.append(SHIPPED_FLAG)  # as `make lab` does
    elif settings != "default":
        raise ValueError(settings)
    return env, args


SLOW_SESSIONS = """
# written by tools/repro_runall.py --session-delay: every new kernel session is created
# {delay} s late, as on a machine busy enough that starting a kernel takes that long
import asyncio
from jupyter_server.services.sessions.sessionmanager import SessionManager

_create_session = SessionManager.create_session


async def _slow_create_session(self, *args, **kwargs):
    await asyncio.sleep({delay})
    return await _create_session(self, *args, **kwargs)


SessionManager.create_session = _slow_create_session
"""


@contextlib.contextmanager
def jupyterlab(base: Path, settings: str, debug: bool = False, session_delay: float = 0.0):
    """A JupyterLab server on a free port; yields (url, root, log path); stopped by PID.
    `session_delay` > 0 makes the server create each kernel session that many seconds late
    (a config file in the temporary JUPYTER_CONFIG_DIR)."""
    root = copy_tree(base)
    env, extra = lab_env(base, settings)
    if session_delay > 0:
        config = Path(env["JUPYTER_CONFIG_DIR"])
        config.mkdir(parents=True, exist_ok=True)
        (config / "jupyter_server_config.py").write_text(
            SLOW_SESSIONS.format(delay=float(session_delay)), encoding="utf-8"
        )
    port = free_port()
    log_path = base / "jupyter.log"
    log = open(log_path, "wb")  # noqa: SIM115 (the server's log: closed when it stops)
    cmd = [
        str(JUPYTER_LAB),
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--port={port}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        *extra,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.insert(1, "--allow-root")
    if debug:
        cmd.append("--debug")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=str(root))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(
                    "JupyterLab did not start:\n" + log_path.read_text(errors="replace")[-3000:]
                )
            time.sleep(0.3)
        yield url, root, log_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@contextlib.contextmanager
def cpu_load(on: bool):
    """One busy-loop process per core while the block runs (stopped by their PIDs)."""
    procs: list[subprocess.Popen] = []
    if on:
        for _ in range(os.cpu_count() or 1):
            procs.append(subprocess.Popen([sys.executable, "-c", "while True: pass"]))
    try:
        yield [p.pid for p in procs]
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=10)


_JAR = http.cookiejar.CookieJar()
_OPENER = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(_JAR))


def api(url: str, path: str, method: str = "GET") -> object:
    """A REST call to the server, with the XSRF cookie and header it asks for."""
    if not any(c.name == "_xsrf" for c in _JAR):
        _OPENER.open(f"{url}/lab", timeout=10).read()
    xsrf = next((c.value for c in _JAR if c.name == "_xsrf"), "")
    req = urllib.request.Request(f"{url}{path}", method=method, headers={"X-XSRFToken": xsrf})
    with _OPENER.open(req, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def stop_kernels(url: str) -> None:
    """Shut down every session and kernel, so the next opening starts a new kernel."""
    for s in api(url, "/api/sessions"):
        api(url, f"/api/sessions/{s['id']}", "DELETE")
    for k in api(url, "/api/kernels"):
        api(url, f"/api/kernels/{k['id']}", "DELETE")


def decode_v1(payload: bytes) -> dict | None:
    """A kernel message from a ``v1.kernel.websocket.jupyter.org`` binary frame."""
    try:
        n = int.from_bytes(payload[:8], "little")
        offsets = [int.from_bytes(payload[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(n)]
        channel = payload[offsets[0] : offsets[1]].decode()
        parts = [payload[offsets[i] : offsets[i + 1]] for i in range(1, min(n - 1, 5))]
        header, parent, _meta, content = (json.loads(p) for p in parts[:4])
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    return {"channel": channel, "header": header, "parent": parent, "content": content}


def decode_frame(payload: str | bytes) -> dict | None:
    if isinstance(payload, bytes):
        return decode_v1(payload)
    try:  # the legacy JSON protocol
        msg = json.loads(payload)
    except ValueError:
        return None
    return {
        "channel": msg.get("channel"),
        "header": msg.get("header", {}),
        "parent": msg.get("parent_header", {}),
        "content": msg.get("content", {}),
    }


@dataclass
class Attempt:
    notebook: str
    click: str
    settings: str
    load: bool
    index: int
    session_delay: float = 0.0
    ok: bool = False
    seconds: float = 0.0  # from the click to every cell done (or the timeout)
    t_shown: float = 0.0  # from goto: cells on the page
    t_idle: float | None = None  # from goto: status bar idle (when waited for)
    t_click: float = 0.0  # from goto
    status_at_click: str = ""  # the notebook's kernel status text in the status bar
    toasts_at_click: list = field(default_factory=list)  # notifications shown (the news one)
    code_cells: int = 0
    prompts: list = field(default_factory=list)
    waiting: list = field(default_factory=list)  # code cells not "[n]" at the end
    kernel_status: list = field(default_factory=list)  # (t, state, parent msg_type)
    frontend_status: list = field(default_factory=list)  # (t ms, status-bar text)
    sent: list = field(default_factory=list)  # (t, msg_type, msg_id[:8], first line)
    replies: list = field(default_factory=list)  # (t, msg_type, parent id[:8], status)
    unanswered: list = field(default_factory=list)  # execute requests without reply
    websockets: list = field(default_factory=list)  # (t, url, event)
    console: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)
    pending_requests: list = field(default_factory=list)
    api_calls: list = field(default_factory=list)  # (t, method, path, status): sessions, kernels
    widget_outputs: int = 0  # outputs of the widget-view mimetype
    widget_views: int = 0  # of them, the ones with a rendered widget inside
    widget_errors: list = field(default_factory=list)
    blocked: list = field(default_factory=list)
    error: str = ""


class Tab:
    """A browser context and page whose listeners record into the current attempt."""

    def __init__(self, browser):
        self.rec: Attempt | None = None
        self.t0 = time.monotonic()
        self.pending: dict = {}
        self.context = browser.new_context(viewport={"width": 1440, "height": 1100})
        self.context.route("**/*", self._route)
        self.context.add_init_script(INIT_JS)
        self.page = self.context.new_page()
        self.page.on("websocket", self._on_ws)
        self.page.on("pageerror", lambda exc: self._log("page_errors", f"{self.now()} {exc}"))
        self.page.on("console", self._on_console)
        self.page.on("request", self._on_request)
        self.page.on("requestfinished", self._on_finished)
        self.page.on("requestfailed", lambda r: self.pending.pop(id(r), None))
        self.page.set_default_timeout(120_000)

    def start(self, rec: Attempt) -> None:
        self.rec, self.t0 = rec, time.monotonic()
        self.pending.clear()

    def now(self) -> float:
        return round(time.monotonic() - self.t0, 2)

    def _log(self, name: str, value) -> None:
        if self.rec is not None:
            getattr(self.rec, name).append(value[:300] if isinstance(value, str) else value)

    def _route(self, r) -> None:
        parsed = urlparse(r.request.url)
        if parsed.scheme in ("data", "blob") or parsed.hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            self._log("blocked", r.request.url)
            r.abort()

    def _on_console(self, m) -> None:
        if m.type in ("error", "warning"):
            self._log("console", f"{self.now()} {m.type}: {m.text}")

    def _on_request(self, r) -> None:
        self.pending[id(r)] = (self.now(), r.method, r.url)

    def _on_finished(self, r) -> None:
        self.pending.pop(id(r), None)
        path = urlparse(r.url).path
        if path.startswith(("/api/sessions", "/api/kernels")) and r.method != "GET":
            response = r.response()
            status = response.status if response else None
            self._log("api_calls", (self.now(), r.method, path[-60:], status))

    def _on_ws(self, ws) -> None:
        self._log("websockets", (self.now(), ws.url.split("?")[0][-80:], "open"))
        ws.on("close", lambda _ws: self._log("websockets", (self.now(), ws.url[-60:], "close")))
        ws.on("framesent", self._sent)
        ws.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        msg = decode_frame(payload)
        if msg and msg["header"].get("msg_type"):
            content = msg["content"] if isinstance(msg["content"], dict) else {}
            code = content.get("code", "").strip()
            first = code.splitlines()[0][:60] if code else ""
            header = msg["header"]
            self._log("sent", (self.now(), header["msg_type"], header.get("msg_id", "")[:8], first))

    def _received(self, payload) -> None:
        msg = decode_frame(payload)
        if not msg:
            return
        mtype = msg["header"].get("msg_type")
        parent = msg["parent"] or {}
        if mtype == "status":
            state = msg["content"].get("execution_state")
            self._log("kernel_status", (self.now(), state, parent.get("msg_type")))
        elif mtype and mtype.endswith("_reply"):
            status = msg["content"].get("status")
            self._log("replies", (self.now(), mtype, parent.get("msg_id", "")[:8], status))

    def close(self) -> None:
        self.context.close()


def run_attempt(
    tab: Tab,
    url: str,
    root: Path,
    rec: Attempt,
    timeout: float,
    artifacts: Path,
    reset: bool = True,
) -> Attempt:
    """Open `rec.notebook` in `tab`, click Run All as `rec.click` says, record the outcome."""
    tab.start(rec)
    page = tab.page
    cells = len(json.loads((root / "notebooks" / rec.notebook).read_text("utf-8"))["cells"])
    try:
        page.goto(f"{url}/lab/tree/notebooks/{rec.notebook}" + ("?reset" if reset else ""))
        # shown = the notebook's own cells are on the page (JupyterLab first shows an empty
        # one-cell notebook while the file loads)
        page.wait_for_function(
            "(n) => document.querySelectorAll("
            "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').length === n",
            arg=cells,
        )
        rec.t_shown = tab.now()
        if rec.click == "idle":
            page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for()
            rec.t_idle = tab.now()
        rec.t_click = tab.now()
        rec.status_at_click = page.evaluate(KERNEL_TEXT_JS)
        rec.toasts_at_click = page.locator(".Toastify__toast").all_inner_texts()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        t_click = time.monotonic()
        deadline = t_click + timeout
        stalled_since = None
        while time.monotonic() < deadline:
            prompts = page.evaluate(PROMPTS_JS)
            if prompts and all(p not in (None, "", "*") for p in prompts):
                rec.ok = True
                break
            # the kernel idle, no cell queued or running, not all done: nothing will happen
            idle = page.locator(".jp-StatusBar-Widget", has_text="| Idle").count() > 0
            if idle and "*" not in prompts:
                stalled_since = stalled_since or time.monotonic()
                if time.monotonic() - stalled_since > STALL_SECONDS:
                    rec.error = f"stalled: kernel idle, no cell queued for {STALL_SECONDS} s"
                    break
            else:
                stalled_since = None
            page.wait_for_timeout(250)
        rec.seconds = round(time.monotonic() - t_click, 2)
        page.wait_for_timeout(300)
    except Exception as exc:  # noqa: BLE001 - playwright's errors are the evidence
        rec.error = f"{type(exc).__name__}: {exc}"[:500]
    try:
        rec.prompts = page.evaluate(PROMPTS_JS)
        rec.code_cells = len(rec.prompts)
        rec.waiting = [(i, p) for i, p in enumerate(rec.prompts) if p is None or p in ("", "*")]
        rec.frontend_status = page.evaluate("() => window.__kstatus || []")
        rec.dialogs = [d[:300] for d in page.locator(".jp-Dialog").all_inner_texts()]
        if rec.ok:
            page.wait_for_timeout(1500)  # let the last widget views attach
        rec.widget_outputs, rec.widget_views, rec.widget_errors = page.evaluate(WIDGETS_JS)
    except Exception as exc:  # noqa: BLE001
        rec.error += f" | after: {exc}"[:300]
    answered = {r[2] for r in rec.replies if r[1] == "execute_reply"}
    rec.unanswered = [s for s in rec.sent if s[1] == "execute_request" and s[2] not in answered]
    rec.pending_requests = [(t, m, u[-100:]) for t, m, u in tab.pending.values()]
    if not rec.ok:
        artifacts.mkdir(parents=True, exist_ok=True)
        stem = (
            f"{rec.notebook.replace('/', '-')[:-6]}-{rec.click}-{rec.settings}-"
            f"{'load' if rec.load else 'quiet'}-{rec.session_delay:g}-{rec.index}"
        )
        with contextlib.suppress(Exception):
            page.screenshot(path=str(artifacts / f"{stem}.png"), full_page=True)
        (artifacts / f"{stem}.json").write_text(json.dumps(asdict(rec), indent=1))
    tab.rec = None
    return rec


def summary_line(rec: Attempt) -> str:
    states = "".join(
        {"starting": "S", "busy": "b", "idle": "i", "restarting": "R", "dead": "D"}.get(s, "?")
        for _, s, _ in rec.kernel_status
    )
    sent = sum(1 for s in rec.sent if s[1] == "execute_request")
    return (
        f"{rec.notebook} click={rec.click} {'load ' if rec.load else 'quiet'} #{rec.index:02d} "
        f"{'OK  ' if rec.ok else 'FAIL'} {rec.seconds:6.1f}s shown={rec.t_shown:.1f} "
        f"click@{rec.t_click:.1f} [{rec.status_at_click}] cells={rec.code_cells} sent={sent} "
        f"unanswered={len(rec.unanswered)} waiting={rec.waiting[:4]} states={states[:60]}"
        + f" widgets={rec.widget_views}/{rec.widget_outputs}"
        + (f" dialogs={rec.dialogs}" if rec.dialogs else "")
        + (f" err={rec.error[:120]}" if rec.error else "")
    )


def report(paths: list[Path]) -> None:
    """Failures per condition and per kernel status at the click, from ``--json`` files."""
    from collections import Counter

    for path in paths:
        recs = json.loads(path.read_text(encoding="utf-8"))
        print(path)
        by_state = Counter(
            (r["notebook"], r["click"], r["status_at_click"] or "?", r["ok"]) for r in recs
        )
        for (nb, click, state, ok), n in sorted(by_state.items()):
            print(f"  {nb:28} click={click:5} at [{state}] {'OK  ' if ok else 'FAIL'} x{n}")
        fails = [r for r in recs if not r["ok"]]
        no_request = sum(1 for r in fails if not any(s[1] == "execute_request" for s in r["sent"]))
        print(
            f"  failures: {len(fails)}; with no execute_request sent: {no_request}; with a "
            f"dialog: {sum(1 for r in fails if r['dialogs'])}; execute requests never "
            f"answered (all attempts): {sum(len(r['unanswered']) for r in recs)}; kernel "
            "restarts seen: "
            + str(
                sum(
                    1
                    for r in recs
                    for s in r["kernel_status"]
                    if s[1] in ("restarting", "starting", "dead")
                )
            )
        )
        done = [r for r in recs if r["ok"]]
        whole = sum(1 for r in done if r["widget_views"] == r["widget_outputs"])
        errors = Counter(e.split(" ", 1)[1][:90] for r in recs for e in r["page_errors"])
        print(f"  finished runs with every widget view rendered: {whole}/{len(done)}")
        print(f"  page errors: {dict(errors) or 'none'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", action="append", help="e.g. en/04-roi.ipynb (repeatable)")
    parser.add_argument("--attempts", type=int, default=20)
    parser.add_argument("--click", choices=("shown", "idle"), action="append")
    parser.add_argument("--settings", choices=("default", "shipped", "test-old"), default="default")
    parser.add_argument("--load", action="store_true", help="a busy loop on every core")
    parser.add_argument(
        "--session-delay",
        type=float,
        default=0.0,
        help="the server creates each kernel session this many seconds late (a slow start)",
    )
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds after the click")
    parser.add_argument("--debug", action="store_true", help="jupyter_server --debug log")
    parser.add_argument("--json", type=Path, help="write every attempt's record here")
    parser.add_argument("--artifacts", type=Path, default=ROOT / "tests" / "artifacts" / "repro")
    parser.add_argument(
        "--reuse-page",
        action="store_true",
        help="like the old browser test: one page, the notebooks opened one after another "
        "with the earlier kernels still running and the workspace kept",
    )
    parser.add_argument("--keep-log", type=Path, help="copy the server log here")
    parser.add_argument("--report", type=Path, nargs="+", help="summarise --json files, run none")
    args = parser.parse_args(argv)
    if args.report:
        report(args.report)
        return 0
    if CHROMIUM is None or not JUPYTER_LAB.exists():
        print("needs Debian chromium and jupyter-lab in this environment", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    notebooks = args.notebook or ["en/04-roi.ipynb"]
    clicks = args.click or ["shown", "idle"]
    records: list[Attempt] = []
    with tempfile.TemporaryDirectory(prefix="repro-runall-") as tmp:  # noqa: SIM117 (three nested lifetimes read clearer apart)
        with jupyterlab(Path(tmp), args.settings, args.debug, args.session_delay) as (
            url,
            root,
            log_path,
        ):
            with sync_playwright() as p, cpu_load(args.load) as pids:
                if pids:
                    print(f"busy loops: PIDs {pids}", flush=True)
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                tab = Tab(browser) if args.reuse_page else None
                try:
                    for i in range(args.attempts):
                        if args.reuse_page:
                            stop_kernels(url)  # a round starts fresh, its notebooks share one page
                        for nb in notebooks:
                            for click in clicks:
                                rec = Attempt(
                                    nb, click, args.settings, args.load, i, args.session_delay
                                )
                                if not args.reuse_page:
                                    stop_kernels(url)
                                    tab = Tab(browser)
                                run_attempt(
                                    tab,
                                    url,
                                    root,
                                    rec,
                                    args.timeout,
                                    args.artifacts,
                                    not args.reuse_page,
                                )
                                if not args.reuse_page:
                                    tab.close()
                                records.append(rec)
                                print(summary_line(rec), flush=True)
                finally:
                    if tab is not None:
                        with contextlib.suppress(Exception):
                            tab.close()
                    browser.close()
                    with contextlib.suppress(Exception):
                        stop_kernels(url)
            if args.keep_log:
                shutil.copyfile(log_path, args.keep_log)
    print("\nsummary (failures / attempts):")
    conditions: dict[tuple, list[Attempt]] = {}
    for rec in records:
        key = (rec.notebook, rec.click, rec.settings, rec.load, rec.session_delay)
        conditions.setdefault(key, []).append(rec)
    for (nb, click, settings, load, delay), recs in conditions.items():
        fails = sum(not r.ok for r in recs)
        times = sorted(r.seconds for r in recs if r.ok)
        median = times[len(times) // 2] if times else float("nan")
        print(
            f"  {nb:28} click={click:5} settings={settings:8} {'load ' if load else 'quiet'} "
            + (f"session-delay={delay:g}s " if delay else "")
            + f"{fails}/{len(recs)} failed, median {median:.1f}s"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in records], indent=1))
    return 1 if any(not r.ok for r in records) else 0


if __name__ == "__main__":
    sys.exit(main())
