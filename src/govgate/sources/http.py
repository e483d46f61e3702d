"""HTTP for every source that calls a web API: one client, one retry policy, one error mapping.

`retrying_session` is the transport (bounded retries with backoff on 429/5xx, Retry-After capped
so a server cannot park the pipeline). `HttpClient` sends on it with the caller's timeouts and
turns every failure into one line naming the call, never a credential: every message goes
through `govgate.redaction`, scrubbed before it is cut. GitHub, GitLab, the MLflow REST API and
Databricks' signed storage uploads all send through it. `JsonApi` adds what the review sources
share: JSON answers and pagination by `Link: rel="next"` (GitHub, GitLab) or `X-Next-Page`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from govgate.errors import SourceError
from govgate.redaction import Scrubber
from govgate.utc import parse_iso

RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_RETRY_AFTER_S = 30.0
MAX_PAGES = 100
MAX_DETAIL = 200  # characters of a service's own error message kept, after scrubbing
MAX_REASON = 120  # characters of a transport error kept, after scrubbing
MAX_CODE = 60  # characters of a service's error code kept, after scrubbing
NOT_FOUND_CODES = ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND")  # MLflow's and Databricks' 404s
# Credentials sent as headers of their own: requests only strips Authorization on a redirect
# to another host, so these are stripped here too.
SECRET_HEADERS = ("PRIVATE-TOKEN",)


class CappedRetry(Retry):
    """Honour Retry-After, but never let a server park the pipeline for minutes."""

    def get_retry_after(self, response: Any) -> float | None:
        value = super().get_retry_after(response)
        return None if value is None else min(value, MAX_RETRY_AFTER_S)


class _Session(requests.Session):
    """A Session that treats SECRET_HEADERS like Authorization when redirected elsewhere."""

    # types-requests leaves both hooks untyped
    def rebuild_auth(self, prepared_request: Any, response: Any) -> None:
        old, new = response.request.url, prepared_request.url
        if self.should_strip_auth(old, new):  # type: ignore[no-untyped-call]
            for name in SECRET_HEADERS:
                prepared_request.headers.pop(name, None)
        super().rebuild_auth(prepared_request, response)  # type: ignore[no-untyped-call]


def retrying_session(retries: int = 3, backoff_s: float = 0.5) -> requests.Session:
    """A session that retries connection failures and 429/5xx answers, as rest.py always has."""
    retry = CappedRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff_s,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,  # every call govgate makes is idempotent
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = _Session()
    session.headers["User-Agent"] = "govgate"
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def display_host(url: str) -> str:
    """Host and port of a URL, without any user:password it may carry."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    return f"{host}:{parts.port}" if parts.port else host


