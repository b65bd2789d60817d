"""Whether a data file's first line looks like column names, and how messages list them.

A message about an unknown column lists the columns there are ("columns are: district, n"): the
near miss is usually plain to see. But the columns come from the file's first line, and a file
that is not the data the outline says (a password file or a settings file linked in with
`--allow-outside-paths`, a binary) has a first line that must not be printed: `SECRET=hunter2`
would be "a column". So names are quoted only when they look like a table's header: printable,
short, with a letter or digit, and none of the characters that settings, passwords and paths
are made of (`=`, `:`, `$`, `@`, `\\`, `<>`, `{}`, `|`, `;`, quotes). A header of one name is
held to more (a short name of a few words): a one-line secret is the likeliest slip. Otherwise
messages say the file has no header row deckgen can read, and quote nothing.
"""

from __future__ import annotations

from typing import Iterable

from deckgen.errors import did_you_mean, listing

#: A column name longer than this is not one (an ONS header is rarely over 80 characters).
MAX_NAME = 100
#: A file with a single column: its name is at most this long, in at most this many words.
MAX_SOLE_NAME = 40
MAX_SOLE_WORDS = 5
_NEVER_IN_NAMES = frozenset('=:$@\\<>{}|;`"~^')
NO_HEADER = ("it has no header row deckgen can read (its first line does not look like column "
             "names, so it is not shown); check that the outline names the file you meant")


def is_header(names: Iterable[object]) -> bool:
    """Whether these names (a frame's columns, a file's first line) look like a table's
    header, and so may be quoted in a message."""
    found = [str(name) for name in names]
    if not found:
        return False
    for name in found:
        if not name or len(name) > MAX_NAME or not name.isprintable() \
                or not any(ch.isalnum() for ch in name) or not _NEVER_IN_NAMES.isdisjoint(name):
            return False
    sole = found[0] if len(found) == 1 else ""
    return len(sole) <= MAX_SOLE_NAME and len(sole.split()) <= MAX_SOLE_WORDS


def columns_are(names: Iterable[object], wanted: str = "", lead: str = "columns are") -> str:
    """'columns are: a, b, c; did you mean 'b'?' (the near miss of `wanted`, if given), or, for
    names that are not a header, NO_HEADER."""
    found = [str(name) for name in names]
    if not is_header(found):
        return NO_HEADER
    return f"{lead}: {listing(found)}{did_you_mean(wanted, found) if wanted else ''}"
