"""The error family: every expected failure is a GovgateError carrying a Location and a hint."""

from __future__ import annotations

from govgate.location import Location


class GovgateError(Exception):
    """An expected failure that ends in verdict `error` (exit 2) with a one-line message."""

    def __init__(
        self, message: str, location: Location | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def described(self) -> str:
        """The message and, when there is one, how to fix it."""
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def one_line(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        return f"{prefix}{self.described()}"

    def __str__(self) -> str:
        return self.one_line()


class InputError(GovgateError):
    """A file the user owns could not be read or is not valid (YAML, schema, encoding, size)."""


class ConfigError(InputError):
    """govgate.yaml is missing or invalid, or names something that does not exist."""


class RuleError(InputError):
    """A rule pack is invalid or a rule cannot be evaluated as written."""


class SourceError(GovgateError):
    """A source of facts (repo, git, MLflow, CI) failed."""


class OutputError(GovgateError):
    """A report could not be written."""
