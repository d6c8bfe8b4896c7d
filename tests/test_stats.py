"""Tests for cyberhistory.stats, and the dataset rules of the dataset issue measured by it."""

import pytest

from cyberhistory.data import load
from cyberhistory.stats import summarise, to_markdown


def test_counts_match_tables(minimal_dir):
    """The summary counts the rows of each table."""
    summary = summarise(load(minimal_dir))
    assert summary.counts["events"] == 2 and summary.counts["outcomes"] == 1
    assert summary.sourcing["events with a source"] == 1.0
    assert "| events | 2 |" in to_markdown(summary)


class TestDatasetRules:
    """The dataset's own quality bar (events, sourcing, coverage); each fails if a rule is broken."""

    @pytest.fixture(autouse=True)
    def _data(self, real_data):
        self.data = real_data
        self.summary = summarise(real_data)

    def test_size(self):
        """At least 150 events, 40 outcomes and 40 actors, spanning 1989 to 2025."""
        counts = self.summary.counts
        assert counts["events"] >= 150 and counts["outcomes"] >= 40 and counts["actors"] >= 40
        assert counts["first year"] == 1989 and counts["last year"] >= 2025

    def test_sourcing(self):
        """Every event is sourced, 70% by two publishers, all by at least one qualifying source type."""
        sourcing = self.summary.sourcing
        assert sourcing["events with a source"] == 1.0
        assert sourcing["events with sources from two or more publishers"] >= 0.7
        assert sourcing["events with a court, government, news or research source"] == 1.0

    def test_wider_world(self):
        """At least 30 events target places outside North America and Western Europe."""
        assert self.summary.counts["events targeting outside North America and Western Europe"] >= 30

    def test_outcomes_are_linked_and_counted(self):
        """Every outcome links to an event or actor, and names its jurisdiction."""
        outcomes = self.data.outcomes
        assert (outcomes["event_ids"].map(len) + outcomes["actor_ids"].map(len) > 0).all()
        assert outcomes["jurisdiction"].notna().all()

    def test_seed_case_is_covered(self):
        """The Operation Cartel seed events are in the data: the threat, the cancellation and the Stratfor breach."""
        ids = set(self.data.events["event_id"])
        titles = " ".join(self.data.events["title"]).lower()
        assert any(i.startswith("2011-operation-cartel") or "opcartel" in i for i in ids)
        assert "stratfor" in titles and "nuevo laredo" in titles
        assert "visa" in titles and "hbgary" in titles


def test_coverage_targets_hold_and_cannot_quietly_drop(real_data):
    """The unit's coverage targets, measured on the real data; the one not yet met is held at today's floor."""
    from cyberhistory.stats import coverage

    targets = {t.name.split(" (")[0]: t for t in coverage(real_data)}
    met = ["events", "events targeting the least-covered world region", "sources not in English"]
    met += ["primary documents among the sources"]
    met += [name for name in targets if name.startswith("events in the thinnest year")]
    assert all(targets[name].met for name in met), [str(targets[n]) for n in met]
    # Not met: of the 446 untitled sources checked page by page (2026-12), 368 have a stored copy that shows
    # no headline (title_checked; left out of the share), 57 were not found and 19 headlines were recovered.
    assert targets["sources with the title their page shows"].value >= 0.93


def test_coverage_target_reports_a_shortfall(minimal_dir):
    from cyberhistory.data import load
    from cyberhistory.stats import coverage

    events = next(t for t in coverage(load(minimal_dir)) if t.name == "events")
    assert not events.met and str(events) == "events: 2 (target at least 300: NOT MET)"
