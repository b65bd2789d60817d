"""The size rule of issue 23 for the readers of the outline and of data files: no function above
cyclomatic complexity 25 and no module above 600 lines.

These modules read what users write (expressions, `{placeholders}`, number formats) and files
that may come from anyone (GeoJSON boundaries, workbooks), so each refusal and its message must
be easy to find and to check; a function past these limits hid them in one body. Measured with
radon, as `radon cc -s -n E` and `wc -l` would. (test_architecture_kinds.py holds the rule for
the whole tree.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "deckgen"
READERS = ["source/expr.py", "source/variables.py", "source/numformat.py",
           "data/boundaries.py", "data/geojsoncheck.py", "data/xlsxcheck.py", "data/excel.py"]
MAX_COMPLEXITY = 25
MAX_LINES = 600


@pytest.mark.parametrize("module", READERS)
def test_no_function_of_a_reader_is_above_complexity_25(module: str) -> None:
    complexity = pytest.importorskip("radon.complexity")
    blocks = complexity.cc_visit((SRC / module).read_text(encoding="utf-8"))
    too_complex = [f"{b.fullname} ({b.complexity})" for b in blocks
                   if b.complexity > MAX_COMPLEXITY]
    assert not too_complex, f"{module}: split {', '.join(too_complex)}"


@pytest.mark.parametrize("module", READERS)
def test_no_reader_module_is_above_600_lines(module: str) -> None:
    lines = len((SRC / module).read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines"
