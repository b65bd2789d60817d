"""The outline's `figures:`: named cells of the data, declared once and used in any text."""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional

from pydantic import ValidationError

from deckgen.errors import DeckError, Problem
from deckgen.source import numformat
from deckgen.source.chartkeys import LimitsSpec
from deckgen.source.figures import NAME, Change, Declared, FigureError, Ref, parse_ref
from deckgen.source.noise import ChangeSpec
from deckgen.source.validation import pydantic_problems
from deckgen.source.variables import fill
from deckgen.source.yamlsrc import SourceMap


def declared(raw: Any, source: SourceMap, values: Mapping[str, Any]
             ) -> dict[str, Declared]:
    """The outline's `figures:`, each a cell and its format:

        figures:
          asb_change: "asb[district={district}].pct_change"
          force_2016: {value: "asb[total].mar_apr_2016", format: "#,##0"}

    Raises DeckError with every problem at its character."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DeckError.single("'figures' must be a mapping of name: source[column=value].column",
                               source.at(("figures",)))
    out: dict[str, Declared] = {}
    problems: list[Problem] = []
    for name, spec in raw.items():
        at: tuple[Any, ...] = ("figures", name)
        if not isinstance(name, str) or not re.match(rf"^{NAME}$", name):
            problems.append(Problem(f"figure name '{name}' must be letters, digits and _ (it is "
                                    "used as {name} in text)", source.at(at, key=True)))
            continue
        if name in values:
            problems.append(Problem(f"'{name}' is a variable already; give the figure another "
                                    "name", source.at(at, key=True)))
            continue
        if _is_signal(spec):
            problems += _signal_figure(name, spec, source, values, out)
            continue
        if isinstance(spec, dict):
            keyed, more = _keyed(name, spec, source, values)
            problems += more
            if keyed is None:
                continue
            text, at, fmt, in_percent, change, minus = keyed
        elif isinstance(spec, str):
            text, fmt, in_percent, change, minus = spec, "", False, None, None
        else:
            problems.append(Problem("a figure is 'source[column=value].column', e.g. "
                                    "asb[district={district}].pct_change", source.at(at)))
            continue
        filled = fill(text, values)
        if filled.errors:
            problems += [Problem(e.message, source.at_char(at, e.pos)) for e in filled.errors]
            continue
        try:
            out[name] = Declared(parse_ref(filled.text), fmt, in_percent, change, minus)
        except FigureError as exc:
            problems.append(Problem(exc.message, source.at_char(at, exc.pos if filled.text ==
                                                                text else 0)))
    if problems:
        raise DeckError(problems)
    return out


_Keyed = tuple[str, tuple[Any, ...], str, bool, Optional[Change], Optional[Ref]]


def _keyed(name: str, spec: dict[str, Any], source: SourceMap, values: Mapping[str, Any]
           ) -> tuple[Optional[_Keyed], list[Problem]]:
    """A figure written as a mapping: its cell's text and where it is, its format, whether it
    is in percent, its `change:` and its `minus:`; or its problems."""
    at: tuple[Any, ...] = ("figures", name)
    unknown = sorted(set(spec) - {"value", "format", "unit", "change", "minus"})
    if unknown or not isinstance(spec.get("value"), str) or \
            spec.get("unit", "percent") != "percent":
        return None, [Problem(
            "a figure is 'source[column=value].column', or {value: ..., format: ..., "
            "unit: percent, change: {current: ..., previous: ...}, minus: ...}"
            + (f"; unknown key '{unknown[0]}'" if unknown else ""), source.at(at))]
    change: Optional[Change] = None
    minus: Optional[Ref] = None
    if "change" in spec:
        change, more = _change(spec["change"], source, at + ("change",), values)
        if change is None:
            return None, more
    if "minus" in spec:
        minus, more = _minus(spec, source, at, values)
        if minus is None:
            return None, more
    fmt = str(spec.get("format") or "")
    try:
        numformat.parse(fmt) if fmt else None
    except numformat.FormatError as exc:
        return None, [Problem(exc.message, source.at_char(at + ("format",), exc.pos))]
    return (spec["value"], at + ("value",), fmt, spec.get("unit") == "percent", change,
            minus), []


def _is_signal(spec: Any) -> bool:
    return isinstance(spec, dict) and "signal" in spec


def _signal_figure(name: str, spec: dict[str, Any], source: SourceMap,
                   values: Mapping[str, Any], out: dict[str, Declared]) -> list[Problem]:
    """A figure declared with `signal:` (a control chart's latest special cause), added to
    `out`; or its problems."""
    at: tuple[Any, ...] = ("figures", name)
    limits, problems = _signal(spec, source, at)
    if limits is None:
        return problems
    text, at = spec["signal"], at + ("signal",)
    filled = fill(text, values)
    if filled.errors:
        return [Problem(e.message, source.at_char(at, e.pos)) for e in filled.errors]
    try:
        out[name] = Declared(parse_ref(filled.text), signal=limits)
    except FigureError as exc:
        return [Problem(exc.message, source.at_char(at, exc.pos if filled.text == text
                                                    else 0))]
    return []


def _signal(spec: dict[str, Any], source: SourceMap, at: tuple[Any, ...]
            ) -> tuple[Optional[LimitsSpec], list[Problem]]:
    """A figure's `signal:` (the months of a control chart, `source[column=value].column`)
    and its `limits:` (as a chart's: method, baseline, assess)."""
    unknown = sorted(set(spec) - {"signal", "limits"})
    if unknown or not isinstance(spec["signal"], str):
        return None, [Problem("a signal figure is {signal: source[column=value].column, "
                              "limits: {method: xmr, baseline: 12, assess: 3}}"
                              + (f"; unknown key '{unknown[0]}'" if unknown else ""),
                              source.at(at))]
    raw = spec.get("limits") or {}
    if isinstance(raw, str) and raw not in ("spc", "xmr", "c"):
        return None, [Problem(f"limits: '{raw}' is not a method; spc, xmr or c, or "
                              "{method: xmr, baseline: 12, assess: 3}",
                              source.at(at + ("limits",)))]
    try:
        return (LimitsSpec(method="c" if raw == "c" else "xmr") if isinstance(raw, str)
                else LimitsSpec.model_validate(raw)), []
    except ValidationError as exc:
        return None, pydantic_problems(exc, raw, source, at + ("limits",), model=LimitsSpec)


def _change(raw: Any, source: SourceMap, at: tuple[Any, ...], values: Mapping[str, Any]
            ) -> tuple[Optional[Change], list[Problem]]:
    """A figure's `change:`: the cells of its two counts, and its thresholds."""
    try:
        spec = ChangeSpec.model_validate(raw)
    except ValidationError as exc:
        return None, pydantic_problems(exc, raw, source, at, model=ChangeSpec)
    refs = []
    for key in ("current", "previous"):
        text = getattr(spec, key)
        filled = fill(text, values)
        if filled.errors:
            return None, [Problem(e.message, source.at_char(at + (key,), e.pos))
                          for e in filled.errors]
        try:
            refs.append(parse_ref(filled.text))
        except FigureError as exc:
            return None, [Problem(exc.message, source.at_char(at + (key,), exc.pos if
                                                              filled.text == text else 0))]
    return Change(refs[0], refs[1], spec), []


def _minus(spec: dict[str, Any], source: SourceMap, at: tuple[Any, ...],
           values: Mapping[str, Any]) -> tuple[Optional[Ref], list[Problem]]:
    """A figure's `minus:`: the cell taken from its value. Not with `change:` (a difference
    of two figures is no change between two counts)."""
    at = at + ("minus",)
    text = spec["minus"]
    if "change" in spec:
        return None, [Problem("a figure takes 'change:' or 'minus:', not both: declare the "
                              "difference as a figure of its own", source.at(at, key=True))]
    if not isinstance(text, str):
        return None, [Problem("'minus' is a cell, 'source[column=value].column', e.g. "
                              "asb_rate[total].per_1000", source.at(at))]
    filled = fill(text, values)
    if filled.errors:
        return None, [Problem(e.message, source.at_char(at, e.pos)) for e in filled.errors]
    try:
        return parse_ref(filled.text), []
    except FigureError as exc:
        return None, [Problem(exc.message, source.at_char(at, exc.pos if filled.text == text
                                                          else 0))]
