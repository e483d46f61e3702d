#!/usr/bin/env bash
# `make demo`: run the gate on the bundled examples and say where the evidence is.
# The complete example must pass (exit 0); the incomplete one must fail (exit 1), never error.
set -uo pipefail
govgate=${1:-govgate}
out=govgate-report
# The examples' evidence is dated (approvals of 2026-11-18, a risk review of 2026-10-20): judge
# them as of their release day, so the demo gives the same answer whenever it is run.
at=2026-11-26T12:00:00Z

# An approvals entry counts only as its approver's own commit: the demo makes the example its own
# git repository where the release engineer commits the evidence and each approver records and
# commits their sign-off with `govgate approve`, as a team would.
repo="$out/repos/credit-risk"
rm -rf "$repo" && mkdir -p "$(dirname "$repo")" && cp -R examples/credit-risk "$repo"
as() { git -C "$repo" -c "user.name=$1" -c "user.email=$1" "${@:2}"; }
rm "$repo/governance/approvals.yaml"
as ml-release@example.com init -q -b main
as ml-release@example.com add -A
as ml-release@example.com commit -q -m "credit-risk v7: evidence for release"
approve() {  # role, approver, day, reference
  "$govgate" approve --repo "$repo" --role "$1" --by "$2" --on "$3" --ref "$4" >/dev/null &&
    as "$2" add governance/approvals.yaml && as "$2" commit -q -m "$1 sign-off"
}
approve model_risk lee@example.com 2026-11-18 "MRC-2026-11 minutes, item 4"
approve privacy sam@example.com 2026-11-19 DPIA-0042
approve security kim@example.com 2026-11-19 SEC-REVIEW-311

echo "== examples/credit-risk: a complete high-tier release, each sign-off committed by its approver"
"$govgate" check --repo "$repo" --output-dir "$out/credit-risk" --at "$at"
pass_code=$?

echo
echo "== examples/credit-risk-incomplete: the Hugging Face card template, no datasheet, no monitoring"
"$govgate" check --repo examples/credit-risk-incomplete --output-dir "$out/credit-risk-incomplete" \
  --at "$at"
fail_code=$?

echo
echo "== examples/credit-risk with its MLflow registry (embedded sqlite, no server needed)"
python=$(dirname "$govgate")/python
uri=$("$python" examples/mlflow/seed_registry.py "$out/demo-registry" 2>/dev/null | tail -1)
"$govgate" check --repo "$repo" --output-dir "$out/credit-risk-mlflow" \
  --model models:/credit-risk@candidate --tracking-uri "$uri" \
  --rules examples/mlflow/release-pack.yaml --rules examples/mlflow/model-files-pack.yaml \
  --publish --at "$at"
mlflow_code=$?

echo
echo "The reports are in $out/credit-risk/report.json, $out/credit-risk-incomplete/report.json"
echo "and $out/credit-risk-mlflow/report.json (also uploaded to the candidate's run; its verdict"
echo "is tagged on models:/credit-risk/7 in $uri)."
echo "Each folder also has report.html, the page an approver reads: open it in a browser."
echo "Try: $govgate explain CARD-003    |    $govgate facts --repo $repo"
if [ "$pass_code" -ne 0 ] || [ "$fail_code" -ne 1 ] || [ "$mlflow_code" -ne 0 ]; then
  echo "demo: unexpected exit codes (complete: $pass_code, expected 0; incomplete: $fail_code," \
    "expected 1; with MLflow: $mlflow_code, expected 0)" >&2
  exit 1
fi
