"""The shape every lesson notebook keeps, checked; and how much a student has to read in it.

A lesson is one 50-minute class built like *Reading Like a Historian*: a central
question, a timed plan, a short background, three to five short sourced
documents, a graphic organizer, guiding questions, a data activity, discussion
(with guidance for the teacher), an exit ticket and a quiz bank (with keys for the
teacher). The parts are markdown cells found by their cell ids, so a lesson can be
reordered or rewritten freely and still be checked. ``docs/lesson-format.md``
describes the format for authors; :func:`check_lesson` enforces it and reports
every problem at once, each located by notebook and cell.

Reading is counted as the words of the markdown a student sees (the student
edition), without code, tables, the documents' sourcing lines or the Sources
section. The quiz bank counts: it is on the student's page, so it is reading too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from cyberhistory.problems import Problem

LESSON_MINUTES = 50
#: Student reading per lesson, in words. The same in both languages: a Spanish student has the same 50
#: minutes, so the Spanish lessons are written tight (first drafts ran 11-18% longer than the English).
MAX_READING_WORDS = {"en": 1800, "es": 1800}
#: A document's excerpt, in words (scaled for Spanish as the reading is).
MAX_DOCUMENT_WORDS = {"en": 120, "es": 145}
DOCUMENTS = (3, 5)
MIN_QUIZ_QUESTIONS = 6
EXIT_QUESTIONS = (2, 3)
HIDDEN = frozenset({"solution", "instructor"})


@dataclass(frozen=True)
class Words:
    """The fixed words of the lesson format in one language: the checks and the site read them."""

    lesson: str
    central: str
    time: str
    objectives: str
    document: str
    source: str
    sources: str
    organizer: tuple[str, ...]
    answer: str
    full_answer: str
    guidance: tuple[str, str, str]
    placeholder: str
    worksheet_parts: tuple[str, ...]
    max_document: int
    guide_parts: tuple[str, str]


#: The format's words in each language (the Spanish lessons are ``notebooks/es/NN-name.ipynb``).
WORDS = {
    "en": Words(
        lesson="Lesson",
        central="Central question",
        time="Estimated time",
        objectives="Learning objectives",
        document="Document",
        source="Source",
        sources="Sources",
        organizer=("claim", "who says it", "evidence", "how sure"),
        answer="Answer",
        full_answer="A full answer",
        guidance=("Strong answers", "Misconception", "Follow-up"),
        placeholder="# Your answer here",
        worksheet_parts=("exercise", "document", "organizer", "guiding questions", "exit ticket", "quiz"),
        max_document=MAX_DOCUMENT_WORDS["en"],
        guide_parts=("**Differentiation.**", "**Sensitive content.**"),
    ),
    "es": Words(
        lesson="Lección",
        central="Pregunta central",
        time="Tiempo estimado",
        objectives="Objetivos de aprendizaje",
        document="Documento",
        source="Fuente",
        sources="Fuentes",
        organizer=("afirmación", "quién lo dice", "evidencia", "qué tan seguro"),
        answer="Respuesta",
        full_answer="Una respuesta completa",
        guidance=("Respuestas sólidas", "Concepto erróneo", "Para profundizar"),
        placeholder="# Tu respuesta aquí",
        worksheet_parts=("ejercicio", "documento", "organizador", "preguntas guía", "boleto de salida", "cuestionario"),
        max_document=MAX_DOCUMENT_WORDS["es"],
        guide_parts=("**Diferenciación.**", "**Contenido sensible.**"),
    ),
}
ORGANIZER_COLUMNS = WORDS["en"].organizer
#: Cells of every lesson, by id, and the tag each must carry ("" = visible to students).
REQUIRED = {
    "lesson-header": "",
    "background": "",
    "organizer": "",
    "guiding-questions": "",
    "data-activity": "",
    "discussion": "",
    "discussion-guide": "instructor",
    "exit-ticket": "",
    "exit-ticket-key": "solution",
    "quiz": "",
    "quiz-key": "solution",
}
_PLAN_ROW = re.compile(r"^\|\s*(\d+)\s*[-–]\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$", re.M)
_NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")
_OPTION = re.compile(r"^\s+[-*]\s+([A-E])\.\s+\S")
_SOURCE_LINK = re.compile(r"\(data\.html#source-([\w.-]+)\)")
_SOURCING = re.compile(r"^\*(?:Source|Fuente):\*", re.M)
_WORD = re.compile(r"[\w'’-]+")


@dataclass
class Lesson:
    """What the checks and the reading count found in one lesson notebook."""

    name: str
    number: int | None = None
    title: str = ""
    central_question: str = ""
    plan: list[tuple[int, int, str]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # the source id each document cites
    quiz_questions: int = 0
    reading_words: int = 0


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell: dict) -> frozenset[str]:
    return frozenset(cell.get("metadata", {}).get("tags", []))


def numbered_items(markdown: str) -> list[tuple[int, str]]:
    """Top-level numbered list items: (number, text with its indented continuation lines)."""
    items: list[tuple[int, list[str]]] = []
    for line in markdown.splitlines():
        match = _NUMBERED.match(line)
        if match:
            items.append((int(match.group(1)), [match.group(2)]))
        elif (items and (line.startswith((" ", "\t")) or not line.strip())) or (items and line.strip()):
            items[-1][1].append(line)
    return [(n, "\n".join(lines).strip()) for n, lines in items]


def plan_rows(markdown: str) -> list[tuple[int, int, str]]:
    """The rows of a timed plan table (``| 0-10 | Activity |``) as (start, end, activity)."""
    return [(int(a), int(b), text) for a, b, text in _PLAN_ROW.findall(markdown)]


def _plan_problems(rows: list[tuple[int, int, str]]) -> list[str]:
    if not rows:
        return ["has no timed plan (a table of rows like | 0-10 | Activity |)"]
    problems, at = [], 0
    for start, end, activity in rows:
        if start != at or end <= start:
            problems.append(f"plan row '{start}-{end} {activity}' should start at minute {at} and end after it")
        at = end
    if at != LESSON_MINUTES:
        problems.append(f"plan ends at minute {at}, expected {LESSON_MINUTES}")
    return problems


def words(text: str) -> int:
    """Words in Markdown prose: no tables, sourcing lines, HTML tags, link targets or code."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    kept = [line for line in text.splitlines() if not line.lstrip().startswith("|") and not _SOURCING.match(line)]
    text = re.sub(r"<[^>]+>", " ", "\n".join(kept))
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"`[^`]*`", " code ", text)
    return len(_WORD.findall(text))


