"""Tests for cyberhistory.site.export: JSON, TimelineJS, CSL-JSON and BibTeX keep the data's meaning."""

import json

from cyberhistory.data import load
from cyberhistory.schema import load_schema
from cyberhistory.site import export


def test_json_round_trips_tables(minimal_dir):
    """Every table comes out with its stored columns; lists stay lists; missing values are null."""
    data = load(minimal_dir)
    fields = {t.name: t.field_names for t in load_schema().tables}
    payload = json.loads(export.to_json(data, fields))
    assert set(payload) == set(fields)
    event = next(e for e in payload["events"] if e["event_id"] == "2011-example-video")
    assert event["actors"] == ["example-group"] and event["end_date"] is None


def test_timelinejs_keeps_precision(minimal_dir):
    """A month-precise date becomes year and month only; the display date keeps the label."""
    slides = json.loads(export.to_timelinejs(load(minimal_dir)))["events"]
    month = next(s for s in slides if s["unique_id"] == "2011-example-cancelled")
    assert month["start_date"]["year"] == "2011" and month["start_date"]["month"] == "11"
    assert "day" not in month["start_date"]
    assert month["start_date"]["display_date"] == "Nov 2011 – Dec 2011"


def test_timelinejs_escapes_markup(tmp_path, minimal_rows):
    """Markup in a title is escaped in the TimelineJS headline."""
    from conftest import write_dataset

    minimal_rows["events"][0]["title"] = "<script>x</script>"
    slides = json.loads(export.to_timelinejs(load(write_dataset(tmp_path / "d", minimal_rows))))["events"]
    assert all("<script>" not in s["text"]["headline"] for s in slides)


def test_csl_and_bibtex(minimal_dir):
    """Each source is one CSL item and one BibTeX entry, with its date parts and URL."""
    data = load(minimal_dir)
    items = json.loads(export.to_csl_json(data))
    assert len(items) == len(data.sources)
    video = next(i for i in items if i["id"] == "example-news-2011-video")
    assert video["issued"] == {"date-parts": [[2011, 10, 7]]} and video["type"] == "article-newspaper"
    bib = export.to_bibtex(data)
    assert bib.count("@online{") == len(data.sources) and "url = {https://wire.example.com/cancel}" in bib
