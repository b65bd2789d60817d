"""A picture is decoded by deckgen's own choice of raster decoder, never by an interpreter.

Pillow names a file's format from its content and hands EPS to Ghostscript, which runs its
PostScript: a file named `pics/read.png` drew a file from outside the outline's folder into the
deck, or hung the build forever. Each case runs the CLI in a subprocess (its own process group,
killed with anything it started when the timeout passes), as a logo and as a slide's picture.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

ROOT = Path(__file__).resolve().parents[2]
#: Seconds a refusal may take; a build that runs PostScript's `{ } loop` never ends.
TIMEOUT = 60
READS_A_FILE = """%!PS-Adobe-3.0 EPSF-3.0
%%BoundingBox: 0 0 300 60
/Helvetica findfont 24 scalefont setfont
10 20 moveto
({secret}) (r) file 100 string readstring pop show
showpage
%%EOF
"""
LOOPS = """%!PS-Adobe-3.0 EPSF-3.0
%%BoundingBox: 0 0 100 100
{ } loop
showpage
%%EOF
"""
ACCEPTED = "is not a PNG, JPEG, GIF or BMP picture"


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    """`python -m deckgen ARGS` in `cwd`; past TIMEOUT it is killed with its children (a
    Ghostscript it started would run on) and the test fails."""
    with subprocess.Popen([sys.executable, "-m", "deckgen", *args], cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"deckgen {' '.join(args)} still running after {TIMEOUT} s")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def folder(tmp_path: Path, picture: bytes, where: str) -> Path:
    """An outline folder beside a secret file, whose `pics/read.png` is `picture`, used as a
    slide's picture (`where` 'image') or as the brand's logo ('logo')."""
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "secret.txt").write_text("TOPSECRET42\n", encoding="utf-8")
    deck = tmp_path / "deck"
    (deck / "pics").mkdir(parents=True)
    (deck / "pics" / "read.png").write_bytes(picture)
    (deck / "logo.png").write_bytes((ROOT / "assets" / "logo.png").read_bytes())
    logo = "pics/read.png" if where == "logo" else "logo.png"
    (deck / "brand.yaml").write_text(f"name: B\nlogo: {logo}\n", encoding="utf-8")
    image = "pics/read.png" if where == "image" else "logo.png"
    (deck / "deck.yaml").write_text(
        "title: T\nbrand: brand.yaml\nslides:\n  - kind: title\n    title: T\n"
        f"  - kind: image\n    title: Pic\n    image: {image}\n    alt: a picture\n",
        encoding="utf-8")
    return deck


def refused(result: subprocess.CompletedProcess[str], deck: Path, where: str) -> None:
    """The picture refused at its place in the outline or brand file, and nothing written."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    at = "deck.yaml:8:12: slide 2 (image): " if where == "image" else \
        "brand.yaml:2:7: brand logo: "
    assert result.stderr.startswith(f"error: {at}read.png {ACCEPTED}"), result.stderr
    assert "save it as PNG or JPEG" in result.stderr
    assert "TOPSECRET" not in result.stdout + result.stderr
    assert not (deck / "out.pptx").exists()
    assert sorted(p.name for p in deck.parent.iterdir()) == ["deck", "secret.txt"]


@pytest.mark.parametrize("where", ["image", "logo"])
def test_an_eps_named_png_that_reads_a_file_outside_the_folder_is_refused(
        tmp_path: Path, where: str) -> None:
    """With Ghostscript installed, the old build drew TOPSECRET42 into the deck, exit 0."""
    eps = READS_A_FILE.format(secret=tmp_path / "secret.txt").encode()
    deck = folder(tmp_path, eps, where)
    refused(run(["build", "deck.yaml", "-o", "out.pptx", "--no-cache"], deck), deck, where)


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_eps_that_loops_forever_is_refused_at_once(tmp_path: Path, command: str) -> None:
    deck = folder(tmp_path, LOOPS.encode(), "image")
    args = [command, "deck.yaml"] + (["-o", "out.pptx", "--no-cache"] if command == "build"
                                     else [])
    refused(run(args, deck), deck, "image")


