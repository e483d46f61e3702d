"""A remote OPA as the Rego engine, over its REST API with opa-python-client.

push mode uploads each policy (PUT /v1/policies/PREFIX/FILE) and then queries its package; query
mode only queries packages the OPA already serves from bundles. Every package is one
POST /v1/data/PKG with the Facts as `input`, mirroring RegopyEngine, and failing closed: a package
OPA does not serve is an error, never "no violations".

opa-python-client behaviours neutralised here, each covered by a test:
- `update_policy_from_string` rewrites a rejected policy as Rego v1 and uploads it again unless
  `rego_compat=False`: the policy OPA evaluates must be the file govgate hashed;
- it reads every non-200 answer to a PUT as a Rego parse error (and fails on a non-JSON body), so
  a response hook raises answers above 400 with their status before it looks;
- it builds its base URL from host and port, dropping a path prefix, so the URL is set as given;
- it takes TLS verification from `ssl`, which also picks the scheme, so `verify` is set after,
  and kept from the environment's CA bundle variables, which requests would let override it.
The bearer token goes in the Authorization header only and is scrubbed from every message.
opa-python-client retries connection errors, and a 500/502/504 to a PUT, twice: a push to an OPA
that never answers takes up to three timeouts per policy (docs/rego.md says the total bound).
In query mode the local `.rego` stays the policy of record: OPA must serve the same source
(GET /v1/policies), or that package is an error, not an older revision's answer.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from govgate.config import OpaSettings
from govgate.engines.rego_results import PackageResult
from govgate.errors import ConfigError, RuleError, SourceError
from govgate.location import Location
from govgate.redaction import Scrubber
from govgate.rules.rego_source import RegoModule


class OpaEngine:
    """One OPA client for the run; `evaluate` may be called for many inputs."""

    def __init__(self, modules: Sequence[RegoModule], settings: OpaSettings) -> None:
        try:
            import opa_client
            from opa_client.errors import RegoParseError
        except ImportError:
            raise RuleError(
                "`rego.engine: opa` needs opa-python-client, which is not installed",
                hint="pip install 'govgate[opa]'",
            ) from None
        self._settings = settings
        self._token = os.environ.get(settings.token_env) or None
        self._url = settings.url.rstrip("/")
        # The bearer token, and any user:password in the URL (requests sends it as Basic).
        self._scrubber = Scrubber.for_credentials(tokens=[self._token], uris=[self._url])
        self._modules = list(modules)
        self._packages = list(dict.fromkeys(m.package for m in modules))
        self._policy_ids = {f"{settings.policy_prefix}/{m.display}": m for m in modules}
        self._client = self._connect(opa_client)
        # query mode: the packages whose served source is not the local file, and why
        self._stale: dict[str, PackageResult] = {}
        if settings.mode == "query":
            self._stale = self._served_revisions()
        if settings.mode == "push":
            for policy_id, module in self._policy_ids.items():
                try:
                    self._client.update_policy_from_string(
                        module.source, quote(policy_id, safe="/"), rego_compat=False
                    )
                except RegoParseError as exc:
                    raise self._rejected(module, exc.expression, exc.message, exc.errors) from None
                except requests.RequestException as exc:
                    raise self._failure(exc, f"PUT /v1/policies/{policy_id}") from None

    def _connect(self, opa_client: Any) -> Any:
        parts = urlsplit(self._url)
        try:
            port = parts.port
            valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:  # a port that is not a number
            port, valid = None, False
        if not valid:
            raise ConfigError(
                f"rego.opa.url {self._scrubber.scrub(self._url)!r} is not an http(s) URL",
                hint="e.g. https://opa.example.com:8181",
            )
        https = parts.scheme == "https"
        ca_cert = self._settings.ca_cert
        if ca_cert is not None and not Path(ca_cert).is_file():
            raise ConfigError(f"rego.opa.ca_cert {ca_cert!r} is not a file")
        client = opa_client.OpaClient(
            host=parts.hostname,
            port=port or (443 if https else 80),
            ssl=https,
            token=self._token,
            timeout=self._settings.timeout_seconds,
        )
        client.root_url = f"{self._url}/v1"
        session: requests.Session = client._session
        session.verify = False if self._settings.insecure_tls else (ca_cert or True)
        if session.verify is not True:
            # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a session's `verify`
            # (psf/requests#3829): stop reading the environment, but keep its proxies.
            session.trust_env = False
            session.proxies.update(requests.utils.get_environ_proxies(self._url))
        session.hooks["response"].append(_raise_above_400)
        return client

    def evaluate(self, document: Mapping[str, Any]) -> dict[str, PackageResult]:
        document = dict(document)  # requests serialises a dict, not any Mapping
        return {
            package: self._stale.get(package) or self._query(package, document)
            for package in self._packages
        }

    def _served_revisions(self) -> dict[str, PackageResult]:
        """The local .rego is the policy of record: in query mode, each package OPA serves must
        be that file's source, byte for byte (GET /v1/policies lists what it serves with its
        raw text). A different revision, a broken local file among them, fails its package."""
        session: requests.Session = self._client._session
        try:
            response = session.get(
                f"{self._url}/v1/policies", timeout=self._settings.timeout_seconds
            )
        except requests.RequestException as exc:
            raise self._failure(exc, "GET /v1/policies") from None
        served: dict[str, list[tuple[str, str]]] = {}
        for policy in _json(response).get("result") or []:
            if isinstance(policy, dict) and isinstance(policy.get("raw"), str):
                package = _package_of(policy.get("ast"))
                if package:
                    served.setdefault(package, []).append((str(policy.get("id")), policy["raw"]))
        stale: dict[str, PackageResult] = {}
        for module in self._modules:
            revisions = served.get(module.package, [])
            if not revisions or any(raw == module.source for _, raw in revisions):
                continue  # not served at all: the query says so, package by package
            shown = ", ".join(
                f"{policy_id} (sha256 {hashlib.sha256(raw.encode()).hexdigest()[:12]})"
                for policy_id, raw in revisions
            )
            stale[module.package] = PackageResult(
                error=(
                    f"OPA serves package {module.package} from {shown}, not the local "
                    f"{module.display} (sha256 {module.sha256[:12]}): the local file is the policy "
                    "of record; publish it to the bundle OPA loads, or use rego.opa.mode: push"
                ),
                location=Location(path=module.display),
            )
        return stale

    def _query(self, package: str, document: dict[str, Any]) -> PackageResult:
        path = package.replace(".", "/")
        try:
            answer = self._client.query_rule(
                document, package, query_params={"strict-builtin-errors": "true"}
            )
        except requests.HTTPError as exc:
            evaluation = self._evaluation_error(exc.response)
            if evaluation is not None:
                return evaluation
            raise self._failure(exc, f"POST /v1/data/{path}") from None
        except requests.RequestException as exc:
            raise self._failure(exc, f"POST /v1/data/{path}") from None
        value = answer.get("result") if isinstance(answer, dict) else None
        if isinstance(value, dict):
            return PackageResult(values=value)
        where = next(Location(path=m.display) for m in self._modules if m.package == package)
        if not isinstance(answer, dict) or "result" not in answer:  # OPA omits it: undefined
            error = f"OPA has no policy at data.{package} (undefined)"
        else:
            error = f"data.{package} is a {type(value).__name__}, not a package"
        return PackageResult(error=error, location=where)

    def _evaluation_error(self, response: requests.Response | None) -> PackageResult | None:
        """OPA answers an evaluation error (conflict, strict built-in) with a 500 that names it."""
        body = _json(response)
        errors = body.get("errors")
        status = response.status_code if response is not None else None
        if status != 500 or not isinstance(errors, list) or not errors:
            return None
        first = errors[0] if isinstance(errors[0], dict) else body
        message = f"{first.get('code')}: {first.get('message')}"
        location, elsewhere = self._location(first.get("location"))
        return PackageResult(error=self._clean(message + elsewhere), location=location)

    def _rejected(self, module: RegoModule, code: Any, message: Any, errors: Any) -> RuleError:
        """OPA's 400 to a PUT: the first parse or compile error, at its line in the policy file."""
        details = [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []
        first = details[0] if details else {"code": code, "message": message}
        text = f"OPA rejected the policy: {first.get('code')}: {first.get('message')}"
        if len(details) > 1:
            text += f" (and {len(details) - 1} more)"
        location, elsewhere = self._location(first.get("location"))
        return RuleError(self._clean(text + elsewhere), location or Location(path=module.display))

    def _location(self, where: Any) -> tuple[Location | None, str]:
        """OPA's {file, row, col} as the policy file's line:col, or a note when it is not ours."""
        if not isinstance(where, dict) or not isinstance(where.get("file"), str):
            return None, ""
        file, row, col = where["file"], where.get("row"), where.get("col")
        module = self._policy_ids.get(file) or next(
            (m for m in self._modules if file == m.display or file.endswith(f"/{m.display}")), None
        )
        if module is None:
            return None, f" (in OPA's {file}:{row})"
        return Location(path=module.display, line=_number(row), column=_number(col)), ""

    def _failure(self, exc: requests.RequestException, what: str) -> SourceError:
        """A failed request as one line naming OPA's URL and the call; never the token."""
        url, timeout = self._scrubber.scrub(self._url), self._settings.timeout_seconds
        response = exc.response if isinstance(exc, requests.HTTPError) else None
        if response is not None:
            status = response.status_code
            body = _json(response)
            said = f": {body.get('code')}: {body.get('message')}" if "message" in body else ""
            message = f"OPA at {url} answered {what} with HTTP {status}{said}"
            if status in (401, 403):
                hint = (
                    f"OPA refused the bearer token in ${self._settings.token_env}"
                    if self._token
                    else f"set ${self._settings.token_env} to a token OPA accepts"
                )
                return SourceError(self._clean(message), hint=hint)
            return SourceError(self._clean(message))
        if _timed_out(exc):
            return SourceError(f"OPA at {url} did not answer {what} within {timeout:g} s")
        if isinstance(exc, requests.exceptions.SSLError):
            return SourceError(
                f"OPA at {url}: TLS verification failed for {what}",
                hint="set rego.opa.ca_cert to the CA bundle that signed OPA's certificate",
            )
        if isinstance(exc, requests.ConnectionError):
            return SourceError(
                f"OPA at {url} is unreachable ({what})",
                hint="check rego.opa.url and that OPA is running",
            )
        if isinstance(exc, requests.exceptions.JSONDecodeError):
            return SourceError(f"OPA at {url} answered {what} with a body that is not JSON")
        return SourceError(self._clean(f"OPA at {url} failed {what}: {type(exc).__name__}"))

    def _clean(self, text: str) -> str:
        """One line, and never the token, even when a server echoes it back."""
        return " ".join(self._scrubber.scrub(text).split())


def _package_of(ast: Any) -> str | None:
    """`data.a.b` as OPA's AST gives it ({"package": {"path": [{"value": "data"}, ...]}})."""
    path = ast.get("package", {}).get("path") if isinstance(ast, dict) else None
    if not isinstance(path, list) or len(path) < 2:
        return None
    parts = [str(term.get("value")) for term in path[1:] if isinstance(term, dict)]
    return ".".join(parts) or None


def _raise_above_400(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    """A status above 400 is never about the policy text; raise it before opa_client parses."""
    if response.status_code > 400:
        response.raise_for_status()


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) else None


def _json(response: requests.Response | None) -> dict[str, Any]:
    try:
        body = response.json() if response is not None else None
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _timed_out(exc: requests.RequestException) -> bool:
    """A read timeout on a retried PUT surfaces as a ConnectionError wrapping urllib3's timeout.

    urllib3's NewConnectionError (connection refused) subclasses its timeout error; requests
    makes the same exception when it picks ConnectTimeout.
    """
    if isinstance(exc, requests.Timeout):
        return True
    reasons = [arg.reason for arg in exc.args if isinstance(arg, MaxRetryError)]
    return any(
        isinstance(r, Urllib3Timeout) and not isinstance(r, NewConnectionError) for r in reasons
    )
