"""The lesson format (docs/lesson-format.md): every lesson keeps it, and the checker catches each way to break it."""

from __future__ import annotations

import copy
import csv
import subprocess
import sys
from pathlib import Path

import pytest

from cyberhistory import lessons
from cyberhistory.problems import Problem

ROOT = Path(__file__).resolve().parents[1]
#: The unit's 16 lessons (docs/lesson-format.md).
LESSON_DIR = ROOT / "notebooks"
NOTEBOOKS = lessons.lesson_paths(LESSON_DIR)
GUIDE = LESSON_DIR / "instructor-guide.md"
with open(ROOT / "data" / "sources.csv", encoding="utf-8", newline="") as _handle:
    SOURCES = {row["source_id"] for row in csv.DictReader(_handle)}
A_SOURCE = sorted(SOURCES)[0]

HEADER = """# Lesson 3: A test lesson

**Central question:** Was it protest or vandalism?

**Estimated time:** 50 minutes

## Learning objectives

- Read a source.

## Plan

| Minutes | Activity |
|---|---|
| 0-20 | Documents |
| 20-50 | Discussion |
"""


def _md(cell_id: str, text: str, tags: tuple[str, ...] = ()) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {"tags": list(tags)} if tags else {}, "source": text}


def _document(letter: str, words: int = 30, source: str = A_SOURCE) -> dict:
    return _md(
        f"document-{letter.lower()}",
        f"### Document {letter}: a report\n\n> Adapted. {' '.join(['word'] * words)}\n\n"
        f"*Source:* A newspaper, report, 2011. [Source entry](data.html#source-{source})\n",
    )


def good_lesson() -> dict:
    quiz = (
        "## Quiz\n\n"
        + "".join(f"{n}. Question {n}?\n   - A. one\n   - B. two\n   - C. three\n" for n in range(1, 5))
        + "5. (Short answer) Why?\n6. (Short answer) How?\n"
    )
    key = "".join(f"{n}. **Answer: B.** Because. **A:** no. **C:** no.\n" for n in range(1, 5))
    key += "5. **A full answer:** says why.\n6. **A full answer:** says how.\n"
    cells = [
        _md("lesson-header", HEADER),
        _md("background", "## Background\n\nSome words."),
        _document("A"),
        _document("B"),
        _document("C"),
        _md(
            "organizer",
            "## Organizer\n\n| Claim | Who says it | Evidence | How sure? |\n|---|---|---|---|\n| x | | | |\n",
        ),
        _md("guiding-questions", "## Guiding questions\n\n1. Who wrote Document A?\n"),
        _md("data-activity", "## Data activity\n\nRun the cell."),
        {"cell_type": "code", "id": "c1", "metadata": {}, "source": "1 + 1", "outputs": [], "execution_count": None},
        _md("discussion", "## Discussion\n\n1. Was it protest?\n2. Who was harmed?\n"),
        _md(
            "discussion-guide",
            "".join(f"{n}. **Strong answers:** a. **Misconception:** b. **Follow-up:** c.\n" for n in (1, 2)),
            ("instructor",),
        ),
        _md("exit-ticket", "## Exit ticket\n\n1. One thing?\n2. Another?\n"),
        _md("exit-ticket-key", "1. This.\n2. That.\n", ("solution",)),
        _md("quiz", quiz),
        _md("quiz-key", key, ("solution",)),
        _md("sources", "## Sources\n"),
    ]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _problems(notebook: dict, name: str = "03-test.ipynb") -> list[str]:
    return [f"{p.column}: {p.message}" for p in lessons.check_lesson(notebook, name, SOURCES)[1]]


def _cell(notebook: dict, cell_id: str) -> dict:
    return next(c for c in notebook["cells"] if c.get("id") == cell_id)


def test_a_good_lesson_passes():
    lesson, problems = lessons.check_lesson(good_lesson(), "03-test.ipynb", SOURCES)
    assert problems == []
    assert (lesson.number, lesson.central_question, lesson.quiz_questions) == (3, "Was it protest or vandalism?", 6)
    assert lesson.plan == [(0, 20, "Documents"), (20, 50, "Discussion")]
    assert lesson.documents == [A_SOURCE] * 3


