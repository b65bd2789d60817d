"""One build's inputs, worked out once: every file the build reads, with its digest.

    deck.yaml --load_tree--> the paths it names --variables filled--> patterns expanded,
    folders listed --> each file listed (and hashed, for the cache) before any reader opens it

dbt reads every file of a project once into one table, each with its checksum
(parser/read_files.py), and every later step reads that table. A build does the same:
`read_manifest` parses the outline (and what it extends) once, walks the paths it names once
(`named_paths`), fills in their variables, expands each `files:` pattern once (patterns.py,
bounded), lists a folder of files (a map's boundaries) as its files, and reads the brand file
once. The data store reads a source's files from here, the cache keys the build on these
digests, the output check refuses to write over any of them, watch watches them and clean finds
the output's folder here: one rule for all of them, so they cannot disagree about what a build
reads.

Variables. A path is filled in with the values that need no data (defaults, --set, the windows'
parts) when the manifest is read. A path that names a looked-up variable (`lookup:`, read from a
data file) is *pending* until the data stage has resolved it: the pipeline then completes the
manifest (`complete`), listing and hashing the files it names before anything reads them. The
orchestrator (app.py) asks the cache whether the deck is up to date once the manifest is
complete: at once for most outlines, after the data stage for one whose input path names a
looked-up value. Either way a deck with `{district}` in an input path is reused and redrawn like
any other. The path rule holds for filled paths too: a value may not lead a path out of the
outline's folder, and such a path is never listed, read or hashed (the build says why).

Digests. The outline files and the brand file are hashed as they are parsed (the very bytes
read, yamlsrc.py); every other file as it is listed, before any reader opens it. So a file saved
while a deck is built is never vouched for: the memo holds the digest from before. Files are
hashed only when the cache asks (`hashed`); without it a build only lists them.
"""

from __future__ import annotations

import glob
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Optional, Union

from deckgen.errors import DeckError, Problem, did_you_mean, excerpt
from deckgen.inputs import file_digest
from deckgen.source.inherit import load_tree
from deckgen.source.paths import (
    DEFAULT_BRAND,
    FileKeys,
    NamedPath,
    inside,
    named_paths,
    outside_message,
)
from deckgen.source.patterns import PatternTooWide, expand
from deckgen.source.yamlsrc import PathKey, SourceMap, load_file

if TYPE_CHECKING:  # pydantic, imported only when a path names a variable
    from deckgen.source.periods import Window
    from deckgen.source.variables import Plain


@dataclass(frozen=True)
class InputFile:
    """A file the build reads: where it is opened, what it is (for messages), how the outline
    writes it, its size and modification time when it was listed (None: not a regular file, or
    none there) and its sha256 (when hashed and it could be read)."""

    path: Path
    what: str
    shown: str = ""
    stat: Optional[tuple[int, int]] = None
    sha256: Optional[str] = None


@dataclass
class Named:
    """A path the outline names (`named_paths`), filled in, and the files it stands for.

    `reads` is what a reader opens (the path itself, or a pattern's matches); `files` what the
    cache, watch and the output check follow (the same, but a folder stands for its files)."""

    declared: NamedPath
    text: str = ""  # filled in as far as the values known allow
    settled: bool = False  # filled in completely (False: pending, or not a path at all)
    outside: Optional[Problem] = None  # a filled value leads the path out of the folder
    problem: str = ""  # why a pattern names no file to read (too wide, no match, outside)
    reads: tuple[InputFile, ...] = ()
    files: tuple[InputFile, ...] = ()

    @property
    def at(self) -> PathKey:
        return self.declared.at

    @property
    def target(self) -> Optional[Path]:
        """The path as the build opens it (a pattern's matches are in `reads`)."""
        return self.reads[0].path if self.reads and self.declared.at[-1] != "files" else None


@dataclass(frozen=True)
class BrandFile:
    """The brand file an outline names (or assets/brand.yaml), read once: its data and where
    each value is written, or the problems reading it found (reported where the brand is
    used, as a build always reported them)."""

    path: Path
    shown: str
    data: Any = None
    source: Optional[SourceMap] = None
    problems: tuple[Problem, ...] = ()
    files: tuple[InputFile, ...] = ()  # the brand file, and the logo and template it names


@dataclass(frozen=True)
class Early:
    """The values known before any data is read: the variables declared with their defaults and
    --set values (`plain`), the windows counted from them, and both together (`known`), which
    every path and data source is filled with."""

    plain: "Plain"
    windows: dict[str, "Window"]
    known: dict[str, Any]


