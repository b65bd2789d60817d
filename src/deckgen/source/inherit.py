"""`extends:` — a small outline that reuses another and changes only what differs.

    extends: deck.yaml              # the outline to start from (its path, relative to this file)
    variables: {district: Basildon} # replace or add variables (likewise title:, output:, data: ...)
    remove: [force-crime-mix]       # drop slides by id
    replace:                        # swap a slide by id for another
      asb-chart: {kind: chart, ...}
    insert:                         # add slides before or after a slide, by id
      - after: asb-table
        slides: [{kind: bullets, ...}]
    append: [{kind: bullets, ...}]  # add slides at the end

Merging is done on the plain data, keeping every value's location in the file that wrote it,
so a problem in an inherited slide points at the parent outline.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from deckgen.errors import DeckError, Problem, did_you_mean, type_name
from deckgen.source.paths import FileKeys, inside, named_paths, outside_message
from deckgen.source.yamlsrc import PathKey, SourceMap, load_file

OPERATIONS = ("extends", "remove", "replace", "insert", "append")
MERGED = ("variables", "data")  # mappings merged name by name; other keys are replaced whole
MAX_DEPTH = 10


def load_tree(path: Path, shown: str, file_keys: FileKeys, allow_outside: bool = False,
              _chain: tuple[Path, ...] = ()) -> tuple[dict[str, Any], SourceMap]:
    """The outline at `path` with everything it extends merged in.

    Unless `allow_outside`, every path an outline names must stay inside that outline's folder
    (an outline handed over by someone else must not pull files from elsewhere on your disk
    into a deck you send on); `extends:` may also name an outline in a folder above.
    """
    data, source = load_file(path, shown_as=shown)
    if not isinstance(data, dict):
        raise DeckError.single(
            "the outline must be a mapping of keys (title:, slides:, ...), not a "
            f"{type_name(data)}; see docs/outline.md", source.at(()))
    if not allow_outside:
        check_paths(data, source, path.parent, file_keys)
    if "extends" not in data:
        stray = [k for k in OPERATIONS if k in data]
        if stray:
            raise DeckError.single(f"'{stray[0]}' works only together with 'extends:'",
                                   source.at((stray[0],), key=True))
        return data, source
    parent_ref = data["extends"]
    if not isinstance(parent_ref, str) or not parent_ref.strip():
        raise DeckError.single("'extends' must name an outline file, e.g. extends: deck.yaml",
                               source.at(("extends",)))
    parent = (path.parent / parent_ref).resolve()
    chain = _chain + (path.resolve(),)
    if parent in chain:
        raise DeckError.single(f"'extends: {parent_ref}' makes a loop: the outlines extend each "
                               "other", source.at(("extends",)))
    if len(chain) > MAX_DEPTH:
        raise DeckError.single(f"outlines extend each other more than {MAX_DEPTH} deep",
                               source.at(("extends",)))
    if not parent.exists():
        raise DeckError.single(f"'extends': no outline at {parent_ref} (looked in {path.parent})",
                               source.at(("extends",)))
    shown_parent = os.path.normpath(str(Path(shown).parent / parent_ref))
    if not allow_outside and parent.parent not in (path.parent.resolve(),
                                                   *path.parent.resolve().parents):
        raise DeckError.single(outside_message(parent_ref, "outline"),
                               source.at(("extends",)))
    base, base_source = load_tree(parent, shown_parent, file_keys, allow_outside, chain)
    _rebase_paths(base, parent.parent, path.parent.resolve(), file_keys)
    return merge(base, base_source, data, source)


def merge(base: dict[str, Any], base_source: SourceMap, child: dict[str, Any],
          child_source: SourceMap) -> tuple[dict[str, Any], SourceMap]:
    """The child's changes applied to the base outline, with a source map for the result."""
    out = {k: v for k, v in base.items() if k != "slides"}
    source = SourceMap(child_source.file, files=child_source.files + base_source.files,
                       digests=child_source.digests + base_source.digests)
    source.update(base_source.moved((), ()))
    for key, value in child.items():
        if key in OPERATIONS or key == "slides":
            continue
        if key in MERGED and isinstance(value, dict) and isinstance(out.get(key), dict):
            merged = dict(out[key])
            for name, item in value.items():
                merged[name] = item
                source.drop((key, name))
                source.update(child_source.moved((key, name), (key, name)))
            out[key] = merged
        else:
            out[key] = value
            source.drop((key,))
            source.update(child_source.moved((key,), (key,)))
    source.values[()] = child_source.at(())
    if "slides" in child:
        raise DeckError.single(
            "an outline with 'extends:' changes slides with remove:, replace:, insert: and "
            "append: (by slide id), not with 'slides:'", child_source.at(("slides",), key=True))
    slides = _slides(base, base_source, child, child_source)
    out["slides"] = [item for item, _, _ in slides]
    source.drop(("slides",))
    for i, (_, where, old) in enumerate(slides):
        source.update(where.moved(old, ("slides", i)))
    if ("slides",) in base_source.values:
        source.values[("slides",)] = base_source.values[("slides",)]
    return out, source


