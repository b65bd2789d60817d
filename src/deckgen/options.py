"""How to build: what the command line's --strict, --allow-outside-paths and --no-cache say.

Its own module, so that the up-to-date check can name the options without importing the build.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    """How strictly to build: what the command line's --strict and --allow-outside-paths say."""

    strict: bool = False  # warnings (data checks) are errors
    allow_outside_paths: bool = False  # trust the outline to name files outside its folder
    cache: bool = True  # reuse earlier work (in the user's cache folder: cache/__init__.py)

    def key(self) -> tuple[bool, bool]:
        """The options that change what is built (the cache only changes how fast)."""
        return (self.strict, self.allow_outside_paths)
