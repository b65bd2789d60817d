"""A template's Office package read within bounds, parsed safely, and cleaned for a deck.

A .pptx or .potx is a zip of parts joined by relationships. One that someone hands you can hold
what must not reach a deck deckgen writes: links PowerPoint follows or offers on opening (a
layout's picture at http://..., a file:// link), embedded programs (OLE objects, ActiveX
controls, a vbaProject.bin of macros, ribbon callbacks, Office add-ins), parts that inflate to
gigabytes, and XML that declares entities. So the package is read part by part within named
limits (from the zip's directory, and again while inflating), every XML part is parsed with no
DTD, no entity and no network, and the deck is built on a new package of just the parts
reachable from the package's relationships: without the template's own slides and without what
`clean` drops, each dropped thing said in words (read_template makes them one warning).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePosixPath
from typing import Optional

from lxml import etree

from deckgen.errors import excerpt
from deckgen.office.read.ns import CT, REL, A, P, R

#: A template file (and all its parts, inflated) may be at most this many bytes: a real
#: organisation's template is a few MB.
MAX_TEMPLATE_BYTES = 200_000_000
#: One part (a picture, a font) may be at most this many bytes inflated.
MAX_PART_BYTES = 50_000_000
#: A template may have at most this many parts (PowerPoint's own have a few dozen).
MAX_PARTS = 2_000
#: All XML parts together may be at most this many bytes: each is parsed into memory, by this
#: module and by python-pptx, at several times its size.
MAX_XML_BYTES = 20_000_000

CONTENT_TYPES = "[Content_Types].xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
POTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PPTM_MAIN = "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"
POTM_MAIN = "application/vnd.ms-powerpoint.template.macroEnabled.main+xml"
#: The main parts a template may have; a deck's is always a plain presentation's (PPTX_MAIN).
MAIN_TYPES = (PPTX_MAIN, POTX_MAIN, PPTM_MAIN, POTM_MAIN)
_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

#: Relationships to programs, by how their type ends, with what they are in a user's words.
_PROGRAMS = {
    "/oleObject": "an embedded OLE object",
    "/package": "an embedded document",  # an OLE package; a chart's own workbook is kept
    "/control": "an ActiveX control",
    "/activeXControlBinary": "an ActiveX control's program",
    "/vbaProject": "a macro project (vbaProject.bin)",
    "/vbaProjectSignature": "a macro project's signature",
    "/ui/extensibility": "ribbon customisation (customUI) calling macros",
    "/webextension": "an Office add-in",
    "/webextensiontaskpanes": "an Office add-in",
}
#: The content type the part a relationship of each of these types names must have: python-pptx
#: reads these parts by their content type, and the deck is built on them.
_TYPED = {
    "/officeDocument": PPTX_MAIN,
    "/slideMaster": "application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml",
    "/slideLayout": "application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml",
    "/theme": "application/vnd.openxmlformats-officedocument.theme+xml",
    "/notesMaster": "application/vnd.openxmlformats-officedocument.presentationml.notesMaster+xml",
    "/core-properties": "application/vnd.openxmlformats-package.core-properties+xml",
}
#: Content types of programs, however a relationship to them is typed.
_PROGRAM_TYPES = ("macroEnabled", "vbaProject", "activeX", "oleObject")
#: How a PostScript or EPS file begins (text, or a DOS EPS binary header): a program that a
#: viewer hands to Ghostscript (LibreOffice, for `preview` and `export`, does), never a picture.
_POSTSCRIPT = (b"%!", b"\xc5\xd0\xd3\xc6")
_POSTSCRIPT_TYPES = ("application/postscript", "image/x-eps", "image/eps", "application/eps",
                     "application/x-eps")
#: What an unsafe relationship is dropped with: the element naming it and, for these, the
#: nearest enclosing one (a link on text goes alone; a shape showing a linked picture or
#: holding an OLE object or a control goes whole).
_OWN = {f"{A}hlinkClick", f"{A}hlinkHover", f"{A}hlinkMouseOver", f"{P}control"}
_ENCLOSING = {f"{P}{tag}" for tag in ("sp", "pic", "graphicFrame", "cxnSp", "grpSp",
                                       "contentPart", "bg", "transition", "timing")}
#: A parser that resolves no entity, loads no DTD and fetches nothing.
_DOCTYPE = "<!DOCTYPE"
_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                          huge_tree=False)


class PackageError(Exception):
    """What is wrong with a template's package, in a user's words (read_template locates it)."""


class NotAPackage(PackageError):
    """The file is not an Office package at all (not a zip, or no content types)."""


def parse_xml(blob: bytes, part: str) -> etree._Element:
    """A part's XML; not well-formed, or with a DOCTYPE (entities, a DTD: none of
    PowerPoint's parts has one), it is a PackageError naming the part."""
    doctype = PackageError(f"its part {part} declares a DOCTYPE (a DTD or entities), which no "
                           "PowerPoint file has")
    if any(_DOCTYPE.encode(codec) in blob for codec in ("utf-8", "utf-16-le", "utf-16-be")):
        raise doctype  # before the parser sees its entities
    try:
        root = etree.fromstring(blob, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"its part {part} is not well-formed XML "
                           f"({excerpt(exc.msg, 80)})") from None
    if root.getroottree().docinfo.doctype:  # in an encoding the search above does not read
        raise doctype
    return root


