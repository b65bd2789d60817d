"""The cache only ever makes builds faster: nothing in it decides what a deck shows or where it
goes, and nothing in it (or in the paths an outline names) hangs a build or exhausts memory.

Each case of the hostile review is here. The cache used to live in `.deckgen-cache/` beside the
outline, where anyone who can write the folder could forge it (an entry's digest shows damage,
not forgery); it now lives in the user's own cache folder. So the forgeries are planted where
they used to be read, beside the outline, and must be ignored; and the entries in the user's
cache, damaged or malformed, must be made again, never trusted beyond their digest, never a
hang or a crash. Entries are (re)sealed as entry.py writes them: a line naming the kind, the
key, the sha256 of the body, the body (an older deckgen's memo was plain JSON).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation

from deckgen import app
from deckgen.atomic import write_atomic
from deckgen.data import store
from deckgen.options import Options

LEGACY = ".deckgen-cache"
HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context")
#: 500 records: 320 in Southend, 180 in Basildon.
COUNTS = {"Southend": 320, "Basildon": 180}
OUTLINE = """\
title: Pack
output: output/{district}-pack.pptx
variables:
  district: {default: Southend}
data:
  crimes:
    file: raw/crimes.csv
    steps:
      - group: {by: [District], count: n}
slides:
  - kind: bullets
    title: "{district} briefing"
    points: [One point]
  - kind: table
    title: Crimes by district
    data: crimes
    columns: [{column: District}, {column: n}]
  - {kind: chart, title: Crimes, chart: bar, data: crimes, x: District, y: n}
"""
DECK = Path("output") / "southend-pack.pptx"


def _pack(folder: Path) -> Path:
    """A small deck with all three kinds of entry: a parsed record file, a chart, a memo."""
    (folder / "raw").mkdir(parents=True)
    rows = [f"id{i},2016-04,Essex Police,Essex Police,0.7,51.5,On or near X,E01,"
            f"{district} 001A,Burglary,," for district, n in COUNTS.items() for i in range(n)]
    (folder / "raw" / "crimes.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    deck = folder / "deck.yaml"
    deck.write_text(OUTLINE, encoding="utf-8")
    store._READ.clear()  # each build of this process reads the data itself (and keeps a parse)
    return deck


def _cli(*args: str, cwd: Path, timeout: float = 120, limit: Optional[int] = None
         ) -> subprocess.CompletedProcess[str]:
    """deckgen in a subprocess: a hang fails the test (timeout), and with `limit` its memory
    is bounded (bytes of address space)."""
    def bounded() -> None:
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=timeout, preexec_fn=bounded, env=env)


def _counts(pptx: Path) -> dict[str, str]:
    tables = [sh.table for s in Presentation(str(pptx)).slides for sh in s.shapes if sh.has_table]
    return {row.cells[0].text: row.cells[1].text for row in list(tables[0].rows)[1:]}


def _texts(pptx: Path) -> list[str]:
    return [sh.text_frame.text for s in Presentation(str(pptx)).slides for sh in s.shapes
            if sh.has_text_frame]


def _pictures(pptx: Path) -> list[bytes]:
    return [sh.image.blob for s in Presentation(str(pptx)).slides for sh in s.shapes
            if sh.shape_type == 13]


def _planted(folder: Path, user_cache: Path, part: str) -> list[Path]:
    """The entries of `part` (charts, data, decks) planted beside the outline, where deckgen
    kept its cache before: those an older deckgen left there, and a copy of the user's."""
    legacy = folder / LEGACY / part
    if (user_cache / part).is_dir():
        shutil.copytree(user_cache / part, legacy, dirs_exist_ok=True)
    found = sorted(p for p in legacy.rglob("*") if p.is_file())
    assert found, f"no {part} entries to plant"
    return found


def _kept(folder: Path, user_cache: Path, part: str) -> list[Path]:
    """The entries of `part` wherever a build keeps them: the user's cache (and, for an older
    deckgen, beside the outline)."""
    found = sorted(p for root in (user_cache / part, folder / LEGACY / part)
                   for p in root.rglob("*") if p.is_file())
    assert found, f"no {part} entries"
    return found


