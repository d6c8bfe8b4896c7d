"""Benchmark: the weight of every page of the built site, without and with its figures.

Builds the site into a temporary folder (or measures ``--site DIR``) and prints the heaviest
pages, each against its target: at most 80 KB of HTML without figures, and at most 120 KB of
figures (inline SVG and images) per page, and the site's total size. `benchmarks/figures.py`
compares each figure's compact SVG with matplotlib's SVG and with PNG.
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from pathlib import Path

from cyberhistory.schema import DEFAULT_DATA_DIR
from cyberhistory.site.build import build

PAGE_TARGET = 80 * 1024
FIGURES_TARGET = 120 * 1024
_FIGURE = re.compile(r"<svg\b.*?</svg>|src=\"data:image/[^\"]+\"", re.S)


def weigh(page: Path) -> tuple[int, int]:
    """(bytes without figures, bytes of figures) of one HTML page."""
    html = page.read_bytes().decode("utf-8")
    figures = sum(len(m.group(0).encode()) for m in _FIGURE.finditer(html))
    return len(html.encode()) - figures, figures


def _verdict(value: int, target: int) -> str:
    return "met" if value <= target else "MISSED"


def report(site: Path) -> None:
    pages = {p.relative_to(site): weigh(p) for p in sorted(site.rglob("*.html"))}
    heaviest = sorted(pages.items(), key=lambda item: -item[1][0])
    figure_heavy = sorted(pages.items(), key=lambda item: -item[1][1])
    print(
        f"pages: {len(pages)}; total site size {sum(f.stat().st_size for f in site.rglob('*') if f.is_file()) / 2**20:.1f} MB"
    )
    print(f"heaviest pages without figures (target <= {PAGE_TARGET // 1024} KB):")
    for name, (html, _) in heaviest[:6]:
        print(f"  {name!s:48} {html / 1024:6.1f} KB  {_verdict(html, PAGE_TARGET)}")
    print(f"most figure weight on one page (target <= {FIGURES_TARGET // 1024} KB):")
    for name, (_, figures) in figure_heavy[:6]:
        print(f"  {name!s:48} {figures / 1024:6.1f} KB  {_verdict(figures, FIGURES_TARGET)}")
    over = [n for n, (h, f) in pages.items() if h > PAGE_TARGET or f > FIGURES_TARGET]
    print(f"pages over a target: {len(over)}" + (f" ({', '.join(map(str, over))})" if over else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    args = parser.parse_args()
    if args.site:
        report(args.site)
        return
    with tempfile.TemporaryDirectory() as tmp:
        data = shutil.copytree(DEFAULT_DATA_DIR, Path(tmp) / "data")
        build(Path(tmp) / "_build", data_directory=data, report=lambda *_: None)
        report(Path(tmp) / "_build")


if __name__ == "__main__":
    main()
