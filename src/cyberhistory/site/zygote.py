"""Warm kernels: one process per build imports what the kernels need once, then forks a fresh kernel per notebook.

A fresh ``python -m ipykernel_launcher`` spends about a second starting Python,
importing ipykernel, and then importing pandas, matplotlib and ``cyberhistory``
in the notebook's first cells. This server (the *zygote*) pays that once: it
imports those modules exactly as a fresh kernel would meet them (same folder,
``sys.path``, environment, matplotlib backend setting and "inside a kernel"
checks), but creates no zmq context, event loop or thread. A worker then asks it
for a kernel with the very command, environment and folder jupyter_client would
have launched; the forked child becomes a fresh ``IPKernelApp`` with its own
session, sockets and user namespace. Nothing is shared but imported modules.

Started by the build as ``python -m cyberhistory.site.zygote CONTROL_FD [MODULE ...]``.
The build sends one socket per worker over the control socket; on its socket a
worker sends ``{"cmd", "env", "cwd"}`` and gets ``{"pid"}`` once the kernel's
sockets are bound (or ``{"error"}``: start a cold kernel), then ``{"exit"}`` when
that kernel ends. Nothing outlives the build: the server
exits when the control socket closes (or its parent goes), a kernel is killed
when the worker that asked for it goes, and a kernel dies with the server
(Linux's parent-death signal; elsewhere ipykernel's own poller).

This module needs only the standard library until it preloads.
"""

from __future__ import annotations

import builtins
import contextlib
import gc
import io
import json
import os
import selectors
import signal
import socket
import sys
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

#: What a fresh kernel imports before it runs a cell (ipykernel, IPython, zmq, tornado, debugpy ...).
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "psutil")
#: What the lessons import in their cells, besides their own package's modules.
CELL_MODULES = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot")
#: Work a kernel's first cells would redo, done once here for every kernel: (module, function), run if the
#: notebooks import the module. Validating the data folder was most of a lesson's ``load()`` and building
#: its tables the rest; reading the Spanish catalog and locale data, most of a Spanish lesson's first cell.
WARM_UPS = (
    ("cyberhistory.validate", "remember"),
    ("cyberhistory.data", "prepare"),
    ("cyberhistory.i18n", "warm_up"),
)
#: The kernel command the server can stand in for (the tail after the interpreter).
LAUNCHER = ("-m", "ipykernel_launcher")
#: What ipykernel puts in the environment before any cell runs (kernelapp.init_gui_pylab, zmqshell.init_environment).
KERNEL_ENVIRONMENT = {
    "TERM": "xterm-color",
    "CLICOLOR": "1",
    "FORCE_COLOR": "1",
    "CLICOLOR_FORCE": "1",
    "PAGER": "cat",
    "GIT_PAGER": "cat",
}
MPL_BACKEND = "module://matplotlib_inline.backend_inline"
#: What jupyter_client sets or drops for each kernel it launches: the only ways a kernel's environment may differ.
LAUNCH_VARIABLES = {"JPY_PARENT_PID", "JPY_SESSION_NAME", "PYTHONEXECUTABLE"}
#: How often the server checks that the build that started it is still there.
PARENT_POLL = 0.5
#: Seconds a message may wait for room in a socket before its reader counts as gone.
SEND_TIMEOUT = 5.0


class PreloadError(Exception):
    """Preloading would make a forked kernel differ from a fresh one (or failed); the build uses cold kernels."""


# --- the wire: one JSON object per line ---------------------------------------------------------------


