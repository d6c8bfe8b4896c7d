"""Write the editions of the site into a folder: lessons, their sources pages, outline, data, downloads, assets."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

from cyberhistory.data import Dataset, load
from cyberhistory.problems import DataError
from cyberhistory.project import eligible_events
from cyberhistory.schema import load_schema
from cyberhistory.site import explore, export, glossary, pages, student
from cyberhistory.site.build import EVENT_URL, PROJECT
from cyberhistory.site.execute import Executed
from cyberhistory.site.html import Markup, render
from cyberhistory.site.render import Rendered, add_heading_ids, markdown_to_html, pygments_css, render_editions
from cyberhistory.stats import summarise

DOWNLOADS = [
    ("downloads/cyberhistory.json", "All tables as one JSON file"),
    ("downloads/timelinejs.json", "TimelineJS 3 timeline (JSON): publish an interactive timeline with that tool"),
    ("downloads/sources.csl.json", "Sources as CSL-JSON (Zotero and other reference managers)"),
    ("downloads/sources.bib", "Sources as BibTeX"),
    ("downloads/CODEBOOK.md", "Codebook: every column and category defined"),
    ("downloads/datapackage.json", "Machine-readable schema (Frictionless Data Package)"),
]
#: The site's own scripts and styles, copied into every edition's ``assets/``.
STATIC = files("cyberhistory.site").joinpath("static")


def load_data(source_dir: Path, error: type[Exception]) -> Dataset:
    """Load and validate the data, turning a data problem into the build's own error."""
    try:
        return load(source_dir)
    except DataError as err:
        raise error(str(err)) from None


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


def _assets(folder: Path) -> None:
    for item in STATIC.iterdir():
        if item.is_file():
            text = item.read_text(encoding="utf-8")
            _write(folder / "assets" / item.name, text + ("\n" + pygments_css() if item.name == "style.css" else ""))


def _guide(guide: Path | None) -> tuple[str, str, object, list] | None:
    if guide is None or not guide.is_file():
        return None
    body, toc = add_heading_ids(markdown_to_html(guide.read_text(encoding="utf-8")), set())
    return ("instructor-guide.html", "Instructor guide", body, toc)


_EVENT_ID = re.compile(r"\b(?:19|20)\d\d-[a-z0-9]+(?:-[a-z0-9]+)*")
_ELIGIBLE = "<!-- eligible events -->"


def _project(guide: Path | None, data: Dataset, results: list[Executed]) -> tuple[str, str, object, list] | None:
    """The final project's page, with the eligible events computed from the data and the lessons."""
    path = guide.with_name(PROJECT) if guide is not None else None
    if path is None or not path.is_file():
        return None
    known = set(data.events["event_id"])
    studied = {
        found
        for r in results
        for cell in r.notebook["cells"]
        if cell["cell_type"] == "code"
        for found in _EVENT_ID.findall("".join(cell["source"]))
        if found in known
    }
    events = eligible_events(data, studied)
    rows = [
        {
            "id": e.event_id,
            "when": e.when,
            "title": e.title,
            "sources": int(e.sources),
            "regions": ", ".join(r.replace("_", " ") for r in e.target_regions),
            "verification": str(e.claim_verification).replace("_", " "),
        }
        for e in events.itertuples()
    ]
    table = render("project_events.html", events=rows, total=len(rows))
    body, toc = add_heading_ids(markdown_to_html(path.read_text(encoding="utf-8")), set())
    return ("final-project.html", "Final project", Markup(str(body).replace(_ELIGIBLE, str(table))), toc)


#: Pages reached from another page rather than from the navigation, which marks that page as current.
_COMPANIONS = {glossary.CATEGORIES_PAGE: glossary.PAGE}


def _lesson_number(href: str) -> str:
    """A lesson's number in the navigation ("6" for 06-operation-cartel-1.html)."""
    return str(int(href[:2])) if href[:2].isdigit() else href.removesuffix(".html")


class _Edition:
    """One edition being written: its folder, navigation and page writer."""

    def __init__(self, folder: Path, edition: str, lessons: list[tuple[str, Rendered]], extra: list):
        self.folder, self.edition = folder, edition
        self.nav = [pages.NavItem("index.html", "Outline")]
        self.nav += [pages.NavItem(href, _lesson_number(href), r.title) for href, r in lessons]
        self.nav += [pages.NavItem(href, title) for href, title, _, _ in extra if href not in _COMPANIONS]
        self.nav += [pages.NavItem("data.html", "Data"), pages.NavItem("explore.html", "Explore")]
        self.nav += [pages.NavItem("sources-1.html", "Sources")]
        self.chain = [pages.NavItem(href, r.title) for href, r in lessons]

    def write(self, name: str, current: str | None = None, **kwargs) -> None:
        """Write one page; the navigation marks ``current`` (the page itself by default)."""
        html = pages.page(edition=self.edition, nav=self.nav, current=current or name, **kwargs)
        _write(self.folder / name, html)


