"""What decides a built deck, as digests: the build's manifest of its inputs, and the rest.

Like make: the outline and what it extends, every file they name (data, brand file, logo,
template and each kind's declared file keys, see kinds.REGISTRY), as the build's manifest lists
and hashes them (source/manifest.py, before anything reads them); and the options, the
overrides, the versions of deckgen's code and libraries and SOURCE_DATE_EPOCH. The outline is
never read here: the orchestrator reads the manifest once and hands it over, so the up-to-date
check and the build cannot disagree about which files the deck depends on.

A manifest that is not complete (a path waits for a looked-up value) or lists a file that could
not be hashed gives no fingerprint, and the full build runs, with its full checking and
messages.
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
from deckgen.options import Options
from deckgen.source.manifest import Manifest
from deckgen.source.yamlsrc import SourceMap


@dataclass(frozen=True)
class Fingerprint:
    """Digests of what decides a built deck: `head` (versions, deckgen's code, options,
    overrides, output, SOURCE_DATE_EPOCH), the outline files and every other file they name;
    and the outline as read (merged), for the redraw's comparison of slide entries."""

    head: str
    outlines: list[tuple[Path, str]]  # the outline, then what it extends
    others: list[tuple[Path, str]]  # data, brand, logo, pictures
    tree: dict[str, Any]
    source: SourceMap
    #: the deck the build writes (-o, or the outline's `output:` filled in), or None when only
    #: the build can tell (the name holds a looked-up variable)
    output: Optional[Path] = None

    @property
    def key(self) -> str:
        digest = hashlib.sha256(self.head.encode())
        for path, sha in self.outlines + self.others:
            digest.update(f"\0{path}\0{sha}".encode())
        return digest.hexdigest()

    def rest(self) -> str:
        """The digest of everything a slide's drawing may depend on besides its own entry."""
        from deckgen.cache.memo import stable

        rest = {key: value for key, value in self.tree.items() if key != "slides"}
        hashed = hashlib.sha256(self.head.encode())
        for file, sha in self.others:
            hashed.update(f"\0{file}\0{sha}".encode())
        hashed.update(stable(rest).encode())
        return hashed.hexdigest()


def fingerprint(inputs: Manifest, output: Optional[Path], overrides: Mapping[str, str],
                options: Options) -> Optional[Fingerprint]:
    """The digests of everything that decides the built deck, or None to build in full."""
    if not inputs.hashed or not inputs.complete:
        return None
    outlines = [(f.path, f.sha256) for f in inputs.outlines()]
    # resolved: a file is the same input whichever way the outline reaches it
    others = [(f.path.resolve(), f.sha256) for f in inputs.files()]
    if any(sha is None for _, sha in outlines + others):  # missing, or not a regular file
        return None  # the build says which
    head = {"versions": _versions(), "overrides": sorted(overrides.items()),
            "output": str(output.resolve()) if output else "", "options": list(options.key()),
            "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""), "code": _code_stamp()}
    return Fingerprint(json.dumps(head, sort_keys=True, default=str),
                       [(p, s) for p, s in outlines if s is not None],
                       [(p, s) for p, s in others if s is not None],
                       inputs.tree, inputs.source, inputs.output(output))


def _versions() -> list[Any]:
    """deckgen's version and a stamp of each library it uses: where its package lives and when
    it was installed (importlib.metadata would tell the version, but costs more than a build
    step; a reinstalled or upgraded library rewrites its files, which changes the stamp)."""
    out: list[Any] = [__version__]
    for name in ("pptx", "matplotlib", "pandas", "pydantic", "yaml", "PIL", "numpy", "shapely"):
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
