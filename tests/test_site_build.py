"""Tests for cyberhistory.site.build: the real site in a real browser (Debian's Chromium driven by Playwright).

The site is built once per session from the real notebooks and data (the
``site_build`` fixture); smaller builds from fixture notebooks test failures,
escaping and the cache.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, open_offline, write_dataset

from cyberhistory.site import build as site
from cyberhistory.site.build import BuildError, build

# Every test here builds a site, so runs kernels; those that open pages also drive a browser.
pytestmark = pytest.mark.notebooks


def _quiet(*_args):
    return None


@pytest.fixture(scope="session")
def built(site_build) -> Path:
    """The real site, both editions (built once per session)."""
    return site_build.out


def _open(browser, path: Path):
    """Open a page from file:// with every other request blocked and counted; collect console errors."""
    return open_offline(browser, path.as_uri())


def _pages(built: Path) -> list[Path]:
    return sorted((built / "student").glob("*.html")) + sorted((built / "instructor").glob("*.html"))


def _tiny_notebook(
    folder: Path, source: str = "from cyberhistory.data import load\ndata = load()\n", name: str = "00-tiny.ipynb"
) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tiny\n\n**Estimated time:** 5 minutes"),
        nbformat.v4.new_code_cell(source),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder


@pytest.mark.browser
class TestOffline:
    def test_data_page_filters_events_by_kind_and_words(self, built, browser, real_data):
        """The data page's kind menu and search box show exactly the matching rows, and say how many."""
        n = len(real_data.events)
        legal = int((real_data.events["kind"] == "legal_response").sum())
        page, outside, errors = _open(browser, built / "student" / "data.html")
        page.select_option("#filter-kind", "Legal response")
        assert page.inner_text("#filter-count") == f"{legal} of {n} events shown"
        assert page.locator("#events tr:not([hidden])").count() == legal
        page.fill("#filter-text", "anonymous")
        titles = real_data.events.loc[real_data.events["kind"] == "legal_response", "title"]
        expected = int(titles.str.lower().str.contains("anonymous").sum())
        assert 0 < expected < legal
        assert page.inner_text("#filter-count") == f"{expected} of {n} events shown"
        assert outside == [] and errors == []
        page.close()

    def test_every_page_loads_offline_without_errors(self, built, browser):
        """Every page opens from file:// with zero outside requests and no console errors."""
        for path in _pages(built):
            page, outside, errors = _open(browser, path)
            assert outside == [], f"{path.name} requested {outside}"
            assert errors == [], f"{path.name}: {errors}"
            page.close()

    def test_no_external_resources_in_markup(self, built):
        """No page references an outside script, stylesheet, font, image or frame."""
        for path in _pages(built):
            html = path.read_text(encoding="utf-8")
            for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
                assert not re.search(r"(src|href)=\"(https?:)?//", tag), f"{path.name}: {tag}"


