"""`python -m govgate check ...` as the action calls it: record the arguments, write a report.

The report's texts need every escape of a workflow command (%, CR, LF, and `:` `,` in
properties), and stdout carries lines that would be workflow commands if the action let them.
FAKE_EXIT (default: what the report's verdict and --advisory give) sets the exit code.

`python -m govgate ci ...` records its arguments too, then runs the real govgate of the test's
own venv (GOVGATE_TEST_REAL_PYTHON): what the job shows is what govgate makes of this report.
"""

import hashlib
import json
import os
import sys
from pathlib import Path

args = sys.argv[1:]
if args == ["--version"]:
    print("govgate 0.0.0 (fake)")
    sys.exit(0)
if args[:1] == ["ci"]:
    out = Path(next(a.split("=", 1)[1] for a in args if a.startswith("--output-dir=")))
    (out / "fake-ci-args.json").write_text(json.dumps({"argv": args}), encoding="utf-8")
    real = os.environ["GOVGATE_TEST_REAL_PYTHON"]
    os.execv(real, [real, "-m", "govgate", *args])

out = Path(next((a.split("=", 1)[1] for a in args if a.startswith("--output-dir=")), "out"))
# --source-root: paths relative to it, as govgate writes them
root = next((a.split("=", 1)[1] for a in args if a.startswith("--source-root=")), ".")
prefix = os.path.relpath(os.getcwd(), os.path.realpath(root)).replace(os.sep, "/") + "/"
prefix = "" if prefix == "./" else prefix
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
        "location": {"path": prefix + "docs/a,b:c.md", "line": 3, "column": 2, "end_line": 5},
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
        "location": {"path": prefix + "docs/model_card.md", "line": 1},
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
pinned = sorted(["report.json", "report.sarif"])
(out / "manifest.sha256").write_text(
    "".join(f"{hashlib.sha256((out / n).read_bytes()).hexdigest()}  {n}\n" for n in pinned),
    encoding="utf-8",
)
sys.exit(int(os.environ.get("FAKE_EXIT", code)))
