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

from deckgen import app, interrupt
from deckgen.cliargs import command_line
from deckgen.errors import DeckError, shown_path
from deckgen.options import Options

EXIT_OK, EXIT_DECK, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

def _diff(args: argparse.Namespace) -> int:
    lines = app.diff(args.a, args.b, args.summary)
    print("\n".join(lines))
    return EXIT_OK if lines[-1].startswith("no change") else EXIT_DECK


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
    parser = command_line()
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
        if args.command == "diff":
            return _diff(args)
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
        if args.keep_edits:
            raise DeckError.single("--keep-edits and --each cannot be used together: keep the "
                                   "edits of one deck at a time")
        return _build_each(args, overrides)
    if args.keep_edits:
        return _build_keeping(args, overrides)
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


def _build_keeping(args: argparse.Namespace, overrides: dict[str, str]) -> int:
    start = time.perf_counter()
    kept = app.build_keeping_edits(args.deck, args.keep_edits, args.output, overrides,
                                   _progress(args.quiet), _options(args))
    _warnings(kept.written.warnings)
    if not args.quiet:
        for line in kept.kept:
            print(f"kept: {line}")
        print(_written(kept.written, time.perf_counter() - start)
              + f"; {len(kept.kept)} kept from {shown_path(args.keep_edits)}, "
              f"{len(kept.reported)} reported")
    if args.pdf and (pdf := app.pdf(kept.written.output)[0]) and not args.quiet:
        print(f"wrote {shown_path(pdf)}")
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
    warned: dict[str, list[str]] = {}  # each warning once, with the decks it applies to

    def done(result: app.DeckResult, n: int, total: int) -> None:
        for line in result.problems:
            print(f"{clear}error: [{result.value}] {line}", file=sys.stderr)
        for line in result.warnings:
            warned.setdefault(str(line), []).append(result.value)
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
    _batch_warnings(warned, [r.value for r in results], args.each)
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


def _batch_warnings(warned: dict[str, list[str]], values: list[str], each: str) -> None:
    """Each warning of a batch once, naming the decks it applies to ('every district (14)' when
    it is every one), in the order the first deck met them."""
    for line, where in warned.items():
        decks = sorted(set(where), key=values.index) if set(where) <= set(values) else where
        shown = f"every {each} ({len(values)})" if len(decks) == len(values) > 1 else \
            ", ".join(decks)
        print(f"warning: [{shown}] {line}", file=sys.stderr)


def _live(args: argparse.Namespace, overrides: dict[str, str]) -> int:
    """`deckgen watch` and `deckgen serve`: each build's problems and result, until Ctrl-C;
    its warnings when they change (not again on every save)."""
    _need_outline(args.deck)
    shown_before: list[str] = []

    def report(result: object) -> None:
        stamp = time.strftime("%H:%M:%S")
        if isinstance(result, DeckError):
            for problem in result.problems:
                print(f"error: {problem}", file=sys.stderr)
            print(f"[{stamp}] {len(result.problems)} problem(s); the last good deck is kept. "
                  "Watching for the next save...", file=sys.stderr, flush=True)
            return
        assert isinstance(result, app.Written)
        now = [str(w) for w in result.warnings]
        if now != shown_before:  # the same warnings on every save are said once
            _warnings(result.warnings)
            shown_before[:] = now
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