@pytest.mark.browser
class TestAccessibility:
    def test_axe_has_no_serious_violations(self, built, browser):
        """axe-core finds no serious or critical violations on any page."""
        from axe_playwright_python.sync_playwright import Axe

        axe = Axe()
        for path in _pages(built):
            page, _, _ = _open(browser, path)
            violations = axe.run(page).response["violations"]
            bad = [(v["id"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")]
            assert bad == [], f"{path.relative_to(built)}: {bad}"
            page.close()

    def test_structure(self, built):
        """Every page has lang, exactly one h1, a skip link and a main landmark."""
        for path in _pages(built):
            html = path.read_text(encoding="utf-8")
            assert '<html lang="en">' in html
            assert len(re.findall(r"<h1[ >]", html)) == 1, path.name
            assert 'class="skip-link" href="#content"' in html and '<main id="content"' in html

    def test_every_figure_has_real_alt_text(self, built, browser):
        """Every figure (inline SVG or image) carries a description that is not a placeholder."""
        figures = 0
        for path in sorted((built / "student").glob("0*.html")):
            page, _, _ = _open(browser, path)
            labels = page.eval_on_selector_all(
                "figure svg, figure img",
                "els => els.map(e => e.getAttribute('aria-label') || e.getAttribute('alt') || '')",
            )
            figures += len(labels)
            for label in labels:
                assert len(label) > 40 and "No description" not in label, f"{path.name}: {label!r}"
            page.close()
        assert figures >= 8

    def test_timeline_markers_link_to_events(self, built):
        """Markers in the site's timelines link straight to each event's full entry, which exists."""
        html = "".join(p.read_text(encoding="utf-8") for p in (built / "student").glob("[0-9][0-9]-*.html"))
        targets = set(re.findall(r'<a tabindex="-1" xlink:href="(events-\d+\.html)#(event-[a-z0-9-]+)"', html))
        assert len(targets) > 100  # across the lessons' timelines (a crowded one links its labelled markers)
        for page, anchor in targets:
            assert f'id="{anchor}"' in (built / "student" / page).read_text(encoding="utf-8"), (page, anchor)
        index = (built / "student" / "data.html").read_text(encoding="utf-8")
        assert all(f'id="{anchor}"' in index for _, anchor in targets), "the stable data.html#event-… addresses"

    def test_every_internal_link_resolves(self, built):
        """Every link to a page of the site (and to an anchor on it) points at a file and an id that exist."""
        ids: dict[Path, set[str]] = {}
        for path in _pages(built):
            html = path.read_text(encoding="utf-8")
            for href in re.findall(r'(?:\shref|xlink:href)="([^":]+?)"', html):
                page, _, anchor = href.partition("#")
                target = (path.parent / page).resolve() if page else path
                if target.suffix != ".html":
                    assert target.exists(), f"{path.relative_to(built)} links {href}"
                    continue
                assert target.is_file(), f"{path.relative_to(built)} links {href}"
                if anchor and "=" not in anchor:  # a fragment with "=" is a page's state (explore.html#kind=…)
                    if target not in ids:
                        ids[target] = set(re.findall(r'\sid="([^"]+)"', target.read_text(encoding="utf-8")))
                    assert anchor in ids[target], f"{path.relative_to(built)} links {href}"


class TestSourcesPages:
    def test_each_notebook_links_its_sources_page(self, built):
        """Every notebook page links a sources page that exists and lists the shown events' sources as links."""
        for page in sorted((built / "student").glob("0?-*.html")):
            if page.stem.endswith(("-worksheet", "-key")) or "-sources" in page.stem:
                continue
            html = page.read_text(encoding="utf-8")
            target = f"{page.stem}-sources.html"
            assert f'href="{target}"' in html and 'id="sources"' in html, page.name
            listing = (built / "student" / target).read_text(encoding="utf-8")
            assert listing.count('<a href="http') >= 2, target

    def test_long_source_lists_are_split_into_light_pages(self, built):
        """A lesson citing many events gets several sources pages, chained by a pager, numbered on."""
        from cyberhistory.site.pages import PAGE_BUDGET

        second = sorted((built / "student").glob("[0-9][0-9]-*-sources-2.html"))
        assert second, "no lesson cites enough events to need a second sources page"
        first = second[0].with_name(second[0].name.replace("-sources-2.html", "-sources.html"))
        stem = first.stem
        later = sorted(first.parent.glob(f"{stem}-*.html"), key=lambda p: int(p.stem.rsplit("-")[-1]))
        parts = [first, *later]
        assert len(parts) >= 2
        starts = []
        for part in parts:
            html = part.read_text(encoding="utf-8")
            main = html[html.index("<main") : html.index("</main>")]
            assert len(main.encode()) < PAGE_BUDGET + 4000, part.name
            assert all(f'href="{p.name}"' in html for p in parts), part.name
            starts.append(int(re.search(r'<ol class="sources" start="(\d+)"', html).group(1)))
        assert starts[0] == 1 and starts == sorted(starts) and len(set(starts)) == len(starts)


def test_an_english_only_build_has_no_other_language(built):
    """``languages=()`` builds the English site alone: no Spanish folder, no language switch, same English pages."""
    lines: list[str] = []
    alone = build(built.parent / "english-only", languages=(), report=lines.append)  # reuses the executed notebooks
    assert not (alone / "es").exists() and "/es" not in lines[-1]
    for page in ("student/index.html", "instructor/lesson-plans.html", "student/02-timeline.html"):
        html = (alone / page).read_text(encoding="utf-8")
        assert 'hreflang="es"' not in html and 'href="../es/' not in html and 'href="../../es/' not in html, page
    with_es = (built / "student" / "02-timeline.html").read_text(encoding="utf-8")
    assert 'href="../es/' in with_es, "the full build does switch languages (the check above can fail)"


def test_two_clean_builds_are_byte_identical(built, tmp_path):
    """A second build from scratch (no cache) writes exactly the same files, byte for byte."""
    again = build(tmp_path / "_build", report=_quiet)
    # The site's files, not the build's own bookkeeping (dot files such as its key).
    first = {p.relative_to(built): p for p in built.rglob("[!.]*") if p.is_file()}
    second = {p.relative_to(again): p for p in again.rglob("[!.]*") if p.is_file()}
    assert sorted(first) == sorted(second)
    differ = [str(name) for name, path in first.items() if path.read_bytes() != second[name].read_bytes()]
    if differ:  # say where, so a difference that shows only under load can be read from the CI log
        a, b = first[Path(differ[0])].read_text(encoding="utf-8"), second[Path(differ[0])].read_text(encoding="utf-8")
        at = next((i for i, (p, q) in enumerate(zip(a, b, strict=False)) if p != q), min(len(a), len(b)))
        pytest.fail(
            f"{differ} differ; {differ[0]} at character {at}: {a[at - 200 : at + 200]!r} != {b[at - 200 : at + 200]!r}"
        )


class TestEditions:
    def test_student_edition_has_no_solutions(self, built):
        """No solution cell reaches the student edition; the instructor edition has every one."""
        solutions = 0
        for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            solutions += sum("solution" in c.get("metadata", {}).get("tags", []) for c in nb.cells)
        student = "".join(p.read_text(encoding="utf-8") for p in (built / "student").glob("*.html"))
        instructor = "".join(p.read_text(encoding="utf-8") for p in (built / "instructor").glob("*.html"))
        assert 'aria-label="Solution"' not in student
        assert instructor.count('aria-label="Solution"') == solutions > 0
        assert json.loads((built / "instructor" / "manifest.json").read_text())["solutions"] == solutions
        assert (built / "instructor" / "instructor-guide.html").is_file()
        assert not (built / "student" / "instructor-guide.html").exists()

    @pytest.mark.parametrize("language", ["", "es/"])
    def test_the_guide_links_every_lesson_plan_on_a_page_of_its_own(self, built, language):
        """The guide's plans section links each lesson's plan on lesson-plans.html, where each has its heading."""
        folder = built / f"{language}instructor"
        guide = (folder / "instructor-guide.html").read_text(encoding="utf-8")
        plans = (folder / "lesson-plans.html").read_text(encoding="utf-8")
        targets = re.findall(r'href="lesson-plans\.html#([^"]+)"', guide)
        lessons = len(list(site.NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb")))
        assert len(targets) == len(set(targets)) == lessons
        assert all(f'<h3 id="{t}">' in plans for t in targets)
        assert "<h1" in plans and plans.count("<h3") == lessons
        assert not any(f'id="{t}"' in guide for t in targets), "each plan is on its own page, not also in the guide"
        assert not (built / f"{language}student" / "lesson-plans.html").exists()

    def test_model_answers_are_on_answer_key_pages_of_the_instructor_edition(self, built):
        """Instructor lessons link each model answer on the lesson's key page; students get neither."""
        for lesson in sorted((built / "instructor").glob("0?-*.html")):
            if lesson.stem.endswith(("-sources", "-key", "-worksheet")) or "-sources-" in lesson.stem:
                continue
            html = lesson.read_text(encoding="utf-8")
            key = built / "instructor" / f"{lesson.stem}-key.html"
            assert 'aria-label="Solution"' not in html, lesson.name
            assert html.count('class="answer-link"') == key.read_text(encoding="utf-8").count('class="answer"') > 0
        assert not list((built / "student").glob("*-key.html"))

    def test_downloads(self, built):
        """The data page links CSV, JSON, TimelineJS, CSL-JSON and BibTeX downloads that parse."""
        downloads = built / "student" / "downloads"
        timeline = json.loads((downloads / "timelinejs.json").read_text())
        assert len(timeline["events"]) > 150 and {"year"} <= set(timeline["events"][0]["start_date"])
        csl = json.loads((downloads / "sources.csl.json").read_text())
        assert all(item["URL"].startswith("http") for item in csl)
        assert (downloads / "sources.bib").read_text().count("@online{") == len(csl)
        assert (downloads / "events.csv").is_file()
        html = (built / "student" / "data.html").read_text(encoding="utf-8")
        for name in ("timelinejs.json", "sources.csl.json", "sources.bib", "cyberhistory.json", "events.csv"):
            assert f'href="downloads/{name}"' in html


@pytest.mark.browser
class TestSafety:
    def test_markup_in_data_renders_as_text(self, tmp_path, minimal_rows, browser):
        """An event titled with <script> and "onerror= markup shows as text and runs nothing."""
        minimal_rows["events"][0]["title"] = (
            'Evil <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned=2">'
        )
        minimal_rows["events"][0]["summary"] = '"onerror=window.__pwned=3 <b>bold</b>'
        data_dir = write_dataset(tmp_path / "data", minimal_rows)
        notebooks = _tiny_notebook(
            tmp_path / "nb",
            "from cyberhistory.data import load\nfrom cyberhistory.display import "
            "event_table\ndata = load()\nevent_table(data, data.events)\n",
        )
        out = build(tmp_path / "_build", notebook_dir=notebooks, data_directory=data_dir, report=_quiet)
        for name in ("data.html", "events-1.html", "00-tiny.html"):
            page, _, errors = _open(browser, out / "student" / name)
            assert errors == []
            assert page.evaluate("window.__pwned") is None
            assert "<script>window.__pwned" in page.inner_text("main")
            page.close()


class TestBuildErrors:
    def test_failing_notebook_leaves_previous_build(self, tmp_path, minimal_dir):
        """A failing cell gives a short report naming notebook, cell and error, and the old site stays."""
        good = _tiny_notebook(tmp_path / "nb")
        out = tmp_path / "_build"
        build(out, notebook_dir=good, data_directory=minimal_dir, report=_quiet)
        before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
        _tiny_notebook(good, "x = 1\nraise ValueError('broken on purpose')\n", name="01-broken.ipynb")
        with pytest.raises(BuildError) as caught:
            build(out, notebook_dir=good, data_directory=minimal_dir, report=_quiet)
        message = str(caught.value)
        assert "01-broken.ipynb: code cell 1 failed" in message
        assert "x = 1" in message and "ValueError: broken on purpose" in message
        assert len(message.splitlines()) <= 6
        assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before

    def test_cli_exit_code_on_failure(self, tmp_path, minimal_dir, monkeypatch, capsys):
        """`build` exits non-zero and prints the short report (no traceback)."""
        broken = _tiny_notebook(tmp_path / "nb", "raise RuntimeError('nope')\n")
        monkeypatch.setattr(site, "NOTEBOOK_DIR", broken)
        monkeypatch.setenv("CYBERHISTORY_DATA", str(minimal_dir))
        from cyberhistory.cli import main

        assert main(["build", "--out", str(tmp_path / "_build")]) == 1
        err = capsys.readouterr().err
        assert "RuntimeError: nope" in err and "Traceback" not in err

    def test_figure_without_alt_text_fails_the_build(self, tmp_path, minimal_dir):
        """A plain matplotlib figure (no alt text) fails the build and names the notebook and cell."""
        source = "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n"
        notebooks = _tiny_notebook(tmp_path / "nb", source)
        out = tmp_path / "_build"
        with pytest.raises(BuildError, match=re.escape("00-tiny.ipynb: code cell 1: figure has no real alt text")):
            build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=_quiet)
        assert not out.exists()

    def test_cache_reruns_only_on_change(self, tmp_path, minimal_dir, minimal_rows):
        """An unchanged rebuild executes nothing; a change to a data file re-executes the notebook."""
        notebooks = _tiny_notebook(tmp_path / "nb")
        out = tmp_path / "_build"
        lines: list[str] = []
        build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=lines.append)
        build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=lines.append)
        minimal_rows["actors"][0]["summary"] = "A fictional movement, revised."
        write_dataset(minimal_dir, minimal_rows)
        build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=lines.append)
        assert sum("is up to date" in line for line in lines) == 1
        statuses = [line.split()[2] for line in lines if line.startswith("[")]
        assert statuses == ["executed", "executed"]

    def test_notebook_cache_serves_unchanged_notebooks(self, tmp_path, minimal_dir):
        """When only one notebook changes, the others come from the cache."""
        notebooks = _tiny_notebook(tmp_path / "nb")
        _tiny_notebook(notebooks, "x = 1\n", name="01-other.ipynb")
        out = tmp_path / "_build"
        build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=_quiet)
        _tiny_notebook(notebooks, "x = 2\n", name="01-other.ipynb")
        lines: list[str] = []
        build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=lines.append)
        statuses = {line.split()[1]: line.split()[2] for line in lines if line.startswith("[")}
        assert statuses == {"00-tiny.ipynb": "cached", "01-other.ipynb": "executed"}


