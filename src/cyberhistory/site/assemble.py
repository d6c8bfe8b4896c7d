"""Write the editions of the site into a folder: lessons, their sources pages, outline, data, downloads, assets."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path

from cyberhistory import i18n
from cyberhistory.data import Dataset, in_language, load
from cyberhistory.display import text_language
from cyberhistory.i18n import N_
from cyberhistory.i18n import gettext as _
from cyberhistory.labels import display_name
from cyberhistory.lessons import WORDS
from cyberhistory.problems import DataError
from cyberhistory.project import eligible_events
from cyberhistory.schema import load_schema
from cyberhistory.site import explore, export, glossary, pages, student
from cyberhistory.site.build import EVENT_URL, GLOSSARY, GUIDE, PROJECT
from cyberhistory.site.execute import Executed
from cyberhistory.site.html import Markup, render
from cyberhistory.site.render import (
    Rendered,
    add_heading_ids,
    lesson_title,
    markdown_to_html,
    pygments_css,
    render_editions,
)
from cyberhistory.stats import summarise

DOWNLOADS = [
    ("downloads/cyberhistory.json", N_("All tables as one JSON file")),
    ("downloads/timelinejs.json", N_("TimelineJS 3 timeline (JSON): publish an interactive timeline with that tool")),
    ("downloads/sources.csl.json", N_("Sources as CSL-JSON (Zotero and other reference managers)")),
    ("downloads/sources.bib", N_("Sources as BibTeX")),
    ("downloads/CODEBOOK.md", N_("Codebook: every column and category defined")),
    ("downloads/datapackage.json", N_("Machine-readable schema (Frictionless Data Package)")),
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


def _download_files(data: Dataset, source_dir: Path) -> tuple[dict[str, Path | str], list[tuple[str, str]]]:
    """The data downloads of one language (each a file to copy or a text to write), and their listing.

    Made once per language: both editions hold the same files, and the exports are the slow part."""
    schema = load_schema(source_dir)
    files: dict[str, Path | str] = {}
    listing = []
    for table in schema.tables:
        files[table.path] = source_dir / table.path
        listing.append((f"downloads/{table.path}", f"{table.path}: {_(table.description)}"))
    for name in ("datapackage.json", "CODEBOOK.md"):
        if (source_dir / name).is_file():
            files[name] = source_dir / name
    fields = {t.name: t.field_names for t in schema.tables}
    files["cyberhistory.json"] = export.to_json(data, fields)
    files["timelinejs.json"] = export.to_timelinejs(data, EVENT_URL.replace("data.html", "../data.html"))
    files["sources.csl.json"] = export.to_csl_json(data)
    files["sources.bib"] = export.to_bibtex(data)
    return files, [(href, _(label)) for href, label in DOWNLOADS] + listing


def _write_downloads(folder: Path, files: dict[str, Path | str]) -> None:
    out = folder / "downloads"
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if isinstance(content, Path):
            shutil.copy(content, out / name)
        else:
            _write(out / name, content)


def _assets(folder: Path) -> None:
    for item in STATIC.iterdir():
        if item.is_file():
            text = item.read_text(encoding="utf-8")
            _write(folder / "assets" / item.name, text + ("\n" + pygments_css() if item.name == "style.css" else ""))
    if i18n.current() != "en":
        _write(folder / "assets" / STRINGS, _strings_script())


#: The scripts' strings in the page's language (``window.CYBERHISTORY_STRINGS``), loaded before them.
STRINGS = "strings.js"


def _strings_script() -> str:
    from babel.messages.extract import extract_from_dir

    found = extract_from_dir(str(STATIC), [("**.js", "javascript")], keywords={"_": None})
    strings = {message: _(message) for _file, _line, message, _comments, _context in found}
    text = json.dumps(strings, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return f"/* Generated from the site's catalog; do not edit. */\nwindow.CYBERHISTORY_STRINGS = {text};\n"


def _guide(guide: Path | None, language: str) -> list[tuple[str, str, object, list]]:
    """The instructor guide's pages: the guide, and its lesson plans on a page of their own.

    As one page the guide weighed 84-93 KB; a teacher preparing a class wants one plan, so the
    guide's plans section keeps its heading and introduction and links to each plan on
    :data:`PLANS_PAGE`. A guide without plans (``### Lesson N: ...``) stays one page.
    """
    if guide is None or not guide.is_file():
        return []
    text = guide.read_text(encoding="utf-8")
    sections = re.split(r"(?m)^(?=## )", text)
    plan = re.compile(rf"(?m)^### {re.escape(WORDS[language].lesson)} \d+:")
    found = [i for i, section in enumerate(sections) if section.startswith("## ") and plan.search(section)]
    if not found:
        return [(GUIDE_PAGE, _("Instructor guide"), *add_heading_ids(markdown_to_html(text), set()))]
    section = sections[found[0]]
    start = plan.search(section).start()
    heading, _newline, intro = section[:start].partition("\n")
    title = heading.removeprefix("## ").strip()
    plans, plans_toc = add_heading_ids(markdown_to_html(f"# {title}\n{intro}{section[start:]}"), set())
    links = "".join(f"- [{_md_text(name)}]({PLANS_PAGE}#{slug})\n" for level, slug, name in plans_toc if level == 3)
    rest = (
        "".join(sections[: found[0]]) + f"{heading}\n{intro.rstrip()}\n\n{links}\n" + "".join(sections[found[0] + 1 :])
    )
    body, toc = add_heading_ids(markdown_to_html(rest), set())
    return [
        (GUIDE_PAGE, _("Instructor guide"), body, toc),
        (PLANS_PAGE, title, plans, [h for h in plans_toc if h[0] == 3]),
    ]


def _md_text(text: str) -> str:
    """Plain text made safe as a Markdown link's text."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


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
            "lang": text_language(getattr(e, "text_language", "en")),
            "regions": ", ".join(display_name(r) for r in e.target_regions),
            "verification": display_name(str(e.claim_verification)).lower(),
        }
        for e in events.itertuples()
    ]
    table = render("project_events.html", events=rows, total=len(rows))
    body, toc = add_heading_ids(markdown_to_html(path.read_text(encoding="utf-8")), set())
    return (PROJECT_PAGE, _("Final project"), Markup(str(body).replace(_ELIGIBLE, str(table))), toc)


