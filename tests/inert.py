"""What "inert" output means, for the tests that feed hostile text to every human output."""

from __future__ import annotations

import unicodedata


def live_controls(text: str) -> list[str]:
    """Characters a terminal or a log viewer would act on (a line break is what output is)."""
    return [
        f"U+{ord(c):04X}"
        for c in text
        if c not in "\n\t"
        and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")
        and c not in "\u200c\u200d"
    ]


def assert_inert(output: str) -> None:
    """No live control character, and no line a CI runner would read as a workflow command."""
    assert live_controls(output) == [], output
    for line in output.split("\n"):
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line and "##vso[" not in line.lower(), line
