"""Tests for cyberhistory.timeline: lanes, precision encoding, label placement, alt text, speed-independent checks."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection, PolyCollection

from cyberhistory.timeline import choose_labels, lane_label, plot_timeline


def _boxes(chart):
    renderer = chart.figure.canvas.get_renderer()
    return [a.get_window_extent(renderer) for a in chart.details["label_artists"]]


class TestLanes:
    def test_markers_per_lane_match_the_data(self, many_events):
        """Each lane holds exactly the events of its kind."""
        chart = plot_timeline(many_events.events, lanes="kind", label=None)
        expected = many_events.events["kind"].value_counts()
        assert chart.details["lanes"] == {lane_label(k): int(v) for k, v in expected.items() if v}

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

    def test_auto_labels_prefer_significance(self, many_events):
        """Automatic labels start with the most significant events."""
        events = many_events.events
        chosen = choose_labels(events, 5)
        assert set(events.set_index("event_id").loc[chosen, "significance"]) == {events["significance"].max()}


class TestOutput:
    def test_alt_text_states_counts_and_period(self, many_events):
        """The alt text gives the number of events, the period and each lane's count."""
        events = many_events.events
        chart = plot_timeline(events, lanes="kind", label=None)
        first, last = int(events["year"].min()), int(events["year"].max())
        assert f"Timeline of {len(events)} events, {first} to {last}" in chart.alt_text
        for kind, n in events["kind"].value_counts().items():
            assert f"{lane_label(kind)} ({n})" in chart.alt_text

    def test_identical_bytes_across_renders(self, many_events):
        """The same data and arguments give byte-identical SVG and PNG."""
        a = plot_timeline(many_events.events, lanes="tactic")
        b = plot_timeline(many_events.events, lanes="tactic")
        assert a.svg() == b.svg()
        assert a.png() == b.png()

    def test_markers_link_to_data_page(self, many_events):
        """With a link pattern, every marker in the SVG links to its event's entry."""
        events = many_events.events.head(20)
        svg = plot_timeline(events, link="data.html#event-{event_id}", label=None).svg()
        for event_id in events["event_id"]:
            assert f'data.html#event-{event_id}"' in svg

    def test_svg_has_accessible_name(self, many_events):
        """The SVG carries role=img, an aria-label and a title with the alt text."""
        svg = plot_timeline(many_events.events.head(10), label=None).svg()
        assert 'role="img"' in svg and "aria-label=" in svg and "<title>Timeline of 10 events" in svg

    def test_period_filters_and_titles(self, many_events):
        """A period keeps only overlapping events and names the period in the title."""
        chart = plot_timeline(many_events.events, period=(2010, "2011-06"), label=None)
        assert chart.details["axes"].get_title(loc="left").endswith("2010 to Jun 2011")
        assert chart.details["events"] < len(many_events.events)
