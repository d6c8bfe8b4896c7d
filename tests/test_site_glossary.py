"""Tests for cyberhistory.site.glossary: the glossary file, its page, and the term links on lesson pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from cyberhistory import policy
from cyberhistory.schema import load_schema
from cyberhistory.site import build
from cyberhistory.site.glossary import CATEGORIES_PAGE, PAGE, Glossary, GlossaryError, for_site, parse
from cyberhistory.site.render import Rendered

GLOSSARY_FILE = ROOT / "notebooks" / build.GLOSSARY
SPANISH_FILE = ROOT / "notebooks" / "es" / build.GLOSSARY
SMALL = """
## DDoS
Also: distributed denial of service
See also: botnet
Data: tactics = ddos

Flooding a service with traffic until it slows or stops.

## botnet

Devices taken over without their owners' knowledge and controlled together.

## GRU

Russia's military intelligence agency.

## Anonymous

A leaderless movement whose name anyone can use.

## hack-and-leak

Breaking in, taking documents and publishing them.

## leak

Making confidential material public.

## international humanitarian law
Also: IHL

The rules that limit how wars are fought.

## sentence
Link headword: no
Forms: sentenced

The punishment a court gives after a conviction.

## persona

A name under which operations are announced.
"""


@pytest.fixture(scope="module")
def schema():
    """The project's schema (the categories come from it)."""
    return load_schema()


@pytest.fixture(scope="module")
def small(schema) -> Glossary:
    """A small glossary for the linking tests."""
    return Glossary.from_text(SMALL, schema)


@pytest.fixture(scope="module")
def real(schema) -> Glossary:
    """The unit's glossary, as the build reads it."""
    return Glossary.from_text(GLOSSARY_FILE.read_text(encoding="utf-8"), schema)


def _cell(html: str) -> str:
    return f'<div class="cell markdown">{html}</div>'


def _linked(html: str) -> list[tuple[str, str]]:
    """(anchor, text) of every term link in ``html``."""
    return re.findall(r'<a class="term" href="glossary\.html#([^"]+)">([^<]*)</a>', html)


def _unlink(html: str) -> str:
    return re.sub(r'<a class="term" href="glossary\.html#[^"]+">([^<]*)</a>', r"\1", html)


