"""Synthetic datasets for the benchmarks: the real rows, copied with shifted dates and new ids."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from cyberhistory.csvfile import write_tables
from cyberhistory.schema import DEFAULT_DATA_DIR, load_schema


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _shift(date: str, years: int) -> str:
    if not date:
        return date
    year = 1989 + (int(date[:4]) - 1989 + years) % 37
    return f"{year:04d}{date[4:]}" if not date[4:].startswith("-02-29") else f"{year:04d}-02-28"


def write_synthetic(folder: Path, n_events: int, seed: int = 0) -> Path:
    """Write a valid data folder with ``n_events`` events, built from the real data's rows.

    Each copy of an event gets a new id and its dates shifted by a whole number
    of years; each copy's sources are copied with it, so every rule still holds.
    """
    rng = random.Random(seed)
    schema = load_schema()
    real = {t.name: _read(DEFAULT_DATA_DIR / t.path) for t in schema.tables}
    events, sources = [], []
    sources_by_event: dict[str, list[dict[str, str]]] = {}
    for source in real["sources"]:
        for event_id in source["event_ids"].split(";"):
            sources_by_event.setdefault(event_id, []).append(source)
    base = real["events"]
    for i in range(n_events):
        template = base[i % len(base)]
        years = 0 if i < len(base) else rng.randrange(1, 37)
        event_id = template["event_id"] if i < len(base) else f"{_shift(template['start_date'], years)[:4]}-copy{i}"
        event = dict(
            template,
            event_id=event_id,
            start_date=_shift(template["start_date"], years),
            end_date=_shift(template["end_date"], years),
        )
        if event["end_date"] and event["end_date"][:4] < event["start_date"][:4]:
            event.update(end_date="", end_precision="")
        events.append(event)
        for j, source in enumerate(sources_by_event.get(template["event_id"], [])[:2]):
            url = source["url"] + ("&" if "?" in source["url"] else "?") + f"copy={i}-{j}"  # one page, one source
            sources.append(dict(source, source_id=f"{source['source_id']}-c{i}-{j}", event_ids=event_id, url=url))
    # Real sources and outcomes keep citing only the real events that are still there.
    kept = {e["event_id"] for e in events}
    for row in real["sources"] + real["outcomes"]:
        row["event_ids"] = ";".join(e for e in row["event_ids"].split(";") if e in kept)
    outcomes = [o for o in real["outcomes"] if o["event_ids"] or o["actor_ids"]]
    # Copies are not translated; the Spanish rows of events, notes and outcomes left out are left out here too.
    spanish = {name: [row for row in real[name] if row["event_id"] in kept] for name in ("events_es", "event_notes_es")}
    ids = {o["outcome_id"] for o in outcomes}
    spanish["outcomes_es"] = [row for row in real["outcomes_es"] if row["outcome_id"] in ids]
    rows = dict(real, events=events, sources=sources + real["sources"], outcomes=outcomes, **spanish)
    return write_tables(folder, rows)
