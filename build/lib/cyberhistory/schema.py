"""The machine-readable schema: ``data/datapackage.json`` read into plain objects.

The Data Package descriptor is the single source of truth for tables, fields,
allowed values and keys; the validator, the loader and the codebook all read
it through this module.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DESCRIPTOR = "datapackage.json"
LIST_SEPARATOR = ";"


def _bundled_data_dir() -> Path:
    """The dataset the package carries: ``cyberhistory/dataset`` in a wheel, the checkout's ``data/`` otherwise."""
    here = Path(__file__).resolve().parent
    installed = here / "dataset"
    return installed if (installed / DESCRIPTOR).is_file() else here.parents[1] / "data"


#: The bundled data folder; ``CYBERHISTORY_DATA`` or an explicit folder overrides it.
DEFAULT_DATA_DIR = _bundled_data_dir()


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """Resolve the data folder: an explicit path, then ``$CYBERHISTORY_DATA``, then the bundled one."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get("CYBERHISTORY_DATA") or DEFAULT_DATA_DIR)


@dataclass(frozen=True)
class Field:
    """One column of a table."""

    name: str
    type: str
    description: str
    required: bool = False
    is_list: bool = False
    enum: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    pattern: str | None = None
    item_pattern: str | None = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    format: str | None = None

    @property
    def range_text(self) -> str:
        """The allowed range in words: ``'0-4'``, ``'at least 0'``, ``'at most 4'``, or ``''`` for none."""
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum}-{self.maximum}"
        if self.minimum is not None:
            return f"at least {self.minimum}"
        if self.maximum is not None:
            return f"at most {self.maximum}"
        return ""


#: Where the descriptor declares foreign keys on ``;``-list fields. The Table Schema standard
#: cannot say "every member of this list is a key of that table", so these keys sit in this custom
#: property (same shape as ``foreignKeys``) and standard tools such as Frictionless ignore them;
#: :mod:`cyberhistory.validate` enforces both kinds.
LIST_FOREIGN_KEYS = "cyberhistory:listForeignKeys"


@dataclass(frozen=True)
class ForeignKey:
    """A column whose values (or, for a list key, every list member) must exist in another table's key."""

    field: str
    resource: str
    reference_field: str
    is_list: bool = False


@dataclass(frozen=True)
class Table:
    """One CSV file: its fields, primary key and foreign keys."""

    name: str
    path: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @property
    def field_names(self) -> list[str]:
        """Column names in file order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """The field called ``name``."""
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class Schema:
    """Every table of the data package, in descriptor order."""

    tables: tuple[Table, ...]
    country_codes: frozenset[str]
    descriptor: dict

    def table(self, name: str) -> Table:
        """The table called ``name``."""
        return next(t for t in self.tables if t.name == name)


def _field(raw: dict) -> Field:
    constraints = raw.get("constraints", {})
    is_list = bool(raw.get("cyberhistory:list"))
    labels = {c["value"]: c["label"] for c in raw.get("categories", [])}
    enum = raw.get("cyberhistory:itemEnum") if is_list else constraints.get("enum")
    return Field(
        name=raw["name"],
        type=raw.get("type", "string"),
        description=raw.get("description", ""),
        required=bool(constraints.get("required")),
        is_list=is_list,
        enum=tuple(enum or ()),
        labels=labels,
        pattern=constraints.get("pattern"),
        item_pattern=raw.get("cyberhistory:itemPattern"),
        max_length=constraints.get("maxLength"),
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
        format=raw.get("format"),
    )


def _table(raw: dict) -> Table:
    schema = raw["schema"]
    keys = []
    for prop, is_list in (("foreignKeys", False), (LIST_FOREIGN_KEYS, True)):
        for fk in schema.get(prop, []):
            for own, ref in zip(fk["fields"], fk["reference"]["fields"], strict=True):
                keys.append(ForeignKey(own, fk["reference"]["resource"], ref, is_list=is_list))
    primary = schema.get("primaryKey", [])
    return Table(
        name=raw["name"],
        path=raw["path"],
        description=raw.get("description", ""),
        fields=tuple(_field(f) for f in schema["fields"]),
        primary_key=tuple([primary] if isinstance(primary, str) else primary),
        foreign_keys=tuple(keys),
    )


def schema_from_descriptor(descriptor: dict) -> Schema:
    """Build a :class:`Schema` from a parsed ``datapackage.json``."""
    return Schema(
        tables=tuple(_table(r) for r in descriptor["resources"]),
        country_codes=frozenset(descriptor.get("cyberhistory:countryCodes", ())),
        descriptor=descriptor,
    )


@cache
def _load_cached(path: str, mtime: float) -> Schema:
    return schema_from_descriptor(json.loads(Path(path).read_text(encoding="utf-8")))


def load_schema(directory: str | os.PathLike | None = None) -> Schema:
    """Read the schema of the data folder (the bundled one by default).

    A folder without its own ``datapackage.json`` (for example a folder of
    CSV files a teacher wants to check) is read with the bundled schema.
    """
    path = data_dir(directory) / DESCRIPTOR
    if not path.is_file():
        path = DEFAULT_DATA_DIR / DESCRIPTOR
    return _load_cached(str(path), path.stat().st_mtime)
