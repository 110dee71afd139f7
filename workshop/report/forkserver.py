"""Report kernels forked from a pre-imported fork-server: the kernelspec ``workshop-forkserver``.

A batch worker's kernels are forked by the standard library's ``multiprocessing``
fork-server, started once per worker with the report's modules preloaded (ipykernel,
numpy, pandas, plotly, ``workshop.report.sections``) and warmed up: :func:`_warm_up` runs
``report_notebook.prewarm()`` and the report's sections once in each language on the *bundled
demo plan* (never a client's plan), then ``gc.freeze()``. For each client the fork-server
forks a child that becomes an ordinary ``IPKernelApp`` on the connection file jupyter_client
wrote (:func:`kernel_main`: its own session, stderr file, cwd, environment, freshly seeded
``random`` and numpy generators). Still one fresh process per client, without the ≈ 1 s of
interpreter start, imports and first-call costs (measured in ``benchmarks/README.md``).

How jupyter_client gets there, as it documents for kernel provisioners: the kernelspec
``kernelspec/workshop-forkserver/kernel.json`` names the provisioner
``workshop-forkserver`` in its ``metadata.kernel_provisioner``, and ``pyproject.toml``
registers :class:`ForkServerProvisioner` under the entry point group
``jupyter_client.kernel_provisioners``. :class:`~workshop.report.kernels.WarmKernel`
(``forkserver=True``) asks for that kernelspec (:func:`spec_manager`).

When: batch workers on Linux (:func:`enabled`); ``WORKSHOP_NO_FORKSERVER=1`` turns it off (every
kernel launched as ``python -m ipykernel_launcher``). Where the fork-server cannot be used
(no ``fork``, a daemonic process such as a Dask nanny's worker, a fork-server that failed),
the provisioner falls back to the normal launch. Lifetimes: the fork-server exits when its
worker ends (multiprocessing's "alive" pipe), each kernel gets ``PR_SET_PDEATHSIG=SIGKILL``
towards the fork-server and watches it as a kernel watches its parent.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import io
import multiprocessing
import os
import random
import signal
import sys
import traceback
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

import numpy
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from workshop import data, i18n
from workshop import plan as plan_mod

KERNEL_NAME = "workshop-forkserver"
SPEC_DIR = Path(__file__).resolve().parent / "kernelspec"
OFF_ENV = "WORKSHOP_NO_FORKSERVER"  # =1: no fork-server, every kernel launched normally
WARM_ENV = "WORKSHOP_FORKSERVER_WARM_UP"  # set only while the fork-server starts
PRELOAD = [
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "numpy",
    "pandas",
    "plotly.graph_objects",
    "workshop.report.sections",
    __name__,  # last: its import runs the warm-up in the fork-server (WARM_ENV)
]
_PR_SET_PDEATHSIG = 1


def enabled() -> bool:
    """True where kernels may be forked: Linux (``fork``), ``$WORKSHOP_NO_FORKSERVER`` unset."""
    off = os.environ.get(OFF_ENV, "").strip() not in ("", "0")
    return not off and sys.platform.startswith("linux")


def spec_manager() -> KernelSpecManager:
    """A kernelspec manager that finds ``workshop-forkserver`` (and ``python3``)."""
    return KernelSpecManager(kernel_dirs=[str(SPEC_DIR)])


# A forked child first re-applies this process's start method (multiprocessing's "prepare"
# step): in a loky worker that is "loky", which the fork-server knows once loky's context
# module is imported there too.
START_METHOD_MODULES = {"loky": "loky.backend.context"}


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    method = multiprocessing.get_start_method(allow_none=True)
    extra = [START_METHOD_MODULES[method]] if method in START_METHOD_MODULES else []
    ctx.set_forkserver_preload(extra + PRELOAD)
    return ctx


def start() -> None:
    """Start this process's fork-server now (it preloads while the caller goes on), with one
    BLAS thread (no thread pool before a fork) and the warm-up switched on."""
    _context()
    saved = {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", WARM_ENV)}
    os.environ.update(OPENBLAS_NUM_THREADS="1", **{WARM_ENV: "1"})
    try:
        forkserver.ensure_running()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def usable() -> bool:
    """True if this process may start processes through the fork-server."""
    proc = multiprocessing.current_process()
    return enabled() and not proc.daemon


def warm_sections() -> int:
    """``report_notebook.prewarm()``, then every section of ``sections.SECTIONS`` and the run
    information once per language on the bundled demo plan, as the template calls them
    (one :class:`~workshop.results.Results` per language). Returns how many sections ran;
    raises what a section raises (the warm-up of :func:`_warm_up` ignores it)."""
    from workshop.report import notebook as report_notebook  # heavy: only in the fork-server
    from workshop.report import sections
    from workshop.results import Results

    report_notebook.prewarm()
    path = data.demo_plan()
    plan = plan_mod.load(path)
    count = 0
    for lang in i18n.LANGUAGES:
        res = Results(plan, lang)
        for name in sections.SECTIONS:
            getattr(sections, name)(res)
            count += 1
        sections.run_info(res, plan_path=path.name, language_param="")
    return count


def _warm_up() -> None:
    """In the fork-server only: ``report_notebook.prewarm()`` and every report section once, in
    each language, on the *bundled demo plan* (example data shipped with the toolkit, never
    a client's plan), results thrown away; then the imported objects are frozen out of the
    cyclic GC's sight (``gc.freeze``: the kernels' collections neither scan nor copy these
    pages). A fresh kernel pays ≈ 0.5-0.7 s of first-call costs in the cells (lazy imports,
    babel data, plotly templates): paid once here. Only module-level caches warm up (dates,
    bundled tables, plotly templates), never plan data. Errors are ignored."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            warm_sections()
    except Exception:  # noqa: BLE001 - only a warm-up (tests call warm_sections directly)
        pass
    gc.collect()
    gc.freeze()


