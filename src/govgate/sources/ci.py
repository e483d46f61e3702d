"""CI context from GitHub Actions' and GitLab CI's documented variables; tokens are never read."""

from __future__ import annotations

from collections.abc import Mapping

from govgate.facts import CiFacts


def ci_facts(env: Mapping[str, str]) -> CiFacts:
    if env.get("GITHUB_ACTIONS") == "true":
        return _github(env)
    if env.get("GITLAB_CI") == "true":
        return _gitlab(env)
    return CiFacts(provider="local")


def _github(env: Mapping[str, str]) -> CiFacts:
    server = env.get("GITHUB_SERVER_URL", "https://github.com")
    repo = env.get("GITHUB_REPOSITORY")
    run_id = env.get("GITHUB_RUN_ID")
    run_url = f"{server}/{repo}/actions/runs/{run_id}" if repo and run_id else None
    ref = env.get("GITHUB_REF")
    pull = None
    if ref and ref.startswith("refs/pull/"):
        pull = ref.split("/")[2]
    return CiFacts(
        provider="github",
        repository=repo,
        ref=ref,
        sha=env.get("GITHUB_SHA"),
        event=env.get("GITHUB_EVENT_NAME"),
        actor=env.get("GITHUB_ACTOR"),
        run_id=run_id,
        run_url=run_url,
        pull_request=pull,
    )


def _gitlab(env: Mapping[str, str]) -> CiFacts:
    return CiFacts(
        provider="gitlab",
        repository=env.get("CI_PROJECT_PATH"),
        ref=env.get("CI_COMMIT_REF_NAME"),
        sha=env.get("CI_COMMIT_SHA"),
        event=env.get("CI_PIPELINE_SOURCE"),
        actor=env.get("GITLAB_USER_LOGIN"),
        run_id=env.get("CI_PIPELINE_ID"),
        run_url=env.get("CI_PIPELINE_URL"),
        pull_request=env.get("CI_MERGE_REQUEST_IID"),
    )
