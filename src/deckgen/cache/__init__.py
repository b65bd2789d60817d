"""Reuse or record: the keys, memos and verified entries that let a build reuse earlier work.

Everything deckgen keeps between builds lives under one root in the user's own cache folder
(`user_cache_dir`), never beside the outline: an outline's folder comes from others (a shared
drive, an unpacked zip, a colleague), and an entry's digest shows damage, not forgery, so a
cache there could put any picture or figure in a deck. A `.deckgen-cache/` found in an outline's
folder (where deckgen kept it before) is never read, followed or written. Under the root: the
memo of each deck built (memo.py, `decks/`), the charts drawn (charts.py, `charts/`, shared by
every outline: the key is the picture's content) and parsed record files (`data/`). The root
is made private (0700); when it cannot be, or is a link or not the user's own, the cache is off
for the build, which then only takes longer.

The cache is a leaf, like Black's cache.py: it decides, from the build's manifest of its inputs
(source/manifest.py) and the memo, *whether* earlier work can be reused (`Cache.decide`: up to
date, or only some slides to redraw, or neither), and records a build's memo (`Cache.record`);
the orchestrator (app.py) does the work. The memo decides only *whether* to build, never
*what*: the deck it speaks for is the one this build would write (from -o or the outline), and a
redraw computes its variables as a full build does. It imports nothing above the data stage
(tests/unit/test_architecture_manifest.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional, Union

from deckgen.cache.fingerprint import Fingerprint, fingerprint
from deckgen.cache.memo import Drawn, Memo, digest, file_stat, memo_path
from deckgen.entry import private_folder
from deckgen.options import Options
from deckgen.source.manifest import Manifest

#: The environment variable that names the cache's folder (else the user's cache folder).
CACHE_ENV = "DECKGEN_CACHE_DIR"
#: Where deckgen kept its cache before, beside the outline: now never read nor written.
LEGACY_DIR = ".deckgen-cache"
#: The cache's parts, each a folder under the root.
PARTS = ("charts", "data", "decks")


def user_cache_dir() -> Path:
    """The folder of deckgen's cache: $DECKGEN_CACHE_DIR, else the platform's cache folder for
    the user ($XDG_CACHE_HOME/deckgen or ~/.cache/deckgen; ~/Library/Caches/deckgen on macOS;
    %LOCALAPPDATA%\\deckgen\\Cache on Windows)."""
    named = os.environ.get(CACHE_ENV)
    if named:
        return Path(named).expanduser().absolute()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        base = Path(local) if local else Path.home() / "AppData" / "Local"
        return base / "deckgen" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "deckgen"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "deckgen"


def open_root() -> Optional[Path]:
    """The cache's root, made if need be (0700, with its parts), or None when it cannot be
    used: it cannot be made, or it or a part is a link, a file, another user's or writable by
    others. Then the cache is off for the build (it only costs time): never an error, and never
    a write through a link."""
    try:
        root = user_cache_dir()
    except RuntimeError:  # no home folder to put it in
        return None
    with contextlib.suppress(OSError):
        root.parent.mkdir(parents=True, exist_ok=True)
    if not private_folder(root) or not all(private_folder(root / part) for part in PARTS):
        return None
    return root


def remove(root: Path) -> tuple[bool, int, str]:
    """Remove the cache at `root` (`deckgen clean`): whether there was one to remove, its size,
    and why it was left as it is (when it was). Only the cache's own parts are removed, never
    through a link; the folder itself only when nothing else is left in it."""
    import shutil
    import stat

    try:
        st = os.lstat(root)
    except OSError:
        return False, 0, ""
    if not stat.S_ISDIR(st.st_mode):
        return False, 0, "it is a link or a file, not the folder deckgen made"
    size = 0
    for part in PARTS:
        folder = root / part
        if not (os.path.isdir(folder) and not os.path.islink(folder)):
            continue
        for here, _, files in os.walk(folder):  # links are not followed
            for name in files:
                with contextlib.suppress(OSError):
                    size += os.lstat(os.path.join(here, name)).st_size
        try:
            shutil.rmtree(folder)
        except OSError as exc:
            return False, size, f"{exc.strerror or exc}"
    with contextlib.suppress(OSError):
        root.rmdir()  # only when empty: DECKGEN_CACHE_DIR may name a folder with more in it
    return True, size, ""


@dataclass(frozen=True)
class UpToDate:
    """Nothing the deck depends on changed since the memo's build wrote it: the deck (this
    build's own, -o or the outline's), its slide count and its warnings, as printed then."""

    output: Path
    slides: int
    warnings: list[str]


@dataclass
class Redraw:
    """Only some slide entries changed since a clean build: those slides (`changed`, indices in
    the outline) may be redrawn into the previous deck, if each, as laid out now, `keeps` what
    the memo says was drawn for it. The orchestrator lays them out and writes the deck; the
    memo here only says whether that may be done."""

    changed: list[int]
    memo: Memo
    found: Fingerprint
    entries: list[str]
    path: Path  # the memo's

    def previous(self, target: Path) -> Optional[bytes]:
        """The previous deck's bytes, if `target` (the deck this build writes, as the build
        names it) is the very file the memo's build wrote; else None: build in full."""
        return self.memo.vouches_for(target)

    def firsts(self) -> list[int]:
        """For each slide of the outline, the number of the first deck slide drawn for it
        (and the deck's slide count + 1 at the end)."""
        out = [1]
        for drawn in self.memo.drawn:
            out.append(out[-1] + len(drawn))
        return out

    def titles(self) -> list[str]:
        """The title of every slide of the previous deck."""
        return [d.title for drawn in self.memo.drawn for d in drawn]

    def keeps(self, index: int, now: list[Optional[Drawn]], warned: bool) -> bool:
        """Whether slide `index`, laid out again as `now` (None for a slide that draws a chart:
        only a full build draws charts), may replace what was drawn for it: no warning to
        report, no chart, as many slides (no other continuation), the same pictures and the
        same notes or none."""
        before = self.memo.drawn[index]
        return not warned and all(d is not None for d in now) and len(now) == len(before) \
            and all(d is not None and (d.pictures, d.notes) == (b.pictures, b.notes)
                    for d, b in zip(now, before))

    def done(self, redrawn: Mapping[int, list[Drawn]], target: Path, written: bytes) -> None:
        """The slides in `redrawn` (by their index in the outline) were drawn again into
        `target`, whose bytes are now `written`: the memo vouches for that deck from now on."""
        for index, now in redrawn.items():
            self.memo.drawn[index] = list(now)
        self.memo.entries, self.memo.key = self.entries, self.found.key
        self.memo.sha256 = hashlib.sha256(written).hexdigest()
        self.memo.stat = file_stat(target)
        self.memo.save(self.path)


