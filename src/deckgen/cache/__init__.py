"""Reuse or record: the one place that decides whether a build can reuse earlier work.

Everything deckgen keeps between builds lives under one root in the user's own cache folder
(`user_cache_dir`), never beside the outline: an outline's folder comes from others (a shared
drive, an unpacked zip, a colleague), and an entry's digest shows damage, not forgery, so a
cache there could put any picture or figure in a deck. A `.deckgen-cache/` found in an outline's
folder (where deckgen kept it before) is never read, followed or written. Under the root: the
memo of each deck built (memo.py, `decks/`), the charts drawn (charts.py, `charts/`, shared by
every outline: the key is the picture's content) and parsed record files (`data/`). The root
is made private (0700); when it cannot be, or is a link or not the user's own, the cache is off
for the build, which then only takes longer.

`Cache.open` takes the build's one fingerprint of its inputs, before anything is read; `reuse`
says whether the deck on disk is up to date (nothing to do) or can have only its edited slides
redrawn (redraw.py); `record` leaves the memo after a full build. The memo decides only
*whether* to build, never *what*: the deck it speaks for is the one this build would write (from
-o or the outline), and a redraw computes its variables as a full build does. The command
line, the library's `app.build`, the batch and preview all build through it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Optional

from deckgen.cache.fingerprint import Fingerprint, fingerprint
from deckgen.cache.memo import Memo, memo_path
from deckgen.entry import private_folder
from deckgen.errors import Problem
from deckgen.options import Options
from deckgen.render.output import Written

if TYPE_CHECKING:  # the up-to-date check must not import the pipeline
    from deckgen.pipeline import PlannedDeck, Progress

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


@dataclass
class Cache:
    """What the cache knows about one build: its fingerprint and the memo of the last build of
    the same deck. A cache opened with the cache off (or no usable root) knows nothing and
    records nothing."""

    deck: Path
    output: Optional[Path]
    overrides: Mapping[str, str]
    options: Options
    found: Optional[Fingerprint]
    root: Optional[Path] = field(default=None)

    def __post_init__(self) -> None:
        if self.options.cache and self.root is None:
            self.root = open_root()

    @classmethod
    def open(cls, deck: Path, output: Optional[Path], overrides: Mapping[str, str],
             options: Options) -> "Cache":
        """The cache for a build, with the fingerprint of its inputs as they are now."""
        root = open_root() if options.cache else None
        found = fingerprint(deck, output, overrides, options) if root is not None else None
        return cls(deck, output, overrides, options, found, root)

    @property
    def charts(self) -> Optional[Path]:
        """Where drawn charts are kept, or None when the cache is off."""
        return self.root / "charts" if self.root is not None else None

    @property
    def data(self) -> Optional[Path]:
        """Where parsed record files are kept, or None when the cache is off."""
        return self.root / "data" if self.root is not None else None

    @property
    def _memo_path(self) -> Optional[Path]:
        if self.root is None:
            return None
        return memo_path(self.root, self.deck, self.output, self.overrides, self.options)

    def reuse(self, progress: Optional[Progress] = None) -> Optional[Written]:
        """The deck as it stands when nothing it depends on changed (`reused`), or with only
        the edited slides drawn again (`redrawn`); None when it must be built in full.

        Up to date means: the deck this build would write (-o, or the outline's `output:` as
        the fingerprint fills it) is the very file the memo's build wrote, from the same
        inputs. The memo never says which deck that is."""
        path = self._memo_path
        if self.found is None or path is None:
            return None
        memo = Memo.load(path)
        if memo is None:
            return None
        target = self.output if self.output is not None else self.found.output
        if memo.key == self.found.key and target is not None \
                and memo.vouches_for(target) is not None:
            return Written(target, memo.slides,
                           [Problem(w, severity="warning") for w in memo.warnings], reused=True)
        from deckgen.cache import redraw  # the pipeline: only when slides may be redrawn

        try:
            written, memo = redraw.redraw(self.deck, self.output, self.overrides, self.options,
                                          self.found, progress, memo, self.data)
        except redraw.Fallback:
            return None
        memo.save(path)
        return written

    def record(self, deck: PlannedDeck, data: bytes) -> None:
        """Leave the memo of a full build (or none, when the inputs could not be told)."""
        from deckgen.cache import redraw

        path = self._memo_path
        if path is None:
            return
        if self.found is None:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
            return
        redraw.record(deck, self.found, data).save(path)