@pytest.mark.parametrize(
    ("break_it", "expected"),
    [
        (lambda nb: nb["cells"].pop(1), "background: missing"),
        (
            lambda nb: _cell(nb, "lesson-header").update(source=HEADER.replace("20-50", "20-45")),
            "plan ends at minute 45",
        ),
        (
            lambda nb: _cell(nb, "lesson-header").update(source=HEADER.replace("20-50", "25-50")),
            "should start at minute 20",
        ),
        (
            lambda nb: _cell(nb, "lesson-header").update(source=HEADER.replace("Lesson 3", "Lesson 4")),
            "file numbered 03",
        ),
        (
            lambda nb: _cell(nb, "lesson-header").update(source=HEADER.replace("**Central", "Central")),
            "Central question",
        ),
        (lambda nb: nb["cells"].__setitem__(2, _document("A", words=120)), "121 words, at most 120"),
        (lambda nb: nb["cells"].__setitem__(2, _document("A", source="no-such-source")), "not in data/sources.csv"),
        (lambda nb: [nb["cells"].remove(_cell(nb, f"document-{x}")) for x in "bc"], "has 1 documents"),
        (lambda nb: _cell(nb, "organizer").update(source="| Claim | Evidence |\n|---|---|\n"), "who says it"),
        (lambda nb: _cell(nb, "discussion-guide")["metadata"].clear(), "should be tagged 'instructor'"),
        (lambda nb: _cell(nb, "exit-ticket-key")["metadata"].clear(), "should be tagged 'solution'"),
        (lambda nb: _cell(nb, "exit-ticket").update(source="1. a?\n2. b?\n3. c?\n4. d?\n"), "has 4 questions"),
        (
            lambda nb: _cell(nb, "quiz-key").update(
                source=_cell(nb, "quiz-key")["source"].replace("**C:** no.", "", 1)
            ),
            "does not explain wrong option(s) C",
        ),
        (
            lambda nb: _cell(nb, "quiz-key").update(source="1. **Answer: B.** x **A:** y **C:** z\n"),
            "question 2 has no entry",
        ),
        (
            lambda nb: _cell(nb, "discussion-guide").update(source="1. **Strong answers:** a. **Follow-up:** c.\n"),
            "lacks **Misconception:**",
        ),
        (lambda nb: _cell(nb, "background").update(source="## Background\n\n" + "word " * 1800), "student reading is"),
        (lambda nb: nb["cells"].pop(8), "no code cell follows it"),
    ],
)
def test_the_checker_catches(break_it, expected):
    notebook = copy.deepcopy(good_lesson())
    break_it(notebook)
    problems = _problems(notebook)
    assert any(expected in p for p in problems), problems


def test_reading_leaves_out_code_tables_sourcing_teacher_cells_and_keys():
    notebook = good_lesson()
    before = lessons.reading_words(notebook)
    notebook["cells"].insert(2, _md("teacher-note", "word " * 500, ("instructor",)))
    _cell(notebook, "quiz-key")["source"] += "word " * 500
    _cell(notebook, "organizer")["source"] += "| " + "word " * 300 + "| | | |\n"
    assert lessons.reading_words(notebook) == before
    _cell(notebook, "background")["source"] += " two more"
    assert lessons.reading_words(notebook) == before + 2


def test_reading_counts_the_quiz_a_student_sees():
    notebook = good_lesson()
    before = lessons.reading_words(notebook)
    _cell(notebook, "quiz")["source"] += "\n7. Three more words?\n"
    assert lessons.reading_words(notebook) == before + 4


def test_every_problem_is_reported_at_once():
    notebook = good_lesson()
    notebook["cells"] = [c for c in notebook["cells"] if c["id"] not in ("background", "quiz", "organizer")]
    assert len(_problems(notebook)) >= 3


def test_lessons_are_numbered_one_to_sixteen_without_repeats():
    numbers = [lessons.check_lesson(lessons.load_notebook(p), p.name, SOURCES)[0].number for p in NOTEBOOKS]
    assert numbers == list(range(1, 17))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lesson_keeps_the_format(path):
    lesson, problems = lessons.check_lesson(lessons.load_notebook(path), path.name, SOURCES)
    assert [str(p) for p in problems] == []
    assert lesson.reading_words <= lessons.MAX_READING_WORDS["en"]


