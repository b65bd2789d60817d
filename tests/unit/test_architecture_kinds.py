"""Kinds only lay out, and complexity must earn its keep (issue 23, item 2).

- A kind gets its figures as typed values from `data/` (tables, series, map areas): it imports
  no pandas, names no DataFrame, never asks the data store for a frame and uses none of the
  frame helpers of data/frames.py (read with `ast`, like test_architecture.py).
- No function (method, closure) above cyclomatic complexity 25 and no module above 600 lines,
  measured with radon (`radon.complexity.cc_visit`; a class counts as radon counts it, its
  methods' mean plus one), in the kinds and the modules that compute their figures first (the
  failure names them), then in the whole tree.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, Iterator

import pytest
from radon.complexity import cc_visit

SRC = Path(__file__).resolve().parents[2] / "src" / "deckgen"
KINDS = sorted((SRC / "kinds").glob("*.py"))

MAX_COMPLEXITY = 25
MAX_LINES = 600

#: The kinds and the modules that compute their figures: held to the limits now.
FIGURES = [*KINDS, *(SRC / "data" / f"{name}.py" for name in (
    "slide", "tablekeys", "tables", "tabletotals", "series", "mapareas", "mapclasses")),
    SRC / "layout" / "chartdata.py", SRC / "layout" / "mapdata.py"]

def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _name(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


@pytest.mark.parametrize("path", KINDS, ids=_name)
def test_a_kind_imports_no_pandas_and_names_no_data_frame(path: Path) -> None:
    found = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in ("pandas", "numpy")]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.split(".")[0] in ("pandas", "numpy") or module == "deckgen.data.frames":
                found.append(module)
        elif isinstance(node, ast.Name) and node.id == "DataFrame":
            found.append("DataFrame")
        elif isinstance(node, ast.Attribute) and node.attr == "DataFrame":
            found.append("….DataFrame")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and "DataFrame" in node.value:  # a quoted annotation
            found.append(repr(node.value))
    assert found == [], f"{_name(path)} handles frames itself: {found}"


@pytest.mark.parametrize("path", KINDS, ids=_name)
def test_a_kind_never_asks_the_store_for_a_frame(path: Path) -> None:
    calls = [node.lineno for node in ast.walk(_tree(path))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and node.func.attr == "frame"]
    assert calls == [], f"{_name(path)} reads a frame at lines {calls}: compute in data/"


def _blocks(blocks: list[Any]) -> Iterator[Any]:
    """Every function, method, closure and class radon measures, nested ones too."""
    for block in blocks:
        yield block
        yield from _blocks(list(getattr(block, "closures", [])))
        for inner in getattr(block, "inner_classes", []):
            yield from _blocks([inner, *inner.methods])


def over_the_limits(paths: list[Path]) -> list[str]:
    """'path name (complexity)' for each block above MAX_COMPLEXITY, 'path (lines)' for each
    module above MAX_LINES."""
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        seen = set()
        for block in _blocks(cc_visit(text)):
            name = getattr(block, "fullname", block.name)
            if block.complexity > MAX_COMPLEXITY and (name, block.lineno) not in seen:
                seen.add((name, block.lineno))
                out.append(f"{_name(path)} {name} ({block.complexity})")
        lines = len(text.splitlines())
        if lines > MAX_LINES:
            out.append(f"{_name(path)} ({lines} lines)")
    return out


def test_the_kinds_and_their_figures_are_within_the_limits() -> None:
    assert over_the_limits(FIGURES) == []


def test_no_function_too_complex_and_no_module_too_long() -> None:
    assert over_the_limits(sorted(SRC.rglob("*.py"))) == []
