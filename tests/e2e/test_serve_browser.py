"""The live preview in a real browser: `deckgen serve` on a free port, its page opened in
headless Chromium (Selenium), an edit to a bullet shows the slide's new picture by itself, a
broken edit shows the problem at its line, and Ctrl-C stops the server cleanly."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER and shutil.which("soffice") and shutil.which("pdftoppm")),
    reason="needs Debian's chromium and chromium-driver, LibreOffice and poppler-utils "
           "(.ci/run installs them in CI)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _until(what: Callable[[], Any], timeout: float = 60.0) -> Any:
    """What `what` returns once it is truthy (it may raise meanwhile), within `timeout`."""
    end = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < end:
        try:
            last = what()
            if last:
                return last
        except Exception as exc:  # noqa: BLE001 - the page is still loading
            last = exc
        time.sleep(0.1)
    raise AssertionError(f"timed out; last: {last!r}")


def test_the_preview_page_follows_each_save(tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    shutil.copy(ROOT / "deck.yaml", tmp_path / "deck.yaml")
    for name in ("data", "assets"):
        shutil.copytree(ROOT / name, tmp_path / name)
    deck = tmp_path / "deck.yaml"
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "deckgen", "serve", str(deck), "--port",
                               str(port)], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                "--disable-dev-shm-usage"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    try:
        url = f"http://127.0.0.1:{port}/"
        _until(lambda: urllib.request.urlopen(url, timeout=2).status == 200)
        browser.get(url)

        def slide(n: int) -> Any:
            return browser.find_element(By.CSS_SELECTOR, f"#slide-{n} img")

        def loaded(n: int) -> str:
            img = slide(n)
            done = browser.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", img)
            return str(img.get_attribute("src")) if done else ""

        first = _until(lambda: browser.find_element(By.TAG_NAME, "body")
                       .get_attribute("data-status") == "ready" and loaded(6), 120)
        assert len(browser.find_elements(By.CSS_SELECTOR, "main figure")) == 19
        assert "6" in slide(6).get_attribute("alt") and "Community Policing" in \
            browser.find_element(By.CSS_SELECTOR, "#slide-6 figcaption").text
        before = urllib.request.urlopen(first, timeout=10).read()

        # a bullet edited: the page shows slide 6's new picture, the others stay
        third = loaded(3)
        text = deck.read_text(encoding="utf-8")
        deck.write_text(text.replace("10 policing districts", "Ten policing districts"),
                        encoding="utf-8")
        after = _until(lambda: loaded(6) != first and loaded(6), 60)
        assert urllib.request.urlopen(after, timeout=10).read() != before
        assert loaded(3) == third  # unchanged slides keep their pictures

        # a broken edit: the problem at its line and column, the slides kept
        lines = deck.read_text(encoding="utf-8").splitlines(keepends=True)
        n = next(i for i, line in enumerate(lines) if line.startswith("title:"))
        lines[n] = "title: [Essex, Police]\n"  # a list where the title's text goes
        deck.write_text("".join(lines), encoding="utf-8")
        problem = _until(lambda: browser.find_element(By.CSS_SELECTOR, "#problems li").text, 60)
        assert problem.startswith(f"deck.yaml:{n + 1}:8: 'title': expected text"), problem
        assert browser.find_element(By.ID, "status").get_attribute("class") == "failed"
        assert loaded(6) == after

        # speaker notes beside a slide on a click; the deck to download
        browser.find_element(By.ID, "slide-1").click()
        notes = browser.find_element(By.CSS_SELECTOR, "#slide-1 .notes")
        assert notes.is_displayed() and "Challenge briefing for the Southend" in notes.text
        link = browser.find_element(By.ID, "download").get_attribute("href")
        assert urllib.request.urlopen(link, timeout=10).read()[:2] == b"PK"
    finally:
        browser.quit()
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    assert "stopped" in err and "Traceback" not in err
    assert f"serving the preview on http://127.0.0.1:{port}/" in out
