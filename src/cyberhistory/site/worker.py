"""Run notebooks, each in a kernel of its own, and write each executed notebook atomically (a build's worker process).

Usage: ``python -m cyberhistory.site.worker NOTEBOOK TARGET RESULT`` runs one
notebook; ``python -m cyberhistory.site.worker --serve [--zygote FD]`` runs one
notebook per JSON line ``{"notebook", "target", "result"}`` read from stdin and
answers each with a line on stdout once its result is written. The executed
notebook goes to ``TARGET``, a one-line JSON report (error and timings) to ``RESULT``.

With ``--zygote`` the kernels are forked by the build's warm kernel server
(:mod:`cyberhistory.site.zygote`) instead of started cold; a notebook whose
kernel died because that server died is run again in a cold kernel, and so is
every later one. The worker exits by itself when the build that started it dies;
its kernels follow (the server kills a kernel whose worker is gone, and a cold
kernel's ipykernel watches its parent), so nothing outlives a killed build.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

#: Seconds a single cell may run before the build gives up on it.
CELL_TIMEOUT = 120
#: How often the worker checks that the build that started it is still there.
PARENT_POLL = 0.5
#: Seconds a starting kernel's IOPub may stay silent after a kernel_info reply before the client asks again.
IOPUB_WAIT = 0.01
#: Seconds to wait for the warm kernel server's answer (it may still be importing) before starting a cold kernel.
ZYGOTE_TIMEOUT = 60


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


# --- warm kernels: jupyter_client asks the build's zygote to fork the kernel instead of starting one ------


class Zygote:
    """This worker's channel to the warm kernel server; ``lost`` once the server is gone or stopped answering."""

    def __init__(self, fd: int):
        import socket

        from cyberhistory.site.zygote import Channel

        self.channel = Channel(socket.socket(fileno=fd))
        self.lost = False
        #: The kernel forked for the notebook running now (``None``: it runs in a cold kernel).
        self.last: int | None = None
        #: Why the last kernel asked for was started cold instead.
        self.why_cold: str | None = None
        self.exits: dict[int, int] = {}
        #: Kernels that died because the server did (they have its parent-death signal), not because of a notebook.
        self.orphaned: set[int] = set()

    def fork(self, cmd: list[str], env: dict[str, str], cwd: str) -> int | None:
        """The pid of a kernel forked for this launch, or ``None`` (the server refused, is gone or is stuck)."""
        if self.lost:
            return None
        self.channel.send({"cmd": cmd, "env": env, "cwd": cwd})
        deadline = time.monotonic() + ZYGOTE_TIMEOUT
        while time.monotonic() < deadline and not self.channel.closed:
            for message in self.channel.receive(timeout=max(0.0, deadline - time.monotonic())):
                if "exit" in message:
                    self.exits[message["pid"]] = message["exit"]
                elif "pid" in message:
                    self.last = message["pid"]
                    return self.last
                else:  # refused: this launch is not one the server can stand in for
                    self.why_cold = message.get("error", "refused")
                    return None
        self.lost = True
        self.why_cold = "the server is gone" if self.channel.closed else f"no answer in {ZYGOTE_TIMEOUT} s"
        return None

    def died_with_server(self) -> bool:
        """Whether the kernel forked for the current notebook died because the server did."""
        if self.last is not None:
            self.returncode(self.last)
        return self.last in self.orphaned

    def returncode(self, pid: int) -> int | None:
        """The kernel's exit code once the server has reported it (``-SIGKILL`` if the server itself is gone)."""
        for message in self.channel.receive():
            if "exit" in message:
                self.exits[message["pid"]] = message["exit"]
        if pid not in self.exits and self.channel.closed:
            self.lost = True
            self.orphaned.add(pid)
            self.exits[pid] = -signal.SIGKILL
        return self.exits.get(pid)


