"""A problem knows the slide it is about and how bad it is, as fields, not as text to parse."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

from deckgen.errors import Location, Problem, SlideLabel
from deckgen.pipeline import in_slide_order, once


def test_a_slide_label_reads_as_before_and_knows_its_slide() -> None:
    assert SlideLabel(2, "table") == "slide 3 (table)"
    assert SlideLabel(0) == "slide 1"
    assert SlideLabel(4, "") == "slide 5 ()"  # a blank kind, named as written
    label = SlideLabel(2, "table")
    assert (label.slide, label.kind) == (2, "table")
    assert label.index("(") == 8  # still every str method
    assert f"{label}: x" == "slide 3 (table): x"


def test_a_problem_takes_its_slide_from_its_label() -> None:
    about = Problem("bad", Location("deck.yaml", 9, 3), SlideLabel(2, "table"))
    assert about.slide == 2 and about.severity == "error"
    assert str(about) == "deck.yaml:9:3: slide 3 (table): bad"
    assert Problem("bad", None, "brand logo").slide is None
    assert Problem("bad").slide is None
    # a context that merely reads like a slide's is not one: nothing parses it
    assert Problem("bad", None, "slide 3 (table)").slide is None
    assert Problem("bad", None, "", slide=4).slide == 4


def test_a_problem_crosses_processes_with_its_slide() -> None:
    """A batch's worker processes send their problems back pickled."""
    problem = Problem("bad", Location("d.yaml", 1, 1), SlideLabel(6, "chart"), severity="warning")
    for back in (pickle.loads(pickle.dumps(problem)), copy.deepcopy(problem)):
        assert back == problem and back.slide == 6 and back.severity == "warning"
        assert isinstance(back.context, SlideLabel) and back.context == "slide 7 (chart)"


def test_problems_are_put_in_slide_order_the_deck_first() -> None:
    found = [Problem("c", None, SlideLabel(2, "table")), Problem("deck"),
             Problem("a", None, SlideLabel(0)), Problem("b", None, SlideLabel(2, "chart")),
             Problem("data", None, "data 'asb'")]
    assert [p.message for p in in_slide_order(found)] == ["deck", "data", "a", "c", "b"]


def test_a_build_s_warnings_are_marked_and_said_once() -> None:
    twice = Problem("too long", Location("d.yaml", 4, 5), SlideLabel(1, "bullets"))
    warnings = once([twice, Problem("brand"), twice])
    assert [w.message for w in warnings] == ["too long", "brand"]
    assert {w.severity for w in warnings} == {"warning"}
    assert warnings[0].slide == 1


def test_a_kind_s_warning_reaches_the_build_with_its_slide(tmp_path: Path) -> None:
    from deckgen import app

    points = ", ".join(f"point number {n} of a very long list of points" for n in range(40))
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\nslides:\n  - kind: title\n    title: T\n"
                    f"  - kind: bullets\n    title: Many\n    points: [{points}]\n",
                    encoding="utf-8")
    checked = app.check(deck)
    assert checked.warnings, "a list of 40 points should not fit one slide legibly"
    assert {(w.slide, w.severity) for w in checked.warnings} == {(1, "warning")}
