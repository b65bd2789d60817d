"""A deck for any district: --set, declared values, lookups, batch builds and extends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.app import build
from deckgen.errors import DeckError
from deckgen.pipeline import load_outline


def _all_text(path: Path) -> str:
    prs = Presentation(str(path))
    parts = []
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                parts.append(sh.text_frame.text)
            if sh.has_table:
                parts += [c.text for r in sh.table.rows for c in r.cells]
            if sh.shape_type == 13:
                parts.append(sh._element.nvPicPr.cNvPr.get("descr", ""))
        parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def _highlighted_row(path: Path) -> str:
    prs = Presentation(str(path))
    table = next(sh.table for s in prs.slides for sh in s.shapes if sh.has_table)
    bold = [r.cells[0].text for r in list(table.rows)[1:-1]
            if r.cells[0].text_frame.paragraphs[0].runs[0].font.bold]
    assert len(bold) == 1
    return bold[0]


def test_set_district_switches_every_district_slide(sample_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "basildon.pptx"
    build(sample_copy, out, {"district": "Basildon"})
    prs = Presentation(str(out))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert "Basildon – Proportions of crime" in titles
    assert not any("Southend" in t for t in titles)
    subtitle = next(sh for sh in prs.slides[0].shapes if sh.name == "Subtitle")
    assert subtitle.text_frame.paragraphs[0].text == "Basildon"
    assert _highlighted_row(out) == "Basildon"
    charts = [sh._element.nvPicPr.cNvPr.get("descr") for s in prs.slides for sh in s.shapes
              if sh.name == "Chart"]
    assert any("Highlighted: Basildon, \u22125.9%" in a for a in charts)
    assert any("Basildon district" in a for a in charts)
    text = _all_text(out)
    assert "Southend challenge briefing" not in text
    assert "Basildon challenge briefing" in text


def test_district_display_names_come_from_the_data(sample_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "cp.pptx"
    build(sample_copy, out, {"district": "Castlepoint"})
    prs = Presentation(str(out))
    assert prs.slides[3].shapes.title.text_frame.text == "Castle Point – Proportions of crime"
    # the table and the chart name it as the title does (deck.yaml's labels)
    assert _highlighted_row(out) == "Castle Point"
    chart = next(sh for sh in prs.slides[11].shapes if sh.shape_type == 13)
    assert "Highlighted: Castle Point, \u221218.3%" in chart._element.nvPicPr.cNvPr.get("descr")
    rows = [row.cells[0].text for row in next(
        sh.table for sh in prs.slides[10].shapes if sh.has_table).rows]
    assert "Castlepoint" not in rows and "Epping Forest" in rows


def test_sample_district_figures_are_not_claimed_for_another(sample_copy: Path,
                                                            tmp_path: Path) -> None:
    southend, basildon = tmp_path / "s.pptx", tmp_path / "b.pptx"
    build(sample_copy, southend)
    build(sample_copy, basildon, {"district": "Basildon"})
    s_prs, b_prs = Presentation(str(southend)), Presentation(str(basildon))
    # the district chart differs; the force chart does not
    s_chart = [sh for sh in s_prs.slides[3].shapes if sh.name == "Chart"][0]
    b_chart = [sh for sh in b_prs.slides[3].shapes if sh.name == "Chart"][0]
    assert s_chart.image.blob != b_chart.image.blob
    s_force = [sh for sh in s_prs.slides[2].shapes if sh.name == "Chart"][0]
    b_force = [sh for sh in b_prs.slides[2].shapes if sh.name == "Chart"][0]
    assert s_force.image.blob == b_force.image.blob


@pytest.mark.parametrize("typed", ["Basildun", "BASILDON"])
def test_unknown_district_is_one_error_naming_the_valid_ones(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch, typed: str) -> None:
    monkeypatch.chdir(sample_copy.parent)
    with pytest.raises(DeckError) as info:
        load_outline(sample_copy, {"district": typed})
    assert len(info.value.problems) == 1
    message = str(info.value)
    assert message.startswith(f"deck.yaml: --set district={typed}: '{typed}' is not one of the "
                              "values of asb.district; valid values: Thurrock, Basildon,")
    assert message.endswith("did you mean 'Basildon'?")


def test_bad_default_is_located_at_the_variable(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("district\nA\nB\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata: {d: {file: d.csv}}\nvariables:\n  district:\n"
                    "    default: C\n    values_from: d.district\nslides:\n"
                    "  - {kind: section, title: x}\n")
    with pytest.raises(DeckError) as info:
        load_outline(deck)
    assert str(info.value).endswith("deck.yaml:5:14: variable 'district': 'C' is not one of "
                                    "the values of d.district; valid values: A, B")


def test_variable_declared_values_list(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: '{period}'\nvariables:\n  period: {default: May, values: [May, June]}"
                    "\nslides:\n  - {kind: section, title: x}\n")
    assert load_outline(deck, {"period": "June"}).deck.title == "June"
    assert load_outline(deck).choices == {"period": ["May", "June"]}
    with pytest.raises(DeckError, match="'July' is not one of the values of its 'values'"):
        load_outline(deck, {"period": "July"})


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deckgen", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_each_builds_one_deck_per_district(sample_copy: Path) -> None:
    folder = sample_copy.parent
    result = run("build", "deck.yaml", "--each", "district", "-o", "decks", cwd=folder)
    assert result.returncode == 0, result.stderr
    decks = sorted(p.name for p in (folder / "decks").iterdir())
    assert len(decks) == 14
    assert "castlepoint-briefing.pptx" in decks and "southend-briefing.pptx" in decks
    assert result.stdout.strip().splitlines()[-1].startswith("14 decks in ")
    assert _highlighted_row(folder / "decks" / "harlow-briefing.pptx") == "Harlow"


def test_each_failing_deck_does_not_stop_the_others(sample_copy: Path) -> None:
    folder = sample_copy.parent
    # Harlow's name is missing from the lookup table: its deck fails, the rest build
    names = folder / "data" / "districts.csv"
    names.write_text("\n".join(ln for ln in names.read_text().splitlines()
                               if not ln.startswith("Harlow")) + "\n")
    result = run("build", "--each", "district", "-o", "decks", cwd=folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error: [Harlow] deck.yaml:" in result.stderr
    assert "no row of data/districts.csv has district = 'Harlow'" in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("failed: Harlow"), result.stderr
    assert len(list((folder / "decks").iterdir())) == 13


def test_each_needs_declared_values(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\nvariables: {who: A}\nslides:\n  - {kind: section, title: x}\n")
    result = run("build", "--each", "who", cwd=tmp_path)
    assert result.returncode == 1
    assert "--each who: the variable declares no values to build" in result.stderr


EXTENDING = """\
extends: deck.yaml
variables:
  district:
    default: Basildon
    values_from: asb.district