def _write_lessons(
    site: _Edition, lessons: list[tuple[str, Rendered]], page_of: dict[str, str], source_of: dict[str, str]
) -> None:
    def resolve(html: Markup) -> Markup:
        return pages.resolve_event_links(html, page_of, source_of)

    for i, (href, lesson) in enumerate(lessons):
        lesson = replace(
            lesson, body=resolve(lesson.body), key=resolve(lesson.key), worksheet=resolve(lesson.worksheet)
        )
        body = lesson.body + _write_companions(site, href, lesson)
        notebook = f"downloads/notebooks/{href.removesuffix('.html')}.ipynb"
        body += render("notebook_download.html", href=notebook, edition=site.edition)
        site.write(
            href,
            title=lesson.title,
            body=body,
            toc=lesson.toc,
            previous=site.chain[i - 1] if i > 0 else pages.NavItem("index.html", "Course outline"),
            following=site.chain[i + 1] if i + 1 < len(site.chain) else pages.NavItem("data.html", "The data"),
            scripts=_lesson_scripts(lesson),
        )


def _lesson_scripts(lesson: Rendered) -> tuple[str, ...]:
    """The scripts a lesson page needs: only for the answer boxes and self-checks it has."""
    needed = {"answers.js": lesson.answers > 0, "selfcheck.js": 'class="self-check"' in lesson.body}
    return tuple(script for script, used in needed.items() if used)


def _write_companions(site: _Edition, href: str, lesson: Rendered):
    """Write a lesson's companion pages (sources, answer key, worksheet); return what its page adds for them."""
    added = Markup("")
    worksheet = href.replace(".html", "-worksheet.html") if lesson.worksheet else None
    if lesson.answers:
        added += render("answer_tools.html", worksheet=worksheet, edition=site.edition)
    if worksheet:
        site.write(worksheet, current=href, title=f"Worksheet: {lesson.title}", body=lesson.worksheet, printable=True)
    if lesson.sources:
        sources_href = href.replace(".html", "-sources.html")
        added += render("notebook_sources_link.html", href=sources_href)
        parts = pages.lesson_source_pages(lesson.sources, sources_href)
        for n, (name, sources) in enumerate(parts, start=1):
            part = f" (page {n} of {len(parts)})" if len(parts) > 1 else ""
            body = render("notebook_sources.html", title=lesson.title, href=href, sources=sources, part=part)
            site.write(name, current=href, title=f"Sources: {lesson.title}{part}", body=body)
    if lesson.key:
        key_title = f"Answer key: {lesson.title}"
        site.write(href.replace(".html", "-key.html"), current=href, title=key_title, body=lesson.key)
    return added


def write_site(
    folder: Path,
    editions: tuple[str, ...],
    results: list[Executed],
    data: Dataset,
    source_dir: Path,
    guide: Path | None,
) -> list[str]:
    """Write every edition into ``folder/<edition>``; return problems that must fail the build (missing alt text)."""
    rendered = {r.path: render_editions(r.notebook, r.path.name, editions) for r in results}
    problems = sorted({p for by_edition in rendered.values() for r in by_edition.values() for p in r.problems})
    shared = _shared_pages(data)
    counts = summarise(data).counts
    terms = glossary.for_site(guide, source_dir)
    project = _project(guide, data, results)
    if project:
        project = (*project[:2], pages.resolve_event_links(project[2], shared["page_of"]), project[3])
    for edition in editions:
        lessons = [(r.path.stem + ".html", terms.link(rendered[r.path][edition])) for r in results]
        extra = [g for g in [_guide(guide)] if g and edition == "instructor"] + terms.pages()
        extra += [project] if project else []
        site = _Edition(folder / edition, edition, lessons, extra)
        _write_lessons(site, lessons, shared["page_of"], shared["source_of"])
        for href, title, body, toc in extra:
            site.write(href, current=_COMPANIONS.get(href), title=title, body=body, toc=toc)
        entries = [{"href": h, "title": r.title, "minutes": r.minutes, "objectives": r.objectives} for h, r in lessons]
        site.write(
            "index.html",
            title="Course outline",
            body=pages.outline(entries, edition, counts),
            following=site.chain[0] if site.chain else None,
        )
        downloads = _downloads(site.folder, data, source_dir)
        downloads = student.write_notebook_downloads(site.folder, edition, [r.path for r in results], guide) + downloads
        site.write(
            "data.html",
            title="The data",
            body=pages.data_page(data, downloads, shared["page_of"]),
            scripts=("filter.js",),
        )
        for name, heading, body in shared["events"]:
            site.write(name, current="data.html", title=heading, body=body)
        for name, heading, body in shared["sources"]:
            site.write(name, current="sources-1.html", title=heading, body=body)
        site.write("explore.html", title="Explore the timeline", body=shared["explore"][0], scripts=explore.SCRIPTS)
        _write(site.folder / "assets" / explore.DATA_FILE, shared["explore"][1])
        _assets(site.folder)
        manifest = {
            "edition": edition,
            "notebooks": [h for h, _ in lessons],
            "solutions": sum(r.solutions for _, r in lessons),
        }
        _write(site.folder / "manifest.json", json.dumps(manifest, indent=1))
    chooser = render("chooser.html")
    _write(
        folder / "index.html",
        pages.page(title="Choose an edition", body=chooser, edition="student", nav=[], current="", root="student/"),
    )
    return problems


def _shared_pages(data: Dataset) -> dict:
    """Pages that are the same in every edition, rendered once."""
    events, page_of = pages.event_pages(data)
    shared = {"events": events, "page_of": page_of, "sources": pages.source_pages(data, page_of)}
    shared["source_of"] = pages.source_page_of(shared["sources"])
    return shared | {"explore": (explore.page(data), explore.data_script(data, page_of))}
