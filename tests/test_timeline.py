"""Tests for cyberhistory.timeline: lanes, precision encoding, label placement, alt text, speed-independent checks."""

from __future__ import annotations

import re

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from conftest import write_dataset
from matplotlib.collections import PathCollection, PolyCollection

from cyberhistory.eras import ERAS
from cyberhistory.labels import display_name
from cyberhistory.timeline import ROWS_PER_LANE, _Item, _pack_rows, choose_labels, plot_timeline

YEAR_ONLY = "Example group named in a year-end review"


@pytest.fixture
def with_year_only(tmp_path, minimal_rows):
    """The minimal dataset (Oct to Dec 2011) plus one event dated only to 2011."""
    from cyberhistory.data import load

    event = {**minimal_rows["events"][0], "event_id": "2011-example-review", "title": YEAR_ONLY}
    event.update(start_date="2011", start_precision="year", significance="1")
    minimal_rows["events"].append(event)
    minimal_rows["sources"][0]["event_ids"] += ";2011-example-review"
    return load(write_dataset(tmp_path / "d", minimal_rows))


def _xlim_dates(chart):
    return [mdates.num2date(x).replace(tzinfo=None) for x in chart.details["axes"].get_xlim()]


def _days(dataset, n=3):
    """The first ``n`` day-precise events without an end: always drawn, on any span."""
    events = dataset.events
    return events[(events["start_precision"] == "day") & events["end_date"].isna()].head(n)


def _boxes(chart):
    renderer = chart.figure.canvas.get_renderer()
    return [a.get_window_extent(renderer) for a in chart.details["label_artists"]]


class TestLanes:
    def test_markers_per_lane_match_the_data(self, many_events):
        """Each lane holds exactly the events of its kind."""
        chart = plot_timeline(many_events.events, lanes="kind", label=None)
        expected = many_events.events["kind"].value_counts()
        assert chart.details["lanes"] == {display_name(k): int(v) for k, v in expected.items() if v}

    def test_list_lanes_count_each_membership(self, many_events):
        """An event with two tactics appears in both tactic lanes; one with none in 'None recorded'."""
        events = many_events.events
        chart = plot_timeline(events, lanes="tactic", label=None)
        lanes = chart.details["lanes"]
        assert lanes["DDoS"] == int(events["tactics"].map(lambda t: "ddos" in t).sum())
        assert lanes["None recorded"] == int(events["tactics"].map(len).eq(0).sum())

    def test_rejects_unknown_lanes(self, many_events):
        """An unknown lane name is a clear ValueError."""
        with pytest.raises(ValueError, match="lanes must be one of"):
            plot_timeline(many_events.events, lanes="colour")


class TestPrecision:
    def test_each_precision_is_drawn_its_own_way(self, many_events):
        """Day dates are points; month and year dates and durations are spans, counted separately."""
        events = many_events.events
        chart = plot_timeline(events, lanes="kind", label=None)
        no_end = events["end_date"].isna()
        expected = {
            "day": int((no_end & (events["start_precision"] == "day")).sum()),
            "month": int((no_end & (events["start_precision"] == "month")).sum()),
            "year": int((no_end & (events["start_precision"] == "year")).sum()),
            "span": int((~no_end).sum()),
        }
        assert chart.details["markers"] == expected
        ax = chart.details["axes"]
        points = [c for c in ax.collections if isinstance(c, PathCollection)]
        spans = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert sum(len(c.get_offsets()) for c in points) == expected["day"]
        assert sum(len(c.get_paths()) for c in spans) == expected["month"] + expected["year"] + expected["span"]

    def test_month_span_covers_its_month(self, minimal_dir):
        """A month-precise event is drawn from the first to the last day of its month, not on the 1st."""
        from cyberhistory.data import load

        data = load(minimal_dir)
        chart = plot_timeline(data.events, label=None)
        spans = [c for c in chart.details["axes"].collections if isinstance(c, PolyCollection)]
        widths = sorted(float(np.ptp(p.vertices[:, 0])) for c in spans for p in c.get_paths())
        assert widths  # the Nov-Dec 2011 event lasted, so it is a bar of about two months
        assert 55 <= widths[-1] <= 62

    def test_a_short_event_stays_visible_on_a_long_axis(self, minimal_dir):
        """A band narrower than MIN_BAND of the axis (weeks across two centuries) is widened to it."""
        from cyberhistory.data import load
        from cyberhistory.timeline import MIN_BAND

        data = load(minimal_dir)
        chart = plot_timeline(data.events, label=None, period=(1900, 2100))
        x0, x1 = chart.details["axes"].get_xlim()
        spans = [c for c in chart.details["axes"].collections if isinstance(c, PolyCollection)]
        widths = [float(np.ptp(p.vertices[:, 0])) for c in spans for p in c.get_paths()]
        assert widths and min(widths) >= MIN_BAND * (x1 - x0) * 0.99


