"""Tests for cyberhistory.selfcheck: questions and answers come from the data at run time."""

from __future__ import annotations

import re

import pytest

from cyberhistory.selfcheck import order_events, sort_events

CARTEL = ["2011-operation-cartel-video-threat", "2011-opcartel-cancellation", "2011-opcartel-abductee-release-claim"]


def _answers(html: str) -> dict[str, str]:
    """The right answer of each item, by the item's text."""
    return {label: answer for answer, label in _items(html)}


def _items(html: str) -> list[tuple[str, str]]:
    """(answer, label) of each item, in the order shown."""
    return re.findall(r'<li data-answer="([^"]*)" data-reason="[^"]*">\s*<label for="[^"]+">([^<]+)</label>', html)


def test_order_answers_follow_the_dates_in_the_data(real_data):
    html = order_events(real_data, CARTEL, "cartel-order")._repr_html_()
    events = real_data.events.set_index("event_id").loc[CARTEL].sort_values("start_earliest")
    by_title = _answers(html)
    assert [by_title[t] for t in events["title"]] == ["1", "2", "3"]
    assert [a for a, _ in _items(html)] != ["1", "2", "3"], "shown in the right order, the check would be empty"


def test_order_follows_a_corrected_date(minimal_rows, tmp_path):
    """Change an event's date in the data and the expected order changes with it: nothing is hard-coded."""
    from conftest import write_dataset

    from cyberhistory.data import load

    ids = [e["event_id"] for e in minimal_rows["events"]]
    before = _answers(order_events(load(write_dataset(tmp_path / "a", minimal_rows)), ids, "x")._repr_html_())
    first = min(minimal_rows["events"], key=lambda e: e["start_date"])
    first["start_date"] = "2019-01-01"
    after = _answers(order_events(load(write_dataset(tmp_path / "b", minimal_rows)), ids, "x")._repr_html_())
    assert before[first["title"]] == "1" and after[first["title"]] == str(len(ids))


def test_sort_offers_every_codebook_value_and_gives_its_definition(real_data):
    html = sort_events(real_data, CARTEL, "claim_verification", "cartel-verified")._repr_html_()
    assert html.count('<option value="corroborated">Corroborated</option>') == len(CARTEL)
    expected = dict(zip(real_data.events["title"], real_data.events["claim_verification"].astype(str), strict=True))
    assert all(expected[label] == answer for answer, label in _items(html))
    assert "Independent sources confirm the claim." in html or "No independent confirmation." in html


def test_markup_in_titles_is_escaped(minimal_rows, tmp_path):
    from conftest import write_dataset

    from cyberhistory.data import load

    minimal_rows["events"][0]["title"] = 'Group <script>alert(1)</script> "x'
    data = load(write_dataset(tmp_path / "d", minimal_rows))
    html = order_events(data, [e["event_id"] for e in minimal_rows["events"]], "x")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_bad_questions_are_refused_clearly(real_data):
    with pytest.raises(ValueError, match=r"no such event: nope$"):
        order_events(real_data, ["nope", CARTEL[0]], "x")
    with pytest.raises(ValueError, match="at least two"):
        order_events(real_data, CARTEL[:1], "x")
    with pytest.raises(ValueError, match="one category per event"):
        sort_events(real_data, CARTEL, "tactics", "x")


@pytest.mark.notebooks
@pytest.mark.browser
def test_self_checks_work_with_the_keyboard_alone_and_announce_the_result(tmp_path, minimal_dir, browser):
    """On the site: choose answers with the keyboard, check, and read the verdict with its reason."""
    from test_site_build import _open, _tiny_notebook

    from cyberhistory.site.build import build

    source = (
        "from cyberhistory.data import load\nfrom cyberhistory.selfcheck import order_events, sort_events\n"
        "data = load()\nids = ['2011-example-video', '2011-example-cancelled']\n"
        "display(order_events(data, ids, 'order'))\nsort_events(data, ids, 'claim_verification', 'sort')\n"
    )
    out = build(tmp_path / "_build", notebook_dir=_tiny_notebook(tmp_path / "nb", source), data_directory=minimal_dir)
    page, outside, errors = _open(browser, out / "student" / "00-tiny.html")
    form = page.locator("#check-order")
    items = form.locator(".self-check-items > li")
    answers = [items.nth(i).get_attribute("data-answer") for i in range(items.count())]
    # Right answers, chosen with the keyboard only: focus each select and type the option's first letter.
    for i, answer in enumerate(answers):
        form.locator("select").nth(i).focus()
        page.keyboard.type(answer)
    form.get_by_role("button", name="Check my answers").focus()
    page.keyboard.press("Enter")
    result = form.get_by_role("status")
    assert result.text_content() == "2 of 2 right. Well done."
    assert "Right. " in items.nth(0).inner_text()
    # One wrong answer: marked "not yet" without giving the answer away, and the score says so.
    form.locator("select").nth(0).focus()
    page.keyboard.type(answers[1])
    for _ in range(6):  # Tab on, through the page's own tab order, to the button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Check my answers":
            break
    page.keyboard.press("Enter")
    assert result.text_content().startswith("1 of 2 right.")
    assert (
        "Not yet" in items.nth(0).inner_text()
        and answers[0] not in items.nth(0).locator(".self-check-feedback").inner_text()
    )
    assert outside == [] and errors == []
    # The sort check: no answer yet is reported as such.
    sort = page.locator("#check-sort")
    sort.get_by_role("button", name="Check my answers").click()
    assert sort.get_by_role("status").text_content() == "0 of 2 right. 2 not answered yet."
    page.close()


