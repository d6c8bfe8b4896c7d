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