def _open(path: Path) -> tuple[Optional[bytes], bytes, bytes]:
    """An entry's kind line, key line and body (an older memo: plain JSON, no kind)."""
    data = path.read_bytes()
    if data.startswith(b"{"):
        return None, b"", data
    kind, key, _, body = data.split(b"\n", 3)
    return kind, key, body


def _seal(path: Path, kind: Optional[bytes], key: bytes, body: bytes) -> None:
    """Write the entry with a fresh digest: what anyone who can write the file can do."""
    if kind is None:
        path.write_bytes(body)
        return
    digest = hashlib.sha256(body).hexdigest().encode()
    path.write_bytes(b"\n".join([kind, key, digest, body]))


def _edit_memos(memos: list[Path], edit: Callable[[dict[str, Any]], None]) -> None:
    for memo in memos:
        kind, key, body = _open(memo)
        raw = json.loads(body)
        edit(raw)
        _seal(memo, kind, key, json.dumps(raw).encode())


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _halved(kind: bytes, body: bytes) -> bytes:
    """A parse entry's body with only the first half of its rows."""
    if kind == b"deckgen records 1":  # an older deckgen's: numpy's .npz
        arrays = dict(np.load(io.BytesIO(body), allow_pickle=False))
        out = io.BytesIO()
        np.savez(out, **{k: v if k == "meta" else v[:len(v) // 2] for k, v in arrays.items()})
        return out.getvalue()
    size = int(body[:20])
    meta = json.loads(body[21:21 + size])
    rows, at, halves = meta["rows"], 21 + size, []
    for column in meta["columns"]:
        dtype = np.dtype("<f8" if column[1] == "number" else column[2])
        values = np.frombuffer(body[at:at + dtype.itemsize * rows], dtype=dtype)
        halves.append(values[:rows // 2].tobytes())
        at += dtype.itemsize * rows
    meta["rows"] = rows // 2
    header = json.dumps(meta).encode()
    return b"%020d\n" % len(header) + header + b"".join(halves)


# --- forgeries where the cache used to be: never read ---------------------------------------


def test_a_forged_chart_entry_is_never_put_in_a_deck(tmp_path: Path, user_cache: Path) -> None:
    deck = _pack(tmp_path)
    fresh = app.build(deck, tmp_path / "fresh.pptx", options=Options(cache=False))
    app.build(deck, tmp_path / "a.pptx")
    forged = _png("red")
    for entry in _planted(tmp_path, user_cache, "charts"):
        kind, key, body = _open(entry)
        _seal(entry, kind, key, body.partition(b"\n")[0] + b"\n" + forged)
    again = app.build(deck, tmp_path / "b.pptx")
    assert forged not in _pictures(again.output)
    assert _pictures(again.output) == _pictures(fresh.output)


def test_a_forged_parse_entry_never_changes_a_figure(tmp_path: Path, user_cache: Path) -> None:
    deck = _pack(tmp_path)
    first = app.build(deck, tmp_path / "a.pptx")
    assert _counts(first.output) == {"Basildon": "180", "Southend": "320"}
    for entry in _planted(tmp_path, user_cache, "data"):
        kind, key, body = _open(entry)
        assert kind is not None
        _seal(entry, kind, key, _halved(kind, body))
    store._READ.clear()  # read again, not from this process's memory
    again = app.build(deck, tmp_path / "b.pptx")
    assert _counts(again.output) == {"Basildon": "180", "Southend": "320"}


def test_a_memos_variables_are_never_drawn(tmp_path: Path, user_cache: Path) -> None:
    deck = _pack(tmp_path)
    outline = OUTLINE.replace("output/{district}-pack.pptx", "output/pack.pptx")
    deck.write_text(outline, encoding="utf-8")  # a deck whose name does not say the district
    app.build(deck)

    def basildon(raw: dict[str, Any]) -> None:
        raw["variables"] = {**raw.get("variables", {}), "district": "Basildon"}

    _edit_memos(_planted(tmp_path, user_cache, "decks"), basildon)
    deck.write_text(outline.replace("[One point]", "[One point edited]"), encoding="utf-8")
    written = app.build(deck)
    assert written.redrawn == [1]  # the slide naming the district: redrawn, not built in full
    texts = _texts(written.output)
    assert "Southend briefing" in texts and not any("Basildon" in t for t in texts)
    assert "One point edited" in "\n".join(texts)


def test_a_deck_edited_by_hand_and_revouched_is_rebuilt(tmp_path: Path,
                                                          user_cache: Path) -> None:
    deck = _pack(tmp_path)
    out = tmp_path / DECK
    assert _cli("build", cwd=tmp_path).returncode == 0
    edited = app.build(deck, tmp_path / "edited.pptx", {"district": "Basildon"},
                       options=Options(cache=False))
    out.write_bytes(edited.output.read_bytes())  # "edited by hand": another district's figures

    def revouch(raw: dict[str, Any]) -> None:
        raw["sha256"], raw["stat"] = hashlib.sha256(out.read_bytes()).hexdigest(), _stat(out)

    _edit_memos(_planted(tmp_path, user_cache, "decks"), revouch)
    result = _cli("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {DECK} (3 slides"), result.stdout
    assert "Southend briefing" in _texts(out)


def test_a_memo_never_names_a_deck_outside_the_folder(tmp_path: Path, user_cache: Path) -> None:
    folder = tmp_path / "outline"
    folder.mkdir()
    _pack(folder)
    assert _cli("build", cwd=folder).returncode == 0
    out = folder / DECK
    out.with_suffix(".pdf").write_bytes(b"%PDF- made after the deck")  # so no LibreOffice runs
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = elsewhere / "other.pptx"
    other.write_bytes(out.read_bytes())

    def send_elsewhere(raw: dict[str, Any]) -> None:
        raw["output"], raw["stat"] = str(other.resolve()), _stat(other)

    _edit_memos(_planted(folder, user_cache, "decks"), send_elsewhere)
    result = _cli("build", "--pdf", cwd=folder, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"up to date: {DECK} (3 slides; nothing it depends on has changed)",
        f"up to date: {DECK.with_suffix('.pdf')}"]
    assert sorted(os.listdir(elsewhere)) == ["other.pptx"]


def test_a_cache_folder_beside_the_outline_is_never_written_or_followed(
        tmp_path: Path, user_cache: Path) -> None:
    folder, elsewhere = tmp_path / "outline", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    deck = _pack(folder)
    (folder / LEGACY).symlink_to(elsewhere)
    app.build(deck, folder / "a.pptx")
    assert os.listdir(elsewhere) == []
    result = _cli("clean", cwd=folder)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert f"removed the cache in {user_cache} (" in result.stdout
    assert f"{LEGACY} is an older deckgen's cache, no longer read or written" in result.stdout
    assert os.listdir(elsewhere) == [] and (folder / LEGACY).is_symlink()
    (folder / LEGACY).unlink()
    (folder / LEGACY).write_text("a file")
    result = _cli("clean", cwd=folder)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.startswith(f"no cache at {user_cache}")


# --- entries that must not hang, exhaust memory or crash a build, wherever they are -----------


def _every_entry(folder: Path, user_cache: Path) -> list[Path]:
    """Every entry a build of the pack kept (in the user's cache, or an older deckgen's beside
    the outline), and a copy of them planted beside the outline."""
    kept = [e for part in ("charts", "data", "decks") for e in _kept(folder, user_cache, part)]
    planted = [e for part in ("charts", "data", "decks")
               for e in _planted(folder, user_cache, part)]
    return sorted(set(kept + planted))


def test_a_named_pipe_in_the_cache_does_not_hang_the_build(tmp_path: Path,
                                                           user_cache: Path) -> None:
    deck = _pack(tmp_path)
    app.build(deck)
    for entry in _every_entry(tmp_path, user_cache):
        entry.unlink()
        os.mkfifo(entry)
    result = _cli("build", cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert _counts(tmp_path / DECK) == {"Basildon": "180", "Southend": "320"}


def test_an_entry_linked_to_dev_zero_does_not_exhaust_memory(tmp_path: Path,
                                                              user_cache: Path) -> None:
    deck = _pack(tmp_path)
    app.build(deck)
    for entry in _every_entry(tmp_path, user_cache):
        entry.unlink()
        entry.symlink_to("/dev/zero")
    result = _cli("build", cwd=tmp_path, timeout=60, limit=1536 << 20)
    assert result.returncode == 0, result.stderr
    assert _counts(tmp_path / DECK) == {"Basildon": "180", "Southend": "320"}


def _bomb() -> bytes:
    """numpy's .npz (as an older deckgen kept a parse) of 1.6 MB holding a 1.6 GB array of
    zeros, deflated: an entry that costs 1,000 times its size to read."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (200 * 1024 * 1024 // 8 * 8,)})
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = squeeze.compress(header.getvalue()) + squeeze.flush(zlib.Z_FULL_FLUSH)
    zeros = squeeze.compress(bytes(16 << 20)) + squeeze.flush(zlib.Z_FULL_FLUSH)
    blocks = 100  # 100 x 16 MiB: after a full flush each block deflates the same
    deflated = head + zeros * blocks + squeeze.flush()
    size = len(header.getvalue()) + blocks * (16 << 20)
    meta = io.BytesIO()
    np.save(meta, np.frombuffer(json.dumps({"columns": [["District", "text"]],
                                            "categories": [["x"]]}).encode(), np.uint8))
    members = [(b"meta.npy", 0, meta.getvalue(), len(meta.getvalue()),
                zlib.crc32(meta.getvalue())), (b"c0.npy", 8, deflated, size, 0)]
    out, central = b"", b""
    for name, method, data, full, crc in members:
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 33,
                               crc, len(data), full, len(name), 0, 0, 0, 0, 0, len(out)) + name
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 33, crc, len(data),
                           full, len(name), 0) + name + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(central), len(out), 0)
    return out + central + end


def test_a_deflate_bomb_parse_entry_is_never_inflated(tmp_path: Path, user_cache: Path) -> None:
    deck = _pack(tmp_path)
    app.build(deck)
    bomb = _bomb()
    assert len(bomb) < 2_000_000
    for entry in _kept(tmp_path, user_cache, "data"):
        kind, key, _ = _open(entry)
        _seal(entry, kind, key, bomb)
    # another deck (the memo is of the first): built, so the parse entry is looked at
    result = _cli("build", "-o", "again.pptx", cwd=tmp_path, timeout=60, limit=1536 << 20)
    assert result.returncode == 0, result.stderr
    assert _counts(tmp_path / "again.pptx") == {"Basildon": "180", "Southend": "320"}


def test_malformed_entries_with_valid_digests_are_made_again(tmp_path: Path,
                                                             user_cache: Path) -> None:
    deck = _pack(tmp_path)
    fresh = app.build(deck, tmp_path / "fresh.pptx", options=Options(cache=False))
    store._READ.clear()
    app.build(deck)
    nested = b"[" * 100_000 + b"]" * 100_000  # deeper than Python's JSON reader can go
    for entry in _every_entry(tmp_path, user_cache):
        kind, key, body = _open(entry)
        if entry.suffix == ".chart":
            body = nested + b"\n" + body.partition(b"\n")[2]
        elif entry.suffix == ".records":
            body = body[: len(body) // 2]
        else:
            body = nested
        _seal(entry, kind, key, body)
    result = _cli("build", cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    assert _pictures(tmp_path / DECK) == _pictures(fresh.output)
    assert _counts(tmp_path / DECK) == {"Basildon": "180", "Southend": "320"}


def test_a_memos_warnings_reach_the_terminal_escaped(tmp_path: Path, user_cache: Path) -> None:
    _pack(tmp_path)
    assert _cli("build", cwd=tmp_path).returncode == 0

    def shout(raw: dict[str, Any]) -> None:
        raw["warnings"] = ["deck.yaml:1:1: \x1b]8;;file:///etc/passwd\x07look\x1b]8;;\x07 "
                           "\x1b[2J\x1b[31mred\u202e"]

    _edit_memos(_kept(tmp_path, user_cache, "decks"), shout)
    result = _cli("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\u202e" not in result.stderr
    assert result.stderr == ("warning: deck.yaml:1:1: \\x1b]8;;file:///etc/passwd\\x07look"
                             "\\x1b]8;;\\x07 \\x1b[2J\\x1b[31mred\\u202e\n")


# --- entries in the user's cache: trusted no further than their digest ------------------------


def test_damaged_entries_in_the_user_cache_are_made_again(tmp_path: Path,
                                                          user_cache: Path) -> None:
    deck = _pack(tmp_path)
    fresh = app.build(deck, tmp_path / "fresh.pptx", options=Options(cache=False))
    store._READ.clear()
    app.build(deck)
    for entry in _kept(tmp_path, user_cache, "charts"):  # another picture, the old digest
        data = entry.read_bytes()
        entry.write_bytes(data[:data.index(b"\x89PNG")] + _png("red"))
    for entry in _kept(tmp_path, user_cache, "data"):  # half the rows, the old digest
        kind, key, digest, body = entry.read_bytes().split(b"\n", 3)
        entry.write_bytes(b"\n".join([kind, key, digest, _halved(kind, body)]))
    out = tmp_path / DECK
    out.write_bytes(fresh.output.read_bytes())  # another deck than the memo's

    def revouch_without_digest(raw: dict[str, Any]) -> None:
        raw["stat"] = _stat(out)

    for memo in _kept(tmp_path, user_cache, "decks"):
        kind, key, digest, body = memo.read_bytes().split(b"\n", 3)
        raw = json.loads(body)
        revouch_without_digest(raw)
        memo.write_bytes(b"\n".join([kind, key, digest, json.dumps(raw).encode()]))
    store._READ.clear()
    again = app.build(deck)
    assert not again.reused
    assert _pictures(again.output) == _pictures(fresh.output)
    assert _counts(again.output) == {"Basildon": "180", "Southend": "320"}


def test_a_cache_folder_that_is_a_link_turns_the_cache_off(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(elsewhere)
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "link"))
    folder = tmp_path / "outline"
    folder.mkdir()
    deck = _pack(folder)
    assert app.build(deck).slides == 3
    assert not app.build(deck).reused  # no memo was kept
    assert os.listdir(elsewhere) == []
    (elsewhere / "charts").mkdir()  # as if it were a cache: clean still removes nothing there
    result = _cli("clean", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"left {tmp_path / 'link'} as it is: it is a link or a file, not "
                             "the folder deckgen made\n")
    assert os.listdir(elsewhere) == ["charts"] and (tmp_path / "link").is_symlink()


# --- paths that hang ----------------------------------------------------------------------------


def _link_loops(folder: Path) -> None:
    """A record file under raw/, in a folder with links to itself and the folders above."""
    raw = folder / "raw" / "2016-04"
    raw.mkdir(parents=True)
    (raw / "crimes.csv").write_text(HEADER + "\nid,2016-04,E,E,0.7,51.5,X,E01,Southend 001A,"
                                    "Burglary,,\n")
    for name, target in (("up", ".."), ("self", "."), ("top", "../..")):
        (raw / name).symlink_to(target)


def test_a_link_loop_under_a_double_star_pattern_does_not_hang(tmp_path: Path) -> None:
    _link_loops(tmp_path)
    (tmp_path / "deck.yaml").write_text(OUTLINE.replace("file: raw/crimes.csv",
                                                        "files: raw/**/*.csv"), encoding="utf-8")
    for command in ("build", "check"):
        result = _cli(command, cwd=tmp_path, timeout=60)
        assert result.returncode == 0, result.stderr
    assert _counts(tmp_path / DECK) == {"Southend": "1"}  # each file once


def test_a_pattern_over_too_many_files_is_refused_at_its_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from deckgen.source import patterns

    _link_loops(tmp_path)
    for i in range(30):
        (tmp_path / "raw" / f"{i}.txt").write_text("")
    monkeypatch.setattr(patterns, "MAX_SCANNED", 20)
    deck = tmp_path / "deck.yaml"
    deck.write_text(OUTLINE.replace("file: raw/crimes.csv", "files: raw/**/*.csv"),
                    encoding="utf-8")
    with pytest.raises(app.DeckError) as info:
        app.build(deck)
    assert str(info.value) == (
        f"{deck}:7:12: data 'crimes': the pattern looks through more than 20 files and "
        "folders; make it name the folders to look in (e.g. raw/*/*.csv rather than **/*.csv)")


def test_watching_a_double_star_pattern_over_a_link_loop_does_not_hang(tmp_path: Path) -> None:
    _link_loops(tmp_path)
    script = ("import sys\nfrom pathlib import Path\nfrom deckgen.live import watch\n"
              "inputs = [Path(sys.argv[1])]\n"
              "print(list(watch._stats(inputs)), watch._folders(inputs))\n")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "raw/**/*.csv")],
                            capture_output=True, text=True, timeout=60)
    raw = tmp_path / "raw" / "2016-04"
    assert result.stdout == f"[{raw / 'crimes.csv'!r}] [{tmp_path / 'raw'!r}, {raw!r}]\n"


def test_a_named_pipe_as_the_data_file_is_refused_not_read(tmp_path: Path) -> None:
    _pack(tmp_path)
    (tmp_path / "raw" / "crimes.csv").unlink()
    os.mkfifo(tmp_path / "raw" / "crimes.csv")
    for command in ("build", "check"):
        result = _cli(command, cwd=tmp_path, timeout=60)
        assert result.returncode == 1, result.stderr
        assert result.stderr == ("error: deck.yaml:7:11: data 'crimes': is a named pipe or a "
                                 "device, not a data file: raw/crimes.csv; check the path under "
                                 "'data:'\n")
    assert not (tmp_path / "output").exists()


# --- the temporary file of an interrupted write --------------------------------------------------


def test_an_interrupt_as_the_temporary_file_is_made_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"previous deck")
    real = os.open

    def interrupted(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        fd = real(path, flags, mode, **kwargs)
        if os.path.basename(path).startswith(".deckgen-"):  # made: then Ctrl-C
            os.close(fd)
            raise KeyboardInterrupt
        return fd

    monkeypatch.setattr(os, "open", interrupted)  # tempfile.mkstemp's os.open too
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C, and SIGTERM (interrupt.py raises it too)
        write_atomic(target, b"new deck")
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == ["deck.pptx"]
    assert target.read_bytes() == b"previous deck"


# --- the one reader of entries: anything malformed is no entry ---------------------------------


def _records_body(rows: int, columns: list[Any], arrays: list[bytes]) -> bytes:
    header = json.dumps({"rows": rows, "columns": columns}).encode()
    return b"%020d\n" % len(header) + header + b"".join(arrays)


MALFORMED_PARSES = {
    "not a header": b"PK\x03\x04" + bytes(100),
    "header too long": b"%020d\n" % 10**9 + b"{}",
    "not json": b"%020d\n" % 3 + b"{{{",
    "nested": b"%020d\n" % 200_000 + b"[" * 100_000 + b"]" * 100_000,
    "not a mapping": _records_body(1, [], [])[:21] + b"[1, 2, 3]",
    "other columns": _records_body(1, [["Other", "number"]], [np.zeros(1).tobytes()]),
    "rows negative": _records_body(-1, [["Month", "number"]], []),
    "rows too many": _records_body(10**12, [["Month", "number"]], []),
    "short array": _records_body(4, [["Month", "number"]], [np.zeros(2).tobytes()]),
    "bytes left over": _records_body(1, [["Month", "number"]], [np.zeros(2).tobytes()]),
    "unknown kind": _records_body(1, [["Month", "date"]], [np.zeros(1).tobytes()]),
    "object codes": _records_body(1, [["Month", "text", "|O", ["a"]]], [bytes(8)]),
    "code out of range": _records_body(1, [["Month", "text", "|i1", ["a"]]], [b"\x05"]),
    "categories twice": _records_body(2, [["Month", "text", "|i1", ["a", "a"]]], [b"\x00\x01"]),
    "categories not text": _records_body(1, [["Month", "text", "|i1", [1]]], [b"\x00"]),
    "column not a list": _records_body(1, [{"Month": "number"}], [np.zeros(1).tobytes()]),
}


@pytest.mark.parametrize("body", MALFORMED_PARSES.values(), ids=MALFORMED_PARSES.keys())
def test_a_malformed_parse_entry_is_parsed_again(body: bytes, tmp_path: Path) -> None:
    from deckgen import entry
    from deckgen.data import records

    key = "the key"
    name = hashlib.sha256(key.encode()).hexdigest()
    path = tmp_path / name[:2] / f"{name}.records"
    assert entry.write(path, records.KIND, name, [body], records.MAX_PARSE_BYTES)
    assert records._cached(tmp_path, key, ["Month"]) is None
    good = _records_body(2, [["Month", "text", "|i1", ["a", "b"]]], [b"\x01\x00"])
    entry.write(path, records.KIND, name, [good], records.MAX_PARSE_BYTES)
    found = records._cached(tmp_path, key, ["Month"])
    assert found is not None and list(found["Month"]) == ["b", "a"]


MALFORMED_MEMOS: dict[str, Any] = {
    "not a mapping": [1, 2],
    "a field missing": {"context": None},
    "a field more": {"variables": {"district": "Basildon"}},
    "entries not a list": {"entries": 3},
    "drawn not matching": {"drawn": []},
    "stat short": {"stat": [1, 2]},
    "slides a boolean": {"slides": True},
    "slides negative": {"slides": -1},
    "warning not text": {"warnings": [1]},
    "drawn not a mapping": {"drawn": [[1]]},
    "picture not text": {"drawn": [[{"title": "T", "pictures": [1], "notes": False}]]},
}


@pytest.mark.parametrize("change", MALFORMED_MEMOS.values(), ids=MALFORMED_MEMOS.keys())
def test_a_malformed_memo_is_no_memo(change: Any, tmp_path: Path) -> None:
    from deckgen import entry
    from deckgen.cache import memo

    good = {"key": "k", "output": "/x.pptx", "sha256": "0" * 64, "stat": [1, 2, 3, 4],
            "slides": 1, "warnings": ["w"], "redraw": True, "context": "c", "entries": ["e"],
            "drawn": [[{"title": "T", "pictures": ["p"], "notes": False}]]}
    path = tmp_path / "decks" / "name.memo"
    raw = {k: v for k, v in {**good, **change}.items() if v is not None} \
        if isinstance(change, dict) else change
    for fields in (good, raw):
        entry.write(path, memo.KIND, path.stem, [json.dumps(fields).encode()],
                    memo.MAX_MEMO_BYTES)
    assert memo.Memo.load(path) is None
    entry.write(path, memo.KIND, path.stem, [json.dumps(good).encode()], memo.MAX_MEMO_BYTES)
    assert memo.Memo.load(path) is not None


def test_an_entry_that_is_not_a_sound_regular_file_is_no_entry(tmp_path: Path) -> None:
    from deckgen import entry

    path = tmp_path / "ab" / "key.chart"
    assert entry.write(path, "chart 4", "key", [b"body"], 1000)
    assert entry.read(path, "chart 4", "key", 1000) == b"body"
    assert entry.read(path, "chart 4", "other key", 1000) is None  # copied onto another key
    assert entry.read(path, "memo 3", "key", 1000) is None  # another kind
    assert entry.read(path, "chart 4", "key", 50) is None  # larger than the limit
    assert not entry.write(path, "chart 4", "key", [b"x" * 2000], 1000)  # never kept
    path.write_bytes(path.read_bytes()[:-1] + b"B")  # damaged
    assert entry.read(path, "chart 4", "key", 1000) is None
    for make in (os.mkfifo, lambda p: os.symlink("/dev/zero", p), os.mkdir):
        path.unlink() if not path.is_dir() or path.is_symlink() else path.rmdir()
        make(path)
        assert entry.read(path, "chart 4", "key", 1000) is None
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").mkdir()
    assert not entry.write(link / "key.chart", "chart 4", "key", [b"body"], 1000)
    assert os.listdir(tmp_path / "elsewhere") == []
