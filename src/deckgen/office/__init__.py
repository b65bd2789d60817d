"""The one door to PowerPoint files: python-pptx, the package's zip and its XML, here only.

A deck is built on a template's masters and layouts, so a PowerPoint package is met twice in a
build, at two stages: `office.read` reads a template (its parts within bounds, cleaned of what
must not reach a deck, its slide size, layouts, placeholders and theme) for the source stage,
before anything is laid out; `office.write` turns slide plans into a .pptx for the render
stage, on that cleaned package. Nothing else in deckgen imports python-pptx or lxml, or opens
a PowerPoint package's zip (tests/unit/test_architecture_office.py holds this), in the way
python-pptx keeps its XML layer (`pptx/oxml/`) apart from its proxies and pandoc's
`Output.hs` reads the reference document it writes on itself.

python-pptx's private API (`_element`, `_ContentTypesItem`, `CT_Slide.new`...) is reached
only in `office/write/internals.py`, each use a named helper; pyproject.toml pins python-pptx
to the minor version those helpers are tested with.
"""
