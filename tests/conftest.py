"""Shared fixtures: a small valid dataset written to a temporary folder, ready to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cyberhistory.csvfile import write_tables

ROOT = Path(__file__).resolve().parents[1]

# A fictional but valid dataset: every table, every kind of link.
MINIMAL = {
    "events": [
        {
            "event_id": "2011-example-video",
            "title": "Example group posts a video threat",
            "label": "Example video threat",
            "summary": "A fictional example group posted a video threatening to publish data.",
            "start_date": "2011-10-06",
            "start_precision": "day",
            "date_basis": "occurred",
            "kind": "hacktivist_operation",
            "campaign": "operation-example",
            "actors": "example-group",
            "claim_status": "claimed",
            "claim_verification": "uncorroborated",
            "attributed_by": "self",
            "attribution_confidence": "low",
            "state_nexus": "none_reported",
            "tactics": "threat",
            "target_orgs": "Example Cartel",
            "target_sectors": "criminal_group",
            "target_countries": "MX",
            "target_regions": "latin_america",
            "cause_tags": "anti_corruption",
            "impact_claimed": "2",
            "content_notes": "threats",
            "significance": "3",
        },
        {
            "event_id": "2011-example-cancelled",
            "title": "Example operation cancelled",
            "label": "Example operation cancelled",
            "summary": "The example group called the operation off. Jane Example, its spokesperson, explained why.",
            "start_date": "2011-11",
            "start_precision": "month",
            "end_date": "2011-12",
            "end_precision": "month",
            "date_basis": "reported",
            "kind": "hacktivist_operation",
            "actors": "example-group",
            "claim_status": "claimed",
            "claim_verification": "partial",
            "attributed_by": "self;press",
            "attribution_confidence": "medium",
            "state_nexus": "none_reported",
            "significance": "2",
        },
    ],
    "sources": [
        {
            "source_id": "example-news-2011-video",
            "url": "https://news.example.org/2011/10/video",
            "title": "Group threatens cartel",
            "publisher": "Example News",
            "published": "2011-10-07",
            "published_precision": "day",
            "source_type": "news",
            "language": "en",
            "event_ids": "2011-example-video;2011-example-cancelled",
            "supports": "date; threat",
        },
        {
            "source_id": "example-wire-2011-cancel",
            "url": "https://wire.example.com/cancel",
            "title": "Operation called off",
            "publisher": "Example Wire",
            "published": "2011",
            "published_precision": "year",
            "source_type": "news",
            "language": "en",
            "event_ids": "2011-example-cancelled",
            "supports": "cancellation",
        },
    ],
    "actors": [
        {
            "actor_id": "example-group",
            "name": "Example Group",
            "aliases": "Storm-0000",
            "actor_kind": "movement",
            "state_nexus": "none_reported",
            "active_from": "2008",
            "summary": "A fictional movement.",
            "source_ids": "example-news-2011-video",
        },
        {
            "actor_id": "example-branch",
            "name": "Example Branch",
            "actor_kind": "group",
            "state_nexus": "none_reported",
            "active_from": "2011",
            "active_to": "2012",
            "summary": "A fictional branch.",
            "source_ids": "example-news-2011-video",
        },
    ],
    "actor_relations": [
        {
            "actor_id": "example-branch",
            "relation": "affiliate_of",
            "related_actor_id": "example-group",
            "asserted_by": "press",
            "since": "2011",
            "source_ids": "example-news-2011-video",
        },
    ],
    "outcomes": [
        {
            "outcome_id": "2012-example-arrest",
            "outcome_type": "arrest",
            "date": "2012-03",
            "date_precision": "month",
            "event_ids": "2011-example-video",
            "actor_ids": "example-group",
            "jurisdiction": "US",
            "acting_body": "Example Court",
            "n_people": "1",
            "summary": "One person was arrested.",
            "source_ids": "example-wire-2011-cancel",
        },
    ],
    "named_people": [
        {
            "name": "Jane Example",
            "basis": "self_identified",
            "role": "Spokesperson of the example group",
            "source_ids": "example-news-2011-video",
        },
    ],
    "not_people": [{"term": "Example Cartel", "term_kind": "organisation"}],
}


def write_dataset(folder: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    """Write ``tables`` as the CSV files of a data folder, with every schema column."""
    return write_tables(folder, tables)


@pytest.fixture
def minimal_rows() -> dict[str, list[dict[str, str]]]:
    """A fresh, mutable copy of the minimal dataset's rows."""
    return {name: [dict(row) for row in rows] for name, rows in MINIMAL.items()}


