"""Case files see the same evidence digest as the gate, so digest-bound approvals can be tested."""

from __future__ import annotations

from pathlib import Path

import yaml

from govgate.artifacts.vocabulary import builtin_vocabulary
from govgate.casetest.cases import run_all
from govgate.config import ArtifactSpec
from govgate.facts import evidence_digest
from govgate.sources.repo import read_artifact
from govgate.yamlio import DEFAULT_MAX_BYTES
from tests.conftest import EXAMPLES

ARTIFACTS = {
    "model_card": "docs/model_card.md",
    "risk_assessment": "governance/risk_assessment.yaml",
    "datasheet": "docs/datasheet.md",
    "evaluation_report": "reports/evaluation.md",
    "monitoring": "monitoring/monitoring.yaml",
}
ROLES = {"model_risk": ["lee@example.com"], "privacy": ["sam@example.com"],
         "security": ["kim@example.com"]}  # fmt: skip


def _digest() -> str:
    root = EXAMPLES / "credit-risk"
    return evidence_digest(
        {
            name: read_artifact(
                root, name, ArtifactSpec(path=rel), DEFAULT_MAX_BYTES, builtin_vocabulary()
            )
            for name, rel in ARTIFACTS.items()
        }
    )


def _case(name: str, digest: str, expect: str) -> dict[str, object]:
    approvals = [
        {"by": by[0], "on": "2026-11-19T00:00:00Z", "source": "file", "role": role,
         "evidence_digest": digest, "provenance": {}}
        for role, by in ROLES.items()
    ]  # fmt: skip
    return {
        "name": name,
        "at": "2026-11-26",
        "patch": {"roles": ROLES, "approvals": approvals},
        "expect": {"APPR-001": expect},
    }


def test_approvals_bound_to_the_evidence_digest_hold_only_for_that_evidence(
    tmp_path: Path,
) -> None:
    root = EXAMPLES / "credit-risk"
    cases = {
        "apiVersion": "govgate/v1",
        "kind": "RuleTests",
        "packs": ["builtin:baseline"],
        "variants": [["builtin:baseline-rego"]],
        "base": {
            "subject": {"name": "credit-risk", "version": "7", "risk_tier": "high"},
            "artifacts": {name: str(root / rel) for name, rel in ARTIFACTS.items()},
        },
        "cases": [
            _case("approved for exactly this evidence", _digest(), "pass"),
            _case("approved for other evidence", "0" * 64, "fail"),
        ],
    }
    path = tmp_path / "digest.tests.yaml"
    path.write_text(yaml.safe_dump(cases, sort_keys=False))
    runs = run_all(path)  # the YAML pack, then the Rego translation
    mismatches = [(f.variant, r.case, r.mismatches()) for f in runs for r in f.results]
    assert mismatches == [
        (variant, case, [])
        for variant in (None, ("builtin:baseline-rego",))
        for case in ("approved for exactly this evidence", "approved for other evidence")
    ]
