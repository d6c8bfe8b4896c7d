"""The timeline: events on a time axis in swim lanes, with date precision made visible.

A day-precise event is a point, a month-precise one a short dash over its
month, a year-precise one a faint band over its year, and an event with an end
date a bar. Selected events are labelled by a placement step that keeps labels
off each other and off the markers.
"""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from cyberhistory import dates, stats
from cyberhistory.style import INK, MUTED, Chart, colour_for, house_style, new_figure, source_line

#: Lane choices: name -> (events column, human name used in titles and alt text).
LANES = {
    "kind": ("kind", "kind of event"),
    "tactic": ("tactics", "tactic"),
    "region": ("target_regions", "target region"),
    "campaign": ("campaign", "campaign"),
    "actor": ("actors", "actor"),
    "actor_kind": ("actor_kind", "kind of actor"),
}
NONE_LANE = "none recorded"
MAX_LANES = 10
ROWS_PER_LANE = 5
#: Environment variable the site build sets so SVG markers link to the data page.
LINK_ENV = "CYBERHISTORY_EVENT_URL"


_SPECIAL_LABELS = {
    "ddos": "DDoS",
    "it-army-of-ukraine": "IT Army of Ukraine",
    "hack_and_leak": "Hack-and-leak",
    "virtual_sit_in": "Virtual sit-in",
    "state_linked_operation": "State-linked operation",
    "official_attribution": "Official attribution",
}


def lane_label(value: str) -> str:
    """Turn a stored value (``state_linked_operation``, ``operation-cartel``) into a lane name."""
    if value in _SPECIAL_LABELS:
        return _SPECIAL_LABELS[value]
    return value.replace("-", " ").replace("state_linked", "state-linked").replace("_", " ").capitalize()


@dataclass
class _Item:
    event_id: str
    lane: int
    x0: float
    x1: float
    kind: str  # "day", "month", "year" or "span"
    row: int = 0
    rows_in_lane: int = 1


def _lane_values(events: pd.DataFrame, lanes: str, actors: pd.DataFrame | None) -> pd.Series:
    """One list of lane values per event (an event sits in every lane it belongs to)."""
    if lanes == "actor_kind":
        if actors is None:
            raise ValueError(
                "lanes='actor_kind' needs the actors table: plot_timeline(events, lanes=..., actors=data.actors)"
            )
        kinds = dict(zip(actors["actor_id"], actors["actor_kind"].astype(str), strict=True))
        return events["actors"].map(lambda ids: sorted({kinds[a] for a in ids if a in kinds}))
    column = LANES[lanes][0]
    values = events[column].astype(object)
    if values.map(lambda v: isinstance(v, list)).all():
        return values.map(list)
    return values.map(lambda v: [] if pd.isna(v) else [str(v)])


def _order_lanes(values: pd.Series, events: pd.DataFrame, lanes: str) -> list[str]:
    counts = pd.Series([v for vs in values for v in (vs or [NONE_LANE])]).value_counts()
    column = LANES[lanes][0]
    if column in events and isinstance(events[column].dtype, pd.CategoricalDtype):
        order = [c for c in events[column].cat.categories if c in counts.index]
    else:
        first_seen = {}
        for vs, when in zip(values, events["start_earliest"], strict=True):
            for v in vs:
                first_seen.setdefault(v, when)
        order = sorted(first_seen, key=lambda v: (first_seen[v], v))
    if len(order) > MAX_LANES:
        keep = set(counts.drop(NONE_LANE, errors="ignore").index[: MAX_LANES - 1])
        order = [v for v in order if v in keep] + ["other"]
    if NONE_LANE in counts.index:
        order.append(NONE_LANE)
    return order


