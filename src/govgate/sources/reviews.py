"""Code-review approvals of the change under test, from GitHub or GitLab when a token is set."""

from __future__ import annotations

from collections.abc import Mapping

from govgate.approvals.model import Approval, ChangeFacts


def review_approvals(
    env: Mapping[str, str], roster: Mapping[str, list[str]], retries: int = 3
) -> tuple[list[Approval], ChangeFacts | None]:
    """The review source for the CI provider the environment names; none outside CI."""
    if env.get("GITHUB_ACTIONS") == "true":
        from govgate.sources.github import github_approvals

        return github_approvals(env, roster, retries=retries)
    if env.get("GITLAB_CI") == "true":
        from govgate.sources.gitlab import gitlab_approvals

        return gitlab_approvals(env, roster, retries=retries)
    return [], None
