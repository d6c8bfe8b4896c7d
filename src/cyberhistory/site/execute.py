"""Execute notebooks in fresh kernels, in parallel worker processes, with a content-addressed cache.

Each notebook's cache lives in ``<cache>/<notebook stem>/<key>.ipynb``, written
atomically by its worker. A damaged or unreadable entry is a cache miss.

A build that has notebooks to run starts one worker per job (each runs
notebooks in turn, so Python and nbclient start once per worker, not once per
notebook) and one *zygote* (:mod:`cyberhistory.site.zygote`): a process that
imports ipykernel, pandas, matplotlib and the package once and forks a fresh
kernel for each notebook. If the zygote cannot start, refuses a launch or dies,
the build says so in one line and the notebooks run in cold kernels, as before.
The build stops its workers, the zygote and so every kernel at once when it is
interrupted. This module needs only the standard library: cached notebooks are
read as JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from cyberhistory.i18n import LANGUAGES  # standard library only, like this module

#: How often the build looks at its running workers.
POLL = 0.05
#: Fork kernels from a warm kernel server (:mod:`cyberhistory.site.zygote`); elsewhere than Linux every kernel starts
#: cold (macOS libraries are not all safe to use after fork; the kernels' parent-death signal is Linux's).
WARM = sys.platform.startswith("linux") and hasattr(socket, "send_fds")
#: How the build starts that server (given its control socket's descriptor and the modules to preload).
ZYGOTE_COMMAND = [sys.executable, "-m", "cyberhistory.site.zygote"]


@dataclass
class Executed:
    """The outcome of running (or reading from the cache) one notebook."""

    path: Path
    notebook: dict | None
    seconds: float
    cached: bool
    error: str | None = None
    #: Where an executed notebook's time went (seconds to start a worker, read, start the kernel, run the first
    #: code cell, the rest, shut down), whether its kernel was forked (``warm``), and if not, why (``cold_reason``).
    timings: dict | None = None


def cache_entry(cache_dir: Path, notebook: Path, key: str) -> Path:
    """Where the executed copy of ``notebook`` under ``key`` is kept (one folder per notebook, so names never clash)."""
    language = notebook.parent.name if notebook.parent.name in LANGUAGES[1:] else ""  # notebooks/es/06-x.ipynb
    return cache_dir / (f"{language}-{notebook.stem}" if language else notebook.stem) / f"{key}.ipynb"


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
class _Task:
    path: Path
    entry: Path
    result: Path
    sent: float = 0.0


@dataclass
class _Worker:
    process: subprocess.Popen
    stderr: object
    task: _Task | None = None
    unread: bytes = b""


#: How the server starts the line that says why it cannot serve (its stderr also holds what imports printed).
REASON = "zygote: "


class _Zygote:
    """The build's side of the warm kernel server: its process, its control socket, and why it stopped."""

    def __init__(self, folder: Path, modules: list[str], scratch: Path, env: dict[str, str]):
        control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.control = control
        self.stderr = tempfile.TemporaryFile(dir=scratch)  # noqa: SIM115 (closed by stop)
        self.process = subprocess.Popen(
            [*ZYGOTE_COMMAND, str(theirs.fileno()), *modules],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            pass_fds=(theirs.fileno(),),
            start_new_session=True,  # as the workers: a Ctrl-C reaches the build alone, which then stops it
        )
        theirs.close()

    def channel(self) -> socket.socket | None:
        """A new worker's end of a channel to the server, or ``None`` once the server is gone."""
        from cyberhistory.site.zygote import hand_over, worker_channels

        mine, theirs = worker_channels()
        try:
            hand_over(self.control, theirs)
        except OSError:
            mine.close()
            return None
        finally:
            theirs.close()
        return mine

    def failure(self) -> str | None:
        """Why the server stopped, once it has (``None`` while it runs)."""
        code = self.process.poll()
        if code is None:
            return None
        if code < 0:
            return f"the server was stopped by {signal.Signals(-code).name}"
        self.stderr.seek(0)
        lines = self.stderr.read().decode("utf-8", "replace").strip().splitlines()
        said = [line.removeprefix(REASON) for line in lines if line.startswith(REASON)]
        return said[-1] if said else f"the server stopped with exit code {code}"

    def stop(self, kill: bool) -> None:
        self.control.close()  # the server exits when it sees the build close its control socket
        _end(self.process, kill)
        self.stderr.close()


def _end(process: subprocess.Popen, kill: bool) -> None:
    """Stop a process of the build: at once (its whole group) when ``kill``, else wait briefly for it to exit."""
    if not kill:
        try:
            process.wait(timeout=2)
            return
        except subprocess.TimeoutExpired:
            pass
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except ProcessLookupError:
        pass
    process.wait()


