"""Fill `{name}` variables in every text of the outline, reporting unknown names where they are."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Literal, Mapping, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from deckgen.errors import DeckError, Location, Problem, did_you_mean, excerpt, listing
from deckgen.source import noise, numformat
from deckgen.source.figures import (
    Change,
    Declared,
    FigureError,
    FigureSource,
    Placeholder,
    Ref,
    by_level,
    chosen_words,
    contradiction,
    parse,
    spans,
)
from deckgen.source.numformat import show_value
from deckgen.source.periods import how_to_write_month, parse_month
from deckgen.source.yamlsrc import PathKey, SourceMap

Scalar = Union[str, int, float, bool]

def fill_text(text: str, values: Mapping[str, Any]) -> tuple[str, list[str]]:
    """Text with variables replaced ('{{' and '}}' give literal braces) and the unknown names
    (for paths and file names, which hold variables only)."""
    filled = fill(text, values)
    return filled.text, [e.name for e in filled.errors if e.name]


@dataclass
class Filled:
    """A text with its placeholders filled; what could not be filled, and what reads wrong."""

    text: str
    errors: list["TextProblem"]
    warnings: list["TextProblem"]


@dataclass
class TextProblem:
    message: str
    pos: int  # the character of the text it is about
    name: str = ""  # an unknown name
    direction: bool = False  # a direction word a figure contradicts


def fill(text: str, values: Mapping[str, Any], figures: Optional[FigureSource] = None
         ) -> Filled:
    """Fill every placeholder of a text (source/figures.py): variables, and with `figures`,
    figures from data; `{{`/`}}` become braces. A placeholder that cannot be filled stays as
    written, with an error; so is a sentence that contradicts its figure (a direction word
    against its sign, a '%' format on a figure already in percent): a wrong sentence is worse
    than none, as a wrong cell in a table is."""
    out: list[str] = []
    errors: list[TextProblem] = []
    warnings: list[TextProblem] = []
    last = 0
    for start, end in spans(text):
        out.append(_braces(text[last:start]))
        try:
            shown, number, cautions = _placeholder(text[start + 1:end - 1], start + 1, values,
                                                   figures)
        except FigureError as exc:
            name = exc.name if isinstance(exc, _Unknown) else ""
            errors.append(TextProblem(exc.message, exc.pos, name))
            shown, number, cautions = text[start:end], None, []
        warnings += [TextProblem(c, start) for c in dict.fromkeys(cautions)]
        if number is not None:
            word = contradiction(text[:start], text[end:], number)
            if word:
                errors.append(TextProblem(_contradicts(word, shown, number, text[start:end]),
                                          start, direction=True))
            if shown.endswith("%") and text[end:].startswith("%"):
                errors.append(TextProblem(_percent_twice(text[start:end], shown, True), start))
        out.append(shown)
        last = end
    out.append(_braces(text[last:]))
    return Filled("".join(out), errors, warnings)


def _contradicts(word: str, shown: str, number: float, placeholder: str) -> str:
    """The message for a direction word its figure's sign contradicts, with the fix."""
    name = placeholder[1:-1].split(":")[0].split("|")[0]
    return (f"'{word}' next to {shown}, a figure that is {'up' if number > 0 else 'down'} "
            f"({number:+.3g}): the sentence contradicts its figure; let the figure choose "
            f"the words: {{{name}|down:fell by {placeholder}|up:rose by {placeholder}|zero:was "
            "unchanged}")


def _percent_twice(placeholder: str, shown: str, sign: bool = False) -> str:
    """The message for a '%' format on a figure already in percent (named so, or followed by
    a '%' in the text): the reader would see it multiplied by 100."""
    body = placeholder[1:-1]
    name, _, fmt = body.rpartition(":") if "]" not in body.rpartition(":")[2] else (body, "", "")
    plain = fmt.replace("%", "") or "0.0"
    printed = f"{shown}%" if sign else shown
    return (f"'{placeholder}' would print {printed}: the figure is already in percent and its "
            f"format '{fmt}' multiplies by 100; write the sign as text: {{{name}:{plain}}}% "
            "(or declare the figure with 'unit: percent')")


def _braces(text: str) -> str:
    return text.replace("{{", "{").replace("}}", "}")


class _Unknown(FigureError):
    """An unknown name, at its placeholder's brace; `name` is what paths report."""

    def __init__(self, message: str, pos: int, name: str) -> None:
        super().__init__(message, pos)
        self.name = name


