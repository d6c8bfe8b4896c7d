"""Tests for cyberhistory.charts: each chart draws the data's counts and says so in its alt text."""

from __future__ import annotations

import pandas as pd
import pytest

from cyberhistory import charts


@pytest.fixture
def data(real_data):
    """The project's real, validated data (loaded once per session)."""
    return real_data


def test_events_per_year_counts_every_tactic(data):
    """Stacked counts add up to one per (event, tactic) pair, or one per event without a tactic."""
    chart = charts.events_per_year(data.events)
    expected = int(data.events["tactics"].map(lambda t: max(len(t), 1)).sum())
    assert int(chart.details["counts"].to_numpy().sum()) == expected


def test_events_per_year_alt_text_says_what_a_bar_counts(data):
    """Stacked by tactic, the alt text gives the events and says the bars count (event, tactic) pairs."""
    chart = charts.events_per_year(data.events)
    pairs = int(chart.details["counts"].to_numpy().sum())
    assert f"of {len(data.events)} events per year by tactic" in chart.alt_text
    assert "An event counts once per tactic" in chart.alt_text
    assert f"add up to {pairs} (event, tactic) pairs, not {len(data.events)} events" in chart.alt_text


def test_events_per_year_alt_text_counts_busiest_year_in_events(data):
    """The busiest year is given in events, with its pairs beside it."""
    chart = charts.events_per_year(data.events)
    per_year = data.events["year"].value_counts()
    year = int(per_year.idxmax())
    pairs = int(chart.details["counts"].loc[year].sum())
    assert f"The busiest year is {year} with {int(per_year.max())} events ({pairs} pairs)" in chart.alt_text


def test_events_per_year_by_kind(data):
    """By kind, every event counts once and the alt text speaks of events only."""
    chart = charts.events_per_year(data.events, stack_by="kind")
    assert int(chart.details["counts"].to_numpy().sum()) == len(data.events)
    assert "pairs" not in chart.alt_text


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
    """Lag windows are never negative, and there is one row per operation."""
    lags = charts.attribution_lags(data.events, data.outcomes)
    assert len(lags) > 0
    assert (lags["lag_min_years"] >= 0).all()
    assert (lags["lag_max_years"] >= lags["lag_min_years"]).all()
    assert lags["event_id"].is_unique


def test_lag_is_the_middle_of_its_window(data):
    """lag_years is the midpoint of lag_min_years and lag_max_years."""
    lags = charts.attribution_lags(data.events, data.outcomes)
    assert lags["lag_years"].to_numpy() == pytest.approx(
        ((lags["lag_min_years"] + lags["lag_max_years"]) / 2).to_numpy()
    )


def test_same_year_outcome_gets_a_window_not_zero(tmp_path, minimal_rows):
    """A charge known only to the event's year gets a lag window from 0 to the end of that year, not lag 0."""
    from conftest import write_dataset

    from cyberhistory.data import load

    minimal_rows["outcomes"][0].update(outcome_type="charge", date="2011", date_precision="year")
    data = load(write_dataset(tmp_path / "d", minimal_rows))
    row = charts.attribution_lags(data.events, data.outcomes).set_index("event_id").loc["2011-example-video"]
    longest = (pd.Timestamp("2011-12-31") - pd.Timestamp("2011-10-06")).days / 365.25
    assert row["lag_min_years"] == 0
    assert row["lag_max_years"] == pytest.approx(longest)
    assert row["lag_years"] == pytest.approx(longest / 2)


def test_attribution_lag_draws_each_window_as_a_bar(data):
    """Each operation has a bar from its shortest to its longest possible lag."""
    chart = charts.attribution_lag(data.events, data.outcomes)
    lags = chart.details["lags"]
    ax = chart.figure.axes[0]
    bars = sorted((round(p.get_y() + p.get_height() / 2), p.get_x(), p.get_x() + p.get_width()) for p in ax.patches)
    assert [b[0] for b in bars] == list(lags.index)
    assert [b[1] for b in bars] == pytest.approx(list(lags["lag_min_years"]))
    assert [b[2] for b in bars] == pytest.approx(list(lags["lag_max_years"]))


def test_attribution_lag_alt_text_explains_the_window(data):
    """The alt text counts the operations and says a bar spans what the dates allow."""
    chart = charts.attribution_lag(data.events, data.outcomes)
    assert f"Range plot of {len(chart.details['lags'])} operations" in chart.alt_text
    assert "from the shortest to the longest lag the dates allow" in chart.alt_text


def test_every_chart_is_deterministic(data):
    """Two renders of each chart give identical SVG bytes."""
    for make in (lambda: charts.events_per_year(data.events), lambda: charts.actor_spans(data.actors)):
        assert make().svg() == make().svg()


def test_the_tallest_stacked_bar_stays_below_the_top_of_the_axis(real_data):
    """No bar of a stacked chart touches the top of the plot, where it would look cut off."""
    from cyberhistory.charts import events_per_year, outcomes_over_time

    for chart in (outcomes_over_time(real_data.outcomes), events_per_year(real_data.events, stack_by="kind")):
        ax = chart.figure.axes[0]
        tallest = max(p.get_y() + p.get_height() for p in ax.patches)
        assert tallest < ax.get_ylim()[1]


def test_attribution_lag_names_rows_by_their_short_labels_uncut(real_data):
    """The waiting-time chart names each operation by its figure label, never a title cut with '…'."""
    chart = charts.attribution_lag(real_data.events, real_data.outcomes)
    names = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    labels = dict(zip(real_data.events["event_id"], real_data.events["label"], strict=True))
    lags = charts.attribution_lags(real_data.events, real_data.outcomes)
    assert names == [labels[e] for e in lags["event_id"]]
    assert not [n for n in names if "…" in n]