class Channel:
    """A socket carrying one JSON object per line, readable without blocking."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self._buffer = b""
        self.closed = False

    def send(self, message: dict) -> None:
        """Send one message; a peer that is gone (or reads nothing for seconds) closes the channel instead of raising."""
        try:
            self.sock.settimeout(SEND_TIMEOUT)
            self.sock.sendall(json.dumps(message).encode() + b"\n")
        except OSError:
            self.closed = True

    def receive(self, timeout: float | None = 0.0) -> list[dict]:
        """The complete messages that have arrived, waiting up to ``timeout`` seconds (``None``: forever) for one."""
        messages = self._complete()
        if messages or self.closed:
            return messages
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except (BlockingIOError, TimeoutError, InterruptedError):
            return []
        except OSError:
            data = b""
        if not data:
            self.closed = True
        self._buffer += data
        return self._complete()

    def _complete(self) -> list[dict]:
        *lines, self._buffer = self._buffer.split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]

    def close(self) -> None:
        self.closed = True
        self.sock.close()


def worker_channels() -> tuple[socket.socket, socket.socket]:
    """A connected pair: one end for a worker, one for the server (sent over the control socket)."""
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)


def hand_over(control: socket.socket, server_end: socket.socket) -> None:
    """Give the server its end of a new worker's channel."""
    socket.send_fds(control, [b"w"], [server_end.fileno()])


def notebook_modules(sources: list[str], package: str = "cyberhistory") -> list[str]:
    """The modules of ``package`` that these code cells import, in order of first appearance."""
    import re

    found: dict[str, None] = {}
    pattern = re.compile(rf"^\s*(?:from\s+({package}(?:\.\w+)*)\s+import\b|import\s+({package}(?:\.\w+)*))", re.M)
    for source in sources:
        for match in pattern.finditer(source):
            found.setdefault(match.group(1) or match.group(2))
    return list(found)


# --- preloading ---------------------------------------------------------------------------------------


class _KernelShell:
    """What ``get_ipython()`` returns while cell modules are imported: enough to say "inside a Jupyter kernel".

    pandas, for one, picks its default ``display.max_columns`` at import by
    asking whether the shell has a ``kernel``; in a fresh kernel it has.
    """

    kernel = None


def _site_packages_index() -> int:
    """Where IPython's ``init_path`` puts ``''`` in ``sys.path``: before the first site-packages folder."""
    for index, path in enumerate(sys.path):
        if os.path.basename(path) in {"site-packages", "dist-packages"}:
            return index
    return 0


def _changes(before: dict[str, str], after: dict[str, str]) -> dict[str, str | None]:
    """The environment variables set (to their value) or removed (``None``) between two snapshots."""
    changed: dict[str, str | None] = {k: v for k, v in after.items() if before.get(k) != v}
    changed.update({k: None for k in before if k not in after})
    return changed


@contextmanager
def _as_in_a_cell(capture):
    """While the cell modules import: what a cell of a fresh kernel sees that a bare process does not.

    ``''`` in ``sys.path`` (IPython's ``init_path``), ``get_ipython`` and
    ``__IPYTHON__`` in builtins, and a UTF-8 ``sys.stdout`` (ipykernel's
    ``OutStream``; pandas reads its encoding at import). What is printed goes to
    ``capture``, at the file descriptor level too; warnings are collected in the
    list this yields, without touching the warning filters that imports install.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    saved_fds = os.dup(1), os.dup(2)
    saved_streams = sys.stdout, sys.stderr, warnings.showwarning
    caught: list[str] = []
    stream = io.TextIOWrapper(open(os.dup(capture.fileno()), "wb"), encoding="UTF-8", write_through=True)  # noqa: SIM115
    os.dup2(capture.fileno(), 1)
    os.dup2(capture.fileno(), 2)
    sys.stdout = sys.stderr = stream
    warnings.showwarning = lambda message, category, *_: caught.append(f"{category.__name__}: {message}")
    sys.path.insert(_site_packages_index(), "")
    builtins.__IPYTHON__ = True  # type: ignore[attr-defined]
    builtins.get_ipython = _KernelShell  # type: ignore[attr-defined]
    try:
        yield caught
    finally:
        del builtins.__IPYTHON__, builtins.get_ipython  # type: ignore[attr-defined]
        sys.path.remove("")
        sys.stdout, sys.stderr, warnings.showwarning = saved_streams
        stream.close()
        os.dup2(saved_fds[0], 1)
        os.dup2(saved_fds[1], 2)
        os.close(saved_fds[0])
        os.close(saved_fds[1])


def _import_silently(name: str, capture, caught: list[str]) -> None:
    """Import ``name``; refuse if that printed anything or warned (a fresh kernel would show it in a cell)."""
    __import__(name)
    capture.seek(0)
    printed = capture.read().decode("utf-8", "replace").strip()
    if printed or caught:
        what = (printed.splitlines() or caught)[0]
        raise PreloadError(f"importing {name} is not silent ({what[:120]})")


#: The warning filters that the cell modules installed as they were imported (numpy's, for one).
CELL_FILTERS: list[tuple] = []


def _refilter() -> None:
    """Put the cell modules' warning filters first, where a fresh kernel has them: it imports those modules later."""
    if not CELL_FILTERS:
        return
    for item in CELL_FILTERS:
        with contextlib.suppress(ValueError):
            warnings.filters.remove(item)
    warnings.filters[0:0] = CELL_FILTERS
    getattr(warnings, "_filters_mutated", lambda: None)()  # what filterwarnings() calls after a change