GUIDE_PAGE = "instructor-guide.html"
#: The guide's lesson plans, a page of their own beside it (instructor edition).
PLANS_PAGE = "lesson-plans.html"
#: Pages reached from another page rather than from the navigation, which marks that page as current.
_COMPANIONS = {glossary.CATEGORIES_PAGE: glossary.PAGE, PLANS_PAGE: GUIDE_PAGE}


def _lesson_number(href: str) -> str:
    """A lesson's number in the navigation ("6" for 06-operation-cartel-1.html)."""
    return str(int(href[:2])) if href[:2].isdigit() else href.removesuffix(".html")


class _Edition:
    """One edition being written: its folder, navigation (lessons by page and title) and page writer."""

    def __init__(
        self,
        folder: Path,
        edition: str,
        lessons: list[tuple[str, str]],
        extra: list,
        switch: list[dict],
        stop=None,
    ):
        self.folder, self.edition, self.switch, self.stop = folder, edition, switch, stop
        self.notices: dict[str, str] = {}
        self.nav = [pages.NavItem("index.html", _("Outline"))]
        self.nav += [pages.NavItem(href, _lesson_number(href), title) for href, title in lessons]
        self.nav += [pages.NavItem(href, title) for href, title, _b, _t in extra if href not in _COMPANIONS]
        self.nav += [pages.NavItem("data.html", _("Data")), pages.NavItem("explore.html", _("Explore"))]
        self.nav += [pages.NavItem("sources-1.html", _("Sources"))]
        self.chain = [pages.NavItem(href, title) for href, title in lessons]

    def write(self, name: str, current: str | None = None, **kwargs) -> None:
        """Write one page; the navigation marks ``current`` (the page itself by default)."""
        _stopped(self.stop)
        languages = [{**other, "href": other["prefix"] + name} for other in self.switch]
        if kwargs.get("scripts") and i18n.current() != "en":
            kwargs["scripts"] = (STRINGS, *kwargs["scripts"])
        notice = self.notices.get(name) or self.notices.get(current or "", "")
        html = pages.page(
            edition=self.edition, nav=self.nav, current=current or name, languages=languages, notice=notice, **kwargs
        )
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
            previous=site.chain[i - 1] if i > 0 else pages.NavItem("index.html", _("Course outline")),
            following=site.chain[i + 1] if i + 1 < len(site.chain) else pages.NavItem("data.html", _("The data")),
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
        title = _("Worksheet: %(title)s") % {"title": lesson.title}
        site.write(worksheet, current=href, title=title, body=lesson.worksheet, printable=True)
    if lesson.sources:
        sources_href = href.replace(".html", "-sources.html")
        added += render("notebook_sources_link.html", href=sources_href)
        parts = pages.lesson_source_pages(lesson.sources, sources_href)
        for n, (name, sources) in enumerate(parts, start=1):
            part = " " + _("(page %(page)s of %(pages)s)") % {"page": n, "pages": len(parts)} if len(parts) > 1 else ""
            body = render("notebook_sources.html", title=lesson.title, href=href, sources=sources, part=part)
            site.write(name, current=href, title=_("Sources: %(title)s") % {"title": lesson.title} + part, body=body)
    if lesson.key:
        key_title = _("Answer key: %(title)s") % {"title": lesson.title}
        site.write(href.replace(".html", "-key.html"), current=href, title=key_title, body=lesson.key)
    return added