def _code_sources(path: Path) -> list[str]:
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        return ["".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code"]
    except (OSError, ValueError, AttributeError):
        return []


class _Pool:
    """Long-lived workers, one per job, each running notebooks in turn; their kernels come from one zygote."""

    def __init__(self, tasks: list[_Task], scratch: Path, env: dict[str, str], jobs: int, done, report):
        self.tasks, self.scratch, self.done, self.report = tasks, scratch, done, report
        self.env = {**os.environ, **env}
        self.jobs = min(jobs, len(tasks))
        self.workers: list[_Worker] = []
        self.zygote: _Zygote | None = None
        self.said_cold = False
        if WARM:
            from cyberhistory.site.zygote import notebook_modules

            folder = Counter(t.path.parent for t in tasks).most_common(1)[0][0]
            modules = notebook_modules([s for t in tasks for s in _code_sources(t.path)])
            self.zygote = _Zygote(folder, modules, scratch, self.env)

    def run(self) -> None:
        failed = True
        try:
            while self.tasks or any(w.task for w in self.workers):
                while len(self.workers) < self.jobs and len(self.workers) < len(self.tasks) + self._busy():
                    self.workers.append(self._spawn())
                for worker in self.workers:
                    if worker.task is None and self.tasks:
                        self._send(worker, self.tasks.pop(0))
                self._wait()
                self._watch_zygote()
            failed = False
        finally:
            self._stop(kill=failed)

    def _busy(self) -> int:
        return sum(1 for w in self.workers if w.task)

    def _spawn(self) -> _Worker:
        from cyberhistory.site import worker  # standard library only until it runs a notebook

        command = [sys.executable, "-m", "cyberhistory.site.worker", "--serve", "--timeout", str(worker.CELL_TIMEOUT)]
        channel = self.zygote.channel() if self.zygote else None
        if channel is not None:
            command += ["--zygote", str(channel.fileno())]
        stderr = tempfile.TemporaryFile(dir=self.scratch)  # noqa: SIM115 (closed by _stop)
        try:
            process = subprocess.Popen(
                command,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                pass_fds=(channel.fileno(),) if channel else (),
                # Its own session: a Ctrl-C in the terminal reaches the build alone, which then stops the workers.
                start_new_session=os.name == "posix",
            )
        finally:
            if channel is not None:
                channel.close()
        os.set_blocking(process.stdout.fileno(), False)
        return _Worker(process, stderr)

    def _send(self, worker: _Worker, task: _Task) -> None:
        worker.task, task.sent = task, time.perf_counter()
        line = json.dumps({"notebook": str(task.path), "target": str(task.entry), "result": str(task.result)})
        try:
            worker.process.stdin.write(line.encode() + b"\n")
            worker.process.stdin.flush()
        except OSError:
            pass  # it has died: _wait finds out and reports the notebook

    def _wait(self) -> None:
        ready = select.select([w.process.stdout for w in self.workers], [], [], POLL)[0]
        for worker in [w for w in self.workers if w.process.stdout in ready]:
            data = os.read(worker.process.stdout.fileno(), 65536)
            *lines, worker.unread = (worker.unread + data).split(b"\n")
            if any(b'"done"' in line for line in lines) and worker.task:
                task, worker.task = worker.task, None
                self._done(_finish(task, worker, stopped=False))
            if not data:  # it exited
                worker.process.wait()
                self.workers.remove(worker)
                if worker.task:
                    self._done(_finish(worker.task, worker, stopped=True))
                worker.stderr.close()

    def _done(self, result: Executed) -> None:
        reason = (result.timings or {}).get("cold_reason")
        if reason:
            self._watch_zygote()  # rather its own reason, if the server has stopped
            self._cold(reason)
        self.done(result)

    def _watch_zygote(self) -> None:
        if self.zygote is None:
            return
        reason = self.zygote.failure()
        if reason is not None:
            self._cold(reason)
            self.zygote.stop(kill=True)
            self.zygote = None

    def _cold(self, reason: str) -> None:
        """Say once why kernels are started cold."""
        if not self.said_cold:
            self.said_cold = True
            self.report(f"Warm kernels unavailable ({reason}); the notebooks run in cold kernels instead.")

    def _stop(self, kill: bool) -> None:
        """Close every worker's input (kill them at once when interrupted), then the zygote and its kernels."""
        if self.zygote is not None and kill:
            self.zygote.stop(kill=True)  # first: its kernels die with it (parent-death signal)
            self.zygote = None
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.process.stdin.close()
        for worker in self.workers:
            _end(worker.process, kill)
            worker.process.stdout.close()
            worker.stderr.close()
        if self.zygote is not None:
            self.zygote.stop(kill=False)


def _finish(task: _Task, worker: _Worker, stopped: bool) -> Executed:
    seconds = time.perf_counter() - task.sent
    try:
        report = json.loads(task.result.read_text(encoding="utf-8"))
        error, timings = report["error"], report.get("timings")
    except (OSError, ValueError, KeyError):
        worker.stderr.seek(0)
        tail = worker.stderr.read().decode("utf-8", "replace").strip().splitlines()[-3:]
        code = worker.process.poll() if stopped else None
        error = f"{task.path.name}: the worker stopped (exit code {code})" + "".join(f"\n    {line}" for line in tail)
        timings = None
    notebook = read_entry(task.entry) if error is None else None
    if error is None and notebook is None:
        error = f"{task.path.name}: the executed notebook could not be read back from the cache"
    if notebook is not None:
        _drop_other_entries(task.entry)
    if timings:
        measured = sum(v for v in timings.values() if isinstance(v, float))
        timings = {"start": max(0.0, seconds - measured), **timings}
    return Executed(task.path, notebook, seconds, cached=False, error=error, timings=timings)


def execute_all(
    paths: list[Path],
    keys: dict[Path, str],
    *,
    cache_dir: Path,
    env: dict[str, str],
    jobs: int | None = None,
    use_cache: bool = True,
    report=print,
    on_result=None,
) -> list[Executed]:
    """Execute notebooks in parallel (one worker per core by default), reporting each as it finishes
    (and handing it to ``on_result``, if given, in this thread).

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
        if on_result is not None:
            on_result(result)

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
            _run_workers(waiting, Path(scratch), env, jobs, done, report)
    return [results[p] for p in paths]


def _run_workers(waiting: list[tuple[Path, Path]], scratch: Path, env: dict[str, str], jobs: int, done, report) -> None:
    tasks = [_Task(path, entry, scratch / f"{path.stem}.json") for path, entry in waiting]
    _Pool(tasks, scratch, env, jobs, done, report).run()
