"""Messages that list a file's columns quote its first line only when it looks like a header.

With `--allow-outside-paths`, a data file that links to a file outside the folder (a password
file, a settings file) was refused, but the message's "columns are:" list printed its first
line. Now a first line that does not look like column names is never shown.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deckgen import app
from deckgen.data.csvread import read_csv
from deckgen.data.header import is_header
from deckgen.errors import DeckError
from deckgen.options import Options

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    "env": "SECRET=hunter2\nTOKEN=abc\n",
    "shadow": "root:$6$saltsalt$hunter2hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
    "netrc": "machine example.com login bob password hunter2\nx\n",
    "long": "hunter2" * 30 + "\nx\n",
    "escapes": "hunter2\x1b]8;;file:///etc/passwd\x07,n\nx,1\n",
}
TABLE = ("slides:\n  - kind: table\n    title: T\n    data: d\n"
         "    columns: [{column: district}, {column: n}]\n")


def _build(folder: Path, deck: str) -> subprocess.CompletedProcess[str]:
    (folder / "deck.yaml").write_text(deck, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "deckgen", "build", "deck.yaml", "-o",
                           "out.pptx", "--no-cache", "--allow-outside-paths"], cwd=folder,
                          capture_output=True, text=True, timeout=120)


def _linked(tmp_path: Path, secret: str, name: str = "d.csv") -> Path:
    (tmp_path / "secret.txt").write_text(secret, encoding="utf-8")
    folder = tmp_path / "deck"
    folder.mkdir(exist_ok=True)
    (folder / name).symlink_to(tmp_path / "secret.txt")
    return folder


def _message(folder: Path, deck: str) -> str:
    """The build's error, in this process, with the folder's path taken out."""
    (folder / "deck.yaml").write_text(deck, encoding="utf-8")
    with pytest.raises(DeckError) as info:
        app.build(folder / "deck.yaml", folder / "out.pptx",
                  options=Options(allow_outside_paths=True, cache=False))
    return str(info.value).replace(str(folder) + os.sep, "")


def _unquoted(err: str) -> str:
    assert "hunter2" not in err and "SECRET" not in err and "root:" not in err, err
    assert "\x1b" not in err
    assert "no header row deckgen can read" in err, err
    return err


def test_the_command_line_does_not_print_a_linked_secret(tmp_path: Path) -> None:
    result = _build(_linked(tmp_path, SECRETS["env"]), "title: T\ndata:\n  d: {file: d.csv}\n"
                    + TABLE)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert _unquoted(result.stderr).startswith("error: deck.yaml:8:24: slide 1 (table): unknown "
                                               "column 'district' in d.csv; it has no header row")


@pytest.mark.parametrize("kind", sorted(SECRETS))
def test_a_linked_file_that_is_not_a_table_is_never_quoted(kind: str, tmp_path: Path) -> None:
    folder = _linked(tmp_path, SECRETS[kind])
    err = _unquoted(_message(folder, "title: T\ndata:\n  d: {file: d.csv}\n" + TABLE))
    assert err.startswith("deck.yaml:8:24: slide 1 (table): unknown column 'district' in "
                          "d.csv; it has no header row deckgen can read (its first line does "
                          "not look like column names, so it is not shown); check that the "
                          "outline names the file you meant"), err


@pytest.mark.parametrize("where", ["derive", "join", "pattern"])
def test_no_message_that_lists_columns_quotes_such_a_file(where: str, tmp_path: Path) -> None:
    """The same rule in the other messages that list a source's columns: a derived column, a
    join, and files of one pattern whose headers differ."""
    folder = _linked(tmp_path, SECRETS["env"], "s.csv" if where == "join" else
                     "b.csv" if where == "pattern" else "d.csv")
    (folder / "a.csv").write_text("district,n\nBasildon,5\n", encoding="utf-8")
    data = {"derive": "  d:\n    file: d.csv\n    derive: {m: district * 2}\n",
            "join": "  s: {file: s.csv}\n  d:\n    file: a.csv\n    steps:\n"
                    "      - join: {source: s, on: district}\n",
            "pattern": "  d: {files: '*.csv'}\n"}[where]
    _unquoted(_message(folder, "title: T\ndata:\n" + data + TABLE))


def test_a_header_is_still_listed_with_its_near_miss(tmp_path: Path) -> None:
    folder = _linked(tmp_path, "district,n\nBasildon,5\n")
    err = _message(folder, "title: T\ndata:\n  d: {file: d.csv}\n"
                   + TABLE.replace("column: district", "column: distric"))
    assert "unknown column 'distric' in d.csv; columns are: district, n; did you mean " \
        "'district'?" in err


def test_every_table_in_the_repository_has_a_header_that_is_quoted() -> None:
    """The rule must not hide real headers: every CSV file the examples, docs and good
    fixtures hold is read as deckgen reads it, and its columns look like a header."""
    files = [p for folder in ("data", "docs", "examples", "tests/fixtures/good-excel")
             for p in sorted((ROOT / folder).rglob("*.csv"))]
    read = 0
    for path in files:
        try:
            table = read_csv(path, path.name)
        except DeckError:  # a file that needs its outline's `decimal:` or `sep:`
            continue
        read += 1
        assert is_header(table.frame.columns), (path, list(table.frame.columns))
    assert read > 20
