"""Validate a data folder against the schema and the content policy.

Every problem is reported at once, as ``file:line: column: message``; nothing
here raises for bad data.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from cyberhistory import dates, kind_rule, policy
from cyberhistory.csvfile import RawTable, read_csv
from cyberhistory.problems import Problem
from cyberhistory.schema import LIST_SEPARATOR, Field, Schema, Table, data_dir, load_schema

# Pairs of (date column, precision column) checked for agreement.
_DATE_PAIRS = {
    "events": (("start_date", "start_precision"), ("end_date", "end_precision")),
    "sources": (("published", "published_precision"),),
    "outcomes": (("date", "date_precision"),),
}


@dataclass
class Validated:
    """The raw rows of every table, and every problem found in them."""

    tables: dict[str, RawTable]
    problems: list[Problem]
    directory: Path

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def split_list(value: str) -> list[str]:
    """Split a list cell on ``;``; an empty cell is an empty list."""
    return [] if value == "" else value.split(LIST_SEPARATOR)


def _shown(directory: Path, table: Table) -> str:
    path = directory / table.path
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def check_cell(fld: Field, value: str, schema: Schema) -> list[str]:
    """Return messages for one cell; empty when the value is allowed."""
    if value == "":
        return ["is required but empty"] if fld.required else []
    if value != value.strip():
        return [f"{value!r} has leading or trailing spaces"]
    if fld.is_list:
        return [m for item in split_list(value) for m in _check_item(fld, item, schema)]
    return _check_scalar(fld, value)


def _check_item(fld: Field, item: str, schema: Schema) -> list[str]:
    if item == "" or item != item.strip():
        return [f"list item {item!r} is empty or padded; separate items with ';' and no spaces"]
    if fld.enum and item not in fld.enum:
        return [f"{item!r} is not an allowed value (allowed: {', '.join(fld.enum)})"]
    if fld.item_pattern and not re.fullmatch(fld.item_pattern, item):
        return [f"{item!r} is not an ISO 3166-1 alpha-2 country code (expected two capital letters, e.g. MX)"]
    if fld.item_pattern and schema.country_codes and item not in schema.country_codes:
        return [f"{item!r} is not an ISO 3166-1 alpha-2 country code"]
    return []


def _check_scalar(fld: Field, value: str) -> list[str]:
    if fld.type == "integer":
        if not re.fullmatch(r"-?\d+", value):
            return [f"{value!r} is not a whole number"]
        return _check_range(fld, int(value))
    if fld.enum and value not in fld.enum:
        return [f"{value!r} is not an allowed value (allowed: {', '.join(fld.enum)})"]
    if fld.pattern and fld.pattern.startswith(r"^\d{4}(-"):
        try:
            dates.parse(value)
        except dates.PartialDateError as err:
            return [str(err)]
        return []
    if fld.pattern and not re.fullmatch(fld.pattern, value):
        return [f"{value!r} does not match the expected form {_form(fld)}"]
    if fld.max_length and len(value) > fld.max_length:
        return [f"is {len(value)} characters long (at most {fld.max_length})"]
    if fld.format == "uri":
        return _check_url(value)
    return []


def _check_range(fld: Field, number: int) -> list[str]:
    """Say which bound a number breaks: "outside the allowed range 0-4", "below the allowed minimum (at least 0)"."""
    low = fld.minimum is not None and number < fld.minimum
    high = fld.maximum is not None and number > fld.maximum
    if not (low or high):
        return []
    if fld.minimum is not None and fld.maximum is not None:
        return [f"{number} is outside the allowed range {fld.range_text}"]
    return [f"{number} is {'below the allowed minimum' if low else 'above the allowed maximum'} ({fld.range_text})"]


def _form(fld: Field) -> str:
    forms = {
        r"^\d{4}-[a-z0-9]+(-[a-z0-9]+)*$": "YYYY-kebab-slug, e.g. 2011-operation-cartel",
        r"^[a-z0-9]+(-[a-z0-9]+)*$": "kebab-case (lower-case letters, digits, hyphens)",
        r"^([A-Z]{2}|EU|INT)$": "an ISO country code, EU or INT",
    }
    return forms.get(fld.pattern, fld.pattern)


def _check_url(value: str) -> list[str]:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value or "." not in parts.netloc:
        return [f"{value!r} is not a well-formed http(s) URL"]
    return []


def _check_rows(table: Table, raw: RawTable, shown: str, schema: Schema) -> list[Problem]:
    problems = []
    fields = [f for f in table.fields if f.name in raw.header]
    for line, row in raw.rows:
        for fld in fields:
            problems += [Problem(shown, line, fld.name, m) for m in check_cell(fld, row[fld.name], schema)]
        problems += _check_dates(table.name, row, line, shown)
        if row.get("title_checked", "").strip() and row.get("title", "").strip():
            problems.append(Problem(shown, line, "title_checked", "is set but the source has a title: leave it empty"))
    return problems


def _check_dates(table: str, row: dict[str, str], line: int, shown: str) -> list[Problem]:
    problems = []
    for date_col, precision_col in _DATE_PAIRS.get(table, ()):
        value, precision = row.get(date_col, ""), row.get(precision_col, "")
        if not value:
            if precision:
                problems.append(Problem(shown, line, precision_col, f"is set but {date_col} is empty"))
            continue
        try:
            actual = dates.precision_of(value)
        except dates.PartialDateError:
            continue  # reported by the cell check
        if precision and precision in dates.PRECISIONS and precision != actual:
            problems.append(
                Problem(
                    shown,
                    line,
                    precision_col,
                    f"says {precision!r} but {date_col} {value!r} is precise to the {actual}",
                )
            )
        if not precision:
            problems.append(Problem(shown, line, precision_col, f"is required when {date_col} is set"))
    if table == "events":
        problems += _check_order(row, line, shown)
    return problems


def _check_order(row: dict[str, str], line: int, shown: str) -> list[Problem]:
    try:
        start, end = dates.parse(row.get("start_date", "")), dates.parse(row.get("end_date", ""))
    except dates.PartialDateError:
        return []
    if end.latest < start.earliest:
        return [Problem(shown, line, "end_date", f"{end.iso()!r} is before start_date {start.iso()!r}")]
    return []


def _check_keys(schema: Schema, tables: dict[str, RawTable], shown: dict[str, str]) -> list[Problem]:
    problems = []
    for table in schema.tables:
        raw = tables[table.name]
        if not table.primary_key or not set(table.primary_key) <= set(raw.header):
            continue
        first_seen = {}
        for line, row in raw.rows:
            key = tuple(row[c] for c in table.primary_key)
            if key in first_seen:
                problems.append(
                    Problem(
                        shown[table.name],
                        line,
                        table.primary_key[0],
                        f"duplicate key {', '.join(key)!r} (first used on line {first_seen[key]})",
                    )
                )
            else:
                first_seen[key] = line
    for table in schema.tables:
        raw = tables[table.name]
        for fk in table.foreign_keys:
            referenced = tables[fk.resource]
            if fk.field not in raw.header or not referenced.readable or fk.reference_field not in referenced.header:
                continue  # the missing file or column is reported already; don't repeat it for every row
            target = {row[fk.reference_field] for _, row in referenced.rows}
            for line, row in raw.rows:
                members = split_list(row[fk.field]) if fk.is_list else ([row[fk.field]] if row[fk.field] else [])
                for member in members:
                    if member and member not in target:
                        problems.append(
                            Problem(
                                shown[table.name],
                                line,
                                fk.field,
                                f"{member!r} is not a known {fk.reference_field} (not found in {schema.table(fk.resource).path})",
                            )
                        )
    return problems


def _check_links(tables: dict[str, RawTable], shown: dict[str, str]) -> list[Problem]:
    """Rules that tie tables together beyond keys: every event is sourced, outcomes are linked."""
    problems = []
    events, sources, outcomes = tables["events"], tables["sources"], tables["outcomes"]
    if "event_ids" in sources.header and "event_id" in events.header:
        cited = defaultdict(int)
        for _, row in sources.rows:
            for event_id in split_list(row["event_ids"]):
                cited[event_id] += 1
        for line, row in events.rows:
            if row["event_id"] and not cited[row["event_id"]]:
                problems.append(
                    Problem(
                        shown["events"],
                        line,
                        "event_id",
                        f"event {row['event_id']!r} has no source (list it in a source's event_ids in sources.csv)",
                    )
                )
    if {"event_ids", "actor_ids"} <= set(outcomes.header):
        for line, row in outcomes.rows:
            if not row["event_ids"] and not row["actor_ids"]:
                problems.append(
                    Problem(shown["outcomes"], line, "event_ids", "an outcome needs event_ids or actor_ids")
                )
    return problems


# Columns the kind rule reads; without them the check is skipped (the missing column is reported already).
_KIND_RULE_COLUMNS = {
    "events": {"kind", "actors", "attributed_by", "attribution_confidence", "state_nexus"},
    "actors": {"actor_id", "state_nexus", "nexus_asserted_by"},
}


def _check_kind_rule(tables: dict[str, RawTable], shown: dict[str, str]) -> list[Problem]:
    """Every operation whose ``kind`` breaks the kind rule (codebook: "How `kind` is decided for operations")."""
    events, actors = tables["events"], tables["actors"]
    if not all(cols <= set(tables[name].header) for name, cols in _KIND_RULE_COLUMNS.items()):
        return []
    by_id = {row["actor_id"]: row for _, row in actors.rows}
    problems = []
    for line, row in events.rows:
        decision = kind_rule.decide(row, by_id)
        if decision and decision.kind != row.get("kind"):
            problems.append(
                Problem(
                    shown["events"],
                    line,
                    "kind",
                    f"is {row.get('kind', '')!r} but the kind rule gives {decision.kind!r}: {decision.reason} "
                    "(see 'How `kind` is decided for operations' in CODEBOOK.md)",
                )
            )
    return problems


def _same_page(url: str) -> str:
    """A page's address without its scheme, ``www.`` or trailing slash: two sources with it are one page."""
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").lower()


