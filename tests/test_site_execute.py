"""Tests for cyberhistory.site.execute and the build's faults: Ctrl-C, kill -9, zygote failures, timeouts, the cache.

These start real builds as separate processes, with notebooks that run real
kernels, and look for leftover processes in /proc by a marker in their environment.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from cyberhistory.site import execute, worker
from cyberhistory.site.build import BuildError, build
from cyberhistory.site.execute import cache_entry, read_entry

pytestmark = pytest.mark.notebooks
MARK = "CYBERHISTORY_TEST_MARK"


def _notebook(folder: Path, name: str, source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {name}\n\n**Estimated time:** 5 minutes"),
        nbformat.v4.new_code_cell(source),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder / name


def _marked(mark: str) -> list[int]:
    """Pids of live processes whose environment carries ``mark`` (the build's workers and their kernels)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"{MARK}={mark}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(proc.name))
        except OSError:
            continue
    return found


def _start_build(out: Path, notebooks: Path, data: Path, mark: str) -> subprocess.Popen:
    env = {**os.environ, MARK: mark}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cyberhistory",
            "build",
            "--out",
            str(out),
            "--notebooks",
            str(notebooks),
            "--data",
            str(data),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives a foreground job
    )


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def built_once(tmp_path, minimal_dir):
    """A finished build of one quick notebook, plus a folder holding a slow notebook to interrupt."""
    quick = tmp_path / "quick"
    _notebook(quick, "00-quick.ipynb", "x = 1\n")
    out = tmp_path / "_build"
    build(out, notebook_dir=quick, data_directory=minimal_dir, report=lambda *_: None)
    _notebook(quick, "01-slow.ipynb", "import time\ntime.sleep(60)\n")
    return out, quick, minimal_dir


def _stat(pid: int) -> tuple[int, bytes]:
    """A process's parent pid and command line."""
    try:
        ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        return ppid, Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return 0, b""


def _kernels(mark: str) -> list[int]:
    """The build's kernels: cold ones run ipykernel_launcher, warm ones are children of the zygote (its command line)."""
    found = []
    for pid in _marked(mark):
        ppid, cmdline = _stat(pid)
        if b"ipykernel_launcher" in cmdline or b"cyberhistory.site.zygote" in _stat(ppid)[1]:
            found.append(pid)
    return found


def _zygote(mark: str, build_pid: int) -> int | None:
    """The build's warm kernel server (the forked kernels share its command line, not its parent)."""
    for pid in _marked(mark):
        ppid, cmdline = _stat(pid)
        if ppid == build_pid and b"cyberhistory.site.zygote" in cmdline:
            return pid
    return None


def _kernel_started(mark: str) -> bool:
    return len(_kernels(mark)) >= 1


def test_ctrl_c_stops_promptly_and_cleanly(built_once):
    """Ctrl-C stops a build within 2 s with one line, leaves no worker, zygote or kernel, keeps the site and cache."""
    out, notebooks, data = built_once
    before, cache_before = _snapshot(out), _snapshot(out.parent / ".cache")
    mark = uuid.uuid4().hex
    proc = _start_build(out, notebooks, data, mark)
    assert _wait_for(lambda: _kernel_started(mark), 30), "the slow notebook's kernel never started"
    assert _zygote(mark, proc.pid) is not None, "kernels should come from the zygote"
    time.sleep(1)
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
    _, err = proc.communicate(timeout=10)
    assert time.monotonic() - sent < 2.0
    assert proc.returncode == 130
    assert "Traceback" not in err and err.strip().splitlines() == [
        "Build interrupted: the previous site and the cache are unchanged."
    ]
    assert _wait_for(lambda: not _marked(mark), 2.0), f"left running: {_marked(mark)}"
    assert _snapshot(out) == before
    assert {p: b for p, b in _snapshot(out.parent / ".cache").items() if p.suffix == ".ipynb"} == {
        p: b for p, b in cache_before.items() if p.suffix == ".ipynb"
    }


def test_kill_9_of_the_build_leaves_nothing_running(built_once):
    """After a kill -9 of the build's main process, its workers, zygote and kernels are gone within 10 s."""
    out, notebooks, data = built_once
    mark = uuid.uuid4().hex
    proc = _start_build(out, notebooks, data, mark)
    assert _wait_for(lambda: _kernel_started(mark), 30)
    proc.kill()
    proc.communicate(timeout=5)
    assert _wait_for(lambda: not _marked(mark), 10.0), f"still running: {_marked(mark)}"
    assert (out / "student" / "index.html").is_file()


def test_damaged_cache_entry_is_a_miss(tmp_path, minimal_dir):
    """A cache entry cut short is re-run and rewritten, never a crash."""
    notebooks = tmp_path / "nb"
    _notebook(notebooks, "00-tiny.ipynb", "x = 1\n")
    out = tmp_path / "_build"
    build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=lambda *_: None)
    entries = list((tmp_path / ".cache" / "notebooks" / "00-tiny").glob("*.ipynb"))
    assert len(entries) == 1
    entries[0].write_bytes(entries[0].read_bytes()[:50])
    (out / ".build-key").unlink()  # something else changed, so the cache is consulted
    lines: list[str] = []
    build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=lines.append)
    assert any("00-tiny.ipynb" in line and "executed" in line for line in lines)
    assert read_entry(entries[0]) is not None


