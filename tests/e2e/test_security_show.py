"""`deckgen data show` prints a data source's cells as text: rich markup in a cell ('[/]',
'[link=file:///...]') is shown as written, never parsed (an internal error, or a live terminal
link), and terminal escapes (ESC [31m, an OSC 8 link) are shown escaped, never sent to the
terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: (the cell's text in the CSV, how `data show` shows it)
CELLS = [("a[/]b", "a[/]b"),
         ("[link=file:///etc/passwd]x[/link]", "[link=file:///etc/passwd]x[/link]"),
         ("\x1b[31mred", "\\x1b[31mred"),
         ("\x1b]8;;file:///etc/passwd\x07click\x1b]8;;\x07",
          "\\x1b]8;;file:///etc/passwd\\x07click\\x1b]8;;\\x07"),
         ("c1\x9b31m", "c1\\x9b31m"),
         ("[bold]b[/bold]", "[bold]b[/bold]")]
HEADERS = [("[/]area", "[/]area"), ("n\x1b[2J", "n\\x1b[2J")]


def _folder(tmp_path: Path, markup: bool = True) -> Path:
    """The outline and its CSV (without the cells '[/]' when not `markup`: the original
    failure on them hid every other)."""
    cells = [c for c in CELLS if markup or "[/]" not in c[0]]
    headers = HEADERS if markup else [("area", "area"), HEADERS[1]]
    rows = "".join(f'"{cell}",{n}\n' for n, (cell, _) in enumerate(cells))
    header = ",".join(f'"{h}"' for h, _ in headers)
    (tmp_path / "cells.csv").write_bytes((header + "\n" + rows).encode("utf-8"))
    (tmp_path / "deck.yaml").write_text("""\
title: Cells
data:
  cells: {file: cells.csv}
slides:
  - kind: bullets
    title: One
    points: [a point]
""", encoding="utf-8")
    return tmp_path


def _show(folder: Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "deckgen", "data", "show", "cells"],
                          cwd=folder, capture_output=True, timeout=120,
                          env={**os.environ, "COLUMNS": "200", **env})


def test_data_show_prints_markup_and_escapes_as_text(tmp_path: Path) -> None:
    shown = _show(_folder(tmp_path))
    assert shown.returncode == 0, shown.stderr.decode()
    assert b"internal error" not in shown.stderr
    out = shown.stdout.decode("utf-8")
    for _, text in CELLS + HEADERS:
        assert text in out, (text, out)
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out


def test_data_show_on_a_terminal_sends_no_escape_from_the_data(tmp_path: Path) -> None:
    """On a terminal, with colours forced, a cell's escape or link still never reaches the
    terminal (the table was drawn by rich, which styles a terminal's output, until 2026-12)."""
    shown = _show(_folder(tmp_path, markup=False), FORCE_COLOR="1", TERM="xterm-256color")
    assert shown.returncode == 0, shown.stderr.decode()
    out = shown.stdout.decode("utf-8")
    assert "\x1b]8;" not in out  # no terminal link, neither from the data nor from [link=]
    assert "\x1b[31m" not in out and "\x1b[2J" not in out and "\x9b" not in out
    assert "[link=file:///etc/passwd]x[/link]" in out and "\\x1b[31mred" in out
