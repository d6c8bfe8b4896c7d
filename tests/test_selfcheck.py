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
