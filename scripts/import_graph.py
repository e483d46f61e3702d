"""Print govgate's import graph from the code and fail on a cycle or an edge against the flow.

Every `import` and `from ... import` counts, at module level, inside functions and under
`if TYPE_CHECKING:` alike: a lazy import is still a dependency, only a cheaper one. So does a
string that is exactly a module's dotted name, as the registries write the modules they import
on first use (`"govgate.formats.json"`). The flow the
package keeps (docs/architecture.md) is the order of LAYERS below; a module may import its own
layer and the layers before it, never one after it, and never a layer its own names in `apart`
(siblings that must not know each other, such as the sources and the pure engines).

    python scripts/import_graph.py               # the graph, one line per module, then problems
    python scripts/import_graph.py --packages    # folded to packages (govgate.sources, ...)
    python scripts/import_graph.py --root DIR --package NAME   # another tree (the tests use it)

Exit status: 0 clean, 1 a cycle or a forbidden edge (each printed), 2 a module in no layer or a
file that does not parse.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src"


@dataclass(frozen=True)
class Layer:
    name: str
    members: str  # dotted names relative to the package, space-separated; each covers its children
    apart: tuple[str, ...] = ()  # earlier layers this one must not import all the same

    @property
    def modules(self) -> list[str]:
        return ["" if member == "." else member for member in self.members.split()]


# The flow: sources -> facts -> engines/rules -> findings -> waivers -> report -> formats ->
# publishers, with the values every stage shares (config, facts, findings) below the stages that
# make or read them, and the programs that compose the stages (the gate, the commands) on top.
# "." is the package itself (its __init__: the version).
LAYERS: tuple[Layer, ...] = (
    Layer(
        "core",
        ". errors location record jsonable identity redaction yamlio utc strict atomic_write "
        "yamledit",
    ),
    Layer("models", "config artifacts approvals.model approvals.review facts findings"),
    Layer("sources", "sources"),
    Layer("rules", "rules engines", apart=("sources",)),
    Layer("waivers", "exceptions exceptions.model exceptions.apply", apart=("sources",)),
    Layer("report", "report"),
    Layer("formats", "formats", apart=("sources", "rules")),
    Layer("publishers", "publish", apart=("sources",)),
    Layer(
        "programs",
        "gate needs wiring validate verify explain scaffold schemas casetest portfolio approvals "
        "ci exceptions.edit",
    ),
    Layer("commands", "commands"),
    Layer("entry", "cli __main__"),
)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int


def modules(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of the package."""
    found: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: Mapping[str, Path]) -> Iterator[Edge]:
    """The package's modules that `name` imports, wherever in the file the import stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            # `from pkg import mod` imports the module pkg.mod; `from mod import name`, mod.
            targets = [
                f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in known else stem
                for alias in node.names
            ]
        elif isinstance(node, ast.Constant) and node.value in known:
            targets = [str(node.value)]  # a registry naming a module it imports on first use
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import a.b.c` of a package: its module
                target = target.rpartition(".")[0]
            if target and target != name:
                yield Edge(name, target, node.lineno)


def layer_of(name: str, package: str, layers: Sequence[Layer]) -> int | None:
    """Index of the layer whose longest module prefix covers `name`."""
    relative = name.removeprefix(package).removeprefix(".")
    best: tuple[int, int] | None = None  # (prefix length, layer index)
    for index, layer in enumerate(layers):
        for prefix in layer.modules:
            covers = relative == prefix or (prefix and relative.startswith(prefix + "."))
            if covers and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    return None if best is None else best[1]


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Every strongly connected set of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def check(root: Path, package: str, layers: Sequence[Layer], *, fold: bool) -> int:
    known = modules(root, package)
    edges = list(
        dict.fromkeys(edge for name, path in known.items() for edge in imports(name, path, known))
    )
    graph: dict[str, set[str]] = {name: set() for name in known}
    for edge in edges:
        graph[edge.source].add(edge.target)

    shown = _folded(graph, package) if fold else graph
    for name in sorted(shown):
        print(f"{name} -> {', '.join(sorted(shown[name])) or '-'}")

    unplaced = sorted(name for name in known if layer_of(name, package, layers) is None)
    for name in unplaced:
        print(f"error: {name} is in no layer: add it to LAYERS", file=sys.stderr)
    names = [layer.name for layer in layers]
    problems: list[str] = []
    for edge in sorted(edges, key=lambda e: (e.source, e.line)):
        source = layer_of(edge.source, package, layers)
        target = layer_of(edge.target, package, layers)
        if source is None or target is None:
            continue
        where = f"{known[edge.source].relative_to(root)}:{edge.line}"
        if target > source:
            problems.append(
                f"{where}: {edge.source} ({names[source]}) imports {edge.target} "
                f"({names[target]}), a later layer"
            )
        elif names[target] in layers[source].apart:
            problems.append(
                f"{where}: {edge.source} ({names[source]}) imports {edge.target} "
                f"({names[target]}), which it must stay apart from"
            )
    for component in cycles(graph):
        problems.append(f"cycle: {' <-> '.join(component)}")
    print(f"{len(known)} modules, {len(edges)} imports, layers {' < '.join(names)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if unplaced:
        return 2
    return 1 if problems else 0


def _folded(graph: Mapping[str, set[str]], package: str) -> dict[str, set[str]]:
    """The graph between the package's direct children (govgate.sources, govgate.cli, ...)."""

    def top(name: str) -> str:
        return ".".join(name.split(".")[: len(package.split(".")) + 1])

    folded: dict[str, set[str]] = {}
    for name, targets in graph.items():
        folded.setdefault(top(name), set()).update(t for t in map(top, targets) if t != top(name))
    return folded


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="folder holding the package")
    parser.add_argument("--package", default="govgate")
    parser.add_argument("--packages", action="store_true", help="fold modules to packages")
    args = parser.parse_args(argv)
    try:
        return check(args.root, args.package, LAYERS, fold=args.packages)
    except (OSError, SyntaxError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