@dataclass(frozen=True)
class Built:
    """What a full build wrote, for its memo: the deck and its bytes, its slide count and
    warnings, whether it is on a template, and for each slide of the outline what was drawn
    for it (None for a slide that draws a chart)."""

    output: Path
    data: bytes
    slides: int
    warnings: list[str]
    template: bool
    drawn: list[list[Optional[Drawn]]]


@dataclass
class Cache:
    """The cache for one build: where its root is (None when the cache is off or cannot be
    used), and the deck, -o, overrides and options its memo is kept under."""

    deck: Path
    output: Optional[Path]
    overrides: Mapping[str, str]
    options: Options
    root: Optional[Path] = field(default=None)
    #: the fingerprint of a complete manifest, taken once (decide, then record)
    _found: Optional[tuple[Manifest, Fingerprint]] = field(default=None, repr=False)

    @classmethod
    def open(cls, deck: Path, output: Optional[Path], overrides: Mapping[str, str],
             options: Options) -> "Cache":
        """The cache for a build: its root made (private) when the cache is on."""
        return cls(deck, output, overrides, options, open_root() if options.cache else None)

    @property
    def on(self) -> bool:
        """Whether the build may reuse and record: the inputs are then hashed as listed."""
        return self.root is not None

    @property
    def charts(self) -> Optional[Path]:
        """Where drawn charts are kept, or None when the cache is off."""
        return self.root / "charts" if self.root is not None else None

    @property
    def data(self) -> Optional[Path]:
        """Where parsed record files are kept, or None when the cache is off."""
        return self.root / "data" if self.root is not None else None

    def _fingerprint(self, inputs: Manifest) -> Optional[Fingerprint]:
        if self._found is not None and self._found[0] is inputs:
            return self._found[1]
        found = fingerprint(inputs, self.output, self.overrides, self.options)
        if found is not None:
            self._found = (inputs, found)
        return found

    @property
    def _memo_path(self) -> Optional[Path]:
        if self.root is None:
            return None
        return memo_path(self.root, self.deck, self.output, self.overrides, self.options)

    def decide(self, inputs: Manifest) -> Union[UpToDate, Redraw, None]:
        """The one place reuse is decided: the deck as it stands when nothing it depends on
        changed (UpToDate); some slides to redraw when only their entries changed since a clean
        build (Redraw); None when it must be built in full.

        Up to date means: the deck this build would write (-o, or the outline's `output:` as
        the manifest fills it) is the very file the memo's build wrote, from the same inputs.
        The memo never says which deck that is."""
        path = self._memo_path
        found = self._fingerprint(inputs) if path is not None else None
        memo = Memo.load(path) if path is not None and found is not None else None
        if memo is None or path is None or found is None:
            return None
        if memo.key == found.key and found.output is not None \
                and memo.vouches_for(found.output) is not None:
            return UpToDate(found.output, memo.slides, memo.warnings)
        slides = found.tree.get("slides")
        if not memo.redraw or found.rest() != memo.context or not isinstance(slides, list) \
                or len(slides) != len(memo.entries):
            return None  # more than slide entries changed
        entries = [digest(raw) for raw in slides]
        changed = [i for i, entry in enumerate(entries) if entry != memo.entries[i]]
        if not changed:
            return None  # the same entries, another key: the deck is not the memo's
        return Redraw(changed, memo, found, entries, path)

    def record(self, inputs: Manifest, built: Built) -> None:
        """Leave the memo of a full build (or none, when the inputs could not be told). Only
        a clean deck (no warnings), not on a template, with no chart drawn, may later have
        slides redrawn into it."""
        path = self._memo_path
        if path is None:
            return
        found = self._fingerprint(inputs)
        if found is None:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
            return
        slides = found.tree.get("slides")
        redraw = not built.warnings and not built.template and isinstance(slides, list) \
            and all(d is not None for drawn in built.drawn for d in drawn)
        memo = Memo(key=found.key, output=str(built.output.resolve()),
                    sha256=hashlib.sha256(built.data).hexdigest(),
                    stat=file_stat(built.output), slides=built.slides,
                    warnings=built.warnings, redraw=redraw, context=found.rest(),
                    entries=[digest(raw) for raw in slides] if redraw and
                    isinstance(slides, list) else [],
                    drawn=[[d for d in drawn if d is not None] for drawn in built.drawn]
                    if redraw else [])
        memo.save(path)
