"""Benchmark: the site build against nbconvert's own HTML export, measured in the same run.

Prints: a clean build of both editions of the English site alone versus `jupyter nbconvert --to html
--execute` on the same notebooks (target ratio <= 0.3); the clean build of both languages against that
English-only build (target ratio <= 1.6), each the median of three rounds; where each notebook's time went in the clean build of both languages (waiting for
and starting a worker, starting its kernel, the first code cell, the other cells, shutting down);
a rebuild with nothing changed, in process and as a whole `python -m cyberhistory build` process
timed from outside (target <= 0.02 of the clean build); a rebuild after editing one notebook and
after editing one data file; the largest page (without figures) and the site's total size
(`benchmarks/pages.py` reports every page's weight against its target).

``--cold`` also times a clean build whose kernels all start cold (no zygote), for comparison.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cyberhistory.schema import DEFAULT_DATA_DIR
from cyberhistory.site import build as build_module
from cyberhistory.site import execute
from cyberhistory.site.build import NOTEBOOK_DIR, TRANSLATED, build

PHASES = ("start", "kernel", "first_cell", "rest", "shutdown")
#: Clean builds of each kind; the figures are their medians (these machines are noisy).
ROUNDS = 3


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


def _recording(executed: list, span: list):
    """The build's execute_all, keeping what it returns (each notebook's timings) and when it ran."""

    def execute_all(*args, **kwargs):
        span.append(time.perf_counter())
        results = execute.execute_all(*args, **kwargs)
        span.append(time.perf_counter())
        executed.extend(results)
        return results

    return execute_all


def _median(values) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _cpu_seconds() -> float:
    """CPU time used so far by this process and every finished process it started (workers, zygote, kernels)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _clean_build(
    out: Path, data: Path, *, warm: bool, languages: tuple[str, ...] = TRANSLATED
) -> tuple[float, list, tuple[float, float, float], float]:
    """Seconds for a clean build, its executed notebooks, its phases (before, running and after the notebooks)
    and the CPU seconds it used."""
    executed: list = []
    span = [time.perf_counter()]
    saved = build_module.execute_all, execute.WARM
    build_module.execute_all, execute.WARM = _recording(executed, span), warm
    cpu = _cpu_seconds()
    try:
        seconds = _timed(lambda: build(out, data_directory=data, languages=languages, report=_quiet))
    finally:
        build_module.execute_all, execute.WARM = saved
    cpu = _cpu_seconds() - cpu
    phases = (span[1] - span[0], span[2] - span[1], span[0] + seconds - span[2])
    return seconds, executed, phases, cpu


def _breakdown(title: str, executed: list) -> None:
    print(f"{title} (seconds; start = waiting for and starting a worker, kernel = launch until it answers):")
    print(f"  {'notebook':<36}" + "".join(f"{p.replace('_cell', ''):>9}" for p in PHASES) + f"{'total':>9}  kernel")
    sums = dict.fromkeys(PHASES, 0.0)
    for result in executed:
        timings = result.timings or {}
        for phase in PHASES:
            sums[phase] += timings.get(phase, 0.0)
        cells = "".join(f"{timings.get(p, float('nan')):9.2f}" for p in PHASES)
        kind = "forked" if timings.get("warm") else "cold"
        print(f"  {result.path.name:<36}{cells}{result.seconds:9.2f}  {'cached' if result.cached else kind}")
    total = sum(r.seconds for r in executed)
    print(f"  {'sum':<36}" + "".join(f"{sums[p]:9.2f}" for p in PHASES) + f"{total:9.2f}")


