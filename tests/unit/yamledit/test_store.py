"""yamledit.store: a file the editor creates gets the permissions a plain open would give it,
read without changing the process-wide umask."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govgate.yamledit.store import write_unless_changed


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_what_the_umask_allows(tmp_path: Path, umask: int) -> None:
    was = os.umask(umask)  # the test sets the umask a user's shell would have
    try:
        target = tmp_path / f"approvals-{umask:o}.yaml"
        write_unless_changed(target, target.name, None, b"approvals: []\n")
        assert target.stat().st_mode & 0o777 == 0o666 & ~umask
        assert os.umask(umask) == umask  # the write left the umask as it found it
        assert target.read_bytes() == b"approvals: []\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no probe left
    finally:
        os.umask(was)


def test_an_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "exceptions.yaml"
    target.write_bytes(b"exceptions: []\n")
    target.chmod(0o640)
    write_unless_changed(target, target.name, b"exceptions: []\n", b"exceptions: [a]\n")
    assert target.stat().st_mode & 0o777 == 0o640
