"""The room notebook (05) with hostile plans, in a real browser: nothing a plan says runs.

JupyterLab on 127.0.0.1 (its own PID, a free port, no token), serving a COPY of the notebooks
(JupyterLab autosaves into what it opens; the repository's notebooks are never served), and
Debian's Chromium through Playwright, every request off loopback aborted and counted. A
temporary plans folder holds valid plans whose client names and themes are hostile (markup
that would run a script, open a dialog or make a live link) and invalid plans whose bad
values are hostile (an id, a weekday, a platform: the problem messages quote them), some
under hostile file names. The copy of ``vi/05-facilitator-room.ipynb`` gets ``plans_dir``
pointing at that folder in its parameters cell; Run All; then: no dialog (``alert()`` would
open one), no page error, no ``img[onerror]``, ``svg[onload]``, ``iframe`` or
``a[href*=evil]`` in the outputs, and the hostile names on the page as text. Screenshots go
to ``tests/artifacts/`` (git-ignored).

A Run All that never completes is kept as a screenshot and tried once more from a reload,
no more (``RUN_ALL_ATTEMPTS`` records it; another session investigates that hang).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
import yaml
from browsing import CHROMIUM, CHROMIUM_ARGS, JUPYTER_LAB, jupyter_env, loopback_only
from hostile import hostile_plan

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
NOTEBOOK = "05-facilitator-room.ipynb"
LANG = "vi"

#: Client names of the valid plans (each also the theme of every slot and item).
HOSTILE_NAMES = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "'><iframe src=javascript:alert(1)>",
    '<a href="https://evil.example/" data-evil=1>click</a>',
    "Tiệm gốm <b onmouseover=alert(1)>Bát Tràng</b>",
)
#: Bad values of the invalid plans (quoted by their problem messages).
HOSTILE_VALUES = (
    "<img src=y onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "<iframe src=javascript:alert(4)>",
)
#: Elements that only an injection could have put in the outputs.
INJECTED = (
    "img[onerror]",
    "svg[onload]",
    "iframe",
    "a[href*=evil]",
    "[onmouseover]",
    "[data-evil]",
)
#: How many Run All attempts each run needed (1 = no hang), for the report.
RUN_ALL_ATTEMPTS: list[int] = []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload), encoding="utf-8")


def _write_plan(path: Path, raw: object) -> None:
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


def _plans_folder(folder: Path) -> Path:
    """Valid plans with hostile names and themes, invalid plans with hostile bad values."""
    folder.mkdir(parents=True)
    for i, name in enumerate(HOSTILE_NAMES):
        raw = hostile_plan(name, LANG)
        raw["client"]["id"] = f"hostile-{i}"
        # a hostile file name too, where the file system allows it (no "/")
        file_name = f"{i}-{name}.yaml" if "/" not in name else f"{i}-hostile.yaml"
        _write_plan(folder / file_name, raw)
    ok = hostile_plan("ok", LANG)
    slot = ok["editorial"]["rules"][0]["slots"][0]
    bad_id, bad_weekday, bad_platform = HOSTILE_VALUES
    _write_plan(folder / "bad-id.yaml", {**ok, "client": {**ok["client"], "id": bad_id}})
    _write_plan(
        folder / "bad-weekday.yaml",
        {
            **ok,
            "editorial": {
                "rules": [{"platform": "facebook", "slots": [{**slot, "weekday": bad_weekday}]}]
            },
        },
    )
    _write_plan(folder / "bad-platform.yaml", {**ok, "platforms": {"chosen": [bad_platform]}})
    _write_plan(folder / f"{bad_id}.yaml", {**ok, "team": {"hours_per_week": bad_id}})
    return folder


def _point_at(notebook: Path, plans: Path) -> None:
    """Set ``plans_dir`` in the parameters cell of the COPY `notebook` to `plans`."""
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    source, n = re.subn(
        r'^plans_dir: str = "[^"]*"',
        f"plans_dir: str = {json.dumps(str(plans))}",
        cell.source,
        flags=re.M,
    )
    assert n == 1, cell.source
    cell.source = source
    nbformat.write(nb, notebook)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a free port serving a copy of notebooks/{vi,en}; a hostile plans folder
    outside the served folder."""
    if CHROMIUM is None:
        pytest.skip("Debian chromium is not installed")
    pytest.importorskip("playwright.sync_api")
    if not JUPYTER_LAB.exists():
        pytest.skip("jupyter-lab is not installed in this environment")
    base = tmp_path_factory.mktemp("lab-room")
    root = base / "root"
    for lang in ("vi", "en"):
        shutil.copytree(
            ROOT / "notebooks" / lang,
            root / "notebooks" / lang,
            ignore=shutil.ignore_patterns("*.py", "plans", ".ipynb_checkpoints"),
        )
    plans = _plans_folder(base / "plans")
    _point_at(root / "notebooks" / LANG / NOTEBOOK, plans)
    settings = base / "settings"
    _write_json(
        settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
        {"windowingMode": "none"},  # every cell in the DOM
    )
    _write_json(
        settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
        {"fetchNews": "false", "checkForUpdates": False},
    )
    env = {**jupyter_env(base), "PLOTLY_RENDERER": ""}
    port = _free_port()
    args = [
        str(JUPYTER_LAB),
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--port={port}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.insert(1, "--allow-root")
    log_path = base / "jupyter.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=str(root))
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/api/status", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "JupyterLab did not start:\n" + log_path.read_text(errors="replace")[-3000:]
                    )
                time.sleep(0.3)
            yield {"url": url, "root": root, "plans": plans}
        finally:
            proc.terminate()  # our own server, by its own PID
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser_page(lab):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    blocked: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1200})

        def dialog(d):
            dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        context.route("**/*", loopback_only(blocked))
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", dialog)
        page.set_default_timeout(60_000)
        try:
            yield {"page": page, "blocked": blocked, "errors": errors, "dialogs": dialogs, **lab}
        finally:
            context.close()
            browser.close()


