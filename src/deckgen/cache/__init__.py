"""Reuse or record: the one place that decides whether a build can reuse earlier work.

Everything deckgen keeps between builds lives under one root, `.deckgen-cache/` beside the
outline: the memo of each deck built (memo.py) and the charts drawn (charts.py). `Cache.open`
takes the build's one fingerprint of its inputs, before anything is read; `reuse` says whether
the deck on disk is up to date (nothing to do) or can have only its edited slides redrawn
(redraw.py); `record` leaves the memo after a full build. The command line, the library's
`app.build`, the batch and preview all build through it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Optional

from deckgen.cache.fingerprint import Fingerprint, fingerprint
from deckgen.cache.memo import Memo, memo_path
from deckgen.errors import Problem
from deckgen.options import Options
from deckgen.render.output import Written

if TYPE_CHECKING:  # the up-to-date check must not import the pipeline
    from deckgen.pipeline import PlannedDeck, Progress

#: The cache's one root, beside the outline.
CACHE_DIR = ".deckgen-cache"


def root(deck: Path) -> Path:
    return deck.parent / CACHE_DIR


@dataclass
class Cache:
    """What the cache knows about one build: its fingerprint and the memo of the last build of
    the same deck. A cache opened with the cache off knows nothing and records nothing."""

    deck: Path
    output: Optional[Path]
    overrides: Mapping[str, str]
    options: Options
    found: Optional[Fingerprint]

    @classmethod
    def open(cls, deck: Path, output: Optional[Path], overrides: Mapping[str, str],
             options: Options) -> "Cache":
        """The cache for a build, with the fingerprint of its inputs as they are now."""
        found = fingerprint(deck, output, overrides, options) if options.cache else None
        return cls(deck, output, overrides, options, found)

    @property
    def charts(self) -> Optional[Path]:
        """Where drawn charts are kept, or None when the cache is off."""
        return root(self.deck) / "charts" if self.options.cache else None

    @property
    def data(self) -> Optional[Path]:
        """Where parsed record files are kept, or None when the cache is off."""
        return root(self.deck) / "data" if self.options.cache else None

    @property
    def _memo_path(self) -> Path:
        return memo_path(root(self.deck), self.deck, self.output, self.overrides, self.options)

    def reuse(self, progress: Optional[Progress] = None) -> Optional[Written]:
        """The deck as it stands when nothing it depends on changed (`reused`), or with only
        the edited slides drawn again (`redrawn`); None when it must be built in full."""
        if self.found is None:
            return None
        memo = Memo.load(self._memo_path)
        if memo is None:
            return None
        if memo.key == self.found.key and memo.vouches_for(Path(memo.output)) is not None \
                and (self.output is None or str(self.output.resolve()) == memo.output):
            return Written(Path(memo.output), memo.slides, [Problem(w) for w in memo.warnings],
                           reused=True)
        from deckgen.cache import redraw  # the pipeline: only when slides may be redrawn

        try:
            written, memo = redraw.redraw(self.deck, self.output, self.options, self.found,
                                          progress, memo)
        except redraw.Fallback:
            return None
        memo.save(self._memo_path)
        return written

    def record(self, deck: PlannedDeck, data: bytes) -> None:
        """Leave the memo of a full build (or none, when the inputs could not be told)."""
        from deckgen.cache import redraw

        if not self.options.cache:
            return
        if self.found is None:
            with contextlib.suppress(OSError):
                self._memo_path.unlink(missing_ok=True)
            return
        redraw.record(deck, self.found, data).save(self._memo_path)