class TestTheUnitsGlossary:
    def test_has_at_least_80_terms_each_with_a_meaning(self, real):
        """The glossary parses without a problem and defines at least 80 terms in its own words."""
        assert len(real.terms) >= 80
        assert sum(bool(t.definition) for t in real.terms) >= 80
        assert all(t.definition or t.data for t in real.terms)

    def test_covers_the_terms_the_brief_names(self, real):
        """The legal, technical and political terms students meet all have an entry."""
        names = {name.casefold() for t in real.terms for name in (t.headword, *t.also, *t.forms)}
        wanted = [
            *("indictment", "plea agreement", "restitution", "supervised release", "extradition", "probation"),
            *("acquittal", "sanctions", "IHL", "direct participation in hostilities", "combatant", "civilian"),
            *("DDoS", "botnet", "defacement", "hack-and-leak", "doxxing", "SQL injection", "malware", "ransomware"),
            *("wiper", "APT", "hacktivism", "Anonymous", "persona", "front", "GRU", "IRGC", "APT28", "attribution"),
            "false flag",
        ]
        assert [w for w in wanted if w.casefold() not in names] == []

    def test_every_category_value_has_the_codebooks_meaning(self, real, schema):
        """Each value of each categorised column has an entry whose meaning is the codebook's, word for word."""
        codebook = _codebook_meanings((ROOT / "data" / "CODEBOOK.md").read_text(encoding="utf-8"))
        meanings = {
            (table, column, value): meaning
            for cat in real.categories
            for table, column, _ in cat.columns
            for value, meaning in cat.values
        }
        expected = {(t.name, f.name, v) for t in schema.tables for f in t.fields for v in f.labels}
        assert set(meanings) == expected
        assert {key: codebook.get(key) for key in meanings} == meanings
        page = str(real.categories_page())
        anchors = {real_cat.anchor(v) for real_cat in real.categories for v, _ in real_cat.values}
        assert all(f'id="{a}"' in page for a in anchors)

    def test_a_term_without_its_own_words_takes_the_codebooks_meaning(self, real, schema):
        """An entry that only names a category shows the schema's meaning as its definition."""
        term = next(t for t in real.terms if t.headword == "state-linked operation")
        meaning = schema.table("events").field("kind").labels["state_linked_operation"]
        entry = str(real.page()).split('<dt id="state-linked-operation">')[1].split("<dt")[0]
        assert f'href="{CATEGORIES_PAGE}#value-kind-state_linked_operation"' in entry
        assert term.definition == "" and str(escape(meaning)) in entry
        assert entry.count("</code></a> in <code>kind</code>.</p>") == 1  # the sentence ends

    def test_a_column_two_tables_share_is_named_once(self, real):
        """``state_nexus`` is a column of events and of actors: the entry names it once, not twice."""
        entry = str(real.page()).split('<dt id="allegation">')[1].split("<dt")[0]
        assert entry.count("<code>state_nexus</code>") == 1

    def test_passes_the_content_policy(self, real, real_tables):
        """No personal data, no web address, no person's name (not even an allowed one) in the glossary."""
        text = GLOSSARY_FILE.read_text(encoding="utf-8")
        page = re.sub(r"<[^>]+>", " ", str(real.page()) + str(real.categories_page()))
        for checked in (text, page):
            assert policy.check_text(checked) == []
            assert policy.person_like_names(checked) == []
            assert not re.search(r"https?://|www\.", checked)
        named = [row["name"] for _, row in real_tables["named_people"].rows]
        assert [n for n in named if n in text] == []

    def test_page_is_alphabetical_with_letter_links(self, real):
        """Terms run A-Z, every letter link has its section, every id on the page is unique."""
        page = str(real.page())
        headwords = [t.headword for t in real.terms]
        assert headwords == sorted(headwords, key=str.casefold)
        letters = re.findall(r'<a href="#(letter-[a-z])">', page)
        assert letters == sorted(letters) and len(letters) > 15
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)) and set(letters) <= set(ids)
        assert all(anchor in ids for anchor in real.anchors())

    def test_see_also_and_data_links_resolve_on_the_page(self, real):
        """Every link between the glossary's two pages, and within each, points at an id that exists."""
        ids = {PAGE: set(re.findall(r'\sid="([^"]+)"', str(real.page())))}
        ids[CATEGORIES_PAGE] = set(re.findall(r'\sid="([^"]+)"', str(real.categories_page())))
        assert real.category_anchors() <= ids[CATEGORIES_PAGE]
        for here, page in ((PAGE, real.page()), (CATEGORIES_PAGE, real.categories_page())):
            links = re.findall(r'href="([\w.-]*)#([^"]+)"', str(page))
            assert links
            assert [(p, a) for p, a in links if a not in ids[p or here]] == []


def _codebook_meanings(text: str) -> dict[tuple[str, str, str], str]:
    """(table, column, value) -> meaning, from the codebook's "Allowed values" tables."""
    meanings = {}
    table = column = None
    for line in text.splitlines():
        if match := re.match(r"### `(\w+)\.csv`", line):
            table = match.group(1)
        elif match := re.match(r"Allowed values of `(\w+)`:", line):
            column = match.group(1)
        elif column and (match := re.match(r"\| `([^`]+)` \| (.*) \|$", line)):
            meanings[(table, column, match.group(1))] = match.group(2).replace("\\|", "|")
        elif not line.startswith("|") and line.strip():
            column = None
    return meanings


