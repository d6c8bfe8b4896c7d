"""Tests for cyberhistory.validate: every rule, with a real bad input and the exact message."""

from __future__ import annotations

import csv
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import MINIMAL, write_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberhistory.problems import Problem
from cyberhistory.schema import Field, load_schema
from cyberhistory.validate import check_cell, validate


def _located(folder: Path) -> list[str]:
    """Every problem of a folder, with the file shown by its name only."""
    return [str(replace(p, file=Path(p.file).name)) for p in validate(folder).problems]


def _break(tmp_path, rows, table, index, column, value) -> list[str]:
    rows[table][index][column] = value
    return _located(write_dataset(tmp_path / "broken", rows))


class TestValidData:
    def test_minimal_dataset_is_clean(self, minimal_dir):
        """The minimal fixture passes every check."""
        assert validate(minimal_dir).problems == []

    def test_project_data_is_clean(self):
        """The project's own data/ passes every check."""
        assert [str(p) for p in validate().problems] == []


# (table, row index, column, bad value, expected "file:line: column: message")
CELL_CASES = [
    (
        "events",
        0,
        "start_date",
        "2011-13-01",
        "events.csv:2: start_date: '2011-13-01' is not a valid date (expected YYYY, YYYY-MM or YYYY-MM-DD)",
    ),
    (
        "events",
        0,
        "start_precision",
        "month",
        "events.csv:2: start_precision: says 'month' but start_date '2011-10-06' is precise to the day",
    ),
    (
        "events",
        0,
        "kind",
        "hacking",
        "events.csv:2: kind: 'hacking' is not an allowed value (allowed: hacktivist_operation, state_linked_operation, "
        "legal_response, political_response, context_event)",
    ),
    ("events", 0, "title", "", "events.csv:2: title: is required but empty"),
    (
        "events",
        0,
        "tactics",
        "ddos;sql_injection",
        "events.csv:2: tactics: 'sql_injection' is not an allowed value (allowed: virtual_sit_in, ddos, defacement, "
        "hack_and_leak, data_theft, doxxing, account_takeover, disruption, destructive, malware, extortion, influence, "
        "threat, protest)",
    ),
    (
        "events",
        0,
        "tactics",
        "ddos; defacement",
        "events.csv:2: tactics: list item ' defacement' is empty or padded; separate items with ';' and no spaces",
    ),
    (
        "events",
        0,
        "target_countries",
        "MEX",
        "events.csv:2: target_countries: 'MEX' is not an ISO 3166-1 alpha-2 country code (expected two capital letters, "
        "e.g. MX)",
    ),
    (
        "events",
        0,
        "target_countries",
        "XQ",
        "events.csv:2: target_countries: 'XQ' is not an ISO 3166-1 alpha-2 country code",
    ),
    ("events", 0, "impact_claimed", "7", "events.csv:2: impact_claimed: 7 is outside the allowed range 0-4"),
    ("events", 0, "significance", "high", "events.csv:2: significance: 'high' is not a whole number"),
    (
        "events",
        0,
        "event_id",
        "operation-cartel",
        "events.csv:2: event_id: 'operation-cartel' does not match the expected form YYYY-kebab-slug, e.g. 2011-operation-cartel",
    ),
    ("events", 0, "summary", "x" * 701, "events.csv:2: summary: is 701 characters long (at most 700)"),
    ("events", 1, "end_date", "2011-10", "events.csv:3: end_date: '2011-10' is before start_date '2011-11'"),
    ("events", 1, "end_precision", "", "events.csv:3: end_precision: is required when end_date is set"),
    (
        "events",
        0,
        "actors",
        "example-group;ghost-group",
        "events.csv:2: actors: 'ghost-group' is not a known actor_id (not found in actors.csv)",
    ),
    ("events", 0, "title", " Padded", "events.csv:2: title: ' Padded' has leading or trailing spaces"),
    (
        "sources",
        0,
        "url",
        "news.example.org/story",
        "sources.csv:2: url: 'news.example.org/story' is not a well-formed http(s) URL",
    ),
    (
        "sources",
        0,
        "url",
        "https://pastebin.com/abc",
        "sources.csv:2: url: links to pastebin.com, a paste site or leak archive; cite reputable reporting about it instead",
    ),
    (
        "sources",
        1,
        "event_ids",
        "2011-no-such-event",
        "sources.csv:3: event_ids: '2011-no-such-event' is not a known event_id (not found in events.csv)",
    ),
    ("sources", 0, "published_precision", "", "sources.csv:2: published_precision: is required when published is set"),
    ("outcomes", 0, "source_ids", "", "outcomes.csv:2: source_ids: is required but empty"),
    (
        "outcomes",
        0,
        "jurisdiction",
        "USA",
        "outcomes.csv:2: jurisdiction: 'USA' does not match the expected form an ISO country code, EU or INT",
    ),
    (
        "actor_relations",
        0,
        "related_actor_id",
        "nobody",
        "actor_relations.csv:2: related_actor_id: 'nobody' is not a known actor_id (not found in actors.csv)",
    ),
    (
        "events",
        0,
        "summary",
        "Write to press@example.org for details.",
        "events.csv:2: summary: contains what looks like an e-mail address ('press@example.org'); the content policy forbids it",
    ),
    (
        "events",
        0,
        "summary",
        "The server at 192.0.2.10 went down.",
        "events.csv:2: summary: contains what looks like an IP address ('192.0.2.10'); the content policy forbids it",
    ),
    (
        "events",
        0,
        "summary",
        "Call +52 55 1234 5678 now.",
        "events.csv:2: summary: contains what looks like a phone number ('+52 55 1234 5678'); the content policy forbids it",
    ),
    (
        "events",
        0,
        "summary",
        "Protesters met at 12 Example Street.",
        "events.csv:2: summary: contains what looks like a street address ('12 Example Street'); the content policy forbids it",
    ),
    (
        "events",
        0,
        "summary",
        "Posted by @someone_private.",
        "events.csv:2: summary: contains what looks like an account handle ('@someone_private'); the content policy forbids it",
    ),
    (
        "events",
        0,
        "summary",
        "A leak site on abcdefghijklmnop.onion appeared.",
        "events.csv:2: summary: contains what looks like an onion address ('abcdefghijklmnop.onion'); the content policy forbids it",
    ),
    (
        "outcomes",
        0,
        "summary",
        "Police arrested Maria Private in Veracruz.",
        "outcomes.csv:2: summary: 'Maria Private' looks like a person's name that is not in named_people.csv (add the "
        "person with a basis and a source, or add the phrase to not_people.csv)",
    ),
]


