"""Adding a source format is one object and one `register`: nothing else.

A throwaway record format, `rides` (a bike scheme's rides: one file a month, a header of its
own), is declared here as a real format is: the header it claims, its number columns, the
column it adds and what that is made from, and what it checks, registered once. An outline
then reads files in it (recognised by their header, or as `format:` says), only the columns
its steps need, each problem at its row; and `format:`, its message, the JSON Schema and the
data guide list it, with no other edit. Every registered format keeps the same contract.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Iterator, Optional

import pandas as pd
import pytest

from deckgen import app
from deckgen.data import formats, records
from deckgen.errors import DeckError
from deckgen.source import schema

ROOT = Path(__file__).resolve().parents[2]


class Rides(formats.RecordFormat):
    name = "rides"
    columns = ("Ride ID", "Month", "Station", "Minutes")
    numbers = ("Minutes",)
    adds = {"Area": ("Station",)}  # "North - Pier": North

    def names(self, header: list[str]) -> Optional[tuple[str, ...]]:
        return self.columns if tuple(h.strip() for h in header) == self.columns else None

    def missing(self, header: list[str]) -> list[str]:
        return [c for c in self.columns if c not in [h.strip() for h in header]]

    def finish(self, frame: pd.DataFrame, origin: formats.Rows) -> None:
        if "Minutes" in frame.columns:
            negative = (frame["Minutes"] < 0).fillna(False).to_numpy()
            if negative.any():
                row = int(negative.argmax())
                raise DeckError.single(f"a ride cannot take {frame['Minutes'][row]:g} minutes",
                                       origin.where(row, "Minutes"))
        if "Station" in frame.columns:
            frame["Area"] = frame["Station"].map(lambda s: str(s).split(" - ")[0])


@pytest.fixture()
def rides() -> Iterator[None]:
    """The `rides` format registered for this test alone."""
    saved = dict(formats.FORMATS), list(schema.FORMATS)
    formats.register(Rides())
    yield
    formats.FORMATS.clear()
    formats.FORMATS.update(saved[0])
    schema.FORMATS[:] = saved[1]


def _files(folder: Path, last: str = "4,2016-04,North - Pier,9\n") -> None:
    (folder / "rides").mkdir(exist_ok=True)
    header = "Ride ID,Month,Station,Minutes\n"
    (folder / "rides" / "2016-03.csv").write_text(
        header + "1,2016-03,North - Pier,12\n2,2016-03,North - Park,30\n"
        "3,2016-03,South - Quay,5\n", encoding="utf-8")
    (folder / "rides" / "2016-04.csv").write_text(header + last, encoding="utf-8")


def _outline(folder: Path, declared: str = "") -> Path:
    """An outline of one source, the rides by area; `declared`: its `format:`, if any."""
    deck = folder / "deck.yaml"
    deck.write_text(textwrap.dedent("""\
        title: T
        data:
          rides:
            files: rides/*.csv
            steps:
              - group: {by: Area, count: rides, sum: {minutes: Minutes}}
        slides:
          - kind: table
            title: Rides
            data: rides
            columns: [{column: Area}, {column: rides}, {column: minutes}]
        """).replace("csv\n", f"csv\n    format: {declared}\n" if declared else "csv\n"),
        encoding="utf-8")
    return deck


def test_every_registered_format_keeps_the_contract() -> None:
    assert schema.FORMATS == ["csv", *formats.FORMATS]  # what `format:` may name
    for name, fmt in formats.FORMATS.items():
        header = list(fmt.columns)
        assert fmt.name == name and fmt.names(header) == fmt.columns, name
        found = formats.recognise(header)
        assert found is not None and found.format is fmt, f"{name}'s own header is not its"
        assert set(fmt.numbers) <= set(fmt.columns), name
        for added, made_from in fmt.adds.items():
            assert added not in fmt.columns and set(made_from) <= set(fmt.columns), name
        assert fmt.missing(header) == [] and fmt.missing(["x"]), name
        assert fmt.names(["x"]) is None and fmt.not_this(["x"]), name


def test_a_new_format_is_recognised_and_read(rides: None, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _files(tmp_path)
    read: list[Any] = []
    real = records._parse
    monkeypatch.setattr(records, "_parse", lambda *a, **k: read.append(a[4]) or real(*a, **k))
    shown = app.data_show(_outline(tmp_path), "rides")
    assert shown.columns == ("Area", "minutes", "rides")
    assert shown.cells == (("North", "51", "3"), ("South", "5", "1"))
    assert read == [["Station", "Minutes"]] * 2  # only what the steps use; Area from Station
    app.check(_outline(tmp_path, "rides"))  # declared, as it is


def test_a_new_formats_problems_are_located(rides: None, tmp_path: Path) -> None:
    _files(tmp_path, last="4,2016-04,North - Pier,9\n5,2016-04,South - Quay,-4\n")
    with pytest.raises(DeckError) as info:  # the format's own check: at the row
        app.check(_outline(tmp_path))
    assert str(info.value) == "rides/2016-04.csv:3:1: a ride cannot take -4 minutes"
    _files(tmp_path, last="4,2016-04,North - Pier,9\n")
    (tmp_path / "rides" / "2016-05.csv").write_text("Ride ID,Month,Station\n6,2016-05,X\n")
    with pytest.raises(DeckError) as info:  # a file of the pattern that is not one
        app.check(_outline(tmp_path))
    assert str(info.value) == ("rides/2016-05.csv:1:1: the header is not a rides file's: it "
                               "has no Minutes")


def test_format_may_name_a_new_format(rides: None, tmp_path: Path) -> None:
    _files(tmp_path)
    with pytest.raises(DeckError) as info:
        app.check(_outline(tmp_path, "ridez"))
    assert str(info.value) == (f"{tmp_path / 'deck.yaml'}:5:13: 'format': "
                               "expected 'csv', 'police.uk', 'home-office' or 'rides', got "
                               "'ridez'; did you mean 'rides'?")
    (tmp_path / "other.csv").write_text("district,n\nA,1\n")
    deck = _outline(tmp_path, "rides").read_text().replace("rides/*.csv",
                                                                        "other.csv")
    (tmp_path / "deck.yaml").write_text(deck)
    with pytest.raises(DeckError) as info:
        app.check(tmp_path / "deck.yaml")
    assert str(info.value) == ("other.csv:1:1: data 'rides': the file is not in the rides "
                               "format: its header has no Ride ID, Month, Station, Minutes")


def test_the_schema_and_the_data_guide_list_a_new_format(rides: None) -> None:
    defs = app.outline_schema()["$defs"]
    assert defs["DataSourceSpec"]["properties"]["format"]["anyOf"][0]["enum"] == [
        "csv", "police.uk", "home-office", "rides"]
    assert formats.guide_names() == "`police.uk`, `home-office`, `rides` or `csv`"


def test_the_data_guide_names_the_registered_formats() -> None:
    guide = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    assert f"| `format:` | {formats.guide_names()};" in guide