@dataclass
class Manifest:
    """Every input of one build of an outline: see the module's docstring."""

    deck: Path  # the outline, as given (its folder is where relative paths start)
    tree: dict[str, Any]  # the outline as read, what it extends merged in
    source: SourceMap
    overrides: Mapping[str, str]
    allow_outside: bool
    hashed: bool = False
    named: list[Named] = field(default_factory=list)
    brand: Optional[BrandFile] = None
    _early: Union[Early, list[Problem], None] = None
    _brand_done: bool = False  # the brand file read, or known to be none (not pending)

    @property
    def base(self) -> Path:
        return self.deck.parent

    # --- the values paths are filled with ---------------------------------------------------

    def early(self) -> Early:
        """The values known before any data is read, computed once; raises the DeckError of
        the variables or windows declared (the pipeline reports it where a build always did)."""
        if self._early is None:
            from deckgen.source.variables import plain_values

            try:
                plain = plain_values(self.tree.get("variables"), self.overrides, self.source)
                months = [name for name, spec in plain[0].items() if spec.type == "month"]
                periods = self._windows(plain[1], months)
            except DeckError as exc:
                self._early = list(exc.problems)
            else:
                parts = {k: v for w in periods.values() for k, v in w.values().items()}
                self._early = Early(plain, periods, {**plain[1], **parts})
        if isinstance(self._early, list):
            raise DeckError(self._early)
        return self._early

    def _windows(self, values: Mapping[str, Any], months: list[str]) -> dict[str, "Window"]:
        """The outline's windows counted from the month variables (the schema, and its
        models, imported only when there are windows: an up-to-date check stays light)."""
        raw = self.tree.get("windows")
        if raw is None:
            return {}
        from deckgen.source.schema import windows

        return windows(raw, self.source, values, months)

    def _known(self) -> Optional[dict[str, Any]]:
        try:
            return self.early().known
        except DeckError:
            return None

    # --- what the build reads ---------------------------------------------------------------

    @property
    def complete(self) -> bool:
        """Whether every file the build reads is known (no path waits for a looked-up value)."""
        return all(n.settled for n in self.named if n.declared.read)

    def complete_with(self, values: Mapping[str, Any]) -> None:
        """Fill in the pending paths with every variable's value (after the data stage has
        looked some up), then list, read and hash what they name."""
        for named in self.named:
            if not named.settled:
                _fill(named, values, self)
                if named.settled:
                    self._list(named)
        if not self._brand_done:
            self._read_brand()

    def outside(self, data_only: bool) -> list[Problem]:
        """The path rule for paths that name a variable: a value (from --set, or a cell of
        data) that leads a path out of the outline's folder, for the data sources' paths or
        for the others."""
        return [n.outside for n in self.named
                if n.outside is not None and (n.at[0] == "data") == data_only]

    def data(self, name: str, file: Optional[str], files: Optional[str]
             ) -> tuple[list[tuple[Path, str]], str]:
        """What data source `name` reads: (path, as shown) of its file or of each file its
        pattern matches, and why there is none ('' when there are some). `file`/`files` are
        the source's as validated; the manifest's own listing when it is of the same text."""
        key = "file" if file is not None else "files"
        value = file if file is not None else files
        for named in self.named:
            if named.at == ("data", name, key) and named.settled and named.text == value:
                return [(f.path, f.shown) for f in named.reads], named.problem
        return data_files(self.base, file, files, self.allow_outside)

    def outlines(self) -> list[InputFile]:
        """The outline, then what it extends, each with the digest of the bytes parsed."""
        return [InputFile(path, "the outline" if i == 0 else "an outline it extends",
                          str(path), None, sha)
                for i, (path, sha) in enumerate(zip(self.source.files, self.source.digests))]

    def files(self) -> list[InputFile]:
        """Every other file the build reads, in the order the outline names them: data files,
        the inline brand's logo, template, each slide's files; then the brand file, its logo
        and its template."""
        out = [f for n in self.named if n.declared.read for f in n.files]
        return out + list(self.brand.files if self.brand is not None else ())

    def input_files(self) -> list[tuple[Path, str]]:
        """Every file the build reads, with what it is: what the output check refuses to
        write over."""
        return [(f.path, f.what) for f in self.outlines() + self.files()]

    def watched(self) -> list[Path]:
        """What `watch` watches: every file the build reads (resolved), and each data pattern
        too, so that a file it comes to match is noticed."""
        patterns = [(self.base / n.text) for n in self.named
                    if n.at[-1] == "files" and n.at[0] == "data" and n.settled]
        paths = [f.path for f in self.outlines() + self.files()] + patterns
        return list(dict.fromkeys(p.resolve() for p in paths))

    def output(self, where: Optional[Path] = None) -> Optional[Path]:
        """The deck a build writes: `where` (-o), else the outline's `output:` with the
        variables filled in (slugged) or output/<title>.pptx; None when only the build can tell
        (the name holds a looked-up value, or is not the outline's to choose)."""
        if where is not None:
            return where
        from deckgen.source.variables import fill, slug

        folder = self.deck.absolute().parent
        value = self.tree.get("output")
        if value is None or value == "":
            title = self.tree.get("title")
            if not isinstance(title, str) or "{" in title or "}" in title:
                return None
            return folder / "output" / f"{slug(title)}.pptx"
        if not isinstance(value, str):
            return None
        if "{" in value or "}" in value:
            known = self._known()
            if known is None:
                return None
            filled = fill(value, {k: slug(str(v)) for k, v in known.items()})
            if filled.errors:
                return None
            value = filled.text
        if not self.allow_outside and not inside(folder, value):
            return None
        return folder / value

    # --- listing ------------------------------------------------------------------------------

    def _list(self, named: Named) -> None:
        """The files a filled path names, listed (and hashed) once."""
        decl, text = named.declared, named.text
        if not decl.read or named.outside is not None or not text or decl.at == ("brand",):
            return  # the brand file is listed as it is read (`_read_brand`)
        what = _what(decl)
        if decl.at[0] == "data" and decl.at[-1] == "files":
            found, named.problem = data_files(self.base, None, text, self.allow_outside)
            named.reads = tuple(self._file(path, what, shown) for path, shown in found)
            named.files = named.reads
            return
        path = self.base / text
        named.reads = (self._file(path, what, text),)
        named.files = tuple(self._file(p, what, str(p)) for p in _folder(path)) \
            if path.is_dir() else named.reads

    def _file(self, path: Path, what: str, shown: str, sha256: Optional[str] = None
              ) -> InputFile:
        try:
            st = os.stat(path)
        except OSError:
            return InputFile(path, what, shown)
        if not stat.S_ISREG(st.st_mode):
            return InputFile(path, what, shown)
        if self.hashed and sha256 is None:
            try:
                sha256 = file_digest(path)
            except OSError:
                sha256 = None
        return InputFile(path, what, shown, (st.st_size, st.st_mtime_ns), sha256)

    def _read_brand(self) -> None:
        """Read the brand file the outline names (or assets/brand.yaml, when there is one):
        once, for the brand, its minus sign, the files it names and their digests."""
        raw = self.tree.get("brand")
        named = next((n for n in self.named if n.at == ("brand",)), None)
        if named is not None and not named.settled:
            return  # pending: read once the data stage has filled its path in
        self._brand_done = True
        if (raw is not None and not isinstance(raw, str)) or \
                (named is not None and named.outside is not None):
            return  # inline (its logo is one of the outline's paths), or refused: never read
        spec = named.text if named is not None else ""
        path = self.base / (spec or DEFAULT_BRAND)
        if not spec and not path.exists():
            return  # no brand file: deckgen's own brand
        shown = spec or str(DEFAULT_BRAND)
        try:
            data, source = load_file(path, shown_as=shown)
        except DeckError as exc:
            listed = (self._file(path.resolve(), "the brand file", shown),) \
                if path.exists() else ()
            self.brand = BrandFile(path, shown, problems=tuple(exc.problems), files=listed)
            return
        files = [self._file(path.resolve(), "the brand file", shown, source.digests[0])]
        if isinstance(data, dict):
            for key in ("logo", "template"):
                if isinstance(data.get(key), str):
                    files.append(self._file((path.parent / data[key]).resolve(),
                                            f"the brand's {key}", data[key]))
        self.brand = BrandFile(path, shown, data, source, files=tuple(files))


