"""Read every model version of a registry, page by page, keeping only what `--publish` left."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from govgate.sources.base import Input
from govgate.sources.mlflow.base import JsonObject, MlflowError, RegistryBackend, VersionSearch
from govgate.utc import parse_iso

VERDICT = "govgate.verdict"
REPORT_SHA256 = "govgate.report_sha256"
POLICY_DIGEST = "govgate.policy_digest"
REPORT_URI = "govgate.report_uri"
EVALUATED_AT = "govgate.evaluated_at"
WAIVED = "govgate.waived"
MONITORING = "govgate.monitoring"


@dataclass(frozen=True, kw_only=True)
class GovernedVersion:
    """One model version as govgate sees it: its identity and govgate's tags, parsed.

    A tag that is absent or empty reads as None: search results omit empty fields, and a
    version published by an older govgate has no `govgate.waived` or `govgate.monitoring`.
    """

    model: str
    version: str
    created_at: datetime | None = None
    verdict: str | None = None
    report_sha256: str | None = None
    policy_digest: str | None = None
    report_uri: str | None = None
    evaluated_at: datetime | None = None  # None also when the tag is not ISO 8601
    waived: int | None = None  # None also when the tag is not a whole number
    monitoring: str | None = None

    @property
    def gated(self) -> bool:
        return self.verdict is not None


@dataclass(frozen=True, kw_only=True)
class Collected:
    versions: list[GovernedVersion] = field(default_factory=list)  # by model, then version
    inputs: list[Input] = field(default_factory=list)  # one per page, like any other call
    duplicates: int = 0  # versions a later page repeated: offset paging while the registry changed
    requests: int = 0


def collect(backend: RegistryBackend, search: VersionSearch) -> Collected:
    """Every version the search returns, one request per page; raises MlflowError on a fault."""
    started_calls = backend.calls
    found: dict[tuple[str, str], GovernedVersion] = {}
    inputs: list[Input] = []
    duplicates = 0
    for page, body in enumerate(backend.search_model_versions(search), start=1):
        call = f"model-versions/search page {page}"
        items: list[JsonObject] = body.get("model_versions", [])
        inputs.append(_page_input(backend.display_uri, call, body, items))
        for item in items:
            version = governed_version(item, f"MLflow {backend.display_uri} {call}")
            key = (version.model, version.version)
            if key in found:
                duplicates += 1
                continue
            found[key] = version
    return Collected(
        versions=sorted(found.values(), key=version_order),
        inputs=inputs,
        duplicates=duplicates,
        requests=backend.calls - started_calls,
    )


def version_order(version: GovernedVersion) -> tuple[str, int, str]:
    """By model name, then version number (numerically: 10 after 9)."""
    number = int(version.version) if version.version.isdigit() else -1
    return (version.model, number, version.version)


def governed_version(item: JsonObject, where: str) -> GovernedVersion:
    name, number = item.get("name"), item.get("version")
    if not isinstance(name, str) or not name or number in (None, ""):
        raise MlflowError(f"{where}: malformed response (a model version without name or version)")
    tags = {
        str(t["key"]): str(t.get("value") or "")
        for t in item.get("tags") or []
        if isinstance(t, dict) and "key" in t
    }

    def tag(key: str) -> str | None:
        return tags.get(key) or None

    return GovernedVersion(
        model=name,
        version=str(number),
        created_at=_millis(item.get("creation_timestamp")),
        verdict=tag(VERDICT),
        report_sha256=tag(REPORT_SHA256),
        policy_digest=tag(POLICY_DIGEST),
        report_uri=tag(REPORT_URI),
        evaluated_at=_iso(tag(EVALUATED_AT)),
        waived=int(tags[WAIVED]) if tags.get(WAIVED, "").isdigit() else None,
        monitoring=tag(MONITORING),
    )


def _page_input(display_uri: str, call: str, body: JsonObject, items: list[JsonObject]) -> Input:
    """The page's digest, and the newest update it holds as its identity."""
    raw = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    stamps = [str(i.get("last_updated_timestamp", "")) for i in items]
    newest = max((int(s) for s in stamps if s.isdigit()), default=None)
    return Input(
        kind="mlflow",
        location=f"{display_uri} {call}",
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        identity=f"versions={len(items)}"
        + (f" last_updated_timestamp<={newest}" if newest is not None else ""),
    )


def _millis(value: object) -> datetime | None:
    text = str(value or "")
    return datetime.fromtimestamp(int(text) / 1000, tz=UTC) if text.isdigit() else None


def _iso(text: str | None) -> datetime | None:
    return parse_iso(text)
