"""A report kernel that dies before its first reply (a port taken by another process between
jupyter_client choosing it and the kernel binding it, seen once in CI on a Dask worker) is
replaced once by a freshly launched kernel; a client's own failure is never run twice."""

from __future__ import annotations

import json

import pytest

from workshop import data
from workshop.report import build, kernels


def test_only_the_start_up_death_counts():
    assert kernels.died_at_start(RuntimeError("Kernel died before replying to kernel_info"))
    assert not kernels.died_at_start(RuntimeError("fixture template: fails here"))
    assert not kernels.died_at_start(ValueError("Kernel died before replying to kernel_info"))


@pytest.mark.slow
def test_a_kernel_dead_at_start_is_replaced_once(tmp_path, monkeypatch):
    real = kernels.execute
    used = []

    def flaky(nb_path, params, public, kernel):
        used.append(kernel)
        if len(used) == 1:
            kernel.shutdown()  # the process is gone, as in the CI failure
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(nb_path, params, public, kernel)

    monkeypatch.setattr(kernels, "execute", flaky)
    res = build.build_one(data.demo_plan(), tmp_path, capture_stderr=False)
    assert res.status == "ok", res.error
    assert len(used) == 2 and used[0] is not used[1]
    manifest = json.loads((tmp_path / res.client_id / "manifest.json").read_text())
    assert manifest["kernel_restarts"] == 1 and manifest["kernel"] == "launched"
    assert used[1].closed  # the replacement is shut down with the build


@pytest.mark.slow
def test_a_failing_cell_is_not_run_again(tmp_path, monkeypatch):
    calls = []

    def failing(nb_path, params, public, kernel):
        calls.append(kernel)
        raise RuntimeError("a cell of the template failed")

    monkeypatch.setattr(kernels, "execute", failing)
    res = build.build_one(data.demo_plan(), tmp_path, capture_stderr=False)
    assert res.status == "failed" and len(calls) == 1
