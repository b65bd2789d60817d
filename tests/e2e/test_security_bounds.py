"""Outlines that asked for gigabytes or minutes are refused in seconds, at their place.

Each case ran the CLI out of memory, hung, or stopped with an internal error (exit 3) before
the bounds of SECURITY.md's "Bounded time and memory" were set. Each runs here the way a user
runs it: the CLI in a fresh process, under an address-space limit (a regression fails with a
MemoryError, exit 3, instead of taking the machine) and a timeout (it fails instead of hanging
the suite), and must end with one located error, exit 1, and no deck written.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pptx import Presentation

#: The address space a build may take here: a deck of these sizes needs a few hundred MB.
MEMORY = 1536 * 1024 * 1024
#: Seconds before a case counts as hung; each takes one or two when it passes.
HUNG = 60
#: What "refused quickly" means on a shared, loaded test machine.
QUICK = 20


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(folder: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """The CLI run in `folder` under MEMORY and HUNG, and how long it took."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=HUNG, preexec_fn=_limit)
    return result, time.monotonic() - start


def refused(folder: Path, *args: str) -> str:
    """Build (and check) the outline in `folder`: each must fail with located errors, exit 1,
    quickly, and write nothing. Returns build's stderr."""
    stderr = ""
    for command in (["build", "deck.yaml", "-o", "out.pptx", "--no-cache"], ["check"]):
        before = sorted(p.name for p in folder.iterdir())
        result, took = run(folder, *command, *args)
        assert result.returncode == 1, result.stderr[-2000:]
        assert result.stderr.startswith("error: "), result.stderr[-2000:]
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert took < QUICK, f"{command[0]} took {took:.1f} s"
        assert sorted(p.name for p in folder.iterdir()) == before  # nothing written
        stderr = stderr or result.stderr
    return stderr


def outline(folder: Path, text: str, csv: str = "a,n\nx,4\ny,2\n") -> Path:
    (folder / "deck.yaml").write_text(text, encoding="utf-8")
    (folder / "d.csv").write_text(csv, encoding="utf-8")
    return folder


TABLE = "slides:\n  - kind: table\n    title: T\n    data: d\n    columns: [{column: a}]\n"


# --- expressions ------------------------------------------------------------------------------


def test_a_nested_replace_is_refused_before_it_is_made(tmp_path: Path) -> None:
    """A 433-character expression whose 18 replace()s each make the text 8 times longer:
    8^18 characters a row. The fifth replace() from the inside would make 32,768."""
    expression = "a"
    for _ in range(18):
        expression = f"replace({expression},'x','xxxxxxxx')"
    assert len(expression) == 433
    outline(tmp_path, f'title: T\ndata:\n  d:\n    file: d.csv\n    derive:\n'
                      f'      b: "{expression}"\n' + TABLE)
    at = 10 + (18 - 5) * len("replace(") + 1  # the fifth replace() from the inside
    assert refused(tmp_path) == (
        f"error: deck.yaml:6:{at}: data 'd': derive 'b': the text made by replace() would be "
        "32,768 characters long in a row, more than 10,000: a derived text is a name or a "
        "label; make it shorter\n")


def test_derived_columns_each_doubling_a_text_are_refused(tmp_path: Path) -> None:
    """32 derived columns, each the one before joined to itself: 4 GB in the last one."""
    derives = "      d1: a + a\n" + "".join(f"      d{i}: d{i - 1} + d{i - 1}\n"
                                            for i in range(2, 33))
    outline(tmp_path, "title: T\ndata:\n  d:\n    file: d.csv\n    derive:\n" + derives + TABLE)
    # d14 would be 16,384 characters a row; its '+' is at column 16
    assert refused(tmp_path) == (
        "error: deck.yaml:19:16: data 'd': derive 'd14': the text made by '+' would be 16,384 "
        "characters long in a row, more than 10,000: a derived text is a name or a label; make "
        "it shorter\n")