def _placeholder(body: str, pos: int, values: Mapping[str, Any], figures: Optional[FigureSource]
                 ) -> tuple[str, Optional[float], list[str]]:
    """A placeholder's text; its figure when it shows a number beside words; and its warnings
    (a '%' format on a figure in percent already, a % change on a small base, a count a table
    suppresses), with those of the figures inside it (a direction word inside words for the
    other sign is no warning: those words are not shown).

    The placeholders inside it are filled first (they may name its row or its format), then it
    is parsed, its value found, and its declared figure's change measured (which warns even
    when words are shown); then it is shown as words or as a figure."""
    text, cautions = _inside(body, pos, values, figures)
    placeholder = parse(text, pos)
    value, fmt, in_percent = _value(placeholder, body, pos, values, figures)
    fmt = placeholder.format or fmt
    figure = _declared(placeholder, values, figures)
    level, small = _level(placeholder.name, figure, value, pos, figures)
    if placeholder.words is not None:
        words = _words(placeholder.name, placeholder.words, level, value, fmt, in_percent, body,
                       pos)
        return words, None, cautions + _given(small)
    minus = figures.minus if figures is not None and placeholder.name not in values else "-"
    shown_ref = placeholder.ref or (figure.ref if figure is not None else None)
    disclosed = figures.caution(shown_ref, value) \
        if shown_ref is not None and figures is not None else None
    if not fmt:
        shown, number = _unformatted(value, minus, body, pos)
        return shown, number, cautions + _given(small, disclosed)
    number = _number(value, body, pos, "a format is for numbers")
    caution = None if in_percent else numformat.percent_warning([number], fmt, "unit")
    if caution and (numformat.surely_in_percent([number]) or _says_percent(placeholder, figure)):
        raise FigureError(_percent_twice("{" + body + "}", numformat.parse(fmt).show(number)),
                          pos - 1)
    return (numformat.parse(fmt).show(number, minus, in_percent=in_percent), number,
            cautions + _given(caution, small, disclosed))


def _says_percent(placeholder: Placeholder, figure: Optional[Declared]) -> bool:
    """Whether the figure's name or column says it is a percentage already (pct_change,
    percent, %): a '%' format would show it multiplied by 100."""
    ref = placeholder.ref or (figure.ref if figure is not None else None)
    names = [placeholder.name, ref.column if ref is not None else ""]
    return any(re.search(r"pct|percent|per_?cent|%", n, re.IGNORECASE) for n in names if n)


def _inside(body: str, pos: int, values: Mapping[str, Any], figures: Optional[FigureSource]
            ) -> tuple[str, list[str]]:
    """The placeholder's text with the placeholders inside it filled (`{asb[district=
    {district}].count}`), and their warnings. Their first error is this placeholder's: an
    unknown name at this placeholder's brace (paths report the name), anything else at its
    character."""
    if "{" not in body:
        return body, []
    inner = fill(body, values, figures)
    errors = [e for e in inner.errors if not e.direction]  # words for the other sign: unshown
    if errors:
        first = errors[0]
        if first.name:
            raise _Unknown(first.message, pos - 1, first.name)
        raise FigureError(first.message, pos + first.pos)
    return inner.text, [w.message for w in inner.warnings]


def _declared(placeholder: Placeholder, values: Mapping[str, Any],
              figures: Optional[FigureSource]) -> Optional[Declared]:
    """The figure under `figures:` that the placeholder names, if any: a variable of the same
    name is shown instead, and a cell (`source[...].column`) names no figure."""
    if figures is None or placeholder.name in values:
        return None
    return figures.declared().get(placeholder.name)


def _level(name: str, figure: Optional[Declared], value: Any, pos: int,
           figures: Optional[FigureSource]) -> tuple[Optional[str], Optional[str]]:
    """For a figure declared with its `change:` counts, its level of change and the warning
    for a % change on a small base (change_level); (None, None) for any other placeholder."""
    if figure is None or figure.change is None or figures is None:
        return None, None
    return change_level(name, figure.change, value, pos, figures)


def _words(name: str, words: Mapping[str, str], level: Optional[str], value: Any, fmt: str,
           in_percent: bool, body: str, pos: int) -> str:
    """The words a figure chooses: by its level of change beyond noise (which needs a figure
    declared with its counts), or by its sign as its format shows it, so that 0.04 shown as
    0.0 chooses the words for no change."""
    if by_level(words):
        if level is None:
            raise FigureError(f"words by level of change need a figure declared with its "
                              f"counts: figures: {{{name or 'name'}: {{value: ..., "
                              "change: {current: source[...].column, previous: "
                              "source[...].column}}}", pos - 1)
        return chosen_words(level, words)
    number = _number(value, body, pos, "words follow a figure's sign")
    if fmt and numformat.parse(fmt).shows_zero(number, in_percent):  # 0.04 as 0.0
        number = 0.0
    return chosen_words(number, words)


