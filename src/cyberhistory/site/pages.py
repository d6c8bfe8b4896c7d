"""The pages around the lessons: page shell, course outline, data page, event pages, bibliography.

Every page is a Jinja2 template with autoescaping; the page bodies and the
event entries are rendered here from the data, and nothing is loaded from
outside the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cyberhistory import i18n
from cyberhistory.data import Dataset
from cyberhistory.display import event_contexts, source_context, text_language
from cyberhistory.i18n import N_
from cyberhistory.i18n import gettext as _
from cyberhistory.site.html import Markup, render

SITE_TITLE = N_("Hacktivism: a history in data")
#: Largest body, in bytes, of one page of event entries or sources (pages stay light on slow links).
PAGE_BUDGET = 60_000


@dataclass(frozen=True)
class NavItem:
    """One page in the site's navigation."""

    href: str
    title: str
    #: For a lesson: its full title, while ``title`` is its number (sixteen titles would fill the bar).
    full_title: str = ""


def page(
    *,
    title: str,
    body: Markup,
    edition: str,
    nav: list[NavItem],
    current: str,
    toc: list | None = None,
    previous: NavItem | None = None,
    following: NavItem | None = None,
    description: str = "",
    root: str = "",
    scripts: tuple[str, ...] = (),
    printable: bool = False,
    languages: list[dict] | None = None,
    notice: Markup | str = "",
) -> str:
    """A complete HTML page in the site's shell, in the current language; ``root`` prefixes the
    stylesheet, scripts and home links.

    A ``printable`` page (a worksheet) prints as a sheet of paper: no navigation, room to write.
    ``languages`` are the same page in the other languages (``code``, ``name``, ``href``), shown as
    the language switch; a ``notice`` (an untranslated or out-of-date page) opens the page.
    """
    return render(
        "page.html",
        lang=i18n.current(),
        site_title=_(SITE_TITLE),
        languages=languages or [],
        notice=notice,
        title=title,
        body=body,
        edition=edition,
        nav=nav,
        current=current,
        toc=toc or [],
        previous=previous,
        following=following,
        description=description,
        root=root,
        scripts=scripts,
        printable=printable,
    )


def outline(entries: list[dict], edition: str, counts: dict[str, int]) -> Markup:
    """The index page body: what the unit is, how to use it, and the course outline."""
    return render("outline.html", site_title=_(SITE_TITLE), entries=entries, edition=edition, counts=counts)


def paginate(
    items: list[tuple[str, str]], budget: int = PAGE_BUDGET, layout: list[list[str]] | None = None
) -> list[list[tuple[str, str]]]:
    """Split ``(key, html)`` items, in order, into pages whose HTML stays under ``budget`` bytes.

    With a ``layout`` (the keys of each page, as another language's pages hold them) the items are
    split the same way, so a page and its translation hold the same entries and the language switch
    lands on the entry the reader was at.
    """
    if layout is not None:
        by_key = dict(items)
        return [[(key, by_key[key]) for key in keys if key in by_key] for keys in layout]
    pages: list[list[tuple[str, str]]] = [[]]
    size = 0
    for key, html in items:
        length = len(html.encode())
        if pages[-1] and size + length > budget:
            pages.append([])
            size = 0
        pages[-1].append((key, html))
        size += length
    return pages


_EVENT_LINK = re.compile(r"data\.html#event-([\w-]+)")
#: A source's stable address, as lesson documents write it; the build points it at the bibliography page.
_SOURCE_LINK = re.compile(r"data\.html#source-([\w.-]+)")
_SOURCE_ID = re.compile(r'<li id="source-([^"]+)"')


def source_page_of(pages: list[tuple[str, str, Markup]]) -> dict[str, str]:
    """Which bibliography page holds each source's entry (from :func:`source_pages`)."""
    return {source: name for name, _heading, body in pages for source in _SOURCE_ID.findall(body)}


def resolve_event_links(html: Markup, page_of: dict[str, str], source_of: dict[str, str] | None = None) -> Markup:
    """Point links at an event's or a source's stable address (``data.html#event-…``, ``#source-…``)
    straight at the page that holds its entry."""
    html = _EVENT_LINK.sub(
        lambda m: f"{page_of[m.group(1)]}#event-{m.group(1)}" if m.group(1) in page_of else m.group(0), html
    )
    source_of = source_of or {}
    return Markup(
        _SOURCE_LINK.sub(
            lambda m: f"{source_of[m.group(1)]}#source-{m.group(1)}" if m.group(1) in source_of else m.group(0), html
        )
    )


def _pager(stem: str, count: int, current: int) -> Markup:
    return render("pager.html", hrefs=[f"{stem}-{i}.html" for i in range(1, count + 1)], current=current)


_SOURCE_GROUP = '<li class="source-group">'
_SOURCE_NOTE_ID = re.compile(r'id="source-note-([^"]+)"')
_SOURCE_NOTE_LINK = re.compile(r'href="#source-note-([^"]+)"')


