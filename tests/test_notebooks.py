"""Tests for the classroom notebooks: structure, safety and clean execution in a fresh kernel."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from cyberhistory.policy import _allowed_phrases, _is_allowed, person_like_names

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
#: The Spanish lessons translated so far (notebooks/es/, same names as the English).
SPANISH = sorted((ROOT / "notebooks" / "es").glob("[0-9][0-9]-*.ipynb"))
EXPECTED = [
    "01-start-here",
    "02-timeline",
    "03-before-anonymous",
    "04-anonymous-chanology-to-payback",
    "05-hbgary-lulzsec-antisec",
    "06-operation-cartel-the-threat",
    "07-operation-cartel-claims-and-risks",
    "08-tactics",
    "09-arrests-trials-sentences",
    "10-can-a-ddos-be-a-protest",
    "11-personas",
    "12-attribution",
    "13-war-and-civilian-hackers",
    "14-the-debate",
    "15-beyond-europe-and-north-america",
    "16-latin-america",
]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _markdown(nb) -> str:
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _code(nb) -> str:
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "code")


def test_unit_is_complete():
    """Every notebook of the unit exists, and the instructor guide too."""
    assert [p.stem for p in NOTEBOOKS] == EXPECTED
    assert (ROOT / "notebooks" / "instructor-guide.md").is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
class TestStructure:
    def test_stored_clean(self, path):
        """The notebook is stored without outputs or execution counts, with a plain python3 kernelspec."""
        nb = _read(path)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None

    def test_opening(self, path):
        """It opens with a title, the estimated time and learning objectives."""
        first = _read(path).cells[0].source
        assert re.match(r"# \S", first)
        assert re.search(r"\*\*Estimated time:\*\* \d+", first)
        objectives = re.search(r"## Learning objectives\n+((?:- .+\n?(?: +\S.*\n?)*){2,})", first)
        assert objectives, "two or more learning objectives"

    def test_discussion_questions(self, path):
        """It asks at least three discussion questions."""
        text = _markdown(_read(path))
        section = re.split(r"^## Discussion\s*$", text, maxsplit=1, flags=re.M)
        assert len(section) == 2
        assert len(re.findall(r"^\d+\. ", section[1].split("\n## ")[0], re.M)) >= 3

    def test_exercises_have_tagged_solutions(self, path):
        """Each exercise is followed by a solution cell tagged 'solution' (the quiz and exit ticket have keys)."""
        nb = _read(path)
        exercises = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "### Exercise" in c.source]
        for start, end in zip(exercises, [*exercises[1:], len(nb.cells)][: len(exercises)], strict=True):
            tags = [t for c in nb.cells[start:end] for t in c.get("metadata", {}).get("tags", [])]
            assert "solution" in tags, f"exercise at cell {start} has no solution cell"

    def test_sources_section_is_generated(self, path):
        """It ends with a Sources section generated from the data."""
        nb = _read(path)
        assert "## Sources" in _markdown(nb)
        assert "sources_list(" in nb.cells[-1].source

    def test_no_paths_or_star_imports(self, path):
        """Code cells never read files by path and never star-import."""
        code = _code(_read(path))
        for bad in (".csv", "data/", "open(", "import *", "read_csv", "../"):
            assert bad not in code, bad

    def test_named_people_are_allowed(self, path, real_tables):
        """Every person-like name in the prose is on the named-people allow-list."""
        allowed = _allowed_phrases(real_tables)
        text = _markdown(_read(path))
        offenders = [name for run, name in person_like_names(text) if not _is_allowed(run, name, allowed)]
        assert offenders == []

    def test_content_note_where_violence(self, path, real_data):
        """A notebook that shows events marked 'violence' opens with a content note."""
        data = real_data
        violent = set(data.events.loc[data.events["content_notes"].map(lambda n: "violence" in n), "event_id"])
        nb = _read(path)
        shown = set(re.findall(r"\d{4}-[a-z0-9-]+", _code(nb))) & violent
        if shown:
            opening = nb.cells[0].source + nb.cells[1].source
            assert "Content note" in opening, f"shows {sorted(shown)} but has no content note"


@pytest.mark.parametrize("path", SPANISH, ids=[f"es-{p.stem}" for p in SPANISH])
def test_spanish_lessons_name_only_allowed_people(path, real_tables):
    """The content policy binds the Spanish too: every person-like name in its prose is allowed."""
    allowed = _allowed_phrases(real_tables)
    text = _markdown(_read(path))
    assert [name for run, name in person_like_names(text) if not _is_allowed(run, name, allowed)] == []


def test_spanish_lessons_are_translations_of_english_ones():
    assert SPANISH and {p.name for p in SPANISH} <= {p.name for p in NOTEBOOKS}


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS + SPANISH, ids=IDS + [f"es-{p.stem}" for p in SPANISH])
def test_runs_clean_in_fresh_kernel(path, site_build):
    """The notebook ran top to bottom in a fresh kernel (the site build's) with no error and nothing on stderr."""
    nb = site_build.notebooks[path.stem if path.parent.name != "es" else f"es/{path.stem}"]
    assert nb is not None, "the build did not execute it"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    # Starter cells (tagged skip-execution) hold blanks for the student and are never run by the build.
    run = [c for c in code if c["source"].strip() and "skip-execution" not in c["metadata"].get("tags", [])]
    assert run and all(c["execution_count"] for c in run)
    outputs = [o for c in code for o in c.get("outputs", [])]
    assert [o for o in outputs if o["output_type"] == "error"] == []
    assert [o["text"] for o in outputs if o.get("name") == "stderr"] == []
