"""Build the static course site: execute, render, assemble both editions, swap in atomically.

``python -m cyberhistory build`` writes ``_build/student/`` and
``_build/instructor/``. A failing notebook is reported in a few lines, the
other notebooks still run, the command exits non-zero and the previous
``_build/`` is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import sys
import tempfile
import time
from importlib.resources import files
from pathlib import Path

from cyberhistory import export, pages, render
from cyberhistory.data import Dataset, load
from cyberhistory.execute import cache_key, execute_all
from cyberhistory.problems import DataError
from cyberhistory.schema import DEFAULT_DATA_DIR, data_dir, load_schema
from cyberhistory.stats import summarise

ROOT = DEFAULT_DATA_DIR.parent
NOTEBOOK_DIR = ROOT / "notebooks"
GUIDE = "instructor-guide.md"
EDITIONS = ("student", "instructor")
#: Markers in site SVGs link to the data page entry of their event.
EVENT_URL = "data.html#event-{event_id}"

DOWNLOADS = [
    ("downloads/cyberhistory.json", "All tables as one JSON file"),
    ("downloads/timelinejs.json", "TimelineJS 3 timeline (JSON): publish an interactive timeline with that tool"),
    ("downloads/sources.csl.json", "Sources as CSL-JSON (Zotero and other reference managers)"),
    ("downloads/sources.bib", "Sources as BibTeX"),
    ("downloads/CODEBOOK.md", "Codebook: every column and category defined"),
    ("downloads/datapackage.json", "Machine-readable schema (Frictionless Data Package)"),
]


#: File in the output folder holding the hash of everything the site was built from.
STAMP = ".build-key"


def _site_key(paths: list[Path], guide: Path, source_dir: Path, env: dict[str, str]) -> str:
    """A hash of every input of the site: each notebook's cache key (notebook, data, package) and the guide."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + cache_key(path, source_dir, env).encode())
    if guide.is_file():
        digest.update(guide.read_bytes())
    return digest.hexdigest()


class BuildError(Exception):
    """The build failed; the message says why in a few lines."""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _downloads(folder: Path, data: Dataset, source_dir: Path) -> list[tuple[str, str]]:
    out = folder / "downloads"
    out.mkdir(parents=True, exist_ok=True)
    schema = load_schema(source_dir)
    listing = []
    for table in schema.tables:
        shutil.copy(source_dir / table.path, out / table.path)
        listing.append((f"downloads/{table.path}", f"{table.path}: {table.description}"))
    for name in ("datapackage.json", "CODEBOOK.md"):
        if (source_dir / name).is_file():
            shutil.copy(source_dir / name, out / name)
    fields = {t.name: t.field_names for t in schema.tables}
    _write(out / "cyberhistory.json", export.to_json(data, fields))
    _write(out / "timelinejs.json", export.to_timelinejs(data, EVENT_URL.replace("data.html", "../data.html")))
    _write(out / "sources.csl.json", export.to_csl_json(data))
    _write(out / "sources.bib", export.to_bibtex(data))
    return DOWNLOADS + listing


def assemble(
    folder: Path,
    edition: str,
    notebooks: list[tuple[Path, object]],
    data: Dataset,
    source_dir: Path,
    guide: Path | None,
) -> list[str]:
    """Write one edition into ``folder``; return problems that must fail the build (missing alt text)."""
    problems: list[str] = []
    rendered = []
    for path, notebook in notebooks:
        result = render.render_notebook(notebook, path.name, edition)
        problems += result.problems
        rendered.append((path.stem + ".html", result))
    extra = []
    if edition == "instructor" and guide is not None and guide.is_file():
        text = guide.read_text(encoding="utf-8")
        toc: list = []
        body = render._add_heading_ids(render.markdown_to_html(text), toc, set())
        extra.append(("instructor-guide.html", "Instructor guide", body, toc))
    nav = [pages.NavItem("index.html", "Outline")]
    nav += [pages.NavItem(href, r.title.split(":")[0]) for href, r in rendered]
    nav += [pages.NavItem(href, title) for href, title, _, _ in extra]
    nav += [pages.NavItem("data.html", "Data"), pages.NavItem("sources-1.html", "Sources")]
    chain = [pages.NavItem(href, r.title) for href, r in rendered]

    def write_page(name: str, current: str | None = None, **kwargs) -> None:
        """Write one page of this edition; the navigation marks ``current`` (the page itself by default)."""
        _write(folder / name, pages.page(edition=edition, nav=nav, current=current or name, **kwargs))

    for i, (href, result) in enumerate(rendered):
        body = result.body
        if result.sources:
            sources_href = href.replace(".html", "-sources.html")
            body += (
                '<div class="cell markdown"><h2 id="sources">Sources</h2><p>The sources of every event shown on this '
                f'page are listed, with links, on <a href="{sources_href}">a page of their own</a>. Each event also has '
                'its full entry, with its sources, on the <a href="data.html">data page</a>.</p></div>'
            )
            sources_body = (
                f"<h1>Sources: {html.escape(result.title)}</h1>"
                f'<p>The sources of every event shown in <a href="{href}">{html.escape(result.title)}</a>, grouped by '
                "event. A source cited for several events is written out once.</p>" + result.sources
            )
            write_page(sources_href, current=href, title=f"Sources: {result.title}", body=sources_body)
        write_page(
            href,
            title=result.title,
            body=body,
            toc=result.toc,
            previous=chain[i - 1] if i > 0 else pages.NavItem("index.html", "Course outline"),
            following=chain[i + 1] if i + 1 < len(chain) else pages.NavItem("data.html", "The data"),
        )
    for href, title, body, toc in extra:
        write_page(href, title=title, body=body, toc=toc)
    summary = summarise(data).counts
    entries = [
        {"href": href, "title": r.title, "minutes": r.minutes, "objectives": r.objectives} for href, r in rendered
    ]
    write_page(
        "index.html",
        title="Course outline",
        body=pages.outline(entries, edition, summary),
        following=chain[0] if chain else None,
    )
    downloads = _downloads(folder, data, source_dir)
    detail_pages, page_of = pages.event_pages(data)
    write_page("data.html", title="The data", body=pages.data_page(data, downloads, page_of))
    for name, heading, body in detail_pages:
        write_page(name, current="data.html", title=heading, body=body)
    for name, heading, body in pages.source_pages(data, page_of):
        write_page(name, current="sources-1.html", title=heading, body=body)
    css = files("cyberhistory").joinpath("static/style.css").read_text(encoding="utf-8") + "\n" + render.pygments_css()
    _write(folder / "assets" / "style.css", css)
    _write(
        folder / "manifest.json",
        json.dumps(
            {
                "edition": edition,
                "notebooks": [href for href, _ in rendered],
                "solutions": sum(r.solutions for _, r in rendered),
            },
            indent=1,
        ),
    )
    return problems


