"""Readable HTML views of events and their sources, for notebooks and the site.

Each function returns an object that Jupyter shows as HTML (rendered from a
template that escapes every string from the data) and prints as plain text
elsewhere. :func:`event_context` is the one description of an event that both
the notebooks' event cards and the site's event pages render.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from cyberhistory.data import UNTITLED, Dataset, actor_names, outcomes_for, sources_for
from cyberhistory.i18n import N_, current
from cyberhistory.i18n import gettext as _
from cyberhistory.labels import display_name
from cyberhistory.links import DATA_PAGE, event_link
from cyberhistory.templating import render

#: Sources and outcomes an event card on the site shows before linking to the event's page for the rest.
CARD_SOURCES = 2
CARD_OUTCOMES = 3

#: Column headings of :func:`event_table`.
HEADERS = {
    "when": N_("Date"),
    "title": N_("Event"),
    "actors": N_("Actors"),
    "tactics": N_("Tactics"),
    "kind": N_("Kind"),
    "claim_status": N_("Claim"),
    "claim_verification": N_("Verified?"),
    "attribution_confidence": N_("Attribution confidence"),
    "state_nexus": N_("State nexus"),
    "target_regions": N_("Target regions"),
}
#: How precisely an event's date is known, as its entry says it.
PRECISION = {"day": N_("known to the day"), "month": N_("known to the month"), "year": N_("known to the year")}
#: Languages a page can mark its text in (``other`` in the data is no language code).
_LANGUAGE_CODES = frozenset({"en", "es", "fr", "pt", "de", "ar", "ru", "uk", "it", "tr", "fa", "sv", "nl"})


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


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, list) and pd.isna(value)) else str(value)


def text_language(code) -> str:
    """The ``lang`` a piece of text needs on the current page: its language where it differs, else ""."""
    code = _text(code)
    return code if code in _LANGUAGE_CODES and code != current() else ""


def in_reading_order(sources: pd.DataFrame) -> pd.DataFrame:
    """Sources as an edition lists them: those in the reader's language first, the rest in their order."""
    if current() == "en" or sources.empty:
        return sources
    return sources.sort_values("language", key=lambda lang: lang.astype(str) != current(), kind="stable")


def _rows(rows: pd.DataFrame | Iterable[dict]) -> list[dict]:
    """Rows as plain dicts: a Series per row is what made the site's event pages slow."""
    return rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)


def source_context(source: pd.Series) -> dict:
    """One source as the templates show it: link, title, publisher, date, type, and what it supports or disputes."""
    titled = bool(_text(source["title"]))
    return {
        "id": source["source_id"],
        "url": source["url"],
        "title": _text(source["title"]) or _(UNTITLED),
        "lang": text_language(source["language"]) if titled else "",
        "publisher": source["publisher"],
        "published": _text(source["published_label"]),
        "type": display_name(str(source["source_type"])).lower(),
        "supports": _text(source["supports"]),
        "disputes": _text(source["disputes"]),
        "notes_lang": text_language(source.get("notes_language", "en")),  # English until translated
    }


def event_context(
    data: Dataset, event, sources: pd.DataFrame | Iterable[dict], outcomes: pd.DataFrame | Iterable[dict]
) -> dict:
    """One event as every view shows it: facts with claim kept apart from verification, outcomes, sources.

    ``event`` is a row (a Series or a dict); ``sources`` and ``outcomes`` are frames or rows as dicts."""
    sources, outcomes = _rows(sources), _rows(outcomes)
    if current() != "en":  # the reader's language first, the rest in their order (sorted() is stable)
        sources = sorted(sources, key=lambda s: str(s["language"]) != current())

    def names(values: list[str]) -> str:
        return ", ".join(display_name(v) for v in values) or "—"

    confidence = display_name(str(event["attribution_confidence"])).lower()
    facts = [
        (_("Kind"), display_name(str(event["kind"])), ""),
        (_("Actors"), ", ".join(actor_names(data, event["actors"])) or _("none recorded"), ""),
        (_("Claimed?"), display_name(str(event["claim_status"])), ""),
        (_("Independently verified?"), display_name(str(event["claim_verification"])), ""),
        (
            _("Attributed by"),
            _("%(who)s (confidence: %(confidence)s)")
            % {"who": names(event["attributed_by"]), "confidence": confidence},
            "",
        ),
        (_("State nexus"), display_name(str(event["state_nexus"])), ""),
        (_("Tactics"), names(event["tactics"]), ""),
        (_("Targets"), "; ".join(event["target_orgs"]) or "—", ""),
        (_("Countries"), ", ".join(event["target_countries"]) or "—", ""),
    ]
    notes = text_language(event.get("notes_language", "en"))
    if pd.notna(event["uncertainty_note"]):
        facts.append((_("Not known or disputed"), event["uncertainty_note"], notes))
    if pd.notna(event["date_note"]):
        facts.append((_("About the date"), event["date_note"], notes))
    return {
        "id": event["event_id"],
        "title": event["title"],
        "summary": event["summary"],
        "lang": text_language(event.get("text_language", "en")),
        "when": event["when"],
        "precision": _(PRECISION[str(event["start_precision"])]),
        "facts": facts,
        "outcomes": [
            {
                "when": o["date_label"],
                "kind": display_name(str(o["outcome_type"])),
                "summary": o["summary"],
                "lang": text_language(o.get("text_language", "en")),
            }
            for o in outcomes
        ],
        "sources": [source_context(s) for s in sources],
    }


