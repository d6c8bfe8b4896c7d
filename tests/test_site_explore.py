"""Tests for cyberhistory.site.explore: the timeline explorer's data file, and the page in a real browser.

The data-file tests need neither kernel nor browser. The page tests open the real site (built once per
session by the ``site_build`` fixture, which runs the notebooks' kernels) from file:// in Debian's
Chromium, with every other request blocked and counted, and compare what the page draws and lists with
the counts computed here from the same data.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from conftest import open_offline, write_dataset

from cyberhistory import filters
from cyberhistory.data import load
from cyberhistory.site import explore, pages
from cyberhistory.site.assemble import STATIC
from cyberhistory.style import colour_for
from cyberhistory.timeline import plot_timeline

EVIL = "</script><script>window.__pwned = 1</script> \"quoted\" \u2028 'single' & <b>bold</b>"


def _parse(script: str):
    """The value a data script assigns to its global (it is JSON after the assignment)."""
    head = f"window.{explore.GLOBAL} = "
    body = script[script.index(head) + len(head) :].rstrip()
    assert body.endswith(";")
    return json.loads(body[:-1])


@pytest.fixture
def evil_data(tmp_path, minimal_rows):
    """The minimal dataset with markup, quotes and a line separator in an event's title and summary."""
    minimal_rows["events"][0]["title"] = EVIL
    minimal_rows["events"][0]["summary"] = EVIL
    return load(write_dataset(tmp_path / "data", minimal_rows))


class TestDataFile:
    def test_records_carry_every_field_the_explorer_uses(self, minimal_dir):
        """Each event has its id, label, date window, precision, categories, actors, summary and entry."""
        data = load(minimal_dir)
        _, page_of = pages.event_pages(data)
        records = {r["id"]: r for r in explore.records(data, page_of)}
        assert list(records) == list(data.events["event_id"])
        video = records["2011-example-video"]
        assert video["start"] == ["2011-10-06", "2011-10-06"] and video["end"] is None
        assert (video["precision"], video["kind"], video["campaign"]) == (
            "day",
            "hacktivist_operation",
            "operation-example",
        )
        assert video["tactics"] == ["threat"] and video["regions"] == ["latin_america"]
        assert video["actors"] == ["example-group"] and video["href"] == f"{page_of[video['id']]}#event-{video['id']}"
        cancelled = records["2011-example-cancelled"]
        assert cancelled["start"] == ["2011-11-01", "2011-11-30"] and cancelled["end"] == ["2011-12-01", "2011-12-31"]
        assert cancelled["precision"] == cancelled["end_precision"] == "month"
        assert cancelled["when"] == "Nov 2011 – Dec 2011" and cancelled["campaign"] == ""

    def test_markup_and_quotes_cannot_break_out_of_the_script(self, evil_data):
        """A title with </script>, quotes and & is escaped as \\u003c etc. and reads back unchanged."""
        script = explore.data_script(evil_data, pages.event_pages(evil_data)[1])
        assert not re.search(r"[<>&\u2028]", script)
        assert "\\u003c/script\\u003e" in script
        event = next(e for e in _parse(script)["events"] if e["id"] == "2011-example-video")
        assert event["title"] == event["summary"] == EVIL

    def test_names_are_display_names_and_actors_are_named(self, minimal_dir):
        """Categories carry their display names; actors the names in the actors table."""
        names = explore.payload(load(minimal_dir), {})["names"]
        assert names["kind"] == {"hacktivist_operation": "Hacktivist operation"}
        assert names["region"] == {"latin_america": "Latin America"}
        assert names["campaign"] == {"operation-example": "Operation Example"}
        assert names["actor"] == {"example-group": "Example Group"}

    def test_colours_and_lanes_match_the_figure_library(self, many_events):
        """Kinds have their lane's colour in plot_timeline; lanes, and each event's lanes, are the figures'."""
        chart = plot_timeline(many_events.events, lanes="kind", label=None)
        lanes = explore.lanes(many_events)
        assert [lane["name"] for lane in lanes["kind"]] == list(chart.details["lanes"])
        assert explore.colours(many_events) == {lane["value"]: colour_for(i) for i, lane in enumerate(lanes["kind"])}
        records = explore.records(many_events, {})
        for choice in ("kind", "tactic", "region"):
            figure = plot_timeline(many_events.events, lanes=choice, label=None, period=(1980, 2030))
            assert [lane["name"] for lane in lanes[choice]] == list(figure.details["lanes"])
            markers = [sum(i in r["lanes"][choice] for r in records) for i in range(len(lanes[choice]))]
            assert markers == list(figure.details["lanes"].values()), choice

    def test_label_column_wins_over_the_cut_title(self, minimal_dir):
        """A filled ``label`` is used as it is; without one the title is cut at a word with an ellipsis."""
        data = load(minimal_dir)
        events = data.events.assign(label=["Short one", None])
        records = explore.records(dataclasses.replace(data, events=events), {})
        assert records[0]["label"] == "Short one"
        assert records[1]["label"] == explore.short_label(records[1]["title"])

    def test_short_label_cuts_at_a_word(self):
        """Long titles end at a whole word with "…"; short ones are left alone."""
        assert explore.short_label("Anonymous threatens the Zetas cartel over a kidnapped member", 30) == (
            "Anonymous threatens the Zetas…"
        )
        assert explore.short_label("Short title") == "Short title"
        assert explore.short_label("Supercalifragilisticexpialidocious words", 10) == "Supercali…"
        assert all(len(explore.short_label(t)) <= explore.LABEL_WIDTH for t in load().events["title"])

    def test_scripts_stay_light(self):
        """explore.js is at most 26 KB (25 before its strings went through the catalog) and all the site's own scripts at most 60 KB."""
        sizes = {p.name: len(p.read_bytes()) for p in STATIC.iterdir() if p.name.endswith(".js")}
        assert sizes["explore.js"] <= 26 * 1024
        assert sum(sizes.values()) <= 60 * 1024, sizes


