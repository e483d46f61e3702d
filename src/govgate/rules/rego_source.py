"""Read a `.rego` policy as govgate sees it: package, conftest-style rules, METADATA annotations.

Engines (regopy in-process, OPA remote) evaluate the source; this module decides, before any
engine runs, which govgate rules a policy declares and refuses what an engine would accept
silently: Rego v0 rule bodies (regopy reads `deny[msg] { ... }` as something else), rule bodies
that call non-deterministic built-ins (rules never do I/O; the evaluation time is `input.at`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from govgate.errors import RuleError
from govgate.location import Location
from govgate.rules.rego_lexer import LexError, Token, tokenize
from govgate.rules.schema import RULE_ID_PATTERN, HttpUri, RuleMeta, Severity
from govgate.strict import StrictModel
from govgate.yamlio import DEFAULT_MAX_BYTES, parse_yaml, read_text, validate

CONFTEST_RULE = re.compile(r"^(deny|warn|violation)(_[A-Za-z0-9_]+)?$")
# Built-ins whose result depends on the world, not on the Facts: a rule calling one is not
# reproducible with --at, and may do I/O. http.send is refused by regopy anyway; OPA would run it.
NON_DETERMINISTIC = frozenset(
    {
        "time.now_ns",
        "http.send",
        "net.lookup_ip_addr",
        "opa.runtime",
        "rand.intn",
        "uuid.rfc4122",
        "uuid.parse",
        "io.jwt.decode_verify",
    }
)
# Tokens after which `{` starts a value (object, set, comprehension), not a rule body.
_VALUE_AFTER = frozenset({"if", "else", "contains", "in", "not", "some", "every", "with", "as"})


class RegoCustom(StrictModel):
    """govgate's keys under a METADATA annotation's `custom:`."""

    id: str | None = Field(default=None, pattern=RULE_ID_PATTERN, description="The rule id.")
    severity: Severity | None = Field(
        default=None, description="Default: blocking for deny/violation, warning for warn."
    )
    remediation: str | None = Field(default=None, min_length=1)
    controls: list[str] | None = None
    tiers: list[str] | None = None
    stages: list[str] | None = None
    waivable: bool | None = None
    help_uri: HttpUri | None = None
    extra: dict[str, Any] = Field(
        default_factory=dict, description="Your own keys; govgate ignores them."
    )
    version: str | None = Field(
        default=None, description="Above `package` only: the policy's version, in reports."
    )


class RegoAnnotation(StrictModel):
    """An OPA METADATA annotation block (the keys OPA defines; govgate reads `custom`)."""

    scope: Literal["rule", "document", "package", "subpackages"] | None = None
    title: str | None = Field(default=None, min_length=1)
    description: str | None = None
    related_resources: list[Any] = Field(default_factory=list)
    authors: list[Any] = Field(default_factory=list)
    organizations: list[str] = Field(default_factory=list)
    schemas: list[Any] = Field(default_factory=list)
    entrypoint: bool = False
    custom: RegoCustom = Field(default_factory=RegoCustom)


class RegoRule(RuleMeta):
    """A rule declared by a Rego policy: its METADATA, and which rule of which package yields it."""

    package: str = Field(description="The policy's package, e.g. govgate.baseline.")
    name: str = Field(description="The conftest-style rule that yields it: deny, warn, violation.")
    implicit: bool = Field(
        default=False, description="Declared by an unannotated rule body, named package.rule."
    )


@dataclass(frozen=True)
class Declared:
    rule: RegoRule
    location: Location


@dataclass(frozen=True)
class RegoModule:
    display: str
    source: str
    sha256: str
    size: int
    package: str
    version: str | None  # from the METADATA above `package`
    description: str | None
    rule_names: tuple[str, ...]  # conftest-style rules the module defines, in order
    declared: tuple[Declared, ...]

    def offset_location(self, offset: int) -> Location:
        """A byte offset (what regopy reports) as line and column."""
        data = self.source.encode("utf-8")[: max(offset, 0)].decode("utf-8", "replace")
        line = data.count("\n") + 1
        return Location(path=self.display, line=line, column=len(data) - data.rfind("\n"))


@dataclass(frozen=True)
class _Statement:
    head: Token
    tokens: list[Token]


def load_rego_file(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> RegoModule:
    text, raw = read_text(path, display, max_bytes)
    return parse_rego(text, display, raw)


def parse_rego(text: str, display: str, raw: bytes | None = None) -> RegoModule:
    raw = text.encode("utf-8") if raw is None else raw
    try:
        tokens = tokenize(text)
    except LexError as exc:
        raise RuleError(
            str(exc), Location(path=display, line=exc.line, column=exc.column)
        ) from None
    statements = _statements(tokens)
    package_stmt = next((s for s in statements if s.head.text == "package"), None)
    if package_stmt is None:
        raise RuleError(
            "a Rego policy must start with a `package` statement", Location(path=display, line=1)
        )
    package = "".join(t.text for t in package_stmt.tokens[1:])
    _refuse_v0(statements, display)
    _refuse_non_deterministic(tokens, display)
    _refuse_undefined_calls(tokens, statements, display)
    rule_names = tuple(
        dict.fromkeys(s.head.text for s in statements if CONFTEST_RULE.match(s.head.text))
    )
    annotations = _annotations(text, display, {s.head.line: s for s in statements})
    declared = _declare(package, package_stmt, statements, annotations, display)
    defaults = next((a for a, _, s in annotations if s is package_stmt), RegoAnnotation())
    return RegoModule(
        display=display,
        source=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        package=package,
        version=defaults.custom.version,
        description=defaults.description,
        rule_names=rule_names,
        declared=declared,
    )


def _statements(tokens: list[Token]) -> list[_Statement]:
    """Top-level statements: each starts with a token at depth 0 that begins its line."""
    statements: list[_Statement] = []
    for token in tokens:
        if token.depth == 0 and token.starts_line and token.kind == "ident":
            statements.append(_Statement(token, [token]))
        elif statements:
            statements[-1].tokens.append(token)
    return statements


def _refuse_v0(statements: list[_Statement], display: str) -> None:
    for statement in statements:
        tokens = statement.tokens
        name = statement.head.text
        if CONFTEST_RULE.match(name) and len(tokens) > 1 and tokens[1].text == "[":
            raise RuleError(
                f"`{name}[...]` is Rego v0 syntax; govgate reads Rego v1 policies only",
                Location(path=display, line=tokens[1].line, column=tokens[1].column),
                hint=f"write `{name} contains msg if {{ ... }}` (`opa fmt --v0-v1` converts a "
                "whole file)",
            )
        for previous, token in pairwise(tokens):
            if token.text != "{" or token.depth != 0:
                continue
            value_follows = previous.kind == "op" and previous.text not in ("]", ")", "}")
            if value_follows or previous.text in _VALUE_AFTER:
                continue
            raise RuleError(
                f"rule `{name}` has a body without `if`: Rego v0 syntax, which regopy would "
                "evaluate with a different meaning",
                Location(path=display, line=token.line, column=token.column),
                hint="write `... if { ... }` (Rego v1); `opa fmt --v0-v1` converts a whole file",
            )


def _refuse_non_deterministic(tokens: list[Token], display: str) -> None:
    for i, token in enumerate(tokens[:-3]):
        if token.kind != "ident" or tokens[i + 1].text != ".":
            continue
        name = f"{token.text}.{tokens[i + 2].text}"
        if name in NON_DETERMINISTIC and tokens[i + 3].text == "(":
            raise RuleError(
                f"`{name}` is not allowed in govgate policies: rules never do I/O and must give "
                "the same answer for the same Facts and time",
                Location(path=display, line=token.line, column=token.column),
                hint="use input.at / input.at_ns for the evaluation time (set with --at)",
            )


# Words that can stand before `(` without calling anything (`set()` is the empty set).
_NOT_CALLS = frozenset({"if", "else", "not", "with", "as", "in", "some", "every", "default", "set"})


@cache
def rego_builtins() -> frozenset[str]:
    """OPA's built-in functions (rego_builtins.txt, from `opa capabilities --current`)."""
    text = Path(__file__).with_name("rego_builtins.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _refuse_undefined_calls(
    tokens: list[Token], statements: list[_Statement], display: str
) -> None:
    """A call to a function that neither OPA nor the policy defines. OPA refuses the module at
    compile time; regopy only fails when the call runs, so an unreached one passed `validate`."""
    defined = {s.head.text for s in statements}
    imported = {"data", "input"} | _import_aliases(statements)
    for i, token in enumerate(tokens):
        if token.kind != "ident" or (i and tokens[i - 1].text == "."):
            continue
        j, parts = i, [token.text]
        while j + 2 < len(tokens) and tokens[j + 1].text == "." and tokens[j + 2].kind == "ident":
            j += 2
            parts.append(tokens[j].text)
        if j + 1 >= len(tokens) or tokens[j + 1].text != "(" or parts[0] in _NOT_CALLS:
            continue
        name = ".".join(parts)
        if parts[0] in imported or name in defined or name in rego_builtins():
            continue
        raise RuleError(
            f"undefined function {name}: neither an OPA built-in nor defined in this policy "
            "(OPA refuses the policy when it compiles it)",
            Location(path=display, line=token.line, column=token.column),
            hint="check the spelling, or define the function in the policy",
        )