Entry = tuple[Any, SourceMap, PathKey]  # a slide, the map it came from, its path there


def _slides(base: dict[str, Any], base_source: SourceMap, child: dict[str, Any],
            child_source: SourceMap) -> list[Entry]:
    raw: list[Any] = base["slides"] if isinstance(base.get("slides"), list) else []
    entries: list[Entry] = [(s, base_source, ("slides", i)) for i, s in enumerate(raw)]
    problems: list[Problem] = []

    def ids() -> list[str]:
        return [str(s.get("id")) for s, _, _ in entries if isinstance(s, dict) and s.get("id")]

    def find(slide_id: Any, at: PathKey) -> int | None:
        for i, (s, _, _) in enumerate(entries):
            if isinstance(s, dict) and s.get("id") == slide_id:
                return i
        known = ", ".join(ids()) or "no slide has an id"
        problems.append(Problem(f"no slide has id '{slide_id}' (ids: {known})"
                                f"{did_you_mean(str(slide_id), ids())}", child_source.at(at)))
        return None

    for k, slide_id in enumerate(_list(child, "remove", child_source, problems)):
        i = find(slide_id, ("remove", k))
        if i is not None:
            entries.pop(i)
    replace = child.get("replace", {})
    if not isinstance(replace, dict):
        problems.append(Problem("'replace' must map slide ids to slides",
                                child_source.at(("replace",))))
        replace = {}
    for slide_id, slide in replace.items():
        i = find(slide_id, ("replace", slide_id))
        if i is not None:
            entries[i] = (slide, child_source, ("replace", slide_id))
    for k, item in enumerate(_list(child, "insert", child_source, problems)):
        at: PathKey = ("insert", k)
        if not isinstance(item, dict) or len({"after", "before"} & set(item)) != 1 \
                or not isinstance(item.get("slides"), list) or \
                set(item) - {"after", "before", "slides"}:
            problems.append(Problem("each 'insert' item is {after: ID, slides: [...]} or "
                                    "{before: ID, slides: [...]}", child_source.at(at)))
            continue
        anchor = "after" if "after" in item else "before"
        i = find(item[anchor], at + (anchor,))
        if i is None:
            continue
        new = [(s, child_source, at + ("slides", j)) for j, s in enumerate(item["slides"])]
        pos = i + 1 if anchor == "after" else i
        entries[pos:pos] = new
    for k, slide in enumerate(_list(child, "append", child_source, problems)):
        entries.append((slide, child_source, ("append", k)))
    if problems:
        raise DeckError(problems)
    return entries


def _list(child: dict[str, Any], key: str, source: SourceMap,
          problems: list[Problem]) -> list[Any]:
    value = child.get(key, [])
    if not isinstance(value, list):
        problems.append(Problem(f"'{key}' must be a list", source.at((key,))))
        return []
    return value


def check_paths(data: dict[str, Any], source: SourceMap, folder: Path,
                file_keys: FileKeys) -> None:
    """Refuse paths that leave the outline's folder (absolute, '..', or a link pointing out)."""
    problems = [Problem(outside_message(p.value, "outline"), source.at(p.at), p.context)
                for p in named_paths(data, file_keys)
                if isinstance(p.value, str) and p.value and not inside(folder, p.value)]
    if problems:
        raise DeckError(problems)


def _rebase_paths(data: dict[str, Any], parent_dir: Path, child_dir: Path,
                  file_keys: FileKeys) -> None:
    """Make the parent's relative paths (data files, brand, images, output) relative to the
    child's folder, so they still name the same files."""
    if parent_dir == child_dir:
        return

    def rebase(value: Any) -> Any:
        if not isinstance(value, str) or not value or os.path.isabs(value):
            return value
        return os.path.relpath(parent_dir / value, child_dir)

    for path in named_paths(data, file_keys):
        if isinstance(path.value, str):
            _set(data, path.at, rebase(path.value))


def _set(data: Any, at: PathKey, value: Any) -> None:
    """Put `value` at the path `at` of a plain-data tree (every step but the last exists)."""
    for step in at[:-1]:
        data = data[step]
    data[at[-1]] = value
