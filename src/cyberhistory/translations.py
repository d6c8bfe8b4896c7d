"""Keep the Spanish edition in step with the English: what is translated, what is missing, what is stale.

Every translated piece records a hash of the English text it translates: a row of
``data/events_es.csv`` the hash of the event's English title, label and summary; a cell of a
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


@dataclass
class Report:
    """What the check found: counts, and the missing and out-of-date pieces as 'file: id: why' lines."""

    events: int = 0
    events_translated: int = 0
    notebooks: int = 0
    notebooks_translated: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = [
            f"events: {self.events_translated} of {self.events} translated into Spanish",
            f"notebooks: {self.notebooks_translated} of {self.notebooks} translated into Spanish",
        ]
        return head + [f"out of date: {line}" for line in self.stale] + [f"missing: {line}" for line in self.missing]


def _events(folder: Path, report: Report) -> None:
    schema, problems = load_schema(folder), []
    tables = {t.name: read_csv(folder / t.path, t.path, t.field_names, problems) for t in schema.tables}
    english = {row["event_id"]: row for _, row in tables["events"].rows}
    report.events = len(english)
    seen = set()
    for line, row in tables["events_es"].rows:
        event_id = row.get("event_id", "")
        source = english.get(event_id)
        if source is None:
            report.stale.append(f"data/events_es.csv:{line}: {event_id}: no such event in events.csv")
            continue
        seen.add(event_id)
        if row.get("english_hash") != english_hash(source["title"], source["label"], source["summary"]):
            report.stale.append(f"data/events_es.csv:{line}: {event_id}: the English title, label or summary changed")
    report.events_translated = len(seen)
    report.missing += [
        f"data/events_es.csv: {e}: no Spanish title, label and summary" for e in english if e not in seen
    ]


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
        source = {c.get("id"): c for c in _notebook(path)["cells"]}
        translated = {c.get("id"): c for c in _notebook(spanish_path)["cells"]}
        for cell_id, cell in source.items():
            other = translated.get(cell_id)
            if other is None:
                report.missing.append(f"{shown}: cell {cell_id}: not translated")
                continue
            recorded = (other.get("metadata", {}).get("translation") or {}).get("english_hash")
            if recorded != cell_hash(cell):
                report.stale.append(f"{shown}: cell {cell_id}: the English cell changed since it was translated")
        report.stale += [
            f"{shown}: cell {c}: no such cell in the English lesson" for c in translated if c not in source
        ]


def check(data: str | Path | None = None, notebooks: str | Path | None = None) -> Report:
    """Compare the Spanish event texts and notebooks with the English they translate."""
    report = Report()
    _events(data_dir(data), report)
    if notebooks is not None:
        _notebooks(Path(notebooks), report)
    return report
