"""Tests for cyberhistory.schema: the Data Package descriptor is complete and self-consistent."""

from cyberhistory.schema import DEFAULT_DATA_DIR, DESCRIPTOR, LIST_FOREIGN_KEYS, ForeignKey, load_schema

TABLES = {
    "events",
    "sources",
    "actors",
    "actor_relations",
    "outcomes",
    "named_people",
    "not_people",
    "events_es",
    "event_notes_es",
    "outcomes_es",
    "actors_es",
    "sources_es",
}


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


def test_standard_foreign_keys_name_no_list_field():
    """The standard foreignKeys hold single-value fields only; keys on ';'-lists sit in the custom property."""
    for resource in load_schema().descriptor["resources"]:
        lists = {f["name"] for f in resource["schema"]["fields"] if f.get("cyberhistory:list")}
        standard = {name for fk in resource["schema"].get("foreignKeys", []) for name in fk["fields"]}
        custom = {name for fk in resource["schema"].get(LIST_FOREIGN_KEYS, []) for name in fk["fields"]}
        assert not standard & lists, resource["name"]
        assert custom <= lists, resource["name"]


def test_list_foreign_keys_are_read_and_marked():
    """Keys from both properties are read, and the ones on list fields are marked as list keys."""
    schema = load_schema()
    assert ForeignKey("event_ids", "events", "event_id", is_list=True) in schema.table("sources").foreign_keys
    assert ForeignKey("actor_id", "actors", "actor_id", is_list=False) in schema.table("actor_relations").foreign_keys
    for table in schema.tables:
        for fk in table.foreign_keys:
            assert fk.is_list == table.field(fk.field).is_list


def test_frictionless_validates_the_package():
    """`frictionless validate data/datapackage.json` finds no error in the descriptor or the data."""
    import frictionless

    report = frictionless.validate(str(DEFAULT_DATA_DIR / DESCRIPTOR))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:20]


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
