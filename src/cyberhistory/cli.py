"""The command line: ``python -m cyberhistory validate | codebook | stats | build | student-notebooks | gallery``."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from cyberhistory import __version__


def _validate(args: argparse.Namespace) -> int:
    from cyberhistory.validate import validate

    result = validate(args.data_dir)
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"{len(result.problems)} problem(s) found.", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(t.rows)} {name.replace('_', ' ')}" for name, t in result.tables.items())
    print(f"Data is valid: {counts}.")
    return 0


def _load_or_report(data_dir):
    from cyberhistory.data import load
    from cyberhistory.problems import DataError

    try:
        return load(data_dir)
    except DataError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"{len(err.problems)} problem(s) found; run `python -m cyberhistory validate`.", file=sys.stderr)
        return None


def _codebook(args: argparse.Namespace) -> int:
    from cyberhistory import codebook

    if _load_or_report(args.data_dir) is None:
        return 1
    if args.check:
        if codebook.is_current(args.data_dir):
            print("CODEBOOK.md is up to date.")
            return 0
        print("CODEBOOK.md is out of date; run `python -m cyberhistory codebook`.", file=sys.stderr)
        return 1
    print(f"Wrote {codebook.write(args.data_dir)}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from cyberhistory import stats

    data = _load_or_report(args.data_dir)
    if data is None:
        return 1
    print(stats.to_text(stats.summarise(data)))
    return 0


def _build(args: argparse.Namespace) -> int:
    from cyberhistory.site.build import main  # standard library only until there is work to do

    return main(args)


def _student_notebooks(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cyberhistory.site.student import NotebookError, write_student_notebooks

    if args.notebooks:
        source = Path(args.notebooks)
    else:
        from cyberhistory.site.build import NOTEBOOK_DIR as source
    out = Path(args.out)
    try:
        done = write_student_notebooks(source, out)
    except (NotebookError, OSError) as err:
        print(f"Cannot write the student notebooks: {err}", file=sys.stderr)
        return 1
    for name in done.kept:
        print(f"Kept {out / name}: it has your changes (delete or rename it to get a fresh copy).")
    for name in done.orphaned:
        print(f"Kept {out / name}: its lesson no longer exists, but it has your changes.")
    for name in done.removed:
        print(f"Removed {out / name}: its lesson no longer exists.")
    counts = f"{len(done.new)} new, {len(done.updated)} updated, {len(done.unchanged)} unchanged, {len(done.kept)} kept"
    print(f"Student notebooks in {out}/: {counts}.")
    return 0


def _guide_problems(folder, by_language: dict[str, list]) -> list:
    """Check each language's instructor guide against that language's lessons; every guide plans all lessons."""
    from cyberhistory import lessons

    english = by_language.get("en", [])
    numbers = range(1, max((lesson.number or 0 for lesson in english), default=0) + 1)
    found = []
    for language in lessons.WORDS:
        guide = folder / "instructor-guide.md" if language == "en" else folder / language / "instructor-guide.md"
        if guide.exists():
            text = guide.read_text(encoding="utf-8")
            found += lessons.check_guide(text, by_language.get(language, []), language, numbers)
    return found


def _lessons(args: argparse.Namespace) -> int:
    import csv
    import json
    from pathlib import Path

    from cyberhistory import lessons
    from cyberhistory.schema import data_dir

    folder = Path(args.notebooks) if args.notebooks else _notebook_dir()
    paths = [Path(p) for p in args.paths] or lessons.lesson_paths(folder) + lessons.lesson_paths(folder / "es")
    try:
        with open(Path(data_dir(args.data)) / "sources.csv", encoding="utf-8", newline="") as handle:
            sources = {row.get("source_id", "") for row in csv.DictReader(handle)}
    except (OSError, ValueError) as err:
        print(f"cannot read the sources the documents cite ({err})", file=sys.stderr)
        return 1
    found, read, shown, unreadable = [], [], [], 0  # read: the English lessons, shown: the translated ones
    by_language: dict[str, list] = {}
    for path in paths:
        try:
            notebook = lessons.load_notebook(path)
        except (OSError, ValueError) as err:  # every notebook is still checked: all problems at once
            print(f"{path}: cannot read the notebook ({err})", file=sys.stderr)
            unreadable += 1
            continue
        language = lessons.language_of(path)
        lesson, problems = lessons.check_lesson(notebook, path.name, sources, where=str(path), language=language)
        read.append(lesson) if language == "en" else shown.append(lesson)
        by_language.setdefault(language, []).append(lesson)
        found += problems
    if not args.paths:
        found += _guide_problems(folder, by_language)
    print(f"{'lesson':44} {'words':>5} {'docs':>4} {'quiz':>4}  central question")
    for lesson in read + shown:
        name = lesson.name if lesson in read else f"es/{lesson.name}"
        print(
            f"{name:44} {lesson.reading_words:5} {len(lesson.documents):4} {lesson.quiz_questions:4}  "
            f"{lesson.central_question}"
        )
    for problem in sorted(found):
        print(problem)
    if found or unreadable:
        print(f"{len(found) + unreadable} problem(s) found.", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([lesson.__dict__ for lesson in read + shown], indent=1))
    return 0


def _notebook_dir():
    from cyberhistory.site.build import NOTEBOOK_DIR

    return NOTEBOOK_DIR


def _translations(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cyberhistory import translations

    folder = Path(args.notebooks) if args.notebooks else _notebook_dir()
    if args.update:
        print(f"updated {translations.update_catalog(args.data)}: new strings are empty, unused ones dropped")
    try:
        report = translations.check(args.data, folder)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 1
    lines = report.lines()
    shown = lines if args.complete else [line for line in lines if not line.startswith("missing: ")]
    print("\n".join(shown))
    if report.missing and not args.complete:
        print(f"({len(report.missing)} pieces not translated yet; --complete lists them and fails on them)")
    failed = report.stale or (args.complete and report.missing)
    return 1 if failed else 0


def _gallery(args: argparse.Namespace) -> int:
    from cyberhistory import gallery

    return gallery.main(args)


def parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per job."""
    top = argparse.ArgumentParser(prog="python -m cyberhistory", description=__doc__.split("\n")[0])
    top.add_argument("--version", action="version", version=f"cyberhistory {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func, help_: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_, description=help_)
        cmd.set_defaults(func=func)
        return cmd

    for name, func, help_ in [
        ("validate", _validate, "Check the data against the schema and the content policy."),
        ("stats", _stats, "Print the dataset's figures (by era, kind, tactic, region; sourcing)."),
    ]:
        add(name, func, help_).add_argument("data_dir", nargs="?", default=None, help="data folder (default: data/)")
    codebook = add("codebook", _codebook, "Write data/CODEBOOK.md from the schema and notes.")
    codebook.add_argument("data_dir", nargs="?", default=None, help="data folder (default: data/)")
    codebook.add_argument("--check", action="store_true", help="only check that CODEBOOK.md is current")
    build = add("build", _build, "Execute the notebooks and build the static site into _build/.")
    build.add_argument("--out", default="_build", help="output folder (default: _build)")
    build.add_argument("--jobs", type=int, default=None, help="notebooks executed at once (default: one per core)")
    build.add_argument("--no-cache", action="store_true", help="re-execute every notebook")
    build.add_argument("--data", default=None, help="data folder (default: $CYBERHISTORY_DATA, else the bundled data)")
    build.add_argument("--notebooks", default=None, help="notebook folder (default: notebooks/ of this checkout)")
    build.add_argument("--english-only", action="store_true", help="build the English site alone (no Spanish edition)")
    students = add(
        "student-notebooks",
        _student_notebooks,
        "Write student copies of the notebooks (no solutions, no outputs); a copy a student changed is kept.",
    )
    students.add_argument("--out", default="lab", help="output folder (default: lab)")
    students.add_argument("--notebooks", default=None, help="notebook folder (default: notebooks/ of this checkout)")
    lesson = add("lessons", _lessons, "Check every lesson's structure and reading length, and the guide's plans.")
    lesson.add_argument("paths", nargs="*", help="lesson notebooks (default: every NN-*.ipynb in notebooks/)")
    lesson.add_argument("--notebooks", default=None, help="notebook folder (default: notebooks/ of this checkout)")
    lesson.add_argument("--data", default=None, help="data folder (default: the bundled data)")
    lesson.add_argument("--json", action="store_true", help="also print what was found, as JSON")
    words = add(
        "translations",
        _translations,
        "Compare the Spanish event texts and lessons with the English: fails on any out of date.",
    )
    words.add_argument("--check", action="store_true", help="check only (the default; nothing is written)")
    words.add_argument("--complete", action="store_true", help="also list and fail on everything not yet translated")
    words.add_argument(
        "--update", action="store_true", help="first merge the strings in use into the Spanish catalog (.po)"
    )
    words.add_argument("--notebooks", default=None, help="notebook folder (default: notebooks/ of this checkout)")
    words.add_argument("--data", default=None, help="data folder (default: the bundled data)")
    gallery = add("gallery", _gallery, "Render every figure to _build/gallery/ for review.")
    gallery.add_argument("--out", default="_build/gallery", help="output folder")
    return top


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = parser().parse_args(argv)
    try:
        status = args.func(args)
        sys.stdout.flush()  # here, not at exit, so that a closed pipe is caught below
        return status
    except BrokenPipeError:
        # The reader stopped early (`... | head`): not an error of ours. Quiet the exit-time flush, as
        # the Python docs advise, and exit as a program stopped by SIGPIPE does.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
