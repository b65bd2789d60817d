"""Writing an outline: `watch` rebuilds on every save and survives bad edits; `kinds` lists
the kinds and their keys; `data show` prints a data source after its steps."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from pptx import Presentation

from deckgen.app import Written, watch, watched_inputs
from deckgen.errors import DeckError

ROOT = Path(__file__).resolve().parents[2]


def _sample(folder: Path) -> Path:
    shutil.copy(ROOT / "deck.yaml", folder / "deck.yaml")
    for name in ("data", "assets"):
        shutil.copytree(ROOT / name, folder / name)
    return folder / "deck.yaml"


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_watch_rebuilds_on_each_save_and_survives_a_bad_edit(tmp_path: Path) -> None:
    deck = _sample(tmp_path)
    out = tmp_path / "w.pptx"
    results: list[Any] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(deck, out), daemon=True,
                              kwargs={"report": results.append, "stop": stop})
    thread.start()

    def next_result(count: int) -> Any:
        end = time.monotonic() + 60
        while len(results) < count and time.monotonic() < end:
            time.sleep(0.05)
        assert len(results) >= count, results
        return results[count - 1]

    try:
        assert isinstance(next_result(1), Written)
        good = out.read_bytes()
        # a broken edit: the problem at its line, the last good deck untouched
        text = deck.read_text(encoding="utf-8")
        deck.write_text(text.replace("title: Essex Police Challenge", "title: [Essex]"),
                        encoding="utf-8")
        failed = next_result(2)
        assert isinstance(failed, DeckError)
        assert str(failed.problems[0]).startswith(f"{deck}:5:8: 'title': expected text")
        assert out.read_bytes() == good
        # mended, and a bullet edited: the deck shows the new bullet
        deck.write_text(text.replace("10 policing districts", "Ten policing districts"),
                        encoding="utf-8")
        assert isinstance(next_result(3), Written)
        slide = Presentation(str(out)).slides[5]
        assert any("Ten policing districts" in sh.text_frame.text for sh in slide.shapes
                   if sh.has_text_frame)
        # a data file it reads, saved: built again with the new figure
        data = tmp_path / "data" / "asb_mar_apr_2015_2016.csv"
        rows = list(csv.reader(data.open(encoding="utf-8")))
        rows[1][2] = str(int(rows[1][2]) + 1)
        with data.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        assert isinstance(next_result(4), (Written, DeckError))
        # a file it does not read changes nothing
        (tmp_path / "data" / "notes.txt").write_text("x", encoding="utf-8")
        time.sleep(1.0)
        assert len(results) == 4
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


def test_watch_follows_what_the_outline_reads(tmp_path: Path) -> None:
    deck = _sample(tmp_path)
    inputs = {p.relative_to(tmp_path).as_posix() for p in watched_inputs(deck)
              if tmp_path in p.parents}
    assert {"deck.yaml", "data/asb_mar_apr_2015_2016.csv", "assets/brand.yaml",
            "assets/logo.png"} <= inputs
    deck.write_text("title: [broken", encoding="utf-8")
    assert watched_inputs(deck) == [deck.resolve()]  # the outline alone until it reads again


def test_kinds_lists_every_kind_and_one_kinds_keys() -> None:
    listed = _cli("kinds")
    assert listed.returncode == 0, listed.stderr
    from deckgen import kinds

    names = [line.split()[0] for line in listed.stdout.splitlines()[:len(kinds.names())]]
    assert names == kinds.names()
    chart = _cli("kinds", "chart")
    assert chart.returncode == 0
    assert "  chart: one of: bar, hbar, pie, donut, line (required)" in chart.stdout
    assert "  engine: one of: matplotlib, native" in chart.stdout
    assert "the category column" in chart.stdout
    wrong = _cli("kinds", "chrat")
    assert wrong.returncode == 1 and "'chrat' is not a slide kind; did you mean 'chart'?" \
        in wrong.stderr


def test_data_show_prints_a_source_after_its_steps(monthly_pack: Path) -> None:
    shown = _cli("data", "show", "asb", "--rows", "3")
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    with open(ROOT / "data" / "asb_mar_apr_2015_2016.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["district"] != "TOTAL"]
    assert f"data 'asb': {len(rows)} row(s)" in out
    assert rows[0]["district"] in out and rows[3]["district"] not in out
    assert "whole number" in out and f"{len(rows) - 3} more row(s)" in out
    # the monthly pack's ASB table: from records, after filter, window, group, pivot, derive
    pack = _cli("data", "show", "asb_table", str(monthly_pack / "deck.yaml"), "--set",
                "district=Maldon", "--rows", "0")
    assert pack.returncode == 0, pack.stderr
    assert "District" in pack.stdout and "pct_change" in pack.stdout
    assert "Maldon" in pack.stdout and "more row(s)" not in pack.stdout
    missing = _cli("data", "show", "asbb")
    assert missing.returncode == 1 and "did you mean 'asb'?" in missing.stderr


def test_the_docs_show_what_kinds_prints() -> None:
    import re

    doc = (ROOT / "docs" / "live.md").read_text(encoding="utf-8")
    shown = re.search(r"`deckgen kinds stats` prints:\n\n```\n(.*?)```", doc, re.DOTALL)
    assert shown is not None
    assert _cli("kinds", "stats").stdout == shown.group(1)
