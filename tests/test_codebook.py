"""Tests for cyberhistory.codebook."""

import pytest

from cyberhistory import codebook
from cyberhistory.schema import Field, load_schema


def test_codebook_is_current():
    """data/CODEBOOK.md matches what `python -m cyberhistory codebook` would write."""
    assert codebook.is_current(), "run `python -m cyberhistory codebook`"


def test_codebook_defines_every_column_and_value():
    """Every column and every allowed value of the schema is defined in the codebook."""
    text = codebook.build()
    assert text.startswith("<!-- GENERATED FILE: do not edit by hand.")
    for table in load_schema().tables:
        for field in table.fields:
            assert f"| `{field.name}` |" in text
            for value in field.labels:
                assert f"| `{value}` |" in text


def test_codebook_is_stale_after_a_change(tmp_path, minimal_rows):
    """Changing the data makes the written codebook out of date."""
    from conftest import write_dataset

    folder = write_dataset(tmp_path / "d", minimal_rows)
    (folder / "codebook_notes.md").write_text("## Notes\n", encoding="utf-8")
    codebook.write(folder)
    assert codebook.is_current(folder)
    minimal_rows["events"].pop()
    minimal_rows["sources"][1]["event_ids"] = ""
    minimal_rows["sources"][0]["event_ids"] = "2011-example-video"
    write_dataset(folder, minimal_rows)
    assert not codebook.is_current(folder)


@pytest.mark.parametrize(
    ("minimum", "maximum", "described"),
    [
        (0, 4, "integer (0-4)"),
        (0, None, "integer (at least 0)"),
        (None, 4, "integer (at most 4)"),
        (None, None, "integer"),
    ],
)
def test_range_is_described_in_words(minimum, maximum, described):
    """A column's range reads "0-4", "at least 0" or "at most 4", never "0-None"."""
    assert codebook._type(Field("n_people", "integer", "", minimum=minimum, maximum=maximum)) == described


def test_list_foreign_keys_are_described_per_value():
    """A foreign key on a list field says that each value refers to the other table."""
    assert "Each value of `event_ids` refers to `events.event_id`." in codebook.build()
