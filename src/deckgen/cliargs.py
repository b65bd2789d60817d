"""The command line's arguments: every command, its options, its help and examples (the
command line itself, cli.py, runs them)."""

from __future__ import annotations

import argparse
from pathlib import Path

from deckgen import __version__

_EPILOG = """\
examples:
  deckgen build                         build deck.yaml into the file its 'output:' names
  deckgen build deck.yaml -o out.pptx   build into out.pptx
  deckgen build --set district=Basildon override a variable for this build
  deckgen check deck.yaml               find every problem without writing anything
  deckgen build --each district -o decks   one deck per district, on every core
  deckgen preview                       build, then one picture of every slide
  deckgen watch                         build again on every save
  deckgen serve                         watch, and show the slides live in the browser
  deckgen kinds chart                   the keys a chart slide takes
  deckgen data show asb_table           a data source after its steps
  deckgen build --set period=2016-05 --keep-edits last-month.pptx
                                        next month's deck, keeping what people added by hand
  deckgen diff last-month.pptx this-month.pptx   what changed, slide by slide

The outline format is described in docs/outline.md.
exit status: 0 success, 1 a problem with the deck or its data, 2 wrong command-line use,
3 an internal error (a bug: please report it; --debug shows the details)."""


def command_line() -> argparse.ArgumentParser:
    """Every command and option of deckgen, with its help."""
    parser = argparse.ArgumentParser(
        prog="deckgen",
        description="Build branded, editable PowerPoint briefings from a YAML outline and CSV "
                    "data.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"deckgen {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show Python tracebacks for internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser(
        "build", help="build a .pptx from an outline",
        description="Build a .pptx from an outline: read the data, draw the charts, lay out\n"
                    "every slide and write the deck (atomically: a failed build leaves any\n"
                    "previous deck untouched). A deck whose inputs have not changed since it was\n"
                    "written is not built again.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  deckgen build\n  deckgen build deck.yaml -o briefing.pptx\n"
               "  deckgen build deck.yaml --set district=Basildon\n"
               "  deckgen build deck.yaml --each district -o decks/   one deck per district\n"
               "  deckgen build --set period=2016-05 --keep-edits output/pack-2016-04.pptx\n"
               "      next month's deck with what people added to last month's by hand\n"
               "      (docs/monthly.md)")
    _deck_args(build)
    build.add_argument("-o", "--output", metavar="OUT.pptx", type=Path,
                       help="where to write the deck (default: the outline's 'output:'); "
                            "with --each, the folder for the decks")
    build.add_argument("--each", metavar="NAME",
                       help="build one deck per value of variable NAME (its 'values' or "
                            "'values_from'), in parallel")
    build.add_argument("-j", "--jobs", type=int, metavar="N",
                       help="with --each: how many decks to build at once (default: one per "
                            "core)")
    build.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    build.add_argument("--pdf", action="store_true",
                       help="also write a PDF beside the deck (needs LibreOffice)")
    build.add_argument("--no-cache", action="store_true",
                       help="build the whole deck afresh: otherwise an unchanged deck is not "
                            "rebuilt, an edit to some slides redraws only those, and charts "
                            "drawn before are reused (all kept in your own cache folder: "
                            "$DECKGEN_CACHE_DIR, else ~/.cache/deckgen)")

    build.add_argument("--keep-edits", metavar="LAST.pptx", type=Path,
                       help="carry into the new deck what people added by hand to LAST "
                            "(last month's deck, which deckgen built from this outline and "
                            "never changes): slides, shapes, speaker notes, and edited text "
                            "whose figures are the same this month; every edit that cannot be "
                            "carried safely is reported (docs/monthly.md)")
    _diff_parser(sub)

    check = sub.add_parser(
        "check", help="validate an outline, its data and assets without writing",
        description="Validate the outline, its variables, every data source and asset, and lay "
                    "out every slide, without writing anything. Prints every problem found.")
    _deck_args(check)
    check.add_argument("--no-cache", action="store_true",
                       help="read every data file afresh (otherwise parsed record files are "
                            "kept in your own cache folder)")
    check.add_argument("--render", action="store_true",
                       help="also build the deck (into a temporary folder), render it with "
                            "LibreOffice and check what was drawn: words that overprint other "
                            "words, words with a contrast below 3:1 on what is drawn under "
                            "them, words outside the slide (skipped, saying so, where "
                            "LibreOffice or poppler-utils are not installed)")

    export = sub.add_parser(
        "export", help="turn a .pptx into a PDF or PNG pictures of its slides (LibreOffice)",
        description="Render a deck with LibreOffice (installed separately: Debian/Ubuntu "
                    "'sudo apt-get install libreoffice-impress poppler-utils', macOS 'brew "
                    "install --cask libreoffice' and 'brew install poppler').",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  deckgen export output/southend-briefing.pptx --pdf\n"
               "  deckgen export output/southend-briefing.pptx --png slides/")
    export.add_argument("pptx", type=Path, metavar="DECK.pptx", help="the deck to render")
    export.add_argument("--pdf", nargs="?", const=True, metavar="OUT.pdf",
                        help="write a PDF (default: beside the deck)")
    export.add_argument("--png", type=Path, metavar="DIR",
                        help="write one PNG per slide into DIR")
    export.add_argument("--dpi", type=int, default=96, help="PNG resolution (default: 96)")

    preview = sub.add_parser(
        "preview", help="build a deck and make one picture of all its slides",
        description="Build the deck, render it with LibreOffice and make a contact sheet: "
                    "every slide in a numbered grid, in one PNG. The quickest way to see a "
                    "whole deck at a glance.")
    _deck_args(preview)
    preview.add_argument("-o", "--output", type=Path, metavar="SHEET.png",
                         help="where to write the contact sheet (default: beside the deck, "
                              "NAME-preview.png)")
    preview.add_argument("--columns", type=int, default=4, help="slides per row (default: 4)")

    template = sub.add_parser(
        "template", help="look at an organisation's PowerPoint template",
        description="Commands for the template a deck is built on (template: FILE in the "
                    "outline; see docs/templates.md).")
    tsub = template.add_subparsers(dest="action", metavar="ACTION", required=True)
    inspect = tsub.add_parser(
        "inspect", help="list a template's layouts, placeholders, size, theme and problems",
        description="List what deckgen sees in a template: its slide size, theme fonts and "
                    "colours, each layout with its placeholders (type, index, position), the "
                    "layout each kind is built on, and warnings (a kind's layout without a "
                    "title placeholder, fonts not installed here, a 4:3 slide, overlapping "
                    "placeholders).",
        epilog="example:\n  deckgen template inspect assets/kent-template.potx",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    inspect.add_argument("file", type=Path, metavar="FILE", help="a .pptx or .potx")

    watch = sub.add_parser(
        "watch", help="build the deck again whenever a file it reads is saved",
        description="Build the deck, then again whenever the outline, an outline it extends, "
                    "its data, brand, template or pictures are saved, until Ctrl-C. Each "
                    "build's problems are printed as FILE:LINE:COL; a build with problems "
                    "leaves the last good deck as it was, and watching goes on.",
        epilog="examples:\n  deckgen watch\n  deckgen watch deck.yaml --set district=Basildon"
               "\n  deckgen watch --poll     on a network drive or a container's mount",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _deck_args(watch)
    _live_args(watch)

    serve = sub.add_parser(
        "serve", help="watch, and show every slide live on a local web page",
        description="Watch the deck (see deckgen watch) and show it on a page at "
                    "http://127.0.0.1:PORT/ (this computer only): every slide as a picture "
                    "with its number and title, its speaker notes on a click, the build's "
                    "problems with their FILE:LINE:COL, and a link to download the .pptx. The "
                    "page updates itself after each save. Slides are drawn by LibreOffice; "
                    "only the slides that changed are drawn again.",
        epilog="examples:\n  deckgen serve\n  deckgen serve deck.yaml --port 8765",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _deck_args(serve)
    _live_args(serve)
    serve.add_argument("--port", type=int, default=8000,
                       help="the port on 127.0.0.1 to serve on (default: 8000; 0: any free one)")

    schema = sub.add_parser(
        "schema", help="write the outline's JSON Schema (for editors' completion)",
        description="Write the JSON Schema of deck.yaml, made from the models that validate "
                    "outlines: every key with its meaning and allowed values. With VS Code's "
                    "YAML extension, a first-line comment '# yaml-language-server: "
                    "$schema=outline.schema.json' in an outline turns on completion and "
                    "checking as you type.",
        epilog="examples:\n  deckgen schema -o outline.schema.json\n  deckgen schema | less",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    schema.add_argument("-o", "--output", type=Path, metavar="FILE.json",
                        help="where to write it (default: print it)")

    kinds = sub.add_parser(
        "kinds", help="list the slide kinds, or one kind's keys",
        description="Without KIND: every slide kind with what it is for. With KIND: its keys, "
                    "each with its type, default and meaning (docs/outline.md has examples).",
        epilog="examples:\n  deckgen kinds\n  deckgen kinds table",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    kinds.add_argument("kind", nargs="?", metavar="KIND", help="a slide kind, e.g. chart")

    data = sub.add_parser(
        "data", help="look at a data source after its steps",
        description="Commands for an outline's data sources.")
    dsub = data.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = dsub.add_parser(
        "show", help="print a data source after its steps, as a table",
        description="Print data source NAME of the outline as its slides see it: after its "
                    "file is read and its steps (filter, group, pivot, derive, ...) are done. "
                    "Shows the first rows, the row count and each column's type: the first "
                    "thing to look at when a chart or table looks wrong.",
        epilog="examples:\n  deckgen data show asb\n"
               "  deckgen data show asb_table examples/monthly-pack/deck.yaml "
               "--set district=Basildon --rows 50",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    show.add_argument("name", metavar="NAME", help="the data source's name (under data:)")
    _deck_args(show)
    show.add_argument("--rows", type=int, default=20, metavar="N",
                      help="how many rows to show (default: 20; 0: all)")

    clean = sub.add_parser(
        "clean", help="remove deckgen's cache (for every outline) and an outline's leftovers",
        description="Remove deckgen's cache, where it keeps the charts it has drawn, the record "
                    "files it has parsed and what it built before, so that rebuilds are fast. "
                    "The cache is in your own cache folder ($DECKGEN_CACHE_DIR, else "
                    "$XDG_CACHE_HOME/deckgen or ~/.cache/deckgen; ~/Library/Caches/deckgen on "
                    "macOS, %LOCALAPPDATA%\\deckgen\\Cache on Windows), never beside an "
                    "outline, and is shared by every outline: all of it is removed, and its "
                    "path printed. It is safe to remove at any time: the next builds are full "
                    "ones. Also removes temporary files a killed build left beside the "
                    "outline's decks (.deckgen-*.tmp).")
    clean.add_argument("deck", nargs="?", default="deck.yaml", type=Path, metavar="DECK",
                       help="the outline whose decks' folders to clear of temporary files "
                            "(default: deck.yaml)")
    return parser


def _diff_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    diff = sub.add_parser(
        "diff", help="what changed between two decks, slide by slide",
        description="Show what changed from deck A to deck B, slide by slide: titles, text,\n"
                    "figures, table cells (by row and column), chart series (by category),\n"
                    "speaker notes, slides added or removed. Two decks deckgen built from one\n"
                    "outline are matched by each slide's place in the outline, others by title.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  deckgen diff output/pack-2016-04.pptx output/pack-2016-05.pptx\n"
               "  deckgen diff april.pptx may.pptx --summary > news.txt   one line a slide\n"
               "exit status: 0 no change, 1 the decks differ (or a problem), 2 wrong use.")
    diff.add_argument("a", type=Path, metavar="A.pptx", help="the earlier deck")
    diff.add_argument("b", type=Path, metavar="B.pptx", help="the later deck")
    diff.add_argument("--summary", action="store_true",
                      help="one line per slide that changed (a page), not every change")


def _deck_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("deck", nargs="?", default="deck.yaml", type=Path, metavar="DECK",
                   help="the outline (default: deck.yaml)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="NAME=VALUE",
                   help="override a variable of the outline (repeatable)")
    p.add_argument("--strict", action="store_true",
                   help="treat warnings (data checks such as a total that does not add up) as "
                        "errors")
    p.add_argument("--allow-outside-paths", action="store_true",
                   help="let the outline name data, images and other files outside its own "
                        "folder (only for outlines you trust)")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="show Python tracebacks for internal errors")


def _live_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="OUT.pptx", type=Path,
                   help="where to write the deck (default: the outline's 'output:')")
    p.add_argument("--poll", action="store_true",
                   help="look for changes every 0.1 s instead of being told by the operating "
                        "system (for network drives and containers' mounts)")
