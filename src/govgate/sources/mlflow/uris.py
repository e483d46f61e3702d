"""Model URIs (`models:/name/7`, `models:/name@alias`) and tracking URIs safe to print."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from govgate.errors import ConfigError
from govgate.location import Location

_MODEL_URI = re.compile(
    r"^models:/(?P<name>[^/@]+(?:/[^/@]+)*?)(?:/(?P<version>\d+)|@(?P<alias>[\w-]+))$"
)


@dataclass(frozen=True)
class ModelUri:
    """A parsed `models:/` URI: a registered model and either a version number or an alias.

    Not the `model:` section of govgate.yaml (`govgate.config.ModelRef`), which names the model
    under review and may hold such a URI.
    """

    name: str
    version: str | None = None
    alias: str | None = None

    def __str__(self) -> str:
        return (
            f"models:/{self.name}@{self.alias}"
            if self.alias
            else f"models:/{self.name}/{self.version}"
        )


def parse_model_uri(uri: str) -> ModelUri:
    match = _MODEL_URI.match(uri.strip())
    if not match:
        raise ConfigError(
            f"model URI {uri!r} is not models:/NAME/VERSION or models:/NAME@ALIAS",
            hint="e.g. --model models:/credit-risk/7 or --model models:/credit-risk@candidate",
        )
    return ModelUri(match["name"], match["version"], match["alias"])


def redact_uri(uri: str) -> str:
    """A tracking URI without user, password or query string: safe for logs and reports."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:  # not a URI urllib can take apart (a bad port, a broken IPv6 host)
        return _without_userinfo(uri)
    if not parts.scheme or (parts.scheme in ("file", "sqlite") and not parts.netloc):
        return uri
    host = parts.hostname or ""
    if port:
        host += f":{port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def check_tracking_uri(uri: str) -> None:
    """A tracking URI that names a host must name one, with a port in 1-65535.

    Raises ConfigError located at the URI (without its userinfo): a bad port used to escape as
    urllib's ValueError, an internal error with no report.
    """
    problem = _host_problem(uri)
    if problem is None:
        return
    shown = _without_userinfo(uri)
    raise ConfigError(
        f"tracking URI {problem}",
        Location(path=shown),
        hint="fix --tracking-uri, mlflow.tracking_uri in govgate.yaml, or MLFLOW_TRACKING_URI",
    )


def _host_problem(uri: str) -> str | None:
    if is_databricks(uri):
        return None  # `databricks://PROFILE:PREFIX` names a profile, not a host
    try:
        parts = urlsplit(uri)
    except ValueError as exc:
        return f"is not a valid URI ({exc})"
    if not parts.netloc:
        return "has no host" if parts.scheme in ("http", "https") else None
    host_port = parts.netloc.rpartition("@")[2]
    if host_port.startswith("["):
        host, _, rest = host_port.partition("]")
        port = rest.removeprefix(":") if rest.startswith(":") else None
        if rest and port is None:
            return f"host {host_port!r} is not [IPv6]:PORT"
    else:
        host, _, port = host_port.rpartition(":") if ":" in host_port else (host_port, "", "")
    if not host:
        return "has no host"
    if not port:
        return None
    if not port.isascii() or not port.isdigit():
        return f"port {port!r} is not a number"
    if not 1 <= int(port) <= 65535:
        return f"port {int(port)} is out of range 1-65535"
    return None


def _without_userinfo(uri: str) -> str:
    """`scheme://host:port/path` as written, without `user:password@`, query or fragment."""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return uri
    authority, slash, path = rest.partition("/")
    path = path.split("?", 1)[0].split("#", 1)[0]
    return f"{scheme}://{authority.rpartition('@')[2]}{slash}{path}"


def is_databricks(uri: str) -> bool:
    """`databricks`, `databricks-uc`, or either with `://PROFILE`."""
    return uri in ("databricks", "databricks-uc") or uri.startswith(
        ("databricks://", "databricks-uc://")
    )


def is_unity_catalog(uri: str) -> bool:
    return uri == "databricks-uc" or uri.startswith("databricks-uc://")


def is_http(uri: str) -> bool:
    return uri.startswith(("http://", "https://")) or is_databricks(uri)
