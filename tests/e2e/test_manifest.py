"""The build's manifest of its inputs (source/manifest.py): every file a build reads, listed
once, and what the up-to-date check, the output check and watch follow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def _texts(pptx: Path) -> list[str]:
    return [sh.text_frame.text for s in Presentation(str(pptx)).slides for sh in s.shapes
            if sh.has_text_frame]


def test_a_brand_file_named_with_a_variable_is_followed(tmp_path: Path,
                                                        user_cache: Path) -> None:
    """`brand: brands/{force}.yaml`: a save of that brand file is a change like any other (the
    up-to-date check once looked for a file named '{force}.yaml' and, finding none, called
    the deck up to date with the old footer)."""
    (tmp_path / "brands").mkdir()
    brand = tmp_path / "brands" / "essex.yaml"
    brand.write_text("name: Essex\nfooter: Essex footer\n", encoding="utf-8")
    (tmp_path / "deck.yaml").write_text(
        "title: T\nvariables:\n  force: {default: essex}\nbrand: brands/{force}.yaml\n"
        "output: out.pptx\nslides:\n  - {kind: bullets, title: One, points: [A]}\n",
        encoding="utf-8")
    assert _cli("build", "deck.yaml", cwd=tmp_path).returncode == 0
    brand.write_text("name: Essex\nfooter: Changed footer\n", encoding="utf-8")
    again = _cli("build", "deck.yaml", cwd=tmp_path)
    assert again.stdout.startswith("wrote out.pptx"), again.stdout
    assert "Changed footer" in _texts(tmp_path / "out.pptx")


def _outline(folder: Path, text: str) -> Path:
    deck = folder / "deck.yaml"
    deck.write_text(text, encoding="utf-8")
    return deck


def _picture(path: Path, shade: int) -> None:
    import io

    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (shade, 80, 120)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())


PATTERN = """\
title: T
output: out.pptx
data:
  sales:
    files: data/*.csv
  north:
    from: sales
    steps:
      - filter: {area: North}
  south:
    from: sales
    steps:
      - filter: {area: South}
slides:
  - {kind: table, title: North, data: north, columns: [{column: area}, {column: n}]}
  - {kind: table, title: South, data: south, columns: [{column: area}, {column: n}]}
  - {kind: table, title: All, data: sales, columns: [{column: area}, {column: n}]}
"""


def test_a_build_reads_each_input_once(tmp_path: Path, user_cache: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The outline and the brand file are parsed once, the merged outline's paths walked once
    and a pattern expanded once, however many sources and slides read it (it was parsed
    twice, three or four times, walked six times and expanded once per source made from it)."""
    from deckgen.app import build
    from deckgen.data import store
    from deckgen.source import manifest, yamlsrc

    (tmp_path / "data").mkdir()
    for month in ("2016-04", "2016-05"):
        (tmp_path / "data" / f"{month}.csv").write_text("area,n\nNorth,1\nSouth,2\n",
                                                         encoding="utf-8")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "brand.yaml").write_text("name: B\n", encoding="utf-8")
    deck = _outline(tmp_path, PATTERN)
    read: list[str] = []
    walked: list[int] = []
    expanded: list[str] = []
    original = (yamlsrc.read_input, manifest.named_paths, manifest.expand)
    monkeypatch.setattr(yamlsrc, "read_input", lambda path, limit: (
        read.append(Path(path).name), original[0](path, limit))[1])
    monkeypatch.setattr(manifest, "named_paths", lambda tree, keys: (
        walked.append(1), original[1](tree, keys))[1])
    monkeypatch.setattr(manifest, "expand", lambda folder, pattern: (
        expanded.append(pattern), original[2](folder, pattern))[1])
    store._READ.clear()
    written = build(deck)
    assert written.slides == 3 and not written.reused
    assert sorted(read) == ["brand.yaml", "deck.yaml"]
    assert len(walked) == 1
    assert expanded == ["data/*.csv"]


def test_a_variable_in_an_input_path_is_cached_like_any_other(tmp_path: Path,
                                                               user_cache: Path) -> None:
    """`image: pics/{district}.png`: filled in before the up-to-date check (once the check gave
    up on any path with a brace, and every build was a full one)."""
    from deckgen.app import build

    _picture(tmp_path / "pics" / "Southend.png", 10)
    _picture(tmp_path / "pics" / "Basildon.png", 200)
    deck = _outline(tmp_path, (
        "title: T\noutput: out.pptx\nvariables:\n  district: {default: Southend}\nslides:\n"
        "  - {kind: image, title: A picture, image: 'pics/{district}.png', alt: A picture}\n"
        "  - {kind: bullets, title: Points, points: [One]}\n"))
    assert not build(deck).reused
    assert build(deck).reused
    _picture(tmp_path / "pics" / "Southend.png", 90)  # the picture it shows, saved again
    again = build(deck)
    assert not again.reused and again.redrawn is None
    assert build(deck).reused
    assert not build(deck, overrides={"district": "Basildon"}).reused
    assert not build(deck).reused  # out.pptx is Basildon's now
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("[One]", "[One more]"), encoding="utf-8")
    assert build(deck).redrawn == [2]


def test_a_looked_up_value_in_an_input_path_is_cached_after_the_data_stage(
        tmp_path: Path, user_cache: Path) -> None:
    """`image: pics/{picture}` where `picture` is looked up in the data: the manifest is
    completed once the data stage has resolved it, then the deck is reused or redrawn as any
    other; a change to the data that names another file builds it again."""
    from deckgen.app import build
    from deckgen.data import store

    _picture(tmp_path / "pics" / "a.png", 10)
    _picture(tmp_path / "pics" / "b.png", 200)
    places = tmp_path / "places.csv"
    places.write_text("name,picture\nSouthend,a.png\n", encoding="utf-8")
    deck = _outline(tmp_path, (
        "title: T\noutput: out.pptx\nvariables:\n  district: {default: Southend}\n"
        "  picture: {lookup: places.picture, where: {name: '{district}'}}\n"
        "data:\n  places: {file: places.csv}\nslides:\n"
        "  - {kind: image, title: A picture, image: 'pics/{picture}', alt: A picture}\n"
        "  - {kind: bullets, title: Points, points: [One]}\n"))
    store._READ.clear()
    assert not build(deck).reused
    assert build(deck).reused
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("[One]", "[One more]"), encoding="utf-8")
    assert build(deck).redrawn == [2]
    _picture(tmp_path / "pics" / "a.png", 90)
    assert not build(deck).reused
    places.write_text("name,picture\nSouthend,b.png\n", encoding="utf-8")
    store._READ.clear()
    again = build(deck)
    assert not again.reused and again.redrawn is None
    shown = [sh.image.blob for s in Presentation(str(again.output)).slides for sh in s.shapes
             if sh.shape_type == 13]
    assert (tmp_path / "pics" / "b.png").read_bytes() in shown


def test_watch_follows_every_file_of_a_pattern_and_of_a_folder(monthly_pack: Path) -> None:
    """The monthly files a pattern matches, and each file of a map's boundaries folder (once
    only the folder was watched, and a boundary file saved in place went unnoticed)."""
    from deckgen.app import watched_inputs

    inputs = {p.relative_to(monthly_pack.resolve()).as_posix()
              for p in watched_inputs(monthly_pack / "deck.yaml")}
    monthly = {p for p in inputs if p.startswith("data/police-uk-SYNTHETIC/")}
    assert len(monthly) > 12 and all(p.endswith(".csv.gz") or "*" in p for p in monthly)
    boundaries = monthly_pack / "data" / "boundaries" / "essex-lsoa11"
    assert {f"data/boundaries/essex-lsoa11/{p.name}" for p in boundaries.iterdir()
            if p.is_file()} <= inputs


def test_clean_finds_an_output_folder_named_with_a_variable(tmp_path: Path,
                                                            user_cache: Path) -> None:
    from deckgen.app import clean

    _outline(tmp_path, "title: T\noutput: 'decks/{district}/briefing.pptx'\nvariables:\n"
                       "  district: {default: Southend}\nslides: []\n")
    folder = tmp_path / "decks" / "southend"  # as the build names it: slugged
    folder.mkdir(parents=True)
    (folder / ".deckgen-999999999-abcdefgh.tmp").write_bytes(b"left by a killed build")
    assert clean(tmp_path / "deck.yaml").stale == 1
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("variables", [
    "variables:\n  p: {default: ../secret/outside.png}\n",
    "data:\n  v: {file: v.csv}\nvariables:\n  p: {lookup: v.pic, where: {k: '1'}}\n",
], ids=["a default", "a cell of data"])
def test_a_file_a_variable_leads_out_of_the_folder_is_never_read(
        tmp_path: Path, user_cache: Path, monkeypatch: pytest.MonkeyPatch,
        variables: str) -> None:
    """The path rule holds as the manifest fills paths in: such a file is not listed, opened
    or hashed (with the cache on, every listed file is hashed), and the build says why."""
    from deckgen.app import build
    from deckgen.errors import DeckError
    from deckgen.source import manifest

    secret = tmp_path / "secret"
    _picture(secret / "outside.png", 10)
    inner = tmp_path / "deck"
    inner.mkdir()
    (inner / "v.csv").write_text("k,pic\n1,../secret/outside.png\n", encoding="utf-8")
    deck = _outline(inner, "title: T\n" + variables + "slides:\n  - kind: image\n"
                    "    title: Pic\n    image: '{p}'\n    alt: a picture\n")
    hashed: list[Path] = []
    original = manifest.file_digest
    monkeypatch.setattr(manifest, "file_digest",
                        lambda path: (hashed.append(Path(path)), original(path))[1])
    with pytest.raises(DeckError, match="a variable's value may not lead a path out of it"):
        build(deck)
    assert not [p for p in hashed if secret in p.resolve().parents], hashed
