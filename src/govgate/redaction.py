"""The one place credentials are masked: every form of what govgate sent becomes `***`.

A server may echo what it received (the Authorization header, the user:password it decoded, a
token in a URL), so every error message is scrubbed where it is made, by the code that knows
what it sent, and once more at the edge with what the environment holds. Scrub first, then cut:
a message cut before scrubbing could keep the first characters of a token across the cut.

It lives at the top of the package, beside `errors`, because sources, engines and the CLI all
use it and engines may not import sources.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

MASK = "***"

# Environment variables whose value govgate (or the mlflow library it may call) sends as a
# credential: bearer tokens, GitLab's PRIVATE-TOKEN, the Basic password.
TOKEN_VARIABLES = (
    "MLFLOW_TRACKING_TOKEN",
    "MLFLOW_TRACKING_PASSWORD",
    "DATABRICKS_TOKEN",
    "GOVGATE_GITHUB_TOKEN",
    "GITHUB_TOKEN",
    "GOVGATE_GITLAB_TOKEN",
    "GITLAB_TOKEN",
    "GOVGATE_OPA_TOKEN",
)
# Environment variables holding a URL whose userinfo (user:password@) would be sent.
URI_VARIABLES = ("MLFLOW_TRACKING_URI", "DATABRICKS_HOST", "GITHUB_API_URL", "CI_API_V4_URL")


@dataclass(frozen=True)
class Scrubber:
    """Masks a fixed set of secret strings; build it from what was sent, not from guesses."""

    secrets: frozenset[str] = frozenset()
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # One pass, longest first: overlapping forms mask whole, and a mask is never rescanned.
        ordered = sorted(self.secrets, key=lambda s: (-len(s), s))
        pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        object.__setattr__(self, "_pattern", pattern)

    @classmethod
    def for_credentials(
        cls,
        tokens: Iterable[str | None] = (),
        basic: Iterable[tuple[str, str]] = (),
        uris: Iterable[str | None] = (),
    ) -> Scrubber:
        """Every form of bearer or header `tokens`, Basic `(user, password)` pairs, and the
        userinfo of `uris` (as written, percent-decoded, and as the Basic header requests
        derives from it)."""
        secrets: set[str] = set()
        for token in tokens:
            secrets |= _token_forms(token or "")
        for user, password in basic:
            secrets |= _basic_forms(user, password)
        for uri in uris:
            secrets |= _userinfo_forms(uri or "")
        return cls(frozenset(secrets))

    @classmethod
    def from_environment(
        cls, env: Mapping[str, str], uris: Iterable[str | None] = (), tokens: Iterable[str] = ()
    ) -> Scrubber:
        """Every credential the environment holds for govgate, plus the userinfo of `uris`
        and any `tokens` read elsewhere (a config file, a variable named in govgate.yaml)."""
        user, password = env.get("MLFLOW_TRACKING_USERNAME"), env.get("MLFLOW_TRACKING_PASSWORD")
        return cls.for_credentials(
            tokens=[*(env.get(name) for name in TOKEN_VARIABLES), *tokens],
            basic=[(user, password)] if user and password else [],
            uris=[*(env.get(name) for name in URI_VARIABLES), *uris],
        )

    def __or__(self, other: Scrubber) -> Scrubber:
        return Scrubber(self.secrets | other.secrets)

    def scrub(self, text: str) -> str:
        """`text` with every secret replaced by `***`."""
        return self._pattern.sub(MASK, text) if self._pattern is not None else text

    def clip(self, text: str, limit: int) -> str:
        """Scrubbed, then cut to `limit` characters: never cut first."""
        return self.scrub(text)[:limit]


def _token_forms(token: str) -> set[str]:
    """The token, and the token percent-encoded as it would sit in a URL."""
    return {token, quote(token, safe="")} - {""}


def _basic_forms(user: str, password: str) -> set[str]:
    """The password and the base64 of `user:password` (what the Basic header carries), padded
    or not, standard or URL-safe, in the two encodings a client may use. With no password the
    user name is the credential (`https://TOKEN@host`)."""
    forms = _token_forms(password or user)
    pair = f"{user}:{password}"
    for encoding in ("latin-1", "utf-8"):  # requests encodes latin-1; others use utf-8
        try:
            raw = pair.encode(encoding)
        except UnicodeEncodeError:
            continue
        for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
            text = encoded.decode("ascii")
            forms |= {text, text.rstrip("=")}
    return forms


def _userinfo_forms(uri: str) -> set[str]:
    """`user:password@` of a URL: the password as written and decoded, and its Basic forms."""
    if "@" not in uri:
        return set()
    netloc = urlsplit(uri).netloc
    if "@" not in netloc:
        return set()
    userinfo = netloc.rpartition("@")[0]
    user, _, password = userinfo.partition(":")
    forms = _token_forms(password or user)
    return forms | _basic_forms(unquote(user), unquote(password))
