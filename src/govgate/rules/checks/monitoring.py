"""`monitoring`: the model will be watched once it ships, by monitors that would actually fire."""

from __future__ import annotations

import math
from typing import Any

from govgate.facts import ArtifactFacts
from govgate.findings import Evidence, Outcome
from govgate.rules.checks.base import CheckContext, artifact_or_outcome, file_location
from govgate.rules.schema import MonitoringCheck


def check_monitoring(check: MonitoringCheck, ctx: CheckContext) -> Outcome:
    artifact = artifact_or_outcome(check.artifact, ctx, ("yaml", "json"))
    if isinstance(artifact, Outcome):
        return artifact
    data = artifact.data if isinstance(artifact.data, dict) else {}
    problems: list[Evidence] = []
    if check.incident_contact and not str(data.get("incident_contact") or "").strip():
        problems.append(_at(artifact, "incident_contact", "no incident_contact"))
    monitors = data.get("monitors")
    if not isinstance(monitors, list):
        monitors = []
        problems.append(_at(artifact, "monitors", "no list of monitors"))
    by_type: dict[str, int] = {}
    for index, monitor in enumerate(monitors):
        if isinstance(monitor, dict):
            by_type.setdefault(str(monitor.get("type", "")), index)
            problems += _monitor_problems(check, artifact, index, monitor)
    for kind in check.required:
        if kind not in by_type:
            problems.append(
                _at(artifact, "monitors", f"no {kind} monitor{_kind_hint(monitors, kind)}")
            )
    if problems:
        return Outcome.failed("; ".join(p.message for p in problems), *problems)
    return Outcome.passed(
        f"{len(monitors)} monitor(s) cover {', '.join(check.required) or 'the plan'}"
    )


def _kind_hint(monitors: list[Any], kind: str) -> str:
    """Monitors are matched by `type:`; say so when one names the wanted kind as `kind:`."""
    if any(
        isinstance(m, dict) and m.get("kind") == kind and m.get("type") is None for m in monitors
    ):
        return " (monitors are matched by `type:`, and one says `kind:` instead)"
    return ""


def _monitor_problems(
    check: MonitoringCheck, artifact: ArtifactFacts, index: int, monitor: dict[str, Any]
) -> list[Evidence]:
    where = f"monitors[{index}]"
    name = str(monitor.get("name") or monitor.get("type") or where)
    problems = [
        _at(artifact, f"{where}", f"monitor {name!r} has no {key}")
        for key in check.fields
        if monitor.get(key) in (None, "", [], {})
    ]
    runbook = str(monitor.get("runbook") or "")
    if runbook and not runbook.startswith(("https://", "http://")):
        problems.append(
            _at(artifact, f"{where}.runbook", f"monitor {name!r} runbook is not a link")
        )
    # `PSI` is the metric the policy bounds as `psi`: spelling must not escape a bound.
    bounds = {metric.strip().casefold(): bound for metric, bound in check.bounds.items()}
    bound = bounds.get(str(monitor.get("metric", "")).strip().casefold())
    threshold = monitor.get("threshold")
    if bound is not None and threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            problems.append(
                _at(artifact, f"{where}.threshold", f"monitor {name!r} threshold is not a number")
            )
        elif not math.isfinite(threshold):  # NaN compares false with every bound
            problems.append(
                _at(
                    artifact,
                    f"{where}.threshold",
                    f"monitor {name!r} threshold is not a finite number ({threshold})",
                )
            )
        elif bound.max is not None and threshold > bound.max:
            problems.append(
                _at(
                    artifact,
                    f"{where}.threshold",
                    f"monitor {name!r} alerts at {monitor['metric']} > {threshold:g}, looser "
                    f"than the policy bound {bound.max:g}",
                )
            )
        elif bound.min is not None and threshold < bound.min:
            problems.append(
                _at(
                    artifact,
                    f"{where}.threshold",
                    f"monitor {name!r} alerts at {monitor['metric']} < {threshold:g}, looser "
                    f"than the policy bound {bound.min:g}",
                )
            )
    return problems


def _at(artifact: ArtifactFacts, key: str, message: str) -> Evidence:
    line = artifact.key_lines.get(key)
    while line is None and ("." in key or "[" in key):
        key = key.rsplit(".", 1)[0] if "." in key else key.rsplit("[", 1)[0]
        line = artifact.key_lines.get(key)
    return Evidence(message=message, location=file_location(artifact, line))
