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
