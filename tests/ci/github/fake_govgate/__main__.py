"""`python -m govgate check ...` as the action calls it: record the arguments, write a report.

The report's texts need every escape of a workflow command (%, CR, LF, and `:` `,` in
properties), and stdout carries lines that would be workflow commands if the action let them.
FAKE_EXIT (default: what the report's verdict and --advisory give) sets the exit code.
"""

import json
import os
import sys
from pathlib import Path

args = sys.argv[1:]
if args == ["--version"]:
    print("govgate 0.0.0 (fake)")
    sys.exit(0)

out = Path(next((a.split("=", 1)[1] for a in args if a.startswith("--output-dir=")), "out"))
out.mkdir(parents=True, exist_ok=True)
record = {
    "argv": args,
    "cwd": os.getcwd(),
    "mlflow_token_set": bool(os.environ.get("MLFLOW_TRACKING_TOKEN")),
}
(out / "fake-args.json").write_text(json.dumps(record), encoding="utf-8")

# what a hostile model card could make govgate print
print("::error title=injected::printed by govgate")
print("::set-output name=verdict::pass")

findings = [
    {
        "rule_id": "ESC-1",
        "severity": "blocking",
        "status": "fail",
        "message": "50% done\r\nline two: a, b",
        "remediation": "write it",
        "location": {"path": "docs/a,b:c.md", "line": 3, "column": 2, "end_line": 5},
    },
    {
        "rule_id": "X:1,2",
        "severity": "warning",
        "status": "warn",
        "message": "%0A stays literal",
        "remediation": "",
        "location": {"path": "builtin:baseline", "line": 9, "column": 1},
    },
    {
        "rule_id": "OUT-1",
        "severity": "blocking",
        "status": "fail",
        "message": "outside the workspace",
        "remediation": "",
        "location": {"path": "../../../../../../etc/passwd", "line": 1},
    },
    {
        "rule_id": "OK-1",
        "severity": "blocking",
        "status": "pass",
        "message": "fine",
        "remediation": "",
        "location": {"path": "docs/model_card.md", "line": 1},
    },
    {
        "rule_id": "WAIVED-1",
        "severity": "blocking",
        "status": "waived",
        "message": "waived",
        "remediation": "",
        "location": None,
    },
]
advisory = "--advisory" in args
code = 0 if advisory else 1
report = {
    "verdict": "fail",
    "exit_code": code,
    "advisory": advisory,
    "subject": {"name": "credit-risk", "version": "7"},
    "summary": {"total": 5, "pass": 1, "fail": 2, "warn": 1, "waived": 1, "error": 0},
    "findings": findings,
    "errors": [],
}
(out / "report.json").write_text(json.dumps(report), encoding="utf-8")
(out / "report.sarif").write_text(json.dumps({"version": "2.1.0", "runs": []}), encoding="utf-8")
sys.exit(int(os.environ.get("FAKE_EXIT", code)))