@dataclass
class HttpClient:
    """Sends on one session; a failure is one scrubbed line of the caller's error class.

    The error mapping: a transport failure says what happened (timed out, TLS, cannot connect,
    gave up after retries); an HTTP error says the status, the service's error code and its own
    message (GitHub, GitLab and MLflow put it in `message` or `error`; storage services in an
    `x-ms-error-code` header or an XML `<Code>`), made one line and cut after scrubbing. A
    401/403 (and a 404 when the caller does not tell absence apart) carries `auth_hint`; a 404 or
    NOT_FOUND code is raised as `not_found` when the caller gives one; a 429/5xx says it came
    after retries.
    """

    session: requests.Session
    timeout: tuple[float, float]  # (connect, read) seconds
    scrubber: Scrubber
    error: type[SourceError] = SourceError
    auth_hint: str | None = None
    not_found: type[SourceError] | None = None

    def send(self, method: str, url: str, label: str, **kwargs: Any) -> requests.Response:
        """The response to a successful request; any failure raises, labelled `label`."""
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.exceptions.RetryError as exc:
            reason = self.scrubber.clip(_reason(exc), MAX_REASON)
            raise self.fail(f"{label}: gave up after retries ({reason})") from None
        except requests.exceptions.Timeout:
            raise self.fail(f"{label}: timed out after {self.timeout[1]:g} s") from None
        except requests.exceptions.SSLError:
            raise self.fail(f"{label}: TLS verification failed") from None
        except requests.exceptions.ConnectionError as exc:
            reason = self.scrubber.clip(_reason(exc), MAX_REASON)
            if "Timeout" in reason:
                raise self.fail(
                    f"{label}: timed out after {self.timeout[1]:g} s on every attempt"
                ) from None
            raise self.fail(f"{label}: cannot connect ({reason})") from None
        except requests.exceptions.RequestException as exc:
            raise self.fail(f"{label}: {type(exc).__name__}") from None
        if response.ok:
            return response
        raise self._status_error(response, label)

    def send_json(self, method: str, url: str, label: str, **kwargs: Any) -> Any:
        """The JSON body of a successful answer."""
        response = self.send(method, url, label, **kwargs)
        return self.json_of(response, label)

    def send_object(self, method: str, url: str, label: str, **kwargs: Any) -> dict[str, Any]:
        """The JSON object a successful answer must be."""
        body = self.send_json(method, url, label, **kwargs)
        if not isinstance(body, dict):
            raise self.fail(f"{label}: malformed response (expected a JSON object)")
        return body

    def json_of(self, response: requests.Response, label: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise self.fail(f"{label}: response is not JSON") from None

    def fail(self, message: str, hint: str | None = None) -> SourceError:
        """The caller's error, scrubbed, should a server have echoed a credential."""
        return self.error(self.scrubber.scrub(message), hint=hint)

    def _status_error(self, response: requests.Response, label: str) -> SourceError:
        status = response.status_code
        code, detail = _service_error(response)
        # Scrub first, then cut: a token across the cut would otherwise keep its first characters.
        code = " ".join(self.scrubber.scrub(code).split())[:MAX_CODE]
        detail = " ".join(self.scrubber.scrub(detail).split())[:MAX_DETAIL]
        text = (
            f"{label}: HTTP {status}"
            + (f" {code}" if code else "")
            + (f": {detail}" if detail else "")
        )
        if self.not_found is not None and (status == 404 or code in NOT_FOUND_CODES):
            return self.not_found(text)
        if status in (401, 403) or (status == 404 and self.not_found is None):
            return self.fail(text, self.auth_hint)
        if status >= 500 or status == 429:
            return self.fail(text, "after retries")
        return self.fail(text)


@dataclass
class JsonApi:
    """GETs against one API base URL on behalf of one subject (a repository or project)."""

    service: str  # "GitHub"
    base_url: str  # ends without "/"
    prefix: str  # "repos/acme/credit-risk": in every URL, left out of messages
    subject: str  # "acme/credit-risk"
    auth_hint: str  # said after a 401/403/404: which variable and permission to check
    session: requests.Session
    timeout: tuple[float, float]  # (connect, read) seconds
    secret: str  # scrubbed from every message, should a server echo it
    http: HttpClient = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The token sent, and any userinfo in the base URL (requests would send it as Basic).
        scrubber = Scrubber.for_credentials(tokens=[self.secret], uris=[self.base_url])
        self.http = HttpClient(self.session, self.timeout, scrubber, auth_hint=self.auth_hint)

    def get_object(self, endpoint: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        label = self.label(endpoint)
        return self.http.send_object("GET", self._url(endpoint, params), label)

    def get_all(self, endpoint: str, params: dict[str, str] | None = None) -> list[Any]:
        """Every item of a paginated list; more than MAX_PAGES pages is an error, not a cut."""
        items: list[Any] = []
        url: str | None = self._url(endpoint, params)
        seen: set[str] = set()
        while url is not None:
            label = self.label(endpoint) + (f" page {len(seen) + 1}" if seen else "")
            if url in seen or len(seen) >= MAX_PAGES:
                raise self.error(f"{label}: pagination did not end after {len(seen)} pages")
            seen.add(url)
            response = self.http.send("GET", url, label)
            page = self.http.json_of(response, label)
            if not isinstance(page, list):
                raise self.error(f"{label}: malformed response (expected a JSON array)")
            items += page
            url = self._next_page(response, label)
        return items

    def label(self, endpoint: str) -> str:
        """How messages name a call: `GitHub api.github.com pulls/17 acme/credit-risk`."""
        return f"{self.service} {display_host(self.base_url)} {endpoint} {self.subject}"

    def error(self, message: str, hint: str | None = None) -> SourceError:
        """A SourceError with the token scrubbed out, should a server have echoed it."""
        return self.http.fail(message, hint)

    # -- internals ---------------------------------------------------------------------------

    def _url(self, endpoint: str, params: dict[str, str] | None) -> str:
        query = f"?{urlencode(params)}" if params else ""
        return f"{self.base_url}/{self.prefix}/{endpoint}{query}"

    def _next_page(self, response: requests.Response, label: str) -> str | None:
        link = response.links.get("next", {}).get("url")
        if not link and "Link" not in response.headers:
            link = _with_page(response.url, response.headers.get("X-Next-Page", "").strip())
        if not link:
            return None
        base = urlsplit(self.base_url)
        target = urlsplit(link)
        if (target.scheme, target.netloc) != (base.scheme, base.netloc):
            # Following it would send the token to another server.
            raise self.error(f"{label}: next-page link leaves {display_host(self.base_url)}")
        return str(link)


def api_text(value: Any) -> str | None:
    """A non-empty string field, or None for whatever else the API sent."""
    return value if isinstance(value, str) and value else None


def api_time(value: Any) -> datetime | None:
    """An ISO 8601 timestamp (`2026-11-20T10:00:00Z`, `...00.720Z`) as an aware datetime."""
    return parse_iso(value)


def _with_page(url: str, page: str) -> str | None:
    """The URL with its `page` parameter set, for GitLab's `X-Next-Page` (empty on the last)."""
    if not page.isdigit():
        return None
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"] + [("page", page)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _service_error(response: requests.Response) -> tuple[str, str]:
    """The service's own error code and message, as sent: the caller scrubs, then cuts them.

    JSON APIs send `{"error_code", "message"}` (MLflow, Databricks) or `{"message"}` /
    `{"error"}` (GitHub, GitLab); Azure storage names its code in `x-ms-error-code`, S3 and GCS
    in an XML `<Code>`.
    """
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        message = body.get("message") or body.get("error")
        return str(body.get("error_code") or ""), str(message) if message else ""
    code = response.headers.get("x-ms-error-code") or ""
    text = response.text
    if not code and "<Code>" in text:
        code = text.split("<Code>", 1)[1].split("</Code>", 1)[0]
    return str(code), ""


def _reason(exc: Exception) -> str:
    """The cause's type, or the whole text when there is none: the caller scrubs, then cuts."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return type(reason).__name__ if reason is not None else str(exc)
