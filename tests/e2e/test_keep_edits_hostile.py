"""LAST is a file someone hands over: a damaged or forged record, a macro-enabled package, an
embedded program or text that would drive the terminal is refused or dropped, never a
traceback, never carried into the new deck."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from monthly import folder
from pptx import Presentation
from pptx.util import Inches

from deckgen import app
from deckgen.errors import DeckError

OPTIONS = app.Options(cache=False)


@pytest.fixture(scope="module")
def april(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    return app.build(folder(root), root / "april.pptx", options=OPTIONS).output


def _rewrite(source: Path, target: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, change(data) if item.filename == name else data)


def _record(data: bytes, edit) -> bytes:  # type: ignore[no-untyped-def]
    text = data.decode("utf-8")
    found = re.search(r">(\{.*\})<", text)
    assert found is not None
    record = edit(json.loads(found.group(1)))
    body = json.dumps(record).replace("&", "&amp;").replace("<", "&lt;")
    return (text[:found.start(1)] + body + text[found.end(1):]).encode("utf-8")


def _refused(april: Path, last: Path, tmp_path: Path) -> str:
    with pytest.raises(DeckError) as caught:
        app.build_keeping_edits(april.parent / "deck.yaml", last, tmp_path / "out.pptx",
                                options=OPTIONS)
    assert not (tmp_path / "out.pptx").exists()
    return str(caught.value)


def test_a_record_of_the_wrong_shape_is_damaged_not_a_crash(april: Path, tmp_path: Path) -> None:
    def forge(record: dict) -> dict:  # type: ignore[type-arg]
        record["slides"][1]["shapes"][0]["box"] = "everywhere"
        return record

    last = tmp_path / "last.pptx"
    _rewrite(april, last, "customXml/item1.xml", lambda d: _record(d, forge))
    assert "cannot read last.pptx as a deck: its deckgen record is damaged" in \
        _refused(april, last, tmp_path).replace(str(tmp_path) + "/", "")


def test_control_characters_in_a_record_never_reach_the_terminal(april: Path,
                                                                tmp_path: Path) -> None:
    def forge(record: dict) -> dict:  # type: ignore[type-arg]
        record["title"] = "\x1b]0;owned\x07Other"
        record["outline"] = "0" * 16
        return record

    last = tmp_path / "last.pptx"
    _rewrite(april, last, "customXml/item1.xml", lambda d: _record(d, forge))
    message = _refused(april, last, tmp_path)
    assert "was built from another outline" in message
    assert "\x1b" not in message and "\x07" not in message


def test_a_macro_enabled_package_is_refused(april: Path, tmp_path: Path) -> None:
    last = tmp_path / "last.pptx"
    _rewrite(april, last, "[Content_Types].xml", lambda d: d.replace(
        b"presentationml.presentation.main+xml", b"presentationml.slideshow.main+xml"))
    assert "it is not a PowerPoint presentation (.pptx)" in _refused(april, last, tmp_path)


def test_an_embedded_object_added_by_hand_is_not_carried(april: Path, tmp_path: Path) -> None:
    prs = Presentation(str(april))
    slide = prs.slides[2]
    slide.shapes.add_ole_object(io.BytesIO(b"not really a workbook"), "Excel.Sheet.12",
                                Inches(1), Inches(1), Inches(1), Inches(1)).name = "Workbook"
    prs.save(str(tmp_path / "last.pptx"))
    kept = app.build_keeping_edits(april.parent / "deck.yaml", tmp_path / "last.pptx",
                                   tmp_path / "out.pptx", options=OPTIONS)
    out = Presentation(str(tmp_path / "out.pptx"))
    assert "Workbook" not in [sh.name for s in out.slides for sh in s.shapes]
    names = zipfile.ZipFile(tmp_path / "out.pptx").namelist()
    assert not [n for n in names if "embeddings" in n and "oleObject" in n]
    assert kept.kept == []
    assert [line for line in kept.reported if line.startswith("LAST held an embedded OLE "
                                                               "object (in ppt/slides/")]
