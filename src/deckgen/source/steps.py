"""The steps a data source runs, as the outline declares them: each a one-key mapping, in order.

    steps:
      - filter: {Crime type: Anti-social behaviour, Month: {window: year}}
      - derive: {district: before_last(`LSOA name`, ' ')}
      - window: {column: Month, windows: [current, previous], as: window}
      - group: {by: [District, window], count: incidents}
      - pivot: {rows: District, columns: window, values: incidents}
      - join: {source: population, on: District, columns: [population]}
      - rate: {value: current, per: population, scale: 1000, as: per_1000}
      - sort: {by: per_1000, order: descending}
      - top: {n: 5, by: incidents, label: Crime type}
      - rank: {by: per_1000, as: position}

This module is the grammar: what each step may say, checked when the outline is loaded, and
what a step tells the load-time checks (the expressions it holds, the data sources and windows
it names). Each step is one object in data/steps/ (its model from here, how it runs, how its
columns add up, the columns it reads), registered there once; registering it is what makes
its name one the outline may use (`STEPS`).
"""

from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Scalar = Union[str, int, float, bool]
Columns = Union[str, list[str]]


def columns(value: Columns) -> list[str]:
    """One column or several, as a list."""
    return [value] if isinstance(value, str) else list(value)


def _some(value: Columns) -> Columns:
    """At least one column (an empty list would group or sort by nothing)."""
    if isinstance(value, list) and not value:
        raise ValueError("name at least one column")
    return value


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


#: A place inside one step, from its key on: ("derive", "pct") in `- derive: {pct: ...}`.
Within = tuple[Union[str, int], ...]


class StepSpec(_Step):
    """A step as the outline writes it: a one-key mapping whose key is its name. Each step also
    says what the checks made before any data is read need of it (the expressions it holds,
    the sources and windows it names), so those checks know no step by name."""

    @classmethod
    def key(cls) -> str:
        """The step's name, as written: its model's one field."""
        (name, info), = cls.model_fields.items()
        return info.alias or name

    def expressions(self) -> list[tuple[Within, str, Any]]:
        """The expressions it holds, each parsed at load: (where, how a message names it after
        'step N (name)', the text)."""
        return []

    def sources(self) -> list[tuple[Within, str]]:
        """The other data sources it reads (each must be declared), with where it names them."""
        return []

    def windows(self) -> list[tuple[Within, str]]:
        """The windows it names (each must be declared under `windows:`), with where."""
        return []


class Condition(_Step):
    """What a filter asks of one column's values (one test per condition)."""

    in_: Optional[list[Scalar]] = Field(default=None, alias="in", description="one of these")
    not_: Optional[Union[Scalar, list[Scalar]]] = Field(default=None, alias="not")
    min: Optional[float] = Field(default=None, description="at least (numbers)")
    max: Optional[float] = Field(default=None, description="at most (numbers)")
    from_: Optional[str] = Field(
        default=None, alias="from",
        description="periods from this month on")
    to: Optional[str] = Field(default=None, description="periods up to this month")
    window: Optional[str] = Field(
        default=None,
        description="periods inside a window (see `windows:`)")
    starts_with: Optional[str] = None
    ends_with: Optional[str] = None
    contains: Optional[str] = None
    blank: Optional[bool] = Field(
        default=None,
        description="true: the cell is empty; false: it is filled")

    @model_validator(mode="after")
    def _something(self) -> "Condition":
        if not self.model_fields_set:
            raise ValueError("a condition needs a test: in, not, min, max, from, to, window, "
                             "starts_with, ends_with, contains or blank")
        return self


class Filter(StepSpec):
    """filter: {column: value | [values] | {test: ...}} (all must hold), or an expression."""

    filter: Union[str, dict[str, Union[Scalar, list[Scalar], Condition]]]

    @field_validator("filter", mode="before")
    @classmethod
    def _windows_in_a_list(cls, value: Any) -> Any:
        """A list of tests (`[{window: fy}, {window: fy_prev}]`) is not a list of values: one
        message pointing at the `window:` step, not one per way the list fails to parse."""
        if not isinstance(value, dict):
            return value
        for column, test in value.items():
            if isinstance(test, list) and any(isinstance(t, dict) for t in test):
                windows = [str(t["window"]) for t in test if isinstance(t, dict) and "window" in t]
                if windows:
                    raise ValueError(
                        f"'{column}' lists windows, but a list keeps the rows equal to one of its "
                        "values; to keep the rows of several windows, tag them with a 'window' "
                        f"step: window: {{column: {column}, windows: [{', '.join(windows)}]}} "
                        "(rows in none of them are left out)")
                raise ValueError(f"'{column}' lists tests; a list keeps the rows equal to one of "
                                 "its values: write one test, e.g. {in: [a, b]} or {not: a}")
        return value

    def expressions(self) -> list[tuple[Within, str, Any]]:
        return [(("filter",), "", self.filter)] if isinstance(self.filter, str) else []

    def windows(self) -> list[tuple[Within, str]]:
        if isinstance(self.filter, str):
            return []
        return [(("filter", column, "window"), test.window)
                for column, test in self.filter.items()
                if isinstance(test, Condition) and test.window is not None]


