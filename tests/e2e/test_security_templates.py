"""A template from anyone: nothing unsafe is carried into the deck, and nothing in it makes
deckgen crash, hang or exhaust memory.

Each hostile template is the one tests/e2e/test_templates.py makes, with zip parts edited: a
layout's picture linked to a web address, a file:// link, an OLE object, an ActiveX control, a
macro project, a part that inflates to 1 GiB, a zip directory that lies, XML that is damaged or
declares entities. Builds run the command line in a subprocess, with a timeout (and, for the
inflating part, a memory limit), to see its exit code and what it prints.
"""

from __future__ import annotations

import os
import re
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any, Callable, Union

import pytest
from pptx import Presentation
from test_templates import make_template

from deckgen.office.read.package import (
    MAX_PART_BYTES,
    MAX_PARTS,
    MAX_TEMPLATE_BYTES,
    MAX_XML_BYTES,
    PPTX_MAIN,
)

TIMEOUT = 120
LAYOUT = "ppt/slideLayouts/slideLayout6.xml"  # 'Kent Heading', the bullets' layout here
LAYOUT_RELS = "ppt/slideLayouts/_rels/slideLayout6.xml.rels"
PRESENTATION_RELS = "ppt/_rels/presentation.xml.rels"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OUTLINE = ("title: Hostile template\ntemplate: kent.pptx\n"
           "layouts: {title: Kent Title, bullets: Kent Heading}\nslides:\n"
           "  - {kind: title, title: A deck on a template}\n"
           "  - {kind: bullets, title: Points, points: [one, two]}\n")
AT = "deck.yaml:2:11: template: kent.pptx"  # where the outline names the template

Edit = Union[bytes, Callable[[bytes], bytes]]


