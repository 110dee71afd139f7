"""Report kernels started ahead of their client, and the template run in one (papermill).

:class:`WarmKernel` is a fresh ``python3`` kernel started *before* its client is known, its
connection file (HMAC key) and stderr in a private folder, so that its start and imports
overlap other work. Still one kernel per client: :func:`workshop.report.build.build_one`
runs one notebook in it and shuts it down. In a batch worker on Linux the kernel is forked
from the worker's pre-imported fork-server (:mod:`workshop.report.forkserver`: a kernelspec
whose provisioner is registered as a ``jupyter_client.kernel_provisioners`` entry point);
everywhere else jupyter_client launches ``python -m ipykernel_launcher`` as usual.

jupyter_client, papermill and nbformat are imported inside the functions that need them:
together they cost ≈ 0.3-1 s at import, which ``workshop validate`` and the CLI's checks
before any kernel should not pay.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

from workshop.report.guard import Guard
from workshop.report.inputs import template_path
from workshop.report.outdir import KERNELS_ID, new_staging

# The kernel's start-up lines: import what every report needs, before the client is known
# (no plan, no client data: only modules, the message catalogue and the bundled data tables).
PRELOAD = "__import__('workshop.report.notebook').report.notebook.prewarm()"


def open_kernel_dir(out: Path, guard: Guard) -> Path:
    """The process's private folder for kernel connection files (HMAC keys) and kernel
    logs: ``out/.tmp-kernels-<pid>-<8 hex>/`` (0700, with the staging marker), kept on the
    `guard` (removed by ``guard.close_kernel_dir()`` at the normal end, by ``guard.undo()``
    on a signal or when the parent dies, and by the next run's ``clean_stale`` after a
    SIGKILL)."""
    if guard.kernel_dir is None:
        folder = new_staging(out, "tmp", KERNELS_ID, guard)
        guard.folders.remove(folder)  # not a client's folder: removed last, by close
        guard.kernel_dir = folder
    return guard.kernel_dir


@functools.cache
def _manager_class() -> type:
    from jupyter_client.manager import AsyncKernelManager  # heavy: see the module docstring

    class TrackingKernelManager(AsyncKernelManager):
        """Remembers the clients it hands out, so they can be closed with the kernel; the
        fork-server's provisioner reads `stderr_path` (where the kernel's stderr goes)."""

        stderr_path: str = ""

        def client(self, **kwargs: Any) -> Any:
            kc = super().client(**kwargs)
            self.__dict__.setdefault("_workshop_clients", []).append(kc)
            return kc

    return TrackingKernelManager


def start_forkserver() -> bool:
    """Start this process's kernel fork-server if kernels may be forked here (Linux, not a
    daemonic process, ``$WORKSHOP_NO_FORKSERVER`` unset; see :mod:`workshop.report.forkserver`);
    True if it was started (then pass ``forkserver=True`` to :class:`WarmKernel`)."""
    from workshop.report import forkserver as fs  # imports jupyter_client (heavy)

    if not fs.usable():
        return False
    fs.start()
    return True


def _kernel_manager(forkserver: bool) -> Any:
    if forkserver:
        from workshop.report import forkserver as fs  # imports jupyter_client (heavy)

        return _manager_class()(kernel_name=fs.KERNEL_NAME, kernel_spec_manager=fs.spec_manager())
    return _manager_class()(kernel_name="python3")


class WarmKernel:
    """A fresh report kernel started now, given to a client later (or shut down).

    `cwd`: the kernel's folder (default: the template's). `folder`: where its connection
    file and stderr log go (default: ``guard.kernel_dir``, else a private temporary folder
    of its own, removed with the kernel). `forkserver`: fork it from this process's
    fork-server (see :mod:`workshop.report.forkserver`; falls back to a normal launch).
    `preload`: run :data:`PRELOAD` at start-up (imports and data tables only).
    """

    def __init__(
        self,
        cwd: str | os.PathLike[str] | None = None,
        preload: bool = True,
        folder: Path | None = None,
        guard: Guard | None = None,
        forkserver: bool = False,
    ):
        from jupyter_core.utils import run_sync  # with jupyter_client: heavy

        self.guard = guard
        self.own_folder: Path | None = None
        if folder is None and guard is not None:
            folder = guard.kernel_dir
        if folder is None:  # never $TMPDIR's shared space or $JUPYTER_RUNTIME_DIR
            folder = self.own_folder = Path(tempfile.mkdtemp(prefix="workshop-kernels-"))
        token = secrets.token_hex(8)
        self.stderr_path = folder / f"workshop-kernel-{token}.log"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.stderr_path, flags, 0o600)
        self.km = _kernel_manager(forkserver)
        self.km.stderr_path = str(self.stderr_path)
        self.km.connection_file = str(folder / f"kernel-{token}.json")
        self.connection_file = Path(self.km.connection_file)
        args = ["--HistoryManager.hist_file=:memory:"]
        if preload:
            args.append(f"--IPKernelApp.exec_lines={PRELOAD}")
        self.closed = False
        if guard is not None:
            guard.kernels.add(self)
        try:
            run_sync(self.km.start_kernel)(
                cwd=str(cwd or template_path().parent), extra_arguments=args, stderr=fd
            )
        except BaseException:
            self.shutdown()
            raise
        finally:
            os.close(fd)

    @property
    def forked(self) -> bool:
        """True if the kernel process was forked from the fork-server (not launched)."""
        return getattr(self.km.provisioner, "child", None) is not None

    def alive(self) -> bool:
        """True while the kernel process runs (checked before a client is given to it)."""
        from jupyter_core.utils import run_sync  # with jupyter_client: heavy

        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001
            return False

    def stderr_text(self) -> str:
        try:
            return self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def shutdown(self) -> None:
        """Kill the kernel now, close its clients and channels, remove its files."""
        if self.closed:
            return
        self.closed = True
        from jupyter_core.utils import run_sync  # with jupyter_client: heavy

        for kc in self.km.__dict__.get("_workshop_clients", []):
            with contextlib.suppress(Exception):
                kc.stop_channels()
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - already dead
            with contextlib.suppress(Exception):
                run_sync(self.km.cleanup_resources)()
        self.forget_files()
        if self.guard is not None:
            self.guard.kernels.discard(self)

    def forget_files(self) -> None:
        """Remove the kernel's connection file (its HMAC key) and stderr file."""
        for path in (self.stderr_path, self.connection_file):
            with contextlib.suppress(OSError):
                path.unlink()
        if self.own_folder is not None:
            shutil.rmtree(self.own_folder, ignore_errors=True)