def test_text_doubled_over_many_rows_is_refused_at_the_build_s_budget(tmp_path: Path) -> None:
    """On 100,000 rows the cells stay short of 10,000 characters while the columns, made one
    after another (in a step, then under `derive:`), would need 1.6 billion characters."""
    steps = "    steps:\n      - derive:\n          d1: a + a\n" + "".join(
        f"          d{i}: d{i - 1} + d{i - 1}\n" for i in range(2, 5))
    derives = "    derive:\n" + "".join(f"      d{i}: d{i - 1} + d{i - 1}\n"
                                        for i in range(5, 14))
    csv = "a,n\n" + "".join(f"x,{i}\n" for i in range(100_000))
    outline(tmp_path, "title: T\ndata:\n  d:\n    file: d.csv\n" + steps + derives +
            TABLE + "    where: {n: 1}\n", csv)
    # made: 100,000 x (2 + 4 + ... + 256) = 51.0 million; d9 would add 51.2 million
    assert refused(tmp_path) == (
        "error: deck.yaml:16:14: data 'd': derive 'd9': the text made by '+' would bring the "
        "text the outline's expressions make to 102.2 million characters, more than "
        "100,000,000: make text after the steps that leave fewer rows (filter, group), or make "
        "less of it\n")


def test_a_blank_computed_figure_names_its_own_cause(tmp_path: Path) -> None:
    """sqrt(-x) and an overflow said 'it divides by zero'; each now names its cause, and a
    derive step warns about them as `derive:` does."""
    outline(tmp_path, """title: T
data:
  d:
    file: d.csv
    derive:
      root: sqrt(-n)
      big: n * 1e300 * 1e300
      share: n / (n - 4)
  e:
    file: d.csv
    steps:
      - derive: {root: sqrt(-n)}
slides:
  - kind: bullets
    title: T
    points:
      - "{d[a=x].root} {d[a=x].big} {d[a=x].share}"
      - "{e[a=x].root}"
""")
    stderr = refused(tmp_path)
    at = "(at d.csv:2:1)"
    assert stderr.splitlines() == [
        f"error: deck.yaml:17:10: the row of d.csv with a = x has no 'root': it is computed "
        f"(sqrt(-n)), and in that row {at} it takes the square root of a negative number; pick "
        "another row, or say in the text why there is no figure",
        f"error: deck.yaml:17:24: the row of d.csv with a = x has no 'big': it is computed (n * "
        f"1e300 * 1e300), and in that row {at} its result is too large to be a number; pick "
        "another row, or say in the text why there is no figure",
        f"error: deck.yaml:17:37: the row of d.csv with a = x has no 'share': it is computed (n "
        f"/ (n - 4)), and in that row {at} it divides by zero; pick another row, or say in the "
        "text why there is no figure",
        f"error: deck.yaml:18:10: the row of data 'e' with a = x has no 'root': it is computed "
        f"(sqrt(-n)), and in that row {at} it takes the square root of a negative number; pick "
        "another row, or say in the text why there is no figure",
        "4 problems; nothing was written."]
    (tmp_path / "deck.yaml").write_text(
        "title: T\ndata:\n  e:\n    file: d.csv\n    steps:\n      - derive: {root: sqrt(-n)}\n"
        "slides:\n  - {kind: table, title: T, data: e, columns: [{column: a}, {column: root}]}\n",
        encoding="utf-8")
    result, _ = run(tmp_path, "build", "deck.yaml", "-o", "out.pptx", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert ("warning: deck.yaml:6:24: data 'e', step 1 (derive): 'root': 2 row(s) have no value "
            "(a square root of a negative number), so they are left blank") in result.stderr


# --- the outline's size -----------------------------------------------------------------------


def _slides(n: int) -> str:
    return "title: T\nslides:\n" + "".join(
        f"  - kind: bullets\n    title: Point {i}\n    points: [a {i}]\n" for i in range(n))


def test_four_thousand_slides_are_refused_before_any_is_read(tmp_path: Path) -> None:
    """4,000 slides took 58 s to build (time grew as the square of the slides)."""
    outline(tmp_path, _slides(4000))
    assert refused(tmp_path) == (
        "error: deck.yaml:3003:5: the outline has 4,000 slides; a deck has at most 1,000: split "
        "it into several outlines (each can `extends:` a shared one for its data and "
        "variables); this is slide 1,001\n")


def test_tables_continued_past_a_thousand_slides_are_refused(tmp_path: Path) -> None:
    """70 tables of 300 rows continue onto 20 slides each: 1,400 slides from 70."""
    tables = "".join(f"  - kind: table\n    title: T{i}\n    data: d\n"
                     "    columns: [{column: a}]\n" for i in range(70))
    csv = "a\n" + "".join(f"{i}\n" for i in range(300))
    outline(tmp_path, "title: T\ndata:\n  d: {file: d.csv}\nslides:\n" + tables, csv)
    assert refused(tmp_path) == (
        "error: deck.yaml:205:5: slide 51 (table): the deck reaches 1,020 slides here (a table "
        "continues onto more slides when its rows do not fit); a deck has at most 1,000: split "
        "the outline into several, or show fewer rows\n")


def test_a_bullet_of_a_million_characters_is_refused_at_the_point(tmp_path: Path) -> None:
    """1.1 million characters in one point stopped with an internal error (Pillow refuses to
    measure it); 220,000 words took half a minute to measure."""
    for text in ("x" * 1_100_000, "word " * 220_000):
        outline(tmp_path, f"title: T\nslides:\n  - kind: bullets\n    title: T\n    points:\n"
                          f"      - {text.strip()}\n")
        assert refused(tmp_path) == (
            f"error: deck.yaml:6:9: slide 1 (bullets): this text is {len(text.strip()):,} "
            "characters long; a text of the outline (a title, a point, a caption) is at most "
            "5,000: shorten it, or put the detail in the slide's notes\n")


def test_notes_have_a_bound_of_their_own(tmp_path: Path) -> None:
    outline(tmp_path, "title: T\nslides:\n  - kind: bullets\n    title: T\n    points: [a]\n"
                      f"    notes: {'word ' * 4000}\n")
    result, _ = run(tmp_path, "build", "deck.yaml", "-o", "out.pptx", "--no-cache")
    assert result.returncode == 0, result.stderr  # 20,000 characters of notes are fine
    notes = Presentation(str(tmp_path / "out.pptx")).slides[0].notes_slide
    assert notes.notes_text_frame.text == ("word " * 4000).strip()
    (tmp_path / "out.pptx").unlink()
    outline(tmp_path, "title: T\nslides:\n  - kind: bullets\n    title: T\n    points: [a]\n"
                      f"    notes: {'word ' * 4001}\n")
    assert refused(tmp_path) == (
        "error: deck.yaml:6:12: slide 1 (bullets): this text is 20,004 characters long; speaker "
        "notes are at most 20,000: shorten it\n")


def test_a_long_deck_title_builds(tmp_path: Path) -> None:
    """A title longer than a document property holds stopped with an internal error; the
    title slide shows it whole, the file's properties cut it."""
    title = "Word " * 999 + "end"
    (tmp_path / "deck.yaml").write_text(
        f"title: {title}\nslides:\n  - kind: title\n", encoding="utf-8")
    result, _ = run(tmp_path, "build", "deck.yaml", "-o", "out.pptx", "--no-cache")
    assert result.returncode == 0, result.stderr
    deck = Presentation(str(tmp_path / "out.pptx"))
    assert deck.slides[0].shapes.title.text_frame.text == title
    assert len(deck.core_properties.title) == 255 and deck.core_properties.title.endswith("...")


# --- tables -----------------------------------------------------------------------------------


def test_a_table_of_long_cells_is_refused_at_the_cell(tmp_path: Path) -> None:
    """200 rows of 5,000-character cells did not finish in 90 s."""
    csv = "name,n\n" + "".join(f"{'word ' * 999}word,{i}\n" for i in range(200))
    outline(tmp_path, "title: T\ndata:\n  d: {file: d.csv}\nslides:\n  - kind: table\n"
                      "    title: T\n    data: d\n    columns: [{column: name}, {column: n}]\n",
            csv)
    assert refused(tmp_path) == (
        "error: d.csv:2:1: slide 1 (table): column 'name' has a cell 4,999 characters long "
        "('word word word word word word word wo...'); a table cell is a figure or a name, at "
        "most 1,000 characters: shorten it in the data, or leave the column out of the table\n")


def test_a_chart_category_of_a_hundred_thousand_characters_is_refused(tmp_path: Path) -> None:
    """A 100,000-character category took about 10 s to lay out: a name that long is a wrong
    column, refused at its cell."""
    csv = "name,n\nshort,3\n" + "x" * 100_000 + ",4\n"
    outline(tmp_path, "title: T\ndata:\n  d: {file: d.csv}\nslides:\n  - kind: chart\n"
                      "    title: T\n    chart: bar\n    data: d\n    x: name\n    y: n\n",
            csv)
    assert refused(tmp_path) == (
        "error: d.csv:3:1: slide 1 (chart): line 3 has a name 100,000 characters long; a "
        "chart's category is a name of at most 200 characters: is 'name' the "
        "right column?\n")


def test_a_table_of_cells_at_the_bound_builds_in_seconds(tmp_path: Path) -> None:
    """200 rows of 999-character cells: 14 slides, each cell measured once."""
    csv = "name,n\n" + "".join(f"{'word ' * 199}w{i:03d},{i}\n" for i in range(200))
    outline(tmp_path, "title: T\ndata:\n  d: {file: d.csv}\nslides:\n  - kind: table\n"
                      "    title: T\n    data: d\n    columns: [{column: name}, {column: n}]\n",
            csv)
    result, took = run(tmp_path, "build", "deck.yaml", "-o", "out.pptx", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert took < QUICK
    deck = Presentation(str(tmp_path / "out.pptx"))
    assert len(deck.slides) == 14
    table = next(s for s in deck.slides[13].shapes if s.has_table).table
    assert table.cell(len(table.rows) - 1, 0).text.endswith("w199")


# --- formats ----------------------------------------------------------------------------------


def test_a_format_of_thirty_decimal_places_is_refused_at_the_format(tmp_path: Path) -> None:
    """It stopped with an internal error (decimal.InvalidOperation)."""
    places = "0." + "0" * 30
    outline(tmp_path, f'title: T\ndata:\n  d: {{file: d.csv}}\nfigures:\n'
                      f'  f: {{value: "d[a=x].n", format: "{places}"}}\n'
                      'slides:\n  - {kind: bullets, title: T, points: ["n is {f}"]}\n')
    stderr = refused(tmp_path)
    assert stderr.startswith("error: deck.yaml:5:")
    assert stderr.endswith(f": '{places}' shows 30 decimal places; a format shows at most 10 "
                           "(e.g. '0.00')\n")


def test_a_large_figure_is_shown_to_its_places(tmp_path: Path) -> None:
    """4e27 to 2 places needs 30 digits, more than Decimal's default 28: it stopped with an
    internal error (decimal.InvalidOperation)."""
    outline(tmp_path, "title: T\ndata:\n  d:\n    file: d.csv\n    derive: {big: n * 1e27}\n"
                      'figures:\n  f: {value: "d[a=x].big", format: "#,##0.00"}\n'
                      'slides:\n  - {kind: bullets, title: T, points: ["big is {f}"]}\n')
    result, _ = run(tmp_path, "build", "deck.yaml", "-o", "out.pptx", "--no-cache")
    assert result.returncode == 0, result.stderr
    text = "\n".join(s.text_frame.text for s in
                     Presentation(str(tmp_path / "out.pptx")).slides[0].shapes
                     if s.has_text_frame)
    assert "big is 4,000,000,000,000,000,000,000,000,000.00" in text


@pytest.mark.parametrize("fmt", [".30f", "0.00000000000"])
def test_a_column_format_of_too_many_places_is_refused(fmt: str, tmp_path: Path) -> None:
    outline(tmp_path, "title: T\ndata:\n  d: {file: d.csv}\nslides:\n  - kind: table\n"
                      "    title: T\n    data: d\n"
                      f"    columns: [{{column: a}}, {{column: n, format: '{fmt}'}}]\n")
    places = 30 if fmt == ".30f" else 11
    assert refused(tmp_path).endswith(
        f"slide 1 (table): 'columns[2].format': '{fmt}' shows {places} decimal places; a format "
        "shows at most 10 (e.g. '0.00')\n")
