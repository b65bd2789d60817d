"""What a map marks on its areas beyond their colour: which changes are beyond normal (Poisson)
variation, and the readable names of areas whose own names are codes.

A map of % change colours every district, but a −5% on a base of 40 incidents is noise and a
−5% on 6,000 is not: a statistician marks the changes that are beyond normal variation, as the
pack's table does with ‡ and †. The test is the table's (source/noise.py): the Poisson z-score
of the area's two counts, which must be counts. And an LSOA named "Southend-on-Sea 013D" says
where it is to nobody: a names lookup (a data source, `names:`) gives a readable name to show
beside the code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Protocol

from deckgen.data.frames import records, require_columns, value_text
from deckgen.data.slide import Slide
from deckgen.errors import excerpt
from deckgen.source import noise
from deckgen.source.noise import ChangeSpec, Level
from deckgen.source.schema import unknown_source

if TYPE_CHECKING:
    import pandas as pd


class KeyTable(Protocol):
    """A table keyed by the boundaries' key: `via:`, the data's key of each area, and `names:`,
    each area's readable name (kinds/map.py Via and Names)."""

    @property
    def data(self) -> str: ...

    @property
    def key(self) -> str: ...

    @property
    def column(self) -> str: ...


def key_pairs(slide: Slide, table: KeyTable, at: str) -> tuple[str, list[tuple[str, str]]]:
    """How messages name the table's file, and its (key, column) pairs where both are filled;
    its source and both columns must exist (errors at the slide's key `at`)."""
    store = slide.data
    if table.data not in store.specs:
        raise slide.error(unknown_source(table.data, store.specs), at, "data")
    df = store.frame(table.data)
    shown = store.shown(table.data)
    for field_name in ("key", "column"):
        problem = require_columns(df, [getattr(table, field_name)], shown)
        if problem:
            raise slide.error(problem, at, field_name)
    pairs = [(value_text(row[table.key]), value_text(row[table.column])) for row in records(df)]
    return shown, [(str(k), str(v)) for k, v in pairs if k is not None and v is not None]


def change_marks(slide: Slide, data: str, rows: "pd.DataFrame", column: str,
                 change: ChangeSpec, to_area: Optional[dict[str, str]]) -> dict[str, Level]:
    """Each area's level beyond Poisson noise (significant, notable or noise), by the key the
    data's `column` gives it (through `to_area`, the data's key to the boundaries', with
    `via:`). The two columns must hold counts: a rate has no Poisson noise."""
    shown = slide.data.shown(data)
    for key in ("current", "previous"):
        problem = require_columns(rows, [getattr(change, key)], shown)
        if problem:
            raise slide.error(problem, "change", key)
    out: dict[str, Level] = {}
    for row in records(rows):
        raw = value_text(row[column])
        if raw is None:
            continue
        now, before = row[change.current], row[change.previous]
        for name, value in ((change.current, now), (change.previous, before)):
            if value_text(value) is not None and not noise.is_count(value):
                raise slide.error(f"change: '{name}' holds {value:g} for '{excerpt(raw)}', not "
                                  "a count; the Poisson flag is for counts of crimes or "
                                  "incidents, not rates or averages: name the columns of the "
                                  "two counts", "change")
        if value_text(now) is None or value_text(before) is None:
            continue
        area = to_area.get(str(raw), str(raw)) if to_area is not None else str(raw)
        out[area] = noise.level(noise.z_score(float(now), float(before)), change.notable,
                                change.significant)
    return out


def readable_names(slide: Slide, names: KeyTable) -> dict[str, str]:
    """Each boundary key's readable name, from the table `names:` names; a key with two
    different names is an error (which one would the map show?)."""
    shown, pairs = key_pairs(slide, names, "names")
    out: dict[str, str] = {}
    for key, name in pairs:
        if out.get(key, name) != name:
            raise slide.error(f"'{excerpt(key)}' has two names in {shown} "
                              f"('{excerpt(out[key])}' and '{excerpt(name)}'): keep "
                              "one name for each area, so the map shows which it is", "names",
                              "column")
        out[key] = name
    return out
