"""Benchmark: load and validate 150, 1,500 and 15,000 events (synthetic copies of the real rows).

Prints each time and its ratio to the 150-event time measured in the same run. Target: validation
grows linearly, so the 15,000-event time is at most 12x the 1,500-event time.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from synthetic import write_synthetic

from cyberhistory.data import load
from cyberhistory.validate import validate


def _best_of(func, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    sizes = (150, 1_500, 15_000)
    with tempfile.TemporaryDirectory() as tmp:
        folders = {n: write_synthetic(Path(tmp) / str(n), n) for n in sizes}
        assert all(validate(f).ok for f in folders.values()), "synthetic data must be valid"
        timings = {}
        for n in sizes:
            repeats = 5 if n < 15_000 else 2
            timings[n] = (
                _best_of(lambda f=folders[n]: validate(f), repeats),
                _best_of(lambda f=folders[n]: load(f), repeats),
            )
    base_validate, base_load = timings[150]
    print(f"{'events':>8} {'validate s':>11} {'x150':>6} {'load s':>8} {'x150':>6}")
    for n, (v, ld) in timings.items():
        print(f"{n:>8} {v:>11.3f} {v / base_validate:>6.1f} {ld:>8.3f} {ld / base_load:>6.1f}")
    growth = timings[15_000][0] / timings[1_500][0]
    print(f"validation 15,000 / 1,500 events: {growth:.1f}x (target <= 12x: {'met' if growth <= 12 else 'MISSED'})")


if __name__ == "__main__":
    main()
