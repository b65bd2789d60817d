"""Run many deck builds at once, one process per core, and never lose a Ctrl-C.

Processes, not threads: matplotlib is not thread-safe. The work of one deck is a function the
orchestrator passes in (app._build_one); one failing deck does not stop the others, and each
result says what happened. Ctrl-C (or SIGTERM) stops the deck being built, which is written
atomically and so leaves nothing behind, and every deck after it.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable, Optional, Sequence, TypeVar

from deckgen import interrupt

Task = TypeVar("Task")
Result = TypeVar("Result")


def run(work: Callable[[Task], Result], tasks: Sequence[Task], workers: int,
        on_done: Optional[Callable[[Result, int, int], None]] = None) -> list[Result]:
    """`work` applied to every task, in `workers` processes (in this one when 1); the results
    come back in the order of the tasks, `on_done` is told of each as it finishes."""
    results: dict[int, Result] = {}
    if workers == 1:
        for n, task in enumerate(tasks):
            interrupt.check()
            results[n] = work(task)
            if on_done:
                on_done(results[n], n + 1, len(tasks))
        return [results[n] for n in range(len(tasks))]
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context(),
                               initializer=_worker_ctrl_c)
    try:
        futures = {pool.submit(_in_worker, work, task): n for n, task in enumerate(tasks)}
        for done, future in enumerate(as_completed(futures), start=1):
            interrupt.check()
            results[futures[future]] = future.result()
            if on_done:
                on_done(results[futures[future]], done, len(tasks))
    except BaseException:
        # Ctrl-C (or a broken worker): start no more decks. Each deck is written
        # atomically, so one that was interrupted leaves no partial file.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [results[n] for n in range(len(tasks))]


def _worker_ctrl_c() -> None:
    """In each worker: Ctrl-C stops the deck being built and every deck after it."""
    interrupt.install(armed=False)


def _in_worker(work: Callable[[Task], Result], task: Task) -> Result:
    with interrupt.arm():
        return work(task)


def _mp_context() -> multiprocessing.context.BaseContext:
    """fork where the platform has it (workers start with pandas already imported)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")
