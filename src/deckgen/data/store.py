"""The deck's data sources: each read once, its derived columns computed, its figures checked.

Pure apart from reading the CSV files; pandas is imported only when a deck uses data. Derived
columns are computed with deckgen's own expression language (source/expr.py, evaluated by
data/evaluate.py): nothing an outline writes is ever executed. Each source, once read, is a
`Source` value (frame, stated totals, warnings) that later reads reuse.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, TypeVar

from deckgen.data.cells import to_number
from deckgen.data.evaluate import NotNumbers, TextBudget, evaluated, expr_tree
from deckgen.data.formats import Recognised
from deckgen.data.frames import (
    TotalRule,
    filter_rows,
    format_value,
    is_blank,
    require_columns,
)
from deckgen.data.readers import Files, read_files
from deckgen.data.steps import Origin, StepContext, StepOrigin, run_steps, used_columns
from deckgen.data.steps.base import Coverage
from deckgen.errors import DeckError, Location, Problem, excerpt, listing
from deckgen.source.expr import ExprError
from deckgen.source.manifest import data_files
from deckgen.source.periods import Window, span
from deckgen.source.schema import DataSourceSpec, Latest, unknown_source
from deckgen.source.yamlsrc import PathKey, SourceMap

if TYPE_CHECKING:
    import pandas as pd

    from deckgen.source.manifest import Manifest

T = TypeVar("T")


@dataclass(frozen=True)
class Source:
    """One data source as read: its rows (each locatable: `origin.where(label, column)`), the
    data's own totals row (see `total_row`) and what reading it found to warn about."""

    frame: "pd.DataFrame"
    origin: Origin
    stated_total: Optional[dict[str, Any]]
    warnings: tuple[Problem, ...]
    rules: dict[str, TotalRule]  # how each column adds up in a table's totals row
    #: the periods its data covers, and what its slides say of them (data/steps/base.Coverage)
    coverage: Coverage = field(default_factory=Coverage)


#: Sources already read in this process, by what decides them (their spec with the variables
#: filled in, the files' identities, the windows): a batch reads a raw extract once, in the
#: parent, and its workers (forked) find it here.
_READ: "OrderedDict[str, Source]" = OrderedDict()
_READ_LIMIT = 32


