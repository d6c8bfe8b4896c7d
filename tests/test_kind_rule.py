"""Tests for cyberhistory.kind_rule: the rule that codes operations hacktivist or state-linked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import write_dataset

from cyberhistory.kind_rule import HACKTIVIST, STATE_LINKED, decide, expected_kind
from cyberhistory.validate import validate

OPERATION = {
    "kind": HACKTIVIST,
    "actors": "",
    "attributed_by": "self",
    "attribution_confidence": "medium",
    "state_nexus": "none_reported",
}


def _actor(actor_id: str, nexus: str, asserted_by: str = "") -> dict[str, str]:
    return {"actor_id": actor_id, "state_nexus": nexus, "nexus_asserted_by": asserted_by}


def _events(real_tables) -> dict[str, dict[str, str]]:
    return {row["event_id"]: row for _, row in real_tables["events"].rows}


def _actors(real_tables) -> dict[str, dict[str, str]]:
    return {row["actor_id"]: row for _, row in real_tables["actors"].rows}


class TestRule:
    def test_responses_and_context_are_not_decided(self):
        """Legal and political responses and context events get None: the rule leaves them alone."""
        for kind in ("legal_response", "political_response", "context_event"):
            assert expected_kind({**OPERATION, "kind": kind, "state_nexus": "government_assessed"}, []) is None

    @pytest.mark.parametrize("nexus", ["government_assessed", "acknowledged", "adjudicated"])
    def test_official_link_on_the_event_counts_at_any_confidence(self, nexus):
        """A government attribution, the state's acknowledgement or a court finding is enough on its own."""
        event = {**OPERATION, "state_nexus": nexus, "attribution_confidence": "low"}
        assert expected_kind(event, []) == STATE_LINKED

    def test_official_link_on_an_actor_counts(self):
        """A persona officially tied to a state makes its self-claimed operation state-linked."""
        event = {**OPERATION, "actors": "mask", "attribution_confidence": "low", "state_nexus": "alleged"}
        assert expected_kind(event, [_actor("mask", "government_assessed", "government")]) == STATE_LINKED

    @pytest.mark.parametrize(
        ("confidence", "kind"), [("high", STATE_LINKED), ("medium", STATE_LINKED), ("low", HACKTIVIST)]
    )
    def test_researcher_link_needs_medium_confidence(self, confidence, kind):
        """A researchers' assessment counts only when the attribution is at least medium."""
        event = {**OPERATION, "actors": "crew", "attribution_confidence": confidence}
        assert expected_kind(event, {"crew": _actor("crew", "researcher_assessed", "researchers")}) == kind

    @pytest.mark.parametrize("nexus", ["alleged", "none_reported", "not_applicable", ""])
    def test_allegations_and_nothing_stay_hacktivist(self, nexus):
        """An alleged link, or none, never makes an operation state-linked, whatever its confidence."""
        event = {**OPERATION, "kind": STATE_LINKED, "actors": "crew", "attribution_confidence": "high"}
        assert expected_kind({**event, "state_nexus": nexus}, [_actor("crew", nexus)]) == HACKTIVIST

    def test_contested_event_is_hacktivist_even_with_an_official_link(self):
        """When reputable sources disagree about who did it, no state link carries over."""
        event = {
            **OPERATION,
            "actors": "mask",
            "attributed_by": "self;government;contested",
            "attribution_confidence": "low",
            "state_nexus": "government_assessed",
        }
        decision = decide(event, [_actor("mask", "government_assessed")])
        assert decision.kind == HACKTIVIST
        assert "contested" in decision.reason

    def test_contested_actor_link_does_not_count(self):
        """An actor whose state link is contested counts like one with no link."""
        event = {**OPERATION, "actors": "front", "attribution_confidence": "high"}
        decision = decide(event, [_actor("front", "researcher_assessed", "researchers;contested")])
        assert decision.kind == HACKTIVIST
        assert "actor 'front'" in decision.reason

    def test_one_linked_actor_is_enough(self):
        """An operation with a state-linked persona and a non-state publisher is state-linked."""
        event = {**OPERATION, "actors": "publisher;mask"}
        actors = [_actor("publisher", "none_reported"), _actor("mask", "government_assessed", "government")]
        assert expected_kind(event, actors) == STATE_LINKED

    def test_loaded_rows_with_list_fields_work(self):
        """Rows whose list fields are already lists (as loaded by cyberhistory.data) give the same answer."""
        event = {**OPERATION, "actors": ["mask"], "attributed_by": ["self"]}
        assert expected_kind(event, [{**_actor("mask", "acknowledged"), "nexus_asserted_by": ["self"]}]) == STATE_LINKED

    def test_unknown_actor_is_ignored(self):
        """An actor id missing from actors.csv is left to the foreign-key check."""
        assert expected_kind({**OPERATION, "actors": "nobody"}, []) == HACKTIVIST


