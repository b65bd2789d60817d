"""`deckgen serve`: the live preview page, on 127.0.0.1 only.

The page (page.html: no scripts or fonts from the network) listens to `/events`, server-sent
events that carry the whole state after each change: the slides with their numbers, titles,
notes and picture addresses, the build's problems and warnings, and whether a build or a render
is under way. Pictures come from LibreOffice: after each good build one renderer thread turns
the deck into a PDF (on one LibreOffice kept running, render/export.py `WarmOffice`) and
renders again only the slides whose content changed. A failed build keeps the last good
slides on the page, under its problems; a failed render says so, and the next save renders
again.

The server listens on 127.0.0.1 only, and answers only requests addressed to it by that name
(`Host: 127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`): a web page on another site that
points its own name at 127.0.0.1 (DNS rebinding) would otherwise be served the slides, their
notes and the deck, as its own. Every other Host gets 421 and a line of text.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote, urlparse

from deckgen.errors import DeckError

#: The ports `--port` may name (0: any free one, chosen by the system).
PORTS = range(0, 65536)
#: The names the page may be asked for by, each with the served port (`Host: NAME:PORT`).
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


@dataclass
class _Slide:
    title: str
    notes: str
    digest: str
    png: Optional[bytes] = None


@dataclass
class _State:
    version: int = 0
    status: str = "building"  # building, rendering, ready, failed (the build), unrendered
    slides: list[_Slide] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    render_error: str = ""
    deck: Optional[bytes] = None
    deck_name: str = "deck.pptx"


class Preview:
    """The server and its renderer; `update` takes each build's result (a Written or a
    DeckError), from the watch loop's thread."""

    def __init__(self, port: int, dpi: int = 80) -> None:
        if port not in PORTS:
            raise DeckError.single(f"--port {port} is not a port: give a number from 1 to "
                                   f"{PORTS[-1]} (or 0 for any free one)")
        self.dpi = dpi
        self.state = _State()
        self.changed = threading.Condition()
        self._work = Path(tempfile.mkdtemp(prefix="deckgen-serve-"))
        self._pending: Optional[bytes] = None
        self._wake = threading.Event()
        self._closing = threading.Event()
        from deckgen.render.export import WarmOffice

        self._office = WarmOffice(self._work)
        handler = type("Handler", (_Handler,), {"preview": self})
        try:
            self.server = _Server(("127.0.0.1", port), handler)
        except OSError as error:
            shutil.rmtree(self._work, ignore_errors=True)
            raise DeckError.single(f"cannot serve on 127.0.0.1:{port}: "
                                   f"{error.strerror or error}; choose another with --port N")
        self.port: int = self.server.server_address[1]  # the one chosen, for --port 0
        self.url = f"http://127.0.0.1:{self.port}/"
        self._threads = [threading.Thread(target=self.server.serve_forever, daemon=True),
                         threading.Thread(target=self._render_loop, daemon=True)]

    def __enter__(self) -> "Preview":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._closing.set()
        self._wake.set()
        with self.changed:
            self.changed.notify_all()
        self.server.shutdown()
        self.server.server_close()
        self._threads[1].join(timeout=30)
        self._office.close()
        shutil.rmtree(self._work, ignore_errors=True)

    # --- the state, as builds and renders change it -------------------------------------

    def _publish(self, **changes: Any) -> None:
        with self.changed:
            for name, value in changes.items():
                setattr(self.state, name, value)
            self.state.version += 1
            self.changed.notify_all()

    def update(self, result: Any) -> None:
        """A build finished: show its problems at once; render its slides when it wrote a
        deck."""
        if isinstance(result, DeckError):
            self._publish(status="failed", problems=[str(p) for p in result.problems],
                          warnings=[])
            return
        warnings = [str(w) for w in getattr(result, "warnings", [])]
        output = Path(result.output)
        try:
            data = output.read_bytes()
        except OSError as exc:  # moved or removed since it was written: the next save builds it
            self._publish(status="unrendered", problems=[], warnings=warnings,
                          render_error=f"cannot read {output.name}: {exc.strerror or exc}")
            return
        self._publish(status="rendering", problems=[], warnings=warnings,
                      deck_name=output.name)
        self._pending = data
        self._wake.set()

    def _render_loop(self) -> None:
        """Render each deck handed over, the newest only; a render that fails, however it
        fails, is shown on the page and the loop waits for the next save."""
        while not self._closing.is_set():
            self._wake.wait()
            self._wake.clear()
            data, self._pending = self._pending, None
            if data is None or self._closing.is_set():
                continue
            try:
                self._render(data)
            except DeckError as exc:
                self._unrendered(data, "; ".join(map(str, exc.problems)))
            except Exception as exc:  # noqa: BLE001 - the preview outlives one failed render
                self._unrendered(data, f"{type(exc).__name__}: {exc}")

    def _unrendered(self, data: bytes, why: str) -> None:
        """The deck was built but its slides could not be drawn: the page says why, keeps the
        last pictures, and offers the new deck."""
        self._publish(status="unrendered", deck=data,
                      render_error=f"the slides could not be drawn: {why}")

    def _render(self, data: bytes) -> None:
        from deckgen.office.write import read_back
        from deckgen.render.export import page_pngs

        slides = [_Slide(title, notes, digest) for title, notes, digest in read_back(data)]
        before = {s.digest: s.png for s in self.state.slides if s.png}
        for slide in slides:
            slide.png = before.get(slide.digest)
        stale = [n for n, s in enumerate(slides, start=1) if s.png is None]
        if stale:
            deck = self._work / "deck.pptx"
            deck.write_bytes(data)
            pdf = self._office.convert(deck, self._work / "deck.pdf")
            for n, png in page_pngs(pdf, stale, self.dpi).items():
                slides[n - 1].png = png
        self._publish(status="ready", slides=slides, deck=data, render_error="")

    def snapshot(self) -> dict[str, Any]:
        """The state as the page reads it."""
        s = self.state
        return {"version": s.version, "status": s.status, "problems": s.problems,
                "warnings": s.warnings, "render_error": s.render_error,
                "deck": f"/deck/{quote(s.deck_name)}" if s.deck else "",
                "slides": [{"n": n, "title": slide.title, "notes": slide.notes,
                            "image": f"/slide/{n}.png?v={slide.digest}"}
                           for n, slide in enumerate(s.slides, start=1)]}


