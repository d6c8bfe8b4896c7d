"""Execute notebooks in fresh kernels, in parallel, with a content-addressed cache.

The cache key covers the notebook, the data files and the package source, so
a change to ``data/`` or to the figure code re-runs the notebooks; anything
else is served from ``.cache/``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat

PACKAGE_DIR = Path(__file__).resolve().parent
#: Seconds a single cell may run before the build gives up on it.
CELL_TIMEOUT = 120


@dataclass
class Executed:
    """The outcome of running one notebook."""

    path: Path
    notebook: nbformat.NotebookNode | None
    seconds: float
    cached: bool
    error: str | None = None


def _hash_files(paths: list[Path], digest) -> None:
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())


def cache_key(notebook: Path, data_dir: Path, env: dict[str, str]) -> str:
    """A hash of everything that can change a notebook's outputs."""
    digest = hashlib.sha256()
    digest.update(notebook.read_bytes())
    _hash_files([p for p in data_dir.iterdir() if p.is_file() and p.suffix in (".csv", ".json")], digest)
    _hash_files([p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".txt")], digest)
    digest.update(repr(sorted(env.items())).encode())
    return digest.hexdigest()[:32]


def _first_line(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip()]
    return lines[0][:100] if lines else "(empty cell)"


def describe_failure(notebook: nbformat.NotebookNode, path: Path, fallback: str) -> str:
    """A few lines naming the notebook, the failing cell, its first line and the exception."""
    code_number = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        code_number += 1
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return (
                    f"{path.name}: code cell {code_number} failed\n"
                    f"    {_first_line(cell.source)}\n"
                    f"    {output.get('ename')}: {output.get('evalue')}"
                )
    return f"{path.name}: {fallback}"


def _run(path: Path, env: dict[str, str]) -> tuple[nbformat.NotebookNode | None, str | None]:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    os.environ.update(env)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    try:
        # The kernel's own stderr is only start-up chatter; a crash still surfaces as DeadKernelError.
        client.execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as err:
        first = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
        return None, describe_failure(notebook, path, first)
    except (CellTimeoutError, DeadKernelError) as err:
        return None, describe_failure(notebook, path, f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")
    return notebook, None


def _execute_one(path: Path, cache_dir: Path, data_dir: Path, env: dict[str, str], use_cache: bool) -> Executed:
    start = time.perf_counter()
    key = cache_key(path, data_dir, env)
    cached = cache_dir / f"{path.stem}-{key}.ipynb"
    if use_cache and cached.is_file():
        return Executed(path, nbformat.read(cached, as_version=4), time.perf_counter() - start, cached=True)
    notebook, error = _run(path, env)
    if notebook is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for stale in cache_dir.glob(f"{path.stem}-*.ipynb"):
            stale.unlink()
        tmp = cached.with_suffix(".tmp")
        nbformat.write(notebook, tmp)
        tmp.replace(cached)
    return Executed(path, notebook, time.perf_counter() - start, cached=False, error=error)


def execute_all(
    paths: list[Path],
    *,
    cache_dir: Path,
    data_dir: Path,
    env: dict[str, str],
    jobs: int | None = None,
    use_cache: bool = True,
    report=print,
) -> list[Executed]:
    """Execute notebooks in parallel (one worker per core by default), reporting each as it finishes.

    A failing notebook does not stop the others; its :attr:`Executed.error` holds
    the short report.
    """
    jobs = jobs or os.cpu_count() or 1
    results: dict[Path, Executed] = {}

    def finished(result: Executed) -> None:
        results[result.path] = result
        status = "cached" if result.cached else ("FAILED" if result.error else "executed")
        line = f"[{len(results)}/{len(paths)}] {result.path.name:<40} {status:>8} {result.seconds:6.1f}s"
        if report is print and sys.stdout.isatty():
            filled = round(20 * len(results) / len(paths))
            line += f"  [{'#' * filled}{'.' * (20 - filled)}]"
        report(line)

    # Cache hits are read here; only the notebooks that must run pay for worker processes.
    misses = []
    for path in paths:
        start = time.perf_counter()
        cached = cache_dir / f"{path.stem}-{cache_key(path, data_dir, env)}.ipynb"
        if use_cache and cached.is_file():
            finished(Executed(path, nbformat.read(cached, as_version=4), time.perf_counter() - start, cached=True))
        else:
            misses.append(path)
    if misses:
        with ProcessPoolExecutor(max_workers=min(jobs, len(misses))) as pool:
            futures = [pool.submit(_execute_one, p, cache_dir, data_dir, env, False) for p in misses]
            for future in as_completed(futures):
                finished(future.result())
    return [results[p] for p in paths]
