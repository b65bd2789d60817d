"""Adding a step is one object and one `register`: nothing else.

A throwaway step, `cap` (a column's numbers held at a ceiling, as a new column), is declared
here as a real step is: its model (what the outline may say) and its step object (how it runs,
how its column adds up, the column it reads), registered once. An outline then uses it, its
problems are located, and the JSON Schema, the "unknown step" message and the data guide's
table of steps list it, with no other edit. Every registered step keeps the same contract.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Iterator

import jsonschema
import pandas as pd
import pytest
from pydantic import BaseModel, ConfigDict, Field

from deckgen import app
from deckgen.data import steps
from deckgen.data.frames import TotalRule
from deckgen.data.steps.base import Origin, Run, Step, numbers
from deckgen.errors import DeckError, Location, Problem
from deckgen.source.steps import STEPS, StepSpec
from deckgen.source.yamlsrc import loads

ROOT = Path(__file__).resolve().parents[2]


class Cap(StepSpec):
    """cap: a column's numbers held at a ceiling, as a new column."""

    class Args(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)

        column: str
        at: float
        as_: str = Field(alias="as")

    cap: Args


class CapStep(Step[Cap]):
    spec = Cap
    example = "cap: {column: incidents, at: 100, as: capped}"
    does = "adds the column's numbers held at a ceiling"

    def run(self, df: pd.DataFrame, origin: Origin, args: Cap, run: Run
            ) -> tuple[pd.DataFrame, list[Problem]]:
        import numpy as np

        c = args.cap
        run.column(df, c.column, "column")
        values = numbers(df, c.column, origin, run)
        out = df.copy()
        out[c.as_] = np.minimum(values, c.at)
        over = int((values > c.at).sum())
        return out, [run.warning(f"{over} row(s) above {c.at:g} are capped", "at")] if over \
            else []

    def reads(self, args: Cap) -> set[str]:
        return {args.cap.column}

    def made_rules(self, args: Cap) -> dict[str, TotalRule]:
        return {args.cap.as_: "none"}  # capped figures do not add up to a capped total


@pytest.fixture()
def cap() -> Iterator[None]:
    """The `cap` step registered for this test alone."""
    saved = dict(steps.REGISTRY), dict(STEPS)
    steps.register(CapStep())
    yield
    for registry, before in zip((steps.REGISTRY, STEPS), saved):
        registry.clear()
        registry.update(before)  # type: ignore[arg-type]


def _outline(folder: Path, step: str, csv: str = "district,n\nA,3\nB,9\n") -> Path:
    (folder / "d.csv").write_text(csv, encoding="utf-8")
    deck = folder / "deck.yaml"
    deck.write_text(textwrap.dedent(f"""\
        title: T
        data:
          d:
            file: d.csv
            steps:
              - {step}
        slides:
          - kind: table
            title: Capped
            data: d
            columns: [{{column: district}}, {{column: capped}}]
        """), encoding="utf-8")
    return deck


def test_every_registered_step_keeps_the_contract() -> None:
    assert list(STEPS) == list(steps.REGISTRY)  # no step an outline may name that cannot run
    for name, step in steps.REGISTRY.items():
        assert step.name == name and STEPS[name] is step.spec, name
        assert issubclass(step.spec, StepSpec) and step.spec.key() == name
        assert type(step).run is not Step.run, f"{name} does not say how it runs"
        example, _ = loads(step.example, "example")  # as an outline is read
        assert isinstance(example, dict) and list(example) == [name], step.example
        args = step.spec.model_validate(example)  # the guide's example is a valid step
        assert all(isinstance(c, str) for c in step.reads(args)), name
        assert step.does, f"{name} says nothing of what it does"


def test_a_new_step_is_used_by_an_outline(cap: None, tmp_path: Path) -> None:
    deck = _outline(tmp_path, "cap: {column: n, at: 5, as: capped}")
    planned = app.check(deck)
    assert [str(w) for w in planned.warnings] == [
        f"{deck}:6:30: data 'd', step 1 (cap): 1 row(s) above 5 are capped"]
    shown = app.data_show(deck, "d")
    assert shown.columns == ("district", "n", "capped")
    assert [row[2] for row in shown.cells] == ["3", "5"]


def test_a_new_steps_problems_are_located(cap: None, tmp_path: Path) -> None:
    with pytest.raises(DeckError) as info:  # a key of the step: at the key
        app.check(_outline(tmp_path, "cap: {column: m, at: 5, as: capped}"))
    assert str(info.value) == (f"{tmp_path / 'deck.yaml'}:6:23: data 'd', step 1 (cap): no "
                               "column 'm' here; the columns are: district, n")
    with pytest.raises(DeckError) as info:  # a cell of the data: at the cell
        app.check(_outline(tmp_path, "cap: {column: n, at: 5, as: capped}",
                           "district,n\nA,3\nB,lots\n"))
    assert str(info.value) == ("d.csv:3:3: data 'd', step 1 (cap): column 'n' must hold "
                               "numbers for this filter, but it has 'lots'")
    with pytest.raises(DeckError) as info:  # the outline checked at load, as for any step
        app.check(_outline(tmp_path, "cap: {column: n, as: capped}"))
    assert "step 1 (cap): missing required key 'at'" in str(info.value)


def test_a_new_steps_totals_rule_and_columns_are_its_own(cap: None) -> None:
    args = [Cap.model_validate({"cap": {"column": "n", "at": 5, "as": "capped"}})]
    frame = pd.DataFrame({"district": ["A", "B"], "n": [3.0, 9.0]})
    ctx = steps.StepContext("d", lambda key, pos: Location("deck.yaml", 7, 29), {},
                            lambda name: frame)
    out, _, _, rules = steps.run_steps(frame, steps.StepOrigin(None, "d.csv"), args, ctx)
    assert list(out["capped"]) == [3.0, 5.0]
    assert rules == {"capped": "none"}
    assert steps.used_columns(args) == ({"n"}, False)


def test_the_schema_and_the_messages_list_a_new_step(cap: None, tmp_path: Path) -> None:
    schema = app.outline_schema()
    validator = jsonschema.Draft202012Validator(schema)
    outline = {"title": "T", "data": {"d": {"file": "d.csv", "steps": [
        {"cap": {"column": "n", "at": 5, "as": "capped"}}]}}, "slides": [
        {"kind": "bullets", "title": "T", "points": ["a"]}]}
    assert list(validator.iter_errors(outline)) == []
    outline["data"]["d"]["steps"][0]["cap"]["at"] = "high"  # type: ignore[index]
    assert list(validator.iter_errors(outline)) != []
    with pytest.raises(DeckError) as info:
        app.check(_outline(tmp_path, "capp: {column: n, at: 5, as: capped}"))
    assert str(info.value).endswith("unknown step 'capp'; did you mean 'cap'?; the steps are: "
                                    f"{', '.join(STEPS)}")
    assert list(STEPS)[-1] == "cap"


def test_the_data_guide_lists_the_steps_as_registered(cap: None) -> None:
    table = steps.guide_table()
    assert "| `cap` | `cap: {column: incidents, at: 100, as: capped}` | adds the column's " \
           "numbers held at a ceiling |\n" in table


def test_the_data_guide_has_the_registered_table() -> None:
    guide = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    assert steps.guide_table() in guide, (
        "docs/data.md's table of steps differs from the registered steps; put this table "
        "under '## Steps':\n" + steps.guide_table())
