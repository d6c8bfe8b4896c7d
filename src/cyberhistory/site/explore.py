"""The timeline explorer page: its body, and its data as a script that sets a global.

The data is a script (``assets/explore-data.js``), not JSON fetched at run time,
because browsers block ``fetch()`` of local files and the site must work from
``file://``. It is JSON with ``<``, ``>`` and ``&`` escaped, so no text in the
data can close a ``<script>`` element or start markup, even if it is ever inlined.
"""

from __future__ import annotations

import json

import pandas as pd

from cyberhistory import eras
from cyberhistory.data import Dataset
from cyberhistory.i18n import N_, month_abbr
from cyberhistory.i18n import gettext as _
from cyberhistory.labels import display_name
from cyberhistory.site.html import Markup, render
from cyberhistory.style import MUTED, colour_for
from cyberhistory.timeline import NONE_LANE, _lanes

#: The data file, written into each edition's ``assets/``.
DATA_FILE = "explore-data.js"
#: The scripts the page loads, in order: the data, then the explorer.
SCRIPTS = (DATA_FILE, "explore.js")
#: The global the data file sets; ``explore.js`` reads it.
GLOBAL = "CYBERHISTORY_EXPLORE"
#: Lane choices offered by the explorer: name -> (timeline lane name, label in the selector).
LANE_CHOICES = {"kind": N_("Kind"), "tactic": N_("Tactic"), "region": N_("Target region")}
#: Longest label cut from a title (the events table has no ``label`` column of its own).
LABEL_WIDTH = 40
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def short_label(title: str, width: int = LABEL_WIDTH) -> str:
    """The title cut at a word boundary to at most ``width`` characters, with "…" when cut.

    Examples
    --------
    >>> short_label("Anonymous threatens the Zetas cartel over a kidnapped member", 30)
    'Anonymous threatens the Zetas…'
    """
    title = " ".join(title.split())
    if len(title) <= width:
        return title
    cut = title[: width - 1]
    if title[width - 1] != " " and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–") + "…"


def _iso(value) -> str | None:
    return None if pd.isna(value) else value.date().isoformat()


def _text(value) -> str:
    return "" if pd.isna(value) else str(value)


def _lane_indices(data: Dataset) -> dict[str, list[list[int]]]:
    """For each lane choice, each event's lanes (as positions), by the rule of ``plot_timeline``.

    An event sits in every lane it has a value for; a value without a lane of its own goes to
    'other', and an event with no value to 'none recorded'.
    """
    result = {}
    for choice in LANE_CHOICES:
        lane = _lanes(data.events, choice, data.actors)
        index = {v: i for i, v in enumerate(lane.order)}
        result[choice] = [
            sorted({index.get(v, index.get("other")) for v in vs} - {None}) if vs else [index[NONE_LANE]]
            for vs in lane.values
        ]
    return result


def records(data: Dataset, page_of: dict[str, str]) -> list[dict]:
    """One plain record per event, in date order: what the explorer draws, filters, lists and shows."""
    events = data.events
    labels = events["label"] if "label" in events else pd.Series(pd.NA, index=events.index)
    lanes = _lane_indices(data)
    result = []
    for n, (e, label) in enumerate(zip(events.to_dict("records"), labels, strict=True)):
        event_id = e["event_id"]
        has_end = not pd.isna(e["end_earliest"])
        result.append(
            {
                "id": event_id,
                "title": e["title"],
                "label": _text(label) or short_label(e["title"]),
                "start": [_iso(e["start_earliest"]), _iso(e["start_latest"])],
                "end": [_iso(e["end_earliest"]), _iso(e["end_latest"])] if has_end else None,
                "precision": _text(e["start_precision"]),
                "end_precision": _text(e["end_precision"]) if has_end else None,
                "when": e["when"],
                "kind": _text(e["kind"]),
                "tactics": list(e["tactics"]),
                "regions": list(e["target_regions"]),
                "campaign": _text(e["campaign"]),
                "actors": list(e["actors"]),
                "summary": _text(e["summary"]),
                "href": f"{page_of[event_id]}#event-{event_id}" if event_id in page_of else "data.html",
                "lanes": {choice: lanes[choice][n] for choice in LANE_CHOICES},
            }
        )
    return result


