"""Turn an executed notebook into HTML for one edition of the site.

Cells are rendered once; each edition then keeps the cells it shows. The
student edition drops cells tagged ``solution`` or ``instructor``; the
instructor edition keeps and marks them. Figures keep their alt text; a figure
without real alt text is reported, never published silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

import mistune
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from cyberhistory import i18n
from cyberhistory.i18n import gettext as _
from cyberhistory.lessons import WORDS
from cyberhistory.site.html import Markup, render
from cyberhistory.site.student import HIDDEN_FOR_STUDENTS

_EXPLORE_VIEW = re.compile(r"[a-z]+=[\w.,-]+(?:&[a-z]+=[\w.,-]+)*")
PLACEHOLDER_ALT = re.compile(r"^\s*$|no description|^image$|^figure$|^plot$|^chart$", re.I)

# Notebook Markdown is the project's own reviewed prose, so its HTML is trusted (escape=False).
_markdown = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])
_formatter = HtmlFormatter(nowrap=True)
_lexer = PythonLexer()
# pandas ships a scoped <style> with every table; the site stylesheet already styles them.
_PANDAS_STYLE = re.compile(r"<style scoped>.*?</style>", re.S)
# Names, punctuation and whitespace are drawn in the default text colour, so their spans only add weight.
# Whitespace before a block or table tag shows nothing; pandas indents every cell of its tables with it.
_BLOCK_GAP = re.compile(r">\s+<(?=/?(?:table|thead|tbody|tr|td|th|ul|ol|li|dl|dt|dd|p|div|article|section)\b)")
_PLAIN_TOKEN = re.compile(r'<span class="(?:n|p|w)">([^<]*)</span>')
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)


def _words():
    """The lesson format's words in the language being written (``## Sources`` or ``## Fuentes``...)."""
    return WORDS[i18n.current()]


@dataclass
class Rendered:
    """A notebook as HTML for one edition, with what the page around it needs."""

    title: str
    body: Markup
    toc: list[tuple[int, str, str]] = field(default_factory=list)  # (level, id, text)
    minutes: str | None = None
    objectives: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    solutions: int = 0
    sources: Markup = field(default_factory=Markup)  # the closing "Sources" section, published on a page of its own
    key: Markup = field(default_factory=Markup)  # the model answers (instructor edition), on a page of their own
    worksheet: Markup = field(default_factory=Markup)  # the exercises for paper, on a page of their own
    answers: int = 0  # answer boxes on the page


@dataclass
class _Cell:
    kind: str  # "markdown", "code" or "answer" (the student's empty work cell)
    tags: frozenset[str]
    html: Markup
    headings: list[tuple[int, str, str]]
    printed: Markup | None = None  # the cell on a paper worksheet, when it differs (code without its input)

    @property
    def role(self) -> str | None:
        return "solution" if "solution" in self.tags else ("instructor" if "instructor" in self.tags else None)


