"""YAML reading with a file:line:col on every error, safe limits, and key positions for validation.

Plain reads use PyYAML's C loader (several times faster than ruamel); positions come from the
composed node tree of the same parse, so they cost one walk and no second parse.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml
from pydantic import BaseModel, ValidationError

from govgate.errors import InputError
from govgate.location import Location, format_key_path

try:  # pragma: no cover - which branch runs depends on how PyYAML was built
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Base  # type: ignore[assignment]

_BOOL = "tag:yaml.org,2002:bool"


class Yaml12Loader(_Base):
    """PyYAML's fast loader with YAML 1.2 booleans: only true/false are booleans.

    YAML 1.1 also reads on/off/yes/no/y/n as booleans, so an approval's `on:` key would become
    `True` and a country code `NO` would become `False`. ruamel.yaml, which edits these files,
    follows 1.2; reading them the same way keeps both views of a file identical.
    """


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader = Yaml12Loader

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 200  # far deeper than any govgate document; Python's own limit is near 1,000

KeyPath = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class LoadedYaml:
    """One parsed YAML file: its data, where each key sits, and the digest of its bytes."""

    path: str
    data: Any
    sha256: str
    size: int
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def location(self, key_path: KeyPath = ()) -> Location:
        """The closest known position for a key path (the deepest existing prefix)."""
        parts = key_path
        while parts and parts not in self.positions:
            parts = parts[:-1]
        line, column = self.positions.get(parts, (1, 1))
        return Location(
            path=self.path,
            line=line,
            column=column,
            key_path=format_key_path(key_path) or None,
        )


def read_text(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, bytes]:
    """Read a UTF-8 text file within a size limit; every failure is an InputError with a place."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"file not found: {display}", Location(path=display)) from None
    except OSError as exc:
        raise InputError(f"cannot read {display}: {exc.strerror}", Location(path=display)) from None
    if size > max_bytes:
        raise InputError(
            f"file is {size} bytes, over the {max_bytes}-byte limit",
            Location(path=display),
            hint="raise limits.max_file_bytes in govgate.yaml if this file is meant to be this big",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {display}: {exc.strerror}", Location(path=display)) from None
    return decode_utf8(raw, display), raw


def decode_utf8(raw: bytes, display: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            Location(path=display, line=line, column=column),
            hint="save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


def load_yaml_file(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedYaml:
    text, raw = read_text(path, display, max_bytes)
    return parse_yaml(text, display, raw)


def parse_yaml(text: str, display: str, raw: bytes | None = None) -> LoadedYaml:
    """Parse one YAML document, rejecting duplicate keys and alias bombs with their position."""
    raw = text.encode("utf-8") if raw is None else raw
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        positions: dict[KeyPath, tuple[int, int]] = {}
        if node is not None:
            _walk(node, (), positions, display, [0])
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise _marked_error(exc, display) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", Location(path=display)) from None
    except TypeError as exc:  # unhashable keys such as `{{ x }}` surface here
        raise InputError(f"invalid YAML: {exc}", Location(path=display)) from None
    finally:
        loader.dispose()
    return LoadedYaml(
        path=display,
        data=data,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        positions=positions,
    )


def _marked_error(exc: yaml.MarkedYAMLError, display: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    if exc.context and exc.context not in problem:
        problem = f"{exc.context}: {problem}"
    location = (
        Location(path=display, line=mark.line + 1, column=mark.column + 1)
        if mark is not None
        else Location(path=display)
    )
    return InputError(f"invalid YAML: {problem}", location)


def _walk(
    node: yaml.Node,
    key_path: KeyPath,
    positions: dict[KeyPath, tuple[int, int]],
    display: str,
    counter: list[int],
    ancestors: tuple[int, ...] = (),
) -> None:
    counter[0] += 1
    where = Location(path=display, line=node.start_mark.line + 1, column=node.start_mark.column + 1)
    if counter[0] > MAX_NODES:
        raise InputError(
            f"document expands to more than {MAX_NODES} nodes (a YAML alias bomb?)", where
        )
    if id(node) in ancestors:  # `a: &x [*x]`: a node that contains itself never ends
        raise InputError("recursive alias: a node contains itself", where)
    if len(ancestors) >= MAX_DEPTH:
        raise InputError(f"document is nested deeper than {MAX_DEPTH} levels", where)
    ancestors = (*ancestors, id(node))
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                _walk(value_node, key_path, positions, display, counter, ancestors)
                continue
            key: Any = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key is not None and key in seen:
                raise InputError(
                    f"duplicate key {key!r} (first defined on line {seen[key]})",
                    Location(path=display, line=line, column=key_node.start_mark.column + 1),
                    hint="remove one of them: YAML would silently keep only the last",
                )
            if key is not None:
                seen[key] = line
                child = (*key_path, key)
                positions[child] = (line, key_node.start_mark.column + 1)
                _walk(value_node, child, positions, display, counter, ancestors)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*key_path, index)
            positions[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _walk(item, child, positions, display, counter, ancestors)


def validate(
    model: type[ModelT], loaded: LoadedYaml, error: type[InputError] = InputError
) -> ModelT:
    """Validate parsed YAML against a pydantic model; the first problem is raised with its place.

    All problems are listed in the message when there are several, each with its own line.
    """
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        problems = describe_validation_error(exc, loaded, model)
        first_location, first_message = problems[0]
        message = first_message
        if len(problems) > 1:
            rest = "; ".join(f"line {loc.line}: {msg}" for loc, msg in problems[1:6])
            more = f" (+{len(problems) - 6} more)" if len(problems) > 6 else ""
            message = f"{first_message} [also: {rest}{more}]"
        raise error(message, first_location) from None


def describe_validation_error(
    exc: ValidationError, loaded: LoadedYaml, model: type[BaseModel] | None = None
) -> list[tuple[Location, str]]:
    """Turn pydantic errors into (location, message) pairs keyed by the data's own key path."""
    entries = [
        (_data_path(loaded.data, tuple(err["loc"]), err["type"] == "missing"), err)
        for err in exc.errors(include_url=False)
    ]
    paths = [path for path, _ in entries]
    seen: set[tuple[str, str]] = set()
    problems: list[tuple[Location, str]] = []
    for data_path, err in entries:
        if _is_losing_union_branch(data_path, err, paths):
            continue
        message = _message(err, data_path)
        if err["type"] == "extra_forbidden" and model is not None:
            message += _suggestion(model, loaded.data, data_path)
        location = loaded.location(data_path)
        dedupe = (str(location), message)
        if dedupe in seen:
            continue
        seen.add(dedupe)
        problems.append((location, message))
    problems.sort(key=lambda item: (item[0].line or 0, item[0].column or 0))
    return problems


def _suggestion(model: type[BaseModel], data: Any, path: KeyPath) -> str:
    """' (did you mean 'required'?)' for a misspelt key, from the model that owns its parent."""
    owner = _model_at(model, data, path[:-1])
    if owner is None or not isinstance(path[-1], str):
        return ""
    keys = [f.alias or name for name, f in owner.model_fields.items()]
    import difflib  # only on a misspelt key: not worth its import on every run

    close = difflib.get_close_matches(path[-1], keys, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (expected one of: {', '.join(keys)})"


def _model_at(model: type[BaseModel], data: Any, path: KeyPath) -> type[BaseModel] | None:
    current: Any = model
    for part in path:
        data = data[part] if _has(data, part) else None
        if isinstance(part, int):
            continue  # a list item: the element type was already chosen below
        fields = {f.alias or n: f for n, f in current.model_fields.items()}
        if part not in fields:
            return None
        current = _pick_model(fields[part].annotation, data)
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _pick_model(annotation: Any, data: Any) -> type[BaseModel] | None:
    """The model class inside list[...]/dict[...]/Optional/unions, chosen by `kind` if several."""
    candidates: list[type[BaseModel]] = []
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            candidates.append(item)
        else:
            stack.extend(get_args(item))
    if isinstance(data, list) and data:
        data = data[0]
    kind = data.get("kind") if isinstance(data, dict) else None
    for candidate in candidates:
        field = candidate.model_fields.get("kind")
        if kind is not None and field is not None and kind in get_args(field.annotation):
            return candidate
    return candidates[0] if len(candidates) == 1 else None


def _is_losing_union_branch(path: KeyPath, err: Any, paths: list[KeyPath]) -> bool:
    """`str | Spec` given a mapping: the `str` branch's complaint is noise beside Spec's own."""
    if not str(err["type"]).endswith("_type") or not isinstance(err.get("input"), dict | list):
        return False
    return any(len(other) > len(path) and other[: len(path)] == path for other in paths)


def _has(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and 0 <= part < len(container)


def _data_path(data: Any, loc: tuple[Any, ...], missing: bool) -> KeyPath:
    """Drop the parts of a pydantic loc that name union members rather than keys in the data."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if _has(current, part):
            path.append(part)
            current = current[part]
        elif not isinstance(current, dict | list):
            break
    if missing and loc and isinstance(loc[-1], str) and (not path or path[-1] != loc[-1]):
        path.append(loc[-1])
    return tuple(path)


def _message(err: Any, data_path: KeyPath) -> str:
    kind = err["type"]
    where = format_key_path(data_path)
    key = data_path[-1] if data_path else None
    if kind == "extra_forbidden":
        return f"unknown key {key!r} at {where}"
    if kind == "missing":
        return f"missing required key {key!r} at {where}"
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return (
            f"{where}: unknown {ctx.get('discriminator', 'kind')} "
            f"{ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
        )
    if kind == "union_tag_not_found":
        return f"{where}: missing key {err.get('ctx', {}).get('discriminator', 'kind')!r}"
    text = str(err["msg"])
    given = err.get("input")
    if isinstance(given, str | int | float | bool) and kind != "value_error":
        text += f", got {given!r}"
    return f"{where}: {text}" if where else text
