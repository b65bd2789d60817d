"""Rebuilding after an edit redraws only the slides it touched, and gives the very bytes a full
build gives; anything the memo cannot vouch for is built in full."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.app import Written, build
from deckgen.cache import user_cache_dir
from deckgen.cache.memo import memo_path
from deckgen.options import Options


def _full(deck: Path, overrides: dict[str, str] | None = None) -> Written:
    """A full build of `deck` into a second file (no memo for it; charts from the cache)."""
    ref = deck.parent / "ref.pptx"
    memo_path(user_cache_dir(), deck, ref, overrides or {}, Options()).unlink(missing_ok=True)
    written = build(deck, ref, overrides)
    assert written.redrawn is None
    return written


def _edit(deck: Path, old: str, new: str) -> None:
    text = deck.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    deck.write_text(text.replace(old, new), encoding="utf-8")


def _titles(pptx: Path) -> list[str]:
    return [s.shapes.title.text_frame.text for s in Presentation(str(pptx)).slides]


# (old, new, the title of the slide that must be redrawn)
REDRAWN = [
    ("- Hate Crime\n", "- Hate Crime, **rising**\n", "Challenges"),
    ("    title: Volunteers\n", "    title: Our volunteers\n", "Our volunteers"),
    ("notes: CPT = Community Policing Team.", "notes: 'CPT: Community Policing Team.'",
     "Community Policing"),
    ("**district commander**", "district commander", "Community Policing"),
    ("By *Sarah Hills*", "By Sarah Hills", "County Drug Lines"),
    ("{value: 663, label: Arrests}", "{value: 664, label: Arrests}",
     "Operation Raptor: Cracking Down"),
    ("- role: Special Constables\n", "- role: Special Constables (volunteers)\n",
     "Community Policing Teams: structure"),
    ("      is a safe\n", "      is a very safe\n", "In summary"),
    ("title: Reducing crime & Anti-social behaviour",
     "title: Reducing crime and anti-social behaviour",
     "Reducing crime and anti-social behaviour"),
    # a line more at the top of the outline moves every later slide down a line
    ("subtitle: \"{place}\"", "subtitle: \"{place}\"\n# a comment\n", None),
]


def test_each_edit_redraws_only_its_slide_and_gives_the_full_builds_bytes(
        sample_copy: Path) -> None:
    out = sample_copy.parent / "deck.pptx"
    first = build(sample_copy, out)
    assert first.redrawn is None and not first.warnings
    for old, new, title in REDRAWN:
        _edit(sample_copy, old, new)
        written = build(sample_copy, out)
        if title is None:  # a comment changes no slide: a full build
            assert written.redrawn is None
        else:
            assert written.redrawn == [_titles(out).index(title) + 1], (old, written.redrawn)
        full = _full(sample_copy)
        assert out.read_bytes() == full.output.read_bytes(), f"after {old!r} -> {new!r}"
        assert written.warnings == full.warnings == []
        assert written.slides == full.slides == 19


def test_edits_to_two_slides_redraw_both_with_the_districts_values(sample_copy: Path) -> None:
    out = sample_copy.parent / "deck.pptx"
    build(sample_copy, out, {"district": "Basildon"})
    _edit(sample_copy, "notes: Challenge briefing for the {district_name} district",
          "notes: Briefing for the {district_name} district")
    _edit(sample_copy, "Parish Safety volunteers, volunteer", "Parish Safety volunteers and")
    written = build(sample_copy, out, {"district": "Basildon"})
    assert written.redrawn == [1, _titles(out).index("Volunteers") + 1]
    notes = Presentation(str(out)).slides[0].notes_slide.notes_text_frame.text
    assert notes.startswith("Briefing for the Basildon district")
    assert out.read_bytes() == _full(sample_copy, {"district": "Basildon"}).output.read_bytes()


# (old, new): edits the memo cannot vouch for, built in full
FULL = [
    ("title: Anti-Social Behaviour by district", "title: ASB by district"),  # reads data
    ("title: Anti-social Behaviour\n", "title: ASB change\n"),  # draws a chart
    ("  - kind: summary\n", "  - kind: bullets\n    title: Added\n    points: [One more]\n\n"
                            "  - kind: summary\n"),  # a slide more
    ("      - Parish Safety volunteers, volunteer Police cadets\n",
     "".join(f"      - Point {i}\n" for i in range(20))),  # continues onto a second slide
    ("    notes: CPT = Community Policing Team.\n", ""),  # loses its notes
    ("image: assets/images/parish-safety-volunteers.png",
     "image: assets/images/essex-coast.png"),  # another picture
    ("title: Volunteering", "title: Volunteers"),  # two slides with one title: a warning
]


@pytest.mark.parametrize(("old", "new"), FULL, ids=["data", "chart", "added", "continued",
                                                    "notes", "picture", "warning"])
def test_edits_the_memo_cannot_vouch_for_are_built_in_full(sample_copy: Path, old: str,
                                                           new: str) -> None:
    out = sample_copy.parent / "deck.pptx"
    build(sample_copy, out)
    _edit(sample_copy, old, new)
    written = build(sample_copy, out)
    assert written.redrawn is None
    full = _full(sample_copy)
    assert out.read_bytes() == full.output.read_bytes()
    assert [str(w) for w in written.warnings] == [str(w) for w in full.warnings]


def test_data_and_a_changed_deck_on_disk_mean_a_full_build(sample_copy: Path) -> None:
    out = sample_copy.parent / "deck.pptx"
    build(sample_copy, out)
    csv = sample_copy.parent / "data" / "asb_mar_apr_2015_2016.csv"
    csv.write_text(csv.read_text().replace("Maldon,1160", "Maldon,1161"))
    assert build(sample_copy, out).redrawn is None  # the data changed
    out.write_bytes(out.read_bytes() + b"\0")  # e.g. saved again from PowerPoint
    _edit(sample_copy, "- Hate Crime\n", "- Hate Crime, rising\n")
    assert build(sample_copy, out).redrawn is None  # the deck is not the one deckgen wrote
    assert build(sample_copy, out, options=Options(cache=False)).redrawn is None
    memo = memo_path(user_cache_dir(), sample_copy, out, {}, Options())
    memo.write_text("{not json")
    _edit(sample_copy, "- Hate Crime, rising\n", "- Hate Crime\n")
    assert build(sample_copy, out).redrawn is None  # an unreadable memo is ignored
    assert out.read_bytes() == _full(sample_copy).output.read_bytes()


def test_an_invalid_edit_gets_the_full_builds_message_and_keeps_the_deck(
        sample_copy: Path) -> None:
    out = sample_copy.parent / "deck.pptx"
    build(sample_copy, out)
    before = out.read_bytes()
    _edit(sample_copy, "    title: Volunteers\n", "    titel: Volunteers\n")
    result = subprocess.run([sys.executable, "-m", "deckgen", "build", "deck.yaml", "-o",
                             "deck.pptx"], cwd=sample_copy.parent, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    line = sample_copy.read_text(encoding="utf-8").splitlines().index("    titel: Volunteers") + 1
    assert f"deck.yaml:{line}:5: slide 14 (bullets): unknown key 'titel'; did you mean " \
        "'title'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_bytes() == before


def test_the_command_says_what_it_redrew_and_imports_no_matplotlib(sample_copy: Path) -> None:
    """pandas only when the variables read data (the sample's district and its names): they
    are resolved as a full build resolves them, never taken from the memo."""
    folder = sample_copy.parent
    script = ("import sys\nfrom deckgen.cli import main\nmain(['build', 'deck.yaml'])\n"
              "print('pandas' in sys.modules, 'matplotlib' in sys.modules)\n")
    plain = folder / "plain"
    plain.mkdir()
    (plain / "deck.yaml").write_text(
        "title: T\nvariables: {district: Southend}\nslides:\n  - kind: bullets\n"
        "    title: '{district}'\n    points: [One]\n  - kind: bullets\n    title: Two\n"
        "    points: [Two]\n", encoding="utf-8")
    for where, old, new, expected in [
            (folder, "- Hate Crime\n", "- Hate Crime, rising\n", "True False"),
            (plain, "[One]", "[One more]", "False False")]:
        subprocess.run([sys.executable, "-m", "deckgen", "build", "deck.yaml"], cwd=where,
                       check=True, capture_output=True, timeout=120)
        _edit(where / "deck.yaml", old, new)
        result = subprocess.run([sys.executable, "-c", script], cwd=where, capture_output=True,
                                text=True, timeout=120)
        lines = result.stdout.strip().splitlines()
        assert "; redrew slide " in lines[0], lines
        assert lines[-1] == expected
    assert lines[0].startswith("wrote output/t.pptx (2 slides; redrew slide 1, kept the rest "
                               "from the last build, "), lines


def test_a_memo_never_sends_the_deck_anywhere_else(sample_copy: Path) -> None:
    """A memo that came with someone's outline folder names a deck; only the deck this build
    writes anyway is ever redrawn."""
    import hashlib
    import json

    out = sample_copy.parent / "deck.pptx"
    build(sample_copy, out)
    elsewhere = sample_copy.parent / "elsewhere.pptx"
    elsewhere.write_bytes(out.read_bytes())
    memo = memo_path(user_cache_dir(), sample_copy, out, {}, Options())
    kind, key, _, body = memo.read_bytes().split(b"\n", 3)  # the entry, resealed (entry.py)
    raw = json.loads(body)
    raw["output"] = str(elsewhere.resolve())
    raw["sha256"] = hashlib.sha256(elsewhere.read_bytes()).hexdigest()
    body = json.dumps(raw).encode()
    memo.write_bytes(b"\n".join([kind, key, hashlib.sha256(body).hexdigest().encode(), body]))
    _edit(sample_copy, "- Hate Crime\n", "- Hate Crime, rising\n")
    assert build(sample_copy, out).redrawn is None
    assert elsewhere.read_bytes() != out.read_bytes()
    assert "Hate Crime, rising" in [p.text for s in Presentation(str(out)).slides
                                    for sh in s.shapes if sh.has_text_frame
                                    for p in sh.text_frame.paragraphs]


def test_a_file_saved_during_a_build_is_not_vouched_for(sample_copy: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo holds the inputs as they were before the build read them."""
    import deckgen.app

    out = sample_copy.parent / "deck.pptx"
    picture = sample_copy.parent / "assets" / "images" / "parish-safety-volunteers.png"
    original = deckgen.app.render_deck

    def render_then_save_a_picture(*args, **kwargs):  # type: ignore[no-untyped-def]
        data = original(*args, **kwargs)
        picture.write_bytes((sample_copy.parent / "assets" / "images" /
                             "essex-coast.png").read_bytes())
        return data

    monkeypatch.setattr(deckgen.app, "render_deck", render_then_save_a_picture)
    build(sample_copy, out)
    monkeypatch.setattr(deckgen.app, "render_deck", original)
    _edit(sample_copy, "- Hate Crime\n", "- Hate Crime, rising\n")
    assert build(sample_copy, out).redrawn is None
    assert out.read_bytes() == _full(sample_copy).output.read_bytes()


def test_an_outline_that_is_a_link_reads_and_checks_the_files_beside_the_link(
        sample_copy: Path) -> None:
    import shutil

    real, link = sample_copy.parent / "real", sample_copy.parent / "link"
    for folder in (real, link):
        folder.mkdir()
        for name in ("data", "assets"):
            shutil.copytree(sample_copy.parent / name, folder / name)
    shutil.copy(sample_copy, real / "deck.yaml")
    (link / "deck.yaml").symlink_to("../real/deck.yaml")
    run = [sys.executable, "-m", "deckgen", "build", "deck.yaml", "-o", "out.pptx"]
    subprocess.run(run, cwd=link, check=True, capture_output=True, timeout=120)
    picture = link / "assets" / "images" / "parish-safety-volunteers.png"
    picture.write_bytes((link / "assets" / "images" / "essex-coast.png").read_bytes())
    again = subprocess.run(run, cwd=link, capture_output=True, text=True, timeout=120)
    assert again.stdout.startswith("wrote out.pptx (19 slides, "), again.stdout
    _edit(real / "deck.yaml", "- Hate Crime\n", "- Hate Crime, rising\n")
    subprocess.run(run, cwd=link, check=True, capture_output=True, timeout=120)
    full = subprocess.run([*run[:-1], "full.pptx", "--no-cache"], cwd=link,
                          capture_output=True, timeout=120)
    assert full.returncode == 0
    assert (link / "out.pptx").read_bytes() == (link / "full.pptx").read_bytes()


def test_a_cache_that_cannot_be_written_costs_only_time(sample_copy: Path,
                                                         user_cache: Path) -> None:
    user_cache.write_text("not a folder")
    out = sample_copy.parent / "deck.pptx"
    assert build(sample_copy, out).slides == 19
    _edit(sample_copy, "title: Volunteering", "title: Volunteers")  # a warning: no memo kept
    written = build(sample_copy, out)
    assert [w.message for w in written.warnings] == [
        "the title 'Volunteers' is also slide 13's; give each slide its own title"]
