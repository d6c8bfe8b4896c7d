"""The glossary: its terms (``notebooks/glossary.md``), the dataset's categories (the schema), its page, and term links.

The terms are written by hand in a small, strict Markdown format (described at
the top of ``notebooks/glossary.md``) so that teachers can read and edit the
file as a document and every problem can be reported by line. The meanings of
the dataset's category values are never copied into that file: they are read
from ``data/datapackage.json`` when the site is built, the same text the
codebook prints, so the two can never disagree.

On each lesson page the first use of a term in the prose of a Markdown cell is
linked to its entry. Headings, links, code, tables, figures, form controls and
everything outside the Markdown cells (code output, event cards) are left as
they are: a link there would break a heading, nest links, or decorate data
rather than reading text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

from cyberhistory import policy
from cyberhistory.i18n import N_
from cyberhistory.i18n import gettext as _
from cyberhistory.problems import Problem
from cyberhistory.schema import Schema, load_schema
from cyberhistory.site.build import GLOSSARY, BuildError
from cyberhistory.site.html import Markup, render
from cyberhistory.site.render import Rendered, markdown_to_html, slugify

PAGE = "glossary.html"
TITLE = N_("Glossary")
#: The dataset's categories and their meanings, a companion page of the glossary (it keeps the glossary light).
CATEGORIES_PAGE = "glossary-categories.html"
CATEGORIES_TITLE = N_("Glossary: the dataset's categories")
#: The field lines an entry may have under its heading, by their lower-case name.
FIELDS = ("also", "forms", "see also", "data", "link headword")
#: Ids the glossary page uses for itself; a term's anchor may not take them.
_RESERVED = re.compile(r"^(?:letter-|value-|field-)|^(?:content|dataset-categories)$")
_HEADING = re.compile(r"^## (.+?)\s*$")
_FIELD = re.compile(r"^([A-Z][A-Za-z]*(?: [a-z]+)?):\s*(.*)$")
_DATA_REF = re.compile(r"^(?:(\w+)\.)?(\w+)\s*=\s*(\w+)$")
#: A word as the linker sees it: letters and digits, with hyphens inside (``hack-and-leak`` is one word).
_WORD = re.compile(r"\w+(?:-\w+)*")
_LINKABLE = re.compile(r"^\w+(?:-\w+)*(?: \w+(?:-\w+)*)*$")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_URL = re.compile(r"https?://|www\.", re.I)


class GlossaryError(BuildError):
    """The glossary file has problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the glossary:\n" + "\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Category:
    """The values of one or more schema columns that share the same allowed values and meanings."""

    key: str  # the first column's name: the category's anchors are ``field-<key>`` and ``value-<key>-<value>``
    columns: tuple[tuple[str, str, str], ...]  # (table, column, description)
    values: tuple[tuple[str, str], ...]  # (value, meaning as in the codebook)

    def anchor(self, value: str) -> str:
        """The id of one value's entry on the glossary page."""
        return f"value-{self.key}-{value}"


@dataclass(frozen=True)
class Term:
    """One hand-written entry of the glossary."""

    headword: str
    slug: str
    line: int
    definition: str  # Markdown; empty when the entry takes its meaning from ``data``
    also: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    data: tuple[tuple[Category, str], ...] = ()
    link_headword: bool = True

    @property
    def variants(self) -> tuple[str, ...]:
        """Every phrase that links to this entry from a lesson."""
        return ((self.headword,) if self.link_headword else ()) + self.also + self.forms


def categories(schema: Schema) -> tuple[Category, ...]:
    """Every categorised column of the schema, columns with identical values and meanings grouped together."""
    groups: dict[tuple, dict] = {}
    for table in schema.tables:
        for fld in table.fields:
            if not fld.labels:
                continue
            values = tuple(fld.labels.items())
            group = groups.setdefault(values, {"key": fld.name, "columns": []})
            group["columns"].append((table.name, fld.name, fld.description))
    return tuple(Category(g["key"], tuple(g["columns"]), values) for values, g in groups.items())


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


