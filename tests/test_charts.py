"""Tests for cyberhistory.charts: each chart draws the data's counts and says so in its alt text."""

from __future__ import annotations

import pytest

from cyberhistory import charts


@pytest.fixture(scope="module")
def data(request):
    """The project's real, validated data."""
    from cyberhistory.data import load

    return load()


def test_events_per_year_counts_every_tactic(data):
    """Stacked counts add up to one per (event, tactic) pair, or one per event without a tactic."""
    chart = charts.events_per_year(data.events)
    expected = int(data.events["tactics"].map(lambda t: max(len(t), 1)).sum())
    assert int(chart.details["counts"].to_numpy().sum()) == expected
    assert f"of {len(data.events)} events per year by tactic" in chart.alt_text


def test_events_per_year_by_kind(data):
    """By kind, every event counts once."""
    chart = charts.events_per_year(data.events, stack_by="kind")
    assert int(chart.details["counts"].to_numpy().sum()) == len(data.events)


def test_share_rows_sum_to_100(data):
    """Each era's hacktivist and state-linked shares add to 100% (or 0 for an empty era)."""
    chart = charts.hacktivist_vs_state_share(data.events)
    for total in chart.details["shares"].sum(axis=1):
        assert total == pytest.approx(100) or total == 0
    assert "state-linked of" in chart.alt_text


def test_outcomes_over_time_counts(data):
    """The outcome chart counts each outcome of the chosen types once."""
    chart = charts.outcomes_over_time(data.outcomes)
    chosen = data.outcomes["outcome_type"].isin(charts.OUTCOME_TYPES).sum()
    assert int(chart.details["counts"].to_numpy().sum()) == chosen
    assert f"{chosen} legal and political outcomes" in chart.alt_text


@pytest.mark.parametrize(
    ("func", "column"), [(charts.targets_by_sector, "target_sectors"), (charts.targets_by_region, "target_regions")]
)
def test_target_counts(data, func, column):
    """The largest bar is the most frequent target category."""
    chart = func(data.events)
    counts = chart.details["counts"]
    flat = data.events[column].explode().value_counts()
    assert counts.iloc[0] == flat.iloc[0]


def test_actor_spans_include_relations(data):
    """Every actor with a start year is drawn; the relations are counted in the alt text."""
    chart = charts.actor_spans(data.actors, data.actor_relations)
    assert chart.details["actors"] == int(data.actors["active_from"].notna().sum())
    assert f"{chart.details['relations']} reported relations" in chart.alt_text


def test_attribution_lags_never_negative(data):
    """Lags run from the earliest possible start to the outcome and are never negative."""
    lags = charts.attribution_lags(data.events, data.outcomes)
    assert len(lags) > 0
    assert (lags["lag_years"] >= 0).all()
    assert lags["event_id"].is_unique
    chart = charts.attribution_lag(data.events, data.outcomes)
    assert f"Dot plot of {len(lags)} operations" in chart.alt_text


def test_every_chart_is_deterministic(data):
    """Two renders of each chart give identical SVG bytes."""
    for make in (lambda: charts.events_per_year(data.events), lambda: charts.actor_spans(data.actors)):
        assert make().svg() == make().svg()
