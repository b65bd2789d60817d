"""Steps and source formats each live in one place, and their modules stay small.

Read from the source with `ast` (as tests/unit/test_architecture.py does):

- a record format is named in one module: no other module of src/deckgen holds the name of a
  registered format as a string (records, readers and the store ask the format object);
- the load-time checks of the outline (source/schema.py) name no step: they ask each step
  (expressions, sources, windows), so a new step needs no edit there;
- the modules of steps, formats and readers, and the expression evaluator the steps call, have
  no function above cyclomatic complexity 25 and no module above 600 lines (radon).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from deckgen.data import formats

SRC = Path(__file__).resolve().parents[2] / "src" / "deckgen"

#: The modules this part keeps within the limits.
MODULES = sorted([*(SRC / "data" / "steps").glob("*.py"), SRC / "data" / "formats.py",
                  SRC / "data" / "readers.py", SRC / "data" / "records.py",
                  SRC / "data" / "store.py", SRC / "data" / "csvread.py",
                  SRC / "data" / "evaluate.py", SRC / "data" / "textbudget.py",
                  SRC / "source" / "steps.py", SRC / "source" / "schema.py"])
MAX_COMPLEXITY = 25
MAX_LINES = 600


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def test_a_format_is_named_in_its_own_module_only() -> None:
    names = set(formats.FORMATS)
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "data" / "formats.py":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Constant) and node.value in names:
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {node.value!r}")
    assert found == []


def test_the_outlines_checks_name_no_step() -> None:
    named = set()
    for node in ast.walk(_tree(SRC / "source" / "schema.py")):
        if isinstance(node, ast.ImportFrom) and node.module == "deckgen.source.steps":
            named |= {alias.name for alias in node.names}
    assert named <= {"STEPS"}, f"source/schema.py names steps: {sorted(named - {'STEPS'})}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_function_too_complex_and_no_module_too_long(path: Path) -> None:
    cc_visit = pytest.importorskip("radon.complexity").cc_visit
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES, f"{path.name} is over {MAX_LINES} lines"
    blocks = list(cc_visit(text))
    for block in list(blocks):
        blocks += getattr(block, "methods", [])
    complex_ = [f"{b.name} ({b.complexity})" for b in blocks if b.complexity > MAX_COMPLEXITY]
    assert complex_ == [], f"{path.name}: above {MAX_COMPLEXITY}: {complex_}"
