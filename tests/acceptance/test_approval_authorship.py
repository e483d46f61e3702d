"""An approvals-file entry counts only as its approver's own commit (issue 12, item 8).

`by:` is free text anyone with write access can type: the gate reads the git history of each
entry's lines and voids an entry that someone else committed, that is not committed, or whose
history a shallow clone cut off; where the pack asks for it, the commits must also be signed by
the approver (SSH signing checked against the repo's allowed-signers file).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import APPROVALS, EXAMPLES, git

AT = "2026-11-26T12:00:00Z"


def appr(out: Path) -> dict:
    report = json.loads((out / "report.json").read_text())
    return next(f for f in report["findings"] if f["rule_id"] == "APPR-001")


def void_notes(finding: dict) -> list[str]:
    return [e["message"] for e in finding["evidence"] if "approval by" in e["message"]]


def check(govgate, repo: Path, out: Path, *extra: str):
    return govgate("check", "--repo", str(repo), "--output-dir", str(out), "--at", AT, *extra)


def test_entries_committed_by_their_approvers_count(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    result = check(govgate, repo, tmp_path / "out")
    assert result.code == 0, result.stdout
    facts = json.loads(govgate("facts", "--repo", str(repo)).stdout)
    provenance = [a["provenance"] for a in facts["approvals"]]
    assert [p["commits"][0]["author"] for p in provenance] == [
        "lee@example.com <lee@example.com>",
        "sam@example.com <sam@example.com>",
        "kim@example.com <kim@example.com>",
    ]
    assert all(p["unattributed"] is None and p["others"] == [] for p in provenance)


def test_an_entry_typed_by_someone_else_is_void_and_the_finding_says_who(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    # Everything, approvals included, committed by test@example.com: nobody signed anything.
    repo = make_repo({}, base=EXAMPLES / "credit-risk", approvers_commit=False)
    out = tmp_path / "out"
    result = check(govgate, repo, out)
    assert result.code == 1, result.stdout
    finding = appr(out)
    assert finding["status"] == "fail"
    notes = void_notes(finding)
    assert len(notes) == 3
    assert all("was committed by test@example.com (" in n for n in notes)
    assert (
        "not by lee@example.com: an approvals entry counts only when its approver commits it"
        in (notes[0])
    )
    assert [
        e["location"]["line"] for e in finding["evidence"] if "approval by" in e["message"]
    ] == [
        5,
        10,
        15,
    ]


def test_one_line_changed_by_another_person_voids_that_entry_only(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    approvals = repo / APPROVALS
    # Kim moves Sam's sign-off to another ticket: Sam's entry is no longer Sam's own.
    approvals.write_text(approvals.read_text().replace("ref: DPIA-0042", "ref: DPIA-0099"))
    git(repo, "commit", "-qam", "tidy refs")
    out = tmp_path / "out"
    result = check(govgate, repo, out)
    assert result.code == 1
    notes = void_notes(appr(out))
    assert len(notes) == 1
    assert notes[0].startswith("file approval by sam@example.com (privacy) was committed by test@")
    assert "privacy needs 1 approval(s), has 0 valid" in appr(out)["message"]


def test_an_uncommitted_entry_is_void_until_its_approver_commits_it(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    approvals = repo / APPROVALS
    approvals.write_text(approvals.read_text().replace("item 4", "item 5"))
    out = tmp_path / "out"
    assert check(govgate, repo, out).code == 1
    [note] = void_notes(appr(out))
    assert "cannot be traced to lee@example.com: it has changes that are not committed" in note

    subprocess.run(
        ["git", "-c", "user.name=Lee", "-c", "user.email=lee@example.com", "commit", "-qam", "x"],
        cwd=repo,
        check=True,
    )
    assert check(govgate, repo, out).code == 0


def test_a_shallow_clone_cannot_tell_who_wrote_an_entry_and_never_passes_for_it(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True
    )
    out = tmp_path / "out"
    result = check(govgate, shallow, out)
    assert result.code == 2, result.stdout  # the card's age is unknown too (test_shallow_clone)
    assert appr(out)["status"] == "fail"
    notes = void_notes(appr(out))
    assert notes and all("the clone is shallow" in n and "fetch-depth: 0" in n for n in notes)

    full = tmp_path / "full"
    subprocess.run(["git", "clone", "-q", f"file://{repo}", str(full)], check=True)
    assert check(govgate, full, tmp_path / "out-full").code == 0


def test_a_commit_under_a_github_no_reply_address_is_its_login(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo({}, base=EXAMPLES / "credit-risk", approvers_commit=False)
    config = repo / "govgate.yaml"
    config.write_text(config.read_text().replace("[lee@example.com]", "[lee-risk]"))
    approvals = repo / APPROVALS
    approvals.write_text(approvals.read_text().replace("by: lee@example.com", "by: Lee-Risk"))
    git(repo, "commit", "-qam", "roster by login")
    text = approvals.read_text()
    head, entry, rest = text.partition("  - role: model_risk\n")
    body, sep, others = rest.partition("  - role: privacy\n")
    approvals.write_text(head + sep + others)
    git(repo, "commit", "-qam", "drop")
    approvals.write_text(head + entry + body + sep + others)
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Lee R",
            "-c",
            "user.email=4123+lee-risk@users.noreply.github.com",
            "commit",
            "-qam",
            "approve",
        ],
        cwd=repo,
        check=True,
    )
    out = tmp_path / "out"
    check(govgate, repo, out)
    notes = void_notes(appr(out))
    assert not any("Lee-Risk" in n for n in notes), notes
    assert len(notes) == 2  # sam's and kim's entries are still test@example.com's


SIGNED_PACK = """\
apiVersion: govgate/v1
kind: RulePack
metadata: {name: signed-approvals, version: 1.0.0}
rules:
  - id: SIGN-001
    title: High-tier sign-offs are signed commits of their approvers
    severity: blocking
    remediation: Each approver commits their own entry, signed with their registered key.
    check:
      kind: approvals
      require_signed: [high]
      required:
        high: [{role: model_risk}, {role: privacy}, {role: security}]