def test_read_entry_refuses_what_is_not_a_notebook(tmp_path):
    """Unreadable, non-JSON and wrongly shaped entries all read as a miss."""
    (tmp_path / "a.ipynb").write_bytes(b"\xff\xfe not utf-8")
    (tmp_path / "b.ipynb").write_text('{"cells": "no"}')
    (tmp_path / "c.ipynb").write_text("[1, 2]")
    assert [read_entry(tmp_path / n) for n in ("a.ipynb", "b.ipynb", "c.ipynb", "missing.ipynb")] == [None] * 4


def test_longer_notebook_name_keeps_its_own_cache(tmp_path, minimal_dir):
    """Re-running 01-timeline-extra never removes 01-timeline's cache entry (each notebook has its own folder)."""
    notebooks = tmp_path / "nb"
    _notebook(notebooks, "01-timeline.ipynb", "x = 1\n")
    _notebook(notebooks, "01-timeline-extra.ipynb", "y = 1\n")
    out = tmp_path / "_build"
    build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=lambda *_: None)
    _notebook(notebooks, "01-timeline-extra.ipynb", "y = 2\n")
    lines: list[str] = []
    build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=lines.append)
    statuses = {line.split()[1]: line.split()[2] for line in lines if line.startswith("[")}
    assert statuses == {"01-timeline-extra.ipynb": "executed", "01-timeline.ipynb": "cached"}
    assert len(list((tmp_path / ".cache" / "notebooks" / "01-timeline-extra").iterdir())) == 1


def test_two_builds_at_once_wait_for_each_other(tmp_path, minimal_dir):
    """A second build of the same folder says one is running, waits, and then finds the site up to date."""
    notebooks = tmp_path / "nb"
    _notebook(notebooks, "00-wait.ipynb", "import time\ntime.sleep(3)\n")
    out, mark = tmp_path / "_build", uuid.uuid4().hex
    first = _start_build(out, notebooks, minimal_dir, mark)
    assert _wait_for(lambda: _kernel_started(mark), 30)
    second = _start_build(out, notebooks, minimal_dir, mark)
    out2, _ = second.communicate(timeout=60)
    out1, _ = first.communicate(timeout=60)
    assert first.returncode == 0 and second.returncode == 0
    assert "Another build is using" in out2 and "is up to date" in out2
    assert "executed" in out1 and (out / "student" / "00-wait.html").is_file()


