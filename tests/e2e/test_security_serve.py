"""`deckgen serve` and the names decks are written under, against a hostile page or outline:

- the preview answers only requests addressed to 127.0.0.1, localhost or [::1] with its port
  (a DNS-rebinding page names its own host), on every path;
- a deck's name can never inject an HTTP header (CR LF in `output:`): control characters are
  refused in every output name, and Content-Disposition is built per RFC 6266;
- `--port` out of range or in use is one line and exit 1, not an internal error;
- a render that fails does not stop the renderer: the page says so and the next save renders.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from deckgen.app import build
from deckgen.live.serve import Preview, _Slide

SECRET = "secret speaker notes"
OUTLINE = """\
title: Serve test
{output}slides:
  - kind: bullets
    title: One
    points: [a point]
  - kind: bullets
    title: Two
    points: [another]
"""


@pytest.fixture()
def preview() -> Iterator[Preview]:
    with Preview(0) as page:
        page.state.slides = [_Slide("One", SECRET, "d1", b"\x89PNG one")]
        page.state.deck = b"PK deck bytes"
        page.state.deck_name = "deck.pptx"
        yield page


def _port(page: Preview) -> int:
    return int(page.server.server_address[1])


def _raw(port: int, request: bytes) -> bytes:
    """The whole answer to a request written byte for byte (what a browser may send)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def _get(port: int, path: str, host: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=folder,
                          capture_output=True, text=True, timeout=60)


# --- the Host check -------------------------------------------------------------------------

PATHS = ["/", "/state.json", "/events", "/slide/1.png", "/deck/deck.pptx"]


def test_other_hosts_are_refused_on_every_path(preview: Preview) -> None:
    port = _port(preview)
    for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1.evil.example:{port}",
                 f"localhost.:{port}", "127.0.0.1", "localhost", "127.0.0.1:1", ""):
        for path in PATHS:
            status, body = _get(port, path, host)
            assert status == 421, (host, path, status)
            assert len(body) < 200 and SECRET.encode() not in body and b"PK" not in body
    # no Host at all (HTTP/1.0), and two of them
    for head in (b"GET /state.json HTTP/1.0\r\n\r\n",
                 f"GET /state.json HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n"
                 "Connection: close\r\n\r\n".encode()):
        answer = _raw(port, head)
        assert answer.startswith(b"HTTP/1.0 421 ") and SECRET.encode() not in answer


def test_the_local_names_are_served(preview: Preview) -> None:
    port = _port(preview)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        status, body = _get(port, "/state.json", host)
        assert status == 200 and json.loads(body)["slides"][0]["notes"] == SECRET
        assert _get(port, "/deck/deck.pptx", host) == (200, b"PK deck bytes")
        assert _get(port, "/slide/1.png", host) == (200, b"\x89PNG one")
    assert _get(port, "/slide/0.png", f"127.0.0.1:{port}")[0] == 404  # not the last slide


# --- names: no header injection -------------------------------------------------------------

INJECTED = "x\r\nAccess-Control-Allow-Origin: *\r\nX-Injected: 1\r\nX.pptx"


