"""The project's JupyterLab extension ``jupyter-config/labextensions/workshop-run-when-ready``
(issue 8: Run All clicked while a notebook's kernel is still starting was silently skipped).

* Its executor logic, run by Node (the system's ``node`` or the one bundled with Playwright)
  against a fake share scope and fake session contexts: cells run while the kernel is
  initializing are shown queued and handed to JupyterLab's ``runCell`` in their order once
  the kernel connection exists; everything else goes straight through.
* Its packaging: the page config JupyterLab builds from ``jupyter-config/labextensions``
  loads it and disables the default executor it replaces, and the Makefile's ``lab``
  target passes that folder to JupyterLab.

The real-browser proof (a Run All clicked as soon as the notebook is shown completes) is in
``tests/test_browser.py``; ``tools/repro_runall.py`` measures the failure rate.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LABEXTENSIONS = ROOT / "jupyter-config" / "labextensions"
EXTENSION = LABEXTENSIONS / "workshop-run-when-ready"
DEFAULT_EXECUTOR = "@jupyterlab/notebook-extension:cell-executor"

# Loads remoteEntry.js in a sandbox as JupyterLab's bootstrap does (init, then get), then
# runs the scenarios; prints one JSON object with what happened.
DRIVER = r"""
const fs = require('fs');
const vm = require('vm');
const sandbox = { window: {}, setInterval, clearInterval, setTimeout, Promise, console };
vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'), sandbox);
const sleep = ms => new Promise(r => setTimeout(r, ms));

class Signal {
  constructor() { this.slots = []; }
  connect(f) { this.slots.push(f); return true; }
  disconnect(f) { this.slots = this.slots.filter(s => s !== f); return true; }
  emit() { for (const f of [...this.slots]) f(); }
}
function context(status, kernel) {
  let resolveReady;
  const ctx = {
    isDisposed: false, session: kernel ? { kernel: {} } : null, kernelDisplayStatus: status,
    ready: new Promise(r => { resolveReady = r; }), sessionChanged: new Signal(),
    kernelChanged: new Signal(), statusChanged: new Signal(),
    connectionStatusChanged: new Signal()
  };
  ctx.connect = () => {  // what SessionContext._handleNewSession does
    ctx.session = { kernel: {} }; ctx.kernelDisplayStatus = 'connecting';
    resolveReady(); ctx.sessionChanged.emit();
  };
  return ctx;
}
const cell = (id, type = 'code') => ({ id, isDisposed: false,
  model: { type, executionState: 'idle' } });