class TestRealData:
    def test_every_real_event_follows_the_rule(self, real_tables):
        """Each operation in data/events.csv has the kind the rule gives it."""
        actors = _actors(real_tables)
        wrong = {
            event_id: (row["kind"], expected_kind(row, actors))
            for event_id, row in _events(real_tables).items()
            if expected_kind(row, actors) not in (None, row["kind"])
        }
        assert wrong == {}

    @pytest.mark.parametrize(
        ("event_id", "kind"),
        [
            ("2007-estonia-bronze-soldier-ddos", HACKTIVIST),
            ("2008-georgia-war-cyberattacks", HACKTIVIST),
            ("2012-shamoon-saudi-aramco", HACKTIVIST),
            ("2012-operation-ababil-phase-one", STATE_LINKED),
            ("2012-pro-assad-hackers-al-jazeera", STATE_LINKED),
            ("2013-sea-ap-twitter-hoax", STATE_LINKED),
            ("2014-cyberberkut-nato-ddos", STATE_LINKED),
            ("2015-cybercaliphate-centcom-accounts", STATE_LINKED),
            ("2015-yemen-cyber-army-saudi-foreign-ministry", STATE_LINKED),
            ("2016-guccifer-2-dnc-claim", STATE_LINKED),
            ("2016-dcleaks-publications", STATE_LINKED),
            ("2016-fancy-bears-wada-leak", STATE_LINKED),
            ("2016-wikileaks-dnc-emails", STATE_LINKED),
            ("2018-integrity-initiative-leak", HACKTIVIST),
            ("2020-hackers-of-savior-israel-defacements", HACKTIVIST),
            ("2020-cyber-partisans-belarus-state-tv", HACKTIVIST),
            ("2021-iran-railways-attack", HACKTIVIST),
            ("2021-iran-fuel-stations-attack", STATE_LINKED),
            ("2022-predatory-sparrow-iran-steel-plants", STATE_LINKED),
            ("2025-predatory-sparrow-nobitex", STATE_LINKED),
            ("2022-it-army-moscow-exchange-ddos", STATE_LINKED),
            ("2022-killnet-lithuania-kaliningrad-ddos", HACKTIVIST),
            ("2023-killnet-us-healthcare-ddos-wave", HACKTIVIST),
            ("2023-anonymous-sudan-microsoft-outages", HACKTIVIST),
            ("2023-cyberav3ngers-unitronics-water-utilities", STATE_LINKED),
            ("2024-carr-texas-water-systems", STATE_LINKED),
            ("2025-handala-israeli-kindergarten-alarms", STATE_LINKED),
        ],
    )
    def test_borderline_case(self, real_tables, event_id, kind):
        """Each borderline case gets, from the rule, the kind the codebook's worked examples give it, and the data agrees."""
        row = _events(real_tables)[event_id]
        assert expected_kind(row, _actors(real_tables)) == kind
        assert row["kind"] == kind

    def test_every_operation_of_an_actor_is_coded_alike(self, real_tables):
        """Predatory Sparrow, the SEA, CyberBerkut, Killnet and the Cyber Partisans each get one kind for all
        their uncontested operations: the actor's evidence, not the country, decides."""
        events, actors = _events(real_tables), _actors(real_tables)
        for actor_id in (
            "predatory-sparrow",
            "syrian-electronic-army",
            "cyberberkut",
            "killnet",
            "belarusian-cyber-partisans",
            "it-army-of-ukraine",
        ):
            kinds = {
                expected_kind(row, actors)
                for row in events.values()
                if actor_id in row["actors"].split(";") and "contested" not in row["attributed_by"].split(";")
            } - {None}
            assert len(kinds) == 1, (actor_id, kinds)