@pytest.fixture
def minimal_dir(tmp_path: Path, minimal_rows) -> Path:
    """A valid minimal data folder."""
    return write_dataset(tmp_path / "data", minimal_rows)


KINDS = ["hacktivist_operation", "state_linked_operation", "legal_response", "political_response", "context_event"]
TACTICS = ["ddos", "defacement", "hack_and_leak", "doxxing", "influence"]


def many_rows(n: int, seed: int = 1) -> dict[str, list[dict[str, str]]]:
    """A fictional valid dataset of ``n`` events with every precision, kind and some durations."""
    import random

    rng = random.Random(seed)
    rows = {name: [dict(row) for row in table] for name, table in MINIMAL.items()}
    events = []
    for i in range(n):
        year, month, day = rng.randrange(1989, 2026), rng.randrange(1, 13), rng.randrange(1, 29)
        precision = ["day", "day", "month", "year"][i % 4]
        start = {"day": f"{year}-{month:02d}-{day:02d}", "month": f"{year}-{month:02d}", "year": f"{year}"}[precision]
        kind = KINDS[i % len(KINDS)]
        event = {
            **MINIMAL["events"][0],
            "event_id": f"{year}-synthetic-{i}",
            "title": f"Synthetic event number {i}",
            "summary": "A fictional event for tests.",
            "start_date": start,
            "start_precision": precision,
            "kind": kind,
            # The kind rule wants an assessed state link behind every state-linked operation.
            "state_nexus": "government_assessed" if kind == "state_linked_operation" else "none_reported",
            "tactics": ";".join(rng.sample(TACTICS, rng.randrange(0, 3))),
            "significance": str(1 + i % 3),
            "campaign": "",
        }
        if i % 9 == 0 and year < 2025:
            event.update(end_date=f"{year + 1}", end_precision="year")
        events.append(event)
    rows["events"] = events
    rows["sources"][0]["event_ids"] = ";".join(e["event_id"] for e in events)
    rows["sources"][1]["event_ids"] = ""
    rows["outcomes"][0]["event_ids"] = events[0]["event_id"]
    return rows


@pytest.fixture(scope="session")
def many_events(tmp_path_factory):
    """A loaded fictional dataset of 200 events."""
    from cyberhistory.data import load

    return load(write_dataset(tmp_path_factory.mktemp("many") / "data", many_rows(200)))


@pytest.fixture(scope="session")
def real_data():
    """The project's real dataset, validated and loaded once per test session."""
    from cyberhistory.data import load

    return load()


@pytest.fixture(scope="session")
def real_tables():
    """The real dataset's raw validated tables, read once per test session."""
    from cyberhistory.validate import validate

    return validate().tables


class SiteBuild:
    """The real site built once per test session, and the executed notebooks it was built from."""

    def __init__(self, out: Path, notebook_dir: Path | None = None):
        from cyberhistory.schema import data_dir
        from cyberhistory.site import build, key
        from cyberhistory.site.execute import cache_entry, read_entry

        self.out = out
        env = {"CYBERHISTORY_EVENT_URL": build.EVENT_URL, "CYBERHISTORY_DATA": str(data_dir().resolve())}
        inputs = key.execution_inputs(data_dir(), env)
        cache = out.parent / ".cache" / "notebooks"
        folder = notebook_dir or build.NOTEBOOK_DIR
        paths = sorted(folder.glob("[0-9][0-9]-*.ipynb"))
        paths += [p for code in build.TRANSLATED for p in sorted((folder / code).glob("[0-9][0-9]-*.ipynb"))]
        self.notebooks = {
            str(p.relative_to(folder).with_suffix("")): read_entry(cache_entry(cache, p, key.notebook_key(p, inputs)))
            for p in paths
        }


@pytest.fixture(scope="session")
def site_build(tmp_path_factory) -> SiteBuild:
    """The real site, both editions, built once from the real notebooks and data (executing each notebook once)."""
    from cyberhistory.site.build import build

    out = tmp_path_factory.mktemp("site") / "_build"
    build(out, report=lambda *_: None)
    return SiteBuild(out)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the system (a missing browser fails, never skips)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium (apt-get install chromium)"
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield instance
        instance.close()


def open_offline(owner, url: str):
    """Open ``url`` in a new page of ``owner`` (a browser or a context), every request but file:// blocked
    and counted, console errors collected; return (page, outside requests, errors)."""
    page = owner.new_page()
    outside, errors = [], []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file:")
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    return page, outside, errors
