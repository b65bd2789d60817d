"""A chart's context keys: reference lines on bars (`reference:`) and control limits on a line
(`limits:`). Declared here, with their own checks, so the chart's schema stays its kind's and the
data stage (data/chartcontext.py) reads typed values.

Reference lines follow what analysts know from Excel and Datawrapper: a line at a value, with
a label, across the bars; ggplot2's `geom_hline(yintercept = ...)` with `annotate()`. What sets
the value is one key of each entry: a named row of the data (`row:`), the mean of the bars
(`mean: true`), a number (`value:`) or a cell of the data written as figures in text are
(`cell: "asb_force[total].pct_change"`).
"""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Reference(BaseModel):
    """One reference line: exactly one of `row`, `mean`, `value`, `cell`, and its label."""

    model_config = ConfigDict(extra="forbid")

    row: Optional[str] = Field(
        default=None,
        description="a value of the chart's `x` column: its figure, out of the bars")
    keep: bool = Field(default=False, description="with `row`: keep the row as a bar too")
    mean: bool = Field(default=False, description="the mean of the bars shown")
    value: Optional[float] = Field(default=None, description="a number: a target, a threshold")
    cell: Optional[str] = Field(
        default=None,
        description="a cell of the data: \"asb_force[total].pct_change\"")
    label: str = Field(
        default="",
        description="default: the row's name, or 'Average'; required with value and cell")

    @model_validator(mode="after")
    def _one(self) -> "Reference":
        given = [k for k in ("row", "value", "cell") if getattr(self, k) is not None]
        given += ["mean"] if self.mean else []
        if len(given) != 1:
            raise ValueError("a reference line is one of {row: <a value of x>}, {mean: true}, "
                             "{value: <number>} or {cell: <source[column=value].column>}, "
                             f"with a label; this one has {', '.join(given) or 'none of them'}")
        if self.keep and self.row is None:
            raise ValueError("'keep' is for a 'row' reference: keep the row as a bar too")
        if not self.label and (self.value is not None or self.cell is not None):
            raise ValueError("a reference line at a value or a cell needs a 'label' saying "
                             "what it is, e.g. label: Force average")
        return self


class LimitsSpec(BaseModel):
    """`limits:` on a line chart of monthly counts: a control chart (data/spc.py)."""

    model_config = ConfigDict(extra="forbid")

    method: Literal["xmr", "c"] = "xmr"
    baseline: Optional[int] = Field(
        default=None, ge=1,
        description="the first N months; default all")
    assess: int = Field(
        default=3, ge=1,
        description="the latest months whose special causes count (data/spc.py ASSESS)")


#: `limits: spc` (or `xmr`, `c`) for the defaults, or the mapping.
Limits = Union[Literal["spc", "xmr", "c"], LimitsSpec]


def limits_spec(limits: Limits) -> LimitsSpec:
    """The mapping a short form stands for."""
    if isinstance(limits, LimitsSpec):
        return limits
    return LimitsSpec(method="c" if limits == "c" else "xmr")
