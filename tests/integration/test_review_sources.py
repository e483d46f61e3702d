"""Review approvals from GitHub and GitLab, against a stand-in speaking their documented APIs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from urllib3.response import HTTPResponse

from govgate.errors import SourceError
from govgate.sources.github import github_approvals
from govgate.sources.gitlab import gitlab_approvals
from govgate.sources.http import MAX_RETRY_AFTER_S, CappedRetry, JsonApi, retrying_session
from tests.integration.review_standin import (
    REPO,
    REPO_ID,
    Reply,
    StandIn,
    github_error,
    github_pages,
    github_pull,
    github_review,
    gitlab_merge_request,
    gitlab_mr_approvals,
    gitlab_pages,
    review_standin,
)

GH_TOKEN = "ghs_secretTokenValue4411"
GL_TOKEN = "glpat-secretTokenValue9902"
PULL = f"/repos/{REPO}/pulls/17"
REVIEWS = f"{PULL}/reviews"
MR = "/api/v4/projects/4242/merge_requests/5"
ROSTER = {
    "model-risk": ["github:carol", "gitlab:carol"],
    "ml-lead": ["Dave"],  # a bare name matches on either service, case-insensitively
    "data-owner": ["github:erin"],
}


def github_env(url: str, **extra: str) -> dict[str, str]:
    return {
        "GITHUB_API_URL": url,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_REF": "refs/pull/17/merge",
        "GITHUB_TOKEN": GH_TOKEN,
        **extra,
    }


def gitlab_env(url: str, **extra: str) -> dict[str, str]:
    return {
        "CI_API_V4_URL": f"{url}/api/v4",
        "CI_PROJECT_ID": "4242",
        "CI_PROJECT_PATH": "acme/credit-risk",
        "CI_MERGE_REQUEST_IID": "5",
        "GITLAB_TOKEN": GL_TOKEN,
        **extra,
    }


def serve_github(state: StandIn, reviews: list[dict[str, object]]) -> None:
    state.answer(PULL, Reply(body=github_pull(17, "alice")))
    pages = github_pages(state, reviews)
    state.answer(REVIEWS, pages)
    state.answer(f"/repositories/{REPO_ID}/pulls/17/reviews", pages)


def decisions(approvals: list) -> dict[str, str]:
    return {a.by: a.decision for a in approvals}


def test_retry_after_is_honoured_but_capped() -> None:
    """The policy rest.py and the review sources share: a server cannot park CI for minutes."""
    retry = CappedRetry(total=3, respect_retry_after_header=True)
    assert retry.get_retry_after(HTTPResponse(headers={"Retry-After": "2"})) == 2
    assert retry.get_retry_after(HTTPResponse(headers={"Retry-After": "600"})) == MAX_RETRY_AFTER_S
    assert retry.get_retry_after(HTTPResponse(headers={})) is None


# -- GitHub ----------------------------------------------------------------------------------


def test_github_follows_link_pages_and_the_latest_review_wins() -> None:
    chatter = [
        github_review(1000 + i, "zoe", "COMMENTED", "2026-11-20T08:00:00Z") for i in range(205)
    ]
    reviews = [
        github_review(1, "bob", "APPROVED", "2026-11-20T07:00:00Z"),  # page 1
        *chatter,
        github_review(2, "bob", "CHANGES_REQUESTED", "2026-11-20T09:00:00Z"),  # page 3
        github_review(3, "carol", "APPROVED", "2026-11-20T09:30:00Z"),  # page 3
    ]
    with review_standin() as state:
        serve_github(state, reviews)
        approvals, change = github_approvals(github_env(state.url), ROSTER)

    review_pages = [s for s in state.seen if s.path.endswith("/reviews")]
    assert [s.query.get("page") for s in review_pages] == [None, "2", "3"]
    assert review_pages[0].path == REVIEWS and review_pages[0].query["per_page"] == "100"
    assert review_pages[2].path == f"/repositories/{REPO_ID}/pulls/17/reviews"
    assert decisions(approvals) == {"github:bob": "rejected", "github:carol": "approved"}
    carol = next(a for a in approvals if a.by == "github:carol")
    assert carol.on == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert carol.source == "github"
    assert carol.ref == f"https://github.com/{REPO}/pull/17#pullrequestreview-3"
    assert change is not None
    assert (change.provider, change.number, change.author) == ("github", "17", "github:alice")
    assert change.url == f"https://github.com/{REPO}/pull/17"


def test_github_sends_the_token_and_the_documented_headers_on_every_call() -> None:
    with review_standin() as state:
        serve_github(state, [github_review(1, "carol", "APPROVED", "2026-11-20T09:00:00Z")])
        github_approvals(github_env(state.url, GOVGATE_GITHUB_TOKEN="ghp_govgate"), ROSTER)
    assert state.paths() == [PULL, REVIEWS]
    for seen in state.seen:
        assert seen.headers["authorization"] == "Bearer ghp_govgate"  # preferred to GITHUB_TOKEN
        assert seen.headers["accept"] == "application/vnd.github+json"
        assert seen.headers["x-github-api-version"] == "2022-11-28"


def test_github_dismissed_voids_approval_and_comments_decide_nothing() -> None:
    reviews = [
        github_review(1, "erin", "DISMISSED", "2026-11-20T08:00:00Z"),  # a dismissed approval
        github_review(2, "frank", "CHANGES_REQUESTED", "2026-11-20T08:10:00Z"),
        github_review(3, "frank", "COMMENTED", "2026-11-20T08:20:00Z"),
        github_review(4, "dave", "CHANGES_REQUESTED", "2026-11-20T08:30:00Z"),
        github_review(5, "dave", "APPROVED", "2026-11-20T08:40:00Z"),
        github_review(6, "dave", "PENDING", None),
        github_review(7, "gina", "APPROVED", "2026-11-20T08:50:00Z"),
        github_review(8, "gina", "DISMISSED", "2026-11-20T09:00:00Z"),
        github_review(9, None, "APPROVED", "2026-11-20T09:10:00Z"),  # a deleted account
    ]
    with review_standin() as state:
        serve_github(state, reviews)
        approvals, _ = github_approvals(github_env(state.url), ROSTER)
    assert decisions(approvals) == {"github:frank": "rejected", "github:dave": "approved"}


def test_github_roles_come_from_the_roster() -> None:
    reviews = [
        github_review(1, "carol", "APPROVED", "2026-11-20T08:00:00Z"),
        github_review(2, "dave", "APPROVED", "2026-11-20T08:10:00Z"),
        github_review(3, "zoe", "APPROVED", "2026-11-20T08:20:00Z"),
    ]
    with review_standin() as state:
        serve_github(state, reviews)
        approvals, _ = github_approvals(github_env(state.url), ROSTER)
    assert {a.by: a.roles for a in approvals} == {
        "github:carol": ["model-risk"],
        "github:dave": ["ml-lead"],
        "github:zoe": [],
    }


def test_github_pull_number_from_the_event_payload(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "opened", "pull_request": {"number": 42}}))
    env = github_env("", GITHUB_REF="refs/heads/main", GITHUB_EVENT_PATH=str(event))
    with review_standin() as state:
        env["GITHUB_API_URL"] = state.url
        state.answer(f"/repos/{REPO}/pulls/42", Reply(body=github_pull(42, "alice")))
        state.answer(f"/repos/{REPO}/pulls/42/reviews", Reply(body=[]))
        approvals, change = github_approvals(env, ROSTER)
    assert state.paths() == [f"/repos/{REPO}/pulls/42", f"/repos/{REPO}/pulls/42/reviews"]
    assert approvals == [] and change is not None and change.number == "42"


@pytest.mark.parametrize(
    "drop", ["GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_REF"], ids=lambda v: f"no-{v}"
)
def test_github_without_token_repository_or_pull_makes_no_request(drop: str) -> None:
    with review_standin() as state:
        serve_github(state, [])
        env = github_env(state.url)
        del env[drop]
        assert github_approvals(env, ROSTER) == ([], None)
    assert state.seen == []


@pytest.mark.parametrize("status", [401, 403, 404])
def test_github_denied_is_a_source_error_that_names_the_call_not_the_token(status: int) -> None:
    with review_standin() as state:
        state.answer(PULL, Reply(body=github_pull(17, "alice")))
        # A server that echoes the credential must not get it into the message either.
        state.answer(REVIEWS, Reply(status, github_error(f"Bad credentials {GH_TOKEN}")))
        with pytest.raises(SourceError) as raised:
            github_approvals(github_env(state.url), ROSTER)
    text = str(raised.value)
    assert text.startswith(f"GitHub 127.0.0.1:{state.url.rsplit(':', 1)[1]} pulls/17/reviews ")
    assert f"{REPO}: HTTP {status}" in text
    assert "(check GITHUB_TOKEN permissions: pull-requests: read)" in text
    assert GH_TOKEN not in text and "\n" not in text
    assert len([s for s in state.seen if s.path == REVIEWS]) == 1  # not retried


def test_github_server_errors_are_retried_then_reported() -> None:
    with review_standin() as state:
        state.answer(PULL, Reply(503, github_error("Service Unavailable")))
        with pytest.raises(SourceError, match=r"pulls/17 acme/credit-risk: HTTP 503"):
            github_approvals(github_env(state.url), ROSTER, retries=2)
    assert state.paths() == [PULL] * 3


def test_github_a_transient_502_is_retried_and_succeeds() -> None:
    attempts: list[int] = []

    def flaky(seen: object) -> Reply:
        attempts.append(1)
        if len(attempts) == 1:
            return Reply(502, github_error("Bad Gateway"))
        return Reply(body=[github_review(1, "carol", "APPROVED", "2026-11-20T08:00:00Z")])

    with review_standin() as state:
        state.answer(PULL, Reply(body=github_pull(17, "alice")))
        state.answer(REVIEWS, flaky)
        approvals, _ = github_approvals(github_env(state.url), ROSTER)
    assert len(attempts) == 2 and decisions(approvals) == {"github:carol": "approved"}


@pytest.mark.parametrize(
    "reply",
    [Reply(raw=b"<html>proxy error</html>"), Reply(body={"message": "not a list"}), Reply(delay=2)],
    ids=["not-json", "not-a-list", "too-slow"],
)
def test_github_malformed_or_slow_answers_are_source_errors(reply: Reply) -> None:
    with review_standin() as state:
        state.answer(PULL, Reply(body=github_pull(17, "alice")))
        state.answer(REVIEWS, reply)
        with pytest.raises(SourceError, match=r"pulls/17/reviews acme/credit-risk: "):
            github_approvals(github_env(state.url), ROSTER, timeout_s=0.5, retries=0)


def test_github_a_next_link_to_another_host_is_not_followed() -> None:
    with review_standin() as state:
        other = state.url.replace("127.0.0.1", "localhost")
        state.answer(PULL, Reply(body=github_pull(17, "alice")))
        state.answer(
            REVIEWS, Reply(body=[], headers={"Link": f'<{other}{REVIEWS}?page=2>; rel="next"'})
        )
        with pytest.raises(SourceError, match=r"next-page link leaves 127\.0\.0\.1"):
            github_approvals(github_env(state.url), ROSTER)
    assert state.paths() == [PULL, REVIEWS]


# -- GitLab ----------------------------------------------------------------------------------


def test_gitlab_approvals_map_to_roles_and_times() -> None:
    approvers = [("carol", "2026-11-20T09:17:13.520Z"), ("dave", "2026-11-20T10:00:00.000Z")]
    with review_standin() as state:
        state.answer(MR, Reply(body=gitlab_merge_request(5, 4242, "alice")))
        state.answer(f"{MR}/approvals", Reply(body=gitlab_mr_approvals(5, 4242, approvers)))
        approvals, change = gitlab_approvals(gitlab_env(state.url), ROSTER)

    assert state.paths() == [MR, f"{MR}/approvals"]
    for seen in state.seen:
        assert seen.headers["private-token"] == GL_TOKEN
        assert "authorization" not in seen.headers
    assert {a.by: (a.decision, a.roles) for a in approvals} == {
        "gitlab:carol": ("approved", ["model-risk"]),
        "gitlab:dave": ("approved", ["ml-lead"]),
    }
    carol = approvals[0]
    assert carol.on == datetime(2026, 11, 20, 9, 17, 13, 520000, tzinfo=UTC)
    assert carol.source == "gitlab"
    assert carol.ref == "https://gitlab.example.com/acme/credit-risk/-/merge_requests/5"
    assert change is not None
    assert (change.provider, change.number, change.author) == ("gitlab", "5", "gitlab:alice")
    assert change.url == carol.ref


def test_gitlab_without_approved_at_leaves_the_time_unknown() -> None:
    """GitLab versions before `approved_at` was added answer `{"user": {...}}` alone."""
    env = gitlab_env("", GOVGATE_GITLAB_TOKEN="glpat-govgate")
    del env["CI_API_V4_URL"]
    with review_standin() as state:
        env["CI_SERVER_URL"] = state.url
        state.answer(MR, Reply(body=gitlab_merge_request(5, 4242, "alice")))
        body = gitlab_mr_approvals(5, 4242, [("carol", None)])
        state.answer(f"{MR}/approvals", Reply(body=body))
        approvals, _ = gitlab_approvals(env, ROSTER)
    assert [(a.by, a.on) for a in approvals] == [("gitlab:carol", None)]
    assert {s.headers["private-token"] for s in state.seen} == {"glpat-govgate"}


@pytest.mark.parametrize(
    "drop", ["GITLAB_TOKEN", "CI_API_V4_URL", "CI_PROJECT_ID", "CI_MERGE_REQUEST_IID"]
)
def test_gitlab_inactive_without_what_it_needs(drop: str) -> None:
    with review_standin() as state:
        state.answer(MR, Reply(body=gitlab_merge_request(5, 4242, "alice")))
        env = gitlab_env(state.url)
        del env[drop]
        assert gitlab_approvals(env, ROSTER) == ([], None)
    assert state.seen == []


def test_gitlab_401_is_a_source_error_without_the_token() -> None:
    with review_standin() as state:
        state.answer(MR, Reply(401, {"message": "401 Unauthorized"}))
        with pytest.raises(SourceError) as raised:
            gitlab_approvals(gitlab_env(state.url), ROSTER)
    text = str(raised.value)
    assert "GitLab 127.0.0.1:" in text
    assert "merge_requests/5 acme/credit-risk: HTTP 401: 401 Unauthorized" in text
    assert "(check GITLAB_TOKEN: it needs the read_api scope)" in text
    assert GL_TOKEN not in text
    assert state.seen[0].headers["private-token"] == GL_TOKEN and len(state.seen) == 1


def test_gitlab_approvals_without_approved_by_is_malformed() -> None:
    with review_standin() as state:
        state.answer(MR, Reply(body=gitlab_merge_request(5, 4242, "alice")))
        state.answer(f"{MR}/approvals", Reply(body={"message": "upgrade"}))
        with pytest.raises(SourceError, match=r"merge_requests/5/approvals .*approved_by"):
            gitlab_approvals(gitlab_env(state.url), ROSTER)


def test_gitlab_token_is_not_sent_across_a_redirect_to_another_host() -> None:
    with review_standin() as state:
        other = state.url.replace("127.0.0.1", "localhost")
        state.answer(MR, Reply(301, {}, headers={"Location": f"{other}/moved"}))
        state.answer("/moved", Reply(body=gitlab_merge_request(5, 4242, "alice")))
        state.answer(f"{MR}/approvals", Reply(body=gitlab_mr_approvals(5, 4242, [])))
        gitlab_approvals(gitlab_env(state.url), ROSTER)
    moved = next(s for s in state.seen if s.path == "/moved")
    assert "private-token" not in moved.headers
    assert state.seen[0].headers["private-token"] == GL_TOKEN


@pytest.mark.parametrize("with_link", [True, False], ids=["link", "x-next-page"])
def test_gitlab_offset_pagination_is_followed(with_link: bool) -> None:
    """The endpoints gitlab.py reads return one object each (not paginated, per GitLab's docs),
    so the shared pager is proven here against a documented paginated GitLab list:
    `GET /projects/:id/merge_requests/:iid/approval_rules` (page/per_page, Link, X-Next-Page)."""
    rules = [{"id": n, "name": f"rule-{n}", "rule_type": "regular"} for n in range(1, 46)]
    with review_standin() as state:
        state.answer(f"{MR}/approval_rules", gitlab_pages(state, rules, with_link))
        api = JsonApi(
            service="GitLab",
            base_url=f"{state.url}/api/v4",
            prefix="projects/4242",
            subject="acme/credit-risk",
            auth_hint="check GITLAB_TOKEN",
            session=retrying_session(0),
            timeout=(5.0, 5.0),
            secret=GL_TOKEN,
        )
        got = api.get_all("merge_requests/5/approval_rules", {"per_page": "20"})
    assert [r["id"] for r in got] == list(range(1, 46))
    assert [s.query.get("page") for s in state.seen] == [None, "2", "3"]
    assert all(s.query["per_page"] == "20" for s in state.seen)