@pytest.mark.parametrize(
    ("table", "index", "column", "value", "expected"), CELL_CASES, ids=[c[4][:60] for c in CELL_CASES]
)
def test_cell_rule(tmp_path, minimal_rows, table, index, column, value, expected):
    """Each rule reports the exact file, line, column and message for a real bad value."""
    assert expected in _break(tmp_path, minimal_rows, table, index, column, value)


class TestCrossTable:
    def test_duplicate_primary_key(self, tmp_path, minimal_rows):
        """A repeated event_id is reported on the second line, pointing to the first."""
        minimal_rows["events"][1]["event_id"] = "2011-example-video"
        problems = _located(write_dataset(tmp_path / "d", minimal_rows))
        assert "events.csv:3: event_id: duplicate key '2011-example-video' (first used on line 2)" in problems

    def test_title_checked_only_for_untitled_sources(self, tmp_path, minimal_rows):
        """A source with a title cannot also say that its page shows none."""
        minimal_rows["sources"][0]["title_checked"] = "no_headline_shown"
        problems = _located(write_dataset(tmp_path / "d", minimal_rows))
        assert problems == ["sources.csv:2: title_checked: is set but the source has a title: leave it empty"]
        minimal_rows["sources"][0]["title"] = ""
        assert _located(write_dataset(tmp_path / "e", minimal_rows)) == []

    def test_two_sources_citing_one_page(self, tmp_path, minimal_rows):
        """A page cited twice (here once as http://www., once as https:// with a trailing slash) is one source."""
        first = minimal_rows["sources"][0]
        url = first["url"]
        minimal_rows["sources"][1]["url"] = url.replace("https://", "http://www.", 1).rstrip("/") + "/"
        problems = _located(write_dataset(tmp_path / "d", minimal_rows))
        assert problems == [
            f"sources.csv:3: url: cites the same page as {first['source_id']!r} (line 2): merge the two rows into one source"
        ]

    def test_event_without_source(self, tmp_path, minimal_rows):
        """An event that no source cites is reported."""
        minimal_rows["sources"][1]["event_ids"] = ""
        minimal_rows["sources"][0]["event_ids"] = "2011-example-video"
        assert _located(write_dataset(tmp_path / "d", minimal_rows)) == [
            "events.csv:3: event_id: event '2011-example-cancelled' has no source "
            "(list it in a source's event_ids in sources.csv)"
        ]

    def test_outcome_needs_a_link(self, tmp_path, minimal_rows):
        """An outcome linked to neither an event nor an actor is reported."""
        minimal_rows["outcomes"][0].update(event_ids="", actor_ids="")
        assert _located(write_dataset(tmp_path / "d", minimal_rows)) == [
            "outcomes.csv:2: event_ids: an outcome needs event_ids or actor_ids"
        ]

    def test_allowed_name_passes(self, tmp_path, minimal_rows):
        """A person on the allow-list may be named; the same name off the list is reported."""
        assert validate(write_dataset(tmp_path / "ok", minimal_rows)).problems == []
        minimal_rows["named_people"] = []
        problems = [str(p) for p in validate(write_dataset(tmp_path / "bad", minimal_rows)).problems]
        assert any("'Jane Example' looks like a person's name" in p for p in problems)

    def test_allowed_place_does_not_allow_a_longer_name(self, tmp_path, minimal_rows):
        """An allowed phrase ("Orlando", a place) never allows a longer name that starts with it."""
        minimal_rows["not_people"].append({"term": "Orlando", "term_kind": "place"})
        minimal_rows["events"][0]["summary"] = "Police in Orlando questioned Orlando Private."
        assert _located(write_dataset(tmp_path / "d", minimal_rows)) == [
            "events.csv:2: summary: 'Orlando Private' looks like a person's name that is not in named_people.csv "
            "(add the person with a basis and a source, or add the phrase to not_people.csv)"
        ]

    def test_allowed_person_does_not_allow_a_longer_name(self, tmp_path, minimal_rows):
        """A named person's name followed by another capitalised word is a different name and is reported."""
        minimal_rows["events"][0]["summary"] = "A fictional group quoted Jane Example Private."
        problems = _located(write_dataset(tmp_path / "d", minimal_rows))
        assert any("'Jane Example Private' looks like a person's name" in p for p in problems)

    def test_longer_allowed_phrase_covers_a_name_inside_it(self, tmp_path, minimal_rows):
        """A phrase that contains the whole name in the same run allows it ("Booz Allen Hamilton")."""
        minimal_rows["not_people"].append({"term": "Booz Allen Hamilton", "term_kind": "organisation"})
        minimal_rows["events"][0]["summary"] = "The contractor Booz Allen Hamilton's staff were targeted."
        assert validate(write_dataset(tmp_path / "d", minimal_rows)).problems == []

    def test_allow_list_ignores_accents(self, tmp_path, minimal_rows):
        """A name listed with accents passes when the prose writes it without them."""
        minimal_rows["named_people"][0].update(name="Héctor Example")
        minimal_rows["events"][1]["summary"] = "The group called the operation off; Hector Example explained why."
        assert validate(write_dataset(tmp_path / "d", minimal_rows)).problems == []

    def test_accented_private_name_is_reported(self, tmp_path, minimal_rows):
        """A private person with an accented Spanish given name is reported."""
        minimal_rows["outcomes"][0]["summary"] = "Police arrested Begoña Private in Bilbao."
        assert _located(write_dataset(tmp_path / "d", minimal_rows)) == [
            "outcomes.csv:2: summary: 'Begoña Private' looks like a person's name that is not in named_people.csv "
            "(add the person with a basis and a source, or add the phrase to not_people.csv)"
        ]

    def test_list_foreign_key_member_is_checked(self, tmp_path, minimal_rows):
        """A source listing a known and an unknown event id is reported for the unknown one only."""
        minimal_rows["sources"][0]["event_ids"] = "2011-example-video;2011-example-cancelled;2011-no-such-event"
        assert _located(write_dataset(tmp_path / "d", minimal_rows)) == [
            "sources.csv:2: event_ids: '2011-no-such-event' is not a known event_id (not found in events.csv)"
        ]

    def test_reports_everything_at_once(self, tmp_path, minimal_rows):
        """Several problems in several files are all reported in one run."""
        minimal_rows["events"][0]["start_date"] = "2011-99"
        minimal_rows["sources"][0]["url"] = "ftp://example.org"
        minimal_rows["actors"][0]["active_from"] = "soon"
        problems = validate(write_dataset(tmp_path / "d", minimal_rows)).problems
        assert {Path(p.file).name for p in problems} == {"events.csv", "sources.csv", "actors.csv"}


