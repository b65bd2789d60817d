"""The corpus of broken outlines and data, run through the real command line.

Each folder of tests/fixtures/bad/ is one failure: a small deck.yaml, the files it needs (or a
make.py that writes the ones git should not hold: a truncated PNG, a decompression bomb, Latin-1
text) and expected.txt, the exact stderr. Every case must exit 1 without a traceback, print
exactly the expected lines, leave a deck built before byte for byte as it was and leave no
temporary file behind. A case's args.txt holds more arguments for both commands, one a line
(`--strict`: a warning the case is about, made an error). Each folder of
tests/fixtures/good-excel/ is a CSV as Excel (or a
statistics site) writes it that must build, with expected.json holding the table a reader sees
and, where deckgen should warn about it, expected-warnings.txt holding the exact warnings.

A case listed in KNOWN_BAD / KNOWN_BAD_GOOD fails today: its expected output is what deckgen
should say, and the test is a strict xfail until it does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BAD = FIXTURES / "bad"
GOOD = FIXTURES / "good-excel"

#: Cases that do not yet give the expected answer: name -> what happens now.
KNOWN_BAD: dict[str, str] = {}

#: Excel-style CSVs that should build but do not yet: name -> what happens now.
KNOWN_BAD_GOOD: dict[str, str] = {}

#: The -o of the build when it is not out/previous.pptx (the case is about the output itself).
OUTPUT_OVERRIDE = "output.txt"

def extra_args(case: Path) -> list[str]:
    """The case's own arguments (args.txt), e.g. --strict for a case about a warning."""
    extra = case / "args.txt"
    return extra.read_text(encoding="utf-8").split() if extra.exists() else []


#: Cases that must fail fast, in seconds (Python start-up included).
TIME_LIMITS = {"yaml-billion-laughs": 5.0}

SENTINEL = b"a deck built before: deckgen must not touch these bytes\n"


def cases(folder: Path, known_bad: dict[str, str]) -> list[object]:
    params = []
    for case in sorted(p for p in folder.iterdir() if p.is_dir()):
        marks = []
        if case.name in known_bad:
            marks.append(pytest.mark.xfail(strict=True, reason=known_bad[case.name]))
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def prepare(case: Path, tmp_path: Path) -> Path:
    """A private copy of the case (one level down, so '../' stays inside tmp_path), made."""
    work = tmp_path / "deck"
    shutil.copytree(case, work)
    if (work / "make.py").exists():
        subprocess.run([sys.executable, "make.py"], cwd=work, check=True, timeout=60)
    return work


def deckgen(work: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "deckgen", *args], check=False, cwd=work,
                            capture_output=True, text=True, timeout=60)
    return result, time.monotonic() - start


def tree(root: Path) -> set[str]:
    """Every file and folder under root (hidden ones too), relative to it."""
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def expected_lines(case: Path) -> list[str]:
    return (case / "expected.txt").read_text(encoding="utf-8").splitlines()


def assert_refused(case: Path, result: subprocess.CompletedProcess[str], seconds: float) -> None:
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == expected_lines(case)
    assert result.returncode == 1, result.stderr
    limit = TIME_LIMITS.get(case.name)
    if limit is not None:
        assert seconds < limit, f"took {seconds:.1f} s"


@pytest.mark.parametrize("case", cases(BAD, KNOWN_BAD))
def test_build_refuses_bad_input_and_keeps_the_previous_deck(case: Path, tmp_path: Path) -> None:
    work = prepare(case, tmp_path)
    previous = work / "out" / "previous.pptx"
    previous.parent.mkdir()
    previous.write_bytes(SENTINEL)
    before = tree(tmp_path)
    override = work / OUTPUT_OVERRIDE
    output = override.read_text(encoding="utf-8").strip() if override.exists() else \
        "out/previous.pptx"

    result, seconds = deckgen(work, "build", "deck.yaml", "-o", output, *extra_args(case))

    assert_refused(case, result, seconds)
    assert previous.read_bytes() == SENTINEL
    assert sorted(p.name for p in previous.parent.iterdir()) == ["previous.pptx"]
    assert tree(tmp_path) == before  # nothing written anywhere, not even by a YAML tag


@pytest.mark.parametrize("case", cases(BAD, KNOWN_BAD))
def test_check_reports_the_same_problems(case: Path, tmp_path: Path) -> None:
    if (case / OUTPUT_OVERRIDE).exists():
        pytest.skip("about where the deck is written; check writes nothing")
    if "--keep-edits" in extra_args(case):
        pytest.skip("about an option of the build")
    work = prepare(case, tmp_path)
    before = tree(tmp_path)

    result, seconds = deckgen(work, "check", "deck.yaml", *extra_args(case))

    assert_refused(case, result, seconds)
    assert tree(tmp_path) == before


def test_python_tag_is_refused_not_run(tmp_path: Path) -> None:
    """The tag would create a file named 'pwned' in the deck's folder if it were executed."""
    case = BAD / "yaml-python-tag"
    assert "touch pwned" in (case / "deck.yaml").read_text(encoding="utf-8")
    work = prepare(case, tmp_path)
    for command in ("build", "check"):
        result, _ = deckgen(work, command, "deck.yaml")
        assert result.returncode == 1
        assert not (work / "pwned").exists()


def table_texts(pptx: Path) -> list[list[str]]:
    from pptx import Presentation

    tables = [shape.table for slide in Presentation(str(pptx)).slides for shape in slide.shapes
              if shape.has_table]
    assert len(tables) == 1
    return [[cell.text for cell in row.cells] for row in tables[0].rows]


@pytest.mark.parametrize("case", cases(GOOD, KNOWN_BAD_GOOD))
def test_excel_style_csv_builds_with_the_right_numbers(case: Path, tmp_path: Path) -> None:
    work = prepare(case, tmp_path)

    result, _ = deckgen(work, "build", "deck.yaml", "-o", "out/deck.pptx")

    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    warnings = case / "expected-warnings.txt"
    expected = warnings.read_text(encoding="utf-8") if warnings.exists() else ""
    assert result.stderr == expected  # no warnings unless expected
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert table_texts(work / "out" / "deck.pptx") == expected