def test_the_guide_plans_every_lesson_as_the_notebooks_do():
    read = [lessons.check_lesson(lessons.load_notebook(p), p.name, SOURCES)[0] for p in NOTEBOOKS]
    assert [str(p) for p in lessons.check_guide(GUIDE.read_text(encoding="utf-8"), read)] == []


def test_the_guide_checker_catches_a_changed_plan():
    read = [lessons.check_lesson(good_lesson(), "03-test.ipynb", SOURCES)[0]]
    guide = "### Lesson 3: A test lesson\n\n| 0-20 | Documents |\n| 20-50 | Discussion |\n\n**Differentiation.** x\n\n**Sensitive content.** y\n"
    assert lessons.check_guide(guide, read) == []
    assert "plan differs" in str(lessons.check_guide(guide.replace("20-50", "20-40\n| 40-50"), read))
    assert "Differentiation" in str(lessons.check_guide(guide.replace("**Differentiation.**", ""), read))


def test_a_translated_guide_plans_every_lesson_in_its_own_words():
    """A Spanish guide matches the Spanish lessons' plans, and still plans a lesson not translated yet."""
    read = [lessons.check_lesson(good_lesson(), "03-test.ipynb", SOURCES)[0]]
    guide = (
        "### Lección 3: Una lección de prueba\n\n| 0-20 | Documents |\n| 20-50 | Discussion |\n\n"
        "**Diferenciación.** x\n\n**Contenido sensible.** y\n"
    )
    assert lessons.check_guide(guide, read, "es", range(1, 4)) == [
        Problem(
            "notebooks/es/instructor-guide.md",
            None,
            f"Lección {n}",
            "no section '### Lección N: ...' plans this lesson",
        )
        for n in (1, 2)
    ]
    assert "plan differs" in str(lessons.check_guide(guide.replace("20-50", "20-45\n| 45-50"), read, "es"))
    assert "Contenido sensible" in str(lessons.check_guide(guide.replace("**Contenido sensible.**", ""), read, "es"))
    assert "no section" in str(lessons.check_guide(guide.replace("Lección 3", "Lesson 3"), read, "es"))


def test_the_command_reports_problems_with_file_and_cell(tmp_path):
    broken = good_lesson()
    broken["cells"].pop(1)
    path = tmp_path / "03-test.ipynb"
    path.write_text(__import__("json").dumps(broken), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cyberhistory", "lessons", str(path)], capture_output=True, text=True)
    assert done.returncode == 1
    assert f"{path}: background: missing" in done.stdout
    assert "Traceback" not in done.stderr
    path.write_text("{not json", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cyberhistory", "lessons", str(path)], capture_output=True, text=True)
    assert done.returncode == 1 and "cannot read the notebook" in done.stderr and "Traceback" not in done.stderr


def test_damaged_notebooks_are_each_named_and_the_rest_still_checked(tmp_path):
    """Wrong shapes (cells not a list, a cell without source, tags not a list) give one clear line each,
    never a traceback, and the good lesson beside them is still checked and listed."""
    import json

    damaged = {
        "01-no-cells.ipynb": {"cells": 5},
        "02-bad-cell.ipynb": {"cells": [{"cell_type": "markdown"}]},
        "03-bad-tags.ipynb": {"cells": [{"cell_type": "markdown", "source": "x", "metadata": {"tags": "answer"}}]},
    }
    paths = []
    for name, content in damaged.items():
        paths.append(tmp_path / name)
        paths[-1].write_text(json.dumps(content), encoding="utf-8")
    good = tmp_path / "04-good.ipynb"
    lesson = good_lesson()
    lesson["cells"][0]["source"] = lesson["cells"][0]["source"].replace("# Lesson 3:", "# Lesson 4:")
    good.write_text(json.dumps(lesson), encoding="utf-8")
    command = [sys.executable, "-m", "cyberhistory", "lessons", *map(str, paths), str(good)]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    for path, why in zip(
        paths, ("list of cells", "cell 1 is not a notebook cell", "tags should be a list"), strict=True
    ):
        assert f"{path}: cannot read the notebook" in done.stderr and why in done.stderr
    assert "04-good.ipynb" in done.stdout and "3 problem(s) found." in done.stderr