def _import_aliases(statements: list[_Statement]) -> set[str]:
    """Names `import data.x.y` (as y) and `import data.x as z` (as z) bring into the policy."""
    aliases = set()
    for statement in statements:
        if statement.head.text != "import":
            continue
        words = [t.text for t in statement.tokens[1:] if t.kind == "ident"]
        if words and words[0] in ("data", "input"):
            aliases.add(words[-1])
    return aliases


def _annotations(
    text: str, display: str, statements: dict[int, _Statement]
) -> list[tuple[RegoAnnotation, Location, _Statement]]:
    """Every `# METADATA` block with the statement right below it."""
    lines = text.split("\n")
    found: list[tuple[RegoAnnotation, Location, _Statement]] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != "# METADATA":
            index += 1
            continue
        start = index
        index += 1
        while index < len(lines) and lines[index].lstrip().startswith("#"):
            index += 1
        location = Location(path=display, line=start + 1, column=1)
        target = statements.get(index + 1)
        if target is None:
            raise RuleError(
                "a METADATA block must sit directly above the rule or package it describes",
                location,
            )
        yaml_text = "\n" * (start + 1) + "\n".join(
            line.replace("#", " ", 1) for line in lines[start + 1 : index]
        )
        loaded = parse_yaml(yaml_text, display)
        if loaded.data is None:
            loaded = parse_yaml("{}", display)
        annotation = validate(RegoAnnotation, loaded, RuleError)
        found.append((annotation, location, target))
    return found


