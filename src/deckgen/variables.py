"""Fill `{name}` variables in every text of the outline, reporting unknown names where they are."""

from __future__ import annotations

import re
from typing import Any, Mapping

from deckgen.errors import Problem, did_you_mean
from deckgen.yamlsrc import PathKey, SourceMap

# Only `{identifier}` is a variable, so format specs like "{:,.0f}" and JSON-ish text pass through.
_VAR = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill_text(text: str, values: Mapping[str, Any]) -> tuple[str, list[str]]:
    """Text with variables replaced ('{{' and '}}' give literal braces) and the unknown names."""
    unknown: list[str] = []

    def repl(match: re.Match[str]) -> str:
        whole, name = match.group(0), match.group(1)
        if whole == "{{":
            return "{"
        if whole == "}}":
            return "}"
        if name in values:
            return str(values[name])
        unknown.append(name)
        return whole

    return _VAR.sub(repl, text), unknown


def fill_tree(data: Any, values: Mapping[str, Any], source: SourceMap,
              path: PathKey = ()) -> tuple[Any, list[Problem]]:
    """Fill variables in every string of a plain-data tree; unknown names become Problems."""
    problems: list[Problem] = []
    if isinstance(data, str):
        text, unknown = fill_text(data, values)
        for name in unknown:
            known = ", ".join(sorted(values)) or "none declared"
            problems.append(Problem(
                f"unknown variable '{{{name}}}'; declare it under 'variables:' (known: {known}) "
                f"or write '{{{{' for a literal brace{did_you_mean(name, values)}",
                source.at(path)))
        return text, problems
    if isinstance(data, list):
        out_list = []
        for i, item in enumerate(data):
            filled, more = fill_tree(item, values, source, path + (i,))
            out_list.append(filled)
            problems += more
        return out_list, problems
    if isinstance(data, dict):
        out_dict = {}
        for key, item in data.items():
            filled, more = fill_tree(item, values, source, path + (key,))
            out_dict[key] = filled
            problems += more
        return out_dict, problems
    return data, problems


def slug(text: str) -> str:
    """A safe file-name piece: lower case letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "deck"
