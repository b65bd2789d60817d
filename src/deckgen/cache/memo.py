"""The memo a build leaves for the next build of the same deck (.deckgen-cache/decks/).

One memo per deck a build writes (the outline, the output, the overrides and options): the
fingerprint's key of the inputs it was built from, the deck's digest, its slide count and
warnings (enough to say "up to date" with the same warnings), and what a redraw needs: a digest
of everything but the slides, the variables' values, and for each slide of the outline the
digest of its entry and what was drawn for it. A memo that cannot be read, or is not one this
code wrote, is no memo: the build runs in full.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from deckgen.atomic import write_atomic
from deckgen.options import Options

FORMAT = 2


@dataclass(frozen=True)
class Drawn:
    """What one slide of the deck shows that a redrawn slide must match to keep its part."""

    title: str
    pictures: list[str]  # digests of the pictures, in drawing order
    notes: bool


@dataclass
class Memo:
    key: str  # the fingerprint of the inputs the deck was built from
    output: str  # the deck, resolved
    sha256: str  # the deck's bytes as written
    stat: list[int]  # the deck file's device, inode, size and mtime when written
    slides: int
    warnings: list[str]
    redraw: bool  # whether slides may be redrawn into this deck (a clean deck)
    context: str  # the digest of everything but the slide entries
    variables: dict[str, Any]
    entries: list[str]  # for each slide of the outline, the digest of its entry
    drawn: list[list[Drawn]]  # ... and the slides drawn for it

    @classmethod
    def load(cls, path: Path) -> Optional["Memo"]:
        """The memo at `path`, or None if there is none or it is not one this code wrote."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.pop("format") != FORMAT:
                return None
            raw["drawn"] = [[Drawn(**d) for d in slides] for slides in raw["drawn"]]
            memo = cls(**raw)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        texts = [memo.key, memo.context, memo.output, memo.sha256, *memo.entries,
                 *memo.warnings]
        if not (isinstance(memo.stat, list) and len(memo.stat) == 4
                and all(isinstance(n, int) for n in memo.stat)):
            return None
        drawn = [d for slides in memo.drawn for d in slides]
        if not (all(isinstance(t, str) for t in texts) and isinstance(memo.variables, dict)
                and isinstance(memo.slides, int) and isinstance(memo.redraw, bool)
                and len(memo.entries) == len(memo.drawn)
                and all(isinstance(d.title, str) and isinstance(d.notes, bool)
                        and all(isinstance(p, str) for p in d.pictures) for d in drawn)):
            return None
        return memo

    def vouches_for(self, deck: Path) -> Optional[bytes]:
        """The deck's bytes if it is the very file this memo's build wrote: the same path, the
        same file on this machine (a memo that came with a folder from elsewhere names another
        file, so it vouches for nothing) and the same bytes; else None."""
        try:
            if str(deck.resolve()) != self.output or file_stat(deck) != self.stat:
                return None
            data = deck.read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == self.sha256 else None

    def save(self, path: Path) -> None:
        """Write the memo atomically (one that cannot be written costs only time later)."""
        try:
            write_atomic(path, json.dumps({"format": FORMAT, **asdict(self)}).encode())
        except (OSError, TypeError, ValueError):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)


def file_stat(path: Path) -> list[int]:
    st = os.stat(path)
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def memo_path(root: Path, deck: Path, output: Optional[Path], overrides: Mapping[str, str],
              options: Options) -> Path:
    """Where the memo of this deck's builds lives under the cache root."""
    key = json.dumps([str(deck.absolute()), str(output.resolve()) if output else "",
                      sorted(overrides.items()), list(options.key())])
    return root / "decks" / f"{hashlib.sha256(key.encode()).hexdigest()}.json"


def digest(value: Any) -> str:
    return hashlib.sha256(stable(value).encode()).hexdigest()


def stable(value: Any) -> str:
    """A text that tells apart any two different YAML values: repr keeps types apart (1, 1.0,
    '1', True, a date and its text), and mappings keep their order."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{stable(k)}:{stable(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(stable(v) for v in value) + "]"
    return repr(value)
