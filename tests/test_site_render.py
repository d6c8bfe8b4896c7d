"""Tests for cyberhistory.site.render: editions, alt-text checks, escaping, headings, the Sources section."""

import nbformat

from cyberhistory.site.render import render_editions, render_notebook, slugify


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
    assert 'answer <span class="o">=</span>' in instructor.key and 'aria-label="Solution"' in instructor.key
    assert instructor.solutions == 1
    assert 'answer <span class="o">=</span>' not in instructor.body and 'href="t-key.html#answer-1"' in instructor.body


def test_answer_key_keeps_each_run_of_solution_cells_together_under_its_exercise():
    """Consecutive solution cells are one model answer; each answer names the exercise and links back to it."""
    second = _solution()
    second.source = "print(answer)"
    nb = _notebook(
        nbformat.v4.new_markdown_cell("# T"),
        nbformat.v4.new_markdown_cell("### Exercise 1: count"),
        _solution(),
        second,
        nbformat.v4.new_markdown_cell("### Exercise 2: explain"),
        _solution(),
    )
    instructor = render_notebook(nb, "t", "instructor")
    assert instructor.body.count("answer-link") == 2
    assert instructor.key.count('class="answer"') == 2
    first, rest = instructor.key.split('id="answer-2"')
    assert "print" in first and 'href="t.html#exercise-1-count"' in first
    assert 'href="t.html#exercise-2-explain"' in rest
    assert render_notebook(nb, "t", "student").key == ""


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
    assert slugify("Lección 1: ¿Qué es? Año") == "leccion-1-que-es-ano"  # accents dropped, not turned into dashes


def _sources_cell(tags=()):
    cell = nbformat.v4.new_markdown_cell("Read on.\n\n## Sources\n\nThe list.")
    cell.metadata["tags"] = list(tags)
    return cell


def test_sources_section_moves_to_its_own_part():
    """The closing Sources section leaves the page body; what precedes its heading stays."""
    nb = _notebook(nbformat.v4.new_markdown_cell("# T\n\nBody text."), _sources_cell())
    result = render_notebook(nb, "t", "student")
    assert "Body text." in result.body and "Read on." in result.body and "The list." not in result.body
    assert "The list." in result.sources and "Body text." not in result.sources


def test_hidden_sources_cell_never_copies_the_notebook():
    """A Sources cell tagged instructor is absent for students, and the student body is the lesson, once."""
    nb = _notebook(nbformat.v4.new_markdown_cell("# T\n\nBody text."), _sources_cell(["instructor"]))
    student = render_notebook(nb, "t", "student")
    assert student.sources == "" and student.body.count("Body text.") == 1
    assert "The list." in render_notebook(nb, "t", "instructor").sources


def test_heading_ids_agree_across_editions():
    """A heading keeps the same id in both editions, even when a hidden cell before it has the same heading."""
    hidden = nbformat.v4.new_markdown_cell("## Answer")
    hidden.metadata["tags"] = ["solution"]
    nb = _notebook(nbformat.v4.new_markdown_cell("# T"), hidden, nbformat.v4.new_markdown_cell("## Answer"))
    editions = render_editions(nb, "t", ("student", "instructor"))
    assert editions["student"].toc == [(2, "answer-2", "Answer")]
    # the solution's heading moved to the answer key with the solution; the lesson's ids are unchanged
    assert editions["instructor"].toc == editions["student"].toc
    assert 'id="answer"' in editions["instructor"].key


def test_quiz_cell_becomes_a_form_of_radio_groups_with_short_answers_as_text():
    from cyberhistory.site.render import render_editions

    quiz = "## Quiz\n\nFor homework.\n\n1. Which **one**?\n   - A. first\n   - B. second\n2. (Short answer) Why?\n"
    nb = {
        "cells": [
            {"cell_type": "markdown", "id": "quiz", "metadata": {}, "source": quiz},
            {"cell_type": "code", "id": "q", "metadata": {}, "source": "# Your answer here", "outputs": []},
        ]
    }
    body = str(render_editions(nb, "l.ipynb", ("student",))["student"].body)
    assert "<legend>Which <strong>one</strong>?</legend>" in body
    assert body.count('type="radio"') == 2 and body.count('name="quiz-1-q1"') == 2
    assert 'id="quiz"' in body and "For homework." in body and "(Answer in the box below.)" in body
    assert render_editions(nb, "l.ipynb", ("student",))["student"].answers == 3  # two choices and the box


def test_organizer_empty_cells_become_labelled_fields_and_filled_cells_stay():
    from cyberhistory.site.render import fillable_organizer, markdown_to_html

    table = "| Claim | Who says it | Evidence | How sure? |\n|---|---|---|---|\n| It was real | a paper | | |\n"
    html = str(fillable_organizer(markdown_to_html(table)))
    assert html.count("<textarea") == 2 and "<td>a paper</td>" in html
    assert 'aria-label="It was real: Evidence"' in html and 'aria-label="It was real: How sure?"' in html
    assert '<table class="organizer">' in html and "<thead>" in html


def _svg_output(explore):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="A timeline of three events"></svg>'
    meta = {"image/svg+xml": {"alt": "A timeline of three events", "explore": explore}}
    return nbformat.v4.new_output("display_data", data={"image/svg+xml": svg}, metadata=meta)


def test_a_timeline_links_to_its_explorer_view():
    """A figure whose metadata names an explorer view gets a link to it under the figure."""
    cell = nbformat.v4.new_code_cell("plot_timeline(cartel)")
    cell.outputs = [_svg_output("from=2011&to=2011&campaign=operation-cartel")]
    body = render_notebook(_notebook(cell), "nb", "student").body
    assert '<a href="explore.html#from=2011&amp;to=2011&amp;campaign=operation-cartel">' in body


def test_an_explorer_view_that_is_not_a_plain_fragment_is_dropped():
    """Metadata cannot put markup or another address into the page through the link."""
    for bad in ('x=1"><script>alert(1)</script>', "from=2011&to=//evil.example", "javascript:alert(1)"):
        cell = nbformat.v4.new_code_cell("plot()")
        cell.outputs = [_svg_output(bad)]
        body = render_notebook(_notebook(cell), "nb", "student").body
        assert "figure-explore" not in body and "<script>alert" not in body
