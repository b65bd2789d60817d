"""Edit a deck in LibreOffice as a person would, through UNO, and save it as a .pptx: run by a
Python that has LibreOffice's `uno` (Debian's python3-uno), never imported by the tests.

    python3 lo_edit.py SOFFICE PROFILE_URL IN.pptx OUT.pptx '[{"op": "text", ...}, ...]'

Each edit names a slide by its title and a shape by its name (positions in 1/100 mm, as UNO
has them): text, notes, move, fill, add_shape, add_slide (after a slide), delete_slide.
"""

import json
import subprocess
import sys
import time

TITLE = "com.sun.star.presentation.TitleTextShape"
NOTES = "com.sun.star.presentation.NotesShape"


def main() -> None:
    import uno
    from com.sun.star.awt import Point, Size
    from com.sun.star.beans import PropertyValue

    soffice, profile, source, target, edits = sys.argv[1:6]
    pipe = f"deckgen-test-{time.monotonic_ns()}"
    office = subprocess.Popen([soffice, f"-env:UserInstallation={profile}", "--headless",
                               "--invisible", "--norestore", "--nologo",
                               f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(600):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:  # noqa: BLE001 - not listening yet
            time.sleep(0.1)
    else:
        raise SystemExit("LibreOffice did not start")
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                               context)

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                       (prop("Hidden", True),))
    pages = doc.getDrawPages()

    def shapes(page):
        return [page.getByIndex(i) for i in range(page.getCount())]

    def page_titled(title):
        for i in range(pages.getCount()):
            page = pages.getByIndex(i)
            if any(s.getShapeType() == TITLE and s.getString() == title for s in shapes(page)):
                return i, page
        raise KeyError(title)

    def named(page, name):
        return next(s for s in shapes(page) if s.getName() == name)

    def text_shape(page, x, y, w, h, text):
        shape = doc.createInstance("com.sun.star.drawing.TextShape")
        page.add(shape)
        shape.setPosition(Point(x, y))
        shape.setSize(Size(w, h))
        shape.setString(text)
        return shape

    try:
        for edit in json.loads(edits):
            op = edit["op"]
            if op == "add_slide":
                index, _ = page_titled(edit["after"])
                pages.insertNewByIndex(index)
                page = pages.getByIndex(index + 1)
                for shape in shapes(page):  # the layout's empty placeholders
                    page.remove(shape)
                text_shape(page, 2000, 3000, 20000, 3000, edit["text"]).setName("Added in LO")
                continue
            index, page = page_titled(edit["slide"])
            if op == "text":
                if edit["shape"] == "title":
                    shape = next(s for s in shapes(page) if s.getShapeType() == TITLE)
                else:
                    shape = named(page, edit["shape"])
                shape.setString(edit["text"])
            elif op == "notes":
                notes = page.getNotesPage()
                next(s for s in shapes(notes) if s.getShapeType() == NOTES).setString(
                    edit["text"])
            elif op == "move":
                shape = named(page, edit["shape"])
                at = shape.getPosition()
                shape.setPosition(Point(at.X + edit["dx"], at.Y))
            elif op == "fill":
                named(page, edit["shape"]).FillColor = edit["color"]
            elif op == "add_shape":
                text_shape(page, 18000, 12000, 7000, 2000, edit["text"]).setName(edit["name"])
            elif op == "delete_slide":
                pages.remove(page)
        doc.storeToURL(uno.systemPathToFileUrl(target),
                       (prop("FilterName", "Impress MS PowerPoint 2007 XML"),))
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the office is going anyway
            pass
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
