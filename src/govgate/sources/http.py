"""HTTP for every source that calls a web API: one retry policy, and errors that never leak tokens.

`retrying_session` is the transport (bounded retries with backoff on 429/5xx, Retry-After capped
so a server cannot park the pipeline). `JsonApi` adds what the review sources share: JSON
answers, pagination by `Link: rel="next"` (GitHub, GitLab) or `X-Next-Page` (GitLab), and
one-line `SourceError`s that name the service, host, call and subject, never a credential:
every message goes through `govgate.redaction`, scrubbed before it is cut.
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
    scrubber: Scrubber = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The token sent, and any userinfo in the base URL (requests would send it as Basic).
        self.scrubber = Scrubber.for_credentials(tokens=[self.secret], uris=[self.base_url])

    def get_object(self, endpoint: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        label = self.label(endpoint)
        body = self._json(self._send(self._url(endpoint, params), label), label)
        if not isinstance(body, dict):
            raise self.error(f"{label}: malformed response (expected a JSON object)")
        return body

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
            response = self._send(url, label)
            page = self._json(response, label)
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
        return SourceError(self.scrubber.scrub(message), hint=hint)

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

    def _send(self, url: str, label: str) -> requests.Response:
        try:
            response = self.session.get(url, timeout=self.timeout)
        except requests.exceptions.RetryError as exc:
            reason = self.scrubber.clip(_reason(exc), MAX_REASON)
            raise self.error(f"{label}: gave up after retries ({reason})") from None
        except requests.exceptions.Timeout:
            raise self.error(f"{label}: timed out after {self.timeout[1]:g} s") from None
        except requests.exceptions.SSLError:
            raise self.error(f"{label}: TLS verification failed") from None
        except requests.exceptions.ConnectionError as exc:
            reason = self.scrubber.clip(_reason(exc), MAX_REASON)
            if "Timeout" in reason:
                raise self.error(
                    f"{label}: timed out after {self.timeout[1]:g} s on every attempt"
                ) from None
            raise self.error(f"{label}: cannot connect ({reason})") from None
        except requests.exceptions.RequestException as exc:
            raise self.error(f"{label}: {type(exc).__name__}") from None
        if response.ok:
            return response
        raise self._http_error(response, label)

    def _json(self, response: requests.Response, label: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise self.error(f"{label}: response is not JSON") from None

    def _http_error(self, response: requests.Response, label: str) -> SourceError:
        status = response.status_code
        # Scrub first, then cut: a token across the cut would otherwise keep its first characters.
        detail = " ".join(self.scrubber.scrub(_detail(response)).split())[:MAX_DETAIL]
        text = f"{label}: HTTP {status}" + (f": {detail}" if detail else "")
        if status in (401, 403, 404):
            return self.error(text, self.auth_hint)
        if status >= 500 or status == 429:
            return self.error(text, "after retries")
        return self.error(text)


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


def _detail(response: requests.Response) -> str:
    """The service's own reason (GitHub and GitLab both say `message`), as sent: the caller
    scrubs it, then makes it one line and cuts it."""
    try:
        body = response.json()
    except ValueError:
        return ""
    message = (body.get("message") or body.get("error")) if isinstance(body, dict) else None
    return str(message) if message else ""


def _reason(exc: Exception) -> str:
    """The cause's type, or the whole text when there is none: the caller scrubs, then cuts."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return type(reason).__name__ if reason is not None else str(exc)