@dataclass
class _Draft:
    headword: str
    line: int
    fields: dict[str, tuple[int, str]]
    text: list[str]
    paragraphs: int = 0


def _drafts(text: str, add) -> list[_Draft]:
    """Cut the file into entries: a ``## headword`` line, its field lines, then its definition."""
    drafts: list[_Draft] = []
    in_fields = in_comment = False
    for number, line in enumerate(text.splitlines(), start=1):
        if in_comment or line.lstrip().startswith("<!--"):  # comments (the format notes) are not entries
            in_comment = "-->" not in line
            continue
        heading = _HEADING.match(line)
        if heading:
            drafts.append(_Draft(heading.group(1), number, {}, []))
            in_fields = True
            continue
        if not drafts:
            continue
        entry, field = drafts[-1], _FIELD.match(line)
        if in_fields and field:
            name = field.group(1).lower()
            if name not in FIELDS:
                known = ", ".join(f.capitalize() for f in FIELDS)
                add(number, entry.headword, f"unknown field {field.group(1)!r} (known fields: {known})")
            elif name in entry.fields:
                add(number, entry.headword, f"field {field.group(1)!r} is given twice")
            else:
                entry.fields[name] = (number, field.group(2).strip())
            continue
        in_fields = False
        if line.strip():
            entry.paragraphs += not entry.text or not entry.text[-1]
            entry.text.append(line.strip())
        elif entry.text and entry.text[-1]:
            entry.text.append("")
    return drafts


def _data_refs(draft: _Draft, cats: tuple[Category, ...], add) -> tuple[tuple[Category, str], ...]:
    """Resolve ``Data: column = value`` (or ``table.column = value``) against the schema's categories."""
    if "data" not in draft.fields:
        return ()
    line, value = draft.fields["data"]
    by_name: dict[str, set[Category]] = {}
    by_column: dict[tuple[str, str], Category] = {}
    for cat in cats:
        for table, column, _desc in cat.columns:
            by_name.setdefault(column, set()).add(cat)
            by_column[(table, column)] = cat
    refs = []
    for item in _split(value):
        match = _DATA_REF.match(item)
        if not match:
            add(line, draft.headword, f"Data: {item!r} is not of the form 'column = value' (or 'table.column = value')")
            continue
        table, column, wanted = match.groups()
        found = {by_column[(table, column)]} if (table, column) in by_column else set(by_name.get(column, ()))
        if len(found) != 1:
            why = "is not a categorised column in datapackage.json" if not found else "is ambiguous: write table.column"
            add(line, draft.headword, f"Data: {(table + '.' if table else '') + column!r} {why}")
            continue
        cat = found.pop()
        if wanted not in dict(cat.values):
            add(line, draft.headword, f"Data: {wanted!r} is not a value of {column!r} in datapackage.json")
            continue
        refs.append((cat, wanted))
    return tuple(refs)


def _term(draft: _Draft, cats: tuple[Category, ...], add) -> Term:
    fields = {name: value for name, (_line, value) in draft.fields.items()}
    link = fields.get("link headword", "yes").lower()
    if link not in ("yes", "no"):
        add(draft.fields["link headword"][0], draft.headword, "Link headword: write 'yes' or 'no'")
    return Term(
        headword=draft.headword,
        slug=slugify(draft.headword),
        line=draft.line,
        definition=" ".join(t for t in draft.text if t),
        also=_split(fields.get("also", "")),
        forms=_split(fields.get("forms", "")),
        see_also=_split(fields.get("see also", "")),
        data=_data_refs(draft, cats, add),
        link_headword=link != "no",
    )


def _check_text(term: Term, add) -> None:
    """The content policy on one entry: no personal data, no links, no person's name, one or two sentences."""
    text = " ".join((term.headword, *term.also, *term.forms, term.definition))
    for message in policy.check_text(text):
        add(term.line, term.headword, message)
    if _URL.search(text):
        add(term.line, term.headword, "contains a web address; the glossary links only to its own entries")
    for _at, name in policy.person_like_names(text):
        add(term.line, term.headword, f"{name!r} looks like a person's name; the glossary names no one")
    sentences = len(_SENTENCE_END.findall(term.definition))
    if sentences > 2:
        add(term.line, term.headword, f"the definition has {sentences} sentences; keep it to one or two")


