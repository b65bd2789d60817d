"""Fast rebuilds: the chart cache and the up-to-date check must never change what is built."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from deckgen.app import build
from deckgen.options import Options


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deckgen", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_cached_build_is_byte_identical_to_an_uncached_one(sample_copy: Path,
                                                           user_cache: Path) -> None:
    folder = sample_copy.parent
    fresh = build(sample_copy, folder / "fresh.pptx", options=Options(cache=False))
    first = build(sample_copy, folder / "first.pptx")  # fills the cache
    cached = build(sample_copy, folder / "cached.pptx")  # every chart from the cache
    assert len(list((user_cache / "charts").rglob("*.chart"))) == 3
    assert sorted(p.name for p in folder.iterdir()) == ["assets", "cached.pptx", "data",
                                                        "deck.yaml", "first.pptx", "fresh.pptx"]
    data = fresh.output.read_bytes()
    assert first.output.read_bytes() == data
    assert cached.output.read_bytes() == data


def test_unchanged_rebuild_is_skipped_and_changes_are_not(sample_copy: Path) -> None:
    folder = sample_copy.parent
    assert run("build", cwd=folder).stdout.startswith("wrote output/southend-briefing.pptx")
    deck = folder / "output" / "southend-briefing.pptx"
    stamp = deck.stat().st_mtime_ns
    again = run("build", cwd=folder)
    assert again.returncode == 0
    assert again.stdout.startswith("up to date: output/southend-briefing.pptx (19 slides")
    assert deck.stat().st_mtime_ns == stamp
    # a number in the data changes: the deck is built again, with the new figure
    csv = folder / "data" / "asb_mar_apr_2015_2016.csv"
    csv.write_text(csv.read_text().replace("Maldon,1160", "Maldon,1161"))
    assert run("build", cwd=folder).stdout.startswith("wrote ")
    # so does a picture, and a deck that was deleted or changed by hand
    (folder / "assets" / "logo.png").write_bytes((folder / "assets" / "logo.png").read_bytes()
                                                 + b"\0")
    assert run("build", cwd=folder).stdout.startswith("wrote ")
    deck.write_bytes(b"edited by hand")
    assert run("build", cwd=folder).stdout.startswith("wrote ")
    assert run("build", "--no-cache", cwd=folder).stdout.startswith("wrote ")
    assert run("build", "--set", "district=Harlow", cwd=folder).stdout.startswith("wrote ")


def test_clean_removes_the_cache(sample_copy: Path, user_cache: Path) -> None:
    folder = sample_copy.parent
    run("build", cwd=folder)
    assert sorted(p.name for p in user_cache.iterdir()) == ["charts", "data", "decks"]
    assert oct(user_cache.stat().st_mode & 0o777) == "0o700"
    result = run("clean", cwd=folder)
    assert result.returncode == 0
    assert result.stdout.startswith(f"removed the cache in {user_cache} (0.")
    assert not user_cache.exists()
    assert run("clean", cwd=folder).stdout == f"no cache at {user_cache}\n"


def test_help_and_check_do_not_import_matplotlib(sample_copy: Path) -> None:
    check = ("import sys\nfrom deckgen.cli import main\nmain(['check', 'deck.yaml'])\n"
             "print('matplotlib' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                            cwd=sample_copy.parent, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout
    help_ = ("import sys\nfrom deckgen import cliargs\ncliargs.command_line().format_help()\n"
             "print('matplotlib' in sys.modules, 'pandas' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", help_], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.strip() == "False False"
