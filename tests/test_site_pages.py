"""Tests for cyberhistory.site.pages: pagination, event pages with every source's notes, the page shell."""

from cyberhistory.data import load
from cyberhistory.site.pages import NavItem, event_pages, page, paginate


def test_paginate_respects_budget():
    """Items are split in order into pages under the byte budget (a single large item gets its own page)."""
    items = [(str(i), "x" * 400) for i in range(10)]
    pages = paginate(items, budget=1000)
    assert [len(p) for p in pages] == [2, 2, 2, 2, 2]
    assert [k for page in pages for k, _ in page] == [str(i) for i in range(10)]
    assert len(paginate([("big", "x" * 5000)], budget=1000)) == 1


def test_event_pages_show_supports_and_disputes(tmp_path, minimal_rows):
    """Each event entry lists its sources with what each supports and disputes, escaped."""
    from conftest import write_dataset

    minimal_rows["sources"][1]["disputes"] = "the <b>date</b> of the cancellation"
    pages, page_of = event_pages(load(write_dataset(tmp_path / "d", minimal_rows)))
    html = "".join(body for _, _, body in pages)
    assert "Supports: cancellation" in html and "Disputes: the &lt;b&gt;date&lt;/b&gt;" in html
    assert page_of == {"2011-example-video": "events-1.html", "2011-example-cancelled": "events-1.html"}


def test_page_escapes_title_and_marks_current():
    """The shell escapes the title and marks the current page in the navigation."""
    html = page(
        title="<Tiny>",
        body="<p>ok</p>",
        edition="student",
        nav=[NavItem("a.html", "A"), NavItem("b.html", "B")],
        current="b.html",
    )
    assert "<title>&lt;Tiny&gt;" in html and '<a href="b.html" aria-current="page">B</a>' in html
    assert "&lt;p&gt;ok" in html, "a plain string body is text, not markup"


def test_resolve_event_links_points_at_the_entry_page():
    """Stable event addresses become links to the page holding the entry; unknown ids are left alone."""
    from cyberhistory.site.pages import resolve_event_links

    html = (
        '<a href="data.html#event-a">A</a><a xlink:href="data.html#event-b-2">B</a><a href="data.html#event-zz">?</a>'
    )
    out = resolve_event_links(html, {"a": "events-1.html", "b-2": "events-3.html"})
    assert out == (
        '<a href="events-1.html#event-a">A</a><a xlink:href="events-3.html#event-b-2">B</a>'
        '<a href="data.html#event-zz">?</a>'
    )


def test_lesson_source_pages_split_between_events_and_link_back_to_first_mentions():
    """Pages are cut between events, numbering continues, and a repeat points at the page of the full entry."""
    from markupsafe import Markup

    from cyberhistory.site.pages import lesson_source_pages

    def group(n: int, repeat: bool = False) -> str:
        note = '<a href="#source-note-s1">listed above</a>' if repeat else f'<li id="source-note-s{n}">source {n}</li>'
        return f'<li class="source-group">Event {n}<ul>{note}{"x" * 300}</ul></li>'

    html = Markup('<p>Intro</p><ol class="sources">' + group(1) + group(2) + group(3, repeat=True) + "</ol><p>End</p>")
    pages = lesson_source_pages(html, "l-sources.html", budget=800)
    names = [name for name, _ in pages]
    assert names == ["l-sources.html", "l-sources-2.html"]
    first, second = (body for _, body in pages)
    assert "<p>Intro</p><ol" in first and "</ol><p>End</p>" in first and "<p>" not in second.split("</nav>")[1]
    assert '<ol class="sources" start="1">' in first and '<ol class="sources" start="3">' in second
    assert 'href="l-sources.html#source-note-s1"' in second
    assert all(f'href="{name}"' in body for _, body in pages for name in names)
    assert "&lt;" not in first + second  # the list's own markup is never escaped
    assert lesson_source_pages(html, "l-sources.html", budget=10_000) == [("l-sources.html", html)]
