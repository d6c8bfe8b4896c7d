"""The final project's list of eligible events, computed from the data and the lessons.

An event is eligible when a student can write a sourced brief about it that the unit has not
already written for them: it is an operation, at least three sources from at least two
publishers cite it, and no lesson studies it (shows it by id) or uses it as the exemplar.
"""

from __future__ import annotations

import pandas as pd

from cyberhistory.data import Dataset

OPERATION_KINDS = ("hacktivist_operation", "state_linked_operation")
MIN_SOURCES, MIN_PUBLISHERS = 3, 2
#: The event the project page works through as its exemplar (notebooks/final-project.md).
EXEMPLAR = "2013-anonymous-singapore-licensing-protest"


def eligible_events(data: Dataset, studied: set[str] = frozenset()) -> pd.DataFrame:
    """Events a final project may take, oldest first: id, when, title, regions and source counts."""
    cited = (
        data.sources.explode("event_ids")
        .groupby("event_ids")
        .agg(sources=("source_id", "nunique"), publishers=("publisher", "nunique"))
    )
    events = data.events.join(cited, on="event_id")
    keep = (
        events["kind"].astype(str).isin(OPERATION_KINDS)
        & (events["sources"] >= MIN_SOURCES)
        & (events["publishers"] >= MIN_PUBLISHERS)
        & ~events["event_id"].isin(set(studied) | {EXEMPLAR})
    )
    chosen = events[keep].sort_values(["start_earliest", "event_id"])
    return chosen[["event_id", "when", "title", "target_regions", "sources", "claim_verification"]].reset_index(
        drop=True
    )