def _declare(
    package: str,
    package_stmt: _Statement,
    statements: list[_Statement],
    annotations: list[tuple[RegoAnnotation, Location, _Statement]],
    display: str,
) -> tuple[Declared, ...]:
    defaults = next((a for a, _, s in annotations if s is package_stmt), RegoAnnotation())
    by_statement = {id(s): (a, loc) for a, loc, s in annotations}
    declared: dict[str, Declared] = {}
    unannotated: dict[str, Location] = {}
    implicit_annotation: dict[str, tuple[RegoAnnotation, Location]] = {}
    for statement in statements:
        name = statement.head.text
        if not CONFTEST_RULE.match(name):
            continue
        where = Location(path=display, line=statement.head.line, column=statement.head.column)
        annotated = by_statement.get(id(statement))
        if annotated is None:
            unannotated.setdefault(name, where)
            continue
        annotation, meta_location = annotated
        if annotation.custom.id is None:
            implicit_annotation.setdefault(name, (annotation, meta_location))
            unannotated.setdefault(name, where)
            continue
        rule_id = annotation.custom.id
        if rule_id in declared:
            raise RuleError(
                f"rule id {rule_id!r} is declared twice (first at {declared[rule_id].location})",
                meta_location,
                hint="annotate one body; other bodies may return the same id without METADATA",
            )
        rule = _rule(package, name, annotation, defaults, meta_location, rule_id, False)
        declared[rule_id] = Declared(rule, where)
    declared_names = {d.rule.name for d in declared.values()}
    for name, where in unannotated.items():
        if name in declared_names and name not in implicit_annotation:
            continue  # bodies returning {id: ...} of rules declared on another body
        annotation, meta_location = implicit_annotation.get(name, (RegoAnnotation(), where))
        rule_id = defaults.custom.id if defaults.custom.id else f"{package}.{name}"
        if rule_id in declared:
            raise RuleError(f"rule id {rule_id!r} is declared twice", meta_location)
        rule = _rule(package, name, annotation, defaults, meta_location, rule_id, True)
        declared[rule_id] = Declared(rule, where)
    return tuple(declared.values())


def _rule(
    package: str,
    name: str,
    annotation: RegoAnnotation,
    defaults: RegoAnnotation,
    location: Location,
    rule_id: str,
    implicit: bool,
) -> RegoRule:
    own, base = annotation.custom, defaults.custom
    remediation = own.remediation or base.remediation
    if remediation is None:
        if not implicit:
            raise RuleError(
                f"rule {rule_id} needs `custom.remediation` in its METADATA: how to fix a failure",
                location,
            )
        remediation = f"See the policy {package} ({location.path}:{location.line})."
    severity: Severity = (
        own.severity or base.severity or ("warning" if name.startswith("warn") else "blocking")
    )
    title = annotation.title or (defaults.title if implicit else None) or rule_id
    return RegoRule(
        id=rule_id,
        title=title,
        severity=severity,
        remediation=remediation,
        description=annotation.description or (defaults.description if implicit else None),
        tiers=own.tiers if own.tiers is not None else base.tiers,
        stages=own.stages if own.stages is not None else base.stages,
        controls=own.controls if own.controls is not None else (base.controls or []),
        waivable=own.waivable if own.waivable is not None else (base.waivable is not False),
        help_uri=own.help_uri or base.help_uri,
        package=package,
        name=name,
        implicit=implicit,
    )