@dataclass(frozen=True)
class Language:
    """One language of the site: its code, the folder its editions go in, and its lessons.

    ``lessons`` holds, for each English lesson (in order), the executed translation, or ``None``
    where the lesson is not translated; ``stale`` names the translations whose English changed since.
    """

    code: str
    prefix: str = ""
    lessons: tuple[Executed | None, ...] | None = None
    stale: frozenset[str] = frozenset()
    notebook_dir: Path | None = None


class Cancelled(Exception):
    """The build stopped (Ctrl-C, a failed notebook) while a language was still being written."""


class SiteWriter:
    """Writes the site one language at a time into ``folder``: English first, each other language in its
    ``folder/<code>/``, then the front page. The build writes English while the translated lessons still run.

    ``stop``, once set, makes the writer raise :class:`Cancelled` at its next page.
    """

    def __init__(self, folder, editions, results, data, source_dir, guide, codes, stop=None):
        self.folder, self.editions, self.results, self.data = folder, editions, results, data
        self.source_dir, self.guide, self.codes, self.stop = source_dir, guide, list(codes), stop
        self.problems: list[str] = []
        self.layout: dict | None = None
        self.pending: dict[str, _Pending] = {}  # languages whose pages are written and lessons are not

    def language(self, language: Language) -> None:
        """Write both editions of one language (English before any other: they reuse its page layout)."""
        self.pages(language)
        self.lessons(language)

    def pages(self, language: Language) -> None:
        """Write every page of a language but its lessons and outline: these need only the lessons' titles,
        read from the notebooks, so they can be written while the language's lessons still run."""
        self.pending[language.code] = self._pages(language, _titles(language, self.results))

    def lessons(self, language: Language) -> None:
        """Write a language's lessons and outline, once they have run (its other pages first, if not yet written)."""
        pending = self.pending.pop(language.code, None)
        with i18n.using(language.code):
            rendered, notices, in_english = _rendered(language, self.results, self.editions, self.stop)
        titles = _titles_of(rendered, self.results)
        if pending is None or pending.titles != titles:
            pending = self._pages(language, titles)
        with i18n.using(language.code):
            self.problems += _write_lesson_pages(pending, language, rendered, notices, in_english, self.results)

    def _pages(self, language: Language, titles: list[tuple[str, str]]) -> _Pending:
        with i18n.using(language.code):
            pending, self.layout = _write_pages(
                self.folder / language.prefix,
                language,
                self.codes,
                self.editions,
                titles,
                self.data,
                self.source_dir,
                self.guide,
                self.layout,
                self.stop,
                self.results,
            )
        return pending

    def finish(self, languages: tuple[Language, ...]) -> list[str]:
        """Write the front page, where one chooses a language and an edition; return the problems that
        must fail the build (missing alt text)."""
        fronts = []
        for language in languages:
            with i18n.using(language.code):
                fronts.append(_front_door(language))
        chooser = render("chooser.html", languages=fronts)
        with i18n.using(languages[0].code):
            page = pages.page(
                title=_("Choose an edition"), body=chooser, edition="student", nav=[], current="", root="student/"
            )
        _write(self.folder / "index.html", page)
        return sorted(set(self.problems))


def _stopped(stop) -> None:
    if stop is not None and stop.is_set():
        raise Cancelled


def _front_door(language: Language) -> dict:
    """The front page's entry for one language, in that language."""
    return {
        "code": language.code,
        "prefix": language.prefix,
        "heading": _("Choose an edition"),
        "student": _("Student edition"),
        "student_note": _(": the unit without exercise solutions."),
        "instructor": _("Instructor edition"),
        "instructor_note": _(": with solutions and the instructor guide."),
    }


def _switch(language: Language, codes: list[str], edition: str) -> list[dict]:
    """The language switch of a page in ``language``: (code, name, how to reach the same page there)."""
    up = "../" * (1 + language.prefix.count("/"))
    return [
        {"code": code, "name": i18n.NATIVE_NAMES[code], "prefix": f"{up}{'' if code == 'en' else code + '/'}{edition}/"}
        for code in codes
        if code != language.code
    ]


