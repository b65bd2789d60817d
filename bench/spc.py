"""How often control charts cry wolf: `python bench/spc.py [--series N] [--months M]`.

Simulates N stable series of M monthly Poisson counts (nothing happens in them: every month has
the same expected count) at several levels, runs deckgen's control chart (data/spc.py) on each,
and prints the share of series in which it reports a special cause: the false-signal rate.
deckgen's target is at most 5% (bench/RESULTS.md). For comparison it also prints the rate of
applying every rule to every month, which deckgen does not do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from deckgen.data.spc import control_chart  # noqa: E402

LEVELS = (3, 10, 30, 100, 300, 1000)
TARGET = 0.05


def rate(rng: np.random.Generator, level: float, series: int, months: int, method: str,
         assess: int | None = None) -> float:
    flagged = 0
    for _ in range(series):
        values = [float(v) for v in rng.poisson(level, months)]
        chart = control_chart(values, method=method,  # type: ignore[arg-type]
                              **({} if assess is None else {"assess": assess}))
        flagged += bool(chart.signals)
    return flagged / series


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"False-signal rate: share of {args.series:,} stable Poisson series of "
          f"{args.months} months with a special cause reported")
    print(f"{'mean count':>10}  {'XmR':>6}  {'c-chart':>7}  {'XmR, every month assessed':>26}")
    worst = 0.0
    for level in LEVELS:
        xmr = rate(rng, level, args.series, args.months, "xmr")
        c = rate(rng, level, args.series, args.months, "c")
        every = rate(rng, level, args.series, args.months, "xmr", assess=args.months)
        worst = max(worst, xmr, c)
        print(f"{level:>10}  {xmr:>6.1%}  {c:>7.1%}  {every:>26.1%}")
    print(f"worst: {worst:.1%} (target at most {TARGET:.0%}): "
          + ("met" if worst <= TARGET else "NOT MET"))
    if worst > TARGET:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