def _items(events: pd.DataFrame, values: pd.Series, order: list[str]) -> list[_Item]:
    index = {v: i for i, v in enumerate(order)}
    start = mdates.date2num(events["start_earliest"])
    start_last = mdates.date2num(events["start_latest"]) + 1
    end = mdates.date2num(events["end_latest"].fillna(pd.NaT)) + 1
    items = []
    for i, (event_id, precision, vs) in enumerate(
        zip(events["event_id"], events["start_precision"], values, strict=True)
    ):
        has_end = not np.isnan(end[i])
        kind = "span" if has_end else str(precision)
        x1 = end[i] if has_end else start_last[i]
        lanes = {index.get(v, index.get("other")) for v in vs} if vs else {index[NONE_LANE]}
        items += [_Item(event_id, lane, start[i], x1, kind) for lane in sorted(lanes)]
    return items


def _pack_rows(items: list[_Item], min_width: float) -> None:
    """First-fit packing: items that overlap in time go on different rows of their lane."""
    ends: dict[int, list[float]] = {}
    for item in sorted(items, key=lambda it: (it.lane, it.x0)):
        rows = ends.setdefault(item.lane, [])
        right = max(item.x1, item.x0 + min_width)
        for r, row_end in enumerate(rows):
            if row_end <= item.x0:
                item.row, rows[r] = r, right
                break
        else:
            item.row = len(rows) % ROWS_PER_LANE
            if len(rows) < ROWS_PER_LANE:
                rows.append(right)
            else:
                rows[item.row] = max(rows[item.row], right)
    for item in items:
        item.rows_in_lane = len(ends[item.lane])


def _y(item: _Item) -> float:
    return item.lane + (item.row - (item.rows_in_lane - 1) / 2) * 0.16


HEIGHTS = {"month": 0.07, "year": 0.13, "span": 0.11}
ALPHAS = {"month": 1.0, "year": 0.3, "span": 0.8}


def _draw(ax, items: list[_Item], link: str | None, none_lane: int | None) -> dict[str, int]:
    def colour(it: _Item) -> str:
        return MUTED if it.lane == none_lane else colour_for(it.lane)

    drawn = {}
    points = [it for it in items if it.kind == "day"]
    if points:
        xs = [it.x0 + 0.5 for it in points]
        scatter = ax.scatter(
            xs,
            [_y(it) for it in points],
            s=34,
            c=[colour(it) for it in points],
            edgecolors="white",
            linewidths=0.6,
            zorder=3,
        )
        if link:
            scatter.set_urls([link.format(event_id=it.event_id) for it in points])
        drawn["day"] = len(points)
    for kind in ("year", "month", "span"):
        group = [it for it in items if it.kind == kind]
        if not group:
            continue
        h = HEIGHTS[kind] / 2
        polys = [[(it.x0, _y(it) - h), (it.x1, _y(it) - h), (it.x1, _y(it) + h), (it.x0, _y(it) + h)] for it in group]
        collection = PolyCollection(
            polys,
            facecolors=[colour(it) for it in group],
            alpha=ALPHAS[kind],
            edgecolors="none",
            zorder=2 if kind == "year" else 3,
        )
        if link:
            collection.set_urls([link.format(event_id=it.event_id) for it in group])
        ax.add_collection(collection)
        drawn[kind] = len(group)
    return drawn


def _shade_eras(ax, x_min: float, x_max: float) -> None:
    for i, (first, last, name) in enumerate(stats.ERAS):
        x0 = mdates.date2num(pd.Timestamp(first, 1, 1))
        x1 = mdates.date2num(pd.Timestamp(last + 1, 1, 1))
        if x1 < x_min or x0 > x_max:
            continue
        if i % 2 == 0:
            ax.axvspan(max(x0, x_min), min(x1, x_max), color="#F2F2F2", zorder=0, lw=0)
        left = max(x0, x_min)
        # Era names sit at the era's left edge, alternating between two heights so short eras never collide.
        ax.text(
            left + (x_max - x_min) * 0.004,
            1.0 + 0.045 * (i % 2),
            name,
            transform=ax.get_xaxis_transform(),
            ha="left",
            va="bottom",
            fontsize=9,
            color=MUTED,
            clip_on=False,
        )


