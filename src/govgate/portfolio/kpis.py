"""The portfolio model and its KPIs, computed from collected versions; formats only render it.

Every rate is a count over a denominator, both kept, so a reader can check the arithmetic; a
rate over nothing is None (null), never 0 or 100%.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from govgate import __version__
from govgate.jsonable import to_jsonable
from govgate.portfolio.collect import Collected, GovernedVersion
from govgate.sources.base import Input
from govgate.sources.mlflow.base import VersionSearch

PORTFOLIO_SCHEMA = "govgate/portfolio/v1"
STALE_AFTER_DAYS = 90
TRACE_TAGS = ("report_sha256", "policy_digest", "report_uri")


@dataclass(frozen=True, kw_only=True)
class Kpis:
    """The KPIs of a set of model versions (the registry, or one registered model)."""

    versions: int
    gated: int  # carry a govgate.verdict tag
    coverage: float | None  # gated / versions
    passed: int  # gated with verdict pass
    pass_rate: float | None  # passed / gated
    traceable: int  # gated with report_sha256, policy_digest and report_uri all set
    traceability: float | None  # traceable / gated
    with_exceptions: int  # gated with govgate.waived > 0
    exception_rate: float | None  # with_exceptions / gated
    monitoring_ready: int  # gated with govgate.monitoring == pass
    monitoring_readiness: float | None  # monitoring_ready / gated
    stale: int  # gated, evaluated more than stale_after_days before as_of (or at no legible time)
    ungated: int  # versions - gated


@dataclass(frozen=True, kw_only=True)
class ModelKpis:
    name: str
    kpis: Kpis


@dataclass(frozen=True, kw_only=True)
class VersionRef:
    """A version a governance lead has to act on."""

    model: str
    version: str
    created_at: datetime | None = None
    verdict: str | None = None
    evaluated_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Portfolio:
    schema: str = PORTFOLIO_SCHEMA
    govgate_version: str = __version__
    as_of: datetime
    tracking_uri: str
    filter: str | None = None
    stale_after_days: int = STALE_AFTER_DAYS
    kpis: Kpis
    models: list[ModelKpis] = field(default_factory=list)
    ungated: list[VersionRef] = field(default_factory=list)
    stale: list[VersionRef] = field(default_factory=list)
    pages: int = 0
    requests: int = 0
    duplicates_dropped: int = 0
    inputs: list[Input] = field(default_factory=list)
    duration_ms: float = 0.0

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = to_jsonable(self)
        return document


def compute(
    collected: Collected,
    *,
    as_of: datetime,
    tracking_uri: str,
    search: VersionSearch | None = None,
    stale_after_days: int = STALE_AFTER_DAYS,
    duration_ms: float = 0.0,
) -> Portfolio:
    cutoff = as_of - timedelta(days=stale_after_days)
    versions = collected.versions
    by_model = groupby(sorted(versions, key=lambda v: v.model), key=lambda v: v.model)
    return Portfolio(
        as_of=as_of,
        tracking_uri=tracking_uri,
        filter=search.filter if search else None,
        stale_after_days=stale_after_days,
        kpis=kpis(versions, cutoff),
        models=[ModelKpis(name=name, kpis=kpis(list(group), cutoff)) for name, group in by_model],
        ungated=[_ref(v) for v in versions if not v.gated],
        stale=[_ref(v) for v in versions if is_stale(v, cutoff)],
        pages=len(collected.inputs),
        requests=collected.requests,
        duplicates_dropped=collected.duplicates,
        inputs=collected.inputs,
        duration_ms=duration_ms,
    )


def kpis(versions: Sequence[GovernedVersion], stale_cutoff: datetime) -> Kpis:
    gated = [v for v in versions if v.gated]
    passed = sum(v.verdict == "pass" for v in gated)
    traceable = sum(all(getattr(v, t) for t in TRACE_TAGS) for v in gated)
    with_exceptions = sum((v.waived or 0) > 0 for v in gated)
    ready = sum(v.monitoring == "pass" for v in gated)
    return Kpis(
        versions=len(versions),
        gated=len(gated),
        coverage=rate(len(gated), len(versions)),
        passed=passed,
        pass_rate=rate(passed, len(gated)),
        traceable=traceable,
        traceability=rate(traceable, len(gated)),
        with_exceptions=with_exceptions,
        exception_rate=rate(with_exceptions, len(gated)),
        monitoring_ready=ready,
        monitoring_readiness=rate(ready, len(gated)),
        stale=sum(is_stale(v, stale_cutoff) for v in gated),
        ungated=len(versions) - len(gated),
    )


def is_stale(version: GovernedVersion, cutoff: datetime) -> bool:
    """Gated, and its evaluation is older than the cutoff or its time cannot be read."""
    if not version.gated:
        return False
    return version.evaluated_at is None or version.evaluated_at < cutoff


def rate(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def _ref(version: GovernedVersion) -> VersionRef:
    return VersionRef(
        model=version.model,
        version=version.version,
        created_at=version.created_at,
        verdict=version.verdict,
        evaluated_at=version.evaluated_at,
    )
