"""Load YAML safely into plain Python data plus a map from each value's path to its line and column.

Why not `yaml.safe_load`: it forgets where things came from, and every later error must point at
the user's text. We compose the node graph (safe: nothing is constructed from tags), refuse any tag
that is not plain YAML, bound alias expansion, and record a SourceMap as we convert.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

import yaml

from deckgen.errors import DeckError, Location, excerpt
from deckgen.inputs import NotAFile, TooLarge, read_input

PathKey = tuple[Union[str, int], ...]

#: Every value an outline can hold; aliases expanding past this many fail fast (billion laughs).
MAX_NODES = 100_000
#: How deep mappings and lists may nest (Python's own recursion limit is far above real outlines).
MAX_DEPTH = 100
#: An outline or brand file larger than this is refused before it is read (a real one is a few KB).
MAX_YAML_BYTES = 5_000_000


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _Loader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no types
    """PyYAML's safe loader, composing nodes only, with a bound on nesting depth."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

#: How people write numbers: 12, -3, 4.5, 1e6. Other numerals YAML knows are kept as text.
#: (A leading zero is not one: YAML 1.1 reads 012 as octal 10.)
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_PLAIN_NUMBER = re.compile(r"^[-+]?((0|[1-9]\d*)(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class SourceMap:
    """Where each value (by its path from the document root) and each mapping key was written.

    Locations carry their file, so an outline merged from several files (`extends:`) still
    points every problem at the file the user must edit.
    """

    file: str
    values: dict[PathKey, Location] = field(default_factory=dict)
    keys: dict[PathKey, Location] = field(default_factory=dict)
    #: For text written on one line with nothing escaped: how far its first character is from
    #: the value's location (0 plain, 1 quoted), so a message can point inside the text.
    inline: dict[PathKey, int] = field(default_factory=dict)
    #: The outline files merged into this one (itself first, then what it extends), absolute.
    files: list[Path] = field(default_factory=list)
    #: ... and the sha256 of each one's bytes as parsed: the build's manifest of its inputs
    #: (source/manifest.py) vouches for the very text that was read, never a later save.
    digests: list[str] = field(default_factory=list)
    #: For other text (quoted with escapes, or a block): its style and where it is in its
    #: file's text, so a character inside it can still be located (see at_char).
    spans: dict[PathKey, tuple[str, int, int, int]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    def at(self, path: PathKey, key: bool = False) -> Location:
        """Where the value at `path` (or its key) was written, else its nearest parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if key:
                table = self.values  # parent values are the next best place
            probe = probe[:-1]
        return self.values.get((), Location(self.file, 1, 1))

    def at_char(self, path: PathKey, pos: int) -> Location:
        """Where character `pos` (0-based) of the text at `path` was written: exact for text on
        one line, else the text's own location."""
        where = self.at(path)
        if path not in self.values:
            return where
        offset = self.inline.get(tuple(path))
        if offset is not None:
            return Location(where.file, where.line, where.column + offset + pos)
        span = self.spans.get(tuple(path))
        text = self.texts.get(where.file)
        if span is None or text is None:
            return where
        found = _locate(text, *span, pos)
        return Location(where.file, *found) if found else where

    def moved(self, old: PathKey, new: PathKey) -> "SourceMap":
        """The entries under `old`, re-keyed under `new` (for merging outlines)."""
        out = SourceMap(self.file)
        n = len(old)
        for table, target in ((self.values, out.values), (self.keys, out.keys)):
            for path, loc in table.items():
                if path[:n] == old:
                    target[new + path[n:]] = loc
        for path, offset in self.inline.items():
            if path[:n] == old:
                out.inline[new + path[n:]] = offset
        for path, span in self.spans.items():
            if path[:n] == old:
                out.spans[new + path[n:]] = span
        out.texts.update(self.texts)
        return out

    def update(self, other: "SourceMap") -> None:
        self.values.update(other.values)
        self.keys.update(other.keys)
        self.inline.update(other.inline)
        self.spans.update(other.spans)
        self.texts.update(other.texts)

    def drop(self, prefix: PathKey) -> None:
        """Forget the entries under `prefix` (a merged value replaced them)."""
        n = len(prefix)
        tables: tuple[dict[PathKey, Any], ...] = (self.values, self.keys, self.inline,
                                                  self.spans)
        for table in tables:
            for path in [p for p in table if p[:n] == prefix]:
                del table[path]


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Converter:
    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def _loc(self, node: yaml.Node) -> Location:
        line, col = _mark(node)
        return Location(self.source.file, line, col)

    def convert(self, node: yaml.Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise DeckError.single(
                f"the outline expands to more than {MAX_NODES:,} values (too many YAML aliases?); "
                "write it out plainly or split it",
                self.source.at(path),
            )
        if node.tag not in _PLAIN_TAGS:
            line, col = _mark(node)
            raise DeckError.single(
                f"YAML tag '{node.tag}' is not allowed; deckgen reads plain YAML only "
                "(remove the '!' tag)",
                Location(self.source.file, line, col),
            )
        self.source.values.setdefault(path, self._loc(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        value = self._scalar(node, path)
        if isinstance(value, str):
            quote = 1 if node.style in ("'", '"') else 0 if not node.style else None
            if quote is not None and node.start_mark.line == node.end_mark.line and \
                    node.end_mark.column - node.start_mark.column == len(value) + 2 * quote:
                self.source.inline[path] = quote
            elif node.style and getattr(node.start_mark, "index", None) is not None:
                self.source.spans[path] = (node.style, node.start_mark.index,
                                           node.end_mark.index, node.start_mark.line)
        return value

    def _scalar(self, node: yaml.Node, path: PathKey) -> Any:
        """A scalar as plain data. A date YAML cannot construct (2016-13-45) is an error at its
        place; a number written the way only YAML reads it (0x10, 1_000, 1:30, 0o17, .inf) is
        kept as the text written, so nothing shows a figure other than the one typed; so is a
        number with more digits than any figure (a computer could not hold it exactly)."""
        if node.tag in (_INT, _FLOAT) and (not _PLAIN_NUMBER.match(str(node.value))
                                           or sum(c.isdigit() for c in node.value) > 30):
            return str(node.value)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:
            line, col = _mark(node)
            raise DeckError.single(
                f"'{excerpt(node.value)}' is not a valid date or time ({excerpt(exc, 60)}); "
                "write a date as YYYY-MM-DD, e.g. 2016-07-07, or put quotes around text",
                Location(self.source.file, line, col)) from None
        if isinstance(value, dt.datetime):
            return value.isoformat()
        return value

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, (key_node, value_node) in self._pairs(node).items():
            self.source.keys[path + (key,)] = self._loc(key_node)
            result[key] = self.convert(value_node, path + (key,))
        return result

    def _pairs(self, node: yaml.MappingNode, depth: int = 0
               ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """The mapping's pairs by key with '<<' merge keys resolved as YAML says: the mapping's
        own keys win over merged ones, and of the mappings in '<<: [*a, *b]' the earlier wins.
        A key written twice in the mapping itself is an error."""
        if depth > MAX_DEPTH:
            raise _TooDeep(node.start_mark)
        own: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        merged: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) \
                    else [value_node]
                for source in reversed(sources):  # the earlier mapping wins: apply it last
                    if not isinstance(source, yaml.MappingNode):
                        line, col = _mark(source)
                        raise DeckError.single(
                            "'<<' merges a mapping (or a list of mappings) into this one",
                            Location(self.source.file, line, col))
                    merged.update(self._pairs(source, depth + 1))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = _mark(key_node)
                raise DeckError.single(
                    "a key must be plain text", Location(self.source.file, line, col)
                )
            # a key is the text written: YAML 1.1 would make `on:` and `no:` true and false
            key = str(key_node.value)
            if key in own:
                line, col = _mark(key_node)
                raise DeckError.single(
                    f"key '{key}' appears twice in the same mapping; keep one",
                    Location(self.source.file, line, col),
                )
            own[key] = (key_node, value_node)
        if not merged:
            return own
        return {**{k: v for k, v in merged.items() if k not in own}, **own}


def _locate(text: str, style: str, start: int, end: int, first_line: int,
            pos: int) -> Optional[tuple[int, int]]:
    """The line and column (1-based) of character `pos` of a quoted or block scalar's value,
    by reading the scalar as YAML does: escapes and doubled quotes, a block's indentation and
    its joined lines. None when it cannot be told (a quoted text over several lines)."""
    raw = text[start:end]
    line_starts = [0] + [i + 1 for i, ch in enumerate(raw) if ch == "\n"]

    def at(offset: int) -> tuple[int, int]:
        k = max(i for i, s in enumerate(line_starts) if s <= offset)
        column = offset - line_starts[k] + 1
        if k == 0:
            column += len(text[:start]) - (text.rfind("\n", 0, start) + 1)
        return first_line + k + 1, column

    places: list[int] = []  # for each character of the value, its offset in raw
    if style in ("'", '"'):
        if "\n" in raw:
            return None
        i = 1
        while i < len(raw) - 1:
            places.append(i)
            if style == "'" and raw[i] == "'":
                i += 2
            elif style == '"' and raw[i] == "\\":
                kind = raw[i + 1:i + 2]
                i += {"x": 4, "u": 6, "U": 10}.get(kind, 2)
            else:
                i += 1
    elif style in ("|", ">"):
        lines = raw.split("\n")[1:]
        indent = min((len(ln) - len(ln.lstrip(" ")) for ln in lines if ln.strip()), default=0)
        for k, content in enumerate(lines, start=1):
            if not content.strip():
                continue
            base = line_starts[k] + indent
            places += [base + j for j in range(len(content) - indent)]
            places.append(base + len(content) - indent)  # the line's end: a newline or space
    else:
        return None
    return at(places[pos]) if 0 <= pos < len(places) else None


def loads(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain data and its SourceMap; any problem is a DeckError."""
    source = SourceMap(file)
    source.texts[file] = text
    try:
        node = _compose(text)
    except _TooDeep as exc:
        raise DeckError.single(
            f"the outline is nested more than {MAX_DEPTH} levels deep; write it out plainly",
            Location(file, exc.mark.line + 1, exc.mark.column + 1)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if "\t" in problem or "found character '\\t'" in problem:
            problem = "a tab character cannot indent YAML; use spaces"
        hint = _hint(problem)
        if exc.context and "quoted scalar" in exc.context and exc.context_mark is not None:
            mark, hint = exc.context_mark, " (a quote opened here is not closed)"
        loc = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        raise DeckError.single(f"YAML syntax error: {problem}{hint}", loc) from None
    except yaml.YAMLError as exc:
        raise DeckError.single(f"YAML error: {exc}", Location(file)) from None
    if node is None:
        raise DeckError.single("the file is empty; an outline needs at least 'slides:'",
                               Location(file, 1, 1))
    data = _Converter(source).convert(node, ())
    return data, source


def _compose(text: str) -> Optional[yaml.Node]:
    """The YAML node graph: with libyaml when PyYAML has it (about ten times faster), else, or
    when the text has a syntax error, with the pure-Python loader, whose messages we explain."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            node = yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass  # report it with the Python loader's messages (see loads)
        else:
            _check_depth(node)
            return node
    return yaml.compose(text, Loader=_Loader)


def _check_depth(root: Optional[yaml.Node]) -> None:
    """Raise _TooDeep at the first node nested deeper than MAX_DEPTH (each shared node once)."""
    seen: set[int] = set()
    stack = [(root, 1)] if root is not None else []
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _TooDeep(node.start_mark)
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.append((value, depth + 1))
                stack.append((key, depth + 1))


def _hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return " (check the indentation, or quote text that contains ': ')"
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return " (check the indentation of this line against the one above)"
    if "found unexpected end of stream" in problem or "while scanning a quoted" in problem:
        return " (a quote is not closed)"
    return ""


def load_file(path: Path, shown_as: str | None = None) -> tuple[Any, SourceMap]:
    """Read a YAML file (UTF-8) and parse it; file problems are DeckErrors too."""
    name = shown_as or str(path)
    try:
        raw = read_input(path, MAX_YAML_BYTES)
    except FileNotFoundError:
        raise DeckError.single("file not found", Location(name)) from None
    except IsADirectoryError:
        raise DeckError.single("is a folder, not a YAML file", Location(name)) from None
    except (NotAFile, TooLarge) as exc:
        raise DeckError.single(f"the file {exc.strerror}; an outline or brand file is a "
                               "YAML text file", Location(name)) from None
    except OSError as exc:
        raise DeckError.single(f"cannot read the file: {exc.strerror}", Location(name)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DeckError.single(
            "the file is not UTF-8 text; save it as UTF-8", Location(name, line, 1)
        ) from None
    data, source = loads(text, name)
    source.files = [path.absolute()]
    source.digests = [hashlib.sha256(raw).hexdigest()]
    return data, source