def language_of(path: Path) -> str:
    """A lesson's language, from where it lives: ``notebooks/es/`` holds the Spanish lessons."""
    return path.parent.name if path.parent.name in WORDS else "en"


def reading_words(notebook: dict, language: str = "en") -> int:
    """The words a student reads: visible markdown, quiz included, up to the Sources section."""
    total = 0
    for cell in notebook["cells"]:
        if re.search(rf"^## {WORDS[language].sources}\s*$", _source(cell), re.M):
            break
        if cell["cell_type"] == "markdown" and not _tags(cell) & HIDDEN:
            total += words(_source(cell))
    return total


def _document_problems(
    cell_id: str, text: str, sources: set[str] | None, words_: Words
) -> tuple[str | None, list[str]]:
    problems = []
    if not re.search(rf"^### {words_.document} [A-E]: \S", text, re.M):
        problems.append(f"should open with a heading like '### {words_.document} A: title'")
    quoted = "\n".join(line.lstrip("> ") for line in text.splitlines() if line.startswith(">"))
    if not quoted.strip():
        problems.append("has no excerpt (the document's text goes in a '>' block quote)")
    elif words(quoted) > words_.max_document:
        problems.append(f"excerpt has {words(quoted)} words, at most {words_.max_document}")
    sourcing = [line for line in text.splitlines() if _SOURCING.match(line)]
    links = _SOURCE_LINK.findall("\n".join(sourcing))
    if not sourcing:
        problems.append(f"has no sourcing line (a line starting '*{words_.source}:*': who, when, what kind of source)")
    elif not links:
        problems.append("sourcing line does not link its source's entry, (data.html#source-SOURCE_ID)")
    elif sources is not None:
        problems += [f"cites source '{s}', which is not in data/sources.csv" for s in links if s not in sources]
    return (links[0] if links else None), problems


