"""Readable HTML views of events and their sources, for notebooks and the site.

Each function returns an object that Jupyter shows as HTML (every string from
the data escaped) and prints as plain text elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import pandas as pd

from cyberhistory.data import Dataset, actor_names, outcomes_for, sources_for
from cyberhistory.timeline import lane_label

#: Where notebook links to events point; the site build serves the data page beside the notebooks.
DATA_PAGE = "data.html#event-{event_id}"


class HTML:
    """HTML for Jupyter, with a plain-text form for terminals and tests."""

    def __init__(self, html: str, text: str):
        self.html = html
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


def _ids(events: pd.DataFrame | Iterable[str] | str) -> list[str]:
    if isinstance(events, str):
        return [events]
    if isinstance(events, pd.DataFrame):
        return list(events["event_id"])
    return list(events)


def event_table(
    data: Dataset,
    events: pd.DataFrame | Iterable[str],
    columns: tuple[str, ...] = ("when", "title", "actors", "tactics"),
) -> HTML:
    """A table of events: date (with its precision), title, actors, tactics or other columns."""
    wanted = _ids(events)
    frame = data.events[data.events["event_id"].isin(wanted)]
    headers = {
        "when": "Date",
        "title": "Event",
        "actors": "Actors",
        "tactics": "Tactics",
        "kind": "Kind",
        "claim_status": "Claim",
        "claim_verification": "Verified?",
        "attribution_confidence": "Attribution confidence",
        "state_nexus": "State nexus",
        "target_regions": "Target regions",
    }

    def cell(row, column) -> str:
        value = row[column]
        if column == "actors":
            return ", ".join(actor_names(data, value))
        if isinstance(value, list):
            return ", ".join(lane_label(v) for v in value)
        return "" if pd.isna(value) else (lane_label(str(value)) if column not in ("when", "title") else str(value))

    rows = [[cell(row, c) for c in columns] for _, row in frame.iterrows()]
    head = "".join(f"<th>{escape(headers.get(c, c))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td><a href="{DATA_PAGE.format(event_id=escape(eid))}">{escape(v)}</a></td>'
            if c == "title"
            else f"<td>{escape(v)}</td>"
            for c, v in zip(columns, r, strict=True)
        )
        + "</tr>"
        for r, eid in zip(rows, frame["event_id"], strict=True)
    )
    html = f'<table class="events"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    text = "\n".join(" | ".join(r) for r in rows)
    return HTML(html, text)


def event_card(data: Dataset, event_id: str) -> HTML:
    """One event in full: what happened, what was claimed and verified, what is not known, and its sources."""
    event = data.events.set_index("event_id").loc[event_id]
    facts = [
        ("When", f"{event['when']} (known to the {event['start_precision']})"),
        ("Actors", ", ".join(actor_names(data, event["actors"])) or "none recorded"),
        ("Claimed?", lane_label(str(event["claim_status"]))),
        ("Independently verified?", lane_label(str(event["claim_verification"]))),
        (
            "Attribution",
            f"{', '.join(event['attributed_by']) or 'none'} (confidence: {str(event['attribution_confidence']).replace('_', ' ')})",
        ),
    ]
    if pd.notna(event["uncertainty_note"]):
        facts.append(("Not known or disputed", event["uncertainty_note"]))
    if pd.notna(event["date_note"]):
        facts.append(("About the date", event["date_note"]))
    sources = sources_list(data, [event_id], heading=False)
    outcomes = outcomes_for(data, [event_id])
    outcome_html = "".join(
        f"<li>{escape(o['date_label'])}: {escape(lane_label(str(o['outcome_type'])))}. {escape(o['summary'])}</li>"
        for _, o in outcomes.iterrows()
    )
    dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    html = (
        f'<div class="event-card"><p class="event-title"><strong>{escape(event["title"])}</strong></p><p>{escape(event["summary"])}</p><dl>{dl}</dl>'
        + (f"<p><strong>What followed</strong></p><ul>{outcome_html}</ul>" if outcome_html else "")
        + f"<p><strong>Sources</strong></p>{sources.html}</div>"
    )
    text = f"{event['title']} ({event['when']})\n{event['summary']}\n" + "\n".join(f"{k}: {v}" for k, v in facts)
    return HTML(html, text + "\nSources:\n" + sources.text)


def sources_list(data: Dataset, events: pd.DataFrame | Iterable[str], heading: bool = True) -> HTML:
    """The sources of some events, grouped by event, as links: the "Sources" section of a notebook.

    A source that supports several of the events is written out in full once; later
    mentions point back to it, which keeps long source lists light on the static site.
    """
    cited = sources_for(data, _ids(events))
    titles = dict(zip(data.events["event_id"], data.events["title"], strict=True))
    whens = dict(zip(data.events["event_id"], data.events["when"], strict=True))
    html_parts, text_parts = [], []
    seen: set[str] = set()

    def item(s: pd.Series) -> str:
        date = f", {escape(s['published_label'])}" if pd.notna(s["published_label"]) else ""
        anchor = f"source-note-{escape(s['source_id'])}"
        if heading and s["source_id"] in seen:
            return f'<li><a href="#{anchor}">{escape(s["publisher"])}{date}</a> (listed above)</li>'
        seen.add(s["source_id"])
        ident = f' id="{anchor}"' if heading else ""
        return f'<li{ident}><a href="{escape(s["url"])}">{escape(s["title_shown"])}</a>. {escape(s["publisher"])}{date}.</li>'

    for event_id, group in cited.groupby("event_id", sort=False):
        items = "".join(item(s) for _, s in group.iterrows())
        label = f"{titles[event_id]} ({whens[event_id]})"
        html_parts.append(f"<li>{escape(label)}<ul>{items}</ul></li>" if heading else f"<ul>{items}</ul>")
        text_parts.append(
            label
            + "\n"
            + "\n".join(f"  - {s['publisher']}: {s['title_shown']} <{s['url']}>" for _, s in group.iterrows())
        )
    html = f'<ol class="sources">{"".join(html_parts)}</ol>' if heading else "".join(html_parts)
    return HTML(html, "\n".join(text_parts))