def event_contexts(data: Dataset) -> dict[str, dict]:
    """:func:`event_context` for every event, by id (one pass over the joins, for the site's event pages).

    Works on plain rows, grouped once: a Series or a small frame per event made this the site's slowest step."""
    by_event: dict[str, list[dict]] = {}
    for row in _rows(sources_for(data, data.events)):
        by_event.setdefault(row["event_id"], []).append(row)
    outcomes = data.outcomes.explode("event_ids").dropna(subset=["event_ids"])
    outcomes_by_event: dict[str, list[dict]] = {}
    for row in _rows(outcomes.sort_values(["date_earliest", "outcome_id"])):
        outcomes_by_event.setdefault(row["event_ids"], []).append(row)
    return {
        e["event_id"]: event_context(data, e, by_event.get(e["event_id"], []), outcomes_by_event.get(e["event_id"], []))
        for e in _rows(data.events)
    }


def event_card(data: Dataset, event_id: str, link: str | None = None) -> HTML:
    """One event in full: what happened, what was claimed and verified, what is not known, and its sources.

    With ``link`` (a URL pattern with ``{event_id}``; by default ``$CYBERHISTORY_EVENT_URL``, which
    the site build sets) the card shows its first few sources and outcomes and links to the event's
    own page for the rest, so a lesson page with many cards stays light. In a notebook every source is shown.
    """
    event = data.events.loc[data.events["event_id"] == event_id].iloc[0]
    context = event_context(data, event, sources_for(data, [event_id]), outcomes_for(data, [event_id]))
    link = event_link(link)
    shown, more = context, None
    if link and (len(context["sources"]) > CARD_SOURCES or len(context["outcomes"]) > CARD_OUTCOMES):
        more = {"href": link.format(event_id=event_id), "count": len(context["sources"])}
        more["outcomes"] = max(0, len(context["outcomes"]) - CARD_OUTCOMES)
        shown = {
            **context,
            "sources": context["sources"][:CARD_SOURCES],
            "outcomes": context["outcomes"][:CARD_OUTCOMES],
        }
    html = render("event.html", event=shown, level=None, anchor=False, more=more)
    lines = [f"{context['title']} ({context['when']})", context["summary"]]
    lines += [f"{label}: {value}" for label, value, _lang in context["facts"]]
    lines += [f"{_('What followed')}: {o['when']}: {o['kind']}. {o['summary']}" for o in context["outcomes"]]
    lines += [_("Sources:")] + [f"  - {s['publisher']}: {s['title']} <{s['url']}>" for s in context["sources"]]
    return HTML(html, "\n".join(lines))


def event_table(
    data: Dataset,
    events: pd.DataFrame | Iterable[str],
    columns: tuple[str, ...] = ("when", "title", "actors", "tactics"),
) -> HTML:
    """A table of events: date (with its precision), title, actors, tactics or other columns."""
    frame = data.events[data.events["event_id"].isin(_ids(events))]

    def cell(row, column) -> str:
        value = row[column]
        if column == "actors":
            return ", ".join(actor_names(data, value))
        if isinstance(value, list):
            return ", ".join(display_name(v) for v in value)
        if pd.isna(value):
            return ""
        return str(value) if column in ("when", "title") else display_name(str(value))

    rows = [
        {"cells": [cell(row, c) for c in columns], "href": DATA_PAGE.format(event_id=row["event_id"])}
        for _row, row in frame.iterrows()
    ]
    link = columns.index("title") if "title" in columns else -1
    html = render(
        "event_table.html", headers=[_(HEADERS[c]) if c in HEADERS else c for c in columns], rows=rows, link_column=link
    )
    return HTML(html, "\n".join(" | ".join(r["cells"]) for r in rows))


def sources_list(data: Dataset, events: pd.DataFrame | Iterable[str]) -> HTML:
    """The sources of some events, grouped by event, as links: the "Sources" section of a notebook.

    A source that supports several of the events is written out in full once; later
    mentions point back to it, which keeps long source lists light on the static site.
    """
    cited = in_reading_order(sources_for(data, _ids(events)))
    labels = dict(zip(data.events["event_id"], data.events["title"] + " (" + data.events["when"] + ")", strict=True))
    seen: set[str] = set()
    groups, text = [], []
    for event_id, group in cited.groupby("event_id", sort=False):
        items = []
        for _row, s in group.iterrows():
            items.append({**source_context(s), "repeat": s["source_id"] in seen})
            seen.add(s["source_id"])
        groups.append({"label": labels[event_id], "sources": items})
        text.append(labels[event_id])
        text += [f"  - {s['publisher']}: {s['title']} <{s['url']}>" for s in items]
    return HTML(render("sources_list.html", groups=groups), "\n".join(text))