def _check(terms: list[Term], drafts: list[_Draft], add) -> None:
    """What needs every entry at once: duplicates, anchors, see-also targets, phrases claimed twice."""
    first: dict[str, Term] = {}
    slugs: dict[str, Term] = {}
    phrases: dict[str, Term] = {}
    for term, draft in zip(terms, drafts, strict=True):
        key = term.headword.casefold()
        if key in first:
            add(term.line, term.headword, f"duplicate term (first defined at line {first[key].line})")
            continue
        first[key] = term
        if term.slug in slugs:
            other = slugs[term.slug]
            add(
                term.line,
                term.headword,
                f"its anchor #{term.slug} is also that of {other.headword!r} (line {other.line})",
            )
        elif _RESERVED.search(term.slug):
            add(term.line, term.headword, f"its anchor #{term.slug} is reserved for the glossary page itself")
        slugs.setdefault(term.slug, term)
        if not term.definition and not term.data:
            add(term.line, term.headword, "empty definition (write one or two sentences, or give a Data: category)")
        if draft.paragraphs > 1:
            add(term.line, term.headword, "the definition has several paragraphs; write one")
        _check_phrases(term, draft, phrases, add)
        _check_text(term, add)
    for term, draft in zip(terms, drafts, strict=True):
        line = draft.fields.get("see also", (term.line, ""))[0]
        for target in term.see_also:
            if target.casefold() not in first:
                add(line, term.headword, f"see-also target {target!r} is not a term in the glossary")
            elif first[target.casefold()] is term:
                add(line, term.headword, "lists itself under 'See also'")


def _check_phrases(term: Term, draft: _Draft, phrases: dict[str, Term], add) -> None:
    """Each phrase that links to the term can be matched, and links to this term only."""
    lines = {
        p: draft.fields.get(name, (term.line, ""))[0]
        for name, ps in (("forms", term.forms), ("also", term.also))
        for p in ps
    }
    for phrase in term.variants:
        line, norm = lines.get(phrase, term.line), " ".join(phrase.split()).casefold()
        if not _LINKABLE.match(" ".join(phrase.split())):
            add(line, term.headword, f"{phrase!r} cannot be linked: use letters, digits, hyphens and spaces")
        elif phrases.get(norm, term) is not term:
            other = phrases[norm]
            add(line, term.headword, f"{phrase!r} already links to {other.headword!r} (line {other.line})")
        phrases.setdefault(norm, term)


def parse(text: str, schema: Schema, shown: str = f"notebooks/{GLOSSARY}") -> tuple[list[Term], list[Problem]]:
    """Read the glossary's Markdown; return its terms and every problem found, located by line."""
    problems: list[Problem] = []

    def add(line: int, headword: str, message: str) -> None:
        problems.append(Problem(shown, line, None, f"term {headword!r}: {message}"))

    cats = categories(schema)
    drafts = _drafts(text, add)
    terms = [_term(d, cats, add) for d in drafts]
    _check(terms, drafts, add)
    return terms, sorted(problems)


