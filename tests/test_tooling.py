"""The contributor's tooling and the package's layers: what CONTRIBUTING.md promises.

* the pre-commit hooks pin the versions of requirements-lock.txt and assume no ``.venv``;
* every generated file is current (tools/generate.py --check, the same as ``make lint``);
* every environment variable the package reads is documented in CONTRIBUTING.md;
* the layers: models never import the delivery side (widgets, report runner, CLI, room,
  session), presenters never import widgets or the runner, the runner never imports widgets;
* no module of ``workshop/`` grows past the size a reader takes in at once.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "workshop"

# The delivery side: what talks to a person or a process (widgets, runner, CLI, room, session)
DELIVERY = {
    "ui",
    "report",
    "cli",
    "__main__",
    "room",
    "room_kernel",
    "room_server",
    "room_hub",
    "summary",
    "start",
    "session",
}
# What the presenters and the models may never import
FORBIDDEN = {
    "models": DELIVERY | {"charts", "tables", "results"},
    "presenters": set(DELIVERY),
    "report": {"ui", "session", "start"},
}
MODELS = {
    "plan",
    "platforms",
    "capacity",
    "schedule",
    "roi",
    "data",
    "i18n",
    "errors",
    "markup",
    "fsutil",
    "exports",
    "exports_tools",
    "preflight",
    "schedulers",
    "checklist",
    "readiness",
}
PRESENTERS = {"charts", "tables", "results", "quizzes"}
MAX_MODULE_LINES = 460  # ~450 lines: one module, one job; split past it
# Modules over the limit, each with the issue that splits it (remove the line when it is done)
OVER_LIMIT = {
    "workshop/roi.py": "issue 10 rewrites the ROI step as a package",
    "workshop/preflight.py": "issue 12 splits the pre-flight rules into modules",
    "workshop/schedule.py": "issue 12 (calendar counts and holidays) splits it",
    "workshop/exports.py": "issue 12 routes every export through exports_tools",
}


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements-lock.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[name.lower().replace("_", "-")] = version.strip()
    return pins


def test_pre_commit_hooks_pin_the_lock_files_versions_and_assume_no_venv():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    lock = _lock()
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {h["id"] for h in hooks} >= {"ruff-check", "ruff-format", "nbstripout", "jupytext-sync"}
    for hook in hooks:
        assert ".venv" not in hook["entry"], hook["id"]
        assert hook["language"] in ("python", "pygrep"), hook["id"]
        for dep in hook.get("additional_dependencies", []):
            name, version = dep.split("==")
            assert lock[name.lower()] == version, f"{hook['id']}: {dep} but the lock has {version}"
    assert "pre-commit" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_every_generated_file_is_current():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "generate.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generate_check_names_a_stale_file(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "tools"))
    stale = tmp_path / "model.md"
    stale.write_text("old", encoding="utf-8")
    monkeypatch.setattr(generate, "targets", lambda: [(stale, lambda: "new")])
    monkeypatch.setattr(generate, "ROOT", tmp_path)
    assert generate.main(["--check"]) == 1
    assert stale.read_text(encoding="utf-8") == "old"  # --check writes nothing
    assert generate.main([]) == 0 and stale.read_text(encoding="utf-8") == "new"


def _environment_variables() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"\b(WORKSHOP_[A-Z_]+|PLOTLY_RENDERER)\b", text))
    return found


def test_every_environment_variable_is_documented_in_contributing():
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    names = _environment_variables()
    assert "WORKSHOP_LANG" in names and "WORKSHOP_NO_FORKSERVER" in names
    missing = sorted(n for n in names if f"`{n}`" not in contributing)
    assert not missing, f"CONTRIBUTING.md does not document {missing}"


def _imports(path: Path) -> set[str]:
    """The top-level workshop modules/packages a file imports (module level or inside
    functions alike)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "workshop":
                names |= {alias.name for alias in node.names}
            elif node.module.startswith("workshop."):
                names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("workshop."):
                    names.add(alias.name.split(".")[1])
    return names


def _layer(path: Path) -> tuple[str, str]:
    top = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    if top in MODELS:
        return top, "models"
    if top in PRESENTERS:
        return top, "presenters"
    return top, top


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_layers_never_point_back(path):
    top, layer = _layer(path)
    forbidden = FORBIDDEN.get(layer, set()) - {top}
    wrong = sorted(_imports(path) & forbidden)
    assert not wrong, f"{path.relative_to(ROOT)} ({layer}) imports {wrong}"


def test_every_module_is_small_enough_to_read_or_named_with_its_reason():
    too_long = {}
    for path in PACKAGE.rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            too_long[path.relative_to(ROOT).as_posix()] = lines
    unexplained = {p: n for p, n in too_long.items() if p not in OVER_LIMIT}
    assert not unexplained, f"modules over {MAX_MODULE_LINES} lines: {unexplained}"
    done = sorted(set(OVER_LIMIT) - set(too_long))
    assert not done, f"now under the limit, remove from OVER_LIMIT: {done}"
