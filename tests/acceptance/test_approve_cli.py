"""`govgate approve` through the CLI: approvals bound to the evidence they approved."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from govgate.approvals.model import ApprovalList
from govgate.yamlio import parse_yaml
from tests.conftest import EXAMPLES, ROOT, git

AT = "2026-11-26T12:00:00Z"
UNFILLED_DATASHEET = ROOT / "rules" / "tests" / "fixtures" / "datasheet-template-unfilled.md"
SIGN_OFFS = (
    ("model_risk", "lee@example.com", "2026-11-18", "MRC-2026-11 minutes, item 4"),
    ("privacy", "sam@example.com", "2026-11-19", "DPIA-0042"),
    ("security", "kim@example.com", "2026-11-19", "SEC-REVIEW-311"),
)
UNBOUND = """\
apiVersion: govgate/v1
kind: ApprovalList
approvals:
  - {role: model_risk, by: lee@example.com, on: 2026-11-18, covers: {model: credit-risk}}
  - {role: privacy, by: sam@example.com, on: 2026-11-19, covers: {model: credit-risk}}
  - {role: security, by: kim@example.com, on: 2026-11-19, covers: {model: credit-risk}}
"""


def read_yaml(path: Path) -> dict:
    """As govgate reads it (YAML 1.2: `on:` is a key, not True)."""
    data = parse_yaml(path.read_text(), str(path)).data
    assert isinstance(data, dict)
    return data


def appr(out: Path) -> dict:
    report = json.loads((out / "report.json").read_text())
    return next(f for f in report["findings"] if f["rule_id"] == "APPR-001")


def unapproved_example(make_repo: Callable[..., Path]) -> Path:
    """The complete example with no approvals file: every sign-off is to be given."""
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    (repo / "governance" / "approvals.yaml").unlink()
    return repo


def approve(govgate, repo: Path, role: str, by: str, on: str, *extra: str):
    """`govgate approve`, then the approver commits the entry (only their commit makes it count)."""
    run = govgate("approve", "--repo", str(repo), "--role", role, "--by", by, "--on", on, *extra)
    if run.code == 0:
        git(repo, "add", "-A")
        subprocess.run(
            ["git", "-c", f"user.name={by}", "-c", f"user.email={by}", "commit", "-qm", role],
            cwd=repo,
            check=True,
        )
    return run


def check(govgate, repo: Path, out: Path, *extra: str):
    return govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT, *extra)


def test_approving_every_role_passes_the_gate(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = unapproved_example(make_repo)
    for role, by, on, ref in SIGN_OFFS:
        run = approve(govgate, repo, role, by, on, "--ref", ref)
        assert run.code == 0, run.stderr
        assert f"{role}" in run.stdout and "governance/approvals.yaml" in run.stdout
        assert run.stderr == ""
    written = read_yaml(repo / "governance" / "approvals.yaml")
    assert written["kind"] == "ApprovalList" and len(written["approvals"]) == 3
    facts = json.loads(govgate("facts", "--repo", str(repo)).stdout)
    first = written["approvals"][0]
    assert first["role"] == "model_risk" and first["by"] == "lee@example.com"
    assert str(first["on"]) == "2026-11-18" and first["ref"] == "MRC-2026-11 minutes, item 4"
    assert first["covers"]["model"] == "credit-risk" and first["covers"]["version"] == "7"
    assert first["covers"]["evidence_digest"] == facts["evidence_digest"]
    assert first["covers"]["artifacts"] == {
        name: artifact["sha256"] for name, artifact in facts["artifacts"].items()
    }
    out = tmp_path / "out"
    result = check(govgate, repo, out)
    assert result.code == 0, result.stdout
    assert appr(out)["status"] == "pass"


def test_swapping_the_datasheet_after_approval_voids_it_naming_the_datasheet(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = unapproved_example(make_repo)
    for role, by, on, ref in SIGN_OFFS:
        assert approve(govgate, repo, role, by, on, "--ref", ref).code == 0
    (repo / "docs" / "datasheet.md").write_bytes(UNFILLED_DATASHEET.read_bytes())
    out = tmp_path / "out"
    result = check(govgate, repo, out)
    assert result.code == 1
    finding = appr(out)
    assert finding["status"] == "fail"
    void = [e["message"] for e in finding["evidence"] if "after it was given" in e["message"]]
    assert len(void) == 3
    assert all("(datasheet changed)" in message for message in void), void
    assert "model_card" not in " ".join(void)


def test_an_approval_recording_no_digest_is_void_at_the_high_tier(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({"governance/approvals.yaml": UNBOUND}, base=EXAMPLES / "credit-risk")
    out = tmp_path / "out"
    result = check(govgate, repo, out)
    assert result.code == 1
    finding = appr(out)
    assert finding["status"] == "fail"
    reasons = [e for e in finding["evidence"] if "records no evidence digest" in e["message"]]
    assert len(reasons) == 3
    assert reasons[0]["message"] == (
        "file approval by lee@example.com (model_risk) records no evidence digest: "
        "approve with `govgate approve`"
    )
    location = reasons[0]["location"]
    assert (location["path"], location["line"]) == ("governance/approvals.yaml", 4)


def test_an_approval_recording_no_digest_still_counts_at_the_medium_tier(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({"governance/approvals.yaml": UNBOUND}, base=EXAMPLES / "credit-risk")
    out = tmp_path / "out"
    check(govgate, repo, out, "--risk-tier", "medium")
    assert appr(out)["status"] == "pass"


def test_comments_and_layout_of_the_approvals_file_survive(
    govgate, make_repo: Callable[..., Path]
) -> None:
    original = """\
