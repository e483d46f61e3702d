"""KPIs on fixed versions: every count, every rate, and the edges (no denominator, staleness)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from govgate.portfolio.collect import Collected, GovernedVersion
from govgate.portfolio.kpis import Kpis, compute, is_stale, kpis
from govgate.sources.mlflow.base import VersionSearch

AS_OF = datetime(2026, 11, 26, 12, tzinfo=UTC)
CUTOFF = AS_OF - timedelta(days=90)
TRACED = {"report_sha256": "a" * 64, "policy_digest": "b" * 64, "report_uri": "mlflow-artifacts:/r"}


def version(model: str, number: str, **tags: object) -> GovernedVersion:
    return GovernedVersion(model=model, version=number, **tags)  # type: ignore[arg-type]


RECENT = AS_OF - timedelta(days=3)
VERSIONS = [
    version("a", "1", verdict="pass", evaluated_at=RECENT, waived=0, monitoring="pass", **TRACED),
    version("a", "2", verdict="pass", evaluated_at=RECENT, waived=2, monitoring="none", **TRACED),
    version("a", "3", verdict="fail", evaluated_at=CUTOFF - timedelta(seconds=1), **TRACED),
    version("a", "4"),
    version("b", "1", verdict="error", evaluated_at=RECENT, monitoring="fail", report_sha256="c"),
    version("b", "2"),
    version("b", "3"),
    version("c", "1", verdict="pass", evaluated_at=None, waived=None, monitoring="pass"),
]


def test_every_kpi_over_the_whole_portfolio() -> None:
    assert kpis(VERSIONS, CUTOFF) == Kpis(
        versions=8,
        gated=5,
        coverage=0.625,
        passed=3,
        pass_rate=0.6,
        traceable=3,  # b/1 lacks policy_digest and report_uri, c/1 has none of them
        traceability=0.6,
        with_exceptions=1,  # waived None (an older govgate) counts as no exception
        exception_rate=0.2,
        monitoring_ready=2,
        monitoring_readiness=0.4,
        stale=2,  # a/3 one second past the cutoff; c/1 at no legible time
        ungated=3,
    )


def test_per_model_kpis_and_lists() -> None:
    portfolio = compute(
        Collected(versions=VERSIONS, requests=2),
        as_of=AS_OF,
        tracking_uri="https://mlflow.example.com",
        search=VersionSearch(filter="name LIKE '%'", page_size=5),
    )
    by_model = {m.name: m.kpis for m in portfolio.models}
    assert list(by_model) == ["a", "b", "c"]
    assert (by_model["a"].versions, by_model["a"].gated, by_model["a"].coverage) == (4, 3, 0.75)
    assert by_model["b"].pass_rate == 0.0 and by_model["b"].traceability == 0.0
    assert by_model["c"].stale == 1
    assert [(r.model, r.version) for r in portfolio.ungated] == [("a", "4"), ("b", "2"), ("b", "3")]
    assert [(r.model, r.version) for r in portfolio.stale] == [("a", "3"), ("c", "1")]
    assert portfolio.filter == "name LIKE '%'" and portfolio.requests == 2
    assert portfolio.to_document()["schema"] == "govgate/portfolio/v1"


def test_no_versions_gives_no_rates_rather_than_zero_or_full_marks() -> None:
    empty = kpis([], CUTOFF)
    assert empty.versions == empty.gated == 0
    assert empty.coverage is None and empty.pass_rate is None
    ungated_only = kpis([version("a", "1")], CUTOFF)
    assert ungated_only.coverage == 0.0 and ungated_only.traceability is None


def test_staleness_is_strictly_older_than_the_cutoff_and_only_for_gated_versions() -> None:
    assert not is_stale(version("a", "1", verdict="pass", evaluated_at=CUTOFF), CUTOFF)
    assert is_stale(
        version("a", "1", verdict="pass", evaluated_at=CUTOFF - timedelta(microseconds=1)), CUTOFF
    )
    assert not is_stale(version("a", "1"), CUTOFF)  # ungated: listed as ungated, not stale


def test_a_shorter_stale_window() -> None:
    portfolio = compute(
        Collected(versions=VERSIONS), as_of=AS_OF, tracking_uri="u", stale_after_days=2
    )
    assert portfolio.kpis.stale == 5 and portfolio.stale_after_days == 2
