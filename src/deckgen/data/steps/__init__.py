"""Run a data source's steps, in order, each located for errors; and the registry of steps.

Every step takes the rows so far and returns new rows and its warnings, as values. A step that
leaves no rows, names a column the rows do not have, or meets data it cannot handle honestly
(a pivot with two rows for one cell, a join key that matches two rows, a window the data does
not cover) is an error at its place in the outline, naming the step; where a figure would
silently change (rows with a blank key left out of a group, keys a join does not find) it says
so. Rows keep the line they came from until a step makes new ones (group, pivot, top); a
problem with those points at the step instead.

Each step is one object (base.Step: its model, how it runs, how its columns add up, the
columns it reads), registered once here: that is what lets an outline name it (the grammar,
source/steps.STEPS), the JSON Schema and the data guide's table list it, and the functions
below run it, with no other edit (tests/unit/test_steps_contract.py adds one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence

from deckgen.data.frames import TotalRule
from deckgen.data.steps.base import Origin, Run, Step, StepContext, StepOrigin
from deckgen.data.steps.columns import Derive, Join, Rank, Rate, Rename, Select, Sort
from deckgen.data.steps.filtering import Filter, WindowTag, covered, spans
from deckgen.data.steps.shaping import Group, Pivot, Top
from deckgen.errors import Problem
from deckgen.source.steps import STEPS, StepSpec

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Origin", "REGISTRY", "Step", "StepContext", "StepOrigin", "covered", "guide_table",
           "register", "run_steps", "spans", "used_columns"]

#: Every step an outline may use, by name, in the order the data guide lists them.
REGISTRY: dict[str, Step[Any]] = {}


def register(step: Step[Any]) -> Step[Any]:
    """Make `step` one an outline may use: by its name, with its model (source/steps.STEPS)."""
    REGISTRY[step.name] = step
    STEPS[step.name] = step.spec
    return step


def _registered(spec: StepSpec) -> Step[Any]:
    return REGISTRY[spec.key()]


def run_steps(frame: "pd.DataFrame", origin: Origin, steps: Sequence[Any], ctx: StepContext,
              rules: Optional[Mapping[str, TotalRule]] = None
              ) -> tuple["pd.DataFrame", Origin, list[Problem], dict[str, TotalRule]]:
    """The rows after every step, where they came from, the steps' warnings, and how each
    column adds up in a totals row (frames.TotalRule), starting from `rules`."""
    warnings: list[Problem] = []
    now: dict[str, TotalRule] = dict(rules or {})
    for index, args in enumerate(steps):
        step = _registered(args)
        run = Run(ctx, index, step.name, now)
        before = len(frame)
        columns = list(frame.columns)
        frame, more = step.run(frame, origin, args, run)
        warnings += more
        if step.makes_rows:
            origin = StepOrigin(run.at(), f"step {index + 1} ({step.name})")
        if len(frame) == 0 and before:
            raise run.error(f"this step leaves no rows (it had {before:,})")
        now = step.rules_after(args, now, columns, frame)
    return frame, origin, warnings, now


def used_columns(steps: Sequence[Any]) -> tuple[set[str], bool]:
    """The columns the steps read before they shape the rows into new ones (a group, pivot or
    select), and whether they do: then no other column of the source reaches a slide."""
    used: set[str] = set()
    for args in steps:
        step = _registered(args)
        used |= step.reads(args)
        if step.keeps_only_its_columns:
            return used, True
    return used, False


def guide_table() -> str:
    """The data guide's table of steps (docs/data.md, "Steps"), one row for each registered."""
    rows = ["| step | example | does |", "|---|---|---|"]
    rows += [f"| `{name}` | `{step.example}` | {step.does} |" for name, step in REGISTRY.items()]
    return "\n".join(rows) + "\n"


for _step in (Filter(), Derive(), WindowTag(), Group(), Pivot(), Join(), Sort(), Top(), Rank(),
              Rate(), Select(), Rename()):
    register(_step)