@pytest.mark.parametrize("where", ["image", "logo"])
def test_ghostscript_is_never_started(tmp_path: Path, where: str) -> None:
    """A `gs` first on PATH leaves a sentinel file if anything runs it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    sentinel = tmp_path / "gs-ran"
    fake = bin_dir / "gs"
    fake.write_text(f"#!/bin/sh\ntouch '{sentinel}'\nexit 1\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    deck = folder(tmp_path / "f", LOOPS.encode(), where)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    for command in (["check", "deck.yaml"], ["build", "deck.yaml", "-o", "out.pptx"]):
        result = run(command, deck, env)
        assert result.returncode == 1, result.stderr
        assert ACCEPTED in result.stderr
    assert not sentinel.exists()
    assert not (deck / "out.pptx").exists()


def _picture(fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format=fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize("what,data", [pytest.param(what, data, id=what) for what, data in [
    ("PDF", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
    ("PostScript", b"%!PS\n(x) show showpage\n"),
    ("SVG", b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'),
    ("WMF", b"\xd7\xcd\xc6\x9a" + bytes(40)),
    ("TIFF", _picture("TIFF")),
    ("WebP", _picture("WEBP")),
    ("text", b"name,value\nA,1\n"),
]])
def test_a_picture_in_another_format_is_refused_naming_those_accepted(
        tmp_path: Path, what: str, data: bytes) -> None:
    """TIFF and WebP were decoded and stored as PNG; now only the formats deckgen means to
    read are, decided from the first bytes before any decoder runs."""
    deck = folder(tmp_path, data, "image")
    refused(run(["build", "deck.yaml", "-o", "out.pptx", "--no-cache"], deck), deck, "image")


def test_a_picture_file_over_the_size_limit_is_refused_before_it_is_read(
        tmp_path: Path) -> None:
    from deckgen.data.images import MAX_IMAGE_BYTES

    deck = folder(tmp_path, _picture("PNG"), "image")
    with (deck / "pics" / "read.png").open("r+b") as f:
        f.truncate(MAX_IMAGE_BYTES + 1)  # sparse: nothing is written to the disk
    result = run(["build", "deck.yaml", "-o", "out.pptx", "--no-cache"], deck)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(
        f"error: deck.yaml:8:12: slide 2 (image): image read.png is "
        f"{MAX_IMAGE_BYTES + 1:,} bytes, more than {MAX_IMAGE_BYTES:,}; resize or compress "
        "it first"), result.stderr
    assert not (deck / "out.pptx").exists()


def test_no_decoder_but_the_formats_own_is_loaded(tmp_path: Path) -> None:
    """Pillow's EPS plugin (the one that calls Ghostscript) is never even imported."""
    eps = tmp_path / "read.png"
    eps.write_text(LOOPS, encoding="utf-8")
    code = ("import sys\nfrom pathlib import Path\nfrom deckgen.data.images import load_image\n"
            "from deckgen.errors import DeckError\n"
            f"load_image(Path({str(ROOT / 'assets' / 'logo.png')!r}), None)\n"
            f"try:\n    load_image(Path({str(eps)!r}), None)\nexcept DeckError as e:\n"
            "    print(e)\nprint('PIL.EpsImagePlugin' in sys.modules)\n")
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                          start_new_session=True) as proc:
        try:
            out = proc.communicate(timeout=TIMEOUT)[0]
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail("load_image ran the EPS's loop")
    assert out.splitlines() == [f"read.png {ACCEPTED} (deckgen reads no other format, such "
                                "as EPS, PDF, SVG, WMF, TIFF or WebP): save it as PNG or JPEG",
                                "False"]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP"])
def test_the_formats_deckgen_reads_still_make_a_deck(tmp_path: Path, fmt: str) -> None:
    deck = folder(tmp_path, _picture(fmt), "image")
    result = run(["build", "deck.yaml", "-o", "out.pptx", "--no-cache"], deck)
    assert result.returncode == 0, result.stderr
    pictures = [sh for sh in Presentation(str(deck / "out.pptx")).slides[1].shapes
                if sh.shape_type == 13 and sh.name != "Logo"]
    assert [p.image.content_type for p in pictures] == \
        ["image/jpeg" if fmt == "JPEG" else "image/png"]