def slugify(text: str) -> str:
    """A stable, readable id for a heading: accents dropped, so "Lección 1" is ``leccion-1``."""
    import unicodedata

    text = unicodedata.normalize("NFKD", unescape(re.sub(r"<[^>]+>", "", text)))
    text = "".join(c for c in text if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "section"


def markdown_to_html(text: str) -> Markup:
    """Render notebook Markdown (tables included) to HTML; code blocks can be scrolled from the keyboard."""
    return Markup(_markdown(text).replace("<pre>", '<pre tabindex="0">'))


def add_heading_ids(html: str, used: set[str]) -> tuple[Markup, list[tuple[int, str, str]]]:
    """Give every heading a unique id; return the HTML and its level-2 and level-3 headings."""
    headings = []

    def replace(match: re.Match) -> str:
        level, inner = int(match.group(1)), match.group(2)
        base = slug = slugify(inner)
        n = 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        if level in (2, 3):
            headings.append((level, slug, unescape(re.sub(r"<[^>]+>", "", inner))))
        return f'<h{level} id="{slug}">{inner}</h{level}>'

    return Markup(_HEADING.sub(replace, html)), headings


def highlight_python(source: str) -> Markup:
    """Syntax-highlighted HTML for a code cell, without spans that change nothing."""
    return Markup(_PLAIN_TOKEN.sub(r"\1", highlight(source, _lexer, _formatter)))


def _svg(svg: str) -> Markup:
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    # Marker links stay clickable but out of the tab order: a timeline would otherwise add hundreds of
    # tab stops, and every event is reachable from the data page anyway.
    return Markup(svg.replace("<a xlink:href=", '<a tabindex="-1" xlink:href='))


def _alt_of(output: dict, mime: str) -> str:
    meta = output.get("metadata", {})
    return (meta.get(mime, {}) or {}).get("alt") or meta.get("alt") or ""


def _explore_of(output: dict, mime: str) -> str | None:
    """The explorer view a timeline figure asks to be linked to, if it is a plain ``key=value&...`` fragment."""
    view = (output.get("metadata", {}).get(mime, {}) or {}).get("explore") or ""
    return view if _EXPLORE_VIEW.fullmatch(view) else None


def _output(output: dict, where: str, problems: list[str]) -> dict | None:
    """One output as the template shows it (markup we produced ourselves is marked safe here, on purpose)."""
    kind = output.get("output_type")
    if kind == "stream":
        return {
            "type": "stream",
            "css": "stderr" if output.get("name") == "stderr" else "stdout",
            "text": output.get("text", ""),
        }
    if kind not in ("display_data", "execute_result"):
        return None
    data = output.get("data", {})
    if "image/svg+xml" in data:
        svg = _svg(data["image/svg+xml"])
        if PLACEHOLDER_ALT.search(_alt_of(output, "image/svg+xml")) or 'aria-label="' not in svg[:2000]:
            problems.append(f"{where}: figure has no real alt text")
        return {"type": "svg", "html": svg, "explore": _explore_of(output, "image/svg+xml")}
    if "image/png" in data:
        alt = _alt_of(output, "image/png")
        if PLACEHOLDER_ALT.search(alt):
            problems.append(f"{where}: figure has no real alt text (draw it with a cyberhistory chart function)")
        return {"type": "png", "data": data["image/png"], "alt": alt}
    if "text/html" in data:
        return {"type": "html", "html": Markup(_BLOCK_GAP.sub("><", _PANDAS_STYLE.sub("", data["text/html"])))}
    if "text/markdown" in data:
        return {"type": "markdown", "html": markdown_to_html(data["text/markdown"])}
    if "text/plain" in data:
        return {"type": "text", "text": data["text/plain"]}
    return None


def _cells(notebook: dict, name: str, problems: list[str]) -> list[_Cell]:
    """Every cell rendered once (edition-independent), heading ids unique across the whole notebook."""
    used: set[str] = set()
    cells, code_number = [], 0
    question = _Question(name.removesuffix(".ipynb"))
    for cell in notebook["cells"]:
        tags = frozenset(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] == "markdown":
            quiz = cell.get("id") == QUIZ_ID and not tags & HIDDEN_FOR_STUDENTS
            html = quiz_form(cell["source"]) if quiz else markdown_to_html(cell["source"])
            html, headings = add_heading_ids(html, used)
            if cell.get("id") == ORGANIZER_ID:
                html = fillable_organizer(html)
            cells.append(_Cell("markdown", tags, html, headings))
            if not tags & HIDDEN_FOR_STUDENTS:
                question.read(html, headings)
        elif cell["cell_type"] == "code":
            code_number += 1
            if is_answer_cell(cell["source"], tags):
                box = question.box()
                cells.append(_Cell("answer", tags, box, [], printed=render("answer_lines.html", box=question.number)))
                continue
            where = f"{name}: code cell {code_number}"
            shown = "remove-input" not in tags and cell["source"].strip()
            outputs = [o for o in (_output(o, where, problems) for o in cell.get("outputs", [])) if o]
            html = render("cell_code.html", code=highlight_python(cell["source"]) if shown else None, outputs=outputs)
            printed = render("cell_code.html", code=None, outputs=outputs) if outputs else Markup("")
            cells.append(_Cell("code", tags, html, [], printed=printed))
    return cells


#: The lesson's graphic organizer (see docs/lesson-format.md): its empty cells become fields on the site.
ORGANIZER_ID = "organizer"
_FIELD_MARK = 'class="organizer-field"'
_CHOICE_MARK = 'class="quiz-choice"'
_TABLE = re.compile(r"<table>.*?</table>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(td|th)([^>]*)>(.*?)</\1>", re.S)


def fillable_organizer(html: str) -> Markup:
    """Give every empty body cell of the organizer's table a text field, labelled by its row and column.

    The fields are answer fields like the answer boxes (assets/answers.js keeps them in the browser);
    printed, the table keeps its empty cells to write in.
    """
    number = 0

    def table(match: re.Match) -> str:
        nonlocal number
        rows = _ROW.findall(match.group(0))
        header = [unescape(re.sub(r"<[^>]+>", "", c[2])).strip() for c in _CELL.findall(rows[0])] if rows else []
        out = []
        for row in rows:
            cells = _CELL.findall(row)
            label = unescape(re.sub(r"<[^>]+>", "", cells[0][2])).strip() if cells else ""
            parts = []
            for col, (tag, attrs, inner) in enumerate(cells):
                if tag == "td" and not inner.strip():
                    number += 1
                    column = header[col] if col < len(header) else _("column %(number)s") % {"number": col + 1}
                    row_name = label or _("row %(number)s") % {"number": number}
                    inner = str(render("organizer_field.html", number=number, row=row_name, column=column))
                parts.append(f"<{tag}{attrs}>{inner}</{tag}>")
            out.append("<tr>" + "".join(parts) + "</tr>")
        head, body = out[:1], out[1:]
        return f'<table class="organizer"><thead>{"".join(head)}</thead><tbody>{"".join(body)}</tbody></table>'

    return Markup(_TABLE.sub(table, html))


#: The lesson's quiz bank (see docs/lesson-format.md): on the site, its multiple-choice questions are a form.
QUIZ_ID = "quiz"
_OPTION_LINE = re.compile(r"^\s+[-*]\s+([A-E])\.\s+(.*)$")


def quiz_form(markdown: str) -> Markup:
    """The quiz cell as HTML: its text before the questions as written, then each question as a form part."""
    from cyberhistory.lessons import numbered_items

    lines = markdown.splitlines()
    first = next((i for i, line in enumerate(lines) if re.match(r"^\d+\.\s", line)), len(lines))
    questions = []
    for number, text in numbered_items("\n".join(lines[first:])):
        stem = [line for line in text.splitlines() if not _OPTION_LINE.match(line)]
        options = [(m.group(1), _inline(m.group(2))) for m in map(_OPTION_LINE.match, text.splitlines()) if m]
        html = _inline(" ".join(line.strip() for line in stem if line.strip()))
        plain = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html))).strip()
        questions.append({"number": number, "html": html, "text": plain, "options": options})
    intro = markdown_to_html("\n".join(lines[:first]))
    return Markup(intro + render("quiz.html", questions=questions, number=1))


