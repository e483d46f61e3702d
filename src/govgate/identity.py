"""How govgate compares people: one normal form for every identity, wherever it comes from.

An approver typed as `" Lead@Example.com "` in one file and `lead@example.com` in another is one
person; comparing raw strings let a requester approve their own exception. Unicode compatibility
forms, surrounding spaces and case do not make another person.
"""

from __future__ import annotations

import unicodedata


def identity(who: str) -> str:
    """The form two identities are compared in."""
    return unicodedata.normalize("NFKC", who).strip().casefold()


def same_person(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and identity(a) == identity(b) != ""