def preload(modules: list[str]) -> tuple[list[str], dict[str, str | None]]:
    """Import what the kernels need as a fresh kernel would meet it.

    Returns the package modules that would not import (their notebooks fail in
    their own kernels) and the environment changes the imports made, which
    each kernel then makes too.

    Raises
    ------
    PreloadError
        When a module is missing, prints or warns on import, or starts a thread.
    """
    import tempfile

    # A fresh kernel drops the launcher's folder from sys.path (ipykernel_launcher), then IPython adds '' back.
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    start = dict(os.environ)
    for name in KERNEL_MODULES:  # what they print goes to the kernel's log in a fresh kernel, never into a cell
        try:
            __import__(name)
        except ImportError as err:
            raise PreloadError(f"cannot import {name}: {err}") from None
    changes = _changes(start, dict(os.environ))  # debugpy, for one, sets PYDEVD_USE_FRAME_EVAL
    os.environ.setdefault("MPLBACKEND", MPL_BACKEND)
    os.environ.update(KERNEL_ENVIRONMENT)
    in_kernel = dict(os.environ)
    filters = list(warnings.filters)
    skipped = []
    with tempfile.TemporaryFile() as capture, _as_in_a_cell(capture) as caught:
        for name in (*CELL_MODULES, *modules):
            try:
                _import_silently(name, capture, caught)
            except ImportError as err:
                if name in CELL_MODULES:
                    raise PreloadError(f"cannot import {name}: {err}") from None
                skipped.append(name)  # the notebook that imports it fails in its own kernel, with its own message
        for module, function in WARM_UPS:
            if module in sys.modules:
                with contextlib.suppress(Exception):  # a kernel meets the same fault itself, and reports it
                    getattr(sys.modules[module], function)()
    changes.update(_changes(in_kernel, dict(os.environ)))
    CELL_FILTERS[:] = [f for f in warnings.filters if f not in filters]
    os.environ.clear()
    os.environ.update(start)
    if threading.active_count() != 1:
        raise PreloadError(f"preloading started threads: {[t.name for t in threading.enumerate()]}")
    gc.collect()
    gc.freeze()  # kernels then touch fewer of the server's pages, so fork's copy-on-write copies less
    return skipped, changes


# --- serving ------------------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent ends (elsewhere: the callers' own polling)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


