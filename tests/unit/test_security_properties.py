"""Property tests: whatever bytes a picture or a template holds, a build ends in a deck or a
DeckError, never another exception, and soon.

Random bytes, and random damage to a real PNG, a real JPEG and a real template (bytes of the
zip overwritten or cut off, or bytes of one of its XML parts, zipped again), each built into a
two-slide deck: as the picture of an image slide, and as the template the deck is built on.
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from deckgen.app import build
from deckgen.errors import DeckError
from deckgen.options import Options

# DECKGEN_EXAMPLES=500 pytest tests/unit/test_security_properties.py for a longer search
EXAMPLES = int(os.environ.get("DECKGEN_EXAMPLES", "25"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
#: Seconds one build may take, however damaged its input.
SOON = 5.0
PICTURE_DECK = ("title: T\nslides:\n  - {kind: image, title: P, image: pic.png, alt: a picture}\n")
TEMPLATE_DECK = ("title: T\ntemplate: kent.pptx\nslides:\n  - {kind: title, title: T}\n"
                 "  - {kind: bullets, title: B, points: [one, two]}\n")


def _picture(fmt: str) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (24, 16), (30, 60, 90))
    image.putpixel((3, 4), (250, 200, 10))
    image.save(out, format=fmt)
    return out.getvalue()


PNG, JPEG = _picture("PNG"), _picture("JPEG")


@pytest.fixture(scope="module")
def template() -> bytes:
    """A template as python-pptx makes one: the Office layouts, and a slide of its own."""
    from pptx import Presentation

    prs = Presentation()
    prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = "An example slide"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def damaged(data: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    """`data` with bytes overwritten (position modulo its length, value) and cut to `cut`
    bytes when that is shorter."""
    out = bytearray(data)
    for at, value in edits:
        out[at % len(out)] = value
    return bytes(out[:cut]) if cut < len(out) else bytes(out)


edits = st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8)
cuts = st.integers(min_value=0, max_value=1 << 20)


def builds_or_refuses(folder: Path) -> None:
    """A build of the outline in `folder` gives a deck or a DeckError with its problems, soon;
    any other exception fails the test."""
    out = folder / "out.pptx"
    out.unlink(missing_ok=True)
    start = time.monotonic()
    try:
        build(folder / "deck.yaml", out, options=Options(cache=False))
    except DeckError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        assert not out.exists()
    else:
        assert out.stat().st_size > 0
    assert time.monotonic() - start < SOON


def _with_picture(folder: Path, data: bytes) -> Path:
    (folder / "deck.yaml").write_text(PICTURE_DECK, encoding="utf-8")
    (folder / "pic.png").write_bytes(data)
    return folder


def _with_template(folder: Path, data: bytes) -> Path:
    (folder / "deck.yaml").write_text(TEMPLATE_DECK, encoding="utf-8")
    (folder / "kent.pptx").write_bytes(data)
    return folder


@SETTINGS
@given(data=st.binary(max_size=300) | st.sampled_from([b"BM", b"GIF89a", b"\xff\xd8\xff",
                                                       b"\x89PNG\r\n\x1a\n", b"PK\x03\x04"])
       .flatmap(lambda magic: st.binary(max_size=200).map(lambda rest: magic + rest)))
def test_any_bytes_as_a_picture_give_a_deck_or_a_deck_error(tmp_path: Path,
                                                            data: bytes) -> None:
    builds_or_refuses(_with_picture(tmp_path, data))


@SETTINGS
@given(base=st.sampled_from([PNG, JPEG, _picture("GIF"), _picture("BMP")]), edits=edits,
       cut=cuts)
def test_a_damaged_picture_gives_a_deck_or_a_deck_error(tmp_path: Path, base: bytes,
                                                        edits: list[tuple[int, int]],
                                                        cut: int) -> None:
    builds_or_refuses(_with_picture(tmp_path, damaged(base, edits, cut)))


@SETTINGS
@given(data=st.binary(max_size=300) | st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b))
def test_any_bytes_as_a_template_give_a_deck_or_a_deck_error(tmp_path: Path,
                                                             data: bytes) -> None:
    builds_or_refuses(_with_template(tmp_path, data))


@SETTINGS
@given(edits=edits, cut=cuts)
def test_a_damaged_template_zip_gives_a_deck_or_a_deck_error(
        tmp_path: Path, template: bytes, edits: list[tuple[int, int]], cut: int) -> None:
    builds_or_refuses(_with_template(tmp_path, damaged(template, edits, cut)))


PARTS = ["[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml",
         "ppt/_rels/presentation.xml.rels", "ppt/slideMasters/slideMaster1.xml",
         "ppt/slideMasters/_rels/slideMaster1.xml.rels", "ppt/slideLayouts/slideLayout1.xml",
         "ppt/slideLayouts/slideLayout6.xml", "ppt/theme/theme1.xml"]


@SETTINGS
@given(part=st.sampled_from(PARTS), edits=edits, cut=cuts,
       text=st.sampled_from([b"", b"<", b"&x;", b'"', b"0", b"-1", b"a", b"/>", b"r:id",
                             b"<!DOCTYPE x>"]))
def test_a_template_with_a_damaged_part_gives_a_deck_or_a_deck_error(
        tmp_path: Path, template: bytes, part: str, edits: list[tuple[int, int]], cut: int,
        text: bytes) -> None:
    """Bytes of one XML part overwritten, cut, or with text put in, and the zip made again:
    the damage reaches the XML instead of failing the zip's checksums."""
    with zipfile.ZipFile(io.BytesIO(template)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    blob = damaged(parts[part], edits, cut)
    at = (edits[0][0] % len(blob)) if edits and blob else 0
    parts[part] = blob[:at] + text + blob[at:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    builds_or_refuses(_with_template(tmp_path, out.getvalue()))