# ---- The page in a real browser ---------------------------------------------------------------------------


def _open(browser, path: Path, hash_: str = "", javascript: bool = True):
    """Open a page from file:// with every other request blocked and counted; collect console errors."""
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
    page, outside, errors = open_offline(context, path.as_uri() + hash_)
    if javascript:
        page.wait_for_function("window.__exploreReady !== undefined")
    return page, outside, errors


def _shown(page) -> tuple[str, int, int]:
    """(count text, markers drawn, table rows) once the page has drawn and listed the events."""
    page.wait_for_function("window.__exploreStats.tableAt >= window.__exploreStats.drawnAt")
    return (
        page.inner_text("#explore-count"),
        page.locator("svg.timeline path.ev").count(),
        page.locator("#explore-rows tr").count(),
    )


def _after_typing(page, selector: str, text: str) -> None:
    """Type into a field and wait for the explorer's update after the pause in typing."""
    before = page.evaluate("window.__exploreStats.drawnAt")
    page.fill(selector, text)
    page.wait_for_function(f"window.__exploreStats.drawnAt > {before}")


def _haystack(events) -> list[str]:
    labels = [explore.short_label(t) for t in events["title"]]
    return ["\n".join(parts).lower() for parts in zip(events["title"], labels, events["summary"], strict=True)]


@pytest.fixture(scope="module")
def explorer(site_build) -> Path:
    """The student edition's explorer page (the site built once per session)."""
    return site_build.out / "student" / "explore.html"


