"""Export the dataset for other tools: JSON, TimelineJS, CSL-JSON (Zotero) and BibTeX."""

from __future__ import annotations

import json
import re

import pandas as pd

from cyberhistory.data import Dataset, actor_names
from cyberhistory.eras import ERAS
from cyberhistory.site.html import render


def _plain(value):
    if isinstance(value, list):
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value if isinstance(value, int | float | bool) else str(value)


def table_records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows as plain dicts (lists stay lists, missing values become ``None``)."""
    return [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in frame[columns].itertuples(index=False)]


def to_json(data: Dataset, field_names: dict[str, list[str]]) -> str:
    """Every table as one JSON document, keyed by table name, with the stored columns only."""
    payload = {name: table_records(getattr(data, name), columns) for name, columns in field_names.items()}
    return json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=False)


def _timelinejs_date(iso: str) -> dict:
    parts = iso.split("-")
    out = {"year": parts[0]}
    if len(parts) > 1:
        out["month"] = parts[1].lstrip("0")
    if len(parts) > 2:
        out["day"] = parts[2].lstrip("0")
    return out


def to_timelinejs(data: Dataset, source_url: str = "data.html#event-{event_id}") -> str:
    """A TimelineJS 3 JSON file: one slide per event, grouped by kind, with the project's eras.

    Partial dates keep their precision (TimelineJS accepts a year alone, or a year
    and month). The slide text links to the event's sources on the data page.
    """
    events = []
    for _, event in data.events.iterrows():
        slide = {
            "start_date": {**_timelinejs_date(event["start_date"]), "display_date": event["when"]},
            "text": {
                "headline": str(render("timelinejs_headline.html", title=event["title"])),
                "text": str(
                    render(
                        "timelinejs_slide.html",
                        summary=event["summary"],
                        actors=", ".join(actor_names(data, event["actors"])) or "none recorded",
                        href=source_url.format(event_id=event["event_id"]),
                    )
                ),
            },
            "group": str(event["kind"]).replace("_", " "),
            "unique_id": event["event_id"],
        }
        if pd.notna(event["end_date"]):
            slide["end_date"] = _timelinejs_date(event["end_date"])
        events.append(slide)
    eras = [
        {"start_date": {"year": str(first)}, "end_date": {"year": str(last)}, "text": {"headline": name}}
        for first, last, name in ERAS
    ]
    title = {
        "text": {"headline": "Hacktivism, 1989 to today", "text": "<p>From the cyberhistory dataset (CC BY 4.0).</p>"}
    }
    return json.dumps({"title": title, "events": events, "eras": eras}, ensure_ascii=False, indent=1)


_CSL_TYPES = {
    "court": "legal_case",
    "government": "report",
    "intl_org": "report",
    "research": "report",
    "academic": "article-journal",
    "encyclopedia": "entry-encyclopedia",
}


def _date_parts(iso: str | None) -> dict | None:
    if iso is None or pd.isna(iso) or not iso:
        return None
    return {"date-parts": [[int(p) for p in iso.split("-")]]}


def to_csl_json(data: Dataset) -> str:
    """The sources as CSL-JSON, which Zotero and most reference managers import."""
    items = []
    for _, source in data.sources.iterrows():
        item = {
            "id": source["source_id"],
            "type": _CSL_TYPES.get(str(source["source_type"]), "article-newspaper"),
            "title": source["title_shown"],
            "container-title": source["publisher"],
            "publisher": source["publisher"],
            "URL": source["url"],
            "language": str(source["language"]),
        }
        issued = _date_parts(source["published"])
        if issued:
            item["issued"] = issued
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=1)


def _bibtex_escape(text: str) -> str:
    text = re.sub(r"([&%$#_{}])", r"\\\1", text)
    return text.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def to_bibtex(data: Dataset) -> str:
    """The sources as BibTeX ``@online`` entries (biblatex style, with ``urldate`` omitted)."""
    entries = []
    for _, source in data.sources.iterrows():
        fields = {
            "title": "{" + _bibtex_escape(source["title_shown"]) + "}",
            "organization": _bibtex_escape(source["publisher"]),
            "url": source["url"],
        }
        if pd.notna(source["published"]):
            fields["date"] = source["published"]
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
        entries.append(f"@online{{{source['source_id']},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"
