"""Write ``data/CODEBOOK.md`` from the schema, the hand-written notes and the stats."""

from __future__ import annotations

import os

from cyberhistory.schema import Field, Schema, data_dir, load_schema

NOTES = "codebook_notes.md"
CODEBOOK = "CODEBOOK.md"
HEADER = """<!-- GENERATED FILE: do not edit by hand.
     Regenerate with `python -m cyberhistory codebook` (or `make codebook`);
     edit data/datapackage.json and data/codebook_notes.md instead. -->

# Codebook: {title}

{description}

Version {version}. Data licence: {licence}. Every table is a UTF-8 CSV file with
a header row; list fields separate their values with `{sep}`; an empty cell means
unknown or not applicable. The machine-readable schema is `datapackage.json`
(Frictionless Data Package). Foreign keys on list fields, which the Table Schema
standard cannot express, are declared in each schema's `cyberhistory:listForeignKeys`
(same shape as `foreignKeys`): standard tools ignore them and `python -m cyberhistory
validate` checks every list member.
"""


def _type(fld: Field) -> str:
    kind = "list of " + fld.type if fld.is_list else fld.type
    extras = []
    if fld.range_text:
        extras.append(fld.range_text)
    if fld.max_length:
        extras.append(f"at most {fld.max_length} characters")
    if fld.format == "uri":
        extras.append("http(s) URL")
    return kind + (f" ({'; '.join(extras)})" if extras else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table_section(schema: Schema, name: str) -> str:
    table = schema.table(name)
    lines = [f"### `{table.path}`", "", table.description, ""]
    lines.append(f"Primary key: `{', '.join(table.primary_key)}`.")
    for fk in table.foreign_keys:
        each = "Each value of " if fk.is_list else ""
        lines.append(f"{each}`{fk.field}` refers to `{fk.resource}.{fk.reference_field}`.")
    lines += ["", "| column | type | required | description |", "|---|---|---|---|"]
    for fld in table.fields:
        lines.append(f"| `{fld.name}` | {_type(fld)} | {'yes' if fld.required else ''} | {_cell(fld.description)} |")
    for fld in table.fields:
        if fld.labels:
            lines += ["", f"Allowed values of `{fld.name}`:", "", "| value | meaning |", "|---|---|"]
            lines += [f"| `{value}` | {_cell(label)} |" for value, label in fld.labels.items()]
    return "\n".join(lines)


def render(schema: Schema, notes: str, stats_markdown: str) -> str:
    """Return the full codebook as Markdown."""
    meta = schema.descriptor
    parts = [
        HEADER.format(
            title=meta.get("title", ""),
            description=meta.get("description", ""),
            version=meta.get("version", ""),
            licence=meta["licenses"][0]["title"],
            sep=meta.get("cyberhistory:listSeparator", ";"),
        ),
        notes.strip(),
        "## The dataset in figures\n\nProduced by `python -m cyberhistory stats`.\n\n" + stats_markdown.strip(),
        "## Tables and columns",
    ]
    parts += [_table_section(schema, t.name) for t in schema.tables]
    return "\n\n".join(parts) + "\n"


def build(directory: str | os.PathLike | None = None) -> str:
    """Render the codebook for a data folder (validating and summarising its data)."""
    from cyberhistory import data as data_module
    from cyberhistory import stats

    folder = data_dir(directory)
    notes = (folder / NOTES).read_text(encoding="utf-8")
    dataset = data_module.load(folder)
    return render(load_schema(folder), notes, stats.to_markdown(stats.summarise(dataset)))


def write(directory: str | os.PathLike | None = None) -> os.PathLike:
    """Write ``CODEBOOK.md`` into the data folder and return its path."""
    path = data_dir(directory) / CODEBOOK
    text = build(directory)
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)
    return path


def is_current(directory: str | os.PathLike | None = None) -> bool:
    """True when ``CODEBOOK.md`` matches what :func:`build` would write."""
    path = data_dir(directory) / CODEBOOK
    return path.is_file() and path.read_text(encoding="utf-8") == build(directory)
