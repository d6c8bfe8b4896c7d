"""Turn an executed notebook into an HTML fragment for one edition of the site.

The student edition drops cells tagged ``solution`` or ``instructor``; the
instructor edition keeps and marks them. Figures keep their alt text; a
figure without real alt text is reported, never published silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape

import mistune
import nbformat
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

HIDDEN_FOR_STUDENTS = frozenset({"solution", "instructor"})
PLACEHOLDER_ALT = re.compile(r"^\s*$|no description|^image$|^figure$|^plot$|^chart$", re.I)

_markdown = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])
_formatter = HtmlFormatter(nowrap=True)
# Names, punctuation and whitespace are drawn in the default text colour, so their spans only add weight.
_PANDAS_STYLE = re.compile(r"<style scoped>.*?</style>", re.S)
_PLAIN_TOKEN = re.compile(r'<span class="(?:n|p|w)">([^<]*)</span>')


def highlight_python(source: str) -> str:
    """Syntax-highlighted HTML for a code cell, without spans that change nothing."""
    return _PLAIN_TOKEN.sub(r"\1", highlight(source, _lexer, _formatter))


_lexer = PythonLexer()


@dataclass
class Rendered:
    """A notebook as HTML, with what the page around it needs."""

    title: str
    body: str
    toc: list[tuple[int, str, str]] = field(default_factory=list)  # (level, id, text)
    minutes: str | None = None
    objectives: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    solutions: int = 0
    sources: str = ""  # the notebook's closing "Sources" section, published on a page of its own


def slugify(text: str) -> str:
    """A stable, readable id for a heading."""
    text = unescape(re.sub(r"<[^>]+>", "", text))
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "section"


def markdown_to_html(text: str) -> str:
    """Render notebook Markdown (tables included) to HTML; code blocks can be scrolled from the keyboard."""
    return _markdown(text).replace("<pre>", '<pre tabindex="0">')


def _add_heading_ids(html: str, toc: list, used: set[str]) -> str:
    def replace(match: re.Match) -> str:
        level, inner = int(match.group(1)), match.group(2)
        base = slugify(inner)
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        if level in (2, 3):
            toc.append((level, slug, unescape(re.sub(r"<[^>]+>", "", inner))))
        return f'<h{level} id="{slug}">{inner}</h{level}>'

    return re.sub(r"<h([1-6])>(.*?)</h\1>", replace, html, flags=re.S)


def _svg(svg: str) -> str:
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    # Marker links stay clickable but out of the tab order: a timeline would otherwise add hundreds of
    # tab stops, and every event is reachable from the data page anyway.
    return svg.replace("<a xlink:href=", '<a tabindex="-1" xlink:href=')


def _alt_of(output, mime: str) -> str:
    meta = output.get("metadata", {})
    return (meta.get(mime, {}) or {}).get("alt") or meta.get("alt") or ""


def _output_html(output, where: str, problems: list[str]) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        css = "stderr" if output.get("name") == "stderr" else "stdout"
        return f'<pre class="output {css}" tabindex="0">{escape(output.get("text", ""))}</pre>'
    if kind not in ("display_data", "execute_result"):
        return ""
    data = output.get("data", {})
    if "image/svg+xml" in data:
        alt = _alt_of(output, "image/svg+xml")
        svg = _svg(data["image/svg+xml"])
        if PLACEHOLDER_ALT.search(alt) or 'aria-label="' not in svg[:2000]:
            problems.append(f"{where}: figure has no real alt text")
        return f'<figure class="figure">{svg}</figure>'
    if "image/png" in data:
        alt = _alt_of(output, "image/png")
        if PLACEHOLDER_ALT.search(alt):
            problems.append(f"{where}: figure has no real alt text (draw it with a cyberhistory chart function)")
        return (
            f'<figure class="figure"><img src="data:image/png;base64,{data["image/png"]}" alt="{escape(alt)}"></figure>'
        )
    if "text/html" in data:
        # pandas ships a scoped <style> with every table; the site stylesheet already styles them.
        table = _PANDAS_STYLE.sub("", data["text/html"])
        return f'<div class="output html" tabindex="0">{table}</div>'
    if "text/markdown" in data:
        return f'<div class="output markdown">{markdown_to_html(data["text/markdown"])}</div>'
    if "text/plain" in data:
        return f'<pre class="output" tabindex="0">{escape(data["text/plain"])}</pre>'
    return ""


def _objectives(markdown_cells: list[str]) -> list[str]:
    for text in markdown_cells[:3]:
        match = re.search(r"#+\s*Learning objectives\s*\n+((?:\s*[-*] .+\n?)+)", text, re.I)
        if match:
            return [re.sub(r"^\s*[-*]\s+", "", line).strip() for line in match.group(1).strip().splitlines()]
    return []


def render_notebook(notebook: nbformat.NotebookNode, name: str, edition: str) -> Rendered:
    """Render an executed notebook for the ``student`` or ``instructor`` edition."""
    parts: list[str] = []
    toc: list = []
    used: set[str] = set()
    problems: list[str] = []
    solutions = 0
    code_number = 0
    markdown_sources = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    sources_at = _sources_section_start(notebook)
    body_parts: list[str] = parts
    for index, cell in enumerate(notebook.cells):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.cell_type == "code":
            code_number += 1
        if edition == "student" and tags & HIDDEN_FOR_STUDENTS:
            continue
        if cell.cell_type == "markdown":
            html = _add_heading_ids(markdown_to_html(cell.source), toc, used)
            if index == sources_at:
                # The closing Sources section moves to its own page; what precedes it in the cell stays.
                cut = html.find('<h2 id="sources')
                if html[:cut].strip():
                    parts.append(_wrap(html[:cut], tags, "markdown"))
                parts = []
                html = re.sub(r'<h2 id="sources[^"]*">Sources</h2>', "", html[cut:], count=1)
            parts.append(_wrap(html, tags, "markdown"))
        elif cell.cell_type == "code":
            where = f"{name}: code cell {code_number}"
            code = ""
            if "remove-input" not in tags and cell.source.strip():
                code = f'<pre class="code" tabindex="0" aria-label="Python code"><code>{highlight_python(cell.source)}</code></pre>'
            outputs = "".join(_output_html(o, where, problems) for o in cell.get("outputs", []))
            parts.append(_wrap(code + outputs, tags, "code"))
        if "solution" in tags:
            solutions += 1
    sources_html = ""
    if sources_at is not None:
        sources_html, parts = "\n".join(parts), body_parts
    first = re.search(r"^#\s+(.+)$", markdown_sources[0], re.M) if markdown_sources else None
    minutes = None
    for text in markdown_sources[:2]:
        found = re.search(r"Estimated time:\**\s*([^\n]+)", text, re.I)
        if found:
            minutes = found.group(1).strip(" *.")
            break
    return Rendered(
        title=first.group(1).strip() if first else name,
        body="\n".join(parts),
        toc=toc,
        minutes=minutes,
        objectives=_objectives(markdown_sources),
        problems=problems,
        solutions=solutions,
        sources=sources_html,
    )


def _sources_section_start(notebook: nbformat.NotebookNode) -> int | None:
    """Index of the markdown cell whose last heading is "## Sources", if the notebook ends with one."""
    for index in range(len(notebook.cells) - 1, -1, -1):
        cell = notebook.cells[index]
        if cell.cell_type == "markdown" and re.search(r"^## Sources\s*$", cell.source, re.M):
            return index
    return None


def _wrap(html: str, tags: set[str], kind: str) -> str:
    if "solution" in tags:
        return f'<section class="cell {kind} solution" aria-label="Solution"><p class="solution-label">Solution (instructor edition)</p>{html}</section>'
    if "instructor" in tags:
        return f'<section class="cell {kind} instructor-note" aria-label="Instructor note"><p class="solution-label">Instructor note</p>{html}</section>'
    return f'<div class="cell {kind}">{html}</div>'


def pygments_css() -> str:
    """Syntax-highlighting rules for the shared stylesheet."""
    return HtmlFormatter(style="default").get_style_defs("pre.code")