def _unformatted(value: Any, minus: str, body: str, pos: int) -> tuple[str, Optional[float]]:
    """A value given no format, as a spreadsheet shows it, and its number if it is one. A
    number that would show every digit the computer holds (a rate: 12.345678901) needs a
    format: no reader wants those digits, and they hide the figure."""
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    shown = show_value(value, None, minus)
    if is_number and len(shown.partition(".")[2]) > 6:
        raise FigureError(f"'{{{body}}}' would show as {shown}, every digit the computer "
                          f"holds: give it a format, e.g. {{{body}:0.0}} (or declare the "
                          "figure with 'format:')", pos - 1)
    return shown, float(value) if is_number else None


def _given(*messages: Optional[str]) -> list[str]:
    return [m for m in messages if m]


def change_level(name: str, change: Change, value: Any, pos: int, figures: FigureSource
            ) -> tuple[str, Optional[str]]:
    """A change figure's level beyond Poisson noise (source/noise.py), and a warning when it
    is a % change on a small base. Its counts must be counts, and the figure their difference
    or % change: anything else is an error, never a level from the wrong counts."""
    counts = []
    for key, ref in (("current", change.current), ("previous", change.previous)):
        count = _cell(figures, ref, pos)
        if not noise.is_count(count):
            raise FigureError(f"'{name}': its {key} count {ref} is {excerpt(count)}, not a count; "
                              "the Poisson flag is for counts of crimes or incidents", pos - 1)
        counts.append(float(count))
    now, before = counts
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        kinds = noise.change_kinds(float(value), now, before)
        if not kinds:
            swapped = noise.change_kinds(float(value), before, now)
            raise FigureError(f"'{name}' is {round(float(value), 4):g}, neither the difference "
                              f"nor the % change of its counts ({change.current} {now:g}, "
                              f"{change.previous} {before:g})"
                              + ("; its current and previous look the wrong way round"
                                 if swapped else "; name the counts it is the change between"),
                              pos - 1)
        if kinds == {True} and before < change.spec.small_base:
            return (noise.level(noise.z_score(now, before), change.spec.notable,
                                change.spec.significant),
                    f"'{name}' is a % change on a base of {before:g}, fewer than "
                    f"{change.spec.small_base:g}: it says more about the base than the change; "
                    "give the counts instead")
    return noise.level(noise.z_score(now, before), change.spec.notable,
                       change.spec.significant), None


def _value(placeholder: Placeholder, body: str, pos: int, values: Mapping[str, Any],
           figures: Optional[FigureSource]) -> tuple[Any, str, bool]:
    """The placeholder's value, its declared format, and whether it is in percent."""
    declared = figures.declared() if figures is not None else {}
    if placeholder.ref is None:
        name = placeholder.name
        if name in values:
            return values[name], "", False
        if name in declared:
            assert figures is not None
            figure = declared[name]
            if figure.signal is not None:
                return _signal(figures, figure, name, body, pos), "", False
            value = _cell(figures, figure.ref, pos)
            if figure.minus is not None:
                value = _difference(name, value, _cell(figures, figure.minus, pos), pos)
            return value, figure.format, figure.in_percent
        known = ", ".join(sorted(values)) or "none declared"
        where = "under 'variables:' or 'figures:'" if figures is not None else \
            "under 'variables:'"
        raise _Unknown(f"unknown {'name' if figures is not None else 'variable'} '{{{name}}}'; "
                       f"declare it {where} (known: {known}"
                       f"{', figures: ' + ', '.join(sorted(declared)) if declared else ''}) or "
                       f"write '{{{{' for a literal brace"
                       f"{did_you_mean(name, [*values, *declared])}", pos - 1, name)
    if figures is None:
        raise FigureError(f"'{{{body}}}' reads data, which is not read yet here: figures from "
                          "data go in slides and the deck's texts, not in 'data:', "
                          "'variables:' or paths", pos - 1)
    return _cell(figures, placeholder.ref, pos), "", False


def _difference(name: str, value: Any, minus: Any, pos: int) -> float:
    """A figure declared with `minus:`: its cell less the other, both numbers."""
    for cell in (value, minus):
        if isinstance(cell, bool) or not isinstance(cell, (int, float)) or cell != cell:
            raise FigureError(f"figure '{name}' is one cell less another ('minus:'), so both "
                              f"must be numbers, and one is {show_value(cell, None, '-')!r}",
                              pos - 1)
    return float(value) - float(minus)