class _Server(ThreadingHTTPServer):
    """The HTTP server, alone on its port: a port another program listens on is an error
    (some Pythons' http.server shares it, with SO_REUSEPORT, with any program of the same
    user)."""

    allow_reuse_port = False
    daemon_threads = True


class _Handler(BaseHTTPRequestHandler):
    preview: Preview
    server_version = "deckgen"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal is for builds
        pass

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if not self._addressed_here():
            self._misdirected()
            return
        path = urlparse(self.path).path
        if path == "/":
            page = resources.files("deckgen.live").joinpath("page.html").read_bytes()
            self._send(page, "text/html; charset=utf-8")
        elif path == "/state.json":
            with self.preview.changed:
                state = self.preview.snapshot()
            self._send(json.dumps(state).encode(), "application/json")
        elif path == "/events":
            self._events()
        elif path.startswith("/slide/") and path.endswith(".png"):
            self._slide(path)
        elif path.startswith("/deck/") and self.preview.state.deck:
            self._send(self.preview.state.deck, "application/vnd.openxmlformats-officedocument."
                       "presentationml.presentation", download=self.preview.state.deck_name)
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _addressed_here(self) -> bool:
        """Whether the request names this server (one Host header, a local name and the served
        port): not a page elsewhere whose own name was pointed at 127.0.0.1."""
        hosts = self.headers.get_all("Host") or []
        port = self.preview.port
        return len(hosts) == 1 and hosts[0].strip().lower() in {f"{name}:{port}"
                                                                for name in LOCAL_HOSTS}

    def _misdirected(self) -> None:
        body = (f"421 misdirected request: this preview answers only "
                f"{self.preview.url}\n").encode()
        self.send_response(HTTPStatus.MISDIRECTED_REQUEST)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def _send(self, body: bytes, kind: str, download: str = "") -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store" if not kind.startswith("image/")
                         else "max-age=31536000, immutable")
        if download:
            self.send_header("Content-Disposition", attachment(download))
        self.end_headers()
        self.wfile.write(body)

    def _slide(self, path: str) -> None:
        try:
            n = int(path[len("/slide/"):-len(".png")])
            png = self.preview.state.slides[n - 1].png if n >= 1 else None
        except (ValueError, IndexError):
            png = None
        if not png:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self._send(png, "image/png")

    def _events(self) -> None:
        """Server-sent events: the state now, then after every change (a comment every 15 s
        keeps the connection open through proxies)."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        seen = -1
        try:
            while not preview._closing.is_set():
                with preview.changed:
                    if preview.state.version == seen:
                        preview.changed.wait(timeout=15)
                    if preview.state.version == seen:
                        message = b": still here\n\n"
                    else:
                        seen = preview.state.version
                        message = b"data: " + json.dumps(preview.snapshot()).encode() + b"\n\n"
                self.wfile.write(message)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def attachment(name: str) -> str:
    """A Content-Disposition header's value that downloads a file as `name` (RFC 6266): an
    ASCII stand-in in `filename` for old browsers, the name itself percent-encoded in
    `filename*` (RFC 5987). Neither can hold CR, LF or a quote, whatever the name holds, so the
    name can never end the header or start another."""
    fallback = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
