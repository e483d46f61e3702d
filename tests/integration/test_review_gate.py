"""A pull request run end to end: CI context, review approvals mapped to roles, SoD, no token."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.conftest import EXAMPLES
from tests.integration.review_standin import (
    REPO,
    Reply,
    StandIn,
    github_pages,
    github_pull,
    github_review,
    review_standin,
)

TOKEN = "ghs_pr_run_token_3141"
PULL = f"/repos/{REPO}/pulls/17"


def pr_repo(make_repo: Callable[..., Path]) -> Path:
    """The complete example whose sign-offs come from pull request reviews, not a file."""
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    (repo / "governance" / "approvals.yaml").unlink()
    config = yaml.safe_load((repo / "govgate.yaml").read_text())
    config["roles"] = {
        "model_risk": ["github:lee"],
        "privacy": ["github:sam"],
        "security": ["github:kim"],
    }
    (repo / "govgate.yaml").write_text(yaml.safe_dump(config))
    return repo


def serve(state: StandIn, author: str) -> None:
    reviews = [
        github_review(1, "lee", "APPROVED", "2026-11-20T09:00:00Z"),
        github_review(2, "sam", "APPROVED", "2026-11-20T10:00:00Z"),
        github_review(3, "kim", "APPROVED", "2026-11-20T11:00:00Z"),
    ]
    state.answer(PULL, Reply(body=github_pull(17, author)))
    state.answer(f"{PULL}/reviews", github_pages(state, reviews))


def env(url: str) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_API_URL": url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_REF": "refs/pull/17/merge",
        "GITHUB_RUN_ID": "42",
        "GITHUB_SHA": "abc123",
        "GITHUB_TOKEN": TOKEN,
    }


def run(govgate, repo: Path, out: Path, url: str):
    return govgate(
        "check",
        "--repo",
        str(repo),
        "--output-dir",
        str(out),
        "--at",
        "2026-11-26T12:00:00Z",
        env=env(url),
    )


def test_reviews_satisfy_the_roles_and_the_ci_context_is_recorded(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = pr_repo(make_repo)
    out = tmp_path / "out"
    with review_standin() as state:
        serve(state, author="alex")
        result = run(govgate, repo, out, state.url)
    assert result.code == 0, result.stdout + result.stderr
    text = (out / "report.json").read_text()
    report = json.loads(text)
    assert report["ci"]["provider"] == "github" and report["ci"]["pull_request"] == "17"
    assert report["ci"]["run_url"] == f"https://github.com/{REPO}/actions/runs/42"
    assert all(s.headers["authorization"] == f"Bearer {TOKEN}" for s in state.seen)
    assert TOKEN not in text + result.stdout + result.stderr


def test_the_pull_requests_author_cannot_approve_it(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = pr_repo(make_repo)
    out = tmp_path / "out"
    with review_standin() as state:
        serve(state, author="kim")
        result = run(govgate, repo, out, state.url)
    assert result.code == 1
    finding = next(
        f
        for f in json.loads((out / "report.json").read_text())["findings"]
        if f["rule_id"] == "APPR-001"
    )
    assert "security needs 1 approval(s), has 0 valid" in finding["message"]
    assert any(
        "github:kim is also the author of the change" in e["message"] for e in finding["evidence"]
    )


def test_an_unauthorised_token_fails_closed_with_the_ci_context_kept(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = pr_repo(make_repo)
    out = tmp_path / "out"
    with review_standin() as state:
        state.answer(PULL, Reply(401, {"message": "Bad credentials"}))
        result = run(govgate, repo, out, state.url)
    assert result.code == 2
    text = (out / "report.json").read_text()
    assert json.loads(text)["ci"]["provider"] == "github"
    assert "HTTP 401" in result.stdout and TOKEN not in text + result.stdout + result.stderr
