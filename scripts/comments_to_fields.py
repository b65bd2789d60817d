"""Move each pydantic field's comment into `Field(description=...)` (a one-off rewrite, kept
for branches that still comment their fields): the JSON Schema and `deckgen kinds` then read
the description from the model, so it is there when the source is not (a zipapp, a frozen
build). Run: python scripts/comments_to_fields.py FILE... ; then ruff check.

A field's comment is the one at the end of its line(s), else the comment lines just above
it; a comment that is not about the key (a `noqa`, `type: ignore`) is kept as it is.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from pathlib import Path

WIDTH = 100
KEEP = ("noqa", "type:", "pragma")


def _comments(text: str) -> dict[int, tuple[int, str]]:
    """line -> (column, comment text) of every comment."""
    return {tok.start[0]: (tok.start[1], tok.string)
            for tok in tokenize.generate_tokens(io.StringIO(text).readline)
            if tok.type == tokenize.COMMENT}


def _is_model(node: ast.ClassDef, models: set[str]) -> bool:
    for base in node.bases:
        name = base.id if isinstance(base, ast.Name) else \
            base.attr if isinstance(base, ast.Attribute) else \
            base.value.id if isinstance(base, ast.Subscript) and isinstance(base.value, ast.Name)\
            else ""
        if name in models:
            return True
    return False


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _pieces(text: str, first: int, rest: int) -> list[str]:
    """`text` cut at spaces into quoted pieces, the first at most `first` wide, the others
    `rest`."""
    words, out, line = text.split(" "), [], ""
    width = first
    for word in words:
        candidate = (line + " " + word) if line else word
        if line and len(_quoted(candidate + " ")) > width:
            out.append(line + " ")
            line, width = word, rest
        else:
            line = candidate
    out.append(line)
    return [_quoted(p) for p in out]


def rewrite(path: Path, models: set[str]) -> int:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    comments = _comments(text)
    tree = ast.parse(text)
    edits: list[tuple[int, int, list[str]]] = []  # (first line, last line, new lines), 1-based
    for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
        if not _is_model(cls, models):
            continue
        models.add(cls.name)
        for node in cls.body:
            if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
                continue
            start, end = node.lineno, node.end_lineno or node.lineno
            inline = [(n, comments[n]) for n in range(start, end + 1) if n in comments
                      and not lines[n - 1].lstrip().startswith("#")]
            above: list[int] = []
            n = start - 1
            while n in comments and lines[n - 1].lstrip().startswith("#"):
                above.insert(0, n)
                n -= 1
            if any(any(k in c[1] for k in KEEP) for _, c in inline):
                continue
            if inline:
                note = " ".join(c.lstrip("#").strip() for _, (_, c) in inline)
            elif above:
                note = " ".join(comments[k][1].lstrip("#").strip() for k in above)
            else:
                continue
            if any(k in note for k in KEEP) or not note:
                continue
            indent = lines[start - 1][:len(lines[start - 1]) - len(lines[start - 1].lstrip())]
            # the statement's code without its comments
            code_lines = []
            for k in range(start, end + 1):
                line = lines[k - 1].rstrip("\n")
                if k in comments and not line.lstrip().startswith("#"):
                    line = line[:comments[k][0]].rstrip()
                code_lines.append(line)
            code = "\n".join(code_lines)
            segment = ast.get_source_segment(text, node)
            if segment is None or node.annotation is None:
                continue
            annotation = ast.get_source_segment(text, node.annotation)
            head = f"{indent}{node.target.id}: {annotation}"
            value = node.value
            if value is None:
                args: list[str] = []
            elif isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                    and value.func.id == "Field":
                args = [ast.get_source_segment(text, a) or "" for a in value.args]
                args += [f"{k.arg}={ast.get_source_segment(text, k.value)}" if k.arg
                         else f"**{ast.get_source_segment(text, k.value)}"
                         for k in value.keywords]
                if any("description=" in a for a in args):
                    continue
            else:  # the default by name: type checkers read Field's `default=` only
                args = ["default=" + (ast.get_source_segment(text, value) or "")]
            args = [" ".join(a.split()) if "\n" not in a else a for a in args]
            one = f"{head} = Field({', '.join(args + ['description=' + _quoted(note)])})"
            if len(one) <= WIDTH and "\n" not in one:
                new = [one + "\n"]
            else:
                inner = indent + "    "
                new = [f"{head} = Field(\n"]
                if args and all("\n" not in a for a in args):
                    joined = ", ".join(args) + ","
                    if len(inner + joined) <= WIDTH:
                        new.append(inner + joined + "\n")
                    else:
                        new += [inner + a + ",\n" for a in args]
                else:
                    for a in args:
                        new.append(inner + a.replace("\n", "\n" + inner) + ",\n")
                width = WIDTH - len(inner) - len("description=") - 1
                pieces = _pieces(note, width, width)
                new.append(f"{inner}description={pieces[0]}" + ("\n" if len(pieces) > 1
                                                                 else ")\n"))
                for i, piece in enumerate(pieces[1:], 1):
                    new.append(f"{inner}{' ' * len('description=')}{piece}"
                               + (")\n" if i == len(pieces) - 1 else "\n"))
            del code, segment
            first = above[0] if (above and not inline) else start
            edits.append((first, end, new))
    for first, last, new in sorted(edits, reverse=True):
        lines[first - 1:last] = new
    if edits:
        out = "".join(lines)
        if "Field" not in {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                           and n.module == "pydantic" for a in n.names}:
            if "from pydantic import " in out:
                out = out.replace("from pydantic import ", "from pydantic import Field, ", 1)
            else:  # before the first deckgen import
                at = out.index("\nfrom deckgen") + 1
                out = out[:at] + "from pydantic import Field\n\n" + out[at:]
        path.write_text(out, encoding="utf-8")
    return len(edits)


def main(argv: list[str]) -> int:
    models = {"BaseModel", "StepSpec", "SlideSpec"}
    total = 0
    for name in argv:
        count = rewrite(Path(name), models)
        print(f"{name}: {count} fields")
        total += count
    print(f"{total} fields described")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