class TestLinking:
    def test_first_use_only(self, small):
        """The first use of a term is linked and later ones are not; each term once per page."""
        html = _cell("<p>A DDoS here, a DDoS there.</p><p>Another DDoS and a botnet.</p>")
        out = small.link_html(html)
        assert _linked(out) == [("ddos", "DDoS"), ("botnet", "botnet")]
        assert _unlink(out) == html

    def test_never_inside_headings_code_links_tables_figures_or_forms(self, small):
        """Headings, code, links, tables, figures and form labels keep their text; the prose after them is linked."""
        skipped = [
            "<h2>DDoS</h2>",
            "<p><code>DDoS</code></p>",
            '<p><a href="x.html">a DDoS</a></p>',
            "<pre>DDoS</pre>",
            "<table><tr><td>DDoS</td></tr></table>",
            "<figure><svg><text>DDoS</text></svg><figcaption>DDoS</figcaption></figure>",
            "<label>DDoS</label><textarea>DDoS</textarea>",
            "<p><kbd>DDoS</kbd></p>",
        ]
        for part in skipped:
            out = small.link_html(_cell(part + "<p>then a DDoS</p>"))
            assert out == _cell(part + '<p>then a <a class="term" href="glossary.html#ddos">DDoS</a></p>'), part

    def test_only_in_markdown_cells(self, small):
        """Code output (tables, event cards, printed text) is never linked; the cell's own prose is."""
        output = '<div class="cell code"><div class="output html"><p>DDoS</p></div></div>'
        out = small.link_html(output + _cell("<p>DDoS</p>"))
        assert out.startswith(output) and len(_linked(out)) == 1

    def test_capitals_must_match_lower_case_matches_either(self, small):
        """GRU and Anonymous match only as written; a lower-case term matches at the start of a sentence."""
        out = small.link_html(_cell("<p>the gru and anonymous officials. Botnets, then the GRU and Anonymous.</p>"))
        assert _linked(out) == [("botnet", "Botnets"), ("gru", "GRU"), ("anonymous", "Anonymous")]

    def test_whole_words_longest_phrase_plurals_and_line_breaks(self, small):
        """Whole words only, the longest phrase wins, plurals and phrases across a line break are linked."""
        html = _cell("<p>personal hack-and-leak leaks, two personas, international\nhumanitarian law, IHL</p>")
        assert _linked(small.link_html(html)) == [
            ("hack-and-leak", "hack-and-leak"),
            ("leak", "leaks"),
            ("persona", "personas"),
            ("international-humanitarian-law", "international\nhumanitarian law"),
        ]

    def test_forms_and_a_headword_kept_unlinked(self, small):
        """A 'Link headword: no' entry links its forms, never the everyday word itself."""
        out = small.link_html(_cell("<p>Write two sentences. He was sentenced in 2013.</p>"))
        assert _linked(out) == [("sentence", "sentenced")]

    def test_entities_and_markup_stay_byte_for_byte(self, small):
        """Entities, attributes and inline markup are left exactly as they were."""
        html = _cell('<p title="DDoS">&quot;DDoS&quot; &amp; <em>botnet</em>&#x27;s <br>GRU</p>')
        out = small.link_html(html)
        assert _unlink(out) == html and len(_linked(out)) == 3

    def test_a_lesson_body_stays_markup(self, small):
        """Linking a lesson's Markup body gives Markup with the same markup, never an escaped copy."""
        lesson = Rendered(title="T", body=Markup(_cell("<p>A DDoS &amp; more</p>")))
        body = small.link(lesson).body
        assert isinstance(body, Markup) and _unlink(str(body)) == str(lesson.body) and "&lt;" not in body

    def test_lesson_without_terms_is_returned_as_is(self, schema):
        """An empty glossary (no file) changes no lesson."""
        lesson = Rendered(title="T", body=_cell("<p>DDoS</p>"))
        assert Glossary([], ()).link(lesson) is lesson and Glossary([], ()).pages() == []

    @settings(max_examples=150, deadline=None)
    @given(st.data())
    def test_random_markup_is_never_broken(self, small, data):
        """On random nested markup: removing the links gives the input back, none sits where it must not."""
        html = _cell(data.draw(_fragments))
        out = small.link_html(html)
        assert _unlink(out) == html
        checker = _LinkPlaces()
        checker.feed(out)
        assert checker.bad == []
        anchors = [a for a, _ in _linked(out)]
        assert len(anchors) == len(set(anchors))


