"""Benchmark: the site build against nbconvert's own HTML export, measured in the same run.

Prints: a clean build of both editions versus `jupyter nbconvert --to html --execute` on the same
notebooks (target ratio <= 0.5); a rebuild with nothing changed versus the clean build (target
<= 0.05); a rebuild after touching one data file; the largest page (without figures) and the site's
total size.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cyberhistory.schema import DEFAULT_DATA_DIR
from cyberhistory.site.build import NOTEBOOK_DIR, build


def _timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _quiet(*_args):
    return None


def _size_without_figures(path: Path) -> int:
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<svg\b.*?</svg>", "", html, flags=re.S)
    html = re.sub(r'src="data:image/[^"]+"', 'src=""', html)
    return len(html.encode())


def main() -> None:
    notebooks = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = shutil.copytree(DEFAULT_DATA_DIR, tmp / "data")
        nbconvert_out = tmp / "nbconvert"
        baseline = _timed(
            lambda: subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "jupyter",
                    "nbconvert",
                    "--to",
                    "html",
                    "--execute",
                    "--output-dir",
                    str(nbconvert_out),
                    *map(str, notebooks),
                ],
                check=True,
                capture_output=True,
                cwd=NOTEBOOK_DIR,
            )
        )
        out = tmp / "_build"
        clean = _timed(lambda: build(out, data_directory=data, report=_quiet))
        unchanged = _timed(lambda: build(out, data_directory=data, report=_quiet))
        with (data / "actors.csv").open("a", encoding="utf-8") as handle:
            handle.write("")  # same bytes: the cache must see no change
        events = data / "events.csv"
        events.write_text(events.read_text(encoding="utf-8").replace("WANK worm", "WANK  worm", 1), encoding="utf-8")
        touched = _timed(lambda: build(out, data_directory=data, report=_quiet))
        pages = list(out.rglob("*.html"))
        largest = max(pages, key=_size_without_figures)
        largest_name, largest_size = largest.relative_to(out), _size_without_figures(largest)
        total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        nbconvert_pages = list(nbconvert_out.glob("*.html"))
        nbconvert_avg = sum(p.stat().st_size for p in nbconvert_pages) / len(nbconvert_pages)
    print(f"notebooks: {len(notebooks)}")
    print(f"nbconvert --execute (lab template, one edition): {baseline:6.1f} s")
    print(
        f"clean build, both editions:                      {clean:6.1f} s  ratio {clean / baseline:.2f} (target <= 0.5)"
    )
    print(
        f"rebuild, nothing changed:                        {unchanged:6.2f} s  ratio {unchanged / clean:.3f} (target <= 0.05)"
    )
    print(f"rebuild after touching events.csv:               {touched:6.1f} s  ratio {touched / clean:.2f}")
    print(f"largest page without figures: {largest_name} {largest_size / 1024:.0f} KB (target <= 80 KB)")
    print(
        f"total site size, both editions: {total / 1024 / 1024:.1f} MB; nbconvert's average page: {nbconvert_avg / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
