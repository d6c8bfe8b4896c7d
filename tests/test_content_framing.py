"""Tests for the lessons' safety framing: leaks, volunteer attackers, graphic sources and timings."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
IDS = [p.relative_to(ROOT / "notebooks").with_suffix("").as_posix() for p in NOTEBOOKS]
GUIDE = ROOT / "notebooks" / "instructor-guide.md"

#: A lesson that mentions a leak (in prose or in the events it shows) ...
LEAK_WORDS = re.compile(r"leak|dump|filtraci", re.I)
#: ... tells students, in a cell they see, not to look for it (the stable phrase of that sentence).
DONT_LOOK = "do not go looking for the leaked"
#: Words in a source's headline that need a teacher's content note (English and Spanish stems).
GRAPHIC_TITLE = re.compile(
    r"decapit|behead|tortur|mutila|hanged|colgad|cuelg|ahorcad|gruesome|\bbod(?:y|ies)\b|cuerpos?\b|"
    r"cad[aá]ver|corpse|dismember|descuartiz|degoll|lynch|linch|killed|killing|murder|asesin",
    re.I,
)


def _flat(text: str) -> str:
    """Lower-case text on one line, without blockquote markers, so a phrase can be found across line breaks."""
    return re.sub(r"\s+", " ", re.sub(r"(?m)^\s*>\s?", "", text)).lower()


def _student_markdown(nb) -> str:
    hidden = {"solution", "instructor"}
    cells = [c for c in nb.cells if c.cell_type == "markdown" and not hidden & set(c.metadata.get("tags", []))]
    return _flat("\n".join(c.source for c in cells))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_lesson_mentioning_a_leak_says_not_to_look_for_it(path):
    """A notebook that mentions a leak tells students, in a cell they see, not to look for the leaked material."""
    nb = nbformat.read(path, as_version=4)
    if LEAK_WORDS.search("\n".join(c.source for c in nb.cells)):
        assert DONT_LOOK in _student_markdown(nb)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_dont_look_sentence_comes_near_the_first_mention(path):
    """The don't-look sentence comes in the first markdown cell that names a leak, or within the next three."""
    nb = nbformat.read(path, as_version=4)
    markdown = [c for c in nb.cells if c.cell_type == "markdown" and "instructor" not in c.metadata.get("tags", [])]
    first = next((i for i, c in enumerate(markdown) if re.search(r"(?<!and-)\bleak(?:s|ed)?\b", c.source, re.I)), None)
    if first is not None:
        assert any(DONT_LOOK in _flat(c.source) for c in markdown[first : first + 4])


def test_war_lesson_states_crime_and_lawful_target():
    """The war lesson says plainly that joining is a crime in most countries and can make a civilian a lawful target."""
    for name in ("13-war-and-civilian-hackers.ipynb",):
        text = _student_markdown(nbformat.read(ROOT / "notebooks" / name, as_version=4))
        assert "is a crime in most countries" in text, name
        assert "lawful target" in text, name
        assert "2023-icrc-rules-for-civilian-hackers" in text, name


def test_graphic_headlines_have_a_content_note(real_data):
    """Every source whose headline has a graphic word carries a content note."""
    sources = real_data.sources
    graphic = sources[sources["title"].fillna("").str.contains(GRAPHIC_TITLE)]
    assert len(graphic) > 0
    assert sorted(graphic.loc[graphic["content_notes"].isna(), "source_id"]) == []


def test_lessons_citing_flagged_sources_have_a_teacher_note(real_data):
    """A notebook whose code names an event of a flagged source has an instructor cell about graphic headlines."""
    flagged = real_data.sources.dropna(subset=["content_notes"])
    flagged_events = {e for ids in flagged["event_ids"] for e in ids}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        if set(re.findall(r"\d{4}-[a-z0-9-]+", code)) & flagged_events:
            notes = [c.source for c in nb.cells if "instructor" in c.metadata.get("tags", [])]
            assert any("content_notes" in n and "graphic" in n for n in notes), path.stem


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_estimated_time_matches_the_guide(path):
    """Every lesson is one 50-minute class, and the instructor guide has its plan."""
    first = nbformat.read(path, as_version=4).cells[0].source
    assert re.search(r"\*\*Estimated time:\*\* 50 minutes", first)
    number = int(path.stem.split("-")[0])
    assert re.search(rf"^### Lesson {number}: ", GUIDE.read_text(encoding="utf-8"), re.M), f"no plan for {number}"