@dataclass
class DataStore:
    """The deck's named data sources, each read and shaped once per build (on first use).

    `windows` are the outline's periods (steps filter by them); `cache` is where parsed record
    files are kept between builds (None: not kept); `direct` names the sources that slides and
    variables read themselves (the others are read only through `from:`, so only the columns
    their users need are read).
    """

    specs: Mapping[str, DataSourceSpec]
    base_dir: Path
    source: "SourceMap | None" = None
    windows: Mapping[str, Window] = field(default_factory=dict)
    cache: Optional[Path] = None
    direct: Optional[set[str]] = None
    allow_outside_paths: bool = False
    #: the build's inputs (source/manifest.py): each source's files, listed once per build
    inputs: Optional["Manifest"] = None
    _read: dict[str, Source] = field(default_factory=dict)
    _made: dict[tuple[str, str], Any] = field(default_factory=dict)
    #: the text the build's expressions may still make, over every source (MAX_TEXT_MADE)
    _text: TextBudget = field(default_factory=TextBudget)

    def once(self, what: str, name: str, make: "Callable[[], T]") -> "T":
        """What `make` computes from source `name` (its provenance, its labels), computed once
        per build: every slide of the source asks."""
        key = (what, name)
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]  # type: ignore[no-any-return]

    @property
    def warnings(self) -> list[Problem]:
        """What reading the sources used so far found, in the order they were read."""
        return [w for source in self._read.values() for w in source.warnings]

    def shown(self, name: str) -> str:
        """How a message names a source's rows: its file, or, once steps have shaped them (or
        they come `from:` another source), the source itself."""
        spec = self.specs[name]
        return f"data '{name}'" if spec.steps or spec.from_ else spec.origin

    def _at(self, name: str, *key: Any) -> Optional[Location]:
        """Where the outline writes a key of data source `name` (when the outline is known)."""
        return self.source.at(("data", name) + key) if self.source else None

    def _at_char(self, name: str, key: tuple[Any, ...], pos: int) -> Optional[Location]:
        if not self.source:
            return None
        return self.source.at_char(("data", name) + key, pos) if pos >= 0 else \
            self.source.at(("data", name) + key)

    def frame(self, name: str) -> "pd.DataFrame":
        return self._source(name).frame

    def coverage(self, name: str) -> list[str]:
        """What the slides of source `name` must say of the periods its data covers ("12
        months to October 2025: 11 of 12 months; November 2024 not published")."""
        return list(self._source(name).coverage.notes)

    def whole(self, name: str) -> "pd.DataFrame":
        """Source `name` with every column its files have (`data show`), the columns the
        outline uses first: a build reads only those of a record file, which would hide the
        rest from someone looking for what to use."""
        used = self._needed(name) if self.direct is not None else None
        if used is None or name in self.direct_or_all():
            return self.frame(name)
        direct = self.direct
        self.direct = None
        try:
            frame = self._load(name).frame
        finally:
            self.direct = direct
        first = [c for c in frame.columns if c in used]
        return frame[first + [c for c in frame.columns if c not in used]]

    def direct_or_all(self) -> set[str]:
        """The sources slides read themselves (all of them when that is not known)."""
        return set(self.specs) if self.direct is None else self.direct

    def _source(self, name: str) -> Source:
        if name not in self._read:
            key = self._key(name)
            found = _READ.get(key) if key else None
            if found is None:
                found = self._load(name)
                if key:
                    _READ[key] = found
                    while len(_READ) > _READ_LIMIT:
                        _READ.popitem(last=False)
            self._read[name] = found
        return self._read[name]

    def _key(self, name: str) -> Optional[str]:
        """What decides a source's rows, or None when it cannot be told cheaply."""
        spec = self.specs[name]
        parts: list[Any] = [spec.model_dump(mode="json", by_alias=True), str(self.base_dir),
                            {k: [w.start, w.end, w.label, w.partial]
                             for k, w in self.windows.items()},
                            sorted(self._needed(name) or [])]
        try:
            parts.append([[str(p), *(lambda st: [st.st_size, st.st_mtime_ns])(p.stat())]
                          for p, _ in self._paths(name)] if spec.from_ is None else [])
        except (OSError, DeckError):
            return None
        for other in [spec.from_] + [o for s in spec.steps for _, o in s.sources()]:
            if other is not None:
                sub = self._key(other)
                if sub is None:
                    return None
                parts.append(sub)
        return json.dumps(parts, sort_keys=True, default=str)

    def _load(self, name: str) -> Source:
        spec = self.specs[name]
        rules: dict[str, TotalRule] = {}
        if spec.from_ is not None:
            base = self._source(spec.from_)
            frame, origin, warnings = base.frame.copy(), base.origin, list[Problem]()
            rules = dict(base.rules)
            coverage = base.coverage.inherited()
        else:
            frame, origin, warnings = self._read_files(name, spec)
            coverage = Coverage(frame)
        ctx = StepContext(name, lambda key, pos: self._at_char(name, key, pos), self.windows,
                          self.frame, self._text, coverage)
        frame, origin, more, rules = run_steps(frame, origin, spec.steps, ctx, rules)
        warnings = list(warnings) + more
        df = frame.copy()
        context = f"data '{name}'"
        total = None
        if spec.total_row is not None:  # kept apart first: sum() must not count it
            marker = df[df.columns[0]].astype(str) == spec.total_row
            if not marker.any():
                where = self._at(name, "total_row")
                raise DeckError.single(
                    f"no row of {spec.origin} has '{excerpt(spec.total_row)}' in its first "
                    f"column '{excerpt(df.columns[0])}'", where, context)
            total, df = df[marker].iloc[:1].copy(), df[~marker].copy()
        elif not spec.steps:
            warnings += self._looks_like_total(name, df, origin)
        for column, expression in spec.derive.items():
            if column in frame.columns:
                raise DeckError.single(
                    f"derive '{column}': {spec.origin} has a column '{column}' already; give "
                    "the computed one another name", self._at(name, "derive", column), context)
            df[column] = self._compute(name, ("derive", column), expression, df,
                                       f"derive '{column}'", warnings, origin)
            if total is not None:
                total[column] = self._compute(name, ("derive", column), expression, total,
                                              f"derive '{column}'", [], origin)
        for column, expression in spec.derive.items():
            rules.pop(column, None)
            rules[column] = ("formula", expression)
        stated = total.iloc[0].to_dict() if total is not None else None
        warnings += self._verify(name, df, origin)
        return Source(df, origin, stated, tuple(warnings), rules, coverage.frozen(span))

    def _paths(self, name: str) -> list[tuple[Path, str]]:
        """The files a source reads (path, as shown), in order, as the build's manifest lists
        them (source/manifest.py: patterns expanded once per build); a pattern must match some."""
        spec = self.specs[name]
        if self.inputs is not None:
            found, problem = self.inputs.data(name, spec.file, spec.files)
        else:  # a store made without a build (tests, tools): the same rule
            found, problem = data_files(self.base_dir, spec.file, spec.files,
                                        self.allow_outside_paths)
        if problem:
            raise DeckError.single(problem, self._at(name, "files"), f"data '{name}'")
        return found

    def _read_files(self, name: str, spec: DataSourceSpec
                    ) -> tuple["pd.DataFrame", Origin, list[Problem]]:
        """The rows of the source's file(s), read by the reader their kind needs (readers.py)."""
        context = f"data '{name}'"
        paths = self._paths(name)
        for path, shown in paths:
            if not path.is_file():  # told from the file's stat: nothing is opened yet
                where = self._at(name, "file" if spec.file is not None else "files")
                what = "is a folder, not a data file" if path.is_dir() else \
                    "is a named pipe or a device, not a data file" if path.exists() else \
                    "data file not found"
                raise DeckError.single(f"{what}: {shown}; check the path under 'data:'",
                                       where, context)
        return read_files(Files(name, spec, paths, lambda key: self._at(name, key),
                                lambda recognised: self._columns(name, recognised),
                                self.cache))

    def _columns(self, name: str, recognised: Recognised) -> Optional[list[str]]:
        """The columns of a record file to read: those declared, or those the steps of this
        source and of the sources made from it use (all when a slide reads it directly)."""
        spec = self.specs[name]
        if spec.columns is not None:
            return list(spec.columns)
        needed = self._needed(name)
        if needed is None:
            return None
        wanted = set(needed)
        for made, raw in recognised.format.adds.items():
            if made in wanted:
                wanted |= set(raw)
        return [c for c in recognised.names if c in wanted]

    def _needed(self, name: str) -> Optional[set[str]]:
        """The columns of source `name` its own steps and its users read, or None for all."""
        spec = self.specs[name]
        used, shaped = used_columns(spec.steps)
        if isinstance(spec.as_of, Latest):  # provenance reads it
            used |= {spec.as_of.latest}
        if shaped:
            return used
        if self.direct is None or name in self.direct:
            return None
        users = [n for n, s in self.specs.items() if s.from_ == name]
        joined = [n for n, s in self.specs.items()  # the sources a step of theirs reads
                  if any(other == name for step in s.steps for _, other in step.sources())]
        if joined or not users:
            return None
        for user in users:
            more = self._needed(user)
            if more is None:
                return None
            used |= more
        return used

    def _compute(self, name: str, key: tuple[str, str], expression: Any, df: "pd.DataFrame",
                 what: str, warnings: list[Problem], table: Origin) -> Any:
        """An expression of the outline evaluated over the frame, every problem located: in
        the outline for the expression, in the CSV for a cell that is not a number."""
        context = f"data '{name}'"
        try:
            node = expr_tree(expression, df.columns)
            data, report = evaluated(node, df, self._text)
        except ExprError as exc:
            where = self._at_char(name, key, exc.pos)
            raise DeckError.single(f"{what}: {exc.message}", where, context) from None
        except NotNumbers as exc:
            _require_numbers(df, exc.column, table, f" ({what} uses it with {exc.operation})")
            raise DeckError.single(  # _require_numbers raised unless the column is empty
                f"{what}: column '{exc.column}' has no numbers", self._at(name, *key),
                context) from None
        if report.divided_by_zero:
            first = table.where(int(df.index[report.first_zero_row or 0]))
            rows = "row divides" if report.divided_by_zero == 1 else "rows divide"
            at = (f"line {first.line} of {first.file}" if first.line and not first.cell
                  else str(first))
            warnings.append(Problem(
                f"{what}: {report.divided_by_zero} {rows} by zero (the first at {at}), so it "
                "is left blank there", self._at(name, *key), context))
        if report.invalid:
            warnings.append(Problem(
                f"{what}: {report.invalid} row(s) have no value ({report.causes()})",
                self._at(name, *key), context))
        return data

    def _looks_like_total(self, name: str, df: "pd.DataFrame", origin: Origin
                          ) -> list[Problem]:
        """Warn when the last row looks like the data's own total but is read as a row."""
        first = df[df.columns[0]]
        if first.empty or first.iloc[-1] is None:
            return []
        label = str(first.iloc[-1]).strip()
        words = re.sub(r"[^a-z ]+", " ", label.lower()).split()
        if "total" not in words and "totals" not in words and \
                " ".join(words) not in TOTAL_LABELS:
            return []
        line = int(df.index[-1])
        return [Problem(
            f"the last row of {self.shown(name)} looks like a total ('{excerpt(label)}') but is "
            f"read as one more row, so charts show it and a table's total adds it again; if it "
            f"is a total, say total_row: {excerpt(label)} under data '{name}'",
            origin.where(line))]

    def _verify(self, name: str, df: "pd.DataFrame", table: Origin) -> list[Problem]:
        """Warn where a stated column does not follow from the others (see `verify:`)."""
        spec = self.specs[name]
        warnings: list[Problem] = []
        for column, expression in spec.verify.items():
            where = self._at(name, "verify", column)
            if column not in df.columns:
                raise DeckError.single(require_columns(df, [column], spec.origin) or "",
                                       where, f"data '{name}'")
            _require_numbers(df, column, table)
            computed = self._compute(name, ("verify", column), expression, df,
                                     f"verify '{column}'", warnings, table)
            written = getattr(table, "written", {}).get(column)
            for line, stated, want in zip(df.index, df[column], computed):
                if is_blank(stated) or is_blank(want):
                    continue
                if isinstance(want, str) or isinstance(want, bool):
                    raise DeckError.single(f"verify '{column}': the expression must give "
                                           "numbers", where, f"data '{name}'")
                text = written.get(line) if written is not None else None
                tolerance = _rounding_written(text) if isinstance(text, str) else \
                    _rounding(float(stated))
                if abs(float(stated) - want) > tolerance + 1e-9:
                    shown = text.strip() if isinstance(text, str) else format_value(stated)
                    warnings.append(Problem(
                        f"'{column}' is {shown} but {expression} gives "
                        f"{want:.4g}; check the data", table.where(int(line), column)))
        return warnings

    def total_rules(self, name: str) -> dict[str, TotalRule]:
        """How each column of a source adds up in a table's totals row (frames.TotalRule), as
        the steps that made it left it (steps._rules_after)."""
        return dict(self._source(name).rules)

    def cell(self, name: str, line: int, column: Optional[str] = None) -> Location:
        """The location of a row (and cell) of a data source: in its file, or the step that
        made the row."""
        return self._source(name).origin.where(line, column)

    def stated_total(self, name: str) -> Optional[dict[str, Any]]:
        """The data's own totals row (see `total_row`), with derived columns, or None."""
        return self._source(name).stated_total

    def numeric_column(self, name: str, column: str, context: str = "",
                       at: Optional[Location] = None) -> None:
        """Raise with the offending cell if a column meant to hold numbers holds text; at `at`
        (the slide's key naming the column) when the steps made the rows, as the mistake is
        then the outline's choice of column."""
        source = self._source(name)
        _require_numbers(source.frame, column, source.origin, context=context, at=at)

    def row(self, name: str, label: int) -> str:
        """A row of a data source named for a message: 'line 3', 'row 7' (of a sheet), 'a row
        made by step 2 (group)'."""
        return self._source(name).origin.row(label)


