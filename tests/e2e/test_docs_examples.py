"""Every example in docs/outline.md builds: one per slide kind, with the sample deck's data.

Each ```yaml block that starts with `- kind:` is a complete slide. It is built as the only slide
of an outline that has the sample deck.yaml's top-level keys (title, variables, data, brand, ...)
in a temporary folder beside links to the repository's data/ and assets/.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pptx import Presentation

from deckgen import kinds
from deckgen.app import build

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "outline.md"
SAMPLE = ROOT / "deck.yaml"

_BLOCK = re.compile(r"^```yaml[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def _yaml_blocks() -> list[str]:
    return _BLOCK.findall(DOC.read_text(encoding="utf-8"))


def _slide_examples() -> list[str]:
    return [b for b in _yaml_blocks() if b.lstrip().startswith("- kind:")]


def _outline_examples() -> list[str]:
    """Complete outlines in the docs (the minimal example): they start with `title:`."""
    return [b for b in _yaml_blocks() if b.lstrip().startswith("title:")]


def _kind_of(block: str) -> str:
    return str(yaml.safe_load(block)[0]["kind"])


def _workspace(tmp_path: Path) -> Path:
    """tmp_path with copies of the repository's data/ and assets/ (copies, not links: a link
    pointing out of the outline's folder is refused like any outside path)."""
    for name in ("data", "assets"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def _header() -> dict[str, Any]:
    """The sample outline's top-level keys, without its slides and output path."""
    sample = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    return {k: v for k, v in sample.items() if k not in ("slides", "output")}


def _indented(block: str) -> str:
    return "".join(f"  {line}" if line.strip() else line
                   for line in block.splitlines(keepends=True))


def _built(deck: Path, tmp_path: Path) -> Presentation:
    from openxml_audit import OpenXmlValidator

    out = tmp_path / "x.pptx"
    built = build(deck, output=out)
    assert not built.warnings, "\n".join(map(str, built.warnings))
    assert [str(e) for e in OpenXmlValidator().validate(out).errors] == []  # valid OOXML
    return Presentation(str(out))


EXAMPLES = _slide_examples()


def _example_slide(block: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The one slide an example builds, with the sample's top-level keys."""
    deck = _workspace(tmp_path) / "deck.yaml"
    header = yaml.safe_dump(_header(), sort_keys=False, allow_unicode=True)
    deck.write_text(f"{header}\nslides:\n{_indented(block)}", encoding="utf-8")
    return _built(deck, tmp_path).slides[0]


def test_an_example_for_every_slide_kind() -> None:
    assert sorted({_kind_of(b) for b in EXAMPLES}) == sorted(kinds.names())


def test_the_figures_example_shows_the_datas_figures(tmp_path: Path) -> None:
    import csv

    slide = _example_slide(next(b for b in EXAMPLES if "{asb_change|" in b), tmp_path)
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    with open(ROOT / "data" / "asb_mar_apr_2015_2016.csv", encoding="utf-8") as f:
        rows = {r["district"]: r for r in csv.DictReader(f)}
    before, after = int(rows["Southend"]["mar_apr_2015"]), int(rows["Southend"]["mar_apr_2016"])
    pct = (after - before) / before * 100
    assert f"ASB {'fell' if pct < 0 else 'rose'} by {abs(pct):.1f}% between" in text, text
    assert f"{abs(after - before):,} {'fewer' if after < before else 'more'} incidents" in text
    assert f"Force wide: {int(rows['TOTAL']['mar_apr_2016']):,} incidents" in text


def test_the_noise_example_flags_changes_as_an_independent_computation(tmp_path: Path) -> None:
    import csv
    import math

    slide = _example_slide(next(b for b in EXAMPLES if "noise flagged" in b), tmp_path)
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    shown = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows}
    with open(ROOT / "data" / "asb_mar_apr_2015_2016.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["district"] != "TOTAL"]
    names = {"Castlepoint": "Castle Point", "Epping": "Epping Forest"}  # data/districts.csv
    levels = set()
    for r in rows:
        before, after = int(r["mar_apr_2015"]), int(r["mar_apr_2016"])
        z = 2 * (math.sqrt(after) - math.sqrt(before))
        mark = "\u2021" if abs(z) >= 3 else "\u2020" if abs(z) >= 2 else ""
        levels.add(mark)
        cells = shown[names.get(r["district"], r["district"])]
        end = mark or "\u2007"  # no mark: a figure space keeps its room
        # the sample brand writes the true minus sign (true_minus)
        assert cells[3] == f"{after - before:+,}{end}".replace("-", "\u2212"), (r, z)
        assert cells[4] == f"{(after - before) / before * 100:+.1f}{end}".replace(
            "-", "\u2212"), (r, z)
    assert levels == {"\u2021", "\u2020", ""}  # the example shows every level
    footnote = next(sh.text_frame.text for sh in slide.shapes if sh.name == "Footnote")
    assert footnote.startswith("\u2021 significant (|z| \u2265 3) and \u2020 notable (|z| "
                               "\u2265 2) change: beyond normal (Poisson) variation")


@pytest.mark.parametrize("block", EXAMPLES, ids=[_kind_of(b) for b in EXAMPLES])
def test_slide_example_builds(block: str, tmp_path: Path) -> None:
    items = yaml.safe_load(block)
    assert isinstance(items, list) and len(items) == 1, "an example is one slide list item"
    work = _workspace(tmp_path)
    deck = work / "deck.yaml"
    header = yaml.safe_dump(_header(), sort_keys=False, allow_unicode=True)
    deck.write_text(f"{header}\nslides:\n{_indented(block)}", encoding="utf-8")

    prs = _built(deck, tmp_path)

    slides = list(prs.slides)
    assert len(slides) == 1
    title = slides[0].shapes.title
    assert title is not None and title.text_frame.text.strip()


@pytest.mark.parametrize("block", _outline_examples())
def test_outline_example_builds(block: str, tmp_path: Path) -> None:
    deck = _workspace(tmp_path) / "deck.yaml"
    deck.write_text(block, encoding="utf-8")
    prs = _built(deck, tmp_path)
    assert len(prs.slides) == len(yaml.safe_load(block)["slides"])


def test_every_yaml_block_parses() -> None:
    for block in _yaml_blocks():
        yaml.safe_load(block)


def test_the_readmes_library_example_runs(sample_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1
    monkeypatch.chdir(sample_copy.parent)
    exec(compile(blocks[0], "README.md", "exec"), {})  # noqa: S102 - our own README's example
    out = capsys.readouterr().out
    assert out == "output/basildon-briefing.pptx 19 []\n"
    assert (sample_copy.parent / "output" / "basildon-briefing.pptx").is_file()


DATA_DOC = ROOT / "docs" / "data.md"
DATA_EXAMPLES = [b for b in _BLOCK.findall(DATA_DOC.read_text(encoding="utf-8"))
                 if b.lstrip().startswith("title:")]


def test_the_data_guide_has_examples() -> None:
    assert len(DATA_EXAMPLES) >= 5


@pytest.mark.parametrize("block", DATA_EXAMPLES,
                         ids=[b.splitlines()[0][7:40] for b in DATA_EXAMPLES])
def test_data_guide_example_builds(block: str, tmp_path: Path) -> None:
    work = tmp_path / "example"
    shutil.copytree(ROOT / "docs" / "data-example", work)
    deck = work / "deck.yaml"
    deck.write_text(block, encoding="utf-8")
    prs = _built(deck, tmp_path)
    assert len(prs.slides) == len(yaml.safe_load(block)["slides"])
    for slide in prs.slides:
        assert slide.shapes.title.text_frame.text.strip()


def test_the_readmes_outline_in_brief_builds(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in _BLOCK.findall(readme) if b.lstrip().startswith("title:"))
    deck = _workspace(tmp_path) / "deck.yaml"
    deck.write_text(block, encoding="utf-8")
    texts = [sh.text_frame.text for s in _built(deck, tmp_path).slides for sh in s.shapes
             if sh.has_text_frame]
    assert any("ASB fell by 11.1%" in t for t in texts), texts