def execute(
    nb_path: Path, params: dict[str, Any], public: dict[str, Any], kernel: WarmKernel
) -> Any:
    """Run the template in `kernel` with papermill; return the executed notebook (also
    written to `nb_path`, at the end or at the failing cell), with papermill's record of
    this machine's paths replaced by `public` (:func:`scrub_notebook`) in both."""
    import papermill  # heavy: only when a report is built
    from papermill.exceptions import PapermillExecutionError

    try:
        nb = papermill.execute_notebook(
            str(template_path()),
            str(nb_path),
            parameters=params,
            kernel_name="python3",
            log_output=False,
            progress_bar=False,
            request_save_on_cell_execute=False,
            km=kernel.km,
        )
    except PapermillExecutionError:
        with contextlib.suppress(Exception):  # the failure is what matters
            _scrub_saved(nb_path, public)
        raise
    scrub_notebook(nb, public)
    save_notebook(nb, nb_path)
    return nb


def died_at_start(exc: BaseException) -> bool:
    """True for jupyter_client's error when a kernel process ends before its first reply
    (``wait_for_ready``): nothing of the template ran, so running it again is safe."""
    return isinstance(exc, RuntimeError) and str(exc).startswith(
        "Kernel died before replying to kernel_info"
    )


def scrub_notebook(nb: Any, public: dict[str, Any]) -> None:
    """Remove this machine's paths from what papermill recorded in `nb`, in place: the
    parameters (``metadata.papermill.parameters`` and the injected-parameters cell) become
    `public` (the plan's copy as ``plan.yaml``, relative to the report folder; the plan's
    file name), the template and output paths their file names."""
    from papermill.translators import translate_parameters  # heavy, see execute

    meta = nb.get("metadata", {}).get("papermill")
    if isinstance(meta, dict):
        meta["input_path"] = template_path().name
        meta["output_path"] = "report.ipynb"
        meta["parameters"] = dict(public)
    for cell in nb.get("cells", []):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["source"] = translate_parameters("python3", "python", dict(public), "Parameters")


def save_notebook(nb: Any, path: Path) -> None:
    """Write `nb` as papermill does (same bytes), without validating it again (≈ 2x faster:
    papermill's notebook was just validated)."""
    from nbformat.v4 import nbjson  # heavy, see execute

    path.write_text(nbjson.writes(nb), encoding="utf-8")


def _scrub_saved(path: Path, public: dict[str, Any]) -> None:
    import nbformat  # heavy, see execute

    nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    scrub_notebook(nb, public)
    save_notebook(nb, path)
