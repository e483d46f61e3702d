"""`govgate ci github`: a run's outcome as GitHub Actions shows it.

Workflow-command annotations on the files findings point at (stdout), the step summary
(appended to $GITHUB_STEP_SUMMARY) and the job outputs verdict, exit-code, report-dir and
sarif-file (appended to $GITHUB_OUTPUT). Report text is the pull request's and the rule packs':
it is made inert (formats/safe_text.py) and then encoded as workflow-command data, so no line of
it can act as a command, and no annotation can point outside the workspace.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from govgate.ci.outcome import FindingView, LocationView, Outcome
from govgate.errors import OutputError
from govgate.formats.safe_text import inert, inert_lines

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # builtin:baseline, models:/m/1, https:
_MARKUP = re.compile(r"([\\`*_{}\[\]()<>#+!|~@])")
_ICONS = {"pass": "✅", "fail": "❌", "error": "⚠️"}
_TALLY = (
    ("pass", "passed"),
    ("fail", "failed"),
    ("warn", "warnings"),
    ("waived", "waived"),
    ("error", "errors"),
    ("skipped", "skipped"),
)
SARIF = "report.sarif"
SUMMARY = "summary.md"


@dataclass(frozen=True)
class GithubOptions:
    source_root: Path  # the folder the report's file paths are relative to
    workspace: Path  # $GITHUB_WORKSPACE: annotations name files relative to it
    upload_sarif: bool  # the caller will upload report.sarif: warn when this run wrote none


def publish(outcome: Outcome, options: GithubOptions, env: Mapping[str, str]) -> list[str]:
    """Write the outputs and the summary; return the lines for stdout (annotations, verdict)."""
    lines = annotation_lines(outcome, options)
    outputs = job_outputs(outcome)
    if options.upload_sarif and not outputs["sarif-file"]:
        lines.insert(
            0,
            command(
                "warning",
                "upload-sarif is true, but this run wrote no report.sarif: add sarif to formats",
            ),
        )
    _append(env.get("GITHUB_OUTPUT"), "".join(_output(k, v) for k, v in outputs.items()))
    _append(env.get("GITHUB_STEP_SUMMARY"), step_summary(outcome))
    lines.append(f"govgate: verdict {outcome.verdict}, exit code {outcome.exit_code}")
    return lines


def job_outputs(outcome: Outcome) -> dict[str, str]:
    folder = outcome.output_dir.absolute()
    return {
        "verdict": outcome.verdict,
        "exit-code": str(outcome.exit_code),
        "report-dir": str(folder),
        "sarif-file": str(folder / SARIF) if outcome.wrote(SARIF) else "",
    }


def annotation_lines(outcome: Outcome, options: GithubOptions) -> list[str]:
    """Errors (blocking fails, errors), then warnings (other fails, warns), then faults."""
    report = outcome.report
    if report is None or outcome.problem is not None:
        reason = outcome.problem or (
            f"govgate check exited with code {outcome.exit_code} and wrote no report.json; "
            "see the log above"
        )
        return [command("error", reason)]
    errors: list[FindingView] = []
    warnings: list[FindingView] = []
    for finding in report.findings:
        if finding.status == "error" or (
            finding.status == "fail" and finding.severity == "blocking"
        ):
            errors.append(finding)
        elif finding.status in ("fail", "warn"):
            warnings.append(finding)
    lines: list[str] = []
    for kind, group in (("error", errors), ("warning", warnings)):
        for finding in group:
            text = finding.message
            if finding.remediation:
                text += f"\nfix: {finding.remediation}"
            props = _where(finding.location, options)
            lines.append(command(kind, text, title=finding.rule_id or "govgate", where=props))
    for fault in report.errors:
        lines.append(command("error", fault.message, where=_where(fault.location, options)))
    return lines


def step_summary(outcome: Outcome) -> str:
    """summary.md when this run wrote it, else one line; with no report, the reason."""
    report = outcome.report
    if report is None or outcome.problem is not None:
        reason = outcome.problem or f"govgate check exited with code {outcome.exit_code}"
        return f"### ⚠️ govgate: ERROR\n\n{_plain(reason)}.\n"
    if outcome.wrote(SUMMARY):
        text = (outcome.output_dir / SUMMARY).read_text(encoding="utf-8")
        return text if text.endswith("\n") else text + "\n"
    name = " v".join(_plain(part) for part in (report.subject.name, report.subject.version) if part)
    tally = ", ".join(f"{report.summary.get(key, 0)} {label}" for key, label in _TALLY)
    advisory = " (advisory)" if report.advisory else ""
    return (
        f"{_ICONS[report.verdict]} **govgate: {report.verdict.upper()}**{advisory} "
        f"{name or 'model'}: {tally}. Reports: `{_plain(outcome.output_dir.name)}/`\n"
    )


# -- workflow commands -----------------------------------------------------------------------


def command(
    kind: str, message: str, title: str = "govgate", where: list[tuple[str, str]] | None = None
) -> str:
    """`::kind file=..,line=..,title=..::message`, every value inert and encoded."""
    props = [*(where or []), ("title", inert(title))]
    fields = ",".join(f"{key}={_property(value)}" for key, value in props)
    return f"::{kind} {fields}::{_data(chr(10).join(inert_lines(message)))}"


def _data(text: str) -> str:
    """A command's message: %, CR and LF encoded (the runner decodes them)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A property value: also `:` and `,`, which delimit properties."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _where(location: LocationView | None, options: GithubOptions) -> list[tuple[str, str]]:
    """file/line/endLine/col, the file relative to the workspace; none for a URI or a file
    outside the workspace."""
    if location is None or not location.path or _SCHEME.match(location.path):
        return []
    full = os.path.normpath(os.path.join(os.path.realpath(options.source_root), location.path))
    try:
        relative = os.path.relpath(full, os.path.realpath(options.workspace))
    except ValueError:  # another drive
        return []
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return []
    props = [("file", relative.replace(os.sep, "/"))]
    line, end, column = location.line, location.end_line, location.column
    if line is not None and line >= 1:
        props.append(("line", str(line)))
        if end is not None and end > line:
            props.append(("endLine", str(end)))
        if column is not None and column >= 1:
            props.append(("col", str(column)))
    return props


def _plain(text: str) -> str:
    """User text inside one line of Markdown: no markup, no mention, no line break."""
    return _MARKUP.sub(r"\\\1", inert(" ".join(text.split())))


# -- the runner's files ----------------------------------------------------------------------


def _output(name: str, value: str) -> str:
    delimiter = f"govgate_{secrets.token_hex(8)}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def _append(path: str | None, text: str) -> None:
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