class TestBadFiles:
    def _folder(self, tmp_path: Path) -> Path:
        return write_dataset(tmp_path / "d", {k: [dict(r) for r in v] for k, v in MINIMAL.items()})

    def _problems(self, folder: Path) -> list[str]:
        return _located(folder)

    def test_missing_file(self, tmp_path):
        """A missing table is named, without a cascade of foreign-key errors."""
        folder = self._folder(tmp_path)
        (folder / "actors.csv").unlink()
        assert self._problems(folder) == ["actors.csv: file is missing"]

    def test_empty_file(self, tmp_path):
        """An empty file is reported with the header it should have."""
        folder = self._folder(tmp_path)
        (folder / "not_people.csv").write_text("")
        assert self._problems(folder)[0] == "not_people.csv: file is empty (expected a header row: term,term_kind)"

    def test_byte_order_mark(self, tmp_path):
        """A UTF-8 byte-order mark is reported, and the rest of the file still checked."""
        folder = self._folder(tmp_path)
        path = folder / "not_people.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        assert self._problems(folder) == [
            "not_people.csv:1: file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
        ]

    def test_not_utf8(self, tmp_path):
        """Latin-1 bytes are reported with their line."""
        folder = self._folder(tmp_path)
        (folder / "not_people.csv").write_bytes(b"term,term_kind\nCaf\xe9 Example,place\n")
        assert self._problems(folder) == [
            "not_people.csv:2: bytes that are not UTF-8 (byte 0xe9); save the file as UTF-8"
        ]

    def test_windows_line_endings(self, tmp_path):
        """CRLF line endings are reported once, at the first line."""
        folder = self._folder(tmp_path)
        (folder / "not_people.csv").write_bytes(b"term,term_kind\r\nExample Cartel,organisation\r\n")
        assert self._problems(folder) == [
            "not_people.csv:1: Windows (CRLF) line endings; save the file with Unix (LF) line endings"
        ]

    def test_stray_quote(self, tmp_path):
        """An unbalanced quote is reported on the line where the broken row starts."""
        folder = self._folder(tmp_path)
        (folder / "not_people.csv").write_text('term,term_kind\nExample Cartel,organisation\n"Broken,place\n')
        problems = self._problems(folder)
        assert problems[0].startswith("not_people.csv:3: cannot read the row:")
        assert "stray or unbalanced double quote" in problems[0]

    def test_wrong_columns(self, tmp_path):
        """Missing and unexpected columns are both named in one message each."""
        folder = self._folder(tmp_path)
        (folder / "not_people.csv").write_text("term,kind,notes\nExample Cartel,organisation,x\n")
        assert self._problems(folder) == [
            "not_people.csv:1: missing column(s): term_kind",
            "not_people.csv:1: unexpected column(s): kind, notes (expected: term,term_kind)",
        ]

    def test_blank_row(self, tmp_path):
        """An empty line is reported as a blank row to delete, not as a row with no values."""
        folder = self._folder(tmp_path)
        (folder / "not_people.csv").write_text(
            "term,term_kind\nExample Cartel,organisation\n\nOther Cartel,organisation\n"
        )
        assert self._problems(folder) == ["not_people.csv:3: blank row; delete it"]

    def test_short_row(self, tmp_path):
        """A row with too few values is reported with the count expected."""
        folder = self._folder(tmp_path)
        (folder / "not_people.csv").write_text("term,term_kind\nExample Cartel\n")
        assert self._problems(folder) == ["not_people.csv:2: expected 2 values, found 1"]


