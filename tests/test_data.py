"""Tests for cyberhistory.data: typed loading, date windows, joins, and refusing invalid data."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import write_dataset

from cyberhistory.data import actors_for, events_with_actor_names, figure_sources, load, outcomes_for, sources_for
from cyberhistory.problems import DataError


class TestLoad:
    def test_types(self, minimal_dir):
        """Lists are lists, categories are categorical with every allowed value, numbers are Int64."""
        data = load(minimal_dir)
        events = data.events
        assert events.loc[0, "actors"] == ["example-group"]
        assert isinstance(events["kind"].dtype, pd.CategoricalDtype)
        assert "context_event" in events["kind"].cat.categories
        assert str(events["significance"].dtype) == "Int64"

    def test_partial_dates_become_windows(self, minimal_dir):
        """A month-precise date gets a window over its month and a label without a day."""
        events = load(minimal_dir).events.set_index("event_id")
        row = events.loc["2011-example-cancelled"]
        assert (row["start_earliest"], row["start_latest"]) == (pd.Timestamp("2011-11-01"), pd.Timestamp("2011-11-30"))
        assert row["start_label"] == "Nov 2011"
        assert row["when"] == "Nov 2011 – Dec 2011"

    def test_sorted_by_date(self, real_data):
        """Events come sorted by the start of their window."""
        events = real_data.events
        assert events["start_earliest"].is_monotonic_increasing

    def test_refuses_invalid_data(self, tmp_path, minimal_rows):
        """Loading invalid data raises DataError listing every problem."""
        minimal_rows["events"][0]["start_date"] = "2011-13"
        minimal_rows["sources"][0]["url"] = "not a url"
        with pytest.raises(DataError) as caught:
            load(write_dataset(tmp_path / "d", minimal_rows))
        assert {p.column for p in caught.value.problems} == {"start_date", "start_precision", "url"}
        assert "start_date: '2011-13' is not a valid date" in str(caught.value)


class TestPrepare:
    """A dataset built ahead by ``prepare`` (in the warm kernel server) is what ``load`` would build, used once."""

    @pytest.fixture
    def folder(self, tmp_path, monkeypatch):
        import shutil

        import cyberhistory.data as data_module
        import cyberhistory.validate as validate_module
        from cyberhistory.schema import data_dir

        monkeypatch.setattr(validate_module, "_REMEMBERED", {})
        monkeypatch.setattr(data_module, "_PREPARED", {})
        folder = shutil.copytree(data_dir(), tmp_path / "data")
        validate_module.remember(folder)
        data_module.prepare(folder)
        return folder

    @staticmethod
    def _same(a, b) -> None:
        for table in ("events", "sources", "outcomes", "actors", "actors_es", "sources_es"):
            pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table))

    def test_the_prepared_dataset_is_what_load_builds_in_either_language(self, folder):
        import cyberhistory.data as data_module

        assert data_module._PREPARED
        for language in ("es", "en"):
            data_module.prepare(folder)
            prepared = load(folder, language=language)
            assert not data_module._PREPARED, "used once"
            self._same(prepared, load(folder, language=language))

    def test_two_loads_never_share_a_list(self, folder):
        first = load(folder, language="en")
        first.events.loc[0, "actors"].append("changed-by-a-student")
        second = load(folder)
        assert "changed-by-a-student" not in second.events.loc[0, "actors"]

    def test_a_changed_file_is_loaded_afresh(self, folder):
        import cyberhistory.data as data_module

        events = folder / "events.csv"
        events.write_text(events.read_text(encoding="utf-8").replace("WANK worm", "WANK Worm", 1), encoding="utf-8")
        data = load(folder, language="en")
        assert data.events["title"].str.contains("WANK Worm").any()
        assert not data_module._PREPARED


class TestJoins:
    def test_sources_for(self, minimal_dir):
        """Each (event, source) pair is a row, in event order."""
        data = load(minimal_dir)
        cited = sources_for(data, ["2011-example-cancelled"])
        assert sorted(cited["source_id"]) == ["example-news-2011-video", "example-wire-2011-cancel"]
        assert set(cited["event_id"]) == {"2011-example-cancelled"}

    def test_outcomes_and_actors_for(self, minimal_dir):
        """Outcomes and actors follow their events."""
        data = load(minimal_dir)
        assert list(outcomes_for(data, "2011-example-video")["outcome_id"]) == ["2012-example-arrest"]
        assert list(actors_for(data, data.events)["actor_id"]) == ["example-group"]

    def test_actor_names(self, minimal_dir):
        """Actor ids are shown by their names."""
        assert set(events_with_actor_names(load(minimal_dir))["actor_names"]) == {"Example Group"}

    def test_figure_sources_lists_each_source_once(self, minimal_dir):
        """figure_sources gives one row per source, with the events it supports in date order."""
        data = load(minimal_dir)
        listed = figure_sources(data, data.events).set_index("source_id")
        assert sorted(listed.index) == ["example-news-2011-video", "example-wire-2011-cancel"]
        assert listed.loc["example-news-2011-video", "events"] == "2011-example-video, 2011-example-cancelled"

    def test_figure_sources_cover_operation_cartel(self, real_data):
        """Every event of the real Operation Cartel campaign has sources listed."""
        from cyberhistory.filters import by_campaign

        data = real_data
        cartel = by_campaign(data.events, "operation-cartel")
        listed = figure_sources(data, cartel)
        assert {e for events in listed["events"] for e in events.split(", ")} == set(cartel["event_id"])