def _lessons_for(language: Language, results: list[Executed], editions, rendered_en: dict) -> tuple[dict, dict, set]:
    """Each lesson's rendering in ``language`` by English path, its notice (untranslated, out of date),
    and the pages shown in English."""
    rendered, notices, in_english = {}, {}, set()
    for i, result in enumerate(results):
        translated = language.lessons[i] if language.lessons is not None else result
        if translated is None:  # not translated: the English page, marked as English
            rendered[result.path] = {e: _marked_english(r) for e, r in rendered_en[result.path].items()}
            notices[result.path] = _("This lesson is not translated yet: it is shown in English.")
            in_english.add(result.path.stem + ".html")
            continue
        rendered[result.path] = render_editions(translated.notebook, result.path.name, editions)
        if result.path.name in language.stale:
            notices[result.path] = _(
                "Parts of this lesson changed in English after it was translated: the English lesson has the current text."
            )
    return rendered, notices, in_english


def _marked_english(lesson: Rendered) -> Rendered:
    def wrap(html: Markup) -> Markup:
        return Markup('<div lang="en">') + html + Markup("</div>") if html else html

    return replace(lesson, body=wrap(lesson.body), key=wrap(lesson.key), worksheet=wrap(lesson.worksheet))


def _rendered(language: Language, results: list[Executed], editions, stop) -> tuple[dict, dict, set]:
    """Each lesson rendered in ``language``, by English path; its notice; the pages shown in English."""
    if language.code != "en":
        return _lessons_for(language, results, editions, dict(_RENDERED_EN))
    rendered = {}
    for r in results:
        _stopped(stop)
        rendered[r.path] = render_editions(r.notebook, r.path.name, editions)
    _RENDERED_EN.clear()
    _RENDERED_EN.update(rendered)
    return rendered, {}, set()


def _titles(language: Language, results: list[Executed]) -> list[tuple[str, str]]:
    """Each lesson's page and title in ``language``, before its lessons have run: the translated
    notebook's first heading (execution never changes it), or the English lesson's where none is."""
    titles = []
    for r in results:
        translated = language.notebook_dir / r.path.name if language.notebook_dir is not None else None
        if translated is not None and translated.is_file():
            notebook = json.loads(translated.read_text(encoding="utf-8"))
        else:
            notebook = r.notebook
        titles.append((r.path.stem + ".html", lesson_title(notebook, r.path.name)))
    return titles


def _titles_of(rendered: dict, results: list[Executed]) -> list[tuple[str, str]]:
    return [(r.path.stem + ".html", next(iter(rendered[r.path].values())).title) for r in results]


@dataclass
class _Pending:
    """A language whose pages are written and whose lessons and outline are not yet."""

    titles: list[tuple[str, str]]
    sites: list[_Edition]
    link: object
    shared: dict
    counts: dict
    page_notices: dict


def _write_pages(
    folder: Path,
    language: Language,
    codes: list[str],
    editions: tuple[str, ...],
    titles: list[tuple[str, str]],
    data: Dataset,
    source_dir: Path,
    guide: Path | None,
    layout: dict | None,
    stop,
    results: list[Executed],
) -> tuple[_Pending, dict]:
    """Write both editions of a language in the current language, but for its lessons and outline;
    return what those still need and the pages' layout."""
    english = language.code == "en"
    local = data if english else in_language(data, language.code)
    _stopped(stop)
    shared = _shared_pages(local, layout)
    counts = summarise(local).counts
    own_guide, own_glossary, own_project = (_own(language, guide, name) for name in (GUIDE, GLOSSARY, PROJECT))
    terms = glossary.for_site(own_glossary or guide, source_dir)
    project = _project(own_project or guide, local, results)
    if project:
        project = (*project[:2], pages.resolve_event_links(project[2], shared["page_of"]), project[3])
    untranslated = _("This page is not translated yet: it is shown in English.")
    missing = {GUIDE_PAGE: own_guide, PLANS_PAGE: own_guide, glossary.PAGE: own_glossary, PROJECT_PAGE: own_project}
    page_notices = {} if english else {href: untranslated for href, own in missing.items() if own is None}
    paths = _notebook_paths(language, results)
    _stopped(stop)
    download_files, data_downloads = _download_files(local, source_dir)
    sites = []
    for edition in editions:
        extra = _guide(own_guide or guide, language.code if own_guide else "en") if edition == "instructor" else []
        extra += terms.pages()
        extra += [project] if project else []
        site = _Edition(folder / edition, edition, titles, extra, _switch(language, codes, edition), stop)
        site.notices = dict(page_notices)
        for href, title, body, toc in extra:
            site.write(href, current=_COMPANIONS.get(href), title=title, body=body, toc=toc)
        _write_downloads(site.folder, download_files)
        downloads = student.write_notebook_downloads(site.folder, edition, paths, own_guide or guide) + data_downloads
        site.write(
            "data.html",
            title=_("The data"),
            body=pages.data_page(local, downloads, shared["page_of"]),
            scripts=("filter.js",),
        )
        for name, heading, body in shared["events"]:
            site.write(name, current="data.html", title=heading, body=body)
        for name, heading, body in shared["sources"]:
            site.write(name, current="sources-1.html", title=heading, body=body)
        site.write("explore.html", title=_("Explore the timeline"), body=shared["explore"][0], scripts=explore.SCRIPTS)
        _write(site.folder / "assets" / explore.DATA_FILE, shared["explore"][1])
        _assets(site.folder)
        sites.append(site)
    link = terms.link if english or own_glossary else (lambda r: r)  # English terms never link Spanish
    return _Pending(titles, sites, link, shared, counts, page_notices), shared["layout"]


