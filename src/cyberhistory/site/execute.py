"""Execute notebooks in fresh kernels, in parallel worker processes, with a content-addressed cache.

Each notebook's cache lives in ``<cache>/<notebook stem>/<key>.ipynb``, written
atomically by its worker. A damaged or unreadable entry is a cache miss. The
build stops its workers (and so their kernels) at once when it is interrupted.
This module needs only the standard library: cached notebooks are read as JSON.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

#: How often the build looks at its running workers.
POLL = 0.05


@dataclass
class Executed:
    """The outcome of running (or reading from the cache) one notebook."""

    path: Path
    notebook: dict | None
    seconds: float
    cached: bool
    error: str | None = None


def cache_entry(cache_dir: Path, notebook: Path, key: str) -> Path:
    """Where the executed copy of ``notebook`` under ``key`` is kept (one folder per notebook, so names never clash)."""
    return cache_dir / notebook.stem / f"{key}.ipynb"


def read_entry(path: Path) -> dict | None:
    """The cached notebook at ``path``, or ``None`` when it is missing, cut short or otherwise unreadable."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(notebook, dict) and isinstance(notebook.get("cells"), list)):
        return None
    try:
        for cell in notebook["cells"]:
            _join_lines(cell, ("source",))
            for output in cell.get("outputs", []):
                _join_lines(output, ("text",))
                data = output.get("data", {})
                _join_lines(data, [m for m in data if m.startswith("text/") or m.endswith("+xml")])
    except (AttributeError, TypeError):
        return None
    return notebook


def _join_lines(mapping: dict, keys) -> None:
    """Stored notebooks may split multi-line strings into lists of lines (as nbformat writes them): join them."""
    for name in keys:
        if isinstance(mapping.get(name), list):
            mapping[name] = "".join(mapping[name])


def _drop_other_entries(entry: Path) -> None:
    """Remove this notebook's older entries and any temporary file a killed worker left behind."""
    for other in entry.parent.iterdir():
        if other != entry and other.is_file():
            other.unlink(missing_ok=True)


@dataclass
class _Running:
    path: Path
    entry: Path
    result: Path
    stderr: object
    process: subprocess.Popen
    started: float


def _start(path: Path, entry: Path, scratch: Path, env: dict[str, str]) -> _Running:
    result = scratch / f"{path.stem}.json"
    stderr = tempfile.TemporaryFile(dir=scratch)  # noqa: SIM115 (closed by _finish or _stop when the worker ends)
    process = subprocess.Popen(
        [sys.executable, "-m", "cyberhistory.site.worker", str(path), str(entry), str(result)],
        cwd=path.parent,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        # Its own session: a Ctrl-C in the terminal reaches the build alone, which then stops the workers.
        start_new_session=os.name == "posix",
    )
    return _Running(path, entry, result, stderr, process, time.perf_counter())


def _finish(run: _Running) -> Executed:
    seconds = time.perf_counter() - run.started
    try:
        error = json.loads(run.result.read_text(encoding="utf-8"))["error"]
    except (OSError, ValueError, KeyError):
        run.stderr.seek(0)
        tail = run.stderr.read().decode("utf-8", "replace").strip().splitlines()[-3:]
        error = f"{run.path.name}: the worker stopped (exit code {run.process.returncode})" + "".join(
            f"\n    {line}" for line in tail
        )
    run.stderr.close()
    notebook = read_entry(run.entry) if error is None else None
    if error is None and notebook is None:
        error = f"{run.path.name}: the executed notebook could not be read back from the cache"
    if notebook is not None:
        _drop_other_entries(run.entry)
    return Executed(run.path, notebook, seconds, cached=False, error=error)


def _stop(running: list[_Running]) -> None:
    """Kill every worker's process group at once; their kernels exit as soon as their parent is gone."""
    for run in running:
        try:
            if os.name == "posix":
                os.killpg(run.process.pid, signal.SIGKILL)
            else:
                run.process.kill()
        except ProcessLookupError:
            pass
    for run in running:
        run.process.wait()
        run.stderr.close()


def execute_all(
    paths: list[Path],
    keys: dict[Path, str],
    *,
    cache_dir: Path,
    env: dict[str, str],
    jobs: int | None = None,
    use_cache: bool = True,
    report=print,
) -> list[Executed]:
    """Execute notebooks in parallel (one worker per core by default), reporting each as it finishes.

    A failing notebook does not stop the others; its :attr:`Executed.error` holds
    the short report. Cache hits are read here, without starting a worker.
    """
    jobs = max(1, jobs or os.cpu_count() or 1)
    cache_dir = cache_dir.resolve()  # workers run in the notebook's folder: every path they get is absolute
    paths = [p.resolve() for p in paths]
    keys = {p.resolve(): k for p, k in keys.items()}
    results: dict[Path, Executed] = {}

    def done(result: Executed) -> None:
        results[result.path] = result
        status = "cached" if result.cached else ("FAILED" if result.error else "executed")
        line = f"[{len(results)}/{len(paths)}] {result.path.name:<40} {status:>8} {result.seconds:6.1f}s"
        if report is print and sys.stdout.isatty():
            filled = round(20 * len(results) / len(paths))
            line += f"  [{'#' * filled}{'.' * (20 - filled)}]"
        report(line)

    waiting = []
    for path in paths:
        started = time.perf_counter()
        entry = cache_entry(cache_dir, path, keys[path])
        notebook = read_entry(entry) if use_cache else None
        if notebook is not None:
            done(Executed(path, notebook, time.perf_counter() - started, cached=True))
        else:
            waiting.append((path, entry))
    if waiting:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="run-", dir=cache_dir) as scratch:
            _run_workers(waiting, Path(scratch), env, jobs, done)
    return [results[p] for p in paths]


def _run_workers(waiting: list[tuple[Path, Path]], scratch: Path, env: dict[str, str], jobs: int, done) -> None:
    running: list[_Running] = []
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                running.append(_start(*waiting.pop(0), scratch, env))
            for run in [r for r in running if r.process.poll() is not None]:
                running.remove(run)
                done(_finish(run))
            time.sleep(POLL)
    finally:
        _stop(running)
