"""Keep the Spanish edition in step with the English: what is translated, what is missing, what is stale.

Every translated piece records a hash of the English text it translates: a row of
``data/events_es.csv`` the hash of the event's English title, label and summary (of
``data/event_notes_es.csv`` its notes, of ``data/outcomes_es.csv`` an outcome's summary, of
``data/actors_es.csv`` how an actor describes itself, of ``data/sources_es.csv`` what a source supports
and disputes); a cell of a
Spanish notebook (``notebooks/es/NN-name.ipynb``, same cell ids as the English) the hash of the
English cell in its metadata (``"translation": {"english_hash": ...}``). When the English
changes, the hashes no longer match and :func:`check` lists the piece as out of date, with its
file and id, so a stale translation is never shown as current without anyone knowing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from cyberhistory.csvfile import read_csv
from cyberhistory.schema import data_dir, load_schema

LANGUAGE = "es"
#: The separator between the fields hashed together (a character that never occurs in the text).
_UNIT = "\x1f"


def english_hash(*texts: str) -> str:
    """The first 12 hex digits of the SHA-256 of the English text(s) a translation translates."""
    joined = _UNIT.join(t.replace("\r\n", "\n").strip() for t in texts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:12]


def cell_hash(cell: dict) -> str:
    source = cell.get("source", "")
    return english_hash(source if isinstance(source, str) else "".join(source))


@dataclass(frozen=True)
class TextTable:
    """A table of translated texts: which English table and columns its rows translate, keyed how."""

    name: str
    english: str
    key: str
    columns: tuple[str, ...]
    what: str

    def needs(self, row: dict[str, str]) -> bool:
        """Whether an English row has any text this table translates (an event without notes needs none)."""
        return any(row.get(c) for c in self.columns)


TEXT_TABLES = (
    TextTable("events_es", "events", "event_id", ("title", "label", "summary"), "events"),
    TextTable("event_notes_es", "events", "event_id", ("uncertainty_note", "date_note"), "event notes"),
    TextTable("outcomes_es", "outcomes", "outcome_id", ("summary",), "outcomes"),
    TextTable("actors_es", "actors", "actor_id", ("self_description",), "actor descriptions"),
    TextTable("sources_es", "sources", "source_id", ("supports", "disputes"), "source notes"),
)


@dataclass
class Report:
    """What the check found: counts, and the missing and out-of-date pieces as 'file: id: why' lines."""

    tables: dict[str, tuple[int, int]] = field(default_factory=dict)  # what: (translated, to translate)
    notebooks: int = 0
    notebooks_translated: int = 0
    strings: int = 0
    strings_translated: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    @property
    def events(self) -> int:
        return self.tables.get("events", (0, 0))[1]

    @property
    def events_translated(self) -> int:
        return self.tables.get("events", (0, 0))[0]

    def lines(self) -> list[str]:
        head = [f"{what}: {done} of {total} translated into Spanish" for what, (done, total) in self.tables.items()]
        head += [
            f"notebooks: {self.notebooks_translated} of {self.notebooks} translated into Spanish",
            f"site strings: {self.strings_translated} of {self.strings} translated into Spanish",
        ]
        return head + [f"out of date: {line}" for line in self.stale] + [f"missing: {line}" for line in self.missing]


def _texts(folder: Path, report: Report) -> None:
    schema, problems = load_schema(folder), []
    tables = {t.name: read_csv(folder / t.path, t.path, t.field_names, problems) for t in schema.tables}
    for text in TEXT_TABLES:
        every = {row[text.key]: row for _, row in tables[text.english].rows}
        english = {key: row for key, row in every.items() if text.needs(row)}
        shown, seen, columns = f"data/{text.name}.csv", set(), _listed(text.columns)
        for line, row in tables[text.name].rows:
            key = row.get(text.key, "")
            source = english.get(key)
            if source is None:
                why = f"the English has no {columns}" if key in every else f"no such {text.key} in {text.english}.csv"
                report.stale.append(f"{shown}:{line}: {key}: {why}")
                continue
            seen.add(key)
            if row.get("english_hash") != english_hash(*(source[c] for c in text.columns)):
                report.stale.append(f"{shown}:{line}: {key}: the English {columns} changed")
            uneven = [c for c in text.columns if bool(source[c]) != bool(row.get(c))]
            report.stale += [f"{shown}:{line}: {key}: {c} is empty in one language only" for c in uneven]
        report.tables[text.what] = (len(seen), len(english))
        report.missing += [f"{shown}: {k}: no Spanish {columns}" for k in english if k not in seen]


def _listed(columns: tuple[str, ...]) -> str:
    return " or ".join(filter(None, [", ".join(columns[:-1]), columns[-1]]))


def _notebook(path: Path) -> dict:
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ValueError(f"{path}: cannot read the notebook ({err})") from err
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise ValueError(f"{path}: expected a notebook with a list of cells")
    return notebook


def _notebooks(folder: Path, report: Report) -> None:
    english = sorted(folder.glob("[0-9][0-9]-*.ipynb"))
    report.notebooks = len(english)
    for path in english:
        spanish_path = folder / LANGUAGE / path.name
        shown = f"notebooks/{LANGUAGE}/{path.name}"
        if not spanish_path.exists():
            report.missing.append(f"{shown}: the lesson is not translated")
            continue
        report.notebooks_translated += 1
        missing, stale = lesson_problems(path, spanish_path)
        report.missing += [f"{shown}: {line}" for line in missing]
        report.stale += [f"{shown}: {line}" for line in stale]


def lesson_problems(english_path: Path, spanish_path: Path) -> tuple[list[str], list[str]]:
    """A translated lesson's cells that are missing, and those out of date, as 'cell ID: why' lines."""
    source = {c.get("id"): c for c in _notebook(english_path)["cells"]}
    translated = {c.get("id"): c for c in _notebook(spanish_path)["cells"]}
    missing, stale = [], []
    for cell_id, cell in source.items():
        other = translated.get(cell_id)
        if other is None:
            missing.append(f"cell {cell_id}: not translated")
            continue
        recorded = (other.get("metadata", {}).get("translation") or {}).get("english_hash")
        if recorded != cell_hash(cell):
            stale.append(f"cell {cell_id}: the English cell changed since it was translated")
    stale += [f"cell {c}: no such cell in the English lesson" for c in translated if c not in source]
    return missing, stale


