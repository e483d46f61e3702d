"""`govgate validate` on a model repository: every document govgate reads is checked by its
`kind:`, other tools' YAML is skipped (even YAML that is not YAML, such as a Helm template), and
a named file that is not a govgate document is a problem unless `--skip-foreign` says otherwise
(the pre-commit hook's way)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import EXAMPLES

HELM_TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-scorer
spec:
  replicas: {{ .Values.replicaCount }}
  {{- if .Values.probe }}
  template: {{ toYaml .Values.template | nindent 4 }}
  {{- end }}
"""


def model_repo(make_repo: Callable[..., Path]) -> Path:
    return make_repo(
        {
            "charts/scorer/templates/deployment.yaml": HELM_TEMPLATE,
            "charts/scorer/values.yaml": "replicaCount: 2\n",
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
        },
        base=EXAMPLES / "credit-risk",
    )


def test_a_folder_checks_govgates_documents_and_skips_other_yaml(
    govgate, make_repo: Callable[..., Path]
) -> None:
    repo = model_repo(make_repo)
    run = govgate("validate", ".", cwd=repo)
    assert run.code == 0, run.stderr
    # govgate.yaml, approvals, exceptions; the chart's two files, the risk assessment and the
    # monitoring plan skipped (.github is a dot folder: not looked at)
    assert run.stdout.strip() == (
        "govgate: 3 file(s) checked, 4 skipped (not govgate documents), 0 problem(s)"
    )


def test_a_broken_approvals_file_is_found_among_them_at_its_line(
    govgate, make_repo: Callable[..., Path]
) -> None:
    repo = model_repo(make_repo)
    approvals = repo / "governance" / "approvals.yaml"
    approvals.write_text(approvals.read_text().replace("role: privacy", "role: [privacy"))
    run = govgate("validate", ".", cwd=repo)
    assert run.code == 2
    assert run.stderr.startswith("governance/approvals.yaml:")
    assert "1 problem(s)" in run.stdout


def test_a_named_foreign_file_is_a_problem_unless_skip_foreign(
    govgate, make_repo: Callable[..., Path]
) -> None:
    repo = model_repo(make_repo)
    named = ["charts/scorer/templates/deployment.yaml", "governance/exceptions.yaml"]
    strict = govgate("validate", *named, cwd=repo)
    assert strict.code == 2 and "deployment.yaml" in strict.stderr
    hook = govgate("validate", "--skip-foreign", *named, cwd=repo)
    assert hook.code == 0, hook.stderr
    assert "1 file(s) checked, 1 skipped" in hook.stdout
