"""Run lesson notebooks in fresh kernels the way the site build does, and report errors and stderr.

    .venv/bin/python tools/run_lesson.py notebooks/06-operation-cartel-1.ipynb [more.ipynb ...]

Cells tagged ``skip-execution`` (the students' starters) are not run. Exit status 1 on any problem.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from cyberhistory.site.execute import execute_all


def main(paths: list[str]) -> int:
    failed = 0
    with tempfile.TemporaryDirectory() as cache:
        results = execute_all(
            [Path(p) for p in paths], {Path(p): "run" for p in paths}, cache_dir=Path(cache), env={}, use_cache=False
        )
    for result in results:
        if result.error:
            print(f"{result.path.name}: FAILED\n{result.error}")
            failed += 1
            continue
        for n, cell in enumerate(c for c in result.notebook["cells"] if c["cell_type"] == "code"):
            for output in cell.get("outputs", []):
                if output["output_type"] == "error" or output.get("name") == "stderr":
                    print(f"{result.path.name}: code cell {n + 1}: {output.get('text') or output.get('evalue')}")
                    failed += 1
        print(f"{result.path.name}: ran in {result.seconds:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