# Sign-offs for credit-risk. Reviewed at every model risk committee.
apiVersion: govgate/v1
kind: ApprovalList

approvals:
  # The committee of 2026-11-18
  - role: model_risk   # chair
    by: lee@example.com
    on: 2026-11-18
    covers:
      model: credit-risk
    ref: "MRC-2026-11 minutes, item 4"  # minutes are in the wiki

  # Privacy came a day later.
  - role: privacy
    by: sam@example.com
    on: 2026-11-19
    covers:
      model: credit-risk
    ref: "DPIA-0042"
# end of approvals: keep this line last
"""
    repo = make_repo({"governance/approvals.yaml": original}, base=EXAMPLES / "credit-risk")
    path = repo / "governance" / "approvals.yaml"
    run = approve(govgate, repo, "security", "kim@example.com", "2026-11-19", "--ref", "SEC-311")
    assert run.code == 0, run.stderr
    after = path.read_text()
    old, new = original.splitlines(), after.splitlines()
    assert new[: len(old) - 1] == old[:-1]  # every line kept, byte for byte, in its place
    assert new[-1] == "# end of approvals: keep this line last"
    added = new[len(old) - 1 : -1]
    assert added[0] == ""  # entries are separated by a blank line here, so the new one is too
    assert added[1] == "  - role: security"
    assert '    ref: "SEC-311"' in added  # quoted like the entries before it
    assert "    covers:" in added and "      model: credit-risk" in added
    entries = read_yaml(path)["approvals"]
    assert [e["role"] for e in entries] == ["model_risk", "privacy", "security"]
    assert len(entries[2]["covers"]["evidence_digest"]) == 64
    ApprovalList.model_validate(read_yaml(path))  # as `govgate check` reads the file


def test_an_approver_outside_the_roles_roster_is_refused(
    govgate, make_repo: Callable[..., Path]
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    path = repo / "governance" / "approvals.yaml"
    before = path.read_bytes()
    run = approve(govgate, repo, "privacy", "eve@example.com", "2026-11-19")
    assert run.code == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert lines[0].startswith("govgate: error: ")
    assert "eve@example.com is not in the privacy roster" in lines[0]
    assert "sam@example.com" in lines[0]
    assert path.read_bytes() == before


def test_an_unknown_role_is_refused_naming_the_roles(
    govgate, make_repo: Callable[..., Path]
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    run = approve(govgate, repo, "legal", "lee@example.com", "2026-11-19")
    assert run.code == 2
    assert "role 'legal' is not in the `roles:` of govgate.yaml" in run.stderr
    assert "model_risk, privacy, security" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_a_rejection_is_recorded_and_fails_the_role(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = unapproved_example(make_repo)
    for role, by, on, _ in SIGN_OFFS[:2]:
        assert approve(govgate, repo, role, by, on).code == 0
    run = approve(
        govgate, repo, "security", "kim@example.com", "2026-11-19", "--decision", "rejected"
    )
    assert run.code == 0, run.stderr
    entries = read_yaml(repo / "governance" / "approvals.yaml")["approvals"]
    assert entries[2]["decision"] == "rejected" and "decision" not in entries[0]
    out = tmp_path / "out"
    assert check(govgate, repo, out).code == 1
    assert "security needs approval but kim@example.com rejected it" in appr(out)["message"]


def test_an_approvals_file_outside_the_repository_is_refused(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    config = repo / "govgate.yaml"
    config.write_text(
        config.read_text().replace(
            "approvals: governance/approvals.yaml", "approvals: ../outside.yaml"
        )
    )
    run = approve(govgate, repo, "privacy", "sam@example.com", "2026-11-19")
    assert run.code == 2
    assert "govgate.yaml:15" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "outside.yaml").exists()


def test_without_a_version_the_approval_names_none_and_says_so(
    govgate, make_repo: Callable[..., Path]
) -> None:
    repo = unapproved_example(make_repo)
    config = repo / "govgate.yaml"
    config.write_text(
        config.read_text().replace('"models:/credit-risk/7"', '"models:/credit-risk@candidate"')
    )
    run = approve(govgate, repo, "privacy", "sam@example.com", "2026-11-19")
    assert run.code == 0, run.stderr
    assert "version unknown" in run.stdout
    entry = read_yaml(repo / "governance" / "approvals.yaml")["approvals"][0]
    assert "version" not in entry["covers"] and entry["covers"]["model"] == "credit-risk"


def test_a_date_after_today_is_refused(govgate, make_repo: Callable[..., Path]) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    run = approve(govgate, repo, "privacy", "sam@example.com", "2999-01-01")
    assert run.code == 2
    assert "--on 2999-01-01 is after today" in run.stderr


def test_the_examples_approvals_record_what_govgate_approve_computes(
    govgate, make_repo: Callable[..., Path]
) -> None:
    """examples/credit-risk is approved for its evidence as it is: `make demo` relies on it."""
    shipped = read_yaml(EXAMPLES / "credit-risk" / "governance" / "approvals.yaml")
    repo = unapproved_example(make_repo)
    for role, by, on, ref in SIGN_OFFS:
        assert approve(govgate, repo, role, by, on, "--ref", ref).code == 0
    fresh = read_yaml(repo / "governance" / "approvals.yaml")
    assert shipped["approvals"] == fresh["approvals"]
    card = EXAMPLES / "credit-risk" / "docs" / "model_card.md"
    digest = hashlib.sha256(card.read_bytes()).hexdigest()
    assert all(e["covers"]["artifacts"]["model_card"] == digest for e in shipped["approvals"])