def _inline(text: str) -> Markup:
    """Markdown of one line, without the paragraph around it."""
    html = str(markdown_to_html(text)).strip()
    return Markup(html[3:-4] if html.startswith("<p>") and html.endswith("</p>") else html)


#: The work cell a notebook leaves for the student: tagged ``answer``, or just this comment.
ANSWER_PLACEHOLDER = WORDS["en"].placeholder
_PLACEHOLDERS = frozenset(w.placeholder for w in WORDS.values())


def is_answer_cell(source: str, tags: frozenset[str]) -> bool:
    """True for a student's empty work cell, which the site shows as an answer box."""
    return "answer" in tags or source.strip() in _PLACEHOLDERS


class _Question:
    """Follows the markdown read so far, so that each answer box knows the exercise it answers."""

    def __init__(self, lesson: str):
        self.lesson, self.number, self.heading, self.prompt = lesson, 0, ("", _("this exercise")), []

    def read(self, html: str, headings: list[tuple[int, str, str]]) -> None:
        if headings:
            self.heading, self.prompt = headings[-1][1:], []
            html = html.split("</h" + str(headings[-1][0]) + ">", 1)[-1] if "</h" in html else html
        text = unescape(re.sub(r"<[^>]+>", " ", html))
        self.prompt.append(re.sub(r"\s+", " ", text).strip())

    def box(self) -> Markup:
        self.number += 1
        slug, title = self.heading
        question = " ".join(p for p in self.prompt if p)
        return render(
            "answer_box.html", lesson=self.lesson, number=self.number, title=title, slug=slug, question=question
        )


def _sources_start(notebook: dict) -> int | None:
    """Index of the last markdown cell with a "## Sources" heading: the notebook's closing Sources section."""
    for index in range(len(notebook["cells"]) - 1, -1, -1):
        cell = notebook["cells"][index]
        if cell["cell_type"] == "markdown" and re.search(rf"^## {_words().sources}\s*$", cell["source"], re.M):
            return index
    return None


def _split_sources(cell: _Cell) -> tuple[_Cell | None, _Cell]:
    """Split the Sources cell at its heading: what precedes it stays on the page, the rest moves."""
    heading = _words().sources
    cut = cell.html.find(f'<h2 id="{heading.lower()}')
    before = Markup(cell.html[:cut])
    after = Markup(re.sub(rf'<h2 id="{heading.lower()}[^"]*">{heading}</h2>', "", cell.html[cut:], count=1))
    head = _Cell(cell.kind, cell.tags, before, []) if before.strip() else None
    return head, _Cell(cell.kind, cell.tags, after, [])


def _metadata(markdown: list[str]) -> tuple[str | None, list[str], str | None]:
    """Title, learning objectives and estimated time, read from the first markdown cells."""
    first = re.search(r"^#\s+(.+)$", markdown[0], re.M) if markdown else None
    objectives = []
    for text in markdown[:3]:
        match = re.search(rf"#+\s*{_words().objectives}\s*\n+((?:\s*[-*] .+\n?)+)", text, re.I)
        if match:
            objectives = [re.sub(r"^\s*[-*]\s+", "", line).strip() for line in match.group(1).strip().splitlines()]
            break
    minutes = None
    for text in markdown[:2]:
        found = re.search(rf"{_words().time}:\**\s*([^\n]+)", text, re.I)
        if found:
            minutes = found.group(1).strip(" *.")
            break
    return (first.group(1).strip() if first else None), objectives, minutes