def _check_duplicate_pages(tables: dict[str, RawTable], shown: dict[str, str]) -> list[Problem]:
    """Every source that cites a page another source already cites (one page is one source)."""
    sources = tables["sources"]
    if "url" not in sources.header:
        return []
    first: dict[str, tuple[int, str]] = {}
    problems = []
    for line, row in sources.rows:
        page = _same_page(row.get("url", ""))
        if not page:
            continue
        if page in first:
            seen_line, seen_id = first[page]
            message = f"cites the same page as {seen_id!r} (line {seen_line}): merge the two rows into one source"
            problems.append(Problem(shown["sources"], line, "url", message))
        else:
            first[page] = (line, row.get("source_id", ""))
    return problems


def validate(directory: str | os.PathLike | None = None) -> Validated:
    """Check every table of a data folder against the schema and the content policy.

    Parameters
    ----------
    directory : path-like, optional
        The data folder; the project's ``data/`` by default.

    Returns
    -------
    Validated
        The raw rows and every problem found, sorted by file and line.
    """
    folder = data_dir(directory)
    remembered = _REMEMBERED.get(folder.resolve()) if _REMEMBERED else None
    if remembered and remembered[0] == _digest(folder):
        return replace(remembered[1], problems=[], directory=folder)
    schema = load_schema(folder)
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    shown = {t.name: _shown(folder, t) for t in schema.tables}
    for table in schema.tables:
        raw = read_csv(folder / table.path, shown[table.name], table.field_names, problems)
        tables[table.name] = raw
        problems += _check_rows(table, raw, shown[table.name], schema)
    problems += _check_keys(schema, tables, shown)
    problems += _check_links(tables, shown)
    problems += _check_kind_rule(tables, shown)
    problems += _check_duplicate_pages(tables, shown)
    problems += policy.check(schema, tables, shown)
    problems.sort(key=Problem.sort_key)
    return Validated(tables=tables, problems=problems, directory=folder)


#: Valid data folders checked in this process, by a digest of their files' bytes (see :func:`remember`).
_REMEMBERED: dict[Path, tuple[str, Validated]] = {}


def remember(directory: str | os.PathLike | None = None) -> bool:
    """Validate a folder now, and let later calls in this process (and processes forked from it) reuse
    the result for as long as every file in it holds the same bytes.

    The build's warm kernel server calls this once, so each lesson's ``load()`` skips re-checking
    data that was checked a moment ago; a folder with problems is not remembered. Returns whether
    the folder was valid.
    """
    folder = data_dir(directory)
    _REMEMBERED.pop(folder.resolve(), None)
    digest = _digest(folder)  # before checking: a file changed meanwhile then fails to match, and is checked again
    checked = validate(folder)
    if checked.ok:
        _REMEMBERED[folder.resolve()] = (digest, checked)
    return checked.ok


def _digest(folder: Path) -> str:
    """A digest of every file under ``folder``: names and bytes (a few milliseconds for this dataset)."""
    digest = hashlib.sha256()
    if not folder.is_dir():
        return ""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(folder).as_posix()}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
