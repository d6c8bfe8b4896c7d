"""Tests for cyberhistory.render and cyberhistory.pages: editions, alt-text checks, escaping, pagination."""

import nbformat

from cyberhistory.pages import paginate
from cyberhistory.render import render_notebook, slugify


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def _solution():
    cell = nbformat.v4.new_code_cell("answer = 42")
    cell.metadata["tags"] = ["solution"]
    return cell


def test_student_edition_drops_solutions():
    """Solution cells are removed for students and marked for instructors."""
    nb = _notebook(nbformat.v4.new_markdown_cell("# T\n\n**Estimated time:** 5 minutes"), _solution())
    assert "answer = 42" not in render_notebook(nb, "t", "student").body
    instructor = render_notebook(nb, "t", "instructor")
    assert "answer" in instructor.body and 'aria-label="Solution"' in instructor.body and instructor.solutions == 1


def test_missing_alt_text_is_a_problem():
    """A PNG figure without alt text (or with nbconvert's placeholder) is reported with its cell."""
    cell = nbformat.v4.new_code_cell("plot()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})]
    result = render_notebook(_notebook(cell), "nb.ipynb", "student")
    assert result.problems == [
        "nb.ipynb: code cell 1: figure has no real alt text (draw it with a cyberhistory chart function)"
    ]
    cell.outputs[0].metadata = {"image/png": {"alt": "No description has been provided for this image"}}
    assert render_notebook(_notebook(cell), "nb.ipynb", "student").problems


def test_plain_text_output_is_escaped():
    """Text output with markup is escaped."""
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="<script>alert(1)</script>")]
    body = render_notebook(_notebook(cell), "t", "student").body
    assert "<script>" not in body and "&lt;script&gt;" in body


def test_headings_get_ids_and_toc():
    """Level 2 and 3 headings get unique ids and appear in the table of contents, unescaped."""
    nb = _notebook(nbformat.v4.new_markdown_cell('# Title\n\n## Why "exposing" hurts\n\n## Why "exposing" hurts'))
    result = render_notebook(nb, "t", "student")
    assert [slug for _, slug, _ in result.toc] == ["why-exposing-hurts", "why-exposing-hurts-2"]
    assert result.toc[0][2] == 'Why "exposing" hurts'
    assert slugify("<em>A</em> b!") == "a-b"


def test_paginate_respects_budget():
    """Items are split in order into pages under the byte budget (a single large item gets its own page)."""
    items = [(str(i), "x" * 400) for i in range(10)]
    pages = paginate(items, budget=1000)
    assert [len(p) for p in pages] == [2, 2, 2, 2, 2]
    assert [k for page in pages for k, _ in page] == [str(i) for i in range(10)]
    assert len(paginate([("big", "x" * 5000)], budget=1000)) == 1