def _require_numbers(df: "pd.DataFrame", column: str, table: Origin, why: str = "",
                     context: str = "", at: Optional[Location] = None) -> None:
    """Raise, at the first cell that is not a number (or at `at` when the steps made the
    rows), if a column meant to hold numbers does not."""
    import pandas as pd

    series = df[column]
    if pd.api.types.is_numeric_dtype(series):
        return
    for label, value in series.items():
        if value is not None and to_number(str(value)) is None:
            where = at if at is not None and isinstance(table, StepOrigin) else \
                table.where(int(label), column)
            raise DeckError.single(
                f"column '{excerpt(column)}' must hold numbers{why}, but "
                f"{table.row(int(label))} has '{excerpt(value)}'", where, context)


#: First-column labels of a row that is the data's own total.
TOTAL_LABELS = frozenset({"total", "totals", "grand total", "all", "all areas", "overall",
                          "sum"})


def _rounding_written(text: str) -> float:
    """Half a unit of the last decimal a figure was written with: '-6.0' -> 0.05."""
    number = text.strip().rstrip("%")
    decimals = len(number.split(".", 1)[1]) if "." in number else 0
    return 0.5 * 10.0 ** -decimals


def _rounding(value: float) -> float:
    """Half a unit of the last decimal the value was written with: -5.9 -> 0.05."""
    for decimals in range(7):
        if round(value, decimals) == value:
            return 0.5 * 10.0 ** -decimals
    return 5e-8


