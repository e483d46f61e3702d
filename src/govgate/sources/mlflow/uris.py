"""Model URIs (`models:/name/7`, `models:/name@alias`) and tracking URIs safe to print."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from govgate.errors import ConfigError

_MODEL_URI = re.compile(
    r"^models:/(?P<name>[^/@]+(?:/[^/@]+)*?)(?:/(?P<version>\d+)|@(?P<alias>[\w-]+))$"
)


@dataclass(frozen=True)
class ModelRef:
    """A registered model and either a version number or an alias."""

    name: str
    version: str | None = None
    alias: str | None = None

    def __str__(self) -> str:
        return (
            f"models:/{self.name}@{self.alias}"
            if self.alias
            else f"models:/{self.name}/{self.version}"
        )


def parse_model_uri(uri: str) -> ModelRef:
    match = _MODEL_URI.match(uri.strip())
    if not match:
        raise ConfigError(
            f"model URI {uri!r} is not models:/NAME/VERSION or models:/NAME@ALIAS",
            hint="e.g. --model models:/credit-risk/7 or --model models:/credit-risk@candidate",
        )
    return ModelRef(match["name"], match["version"], match["alias"])


def redact_uri(uri: str) -> str:
    """A tracking URI without user, password or query string: safe for logs and reports."""
    parts = urlsplit(uri)
    if not parts.scheme or (parts.scheme in ("file", "sqlite") and not parts.netloc):
        return uri
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def is_databricks(uri: str) -> bool:
    """`databricks`, `databricks-uc`, or either with `://PROFILE`."""
    return uri in ("databricks", "databricks-uc") or uri.startswith(
        ("databricks://", "databricks-uc://")
    )


def is_unity_catalog(uri: str) -> bool:
    return uri == "databricks-uc" or uri.startswith("databricks-uc://")


def is_http(uri: str) -> bool:
    return uri.startswith(("http://", "https://")) or is_databricks(uri)