class Package:
    """A template's parts by name (as in the zip, no leading '/'), each XML part parsed once,
    on demand; changed ones are written anew by `to_bytes`."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        self.parts = parts
        self._xml: dict[str, etree._Element] = {}
        self._parsed = 0  # bytes of XML parsed
        self.changed: set[str] = set()
        if CONTENT_TYPES not in parts:
            raise NotAPackage("it has no [Content_Types].xml")
        self.types = self.xml(CONTENT_TYPES)
        for entry, needs in ((f"{CT}Override", ("PartName", "ContentType")),
                             (f"{CT}Default", ("Extension", "ContentType"))):
            for element in self.types.iter(entry):
                if any(not element.get(name) for name in needs) or \
                        not element.get("PartName", "/").startswith("/"):
                    raise PackageError("its list of content types ([Content_Types].xml) is "
                                       "damaged")

    def xml(self, name: str) -> etree._Element:
        """A part parsed (once); all the parts parsed are held to MAX_XML_BYTES together,
        whatever their names."""
        if name not in self._xml:
            if name not in self.parts:
                raise PackageError(f"it has no part {excerpt(name)}")
            self._parsed += len(self.parts[name])
            if self._parsed > MAX_XML_BYTES:
                raise PackageError(f"its XML parts are more than {MAX_XML_BYTES:,} bytes; save "
                                   "it again from PowerPoint with fewer slides and layouts")
            self._xml[name] = parse_xml(self.parts[name], name)
        return self._xml[name]

    def parsed(self, name: str) -> bool:
        return name in self._xml

    def content_type(self, name: str) -> Optional[str]:
        """The part's content type: its Override, else its extension's Default."""
        wanted = "/" + name.lower()
        extension = PurePosixPath(name).suffix.lstrip(".").lower()
        found = [str(o.get("ContentType")) for o in self.types.iter(f"{CT}Override")
                 if o.get("PartName", "").lower() == wanted] or \
            [str(d.get("ContentType")) for d in self.types.iter(f"{CT}Default")
             if d.get("Extension", "").lower() == extension]
        return found[-1] if found else None  # the last, as python-pptx reads them

    def rels(self, name: str) -> list[etree._Element]:
        """The relationships of part `name` ('' for the package's own)."""
        rels = rels_name(name)
        if rels not in self.parts:
            return []
        found = list(self.xml(rels).iter(f"{REL}Relationship"))
        if any(not (rel.get("Id") and rel.get("Type") and rel.get("Target")) for rel in found):
            raise PackageError(f"its part {rels} has a relationship without an Id, a Type or "
                               "a Target")
        return found

    def target(self, source: str, rel: etree._Element) -> str:
        """The part an internal relationship of `source` names."""
        target = str(rel.get("Target", ""))
        if target.startswith("/"):
            return target.lstrip("/")
        parts: list[str] = []
        base = str(PurePosixPath(source).parent) if source else ""
        for piece in (base + "/" + target).split("/"):
            if piece == "..":
                if parts:
                    parts.pop()
            elif piece and piece != ".":
                parts.append(piece)
        return "/".join(parts)

    def to_bytes(self) -> bytes:
        """The package as a zip, its changed parts serialised anew."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name, blob in self.parts.items():
                if name in self.changed:
                    blob = etree.tostring(self._xml[name], xml_declaration=True,
                                          encoding="UTF-8", standalone=True)
                target.writestr(name, blob)
        return out.getvalue()


def rels_name(part: str) -> str:
    path = PurePosixPath(part)
    return str(path.parent / "_rels" / (path.name + ".rels")) if part else "_rels/.rels"


def open_package(raw: bytes) -> Package:
    """The package in `raw`, its zip directory checked against the limits before anything is
    inflated, and each part held to its directory's size while it is."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise NotAPackage("it is not a zip file") from None
    _check_directory(infos)
    parts: dict[str, bytes] = {}
    for info in infos:
        if info.filename in parts:
            raise PackageError(f"its part {excerpt(info.filename)} is in it twice")
        parts[info.filename] = _inflate(archive, info)
    return Package(parts)


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    how = "make its pictures smaller (PowerPoint: File > Compress Pictures) or remove media"
    if len(infos) > MAX_PARTS:
        raise PackageError(f"it has {len(infos):,} parts, more than {MAX_PARTS:,}; save it "
                           "again from PowerPoint with fewer slides and layouts")
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise PackageError(f"its part {excerpt(info.filename)} is {info.file_size:,} bytes "
                               f"inflated, more than {MAX_PART_BYTES:,}; {how}")
    total = sum(info.file_size for info in infos)
    if total > MAX_TEMPLATE_BYTES:
        raise PackageError(f"its parts are {total:,} bytes inflated, more than "
                           f"{MAX_TEMPLATE_BYTES:,}; {how}")
    xml = sum(info.file_size for info in infos
              if info.filename.lower().endswith((".xml", ".rels")))
    if xml > MAX_XML_BYTES:
        raise PackageError(f"its XML parts are {xml:,} bytes, more than {MAX_XML_BYTES:,}; "
                           "save it again from PowerPoint with fewer slides and layouts")


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A part's bytes, never more than its directory entry says (zipfile stops there, and a
    part that inflates to more fails its checksum)."""
    try:
        with archive.open(info) as member:
            blob = member.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError):
        raise PackageError(f"its part {excerpt(info.filename)} is damaged") from None
    except (NotImplementedError, RuntimeError):  # a compression or encryption zipfile lacks
        raise PackageError(f"its part {excerpt(info.filename)} is compressed or encrypted in "
                           "a way PowerPoint does not write") from None
    if len(blob) > info.file_size:  # pragma: no cover - zipfile stops at file_size itself
        raise PackageError(f"its part {excerpt(info.filename)} is damaged")
    return blob


def clean(package: Package, main: str, keep_slides: bool = False) -> list[str]:
    """Make `package` what a deck is built on: the parts reachable from the package's
    relationships, without the template's own slides (the main part's slide list emptied;
    with `keep_slides`, for a deck read back by office/read/deck.py, its slides kept),
    without each relationship `_unsafe` names (and the element or shape that uses it), and
    with a plain presentation's main content type. Returns what was dropped, in words.

    Every XML part kept is parsed (parse_xml), so a damaged one is a PackageError here, not an
    exception in the writer."""
    for override in package.types.iter(f"{CT}Override"):
        if override.get("ContentType") in MAIN_TYPES:  # the deck is a plain presentation
            override.set("ContentType", PPTX_MAIN)
            package.changed.add(CONTENT_TYPES)
    dropped: list[str] = []
    kept: list[str] = []
    queue, seen = [""], {""}
    while queue:
        source = queue.pop(0)
        gone: set[str] = set()
        for rel in package.rels(source):
            kind = rel.get("Type", "")
            why = _unsafe(package, source, rel)
            if why or (kind.endswith("/slide") and not keep_slides):  # not the deck's
                if why:
                    dropped.append(f"{why} (in {source or 'the package'})")
                gone.add(rel.get("Id", ""))
                rel.getparent().remove(rel)
                package.changed.add(rels_name(source))
                continue
            target = package.target(source, rel)
            if target not in package.parts:
                raise PackageError(f"its part {source or '_rels/.rels'} relates to "
                                   f"{excerpt(target)}, which it does not have")
            check_typed(package, kind, target)
            if target not in seen:
                seen.add(target)
                queue.append(target)
        if source:
            kept.append(source)
            _check_part(package, source)
            if gone:
                _unlink(package.xml(source), gone)
                package.changed.add(source)
            dropped += _embedded(package, source)
    if not any(rel.get("Type", "").endswith("/officeDocument") and
               package.target("", rel) == main for rel in package.rels("")):
        raise PackageError(f"its part _rels/.rels does not name {main} as its main part")
    _keep_only(package, kept)
    return dropped


def check_typed(package: Package, kind: str, target: str) -> None:
    """A master, layout, theme... has the content type of one (python-pptx reads it as one)."""
    tail = next((t for t in _TYPED if kind.endswith(t)), None)
    if tail is not None and package.content_type(target) != _TYPED[tail]:
        raise PackageError(f"its part {excerpt(target)} is related as a {tail.lstrip('/')} "
                           "but its content type ([Content_Types].xml) is not one's")


def _unsafe(package: Package, source: str, rel: etree._Element) -> str:
    """What a relationship is, in words, when it must not reach a deck: '' when it may."""
    kind, target = rel.get("Type", ""), rel.get("Target", "")
    if rel.get("TargetMode") == "External":
        what = "a hyperlink" if kind.endswith("/hyperlink") else \
            "a linked picture" if kind.endswith("/image") else "an external link"
        return f"{what} to {excerpt(target, 60)}"
    source_type = package.content_type(source) if source else None
    for tail, what in _PROGRAMS.items():
        if kind.endswith(tail) and not (tail == "/package" and source_type == _CHART):
            return what
    target = package.target(source, rel)
    target_type = package.content_type(target) or ""
    if any(word in target_type for word in _PROGRAM_TYPES):
        return f"a part of type {excerpt(target_type, 60)}"
    if package.parts.get(target, b"").startswith(_POSTSCRIPT) or \
            target_type.lower() in _POSTSCRIPT_TYPES:
        return f"a PostScript (EPS) picture, {excerpt(target, 60)}"
    return ""


def _check_part(package: Package, name: str) -> None:
    """A kept part has a content type, and is well-formed when it is XML."""
    kind = package.content_type(name)
    if kind is None:
        raise PackageError(f"its part {excerpt(name)} has no content type")
    if kind.endswith("xml"):
        package.xml(name)


def _embedded(package: Package, name: str) -> list[str]:
    """Remove from an XML part the OLE objects and ActiveX controls its relationships did not
    give away (one whose relationship was dropped is gone already): each graphic frame holding
    a `p:oleObj`, each `p:control`."""
    if not package.parsed(name):
        return []
    found = []
    for element in list(package.xml(name).iter(f"{P}oleObj", f"{P}control")):
        if _unlink_element(element):
            what = "an embedded OLE object" if element.tag == f"{P}oleObj" else \
                "an ActiveX control"
            found.append(f"{what} (in {name})")
            package.changed.add(name)
    return found


def _unlink(root: etree._Element, ids: set[str]) -> None:
    """Remove from a part what uses the relationships `ids`: a link alone, a shape or
    background whole (`_ENCLOSING`), else the element that names it (a slide's entry in the
    slide list, a chart's embedded workbook)."""
    users = [el for el in root.iter() if isinstance(el.tag, str) and any(
        name.startswith(R) and value in ids for name, value in el.attrib.items())]
    for element in users:
        _unlink_element(element)


def _unlink_element(element: etree._Element) -> bool:
    """Remove the element, or the shape enclosing it; False when that is gone already."""
    doomed = element
    if element.tag not in _OWN:
        doomed = next((a for a in element.iterancestors() if a.tag in _ENCLOSING), element)
    parent = doomed.getparent()
    if parent is None:
        return False
    parent.remove(doomed)
    grand = parent.getparent()
    if parent.tag == f"{P}controls" and len(parent) == 0 and grand is not None:
        grand.remove(parent)
    return True


def _keep_only(package: Package, kept: list[str]) -> None:
    """The package of the parts kept and their relationships (the content types as they
    were: python-pptx writes the deck's own)."""
    names = {CONTENT_TYPES, rels_name("")} | set(kept) | {rels_name(k) for k in kept}
    package.parts = {k: v for k, v in package.parts.items() if k in names}
