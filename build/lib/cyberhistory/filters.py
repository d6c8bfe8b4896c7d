"""Select events by period, actor, tactic, region, kind or campaign.

Each function takes an events frame and returns the matching rows, so calls
chain: ``by_tactic(between(data.events, 2010, 2012), "ddos")``.
"""

from __future__ import annotations

import pandas as pd

from cyberhistory import dates


def _bound(value: int | str | None, side: str) -> pd.Timestamp | None:
    if value is None:
        return None
    parsed = dates.parse(str(value))
    return pd.Timestamp(parsed.earliest if side == "start" else parsed.latest)


def between(events: pd.DataFrame, start: int | str | None = None, end: int | str | None = None) -> pd.DataFrame:
    """Events whose date window overlaps the period from ``start`` to ``end`` (years or partial dates).

    Examples
    --------
    >>> between(data.events, 2010, "2011-06")  # doctest: +SKIP
    """
    lo, hi = _bound(start, "start"), _bound(end, "end")
    last = events["end_latest"].fillna(events["start_latest"])
    mask = pd.Series(True, index=events.index)
    if lo is not None:
        mask &= last >= lo
    if hi is not None:
        mask &= events["start_earliest"] <= hi
    return events[mask]


def _has(events: pd.DataFrame, column: str, wanted: str | list[str]) -> pd.DataFrame:
    values = {wanted} if isinstance(wanted, str) else set(wanted)
    column_values = events[column]
    if column_values.map(lambda v: isinstance(v, list)).all():
        return events[column_values.map(lambda items: bool(values.intersection(items)))]
    return events[column_values.isin(values)]


def by_actor(events: pd.DataFrame, actor: str | list[str]) -> pd.DataFrame:
    """Events involving an actor id (or any of several)."""
    return _has(events, "actors", actor)


def by_tactic(events: pd.DataFrame, tactic: str | list[str]) -> pd.DataFrame:
    """Events using a tactic (or any of several), such as ``"ddos"``."""
    return _has(events, "tactics", tactic)


def by_region(events: pd.DataFrame, region: str | list[str]) -> pd.DataFrame:
    """Events with targets in a region (or any of several), such as ``"latin_america"``."""
    return _has(events, "target_regions", region)


def by_kind(events: pd.DataFrame, kind: str | list[str]) -> pd.DataFrame:
    """Events of a kind (or several), such as ``"state_linked_operation"``."""
    return _has(events, "kind", kind)


def by_campaign(events: pd.DataFrame, campaign: str | list[str]) -> pd.DataFrame:
    """Events of a campaign (or several), such as ``"operation-cartel"``."""
    return _has(events, "campaign", campaign)