def _obstacles(ax, items: list[_Item], renderer) -> np.ndarray:
    """Display-space boxes of every marker, so labels can keep off them."""
    pad = 3.0
    xy0 = ax.transData.transform([(it.x0 + (0.5 if it.kind == "day" else 0), _y(it)) for it in items])
    xy1 = ax.transData.transform([(it.x1 if it.kind != "day" else it.x0 + 0.5, _y(it)) for it in items])
    half = np.array(
        [
            4.0
            if it.kind == "day"
            else HEIGHTS[it.kind] / 2 * abs(ax.transData.transform((0, 1))[1] - ax.transData.transform((0, 0))[1])
            for it in items
        ]
    )
    return np.column_stack(
        [
            np.minimum(xy0[:, 0], xy1[:, 0]) - pad - np.where(half > 3.5, 4.0, 0),
            xy0[:, 1] - half - pad,
            np.maximum(xy0[:, 0], xy1[:, 0]) + pad,
            xy0[:, 1] + half + pad,
        ]
    )


def _overlaps(box, boxes: np.ndarray) -> bool:
    if len(boxes) == 0:
        return False
    return bool(
        np.any((boxes[:, 0] < box[2]) & (boxes[:, 2] > box[0]) & (boxes[:, 1] < box[3]) & (boxes[:, 3] > box[1]))
    )


# Offsets (in points) tried for each label, nearest first: above, below, then further out.
_CANDIDATES = [(dx, dy) for dy in (7, -7, 19, -19, 31, -31, 43, -43, 55, -55) for dx in (0, 12, -12, 45, -45, 90, -90)]


def _place_labels(ax, figure, items: list[_Item], chosen: list[tuple[str, str]], renderer) -> tuple[list, list[str]]:
    """Place each label at the first candidate position that overlaps nothing; drop it if none fits."""
    anchors = {}
    for it in items:
        anchors.setdefault(it.event_id, it)
    obstacles = _obstacles(ax, items, renderer)
    axes_box = ax.get_window_extent(renderer)
    placed_boxes = np.empty((0, 4))
    placed, dropped = [], []
    scale = figure.dpi / 72
    for event_id, text in chosen:
        anchor = anchors.get(event_id)
        if anchor is None:
            dropped.append(event_id)
            continue
        x = anchor.x0 + 0.5 if anchor.kind == "day" else (anchor.x0 + anchor.x1) / 2
        y = _y(anchor)
        for dx, dy in _CANDIDATES:
            ha = "center" if dx == 0 else ("left" if dx > 0 else "right")
            label = ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va="bottom" if dy > 0 else "top",
                fontsize=8.5,
                color=INK,
                zorder=5,
                linespacing=1.0,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
                arrowprops={"arrowstyle": "-", "color": MUTED, "lw": 0.6, "shrinkA": 0, "shrinkB": 3}
                if abs(dy) > 7 or abs(dx) > 12
                else None,
            )
            box = label.get_window_extent(renderer).extents
            inside = (
                box[0] >= axes_box.x0
                and box[2] <= axes_box.x1
                and box[1] >= axes_box.y0
                and box[3] <= axes_box.y1 + 2 * scale
            )
            if inside and not _overlaps(box, placed_boxes) and not _overlaps(box, obstacles):
                placed_boxes = np.vstack([placed_boxes, box])
                placed.append((event_id, label))
                break
            label.remove()
        else:
            dropped.append(event_id)
    return placed, dropped


def choose_labels(events: pd.DataFrame, max_labels: int = 10) -> list[str]:
    """The most significant events, spread over time: the ones the timeline labels by default.

    Highest ``significance`` first; among equals, events far in time from those
    already chosen come first, so labels do not crowd one year.
    """
    if events.empty or max_labels <= 0:
        return []
    ranked = events.sort_values(["significance", "start_earliest"], ascending=[False, True])
    chosen: list[str] = []
    chosen_days: list[float] = []
    pool = list(
        zip(
            ranked["event_id"], ranked["significance"].fillna(1), mdates.date2num(ranked["start_earliest"]), strict=True
        )
    )
    while pool and len(chosen) < max_labels:
        top = max(p[1] for p in pool)
        tier = [p for p in pool if p[1] == top]
        best = max(tier, key=lambda p: min((abs(p[2] - d) for d in chosen_days), default=np.inf))
        chosen.append(best[0])
        chosen_days.append(best[2])
        pool.remove(best)
    return chosen


