"""What decides a built deck, as digests: taken once per build, before anything is read.

Like make: the outline and what it extends, every file they name (data, brand file, logo,
template and each kind's declared file keys, see kinds.REGISTRY), the options, the overrides,
the versions of deckgen's code and libraries and SOURCE_DATE_EPOCH. The outline is read with
the load stage's own reader (merge keys, `extends:` and rebasing exactly as a build reads
them), which imports nothing heavy, so an up-to-date rebuild costs little more than starting
Python.

Anything this cannot list (a `{variable}` in a path, an outline it cannot read) gives no
fingerprint, and the full build runs, with its full checking and messages.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from deckgen import __version__, kinds
from deckgen.errors import DeckError, shown_path
from deckgen.inputs import file_digest
from deckgen.options import Options
from deckgen.source.inherit import load_tree
from deckgen.source.paths import brand_files, inside, named_paths
from deckgen.source.patterns import PatternTooWide, expand
from deckgen.source.yamlsrc import SourceMap


@dataclass(frozen=True)
class Fingerprint:
    """Digests of what decides a built deck: `head` (versions, deckgen's code, options, overrides,
    output, SOURCE_DATE_EPOCH), the outline files and every other file they name; and the
    outline as read (merged), for the redraw's comparison of slide entries."""

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


def fingerprint(deck: Path, output: Optional[Path], overrides: Mapping[str, str],
                options: Options) -> Optional[Fingerprint]:
    """The digests of everything that decides the built deck, or None to build in full."""
    try:
        # absolute, not resolved: an outline that is a link reads the files beside the link
        found = _inputs(deck.absolute(), shown_path(deck), options.allow_outside_paths)
    except DeckError:
        return None  # the full build reports it
    if found is None:
        return None
    outlines, others, tree, source = found
    head = {"versions": _versions(), "overrides": sorted(overrides.items()),
            "output": str(output.resolve()) if output else "", "options": list(options.key()),
            "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""), "code": _code_stamp()}
    digests: list[list[tuple[Path, str]]] = []
    for files in (outlines, others):
        digests.append([])
        for path in files:
            if not path.is_file():  # missing, or a named pipe that must not be opened
                return None  # the build says which
            try:
                digests[-1].append((path, file_digest(path)))
            except OSError:
                return None
    target = output if output is not None else \
        _outline_output(tree, source, deck.absolute(), overrides, options.allow_outside_paths)
    return Fingerprint(json.dumps(head, sort_keys=True, default=str), digests[0], digests[1],
                       tree, source, target)


def _outline_output(tree: dict[str, Any], source: SourceMap, deck: Path,
                    overrides: Mapping[str, str], allow_outside: bool) -> Optional[Path]:
    """The deck a build of the outline writes when -o is not given, as the build names it: its
    `output:` with the variables filled in (slugged), else output/<title>.pptx. Only variables
    that need no data (defaults, --set) are known here: None when the name needs more."""
    from deckgen.source.variables import fill_tree, plain_values, slug  # pydantic: only here

    value = tree.get("output")
    if value is None or value == "":
        title = tree.get("title")
        if not isinstance(title, str) or "{" in title or "}" in title:
            return None
        return deck.parent / "output" / f"{slug(title)}.pptx"
    if not isinstance(value, str):
        return None
    if "{" in value or "}" in value:
        try:
            specs, plain = plain_values(tree.get("variables"), overrides, source)
        except DeckError:
            return None
        windows = tree.get("windows")
        shadowed = set(windows) if isinstance(windows, dict) else set()  # a window's label
        known = {name: slug(str(v)) for name, v in plain.items()
                 if name not in shadowed and not (specs[name].lookup and name not in overrides)}
        filled, problems = fill_tree(value, known, source, ("output",))
        if problems or not isinstance(filled, str):
            return None
        value = filled
    if not allow_outside and not inside(deck.parent, value):
        return None
    return deck.parent / value


def _inputs(deck: Path, shown: str, allow_outside: bool
            ) -> Optional[tuple[list[Path], list[Path], dict[str, Any], SourceMap]]:
    """The outline files (the outline, then what it extends), every other file they read, and
    the merged outline; None when the files cannot be told without building."""
    tree, source = load_tree(deck, shown, kinds.file_keys, allow_outside)
    folder = deck.parent
    files: list[Path] = []
    for named in named_paths(tree, kinds.file_keys):
        if not named.read or named.at == ("brand",) or named.value is None:
            continue
        if not isinstance(named.value, str) or "{" in named.value:
            return None
        if named.at[-1] == "files":  # a pattern: every file it matches, and which they are
            try:
                matches = expand(folder, named.value)
            except PatternTooWide:
                return None  # the build says so
            files += [(folder / m).resolve() for m in matches if (folder / m).is_file()]
            continue
        path = (folder / named.value).resolve()
        if path.is_dir():  # a folder of files (a map's boundaries): each of its files
            files += sorted(p for p in path.iterdir() if p.is_file())
            continue
        files.append(path)
    brand = tree.get("brand")
    if isinstance(brand, str) and ("{" in brand or "}" in brand):
        return None  # only the build can tell which brand file it names
    if brand is None or isinstance(brand, str):
        files += [path for path, _ in brand_files(folder, brand)]
    elif not isinstance(brand, dict):
        return None
    return list(source.files), files, tree, source


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