def column_values(store: DataStore, source: SourceMap):  # type: ignore[no-untyped-def]
    """A data column's distinct values, in the order the data has them (for values_from)."""
    def read(name: str, column: str, where: PathKey) -> list[str]:
        df = _frame(store, name, column, source, where)
        return list(dict.fromkeys(str(v) for v in df[column] if v is not None))
    return read


def lookup_row(store: DataStore, source: SourceMap):  # type: ignore[no-untyped-def]
    """The value of `column` in the one row matching `where` (for lookup variables)."""
    def read(name: str, column: str, where: dict[str, Any], at: PathKey) -> Any:
        import pandas as pd

        df = _frame(store, name, column, source, at)
        for key in where:
            _frame(store, name, key, source, at[:-1] + ("where",))
        rows = filter_rows(df, where)
        wanted = ", ".join(f"{k} = '{excerpt(v)}'" for k, v in where.items())
        if rows.empty:
            raise DeckError.single(f"no row of {store.shown(name)} has {wanted}; add one",
                                   source.at(at))
        found = rows[column].drop_duplicates()
        if len(found) > 1:  # never the first of several, silently
            raise DeckError.single(
                f"{len(rows)} rows of {store.shown(name)} have {wanted}, with "
                f"{len(found)} different values of {column} "
                f"({listing([str(v) for v in found], 4)}); add to 'where:' to pick one",
                source.at(at))
        value = rows.iloc[0][column]
        if pd.isna(value):
            raise DeckError.single(f"the row of {store.shown(name)} with {wanted} has no "
                                   f"{column} (the cell is empty); fill it in", source.at(at))
        return value.item() if hasattr(value, "item") else value
    return read


def _frame(store: DataStore, name: str, column: str, source: SourceMap,
           at: PathKey) -> Any:
    if name not in store.specs:
        raise DeckError.single(unknown_source(name, store.specs), source.at(at))
    df = store.frame(name)
    problem = require_columns(df, [column], store.shown(name))
    if problem:
        raise DeckError.single(problem, source.at(at))
    return df
