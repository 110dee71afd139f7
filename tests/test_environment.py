"""environment.yml (conda/Binder) and requirements-lock.txt agree with pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
ENV = yaml.safe_load((ROOT / "environment.yml").read_text())


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version
    return pins


def _conda_and_pip():
    conda, pip = [], []
    for dep in ENV["dependencies"]:
        if isinstance(dep, dict):
            pip.extend(dep["pip"])
        else:
            conda.append(dep)
    return conda, pip


def test_conda_part_only_provides_the_interpreter():
    conda, _ = _conda_and_pip()
    names = {re.split(r"[=<>!]", dep)[0] for dep in conda}
    assert names == {"python", "pip"}, "dependencies belong in pyproject.toml, not environment.yml"


def test_pip_part_installs_the_package_with_existing_extras():
    _, pip = _conda_and_pip()
    assert len(pip) == 1
    match = re.fullmatch(r"-e \.(?:\[([\w,]+)\])?", pip[0])
    assert match, pip[0]
    extras = (match.group(1) or "").split(",")
    defined = PYPROJECT["project"]["optional-dependencies"]
    assert all(extra in defined for extra in extras if extra)


def test_conda_python_satisfies_requires_python():
    conda, _ = _conda_and_pip()
    python = next(dep for dep in conda if dep.startswith("python"))
    version = python.split("=")[-1]
    assert SpecifierSet(PYPROJECT["project"]["requires-python"]).contains(version + ".0")


def test_lock_pins_every_dependency_within_its_range():
    pins = _lock()
    deps = list(PYPROJECT["project"]["dependencies"])
    for extra in PYPROJECT["project"]["optional-dependencies"].values():
        deps += [d for d in extra if not d.startswith("workshop[")]
    for dep in deps:
        req = Requirement(dep)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not pinned in requirements-lock.txt (run make lock)"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{req.name}=={pins[name]} in the lock is outside {req.specifier} (run make lock)"
        )
