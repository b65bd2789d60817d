"""Each step against an independent pandas computation, and what each step refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from deckgen.data.frames import TotalRule, totals_row
from deckgen.data.steps import StepContext, StepOrigin, run_steps
from deckgen.errors import DeckError, Location
from deckgen.source.periods import WindowSpec, parse_month, window
from deckgen.source.steps import STEPS

PERIOD = parse_month("2016-04")
assert PERIOD is not None
WINDOWS = {name: window(name, WindowSpec(**spec), PERIOD) for name, spec in {
    "current": {"months": 2}, "previous": {"months": 2, "years_before": 1},
    "year": {"months": 12}, "fy": {"financial_year": "last"}}.items()}


@pytest.fixture()
def rows() -> pd.DataFrame:
    """Records as a police.uk extract holds them: months, districts, types (categories)."""
    data = []
    months = ["2015-03", "2015-04", "2015-05", "2016-02", "2016-03", "2016-04"]
    for i in range(240):
        data.append({"Month": months[i % 6], "District": ["Medway", "Swale", "Medway",
                                                          None][(i // 5) % 4],
                     "Crime type": ["Burglary", "Anti-social behaviour", "Robbery",
                                    "Drugs"][i % 4], "value": float(i % 7)})
    frame = pd.DataFrame(data)
    for column in ("Month", "District", "Crime type"):
        frame[column] = frame[column].astype("category")
    frame.index = pd.RangeIndex(2, 2 + len(frame))  # the lines of the file
    return frame


def _run(frame: pd.DataFrame, *steps: dict[str, Any],
         others: dict[str, pd.DataFrame] | None = None) -> tuple[pd.DataFrame, list[str]]:
    out, warnings, _ = _run_with_rules(frame, *steps, others=others)
    return out, warnings


def _run_with_rules(frame: pd.DataFrame, *steps: dict[str, Any],
                    others: dict[str, pd.DataFrame] | None = None
                    ) -> tuple[pd.DataFrame, list[str], dict[str, TotalRule]]:
    parsed = [STEPS[next(iter(s))].model_validate(s) for s in steps]
    ctx = StepContext("d", lambda key, pos: Location("deck.yaml", 9, 9), WINDOWS,
                      lambda name: (others or {})[name])
    out, _, warnings, rules = run_steps(frame, StepOrigin(Location("d.csv"), "d.csv"), parsed, ctx)
    return out, [w.message for w in warnings], rules


def _error(frame: pd.DataFrame, *steps: dict[str, Any],
           others: dict[str, pd.DataFrame] | None = None) -> str:
    with pytest.raises(DeckError) as info:
        _run(frame, *steps, others=others)
    return str(info.value)


def test_filter_values_lists_tests_and_windows(rows: pd.DataFrame) -> None:
    out, _ = _run(rows, {"filter": {"Crime type": "Burglary", "Month": {"window": "current"}}})
    want = rows[(rows["Crime type"] == "Burglary") & rows["Month"].isin(["2016-03", "2016-04"])]
    assert list(out.index) == list(want.index)
    out, _ = _run(rows, {"filter": {"Crime type": ["Burglary", "Drugs"],
                                    "value": {"min": 2, "max": 4}}})
    want = rows[rows["Crime type"].isin(["Burglary", "Drugs"]) & rows["value"].between(2, 4)]
    assert list(out.index) == list(want.index)
    out, _ = _run(rows, {"filter": {"District": {"blank": True}}})
    assert list(out.index) == list(rows[rows["District"].isna()].index)
    out, _ = _run(rows, {"filter": {"Crime type": {"not": "Burglary", "starts_with": "R"}}})
    assert set(out["Crime type"]) == {"Robbery"}
    out, _ = _run(rows, {"filter": "`Crime type` = 'Drugs' and value > 3"})
    want = rows[(rows["Crime type"] == "Drugs") & (rows["value"] > 3)]
    assert list(out.index) == list(want.index)


def test_filter_refuses_a_value_the_column_never_has(rows: pd.DataFrame) -> None:
    message = _error(rows, {"filter": {"Crime type": "Anti-social behavior"}})
    assert "no row has Crime type = 'Anti-social behavior'; did you mean 'Anti-social " \
           "behaviour'?" in message
    message = _error(rows, {"filter": {"District": "Med*"}})
    assert "to keep values starting 'Med', write {starts_with: Med}" in message
    message = _error(rows, {"filter": {"Month": "Apr 2016"}})
    assert "no row has Month = 'Apr 2016' (the column holds months: write it YYYY-MM: did " \
           "you mean 2016-04?)" in message
    message = _error(rows, {"filter": {"Distrct": "Medway"}})
    assert "no column 'Distrct' here" in message and "did you mean 'District'?" in message
    assert "step 1 (filter)" in message
    message = _error(rows, {"filter": {"Crime type": "Drugs"}},
                     {"filter": {"Crime type": "Burglary"}})
    assert "data 'd', step 2 (filter): this step leaves no rows (it had 60)" in message


def test_a_filter_that_leaves_no_rows_says_which_test(rows: pd.DataFrame) -> None:
    message = _error(rows, {"filter": {"District": "Medway", "Month": {"from": "2017-01"}}})
    assert message.endswith("step 1 (filter): this step leaves no rows (it had 240): no row "
                            "passes the test on 'Month' (its values are 2015-03, 2015-04, "
                            "2015-05, 2016-02, 2016-03, 2016-04)")
    message = _error(rows, {"filter": {"value": {"min": 3}, "Crime type": {"contains": "x"}}})
    assert message.endswith("no row passes the test on 'Crime type' (its values are "
                            "Anti-social behaviour, Burglary, Drugs, Robbery)")
    both = {"Month": {"from": "2015-04", "to": "2015-04"}, "Crime type": {"starts_with": "Rob"}}
    months = rows["Month"].astype(str) == "2015-04"
    robbery = rows["Crime type"].astype(str).str.startswith("Rob")
    assert not (months & robbery).any()  # the fixture's months and types do not meet
    assert _error(rows, {"filter": both}).endswith(
        f"each test keeps some rows ('Month' keeps {months.sum()}; 'Crime type' keeps "
        f"{robbery.sum()}), but no row passes them all")


def test_a_window_the_data_does_not_cover_is_an_error(rows: pd.DataFrame) -> None:
    message = _error(rows, {"filter": {"Month": {"window": "year"}}})
    assert ("the data has no rows for 2015-06, 2015-07, 2015-08, 2015-09, 2015-10, 2015-11 and "
            "2 more in column 'Month' (a month never published, or a file missing), so window "
            "'year' (12 months to April 2016) would have 4 of 12 months; June 2015, July 2015, "
            "August 2015 and 5 more not published; add the month, or say 'coverage: partial' "
            "on window 'year'") in message


def test_window_group_pivot_derive_give_two_periods_side_by_side(rows: pd.DataFrame) -> None:
    out, warnings = _run(rows,
                         {"window": {"column": "Month", "windows": ["previous", "current"]}},
                         {"group": {"by": ["District", "window"], "count": "n"}},
                         {"pivot": {"rows": "District", "columns": "window", "values": "n"}},
                         {"derive": {"change": "current - previous"}})
    known = rows[rows["District"].notna()]
    current = known[known["Month"].isin(["2016-03", "2016-04"])].groupby(
        "District", observed=True).size()
    previous = known[known["Month"].isin(["2015-03", "2015-04"])].groupby(
        "District", observed=True).size()
    assert list(out["District"]) == ["Medway", "Swale"]
    current = current.reindex(["Medway", "Swale"], fill_value=0)
    previous = previous.reindex(["Medway", "Swale"], fill_value=0)
    assert list(out["current"]) == list(current) and list(out["previous"]) == list(previous)
    assert list(out["change"]) == list(current - previous)
    blank = int(rows[rows["Month"].isin(["2015-03", "2015-04", "2016-03", "2016-04"])]
                ["District"].isna().sum())
    assert warnings == [f"{blank} row(s) with no District are left out of the groups (say "
                        "'blanks: drop' to leave them out quietly, or 'blanks: keep')"]


def test_group_aggregations_and_shares(rows: pd.DataFrame) -> None:
    out, warnings = _run(rows, {"group": {"by": "Crime type", "count": "n",
                                          "sum": {"total": "value"}, "mean": {"avg": "value"},
                                          "max": {"top": "value"}, "share": {"pct": "n"}}})
    want = rows.groupby("Crime type", observed=True)["value"]
    assert list(out["Crime type"]) == sorted(rows["Crime type"].unique())
    assert list(out["n"]) == list(want.size())
    assert list(out["total"]) == pytest.approx(list(want.sum()))
    assert list(out["avg"]) == pytest.approx(list(want.mean()))
    assert list(out["top"]) == pytest.approx(list(want.max()))
    assert list(out["pct"]) == pytest.approx(list(want.size() / len(rows) * 100))
    assert warnings == []
    kept, _ = _run(rows, {"group": {"by": "District", "count": "n", "blanks": "keep",
                                    "blank_label": "No location"}})
    assert "No location" in list(kept["District"]) and kept["n"].sum() == len(rows)


def test_group_complete_gives_zero_for_a_missing_combination() -> None:
    frame = pd.DataFrame({"District": ["A", "A", "B"], "Month": ["2016-01", "2016-02",
                                                                 "2016-01"]})
    out, _ = _run(frame, {"group": {"by": ["District", "Month"], "count": "n",
                                    "complete": True}})
    assert [tuple(r) for r in out[["District", "Month", "n"]].itertuples(index=False)] == [
        ("A", "2016-01", 1), ("A", "2016-02", 1), ("B", "2016-01", 1), ("B", "2016-02", 0)]


def test_pivot_refuses_two_rows_for_one_cell(rows: pd.DataFrame) -> None:
    message = _error(rows, {"pivot": {"rows": "District", "columns": "Month",
                                      "values": "value"}})
    assert "a pivot needs one row for each cell; group them first" in message


def test_join_rate_rank_sort_top(rows: pd.DataFrame) -> None:
    population = pd.DataFrame({"district": ["Medway", "Swale"], "population": [280000, 0]})
    out, warnings = _run(rows,
                         {"group": {"by": "District", "count": "n", "blanks": "drop"}},
                         {"join": {"source": "pop", "on": {"District": "district"}}},
                         {"rate": {"value": "n", "per": "population", "as": "per_1000"}},
                         {"rank": {"by": "n", "as": "position"}},
                         {"sort": {"by": "n", "order": "descending"}}, others={"pop": population})
    counts = rows.groupby("District", observed=True).size()
    medway = out.set_index("District").loc["Medway"]
    assert medway["per_1000"] == pytest.approx(counts["Medway"] / 280000 * 1000)
    assert pd.isna(out.set_index("District").loc["Swale", "per_1000"])
    assert warnings == ["1 row(s) have no population above 0, so their per_1000 is blank"]
    assert list(out["n"]) == sorted(counts, reverse=True)
    want = counts.rank(method="min", ascending=False).astype(int)
    assert list(out["position"]) == [want[d] for d in out["District"]]
    top, _ = _run(rows, {"group": {"by": "Month", "count": "n"}},
                  {"top": {"n": 2, "by": "n", "label": "Month"}})
    counts = rows.groupby("Month", observed=True).size().sort_values(ascending=False,
                                                                     kind="mergesort")
    assert list(top["Month"]) == list(counts.index[:2]) + ["Other"]
    assert list(top["n"]) == list(counts.values[:2]) + [counts.values[2:].sum()]


def test_other_and_totals_count_a_population_once_for_its_area(rows: pd.DataFrame) -> None:
    """One district's crime types, each joined to the district's population: "Other" and the
    totals row hold that population once, and their rates are computed from it."""
    population = pd.DataFrame({"district": ["Medway", "Swale"], "population": [280000, 150000]})
    out, _, rules = _run_with_rules(
        rows, {"filter": {"District": "Medway"}},
        {"group": {"by": ["District", "Crime type"], "count": "n"}},
        {"join": {"source": "pop", "on": {"District": "district"}}},
        {"rate": {"value": "n", "per": "population", "as": "per_1000"}},
        {"top": {"n": 2, "by": "n", "label": "Crime type"}}, others={"pop": population})
    counts = rows[rows["District"] == "Medway"].groupby("Crime type", observed=True).size()
    counts = counts.sort_values(ascending=False, kind="mergesort")
    other = out.set_index("Crime type").loc["Other"]
    assert other["n"] == counts.iloc[2:].sum()
    assert other["population"] == 280000
    assert other["per_1000"] == pytest.approx(counts.iloc[2:].sum() / 280000 * 1000)
    assert other["District"] == "Medway"  # the text the folded rows share
    total = totals_row(out, rules)
    assert total["n"] == counts.sum()
    assert total["population"] == 280000
    assert total["per_1000"] == pytest.approx(counts.sum() / 280000 * 1000)


def test_totals_add_each_area_population_once(rows: pd.DataFrame) -> None:
    """Rows by district and crime type: the total population is the districts' together;
    "Other" districts hold the populations of the districts folded into it."""
    population = pd.DataFrame({"district": ["Medway", "Swale"], "population": [280000, 150000]})
    out, _, rules = _run_with_rules(
        rows, {"group": {"by": ["District", "Crime type"], "count": "n", "blanks": "drop"}},
        {"join": {"source": "pop", "on": {"District": "district"}}},
        {"rate": {"value": "n", "per": "population", "as": "per_1000"}},
        others={"pop": population})
    total = totals_row(out, rules)
    assert total["population"] == 280000 + 150000
    assert total["per_1000"] == pytest.approx(total["n"] / 430000 * 1000)
    by_area, _, rules = _run_with_rules(
        rows, {"group": {"by": "District", "count": "n", "blanks": "drop"}},
        {"join": {"source": "pop", "on": {"District": "district"}}},
        {"top": {"n": 1, "by": "n", "label": "District"}}, others={"pop": population})
    counts = rows.groupby("District", observed=True).size().sort_values(ascending=False)
    folded = by_area.set_index("District").loc["Other"]
    assert folded["population"] == population.set_index("district").loc[
        counts.index[1], "population"]
    assert totals_row(by_area, rules)["population"] == 430000


def test_join_refuses_a_key_it_cannot_find_unless_told_to_leave_blanks(
        rows: pd.DataFrame) -> None:
    population = pd.DataFrame({"district": ["Medway "], "population": [280000]})
    steps = [{"group": {"by": "District", "count": "n", "blanks": "drop"}}]
    message = _error(rows, *steps, {"join": {"source": "pop", "on": {"District": "district"}}},
                     others={"pop": population})
    assert message.endswith("2 value(s) of District have no row in data 'pop': 'Medway', "
                            "'Swale' (did you mean 'Medway '?); correct the key, or add "
                            "'missing: blank' to keep those rows with their population "
                            "blank, or 'missing: drop' to keep only the rows that match")
    population = pd.DataFrame({"district": ["Medway", "Swal"], "population": [280000, 1]})
    out, warnings, rules = _run_with_rules(
        rows, *steps, {"join": {"source": "pop", "on": {"District": "district"},
                                "missing": "blank"}}, others={"pop": population[:1]})
    assert warnings == ["1 value(s) of District have no row in data 'pop' ('Swale'), so their "
                        "population are blank"]
    assert pd.isna(totals_row(out, rules)["population"])  # no honest total without Swale


def test_join_refuses_a_key_that_matches_two_rows(rows: pd.DataFrame) -> None:
    population = pd.DataFrame({"District": ["Medway", "Medway"], "population": [1, 2]})
    with pytest.raises(DeckError, match="data 'pop' has two rows for District = 'Medway'"):
        _run(rows, {"join": {"source": "pop", "on": "District"}}, others={"pop": population})


def test_a_financial_year_lies_inside_a_window_of_twelve_months_to_march() -> None:
    frame = pd.DataFrame({"Financial Year": ["2014/15", "2015/16", "2015/16"],
                          "n": [1, 2, 3]})
    out, _ = _run(frame, {"filter": {"Financial Year": {"window": "fy"}}})
    assert list(out["n"]) == [2, 3]


def test_every_step_is_documented(root: Path) -> None:
    guide = (root / "docs" / "data.md").read_text(encoding="utf-8")
    for name in STEPS:
        assert f"| `{name}` |" in guide, name