(async () => {
  const out = {};
  const calls = [];
  const token = { name: '@jupyterlab/notebook:INotebookCellExecutor' };
  const notebook = {
    INotebookCellExecutor: token,
    runCell: async o => {
      calls.push([o.cell.id, !!(o.sessionContext.session && o.sessionContext.session.kernel)]);
      return true;
    }
  };
  const container = sandbox.window._JUPYTERLAB['workshop-run-when-ready'];
  container.init({ '@jupyterlab/notebook': {
    '4.6.6': { from: '@jupyterlab/application-top', get: () => Promise.resolve(() => notebook) }
  } });
  const plugin = (await container.get('./extension'))().default[0];
  out.provides = plugin.provides === token;
  out.autoStart = plugin.autoStart;
  const executor = plugin.activate();
  const run = (ctx, cells) => Promise.all(cells.map(c =>
    executor.runCell({ cell: c, sessionContext: ctx })));

  // 1. Run All while the kernel session is being created ("No Kernel | Initializing")
  let ctx = context('initializing', false);
  let cells = [cell('c0'), cell('m1', 'markdown'), cell('c2'), cell('c3')];
  let done = run(ctx, cells);
  await sleep(20);
  out.waiting_calls = calls.map(c => c[0]);
  out.waiting_states = cells.map(c => c.model.executionState);
  ctx.connect();
  out.waiting_results = await done;
  out.waiting_after = calls.splice(0).slice(1);
  calls.length = 0;

  // 2. a kernel connection exists (connecting or idle): straight to runCell, same tick
  ctx = context('idle', true);
  done = run(ctx, [cell('k0'), cell('k1')]);
  out.kernel_sync_calls = calls.map(c => c[0]);
  await done;
  calls.length = 0;

  // 3. still initializing, then "No Kernel" picked: no signal, the poll lets it through
  ctx = context('initializing', false);
  const t0 = Date.now();
  done = run(ctx, [cell('n0')]);
  await sleep(50);
  ctx.kernelDisplayStatus = 'unknown';
  await done;
  out.no_kernel_calls = calls.splice(0);
  out.no_kernel_ms = Date.now() - t0;

  // 4. a cell deleted while it waited is not run
  ctx = context('initializing', false);
  const gone = cell('d0');
  done = run(ctx, [gone]);
  gone.isDisposed = true;
  ctx.connect();
  out.disposed_results = await done;
  out.disposed_calls = calls.splice(0);

  // 5. a notebook being closed (context disposed) lets the waiting cells go
  ctx = context('initializing', false);
  done = run(ctx, [cell('x0')]);
  ctx.isDisposed = true;
  ctx.statusChanged.emit();
  await done;
  out.closed_calls = calls.splice(0).map(c => c[0]);

  // 6. the container refuses other modules and a share scope without @jupyterlab/notebook
  out.other_module = await container.get('./other').then(() => 'ok', e => e.message);
  container.init({});
  out.no_notebook = await container.get('./extension').then(() => 'ok', e => e.message);
  console.log(JSON.stringify(out));
})().catch(e => { console.log(JSON.stringify({ error: String(e && e.stack || e) })); });
"""


def _node() -> str | None:
    found = shutil.which("node")
    if found:
        return found
    try:
        import playwright
    except ImportError:
        return None
    bundled = Path(playwright.__file__).parent / "driver" / "node"
    return str(bundled) if bundled.exists() else None


@pytest.fixture(scope="module")
def scenarios() -> dict:
    node = _node()
    if node is None:
        pytest.skip("no node (system or Playwright's) to run the extension's code")
    done = subprocess.run(
        [node, "-e", DRIVER, str(EXTENSION / "static" / "remoteEntry.js")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in result, result["error"]
    return result


def test_the_plugin_provides_jupyterlabs_cell_executor_token(scenarios):
    assert scenarios["provides"] is True
    assert scenarios["autoStart"] is True


def test_cells_run_while_the_kernel_starts_wait_and_keep_their_order(scenarios):
    # the markdown cell goes through at once; code cells show [*] and wait
    assert scenarios["waiting_calls"] == ["m1"]
    assert scenarios["waiting_states"] == ["running", "idle", "running", "running"]
    # once the session has its kernel: every code cell, in order, with the kernel there
    assert scenarios["waiting_after"] == [["c0", True], ["c2", True], ["c3", True]]
    assert scenarios["waiting_results"] == [True, True, True, True]


def test_cells_with_a_kernel_connection_go_straight_to_jupyterlab(scenarios):
    assert scenarios["kernel_sync_calls"] == ["k0", "k1"]


def test_no_kernel_chosen_lets_the_cell_go_to_jupyterlab(scenarios):
    # JupyterLab's runCell then does what it always does without a kernel
    assert scenarios["no_kernel_calls"] == [["n0", False]]
    assert scenarios["no_kernel_ms"] < 5000


def test_a_cell_deleted_while_waiting_is_not_run(scenarios):
    assert scenarios["disposed_results"] == [False]
    assert scenarios["disposed_calls"] == []


def test_a_closed_notebook_releases_its_waiting_cells(scenarios):
    assert scenarios["closed_calls"] == ["x0"]


def test_the_container_refuses_what_it_cannot_provide(scenarios):
    assert "no module ./other" in scenarios["other_module"]
    assert "@jupyterlab/notebook is not in the share scope" in scenarios["no_notebook"]


def test_jupyterlab_page_config_loads_it_instead_of_the_default_executor():
    from jupyterlab_server.config import get_page_config

    config = get_page_config([str(LABEXTENSIONS)], None)
    ours = [e for e in config["federated_extensions"] if e["name"] == "workshop-run-when-ready"]
    assert len(ours) == 1
    assert (EXTENSION / ours[0]["load"]).is_file()
    assert ours[0]["extension"] == "./extension"
    assert DEFAULT_EXECUTOR in config["disabledExtensions"]


def test_make_lab_passes_the_extension_folder(tmp_path):
    """`make lab` runs `workshop lab`, whose JupyterLab command line names the project's
    extension folder (the Run All fix) and serves only the prepared working copy."""
    from workshop import lab

    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = text[text.index("\nlab:") :].split("\n\n")[0]
    assert "workshop lab --language" in target
    cmd = lab.command(tmp_path)
    extensions = ROOT / "jupyter-config" / "labextensions"
    assert f"--LabApp.extra_labextensions_path={extensions}" in cmd
    assert (extensions / "workshop-run-when-ready" / "package.json").is_file()
    assert f"--ServerApp.root_dir={tmp_path}" in cmd and "--ServerApp.ip=127.0.0.1" in cmd
