"""Run one notebook in a fresh kernel and write the executed notebook atomically (a build's worker process).

Usage: ``python -m cyberhistory.site.worker NOTEBOOK TARGET RESULT``. The
executed notebook goes to ``TARGET``, a one-line JSON report to ``RESULT``.
The worker exits by itself when the build that started it dies, and its
kernel follows (ipykernel watches its parent), so nothing outlives a killed build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

#: Seconds a single cell may run before the build gives up on it.
CELL_TIMEOUT = 120
#: How often the worker checks that the build that started it is still there.
PARENT_POLL = 0.5


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _watch_parent() -> None:
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        os._exit(3)  # the build is gone: stop at once; the kernel's own parent poller then stops it too

    threading.Thread(target=watch, daemon=True).start()


def _first_line(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip()]
    return lines[0][:100] if lines else "(empty cell)"


def describe_failure(notebook, path: Path, fallback: str) -> str:
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


def run(path: Path):
    """Execute the notebook at ``path`` in a fresh ``python3`` kernel; return ``(notebook, error)``."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

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


def main(argv: list[str]) -> int:
    """Entry point of the worker process."""
    _watch_parent()
    # jsonschema (imported by nbformat) builds Lark grammars for the "iri" format whenever rfc3987_syntax is
    # importable: 0.8 s of every worker's start. Notebook validation never uses that format, so hide it.
    sys.modules.setdefault("rfc3987_syntax", None)
    notebook_path, target, result = (Path(a) for a in argv)
    import nbformat

    notebook, error = run(notebook_path)
    if notebook is not None:
        write_atomic(target, nbformat.writes(notebook))
    write_atomic(result, json.dumps({"error": error}))
    return 0 if error is None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
