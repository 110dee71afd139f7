"""``workshop check``: is this machine ready for the workshop? (run it the evening before)

Imports every requirement, checks versions, the Jupyter kernel, the widget and plotly
extensions of JupyterLab, the data files, the example plans and Chromium (optional:
PDF reports and the browser test). Each problem is printed on a ``----->`` line with the
exact fix; the exit status is 0 when everything required is there, 1 otherwise.
"""

from __future__ import annotations

import importlib
import re
import shutil
import sys
from importlib import metadata

REQUIRED = {
    "pandas": "2.2",
    "numpy": "1.26",
    "plotly": "6.0",
    "pydantic": "2.6",
    "yaml": None,
    "babel": "2.14",
    "icalendar": "6.0",
    "openpyxl": "3.1",
    "ipywidgets": "8.1",
    "ipykernel": "6.29",
    "jupyterlab": "4.2",
    "papermill": "2.6",
    "nbconvert": "7.16",
    "nbformat": "5.10",
    "jupytext": "1.16",
    "tqdm": "4.66",
}
_DIST = {"yaml": "PyYAML"}


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        leading = re.match(r"\d+", piece)  # "0rc1" -> 0, not 1
        parts.append(int(leading.group()) if leading else 0)
    return tuple(parts)


def checks() -> list[tuple[bool, str, str]]:
    """(ok, what, fix) for each check; `fix` is empty when ok."""
    results: list[tuple[bool, str, str]] = []
    fix_install = "run: make install   (or: .venv/bin/pip install -e '.[dev]')"
    for module, minimum in REQUIRED.items():
        try:
            importlib.import_module(module)
            version = metadata.version(_DIST.get(module, module))
        except Exception:  # noqa: BLE001 - any import failure is a missing package here
            results.append((False, f"{module} missing", fix_install))
            continue
        ok = minimum is None or _version_tuple(version) >= _version_tuple(minimum)
        results.append(
            (
                ok,
                f"{module} {version}",
                "" if ok else f"{module} >= {minimum} needed; {fix_install}",
            )
        )
    try:
        # imported here, not at the top: a missing or broken install is what this function
        # reports (a line with its fix), so no import of a requirement may stop the module
        from jupyter_client.kernelspec import KernelSpecManager

        specs = KernelSpecManager().find_kernel_specs()
        ok = "python3" in specs
        results.append(
            (
                ok,
                'kernel "python3"',
                "" if ok else "run: .venv/bin/python -m ipykernel install --sys-prefix",
            )
        )
    except Exception as exc:  # noqa: BLE001
        results.append((False, f"jupyter kernels: {exc}", fix_install))
    try:
        # here too: the package's own imports need pandas, pydantic... (reported above)
        from workshop import data, plan

        for name in ("platforms.csv", "benchmarks.csv", "effort.csv", "holidays.csv"):
            path = data.path(name)
            results.append(
                (
                    path.exists(),
                    f"data/{name}",
                    ""
                    if path.exists()
                    else f"{path} missing: run from a full clone of the repository",
                )
            )
        examples = data.example_plans()
        bad = []
        for path in examples:
            try:
                plan.load(path)
            except Exception:  # noqa: BLE001
                bad.append(path.name)
        results.append(
            (
                not bad and bool(examples),
                f"{len(examples)} example plans",
                "" if not bad else f"invalid example plans: {', '.join(bad)}",
            )
        )
    except Exception as exc:  # noqa: BLE001
        results.append((False, f"workshop data: {exc}", fix_install))
    chromium = shutil.which("chromium")
    results.append(
        (
            True,
            f"chromium {'found' if chromium else 'not found (optional)'}",
            "" if chromium else "",
        )
    )
    return results


def run_cli() -> int:
    """Print the checks; 0 when all required ones pass."""
    print("Checking the workshop environment / Kiểm tra môi trường workshop ...")
    failed = 0
    for ok, what, fix in checks():
        print(f"    {what} {'✓' if ok else '✗'}")
        if not ok:
            failed += 1
            print(f"-----> {fix}")
    if not shutil.which("chromium"):
        print(
            "    (PDF reports and the browser test need Debian's chromium: "
            "apt-get install chromium)"
        )
    print("Ready. / Sẵn sàng." if not failed else f"{failed} problem(s). / {failed} vấn đề.")
    return 0 if not failed else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run_cli())
