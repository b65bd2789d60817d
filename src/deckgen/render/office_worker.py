"""A warm LibreOffice for the live preview: run by a Python that has LibreOffice's `uno`
module (Debian's python3-uno, or the Python LibreOffice ships), never imported by deckgen.

It starts one headless soffice listening on a private pipe, connects to it, says "ready", then
converts each .pptx named on a line of its standard input to PDF (one JSON request a line, one
JSON answer a line) until its input closes. A conversion on a warm office takes a fraction of
a second, where a cold `soffice --convert-to` takes two or more.

    python3 office_worker.py '["soffice", "-env:UserInstallation=file:///...", ...]' PIPE
"""

import json
import subprocess
import sys
import time


def main() -> None:
    import uno
    from com.sun.star.beans import PropertyValue

    command, pipe = json.loads(sys.argv[1]), sys.argv[2]
    office = subprocess.Popen(command + [f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    context = None
    for _ in range(600):  # up to a minute for a first start
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:  # noqa: BLE001 - not listening yet
            if office.poll() is not None:
                break
            time.sleep(0.1)
    if context is None:
        print(json.dumps({"ok": False, "error": "LibreOffice did not start"}), flush=True)
        return
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                               context)

    def prop(name: str, value: object) -> "PropertyValue":
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    print(json.dumps({"ok": True, "ready": True}), flush=True)
    try:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                doc = desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(request["pptx"]), "_blank", 0,
                    (prop("Hidden", True), prop("ReadOnly", True)))
                try:
                    doc.storeToURL(uno.systemPathToFileUrl(request["pdf"]),
                                   (prop("FilterName", "impress_pdf_Export"),))
                finally:
                    doc.close(True)
                print(json.dumps({"ok": True}), flush=True)
            except Exception as error:  # noqa: BLE001 - told to the caller, who falls back
                print(json.dumps({"ok": False, "error": str(error)}), flush=True)
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the office is going anyway
            pass
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
