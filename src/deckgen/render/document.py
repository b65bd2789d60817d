"""The document's own properties: title, author, dates and fonts; dates reproducible.

Plain data for the writer (office/write imports DocInfo from here); SOURCE_DATE_EPOCH is read and
checked here, once, for every stage that needs the build's date.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from deckgen.errors import DeckError, excerpt

if TYPE_CHECKING:  # SOURCE_DATE_EPOCH is checked before pydantic is imported
    from deckgen.layout.theme import Theme
    from deckgen.source.schema import DeckSpec

#: The range of SOURCE_DATE_EPOCH deckgen accepts: a zip file's dates end in 2107 (those before
#: 1980, where they begin, are written as 1980 in the zip and as they are in the properties).
EPOCH_RANGE = (0, 4_354_819_199)  # 1970-01-01 00:00:00 to 2107-12-31 23:59:59 UTC


@dataclass(frozen=True)
class DocInfo:
    """Document properties; `when` fixes every timestamp so builds are reproducible."""

    title: str
    author: str
    subject: str
    when: dt.datetime
    font: str
    heading_font: str


def source_date_epoch() -> Optional[int]:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) as seconds, None when unset; a value that is
    not a whole number of seconds a .pptx can record is a DeckError, never silently ignored."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    low, high = EPOCH_RANGE
    if not text.isdigit() or not low <= int(text) <= high:
        raise DeckError.single(
            f"SOURCE_DATE_EPOCH={excerpt(text)} is not a date deckgen can use: it must be a "
            f"whole number of seconds since 1970-01-01 UTC, from {low} to {high} (the end of "
            "2107, the last date a .pptx can record); unset it to date the file by the deck's "
            "date")
    return int(text)


def timestamp(deck: "DeckSpec") -> dt.datetime:
    """SOURCE_DATE_EPOCH if set (reproducible-builds.org), else the deck's date, else 2000-01-01."""
    epoch = source_date_epoch()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc).replace(tzinfo=None)
    day = deck.date if isinstance(deck.date, dt.date) else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def doc_info(deck: "DeckSpec", theme: "Theme") -> DocInfo:
    """The document properties and fonts the writer needs."""
    return DocInfo(title=deck.title, author=deck.author or deck.organisation,
                   subject=deck.subtitle, when=timestamp(deck), font=theme.font,
                   heading_font=theme.heading_font)