class TestValidatorCheck:
    def _broken(self, tmp_path: Path, minimal_rows) -> Path:
        """The minimal dataset with both operations coded against the rule."""
        minimal_rows["events"][0]["kind"] = STATE_LINKED  # no state link at all
        minimal_rows["actors"][0].update(
            state_nexus="government_assessed", nexus_asserted_by="government", state_nexus_countries="RU"
        )
        minimal_rows["events"][1]["kind"] = HACKTIVIST  # actor now officially tied to a state
        minimal_rows["events"][0]["attributed_by"] = "self;contested"
        return write_dataset(tmp_path / "broken", minimal_rows)

    def test_breaking_the_rule_is_reported_with_row_and_column(self, tmp_path, minimal_rows):
        """A synthetic event whose kind breaks the rule is a problem at events.csv, its line, column kind."""
        minimal_rows["events"][1]["actors"] = "example-branch"
        minimal_rows["actors"][1].update(
            state_nexus="acknowledged", nexus_asserted_by="self", state_nexus_countries="UA"
        )
        problems = [
            replace(p, file=Path(p.file).name) for p in validate(write_dataset(tmp_path / "d", minimal_rows)).problems
        ]
        assert [str(p) for p in problems] == [
            "events.csv:3: kind: is 'hacktivist_operation' but the kind rule gives 'state_linked_operation': "
            "the state_nexus of actor 'example-branch' is 'acknowledged' "
            "(see 'How `kind` is decided for operations' in CODEBOOK.md)"
        ]

    def test_all_breaches_are_reported_at_once(self, tmp_path, minimal_rows):
        """Every event that breaks the rule is reported in one run, each on its own line."""
        problems = validate(self._broken(tmp_path, minimal_rows)).problems
        assert [(Path(p.file).name, p.line, p.column) for p in problems] == [
            ("events.csv", 2, "kind"),
            ("events.csv", 3, "kind"),
        ]
        assert "the event's attribution is contested" in problems[0].message
        assert "the state_nexus of actor 'example-group' is 'government_assessed'" in problems[1].message

    def test_minimal_dataset_follows_the_rule(self, minimal_dir):
        """The minimal fixture's operations already follow the rule."""
        assert [p for p in validate(minimal_dir).problems if p.column == "kind"] == []


def test_the_reason_is_written_in_the_current_language_with_the_data_codes_kept():
    """A Spanish lesson prints the rule's reason: its words are Spanish, its column names and values the data's."""
    from cyberhistory import i18n

    event = {**OPERATION, "actors": "p", "attribution_confidence": "low"}
    actors = [_actor("p", "government_assessed", "government")]
    english = decide(event, actors).reason
    with i18n.using("es"):
        spanish = decide(event, actors).reason
        none = decide({**OPERATION, "state_nexus": "alleged"}, []).reason
    assert english == "the state_nexus of actor 'p' is 'government_assessed'"
    assert spanish == "el state_nexus del actor 'p' es 'government_assessed'"
    assert none == "ningún vínculo estatal está evaluado (state_nexus del evento y de sus actores: 'alleged')"