def _values(column: pd.Series) -> list[str]:
    """Every value a column holds (list columns flattened), in category order or by name."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(c) for c in column.cat.categories if (column == c).any()]
    flat = {v for vs in column for v in (vs if isinstance(vs, list) else [vs]) if not pd.isna(v) and v}
    return sorted(flat, key=lambda v: display_name(str(v)).lower())


def _names(data: Dataset) -> dict[str, dict[str, str]]:
    """Display names of every category value, by field: what the page prints instead of stored values."""
    events = data.events
    actor_names = dict(zip(data.actors["actor_id"], data.actors["name"], strict=True))
    actor_ids = sorted(_values(events["actors"]), key=lambda a: str(actor_names.get(a, a)).lower())
    return {
        "kind": {v: display_name(v) for v in _values(events["kind"])},
        "tactic": {v: display_name(v) for v in _values(events["tactics"])},
        "region": {v: display_name(v) for v in _values(events["target_regions"])},
        "campaign": {v: display_name(v) for v in _values(events["campaign"])},
        "actor": {a: str(actor_names.get(a, display_name(a))) for a in actor_ids},
    }


def lanes(data: Dataset) -> dict[str, list[dict]]:
    """Each lane choice's lanes, in the figure library's order (rare values folded into 'other')."""
    result = {}
    for choice in LANE_CHOICES:
        lane = _lanes(data.events, choice, data.actors)
        result[choice] = [{"value": v, "name": n} for v, n in zip(lane.order, lane.names, strict=True)]
    return result


def colours(data: Dataset) -> dict[str, str]:
    """The colour of each kind: the colour its lane has in ``plot_timeline(lanes="kind")``."""
    lane = _lanes(data.events, "kind", data.actors)
    return {v: MUTED if i == lane.none_index else colour_for(i) for i, v in enumerate(lane.order)}


def payload(data: Dataset, page_of: dict[str, str]) -> dict:
    """Everything the explorer needs: events, names, lanes, colours and eras."""
    return {
        "events": records(data, page_of),
        "names": _names(data),
        "lanes": lanes(data),
        "colours": colours(data),
        "muted": MUTED,
        "eras": [{"from": first, "to": last, "name": _(name)} for first, last, name in eras.ERAS],
        "months": [month_abbr(m) for m in range(1, 13)],
    }


def to_script(value) -> str:
    """``value`` as a script that sets ``window.CYBERHISTORY_EXPLORE``, safe to load or to inline."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _ESCAPES.items():
        text = text.replace(char, escape)
    return f"/* Generated by cyberhistory.site.explore from the dataset; do not edit. */\nwindow.{GLOBAL} = {text};\n"


def data_script(data: Dataset, page_of: dict[str, str]) -> str:
    """The explorer's data file: every event and the names, lanes and colours to draw it with."""
    return to_script(payload(data, page_of))


def page(data: Dataset) -> Markup:
    """The explorer page's body: filters, timeline, details panel and events table (filled by ``explore.js``)."""
    names = _names(data)
    filters = [
        ("kind", _("Kind"), _("All kinds"), names["kind"]),
        ("tactic", _("Tactic"), _("All tactics"), names["tactic"]),
        ("region", _("Target region"), _("All regions"), names["region"]),
        ("campaign", _("Campaign"), _("All campaigns"), names["campaign"]),
        ("actor", _("Actor"), _("All actors"), names["actor"]),
    ]
    years = data.events["year"].dropna()
    first, last = (int(years.min()), int(years.max())) if len(years) else (1989, 2025)
    last_end = data.events["end_latest"].dropna()
    last = max(last, int(last_end.max().year)) if len(last_end) else last
    return render(
        "explore.html",
        filters=filters,
        lane_choices={k: _(v) for k, v in LANE_CHOICES.items()},
        first=first,
        last=last,
        total=len(data.events),
        kinds=[(names["kind"][k], c) for k, c in colours(data).items() if k in names["kind"]],
    )
