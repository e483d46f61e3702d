"""Rule-pack test coverage: a rule is covered when a case expects it to pass and one expects it
to fail (or warn). A rule only ever seen passing could be a rule that cannot fail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govgate.casetest.cases import CaseFile

FAILING = frozenset({"fail", "warn"})


@dataclass(frozen=True)
class RuleCoverage:
    rule_id: str
    passing: int
    failing: int

    @property
    def covered(self) -> bool:
        return self.passing > 0 and self.failing > 0

    def missing(self) -> str:
        wanted = [w for w, n in (("passing", self.passing), ("failing", self.failing)) if not n]
        return " and ".join(wanted) + " case"


def coverage(files: Sequence[CaseFile]) -> list[RuleCoverage]:
    """Per rule id, over every case file that loads it, in first-seen order."""
    counts: dict[str, list[int]] = {}
    for case_file in files:
        for rule_id in case_file.rules:
            counts.setdefault(rule_id, [0, 0])
        for result in case_file.results:
            for rule_id, status in result.expected.items():
                if rule_id not in counts:
                    continue
                if status == "pass":
                    counts[rule_id][0] += 1
                elif status in FAILING:
                    counts[rule_id][1] += 1
    return [RuleCoverage(rule_id, p, f) for rule_id, (p, f) in counts.items()]


def percent(rules: Sequence[RuleCoverage]) -> float:
    if not rules:
        return 0.0
    return 100.0 * sum(r.covered for r in rules) / len(rules)
