"""write_atomic: whole files only, the permissions asked for, and no overwrite when told not to."""

from __future__ import annotations

from pathlib import Path

import pytest

from govgate.atomic_write import write_atomic


def test_mode_is_applied_and_no_temp_file_is_left(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "a.yaml"
    write_atomic(path, b"one\n", mode=0o640)
    assert path.read_bytes() == b"one\n" and path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in path.parent.iterdir()] == ["a.yaml"]


def test_without_overwrite_an_existing_file_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    write_atomic(path, b"first\n", overwrite=False)
    with pytest.raises(FileExistsError):
        write_atomic(path, b"second\n", overwrite=False)
    assert path.read_bytes() == b"first\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]
