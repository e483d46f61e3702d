"""Merge-request approvals from GitLab's REST API, so a rule can ask who approved the change.

It reads `GET /projects/:id/merge_requests/:iid/approvals`, which GitLab documents for every tier
and whose `approved_by` lists everyone who approved, whether or not an approval rule counts them
(`approval_state` lists only rule-matching approvers, and only on Premium). An approval that is
withdrawn or reset by a push disappears from that list, so every entry is a standing approval.
GitLab has no "changes requested" in this API: every entry is `approved`. `approved_at` is read
when the server sends it (newer GitLab versions); older ones leave the time unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from govgate.approvals.model import Approval, ChangeFacts
from govgate.sources.approvals_file import roles_of
from govgate.sources.http import JsonApi, api_text, api_time, retrying_session

TOKEN_VARIABLES = ("GOVGATE_GITLAB_TOKEN", "GITLAB_TOKEN")


def gitlab_approvals(
    env: Mapping[str, str],
    roster: Mapping[str, list[str]],
    timeout_s: float = 30.0,
    retries: int = 3,
) -> tuple[list[Approval], ChangeFacts | None]:
    """The approvals on this pipeline's merge request; nothing when not on one."""
    base_url = api_url(env)
    project = env.get("CI_PROJECT_ID", "").strip()
    iid = env.get("CI_MERGE_REQUEST_IID", "").strip()
    token_variable = next((name for name in TOKEN_VARIABLES if env.get(name)), None)
    if not base_url or not project or not iid or token_variable is None:
        return [], None
    token = env[token_variable]
    api = JsonApi(
        service="GitLab",
        base_url=base_url,
        prefix=f"projects/{quote(project, safe='')}",
        subject=env.get("CI_PROJECT_PATH") or project,
        auth_hint=f"check {token_variable}: it needs the read_api scope",
        session=retrying_session(retries),
        timeout=(min(5.0, timeout_s), timeout_s),
        secret=token,
    )
    api.session.headers["PRIVATE-TOKEN"] = token
    mr = quote(iid, safe="")
    with api.session:
        merge_request = api.get_object(f"merge_requests/{mr}")
        approvals = api.get_object(f"merge_requests/{mr}/approvals")
    if not isinstance(approvals.get("approved_by"), list):
        label = api.label(f"merge_requests/{mr}/approvals")
        raise api.error(f"{label}: malformed response (no approved_by list)")
    web_url = api_text(merge_request.get("web_url"))
    change = ChangeFacts(
        provider="gitlab",
        number=iid,
        author=_identity(merge_request.get("author")),
        url=web_url,
    )
    return approvals_of(approvals, dict(roster), web_url), change


def api_url(env: Mapping[str, str]) -> str | None:
    """`CI_API_V4_URL`, or `CI_SERVER_URL` + `/api/v4` on runners that predate it."""
    if env.get("CI_API_V4_URL"):
        return env["CI_API_V4_URL"].rstrip("/")
    if env.get("CI_SERVER_URL"):
        return env["CI_SERVER_URL"].rstrip("/") + "/api/v4"
    return None


def approvals_of(
    body: dict[str, Any], roster: dict[str, list[str]], ref: str | None
) -> list[Approval]:
    """One Approval per entry of `approved_by` (`{"user": {...}, "approved_at": ...}`)."""
    approvals = []
    for entry in body.get("approved_by") or []:
        username = _username(entry.get("user") if isinstance(entry, dict) else None)
        if not username:
            continue
        identity = f"gitlab:{username}"
        approvals.append(
            Approval(
                by=identity,
                on=api_time(entry.get("approved_at")),
                source="gitlab",
                decision="approved",
                roles=sorted(set(roles_of(identity, roster)) | set(roles_of(username, roster))),
                ref=ref,
            )
        )
    return approvals


def _username(user: Any) -> str | None:
    name = user.get("username") if isinstance(user, dict) else None
    return name if isinstance(name, str) and name else None


def _identity(user: Any) -> str | None:
    name = _username(user)
    return f"gitlab:{name}" if name else None
