"""workshop.fsutil: atomic file writes and the folder swap."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import fsutil


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_bytes_atomic_creates_with_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        path = fsutil.write_bytes_atomic(tmp_path / "a.bin", b"\x00\x01")
    finally:
        os.umask(old)
    assert path.read_bytes() == b"\x00\x01"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert _names(tmp_path) == ["a.bin"]


def test_replacing_keeps_the_mode_of_the_file_replaced(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("old")
    path.chmod(0o600)
    fsutil.write_text_atomic(path, "nouveau – mới")
    assert path.read_text(encoding="utf-8") == "nouveau – mới"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _names(tmp_path) == ["plan.yaml"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = tmp_path / "calendar.xlsx"
    path.write_bytes(b"old")

    def write(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        fsutil.atomic_write(path, write)
    assert path.read_bytes() == b"old" and _names(tmp_path) == ["calendar.xlsx"]


def test_the_temporary_file_is_beside_the_target_and_hidden(tmp_path):
    seen = []

    def write(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_text("x")

    fsutil.atomic_write(tmp_path / "out.csv", write)
    (tmp,) = seen
    assert tmp.parent == tmp_path and tmp.name.startswith(".out.csv.")
    assert tmp.name.endswith(fsutil.TMP_SUFFIX) and not tmp.exists()


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=4096), st.binary(max_size=4096))
def test_write_then_overwrite_gives_exactly_the_last_bytes(tmp_path_factory, first, second):
    folder = tmp_path_factory.mktemp("w")
    path = folder / "f"
    fsutil.write_bytes_atomic(path, first)
    fsutil.write_bytes_atomic(path, second)
    assert path.read_bytes() == second and _names(folder) == ["f"]


def _folder(path: Path, **files: str) -> Path:
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text)
    return path


def test_replace_dir_atomic_without_an_old_folder(tmp_path):
    staged = _folder(tmp_path / "staged", a="new")
    assert fsutil.replace_dir_atomic(staged, tmp_path / "final", tmp_path / "aside") is False
    assert (tmp_path / "final" / "a").read_text() == "new"
    assert _names(tmp_path) == ["final"]


def test_replace_dir_atomic_moves_the_old_folder_aside(tmp_path):
    staged = _folder(tmp_path / "staged", a="new")
    _folder(tmp_path / "final", a="old", b="old")
    checked = []
    moved = fsutil.replace_dir_atomic(
        staged, tmp_path / "final", tmp_path / "aside", check=lambda p: checked.append(_names(p))
    )
    assert moved and checked == [["a", "b"]]
    assert _names(tmp_path / "final") == ["a"] and (tmp_path / "final" / "a").read_text() == "new"
    assert _names(tmp_path / "aside") == ["a", "b"]


def test_replace_dir_atomic_check_refuses_and_everything_stays(tmp_path):
    staged = _folder(tmp_path / "staged", a="new")
    _folder(tmp_path / "final", mine="keep")

    def refuse(aside: Path) -> None:
        raise PermissionError("not ours")

    with pytest.raises(PermissionError):
        fsutil.replace_dir_atomic(staged, tmp_path / "final", tmp_path / "aside", check=refuse)
    assert _names(tmp_path) == ["final", "staged"]
    assert (tmp_path / "final" / "mine").read_text() == "keep"
    assert (tmp_path / "staged" / "a").read_text() == "new"


def test_replace_dir_atomic_puts_the_old_folder_back_if_the_rename_fails(tmp_path):
    staged = tmp_path / "missing-staged"  # the second rename fails
    _folder(tmp_path / "final", a="old")
    with pytest.raises(FileNotFoundError):
        fsutil.replace_dir_atomic(staged, tmp_path / "final", tmp_path / "aside")
    assert _names(tmp_path) == ["final"] and (tmp_path / "final" / "a").read_text() == "old"


def test_fsync_tree_and_remove_tree(tmp_path):
    folder = _folder(tmp_path / "f", a="1", b="2")
    (folder / "sub").mkdir()
    fsutil.fsync_tree(folder)  # files and the folder itself; sub-folders are skipped
    fsutil.remove_tree(folder)
    fsutil.remove_tree(folder)  # a missing folder is fine
    assert not folder.exists()