def rel(rid: str, kind: str, target: str, external: bool = False) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    return (f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/>').encode()


def add_rels(*rels: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</Relationships>", b"".join(rels) + b"</Relationships>")


def add_shapes(*shapes: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</p:spTree>", b"".join(shapes) + b"</p:spTree>")


def add_types(*entries: str) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</Types>", "".join(entries).encode() + b"</Types>")


def override(part: str, content_type: str) -> str:
    return f'<Override PartName="/{part}" ContentType="{content_type}"/>'


def hostile(folder: Path, edits: dict[str, Edit], name: str = "kent.pptx") -> Path:
    """The tests' template with parts replaced (bytes), edited (a function of the old bytes)
    or added, and an outline beside it that builds on it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = make_template(folder / name)
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    for part, edit in edits.items():
        parts[part] = edit(parts[part]) if callable(edit) else edit
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part, blob in parts.items():
            target.writestr(part, blob)
    (folder / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    return path


def run(args: list[str], cwd: Path, memory: int = 0) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=TIMEOUT, preexec_fn=limit)


def build(folder: Path, memory: int = 0) -> subprocess.CompletedProcess[str]:
    return run(["build", "deck.yaml", "-o", "out.pptx", "--no-cache"], folder, memory)


def refused(result: subprocess.CompletedProcess[str], folder: Path, message: str) -> None:
    """One located error at the outline's `template:`, exit 1, and no deck."""
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stderr.startswith(f"error: {AT} cannot be used as a template: {message}"), \
        result.stderr[-2000:]
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert not (folder / "out.pptx").exists()


def members(deck: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(deck) as package:
        return {name: package.read(name) for name in package.namelist()}


# --- what is dropped, and said -----------------------------------------------------------------

LINKED_PICTURE = (
    b'<p:pic><p:nvPicPr><p:cNvPr id="90" name="Beacon"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>'
    b'<p:blipFill><a:blip r:link="rId90"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
    b'<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="12700" cy="12700"/></a:xfrm>'
    b'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>')
LINKED_TEXT = (
    b'<p:sp><p:nvSpPr><p:cNvPr id="91" name="Intranet"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
    b'</p:nvSpPr><p:spPr><a:xfrm><a:off x="0" y="6400000"/><a:ext cx="2000000" cy="300000"/>'
    b'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr/>'
    b'<a:lstStyle/><a:p><a:r><a:rPr lang="en-GB"><a:hlinkClick r:id="rId91"/></a:rPr>'
    b'<a:t>Intranet</a:t></a:r></a:p></p:txBody></p:sp>')
OLE_FRAME = (
    b'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="92" name="Object 1"/>'
    b'<p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/>'
    b'<a:ext cx="12700" cy="12700"/></p:xfrm><a:graphic><a:graphicData '
    b'uri="http://schemas.openxmlformats.org/presentationml/2006/ole"><p:oleObj '
    b'name="Packager Shell Object" r:id="rId92" progId="Package" imgW="10" imgH="10">'
    b'<p:embed/></p:oleObj></a:graphicData></a:graphic></p:graphicFrame>')
CONTROLS = b'<p:controls><p:control name="CommandButton1" r:id="rId93"/></p:controls>'
ACTIVEX = (b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
           b'xmlns:r="' + R.encode() + b'" ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}" '
           b'ax:persistence="persistStorage" r:id="rId1"/>')


def unsafe_template(folder: Path, main_type: str = PPTX_MAIN) -> Path:
    """Every kind of unsafe content at once: a layout with a picture linked to a web address,
    text linked to a file:// path, an OLE object and an ActiveX control; a macro project
    related from the presentation; and the main part's content type `main_type`."""
    return hostile(folder, {
        LAYOUT: lambda xml: add_shapes(LINKED_PICTURE, LINKED_TEXT, OLE_FRAME)(xml).replace(
            b"</p:spTree>", b"</p:spTree>" + CONTROLS),
        LAYOUT_RELS: add_rels(
            rel("rId90", f"{R}/image", "http://beacon.invalid/beacon.png", external=True),
            rel("rId91", f"{R}/hyperlink", "file:///etc/passwd", external=True),
            rel("rId92", f"{R}/oleObject", "../embeddings/oleObject1.bin"),
            rel("rId93", f"{R}/control", "../activeX/activeX1.xml")),
        "ppt/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "ppt/activeX/activeX1.xml": ACTIVEX,
        "ppt/activeX/_rels/activeX1.xml.rels":
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships">' + rel(
                "rId1", "http://schemas.microsoft.com/office/2006/relationships/"
                "activeXControlBinary", "activeX1.bin") + b"</Relationships>",
        "ppt/activeX/activeX1.bin": b"\xd0\xcf\x11\xe0" + bytes(60),
        "ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        PRESENTATION_RELS: add_rels(rel(
            "rId99", "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
            "vbaProject.bin")),
        "[Content_Types].xml": lambda xml: add_types(
            override("ppt/embeddings/oleObject1.bin",
                     "application/vnd.openxmlformats-officedocument.oleObject"),
            override("ppt/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"),
            override("ppt/activeX/activeX1.bin", "application/vnd.ms-office.activeX"),
            override("ppt/vbaProject.bin", "application/vnd.ms-office.vbaProject"))(
                xml.replace(PPTX_MAIN.encode(), main_type.encode())),
    })


def assert_nothing_unsafe(deck: Path) -> None:
    parts = members(deck)
    assert not [n for n in parts if re.search(r"vbaProject|activeX|embeddings|oleObject", n)]
    for name, blob in parts.items():
        for word in (b'TargetMode="External"', b"beacon.invalid", b"file://", b"oleObj",
                     b"p:control", b"vbaProject", b"macroEnabled", b"activeX"):
            assert word not in blob, (name, word)
    assert PPTX_MAIN.encode() in parts["[Content_Types].xml"]


@pytest.mark.parametrize("main_type", [
    pytest.param(PPTX_MAIN, id="pptx"),
    pytest.param("application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
                 id="pptm"),
    pytest.param("application/vnd.ms-powerpoint.template.macroEnabled.main+xml", id="potm"),
])
def test_links_ole_activex_and_macros_are_left_out_and_said(
        tmp_path: Path, main_type: str, ooxml_findings: Any) -> None:
    unsafe_template(tmp_path, main_type)
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    warning = next(line for line in result.stderr.splitlines() if "left out" in line)
    macros = "its macros (a macro-enabled file becomes a plain presentation); " \
        if main_type != PPTX_MAIN else ""
    assert warning == (
        f"warning: {AT}: left out of the deck, as unsafe to pass on: {macros}"
        "a macro project (vbaProject.bin) (in ppt/presentation.xml); "
        f"a linked picture to http://beacon.invalid/beacon.png (in {LAYOUT}); "
        f"a hyperlink to file:///etc/passwd (in {LAYOUT}); "
        f"an embedded OLE object (in {LAYOUT}); an ActiveX control (in {LAYOUT})")
    deck = tmp_path / "out.pptx"
    assert_nothing_unsafe(deck)
    # the layout stays, without the linked picture and the OLE object; the text keeps its
    # words, without its link; the deck's slide is built on it
    prs = Presentation(str(deck))
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Kent Heading")
    assert [sh.name for sh in layout.shapes if not sh.is_placeholder] == ["Intranet"]
    assert layout.shapes[-1].text_frame.text == "Intranet"
    assert prs.slides[1].slide_layout.name == "Kent Heading"
    assert ooxml_findings(deck) == []


def test_a_postscript_picture_on_a_layout_is_left_out(tmp_path: Path,
                                                      ooxml_findings: Any) -> None:
    """An EPS on a layout would reach LibreOffice (preview, export), which hands it to
    Ghostscript: the picture and its part are left out."""
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n{ } loop\n"
    hostile(tmp_path, {
        LAYOUT: add_shapes(LINKED_PICTURE.replace(b"r:link", b"r:embed")),
        LAYOUT_RELS: add_rels(rel("rId90", f"{R}/image", "../media/image90.png")),
        "[Content_Types].xml": add_types('<Default Extension="png" ContentType="image/png"/>'),
        "ppt/media/image90.png": eps,
    })
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"warning: {AT}: left out of the deck, as unsafe to pass on: a PostScript (EPS) " \
        f"picture, ppt/media/image90.png (in {LAYOUT})" in result.stderr
    deck = tmp_path / "out.pptx"
    assert not any(blob.startswith(b"%!") for blob in members(deck).values())
    layout = next(lay for lay in Presentation(str(deck)).slide_layouts
                  if lay.name == "Kent Heading")
    assert "Beacon" not in [sh.name for sh in layout.shapes]
    assert ooxml_findings(deck) == []


def test_check_and_inspect_say_what_is_left_out(tmp_path: Path) -> None:
    unsafe_template(tmp_path)
    checked = run(["check", "deck.yaml"], tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert f"warning: {AT}: left out of the deck, as unsafe to pass on: a macro project" \
        in checked.stderr
    strict = run(["check", "--strict", "deck.yaml"], tmp_path)
    assert strict.returncode == 1 and "(an error with --strict)" in strict.stderr
    inspected = run(["template", "inspect", "kent.pptx"], tmp_path)
    assert inspected.returncode == 0, inspected.stderr
    assert "warning: kent.pptx: left out of the deck, as unsafe to pass on: a macro project" \
        in inspected.stdout


def test_a_template_slide_with_unsafe_content_is_dropped_with_the_slides(
        tmp_path: Path) -> None:
    """The template's own slides are not the deck's: what they link to goes with them."""
    hostile(tmp_path, {
        "ppt/slides/slide1.xml": add_shapes(LINKED_PICTURE),
        "ppt/slides/_rels/slide1.xml.rels": add_rels(
            rel("rId90", f"{R}/image", "http://beacon.invalid/beacon.png", external=True)),
    })
    result = build(tmp_path)
    assert result.returncode == 0 and "left out" not in result.stderr, result.stderr
    assert_nothing_unsafe(tmp_path / "out.pptx")


# --- bounded sizes -----------------------------------------------------------------------------


def _grow_last_part(path: Path, size: int, claimed: int) -> None:
    """The package's last part made `size` bytes of zeros, deflated (1 GiB in about 1 MB),
    its sizes in the zip's local header and directory said to be `claimed`."""
    data = path.read_bytes()
    with zipfile.ZipFile(path) as package:
        last = package.infolist()[-1]
    assert last.compress_type == zipfile.ZIP_DEFLATED and not last.extra
    chunk = 1 << 20
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = squeeze.compress(bytes(chunk)) + squeeze.flush(zlib.Z_FULL_FLUSH)
    body = block * (size // chunk) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(size // chunk):
        crc = zlib.crc32(bytes(chunk), crc)
    start = last.header_offset + 30 + len(last.filename.encode())
    end = data.rfind(b"PK\x05\x06")  # the end of the directory, which says where it starts
    directory = struct.unpack_from("<I", data, end + 16)[0]
    local = bytearray(data[last.header_offset:start])
    struct.pack_into("<III", local, 14, crc, len(body), claimed)
    central = bytearray(data[directory:end])
    entry = central.rfind(b"PK\x01\x02")  # the last part's entry
    struct.pack_into("<III", central, entry + 16, crc, len(body), claimed)
    tail = bytearray(data[end:])
    struct.pack_into("<I", tail, 16, start + len(body))
    path.write_bytes(data[:last.header_offset] + bytes(local) + body + bytes(central)
                     + bytes(tail))


def _with_picture(tmp_path: Path) -> Path:
    """The template with one more picture, its last part, used by the bullets' layout."""
    return hostile(tmp_path, {
        LAYOUT: add_shapes(LINKED_PICTURE.replace(b"r:link", b"r:embed")),
        LAYOUT_RELS: add_rels(rel("rId90", f"{R}/image", "../media/image99.png")),
        "[Content_Types].xml": add_types('<Default Extension="png" ContentType="image/png"/>'),
        "ppt/media/image99.png": b"",
    })


def test_a_picture_part_that_inflates_to_a_gibibyte_is_refused_before_it_is_read(
        tmp_path: Path) -> None:
    """The old build wrote a 1 GB deck (under this memory limit, it could not)."""
    path = _with_picture(tmp_path)
    _grow_last_part(path, 1 << 30, 1 << 30)
    assert path.stat().st_size < 2_000_000
    result = build(tmp_path, memory=1_500_000_000)
    refused(result, tmp_path, f"its part ppt/media/image99.png is {1 << 30:,} bytes inflated, "
            f"more than {MAX_PART_BYTES:,}; make its pictures smaller (PowerPoint: File > "
            "Compress Pictures)")


def test_a_part_that_inflates_past_what_the_zip_directory_says_is_refused(
        tmp_path: Path) -> None:
    """The directory says 100 bytes; the data inflates to 64 MiB. Reading stops at 100 bytes
    and the part fails its checksum: damaged, not an internal error."""
    path = _with_picture(tmp_path)
    _grow_last_part(path, 64 << 20, 100)
    refused(build(tmp_path, memory=1_500_000_000), tmp_path,
            "its part ppt/media/image99.png is damaged")


def test_a_template_of_too_many_parts_is_refused(tmp_path: Path) -> None:
    path = hostile(tmp_path, {f"customXml/item{i}.xml": b"<a/>" for i in range(MAX_PARTS)})
    with zipfile.ZipFile(path) as package:
        count = len(package.infolist())
    refused(build(tmp_path), tmp_path, f"it has {count:,} parts, more than {MAX_PARTS:,}; "
            "save it again from PowerPoint with fewer slides and layouts")


def test_a_template_with_too_much_xml_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = hostile(tmp_path, {"customXml/item1.xml": b"<a>" + b"x" * MAX_XML_BYTES + b"</a>"})
    with zipfile.ZipFile(path) as package:
        xml = sum(i.file_size for i in package.infolist()
                  if i.filename.endswith((".xml", ".rels")))
    refused(build(tmp_path), tmp_path, f"its XML parts are {xml:,} bytes, more than "
            f"{MAX_XML_BYTES:,}; save it again from PowerPoint with fewer slides and layouts")


def test_a_template_file_over_the_size_limit_is_refused_before_it_is_read(
        tmp_path: Path) -> None:
    path = hostile(tmp_path, {})
    with path.open("r+b") as f:
        f.truncate(MAX_TEMPLATE_BYTES + 1)  # sparse: nothing is written to the disk
    result = build(tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"error: {AT} is {MAX_TEMPLATE_BYTES + 1:,} bytes, more than "
                             f"{MAX_TEMPLATE_BYTES:,}; make its pictures smaller (PowerPoint: "
                             "File > Compress Pictures)\n")


# --- XML that is damaged or declares entities --------------------------------------------------

LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE p:sldLayout [\n<!ENTITY lol "lol">\n'
          + b"".join(b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;")
                                                  * 10) for i in range(1, 10))
          + b"]>\n")


@pytest.mark.parametrize("edit,message", [
    pytest.param(lambda xml: xml[:len(xml) // 2], f"its part {LAYOUT} is not well-formed XML "
                 "(", id="malformed"),
    pytest.param(lambda xml: xml.replace(b"Click to edit", b"Click&nbsp;to edit", 1),
                 f"its part {LAYOUT} is not well-formed XML (Entity 'nbsp' not defined",
                 id="undefined-entity"),
    pytest.param(lambda xml: LAUGHS + xml.split(b"?>", 1)[1].replace(
        b"Click to edit", b"&lol9;", 1), f"its part {LAYOUT} declares a DOCTYPE (a DTD or "
        "entities), which no PowerPoint file has", id="billion-laughs"),
])
def test_a_layout_with_bad_xml_is_a_located_error(tmp_path: Path, edit: Edit,
                                                  message: str) -> None:
    hostile(tmp_path, {LAYOUT: edit})
    refused(build(tmp_path), tmp_path, message)
    checked = run(["check", "deck.yaml"], tmp_path)
    assert checked.returncode == 1 and message in checked.stderr, checked.stderr
    inspected = run(["template", "inspect", "kent.pptx"], tmp_path)
    assert inspected.returncode == 1 and message in inspected.stderr, inspected.stderr
    assert "Traceback" not in checked.stderr + inspected.stderr


def test_an_external_entity_is_never_read(tmp_path: Path) -> None:
    """XXE: a layout whose DOCTYPE names a file outside the folder, and a relationships part
    with one that names a web address. Neither is fetched, and both are refused."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET42", encoding="utf-8")
    xxe = f'<!DOCTYPE p:sldLayout [<!ENTITY x SYSTEM "file://{secret}">]>'.encode()
    folder = tmp_path / "deck"
    hostile(folder, {LAYOUT: lambda xml: xml.replace(b"?>", b"?>" + xxe, 1).replace(
        b"Click to edit", b"&x;", 1)})
    result = build(folder)
    refused(result, folder, f"its part {LAYOUT} declares a DOCTYPE")
    assert "TOPSECRET" not in result.stderr
    dtd = b'<!DOCTYPE Relationships SYSTEM "http://dtd.invalid/rels.dtd">'
    hostile(folder, {LAYOUT_RELS: lambda xml: xml.replace(b"?>", b"?>" + dtd, 1)})
    refused(build(folder), folder, f"its part {LAYOUT_RELS} declares a DOCTYPE")


def test_a_relationship_to_a_missing_part_is_a_located_error(tmp_path: Path) -> None:
    hostile(tmp_path, {LAYOUT_RELS: add_rels(rel("rId90", f"{R}/image", "../media/gone.png"))})
    refused(build(tmp_path), tmp_path, f"its part {LAYOUT} relates to ppt/media/gone.png, "
            "which it does not have")


def test_a_clean_template_still_builds_as_before(tmp_path: Path, ooxml_findings: Any) -> None:
    hostile(tmp_path, {})
    result = build(tmp_path)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    prs = Presentation(str(tmp_path / "out.pptx"))
    assert [s.slide_layout.name for s in prs.slides] == ["Kent Title", "Kent Heading"]
    assert len(prs.slide_layouts) == 11
    assert "KENT POLICE TEMPLATE" in [sh.text_frame.text for sh in prs.slide_master.shapes
                                      if sh.has_text_frame]
    assert ooxml_findings(tmp_path / "out.pptx") == []
    assert os.path.getsize(tmp_path / "out.pptx") < 200_000


@pytest.mark.parametrize("edit,message", [
    pytest.param(lambda xml: xml.replace(b'<p:ph type="title"/>', b'<p:ph type="bogus"/>', 1),
                 "deckgen cannot build on its masters and layouts (ValueError: "
                 "PP_PLACEHOLDER_TYPE has no XML mapping for 'bogus'); open it in PowerPoint "
                 "and save it again", id="placeholder-type"),
    pytest.param(lambda xml: xml.replace(b'idx="10"', b'idx="ten"', 1),
                 f"its part {LAYOUT} is not as PowerPoint writes it; open it in PowerPoint "
                 "and save it again", id="placeholder-index"),
])
def test_a_layout_python_pptx_cannot_read_is_a_located_error(tmp_path: Path, edit: Edit,
                                                             message: str) -> None:
    """Well-formed XML that is not as PowerPoint writes it was an internal error (exit 3)."""
    hostile(tmp_path, {LAYOUT: edit})
    refused(build(tmp_path), tmp_path, message)


def test_a_layout_without_a_name_is_found_by_its_part_name(tmp_path: Path) -> None:
    """deckgen calls it by its part's name; the writer looked it up by python-pptx's '' and
    failed with an internal error."""
    hostile(tmp_path, {LAYOUT: lambda xml: xml.replace(b' name="Kent Heading"', b"", 1)})
    deck = tmp_path / "deck.yaml"
    deck.write_text(OUTLINE.replace("bullets: Kent Heading", "bullets: slideLayout6"),
                    encoding="utf-8")
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    prs = Presentation(str(tmp_path / "out.pptx"))
    assert prs.slides[1].slide_layout.part.partname.endswith("/slideLayout6.xml")