ROW_COLUMNS = list(MINIMAL["events"][0])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=st.sampled_from(ROW_COLUMNS), value=st.text(max_size=40))
def test_never_raises_on_mutated_rows(tmp_path_factory, column, value):
    """Any text in any events column is reported, never raised."""
    rows = {k: [dict(r) for r in v] for k, v in MINIMAL.items()}
    rows["events"][0][column] = value.replace("\x00", "")
    folder = write_dataset(tmp_path_factory.mktemp("h"), rows)
    assert all(p.message for p in validate(folder).problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=300))
def test_never_raises_on_arbitrary_bytes(tmp_path_factory, blob):
    """Arbitrary bytes in place of a CSV file are reported, never raised."""
    folder = write_dataset(tmp_path_factory.mktemp("b"), MINIMAL)
    (folder / "events.csv").write_bytes(blob)
    result = validate(folder)
    assert result.problems or blob.strip() == b""  # an empty file is a problem too
    shutil.rmtree(folder)


def test_problems_sort_with_missing_line_and_column():
    """Problems without a line or a column sort (first) among the others instead of raising TypeError."""
    cell = Problem("data/events.csv", 3, "title", "is required but empty")
    row = Problem("data/events.csv", 3, None, "expected 31 values, found 2")
    whole = Problem("data/events.csv", None, None, "file is missing")
    other = Problem("data/actors.csv", 2, "name", "is required but empty")
    assert sorted([cell, row, whole, other]) == [other, whole, row, cell]