class TestEnglishFirst:
    """English is written while the translated lessons still run; a later failure or stop still leaves nothing."""

    @staticmethod
    def _with_translation(tmp_path: Path, source: str) -> Path:
        notebooks = _tiny_notebook(tmp_path / "nb")
        _tiny_notebook(notebooks / "es", source)
        return notebooks

    def test_english_and_the_other_pages_are_written_before_a_slow_translation_finishes(
        self, tmp_path, minimal_dir, monkeypatch
    ):
        import time

        from cyberhistory.site import assemble

        events: list[tuple[str, float]] = []
        for method in ("pages", "lessons"):
            real = getattr(assemble.SiteWriter, method)

            def recorded(self, lang, real=real, method=method):
                real(self, lang)
                events.append((f"{method} {lang.code}", time.monotonic()))

            monkeypatch.setattr(assemble.SiteWriter, method, recorded)
        execute_all = site.execute_all

        def recording(*args, on_result, **kwargs):
            def arrived(result):
                events.append((f"ran {result.path.parent.name}/{result.path.name}", time.monotonic()))
                on_result(result)

            return execute_all(*args, on_result=arrived, **kwargs)

        monkeypatch.setattr(site, "execute_all", recording)
        notebooks = self._with_translation(tmp_path, "import time\ntime.sleep(4)\n")
        out = build(tmp_path / "_build", notebook_dir=notebooks, data_directory=minimal_dir, report=_quiet)
        order = [name for name, _t in sorted(events, key=lambda e: e[1])]
        assert order == [
            "ran nb/00-tiny.ipynb",
            "pages en",
            "lessons en",
            "pages es",
            "ran es/00-tiny.ipynb",
            "lessons es",
        ]
        assert (out / "student" / "00-tiny.html").is_file() and (out / "es" / "student" / "00-tiny.html").is_file()

    def test_pages_written_with_a_wrong_lesson_title_are_written_again(self, tmp_path, minimal_dir, monkeypatch):
        """The pages written early name the lessons by the titles read from the notebooks; should the lessons
        once run give other titles, every page of that language is written again, and the site is the same."""
        from cyberhistory.site import assemble

        notebooks = self._with_translation(tmp_path, "x = 1\n")
        right = build(tmp_path / "right", notebook_dir=notebooks, data_directory=minimal_dir, report=_quiet)
        monkeypatch.setattr(assemble, "lesson_title", lambda notebook, name: "A title no lesson has")
        wrong = build(tmp_path / "wrong", notebook_dir=notebooks, data_directory=minimal_dir, report=_quiet)

        def files(out: Path) -> dict:
            return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != site.STAMP}

        assert files(wrong) == files(right)
        assert b"A title no lesson has" not in b"".join(files(wrong).values())

    def test_a_failing_translation_leaves_the_previous_site(self, tmp_path, minimal_dir):
        notebooks = self._with_translation(tmp_path, "x = 1\n")
        out = tmp_path / "_build"
        build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=_quiet)
        before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
        _tiny_notebook(notebooks / "es", "import time\ntime.sleep(2)\nraise ValueError('roto a propósito')\n")
        with pytest.raises(BuildError, match="ValueError: roto a propósito"):
            build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=_quiet)
        assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
        assert not list(tmp_path.glob("._build.tmp-*")), "no half-written site left"

    def test_a_stopped_writer_writes_no_further_page(self, tmp_path):
        import threading

        from cyberhistory.site import assemble

        stop = threading.Event()
        edition = assemble._Edition(tmp_path, "student", [], [], [], stop)
        edition.write("a.html", title="A", body="")
        stop.set()
        with pytest.raises(assemble.Cancelled):
            edition.write("b.html", title="B", body="")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html"]

    def test_a_stopped_build_does_not_wait_for_english(self):
        import threading
        import time

        first = site._EnglishFirst([Path("00-never-finishes.ipynb")])
        threading.Timer(0.2, first.stop.set).start()
        started = time.monotonic()
        assert first.write(None, Path("unused"), Path("unused"), Path("unused"), ()) is None
        assert time.monotonic() - started < 1.0