def test_reports_are_ordered_by_their_publication_dates(real_data):
    """An event's dated reports, one per date, ranked by when they were published."""
    from cyberhistory.data import sources_for
    from cyberhistory.selfcheck import order_sources

    event = "2011-operation-cartel-video-threat"
    html = order_sources(real_data, event, "reports")._repr_html_()
    dated = sources_for(real_data, event).dropna(subset=["published_earliest"])
    first_of_each_day = dated.sort_values(["published_earliest", "source_id"]).drop_duplicates("published_earliest")
    answers = [int(a) for a, _ in _items(html)]
    assert sorted(answers) == list(range(1, len(first_of_each_day) + 1)) and len(answers) >= 3
    assert answers != sorted(answers), "shown in the right order, the check would be empty"
    assert html.count('href="data.html#source-') == len(answers)


def test_reports_follow_a_corrected_publication_date(minimal_rows, tmp_path):
    from conftest import write_dataset

    from cyberhistory.data import load
    from cyberhistory.selfcheck import order_sources

    event = minimal_rows["sources"][0]["event_ids"].split(";")[0]
    minimal_rows["sources"][1]["event_ids"] += ";" + event  # two reports of one event
    cited = minimal_rows["sources"][:2]
    for n, source in enumerate(cited):
        source.update(published=f"2011-11-0{n + 1}", published_precision="day")
    before = _items(order_sources(load(write_dataset(tmp_path / "a", minimal_rows)), event, "x")._repr_html_())
    cited[0].update(published="2012-01-01")
    after = _items(order_sources(load(write_dataset(tmp_path / "b", minimal_rows)), event, "x")._repr_html_())
    assert {label: a for a, label in before} == {
        "Example News: Group threatens cartel": "1",
        "Example Wire: Operation called off": "2",
    }
    assert {label: a for a, label in after} == {
        "Example News: Group threatens cartel": "2",
        "Example Wire: Operation called off": "1",
    }


def test_an_event_with_one_dated_report_cannot_be_ordered(minimal_rows, tmp_path):
    from conftest import write_dataset

    from cyberhistory.data import load
    from cyberhistory.selfcheck import order_sources

    for source in minimal_rows["sources"]:
        source.update(published="", published_precision="")
    event = minimal_rows["sources"][0]["event_ids"].split(";")[0]
    with pytest.raises(ValueError, match="fewer than two reports"):
        order_sources(load(write_dataset(tmp_path / "d", minimal_rows)), event, "x")


@pytest.mark.browser
@pytest.mark.notebooks
def test_the_first_reports_check_on_the_real_lesson(site_build, browser):
    """Lesson 7's no-code route for 'when did the world notice?': order the reports, check, read each date."""
    from test_site_build import _open

    path = site_build.out / "student" / "07-operation-cartel-claims-and-risks.html"
    page, outside, errors = _open(browser, path)
    form = page.locator("#check-07-first-reports")
    items = form.locator(".self-check-items > li")
    n = items.count()
    assert n >= 3
    for i in range(n):
        form.locator("select").nth(i).select_option(items.nth(i).get_attribute("data-answer"))
    form.get_by_role("button", name="Check my answers").click()
    assert form.get_by_role("status").text_content() == f"{n} of {n} right. Well done."
    assert "published" in items.nth(0).inner_text()
    for href in form.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        page_name, anchor = href.split("#")
        assert page_name.startswith("sources-") and f'id="{anchor}"' in (path.parent / page_name).read_text()
    assert outside == [] and errors == []
    page.close()
