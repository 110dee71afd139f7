"""The workshop in a real browser: JupyterLab on 127.0.0.1, Debian's Chromium via Playwright.

Opens ``02-capacity`` and ``04-roi`` from a temporary copy of ``notebooks/`` and
``data/clients/`` (same relative layout, so the default ``plan_path`` works), with
JupyterLab's default settings and the project's ``jupyter-config/`` extension exactly as
``make lab`` starts it. Each notebook is opened fresh and Run > Run All Cells is clicked
ONCE, as soon as the notebook's cells are shown, as a participant does (without waiting for
the kernel: issue 8, that click used to be lost); every code cell must finish. Then a widget
is changed and the shown result must change accordingly: the capacity verdict text, the
break-even sentence and the ROI chart's data. No request may leave 127.0.0.1 (every other
one is aborted and counted). Screenshots go to ``tests/artifacts/`` (git-ignored). The
server is stopped by its own PID. ``tools/repro_runall.py`` measures the failure rate of
that click over many attempts.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from browsing import CHROMIUM, CHROMIUM_ARGS, JUPYTER_LAB, jupyter_env, loopback_only

from workshop import capacity, i18n
from workshop import plan as plan_mod

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
LANG = "vi"
# the project's JupyterLab extension, added as the Makefile's `lab` target adds it
LABEXTENSIONS = ROOT / "jupyter-config" / "labextensions"
LAB_EXTENSION_FLAG = f"--LabApp.extra_labextensions_path={LABEXTENSIONS}"
DEFAULT_EXECUTOR = "@jupyterlab/notebook-extension:cell-executor"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    settings = base / "settings"  # empty: JupyterLab's defaults, as a participant has them
    settings.mkdir()
    env = {**jupyter_env(base), "PLOTLY_RENDERER": ""}
    port = _free_port()
    log = open(base / "jupyter.log", "wb")  # noqa: SIM115 (the server's log: closed when it stops)
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
            LAB_EXTENSION_FLAG,
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

        context.route("**/*", loopback_only(blocked))
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_default_timeout(60_000)
        try:
            yield {"page": page, "blocked": blocked, "errors": errors, **lab}
        finally:
            context.close()
            browser.close()
    assert blocked == [], f"requests that tried to leave 127.0.0.1: {blocked}"


CODE_PROMPTS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell .jp-InputPrompt')]
    .map(p => p.textContent.trim())"""


def _cell_count(root: Path, notebook: str) -> int:
    path = root / "notebooks" / LANG / notebook
    return len(json.loads(path.read_text(encoding="utf-8"))["cells"])


def _open_and_run_all(page, url: str, root: Path, notebook: str, charts: bool = True) -> None:
    """Open `notebook` fresh (a reset workspace: no other notebook open) and click Run > Run
    All Cells once, as soon as its cells are shown; every code cell must finish. A failure
    keeps a full-page screenshot (tests/artifacts/<name>-run-all-failed.png)."""
    page.goto(f"{url}/lab/tree/notebooks/{LANG}/{notebook}?reset")
    try:
        # JupyterLab first shows an empty one-cell notebook while the file loads
        page.wait_for_function(
            "(n) => document.querySelectorAll("
            "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').length === n",
            arg=_cell_count(root, notebook),
        )
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        page.wait_for_function(
            f"""() => {{
                const prompts = ({CODE_PROMPTS})();
                return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p));
            }}""",
            timeout=180_000,
        )
        assert page.locator(".jp-Dialog").count() == 0, page.locator(".jp-Dialog").inner_text()
        if charts:
            page.wait_for_selector(".jp-OutputArea .js-plotly-plot .main-svg")
    except Exception:
        page.screenshot(
            path=str(ARTIFACTS / f"{Path(notebook).stem}-run-all-failed.png"), full_page=True
        )
        raise
    page.wait_for_timeout(1500)
    tracebacks = page.locator(
        ".jp-OutputArea-output[data-mime-type*='stderr'], .jp-RenderedText[data-mime-type*='error']"
    )
    assert tracebacks.count() == 0, tracebacks.first.inner_text()


def _wait_for_widget(page, notebook: str, selector: str) -> None:
    """Wait until the widget output `selector` is on the page (a screenshot if it is not)."""
    try:
        page.wait_for_selector(selector, state="attached", timeout=45_000)
    except Exception:
        page.screenshot(
            path=str(ARTIFACTS / f"{Path(notebook).stem}-widget-missing.png"), full_page=True
        )
        raise


def test_lab_serves_the_run_when_ready_extension(browser_page):
    """The page JupyterLab serves loads the project's extension and not the default cell
    executor it replaces (what `make lab` gives a participant)."""
    page, url = browser_page["page"], browser_page["url"]
    page.goto(f"{url}/lab?reset")
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    names = [ext["name"] for ext in config["federated_extensions"]]
    assert "workshop-run-when-ready" in names
    assert DEFAULT_EXECUTOR in config["disabledExtensions"]
    page.wait_for_selector(".jp-LabShell")
    response = page.request.get(
        f"{url}/lab/extensions/workshop-run-when-ready/static/remoteEntry.js"
    )
    assert response.ok and "INotebookCellExecutor" in response.text()


def test_capacity_verdict_follows_the_hours_widget(browser_page):
    page, url, root = browser_page["page"], browser_page["url"], browser_page["root"]
    _open_and_run_all(page, url, root, "02-capacity.ipynb")
    _wait_for_widget(page, "02-capacity.ipynb", ".workshop-verdict")
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
    page, url, root = browser_page["page"], browser_page["url"], browser_page["root"]
    _open_and_run_all(page, url, root, "04-roi.ipynb")
    _wait_for_widget(page, "04-roi.ipynb", ".workshop-breakeven")
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