class TestSwap:
    def _site(self, folder: Path, text: str) -> Path:
        (folder / "student").mkdir(parents=True)
        (folder / "student" / "index.html").write_text(text)
        return folder

    def test_exchange_replaces_the_site_in_one_step(self, tmp_path):
        """The new site takes the old one's place; the old one is removed; nothing else is left."""
        out, tmp = self._site(tmp_path / "_build", "old"), self._site(tmp_path / "new", "new")
        site.swap_in(tmp, out)
        assert (out / "student" / "index.html").read_text() == "new"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["_build"]

    def test_fallback_swap_and_recovery(self, tmp_path, monkeypatch):
        """Without an atomic exchange, a swap cut between its renames is undone by the next build's recovery."""
        monkeypatch.setattr(site, "_exchange", lambda a, b: False)
        out, tmp = self._site(tmp_path / "_build", "old"), self._site(tmp_path / "new", "new")
        site.swap_in(tmp, out)
        assert (out / "student" / "index.html").read_text() == "new" and not (tmp_path / "_build.old").exists()
        out.rename(tmp_path / "_build.old")  # as a kill between the two renames leaves it
        site.recover(out)
        assert (out / "student" / "index.html").read_text() == "new"

    def test_build_after_interrupted_swap_keeps_the_old_site(self, tmp_path, minimal_dir):
        """A build finding only _build.old restores it before anything else, and never deletes it."""
        notebooks = _tiny_notebook(tmp_path / "nb", "x = 1\n")
        out = tmp_path / "_build"
        build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=_quiet)
        before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        out.rename(tmp_path / "_build.old")
        lines: list[str] = []
        build(out, notebook_dir=notebooks, data_directory=minimal_dir, report=lines.append)
        assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
        assert any("is up to date" in line for line in lines)


def test_cli_takes_data_and_notebook_folders(tmp_path, minimal_dir, capsys):
    """`build --data DIR --notebooks DIR` builds from those folders."""
    from cyberhistory.cli import main

    notebooks = _tiny_notebook(tmp_path / "nb")
    out = tmp_path / "_build"
    assert main(["build", "--out", str(out), "--data", str(minimal_dir), "--notebooks", str(notebooks)]) == 0
    assert "Example group posts a video threat" in (out / "student" / "events-1.html").read_text()
