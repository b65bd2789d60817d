"""The OOXML namespaces deckgen reads and writes, in Clark notation ('{uri}'), named once.

A tag is `f"{P}sldSz"` (python-pptx writes `qn("p:sldSz")`): the same name for the template's
reader (lxml, no python-pptx) and the deck's writer.
"""

#: PresentationML: slides, masters, layouts, the presentation part (ECMA-376 Part 1, 19)
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
#: DrawingML: shapes' geometry, text, colours, the theme (ECMA-376 Part 1, 20-21)
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
#: DrawingML charts
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
#: relationship ids in a part's XML (`r:id`, `r:embed`)
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
#: a part's relationships (`_rels/*.rels`, Open Packaging Conventions)
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: the package's content types (`[Content_Types].xml`)
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
