"""Benchmark: time to draw the timeline for 100, 1,000 and 10,000 synthetic events, and the real data;
and the size of every figure as matplotlib's SVG, as the compact SVG the site inlines, and as PNG.

Each time is printed with its ratio to the 100-event time in the same run. Target: the
10,000-event timeline in under 10x the 100-event one. Sizes are what a page carries inline
(PNG counted base64-encoded, as it would be inlined); the format picked is the smaller of
compact SVG and PNG, with SVG preferred within 10% because it stays sharp at every zoom.
"""

from __future__ import annotations

import base64
import io
import tempfile
import time
from pathlib import Path

from synthetic import write_synthetic

from cyberhistory.data import load
from cyberhistory.gallery import figures
from cyberhistory.style import _SVG_METADATA, house_style
from cyberhistory.timeline import plot_timeline


def _draw(events) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        plot_timeline(events, lanes="kind").png(dpi=100)
        best = min(best, time.perf_counter() - start)
    return best


def _raw_svg(chart) -> int:
    buffer = io.StringIO()
    with house_style():
        chart.figure.savefig(buffer, format="svg", metadata=_SVG_METADATA)
    return len(buffer.getvalue().encode())


def sizes(data) -> None:
    """Print each figure's size in three forms and the form the site should use."""
    print(f"{'figure':>26} {'matplotlib SVG':>15} {'compact SVG':>12} {'PNG 150 dpi':>12}  pick")
    for stem, chart in figures(data).items():
        raw, svg = _raw_svg(chart), len(chart.svg().encode())
        png = len(base64.b64encode(chart.png()))
        pick = "SVG" if svg <= png * 1.1 else "PNG"
        print(
            f"{stem:>26} {raw / 1024:>12.0f} KB {svg / 1024:>9.0f} KB {png / 1024:>9.0f} KB  {pick} ({svg / raw:.2f} of raw)"
        )


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
    print()
    sizes(load())


if __name__ == "__main__":
    main()
