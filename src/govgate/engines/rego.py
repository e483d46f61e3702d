"""In-process Rego with regopy (rego-cpp): the same Facts as `input`, no server.

regopy behaviours neutralised here, each covered by a test:
- it prints errors to stdout unless its log level is NONE (that would corrupt `--format json`
  on stdout), so the level is set before anything else;
- built-in errors are silently undefined unless strict built-in errors are on: they are on, so a
  failing built-in is an error finding, never a quiet pass;
- a `false` rule value is reported as undefined unless bound, so every query binds
  (`x := data.pkg`);
- errors carry a byte offset, converted here to line:col of the policy file.
Rego v0 bodies and `Z` timestamps are handled before regopy sees them (rego_source, rego_input).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from govgate.engines.rego_results import PackageResult
from govgate.errors import RuleError
from govgate.location import Location
from govgate.rules.rego_source import RegoModule

_ERRORMSG = re.compile(r"\(errormsg (\d+):")
_ORIGIN = re.compile(r"\s(\d+):")


class RegopyEngine:
    """Policies compiled once; `evaluate` may be called for many inputs (rule-pack tests do)."""

    def __init__(self, modules: Sequence[RegoModule]) -> None:
        try:
            import regopy
        except ImportError:
            raise RuleError(
                "Rego policies need the regopy engine, which is not installed",
                hint="pip install 'govgate[rego]', or set `rego.engine: opa` in govgate.yaml",
            ) from None
        self._regopy = regopy
        self._modules = {m.display: m for m in modules}
        self._packages = list(dict.fromkeys(m.package for m in modules))
        interpreter = regopy.Interpreter()
        interpreter.log_level = regopy.LogLevel.NONE  # never print to our stdout
        interpreter.strict_built_in_errors = True  # a failing built-in is an error, not undefined
        for module in modules:
            try:
                interpreter.add_module(module.display, module.source)
            except regopy.RegoError as exc:
                message, location = self.describe(str(exc))
                raise RuleError(
                    f"Rego: {message}", location or Location(path=module.display)
                ) from None
        self._interpreter = interpreter

    def evaluate(self, document: Mapping[str, Any]) -> dict[str, PackageResult]:
        regopy = self._regopy
        try:
            # ensure_ascii=False: rego-cpp keeps \u escapes literally, so "modèle" would not
            # equal input.subject.name if it arrived as "mod\u00e8le".
            self._interpreter.set_input_term(json.dumps(document, ensure_ascii=False))
        except regopy.RegoError as exc:
            raise RuleError(f"Rego could not read the Facts document: {exc}") from None
        results: dict[str, PackageResult] = {}
        for package in self._packages:
            try:
                output = self._interpreter.query(f"x := data.{package}")
            except regopy.RegoError as exc:
                message, location = self.describe(str(exc))
                results[package] = PackageResult(error=message, location=location)
                continue
            except ValueError as exc:  # rego-cpp sometimes emits output that is not JSON
                results[package] = PackageResult(
                    error=f"regopy returned output that is not JSON ({exc}); a rego-cpp bug, "
                    "often a string built with sprintf %s: build it with concat"
                )
                continue
            if not output.ok():
                message, location = self.describe(self._error_text(output))
                results[package] = PackageResult(error=message, location=location)
                continue
            value: Any = output.results[0].bindings.get("x") if output.results else None
            if value is None:
                value = {}  # a package whose rules are all undefined yields no messages
            if not isinstance(value, dict):
                results[package] = PackageResult(error=f"data.{package} is not a package")
                continue
            results[package] = PackageResult(values=value)
        return results

    def _error_text(self, output: Any) -> str:
        """The first error of a failed query, as rego-cpp's node text (not public in regopy)."""
        shared = self._regopy.rego_shared
        try:
            node = output.node()._impl
            if shared.rego_node_size(node) > 0:
                return str(shared.rego_node_json(shared.rego_node_get(node, 0)))
        except Exception:  # the text is a courtesy; the error itself is certain
            pass
        return "evaluation error (regopy gave no detail)"

    def describe(self, text: str) -> tuple[str, Location | None]:
        """rego-cpp's error text -> a message and the policy file's line:col."""
        match = _ERRORMSG.search(text)
        message = text.strip()
        if match:
            start = match.end()
            message = text[start : start + int(match.group(1))]
        return message, self._location(text)

    def _location(self, text: str) -> Location | None:
        # origins look like `6:p.rego|38|2`: a length-prefixed file name, byte offset, length
        for match in _ORIGIN.finditer(text):
            start = match.end()
            name = text[start : start + int(match.group(1))]
            rest = text[start + len(name) :]
            module = self._modules.get(name)
            offset = re.match(r"\|(\d+)\|", rest)
            if module is not None and offset:
                return module.offset_location(int(offset.group(1)))
        return None
