"""Pull-request reviews from GitHub's REST API, so a rule can ask who approved the change.

Per reviewer, only the latest review that decides anything counts (APPROVED, CHANGES_REQUESTED or
DISMISSED; COMMENTED and PENDING decide nothing), as on GitHub's own pull-request page: a later
"changes requested" withdraws an approval, and a dismissed review leaves no decision.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from govgate.approvals.model import Approval, ChangeFacts, Decision
from govgate.sources.approvals_file import roles_of
from govgate.sources.http import JsonApi, api_text, api_time, retrying_session

DEFAULT_API = "https://api.github.com"
TOKEN_VARIABLES = ("GOVGATE_GITHUB_TOKEN", "GITHUB_TOKEN")
DECISIONS: dict[str, Decision | None] = {
    "APPROVED": "approved",
    "CHANGES_REQUESTED": "rejected",
    "DISMISSED": None,
}
PULL_REF = re.compile(r"^refs/pull/(\d+)/")


def github_approvals(
    env: Mapping[str, str],
    roster: Mapping[str, list[str]],
    timeout_s: float = 30.0,
    retries: int = 3,
) -> tuple[list[Approval], ChangeFacts | None]:
    """The standing review decisions on this run's pull request; nothing when not on one."""
    repo = env.get("GITHUB_REPOSITORY", "").strip()
    number = pull_number(env)
    token_variable = next((name for name in TOKEN_VARIABLES if env.get(name)), None)
    if not repo or number is None or token_variable is None:
        return [], None
    token = env[token_variable]
    api = JsonApi(
        service="GitHub",
        base_url=(env.get("GITHUB_API_URL") or DEFAULT_API).rstrip("/"),
        prefix=f"repos/{quote(repo)}",
        subject=repo,
        auth_hint=f"check {token_variable} permissions: pull-requests: read",
        session=retrying_session(retries),
        timeout=(min(5.0, timeout_s), timeout_s),
        secret=token,
    )
    api.session.headers.update(
        {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        }
    )
    with api.session:
        pull = api.get_object(f"pulls/{number}")
        reviews = api.get_all(f"pulls/{number}/reviews", {"per_page": "100"})
    change = ChangeFacts(
        provider="github",
        number=str(number),
        author=_identity(pull.get("user")),
        url=api_text(pull.get("html_url")),
    )
    return standing_reviews(reviews, dict(roster)), change


def pull_number(env: Mapping[str, str]) -> int | None:
    """From `refs/pull/N/merge`, else from the event payload (`pull_request_target` and others)."""
    matched = PULL_REF.match(env.get("GITHUB_REF", ""))
    if matched:
        return int(matched.group(1))
    path = env.get("GITHUB_EVENT_PATH")
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            event = json.load(handle)
    except (OSError, ValueError):
        return None
    pull = event.get("pull_request") if isinstance(event, dict) else None
    number = pull.get("number") if isinstance(pull, dict) else None
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def standing_reviews(reviews: list[Any], roster: dict[str, list[str]]) -> list[Approval]:
    """One Approval per reviewer whose latest deciding review (the list is chronological) stands."""
    latest: dict[str, dict[str, Any]] = {}
    for review in reviews:
        if not isinstance(review, dict) or review.get("state") not in DECISIONS:
            continue
        login = _login(review.get("user"))
        if login:  # a deleted account's reviews come with `user: null`
            latest[login] = review
    approvals = []
    for login, review in latest.items():
        decision = DECISIONS[review["state"]]
        if decision is None:
            continue
        identity = f"github:{login}"
        approvals.append(
            Approval(
                by=identity,
                on=api_time(review.get("submitted_at")),
                source="github",
                decision=decision,
                roles=sorted(set(roles_of(identity, roster)) | set(roles_of(login, roster))),
                ref=api_text(review.get("html_url")),
            )
        )
    return approvals


def _login(user: Any) -> str | None:
    login = user.get("login") if isinstance(user, dict) else None
    return login if isinstance(login, str) and login else None


def _identity(user: Any) -> str | None:
    login = _login(user)
    return f"github:{login}" if login else None