_ALL_DONE = """() => {
    const prompts = [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


def _run_all_once(page, url: str) -> None:
    page.goto(f"{url}/lab/tree/notebooks/{LANG}/{NOTEBOOK}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    # the kernel has started and is idle
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=120_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_function(_ALL_DONE, timeout=120_000)
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # let every output render (and any injected script run)


def _open_and_run_all(page, url: str) -> int:
    """Run All; a Run All that never completes is kept as a screenshot and tried once more
    from a reload. Returns the number of attempts (1 or 2)."""
    for attempt in (1, 2):
        try:
            _run_all_once(page, url)
            return attempt
        except Exception:  # noqa: BLE001 - playwright's TimeoutError, kept as evidence
            page.screenshot(
                path=str(ARTIFACTS / f"05-room-hostile-run-all-failed-{attempt}.png"),
                full_page=True,
            )
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def test_room_notebook_with_hostile_plans_runs_nothing(browser_page):
    page, url = browser_page["page"], browser_page["url"]
    attempts = _open_and_run_all(page, url)
    RUN_ALL_ATTEMPTS.append(attempts)
    print(f"Run All attempts: {attempts}")  # shown with -s; 2 = one hang, then a reload
    outputs = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea"
    page.wait_for_selector(f"{outputs} table")
    errors_shown = page.locator(
        f"{outputs} .jp-RenderedText[data-mime-type*='stderr'], "
        f"{outputs} .jp-RenderedText[data-mime-type*='error']"
    )
    assert errors_shown.count() == 0, errors_shown.first.inner_text()

    assert browser_page["dialogs"] == []  # alert() would have opened one
    assert browser_page["errors"] == []
    for selector in INJECTED:
        found = page.locator(f"{outputs} {selector}")
        assert found.count() == 0, (selector, found.first.evaluate("e => e.outerHTML"))
    scripts = page.evaluate(
        f"""() => [...document.querySelectorAll('{outputs} script')]
            .map(s => s.textContent).filter(t => t.includes('alert'))"""
    )
    assert scripts == []

    text = page.locator(outputs).all_inner_texts()
    shown = "\n".join(text)
    for name in HOSTILE_NAMES:  # the names, as text, in the room table
        assert name in shown, name
    for value in HOSTILE_VALUES:  # the bad values, quoted as text by the problems
        assert f"“{value}”" in shown, value
    assert "onerror=alert(2)>.yaml" in shown  # a hostile file name, as text

    table = page.locator(f"{outputs} table").first
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "05-room-hostile.png"))
    problems = page.locator(f"{outputs} table").nth(1)
    problems.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "05-room-hostile-problems.png"))
    assert browser_page["blocked"] == [], browser_page["blocked"]
