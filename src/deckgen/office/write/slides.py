"""Add slides and their parts to a deck at a cost that does not grow with the deck's length.

python-pptx looks for what to name or reuse by walking the whole package each time:
`Slides.add_slide` searches every relationship of the presentation for one to the new slide and
every `p:sldId` for the largest id; a notes page, a chart and its workbook take the first free
part name by walking every part (`OpcPackage.next_partname`); a picture walks every part twice
(`_ImageParts._find_by_sha1`, `Package.next_image_partname`). That is work in proportion to the
slides so far, for each slide: a deck's time grew as the square of its length (1,000 slides
of bullets took 6 s, 4,000 took 58 s). `SlideAppender` reads the package once and keeps the
names, ids and pictures up to date as it adds, giving each part the very name python-pptx would
have given (tests/unit/test_security_bounds.py holds the bytes to python-pptx's own).
"""

from __future__ import annotations

from typing import IO, Any, Union

from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.parts.image import Image, ImagePart
from pptx.parts.slide import SlidePart

from deckgen.office.write.internals import add_slide_id, relate, xml_of

#: The slide ids PowerPoint allows (ECMA-376 19.7.13, ST_SlideId).
_FIRST_ID, _LAST_ID = 256, 2147483647
_IMAGE = "/ppt/media/image"


class SlideAppender:
    """Appends slides to `prs` as `prs.slides.add_slide` would, each in constant time, and
    answers the package's own questions (the next free part name, a picture already stored)
    from an index instead of a walk of the package."""

    def __init__(self, prs: Any) -> None:
        self.part = prs.part
        package = self.part.package
        self.ids = xml_of(self.part).get_or_add_sldIdLst()
        entries = list(self.ids.sldId_lst)
        self.count = len(entries)
        self.next_id = max([_FIRST_ID - 1, *(int(e.id) for e in entries)]) + 1
        self.names: set[str] = set()
        self.image_numbers: set[int] = set()
        self.free_image = 1  # the lowest picture number not in use
        self.pictures: dict[str, Any] = {}
        self.prefixes: dict[str, int] = {}  # names starting with a prefix asked for
        for rel in package.iter_rels():
            if rel.is_external:
                continue
            target = rel.target_part
            self._named(target.partname)
            if rel.reltype == RT.IMAGE and hasattr(target, "sha1"):
                self.pictures.setdefault(target.sha1, target)
        # the package asks these while a slide, notes page, chart or picture is added: the
        # instance's answers replace the walks (for this package only)
        package.next_partname = self.next_partname
        package.next_image_partname = self.next_image_partname
        package.get_or_add_image_part = self.get_or_add_image_part

    def add(self, layout: Any) -> Any:
        """A new slide on `layout`, with the layout's placeholders, after the others."""
        partname = PackURI(f"/ppt/slides/slide{self.count + 1}.xml")
        self._named(partname)
        slide_part = SlidePart.new(  # type: ignore[no-untyped-call]
            partname, self.part.package, layout.part)
        # a part made just now has no relationship yet: add it without searching for one
        rid = relate(self.part, RT.SLIDE, slide_part)
        slide = slide_part.slide
        slide.shapes.clone_layout_placeholders(layout)
        if self.next_id <= _LAST_ID:
            add_slide_id(self.ids, self.next_id, rid)
            self.next_id += 1
        else:  # the ids are used up to the largest: python-pptx finds a free one
            self.ids.add_sldId(rid)
        self.count += 1
        return slide

    def next_partname(self, template: str) -> PackURI:
        """`OpcPackage.next_partname`: counting down from one more than the names with the
        template's prefix, the first that is free."""
        prefix = template[:(template % 42).find("42")]
        if prefix not in self.prefixes:
            self.prefixes[prefix] = sum(name.startswith(prefix) for name in self.names)
        for n in range(self.prefixes[prefix] + 1, 0, -1):
            if template % n not in self.names:
                name = PackURI(template % n)
                self._named(name)
                return name
        raise AssertionError("no free part name")  # pragma: no cover - n names, n+1 tried

    def next_image_partname(self, ext: str) -> PackURI:
        """`Package.next_image_partname`: the lowest picture number not in use."""
        while self.free_image in self.image_numbers:  # numbers are only ever added
            self.free_image += 1
        name = PackURI(f"{_IMAGE}{self.free_image}.{ext}")
        self._named(name)
        return name

    def get_or_add_image_part(self, image_file: Union[str, IO[bytes]]) -> Any:
        """`Package.get_or_add_image_part`: the picture's part, stored once however often
        it is shown."""
        image = Image.from_file(image_file)
        part = self.pictures.get(image.sha1)
        if part is None:
            part = self.pictures[image.sha1] = ImagePart.new(self.part.package, image)
        return part

    def _named(self, name: PackURI) -> None:
        text = str(name)
        if text in self.names:
            return
        self.names.add(text)
        for prefix in self.prefixes:
            if text.startswith(prefix):
                self.prefixes[prefix] += 1
        if text.startswith(_IMAGE) and name.idx is not None:
            self.image_numbers.add(name.idx)
