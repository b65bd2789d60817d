"""The live workloads of bench/run.py (`--only live`), measured side by side in one run.

- pandoc: `pandoc deck.md -o deck.pptx` for a Markdown deck of the sample's slides (titles
  and bullets), the native-binary yardstick for "save -> deck".
- watch: in one warm process (`deckgen.app.watch` in a thread, as `deckgen watch` runs it),
  the time from saving an edit of one bullet to the deck being rewritten (the watcher's own
  report), with the incremental redraw (app._redraw) and with it turned off (every save a
  full build from the warm process, charts from the chart cache).
- serve: the time from the same save to the edited slide's new picture being on the page
  (`/state.json` gives it), LibreOffice kept on one profile.

Run as `python bench/live.py WORKSPACE RUNS` by run.py, which prints the JSON it writes.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable

import yaml

BULLET = "Hate Crime"


def markdown(deck: Path) -> str:
    """The sample's slides as pandoc Markdown: a title slide, then each slide's title and its
    points (or a line naming its content), one slide per `#` heading."""
    outline = yaml.safe_load(deck.read_text(encoding="utf-8"))
    out = [f"% {outline['title']}\n% {outline.get('subtitle', '')}\n"]
    for slide in outline["slides"][1:]:
        out.append(f"\n# {slide.get('title', slide['kind'])}\n\n")
        points = slide.get("points") or [slide.get("subtitle") or slide["kind"]]
        for point in points:
            if isinstance(point, dict):
                for head, subs in point.items():
                    out.append(f"- {head}\n" + "".join(f"    - {s}\n" for s in subs or []))
            else:
                out.append(f"- {point}\n")
    return "".join(out)


def pandoc(ws: Path, runs: int) -> list[float]:
    (ws / "deck.md").write_text(markdown(ws / "deck.yaml"), encoding="utf-8")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["pandoc", "deck.md", "-o", "pandoc.pptx"], cwd=ws, check=True)
        times.append(time.perf_counter() - start)
    return times


def _saves(ws: Path, runs: int, wait: Callable[[int, float], float]) -> list[float]:
    """Edit one bullet `runs` times (after a first build); the time from each save to what
    `wait(n, saved_at)` waits for."""
    deck = ws / "deck.yaml"
    original = deck.read_text(encoding="utf-8")
    times = []
    try:
        for n in range(1, runs + 1):
            time.sleep(0.4)
            saved = time.perf_counter()
            deck.write_text(original.replace(BULLET, f"{BULLET} {n}"), encoding="utf-8")
            times.append(wait(n, saved) - saved)
    finally:
        deck.write_text(original, encoding="utf-8")
    return times


def watch(ws: Path, runs: int, incremental: bool) -> list[float]:
    from deckgen import app

    original = app._redraw
    if not incremental:
        def full(*args: Any, **kwargs: Any) -> Any:
            return None  # the benchmark turns the incremental redraw off: build in full
        app._redraw = full
    reports: list[float] = []
    stop = threading.Event()
    thread = threading.Thread(target=app.watch, args=(ws / "deck.yaml", ws / "live.pptx"),
                              kwargs={"report": lambda _: reports.append(time.perf_counter()),
                                      "stop": stop}, daemon=True)
    thread.start()
    try:
        while not reports:
            time.sleep(0.01)

        def wait(n: int, saved: float) -> float:
            while len(reports) < n + 1:
                time.sleep(0.002)
            return reports[n]

        return _saves(ws, runs, wait)
    finally:
        stop.set()
        thread.join(timeout=30)
        app._redraw = original


def serve(ws: Path, runs: int) -> list[float]:
    from deckgen import app

    urls: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=app.serve, args=(ws / "deck.yaml", 0, ws / "live.pptx"),
                              kwargs={"stop": stop, "ready": urls.append}, daemon=True)
    thread.start()

    def state() -> dict[str, Any]:
        with urllib.request.urlopen(urls[0] + "state.json", timeout=10) as response:
            return dict(json.load(response))

    def edited() -> str:
        s = state()
        return str(s["slides"][4]["image"]) if s["status"] == "ready" and s["slides"] else ""

    try:
        while not urls or not edited():
            time.sleep(0.05)
        seen = [edited()]

        def wait(n: int, saved: float) -> float:
            while True:
                now = edited()
                if now and now != seen[-1]:
                    seen.append(now)
                    return time.perf_counter()
                time.sleep(0.01)

        return _saves(ws, runs, wait)
    finally:
        stop.set()
        thread.join(timeout=60)


def main() -> None:
    ws, runs = Path(sys.argv[1]), int(sys.argv[2])
    out: dict[str, list[float]] = {}
    if shutil.which("pandoc"):
        out["pandoc"] = pandoc(ws, runs)
    out["watch_incremental"] = watch(ws, runs, incremental=True)
    out["watch_full"] = watch(ws, runs, incremental=False)
    if shutil.which("soffice") and shutil.which("pdftoppm"):
        out["serve"] = serve(ws, max(3, runs // 2))
    print(json.dumps({k: {"median": statistics.median(v), "min": min(v), "rss_mb": 0.0}
                      for k, v in out.items()}))


if __name__ == "__main__":
    main()