def test_worker_reports_a_failing_cell(tmp_path, minimal_dir):
    """A failing notebook's worker writes a short report and no cache entry."""
    notebooks = tmp_path / "nb"
    path = _notebook(notebooks, "00-bad.ipynb", "raise ValueError('no')\n")
    target, result = tmp_path / "out.ipynb", tmp_path / "result.json"
    done = subprocess.run(
        [sys.executable, "-m", "cyberhistory.site.worker", str(path), str(target), str(result)],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 1 and not target.exists()
    assert json.loads(result.read_text())["error"].startswith("00-bad.ipynb: code cell 1 failed")
    assert cache_entry(tmp_path, path, "k") == tmp_path / "00-bad" / "k.ipynb"


def test_relative_folders_work(tmp_path, minimal_dir, monkeypatch):
    """`build _build` from the project folder (relative paths, as `make site` runs it) executes and caches."""
    monkeypatch.chdir(tmp_path)
    _notebook(tmp_path / "nb", "00-tiny.ipynb", "x = 1\n")
    lines: list[str] = []
    build(Path("_build"), notebook_dir=Path("nb"), data_directory=minimal_dir, report=lines.append)
    assert any("executed" in line for line in lines)
    assert len(list((tmp_path / ".cache" / "notebooks" / "00-tiny").glob("*.ipynb"))) == 1
    assert not (tmp_path / "nb" / ".cache").exists()


def test_a_zygote_that_cannot_start_leaves_cold_kernels(tmp_path, minimal_dir, monkeypatch):
    """When the warm kernel server fails, the build says so in one line and runs every notebook in a cold kernel."""
    monkeypatch.setattr(
        execute, "ZYGOTE_COMMAND", [sys.executable, "-c", "import sys; sys.exit('zygote: broken on purpose')"]
    )
    notebooks = tmp_path / "nb"
    _notebook(notebooks, "00-one.ipynb", "import time\ntime.sleep(1)\nx = 1\n")
    _notebook(notebooks, "01-two.ipynb", "y = 2\n")
    lines: list[str] = []
    build(tmp_path / "_build", notebook_dir=notebooks, data_directory=minimal_dir, report=lines.append)
    said = [line for line in lines if "cold kernels" in line]
    assert said == ["Warm kernels unavailable (broken on purpose); the notebooks run in cold kernels instead."]
    assert sum("executed" in line for line in lines) == 2
    assert (tmp_path / "_build" / "student" / "01-two.html").is_file()


def test_a_zygote_killed_mid_build_costs_no_notebook(tmp_path, minimal_dir):
    """kill -9 of the zygote kills its kernels; their notebooks run again cold, the build succeeds, nothing is left."""
    notebooks = tmp_path / "nb"
    for name in ("00-a.ipynb", "01-b.ipynb", "02-c.ipynb"):
        _notebook(notebooks, name, "import time\ntime.sleep(3)\n")
    out, mark = tmp_path / "_build", uuid.uuid4().hex
    proc = _start_build(out, notebooks, minimal_dir, mark)
    assert _wait_for(lambda: _kernel_started(mark), 30)
    os.kill(_zygote(mark, proc.pid), signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=90)
    assert proc.returncode == 0, stderr
    said = [line for line in stdout.splitlines() if "cold kernels" in line]
    assert said == [
        "Warm kernels unavailable (the server was stopped by SIGKILL); the notebooks run in cold kernels instead."
    ]
    assert sum(" executed " in line for line in stdout.splitlines()) == 3
    assert _wait_for(lambda: not _marked(mark), 2.0), f"left running: {_marked(mark)}"


def test_a_cell_timeout_stops_the_notebook(tmp_path, minimal_dir, monkeypatch):
    """A cell running past the timeout fails its notebook (named, with the error) and its kernel is gone."""
    monkeypatch.setattr(worker, "CELL_TIMEOUT", 2)
    mark = uuid.uuid4().hex
    monkeypatch.setenv(MARK, mark)
    notebooks = tmp_path / "nb"
    _notebook(notebooks, "00-stuck.ipynb", "import time\ntime.sleep(60)\n")
    started = time.monotonic()
    with pytest.raises(BuildError) as caught:
        build(tmp_path / "_build", notebook_dir=notebooks, data_directory=minimal_dir, report=lambda *_: None)
    assert time.monotonic() - started < 30
    assert "00-stuck.ipynb" in str(caught.value) and "CellTimeoutError" in str(caught.value)
    assert _wait_for(lambda: not _marked(mark), 2.0), f"left running: {_marked(mark)}"


def test_a_failing_cell_in_a_warm_kernel_is_named(tmp_path, minimal_dir):
    """A failing cell run by a forked kernel is reported with notebook, cell number, first line and exception."""
    notebooks = tmp_path / "nb"
    _notebook(notebooks, "00-bad.ipynb", "x = 1\nraise KeyError('missing on purpose')\n")
    with pytest.raises(BuildError) as caught:
        build(tmp_path / "_build", notebook_dir=notebooks, data_directory=minimal_dir, report=lambda *_: None)
    assert str(caught.value).splitlines()[:3] == [
        "00-bad.ipynb: code cell 1 failed",
        "    x = 1",
        "    KeyError: 'missing on purpose'",
    ]


def _flaky_kernel(tmp_path: Path, deaths: int) -> dict[str, str]:
    """An environment whose ``python3`` kernel dies at start the first ``deaths`` times, then starts normally."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    count = tmp_path / "starts"
    launcher = tmp_path / "launch.py"
    launcher.write_text(
        "import os, sys\n"
        f"count = {str(count)!r}\n"
        "n = int(open(count).read()) if os.path.exists(count) else 0\n"
        "open(count, 'w').write(str(n + 1))\n"
        f"if n < {deaths}:\n"
        "    sys.exit(7)\n"
        "os.execv(sys.executable, [sys.executable, '-m', 'ipykernel_launcher', *sys.argv[1:]])\n"
    )
    argv = [sys.executable, str(launcher), "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"}))
    return {**os.environ, "JUPYTER_PATH": str(tmp_path / "jupyter"), "CYBERHISTORY_DATA": str(Path.cwd() / "data")}


def _run_worker(tmp_path: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, Path, Path]:
    path = _notebook(tmp_path / "nb", "00-ok.ipynb", "print(6 * 7)\n")
    target, result = tmp_path / "out.ipynb", tmp_path / "result.json"
    done = subprocess.run(
        [sys.executable, "-m", "cyberhistory.site.worker", str(path), str(target), str(result)],
        capture_output=True,
        timeout=120,
        env=env,
    )
    return done, target, result


def test_a_kernel_that_dies_at_start_is_started_again(tmp_path):
    """One kernel that dies before it is ready costs nothing: the notebook runs in a second kernel."""
    done, target, result = _run_worker(tmp_path, _flaky_kernel(tmp_path, deaths=1))
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(result.read_text())["error"] is None
    assert "42" in target.read_text()
    assert (tmp_path / "starts").read_text() == "2"


def test_a_kernel_that_never_starts_is_a_clear_error(tmp_path):
    """A kernel that dies at every start gives a one-line report, no traceback, and no notebook."""
    done, target, result = _run_worker(tmp_path, _flaky_kernel(tmp_path, deaths=5))
    assert done.returncode == 1 and not target.exists()
    error = json.loads(result.read_text())["error"]
    assert error.startswith("00-ok.ipynb: the kernel did not start (RuntimeError"), error
    assert (tmp_path / "starts").read_text() == "2"
    assert b"Traceback" not in done.stderr and b"AssertionError" not in done.stderr, done.stderr.decode()
