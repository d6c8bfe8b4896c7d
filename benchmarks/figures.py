"""Benchmark: time to draw the timeline for 100, 1,000 and 10,000 synthetic events, and the real data.

Each time is printed with its ratio to the 100-event time in the same run. Target: the
10,000-event timeline in under 10x the 100-event one.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from synthetic import write_synthetic

from cyberhistory.data import load
from cyberhistory.timeline import plot_timeline


def _draw(events) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        plot_timeline(events, lanes="kind").png(dpi=100)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        frames = {n: load(write_synthetic(Path(tmp) / str(n), n)).events for n in (100, 1_000, 10_000)}
    real = load().events
    plot_timeline(real).png(dpi=100)  # warm up fonts and caches
    timings = {f"{n} synthetic": _draw(events) for n, events in frames.items()}
    timings[f"{len(real)} real"] = _draw(real)
    base = timings["100 synthetic"]
    print(f"{'events':>16} {'seconds':>8} {'x100':>6}")
    for name, seconds in timings.items():
        print(f"{name:>16} {seconds:>8.3f} {seconds / base:>6.1f}")
    ratio = timings["10000 synthetic"] / base
    print(f"10,000 / 100 events: {ratio:.1f}x (target < 10x: {'met' if ratio < 10 else 'MISSED'})")


if __name__ == "__main__":
    main()
