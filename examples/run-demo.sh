#!/usr/bin/env bash
# `make demo`: run the gate on the bundled examples and say where the evidence is.
# The complete example must pass (exit 0); the incomplete one must fail (exit 1), never error.
set -uo pipefail
govgate=${1:-govgate}
out=govgate-report
# The examples' evidence is dated (approvals of 2026-11-18, a risk review of 2026-10-20): judge
# them as of their release day, so the demo gives the same answer whenever it is run.
at=2026-11-26T12:00:00Z

echo "== examples/credit-risk: a complete high-tier release"
"$govgate" check --repo examples/credit-risk --output-dir "$out/credit-risk" --at "$at"
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
"$govgate" check --repo examples/credit-risk --output-dir "$out/credit-risk-mlflow" \
  --model models:/credit-risk@candidate --tracking-uri "$uri" \
  --rules examples/mlflow/release-pack.yaml --rules examples/mlflow/model-files-pack.yaml \
  --publish --at "$at"
mlflow_code=$?

echo
echo "The reports are in $out/credit-risk/report.json, $out/credit-risk-incomplete/report.json"
echo "and $out/credit-risk-mlflow/report.json (also uploaded to the candidate's run; its verdict"
echo "is tagged on models:/credit-risk/7 in $uri)."
echo "Try: $govgate explain CARD-003    |    $govgate facts --repo examples/credit-risk"
if [ "$pass_code" -ne 0 ] || [ "$fail_code" -ne 1 ] || [ "$mlflow_code" -ne 0 ]; then
  echo "demo: unexpected exit codes (complete: $pass_code, expected 0; incomplete: $fail_code," \
    "expected 1; with MLflow: $mlflow_code, expected 0)" >&2
  exit 1
fi
