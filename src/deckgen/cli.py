"""The command line: parse arguments, call the pipeline, print progress, problems and results."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import traceback
from pathlib import Path
from typing import Optional, Sequence

from deckgen import __version__, app, interrupt
from deckgen.errors import DeckError, shown_path
from deckgen.options import Options

EXIT_OK, EXIT_DECK, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

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

The outline format is described in docs/outline.md.
exit status: 0 success, 1 a problem with the deck or its data, 2 wrong command-line use,
3 an internal error (a bug: please report it; --debug shows the details)."""


def _parser() -> argparse.ArgumentParser:
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
               "  deckgen build deck.yaml --each district -o decks/   one deck per district")
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


def _overrides(pairs: Sequence[str], parser: argparse.ArgumentParser) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            parser.error(f"--set needs NAME=VALUE, got '{pair}'")
        out[name.strip()] = value.strip()
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    # deckgen uses no pydantic plugins; without this, pydantic looks for them in every
    # installed package's entry points when the first model is built (slow in big environments)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    overrides = _overrides(getattr(args, "overrides", []), parser)
    interrupt.install()
    try:
        if args.command == "build":
            return _build(args, overrides)
        if args.command == "clean":
            return _clean(args)
        if args.command == "export":
            return _export(args, parser)
        if args.command == "preview":
            return _preview(args, overrides)
        if args.command == "template":
            return _template(args)
        if args.command in ("watch", "serve"):
            return _live(args, overrides)
        if args.command == "schema":
            return _schema(args)
        if args.command == "kinds":
            return _kinds(args)
        if args.command == "data":
            return _data(args, overrides)
        return _check(args, overrides)
    except DeckError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        n = len(exc.problems)
        if n > 1:
            print(f"{n} problems; nothing was written.", file=sys.stderr)
        return EXIT_DECK
    except KeyboardInterrupt:
        print(f"{interrupt.name()}; no deck was left half-written.", file=sys.stderr)
        return interrupt.exit_status()
    except Exception as exc:  # noqa: BLE001 - the one place internal errors are reported
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {exc}. This is a bug in deckgen; please "
              "report it with the outline (run with --debug for details).", file=sys.stderr)
        return EXIT_INTERNAL


def _progress(quiet: bool):  # type: ignore[no-untyped-def]
    if quiet or not sys.stderr.isatty():
        return None

    def show(n: int, total: int, title: str) -> None:
        line = f"\r[{n}/{total}] {title[:60]}"
        print(f"{line:<72}", end="" if n < total else "\r" + " " * 72 + "\r", file=sys.stderr,
              flush=True)

    return show


def _options(args: argparse.Namespace) -> Options:
    return Options(strict=args.strict, allow_outside_paths=args.allow_outside_paths,
                   cache=not getattr(args, "no_cache", False))


def _slides(n: int) -> str:
    return f"{n} slide" if n == 1 else f"{n} slides"


def _warnings(problems: Sequence[object]) -> None:
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)


def _build(args: argparse.Namespace, overrides: dict[str, str]) -> int:
    if not args.deck.exists():
        raise DeckError.single(f"no outline at {args.deck}; give the outline's path "
                               "(e.g. deckgen build deck.yaml)")
    if args.each:
        return _build_each(args, overrides)
    start = time.perf_counter()
    deck = app.build(args.deck, args.output, overrides, _progress(args.quiet), _options(args))
    _warnings(deck.warnings)
    if not args.quiet:
        print(_written(deck, time.perf_counter() - start))
    if args.pdf:
        pdf, made = app.pdf(deck.output)
        if not args.quiet:
            print(f"wrote {shown_path(pdf)}" if made else f"up to date: {shown_path(pdf)}")
    return EXIT_OK