def _swap_in(tmp: Path, out: Path) -> None:
    """Replace ``out`` with ``tmp`` so that a reader never sees a half-written site."""
    old = out.with_name(out.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    if old.exists():
        shutil.rmtree(old)


def build(
    out: Path,
    *,
    notebook_dir: Path | None = None,
    data_directory: Path | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    report=print,
) -> Path:
    """Build both editions into ``out``.

    Raises
    ------
    BuildError
        When the data is invalid, a notebook fails, or a figure lacks alt text.
        ``out`` is then left untouched.
    """
    notebook_dir = notebook_dir or NOTEBOOK_DIR
    source_dir = data_dir(data_directory)
    paths = sorted(notebook_dir.glob("[0-9][0-9]-*.ipynb"))
    if not paths:
        raise BuildError(f"no notebooks found in {notebook_dir}")
    env = {"CYBERHISTORY_EVENT_URL": EVENT_URL, "CYBERHISTORY_DATA": str(source_dir.resolve())}
    started = time.perf_counter()
    stamp = _site_key(paths, notebook_dir / GUIDE, source_dir, env)
    if use_cache and (out / STAMP).is_file() and (out / STAMP).read_text() == stamp:
        report(
            f"{out} is up to date: no notebook, data file or package file changed ({time.perf_counter() - started:.2f}s)"
        )
        return out
    try:
        data = load(source_dir)
    except DataError as err:
        raise BuildError(str(err)) from None
    cache_dir = out.parent / ".cache" / "notebooks"
    results = execute_all(
        paths, cache_dir=cache_dir, data_dir=source_dir, env=env, jobs=jobs, use_cache=use_cache, report=report
    )
    failures = [r.error for r in results if r.error]
    if failures:
        raise BuildError("\n".join(failures) + f"\n{len(failures)} notebook(s) failed; the previous site is unchanged.")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=out.name + ".tmp-", dir=out.parent))
    try:
        problems = []
        for edition in EDITIONS:
            problems += assemble(
                tmp / edition, edition, [(r.path, r.notebook) for r in results], data, source_dir, notebook_dir / GUIDE
            )
        if problems:
            raise BuildError(
                "\n".join(sorted(set(problems))) + "\nEvery figure needs real alt text; the previous site is unchanged."
            )
        _write(tmp / "index.html", _chooser())
        _write(tmp / STAMP, stamp)
        _swap_in(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    report(f"Built {out}/student and {out}/instructor in {time.perf_counter() - started:.1f}s")
    return out


def _chooser() -> str:
    body = """<h1>Choose an edition</h1>
<ul><li><a href="student/index.html">Student edition</a>: the unit without exercise solutions.</li>
<li><a href="instructor/index.html">Instructor edition</a>: with solutions and the instructor guide.</li></ul>"""
    return pages.page(title="Choose an edition", body=body, edition="student", nav=[], current="", root="student/")


def main(args) -> int:
    """Entry point for ``python -m cyberhistory build``."""
    out = Path(args.out)
    try:
        build(out, jobs=args.jobs, use_cache=not args.no_cache)
    except BuildError as err:
        print(f"Build failed:\n{err}", file=sys.stderr)
        return 1
    return 0
