"""What the real-browser tests (and tools/repro_runall.py) share: Debian's chromium with the
flags that keep it off the network, a hermetic JupyterLab environment in a temporary
folder, and a Playwright route that lets only loopback through and counts the rest."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from workshop.report.pdf import CHROMIUM_FLAGS

CHROMIUM = shutil.which("chromium")
JUPYTER_LAB = Path(sys.executable).with_name("jupyter-lab")
CHROMIUM_ARGS = list(CHROMIUM_FLAGS)  # the report PDF's own offline flags
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def jupyter_env(base: Path) -> dict[str, str]:
    """This process's environment with every Jupyter and IPython folder under `base`, so a
    server started with it reads and writes nothing of the machine's own."""
    return {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_DATA_DIR": str(base / "data"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "IPYTHONDIR": str(base / "ipython"),
        "XDG_CONFIG_HOME": str(base / "xdg-config"),
        "XDG_CACHE_HOME": str(base / "xdg-cache"),
    }


def loopback_only(blocked: list[str]) -> Callable[[Any], None]:
    """A Playwright route handler: loopback, data: and blob: requests go through; any other
    request is aborted and its URL appended to `blocked` (the tests expect it empty)."""

    def route(r: Any) -> None:
        parsed = urlparse(r.request.url)
        if parsed.scheme in ("data", "blob") or parsed.hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    return route