@dataclass
class _Server:
    control: socket.socket
    parent: int
    #: The environment the modules were imported under, and what importing them changed in it.
    environment: dict[str, str]
    changes: dict[str, str | None]
    pid: int = field(default_factory=os.getpid)
    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)
    kernels: dict[int, Channel] = field(default_factory=dict)
    #: Other folders asked for, and why a kernel there could import differently (``None``: it cannot).
    folders: dict[Path, str | None] = field(default_factory=dict)

    def serve(self) -> dict | None:
        """Answer requests until the build goes; in a forked child, return the request it is to serve."""
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_read, False)
        os.set_blocking(wake_write, False)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.set_wakeup_fd(wake_write)
        self.selector.register(self.control, selectors.EVENT_READ, "control")
        self.selector.register(wake_read, selectors.EVENT_READ, "children")
        try:
            while os.getppid() == self.parent:
                for key, _ in self.selector.select(PARENT_POLL):
                    if key.data == "control":
                        if not self._accept():
                            return None
                    elif key.data == "children":
                        while True:
                            try:
                                if not os.read(wake_read, 512):
                                    break
                            except BlockingIOError:
                                break
                        self._reap()
                    elif isinstance(key.data, tuple):  # ("listening", pid, channel): a new kernel's sockets are bound
                        self.selector.unregister(key.fd)
                        os.close(key.fd)
                        key.data[2].send({"pid": key.data[1]})
                    else:
                        request = self._answer(key.data)
                        if request is not None:  # this is the forked child
                            self._forget(wake_read, wake_write)
                            return {**request, "server": self.pid, "changes": self.changes}
            return None
        finally:
            if os.getpid() == self.pid:
                for pid in self.kernels:
                    _kill_group(pid)

    def _accept(self) -> bool:
        try:
            data, fds, _, _ = socket.recv_fds(self.control, 1, 1)
        except OSError:
            return False
        if not data:
            return False  # the build closed it: nothing more to serve
        for fd in fds:
            channel = Channel(socket.socket(fileno=fd))
            self.selector.register(channel.sock, selectors.EVENT_READ, channel)
        return True

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            channel = self.kernels.pop(pid, None)
            if channel is not None:
                channel.send({"exit": os.waitstatus_to_exitcode(status), "pid": pid})

    def _answer(self, channel: Channel) -> dict | None:
        """Serve what ``channel`` asks; return the request in a forked child, ``None`` in the server."""
        messages = channel.receive()
        if channel.closed:  # its worker is gone: so must its kernels be
            self.selector.unregister(channel.sock)
            channel.close()
            for pid in [p for p, c in self.kernels.items() if c is channel]:
                _kill_group(pid)
            return None
        for request in messages:
            problem = self._refusal(request)
            if problem:
                channel.send({"error": problem})
                continue
            # The answer waits until the kernel has bound its sockets: a client that connects earlier is refused
            # and zmq retries only 0.1 s later.
            listening, bound = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(listening)
                return {**request, "listening": bound}
            os.close(bound)
            self.kernels[pid] = channel
            self.selector.register(listening, selectors.EVENT_READ, ("listening", pid, channel))
        return None

    def _refusal(self, request: dict) -> str | None:
        """Why the server cannot stand in for this launch (the worker then starts a cold kernel), or ``None``."""
        cmd = request.get("cmd") or []
        if cmd[:1] != [sys.executable] or tuple(cmd[1:3]) != LAUNCHER:
            return f"not this interpreter's ipykernel command: {cmd[:3]}"
        folder = Path(request.get("cwd") or ".").resolve()
        if folder != Path.cwd().resolve():
            if folder not in self.folders:
                self.folders[folder] = _imports_differ_in(folder)
            if self.folders[folder]:
                return self.folders[folder]
        env = request.get("env") or {}
        differ = {k for k in set(env) | set(self.environment) if env.get(k) != self.environment.get(k)}
        if differ - LAUNCH_VARIABLES:
            return f"the kernel's environment differs in {sorted(differ - LAUNCH_VARIABLES)[:3]}"
        return None

    def _forget(self, *fds: int) -> None:
        """In a forked child: drop every descriptor and handler of the server, so only the kernel remains."""
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for key in list(self.selector.get_map().values()):
            if isinstance(key.data, Channel):
                key.data.sock.close()
            elif isinstance(key.data, tuple):
                os.close(key.fd)
        self.selector.close()
        self.control.close()
        for fd in fds:
            os.close(fd)