def read_manifest(deck: Path, overrides: Mapping[str, str], allow_outside: bool,
                  file_keys: FileKeys, hashed: bool = False) -> Manifest:
    """The outline read (what it extends merged in, the path rule checked as written) and every
    file it names listed, and hashed with `hashed`. Raises the load stage's DeckError; every
    later problem (a variable, a pattern) is kept for the stage that reports it."""
    manifest = declared(deck, overrides, allow_outside, file_keys)
    manifest.hashed = hashed
    for named in manifest.named:
        if named.settled:
            manifest._list(named)
    manifest._read_brand()
    return manifest


def declared(deck: Path, overrides: Mapping[str, str], allow_outside: bool,
             file_keys: FileKeys) -> Manifest:
    """The outline read and the paths it reads filled in, with nothing else read or listed
    yet (the output's path is filled in when it is asked for: `output`, `complete_with`)."""
    from deckgen.errors import shown_path

    tree, source = load_tree(deck, shown_path(deck), file_keys, allow_outside)
    manifest = Manifest(deck, tree, source, overrides, allow_outside)
    for decl in named_paths(tree, file_keys):
        named = Named(decl)
        manifest.named.append(named)
        if isinstance(decl.value, str) and "{" not in decl.value and "}" not in decl.value:
            named.text, named.settled = decl.value, True
        elif isinstance(decl.value, str) and decl.read:  # the output's: once it is needed
            known = manifest._known()
            if known is not None:
                _fill(named, known, manifest)
    return manifest


