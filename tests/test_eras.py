"""Tests for cyberhistory.eras: the eras of hacktivism and the era a year falls in."""

from itertools import pairwise

from cyberhistory.eras import ERAS, era_of


def test_era_boundaries():
    """Years map to the era they fall in; years past the last era stay in it."""
    assert [era_of(y) for y in (1989, 2007, 2008, 2013, 2022, 2030)] == [
        ERAS[0][2],
        ERAS[0][2],
        ERAS[1][2],
        ERAS[2][2],
        ERAS[3][2],
        ERAS[3][2],
    ]


def test_eras_follow_each_other_without_gaps():
    """Each era starts the year after the one before it ends."""
    assert all(later[0] == earlier[1] + 1 for earlier, later in pairwise(ERAS))
