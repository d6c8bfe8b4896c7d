"""Tests for cyberhistory.filters."""

from cyberhistory.filters import between, by_actor, by_campaign, by_kind, by_region, by_tactic


def test_between_uses_date_windows(many_events):
    """An event overlaps a period when any day of its window falls inside it."""
    events = many_events.events
    chosen = between(events, 2010, 2010)
    last = events["end_latest"].fillna(events["start_latest"])
    assert ((chosen["start_earliest"].dt.year <= 2010) & (last.loc[chosen.index].dt.year >= 2010)).all()
    assert len(chosen) == int(((events["start_earliest"].dt.year <= 2010) & (last.dt.year >= 2010)).sum())


def test_list_and_scalar_filters(many_events):
    """List columns match any member; scalar columns match the value."""
    events = many_events.events
    assert by_tactic(events, "ddos")["tactics"].map(lambda t: "ddos" in t).all()
    assert (by_kind(events, "legal_response")["kind"] == "legal_response").all()
    assert len(by_actor(events, "example-group")) == len(events)
    assert len(by_region(events, ["latin_america", "africa"])) == len(events)


def test_by_campaign_on_real_data(real_data):
    """The real Operation Cartel campaign has at least five events, all of that campaign."""
    cartel = by_campaign(real_data.events, "operation-cartel")
    assert len(cartel) >= 5
    assert (cartel["campaign"] == "operation-cartel").all()
