"""Tests for cyberhistory.exercises: each check passes the model answer, catches typical mistakes, never tells."""

from __future__ import annotations

import pytest

from cyberhistory.eras import era_of
from cyberhistory.exercises import CHECKS, OPERATIONS, check
from cyberhistory.filters import by_campaign
from cyberhistory.timeline import plot_timeline


def _never_tells(result, *values) -> None:
    """The message never holds the expected answer."""
    for value in values:
        assert str(value) not in result.message, (result, value)


def test_01_1_claims_and_verification(real_data):
    claimed = real_data.events[real_data.events["claim_status"] == "claimed"]
    model = claimed["claim_verification"].value_counts()
    assert check("01-1", model, real_data).passed
    everything = real_data.events["claim_verification"].value_counts()
    assert check("01-1", everything, real_data).status == "partly right"
    assert "claimed ones" in check("01-1", everything, real_data).message
    shares = claimed["claim_verification"].value_counts(normalize=True)
    assert "shares" in check("01-1", shares, real_data).message
    wrong_column = claimed["claim_status"].value_counts()
    result = check("01-1", wrong_column, real_data)
    assert result.status == "not yet" and "claim_verification" in result.message
    _never_tells(check("01-1", model.iloc[:-1] + 1, real_data), *model.tolist())


def test_02_1_campaign_timeline(real_data):
    payback = by_campaign(real_data.events, "operation-payback")
    assert check("02-1", plot_timeline(payback, lanes="tactic"), real_data).passed
    assert check("02-1", plot_timeline(payback, lanes="kind"), real_data).status == "partly right"
    from cyberhistory.filters import between

    whole_years = between(real_data.events, 2010, 2011)
    assert check("02-1", plot_timeline(whole_years, lanes="tactic"), real_data).status == "not yet"
    assert "chart itself" in check("02-1", payback, real_data).message


def test_02_2_precision_by_era(real_data):
    events = real_data.events.assign(era=real_data.events["year"].map(era_of))
    model = events.groupby("era", sort=False)["start_precision"].value_counts(normalize=True).round(2)
    assert check("02-2", model, real_data).passed
    counts = events.groupby("era", sort=False)["start_precision"].value_counts().xs("day", level=-1)
    assert check("02-2", counts, real_data).status == "partly right"
    assert check("02-2", "about half", real_data).status == "not yet"


def test_07_1_dated_sources(real_data):
    from cyberhistory.data import sources_for

    cited = sources_for(real_data, by_campaign(real_data.events, "operation-cartel")).drop_duplicates("source_id")
    dated = int(cited["published_earliest"].notna().sum())
    assert check("07-1", dated, real_data).passed
    assert check("07-1", len(cited), real_data).status == "partly right"
    result = check("07-1", dated + 3, real_data)
    assert result.status == "not yet"
    _never_tells(result, dated)


def test_08_1_claims_bigger_than_evidence(real_data):
    ops = real_data.events[real_data.events["kind"].isin(OPERATIONS)]
    both = ops.dropna(subset=["impact_claimed", "impact_verified"])
    gap = both[both["impact_claimed"] > both["impact_verified"]]
    assert check("08-1", len(gap), real_data).passed
    assert check("08-1", len(gap) - 1, real_data).status == "not yet"
    assert check("08-1", "many", real_data).status == "not yet"


def test_checks_follow_a_data_correction(minimal_rows, tmp_path):
    """Expected answers come from the data at check time: change the data and the right answer changes."""
    from conftest import write_dataset

    from cyberhistory.data import load

    data = load(write_dataset(tmp_path / "a", minimal_rows))
    claimed = data.events[data.events["claim_status"] == "claimed"]
    before = claimed["claim_verification"].value_counts()
    assert check("01-1", before, data).passed
    minimal_rows["events"][0]["claim_verification"] = "contradicted"
    changed = load(write_dataset(tmp_path / "b", minimal_rows))
    assert not check("01-1", before, changed).passed


def test_every_exercise_has_a_test_and_unknown_ids_are_refused(real_data):
    tested = {"01-1", "02-1", "02-2", "07-1", "08-1"}
    assert set(CHECKS) == tested
    with pytest.raises(ValueError, match="no self-check for exercise '99-9'"):
        check("99-9", 1, real_data)


def test_result_reads_as_one_line_in_a_notebook(real_data):
    result = check("08-1", -1, real_data)
    assert str(result).startswith("✗ Exercise 08-1: not yet.")
    assert 'role="status"' in result._repr_html_()


# What a student writes in place of each starter's blanks (the model answers' choices).
FILLS = {
    "01-1": [("== ...]", '== "claimed"]'), ("claimed[...]", 'claimed["claim_verification"]')],
    "02-1": [("by_campaign(events, ...)", 'by_campaign(events, "operation-payback")'), ("lanes=...", 'lanes="tactic"')],
    "02-2": [("normalize=...", "normalize=True")],
    "07-1": [
        ("drop_duplicates(...)", 'drop_duplicates("source_id")'),
        ("subset=[...]", 'subset=["published_earliest"]'),
    ],
    "08-1": [("scored[...]", 'scored[scored["impact_claimed"] > scored["impact_verified"]]')],
}


def _starters():
    """(notebook, cell) of every starter cell: tagged answer and skip-execution (the build never runs it)."""
    import json

    from conftest import ROOT

    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if {"answer", "skip-execution"} <= set(cell["metadata"].get("tags", [])):
                yield path, "".join(cell["source"])


def test_every_starter_is_python_and_calls_a_check_that_exists():
    import re

    starters = list(_starters())
    assert len(starters) >= len(CHECKS)
    called = set()
    for path, source in starters:
        compile(source, f"{path.name} starter", "exec")
        called |= set(re.findall(r'check\("([^"]+)"', source))
        assert "..." in source, f"{path.name}: a starter leaves blanks for the student"
    assert called == set(CHECKS)


@pytest.mark.notebooks
def test_a_student_who_fills_in_the_starters_is_told_right():
    """Run each student notebook in a fresh kernel with its starters filled in, as a student would."""
    import json

    import nbformat
    from nbclient import NotebookClient

    from cyberhistory.site.student import student_copy

    verdicts = {}
    for path in sorted({path for path, _ in _starters()}):
        nb = nbformat.reads(json.dumps(student_copy(json.loads(path.read_text(encoding="utf-8")))), as_version=4)
        for cell in nb.cells:
            exercise = next((e for e in FILLS if f'check("{e}"' in cell.source), None)
            if exercise:
                for blank, fill in FILLS[exercise]:
                    cell.source = cell.source.replace(blank, fill)
                cell.metadata["tags"].remove("skip-execution")
        NotebookClient(nb, timeout=120, kernel_name="python3").execute()
        for cell in nb.cells:
            exercise = next((e for e in FILLS if f'check("{e}"' in cell.source), None)
            if exercise and cell.cell_type == "code":
                verdicts[exercise] = cell.outputs[-1]["data"]["text/plain"]
    assert verdicts == {e: f"✓ Exercise {e}: right. Well done." for e in FILLS}
