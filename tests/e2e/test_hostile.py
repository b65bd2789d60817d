"""What a hostile or careless outline, environment or interruption must never do.

The cases a fixture folder cannot express (an environment variable, a signal, a corrupted
cache, a file outside the outline's folder); the rest are in tests/fixtures/bad/.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.app import build, check
from deckgen.atomic import remove_stale
from deckgen.errors import DeckError
from deckgen.options import Options

TABLE = ("slides:\n  - kind: table\n    title: T\n    data: d\n"
         "    columns: [{column: district}, {column: n}]\n")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deckgen", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300, env=env)


@pytest.mark.parametrize("case", ["yaml-python-tag", "derive-runs-code", "derive-dunder-import"])
def test_code_in_an_outline_is_refused_not_run(case: str, tmp_path: Path) -> None:
    """Each case would create a file named 'pwned' in the deck's folder if it were executed."""
    from test_bad_inputs import BAD, prepare

    assert "touch pwned" in (BAD / case / "deck.yaml").read_text(encoding="utf-8")
    work = prepare(BAD / case, tmp_path)
    for command in ("check", "build"):
        result = run(command, "deck.yaml", cwd=work)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert not (work / "pwned").exists()


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999", "1.5"])
def test_a_bad_source_date_epoch_is_a_clear_error(value: str, sample_copy: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": value}
    for command in (["build", "--no-cache"], ["check"]):
        result = run(*command, cwd=sample_copy.parent, env=env)
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith(f"error: SOURCE_DATE_EPOCH={value} is not a date deckgen "
                                         "can use: it must be a whole number of seconds")
        assert "from 0 to 4354819199" in result.stderr
    assert not (sample_copy.parent / "output" / "southend-briefing.pptx").exists()


def test_a_good_source_date_epoch_dates_the_file(sample_copy: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")  # 2017-07-14 02:40:00 UTC
    out = build(sample_copy, tmp_path / "d.pptx", options=Options(cache=False)).output
    assert Presentation(str(out)).core_properties.created.isoformat() == "2017-07-14T02:40:00"


_TERM_WHILE_WRITING = """
import os, signal, sys
from pathlib import Path
from deckgen import atomic, cli
real = os.fsync
def fsync(fd):
    real(fd)
    os.kill(os.getpid(), signal.SIGTERM)  # arrives while the temporary file is being written
atomic.os.fsync = fsync
sys.exit(cli.main(["build", "deck.yaml", "-o", "out/deck.pptx", "--no-cache"]))
"""


def test_sigterm_while_writing_leaves_no_temporary_file(sample_copy: Path) -> None:
    folder = sample_copy.parent
    (folder / "out").mkdir()
    (folder / "out" / "deck.pptx").write_bytes(b"previous deck")
    for _ in range(3):
        result = subprocess.run([sys.executable, "-c", _TERM_WHILE_WRITING], cwd=folder,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 128 + signal.SIGTERM, result.stderr
        assert result.stderr.strip().endswith("terminated; no deck was left half-written.")
        assert sorted(os.listdir(folder / "out")) == ["deck.pptx"]
        assert (folder / "out" / "deck.pptx").read_bytes() == b"previous deck"


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_stale_temporary_files_are_removed_and_only_those(sample_copy: Path) -> None:
    folder = sample_copy.parent
    out = folder / "output"
    out.mkdir(exist_ok=True)
    stale = out / f".deckgen-{_dead_pid()}-abcd1234.tmp"
    live = out / f".deckgen-{os.getpid()}-abcd1234.tmp"  # this test process: still running
    other = out / ".southend-briefing.pptx.x1y2z3w4.tmp"  # not a name deckgen makes
    for path in (stale, live, other):
        path.write_bytes(b"partial")
    assert run("build", cwd=folder).returncode == 0
    assert not stale.exists() and live.exists() and other.exists()
    stale.write_bytes(b"partial")
    result = run("clean", cwd=folder)
    assert "removed 1 temporary file(s) left by an interrupted build" in result.stdout
    assert not stale.exists() and live.exists() and other.exists()
    assert remove_stale(out) == []


def test_a_long_valid_output_name_is_written(sample_copy: Path) -> None:
    name = "b" * 245 + ".pptx"  # 250 characters: within the file system's 255
    result = run("build", "-o", f"out/{name}", "--no-cache", cwd=sample_copy.parent)
    assert result.returncode == 0, result.stderr
    assert (sample_copy.parent / "out" / name).is_file()


def _corrupt(entry: Path, how: str, other: Path) -> None:
    data = entry.read_bytes()
    if how == "random":
        entry.write_bytes(random.Random(1).randbytes(len(data)))
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif how == "bit-flip":
        flipped = bytearray(data)
        flipped[len(data) - 100] ^= 0x10
        entry.write_bytes(bytes(flipped))
    elif how == "swapped":
        entry.write_bytes(other.read_bytes())


@pytest.fixture(scope="module")
def uncached(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The sample built without the chart cache (every chart drawn): what each damaged-cache
    case must give; built once for the five."""
    root = Path(__file__).resolve().parents[2]
    out = tmp_path_factory.mktemp("uncached") / "fresh.pptx"
    return build(root / "deck.yaml", out, options=Options(cache=False)).output.read_bytes()


@pytest.mark.parametrize("how", ["random", "empty", "truncated", "bit-flip", "swapped"])
def test_a_damaged_chart_cache_is_redrawn_never_copied(how: str, sample_copy: Path,
                                                       user_cache: Path, uncached: bytes) -> None:
    folder = sample_copy.parent
    build(sample_copy, folder / "first.pptx")  # fills the cache
    entries = sorted((user_cache / "charts").rglob("*.chart"))
    assert len(entries) == 3
    for i, entry in enumerate(entries):
        _corrupt(entry, how, entries[(i + 1) % len(entries)])
    again = build(sample_copy, folder / "again.pptx")
    assert again.output.read_bytes() == uncached
    assert build(sample_copy, folder / "third.pptx").output.read_bytes() == \
        uncached  # the entries were replaced by sound ones


def test_cjk_text_is_not_grown_off_the_slide_and_is_flagged(tmp_path: Path) -> None:
    point = "反社会行为事件在第{}区下降了百分之九点五，主要集中在市中心"
    points = "\n".join(f"      - {point.format(i)}" for i in range(8))
    deck = tmp_path / "deck.yaml"
    deck.write_text(f"title: T\nslides:\n  - kind: bullets\n    title: 概要\n    points:\n"
                    f"{points}\n", encoding="utf-8")
    built = build(deck, tmp_path / "d.pptx", options=Options(cache=False))
    messages = [str(w) for w in built.warnings]
    assert any("has characters the font deckgen measures with has no shapes for" in m
               and "'Points'" in m for m in messages), messages
    assert not any("overflows" in m for m in messages)
    sizes = {run.font.size.pt for slide in Presentation(str(built.output)).slides
             for shape in slide.shapes if shape.name == "Points"
             for p in shape.text_frame.paragraphs for run in p.runs}
    assert sizes and max(sizes) <= 22  # the base size: never grown, as it was to 27.5 pt


def test_an_error_never_dumps_a_file_outside_the_folder(tmp_path: Path) -> None:
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$saltsalt$" + "x" * 300 + "\x1b[31m:19000:0:99999:7:::\n"
                      "daemon:*:19000:0:99999:7:::\n")
    inner = tmp_path / "deck"
    inner.mkdir()
    (inner / "d.csv").symlink_to(secret)
    deck = inner / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv}\n" + TABLE)
    with pytest.raises(DeckError) as info:
        build(deck, tmp_path / "x.pptx", options=Options(allow_outside_paths=True))
    message = str(info.value).replace(str(deck), "deck.yaml")  # the temporary folder's path
    assert "x" * 41 not in message and "\x1b" not in message
    assert len(message) < 300, message


def test_yaml_numerals_are_shown_as_written(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\nslides:\n  - kind: stats\n    title: Figures\n    stats:\n"
                    "      - {value: 0x10, label: Hex}\n      - {value: 1_000, label: Grouped}\n"
                    "      - {value: 012, label: Leading zero}\n"
                    "      - {value: 1234, label: Plain}\n")
    out = build(deck, tmp_path / "d.pptx", options=Options(cache=False)).output
    texts = [shape.text_frame.text for slide in Presentation(str(out)).slides
             for shape in slide.shapes if shape.name.startswith("Value:")]
    assert texts == ["0x10", "1_000", "012", "1,234"]


def test_a_variable_cannot_lead_a_path_out_of_the_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "outside.png").write_bytes((Path(__file__).resolve().parents[2] / "assets" /
                                          "logo.png").read_bytes())
    (secret / "brand.yaml").write_text("footer: STOLEN\n")
    inner = tmp_path / "deck"
    inner.mkdir()
    (inner / "v.csv").write_text("k,pic\n1,../secret/outside.png\n")
    image = "slides:\n  - kind: image\n    title: Pic\n    image: '{p}'\n    alt: a picture\n"
    cases = {
        "a default": "variables:\n  p: {default: ../secret/outside.png}\n",
        "an absolute path": f"variables:\n  p: {{default: {secret / 'outside.png'}}}\n",
        "a cell of data": ("data:\n  v: {file: v.csv}\nvariables:\n"
                           "  p: {lookup: v.pic, where: {k: '1'}}\n"),
    }
    for what, variables in cases.items():
        deck = inner / "deck.yaml"
        deck.write_text("title: T\n" + variables + image, encoding="utf-8")
        with pytest.raises(DeckError) as info:
            build(deck, inner / "x.pptx", options=Options(cache=False))
        assert "which is outside the outline's folder: a variable's value may not lead a " \
               "path out of it" in str(info.value), what
        assert not (inner / "x.pptx").exists()
    deck = inner / "deck.yaml"
    deck.write_text("title: T\nvariables:\n  p: {default: ok.png}\n" + image, encoding="utf-8")
    result = run("check", "deck.yaml", "--set", "p=/etc/hostname", cwd=inner)
    assert result.returncode == 1 and "'{p}' gives /etc/hostname" in result.stderr
    deck.write_text("title: T\nvariables:\n  b: {default: ../secret/brand.yaml}\nbrand: '{b}'\n"
                    "slides:\n  - {kind: section, title: S}\n", encoding="utf-8")
    with pytest.raises(DeckError, match="'{b}' gives ../secret/brand.yaml, which is outside"):
        check(deck)


def test_a_long_expression_takes_linear_time(tmp_path: Path) -> None:
    import time

    (tmp_path / "d.csv").write_text("district,n\nA,1\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d:\n    file: d.csv\n    derive:\n      x: "
                    + "+".join(["n"] * 100) + "\n" + TABLE, encoding="utf-8")
    start = time.monotonic()
    assert not check(deck).warnings
    assert time.monotonic() - start < 5  # 2^100 evaluations would never finish