def _fill(named: Named, values: Mapping[str, Any], manifest: Manifest) -> None:
    """Fill in a path's variables: settled when every one is known; with the path rule for
    the value it gives (the rule for the path as written was checked when it was read)."""
    from deckgen.source.variables import fill

    decl = named.declared
    if not isinstance(decl.value, str):
        return
    filled = fill(decl.value, values)
    named.text, named.settled, named.outside = filled.text, not filled.errors, None
    if manifest.allow_outside:
        return
    roots = [p.parent.resolve() for p in manifest.source.files] or [manifest.base.resolve()]
    target = (manifest.base / filled.text).resolve()
    if not any(target == root or root in target.parents for root in roots):
        named.outside = Problem(
            f"'{decl.value}' gives {excerpt(filled.text, 60)}, which is outside the outline's "
            "folder: a variable's value may not lead a path out of it (build with "
            "--allow-outside-paths if you trust this outline)", manifest.source.at(decl.at),
            decl.context)


def data_files(base: Path, file: Optional[str], files: Optional[str], allow_outside: bool
               ) -> tuple[list[tuple[Path, str]], str]:
    """What a data source reads, by the one rule: its `file:` (whatever is there: the reader
    says what is wrong with it), or every file its `files:` pattern matches in the outline's
    folder (bounded); and why there is none: the pattern looks through too much, matches no
    file, or matches one outside the folder."""
    if file is not None:
        return [(base / file, file)], ""
    assert files is not None
    try:
        found = expand(base, files)
    except PatternTooWide as exc:
        return [], exc.message
    matched = [f for f in found if (base / f).is_file()]
    if not matched:
        return [], (f"no file matches '{excerpt(files, 200)}' in the outline's folder "
                    f"({base.resolve()}){_missing_folder(base, files)}")
    if not allow_outside:
        for f in matched:
            if not inside(base, f):
                return [], outside_message(f, "outline")
    return [(base / f, f) for f in matched], ""


def _missing_folder(base: Path, pattern: str) -> str:
    """Where a pattern's fixed folders stop existing, with the nearest folder that does."""
    here = base
    for part in Path(pattern).parts[:-1]:
        if glob.has_magic(part):
            return ""
        if not (here / part).is_dir():
            try:
                near = [p.name for p in here.iterdir() if p.is_dir()]
            except OSError:
                near = []
            shown = (here / part).relative_to(base).as_posix()
            return f"; there is no folder '{excerpt(shown, 100)}'{did_you_mean(part, near)}"
        here = here / part
    return ""


def _folder(path: Path) -> list[Path]:
    """A folder of files (a map's boundaries) stands for the files in it."""
    try:
        return sorted(p for p in path.iterdir() if p.is_file())
    except OSError:
        return []


def _what(decl: NamedPath) -> str:
    """What a named file is, for the output check's message."""
    at = decl.at
    if at[0] == "data":
        return f"the data file of '{at[1]}'"
    if at[0] == "brand":
        return "the brand file" if at == ("brand",) else "the brand's logo"
    if at[0] == "template":
        return "the template"
    return f"a picture of {decl.context or 'a slide'}"