def lesson_source_pages(html: Markup, first: str, budget: int = PAGE_BUDGET) -> list[tuple[str, Markup]]:
    """A lesson's Sources section, split into light pages: (file name, body) in order.

    The section holds one ``<ol class="sources">`` (from :func:`cyberhistory.display.sources_list`)
    whose items are one event each; pages are cut between events. A source written out in full
    on an earlier page is linked there from later ones. The section is our own trusted markup.
    """
    opening, text = '<ol class="sources">', str(html)
    start, end = text.find(opening), text.rfind("</ol>")
    if start < 0 or end < start or len(text.encode()) <= budget:
        return [(first, html)]
    # What surrounds the list (the cell's code and its closing tags) stays whole on the first page.
    head, groups, tail = text[:start], text[start + len(opening) : end], text[end + len("</ol>") :]
    items = [("", _SOURCE_GROUP + part) for part in groups.split(_SOURCE_GROUP)[1:]]
    chunks = paginate(items, budget - len(head.encode()))
    names = [first] + [first.replace(".html", f"-{i}.html") for i in range(2, len(chunks) + 1)]
    bodies = ["".join(h for _i, h in chunk) for chunk in chunks]
    home = {note: name for name, body in zip(names, bodies, strict=True) for note in _SOURCE_NOTE_ID.findall(body)}

    def link(match: re.Match, here: str) -> str:
        page = home.get(match.group(1), here)
        return f'href="{"" if page == here else page}#source-note-{match.group(1)}"'

    result, number = [], 1
    for i, (name, body) in enumerate(zip(names, bodies, strict=True)):
        body = _SOURCE_NOTE_LINK.sub(lambda m, here=name: link(m, here), body)
        parts = [
            render("pager.html", hrefs=names, current=i + 1),
            head if i == 0 else "",
            f'<ol class="sources" start="{number}">{body}</ol>',
            tail if i == 0 else "",
        ]
        result.append((name, Markup("".join(parts))))
        number += len(chunks[i])
    return result


def event_pages(
    data: Dataset, layout: list[list[str]] | None = None
) -> tuple[list[tuple[str, str, Markup]], dict[str, str]]:
    """Every event in full, split into light pages (as ``layout`` splits them, when given: see :func:`paginate`).

    Returns
    -------
    pages : list of (file name, heading, body)
    page_of : dict mapping event id to its page's file name
    """
    contexts = event_contexts(data)
    items = [(i, render("event.html", event=c, level=2, anchor=True, more=None)) for i, c in contexts.items()]
    whens = dict(zip(data.events["event_id"], data.events["start_label"], strict=True))
    result, page_of = [], {}
    chunks = paginate(items, layout=layout)
    for i, chunk in enumerate(chunks, start=1):
        heading = _("Events %(page)s of %(pages)s: %(first)s to %(last)s") % {
            "page": i,
            "pages": len(chunks),
            "first": whens[chunk[0][0]],
            "last": whens[chunk[-1][0]],
        }
        pager = _pager("events", len(chunks), i)
        entries = Markup("").join(html for _i, html in chunk)
        result.append(
            (f"events-{i}.html", heading, render("events_page.html", heading=heading, pager=pager, entries=entries))
        )
        page_of.update({key: f"events-{i}.html" for key, _html in chunk})
    return result, page_of


#: The index's kind column, short (the entry gives the full name).
SHORT_KINDS = {
    "hacktivist_operation": N_("Hacktivist"),
    "state_linked_operation": N_("State-linked"),
    "legal_response": N_("Legal response"),
    "political_response": N_("Political response"),
    "context_event": N_("Context"),
}


def _short_kind(kind: str) -> str:
    return _(SHORT_KINDS[kind])


def data_page(data: Dataset, downloads: list[tuple[str, str]], page_of: dict[str, str]) -> Markup:
    """The data page: downloads, a filter, and one row per event linking to its full entry."""
    counts = data.sources.explode("event_ids")["event_ids"].value_counts()
    events = [
        {
            "id": e["event_id"],
            "kind": _short_kind(str(e["kind"])),
            "when": e["when"],
            "title": e["title"],
            "lang": text_language(e["text_language"]),
            "href": f"{page_of[e['event_id']]}#event-{e['event_id']}",
            "sources": int(counts.get(e["event_id"], 0)),
        }
        for _row, e in data.events.iterrows()
    ]
    kinds = [_short_kind(str(k)) for k in data.events["kind"].cat.categories if (data.events["kind"] == k).any()]
    totals = {"events": len(data.events), "sources": len(data.sources), "outcomes": len(data.outcomes)}
    example = f"{i18n.month_abbr(10)} 2011"
    return render("data.html", counts=totals, downloads=downloads, kinds=kinds, events=events, example_month=example)


def source_pages(
    data: Dataset, page_of: dict[str, str], layout: list[list[str]] | None = None
) -> list[tuple[str, str, Markup]]:
    """The bibliography, by publisher, split into light pages: (file name, heading, body)."""
    titles = dict(zip(data.events["event_id"], data.events["title"], strict=True))
    langs = dict(zip(data.events["event_id"], data.events["text_language"].map(text_language), strict=True))
    ordered = data.sources.assign(_key=data.sources["publisher"].str.lower()).sort_values(
        ["_key", "published_earliest", "source_id"]
    )
    items, publisher = [], {}
    for _row, s in ordered.iterrows():
        cited = [
            {"href": f"{page_of[i]}#event-{i}", "title": titles[i], "lang": langs[i]}
            for i in s["event_ids"]
            if i in titles
        ]
        items.append((s["source_id"], render("source_item.html", s=source_context(s), cited=cited)))
        publisher[s["source_id"]] = s["publisher"]
    chunks = paginate(items, layout=layout)
    result = []
    for i, chunk in enumerate(chunks, start=1):
        first, last = publisher[chunk[0][0]][:1].upper(), publisher[chunk[-1][0]][:1].upper()
        heading = _("Sources %(page)s of %(pages)s: publishers %(first)s to %(last)s") % {
            "page": i,
            "pages": len(chunks),
            "first": first,
            "last": last,
        }
        body = render(
            "sources_page.html",
            heading=heading,
            total=len(data.sources),
            pager=_pager("sources", len(chunks), i),
            items=Markup("").join(html for _i, html in chunk),
        )
        result.append((f"sources-{i}.html", heading, body))
    return result