def lesson_title(notebook: dict, name: str) -> str:
    """A notebook's title as its pages give it: its first markdown heading, or its file name."""
    markdown = [c["source"] for c in notebook["cells"] if c["cell_type"] == "markdown"]
    title = _metadata(["".join(m) if isinstance(m, list) else m for m in markdown])[0]
    return title or name


def render_editions(notebook: dict, name: str, editions: tuple[str, ...]) -> dict[str, Rendered]:
    """Render an executed notebook once and cut it into each edition (``student``, ``instructor``)."""
    problems: list[str] = []
    cells = _cells(notebook, name, problems)
    start = _sources_start(notebook)
    title, objectives, minutes = _metadata([c["source"] for c in notebook["cells"] if c["cell_type"] == "markdown"])
    solutions = sum(c.role == "solution" for c in cells)
    result = {}
    for edition in editions:
        visible = [i for i, c in enumerate(cells) if edition != "student" or not c.tags & HIDDEN_FOR_STUDENTS]
        body, key = _answer_key([cells[i] for i in visible if start is None or i < start], name)
        sources: list[_Cell] = []
        if start is not None and start in visible:
            head, tail = _split_sources(cells[start])
            body += [head] if head else []
            sources = [tail] + [cells[i] for i in visible if i > start]
        result[edition] = Rendered(
            title=title or name,
            body=render("cells.html", cells=body),
            toc=[h for c in body for h in c.headings],
            minutes=minutes,
            objectives=objectives,
            problems=problems,
            solutions=solutions if edition != "student" else 0,
            sources=render("cells.html", cells=sources) if sources else Markup(""),
            key=_key_page(title or name, name, key) if key else Markup(""),
            worksheet=_worksheet(title or name, name, objectives, body),
            answers=sum(c.kind == "answer" for c in body)
            + sum(c.html.count(_FIELD_MARK) + c.html.count(_CHOICE_MARK) for c in body),
        )
    return result


def _worksheet(title: str, name: str, objectives: list[str], cells: list[_Cell]) -> Markup:
    """The lesson's work for paper: documents, organizer, questions, exercises, exit ticket and quiz.

    Each part runs from a heading that starts with one of the format's worksheet parts to the next heading
    of the same level or higher; code is left out (its output stays), answer boxes become ruled lines.
    """
    picked, level = [], None
    for cell in cells:
        for heading_level, _slug, text in cell.headings:
            if text.lower().startswith(_words().worksheet_parts):
                level = heading_level
            elif level is not None and heading_level <= level:
                level = None
        if level is not None and cell.role != "solution":
            picked.append(cell.printed if cell.printed is not None else cell.html)
    if not picked:
        return Markup("")
    lesson = name.removesuffix(".ipynb") + ".html"
    return render("worksheet.html", title=title, lesson=lesson, objectives=objectives, parts=picked)


def _key_page(title: str, name: str, answers: list[dict]) -> Markup:
    return render("answer_key.html", title=title, lesson=name.removesuffix(".ipynb") + ".html", answers=answers)


def _answer_key(cells: list[_Cell], name: str) -> tuple[list[_Cell], list[dict]]:
    """Move each run of solution cells to the answer key, leaving a link where it stood.

    A lesson page stays light and reads the same in both editions; the key page lists the model
    answers in order, each under the heading of the exercise it answers and linking back to it.
    """
    body, answers, heading = [], [], (None, _("this lesson"))
    key_page = name.removesuffix(".ipynb") + "-key.html"
    for cell in cells:
        if cell.headings and cell.role != "solution":  # a key's own heading is on the key page only
            heading = cell.headings[-1][1:]
        if cell.role != "solution":
            body.append(cell)
        elif answers and answers[-1]["open"]:
            answers[-1]["cells"].append(cell)
        else:
            answers.append(
                {"number": len(answers) + 1, "anchor": heading[0], "for": heading[1], "cells": [cell], "open": True}
            )
            link = render("answer_link.html", href=f"{key_page}#answer-{len(answers)}", number=len(answers))
            body.append(_Cell("markdown", frozenset(), link, []))
        if cell.role != "solution" and answers:
            answers[-1]["open"] = False
    for answer in answers:
        answer["html"] = render("cells.html", cells=answer.pop("cells"))
    return body, answers


def render_notebook(notebook: dict, name: str, edition: str) -> Rendered:
    """Render an executed notebook for the ``student`` or ``instructor`` edition."""
    return render_editions(notebook, name, (edition,))[edition]


def pygments_css() -> str:
    """Syntax-highlighting rules for the shared stylesheet."""
    return HtmlFormatter(style="default").get_style_defs("pre.code")