def _set_pdeathsig(signum: int = signal.SIGKILL) -> None:
    """Linux: get `signum` when the parent (the fork-server) dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def _release_fork_server() -> None:
    """Close the fork-server's "alive" pipe in a forked kernel. multiprocessing hands it to
    every forked child (so that the child may use the server too); the server exits only
    when every copy is closed, so a kernel holding one would keep its fork-server, and so
    itself (``PR_SET_PDEATHSIG`` towards the server), alive after its worker died."""
    server = forkserver._forkserver  # the standard library's one per process
    fd = getattr(server, "_forkserver_alive_fd", None)
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)
        server._forkserver_alive_fd = None


def _become_kernel_process(env: dict[str, str], cwd: str, stderr_path: str) -> int:
    """The forked child's set-up: own session, parent-death signal, signals, stdio, folder,
    environment, random generators. Returns the fork-server's pid (the kernel's parent)."""
    server = os.getppid()
    os.setsid()  # its own process group: signalled as a group, like jupyter_client's kernels
    _set_pdeathsig(signal.SIGKILL)
    if os.getppid() != server:  # the fork-server died before prctl
        os._exit(1)
    _release_fork_server()
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    err = os.open(stderr_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(err, 2)
    os.close(err)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env, JPY_PARENT_PID=str(server))
    sys.path.insert(0, cwd)
    random.seed()
    numpy.random.seed()  # a fork would otherwise share the fork-server's random state
    return server


def kernel_main(argv: list[str], env: dict[str, str], cwd: str, stderr_path: str) -> None:
    """In the forked child: become a fresh IPKernelApp with `argv`; never returns."""
    code = 1
    try:
        server = _become_kernel_process(env, cwd, stderr_path)
        from ipykernel.kernelapp import IPKernelApp  # heavy, but preloaded by the server

        # parent_handle's default was read from the fork-server's environment at import
        argv = [*argv, f"--IPKernelApp.parent_handle={server}"]
        sys.argv = [sys.executable, "-m", "ipykernel_launcher", *argv]
        IPKernelApp.launch_instance(argv=argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001
        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


class ForkServerProvisioner(LocalProvisioner):
    """A ``LocalProvisioner`` whose kernels are forked by this process's fork-server (see
    the module docstring); falls back to the normal launch (``self.process``)."""

    child: Any = None  # the multiprocessing.Process of a forked kernel

    @property
    def has_process(self) -> bool:
        return self.process is not None or self.child is not None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        stderr_path = getattr(self.parent, "stderr_path", "")
        if usable() and stderr_path and list(cmd[1:3]) == ["-m", "ipykernel_launcher"]:
            cwd = str(kwargs.get("cwd") or os.getcwd())
            env = dict(kwargs.get("env") or os.environ)
            child = _context().Process(
                target=kernel_main,
                args=(list(cmd[3:]), env, cwd, stderr_path),
                name="workshop-kernel",
                daemon=True,  # terminated, not waited for, if this process exits normally
            )
            try:
                child.start()
            except Exception:  # noqa: BLE001 - normal launch below
                child = None
            if child is not None:
                self.child = child
                self.pid = self.pgid = child.pid
                self.cwd = cwd
                return self.connection_info
        return await super().launch_kernel(cmd, **kwargs)

    def _forked(self) -> bool:
        return self.process is None and self.child is not None

    async def poll(self) -> int | None:
        if not self._forked():
            return await super().poll()
        return self.child.exitcode

    async def wait(self) -> int | None:
        if not self._forked():
            return await super().wait()
        while self.child.exitcode is None:
            await asyncio.sleep(0.02)
        code, self.child = self.child.exitcode, None
        return code

    async def send_signal(self, signum: int) -> None:
        if not self._forked():
            return await super().send_signal(signum)
        try:
            os.killpg(self.child.pid, signum)
        except ProcessLookupError:
            pass
        except OSError:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.child.pid, signum)

    async def kill(self, restart: bool = False) -> None:
        if not self._forked():
            return await super().kill(restart=restart)
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        if not self._forked():
            return await super().terminate(restart=restart)
        await self.send_signal(signal.SIGTERM)


if os.environ.pop(WARM_ENV, None) == "1":  # imported by the fork-server, as its last preload
    _warm_up()