def test_a_deck_name_cannot_inject_a_header(preview: Preview) -> None:
    port = _port(preview)
    preview.state.deck_name = INJECTED  # as if a name had got past the checks below
    answer = _raw(port, f"GET /deck/x.pptx HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                        "Connection: close\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"HTTP/1.0 200 OK" and body == b"PK deck bytes"
    assert not any(line.lower().startswith((b"access-control", b"x-injected"))
                   for line in lines), lines
    disposition = [line for line in lines if line.startswith(b"Content-Disposition:")]
    assert disposition == [b"Content-Disposition: attachment; "
                           b'filename="x__Access-Control-Allow-Origin: *__X-Injected: 1__X.pptx"; '
                           b"filename*=UTF-8''x%0D%0AAccess-Control-Allow-Origin%3A%20%2A%0D%0A"
                           b"X-Injected%3A%201%0D%0AX.pptx"]
    status, state = _get(port, "/state.json", f"127.0.0.1:{port}")
    assert "\r" not in json.loads(state)["deck"] and "%0D%0A" in json.loads(state)["deck"]


def test_a_deck_named_in_any_script_downloads(preview: Preview) -> None:
    """A name beyond Latin-1 ('Śląsk') broke the header before; now it is RFC 5987's."""
    preview.state.deck_name = 'Śląsk "Bürger".pptx'
    conn = http.client.HTTPConnection("127.0.0.1", _port(preview), timeout=10)
    conn.request("GET", "/deck/x.pptx", headers={"Host": f"localhost:{_port(preview)}"})
    response = conn.getresponse()
    assert response.status == 200 and response.read() == b"PK deck bytes"
    assert response.getheader("Content-Disposition") == (
        "attachment; filename=\"_l_sk _B_rger_.pptx\"; "
        "filename*=UTF-8''%C5%9Al%C4%85sk%20%22B%C3%BCrger%22.pptx")
    conn.close()


def test_an_output_name_with_cr_lf_is_refused_at_its_line(tmp_path: Path) -> None:
    output = 'output: "output/x\\r\\nAccess-Control-Allow-Origin: *\\r\\nX.pptx"\n'
    (tmp_path / "deck.yaml").write_text(OUTLINE.format(output=output), encoding="utf-8")
    before = _files(tmp_path)
    for command in ("build", "check"):
        run = _cli(tmp_path, command)
        assert run.returncode == 1, run.stderr
        assert run.stderr == ("error: deck.yaml:2:9: 'output': the deck's file name holds a "
                              "control character (U+000D), which no file name may hold; "
                              "remove it from the name\n")
        assert _files(tmp_path) == before  # no file, no output/ folder


@pytest.mark.parametrize("name", ["deck\x1b]0;pwned\x07.pptx", "a\nb.pptx", "x\x9b2J.pptx",
                                  "del\x7f.pptx", "sub/\r\nX.pptx"])
def test_an_output_name_with_a_control_character_is_refused_from_o(tmp_path: Path,
                                                                   name: str) -> None:
    (tmp_path / "deck.yaml").write_text(OUTLINE.format(output=""), encoding="utf-8")
    before = _files(tmp_path)
    run = _cli(tmp_path, "build", "-o", name)
    assert run.returncode == 1, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write to ")
    assert "control character (U+00" in lines[0] and lines[0].endswith("remove it from -o")
    assert lines[0].isprintable()  # the name is quoted with '?' for each control character
    assert _files(tmp_path) == before


def test_each_names_hold_no_control_character(tmp_path: Path) -> None:
    (tmp_path / "deck.yaml").write_text(OUTLINE.format(
        output='variables:\n  area: {default: "North\\r\\nX: 1", '
               'values: ["North\\r\\nX: 1", "South\\u001b[2J"]}\n'
               'output: "decks/{area}.pptx"\n'), encoding="utf-8")
    before = _files(tmp_path)
    run = _cli(tmp_path, "build", "--each", "area", "-o", "out\x1b[31m")  # a folder's name
    assert run.returncode == 1 and "remove it from -o" in run.stderr, run.stderr
    assert "internal error" not in run.stderr and _files(tmp_path) == before
    # the values themselves are made into names of letters, digits and hyphens
    run = _cli(tmp_path, "build", "--each", "area", "-j", "1")
    assert run.returncode == 0, run.stderr
    made = _files(tmp_path) - before
    assert {"decks/north-x-1.pptx", "decks/south-2j.pptx"} <= made
    assert all(name.isprintable() for name in made)


# --- the port ------------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["70000", "-1", "65536"])
def test_a_port_out_of_range_is_one_line(tmp_path: Path, port: str) -> None:
    (tmp_path / "deck.yaml").write_text(OUTLINE.format(output=""), encoding="utf-8")
    run = _cli(tmp_path, "serve", "--port", port)
    assert run.returncode == 1, run.stderr
    assert run.stderr == (f"error: --port {port} is not a port: give a number from 1 to "
                          "65535 (or 0 for any free one)\n")


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "deck.yaml").write_text(OUTLINE.format(output=""), encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = _cli(tmp_path, "serve", "--port", str(port))
    assert run.returncode == 1, run.stderr
    assert run.stderr == (f"error: cannot serve on 127.0.0.1:{port}: Address already in use; "
                          "choose another with --port N\n")


# --- the renderer outlives a failed render --------------------------------------------------


def test_the_renderer_survives_a_failed_render(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import deckgen.render.export as export

    (tmp_path / "deck.yaml").write_text(OUTLINE.format(output=""), encoding="utf-8")
    written = build(tmp_path / "deck.yaml", tmp_path / "deck.pptx")
    calls: list[Path] = []

    def convert(pptx: Path, pdf: Path, timeout: float = 120.0) -> Path:
        calls.append(pptx)
        if len(calls) == 1:
            raise RuntimeError("LibreOffice went away")
        return pdf

    monkeypatch.setattr(export, "page_pngs",
                        lambda pdf, pages, dpi=80: {n: b"\x89PNG %d" % n for n in pages})
    with Preview(0) as page:
        monkeypatch.setattr(page._office, "convert", convert)

        def status(want: str) -> dict[str, object]:
            with page.changed:
                assert page.changed.wait_for(lambda: page.state.status == want, timeout=20), \
                    (want, page.state.status)
                return page.snapshot()

        page.update(written)
        failed = status("unrendered")
        assert "LibreOffice went away" in str(failed["render_error"])
        assert failed["deck"] == "/deck/deck.pptx"  # the deck built is there to download
        page.update(written)  # the next save: rendered
        ready = status("ready")
        assert ready["render_error"] == "" and len(calls) == 2
        assert [s["title"] for s in ready["slides"]] == ["One", "Two"]  # type: ignore[index]
        status_code, body = _get(_port(page), "/slide/2.png", f"127.0.0.1:{_port(page)}")
        assert (status_code, body) == (200, b"\x89PNG 2")

