"""Export without LibreOffice: contact sheets, blank-page checks, page counts and clear errors.

LibreOffice itself is replaced here by small shell scripts, so the conversion's error paths
(missing program, no PDF, timeout) are checked on every machine, in well under a second each.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pages
import pytest
from PIL import Image

from deckgen.errors import DeckError
from deckgen.render import export

posix_only = pytest.mark.skipif(os.name != "posix", reason="the fake soffice is a shell script")


def _png(path: Path, colour: str = "#FFFFFF", size: tuple[int, int] = (80, 45),
         mark: bool = True) -> Path:
    image = Image.new("RGB", size, colour)
    if mark:
        image.paste((0, 0, 0), (10, 10, 30, 20))
    image.save(path)
    return path


def _fake_soffice(tmp_path: Path, body: str) -> str:
    """A stand-in for soffice: a shell script; $outdir and $src are its --outdir and input."""
    script = tmp_path / "fake-soffice"
    script.write_text('#!/bin/sh\nfor a; do src="$a"; done\n'
                      'outdir=$(echo "$@" | sed "s/.*--outdir \\([^ ]*\\).*/\\1/")\n' + body)
    script.chmod(0o755)
    return str(script)


# --- contact sheets and blank pages -------------------------------------------------------------

def test_contact_sheet_lays_pages_out_in_a_numbered_grid(tmp_path: Path) -> None:
    colours = ["#FF0000", "#00FF00", "#0000FF", "#FFFF00", "#00FFFF"]
    pngs = [_png(tmp_path / f"p{i}.png", c, mark=False) for i, c in enumerate(colours)]
    out = export.contact_sheet(pngs, tmp_path / "sheets" / "sheet.png", columns=2, width=100)
    assert out == tmp_path / "sheets" / "sheet.png"
    pad, label, height = 12, 22, 56  # 100 px wide at 80:45 is 56 px high
    with Image.open(out) as sheet:
        assert sheet.format == "PNG"
        assert sheet.size == (2 * (100 + pad) + pad, 3 * (height + pad + label) + pad)
        rgb = sheet.convert("RGB")
        for i, colour in enumerate(colours):
            x = pad + (i % 2) * (100 + pad)
            y = pad + (i // 2) * (height + pad + label)
            centre = rgb.getpixel((x + 50, y + label + height // 2))
            assert centre == Image.new("RGB", (1, 1), colour).getpixel((0, 0)), i
            numbers = rgb.crop((x, y, x + 30, y + label)).convert("L").getextrema()
            assert numbers[0] < 100, f"page {i + 1} has no number above it"
        assert rgb.getpixel((2, 2)) == (0xD9, 0xDE, 0xE5)  # the light grey background
        # the sixth cell (no sixth page) is bare background
        empty = rgb.crop((pad + 100 + pad, 2 * (height + pad + label) + pad,
                          2 * (100 + pad), 3 * (height + pad + label)))
        assert empty.getextrema() == ((0xD9, 0xD9), (0xDE, 0xDE), (0xE5, 0xE5))
    assert sorted(p.name for p in (tmp_path / "sheets").iterdir()) == ["sheet.png"]


def test_contact_sheet_of_no_pages_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="at least one page"):
        export.contact_sheet([], tmp_path / "sheet.png")
    assert not (tmp_path / "sheet.png").exists()


def test_blank_pages_finds_flat_pages_only(tmp_path: Path) -> None:
    pngs = [_png(tmp_path / "a.png"), _png(tmp_path / "b.png", "#1B365D", mark=False),
            _png(tmp_path / "c.png", "#FFFFFF", mark=False)]
    assert pages.blank_pages(pngs) == [2, 3]
    assert pages.blank_pages(pngs[:1]) == []


# --- page counts ------------------------------------------------------------------------------

TINY_PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >> endobj\n"
            b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n"
            b"4 0 obj <</Type/Page/Parent 2 0 R>> endobj\n"
            b"5 0 obj <<\n/Type\n/Page\n/Parent 2 0 R >> endobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n")


def test_page_count_falls_back_to_counting_page_objects(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = tmp_path / "tiny.pdf"
    pdf.write_bytes(TINY_PDF)
    monkeypatch.setattr(pages.shutil, "which", lambda name: None)
    assert pages.page_count(pdf) == 3


def test_page_count_of_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="does not exist"):
        pages.page_count(tmp_path / "missing.pdf")


# --- finding the tools, and saying how to install them ----------------------------------------

def test_find_soffice_is_none_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(os.path, "exists", lambda path: False)
    assert export.find_soffice() is None


def test_find_soffice_knows_the_macos_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(os.path, "exists", lambda path: path == export.MACOS_SOFFICE)
    assert export.find_soffice() == export.MACOS_SOFFICE


def test_to_pdf_without_libreoffice_says_how_to_install_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pptx = tmp_path / "deck.pptx"
    pptx.write_bytes(b"PK")
    monkeypatch.setattr(export, "find_soffice", lambda: None)
    with pytest.raises(DeckError) as caught:
        export.to_pdf(pptx, tmp_path / "deck.pdf")
    message = str(caught.value)
    assert message.startswith(str(pptx) + ": ")
    assert "the .pptx was written fine" in message
    assert "libreoffice-impress" in message and "brew install --cask libreoffice" in message
    assert not (tmp_path / "deck.pdf").exists()


def test_to_pngs_without_poppler_says_how_to_install_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(TINY_PDF)
    monkeypatch.setattr(export.shutil, "which", lambda name: None)
    with pytest.raises(DeckError, match="sudo apt-get install poppler-utils; "
                                        "macOS: brew install poppler"):
        export.to_pngs(pdf, tmp_path / "png")


def test_to_pngs_refuses_other_files(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="give a .pptx or a .pdf"):
        export.to_pngs(tmp_path / "deck.key", tmp_path)


def test_to_pdf_of_a_missing_deck_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="does not exist"):
        export.to_pdf(tmp_path / "missing.pptx", tmp_path / "deck.pdf")


# --- the conversion's outcomes, with a fake soffice --------------------------------------------

@posix_only
def test_to_pdf_replaces_the_target_with_what_libreoffice_wrote(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pptx = tmp_path / "my deck.v2.pptx"
    pptx.write_bytes(b"PK")
    fake = _fake_soffice(tmp_path, 'echo "new pdf" > "$outdir/$(basename "$src" .pptx).pdf"\n')
    monkeypatch.setattr(export, "find_soffice", lambda: fake)
    target = tmp_path / "out" / "deck.pdf"
    target.parent.mkdir()
    target.write_text("old pdf\n")
    assert export.to_pdf(pptx, target) == target
    assert target.read_text() == "new pdf\n"
    assert [p.name for p in target.parent.iterdir()] == ["deck.pdf"]


@posix_only
def test_to_pdf_reports_libreoffice_last_complaint_when_no_pdf_appears(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pptx = tmp_path / "deck.pptx"
    pptx.write_bytes(b"PK")
    # what LibreOffice 7.4 does with a file it cannot open: exit status 0, no PDF
    fake = _fake_soffice(tmp_path, "echo 'Warning: failed to launch javaldx' >&2\n"
                                   "echo 'Error: source file could not be loaded' >&2\n")
    monkeypatch.setattr(export, "find_soffice", lambda: fake)
    with pytest.raises(DeckError, match="produced no PDF: Error: source file could not be loaded"):
        export.to_pdf(pptx, tmp_path / "deck.pdf")
    fake = _fake_soffice(tmp_path, "echo 'segfault' >&2\nexit 139\n")
    with pytest.raises(DeckError, match="exited with status 139: segfault"):
        export.to_pdf(pptx, tmp_path / "deck.pdf")
    assert not (tmp_path / "deck.pdf").exists()


@posix_only
def test_a_timeout_stops_libreoffice_and_everything_it_started(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pptx = tmp_path / "deck.pptx"
    pptx.write_bytes(b"PK")
    pid_file = tmp_path / "child.pid"
    # like soffice -> oosplash -> soffice.bin: the real work happens in a grandchild
    fake = _fake_soffice(tmp_path, f'sleep 30 &\necho $! > "{pid_file}"\nwait\n')
    monkeypatch.setattr(export, "find_soffice", lambda: fake)
    started = time.monotonic()
    with pytest.raises(DeckError, match="within the timeout of 0.5 seconds"):
        export.to_pdf(pptx, tmp_path / "deck.pdf", timeout=0.5)
    assert time.monotonic() - started < 10
    assert not (tmp_path / "deck.pdf").exists()
    pid = int(pid_file.read_text())
    status = Path(f"/proc/{pid}/status")
    if not Path("/proc").is_dir():
        pytest.skip("no /proc to look for the grandchild in")
    for _ in range(50):  # killed means gone, or a zombie waiting for init to reap it
        if not status.exists() or "State:\tZ" in status.read_text():
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        pytest.fail("the grandchild of soffice was left running after the timeout")


def _gone(pid: int) -> bool:
    """Whether a process has ended (gone, or a zombie waiting to be reaped)."""
    status = Path(f"/proc/{pid}/status")
    for _ in range(50):
        if not status.exists() or "State:\tZ" in status.read_text():
            return True
        time.sleep(0.1)
    return False


@posix_only
@pytest.mark.parametrize("hang", ["start", "convert"])
def test_a_warm_office_that_hangs_is_stopped_and_the_cold_way_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hang: str) -> None:
    """serve's warm LibreOffice: a worker that never answers (at start, or on a deck) is killed
    with the office it started after the timeout, and the deck is converted the cold way."""
    if not Path("/proc").is_dir():
        pytest.skip("no /proc to look for the worker's office in")
    pid_file = tmp_path / "office.pid"
    worker = tmp_path / "hanging_worker.py"
    worker.write_text(
        "import json, subprocess, sys, time\n"
        f"office = subprocess.Popen(['sleep', '300'])  # stands in for soffice\n"
        f"open({str(pid_file)!r}, 'w').write(str(office.pid))\n"
        + ("" if hang == "start" else "print(json.dumps({'ok': True, 'ready': True}), "
                                      "flush=True)\nsys.stdin.readline()\n")
        + "time.sleep(300)\n")
    monkeypatch.setattr(export.WarmOffice, "WORKER", worker)
    monkeypatch.setattr(export.WarmOffice, "START_TIMEOUT", 3.0)
    monkeypatch.setattr(export, "_uno_python", lambda: sys.executable)
    monkeypatch.setattr(export, "find_soffice", lambda: "/nonexistent/soffice")
    cold: list[Path] = []

    def to_pdf(pptx: Path, pdf: Path, timeout: float, profile: Path | None = None) -> Path:
        cold.append(pptx)
        pdf.write_bytes(b"%PDF-1.4")
        return pdf

    monkeypatch.setattr(export, "to_pdf", to_pdf)
    office = export.WarmOffice(tmp_path)
    pptx = tmp_path / "deck.pptx"
    pptx.write_bytes(b"PK")
    started = time.monotonic()
    assert office.convert(pptx, tmp_path / "deck.pdf", timeout=3.0) == tmp_path / "deck.pdf"
    assert time.monotonic() - started < 15
    assert cold == [pptx] and office.worker is None
    assert _gone(int(pid_file.read_text())), "the warm office was left running"
    office.convert(pptx, tmp_path / "deck.pdf", timeout=1.0)  # the cold way from now on
    assert cold == [pptx, pptx]


def test_importing_export_is_cheap() -> None:
    code = ("import sys, deckgen.render.export; "
            "print(sorted(m for m in ('PIL', 'pptx', 'pandas', 'matplotlib') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    assert result.stdout.strip() == "[]"


def test_libreoffice_runs_without_network_where_linux_allows(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from deckgen.render import export

    export._offline.cache_clear()
    seen: list[list[str]] = []

    def fake_run(command, timeout, env=None):  # type: ignore[no-untyped-def]
        seen.append(command)
        return subprocess.CompletedProcess(command, 1, "", "stopped here")

    monkeypatch.setattr(export, "_run", fake_run)
    monkeypatch.setattr(export, "find_soffice", lambda: "/usr/bin/soffice")
    deck = tmp_path / "d.pptx"
    deck.write_bytes(b"x")
    with pytest.raises(export.DeckError):
        export.to_pdf(deck, tmp_path / "d.pdf")
    prefix = export._offline()
    assert seen[0][: len(prefix)] == prefix
    assert seen[0][len(prefix)] == "/usr/bin/soffice"
    if sys.platform == "linux" and subprocess.run(["unshare", "-rn", "true"],
                                                  capture_output=True).returncode == 0:
        assert prefix[1:] == ["-rn"]


def test_written_files_get_normal_permissions(tmp_path: Path) -> None:
    from deckgen.atomic import write_atomic

    mask = os.umask(0o022)
    try:
        target = write_atomic(tmp_path / "sub" / "x.pdf", b"data")
    finally:
        os.umask(mask)
    assert target.read_bytes() == b"data"
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["x.pdf"]
