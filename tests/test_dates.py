"""Tests for cyberhistory.dates."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cyberhistory import dates


class TestParse:
    def test_month_is_a_window_not_the_first(self):
        """A month-precise date covers the whole month and is never padded to the 1st."""
        parsed = dates.parse("2011-10")
        assert (parsed.earliest, parsed.latest, parsed.precision) == (
            dt.date(2011, 10, 1),
            dt.date(2011, 10, 31),
            "month",
        )

    def test_year_window(self):
        """A year-precise date covers the whole year."""
        parsed = dates.parse("1989")
        assert (parsed.earliest, parsed.latest) == (dt.date(1989, 1, 1), dt.date(1989, 12, 31))

    def test_leap_february(self):
        """The window of February knows about leap years."""
        assert dates.parse("2024-02").latest == dt.date(2024, 2, 29)

    @pytest.mark.parametrize("text", ["2011-13-01", "2011-02-30", "11-10-2011", "2011/10", "2011-1", ""])
    def test_rejects_malformed(self, text):
        """Malformed or impossible dates raise PartialDateError with the expected forms."""
        with pytest.raises(dates.PartialDateError, match="expected YYYY, YYYY-MM or YYYY-MM-DD"):
            dates.parse(text)

    @given(st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(["day", "month", "year"]))
    def test_iso_round_trip(self, day, precision):
        """Parsing then printing as ISO gives back the same partial string."""
        text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]
        assert dates.parse(text).iso() == text
        assert dates.precision_of(text) == precision


class TestLabel:
    @pytest.mark.parametrize(
        ("text", "label"), [("2011-10-06", "6 Oct 2011"), ("2011-10", "Oct 2011"), ("2011", "2011")]
    )
    def test_prints_only_what_is_known(self, text, label):
        """Labels show the precision known and nothing more."""
        assert dates.parse(text).label() == label

    def test_midpoint_of_month(self):
        """A month-precise date plots in the middle of its month."""
        assert dates.parse("2011-10").midpoint == dt.date(2011, 10, 16)
