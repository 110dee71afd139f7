/*
 * workshop-run-when-ready: code cells run before a notebook's kernel exists wait for it.
 *
 * JupyterLab 4 (checked on 4.6.6, same code since 4.2) shows a notebook before its kernel
 * session exists ("No Kernel | Initializing", then "Python 3 | Initializing") and, when a cell
 * is run in that window, skips it without a word: `CodeCell.execute` returns when
 * `sessionContext.session?.kernel` is null, after clearing the prompt; the first cell of a
 * Run All may also start a second session or open the "Select Kernel" dialog (runCell's
 * `hasNoKernel` branch). Upstream: jupyterlab/jupyterlab#8490 (open); #15421 only adds an
 * opt-in toast (`enableKernelInitNotification`) saying that nothing was run.
 *
 * This extension provides the notebook cell executor (the `INotebookCellExecutor` extension
 * point of @jupyterlab/notebook, JupyterLab >= 4.2) in place of the default one, which its
 * package.json disables: for a code cell whose notebook kernel is still initializing it
 * shows the cell as queued ([*]) and waits until the session has its kernel connection,
 * then hands the cell to JupyterLab's own `runCell` (requests sent to a kernel connection
 * that is still connecting are queued by @jupyterlab/services and sent in order). Cells
 * resume in the order they were run, so a Run All keeps its order. Anything else (a
 * running kernel, "No Kernel" chosen, a restart) goes to `runCell` unchanged.
 *
 * Written by hand as a module-federation container (the protocol JupyterLab's bootstrap
 * uses for prebuilt extensions: `window._JUPYTERLAB[name].init(shareScope)` then
 * `.get('./extension')`), so the project needs no Node build. It takes @jupyterlab/notebook
 * from the application's share scope: the very module (and tokens) JupyterLab uses.
 */
(function () {
  'use strict';

  var NAME = 'workshop-run-when-ready';
  var PLUGIN_ID = NAME + ':cell-executor';
  var POLL_MS = 500;
  var shareScope = null;

  function compareVersions(a, b) {
    var pa = String(a).split(/[.+-]/);
    var pb = String(b).split(/[.+-]/);
    for (var i = 0; i < Math.max(pa.length, pb.length); i++) {
      var x = parseInt(pa[i], 10) || 0;
      var y = parseInt(pb[i], 10) || 0;
      if (x !== y) {
        return x - y;
      }
    }
    return 0;
  }

  /** The application's copy of a shared package (the one singletons resolve to). */
  function shared(pkg) {
    var versions = shareScope && shareScope[pkg];
    if (!versions || !Object.keys(versions).length) {
      throw new Error(NAME + ': ' + pkg + ' is not in the share scope');
    }
    var keys = Object.keys(versions);
    var core = keys.filter(function (v) {
      return versions[v].from === '@jupyterlab/application-top';
    });
    var pick = (core.length ? core : keys).sort(compareVersions);
    return versions[pick[pick.length - 1]];
  }

  function load(pkg) {
    return Promise.resolve()
      .then(function () {
        return shared(pkg).get();
      })
      .then(function (factory) {
        return factory();
      });
  }

  /** True while the notebook's kernel session is being created: a cell run now is skipped. */
  function kernelPending(ctx) {
    return (
      !!ctx &&
      !ctx.isDisposed &&
      !(ctx.session && ctx.session.kernel) &&
      ctx.kernelDisplayStatus === 'initializing'
    );
  }

  /** Resolves once `ctx` has its kernel connection, or will not get one by itself. */
  function whenKernel(ctx) {
    return new Promise(function (resolve) {
      var signals = [
        ctx.sessionChanged,
        ctx.kernelChanged,
        ctx.statusChanged,
        ctx.connectionStatusChanged
      ].filter(Boolean);
      var timer = null;
      function check() {
        if (kernelPending(ctx)) {
          return;
        }
        signals.forEach(function (s) {
          s.disconnect(check);
        });
        clearInterval(timer);
        resolve();
      }
      signals.forEach(function (s) {
        s.connect(check);
      });
      // a change no signal reports (e.g. "No Kernel" picked in the selection dialog)
      timer = setInterval(check, POLL_MS);
      Promise.resolve(ctx.ready).then(check, check);
      check();
    });
  }

  function plugin(notebook) {
    var runCell = notebook.runCell;
    return {
      id: PLUGIN_ID,
      description:
        'Notebook cell executor: code cells run while the kernel is starting wait for it.',
      autoStart: true,
      provides: notebook.INotebookCellExecutor,
      activate: function () {
        return Object.freeze({
          runCell: function (options) {
            var ctx = options.sessionContext;
            var model = options.cell.model;
            if (model.type !== 'code' || !kernelPending(ctx)) {
              return runCell(options);
            }
            // [*] now, so a click visibly did something; runCell sets the final state
            model.executionState = 'running';
            return whenKernel(ctx).then(function () {
              if (options.cell.isDisposed) {
                return false;
              }
              return runCell(options);
            });
          }
        });
      }
    };
  }

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[NAME] = {
    init: function (scope) {
      shareScope = scope;
    },
    get: function (module) {
      if (module !== './extension') {
        return Promise.reject(new Error(NAME + ': no module ' + module));
      }
      return load('@jupyterlab/notebook').then(function (notebook) {
        if (!notebook.INotebookCellExecutor || !notebook.runCell) {
          throw new Error(NAME + ': @jupyterlab/notebook has no cell executor (JupyterLab < 4.2)');
        }
        var exports = { __esModule: true, default: [plugin(notebook)] };
        return function () {
          return exports;
        };
      });
    }
  };
})();