class TestZoom:
    def test_year_only_event_does_not_stretch_the_axis(self, with_year_only):
        """An event dated only to the year leaves the axis on the weeks of the other events."""
        first, last = _xlim_dates(plot_timeline(with_year_only.events, label=None))
        assert first >= pd.Timestamp("2011-09-01") and last <= pd.Timestamp("2012-01-31")

    def test_year_only_event_is_listed_under_the_axis(self, with_year_only):
        """The event not drawn is named, with its year, in a note under the axis."""
        chart = plot_timeline(with_year_only.events, label=None)
        ax = chart.details["axes"]
        notes = [t for t in ax.texts if t.get_text().startswith("Dated only to the year")]
        assert len(notes) == 1
        assert " ".join(notes[0].get_text().split()) == f"Dated only to the year, not drawn: {YEAR_ONLY} (2011)."
        renderer = chart.figure.canvas.get_renderer()
        assert notes[0].get_window_extent(renderer).y1 <= ax.xaxis.label.get_window_extent(renderer).y0

    def test_year_only_event_is_not_drawn(self, with_year_only):
        """No marker is drawn for it; details name it."""
        chart = plot_timeline(with_year_only.events, label=None)
        assert chart.details["not_drawn"] == ["2011-example-review"]
        assert "year" not in chart.details["markers"]

    def test_alt_text_counts_the_event_not_drawn(self, with_year_only):
        """The alt text counts every event and names the one listed under the axis."""
        alt = plot_timeline(with_year_only.events, label=None).alt_text
        assert alt.startswith("Timeline of 3 events, 2011")
        assert (
            f"1 event is listed under the axis instead of drawn. Dated only to the year, not drawn: {YEAR_ONLY}" in alt
        )

    def test_year_bands_stay_on_a_long_timeline(self, many_events):
        """On a timeline of decades, a year-wide window is narrow enough to draw."""
        chart = plot_timeline(many_events.events, label=None)
        assert chart.details["not_drawn"] == []

    def test_operation_cartel_spans_autumn_2011(self, real_data):
        """The real Operation Cartel timeline spans roughly September to November 2011."""
        from cyberhistory.filters import by_campaign

        cartel = by_campaign(real_data.events, "operation-cartel")
        first, last = _xlim_dates(plot_timeline(cartel, label=None))
        assert pd.Timestamp("2011-09-01") <= first <= pd.Timestamp("2011-10-01")
        assert pd.Timestamp("2011-11-01") <= last <= pd.Timestamp("2011-12-01")


class TestPacking:
    def test_overflow_goes_on_the_row_that_frees_first(self):
        """Once a lane's rows are full, the next overlapping item goes on the row that ends first, not row 0."""
        ends = [10.0, 9.0, 3.0, 8.0, 7.0][:ROWS_PER_LANE]
        items = [_Item(f"e{i}", 0, 0.0, end, "span") for i, end in enumerate(ends)]
        extra = _Item("extra", 0, 1.0, 2.0, "span")
        _pack_rows([*items, extra], min_width=0)
        assert extra.row == int(np.argmin(ends)) == 2


class TestTitle:
    def test_title_clears_era_names_on_a_short_timeline(self, many_events):
        """With eras shown on a timeline of under eight years, the title does not touch the era names."""
        chart = plot_timeline(many_events.events, period=(2010, 2013), eras=True, label=None)
        ax = chart.details["axes"]
        renderer = chart.figure.canvas.get_renderer()
        names = {name for _, _, name in ERAS}
        eras = [t.get_window_extent(renderer) for t in ax.texts if t.get_text() in names]
        assert eras
        title = ax.title.get_window_extent(renderer)
        assert all(title.y0 >= box.y1 for box in eras)

    def test_title_sits_close_without_eras(self, many_events):
        """Without eras, the title keeps the usual small gap above the plot."""
        chart = plot_timeline(many_events.events, eras=False, label=None)
        ax = chart.details["axes"]
        renderer = chart.figure.canvas.get_renderer()
        gap_points = (
            (ax.title.get_window_extent(renderer).y0 - ax.get_window_extent(renderer).y1) * 72 / chart.figure.dpi
        )
        assert gap_points < 15


