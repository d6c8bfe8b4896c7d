"""Tests for cyberhistory.site.zygote: forked kernels are fresh kernels (same outputs, same state, no leaks).

The isolation proof runs every classroom notebook twice, in cold kernels (a
fresh ``python -m ipykernel_launcher`` each, as before the zygote) and in
kernels forked by the zygote, and compares what they produced byte for byte.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from cyberhistory import i18n
from cyberhistory.schema import data_dir
from cyberhistory.site import build, execute, zygote
from cyberhistory.site.execute import execute_all

NOTEBOOKS = sorted(build.NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))
TRANSLATED = sorted(p for code in build.TRANSLATED for p in (build.NOTEBOOK_DIR / code).glob("[0-9][0-9]-*.ipynb"))


def _notebook(folder: Path, name: str, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}")] + [nbformat.v4.new_code_cell(s) for s in sources]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder / name


def _run(paths: list[Path], tmp: Path, *, warm: bool, monkeypatch, jobs: int | None = None, env=None) -> dict:
    """Execute ``paths`` through the build's executor, every kernel warm or every kernel cold."""
    monkeypatch.setattr(execute, "WARM", warm)
    lines: list[str] = []
    results = execute_all(
        paths,
        {p: "test" for p in paths},
        cache_dir=tmp / ("warm" if warm else "cold"),
        env=env or {"CYBERHISTORY_DATA": str(data_dir().resolve())},
        jobs=jobs,
        use_cache=False,
        report=lines.append,
    )
    assert [r.error for r in results if r.error] == []
    assert [line for line in lines if not line.startswith("[")] == [], "the zygote should have served every kernel"
    assert {r.timings["warm"] for r in results} == {warm}
    top = min((r.path.parent for r in results), key=lambda folder: len(folder.parts))
    return {str(r.path.relative_to(top)): r.notebook for r in results}


def _without_timing(notebook: dict) -> str:
    """The notebook's JSON without what records when cells ran (nbclient's ``metadata.execution``)."""
    cells = [
        {**c, "metadata": {k: v for k, v in c.get("metadata", {}).items() if k != "execution"}}
        for c in notebook["cells"]
    ]
    return json.dumps({**notebook, "cells": cells}, sort_keys=True)


def _first_difference(a: dict, b: dict) -> str:
    for index, (x, y) in enumerate(zip(a["cells"], b["cells"], strict=True)):
        if _without_timing({"cells": [x]}) != _without_timing({"cells": [y]}):
            a, b = json.dumps(x.get("outputs")), json.dumps(y.get("outputs"))
            at = next((i for i, (p, q) in enumerate(zip(a, b, strict=False)) if p != q), min(len(a), len(b)))
            return f"cell {index}, outputs differ at character {at}: {a[at - 200 : at + 200]!r} != {b[at - 200 : at + 200]!r}"
    return "notebook metadata"


@pytest.mark.notebooks
def test_every_notebook_gives_the_same_bytes_in_a_forked_kernel(tmp_path, monkeypatch):
    """Each classroom notebook's outputs and execution counts are byte-identical in cold and forked kernels."""
    # Copies, so both runs read the same bytes even while someone edits the project.
    data = shutil.copytree(data_dir(), tmp_path / "data")
    folder = tmp_path / "notebooks"
    (folder / "es").mkdir(parents=True)
    # The translated lessons run in their own folder: the server, started in the English one, serves them too.
    paths = [Path(shutil.copy(p, folder)) for p in NOTEBOOKS]
    paths += [Path(shutil.copy(p, folder / p.parent.name)) for p in TRANSLATED]
    env = {build.LINK_ENV: build.EVENT_URL, "CYBERHISTORY_DATA": str(data)}
    cold = _run(paths, tmp_path, warm=False, monkeypatch=monkeypatch, env=env)
    warm = _run(paths, tmp_path, warm=True, monkeypatch=monkeypatch, env=env)
    assert len(NOTEBOOKS) >= 8 and len(TRANSLATED) >= 8
    for path in paths:
        name = str(path.relative_to(folder))
        same = _without_timing(warm[name]) == _without_timing(cold[name])
        assert same, f"{name}: {_first_difference(cold[name], warm[name])}"


