"""Dating files by git history. A shallow clone (what actions/checkout and GitLab fetch by
default) never passes a rule that needs that history: the card-freshness rule ends in `error`
saying how to fetch it, and approvals-file entries cannot be traced to their approvers
(test_approval_authorship.py covers those). A file behind a symlink is dated by the file git
stores its content in."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.conftest import EXAMPLES, git

AT = "2026-11-26T12:00:00Z"


def statuses(out: Path) -> dict[str, dict]:
    report = json.loads((out / "report.json").read_text())
    return {f["rule_id"]: f for f in report["findings"]}


def clone(origin: Path, target: Path, depth: int | None) -> Path:
    shallow = ["--depth", str(depth)] if depth else []
    subprocess.run(["git", "clone", "-q", *shallow, f"file://{origin}", str(target)], check=True)
    return target


def old_card_repo(make_repo: Callable[..., Path]) -> Path:
    """The example committed 914 days before the evaluation, then a recent unrelated commit."""
    repo = make_repo({}, base=EXAMPLES / "credit-risk", commit_date="2024-05-26T10:00:00+00:00")
    (repo / "NOTES.md").write_text("release notes\n")
    git(repo, "add", "NOTES.md")
    git(repo, "commit", "-q", "-m", "notes", date="2026-11-25T10:00:00+00:00")
    return repo


def check(govgate, repo: Path, out: Path):
    return govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT)


def test_a_full_clone_dates_the_card_and_warns_that_it_is_stale(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    full = clone(old_card_repo(make_repo), tmp_path / "full", depth=None)
    out = tmp_path / "out"
    check(govgate, full, out)
    card = statuses(out)["CARD-004"]
    assert card["status"] == "warn"
    assert "last changed 2024-05-26" in card["message"]


def test_a_depth_1_clone_cannot_date_the_card_and_the_gate_errors_saying_how_to_fix_it(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    shallow = clone(old_card_repo(make_repo), tmp_path / "shallow", depth=1)
    out = tmp_path / "out"
    result = check(govgate, shallow, out)
    assert result.code == 2, result.stdout
    card = statuses(out)["CARD-004"]
    assert card["status"] == "error"
    assert card["message"].startswith("cannot check how old docs/model_card.md is: the clone is")
    assert "fetch-depth: 0" in card["message"] and "GIT_DEPTH: 0" in card["message"]
    assert "fetch-depth: 0" in result.stdout
    facts = json.loads(govgate("facts", "--repo", str(shallow)).stdout)
    assert facts["artifacts"]["model_card"]["last_commit"] is None
    assert "shallow" in facts["artifacts"]["model_card"]["last_commit_unknown"]


def test_a_shallow_clone_that_holds_the_cards_last_change_dates_it(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = old_card_repo(make_repo)
    card = repo / "docs" / "model_card.md"
    card.write_text(card.read_text() + "\nReviewed again on 2026-11-25.\n")
    git(repo, "commit", "-qam", "card reviewed", date="2026-11-25T12:00:00+00:00")
    shallow = clone(repo, tmp_path / "shallow", depth=2)  # the card's change is not at the cut
    out = tmp_path / "out"
    check(govgate, shallow, out)
    assert statuses(out)["CARD-004"]["status"] == "pass"


def test_a_card_behind_a_symlink_is_dated_by_the_file_it_points_to(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    """A link made yesterday to a card last changed in 2024 does not make the card fresh."""
    repo = old_card_repo(make_repo)
    card = repo / "docs" / "model_card.md"
    card.rename(repo / "docs" / "card-2024.md")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "card renamed", date="2024-05-27T10:00:00+00:00")
    card.symlink_to("card-2024.md")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link to the card", date="2026-11-25T10:00:00+00:00")
    out = tmp_path / "out"
    check(govgate, repo, out)
    finding = statuses(out)["CARD-004"]
    assert finding["status"] == "warn" and "last changed 2024-05-27" in finding["message"]
