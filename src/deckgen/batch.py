"""Build one deck per value of a variable (`deckgen build --each district`), on every core.

Processes, not threads: matplotlib is not thread-safe. One failing value does not stop the
others; each result says what happened.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Optional

from deckgen import interrupt
from deckgen.errors import DeckError, Location, did_you_mean
from deckgen.source.outline import Outline, load_outline
from deckgen.source.variables import slug

if TYPE_CHECKING:
    from deckgen.options import Options


@dataclass
class DeckResult:
    """What happened to one deck of a batch."""

    value: str
    output: Path
    slides: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def plan_batch(outline: Outline, variable: str, out_dir: Optional[Path]) -> list[tuple[str, Path]]:
    """(value, output path) for every value the variable may take; raises DeckError if none."""
    if variable not in outline.variables:
        known = ", ".join(sorted(outline.variables)) or "none"
        raise DeckError.single(f"--each {variable}: the outline has no variable '{variable}' "
                               f"(it declares: {known}){did_you_mean(variable, outline.variables)}",
                               Location(outline.source.file))
    values = outline.choices.get(variable)
    if not values:
        raise DeckError.single(
            f"--each {variable}: the variable declares no values to build; give it "
            "'values: [...]' or 'values_from: source.column' under 'variables:'",
            outline.where(("variables", variable)))
    template = outline.output_template
    uses_variable = "{" + variable + "}" in template
    jobs = []
    for value in values:
        name = _output_name(outline, variable, value, uses_variable)
        folder = out_dir if out_dir is not None else outline.output_path().parent
        jobs.append((value, folder / name))
    return jobs


def _output_name(outline: Outline, variable: str, value: str, uses_variable: bool) -> str:
    from deckgen.source.variables import fill_text

    values = {k: slug(str(v)) for k, v in outline.variables.items()}
    values[variable] = slug(value)
    template = outline.output_template or f"{slug(outline.deck.title)}.pptx"
    name = Path(fill_text(template, values)[0]).name
    if not uses_variable:
        name = f"{Path(name).stem}-{slug(value)}.pptx"
    return name


def build_each(deck: Path, variable: str, out_dir: Optional[Path],
               overrides: Mapping[str, str], jobs: Optional[int] = None,
               on_done: Optional[Callable[[DeckResult, int, int], None]] = None,
               options: "Options | None" = None) -> list[DeckResult]:
    """Build every deck of the batch in parallel; results in the order of the values."""
    from deckgen.app import source_date_epoch
    from deckgen.options import Options

    options = options or Options()
    source_date_epoch()
    outline = load_outline(deck, overrides, options.allow_outside_paths)
    plan = plan_batch(outline, variable, out_dir)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(plan)))
    results: dict[str, DeckResult] = {}
    tasks = [(str(deck), dict(overrides, **{variable: value}), str(out), value, options)
             for value, out in plan]
    if workers == 1:
        for n, task in enumerate(tasks, start=1):
            interrupt.check()
            result = _build_one(task)
            results[result.value] = result
            if on_done:
                on_done(result, n, len(tasks))
    else:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                                   initializer=_worker_ctrl_c)
        try:
            futures = [pool.submit(_build_one, task) for task in tasks]
            for n, future in enumerate(as_completed(futures), start=1):
                interrupt.check()
                result = future.result()
                results[result.value] = result
                if on_done:
                    on_done(result, n, len(tasks))
        except BaseException:
            # Ctrl-C (or a broken worker): start no more decks. Each deck is written
            # atomically, so one that was interrupted leaves no partial file.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    return [results[value] for value, _ in plan]


_interrupted = False  # in a worker: Ctrl-C was pressed
_busy = False  # in a worker: a deck is being built


def _worker_ctrl_c() -> None:
    """In each worker: Ctrl-C stops the deck being built (written atomically, it leaves
    nothing behind) and every deck after it. A worker waiting for its next deck only notes the
    key: raising there would kill it with a traceback."""
    signal.signal(signal.SIGINT, _on_ctrl_c)
    signal.signal(signal.SIGTERM, _on_ctrl_c)


def _on_ctrl_c(signum: int, frame: object) -> None:
    global _interrupted
    _interrupted = True
    if _busy:
        raise KeyboardInterrupt


def _context() -> multiprocessing.context.BaseContext:
    """fork where the platform has it (workers start with pandas already imported)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _build_one(task: tuple[str, dict[str, str], str, str, "Options"]) -> DeckResult:
    """Build one deck in a worker process; every outcome comes back as a DeckResult."""
    from deckgen.app import build

    global _busy
    if _interrupted:
        raise KeyboardInterrupt
    deck, overrides, out, value, options = task
    result = DeckResult(value, Path(out))
    start = time.perf_counter()
    _busy = True
    try:
        built = build(Path(deck), Path(out), overrides, options=options)
        result.slides = built.slides
        result.warnings = [str(w) for w in built.warnings]
    except DeckError as exc:
        result.problems = [str(p) for p in exc.problems]
    except Exception as exc:  # noqa: BLE001 - reported per deck, the batch goes on
        result.problems = [f"internal error: {type(exc).__name__}: {exc} (please report it)"]
    finally:
        _busy = False
    result.seconds = time.perf_counter() - start
    return result
