"""Skip a build whose inputs have not changed since the deck was last written.

Like make: the outline (and what it extends), its data files, brand file, logo and pictures are
hashed with the options and versions; when a record of that key says which deck it wrote, and
that deck is still there byte for byte, there is nothing to do. Only PyYAML and hashlib are
needed to decide, so an up-to-date rebuild costs little more than starting Python.

Anything this cannot list cheaply (a `{variable}` in a path, an outline it cannot read) returns
no key, and the full build runs, with its full checking and messages.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from deckgen import __version__
from deckgen.atomic import write_atomic
from deckgen.source.paths import named_paths

RECORDS = Path(".deckgen-cache") / "builds"


@dataclass(frozen=True)
class Record:
    output: Path
    slides: int
    warnings: list[str]


@dataclass(frozen=True)
class Fingerprint:
    """Digests of what decides a built deck: `head` (versions, deckgen's code, options, overrides,
    output, SOURCE_DATE_EPOCH), the outline files and every other file they name."""

    head: str
    outlines: list[tuple[Path, str]]  # the outline, then what it extends
    others: list[tuple[Path, str]]  # data, brand, logo, pictures

    @property
    def key(self) -> str:
        digest = hashlib.sha256(self.head.encode())
        for path, sha in self.outlines + self.others:
            digest.update(f"\0{path}\0{sha}".encode())
        return digest.hexdigest()


def fingerprint(deck: Path, output: Optional[Path], overrides: Mapping[str, str],
                options: tuple[Any, ...]) -> Optional[Fingerprint]:
    """The digests of everything that decides the built deck, or None to build in full."""
    try:
        # absolute, not resolved: an outline that is a link reads the files beside the link
        found = _inputs(deck.absolute())
    except Exception:  # noqa: BLE001 - any doubt means: build in full, which reports it
        return None
    if found is None:
        return None
    head = {"versions": _versions(), "overrides": sorted(overrides.items()),
            "output": str(output.resolve()) if output else "", "options": list(options),
            "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""), "code": _code_stamp()}
    digests: list[list[tuple[Path, str]]] = []
    for files in found:
        digests.append([])
        for path in files:
            try:
                digests[-1].append((path, hashlib.sha256(path.read_bytes()).hexdigest()))
            except OSError:
                return None
    return Fingerprint(json.dumps(head, sort_keys=True, default=str), *digests)


def build_key(deck: Path, output: Optional[Path], overrides: Mapping[str, str],
              options: tuple[Any, ...]) -> Optional[str]:
    """The key of everything that decides the built deck, or None to build in full."""
    found = fingerprint(deck, output, overrides, options)
    return found.key if found else None


def lookup(deck: Path, key: str) -> Optional[Record]:
    """The record of an earlier build with this key, if its deck is still there unchanged."""
    try:
        raw = json.loads((deck.parent / RECORDS / f"{key}.json").read_text(encoding="utf-8"))
        output = Path(raw["output"])
        if hashlib.sha256(output.read_bytes()).hexdigest() != raw["sha256"]:
            return None
        return Record(output, int(raw["slides"]), list(raw["warnings"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(deck: Path, key: str, output: Path, slides: int, warnings: list[str]) -> None:
    """Record a successful build (atomically; a cache that cannot be written costs only time)."""
    try:
        record = {"output": str(output.resolve()), "slides": slides, "warnings": warnings,
                  "sha256": hashlib.sha256(output.read_bytes()).hexdigest()}
        write_atomic(deck.parent / RECORDS / f"{key}.json", json.dumps(record).encode())
    except OSError:
        pass


def _inputs(deck: Path) -> Optional[tuple[list[Path], list[Path]]]:
    """The outline files (the outline, then what it extends) and every other file they read,
    or None when that cannot be told without building."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: faster
    outlines: list[Path] = []
    files: list[Path] = []
    current: Optional[Path] = deck
    brand: Any = None
    seen = set()
    while current is not None:
        if current in seen:
            return None
        seen.add(current)
        outlines.append(current)
        data = yaml.load(current.read_text(encoding="utf-8"), Loader=loader)
        if not isinstance(data, dict):
            return None
        folder = current.parent
        refs = [p.value for p in named_paths(data) if p.read and p.at != ("brand",)]
        if brand is None and "brand" in data:
            brand = (folder, data["brand"])
        for ref in refs:
            if ref is None:
                continue
            if not isinstance(ref, str) or "{" in ref:
                return None
            files.append((folder / ref).resolve())
        parent = data.get("extends")
        current = (folder / parent).resolve() if isinstance(parent, str) else None
    # a brand file and its logo (an inline brand's logo is among the paths listed above)
    if brand is None or brand[1] is None or isinstance(brand[1], str):
        root = deck.parent if brand is None else brand[0]
        spec = brand[1] if brand is not None else None
        path = (root / spec) if spec else (root / "assets" / "brand.yaml")
        if path.exists():
            files.append(path.resolve())
            brand_data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
            if isinstance(brand_data, dict) and isinstance(brand_data.get("logo"), str):
                files.append((path.parent / brand_data["logo"]).resolve())
    elif not isinstance(brand[1], dict):
        return None
    return outlines, files


def _versions() -> list[Any]:
    """deckgen's version and a stamp of each library it uses: where its package lives and when
    it was installed (importlib.metadata would tell the version, but costs more than a build
    step; a reinstalled or upgraded library rewrites its files, which changes the stamp)."""
    out: list[Any] = [__version__]
    for name in ("pptx", "matplotlib", "pandas", "pydantic", "yaml", "PIL", "numpy"):
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            out.append((name, None))
            continue
        st = os.stat(spec.origin)
        out.append((name, spec.origin, st.st_size, st.st_mtime_ns))
    return out


def _code_stamp() -> list[tuple[str, int, int]]:
    """Every file of the deckgen package, in every folder (name, size, mtime): a changed
    deckgen, or a module added anywhere in it, never reuses old builds."""
    import deckgen

    root = Path(deckgen.__file__).parent
    stamp = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            st = os.stat(os.path.join(folder, name))
            stamp.append((os.path.relpath(os.path.join(folder, name), root), st.st_size,
                          st.st_mtime_ns))
    return stamp