def check(data: str | Path | None = None, notebooks: str | Path | None = None) -> Report:
    """Compare the Spanish event texts, notebooks and site strings with the English they translate."""
    report = Report()
    _texts(data_dir(data), report)
    _catalog_report(report, data_dir(None))  # the catalog is the package's: its strings come from its own data
    if notebooks is not None:
        _notebooks(Path(notebooks), report)
    return report


# --- The site's own strings: a gettext catalog per language --------------------------------------

PACKAGE_DIR = Path(__file__).parent
#: Where Babel looks for messages: Python (``_``, ``N_``, ``ngettext``), templates, and the site's scripts.
_METHODS = [
    ("**/templates/**.html", "jinja2"),
    ("**/static/**.js", "javascript"),
    ("**.py", "python"),
]
_OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _data_messages(data: Path) -> list[tuple[str, str]]:
    """Messages the code builds from the schema and the data: display names, meanings, descriptions."""
    from cyberhistory.labels import english_name
    from cyberhistory.timeline import NONE_LANE

    schema = load_schema(data)
    found = [(english_name("other"), "lane"), (english_name(NONE_LANE), "lane")]
    for table in schema.tables:
        found.append((table.description, f"description of {table.path}"))
        for fld in table.fields:
            if not (fld.enum or fld.labels):
                continue
            found.append((fld.description, f"{table.name}.{fld.name}"))
            found.append((english_name(fld.name), f"the name of the column {table.name}.{fld.name}"))
            for value in fld.enum:
                found.append((english_name(value), f"{table.name}.{fld.name} = {value}"))
            for value, meaning in (fld.labels or {}).items():
                found.append((meaning, f"meaning of {table.name}.{fld.name} = {value}"))
    table = next(t for t in schema.tables if t.name == "events")
    events = read_csv(data / table.path, table.path, table.field_names, [])
    for campaign in sorted({row["campaign"] for _, row in events.rows if row.get("campaign")}):
        found.append((english_name(campaign), f"campaign {campaign}"))
    return found


def extract(data: str | Path | None = None):
    """Every message the site and the library show, as a Babel catalog (the template of each language's)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="cyberhistory", domain="cyberhistory", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE_DIR, _METHODS, options_map=_OPTIONS, keywords=_KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    for message, where in _data_messages(data_dir(data)):
        if message:
            catalog.add(message, locations=[("datapackage.json", 0)], auto_comments=[where])
    return catalog


def _catalog_report(report: Report, data: Path) -> None:
    from babel.messages.pofile import read_po

    from cyberhistory.i18n import catalog_path

    template = extract(data)
    path = catalog_path(LANGUAGE)
    shown = str(path.relative_to(PACKAGE_DIR.parents[1])) if path.is_relative_to(PACKAGE_DIR.parents[1]) else str(path)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=LANGUAGE)
    wanted = {m.id for m in template if m.id}
    report.strings = len(wanted)
    for message in catalog:
        if not message.id:
            continue
        if message.id not in wanted:
            report.stale.append(f"{shown}:{message.lineno}: the English string is no longer used: {_short(message.id)}")
        elif message.fuzzy:
            report.stale.append(f"{shown}:{message.lineno}: marked fuzzy (a guess to review): {_short(message.id)}")
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    report.strings_translated = len(wanted & translated)
    report.missing += [f"{shown}: no translation: {_short(m)}" for m in sorted(wanted - translated, key=str)]


def _short(message) -> str:
    text = message if isinstance(message, str) else message[0]
    return repr(text if len(text) <= 70 else text[:67] + "...")


def update_catalog(data: str | Path | None = None) -> Path:
    """Merge the messages in use into the Spanish catalog: new ones empty, unused ones dropped, the rest kept."""
    from babel.messages.pofile import read_po, write_po

    from cyberhistory.i18n import catalog_path

    path = catalog_path(LANGUAGE)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=LANGUAGE)
    else:
        from babel.messages.catalog import Catalog

        catalog = Catalog(locale=LANGUAGE, project="cyberhistory", domain="cyberhistory")
    catalog.update(extract(data), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".po.tmp")
    with tmp.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=False, include_previous=False)
    tmp.replace(path)
    return path