def _quiz_problems(quiz: str, key: str, words_: Words) -> tuple[int, list[str]]:
    questions, answers = numbered_items(quiz), dict(numbered_items(key))
    problems = []
    if len(questions) < MIN_QUIZ_QUESTIONS:
        problems.append(f"quiz has {len(questions)} questions, at least {MIN_QUIZ_QUESTIONS}")
    kinds = set()
    for number, text in questions:
        letters = [m.group(1) for m in map(_OPTION.match, text.splitlines()) if m]
        answer = answers.get(number)
        kinds.add("choice" if letters else "short")
        if answer is None:
            problems.append(f"quiz question {number} has no entry in the quiz key")
        elif letters:
            right = re.match(rf"\*\*{words_.answer}: ([A-E])\.\*\*", answer)
            if not right or right.group(1) not in letters:
                problems.append(
                    f"quiz key {number} should start '**{words_.answer}: X.**' with one of {', '.join(letters)}"
                )
            else:
                missing = [x for x in letters if x != right.group(1) and f"**{x}:**" not in answer]
                if missing:
                    problems.append(f"quiz key {number} does not explain wrong option(s) {', '.join(missing)}")
        elif f"**{words_.full_answer}:**" not in answer:
            problems.append(
                f"quiz key {number} (short answer) should say '**{words_.full_answer}:**' and what it contains"
            )
    if questions and kinds != {"choice", "short"}:
        problems.append("quiz should mix multiple-choice and short-answer questions")
    return len(questions), problems


def _guide_problems(discussion: str, guide: str, words_: Words) -> list[str]:
    questions, entries = numbered_items(discussion), dict(numbered_items(guide))
    problems = [] if questions else ["discussion has no numbered questions"]
    for number, _ in questions:
        entry = entries.get(number, "")
        missing = [f"**{p}:**" for p in words_.guidance if f"**{p}:**" not in entry]
        if missing:
            problems.append(f"discussion guidance for question {number} lacks {', '.join(missing)}")
    return problems


def check_lesson(
    notebook: dict, name: str, sources: set[str] | None = None, where: str | None = None, language: str = "en"
) -> tuple[Lesson, list[Problem]]:
    """Read a lesson notebook's structure; every problem found, each located by notebook (``where``,
    by default ``notebooks/<name>``) and cell id. ``language`` says which words the format uses."""
    lesson, found, w = Lesson(name), [], WORDS[language]
    cells = {cell.get("id"): cell for cell in notebook["cells"]}

    def problem(cell_id: str | None, message: str) -> None:
        found.append(Problem(where or f"notebooks/{name}", None, cell_id, message))

    for cell_id, tag in REQUIRED.items():
        cell = cells.get(cell_id)
        if cell is None:
            problem(cell_id, "missing (every lesson has this cell; see docs/lesson-format.md)")
        elif cell["cell_type"] != "markdown":
            problem(cell_id, "should be a markdown cell")
        elif tag and tag not in _tags(cell):
            problem(cell_id, f"should be tagged '{tag}' (it is for the teacher only)")
        elif not tag and _tags(cell) & HIDDEN:
            problem(cell_id, "is hidden from students, but students need it")
    text = {cell_id: _source(cell) for cell_id, cell in cells.items() if cell_id}

    header = text.get("lesson-header", "")
    title = re.search(rf"^# {w.lesson} (\d+): (\S.*)$", header, re.M)
    if header and not title:
        problem("lesson-header", f"should open with '# {w.lesson} N: title'")
    elif title:
        lesson.number, lesson.title = int(title.group(1)), title.group(2).strip()
        prefix = re.match(r"(\d+)-", name)
        if prefix and int(prefix.group(1)) != lesson.number:
            problem("lesson-header", f"says {w.lesson} {lesson.number} in a file numbered {prefix.group(1)}")
    central = re.search(rf"^\*\*{w.central}:\*\*\s*(\S.*\?)\s*$", header, re.M)
    if central:
        lesson.central_question = central.group(1)
    elif header:
        problem("lesson-header", f"has no '**{w.central}:** ...?' line")
    if header and not re.search(rf"^## {w.objectives}\s*\n+\s*- ", header, re.M):
        problem("lesson-header", f"has no '## {w.objectives}' list")
    lesson.plan = plan_rows(header)
    for message in _plan_problems(lesson.plan) if header else []:
        problem("lesson-header", message)

    for cell_id in sorted(c for c in text if c.startswith("document-")):
        source_id, messages = _document_problems(cell_id, text[cell_id], sources, w)
        lesson.documents += [source_id] if source_id else []
        for message in messages:
            problem(cell_id, message)
    count = sum(c.startswith("document-") for c in text)
    if not DOCUMENTS[0] <= count <= DOCUMENTS[1]:
        problem(None, f"has {count} documents (cells document-a ...), expected {DOCUMENTS[0]}-{DOCUMENTS[1]}")

    header_row = next((line for line in text.get("organizer", "").splitlines() if line.startswith("|")), "")
    columns = [c.strip().lower().strip("¿?") for c in header_row.strip("|").split("|")]
    if "organizer" in text and [c for c in w.organizer if c not in columns]:
        problem("organizer", f"table should have the columns {', '.join(w.organizer)} (found: {header_row})")
    for cell_id in ("guiding-questions", "discussion"):
        if cell_id in text and not numbered_items(text[cell_id]):
            problem(cell_id, "has no numbered questions")
    exit_questions = numbered_items(text.get("exit-ticket", ""))
    if "exit-ticket" in text and not EXIT_QUESTIONS[0] <= len(exit_questions) <= EXIT_QUESTIONS[1]:
        problem("exit-ticket", f"has {len(exit_questions)} questions, expected {EXIT_QUESTIONS[0]}-{EXIT_QUESTIONS[1]}")
    keys = dict(numbered_items(text.get("exit-ticket-key", "")))
    for number, _ in exit_questions if "exit-ticket-key" in text else []:
        if not keys.get(number):
            problem("exit-ticket-key", f"has no answer for exit-ticket question {number}")
    if "quiz" in text and "quiz-key" in text:
        lesson.quiz_questions, messages = _quiz_problems(text["quiz"], text["quiz-key"], w)
        for message in messages:
            problem("quiz", message)
    if "discussion" in text and "discussion-guide" in text:
        for message in _guide_problems(text["discussion"], text["discussion-guide"], w):
            problem("discussion-guide", message)
    order = [cell.get("id") for cell in notebook["cells"]]
    if "data-activity" in order:
        after = notebook["cells"][order.index("data-activity") + 1 :]
        if not any(cell["cell_type"] == "code" and _source(cell).strip() for cell in after):
            problem("data-activity", "no code cell follows it (the activity draws a timeline or chart)")

    lesson.reading_words = reading_words(notebook, language)
    limit = MAX_READING_WORDS[language]
    if lesson.reading_words > limit:
        problem(None, f"student reading is {lesson.reading_words} words, at most {limit}")
    return lesson, found


