"""`require_evidence`: a recorded digest is required only where asked, and must be compared."""

from __future__ import annotations

from pathlib import Path

import pytest

from govgate.errors import RuleError
from govgate.rules.loader import load_packs

PACK = """\
apiVersion: govgate/v1
kind: RulePack
metadata: {{name: house, version: 0.1.0}}
rules:
  - id: HOUSE-APPR
    title: Approved
    severity: blocking
    controls: [x]
    remediation: Run `govgate approve`.
    check:
      kind: approvals
      bind_to_evidence: {bind}
      require_evidence: [high]
      required: {{high: [{{role: model_risk}}]}}
"""


def test_require_evidence_without_comparing_the_digests_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "house.yaml"
    path.write_text(PACK.format(bind="false"))
    with pytest.raises(RuleError) as raised:
        load_packs([str(path)], tmp_path)
    assert "require_evidence needs bind_to_evidence" in str(raised.value)
    assert str(raised.value).startswith("house.yaml:10:5: rules[0].check:")


def test_require_evidence_loads_with_the_digests_compared(tmp_path: Path) -> None:
    path = tmp_path / "house.yaml"
    path.write_text(PACK.format(bind="true"))
    (loaded,) = load_packs([str(path)], tmp_path)
    assert loaded.rules[0].rule.check.require_evidence == ["high"]
