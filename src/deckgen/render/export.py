"""See the deck without PowerPoint: PDF and PNG export through LibreOffice, and contact sheets.

A .pptx is only checked for real once something lays it out. LibreOffice (headless) turns the
deck into a PDF, poppler's `pdftoppm` turns the PDF into one PNG per slide, and a contact sheet
puts every slide in one picture, numbered, so a person (or a test) can look at the whole deck at
once. Both tools are optional: when one is missing the error says how to install it, and says
that the .pptx itself was written fine.

Every failure is a `DeckError`; importing this module is cheap (Pillow is imported only by the
functions that draw or read pictures, and python-pptx not at all).
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Optional

from deckgen.atomic import write_atomic
from deckgen.errors import DeckError, Location

#: Where the LibreOffice app keeps its command-line binary on macOS (it is not put on PATH).
MACOS_SOFFICE = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
LIBREOFFICE_HINT = ("install LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-impress; "
                    "macOS: brew install --cask libreoffice)")
POPPLER_HINT = ("install poppler (Debian/Ubuntu: sudo apt-get install poppler-utils; "
                "macOS: brew install poppler)")
#: The lock that lets one LibreOffice conversion run at a time on this machine, whichever process
#: asks: parallel headless instances are slow, memory-hungry and now and then hang on start-up.
LOCK_NAME = "deckgen-soffice.lock"
#: Contact sheet colours: the brand navy on a light grey, so white slides stand out.
SHEET_BACKGROUND = "#D9DEE5"
SHEET_LABEL = "#1B365D"


def find_soffice() -> str | None:
    """The LibreOffice program to run, or None when it is not installed.

    Debian and most Linux packages put `soffice` (and `libreoffice`) on PATH; the macOS app does
    not, so its fixed location is tried too.
    """
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if os.path.exists(MACOS_SOFFICE):
        return MACOS_SOFFICE
    return None


@functools.lru_cache(maxsize=1)
def _offline() -> list[str]:
    """A command prefix that runs LibreOffice without network access, where the system allows
    it: Linux's `unshare -rn` (a new, empty network namespace; no root needed where user
    namespaces are enabled). Elsewhere, [] — LibreOffice converting a deck deckgen wrote has
    nothing to fetch (no linked pictures or remote fonts), so it does not go online anyway."""
    unshare = shutil.which("unshare")
    if not unshare or sys.platform != "linux":
        return []
    try:
        probe = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [unshare, "-rn"] if probe.returncode == 0 else []


@contextlib.contextmanager
def _one_conversion_at_a_time() -> Iterator[None]:
    """Hold an exclusive lock across processes while LibreOffice runs (no-op without fcntl).

    flock locks are released by the kernel when the holder dies, so a crashed run never leaves
    a stale lock behind.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no flock; conversions may overlap, each with its own profile
        yield
        return
    with open(Path(tempfile.gettempdir()) / LOCK_NAME, "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _run(command: list[str], timeout: float,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command in its own process group and kill the whole group on timeout.

    `soffice` is a shell script that starts `oosplash`, which starts `soffice.bin`: killing only
    the direct child (what `subprocess.run(timeout=...)` does) would leave soffice.bin running,
    holding its profile and the output folder.
    """
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, errors="replace",
                               env=env, start_new_session=os.name == "posix")
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException:  # the timeout, and Ctrl-C too: never leave LibreOffice running
        _kill(process)
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _kill(process: subprocess.Popen[str]) -> None:
    """Kill a process started by `_run` and everything it started, then reap it."""
    _kill_group(process)
    process.communicate()


def _kill_group(process: subprocess.Popen[str]) -> None:
    """Kill a process started in its own session, and everything it started (on POSIX, its
    process group; elsewhere the process)."""
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()


def _last_line(*texts: str) -> str:
    """The last non-empty line of the first text that has one (LibreOffice's actual complaint)."""
    for text in texts:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            return lines[-1]
    return "no message"


def _replace_atomically(source: Path, target: Path) -> None:
    """Put `source`'s bytes at `target` so readers see the old file or the new one, never half.

    The bytes go first to a hidden temporary file beside the target (same file system, so
    `os.replace` is a rename), because the temporary folder may be on another file system.
    """
    write_atomic(target, source.read_bytes())


def to_pdf(pptx: Path, pdf: Path, timeout: float = 180.0, profile: Optional[Path] = None
           ) -> Path:
    """Convert a .pptx to PDF with headless LibreOffice and return the PDF's path.

    Each run gets a fresh LibreOffice user profile: with a shared one, a second soffice hands
    its work to an instance already running (or one left behind) and exits 0 without writing
    anything. A caller that converts one deck at a time, and owns `profile`, may keep it from
    one run to the next: LibreOffice starts a second faster on a profile it made before (the
    live preview does). The PDF replaces `pdf` atomically, so a failed or interrupted
    conversion leaves whatever was there before.
    """
    pptx, pdf = Path(pptx), Path(pdf)
    where = Location(str(pptx))
    if not pptx.is_file():
        raise DeckError.single("cannot convert to PDF: the file does not exist", where)
    soffice = find_soffice()
    if soffice is None:
        raise DeckError.single(
            f"the .pptx was written fine, but making a PDF needs LibreOffice, which was not found:"
            f" {LIBREOFFICE_HINT}", where)
    with tempfile.TemporaryDirectory(prefix="deckgen-soffice-") as tmp:
        work = Path(tmp)
        command = [soffice, f"-env:UserInstallation={(profile or work / 'profile').as_uri()}",
                   "--headless", "--norestore", "--nolockcheck",
                   "--convert-to", "pdf", "--outdir", str(work), str(pptx.resolve())]
        # LibreOffice keeps scratch files (lu*.tmp) in TMPDIR and leaves them when killed:
        # point it at the folder that is removed below
        env = {**os.environ, "TMPDIR": str(work), "TMP": str(work), "TEMP": str(work),
               **_bundled_fonts(work)}
        try:
            with _one_conversion_at_a_time():
                result = _run(_offline() + command, timeout, env)
        except subprocess.TimeoutExpired:
            raise DeckError.single(
                f"LibreOffice did not finish converting to PDF within the timeout of "
                f"{timeout:g} seconds; it was stopped and no PDF was written", where) from None
        except OSError as error:
            raise DeckError.single(f"could not run LibreOffice ({soffice}): {error}",
                                   where) from None
        produced = work / (pptx.stem + ".pdf")
        if result.returncode != 0 or not produced.is_file():
            what = (f"exited with status {result.returncode}" if result.returncode
                    else "produced no PDF")
            raise DeckError.single(
                f"LibreOffice {what}: {_last_line(result.stderr, result.stdout)}", where)
        try:
            _replace_atomically(produced, pdf)
        except OSError as error:
            raise DeckError.single(f"cannot write the PDF: {error.strerror or error}",
                                   Location(str(pdf))) from None
    return pdf


def _bundled_fonts(work: Path) -> dict[str, str]:
    """Environment that lets LibreOffice see the fonts deckgen measures text with.

    Text is fitted with the bundled Liberation Sans (Arial's metrics). Where LibreOffice finds
    neither Arial nor Liberation Sans it falls back to a wider font and text that fits in
    PowerPoint wraps in the render. On systems that use fontconfig (Linux, BSD), a small config
    that includes the system's and adds deckgen's font folder fixes that; elsewhere it is inert.
    """
    from deckgen.layout.textfit import font_path

    system = os.environ.get("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")
    folder = Path(font_path(bold=False)).parent
    conf = work / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{_xml_text(system)}</include>\n'
        f"  <dir>{_xml_text(str(folder))}</dir>\n"
        f"  <cachedir>{_xml_text(str(work / 'fontcache'))}</cachedir>\n</fontconfig>\n",
        encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf)}


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slide_number(png: Path) -> int:
    """The page number pdftoppm put at the end of a file name (`page-07.png` -> 7)."""
    return int(png.stem.rsplit("-", 1)[1])