#: Prints what a cell can see of its kernel's state, as JSON (addresses, pids and thread numbers left out).
PROBE = r"""
import builtins, json, os, re, signal, stat, sys, threading, warnings
def _name(f):
    return f"{getattr(f, '__module__', '?')}.{getattr(f, '__qualname__', type(f).__name__)}"
def _state():
    import matplotlib
    ip = get_ipython()
    state = {
        "argv0": sys.argv[0], "orig_argv": sys.orig_argv[:3], "path": sys.path, "cwd": os.getcwd(),
        "env": {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"},
        "warnings": [repr(f) for f in warnings.filters],
        "events": {k: [_name(c) for c in v] for k, v in ip.events.callbacks.items()},
        "main": [sys.modules["__main__"].__name__, getattr(sys.modules["__main__"], "__file__", None)],
        "threads": sorted(re.sub(r"-\d+", "", t.name) for t in threading.enumerate()),
        "signals": {s.name: repr(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE)},
        "fds": [stat.S_IFMT(os.fstat(fd).st_mode) for fd in (0, 1, 2)],
        "builtins": sorted(dir(builtins)),
        "hooks": [_name(sys.displayhook), _name(sys.excepthook), _name(sys.stdout), _name(sys.stderr)],
        "formatters": {k: sorted(map(_name, f.type_printers)) for k, f in ip.display_formatter.formatters.items()},
        "session": os.getsid(0) == os.getpid(),
        "mpl": {k: repr(v) for k, v in matplotlib.rcParams.items()},
        "backend": matplotlib.rcParams._get("backend"),
    }
    if "pandas" in sys.modules:
        import pandas as pd
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            state["pandas"] = {k: repr(pd.get_option(k)) for k in pd._config.config._registered_options}
    if "matplotlib_inline.backend_inline" in sys.modules:
        from matplotlib_inline.backend_inline import InlineBackend
        skip = {"parent", "config", "shell"}
        state["inline"] = {k: repr(v) for k, v in InlineBackend.instance().trait_values().items() if k not in skip}
    return state
"""


@pytest.mark.notebooks
def test_a_forked_kernel_looks_like_a_fresh_one(tmp_path, monkeypatch):
    """After the lessons' imports and a figure, every piece of kernel state a cell can inspect matches a cold kernel's."""
    show = "print(json.dumps(_state(), sort_keys=True))"
    path = _notebook(
        tmp_path / "nb",
        "00-probe.ipynb",
        PROBE,
        "import pandas as pd, numpy as np, matplotlib.pyplot as plt\nfrom cyberhistory.data import load\n" + show,
        "fig, ax = plt.subplots()\nax.plot([1, 2])\nplt.show()",
        show,
        "pd.DataFrame({c: range(3) for c in 'abcdefghijklmnopqrstuvwxyz'})",
    )
    cold = _run([path], tmp_path, warm=False, monkeypatch=monkeypatch)[path.name]
    warm = _run([path], tmp_path, warm=True, monkeypatch=monkeypatch)[path.name]
    states = {}
    for kind, nb in (("cold", cold), ("warm", warm)):
        states[kind] = [
            json.loads(o["text"]) for c in nb["cells"] for o in c.get("outputs", []) if o.get("name") == "stdout"
        ]
    assert len(states["cold"]) == 2
    for cold_state, warm_state in zip(states["cold"], states["warm"], strict=True):
        for part in cold_state:
            assert warm_state[part] == cold_state[part], part
    figures = [[o for o in c["outputs"] if o.get("name") != "stdout"] for c in cold["cells"][3:]]
    assert figures == [[o for o in c["outputs"] if o.get("name") != "stdout"] for c in warm["cells"][3:]]


