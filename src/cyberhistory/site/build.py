"""Build the static course site: check the key, execute, assemble both editions, swap in atomically.

``python -m cyberhistory build`` writes ``_build/student/`` and
``_build/instructor/``. A failing notebook is reported in a few lines, the
other notebooks still run, the command exits non-zero and the previous
``_build/`` is left exactly as it was. Ctrl-C stops the build at once, with
its workers and kernels. Only one build of a folder runs at a time.

This module imports only the standard library until there is work to do, so
a rebuild with nothing changed answers in a few hundredths of a second.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from cyberhistory.links import DATA_PAGE, LINK_ENV
from cyberhistory.site import key
from cyberhistory.site.execute import execute_all

ROOT = key.PACKAGE_DIR.parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
GUIDE = "instructor-guide.md"
GLOSSARY = "glossary.md"  # beside the guide; read by cyberhistory.site.glossary
PROJECT = "final-project.md"  # beside the guide: the final project's task sheet, page of both editions
EDITIONS = ("student", "instructor")
#: Languages besides English: each has its lessons in ``notebooks/<code>/`` and its site in ``_build/<code>/``.
TRANSLATED = ("es",)
#: Markers in site SVGs link to the data page entry of their event.
EVENT_URL = DATA_PAGE
#: File in the output folder holding the hash of everything the site was built from.
STAMP = ".build-key"


class BuildError(Exception):
    """The build failed; the message says why in a few lines."""


def _data_dir(path: Path | None) -> Path:
    from cyberhistory.schema import data_dir  # light: standard library only

    return data_dir(path)


@contextlib.contextmanager
def build_lock(cache_dir: Path, report):
    """Hold the build's lock; a second build of the same folder waits for the first and says so."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; builds must not overlap there
        yield
        return
    with open(cache_dir / "build.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            report(f"Another build is using {cache_dir.parent}; waiting for it to finish (Ctrl-C to stop waiting).")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one atomic step (Linux ``renameat2``); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _old(out: Path) -> Path:
    return out.with_name(out.name + ".old")


def recover(out: Path) -> None:
    """Undo a swap that was interrupted between its two renames (systems without an atomic exchange)."""
    if not out.exists() and _old(out).is_dir():
        _old(out).rename(out)


def swap_in(tmp: Path, out: Path) -> None:
    """Replace ``out`` with ``tmp`` so that ``out`` is never missing and never half-written."""
    if not out.exists():
        tmp.rename(out)
    elif _exchange(tmp, out):
        shutil.rmtree(tmp)  # now the previous site
    else:
        old = _old(out)
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
        tmp.rename(out)  # a kill between these two renames is undone by recover() at the next build
        shutil.rmtree(old)


def _load_for_site(source_dir: Path):
    from cyberhistory.site.assemble import load_data  # the heavy part: pandas, matplotlib

    return load_data(source_dir, BuildError)


def build(
    out: Path,
    *,
    notebook_dir: Path | None = None,
    data_directory: Path | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    languages: tuple[str, ...] = TRANSLATED,
    report=print,
) -> Path:
    """Build both editions into ``out``: in English and, under ``out/<code>/``, in each of ``languages``
    (``()``: the English site alone).

    Raises
    ------
    BuildError
        When the data is invalid, a notebook fails, or a figure lacks alt text.
        ``out`` is then left untouched.
    """
    started = time.perf_counter()
    notebook_dir = notebook_dir or NOTEBOOK_DIR
    source_dir = _data_dir(data_directory)
    paths = sorted(notebook_dir.glob("[0-9][0-9]-*.ipynb"))
    translated = {code: [p for p in paths if (notebook_dir / code / p.name).is_file()] for code in languages}
    if not paths:
        raise BuildError(f"no notebooks found in {notebook_dir}")
    if not source_dir.is_dir():
        raise BuildError(f"no data folder at {source_dir}")
    env = {LINK_ENV: EVENT_URL, "CYBERHISTORY_DATA": str(source_dir.resolve())}
    cache_dir = out.parent / ".cache" / "notebooks"
    with build_lock(cache_dir, report):
        recover(out)
        inputs = key.execution_inputs(source_dir, env)
        runs = paths + [notebook_dir / code / p.name for code, found in translated.items() for p in found]
        keys = {p: key.notebook_key(p, inputs) for p in runs}
        pages_from = [notebook_dir / GUIDE, notebook_dir / GLOSSARY, notebook_dir / PROJECT]
        pages_from += [notebook_dir / code / f.name for code in languages for f in pages_from]
        stamp = key.site_key({str(p.relative_to(notebook_dir)): k for p, k in keys.items()}, pages_from)
        if use_cache and (out / STAMP).is_file() and (out / STAMP).read_text(encoding="utf-8") == stamp:
            report(f"{out} is up to date: no input changed ({time.perf_counter() - started:.2f}s)")
            return out
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        try:
            run = {"cache_dir": cache_dir, "env": env, "jobs": jobs, "use_cache": use_cache, "report": report}
            results, writer = _execute_and_write_english(
                runs, keys, paths, source_dir, tmp, notebook_dir / GUIDE, languages, run
            )
            editions = _languages(results, notebook_dir, languages)
            for language in editions[1:]:
                writer.lessons(language)
            problems = writer.finish(editions)
            if problems:
                raise BuildError(
                    "\n".join(sorted(set(problems)))
                    + "\nEvery figure needs real alt text; the previous site is unchanged."
                )
            (tmp / STAMP).write_text(stamp, encoding="utf-8")
            swap_in(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    built = "".join(f", {out}/{code}" for code in languages)
    report(f"Built {out}/student and {out}/instructor (English){built} in {time.perf_counter() - started:.1f}s")
    return out


class _EnglishFirst:
    """Writes the English site in a thread once every English lesson is done, and then every page of the other
    languages but their lessons, while the translated lessons still run (the build's main thread only waits
    on its workers meanwhile, so a core is free)."""

    def __init__(self, english: list[Path]):
        self.english = [p.resolve() for p in english]
        self.done: dict[Path, object] = {}
        self.ready, self.stop = threading.Event(), threading.Event()

    def arrived(self, result) -> None:
        """Called by execute_all as each notebook finishes."""
        self.done[result.path] = result
        if all(p in self.done for p in self.english):
            self.ready.set()

    def write(self, loading, folder: Path, source_dir: Path, guide: Path, codes: tuple[str, ...]):
        """The site writer once English and the other languages' pages are written; ``None`` if an English lesson
        failed or the build stopped."""
        from cyberhistory.site.assemble import Language, SiteWriter

        while not self.ready.wait(0.05):
            if self.stop.is_set():
                return None
        data = loading.result()
        english = [self.done[p] for p in self.english]
        if self.stop.is_set() or any(r.error for r in english):
            return None
        writer = SiteWriter(folder, EDITIONS, english, data, source_dir, guide, ("en", *codes), self.stop)
        writer.language(Language("en"))
        for code in codes:  # all but their lessons, which may still be running
            writer.pages(Language(code, f"{code}/", notebook_dir=guide.parent / code))
        return writer


def _execute_and_write_english(runs, keys, paths, source_dir, folder, guide, codes, run: dict):
    """Run every notebook and write the English site meanwhile; the results and the site writer.

    The heavy imports (pandas, matplotlib) and the data's validation run in a thread while the kernels start
    and run, and English is written in another as soon as its lessons are done. A data problem is reported
    before any notebook failure."""
    from concurrent.futures import ThreadPoolExecutor

    first = _EnglishFirst(paths)
    with ThreadPoolExecutor(max_workers=2) as pool:
        loading = pool.submit(_load_for_site, source_dir)
        writing = pool.submit(first.write, loading, folder, source_dir, guide, codes)
        try:
            results = execute_all(runs, keys, **run, on_result=first.arrived)
            loading.result()
            failures = [r.error for r in results if r.error]
            if failures:
                raise BuildError(
                    "\n".join(failures) + f"\n{len(failures)} notebook(s) failed; the previous site is unchanged."
                )
            return results, writing.result()
        except BaseException:
            first.stop.set()  # the English writer stops at its next page; leaving the pool waits for it
            raise


def _languages(results, notebook_dir: Path, codes: tuple[str, ...]):
    """Every language of the site, English first, each other with its translated lessons and their state."""
    from cyberhistory.site.assemble import Language
    from cyberhistory.translations import lesson_problems

    english = [r for r in results if r.path.parent == notebook_dir.resolve()]
    languages = [Language("en")]
    for code in codes:
        folder = notebook_dir / code
        done = {r.path.name: r for r in results if r.path.parent == folder.resolve()}
        stale = frozenset(n for n in done if any(lesson_problems(notebook_dir / n, folder / n)))
        lessons = tuple(done.get(r.path.name) for r in english)
        languages.append(Language(code, f"{code}/", lessons, stale, folder))
    return tuple(languages)


def main(args) -> int:
    """Entry point for ``python -m cyberhistory build``."""
    out = Path(args.out)
    try:
        build(
            out,
            notebook_dir=Path(args.notebooks) if args.notebooks else None,
            data_directory=Path(args.data) if args.data else None,
            jobs=args.jobs,
            use_cache=not args.no_cache,
            languages=() if getattr(args, "english_only", False) else TRANSLATED,
        )
    except BuildError as err:
        print(f"Build failed:\n{err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nBuild interrupted: the previous site and the cache are unchanged.", file=sys.stderr)
        return 130
    return 0
