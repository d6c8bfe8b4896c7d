"""The kind rule: whether an operation is coded hacktivist or state-linked, from the evidence of state involvement.

The rule is written out for people in ``data/codebook_notes.md`` ("How `kind` is
decided for operations"); this module is the same rule for the validator, and
the two must say the same thing. It is pure: it reads rows and returns a kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cyberhistory.i18n import gettext as _
from cyberhistory.schema import LIST_SEPARATOR

HACKTIVIST = "hacktivist_operation"
STATE_LINKED = "state_linked_operation"
#: The kinds the rule decides; responses and context events are left alone.
OPERATION_KINDS = (HACKTIVIST, STATE_LINKED)
#: State links that are enough on their own: a government's official attribution, the state's own word, a court.
OFFICIAL_LINKS = ("government_assessed", "acknowledged", "adjudicated")
#: A link that is enough when the event's attribution is at least this sure.
RESEARCHED_LINK = "researcher_assessed"
SURE_ENOUGH = ("medium", "high")
CONTESTED = "contested"

Row = Mapping[str, object]


@dataclass(frozen=True)
class Decision:
    """The kind the rule gives an operation, and why, in words for the validator's message (in the current
    language: a Spanish lesson prints the reason; column names and values stay as the data has them)."""

    kind: str
    reason: str


def _items(value: object) -> list[str]:
    """The members of a list cell, raw (``'a;b'``) or loaded (``['a', 'b']``); empty or missing is none."""
    if value is None or value != value:  # None or NaN
        return []
    if isinstance(value, str):
        return [v for v in value.split(LIST_SEPARATOR) if v]
    return [str(v) for v in value]


def _text(row: Row, column: str) -> str:
    value = row.get(column)
    return "" if value is None or value != value else str(value)


def _by_id(actors: Mapping[str, Row] | Iterable[Row]) -> Mapping[str, Row]:
    if isinstance(actors, Mapping):
        return actors
    return {_text(row, "actor_id"): row for row in actors}


def _links(event: Row, actors: Mapping[str, Row]) -> list[tuple[str, str, bool]]:
    """(where, state_nexus, contested) for the event itself and for each of its known actors."""
    links = [(_("the event"), _text(event, "state_nexus"), False)]
    for actor_id in _items(event.get("actors")):
        actor = actors.get(actor_id)
        if actor is not None:
            contested = CONTESTED in _items(actor.get("nexus_asserted_by"))
            links.append((_("actor %(id)s") % {"id": repr(actor_id)}, _text(actor, "state_nexus"), contested))
    return links


def decide(event: Row, actors: Mapping[str, Row] | Iterable[Row]) -> Decision | None:
    """Apply the kind rule to one event.

    Parameters
    ----------
    event : mapping
        One row of events.csv (raw strings, or a loaded row whose list fields are lists).
    actors : mapping or iterable
        The rows of actors.csv, keyed by ``actor_id`` or as a list of rows. Actor ids the
        table does not know are ignored (the foreign-key check reports them).

    Returns
    -------
    Decision or None
        The kind the rule gives and the reason; ``None`` when the event is not an
        operation (a legal or political response, a context event), which the rule
        does not decide.
    """
    if _text(event, "kind") not in OPERATION_KINDS:
        return None
    if CONTESTED in _items(event.get("attributed_by")):
        return Decision(HACKTIVIST, _("the event's attribution is contested (attributed_by includes 'contested')"))
    links = _links(event, _by_id(actors))
    confidence = _text(event, "attribution_confidence")
    for where, nexus, contested in links:
        if nexus in OFFICIAL_LINKS and not contested:
            return Decision(
                STATE_LINKED, _("the state_nexus of %(where)s is %(nexus)s") % {"where": where, "nexus": repr(nexus)}
            )
    for where, nexus, contested in links:
        if nexus == RESEARCHED_LINK and not contested and confidence in SURE_ENOUGH:
            why = _("the state_nexus of %(where)s is %(nexus)s and attribution_confidence is %(confidence)s")
            return Decision(STATE_LINKED, why % {"where": where, "nexus": repr(nexus), "confidence": repr(confidence)})
    return Decision(HACKTIVIST, _why_not(links, confidence))


def _why_not(links: list[tuple[str, str, bool]], confidence: str) -> str:
    """Why no link meets the bar: the strongest one on record, and what it lacks."""
    for where, nexus, contested in links:
        if contested and (nexus in OFFICIAL_LINKS or nexus == RESEARCHED_LINK):
            return _("the state link of %(where)s is contested (its nexus_asserted_by includes 'contested')") % {
                "where": where
            }
    if any(nexus == RESEARCHED_LINK for _where, nexus, _contested in links):
        why = _("the state link is only %(link)s and attribution_confidence is %(confidence)s")
        return why % {"link": repr(RESEARCHED_LINK), "confidence": repr(confidence or _("empty"))}
    levels = sorted({nexus for _where, nexus, _contested in links if nexus})
    shown = ", ".join(repr(n) for n in levels) or _("empty")
    return _("no state link is assessed (state_nexus on the event and its actors: %(levels)s)") % {"levels": shown}


def expected_kind(event: Row, actors: Mapping[str, Row] | Iterable[Row]) -> str | None:
    """The kind the rule gives an event, or ``None`` when the rule does not decide it.

    Examples
    --------
    >>> persona = {"actor_id": "p", "state_nexus": "government_assessed", "nexus_asserted_by": "government"}
    >>> event = {"kind": "hacktivist_operation", "actors": "p", "attributed_by": "self",
    ...          "attribution_confidence": "low", "state_nexus": "alleged"}
    >>> expected_kind(event, [persona])
    'state_linked_operation'
    """
    decision = decide(event, actors)
    return decision.kind if decision else None
