"""What the loaded rules will ask of a source, so the source fetches exactly that, once.

The gate's glue between the two: rules never import sources, and sources never import rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

from govgate.rules.loader import LoadedRule
from govgate.rules.schema import (
    AllCheck,
    AnyCheck,
    Check,
    FactCheck,
    MetricCheck,
    ModelArtifactCheck,
    NotCheck,
    Rule,
    RunArtifactCheck,
)
from govgate.sources.mlflow.facts import MlflowNeeds


def walk_checks(rules: Iterable[LoadedRule]) -> Iterator[Check]:
    stack: list[Check] = []
    for loaded in rules:
        if not isinstance(loaded.rule, Rule):
            continue  # Rego rules state their needs in the policy, not as checks
        stack.append(loaded.rule.check)
        if loaded.rule.when is not None:
            stack.append(loaded.rule.when)
    while stack:
        check = stack.pop()
        yield check
        if isinstance(check, AllCheck | AnyCheck):
            stack.extend(check.checks)
        elif isinstance(check, NotCheck):
            stack.append(check.check)


def mlflow_needs(rules: Iterable[LoadedRule]) -> MlflowNeeds:
    aliases: set[str] = set()
    dirs: set[str] = set()
    model_dirs: set[str] = set()
    for check in walk_checks(rules):
        if isinstance(check, MetricCheck) and check.relative_to:
            aliases.add(check.relative_to)
        elif isinstance(check, RunArtifactCheck):
            dirs.add(_folder(check.path))
        elif isinstance(check, ModelArtifactCheck):
            model_dirs.add(_folder(check.path))
        elif isinstance(check, FactCheck) and check.path.startswith("mlflow.version.artifacts"):
            model_dirs.add("")  # a fact rule on the version's files sees its root folder
    return MlflowNeeds(
        aliases=frozenset(aliases),
        artifact_dirs=frozenset(dirs),
        model_artifact_dirs=frozenset(model_dirs),
    )


def _folder(path: str) -> str:
    parent = str(PurePosixPath(path.strip("/")).parent)
    return "" if parent == "." else parent
