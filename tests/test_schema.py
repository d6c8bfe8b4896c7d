"""Tests for cyberhistory.schema: the Data Package descriptor is complete and self-consistent."""

from cyberhistory.schema import load_schema

TABLES = {"events", "sources", "actors", "actor_relations", "outcomes", "named_people", "not_people"}


def test_every_table_is_described():
    """Each table has fields, a primary key, and a licence on the package."""
    schema = load_schema()
    assert {t.name for t in schema.tables} == TABLES
    assert all(t.fields and t.primary_key for t in schema.tables)
    assert schema.descriptor["licenses"][0]["name"] == "CC-BY-4.0"


def test_every_category_is_defined():
    """Every allowed value of every categorical field has a definition, and enum matches the definitions."""
    for table in load_schema().tables:
        for field in table.fields:
            if field.labels:
                assert list(field.enum) == list(field.labels)
                assert all(label.strip() for label in field.labels.values())


def test_every_date_has_a_precision():
    """Each date field has a matching precision field with day, month and year."""
    schema = load_schema()
    pairs = {
        "events": [("start_date", "start_precision"), ("end_date", "end_precision")],
        "sources": [("published", "published_precision")],
        "outcomes": [("date", "date_precision")],
    }
    for name, columns in pairs.items():
        table = schema.table(name)
        for date, precision in columns:
            assert table.field(date).pattern
            assert set(table.field(precision).enum) == {"day", "month", "year"}


def test_foreign_keys_point_at_keys():
    """Every foreign key refers to the primary key column of an existing table."""
    schema = load_schema()
    for table in schema.tables:
        for fk in table.foreign_keys:
            assert fk.field in table.field_names
            assert schema.table(fk.resource).primary_key == (fk.reference_field,)


def test_claims_kept_apart_from_attribution():
    """Claim status, claim verification, attribution and confidence are separate fields."""
    events = load_schema().table("events")
    for name in (
        "claim_status",
        "claim_verification",
        "attributed_by",
        "attribution_confidence",
        "state_nexus",
        "impact_claimed",
        "impact_verified",
    ):
        assert name in events.field_names