_WORDS = st.sampled_from(["DDoS", "ddos", "a botnet", "GRU", "gru", "leaks", "hack-and-leak", " ", "\n", "&amp;", "x"])
_TAGS = st.sampled_from(["p", "em", "strong", "code", "h2", "h3", "a", "li", "blockquote", "td", "pre", "span"])


def _wrap(children):
    return st.tuples(_TAGS, children).map(lambda tc: f"<{tc[0]}>{tc[1]}</{tc[0]}>")


_fragments = st.recursive(
    _WORDS.map(str),
    lambda inner: st.one_of(_wrap(inner), st.lists(inner, min_size=1, max_size=4).map("".join)),
    max_leaves=20,
)

#: Elements a term link must never be inside.
FORBIDDEN = {"a", "code", "pre", "kbd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "td", "th", "figure", "svg"}


class _LinkPlaces(HTMLParser):
    """Records each term link that sits inside an element where links are forbidden, and each term per page."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.bad: list[tuple[str, ...]] = []
        self.terms: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("class") == "term":
            self.terms.append(attributes["href"])
            if FORBIDDEN & set(self.open):
                self.bad.append(tuple(self.open))
        if tag not in ("br", "img", "input", "meta", "link", "hr", "wbr"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]


class TestValidation:
    def test_every_problem_at_once_with_file_line_and_term(self, schema):
        """Duplicates, empty definitions, unknown targets, fields and values are all reported, by line."""
        text = "\n".join(
            [
                "## DDoS",  # 1
                "See also: botnets",  # 2
                "",
                "Flooding a service.",
                "## ddos",  # 5
                "",
                "Again.",
                "## empty",  # 8
                "Colour: blue",  # 9
                "",
                "## defacement",  # 11
                "Data: tactics = graffiti; sector = media",  # 12
                "Also: DDoS",  # 13
                "",
                "Replacing a page. Twice. Three times.",
            ]
        )
        _, problems = parse(text, schema, shown="notebooks/glossary.md")
        assert [str(p) for p in problems] == [
            "notebooks/glossary.md:2: term 'DDoS': see-also target 'botnets' is not a term in the glossary",
            "notebooks/glossary.md:5: term 'ddos': duplicate term (first defined at line 1)",
            "notebooks/glossary.md:8: term 'empty': empty definition (write one or two sentences, or give a Data: category)",
            "notebooks/glossary.md:9: term 'empty': unknown field 'Colour' (known fields: Also, Forms, See also, Data, Link headword)",
            "notebooks/glossary.md:11: term 'defacement': the definition has 3 sentences; keep it to one or two",
            "notebooks/glossary.md:12: term 'defacement': Data: 'graffiti' is not a value of 'tactics' in datapackage.json",
            "notebooks/glossary.md:12: term 'defacement': Data: 'sector' is not a categorised column in datapackage.json",
            "notebooks/glossary.md:13: term 'defacement': 'DDoS' already links to 'DDoS' (line 1)",
        ]
        with pytest.raises(GlossaryError, match=r"8 problem\(s\) in the glossary"):
            Glossary.from_text(text, schema)

    def test_policy_problems_fail_the_glossary(self, schema):
        """A person's name, an e-mail address or a web address in an entry is a problem."""
        text = "## contact\n\nWrite to Jane Smith at press@example.org or see https://example.org/x.\n"
        _, problems = parse(text, schema)
        messages = " | ".join(p.message for p in problems)
        assert "e-mail address" in messages and "web address" in messages and "'Jane Smith'" in messages

    def test_a_glossary_error_is_a_build_error(self, tmp_path, schema):
        """A broken glossary beside the guide stops the build with the build's own short report."""
        (tmp_path / build.GLOSSARY).write_text("## x\n", encoding="utf-8")
        with pytest.raises(build.BuildError, match="empty definition"):
            for_site(tmp_path / build.GUIDE, ROOT / "data")

    def test_no_file_means_no_glossary(self, tmp_path):
        """A notebook folder without a glossary builds without a glossary page."""
        assert for_site(tmp_path / build.GUIDE, ROOT / "data").pages() == []


@pytest.mark.notebooks
class TestBuiltSite:
    """The real site (both editions), built once per session."""

    def test_both_editions_have_the_glossary_in_their_navigation(self, site_build):
        """Each edition has glossary.html, and every page's navigation links it."""
        for edition in build.EDITIONS:
            folder = site_build.out / edition
            assert (folder / PAGE).is_file()
            for path in folder.glob("*.html"):
                assert f'<li><a href="{PAGE}"' in path.read_text(encoding="utf-8"), path.name

    def test_every_term_link_resolves(self, site_build):
        """Every link to the glossary, on every page, points at an id that exists on the glossary page."""
        count = 0
        for edition in build.EDITIONS:
            folder = site_build.out / edition
            ids = set(re.findall(r'\sid="([^"]+)"', (folder / PAGE).read_text(encoding="utf-8")))
            for path in folder.glob("*.html"):
                for anchor in re.findall(rf'href="{re.escape(PAGE)}#([^"]+)"', path.read_text(encoding="utf-8")):
                    assert anchor in ids, f"{edition}/{path.name} links {PAGE}#{anchor}"
                    count += 1
        assert count > 200

    def test_lessons_link_each_term_once_and_never_in_forbidden_places(self, site_build):
        """On every lesson page, terms are linked, each at most once, never in a heading, code, link or table."""
        for path in sorted(site_build.out.glob("*/[0-9][0-9]-*.html")):
            if re.search(r"-(sources|key|worksheet)(-\d+)?$", path.stem):
                continue
            checker = _LinkPlaces()
            checker.feed(path.read_text(encoding="utf-8"))
            assert checker.bad == [], path.name
            assert len(checker.terms) == len(set(checker.terms)) > 5, path.name


def test_build_key_covers_the_glossary():
    """The glossary file read by the site is the one whose bytes the build key hashes."""
    assert Path(build.NOTEBOOK_DIR / build.GLOSSARY) == GLOSSARY_FILE and GLOSSARY_FILE.is_file()


@pytest.fixture(scope="module")
def spanish(schema) -> Glossary:
    """The Spanish glossary, as the build reads it for the Spanish edition."""
    from cyberhistory import i18n

    with i18n.using("es"):
        return Glossary.from_text(SPANISH_FILE.read_text(encoding="utf-8"), schema, shown="notebooks/es/glossary.md")


class TestTheSpanishGlossary:
    """notebooks/es/glossary.md: one Spanish entry per English one, read by the same parser and held to the same policy."""

    def test_every_english_entry_has_a_spanish_one_with_the_same_data(self, spanish, real):
        assert len(spanish.terms) == len(real.terms)

        def data(glossary):
            return sorted((c.key, value) for t in glossary.terms for c, value in t.data)

        assert data(spanish) == data(real)

    def test_passes_the_content_policy(self, spanish):
        text = SPANISH_FILE.read_text(encoding="utf-8")
        assert policy.check_text(text) == [] and policy.person_like_names(text) == []
        assert not re.search(r"https?://|www\.", text)

    def test_links_resolve_and_the_page_is_in_spanish(self, spanish):
        from cyberhistory import i18n

        with i18n.using("es"):
            page = str(spanish.page())
        ids = set(re.findall(r'\sid="([^"]+)"', page))
        assert {a for a in re.findall(r'href="#([^"]+)"', page)} <= ids
        assert "Ver también:" in page and "See also:" not in page
