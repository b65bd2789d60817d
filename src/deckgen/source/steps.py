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

This module is the schema (what each step may say, checked when the outline is loaded);
data/steps.py runs them.
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


class Condition(_Step):
    """What a filter asks of one column's values (one test per condition)."""

    in_: Optional[list[Scalar]] = Field(default=None, alias="in")  # one of these
    not_: Optional[Union[Scalar, list[Scalar]]] = Field(default=None, alias="not")
    min: Optional[float] = None  # at least (numbers)
    max: Optional[float] = None  # at most (numbers)
    from_: Optional[str] = Field(default=None, alias="from")  # periods from this month on
    to: Optional[str] = None  # periods up to this month
    window: Optional[str] = None  # periods inside a window (see `windows:`)
    starts_with: Optional[str] = None
    ends_with: Optional[str] = None
    contains: Optional[str] = None
    blank: Optional[bool] = None  # true: the cell is empty; false: it is filled

    @model_validator(mode="after")
    def _something(self) -> "Condition":
        if not self.model_fields_set:
            raise ValueError("a condition needs a test: in, not, min, max, from, to, window, "
                             "starts_with, ends_with, contains or blank")
        return self


class Filter(_Step):
    """filter: {column: value | [values] | {test: ...}} (all must hold), or an expression."""

    filter: Union[str, dict[str, Union[Scalar, list[Scalar], Condition]]]


class Derive(_Step):
    derive: dict[str, Scalar]


class WindowTag(_Step):
    """window: the window each row's period falls in, as a new column; rows in none are
    dropped."""

    class Args(_Step):
        column: str
        windows: list[str] = Field(min_length=1)
        as_: str = Field(default="window", alias="as")

    window: Args


class Group(_Step):
    class Args(_Step):
        by: Columns
        count: Optional[str] = None  # a column holding how many rows each group has
        sum: dict[str, str] = Field(default_factory=dict)  # new column: the column to add up
        mean: dict[str, str] = Field(default_factory=dict)
        min: dict[str, str] = Field(default_factory=dict)
        max: dict[str, str] = Field(default_factory=dict)
        share: dict[str, str] = Field(default_factory=dict)  # new: % of the column's total
        # rows with a blank key: warn and leave them out (the default), leave them out quietly,
        # or keep them as a group of their own, named blank_label
        blanks: Literal["warn", "drop", "keep"] = "warn"
        blank_label: str = "(blank)"
        # every combination of the keys' values, with 0 where no row has it (a month with no
        # incidents is a 0 on a trend line, not a gap)
        complete: bool = False

        _by = field_validator("by")(_some)

        @model_validator(mode="after")
        def _something(self) -> "Group.Args":
            if not (self.count or self.sum or self.mean or self.min or self.max or self.share):
                raise ValueError("say what to compute for each group: count, sum, mean, min, "
                                 "max or share")
            return self

    group: Args


class Pivot(_Step):
    class Args(_Step):
        rows: Columns
        columns: str  # its values become columns
        values: str
        fill: Union[float, Literal["blank"]] = 0.0  # for a combination no row has
        order: Optional[list[str]] = None  # the new columns' order (default: sorted)

        _rows = field_validator("rows")(_some)

    pivot: Args


class Join(_Step):
    class Args(_Step):
        source: str
        on: Union[str, dict[str, str]]  # a column both have, or {this column: that column}
        columns: Optional[list[str]] = None  # default: all the other source's columns
        missing: Literal["error", "blank"] = "error"  # a key the other source has no row for

    join: Args


class Sort(_Step):
    class Args(_Step):
        by: Columns
        order: Literal["ascending", "descending"] = "ascending"

        _by = field_validator("by")(_some)

    sort: Union[str, Args]


class Top(_Step):
    class Args(_Step):
        n: int = Field(ge=1, le=1000)
        by: str
        label: str  # the column that names each row; the rest are summed as `other`
        other: Optional[str] = "Other"  # null: drop the rest

    top: Args


class Rank(_Step):
    class Args(_Step):
        by: str
        as_: str = Field(default="rank", alias="as")
        order: Literal["ascending", "descending"] = "descending"  # 1 = the highest

    rank: Args


class Rate(_Step):
    class Args(_Step):
        value: str
        per: str  # e.g. a population column
        scale: float = Field(default=1000, gt=0)
        as_: str = Field(alias="as")

    rate: Args


class Select(_Step):
    select: list[str] = Field(min_length=1)


class Rename(_Step):
    rename: dict[str, str]

    @field_validator("rename")
    @classmethod
    def _distinct(cls, value: dict[str, str]) -> dict[str, str]:
        if len(set(value.values())) != len(value):
            raise ValueError("two columns would get the same new name")
        return value


STEPS: dict[str, type[_Step]] = {
    "filter": Filter, "derive": Derive, "window": WindowTag, "group": Group, "pivot": Pivot,
    "join": Join, "sort": Sort, "top": Top, "rank": Rank, "rate": Rate, "select": Select,
    "rename": Rename,
}

Step = Union[Filter, Derive, WindowTag, Group, Pivot, Join, Sort, Top, Rank, Rate, Select,
             Rename]


def step_name(step: Any) -> str:
    """The step's key: filter, group..."""
    return next(name for name, model in STEPS.items() if isinstance(step, model))