class ForkedKernel:
    """Stands in for the ``Popen`` of a kernel the zygote forked: its pid, exit status and signals."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, zygote: Zygote):
        self.pid = pid
        self.zygote = zygote

    def poll(self) -> int | None:
        return self.zygote.returncode(self.pid)

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            self.zygote.channel.receive(timeout=0.05)
        return code

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:  # once reaped, its pid may belong to another process
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


@functools.cache
def warm_kernel_manager(zygote: Zygote):
    """An ``AsyncKernelManager`` class whose kernels the zygote forks (a cold start when it cannot)."""
    import asyncio
    import uuid

    from jupyter_client import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner
    from traitlets import default

    ready_client = _ready_kernel_client()

    class WarmProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd, **kwargs):
            # What jupyter_client.launcher.launch_kernel would give the process it starts.
            env = {**(kwargs.get("env") or os.environ), "JPY_PARENT_PID": str(os.getpid())}
            cwd = str(kwargs.get("cwd") or os.getcwd())
            pid = zygote.fork([os.path.expanduser(s) for s in cmd], env, cwd)
            if pid is None:
                return await super().launch_kernel(cmd, **kwargs)
            self.process = ForkedKernel(pid, zygote)
            self.pid = self.pgid = pid
            self.cwd = cwd
            return self.connection_info

    class WarmKernelManager(AsyncKernelManager):
        @default("client_factory")
        def _client_factory_default(self):
            return ready_client

        async def _async_pre_start_kernel(self, **kw):
            # Where jupyter_client would look up the kernelspec's provisioner (an entry point), use this one.
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
                self.provisioner = WarmProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
            return await super()._async_pre_start_kernel(**kw)

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            # The server reports the exit at once; jupyter_client's 0.1 s steps would leave the worker idle.
            while await self._async_is_alive():
                await asyncio.sleep(0.005)

    return WarmKernelManager


def _ready_kernel_client():
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyKernelClient(AsyncKernelClient):
        """A client whose ``wait_for_ready`` takes milliseconds, not a fixed 0.2 s or more, once the kernel is up.

        jupyter_client's asks for kernel_info, then waits 0.2 s for the status
        it publishes on IOPub (if IOPub has not connected yet, that status is
        lost: it asks again), then sits out 0.2 s of IOPub silence. This asks
        again every few milliseconds until IOPub answers, then drops what the
        kernel published while starting, without waiting for more: nbclient
        keeps only messages whose parent is the cell it runs, so that changes nothing.
        """

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    try:  # IOPub is connected once the kernel's status for that request comes through
                        await self.iopub_channel.get_msg(timeout=IOPUB_WAIT)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(reply)
                        break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
            while True:
                try:
                    await self.iopub_channel.get_msg(timeout=0)
                except Empty:
                    break

    return ReadyKernelClient


# --- running one notebook -----------------------------------------------------------------------------


def run(path: Path, zygote: Zygote | None = None, timeout: int = CELL_TIMEOUT, *, retry: bool = True):
    """Execute the notebook at ``path`` in a fresh ``python3`` kernel; return ``(notebook, error, timings)``.

    ``timings`` holds seconds spent reading the notebook, starting its kernel,
    running the first code cell, running the rest, and shutting the kernel down.
    A kernel that dies or stays silent before it is ready is started again once,
    cold: two kernels starting at once can pick the same free port.
    """
    import atexit

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    marks = {"begin": time.perf_counter()}
    notebook = nbformat.read(path, as_version=4)
    options = {}
    if zygote and not zygote.lost:
        # Every output is in once the last cell has run, so a forked kernel is then killed rather than asked to exit.
        options = {"kernel_manager_class": warm_kernel_manager(zygote), "shutdown_kernel": "immediate"}
    if zygote:
        zygote.last = None

    def mark(name: str):
        def hook(**_):
            marks.setdefault(name, time.perf_counter())
            marks["last"] = time.perf_counter()

        return hook

    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        on_notebook_start=mark("ready"),
        on_cell_executed=mark("first"),
        **options,
    )
    marks["read"] = time.perf_counter()
    error = None
    try:
        # The kernel's own output is only start-up chatter; a crash still surfaces as DeadKernelError.
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except Exception as err:
        # nbclient leaves its exit-time clean-up registered when a kernel fails to start; it would then fail itself.
        atexit.unregister(client._cleanup_kernel)
        if zygote is not None and zygote.died_with_server():
            return run(path, timeout=timeout)  # the kernel died with the warm kernel server, not with the notebook
        if "ready" not in marks:
            if retry:
                return run(path, timeout=timeout, retry=False)
            error = f"{path.name}: the kernel did not start ({type(err).__name__}: {str(err).strip()[:200]})"
        elif isinstance(err, CellExecutionError):
            first = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
            error = describe_failure(notebook, path, first)
        elif isinstance(err, (CellTimeoutError, DeadKernelError)):
            error = describe_failure(notebook, path, f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")
        else:
            raise
    marks["end"] = time.perf_counter()
    timings = _durations(marks, warm=zygote is not None and zygote.last is not None)
    if zygote is not None and zygote.last is None:
        timings["cold_reason"] = zygote.why_cold or "the server is gone"
    return (notebook if error is None else None), error, timings


def _durations(marks: dict[str, float], warm: bool) -> dict[str, float | bool | str]:
    ready = marks.get("ready", marks["end"])
    first = marks.get("first", ready)
    last = marks.get("last", first)
    return {
        "read": marks["read"] - marks["begin"],
        "kernel": ready - marks["read"],
        "first_cell": first - ready,
        "rest": last - first,
        "shutdown": marks["end"] - last,
        "warm": warm,
    }


def _run_one(notebook_path: Path, target: Path, result: Path, zygote: Zygote | None, timeout: int) -> bool:
    import nbformat

    notebook, error, timings = run(notebook_path, zygote, timeout)
    if notebook is not None:
        write_atomic(target, nbformat.writes(notebook))
    write_atomic(result, json.dumps({"error": error, "timings": timings}))
    return error is None


def serve(zygote: Zygote | None, timeout: int) -> int:
    """Run the notebooks named on stdin, one at a time, answering each on stdout; stop at end of input."""
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # nothing else (a library, a cold kernel) may write into the answers
    os.close(devnull)
    for line in sys.stdin:
        if line.strip():
            task = json.loads(line)
            _run_one(Path(task["notebook"]), Path(task["target"]), Path(task["result"]), zygote, timeout)
            print(json.dumps({"done": task["notebook"]}), file=answers, flush=True)
    return 0


def main(argv: list[str]) -> int:
    """Entry point of the worker process."""
    import argparse

    _watch_parent()
    # jsonschema (imported by nbformat) builds Lark grammars for the "iri" format whenever rfc3987_syntax is
    # importable: 0.8 s of every worker's start. Notebook validation never uses that format, so hide it.
    sys.modules.setdefault("rfc3987_syntax", None)
    parser = argparse.ArgumentParser(prog="python -m cyberhistory.site.worker")
    parser.add_argument("--serve", action="store_true", help="run the notebooks named on stdin")
    parser.add_argument("--zygote", type=int, metavar="FD", help="a channel to the warm kernel server")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds a cell may run")
    parser.add_argument("paths", nargs="*", metavar="NOTEBOOK TARGET RESULT")
    args = parser.parse_args(argv)
    zygote = Zygote(args.zygote) if args.zygote is not None else None
    if args.serve:
        return serve(zygote, args.timeout)
    if len(args.paths) != 3:
        parser.error("give NOTEBOOK TARGET RESULT, or --serve")
    notebook_path, target, result = (Path(a) for a in args.paths)
    return 0 if _run_one(notebook_path, target, result, zygote, args.timeout) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
