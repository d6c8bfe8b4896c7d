"""Tests for cyberhistory.display: escaped HTML views of events and sources."""

from conftest import write_dataset

from cyberhistory.data import load
from cyberhistory.display import event_card, event_table, sources_list


def test_markup_in_data_is_escaped(tmp_path, minimal_rows):
    """A title with markup is shown as text, never as HTML."""
    minimal_rows["events"][0]["title"] = 'Group <script>alert(1)</script> "onerror=x'
    data = load(write_dataset(tmp_path / "d", minimal_rows))
    for view in (
        event_card(data, "2011-example-video"),
        event_table(data, data.events),
        sources_list(data, data.events),
    ):
        assert "<script>" not in view._repr_html_()
    assert "&lt;script&gt;" in event_card(data, "2011-example-video")._repr_html_()


def test_sources_list_groups_by_event(minimal_dir):
    """Each event lists its own sources, as links."""
    html = sources_list(load(minimal_dir), ["2011-example-cancelled"])._repr_html_()
    assert html.count('"><a href="https://') == 2
    assert "https://wire.example.com/cancel" in html


def test_shared_source_written_once(minimal_dir):
    """A source cited for two shown events is written in full once, then referred back to."""
    html = sources_list(load(minimal_dir), ["2011-example-video", "2011-example-cancelled"])._repr_html_()
    assert html.count('href="https://news.example.org/2011/10/video"') == 1
    assert 'href="#source-note-example-news-2011-video"' in html and "(listed above)" in html


def test_event_card_shows_claim_and_outcome(minimal_dir):
    """The card separates claim from verification and lists what followed."""
    text = str(event_card(load(minimal_dir), "2011-example-video"))
    assert "Claimed?: Claimed" in text and "Independently verified?: Uncorroborated" in text


def test_event_card_on_the_site_shows_a_few_sources_and_links_the_rest(real_data):
    """With the site's link pattern the card keeps its first sources and outcomes and links to the full entry."""
    from cyberhistory.display import CARD_OUTCOMES, CARD_SOURCES

    event_id = "2010-paypal-ddos"
    full = event_card(real_data, event_id)._repr_html_()
    site = event_card(real_data, event_id, link="events.html#event-{event_id}")._repr_html_()
    sources = full.count('<ul class="sources">') and full.split('<ul class="sources">')[1].count("<li>")
    assert sources > CARD_SOURCES and full.count("<li>") > site.count("<li>")
    assert site.split('<ul class="sources">')[1].count("<li>") == CARD_SOURCES
    assert site.split('<ul class="outcomes">')[1].split("</ul>")[0].count("<li>") == CARD_OUTCOMES + 1
    assert f'href="events.html#event-{event_id}">All {sources} sources' in site
    assert "events.html" not in full


def test_event_card_links_from_the_environment(real_data, monkeypatch):
    """The site build sets the link pattern for its kernels; a notebook without it shows everything."""
    from cyberhistory.links import LINK_ENV

    monkeypatch.setenv(LINK_ENV, "data.html#event-{event_id}")
    assert 'href="data.html#event-2010-paypal-ddos">All' in event_card(real_data, "2010-paypal-ddos")._repr_html_()
