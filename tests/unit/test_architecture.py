"""The shape of the code: stages import one way, libraries stay in their stage, no cycles.

Reads every module of src/deckgen with `ast` (imports at module level, inside functions and
under TYPE_CHECKING alike) and checks the rules the README's module table describes:

- no import cycle between modules, and none between the stage packages;
- each stage imports only the stages before it (source < data < cache < layout < kinds <
  pipeline < render < batch < live < app < cli), plus the shared helpers;
- matplotlib only in render/charts.py, pandas only in data/ (python-pptx, lxml and the
  package's zip only in deckgen.office: tests/unit/test_architecture_office.py);
- the command line imports only the orchestrator (app) and what it needs to print.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "deckgen"

#: The packages and top-level modules in pipeline order; each may import only those before it
#: (and itself). Shared helpers may be imported by anyone and import only each other.
ORDER = ["source", "data", "cache", "layout", "kinds", "pipeline", "render", "edits", "batch",
         "live", "guide", "app", "cliargs", "cli", "__main__"]
SHARED = {"deckgen", "errors", "options", "interrupt", "atomic", "entry", "inputs"}
#: deckgen.office, the one door to PowerPoint files, sits at two stages: its readers at the
#: source stage, its writers at the render stage (tests/unit/test_architecture_office.py).
OFFICE = {"office": "source", "office.read": "source", "office.write": "render"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _resolve(name: str) -> str | None:
    """The deckgen module an import names: the module itself, or the package it is in."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports(module: str) -> set[str]:
    """Every name imported anywhere in the module (deckgen modules and outside libraries)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def graph() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for module in MODULES:
        targets = {_resolve(name) for name in imports(module) if name.startswith("deckgen")}
        out[module] = {t for t in targets if t and t != module}
    return out


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def stage(module: str) -> str:
    part = module.split(".")[1] if "." in module else "deckgen"
    return OFFICE.get(".".join(module.split(".")[1:3]), part)


def test_no_import_cycle_between_modules() -> None:
    assert _cycles(graph()) == []


def test_no_import_cycle_between_stages() -> None:
    edges: dict[str, set[str]] = {}
    for module, targets in graph().items():
        edges.setdefault(stage(module), set()).update(stage(t) for t in targets
                                                      if stage(t) != stage(module))
    assert _cycles(edges) == []


def test_stages_import_only_earlier_stages() -> None:
    wrong = []
    for module, targets in graph().items():
        here = stage(module)
        for target in targets:
            there = stage(target)
            if there in SHARED or there == here:
                continue
            if here in SHARED:
                wrong.append(f"{module} (shared) imports {target}")
            elif ORDER.index(there) > ORDER.index(here):
                wrong.append(f"{module} ({here}) imports {target} ({there}), a later stage")
    assert wrong == []


@pytest.mark.parametrize("library,allowed", [
    ("matplotlib", ("deckgen.render.charts", "deckgen.render.maps", "deckgen.render.mapnames")),
    ("shapely", ("deckgen.data",)),
    ("pandas", ("deckgen.data",)),
    ("numpy", ("deckgen.data",)),
])
def test_libraries_stay_in_their_stage(library: str, allowed: tuple[str, ...]) -> None:
    users = sorted(m for m in MODULES
                   if any(n == library or n.startswith(library + ".") for n in imports(m)))
    assert users, f"nothing imports {library}: is the rule still needed?"
    outside = [m for m in users if not m.startswith(allowed)]
    assert outside == [], f"{library} is imported outside {allowed}"


def test_the_command_line_imports_only_the_orchestrator_and_printing() -> None:
    deckgen = {name for name in imports("deckgen.cli") if name.startswith("deckgen")}
    modules = {_resolve(name) for name in deckgen}
    assert modules <= {"deckgen", "deckgen.app", "deckgen.cliargs", "deckgen.errors",
                       "deckgen.interrupt", "deckgen.options"}, modules


def test_no_built_deck_is_committed() -> None:
    """Decks are built, not kept in git: every output/ folder is ignored (.gitignore)."""
    import shutil
    import subprocess

    root = SRC.parents[1]
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "*.pptx", "*.pdf"], cwd=root,
                             capture_output=True, text=True, check=True).stdout.split()
    assert tracked == []
    ignored = subprocess.run(["git", "check-ignore", "districts/output/x.pptx",
                              "output/x.pptx", "examples/monthly-pack/output/x.pptx"],
                             cwd=root, capture_output=True, text=True).stdout.split()
    assert len(ignored) == 3