@pytest.mark.notebooks
@pytest.mark.browser
class TestExplorer:
    def test_loads_offline_and_draws_every_event(self, site_build, browser, real_data):
        """In both editions the page opens with no outside request and no error, drawing and listing all events."""
        n = len(real_data.events)
        for edition in ("student", "instructor"):
            page, outside, errors = _open(browser, site_build.out / edition / "explore.html")
            assert outside == [] and errors == []
            assert _shown(page) == (f"{n} of {n} events", n, n)
            assert 'href="explore.html"' in (site_build.out / edition / "index.html").read_text(encoding="utf-8")
            page.close()

    def test_each_filter_shows_exactly_the_matching_events(self, explorer, browser, real_data):
        """Kind, tactic, region, campaign, actor, years and search each draw and list exactly their events."""
        events, n = real_data.events, len(real_data.events)
        page, outside, errors = _open(browser, explorer)
        choices = {
            "kind": ("legal_response", filters.by_kind),
            "tactic": ("ddos", filters.by_tactic),
            "region": ("latin_america", filters.by_region),
            "campaign": ("operation-cartel", filters.by_campaign),
            "actor": ("anonymous", filters.by_actor),
        }
        for name, (value, select) in choices.items():
            expected = len(select(events, value))
            assert 0 < expected < n, name
            page.select_option(f"#f-{name}", value)
            assert _shown(page) == (f"{expected} of {n} events", expected, expected), name
            page.select_option(f"#f-{name}", "")
        _after_typing(page, "#f-from", "2011")
        _after_typing(page, "#f-to", "2012")
        expected = len(filters.between(events, 2011, 2012))
        assert _shown(page) == (f"{expected} of {n} events", expected, expected)
        page.click("button[type=reset]")
        page.wait_for_function(f"document.getElementById('explore-count').textContent === '{n} of {n} events'")
        _after_typing(page, "#f-q", "Cartel")
        expected = sum("cartel" in text for text in _haystack(events))
        assert 0 < expected < n
        assert _shown(page) == (f"{expected} of {n} events", expected, expected)
        assert outside == [] and errors == []

    def test_the_hash_restores_a_view(self, explorer, browser, real_data):
        """explore.html#campaign=… opens on that campaign's events; a new hash changes the view in place."""
        events, n = real_data.events, len(real_data.events)
        cartel = len(filters.by_campaign(events, "operation-cartel"))
        page, _, errors = _open(browser, explorer, "#campaign=operation-cartel")
        assert _shown(page) == (f"{cartel} of {n} events", cartel, cartel)
        assert page.input_value("#f-campaign") == "operation-cartel"
        in_2011 = len(filters.between(filters.by_kind(events, "legal_response"), 2011, 2011))
        page.evaluate("location.hash = '#kind=legal_response&from=2011&to=2011'")
        page.wait_for_function(f"document.getElementById('explore-count').textContent.startsWith('{in_2011} of')")
        assert _shown(page) == (f"{in_2011} of {n} events", in_2011, in_2011)
        assert "2011" in page.inner_text("#explore-period")
        page.select_option("#f-tactic", "ddos")
        assert "tactic=ddos" in page.evaluate("location.hash") and errors == []

    def test_keyboard_alone_zooms_and_shows_an_event(self, explorer, browser, real_data):
        """Tab to Zoom in and press it, Tab into the timeline, move to an event and open its details."""
        page, _, errors = _open(browser, explorer)
        label = page.get_attribute("svg.timeline", "aria-label")
        for _ in range(80):
            if page.evaluate("document.activeElement.id") == "zoom-in":
                break
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_function(f"document.querySelector('svg.timeline').getAttribute('aria-label') !== {label!r}")
        zoomed = page.get_attribute("svg.timeline", "aria-label")
        for _ in range(3):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('timeline')")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(f"document.querySelector('svg.timeline').getAttribute('aria-label') !== {zoomed!r}")
        page.keyboard.press("Tab")
        first = page.evaluate("document.activeElement.getAttribute('data-i')")
        assert first is not None
        page.keyboard.press("ArrowRight")
        second = page.evaluate("document.activeElement.getAttribute('data-i')")
        assert second is not None and int(second) == int(first) + 1
        page.keyboard.press("Enter")
        event = real_data.events.iloc[int(second)]
        assert page.inner_text("#details-title") == event["title"]
        assert event["when"] in page.inner_text("#details-body .when")
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href')")
        assert href.endswith(f"#event-{event['event_id']}")
        assert f"event={event['event_id']}" in page.evaluate("location.hash") and errors == []

    def test_mouse_and_touch_move_zoom_and_select(self, explorer, browser, real_data):
        """Dragging pans, the wheel and a two-finger pinch zoom, and a click on a marker selects its event."""
        page, _, errors = _open(browser, explorer, "#from=2011&to=2011")

        def period_after(action) -> str:
            before = page.get_attribute("svg.timeline", "aria-label")
            action()
            page.wait_for_function(f"document.querySelector('svg.timeline').getAttribute('aria-label') !== {before!r}")
            return page.inner_text("#explore-period")

        box = page.locator("svg.timeline").bounding_box()
        middle = (box["x"] + box["width"] / 2, box["y"] + 20)

        def drag():
            page.mouse.move(*middle)
            page.mouse.down()
            page.mouse.move(middle[0] + box["width"] * 0.9, middle[1], steps=5)
            page.mouse.up()

        assert period_after(drag).startswith("Showing 2010")
        page.mouse.move(*middle)
        assert period_after(lambda: page.mouse.wheel(0, 600)) != "Showing 2010"

        def pinch(spread: float):
            cdp = page.context.new_cdp_session(page)
            x, y = middle
            for step in range(6):
                d = 40 + spread * step
                points = [{"x": x - d, "y": y, "id": 1}, {"x": x + d, "y": y, "id": 2}]
                kind = "touchStart" if step == 0 else "touchMove"
                cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

        wide = page.get_attribute("svg.timeline", "aria-label")
        period_after(lambda: pinch(30))
        assert page.get_attribute("svg.timeline", "aria-label") != wide
        page.click("#zoom-reset")
        marker = page.locator("path.ev.day").first
        marker.click()
        event = real_data.events.iloc[int(marker.get_attribute("data-i"))]
        assert page.inner_text("#details-title") == event["title"] and errors == []

    def test_table_button_selects_and_reveals_an_event(self, explorer, browser, real_data):
        """A table row's Show button fills the details, marks the marker and moves focus to the details."""
        page, _, _ = _open(browser, explorer, "#from=2011&to=2011")
        page.click("#explore-rows tr:nth-child(3) button")
        event_id = page.get_attribute("#explore-rows tr:nth-child(3)", "data-i")
        title = real_data.events.iloc[int(event_id)]["title"]
        assert page.inner_text("#details-title") == title
        assert page.evaluate("document.activeElement.id") == "details-title"
        assert page.get_attribute("path.ev.sel", "data-i") == event_id

    def test_every_entry_link_resolves(self, site_build):
        """Each event's link in the data file points at an event page that holds its entry."""
        folder = site_build.out / "student"
        data = _parse((folder / "assets" / explore.DATA_FILE).read_text(encoding="utf-8"))
        ids: dict[str, str] = {}
        for event in data["events"]:
            page, _, anchor = event["href"].partition("#")
            ids.setdefault(page, (folder / page).read_text(encoding="utf-8"))
            assert f'id="{anchor}"' in ids[page], event["href"]

    def test_without_javascript_it_says_so_and_links_the_data_page(self, explorer, browser):
        """With scripts off, the page explains that the explorer needs JavaScript and links the data page."""
        page, outside, _ = _open(browser, explorer, javascript=False)
        assert "needs JavaScript" in page.inner_text("main")
        assert page.locator(".explore-noscript a[href='data.html']").count() == 1
        assert not page.locator("#explore").is_visible() and outside == []

    def test_axe_has_no_serious_violations(self, explorer, browser):
        """axe-core finds no serious or critical violation, with an event selected and in every lane choice."""
        from axe_playwright_python.sync_playwright import Axe

        axe = Axe()
        for hash_ in ("", "#lanes=tactic&event=2011-operation-cartel-video-threat", "#lanes=region&q=zzzz"):
            page, _, _ = _open(browser, explorer, hash_)
            violations = axe.run(page).response["violations"]
            bad = [(v["id"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")]
            assert bad == [], f"{hash_}: {bad}"
            page.close()


def _figure_views(folder: Path) -> list[tuple[str, str, set[str]]]:
    """(page, explorer view, events the figure marks) for every lesson figure linked to the explorer."""
    views = []
    figure = re.compile(r'<figure class="figure">(.*?)</figure>', re.S)
    for page in sorted(folder.glob("[0-9][0-9]-*.html")):
        for body in figure.findall(page.read_text(encoding="utf-8")):
            link = re.search(r'class="figure-explore"><a href="explore\.html#([^"]+)"', body)
            if link:
                marked = set(re.findall(r"#event-([a-z0-9-]+)", body))
                views.append((page.name, link.group(1).replace("&amp;", "&"), marked))
    return views


def _expected(events, view: str):
    """The events the explorer keeps for a view, computed here with the figure library's filters."""
    params = dict(part.split("=", 1) for part in view.split("&"))
    if "ids" in params:
        return events[events["event_id"].isin(params["ids"].split(","))]
    kept = filters.between(events, int(params["from"]), int(params["to"]))
    if "campaign" in params:
        kept = filters.by_campaign(kept, params["campaign"])
    if "kind" in params:
        kept = filters.by_kind(kept, params["kind"])
    return kept


@pytest.mark.notebooks
@pytest.mark.browser
class TestFigureLinks:
    def test_every_lesson_timeline_links_to_a_view_that_holds_its_events(self, site_build, real_data):
        """Each timeline on a lesson page links to an explorer view; the view keeps every event the figure marks."""
        views = _figure_views(site_build.out / "student")
        assert len({page for page, _, _ in views}) >= 4, views
        for page, view, marked in views:
            assert marked, (page, view)
            expected = set(_expected(real_data.events, view)["event_id"])
            assert marked <= expected, (page, view)

    def test_a_linked_view_opens_on_its_events(self, site_build, browser, real_data):
        """Following a figure's link opens the explorer on exactly the events its view selects."""
        n = len(real_data.events)
        views = sorted({view for _, view, _ in _figure_views(site_build.out / "student")})
        ids = [v for v in views if v.startswith("ids=")]
        assert ids and len(ids) < len(views)
        for view in ids[:2] + [v for v in views if not v.startswith("ids=")][:1]:
            expected = len(_expected(real_data.events, view))
            page, outside, errors = _open(browser, site_build.out / "student" / "explore.html", "#" + view)
            assert _shown(page) == (f"{expected} of {n} events", expected, expected), view
            assert page.locator("#explore-only").is_visible() == view.startswith("ids="), view
            assert outside == [] and errors == []
            page.close()

    def test_a_figure_view_widens_to_all_events_on_request(self, site_build, browser, real_data):
        """'Show all events' and 'Clear filters' both leave a figure's own events for the whole dataset."""
        n = len(real_data.events)
        view = next(v for _, v, _ in _figure_views(site_build.out / "student") if v.startswith("ids="))
        for button in ("#explore-all", "button[type=reset]"):
            page, _, errors = _open(browser, site_build.out / "student" / "explore.html", "#" + view)
            page.click(button)
            page.wait_for_function(f"document.getElementById('explore-count').textContent === '{n} of {n} events'")
            assert "ids=" not in page.evaluate("location.hash") and errors == []
            assert not page.locator("#explore-only").is_visible()
            page.close()
