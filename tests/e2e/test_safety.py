"""Safety and data checks: paths stay in the deck's folder, warnings, --strict, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.app import build, check
from deckgen.errors import DeckError
from deckgen.options import Options

TABLE = ("slides:\n  - kind: table\n    title: T\n    data: d\n"
         "    columns: [{column: district}, {column: n}]\n")


def _deck(folder: Path, data_file: str, extra: str = "") -> Path:
    deck = folder / "deck.yaml"
    deck.write_text(f"title: T\ndata:\n  d:\n    file: {data_file}\n{extra}{TABLE}")
    return deck


def test_absolute_and_dotdot_paths_are_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.csv").write_text("district,n\nA,1\n")
    inner = tmp_path / "deck"
    inner.mkdir()
    for ref in ("../secret.csv", str(tmp_path / "secret.csv")):
        with pytest.raises(DeckError, match="is outside the outline's folder"):
            check(_deck(inner, ref))
    # trusted: the same outline builds with the option
    assert check(_deck(inner, "../secret.csv"), options=Options(allow_outside_paths=True))


def test_a_link_pointing_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.csv").write_text("district,n\nA,1\n")
    inner = tmp_path / "deck"
    inner.mkdir()
    (inner / "data.csv").symlink_to(tmp_path / "secret.csv")
    with pytest.raises(DeckError, match="data.csv is outside the outline's folder"):
        check(_deck(inner, "data.csv"))


def test_image_and_logo_paths_are_checked(tmp_path: Path, root: Path) -> None:
    inner = tmp_path / "deck"
    inner.mkdir()
    deck = inner / "deck.yaml"
    deck.write_text("title: T\nslides:\n  - kind: image\n    title: I\n    alt: x\n"
                    f"    image: {root / 'assets' / 'logo.png'}\n")
    with pytest.raises(DeckError) as info:
        check(deck)
    assert "slide 1 (image)" in str(info.value)
    (inner / "brand.yaml").write_text(f"logo: {root / 'assets' / 'logo.png'}\n")
    deck.write_text("title: T\nbrand: brand.yaml\nslides:\n  - {kind: section, title: S}\n")
    with pytest.raises(DeckError, match="outside the brand file's folder"):
        check(deck)


def test_extends_may_reach_up_but_not_sideways(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("title: T\nslides:\n  - {kind: section, title: S}\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "up.yaml").write_text("extends: ../base.yaml\n")
    assert check(tmp_path / "a" / "up.yaml")
    (tmp_path / "b" / "x.yaml").write_text("title: X\nslides:\n  - {kind: section, title: S}\n")
    (tmp_path / "a" / "side.yaml").write_text("extends: ../b/x.yaml\n")
    with pytest.raises(DeckError, match="is outside the outline's folder"):
        check(tmp_path / "a" / "side.yaml")


def test_stated_total_warning_and_strict(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("district,n\nA,1\nB,2\nTOTAL,4\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv, total_row: TOTAL}\n" + TABLE +
                    "    total: true\n")
    built = check(deck)
    assert [w.message for w in built.warnings] == [
        "the stated TOTAL of 'n' in d.csv is 4, but its rows add up to 3 (+1); the slide shows "
        "the stated total"]
    with pytest.raises(DeckError, match=r"\(an error with --strict\)"):
        build(deck, tmp_path / "x.pptx", options=Options(strict=True))
    assert not (tmp_path / "x.pptx").exists()


def test_a_known_difference_is_said_under_the_table_not_warned(tmp_path: Path) -> None:
    """A published total that includes what no row does (incidents in no district): shown as
    published, without a warning, and the slide says what the rows add up to, so a reader who
    adds up the column does not think the table wrong."""
    (tmp_path / "d.csv").write_text("district,n,m\nA,1,10\nB,2,20\nTOTAL,4,30\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv, total_row: TOTAL}\n" +
                    TABLE.replace("{column: n}]", "{column: n, header: Incidents}, "
                                  "{column: m}]") +
                    "    total: {label: TOTAL, known_difference: true}\n")
    built = build(deck, tmp_path / "x.pptx")
    assert built.warnings == []
    slide = Presentation(str(built.output)).slides[0]
    table = next(sh for sh in slide.shapes if sh.has_table).table
    assert [c.text for c in table.rows[len(table.rows) - 1].cells] == ["TOTAL", "4", "30"]
    note = next(sh for sh in slide.shapes if sh.name == "Footnote").text_frame.text
    # only the column whose rows add up otherwise (m's do: 30)
    assert note == "TOTAL is as published; the rows above add up to 3 (Incidents)."


def test_a_stated_rate_is_not_compared_with_the_sum_of_the_rows_rates(tmp_path: Path) -> None:
    """The force's published rate is not the sum of its districts' rates: the counts are
    checked against their stated total, the rate is shown as published, and no warning says
    its 'rows add up to 20'."""
    (tmp_path / "d.csv").write_text("district,n,rate_per_1000\nA,1,5.0\nB,2,15.0\n"
                                    "TOTAL,4,9.5\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d: {file: d.csv, total_row: TOTAL}\n" +
                    TABLE.replace("{column: n}]", "{column: n}, {column: rate_per_1000}]") +
                    "    total: true\n")
    built = build(deck, tmp_path / "x.pptx")
    assert [w.message for w in built.warnings] == [
        "the stated TOTAL of 'n' in d.csv is 4, but its rows add up to 3 (+1); the slide shows "
        "the stated total"]
    table = next(sh for sh in Presentation(str(built.output)).slides[0].shapes if sh.has_table)
    assert [c.text for c in table.table.rows[len(table.table.rows) - 1].cells] == \
        ["Total", "4", "9.5"]


def test_percentages_that_do_not_follow_are_warned(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("district,a,b,pct\nA,100,90,-10.0\nB,200,150,-20.0\n"
                                    "C,300,297,-1%\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndata:\n  d:\n    file: d.csv\n    verify:\n"
                    "      pct: (b - a) / a * 100\n"
                    "slides:\n  - kind: table\n    title: T\n    data: d\n"
                    "    columns: [{column: district}, {column: pct}]\n")
    warnings = [str(w) for w in check(deck).warnings]
    assert warnings == ["d.csv:3:11: 'pct' is -20.0 but (b - a) / a * 100 gives -25; check the "
                        "data"]


def _first_deck(folder: Path, proc: subprocess.Popen[str]) -> None:
    """Wait until a batch has written its first deck (so that most are still to come)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if folder.is_dir() and [p for p in os.listdir(folder) if p.endswith("-briefing.pptx")]:
            return
        time.sleep(0.02)
    raise AssertionError("the batch wrote no deck")


