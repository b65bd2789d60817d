"""The memo a build leaves for the next build of the same deck (decks/ in the user's cache).

One memo per deck a build writes (the outline, the output, the overrides and options): the
fingerprint's key of the inputs it was built from, the deck's digest, its slide count and
warnings (enough to say "up to date" with the same warnings), and what a redraw needs: a digest
of everything but the slides, and for each slide of the outline the digest of its entry and
what was drawn for it. It holds nothing that decides what is built: not the variables' values
(a redraw computes them as a full build does), and its `output` only says which file it vouches
for. A memo that cannot be read, is not one this code wrote, or holds anything but what it
should (each field checked) is no memo: the build runs in full. Its warnings are printed with
control characters escaped, whatever the memo holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from deckgen import entry
from deckgen.options import Options

#: What a memo entry is (entry.py), with its format's number.
KIND = "memo 3"
#: A memo larger than this is not kept (a deck of 1,000 slides leaves about 300 KB).
MAX_MEMO_BYTES = 16 * 1024 * 1024


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
    entries: list[str]  # for each slide of the outline, the digest of its entry
    drawn: list[list[Drawn]]  # ... and the slides drawn for it

    @classmethod
    def load(cls, path: Path) -> Optional["Memo"]:
        """The memo at `path`, or None if there is none or it is not one this code wrote."""
        body = entry.read(path, KIND, path.stem, MAX_MEMO_BYTES)
        if body is None:
            return None
        try:
            raw = json.loads(bytes(body).decode("utf-8"))
            return cls._checked(raw)
        except (ValueError, RecursionError):
            return None

    @classmethod
    def _checked(cls, raw: Any) -> Optional["Memo"]:
        """The memo `raw` describes, when every field is what this code writes."""
        fields = ("key", "output", "sha256", "stat", "slides", "warnings", "redraw",
                  "context", "entries", "drawn")
        if not isinstance(raw, dict) or sorted(raw) != sorted(fields):
            return None
        texts = ("key", "output", "sha256", "context")
        if not (all(isinstance(raw[name], str) for name in texts)
                and _list_of(raw["stat"], int) and len(raw["stat"]) == 4
                and isinstance(raw["slides"], int) and not isinstance(raw["slides"], bool)
                and raw["slides"] >= 0 and isinstance(raw["redraw"], bool)
                and _list_of(raw["warnings"], str) and _list_of(raw["entries"], str)
                and isinstance(raw["drawn"], list) and len(raw["drawn"]) == len(raw["entries"])):
            return None
        drawn: list[list[Drawn]] = []
        for slides in raw["drawn"]:
            if not isinstance(slides, list):
                return None
            drawn.append([])
            for d in slides:
                if not (isinstance(d, dict) and sorted(d) == ["notes", "pictures", "title"]
                        and isinstance(d["title"], str) and isinstance(d["notes"], bool)
                        and _list_of(d["pictures"], str)):
                    return None
                drawn[-1].append(Drawn(d["title"], list(d["pictures"]), d["notes"]))
        return cls(**{**raw, "drawn": drawn,
                      "warnings": [printable(w) for w in raw["warnings"]]})

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
            body = json.dumps(asdict(self)).encode()
        except (TypeError, ValueError):
            body = b""
        if not body or not entry.write(path, KIND, path.stem, [body], MAX_MEMO_BYTES):
            with contextlib.suppress(OSError):  # no memo rather than the last build's
                path.unlink(missing_ok=True)


def _list_of(value: Any, kind: type) -> bool:
    return isinstance(value, list) and all(isinstance(v, kind) and not isinstance(v, bool)
                                           if kind is int else isinstance(v, kind)
                                           for v in value)


def printable(text: str) -> str:
    """Text with every control character (a terminal's escape sequences, a bidirectional
    override) written as its escape, \x1b, so printing it cannot drive the terminal."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


def file_stat(path: Path) -> list[int]:
    st = os.stat(path)
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def memo_path(root: Path, deck: Path, output: Optional[Path], overrides: Mapping[str, str],
              options: Options) -> Path:
    """Where the memo of this deck's builds lives under the cache root."""
    key = json.dumps([str(deck.absolute()), str(output.resolve()) if output else "",
                      sorted(overrides.items()), list(options.key())])
    return root / "decks" / f"{hashlib.sha256(key.encode()).hexdigest()}.memo"


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