class TestLabels:
    def test_labels_do_not_overlap_each_other(self, many_events):
        """No two placed labels share any area."""
        chart = plot_timeline(many_events.events, max_labels=15)
        boxes = _boxes(chart)
        assert len(boxes) >= 5
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b)

    def test_labels_keep_off_markers(self, many_events):
        """No label covers the centre of any point marker."""
        chart = plot_timeline(many_events.events, max_labels=15)
        ax = chart.details["axes"]
        points = np.vstack([c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)])
        centres = ax.transData.transform(points)
        for box in _boxes(chart):
            inside = (
                (centres[:, 0] > box.x0)
                & (centres[:, 0] < box.x1)
                & (centres[:, 1] > box.y0)
                & (centres[:, 1] < box.y1)
            )
            assert not inside.any()

    def test_caller_chooses_labels(self, many_events):
        """Labels asked for by id are placed (or reported as dropped), nothing else."""
        wanted = list(many_events.events["event_id"][:3])
        chart = plot_timeline(many_events.events, label=wanted)
        assert set(chart.details["labels"]) | set(chart.details["dropped_labels"]) == set(wanted)

    def test_long_titles_wrap_to_three_lines_without_cuts(self, many_events):
        """Without a label column, a long title is wrapped onto at most three lines, every word whole, nothing cut."""
        long_title = (
            "Guacamaya 'Repressive Forces' leak exposes Chile's Joint Chiefs of Staff emails and other Latin "
            "American militaries"
        )
        events = _days(many_events).assign(title=long_title).drop(columns="label")
        chart = plot_timeline(events, label=[events["event_id"].iloc[0]])
        text = chart.details["label_artists"][0].get_text()
        assert len(text.splitlines()) <= 3
        assert "…" not in text and text.split() == long_title.split()

    def test_label_column_is_used_instead_of_the_title(self, many_events):
        """An events frame with a short ``label`` column is labelled with it."""
        events = _days(many_events).assign(label="Short figure label")
        chart = plot_timeline(events, label=[events["event_id"].iloc[0]])
        assert chart.details["label_artists"][0].get_text() == "Short figure label"

    def test_auto_labels_prefer_significance(self, many_events):
        """Automatic labels start with the most significant events."""
        events = many_events.events
        chosen = choose_labels(events, 5)
        assert set(events.set_index("event_id").loc[chosen, "significance"]) == {events["significance"].max()}

    @pytest.mark.parametrize("lanes", ["region", "kind"])
    def test_ruling_out_labels_by_their_text_places_them_as_trying_every_one_does(self, real_data, monkeypatch, lanes):
        """Skipping a candidate whose text alone breaks a rule changes nothing: the same labels, in the same
        places, byte for byte, as measuring every candidate in full; and far fewer labels are tried."""
        from cyberhistory import timeline

        tried = []
        annotate = timeline._annotate
        monkeypatch.setattr(timeline, "_annotate", lambda *a, **k: tried.append(1) or annotate(*a, **k))
        fast = plot_timeline(real_data.events, lanes=lanes, max_labels=25)
        fast_tries = len(tried)
        monkeypatch.setattr(timeline, "_cannot_fit", lambda box, fits: False)
        tried.clear()
        full = plot_timeline(real_data.events, lanes=lanes, max_labels=25)
        assert len(fast.details["labels"]) >= 10
        assert fast.details["labels"] == full.details["labels"]
        assert fast.details["dropped_labels"] == full.details["dropped_labels"]
        assert fast.svg() == full.svg()
        assert fast_tries * 3 < len(tried)