output: output/basildon-local.pptx
remove: [force-crime-mix]
replace:
  asb-chart:
    kind: bullets
    title: Basildon ASB priorities
    points: [Town centre patrols]
insert:
  - after: asb-table
    slides:
      - kind: section
        title: Local focus
append:
  - kind: bullets
    title: Basildon contacts
    points: [Local policing team]
"""


def test_extends_overrides_variables_and_edits_slides_by_id(sample_copy: Path) -> None:
    child = sample_copy.parent / "basildon.yaml"
    child.write_text(EXTENDING)
    deck = build(child)
    assert deck.output == sample_copy.parent / "output" / "basildon-local.pptx"
    prs = Presentation(str(deck.output))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert "Force – Proportions of crime" not in titles
    assert "Anti-social Behaviour" not in titles
    i = titles.index("Anti-Social Behaviour by district")
    assert titles[i + 1:i + 3] == ["Local focus", "Basildon ASB priorities"]
    assert titles[-1] == "Basildon contacts"
    assert titles[2] == "Basildon – Proportions of crime"
    assert len(titles) == 19 - 1 + 1 + 1


def test_extends_problems_point_at_the_right_file(sample_copy: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sample_copy.parent)
    child = sample_copy.parent / "child.yaml"
    child.write_text("extends: deck.yaml\nremove: [no-such-slide]\n")
    with pytest.raises(DeckError) as info:
        load_outline(child)
    assert str(info.value).startswith("child.yaml:2:10: no slide has id 'no-such-slide' (ids: "
                                      "force-crime-mix, district-crime-mix")
    child.write_text("extends: deck.yaml\nappend:\n  - kind: bulets\n    title: x\n")
    with pytest.raises(DeckError, match=r"child.yaml:3:11: slide 20: unknown kind 'bulets'"):
        load_outline(child)
    (sample_copy.parent / "deck.yaml").write_text(
        sample_copy.read_text().replace("kind: team", "kind: teem"))
    child.write_text("extends: deck.yaml\n")
    with pytest.raises(DeckError, match=r"^deck.yaml:\d+:11: slide 7: unknown kind 'teem'"):
        load_outline(child)


def test_extends_from_another_folder_keeps_the_parent_paths(sample_copy: Path) -> None:
    sub = sample_copy.parent / "districts"
    sub.mkdir()
    (sub / "harlow.yaml").write_text("extends: ../deck.yaml\nvariables: {district: "
                                     "{default: Harlow, values_from: asb.district}}\n")
    deck = build(sub / "harlow.yaml")
    assert deck.output.resolve() == (sample_copy.parent / "output" /
                                     "harlow-briefing.pptx").resolve()


def test_extends_loop_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    with pytest.raises(DeckError, match="makes a loop"):
        load_outline(tmp_path / "a.yaml")


def test_an_empty_lookup_cell_is_an_error_not_text(sample_copy: Path) -> None:
    """A lookup whose cell is empty would otherwise put '<NA>' on the slides."""
    csv = sample_copy.parent / "data" / "districts.csv"
    lines = csv.read_text().splitlines()
    csv.write_text("\n".join([lines[0] + ",population"] + [
        line + ("," if line.startswith("Southend") else ",100") for line in lines[1:]]) + "\n")
    text = sample_copy.read_text()
    sample_copy.write_text(text.replace(
        "variables:\n", "variables:\n  pop: {lookup: districts.population, "
        "where: {district: \"{district}\"}}\n", 1))
    with pytest.raises(DeckError) as info:
        build(sample_copy, sample_copy.parent / "x.pptx")
    assert [str(p) for p in info.value.problems] == [
        f"{sample_copy}:14:17: the row of data/districts.csv with district = 'Southend' has no "
        "population (the cell is empty); fill it in"]
    built = build(sample_copy, sample_copy.parent / "x.pptx", {"district": "Basildon"})
    assert built.slides == 19


def test_an_inline_brand_logo_in_an_extended_outline_is_the_parents(sample_copy: Path) -> None:
    """Like every path an outline names, an inline brand's logo is relative to the outline
    that writes it, also when another outline extends it."""
    folder = sample_copy.parent
    text = sample_copy.read_text()
    assert "brand: assets/brand.yaml\n" in text
    sample_copy.write_text(text.replace("brand: assets/brand.yaml\n",
                                        "brand: {name: Inline, logo: assets/logo.png}\n"))
    sub = folder / "districts"
    sub.mkdir()
    (sub / "harlow.yaml").write_text("extends: ../deck.yaml\n")
    deck = build(sub / "harlow.yaml", folder / "harlow.pptx")
    logo = (folder / "assets" / "logo.png").read_bytes()
    pictures = [sh.image.blob for sh in Presentation(str(deck.output)).slides[2].shapes
                if sh.shape_type == 13 and sh.name == "Logo"]
    assert pictures == [logo]
    (sub / "escape.yaml").write_text("extends: ../deck.yaml\nbrand: {logo: ../../logo.png}\n")
    with pytest.raises(DeckError) as info:
        build(sub / "escape.yaml", folder / "escape.pptx")
    assert "../../logo.png is outside the outline's folder" in str(info.value.problems[0])


def test_a_lookup_matching_rows_that_disagree_is_an_error(tmp_path: Path) -> None:
    """The first of several rows would be a guess: two districts named A give two names."""
    (tmp_path / "d.csv").write_text("district,name\nA,Alpha\nA,Alder\nB,Beta\nB,Beta\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv}\nvariables:\n  district: {default: A}\n"
                    "  name: {lookup: d.name, where: {district: \"{district}\"}}\nslides:\n"
                    "  - kind: section\n    title: \"{name}\"\n")
    with pytest.raises(DeckError) as info:
        load_outline(deck)
    assert str(info.value).endswith("deck.yaml:6:18: 2 rows of d.csv have district = 'A', with "
                                    "2 different values of name (Alpha, Alder); add to 'where:' "
                                    "to pick one")
    assert load_outline(deck, {"district": "B"}).variables["name"] == "Beta"  # rows agree
