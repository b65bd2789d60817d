"""Every input file is read without waiting and within a size: a named pipe or a device in the
place of an outline, a brand file, a picture, a logo or a template is refused at once.

`Path.read_bytes` on a named pipe waits for a writer that never comes: the build hung. Each
case runs the CLI in a subprocess, killed when the timeout passes, so a regression fails here
instead of hanging the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deckgen.inputs import NotAFile, TooLarge, read_input

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=cwd, text=True,
                              capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"deckgen {' '.join(args)} still running after {TIMEOUT} s")


def outline_folder(tmp_path: Path, pipe: str) -> Path:
    """A small outline with a brand file, a logo, a picture and a template; the file `pipe`
    is then a named pipe instead."""
    (tmp_path / "pics").mkdir()
    logo = (ROOT / "assets" / "logo.png").read_bytes()
    (tmp_path / "logo.png").write_bytes(logo)
    (tmp_path / "pics" / "photo.png").write_bytes(logo)
    (tmp_path / "brand.yaml").write_text("name: B\nlogo: logo.png\n", encoding="utf-8")
    (tmp_path / "deck.yaml").write_text(
        "title: T\nbrand: brand.yaml\noutput: out.pptx\nslides:\n  - kind: title\n"
        "  - kind: image\n    title: Pic\n    image: pics/photo.png\n    alt: a picture\n",
        encoding="utf-8")
    target = tmp_path / pipe
    target.unlink()
    os.mkfifo(target)
    return tmp_path


@pytest.mark.parametrize("pipe, where", [
    ("pics/photo.png", "deck.yaml:8:12"),
    ("logo.png", "brand.yaml:2:7"),
    ("brand.yaml", "brand.yaml"),
])
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_named_pipe_as_an_input_is_refused_not_read(tmp_path: Path, pipe: str, where: str,
                                                      command: str) -> None:
    folder = outline_folder(tmp_path, pipe)
    result = run([command, "deck.yaml"], folder)
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr.startswith(f"error: {where}"), result.stderr
    assert "named pipe or a device" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (folder / "out.pptx").exists()


def test_a_named_pipe_as_the_outline_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "deck.yaml")
    result = run(["check", "deck.yaml"], tmp_path)
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr


def test_a_named_pipe_as_the_template_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "kent.pptx")
    (tmp_path / "deck.yaml").write_text(
        "title: T\ntemplate: kent.pptx\noutput: out.pptx\nslides:\n  - kind: title\n",
        encoding="utf-8")
    result = run(["build", "deck.yaml"], tmp_path)
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr.startswith("error: deck.yaml:2:11:"), result.stderr
    assert "named pipe or a device" in result.stderr
    assert not (tmp_path / "out.pptx").exists()


def test_an_outline_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    with deck.open("wb") as handle:  # sparse: no disk, and nothing in it is ever read
        handle.truncate(6_000_000)
    result = run(["check", "deck.yaml"], tmp_path)
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "more than 5,000,000" in result.stderr


def test_the_reader_stops_one_byte_past_its_limit(tmp_path: Path) -> None:
    """A file that grows while it is read is still cut at the limit, never read whole."""
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_input(path, 10) == b"x" * 10
    with pytest.raises(TooLarge):
        read_input(path, 9)
    os.mkfifo(tmp_path / "p")
    with pytest.raises(NotAFile):
        read_input(tmp_path / "p", 10)
    with pytest.raises(IsADirectoryError):
        read_input(tmp_path, 10)