"""


@pytest.fixture
def ssh_keys(tmp_path: Path) -> dict[str, Path]:
    if not shutil.which("ssh-keygen"):
        pytest.skip("ssh-keygen is not installed: SSH commit signing cannot be tried")
    keys = {}
    for who in ("lee", "sam", "kim"):
        key = tmp_path / "keys" / who
        key.parent.mkdir(exist_ok=True)
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", str(key)], check=True
        )
        keys[f"{who}@example.com"] = key
    return keys


def signed_repo(
    make_repo: Callable[..., Path], keys: dict[str, Path], signer_of: dict[str, str | None]
) -> Path:
    """The example with the pack above; each approver's entry committed by them, signed with the
    key `signer_of` names (None: unsigned). The allowed-signers file lists all three keys."""
    signers = "".join(
        f"{who} {' '.join(key.with_suffix('.pub').read_text().split()[:2])}\n"
        for who, key in keys.items()
    )
    repo = make_repo(
        {"governance/allowed_signers": signers, "rules/signed.yaml": SIGNED_PACK},
        base=EXAMPLES / "credit-risk",
        approvers_commit=False,
    )
    config = repo / "govgate.yaml"
    config.write_text(
        config.read_text().replace("rules: [builtin:baseline]", "rules: [rules/signed.yaml]")
        + "approval_signers: governance/allowed_signers\n"
    )
    git(repo, "commit", "-qam", "signed approvals policy")
    approvals = repo / APPROVALS
    text = approvals.read_text()
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("  - ")]
    approvals.write_text("".join(lines[: starts[0]]))
    git(repo, "commit", "-qam", "approvals header")
    for n, start in enumerate(starts):
        entry = "".join(lines[start : starts[n + 1] if n + 1 < len(starts) else len(lines)])
        by = next(w for w in keys if f"by: {w}" in entry)
        with approvals.open("a") as handle:
            handle.write(entry)
        signer = signer_of[by]
        sign = (
            ["-c", "gpg.format=ssh", "-c", f"user.signingkey={keys[signer]}", "commit", "-S"]
            if signer
            else ["commit"]
        )
        subprocess.run(
            ["git", "-c", f"user.name={by}", "-c", f"user.email={by}", *sign, "-qam", by],
            cwd=repo,
            check=True,
        )
    return repo


def test_signed_commits_by_each_approver_pass_where_the_pack_asks_for_signatures(
    govgate, make_repo: Callable[..., Path], ssh_keys: dict[str, Path], tmp_path: Path
) -> None:
    repo = signed_repo(make_repo, ssh_keys, {w: w for w in ssh_keys})
    out = tmp_path / "out"
    result = check(govgate, repo, out)
    assert result.code == 0, result.stdout
    facts = json.loads(govgate("facts", "--repo", str(repo)).stdout)
    commits = [a["provenance"]["commits"][0] for a in facts["approvals"]]
    assert [(c["signature"], c["signer"]) for c in commits] == [
        ("good", "lee@example.com"),
        ("good", "sam@example.com"),
        ("good", "kim@example.com"),
    ]


def test_an_unsigned_commit_or_another_persons_key_voids_a_signed_tier_approval(
    govgate, make_repo: Callable[..., Path], ssh_keys: dict[str, Path], tmp_path: Path
) -> None:
    signer_of: dict[str, str | None] = {
        "lee@example.com": None,
        "sam@example.com": "kim@example.com",
        "kim@example.com": "kim@example.com",
    }
    repo = signed_repo(make_repo, ssh_keys, signer_of)
    out = tmp_path / "out"
    result = check(govgate, repo, out)
    assert result.code == 1, result.stdout
    finding = next(
        f
        for f in json.loads((out / "report.json").read_text())["findings"]
        if f["rule_id"] == "SIGN-001"
    )
    notes = void_notes(finding)
    assert len(notes) == 2
    assert "approval by lee@example.com (model_risk) is not signed by lee@example.com: " in notes[0]
    assert notes[0].endswith(": none")
    assert "is not signed by sam@example.com: " in notes[1]
    assert notes[1].endswith("signed by kim@example.com")


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("../outside", "'../outside' resolves to"),
        ("governance/no_such_file", "approval_signers 'governance/no_such_file' (govgate.yaml)"),
    ],
)
def test_an_allowed_signers_file_outside_the_repo_or_missing_is_an_error(
    govgate, make_repo: Callable[..., Path], tmp_path: Path, path: str, said: str
) -> None:
    (tmp_path / "outside").write_text("lee@example.com ssh-ed25519 AAAA\n")
    repo = make_repo({}, base=EXAMPLES / "credit-risk")
    config = repo / "govgate.yaml"
    config.write_text(config.read_text() + f"approval_signers: {path}\n")
    result = check(govgate, repo, tmp_path / "out")
    assert result.code == 2
    assert said in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_an_approvals_file_reached_through_a_symlink_is_traced_in_the_file_it_points_to(
    govgate, make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    # The entries sit in another file, committed by test@example.com; approvals.yaml links to
    # it. The link's own history (one line: the target's name) must not stand for the entries'.
    repo = make_repo({}, base=EXAMPLES / "credit-risk", approvers_commit=False)
    (repo / APPROVALS).rename(repo / "governance" / "signed-off.yaml")
    (repo / APPROVALS).symlink_to("signed-off.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "approvals moved behind a link")
    out = tmp_path / "out"
    assert check(govgate, repo, out).code == 1
    notes = void_notes(appr(out))
    assert len(notes) == 3 and all("was committed by test@example.com" in n for n in notes)