@pytest.mark.notebooks
def test_nothing_a_notebook_changes_reaches_the_next(tmp_path, monkeypatch):
    """Globals, a mutated package module, rcParams, pandas options, env, sys.path and filters stay in their kernel."""
    folder = tmp_path / "nb"
    meddle = _notebook(
        folder,
        "00-meddle.ipynb",
        "import builtins, os, sys, warnings\nimport cyberhistory, matplotlib, numpy as np, pandas as pd\n"
        "cyberhistory.X = 1\nmatplotlib.rcParams['lines.linewidth'] = 9\npd.set_option('display.max_rows', 3)\n"
        "os.environ['CYBERHISTORY_LEAK'] = '1'\nsys.path.append('/leak')\nwarnings.simplefilter('error')\n"
        "builtins.leak = 1\nleaked = 1\nprint(np.random.randint(1 << 30))",
    )
    check = _notebook(
        folder,
        "01-check.ipynb",
        "import builtins, os, sys, warnings\nimport cyberhistory, matplotlib, numpy as np, pandas as pd\n"
        "found = {'module': hasattr(cyberhistory, 'X'), 'rc': matplotlib.rcParams['lines.linewidth'] == 9,\n"
        "         'pandas': pd.get_option('display.max_rows') == 3, 'env': 'CYBERHISTORY_LEAK' in os.environ,\n"
        "         'path': '/leak' in sys.path, 'filters': warnings.filters[0][0] == 'error',\n"
        "         'builtins': hasattr(builtins, 'leak'), 'global': 'leaked' in globals()}\n"
        "assert not any(found.values()), found\nprint(np.random.randint(1 << 30))",
    )
    ran = _run(
        [meddle, check], tmp_path, warm=True, monkeypatch=monkeypatch, jobs=1
    )  # one worker: same zygote, in turn
    draws = [ran[p.name]["cells"][1]["outputs"][-1]["text"] for p in (meddle, check)]
    assert draws[0] != draws[1], "each forked kernel seeds numpy's global generator afresh"


@pytest.mark.notebooks
def test_a_forked_kernel_finds_the_data_already_checked(tmp_path, monkeypatch):
    """The server validates the build's data folder, builds its tables and reads the catalogs once; its kernels
    reuse that, and cold kernels do the work themselves, with the same outputs."""
    data = shutil.copytree(data_dir(), tmp_path / "data")
    probe = _notebook(
        tmp_path / "nb",
        "00-probe.ipynb",
        "import cyberhistory.validate as v\nimport cyberhistory.data as d\n"
        "print(sorted(str(p) for p in v._REMEMBERED), sorted(str(p) for p in d._PREPARED))",
        "from cyberhistory import i18n\nprint(i18n.translations.cache_info().currsize)",
        "from cyberhistory.data import load\nprint(len(load(language='es').events))",
    )
    env = {"CYBERHISTORY_DATA": str(data)}
    outputs = {
        warm: [
            c["outputs"][0]["text"]
            for c in _run([probe], tmp_path, warm=warm, monkeypatch=monkeypatch, env=env)[probe.name]["cells"][1:]
        ]
        for warm in (True, False)
    }
    assert outputs[True][0].strip() == f"{[str(data.resolve())]!r} {[str(data.resolve())]!r}"
    assert outputs[False][0].strip() == "[] []"
    assert outputs[True][1].strip() == str(len(i18n.LANGUAGES)) and outputs[False][1].strip() == "0"
    assert outputs[True][2] == outputs[False][2]


@pytest.mark.notebooks
def test_an_interrupt_reaches_a_forked_kernel(tmp_path):
    """interrupt_kernel (SIGINT to the kernel's process group) stops a running cell with KeyboardInterrupt."""
    from cyberhistory.site import worker

    server = execute._Zygote(tmp_path, [], tmp_path, dict(os.environ))
    channel = server.channel()
    link = worker.Zygote(os.dup(channel.fileno()))
    channel.close()

    async def interrupted() -> dict:
        km = worker.warm_kernel_manager(link)(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            msg_id = client.execute("import time\ntime.sleep(30)")
            await asyncio.sleep(1)
            await km.interrupt_kernel()
            while True:
                reply = await client.get_shell_msg(timeout=10)
                if reply["parent_header"].get("msg_id") == msg_id:
                    return reply["content"]
        finally:
            client.stop_channels()
            await km.shutdown_kernel(now=True)

    try:
        # A thread of its own: the session's Playwright browser keeps an event loop running in this one.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            content = pool.submit(asyncio.run, asyncio.wait_for(interrupted(), 60)).result()
    finally:
        server.stop(kill=True)
        link.channel.close()
    assert link.last is not None, "the kernel should have been forked"
    assert content["status"] == "error" and content["ename"] == "KeyboardInterrupt"


@pytest.mark.notebooks
def test_a_server_that_cannot_preload_says_why(tmp_path):
    """A missing cell module stops the server before it serves, with one line naming the module."""
    ours, theirs = socket.socketpair()
    code = "import sys\nfrom cyberhistory.site import zygote\nzygote.CELL_MODULES += ('no_such_module',)\n"
    code += "sys.exit(zygote.main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(theirs.fileno())],
        pass_fds=(theirs.fileno(),),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    ours.close()
    theirs.close()
    assert done.returncode == 2
    assert [line for line in done.stderr.splitlines() if line.startswith(execute.REASON)] == [
        "zygote: cannot import no_such_module: No module named 'no_such_module'"
    ]


def test_notebook_modules_are_the_package_modules_the_cells_import():
    """Both import forms are found, in order, once each; other packages and mentions in text are not."""
    cells = [
        "from cyberhistory.data import load\nimport pandas as pd",
        "  from cyberhistory.timeline import plot_timeline\nimport cyberhistory.charts as charts",
        "print('from cyberhistory.fake import x')\nfrom cyberhistory.data import sources_for",
    ]
    assert zygote.notebook_modules(cells) == ["cyberhistory.data", "cyberhistory.timeline", "cyberhistory.charts"]


def test_the_server_stands_in_only_for_the_launch_it_prepared_for(tmp_path):
    """Another interpreter, folder or environment (beyond what jupyter_client sets per kernel) is refused."""
    env = {"PATH": "/bin", "CYBERHISTORY_DATA": "/data"}
    server = zygote._Server(control=None, parent=0, environment=env, changes={})  # type: ignore[arg-type]
    cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "kernel.json"]
    good = {"cmd": cmd, "cwd": os.getcwd(), "env": {**env, "JPY_PARENT_PID": "12"}}
    assert server._refusal(good) is None
    assert "interpreter" in server._refusal({**good, "cmd": ["/usr/bin/python3", *cmd[1:]]})
    assert "interpreter" in server._refusal({**good, "cmd": [sys.executable, "-m", "other_kernel"]})
    assert "folder" in server._refusal({**good, "cwd": str(tmp_path)})  # this test's modules came from its folder
    assert "CYBERHISTORY_DATA" in server._refusal({**good, "env": {**env, "CYBERHISTORY_DATA": "/other"}})
    server.selector.close()