def to_pngs(source: Path, out_dir: Path, dpi: int = 60) -> list[Path]:
    """Render every page of a .pptx or .pdf to `out_dir/slide-NN.png`, in order.

    Old `slide-*.png` files are removed first, so a deck that got shorter leaves no stale pages
    to be mistaken for its own. Names are zero-padded to the page count's width (at least two
    digits), so they sort in slide order.
    """
    source, out_dir = Path(source), Path(out_dir)
    where = Location(str(source))
    suffix = source.suffix.lower()
    if suffix not in (".pptx", ".pdf"):
        raise DeckError.single(f"cannot render '{source.suffix}' files to PNG; "
                               f"give a .pptx or a .pdf", where)
    if not source.is_file():
        raise DeckError.single("cannot render to PNG: the file does not exist", where)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise DeckError.single(
            f"rendering slides to PNG needs pdftoppm, which was not found: {POPPLER_HINT}", where)
    with tempfile.TemporaryDirectory(prefix="deckgen-png-") as tmp:
        work = Path(tmp)
        pdf = to_pdf(source, work / "deck.pdf") if suffix == ".pptx" else source
        try:
            result = subprocess.run(
                [pdftoppm, "-png", "-r", str(dpi), str(pdf), str(work / "page")], check=False,
                stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace")
        except OSError as error:
            raise DeckError.single(f"could not run pdftoppm: {error}", where) from None
        pages = sorted(work.glob("page-*.png"), key=_slide_number)
        if result.returncode != 0 or not pages:
            raise DeckError.single(
                f"pdftoppm could not render the PDF: {_last_line(result.stderr, result.stdout)}",
                where)
        out_dir.mkdir(parents=True, exist_ok=True)
        for stale in out_dir.glob("slide-*.png"):
            stale.unlink()
        digits = max(2, len(str(len(pages))))
        pngs = []
        for n, page in enumerate(pages, start=1):
            png = out_dir / f"slide-{n:0{digits}d}.png"
            shutil.move(str(page), png)
            pngs.append(png)
    return pngs


class WarmOffice:
    """One LibreOffice kept running for the live preview, driven through its `uno` module by
    office_worker.py (run by a Python that has `uno`: Debian's python3-uno, or LibreOffice's
    own). `convert` falls back to `to_pdf` (a cold soffice per deck) when there is no such
    Python, or the warm office fails or does not answer in time (it is then stopped, with the
    LibreOffice it started: a hung office must not hang the preview)."""

    #: Seconds for the warm office to start (the worker itself waits up to a minute).
    START_TIMEOUT = 90.0
    #: The worker script: a module attribute so a test can stand in a worker that hangs.
    WORKER = Path(__file__).with_name("office_worker.py")

    def __init__(self, work: Path) -> None:
        self.work = work
        self.worker: Optional[subprocess.Popen[str]] = None
        self.started = False
        self._lines: queue.Queue[str] = queue.Queue()

    def _start(self) -> None:
        self.started = True
        soffice, python = find_soffice(), _uno_python()
        if soffice is None or python is None:
            return
        command = [soffice, f"-env:UserInstallation={(self.work / 'office').as_uri()}",
                   "--headless", "--invisible", "--nologo", "--norestore", "--nolockcheck"]
        env = {**os.environ, "TMPDIR": str(self.work), **_bundled_fonts(self.work)}
        try:
            self.worker = subprocess.Popen(
                _offline() + [python, str(self.WORKER), json.dumps(command),
                              f"deckgen{os.getpid()}"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, env=env, start_new_session=os.name == "posix")
        except OSError:
            self.worker = None
            return
        threading.Thread(target=_pump, args=(self.worker.stdout, self._lines),
                         daemon=True).start()
        if not self._reply(self.START_TIMEOUT).get("ready"):
            self.close()

    def convert(self, pptx: Path, pdf: Path, timeout: float = 120.0) -> Path:
        if not self.started:
            self._start()
        worker = self.worker
        if worker is not None and worker.stdin and worker.poll() is None:
            try:
                worker.stdin.write(json.dumps({"pptx": str(pptx.resolve()),
                                               "pdf": str(pdf.resolve())}) + "\n")
                worker.stdin.flush()
            except OSError:
                self.close()
            else:
                if self._reply(timeout).get("ok") and pdf.is_file():
                    return pdf
                self.close()  # a failed warm office: the cold way from now on
        return to_pdf(pptx, pdf, timeout, profile=self.work / "profile")

    def _reply(self, timeout: float) -> dict[str, object]:
        """The worker's next answer, or {} when it gives none within `timeout` seconds (it is
        stopped then, and its office with it)."""
        try:
            return _answer(self._lines.get(timeout=timeout))
        except queue.Empty:
            self._stop()
            return {}

    def _stop(self) -> None:
        """Kill the worker and the LibreOffice it started (its own process group)."""
        worker, self.worker = self.worker, None
        if worker is None:
            return
        _kill_group(worker)
        worker.wait()

    def close(self) -> None:
        worker = self.worker
        if worker is None:
            return
        with contextlib.suppress(OSError):
            if worker.stdin:
                worker.stdin.close()
        try:
            worker.wait(timeout=30)
            self.worker = None
        except subprocess.TimeoutExpired:
            self._stop()


def _pump(stream: Optional[IO[str]], lines: "queue.Queue[str]") -> None:
    """Copy the worker's answers, line by line, to a queue that `_reply` waits on with a
    timeout; an empty line when the worker has gone."""
    if stream is not None:
        for line in stream:
            lines.put(line)
    lines.put("")


def _answer(line: str) -> dict[str, object]:
    """The worker's answer on one line of JSON; {} for anything else."""
    try:
        found = json.loads(line)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _uno_python() -> Optional[str]:
    """A Python that can import LibreOffice's `uno`: LibreOffice's own, else the system's."""
    soffice = find_soffice()
    candidates = []
    if soffice:
        program = Path(os.path.realpath(soffice)).parent
        candidates += [str(program / "python"), str(program / "python.exe")]
    candidates += [c for c in ("/usr/bin/python3", shutil.which("python3")) if c]
    for python in dict.fromkeys(candidates):
        if not Path(python).is_file():
            continue
        try:
            probe = subprocess.run([python, "-c", "import uno"], capture_output=True,
                                   timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return python
    return None


def page_pngs(pdf: Path, pages: list[int], dpi: int = 80) -> dict[int, bytes]:
    """The PNG of each of `pages` (1-based) of a PDF, rendered one by one with pdftoppm (the
    live preview renders only the slides that changed)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise DeckError.single(
            f"rendering slides to PNG needs pdftoppm, which was not found: {POPPLER_HINT}",
            Location(str(pdf)))
    out: dict[int, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="deckgen-png-") as tmp:
        for page in pages:
            root = Path(tmp) / f"page{page}"
            subprocess.run([pdftoppm, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                            "-singlefile", str(pdf), str(root)], check=False,
                           stdin=subprocess.DEVNULL, capture_output=True)
            png = root.with_suffix(".png")
            if png.is_file():
                out[page] = png.read_bytes()
    return out


def contact_sheet(pngs: list[Path], out: Path, columns: int = 4, width: int = 400) -> Path:
    """Draw all pages in one picture: a grid of thumbnails, each numbered (1-based) above it.

    Every thumbnail is `width` pixels wide, with the first page's aspect ratio (slides of one
    deck share it). The PNG replaces `out` atomically.
    """
    from PIL import Image, ImageDraw, ImageFont

    from deckgen.layout.textfit import font_path

    if not pngs:
        raise DeckError.single("a contact sheet needs at least one page", Location(str(out)))
    if columns < 1 or width < 1:
        raise DeckError.single("a contact sheet needs at least one column and a positive width",
                               Location(str(out)))
    with Image.open(pngs[0]) as first:
        height = max(1, round(width * first.height / first.width))
    rows = (len(pngs) + columns - 1) // columns
    pad, label = 12, 22
    canvas = Image.new("RGB", (columns * (width + pad) + pad, rows * (height + pad + label) + pad),
                       SHEET_BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.truetype(font_path(bold=True), 16)
    for i, png in enumerate(pngs):
        x = pad + (i % columns) * (width + pad)
        y = pad + (i // columns) * (height + pad + label)
        draw.text((x, y), str(i + 1), fill=SHEET_LABEL, font=font)
        with Image.open(png) as page:
            thumb = page.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
        canvas.paste(thumb, (x, y + label))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return write_atomic(Path(out), buffer.getvalue())