class Glossary:
    """The site's glossary: terms and categories, the glossary page, and the term links on lesson pages."""

    def __init__(self, terms: list[Term], cats: tuple[Category, ...]):
        self.terms = sorted(terms, key=lambda t: (t.headword.casefold(), t.headword))
        self.categories = cats
        self._by_phrase: dict[tuple[str, ...], Term] = {}
        for term in self.terms:
            for phrase in term.variants:
                self._by_phrase[tuple(w.casefold() for w in _WORD.findall(phrase))] = term
        # The longest phrase starting with each word: most words start none, and are passed over at once.
        self._starts: dict[str, int] = {}
        for key in self._by_phrase:
            self._starts[key[0]] = max(len(key), self._starts.get(key[0], 0))
        self._page: Markup | None = None

    @classmethod
    def from_text(cls, text: str, schema: Schema, shown: str = f"notebooks/{GLOSSARY}") -> Glossary:
        """A glossary from the file's text; raises :class:`GlossaryError` listing every problem."""
        terms, problems = parse(text, schema, shown)
        if problems:
            raise GlossaryError(problems)
        return cls(terms, categories(schema))

    def anchors(self) -> set[str]:
        """Every id an entry has on the glossary page."""
        return {t.slug for t in self.terms}

    def category_anchors(self) -> set[str]:
        """Every id an entry has on the categories page."""
        ids = {f"field-{c.key}" for c in self.categories}
        return ids | {c.anchor(v) for c in self.categories for v, _ in c.values}

    def page(self) -> Markup:
        """The glossary page's body (the same in both editions)."""
        if self._page is None:
            self._page = render("glossary.html", letters=self._letters(), categories_page=CATEGORIES_PAGE)
        return self._page

    def categories_page(self) -> Markup:
        """The categories page's body: every value of every categorised column, with its meaning."""
        return render("glossary_categories.html", categories=self._categories(), glossary_page=PAGE)

    def _letters(self) -> list[tuple[str, list[dict]]]:
        """The terms for the page, by initial letter: each with its definition, see-also and data links."""
        by_headword = {t.headword.casefold(): t for t in self.terms}
        letters: dict[str, list[dict]] = {}
        for term in self.terms:
            initial = next((c for c in term.headword if c.isalpha()), "#").upper()
            letters.setdefault(initial, []).append(
                {
                    "term": term,
                    "html": markdown_to_html(term.definition) if term.definition else None,
                    "see": [by_headword[s.casefold()] for s in term.see_also],
                    "data": [(cat.anchor(v), v, cat.columns, _(dict(cat.values)[v])) for cat, v in term.data],
                }
            )
        return list(letters.items())

    def _categories(self) -> list[dict]:
        """The categories for the page, each value with its meaning and the terms that point to it."""
        pointing: dict[str, list[Term]] = {}
        for term in self.terms:
            for cat, value in term.data:
                pointing.setdefault(cat.anchor(value), []).append(term)
        return [
            {
                "key": cat.key,
                "columns": [(table, column, _(description)) for table, column, description in cat.columns],
                "entries": [
                    (cat.anchor(v), v, _(meaning), pointing.get(cat.anchor(v), [])) for v, meaning in cat.values
                ],
            }
            for cat in self.categories
        ]

    def pages(self) -> list[tuple[str, str, Markup, list]]:
        """The glossary page as ``(file name, title, body, toc)``, or nothing for an empty glossary."""
        if not self.terms:
            return []
        return [(PAGE, _(TITLE), self.page(), []), (CATEGORIES_PAGE, _(CATEGORIES_TITLE), self.categories_page(), [])]

    def link(self, lesson: Rendered) -> Rendered:
        """The lesson with the first use of each term in its prose linked to the glossary."""
        return replace(lesson, body=self.link_html(lesson.body)) if self.terms else lesson

    def link_html(self, html: str) -> Markup:
        """Link the first prose use of each term in ``html`` (trusted markup); every other byte stays as it was."""
        html = str(html)  # slices of a Markup joined to plain strings would be escaped
        done: set[str] = set()
        out, last = [], 0
        for offset, text in _prose_chunks(html):
            for start, end, term in self._matches(text):
                if term.slug in done:
                    continue
                done.add(term.slug)
                out += [html[last : offset + start], f'<a class="term" href="{PAGE}#{term.slug}">']
                out += [html[offset + start : offset + end], "</a>"]
                last = offset + end
        return Markup("".join(out) + html[last:])

    def _matches(self, text: str):
        """``(start, end, term)`` for each phrase in ``text``, longest first, phrases never overlapping."""
        words = list(_WORD.finditer(text))
        folded = [w.group().casefold() for w in words]
        starts = self._starts
        i = 0
        while i < len(words):
            word = folded[i]
            longest = max(starts.get(word, 0), starts.get(word[:-1], 0) and 1, starts.get(word[:-2], 0) and 1)
            for n in range(min(longest, len(words) - i), 0, -1):
                if n > 1 and not all(
                    text[words[k].end() : words[k + 1].start()].isspace() for k in range(i, i + n - 1)
                ):
                    continue
                term = self._lookup(words[i : i + n], folded[i : i + n])
                if term:
                    yield words[i].start(), words[i + n - 1].end(), term
                    i += n - 1
                    break
            i += 1

    def _lookup(self, words: list[re.Match], folded: list[str]) -> Term | None:
        """The term these words name, plural in -s or -es allowed; capitals in the glossary must match."""
        last = folded[-1]
        for cut in (0, 1, 2):
            if cut and not last.endswith("es"[-cut:]):
                continue
            key = (*folded[:-1], last[: len(last) - cut])
            term = self._by_phrase.get(key)
            if term and any(_same_capitals(v, words, cut) for v in term.variants):
                return term
        return None