def _write_lesson_pages(
    pending: _Pending, language: Language, rendered: dict, notices: dict, in_english: set, results: list[Executed]
) -> list[str]:
    """Write a language's lessons, their companion pages and the outline; return the lessons' problems."""
    for site in pending.sites:
        lessons = [(r.path.stem + ".html", pending.link(rendered[r.path][site.edition])) for r in results]
        site.notices = {r.path.stem + ".html": n for r in results if (n := notices.get(r.path))}
        site.notices |= pending.page_notices
        _write_lessons(site, lessons, pending.shared["page_of"], pending.shared["source_of"])
        entries = [
            {
                "href": h,
                "title": r.title,
                "minutes": r.minutes,
                "objectives": r.objectives,
                "lang": "en" if h in in_english else "",
                "note": site.notices.get(h, ""),
            }
            for h, r in lessons
        ]
        site.write(
            "index.html",
            title=_("Course outline"),
            body=pages.outline(entries, site.edition, pending.counts),
            following=site.chain[0] if site.chain else None,
        )
        manifest = {
            "edition": site.edition,
            "language": language.code,
            "notebooks": [h for h, _r in lessons],
            "solutions": sum(r.solutions for _h, r in lessons),
        }
        _write(site.folder / "manifest.json", json.dumps(manifest, indent=1))
    return sorted({p for by_edition in rendered.values() for r in by_edition.values() for p in r.problems})


#: The English lessons as rendered, reused by a language where a lesson is not translated yet.
_RENDERED_EN: dict = {}
PROJECT_PAGE = "final-project.html"


def _own(language: Language, guide: Path | None, name: str) -> Path | None:
    """The language's own translation of a page's file beside the guide (the guide, glossary, project),
    or ``None`` where it is not translated; English has its own."""
    if guide is None:
        return None
    if language.code == "en":
        return guide.with_name(name)
    path = language.notebook_dir / name if language.notebook_dir is not None else None
    return path if path is not None and path.is_file() else None


def _notebook_paths(language: Language, results: list[Executed]) -> list[Path]:
    """The notebooks the language's downloads hold: its translations, English where there is none."""
    if language.notebook_dir is None:
        return [r.path for r in results]
    found = (language.notebook_dir / r.path.name for r in results)
    return [t if t.is_file() else r.path for t, r in zip(found, results, strict=True)]


def _shared_pages(data: Dataset, layout: dict | None = None) -> dict:
    """Pages that are the same in every edition, rendered once; split into pages as ``layout`` says
    (another language's split), so that the same page holds the same entries in every language."""
    events, page_of = pages.event_pages(data, layout and layout["events"])
    sources = pages.source_pages(data, page_of, layout and layout["sources"])
    shared = {"events": events, "page_of": page_of, "sources": sources}
    shared["source_of"] = pages.source_page_of(shared["sources"])
    shared["layout"] = {"events": _split(page_of), "sources": _split(shared["source_of"])}
    return shared | {"explore": (explore.page(data), explore.data_script(data, page_of))}


def _split(page_of: dict[str, str]) -> list[list[str]]:
    """The keys of each page, in page order, from a key -> page mapping."""
    split: dict[str, list[str]] = {}
    for key, page in page_of.items():
        split.setdefault(page, []).append(key)
    return list(split.values())