def guide_sections(guide: str, language: str = "en") -> dict[int, str]:
    """The instructor guide's section for each lesson, under headings '### Lesson N: ...' ('### Lección N: ...')."""
    parts = re.split(rf"^### {WORDS[language].lesson} (\d+):.*$", guide, flags=re.M)
    return {int(number): body for number, body in zip(parts[1::2], parts[2::2], strict=True)}


def check_guide(guide: str, lessons: list[Lesson], language: str = "en", numbers: range = range(0)) -> list[Problem]:
    """The guide plans every lesson with the same timed plan as the notebook, with differentiation notes.

    ``lessons`` are the guide language's lessons; ``numbers``, every lesson the guide must plan (a
    translated guide plans lessons whose own translation is still to come: those have no plan to match).
    """
    found, sections, words_ = [], guide_sections(guide, language), WORDS[language]
    shown = "notebooks/instructor-guide.md" if language == "en" else f"notebooks/{language}/instructor-guide.md"
    plans = {lesson.number: lesson for lesson in lessons if lesson.number is not None}

    def problem(number: int, message: str) -> None:
        found.append(Problem(shown, None, f"{words_.lesson} {number}", message))

    for number in sorted(set(plans) | set(numbers)):
        section = sections.get(number)
        if section is None:
            problem(number, f"no section '### {words_.lesson} N: ...' plans this lesson")
            continue
        lesson = plans.get(number)
        if lesson is not None and plan_rows(section) != lesson.plan:
            problem(number, f"timed plan differs from the one in {lesson.name}")
        for part in words_.guide_parts:
            if part not in section:
                problem(number, f"has no {part} paragraph")
    return found


def load_notebook(path: Path) -> dict:
    """A notebook's JSON, checked for the shape the lesson checks read; ValueError says what is wrong."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ValueError("expected a notebook: a JSON object with a list of cells")
    for number, cell in enumerate(cells, start=1):
        source = cell.get("source") if isinstance(cell, dict) else None
        if not isinstance(source, (str, list)) or not isinstance(cell.get("cell_type"), str):
            raise ValueError(f"cell {number} is not a notebook cell (it needs a cell_type and a source)")
        if isinstance(source, list) and not all(isinstance(line, str) for line in source):
            raise ValueError(f"cell {number}: its source should be text")
        metadata = cell.get("metadata", {})
        if not isinstance(metadata, dict):
            raise ValueError(f"cell {number}: its metadata should be an object")
        tags = metadata.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise ValueError(f"cell {number}: its tags should be a list of words")
    return notebook


def lesson_paths(folder: Path) -> list[Path]:
    """The lesson notebooks, in order: ``NN-name.ipynb`` directly in the folder."""
    return sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb"))
