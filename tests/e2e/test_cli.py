"""The command line as a user meets it: help, builds, clear errors, exit codes, no clobbering."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deckgen", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_help_teaches_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for word in ("build", "check", "examples:", "docs/outline.md", "exit status"):
        assert word in result.stdout
    build_help = run("build", "--help")
    assert "--set NAME=VALUE" in build_help.stdout and "-o OUT.pptx" in build_help.stdout


def test_no_command_prints_help_and_exits_2() -> None:
    result = run()
    assert result.returncode == 2
    assert "usage: deckgen" in result.stdout


def test_build_defaults_to_deck_yaml_and_its_output(sample_copy: Path) -> None:
    result = run("build", cwd=sample_copy.parent)
    assert result.returncode == 0, result.stderr
    out = sample_copy.parent / "output" / "southend-briefing.pptx"
    assert out.exists()
    assert result.stdout.startswith("wrote output/southend-briefing.pptx (19 slides")
    assert not list(out.parent.glob(".*.tmp"))


def test_check_writes_nothing(sample_copy: Path) -> None:
    result = run("check", str(sample_copy), cwd=sample_copy.parent)
    assert result.returncode == 0, result.stderr
    assert "19 slides, no problems found" in result.stdout
    assert not (sample_copy.parent / "output").exists()


def test_bad_outline_gives_located_messages_and_keeps_the_old_deck(sample_copy: Path) -> None:
    folder = sample_copy.parent
    out = folder / "old.pptx"
    assert run("build", "-o", str(out), cwd=folder).returncode == 0
    before = out.read_bytes()
    text = sample_copy.read_text(encoding="utf-8")
    sample_copy.write_text(text.replace("kind: team", "kind: teem").replace(
        "    takeaway:", "    takeawya:"), encoding="utf-8")
    result = run("build", "-o", str(out), cwd=folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "2 problems; nothing was written."
    assert any(ln.startswith("error: deck.yaml:") and "did you mean 'team'?" in ln for ln in lines)
    assert any("unknown key 'takeawya'; did you mean 'takeaway'?" in ln for ln in lines)
    assert out.read_bytes() == before
    assert not list(folder.glob(".*.tmp"))


def test_data_error_is_located_in_the_csv(sample_copy: Path) -> None:
    csv = sample_copy.parent / "data" / "asb_mar_apr_2015_2016.csv"
    csv.write_bytes(csv.read_bytes().replace(b"Basildon,6501", b"Basildon,65O1"))
    result = run("check", str(sample_copy), cwd=sample_copy.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == (
        "error: data/asb_mar_apr_2015_2016.csv:3:10: column 'mar_apr_2015' must hold numbers "
        "(derive 'change' uses it with '-'), but line 3 has '65O1'\n")


@pytest.mark.parametrize("option,named,written", [
    (["--set", "distrct=Basildon", "-o", "x.pptx"], "--set distrct: the outline has no "
     "variable 'distrct' (it declares: district, district_name, place)", "x.pptx"),
    # --each names only the variables a batch can go through
    (["--each", "distrct", "-o", "out"], "--each distrct: the outline has no variable "
     "'distrct' (variables with values to build: district)", "out")])
def test_an_unknown_variable_is_one_line_and_writes_nothing(
        sample_copy: Path, option: list[str], named: str, written: str) -> None:
    result = run("build", *option, cwd=sample_copy.parent)
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: deck.yaml: {named}; did you mean 'district'?"
    assert not (sample_copy.parent / written).exists()


def test_malformed_set_is_a_usage_error(sample_copy: Path) -> None:
    result = run("build", "--set", "district", cwd=sample_copy.parent)
    assert result.returncode == 2
    assert "--set needs NAME=VALUE" in result.stderr


def test_missing_outline(tmp_path: Path) -> None:
    result = run("build", "nope.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: no outline at nope.yaml")


def test_output_folder_that_cannot_be_written(sample_copy: Path) -> None:
    blocker = sample_copy.parent / "file.txt"
    blocker.write_text("not a folder")
    result = run("build", "-o", str(blocker / "deck.pptx"), cwd=sample_copy.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot write the deck" in result.stderr


@pytest.mark.parametrize("args", [("--version",), ("build", "--help")])
def test_informational_flags_exit_0(args: tuple[str, ...]) -> None:
    assert run(*args).returncode == 0


@pytest.mark.parametrize("command", ["check", "build"])
def test_every_problem_at_once_of_slides_and_of_their_data(sample_copy: Path,
                                                            command: str) -> None:
    """A slide with a mistyped key does not hide another slide's unknown column: the valid
    slides are laid out all the same, and every problem is said in one run."""
    folder = sample_copy.parent
    (folder / "broken.yaml").write_text(
        "title: T\ndata:\n  asb: {file: data/asb_mar_apr_2015_2016.csv}\nslides:\n"
        "  - {kind: bullets, titel: Oops, points: [a]}\n"
        "  - {kind: table, title: Table, data: asb, columns: [{column: district}, "
        "{column: nope}]}\n"
        "  - {kind: bulets, title: X}\n"
        "  - {kind: chart, title: C, chart: bar, data: asb, x: district, y: mar_apr_2016x}\n",
        encoding="utf-8")
    result = run(command, "broken.yaml", cwd=folder)
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4, result.stderr
    # in slide order, whether the outline or the data is wrong
    for error, found in zip(errors, ("slide 1 (bullets): unknown key 'titel'; did you mean "
                                     "'title'?", "slide 2 (table): unknown column 'nope'",
                                     "slide 3: unknown kind 'bulets'; did you mean 'bullets'?",
                                     "slide 4 (chart): unknown column 'mar_apr_2016x'")):
        assert found in error, (found, result.stderr)
    assert "Traceback" not in result.stderr
    assert not list(folder.glob("output/broken*"))