def test_another_folder_is_served_only_where_no_import_can_differ(tmp_path, monkeypatch):
    """A kernel in another folder imports what the server imported, unless a module there shadows one."""
    here, plain, shadowing, styled = (tmp_path / name for name in ("server", "es", "shadow", "styled"))
    for folder in (here, plain, shadowing, styled):
        folder.mkdir()
    (shadowing / "json.py").write_text("")
    (styled / "matplotlibrc").write_text("lines.linewidth: 9\n")
    monkeypatch.chdir(here)
    server = zygote._Server(control=None, parent=0, environment={}, changes={})  # type: ignore[arg-type]
    cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "kernel.json"]
    asks = {f.name: {"cmd": cmd, "cwd": str(f), "env": {}} for f in (plain, shadowing, styled)}
    assert server._refusal(asks["es"]) is None
    assert "holds json" in server._refusal(asks["shadow"])
    assert "matplotlibrc" in server._refusal(asks["styled"])
    (here / "local_helper.py").write_text("")
    monkeypatch.syspath_prepend(str(here))
    try:
        __import__("local_helper")
        server.folders.clear()
        assert "imported from the server's folder" in server._refusal(asks["es"])
    finally:
        sys.modules.pop("local_helper", None)
    server.selector.close()


def test_a_channel_frames_messages_by_line():
    """Messages split across reads, or several in one read, come out whole and in order; a closed peer is seen."""
    left, right = socket.socketpair()
    channel = zygote.Channel(right)
    left.sendall(b'{"a": 1}\n{"b"')
    assert channel.receive(timeout=5) == [{"a": 1}]
    left.sendall(b": 2}\n")
    assert channel.receive(timeout=5) == [{"b": 2}]
    left.close()
    assert channel.receive(timeout=5) == [] and channel.closed
    channel.close()


def test_environment_changes_record_what_was_set_and_removed():
    """The server replays in each kernel what its imports did to the environment."""
    assert zygote._changes({"A": "1", "B": "2"}, {"A": "1", "B": "3", "C": "4"}) == {"B": "3", "C": "4"}
    assert zygote._changes({"A": "1"}, {}) == {"A": None}


def test_cold_kernels_where_the_system_cannot_fork(monkeypatch):
    """WARM is a plain switch: off, the executor starts no server at all."""
    monkeypatch.setattr(execute, "WARM", False)
    with tempfile.TemporaryDirectory() as tmp:
        task = execute._Task(Path(tmp) / "00-x.ipynb", Path(tmp) / "e", Path(tmp) / "r")
        pool = execute._Pool([task], Path(tmp), {}, 1, lambda _: None, print)
        assert pool.zygote is None
