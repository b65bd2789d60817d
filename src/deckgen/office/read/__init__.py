"""Reading a PowerPoint package, at the source stage: imports nothing above `deckgen.source`.

`package`: the zip read within bounds, its XML parsed safely, cleaned for a deck; `template`:
what deckgen reads of a template (size, layouts and their placeholders, theme); `ns`: the
OOXML namespaces and content types, for the writer too.
"""
