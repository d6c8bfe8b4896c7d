"""The benchmarks' synthetic datasets stay valid as the data and its rules change (a broken one fails here,
not silently in `make bench`)."""

from __future__ import annotations

import sys

from conftest import ROOT

from cyberhistory.validate import validate

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_synthetic


def test_synthetic_data_is_valid_at_several_sizes(tmp_path):
    for n in (50, 700):
        result = validate(write_synthetic(tmp_path / str(n), n))
        assert result.ok, [str(p) for p in result.problems[:5]]
