"""Refactors change no deck: every deck the tests and docs build is pinned by its digest.

tests/fixtures/deck-digests.json holds, for each deck (the sample, every district, the
`extends:` example, every docs example, the review's stress deck), the sha256 of the whole file
and of its parts other than pictures. Chart pictures are drawn by matplotlib, whose pixels may
change between its releases: when the installed matplotlib is not the one the digests were
recorded with, only the parts without pictures are compared (the rest of the deck must still be
identical). Record again, after a change that is meant to change decks, with
`DECKGEN_RECORD_DIGESTS=1 pytest tests/e2e/test_same_bytes.py`, and say why in the commit.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from deckgen.app import build, build_each
from deckgen.options import Options

ROOT = Path(__file__).resolve().parents[2]
DIGESTS = ROOT / "tests" / "fixtures" / "deck-digests.json"
RECORD = os.environ.get("DECKGEN_RECORD_DIGESTS") == "1"
FULL = Options(cache=False)


def _digests(pptx: Path) -> dict[str, str]:
    data = pptx.read_bytes()
    parts = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("ppt/media/"):
                continue
            parts.update(name.encode() + b"\0" + z.read(name) + b"\0")
    return {"file": hashlib.sha256(data).hexdigest(), "parts": parts.hexdigest()}


def _workspace(tmp: Path) -> Path:
    tmp.mkdir()
    shutil.copy(ROOT / "deck.yaml", tmp / "deck.yaml")
    for name in ("data", "assets", "districts"):
        shutil.copytree(ROOT / name, tmp / name, ignore=shutil.ignore_patterns("output"))
    return tmp


def _docs_examples(tmp: Path) -> dict[str, Path]:
    import test_docs_examples as docs

    out: dict[str, Path] = {}
    header = yaml.safe_dump(docs._header(), sort_keys=False, allow_unicode=True)
    for n, block in enumerate(docs.EXAMPLES):
        work = tmp / f"doc-slide-{n}"
        work.mkdir()
        docs._workspace(work)
        deck = work / "deck.yaml"
        deck.write_text(f"{header}\nslides:\n{docs._indented(block)}", encoding="utf-8")
        out[f"docs slide {n + 1} ({docs._kind_of(block)})"] = deck
    for n, block in enumerate(docs._outline_examples()):
        work = tmp / f"doc-outline-{n}"
        work.mkdir()
        docs._workspace(work)
        (work / "deck.yaml").write_text(block, encoding="utf-8")
        out[f"docs outline {n + 1}"] = work / "deck.yaml"
    return out


def _stress(tmp: Path) -> Path:
    import test_review

    folder = tmp / "stress"
    folder.mkdir()
    return test_review.write_stress_deck(folder)


def built_decks(tmp: Path) -> dict[str, Path]:
    """Build every pinned deck into `tmp`; name -> the .pptx."""
    work = _workspace(tmp / "sample")
    decks: dict[str, Path] = {}
    out = tmp / "out"
    decks["sample"] = build(work / "deck.yaml", out / "sample.pptx", options=FULL).output
    for result in build_each(work / "deck.yaml", "district", out / "districts", {}, jobs=2,
                             options=FULL):
        assert result.ok, result.problems
        decks[f"district {result.value}"] = result.output
    decks["extends: districts/basildon.yaml"] = build(
        work / "districts" / "basildon.yaml", out / "basildon-extends.pptx", options=FULL).output
    for name, deck in _docs_examples(tmp).items():
        decks[name] = build(deck, deck.parent / "x.pptx", options=FULL).output
    decks["review stress deck"] = build(_stress(tmp), tmp / "stress.pptx", options=FULL).output
    return decks


def _matplotlib() -> str:
    return metadata.version("matplotlib")


def test_every_pinned_deck_is_byte_identical(tmp_path: Path) -> None:
    decks = built_decks(tmp_path)
    found = {name: _digests(path) for name, path in decks.items()}
    if RECORD:
        DIGESTS.write_text(json.dumps({"matplotlib": _matplotlib(), "decks": found},
                                      indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip("digests recorded")
    pinned = json.loads(DIGESTS.read_text(encoding="utf-8"))
    assert sorted(found) == sorted(pinned["decks"])
    key = "file" if pinned["matplotlib"] == _matplotlib() else "parts"
    changed = [name for name in found if found[name][key] != pinned["decks"][name][key]]
    assert not changed, f"these decks changed ({key}): {changed}"
