"""The lessons on the real site: documents link their sources' entries, organizers take answers,
teacher-only parts (exit-ticket and quiz keys, discussion guidance) reach the instructor edition only,
and the final project lists the events no lesson studies."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from conftest import open_offline

from cyberhistory import lessons
from cyberhistory.project import EXEMPLAR, eligible_events

pytestmark = pytest.mark.notebooks

ROOT = Path(__file__).resolve().parents[1]
LESSON_DIR = ROOT / "notebooks"
PATHS = lessons.lesson_paths(LESSON_DIR)


TEACHER_ONLY = ("exit-ticket-key", "quiz-key", "discussion-guide")
_SOURCE_HREF = re.compile(r'href="(sources-\d+\.html)#source-([^"]+)"')


def _cells(path: Path) -> dict[str, str]:
    return {c.get("id"): "".join(c["source"]) for c in lessons.load_notebook(path)["cells"]}


def _phrases(markdown: str) -> list[str]:
    """Distinctive plain-text runs of a cell (no markup), to look for in the rendered pages."""
    text = re.sub(r"\*\*[^*]+\*\*|[*`>|]|(?<!\w)_|_(?!\w)|^#+ |\[|\]\([^)]*\)", " ", markdown, flags=re.M)
    runs = [" ".join(part.split()) for part in re.split(r"[.;:?!\n]", text)]
    return sorted((r for r in runs if len(r) > 40), key=len, reverse=True)[:3]


def _edition_text(folder: Path) -> str:
    """Every page's text (no markup), so a phrase is found across glossary links and escaped quotes."""
    pages = (unescape(re.sub(r"<[^>]+>", "", p.read_text(encoding="utf-8"))) for p in folder.glob("*.html"))
    return "\n".join(re.sub(r"\s+", " ", text) for text in pages)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_every_document_links_its_source_entry(site_build, path):
    for edition in ("student", "instructor"):
        folder = site_build.out / edition
        html = (folder / f"{path.stem}.html").read_text(encoding="utf-8")
        assert "data.html#source-" not in html, "a source link was left unresolved"
        cited = set(lessons.check_lesson(lessons.load_notebook(path), path.name)[0].documents)
        linked = {source for _, source in _SOURCE_HREF.findall(html)}
        assert cited <= linked
        for page, source in _SOURCE_HREF.findall(html):
            assert f'id="source-{source}"' in (folder / page).read_text(encoding="utf-8"), (page, source)


def test_teacher_only_parts_are_in_the_instructor_edition_only(site_build):
    student, instructor = _edition_text(site_build.out / "student"), _edition_text(site_build.out / "instructor")
    checked = 0
    for path in PATHS:
        cells = _cells(path)
        for cell_id in TEACHER_ONLY:
            for phrase in _phrases(cells[cell_id]):
                assert phrase not in student, (path.name, cell_id, phrase)
                assert phrase in instructor, (path.name, cell_id, phrase)
                checked += 1
    assert checked >= len(PATHS) * len(TEACHER_ONLY)


def test_student_pages_show_the_exit_ticket_quiz_and_organizer(site_build):
    for path in PATHS:
        html = (site_build.out / "student" / f"{path.stem}.html").read_text(encoding="utf-8")
        assert 'class="organizer"' in html and 'class="organizer-field"' in html, path.name
        assert 'id="exit-ticket"' in html and 'id="quiz"' in html, path.name


def test_the_final_project_lists_events_no_lesson_studies(site_build, real_data):
    studied = {
        event
        for nb in site_build.notebooks.values()
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        for event in re.findall(r"\b(?:19|20)\d\d-[a-z0-9-]+", "".join(cell["source"]))
    }
    expected = eligible_events(real_data, studied & set(real_data.events["event_id"]))
    assert len(expected) >= 50
    for edition in ("student", "instructor"):
        html = (site_build.out / edition / "final-project.html").read_text(encoding="utf-8")
        assert f"{len(expected)} events qualify" in html
        listed = set(re.findall(r'#event-([\w-]+)"', html.split("Events you can choose", 1)[1]))
        assert listed == set(expected["event_id"])
        assert EXEMPLAR not in listed and not listed & studied


@pytest.mark.browser
def test_an_organizer_answer_survives_a_reload_and_is_downloaded(site_build, browser):
    context = browser.new_context(accept_downloads=True)
    page, outside, errors = open_offline(context, (site_build.out / "student" / f"{PATHS[-1].stem}.html").as_uri())
    field = page.locator("textarea.organizer-field").first
    label = field.get_attribute("aria-label")
    field.fill("a news agency, citing the video")
    page.wait_for_timeout(500)
    page.reload()
    assert page.locator("textarea.organizer-field").first.input_value() == "a news agency, citing the video"
    assert page.get_by_label(label).count() == 1  # each field is named by its row and column
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my answers").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert "a news agency, citing the video" in text and "Organizer:" in text
    assert outside == [] and errors == []
    context.close()


@pytest.mark.browser
def test_a_quiz_choice_survives_a_reload_and_is_downloaded(site_build, browser):
    context = browser.new_context(accept_downloads=True)
    page, outside, errors = open_offline(context, (site_build.out / "student" / f"{PATHS[0].stem}.html").as_uri())
    question = page.locator("fieldset.quiz-question").first
    question.locator("input.quiz-choice").nth(1).check()
    page.reload()
    question = page.locator("fieldset.quiz-question").first
    assert question.locator("input.quiz-choice").nth(1).is_checked()
    question.locator("input.quiz-choice").nth(0).focus()
    page.keyboard.press("ArrowDown")  # a radio group is operated from the keyboard
    assert question.locator("input.quiz-choice").nth(1).is_checked()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my answers").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert "Quiz question 1" in text and "My answer: B" in text
    assert outside == [] and errors == []
    context.close()


def test_every_new_lesson_ran_clean_in_a_fresh_kernel(site_build):
    """Each lesson ran top to bottom in a fresh kernel (the build's) with no error and nothing on stderr."""
    assert {k for k in site_build.notebooks if "/" not in k} == {p.stem for p in PATHS}
    for name, nb in site_build.notebooks.items():
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        run = [c for c in code if c["source"].strip() and "skip-execution" not in c["metadata"].get("tags", [])]
        assert run and all(c["execution_count"] for c in run), name
        outputs = [o for c in code for o in c.get("outputs", [])]
        assert [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"] == [], name