def _written(deck: app.Written, seconds: Optional[float]) -> str:
    """What a build did, in one line (how long it took, when `seconds` is given)."""
    if deck.reused:
        return (f"up to date: {shown_path(deck.output)} ({_slides(deck.slides)}; nothing it "
                "depends on has changed)")
    redrawn = ""
    if deck.redrawn is not None:
        numbers = ", ".join(map(str, deck.redrawn))
        redrawn = (f"; redrew slide{'s' if len(deck.redrawn) > 1 else ''} {numbers}, "
                   "kept the rest from the last build")
    took = f", {seconds:.1f} s" if seconds is not None else ""
    return f"wrote {shown_path(deck.output)} ({_slides(deck.slides)}{redrawn}{took})"


def _export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not args.pdf and not args.png:
        parser.error("export needs --pdf and/or --png DIR")
    target = None
    if args.pdf:
        target = args.pptx.with_suffix(".pdf") if args.pdf is True else Path(args.pdf)
    pdf, pngs = app.export(args.pptx, target, args.png, args.dpi)
    if pdf is not None:
        print(f"wrote {shown_path(pdf)}")
    if args.png:
        print(f"wrote {len(pngs)} PNGs into {shown_path(args.png)}/")
    return EXIT_OK


def _preview(args: argparse.Namespace, overrides: dict[str, str]) -> int:
    start = time.perf_counter()
    deck, sheet, pages = app.preview(args.deck, args.output, overrides, args.columns,
                                     _progress(False), _options(args))
    _warnings(deck.warnings)
    print(_written(deck, time.perf_counter() - start))
    print(f"wrote {shown_path(sheet)}: all {pages} slides at a glance")
    return EXIT_OK


def _build_each(args: argparse.Namespace, overrides: dict[str, str]) -> int:
    if args.output is not None and args.output.suffix.lower() == ".pptx":
        raise DeckError.single(f"with --each, -o names a folder for the decks, not a file: "
                               f"{args.output}")
    start = time.perf_counter()
    tty = sys.stderr.isatty() and not args.quiet

    clear = f"\r{'':<72}\r" if tty else ""  # wipe the progress bar before a message

    def done(result: app.DeckResult, n: int, total: int) -> None:
        for line in result.problems:
            print(f"{clear}error: [{result.value}] {line}", file=sys.stderr)
        for line in result.warnings:
            print(f"{clear}warning: [{result.value}] {line}", file=sys.stderr)
        if tty:
            filled = int(30 * n / total)
            bar = "#" * filled + "-" * (30 - filled)
            end = "\n" if n == total else ""
            print(f"\r[{bar}] {n}/{total} {result.value[:24]:<24}", end=end, file=sys.stderr,
                  flush=True)
        elif not args.quiet and result.ok:
            what = "up to date" if result.reused else "wrote"
            print(f"{what} {shown_path(result.output)} ({_slides(result.slides)}, "
                  f"{result.seconds:.1f} s)")

    results = app.build_each(args.deck, args.each, args.output, overrides, args.jobs, done,
                             _options(args))
    seconds = time.perf_counter() - start
    failed = [r.value for r in results if not r.ok]
    built = len(results) - len(failed)
    folder = shown_path(results[0].output.parent) if results else "?"
    if failed:
        print(f"{built} of {len(results)} decks built in {seconds:.1f} s into {folder}/; "
              f"failed: {', '.join(failed)}", file=sys.stderr)
        return EXIT_DECK
    if not args.quiet:
        print(f"{built} decks in {seconds:.1f} s -> {folder}/")
    return EXIT_OK


def _clean(args: argparse.Namespace) -> int:
    done = app.clean(args.deck)
    if done.stale:
        print(f"removed {done.stale} temporary file(s) left by an interrupted build")
    if done.refused:
        print(f"left {done.cache} as it is: {done.refused}")
    elif done.removed:
        print(f"removed the cache in {done.cache} ({done.size / 1e6:.1f} MB, for every "
              "outline)")
    else:
        print(f"no cache at {done.cache}")
    if done.legacy is not None:
        print(f"{shown_path(done.legacy)} is an older deckgen's cache, no longer read or "
              "written; you may delete it")
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    """`deckgen template inspect FILE`."""
    lines, warnings = app.inspect_template(args.file)
    print("\n".join(lines))
    for warning in warnings:
        print(f"warning: {warning}")
    return EXIT_OK


