"""Tests for the no-code route's answer boxes and worksheets, on the real site in a real browser.

Answer boxes keep their text in the browser (localStorage) and download as one file; worksheets
print to PDF with the exercises and no solution. Everything runs from file:// with every other
request blocked and counted.
"""

from __future__ import annotations

import io

import nbformat
import pytest
from conftest import ROOT

from cyberhistory.site.render import render_editions

# The real site is built by running the notebooks' kernels.
pytestmark = pytest.mark.notebooks

LESSON = "07-operation-cartel-claims-and-risks.html"


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def _exercise_notebook():
    solution = nbformat.v4.new_code_cell("print('the model answer')")
    solution.metadata["tags"] = ["solution"]
    return _notebook(
        nbformat.v4.new_markdown_cell("# Lesson\n\n## Learning objectives\n\n- Weigh two sources"),
        nbformat.v4.new_markdown_cell("## Background\n\nSome background."),
        nbformat.v4.new_markdown_cell("### Exercise 1: two sources\n\nCompare the <b>two</b> sources."),
        nbformat.v4.new_code_cell("# Your answer here"),
        solution,
        nbformat.v4.new_markdown_cell("## Discussion\n\nAfter the exercises."),
    )


def test_answer_cells_become_labelled_boxes_with_their_question():
    """The student's work cell is an answer box named after its exercise, carrying the exercise's prompt."""
    editions = render_editions(_exercise_notebook(), "l.ipynb", ("student", "instructor"))
    for edition in editions.values():
        assert edition.answers == 1
        assert '<label for="answer-1">Your answer: Exercise 1: two sources</label>' in edition.body
        assert 'data-question="Compare the two sources."' in edition.body
        assert "# Your answer here" not in edition.body


def test_worksheet_holds_the_exercises_only_with_lines_to_write_on():
    """The worksheet has the objectives and the exercise, ruled lines for the answer, and nothing else."""
    worksheet = render_editions(_exercise_notebook(), "l.ipynb", ("student", "instructor"))["student"].worksheet
    assert "Worksheet: Lesson" in worksheet and "Weigh two sources" in worksheet
    assert "Compare the <b>two</b> sources." in worksheet and 'class="answer-lines"' in worksheet
    assert "Some background" not in worksheet and "After the exercises" not in worksheet
    assert "model answer" not in worksheet and "<textarea" not in worksheet


def test_a_lesson_without_exercises_has_no_worksheet():
    nb = _notebook(nbformat.v4.new_markdown_cell("# Lesson\n\nJust reading."))
    rendered = render_editions(nb, "l.ipynb", ("student",))["student"]
    assert rendered.worksheet == "" and rendered.answers == 0


@pytest.fixture
def lesson(site_build, browser):
    """The real student lesson in a fresh browser context, with outside requests counted."""
    context = browser.new_context(accept_downloads=True)
    outside: list[str] = []
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith("file:") else (outside.append(r.request.url), r.abort()),
    )
    page = context.new_page()
    page.goto((site_build.out / "student" / LESSON).as_uri())
    yield page
    assert outside == []
    context.close()


@pytest.mark.browser
def test_an_answer_survives_a_reload_and_is_in_the_downloaded_file(lesson):
    box = lesson.locator(".answer-box textarea").first
    box.fill("Both outlets report the release as a claim by Anonymous.")
    lesson.wait_for_timeout(500)  # the box saves after a short pause in typing
    lesson.reload()
    assert lesson.locator(".answer-box textarea").first.input_value().startswith("Both outlets report")
    with lesson.expect_download() as download:
        lesson.get_by_role("button", name="Download my answers").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert download.value.suggested_filename == "07-operation-cartel-claims-and-risks-my-answers.txt"
    assert "Exercise 1: five citations, one origin" in text and "Both outlets report the release" in text
    assert "Show the sources of Stratfor's claim" in text  # the question travels with the answer
    assert "downloads" in lesson.locator("#answer-status").text_content()


@pytest.mark.browser
def test_clearing_answers_asks_first_and_forgets_them(lesson):
    box = lesson.locator(".answer-box textarea").first
    box.fill("draft")
    lesson.wait_for_timeout(500)
    lesson.once("dialog", lambda dialog: dialog.accept())
    lesson.get_by_role("button", name="Clear my answers on this page").click()
    lesson.reload()
    assert lesson.locator(".answer-box textarea").first.input_value() == ""


@pytest.mark.browser
def test_editions_keep_separate_answers(lesson, site_build):
    lesson.locator(".answer-box textarea").first.fill("student answer")
    lesson.wait_for_timeout(500)
    lesson.goto((site_build.out / "instructor" / LESSON).as_uri())
    assert lesson.locator(".answer-box textarea").first.input_value() == ""


@pytest.mark.browser
def test_without_scripts_the_page_says_answers_are_not_kept(site_build, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site_build.out / "student" / LESSON).as_uri())
    assert page.get_by_text("Scripts are off in this browser, so answers are not kept").is_visible()
    assert not page.get_by_role("button", name="Download my answers").is_visible()
    page.locator(".answer-box textarea").first.fill("still typeable")
    context.close()


@pytest.mark.browser
def test_worksheet_prints_the_exercises_and_no_solution(site_build, browser):
    from pypdf import PdfReader

    nb = nbformat.read(ROOT / "notebooks" / LESSON.replace(".html", ".ipynb"), as_version=4)
    solutions = [c.source for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    page = browser.new_page()
    page.goto((site_build.out / "student" / LESSON.replace(".html", "-worksheet.html")).as_uri())
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf())).pages)
    page.close()
    text = " ".join(text.replace("\ufb01", "fi").replace("\ufb02", "fl").split())  # PDF ligatures
    assert "Exercise 1: five citations, one origin" in text and "Exercise 2 (extension)" in text
    assert "Student edition" not in text and "Back to the lesson" not in text  # no chrome on paper
    lines = [line.strip() for s in solutions for line in s.splitlines() if len(line.strip()) > 30]
    assert lines and not [line for line in lines if " ".join(line.split()) in text]