def _same_capitals(phrase: str, words: list[re.Match], cut: int) -> bool:
    """True when ``words`` spell ``phrase`` (plural ending ``cut`` letters long) with its capitals where it has them."""
    wanted = _WORD.findall(phrase)
    if len(wanted) != len(words):
        return False
    seen = [w.group() for w in words]
    seen[-1] = seen[-1][: len(seen[-1]) - cut]
    for want, got in zip(wanted, seen, strict=True):
        if len(want) != len(got) or want.casefold() != got.casefold():
            return False
        if any(a.isupper() and a != b for a, b in zip(want, got, strict=True)):
            return False
    return True


#: Elements whose text never gets a term link (see the module docstring).
_SKIP = frozenset(
    [
        "a",
        "button",
        "caption",
        "code",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "kbd",
        "label",
        "math",
        "nav",
        "option",
        "pre",
        "samp",
        "script",
        "select",
        "style",
        "summary",
        "svg",
        "table",
        "td",
        "textarea",
        "th",
        "title",
        "var",
    ]
)
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
#: The inside of a drawing, table, code block, script or style holding no element of its own kind.
_BLANKED = re.compile(r"(<(svg|table|pre|script|style)\b[^>]*>)((?:(?!<\2\b).)*?)(?=</\2>)", re.S)
_NOT_NEWLINE = re.compile(r"[^\n]+")


class _Prose(HTMLParser):
    """Collect the text of a page that may take a term link: inside a Markdown cell, outside every skipped element."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)  # text arrives exactly as written, entities apart
        self.starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, prose)
        self.skipped = self.prose = 0
        self.chunks: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        entry = (tag, tag in _SKIP, tag in ("div", "section") and "cell" in classes and "markdown" in classes)
        self.stack.append(entry)
        self.skipped += entry[1]
        self.prose += entry[2]

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _tag, skipped, prose in self.stack[i:]:
                    self.skipped -= skipped
                    self.prose -= prose
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.prose and not self.skipped:
            line, column = self.getpos()
            self.chunks.append((self.starts[line - 1] + column, data))


def _prose_chunks(html: str) -> list[tuple[int, str]]:
    """``(offset, text)`` of every piece of linkable prose in ``html``."""
    # Figures, tables and code are never prose, and hold most of a page's markup: blank their insides
    # (same length, same lines, so offsets still hold) and the parser skims over them, three times faster.
    blanked = _BLANKED.sub(lambda m: m.group(1) + _NOT_NEWLINE.sub(lambda s: " " * len(s.group()), m.group(3)), html)
    parser = _Prose(blanked)
    parser.feed(blanked)
    parser.close()
    return parser.chunks


def for_site(guide: Path | None, source_dir: Path) -> Glossary:
    """The glossary beside the instructor guide (``notebooks/glossary.md``); empty when there is none."""
    path = guide.with_name(GLOSSARY) if guide is not None else None
    if path is None or not path.is_file():
        return Glossary([], ())
    text = path.read_text(encoding="utf-8")
    return Glossary.from_text(text, load_schema(source_dir), shown=f"{path.parent.name}/{path.name}")