def _signal(figures: FigureSource, figure: Declared, name: str, body: str, pos: int) -> int:
    """A signal figure's side (+1 high, -1 low, 0 none): shown only as words."""
    assert figure.signal is not None
    if "|" not in body:
        raise FigureError(f"'{name}' is a control chart's signal: it shows words, "
                          f"{{{name}|high:rose above its normal range|low:fell below it|"
                          "none:stayed within it}", pos - 1)
    try:
        return figures.signal(figure.ref, figure.signal)
    except FigureError as exc:
        raise FigureError(exc.message, pos - 1) from None


def _cell(figures: FigureSource, ref: Ref, pos: int) -> Any:
    try:
        return figures.value(ref)
    except FigureError as exc:
        raise FigureError(exc.message, pos - 1) from None


def _number(value: Any, body: str, pos: int, why: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            return float(str(value).strip())
        except ValueError:
            raise FigureError(f"'{{{body}}}' is '{excerpt(value)}', not a number: {why}",
                              pos - 1) from None
    if value != value:
        raise FigureError(f"'{{{body}}}' has no value (the cell is blank): fill the cell, or "
                          "pick another row", pos - 1)
    return float(value)


def fill_tree(data: Any, values: Mapping[str, Any], source: SourceMap,
              path: PathKey = (), figures: Optional[FigureSource] = None,
              warnings: Optional[list[Problem]] = None) -> tuple[Any, list[Problem]]:
    """Fill the placeholders of every string of a plain-data tree; what cannot be filled
    becomes a Problem at its character. Warnings (a % change on a small base) are
    added to `warnings` when given."""
    problems: list[Problem] = []
    if isinstance(data, str):
        filled = fill(data, values, figures)
        problems += [Problem(e.message, source.at_char(path, e.pos)) for e in filled.errors]
        if warnings is not None:
            warnings += [Problem(w.message, source.at_char(path, w.pos)) for w in filled.warnings]
        return filled.text, problems
    if isinstance(data, list):
        out_list = []
        for i, item in enumerate(data):
            done, more = fill_tree(item, values, source, path + (i,), figures, warnings)
            out_list.append(done)
            problems += more
        return out_list, problems
    if isinstance(data, dict):
        out_dict = {}
        for key, item in data.items():
            done, more = fill_tree(item, values, source, path + (key,), figures, warnings)
            out_dict[key] = done
            problems += more
        return out_dict, problems
    return data, problems


def slug(text: str) -> str:
    """A safe file-name piece: lower case letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "deck"


class VariableSpec(BaseModel):
    """A variable written out in full: its default, the values it may take, or a looked-up value.

        district:
          default: Southend
          values_from: asb.district      # the values a data column holds (or `values: [...]`)
        place:
          lookup: districts.name         # the `name` of the districts row ...
          where: {district: "{district}"}  # ... whose district is this deck's
    """

    model_config = ConfigDict(extra="forbid")

    default: Optional[Scalar] = None
    type: Literal["text", "month"] = Field(
        default="text",
        description="month: YYYY-MM, e.g. the briefing's period")
    values: list[Scalar] = Field(default_factory=list)
    values_from: Optional[str] = None
    lookup: Optional[str] = None
    where: dict[str, str] = Field(default_factory=dict)
    description: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> "VariableSpec":
        if self.lookup and (self.default is not None or self.values or self.values_from):
            raise ValueError("a 'lookup' variable takes its value from the data: give it no "
                             "'default', 'values' or 'values_from'")
        if self.lookup and not self.where:
            raise ValueError("a 'lookup' needs 'where:' to pick the row, e.g. "
                             "where: {district: \"{district}\"}")
        if not self.lookup and self.default is None:
            raise ValueError("give the variable a 'default' (or make it a 'lookup')")
        for ref in (self.values_from, self.lookup):
            if ref is not None and "." not in ref:
                raise ValueError(f"'{ref}' must name a data source and a column: source.column")
        return self


#: Reads a data column's values: (source name, column, path of the reference) -> values.
ColumnValues = Callable[[str, str, PathKey], list[str]]


@dataclass
class Variables:
    """The values of a deck's variables, and for each the values it may take (if declared)."""

    values: dict[str, Scalar]
    choices: dict[str, list[str]]


def resolve_variables(declared: Any, overrides: Mapping[str, str], source: SourceMap,
                      column_values: ColumnValues, lookup_rows: "LookupRows",
                      plain: Optional["Plain"] = None) -> Variables:
    """Defaults, then --set overrides, checked against the allowed values, then lookups.

    `plain` is the first half (plain_values), when the caller needed those values before
    reading data. Raises DeckError: every problem is located at the variable, or names the
    --set option.
    """
    specs, values = plain or plain_values(declared, overrides, source)
    problems: list[Problem] = []
    choices: dict[str, list[str]] = {}
    for name, spec in specs.items():
        path = ("variables", name)
        allowed = [str(v) for v in spec.values]
        if spec.values_from:
            src, _, column = spec.values_from.partition(".")
            allowed = column_values(src, column, path + ("values_from",))
        if not allowed:
            continue
        choices[name] = allowed
        if str(values[name]) not in allowed:
            problems.append(_not_allowed(name, values[name], allowed, spec, name in overrides,
                                         source.at(path + ("default",))))
    if problems:
        raise DeckError(problems)
    for name, spec in specs.items():
        if spec.lookup and name not in overrides:  # --set replaces a looked-up value
            where, more = fill_tree(dict(spec.where), values, source, ("variables", name, "where"))
            if more:
                raise DeckError(more)
            src, _, column = spec.lookup.partition(".")
            values[name] = lookup_rows(src, column, where, ("variables", name, "lookup"))
    return Variables(values, choices)


#: The variables declared, and the values of those that need no data (defaults and --set).
Plain = tuple[dict[str, VariableSpec], dict[str, Scalar]]


def plain_values(declared: Any, overrides: Mapping[str, str], source: SourceMap) -> Plain:
    """The declared variables and their values from defaults and --set (lookups come later,
    once the data can be read); a month variable's value is checked here."""
    if declared is None:
        declared = {}
    if not isinstance(declared, dict):
        raise DeckError.single("'variables' must be a mapping of name: value",
                               source.at(("variables",)))
    specs, problems = _specs(declared, source)
    unknown = [name for name in overrides if name not in specs]
    for name in unknown:
        known = ", ".join(sorted(specs)) or "none"
        problems.append(Problem(f"--set {name}: the outline has no variable '{name}' (it "
                                f"declares: {known}){did_you_mean(name, specs)}",
                                Location(source.file)))
    if problems:
        raise DeckError(problems)
    values: dict[str, Scalar] = {n: s.default for n, s in specs.items()
                                 if s.default is not None}
    values.update(overrides)
    for name, spec in specs.items():
        if spec.type == "month" and name in values:
            value = str(values[name]).strip()
            if parse_month(value) is None:
                where = (Location(source.file) if name in overrides
                         else source.at(("variables", name, "default")))
                origin = f"--set {name}={excerpt(value)}" if name in overrides else \
                    f"variable '{name}'"
                problems.append(Problem(f"{origin}: '{excerpt(value)}' is not a month; "
                                        f"{how_to_write_month(value)}", where))
            values[name] = value
    if problems:
        raise DeckError(problems)
    return specs, values


LookupRows = Callable[[str, str, dict[str, Any], PathKey], Scalar]


def _specs(declared: dict[str, Any], source: SourceMap) -> tuple[dict[str, VariableSpec],
                                                                  list[Problem]]:
    from deckgen.source.validation import pydantic_problems

    specs: dict[str, VariableSpec] = {}
    problems: list[Problem] = []
    for name, raw in declared.items():
        path = ("variables", name)
        if not _IDENT.match(name):
            problems.append(Problem(f"variable name '{name}' must be letters, digits and _ "
                                    "(used as {name} in text)", source.at(path, key=True)))
            continue
        if isinstance(raw, dict):
            try:
                specs[name] = VariableSpec.model_validate(raw)
            except ValidationError as exc:
                problems += pydantic_problems(exc, raw, source, path, model=VariableSpec)
        elif isinstance(raw, (str, int, float, bool)):
            specs[name] = VariableSpec(default=raw)
        else:
            problems.append(Problem(f"variable '{name}' needs a value (text or number) or "
                                    "'default:'", source.at(path)))
    return specs, problems


def _not_allowed(name: str, value: Scalar, allowed: list[str], spec: VariableSpec,
                 overridden: bool, where: Location) -> Problem:
    origin = spec.values_from or "its 'values'"
    message = (f"'{excerpt(value)}' is not one of the values of {origin}; valid values: "
               f"{listing(allowed, 15)}{did_you_mean(str(value), allowed)}")
    if overridden:
        return Problem(f"--set {name}={value}: {message}", Location(where.file))
    return Problem(f"variable '{name}': {message}", where)


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