def _imports_differ_in(folder: Path) -> str | None:
    """Why a kernel started in ``folder`` could import differently from this server, or ``None``.

    A kernel's folder is first in its ``sys.path`` (as ``''``), and matplotlib reads a
    ``matplotlibrc`` there. So another folder serves as well as the server's own when no preloaded
    module came from the server's folder and none of their names is found in the other one.
    """
    import importlib.machinery

    here = Path.cwd().resolve()
    for folder_ in (here, folder):
        if (folder_ / "matplotlibrc").exists():
            return f"{folder_} has a matplotlibrc"
    tops = set()
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None)
        if origin and Path(origin).resolve().is_relative_to(here):
            return f"{name} was imported from the server's folder"
        tops.add(name.partition(".")[0])
    finder = importlib.machinery.FileFinder(
        str(folder),
        (importlib.machinery.ExtensionFileLoader, importlib.machinery.EXTENSION_SUFFIXES),
        (importlib.machinery.SourceFileLoader, importlib.machinery.SOURCE_SUFFIXES),
        (importlib.machinery.SourcelessFileLoader, importlib.machinery.BYTECODE_SUFFIXES),
    )
    shadowed = sorted(name for name in tops if name.isidentifier() and finder.find_spec(name) is not None)
    return f"{folder} holds {shadowed[0]}, which the server imported from elsewhere" if shadowed else None


def _kill_group(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)


# --- becoming a kernel --------------------------------------------------------------------------------


def _fresh_process_state(request: dict) -> None:
    """Make this forked child look, to the kernel and the notebook, like ``python -m ipykernel_launcher``."""
    os.setsid()  # as jupyter_client starts kernels: their own session, so an interrupt reaches their group
    _die_with_parent()
    if os.getppid() != request["server"]:  # the server died before the parent-death signal was set
        os._exit(1)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    stdin_read, _stdin_write = os.pipe()  # a pipe nobody writes to, as jupyter_client gives a kernel
    os.dup2(stdin_read, 0)
    os.close(stdin_read)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the worker starts kernels with stdout and stderr on /dev/null
    os.dup2(devnull, 2)
    os.close(devnull)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for name, value in request["changes"].items():  # what the preloaded imports did to the environment
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    from importlib.util import find_spec

    sys.argv = [find_spec("ipykernel_launcher").origin, *request["cmd"][3:]]  # as ``python -m`` sets it
    sys.orig_argv = list(request["cmd"])
    if "numpy" in sys.modules:  # numpy seeds its global generator once, at import: give each kernel its own seed
        sys.modules["numpy"].random.seed()


def run_kernel(request: dict) -> int:
    """Become the kernel ``request`` asked for, and run it until it is shut down."""
    _fresh_process_state(request)
    from ipykernel.kernelapp import IPKernelApp

    # Two of IPKernelApp's defaults were read from the environment when it was imported (in the server):
    # read them again from this kernel's. Given like this, a config file still overrides them.
    app = IPKernelApp.instance(
        parent_handle=int(os.environ.get("JPY_PARENT_PID") or 0),
        interrupt=int(os.environ.get("JPY_INTERRUPT_EVENT") or 0),
    )
    app.initialize()
    os.close(request["listening"])  # tells the server the sockets are bound: it now gives the worker this pid
    _refilter()
    app.start()  # the rest of IPKernelApp.launch_instance
    return 0


def main(argv: list[str]) -> int:
    """Entry point: preload, then serve until the build goes (or, in a forked child, run a kernel)."""
    parent = os.getppid()
    _die_with_parent()
    control = socket.socket(fileno=int(argv[0]))
    environment = dict(os.environ)
    try:
        skipped, changes = preload(argv[1:])
    except PreloadError as err:
        print(f"zygote: {err}", file=sys.stderr)
        return 2
    if skipped:
        print(f"not preloaded (they fail to import): {', '.join(skipped)}", file=sys.stderr)
    request = _Server(control, parent, environment, changes).serve()
    if request is None:
        sys.stderr.flush()
        os._exit(0)  # nothing to clean up: skip tearing down everything it imported
    return run_kernel(request)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