def test_ctrl_c_leaves_nothing_half_written(sample_copy: Path) -> None:
    folder = sample_copy.parent
    out = folder / "out"
    out.mkdir()
    (out / "deck.pptx").write_bytes(b"previous deck")
    proc = subprocess.Popen([sys.executable, "-m", "deckgen", "build", "deck.yaml", "--each",
                             "district", "-o", "out", "-j", "1"], cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _first_deck(out, proc)  # a deck in: interrupt mid-batch
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted" in err
    assert (out / "deck.pptx").read_bytes() == b"previous deck"
    assert not [p for p in os.listdir(out) if p.endswith(".tmp")]


def test_ctrl_c_in_a_parallel_batch_stops_it_cleanly(sample_copy: Path) -> None:
    folder = sample_copy.parent
    proc = subprocess.Popen([sys.executable, "-m", "deckgen", "build", "deck.yaml", "--each",
                             "district", "-o", "out", "-j", "2"], cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    _first_deck(folder / "out", proc)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    built = os.listdir(folder / "out")
    assert not [p for p in built if p.endswith(".tmp")]
    assert len(built) < 14


def test_a_swallowed_ctrl_c_still_stops_the_deck_being_written(sample_copy: Path) -> None:
    """Python swallows a KeyboardInterrupt raised in a __del__ or weakref callback; the
    command line's handler remembers the key, and the deck is not written."""
    from deckgen import interrupt

    out = sample_copy.parent / "deck.pptx"
    previous = signal.getsignal(signal.SIGINT)
    try:
        interrupt.install()
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)  # the handler raises here
        except KeyboardInterrupt:
            pass  # lost, as in a weakref callback
        with pytest.raises(KeyboardInterrupt):
            build(sample_copy, out)
        assert not out.exists()
        assert not [p for p in os.listdir(sample_copy.parent) if p.endswith(".tmp")]
    finally:
        interrupt.install()  # forgets the key press
        signal.signal(signal.SIGINT, previous)


def test_a_swallowed_ctrl_c_is_not_reported_but_other_swallowed_errors_are() -> None:
    """A Ctrl-C that lands in a __del__ is remembered, not printed as "Exception ignored" with
    a traceback; an error of another kind swallowed there is still reported."""
    script = """if True:
        import gc, os, signal, time
        from deckgen import interrupt
        interrupt.install()

        class Slow:
            def __del__(self):
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(1)  # the handler raises here, inside __del__

        class Broken:
            def __del__(self):
                raise ValueError("broken")

        Slow()
        gc.collect()
        print("carried on")
        Broken()
        try:
            interrupt.check()
        except KeyboardInterrupt:
            print("check raised")
    """
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.split("\n")[:2] == ["carried on", "check raised"], done.stderr
    assert "KeyboardInterrupt" not in done.stderr
    assert "ValueError: broken" in done.stderr


def test_characters_xml_cannot_hold_are_escaped_not_a_crash(tmp_path: Path) -> None:
    """YAML escapes can write characters no XML can hold (U+FFFE, lone surrogates, control
    characters); the deck is written with OOXML's escapes for them."""
    from pptx import Presentation

    (tmp_path / "logo.png").write_bytes((Path(__file__).parents[2] / "assets" / "logo.png")
                                        .read_bytes())
    (tmp_path / "deck.yaml").write_text(
        'title: "Odd \\uFFFE title \\x07"\nauthor: "A \\x01"\nslides:\n'
        '  - kind: bullets\n    title: "Bad \\uFFFF and \\x07"\n'
        '    points: ["one \\uFFFE \\ud800 \\x0b", "two"]\n    notes: "notes \\uFFFE \\x07"\n'
        '  - kind: image\n    title: Picture\n    image: logo.png\n    alt: "alt \\x07 \\uFFFE"\n',
        encoding="utf-8")
    built = build(tmp_path / "deck.yaml", tmp_path / "odd.pptx")
    prs = Presentation(str(built.output))
    first, second = prs.slides
    texts = [sh.text_frame.text for sh in first.shapes if sh.has_text_frame]
    assert texts[0] == "Bad _xFFFF_ and _x0007_"
    assert "one _xFFFE_ \ufffd _x000B_" in texts and "two" in texts  # two cards
    assert first.notes_slide.notes_text_frame.text == "notes _xFFFE_ _x0007_"
    alts = [sh._element.xpath("./*[1]/p:cNvPr")[0].get("descr") for sh in second.shapes
            if sh.shape_type == 13 and sh.name != "Logo"]
    assert alts == ["alt _x0007_ _xFFFE_"]
    assert prs.core_properties.title == "Odd _xFFFE_ title _x0007_"
