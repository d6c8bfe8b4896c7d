"""Reading one CSV file defensively: every way a file can be broken becomes a Problem."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from cyberhistory.problems import Problem
from cyberhistory.schema import DEFAULT_DATA_DIR, DESCRIPTOR, load_schema

BOM = b"\xef\xbb\xbf"


@dataclass
class RawTable:
    """The rows of a CSV file as strings, each with the line it starts on."""

    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    readable: bool = True


def _decode(raw: bytes, shown: str, problems: list[Problem]) -> str:
    if raw.startswith(BOM):
        problems.append(
            Problem(shown, 1, None, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
        )
        raw = raw[len(BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(
            Problem(
                shown, line, None, f"bytes that are not UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8"
            )
        )
        return raw.decode("utf-8", errors="replace")


def _line_endings(text: str, shown: str, problems: list[Problem]) -> str:
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        kind = "Windows (CRLF)" if "\r\n" in text else "old Mac (CR)"
        problems.append(Problem(shown, line, None, f"{kind} line endings; save the file with Unix (LF) line endings"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_csv(path: Path, shown: str, expected: list[str], problems: list[Problem]) -> RawTable:
    """Read ``path`` into a :class:`RawTable`, appending every problem found.

    Parameters
    ----------
    path : Path
        File to read.
    shown : str
        How the file is named in messages.
    expected : list of str
        Column names the schema expects, in order.
    problems : list of Problem
        Receives the problems; reading goes on after each one where it can.
    """
    table = RawTable()
    if not path.is_file():
        problems.append(Problem(shown, None, None, "file is missing"))
        table.readable = False
        return table
    text = _line_endings(_decode(path.read_bytes(), shown, problems), shown, problems)
    if not text.strip():
        problems.append(Problem(shown, None, None, f"file is empty (expected a header row: {','.join(expected)})"))
        table.readable = False
        return table
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        table.header = next(reader)
        _check_header(table.header, expected, shown, problems)
        width = len(table.header)
        line = reader.line_num + 1
        for values in reader:
            if not any(v.strip() for v in values):  # an empty line reads as [], spaces as ['  ']
                problems.append(Problem(shown, line, None, "blank row; delete it"))
            elif len(values) != width:
                problems.append(Problem(shown, line, None, f"expected {width} values, found {len(values)}"))
            else:
                table.rows.append((line, dict(zip(table.header, values, strict=True))))
            line = reader.line_num + 1
    except csv.Error as err:
        problems.append(Problem(shown, line, None, f"cannot read the row: {err} (a stray or unbalanced double quote?)"))
        table.readable = False
    return table


def _check_header(header: list[str], expected: list[str], shown: str, problems: list[Problem]) -> None:
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    dupes = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(Problem(shown, 1, None, f"missing column(s): {', '.join(missing)}"))
    if extra:
        problems.append(
            Problem(shown, 1, None, f"unexpected column(s): {', '.join(extra)} (expected: {','.join(expected)})")
        )
    if dupes:
        problems.append(Problem(shown, 1, None, f"duplicate column(s): {', '.join(dupes)}"))
    if not missing and not extra and not dupes and header != expected:
        problems.append(Problem(shown, 1, None, f"columns are out of order (expected: {','.join(expected)})"))


def write_tables(folder: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    """Write rows as a complete data folder: every table of the schema, with every column, and the descriptor.

    Missing tables are written with their header only and missing cells as empty
    strings, so the folder is always well-formed (whether it is *valid* is for
    :func:`cyberhistory.validate.validate` to say).
    """
    schema = load_schema()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEFAULT_DATA_DIR / DESCRIPTOR, folder / DESCRIPTOR)
    for table in schema.tables:
        with (folder / table.path).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=table.field_names, lineterminator="\n")
            writer.writeheader()
            for row in tables.get(table.name, []):
                writer.writerow({name: row.get(name, "") for name in table.field_names})
    return folder
