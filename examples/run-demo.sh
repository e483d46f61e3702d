#!/usr/bin/env bash
# `make demo`: run the gate on the bundled examples and say where the evidence is.
# The complete example must pass (exit 0); the incomplete one must fail (exit 1), never error.
set -uo pipefail
govgate=${1:-govgate}
out=govgate-report

echo "== examples/credit-risk: a complete high-tier release"
"$govgate" check --repo examples/credit-risk --output-dir "$out/credit-risk"
pass_code=$?

echo
echo "== examples/credit-risk-incomplete: the Hugging Face card template, no datasheet, no monitoring"
"$govgate" check --repo examples/credit-risk-incomplete --output-dir "$out/credit-risk-incomplete"
fail_code=$?

echo
echo "The reports are in $out/credit-risk/report.json and $out/credit-risk-incomplete/report.json"
echo "Try: $govgate explain CARD-003    |    $govgate facts --repo examples/credit-risk"
if [ "$pass_code" -ne 0 ] || [ "$fail_code" -ne 1 ]; then
  echo "demo: unexpected exit codes (complete: $pass_code, expected 0; incomplete: $fail_code, expected 1)" >&2
  exit 1
fi