@pytest.mark.parametrize(
    ("minimum", "maximum", "value", "message"),
    [
        (0, None, "-1", "-1 is below the allowed minimum (at least 0)"),
        (None, 4, "5", "5 is above the allowed maximum (at most 4)"),
        (0, 4, "5", "5 is outside the allowed range 0-4"),
    ],
)
def test_range_message_names_the_bounds_it_has(minimum, maximum, value, message):
    """A number out of range is reported with the bounds that exist, never "None"."""
    fld = Field("n_people", "integer", "", minimum=minimum, maximum=maximum)
    assert check_cell(fld, value, load_schema()) == [message]


class TestRemember:
    """A folder validated once by ``remember`` is reused while its bytes stay the same, and only then."""

    @pytest.fixture
    def counted(self, monkeypatch):
        import cyberhistory.validate as module

        monkeypatch.setattr(module, "_REMEMBERED", {})
        calls = []
        real = module.policy.check
        monkeypatch.setattr(module.policy, "check", lambda *a: calls.append(1) or real(*a))
        return module, calls

    def test_reused_until_a_byte_changes(self, tmp_path, counted):
        from cyberhistory.schema import data_dir

        module, calls = counted
        folder = shutil.copytree(data_dir(), tmp_path / "data")
        assert module.remember(folder) and len(calls) == 1
        first = validate(folder)
        assert first.ok and len(calls) == 1, "unchanged bytes are not checked again"
        events = folder / "events.csv"
        text = events.read_text(encoding="utf-8")
        with events.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        rows[0]["summary"] += " Write to someone@example.com."
        with events.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        changed = validate(folder)
        assert len(calls) == 2 and not changed.ok
        assert any("e-mail" in p.message for p in changed.problems)
        events.write_text(text, encoding="utf-8")
        assert validate(folder).ok and len(calls) == 2, "the remembered bytes again: the remembered result again"

    def test_a_folder_with_problems_is_never_remembered(self, tmp_path, counted):
        module, calls = counted
        folder = write_dataset(tmp_path, {"events": [{**MINIMAL["events"][0], "event_id": "not an id"}]})
        assert not module.remember(folder)
        assert not validate(folder).ok and not validate(folder).ok
        assert len(calls) == 3
