"""The workshop in a real browser: JupyterLab on 127.0.0.1, Debian's Chromium via Playwright.

Opens ``02-capacity`` and ``04-roi`` from a temporary copy of ``notebooks/`` and
``data/clients/`` (same relative layout, so the default ``plan_path`` works), runs all cells
from the Run menu, changes a widget and checks that the shown result changed accordingly:
the capacity verdict text, the break-even sentence and the ROI chart's data. No request may
leave 127.0.0.1 (every other one is aborted and counted). Screenshots go to
``tests/artifacts/`` (git-ignored). The server is stopped by its own PID.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from workshop import capacity, i18n
from workshop import plan as plan_mod

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium")
JUPYTER_LAB = Path(sys.executable).with_name("jupyter-lab")
LANG = "vi"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a free port, serving a copy of notebooks/ and data/clients/."""
    if CHROMIUM is None:
        pytest.skip("Debian chromium is not installed")
    pytest.importorskip("playwright.sync_api")
    if not JUPYTER_LAB.exists():
        pytest.skip("jupyter-lab is not installed in this environment")
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    for lang in ("vi", "en"):
        shutil.copytree(
            ROOT / "notebooks" / lang,
            root / "notebooks" / lang,
            ignore=shutil.ignore_patterns("*.py", "plans", ".ipynb_checkpoints"),
        )
    shutil.copytree(ROOT / "data" / "clients", root / "data" / "clients")
    settings = base / "settings"
    # every cell in the DOM (no virtual scrolling), no news or update checks
    _write_json(
        settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
        {"windowingMode": "none"},
    )
    _write_json(
        settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
        {"fetchNews": "false", "checkForUpdates": False},
    )
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_DATA_DIR": str(base / "data"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "IPYTHONDIR": str(base / "ipython"),
        "XDG_CONFIG_HOME": str(base / "xdg-config"),
        "XDG_CACHE_HOME": str(base / "xdg-cache"),
        "PLOTLY_RENDERER": "",
    }
    port = _free_port()
    log = open(base / "jupyter.log", "wb")
    proc = subprocess.Popen(
        [
            str(JUPYTER_LAB),
            "--allow-root",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--port={port}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={base / 'workspaces'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=str(root),
    )
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
                    "JupyterLab did not start:\n"
                    + (base / "jupyter.log").read_text(errors="replace")[-3000:]
                )
            time.sleep(0.3)
        yield {"url": url, "root": root}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser_page(lab):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    blocked: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1100})

        def route(r):
            parsed = urlparse(r.request.url)
            if parsed.scheme in ("data", "blob") or parsed.hostname in LOCAL_HOSTS:
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_default_timeout(60_000)
        try:
            yield {"page": page, "blocked": blocked, "errors": errors, **lab}
        finally:
            context.close()
            browser.close()
    assert blocked == [], f"requests that tried to leave 127.0.0.1: {blocked}"


def _open_and_run_all(page, url: str, notebook: str, charts: bool = True) -> None:
    """Open `notebook` and run all its cells; on a timeout keep a full-page screenshot
    (tests/artifacts/<name>-run-all-failed-<n>.png) and try once more from a reload (seen
    in CI: a Run All whose cells never all finished, or a widget view that never attached;
    never reproduced outside a full CI run). A second failure fails the test."""
    for attempt in (1, 2):
        try:
            _run_all_once(page, url, notebook, charts)
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError, kept as evidence
            page.screenshot(
                path=str(ARTIFACTS / f"{Path(notebook).stem}-run-all-failed-{attempt}.png"),
                full_page=True,
            )
            if attempt == 2:
                raise


