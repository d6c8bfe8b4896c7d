"""The Spanish edition of the site: every page in Spanish (``lang="es"``), a language switch that leads
to the same page in English and back, no English site string left on a translated page, no solution in
the student edition, and no serious accessibility problem."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import open_offline

from cyberhistory.i18n import catalog_path

_SWITCH = re.compile(r'<a class="language" href="([^"]+)" hreflang="(\w+)"')
_NOTICE = 'class="translation-note"'


def _pages(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


@pytest.fixture(scope="module")
def spanish(site_build) -> Path:
    return site_build.out / "es"


def test_every_spanish_page_says_it_is_in_spanish_and_links_the_same_page_in_english(spanish, site_build):
    pages = _pages(spanish)
    assert len(pages) > 150  # both editions: lessons, their companions, data, events, sources, glossary
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="es">' in html, page
        links = _SWITCH.findall(html)
        assert [code for _, code in links] == ["en"], page
        target = (page.parent / links[0][0]).resolve()
        assert target == (site_build.out / page.relative_to(spanish)).resolve() and target.is_file(), page
        back = _SWITCH.findall(target.read_text(encoding="utf-8"))
        assert back and (target.parent / back[0][0]).resolve() == page.resolve(), target


def test_the_english_pages_link_their_spanish_twin(site_build):
    for edition in ("student", "instructor"):
        for page in _pages(site_build.out / edition):
            links = _SWITCH.findall(page.read_text(encoding="utf-8"))
            assert [code for _, code in links] == ["es"], page
            assert (page.parent / links[0][0]).resolve().is_file(), page


def _translated_site_strings() -> list[str]:
    """The English strings of the catalog (templates, code, scripts, the schema's names and meanings) that
    it translates, long enough to be unambiguous: a short word like "Data" may also be a proper name."""
    with catalog_path("es").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    strings = []
    for message in catalog:
        if not isinstance(message.id, str) or not message.string or message.string == message.id:
            continue
        # A campaign's English name may stand beside its Spanish one, as the terminology asks ("Operation Cartel").
        campaign = any(note.startswith("campaign ") for note in message.auto_comments)
        if "%(" not in message.id and not campaign:
            text = re.sub(r"<[^>]+>", "", message.id)
            strings += [text] if len(text) >= 14 else []
    return strings


class _SpanishText(HTMLParser):
    """The text of a page outside elements marked as another language (source titles, English notes)."""

    VOID = frozenset({"br", "img", "input", "link", "meta", "hr", "source", "wbr"})

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # for each open element: is it (or an ancestor) in another language?
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        inherited = bool(self.stack and self.stack[-1])
        self.stack.append(inherited or dict(attrs).get("lang", "es") not in ("es", None))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def _spanish_text(html: str) -> str:
    parser = _SpanishText()
    parser.feed(html)
    return " ".join(parser.parts)


def test_no_english_site_string_appears_on_a_translated_spanish_page(spanish):
    strings = _translated_site_strings()
    assert len(strings) > 30  # the catalog is in use: the test has something to look for
    checked = 0
    for page in _pages(spanish):
        html = page.read_text(encoding="utf-8")
        if _NOTICE in html:  # shown in English on purpose, and it says so
            continue
        text = re.sub(r"\s+", " ", _spanish_text(html))
        found = [s for s in strings if re.sub(r"\s+", " ", s) in text]
        assert found == [], f"{page}: {found[:5]}"
        checked += 1
    assert checked > 60  # data, events, sources, explorer, glossary categories and the translated lessons


def test_the_spanish_student_edition_holds_no_solution(spanish):
    import json

    manifest = json.loads((spanish / "student" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["language"] == "es" and manifest["solutions"] == 0
    for page in _pages(spanish / "student"):
        html = page.read_text(encoding="utf-8")
        assert "solution" not in re.findall(r'class="cell [a-z]+ (solution)"', html), page
        assert not page.name.endswith("-key.html"), page


def test_untranslated_lessons_say_so_and_are_marked_english(spanish):
    lessons = sorted((spanish / "student").glob("[0-9][0-9]-*[a-z].html"))
    lessons = [p for p in lessons if not p.stem.endswith(("-sources", "-worksheet", "-key"))]
    translated = {p.stem for p in (Path(__file__).parents[1] / "notebooks" / "es").glob("[0-9][0-9]-*.ipynb")}
    assert translated and len(lessons) == 16
    for page in lessons:
        html = page.read_text(encoding="utf-8")
        if page.stem in translated:
            assert _NOTICE not in html and "<h1" in html and "Lección" in html, page
        else:
            assert _NOTICE in html and '<div lang="en"><div class="cell' in html, page


@pytest.mark.browser
def test_the_language_switch_works_in_a_real_browser(spanish, browser):
    """From the Spanish student index to the English one and back, offline (file://), nothing fetched."""
    page, outside, errors = open_offline(browser, (spanish / "student" / "index.html").as_uri())
    assert page.get_attribute("html", "lang") == "es"
    page.click("a.language")
    assert page.get_attribute("html", "lang") == "en" and page.url.endswith("/_build/student/index.html")
    page.click("a.language")
    assert page.get_attribute("html", "lang") == "es" and page.url.endswith("/_build/es/student/index.html")
    assert outside == [] and errors == []
    page.close()


@pytest.mark.browser
def test_spanish_pages_have_no_serious_accessibility_violation(spanish, browser):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    names = ["index.html", "06-operation-cartel-the-threat.html", "02-timeline.html", "data.html", "explore.html"]
    for name in names:
        page, outside, _ = open_offline(browser, (spanish / "student" / name).as_uri())
        violations = axe.run(page).response["violations"]
        bad = [(v["id"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")]
        assert bad == [] and outside == [], f"{name}: {bad}"
        page.close()