def _short(title: str, width: int = 26) -> str:
    """A label of at most two lines: enough of the title to recognise the event."""
    lines = textwrap.wrap(title, width=width)
    if len(lines) <= 2:
        return "\n".join(lines)
    return lines[0] + "\n" + textwrap.shorten(" ".join(lines[1:]), width=width, placeholder="…")


def _alt_text(events, lanes, order, lane_counts, drawn, placed_titles, period_text) -> str:
    lane_name = LANES[lanes][1]
    lane_part = "; ".join(f"{lane_label(v)} ({lane_counts.get(v, 0)})" for v in order)
    precision = (
        f"{drawn.get('day', 0)} are dated to the day (points), {drawn.get('month', 0)} to the month (short dashes) "
        f"and {drawn.get('year', 0)} only to the year (faint bands); {drawn.get('span', 0)} lasted over a period (bars)"
    )
    text = (
        f"Timeline of {len(events)} events, {period_text}, in {len(order)} lanes by {lane_name}: {lane_part}. "
        f"Of the markers drawn, {precision}."
    )
    if placed_titles:
        text += " Labelled: " + "; ".join(placed_titles) + "."
    return text


def plot_timeline(
    events: pd.DataFrame,
    lanes: str = "kind",
    *,
    label: str | list[str] | None = "auto",
    max_labels: int = 10,
    period: tuple[int | str, int | str] | None = None,
    actors: pd.DataFrame | None = None,
    eras: bool | None = None,
    title: str | None = None,
    link: str | None = None,
    width: float = 11.0,
) -> Chart:
    """Draw events on a time axis in swim lanes.

    Parameters
    ----------
    events : pandas.DataFrame
        Events as loaded by :func:`cyberhistory.data.load` (or a filtered subset).
    lanes : {"kind", "tactic", "region", "campaign", "actor", "actor_kind"}
        What the lanes group by. An event with several tactics (or regions,
        actors) appears in each of its lanes.
    label : "auto", list of event ids, or None
        ``"auto"`` labels the most significant events (see :func:`choose_labels`);
        a list labels those events; ``None`` draws no labels.
    max_labels : int
        Most labels drawn with ``label="auto"``.
    period : (start, end), optional
        Years or partial dates to show, for example ``(2010, "2011-06")``.
    actors : pandas.DataFrame, optional
        The actors table; needed for ``lanes="actor_kind"`` and to name actor lanes.
    eras : bool, optional
        Shade the eras of hacktivism; by default when the period spans more than eight years.
    title : str, optional
        Figure title; a descriptive default is used.
    link : str, optional
        URL pattern with ``{event_id}``; each marker in the SVG links to it. Defaults to
        ``$CYBERHISTORY_EVENT_URL`` (set by the site build to point at the data page).
    width : float
        Figure width in inches.

    Returns
    -------
    Chart
        The figure, its alt text, and ``details``: events and markers per lane,
        labels placed and dropped.
    """
    if lanes not in LANES:
        raise ValueError(f"lanes must be one of {', '.join(LANES)}, not {lanes!r}")
    if period is not None:
        from cyberhistory.filters import between

        events = between(events, *period)
    events = events.reset_index(drop=True)
    link = link if link is not None else os.environ.get(LINK_ENV) or None
    values = _lane_values(events, lanes, actors)
    order = _order_lanes(values, events, lanes) if len(events) else [NONE_LANE]
    items = _items(events, values, order)
    lane_counts = {v: sum(1 for vs in values if v in vs) for v in order}
    lane_counts[NONE_LANE] = sum(1 for vs in values if not vs)
    if "other" in order:
        lane_counts["other"] = sum(1 for it in items if order[it.lane] == "other")

    if period is not None:
        x_min = mdates.date2num(pd.Timestamp(dates.parse(str(period[0])).earliest))
        x_max = mdates.date2num(pd.Timestamp(dates.parse(str(period[1])).latest)) + 1
    elif items:
        x_min, x_max = min(it.x0 for it in items), max(it.x1 for it in items)
    else:
        x_min = x_max = mdates.date2num(pd.Timestamp("2000-01-01"))
    pad = max((x_max - x_min) * 0.02, 15)
    x_min, x_max = x_min - pad, x_max + pad
    _pack_rows(items, min_width=(x_max - x_min) * 0.012)

    height = max(3.8, 1.05 * len(order) + 2.2)
    figure = new_figure(width, height)
    FigureCanvasAgg(figure)
    with house_style():
        ax = figure.add_subplot()
        drawn = _draw(ax, items, link, order.index(NONE_LANE) if NONE_LANE in order else None)
        span_years = (x_max - x_min) / 365.25
        if eras if eras is not None else span_years > 8:
            _shade_eras(ax, x_min, x_max)
        ax.set_xlim(x_min, x_max)
        ax.set_ylim(len(order) - 0.5, -0.6)
        names = (
            dict(zip(actors["actor_id"], actors["name"], strict=True))
            if lanes == "actor" and actors is not None
            else {}
        )
        ax.set_yticks(range(len(order)), [names.get(v) or lane_label(v) for v in order])
        for tick, i in zip(ax.get_yticklabels(), range(len(order)), strict=True):
            tick.set_color(colour_for(i) if order[i] != NONE_LANE else MUTED)
            tick.set_fontweight("bold")
        locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        first, last = (events["start_earliest"].min(), events["end_latest"].fillna(events["start_latest"]).max())
        if period is not None:
            period_text = f"{dates.parse(str(period[0])).label()} to {dates.parse(str(period[1])).label()}"
        else:
            same_year = len(events) and first.year == last.year
            period_text = (
                (str(first.year) if same_year else f"{first.year} to {last.year}") if len(events) else "no events"
            )
        ax.set_title(
            title or f"Hacktivism timeline by {LANES[lanes][1]}, {period_text}",
            pad=30 if span_years > 8 and eras is not False else 10,
        )
        ax.set_xlabel("Date")
        ax.set_ylabel(LANES[lanes][1].capitalize())
        ax.legend(
            handles=_legend_handles(drawn),
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            fontsize=9,
            title="Date known to",
            title_fontsize=9,
        )
        source_line(figure, f"Data: cyberhistory dataset, {len(events)} events; see sources")
        figure.canvas.draw()
        figure.set_layout_engine("none")  # freeze the layout so label boxes stay where they were measured

        if label == "auto":
            wanted = choose_labels(events, max_labels)
        elif label:
            wanted = [label] if isinstance(label, str) else list(label)
        else:
            wanted = []
        titles = dict(zip(events["event_id"], events["title"], strict=True))
        chosen = [(e, _short(titles[e])) for e in wanted if e in titles]
        placed, dropped = _place_labels(ax, figure, items, chosen, figure.canvas.get_renderer())
    placed_titles = [f"{titles[e]} ({events.loc[events['event_id'] == e, 'start_label'].iloc[0]})" for e, _ in placed]
    alt = _alt_text(events, lanes, order, lane_counts, drawn, placed_titles, period_text)
    markers_per_lane = {lane_label(order[i]): sum(1 for it in items if it.lane == i) for i in range(len(order))}
    details = {
        "events": len(events),
        "lanes": markers_per_lane,
        "markers": drawn,
        "labels": [e for e, _ in placed],
        "label_artists": [a for _, a in placed],
        "dropped_labels": dropped + [e for e in wanted if e not in titles],
        "axes": ax,
    }
    return Chart(figure, alt, details)


def _legend_handles(drawn: dict[str, int]) -> list:
    handles = []
    if drawn.get("day"):
        handles.append(Line2D([], [], marker="o", ls="", color=MUTED, markeredgecolor="white", label="the day"))
    if drawn.get("month"):
        handles.append(Patch(color=MUTED, label="the month"))
    if drawn.get("year"):
        handles.append(Patch(color=MUTED, alpha=ALPHAS["year"], label="the year"))
    if drawn.get("span"):
        handles.append(Patch(color=MUTED, alpha=ALPHAS["span"], label="start to end"))
    return handles