def _run_all_once(page, url: str, notebook: str, charts: bool) -> None:
    page.goto(f"{url}/lab/tree/notebooks/{LANG}/{notebook}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    page.wait_for_selector(
        ".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000
    )
    # the kernel has started and is idle (the indicator above is idle before that too)
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=120_000)
    toast = page.locator(".jp-toast-button:has-text('No')")
    if toast.count():
        toast.first.click()
    # Run > Run All Cells; a click that arrives while the new kernel is still starting is
    # lost, so it is repeated until the first prompts show the cells running.
    started = """() => [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
        .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""
    for attempt in range(4):
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(started, timeout=20_000)
            break
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: try again
            if attempt == 3:
                raise
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=120_000,
    )
    if charts:
        page.wait_for_selector(".jp-OutputArea .js-plotly-plot .main-svg")
    page.wait_for_timeout(1500)
    tracebacks = page.locator(
        ".jp-OutputArea-output[data-mime-type*='stderr'], .jp-RenderedText[data-mime-type*='error']"
    )
    assert tracebacks.count() == 0, tracebacks.first.inner_text()


def _wait_for_widget(page, url: str, notebook: str, selector: str) -> None:
    """Wait until the widget output `selector` is on the page. Once (seen in one CI run in
    ten) a Run All ended with every cell executed but a widget view never attached; keep a
    screenshot of that state, reload the notebook and run it again before failing."""
    try:
        page.wait_for_selector(selector, state="attached", timeout=45_000)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError
        page.screenshot(
            path=str(ARTIFACTS / f"{Path(notebook).stem}-widget-missing.png"), full_page=True
        )
        _open_and_run_all(page, url, notebook)
        page.wait_for_selector(selector, state="attached", timeout=90_000)


def test_capacity_verdict_follows_the_hours_widget(browser_page):
    page, url = browser_page["page"], browser_page["url"]
    _open_and_run_all(page, url, "02-capacity.ipynb")
    _wait_for_widget(page, url, "02-capacity.ipynb", ".workshop-verdict")
    verdict = page.locator(".workshop-verdict").first
    verdict.scroll_into_view_if_needed()
    before = verdict.inner_text()
    demo = plan_mod.load(browser_page["root"] / "data" / "clients" / "demo-cafe.yaml")
    expected_before = capacity.verdict_text(capacity.assess(demo, LANG))
    assert expected_before in before
    page.screenshot(path=str(ARTIFACTS / "02-capacity-before.png"))

    exact = i18n.t("ui.capacity.hours_exact", LANG)
    box = (
        page.locator(".widget-text")
        .filter(has=page.locator("label", has_text=exact))
        .locator("input")
        .first
    )
    box.fill("40")
    box.press("Enter")
    more = demo.model_copy(update={"team": demo.team.model_copy(update={"hours_per_week": 40})})
    expected_after = capacity.verdict_text(capacity.assess(more, LANG))
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel).innerText.includes(text)",
        arg=[".workshop-verdict", expected_after],
        timeout=30_000,
    )
    after = verdict.inner_text()
    assert after != before and expected_after in after
    assert i18n.t("capacity.verdict_label.fits", LANG) in after
    verdict.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "02-capacity-after.png"))


def test_self_check_explains_and_reveals_the_solution(browser_page):
    """The self-check widget in the browser (02-capacity is open and has run)."""
    page = browser_page["page"]
    box = page.locator(".workshop-check").nth(1)  # the fifth-page check, with the plan
    box.scroll_into_view_if_needed()
    box.locator(".widget-radio-box label").nth(0).click()
    box.locator("button", has_text=i18n.t("check.ui.check_button", LANG)).click()
    feedback = box.locator(".workshop-check-feedback")
    feedback.wait_for()
    assert i18n.t("check.ui.incorrect", LANG) in feedback.inner_text()
    box.locator("button", has_text=i18n.t("check.ui.show_solution", LANG)).click()
    solution = box.locator(".workshop-check-solution")
    solution.wait_for()
    assert "Cà phê" not in solution.inner_text()  # texts, not the plan's name
    assert i18n.t("check.ui.solution_heading", LANG) in solution.inner_text()
    box.screenshot(path=str(ARTIFACTS / "02-self-check.png"))


def _roi_plot_data(page) -> str:
    return page.evaluate(
        """() => {
            const cell = [...document.querySelectorAll('.jp-CodeCell')]
                .find(c => c.querySelector('.workshop-breakeven'));
            const plot = cell.querySelector('.js-plotly-plot');
            return JSON.stringify(plot.data.map(t => [t.x, t.y]));
        }"""
    )


def test_roi_breakeven_and_chart_follow_a_slider(browser_page):
    page, url = browser_page["page"], browser_page["url"]
    _open_and_run_all(page, url, "04-roi.ipynb")
    _wait_for_widget(page, url, "04-roi.ipynb", ".workshop-breakeven")
    text = page.locator(".workshop-breakeven").first
    text.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-CodeCell')].some(c => "
        "c.querySelector('.workshop-breakeven') && c.querySelector('.js-plotly-plot'))"
    )
    before, data_before = text.inner_text(), _roi_plot_data(page)
    page.screenshot(path=str(ARTIFACTS / "04-roi-before.png"))

    label = i18n.t("roi.input.aov", LANG)
    slider = page.locator(".widget-slider").filter(has_text=label).first
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    for _ in range(15):
        handle.press("PageUp")
    handle.press("End")
    page.wait_for_function(
        "(old) => document.querySelector('.workshop-breakeven').innerText !== old",
        arg=before,
        timeout=30_000,
    )
    page.wait_for_timeout(1000)
    after, data_after = text.inner_text(), _roi_plot_data(page)
    assert after != before
    assert data_after != data_before
    text.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "04-roi-after.png"))
    slider.screenshot(path=str(ARTIFACTS / "04-roi-slider.png"))
    assert browser_page["errors"] == [] or all("setData" in e for e in browser_page["errors"])