class Derive(StepSpec):
    derive: dict[str, Scalar]

    def expressions(self) -> list[tuple[Within, str, Any]]:
        return [(("derive", column), f" '{column}'", text)
                for column, text in self.derive.items()]


class WindowTag(StepSpec):
    """window: the window each row's period falls in, as a new column; rows in none are
    dropped."""

    class Args(_Step):
        column: str
        windows: list[str] = Field(min_length=1)
        as_: str = Field(default="window", alias="as")

    window: Args

    def windows(self) -> list[tuple[Within, str]]:
        return [(("window", "windows", k), name) for k, name in enumerate(self.window.windows)]


class Group(StepSpec):
    class Args(_Step):
        by: Columns
        count: Optional[str] = Field(
            default=None,
            description="a column holding how many rows each group has")
        sum: dict[str, str] = Field(
            default_factory=dict,
            description="new column: the column to add up")
        mean: dict[str, str] = Field(default_factory=dict)
        min: dict[str, str] = Field(default_factory=dict)
        max: dict[str, str] = Field(default_factory=dict)
        share: dict[str, str] = Field(
            default_factory=dict,
            description="new: % of the column's total")
        blanks: Literal["warn", "drop", "keep"] = Field(
            default="warn",
            description="rows with a blank key: warn and leave them out (the default), leave them "
                        "out quietly, or keep them as a group of their own, named blank_label")
        blank_label: str = "(blank)"
        complete: bool = Field(
            default=False,
            description="every combination of the keys' values, with 0 where no row has it (a "
                        "month with no incidents is a 0 on a trend line, not a gap; a month with "
                        "no data at all is blank)")
        within: Optional[str] = Field(
            default=None, pattern=r"^[^.\s][^.]*\.[^.]+$",
            description="the areas to keep, a source's column (`districts.district`): a row whose "
                        "first key is not one of them (a neighbouring force's border area) is "
                        "left out, and named")

        _by = field_validator("by")(_some)

        @model_validator(mode="after")
        def _something(self) -> "Group.Args":
            if not (self.count or self.sum or self.mean or self.min or self.max or self.share):
                raise ValueError("say what to compute for each group: count, sum, mean, min, "
                                 "max or share")
            return self

    group: Args

    def sources(self) -> list[tuple[Within, str]]:
        within = self.group.within
        return [(("group", "within"), within.split(".", 1)[0])] if within else []


class Pivot(StepSpec):
    class Args(_Step):
        rows: Columns
        columns: str = Field(description="its values become columns")
        values: str
        fill: Union[float, Literal["blank"]] = Field(
            default=0.0,
            description="for a combination no row has")
        order: Optional[list[str]] = Field(
            default=None,
            description="the new columns' order (default: sorted)")

        _rows = field_validator("rows")(_some)

    pivot: Args


class Join(StepSpec):
    class Args(_Step):
        source: str
        on: Union[str, dict[str, str]] = Field(
            description="a column both have, or {this column: that column}")
        columns: Optional[list[str]] = Field(
            default=None,
            description="default: all the other source's columns")
        missing: Literal["error", "blank", "drop"] = Field(
            default="error",
            description="a key the other source has no row for: an error; `blank` keeps the row "
                        "with blanks (and says so); `drop` keeps only the rows that match (our "
                        "own districts of an extract that includes a neighbouring force's border "
                        "areas)")

    join: Args

    def sources(self) -> list[tuple[Within, str]]:
        return [(("join", "source"), self.join.source)]


class Sort(StepSpec):
    class Args(_Step):
        by: Columns
        order: Literal["ascending", "descending"] = "ascending"

        _by = field_validator("by")(_some)

    sort: Union[str, Args]


class Top(StepSpec):
    class Args(_Step):
        n: int = Field(ge=1, le=1000)
        by: str
        label: str = Field(
            description="the column that names each row; the rest are summed as `other`")
        other: Optional[str] = Field(default="Other", description="null: drop the rest")

    top: Args


class Rank(StepSpec):
    class Args(_Step):
        by: str
        as_: str = Field(default="rank", alias="as")
        order: Literal["ascending", "descending"] = Field(
            default="descending",
            description="1 = the highest")

    rank: Args


class Rate(StepSpec):
    class Args(_Step):
        value: str
        per: str = Field(description="e.g. a population column")
        scale: float = Field(default=1000, gt=0)
        as_: str = Field(alias="as")

    rate: Args


class Select(StepSpec):
    select: list[str] = Field(min_length=1)


class Rename(StepSpec):
    rename: dict[str, str]

    @field_validator("rename")
    @classmethod
    def _distinct(cls, value: dict[str, str]) -> dict[str, str]:
        if len(set(value.values())) != len(value):
            raise ValueError("two columns would get the same new name")
        return value


#: The steps an outline may use: name -> model, in the order the docs and messages list them.
#: Filled by data/steps (`register`), which pairs each model with how it runs: a step nothing
#: could run is never one an outline may name.
STEPS: dict[str, type[StepSpec]] = {}


def step_name(step: StepSpec) -> str:
    """The step's key: filter, group..."""
    return step.key()