def main() -> None:
    cold = "--cold" in sys.argv[1:]
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
        # Clean builds of both languages and of English alone, in turn (each with its own cache, and each kind
        # first in alternate rounds, so neither always pays for the process's first imports): medians.
        both_runs, english_runs = [], []
        for round_ in range(ROUNDS):
            for kind in ("both", "english")[:: 1 if round_ % 2 == 0 else -1]:
                if kind == "both":
                    both_runs.append(_clean_build(tmp / f"both-{round_}" / "_build", data, warm=execute.WARM))
                else:
                    english_runs.append(
                        _clean_build(tmp / f"en-{round_}" / "_build", data, warm=execute.WARM, languages=())
                    )
        out = tmp / "both-0" / "_build"
        clean, english_only = _median(r[0] for r in both_runs), _median(r[0] for r in english_runs)
        _seconds, executed, phases, _cpu = min(both_runs, key=lambda r: abs(r[0] - clean))
        cpu_both, cpu_english = _median(r[3] for r in both_runs), _median(r[3] for r in english_runs)
        if cold:  # with its own cache: it finds pandas and the rest already imported in this process
            cold_clean, cold_executed, _, _ = _clean_build(tmp / "cold" / "_build", data, warm=False)
        unchanged = _timed(lambda: build(out, data_directory=data, report=_quiet))
        # As a teacher runs it after a small edit: a whole process, timed from outside.
        command = [sys.executable, "-m", "cyberhistory", "build", "--out", str(out), "--data", str(data)]
        unchanged_process = _timed(lambda: subprocess.run(command, check=True, capture_output=True))
        lesson = tmp / "notebooks"
        shutil.copytree(NOTEBOOK_DIR, lesson)
        build(out, data_directory=data, notebook_dir=lesson, report=_quiet)  # the copies' cache entries
        edited = lesson / notebooks[1].name
        edited.write_text(edited.read_text(encoding="utf-8").replace("timeline", "time line", 1), encoding="utf-8")
        one_notebook = _timed(lambda: build(out, data_directory=data, notebook_dir=lesson, report=_quiet))
        with (data / "actors.csv").open("a", encoding="utf-8") as handle:
            handle.write("")  # same bytes: the cache must see no change
        events = data / "events.csv"
        events.write_text(events.read_text(encoding="utf-8").replace("WANK worm", "WANK  worm", 1), encoding="utf-8")
        touched = _timed(lambda: build(out, data_directory=data, notebook_dir=lesson, report=_quiet))
        pages = list(out.rglob("*.html"))
        largest = max(pages, key=_size_without_figures)
        largest_name, largest_size = largest.relative_to(out), _size_without_figures(largest)
        total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        nbconvert_pages = list(nbconvert_out.glob("*.html"))
        nbconvert_avg = sum(p.stat().st_size for p in nbconvert_pages) / len(nbconvert_pages)
    print(f"notebooks: {len(notebooks)}")
    print(f"nbconvert --execute (lab template, one edition): {baseline:6.1f} s")
    # Like for like: nbconvert renders the English notebooks once; the English-only build renders them twice
    # (both editions). The build of both languages runs every translated notebook too.
    print(
        f"clean build, English, both editions:             {english_only:6.1f} s  ratio {english_only / baseline:.2f} "
        "(target <= 0.3)"
    )
    print(f"clean build, both languages, both editions:      {clean:6.1f} s")
    if cold:
        print(
            f"clean build, every kernel cold (no zygote):      {cold_clean:6.1f} s  ratio {cold_clean / baseline:.2f}"
        )
    print(
        f"  of which {phases[0]:.1f} s before the notebooks run (data, imports), {phases[1]:.1f} s running them, "
        f"{phases[2]:.1f} s writing what was left after them (English is written while the translations run)"
    )
    _breakdown("where each notebook's time went in the clean build", executed)
    if cold:
        _breakdown("the same with every kernel cold", cold_executed)
    translated = sum(1 for code in TRANSLATED for _ in (NOTEBOOK_DIR / code).glob("[0-9][0-9]-*.ipynb"))
    print(
        f"clean build, English only ({len(notebooks)} lessons, no Spanish pages): {english_only:6.1f} s; both languages "
        f"({translated} lessons translated) {clean:.1f} s, ratio {clean / english_only:.2f} (target <= 1.6)"
    )
    runs = ", ".join(f"{b[0]:.1f}/{e[0]:.1f}" for b, e in zip(both_runs, english_runs, strict=True))
    print(f"  medians of {ROUNDS} rounds; each round both/English: {runs} s")
    print(
        f"  CPU seconds, every process: both languages {cpu_both:.1f}, English only {cpu_english:.1f}, ratio "
        f"{cpu_both / cpu_english:.2f} (the work the translated lessons add; with the cores equally busy in both "
        "builds, the ratio of times would be this); "
        f"cores busy on average: {cpu_both / clean:.2f} and {cpu_english / english_only:.2f} of {os.cpu_count()}"
    )
    print(f"rebuild, both languages, nothing changed:         {unchanged:6.2f} s  ratio {unchanged / clean:.3f}")
    print(
        f"rebuild, nothing changed (python -m cyberhistory build, a process): {unchanged_process:.2f} s  "
        f"ratio {unchanged_process / clean:.3f} (target <= 0.02)"
    )
    print(
        f"rebuild after editing one notebook ({notebooks[1].name}): {one_notebook:.1f} s  ratio {one_notebook / clean:.2f} "
        "(only that notebook re-runs)"
    )
    print(
        f"rebuild after editing events.csv:                {touched:6.1f} s  ratio {touched / clean:.2f} "
        "(every notebook loads the data, so all re-run)"
    )
    print(f"largest page without figures: {largest_name} {largest_size / 1024:.0f} KB (target <= 80 KB)")
    print(
        f"total site size, both editions: {total / 1024 / 1024:.1f} MB; nbconvert's average page: {nbconvert_avg / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