def _need_outline(deck: Path) -> None:
    if not deck.exists():
        raise DeckError.single(f"no outline at {deck}; give the outline's path")


def _live(args: argparse.Namespace, overrides: dict[str, str]) -> int:
    """`deckgen watch` and `deckgen serve`: each build's problems and result, until Ctrl-C."""
    _need_outline(args.deck)

    def report(result: object) -> None:
        stamp = time.strftime("%H:%M:%S")
        if isinstance(result, DeckError):
            for problem in result.problems:
                print(f"error: {problem}", file=sys.stderr)
            print(f"[{stamp}] {len(result.problems)} problem(s); the last good deck is kept. "
                  "Watching for the next save...", file=sys.stderr, flush=True)
            return
        assert isinstance(result, app.Written)
        _warnings(result.warnings)
        print(f"[{stamp}] {_written(result, None)}", flush=True)

    def ready(url: str) -> None:
        print(f"serving the preview on {url} (this computer only); Ctrl-C stops", flush=True)

    try:
        if args.command == "serve":
            app.serve(args.deck, args.port, args.output, overrides, _options(args), report,
                      ready=ready, poll=args.poll)
        else:
            print(f"watching {shown_path(args.deck)} and the files it reads; Ctrl-C stops",
                  flush=True)
            app.watch(args.deck, args.output, overrides, _options(args), report,
                      poll=args.poll)
    except KeyboardInterrupt:
        print("stopped; the last good deck is in place.", file=sys.stderr)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    import json

    text = json.dumps(app.outline_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        print(text, end="")
        return EXIT_OK
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {shown_path(args.output)}")
    return EXIT_OK


def _kinds(args: argparse.Namespace) -> int:
    if args.kind is None:
        rows = app.kinds_list()
        width = max(len(name) for name, _ in rows)
        for name, line in rows:
            print(f"{name:<{width}}  {line}")
        print("\n'deckgen kinds KIND' lists a kind's keys; docs/outline.md has an example of "
              "each.")
        return EXIT_OK
    keys = app.kind_keys(args.kind)
    print(f"kind: {args.kind} - its keys (every slide also takes kind, title, id, notes, "
          "layout):")
    for key, kind, default, meaning in keys:
        if key in ("id", "notes", "layout"):
            continue
        head = f"  {key}: {kind}" + ("" if default == "none" else
                                     " (required)" if default == "required" else
                                     f" (default {default})")
        print(head)
        if meaning:
            print(f"      {meaning}")
    return EXIT_OK


def _data(args: argparse.Namespace, overrides: dict[str, str]) -> int:
    _need_outline(args.deck)
    found = app.data_show(args.deck, args.name, overrides, args.rows, _options(args))
    # plain text, control characters already escaped (data/peek.py): no cell reaches the
    # terminal as anything but text
    for line in found.lines(shutil.get_terminal_size().columns):
        print(line)
    if len(found.cells) < found.rows:
        print(f"... {found.rows - len(found.cells):,} more row(s); --rows N shows more, "
              "--rows 0 all")
    return EXIT_OK


def _check(args: argparse.Namespace, overrides: dict[str, str]) -> int:
    _need_outline(args.deck)
    if args.render:
        deck, _, skipped = app.check_rendered(args.deck, overrides, _options(args))
        if skipped:
            print(f"the render check was skipped: {skipped}", file=sys.stderr)
    else:
        deck = app.check(args.deck, overrides, _options(args))
    _warnings(deck.warnings)
    found = f"{len(deck.warnings)} warning(s)" if deck.warnings else "no problems found"
    print(f"{shown_path(args.deck)}: {_slides(len(deck.plans))}, {found}")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