class TestOutput:
    def test_alt_text_states_counts_and_period(self, many_events):
        """The alt text gives the number of events, the period and each lane's count."""
        events = many_events.events
        chart = plot_timeline(events, lanes="kind", label=None)
        first, last = int(events["year"].min()), int(events["year"].max())
        assert f"Timeline of {len(events)} events, {first} to {last}" in chart.alt_text
        for kind, n in events["kind"].value_counts().items():
            assert f"{display_name(kind)} ({n})" in chart.alt_text

    def test_identical_bytes_across_renders(self, many_events):
        """The same data and arguments give byte-identical SVG and PNG."""
        a = plot_timeline(many_events.events, lanes="tactic")
        b = plot_timeline(many_events.events, lanes="tactic")
        assert a.svg() == b.svg()
        assert a.png() == b.png()

    def test_empty_frame_draws_an_empty_timeline(self, many_events):
        """An events frame with no rows gives a chart that says so, not an error."""
        chart = plot_timeline(many_events.events.iloc[0:0])
        assert chart.details["events"] == 0 and "no events" in chart.alt_text

    def test_markers_link_to_data_page(self, many_events):
        """With a link pattern, every marker in the SVG links to its event's entry."""
        events = many_events.events.head(20)
        svg = plot_timeline(events, link="data.html#event-{event_id}", label=None).svg()
        for event_id in events["event_id"]:
            assert f'data.html#event-{event_id}"' in svg

    def test_a_crowded_figure_links_only_its_labelled_markers(self, many_events):
        """Beyond LINK_EVERY_MARKER markers, only labelled events link (the explorer shows every event)."""
        from cyberhistory.timeline import LINK_EVERY_MARKER

        events = many_events.events
        chart = plot_timeline(events, link="data.html#event-{event_id}")
        assert sum(chart.details["markers"].values()) > LINK_EVERY_MARKER
        linked = set(re.findall(r'data\.html#event-([\w-]+)"', chart.svg()))
        assert linked and linked == set(chart.details["labels"]) | (linked & set(chart.details["dropped_labels"]))
        assert linked < set(events["event_id"])

    def test_svg_has_accessible_name(self, many_events):
        """The SVG carries role=img, an aria-label and a title with the alt text."""
        svg = plot_timeline(many_events.events.head(10), label=None).svg()
        assert 'role="img"' in svg and "aria-label=" in svg and "<title>Timeline of 10 events" in svg

    def test_period_filters_and_titles(self, many_events):
        """A period keeps only overlapping events and names the period in the title."""
        chart = plot_timeline(many_events.events, period=(2010, "2011-06"), label=None)
        assert chart.details["axes"].get_title(loc="left").endswith("2010 to Jun 2011")
        assert chart.details["events"] < len(many_events.events)


class TestExploreView:
    """Each timeline names the explorer view that shows its events, so the site can link to it."""

    def test_a_small_figure_lists_exactly_its_events(self, real_data):
        from cyberhistory.filters import by_campaign

        cartel = by_campaign(real_data.events, "operation-cartel")
        chart = plot_timeline(cartel, label=None, lanes="tactic")
        assert chart.explore == "ids=" + ",".join(sorted(cartel["event_id"])) + "&lanes=tactic"
        _, meta = chart._repr_mimebundle_()
        assert meta["image/svg+xml"]["explore"] == chart.explore

    def test_a_large_figure_gives_its_years_and_a_shared_kind(self, real_data):
        from cyberhistory.filters import between, by_kind
        from cyberhistory.timeline import EXPLORE_IDS

        both = between(by_kind(real_data.events, ["hacktivist_operation", "legal_response"]), 2010, 2015)
        ops = between(by_kind(real_data.events, "hacktivist_operation"), 2008, 2025)
        assert len(both) > EXPLORE_IDS and len(ops) > EXPLORE_IDS
        assert plot_timeline(both, label=None).explore == "from=2010&to=2015"
        assert plot_timeline(ops, label=None).explore == "from=2008&to=2025&kind=hacktivist_operation"

    def test_the_years_view_covers_every_event_drawn(self, real_data):
        """Applying a years view's filters to the data keeps every event of the figure."""
        from cyberhistory.filters import between
        from cyberhistory.timeline import explore_view

        events = between(real_data.events, 2007, 2013)
        view = dict(part.split("=") for part in explore_view(events).split("&"))
        kept = between(real_data.events, int(view["from"]), int(view["to"]))
        assert set(events["event_id"]) <= set(kept["event_id"])

    def test_no_events_no_view(self, real_data):
        from cyberhistory.timeline import explore_view

        assert explore_view(real_data.events.head(0)) is None
