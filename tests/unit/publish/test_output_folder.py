"""The folder check behind every report writer (`check` and the portfolio `report`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govgate.errors import OutputError
from govgate.publish.files import write_rendered


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    monkeypatch.chdir(root)
    return root


def test_a_symlink_out_of_the_repo_is_refused_before_anything_is_written(
    repo: Path, tmp_path: Path
) -> None:
    (repo / "govgate-report").symlink_to(tmp_path / "outside")
    with pytest.raises(OutputError, match="symlink") as raised:
        write_rendered([(Path("govgate-report/portfolio.json"), b"{}")])
    assert raised.value.location is not None
    assert raised.value.location.path == "govgate-report"
    assert os.listdir(tmp_path / "outside") == []


def test_a_link_in_a_nested_checkout_must_stay_inside_the_outer_one_too(
    repo: Path, tmp_path: Path
) -> None:
    (repo / "vendor" / "sub" / ".git").mkdir(parents=True)
    (repo / "vendor" / "sub" / "out").symlink_to(tmp_path / "outside")
    with pytest.raises(OutputError, match="outside the repository"):
        write_rendered([(Path("vendor/sub/out/gate/report.json"), b"{}")])
    assert os.listdir(tmp_path / "outside") == []


def test_a_link_to_another_checkout_does_not_make_it_the_boundary(
    repo: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    (repo / "elsewhere").symlink_to(other)
    with pytest.raises(OutputError, match="elsewhere is a symlink"):
        write_rendered([(Path("elsewhere/gate/report.json"), b"{}")])
    assert sorted(os.listdir(other)) == [".git"]


def test_a_symlink_loop_as_the_output_folder_is_a_located_error(repo: Path) -> None:
    (repo / "loop").symlink_to("loop")
    with pytest.raises(OutputError, match="loop"):
        write_rendered([(Path("loop/sub/report.json"), b"{}")])


def test_a_real_folder_is_created_and_written(repo: Path) -> None:
    assert write_rendered([(Path("out/a/report.json"), b"{}")]) == [Path("out/a/report.json")]
    assert (repo / "out" / "a" / "report.json").read_bytes() == b"{}"
