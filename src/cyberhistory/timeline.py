"""The timeline: events on a time axis in swim lanes, with date precision made visible.

A day-precise event is a point, a month-precise one a short dash over its
month, a year-precise one a faint band over its year, and an event with an end
date a bar. The axis zooms to the events drawn: an event whose date window is
much wider than that span is listed under the axis instead of stretching it.
Selected events are labelled by a placement step that keeps labels off each
other and off the markers.
"""

from __future__ import annotations

import calendar
import re
import textwrap
from dataclasses import dataclass, field

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from cyberhistory import dates, eras, i18n
from cyberhistory.i18n import N_
from cyberhistory.i18n import gettext as _
from cyberhistory.labels import display_name
from cyberhistory.links import event_link
from cyberhistory.style import INK, MUTED, Chart, colour_for, credit, house_style, new_figure, source_line

#: Lane choices: name -> (events column, human name used in titles and alt text).
LANES = {
    "kind": ("kind", N_("kind of event")),
    "tactic": ("tactics", N_("tactic")),
    "region": ("target_regions", N_("target region")),
    "campaign": ("campaign", N_("campaign")),
    "actor": ("actors", N_("actor")),
    "actor_kind": ("actor_kind", N_("kind of actor")),
}
NONE_LANE = "none recorded"
MAX_LANES = 10
ROWS_PER_LANE = 5
#: An event whose date window is wider than this share of the plotted span is listed, not drawn.
WIDE_WINDOW = 0.4
#: The narrowest band, as a share of the plotted span (about 3 pixels across the figure).
MIN_BAND = 0.003
#: Up to this many markers every marker links to its event; beyond, only the labelled ones do.
LINK_EVERY_MARKER = 120
#: Title padding in points: room for the two rows of era names, or the usual gap.
TITLE_PAD_ERAS = 32
TITLE_PAD = 10
_NOT_DRAWN = {
    "day": N_("Dated only to the day, not drawn: %(events)s."),
    "month": N_("Dated only to the month, not drawn: %(events)s."),
    "year": N_("Dated only to the year, not drawn: %(events)s."),
}


class _DateFormatter(mdates.ConciseDateFormatter):
    """The concise date axis, with month names in the current language (matplotlib's are English)."""

    def format_ticks(self, values):
        labels = super().format_ticks(values)
        if i18n.current() == "en":
            return labels
        names = {calendar.month_abbr[m]: i18n.month_abbr(m) for m in range(1, 13)}
        return [re.sub(r"\b[A-Z][a-z]{2}\b", lambda m: names.get(m.group(0), m.group(0)), t) for t in labels]


@dataclass
class _Item:
    event_id: str
    lane: int
    x0: float
    x1: float
    kind: str  # "day", "month", "year" or "span"
    row: int = 0
    rows_in_lane: int = 1


@dataclass
class _Lanes:
    """The lanes of one timeline: each event's lane values, the lane order, counts and tick names."""

    values: pd.Series
    order: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)

    @property
    def none_index(self) -> int | None:
        """Position of the 'none recorded' lane, if there is one."""
        return self.order.index(NONE_LANE) if NONE_LANE in self.order else None


def _period_bounds(period: tuple[int | str, int | str] | None) -> tuple[float, float] | None:
    """The asked-for period as date numbers (first day, day after the last), or None."""
    if period is None:
        return None
    first = mdates.date2num(pd.Timestamp(dates.parse(str(period[0])).earliest))
    return first, mdates.date2num(pd.Timestamp(dates.parse(str(period[1])).latest)) + 1


def _too_wide(events: pd.DataFrame, bounds: tuple[float, float] | None) -> np.ndarray:
    """Which events have a date window too wide to draw against the span of the others.

    The span is the asked-for period, or else the span of the events kept; as
    wide events drop out the span shrinks, so this repeats until nothing changes.
    An event with an end date is judged by the window of its start. If every
    event would drop out, none does: there is nothing narrower to zoom to.
    """
    start = mdates.date2num(events["start_earliest"])
    window = mdates.date2num(events["start_latest"]) + 1 - start
    end = mdates.date2num(events["end_latest"].fillna(events["start_latest"])) + 1
    keep = np.ones(len(events), dtype=bool)
    while keep.any():
        lo, hi = bounds if bounds is not None else (start[keep].min(), end[keep].max())
        wide = keep & (window > WIDE_WINDOW * (hi - lo))
        if not wide.any() or wide.sum() == keep.sum():
            break
        keep &= ~wide
    return ~keep


def _select_events(events: pd.DataFrame, period, bounds) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events in the period, split into those drawn and those listed under the axis."""
    if period is not None:
        from cyberhistory.filters import between

        events = between(events, *period)
    events = events.reset_index(drop=True)
    wide = _too_wide(events, bounds)
    return events[~wide].reset_index(drop=True), events[wide].reset_index(drop=True)


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
    """Lanes in category order (or by first appearance), the rarest folded into 'other', 'none recorded' last."""
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


def _lanes(events: pd.DataFrame, lanes: str, actors: pd.DataFrame | None) -> _Lanes:
    """Lane values, order, events per lane and the names shown on the lane axis."""
    values = _lane_values(events, lanes, actors)
    order = _order_lanes(values, events, lanes) if len(events) else [NONE_LANE]
    counts = {v: sum(1 for vs in values if v in vs) for v in order}
    counts[NONE_LANE] = sum(1 for vs in values if not vs)
    if "other" in order:
        counts["other"] = sum(1 for vs in values if any(v not in order for v in vs))
    names = (
        dict(zip(actors["actor_id"], actors["name"], strict=True)) if lanes == "actor" and actors is not None else {}
    )
    return _Lanes(values, order, counts, [names.get(v) or display_name(v) for v in order])


def _items(events: pd.DataFrame, values: pd.Series, order: list[str]) -> list[_Item]:
    """One marker per (event, lane), spanning the event's date window or its duration."""
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


def _x_range(items: list[_Item], bounds: tuple[float, float] | None) -> tuple[float, float]:
    """The period asked for, or the span of the markers, with a little room at each end."""
    if bounds is not None:
        x_min, x_max = bounds
    elif items:
        x_min, x_max = min(it.x0 for it in items), max(it.x1 for it in items)
    else:
        x_min = x_max = mdates.date2num(pd.Timestamp("2000-01-01"))
    pad = max((x_max - x_min) * 0.02, 15)
    return x_min - pad, x_max + pad


def _pack_rows(items: list[_Item], min_width: float) -> None:
    """First-fit packing: items that overlap in time go on different rows of their lane.

    A lane has at most ``ROWS_PER_LANE`` rows; once they are all taken, an item
    goes on the row that frees up first, where it overlaps the least.
    """
    ends: dict[int, list[float]] = {}
    for item in sorted(items, key=lambda it: (it.lane, it.x0)):
        rows = ends.setdefault(item.lane, [])
        right = max(item.x1, item.x0 + min_width)
        free = [r for r, row_end in enumerate(rows) if row_end <= item.x0]
        if free:
            item.row = free[0]
            rows[item.row] = right
        elif len(rows) < ROWS_PER_LANE:
            item.row = len(rows)
            rows.append(right)
        else:
            item.row = int(np.argmin(rows))
            rows[item.row] = max(rows[item.row], right)
    for item in items:
        item.rows_in_lane = len(ends[item.lane])


def _y(item: _Item) -> float:
    """The vertical position of an item: its lane, offset by its row."""
    return item.lane + (item.row - (item.rows_in_lane - 1) / 2) * 0.16


HEIGHTS = {"month": 0.07, "year": 0.13, "span": 0.11}
ALPHAS = {"month": 1.0, "year": 0.3, "span": 0.8}


def _draw(
    ax, items: list[_Item], link: str | None, none_lane: int | None, min_width: float = 0, linked: set | None = None
) -> dict[str, int]:
    """Draw the markers (points for days, bands for windows and durations); return how many of each kind.

    A band is at least ``min_width`` wide (in days), so a two-day event stays visible on a long axis.
    With ``link``, markers link to their events: all of them, or only those in ``linked``.
    """

    def url(it: _Item) -> str | None:
        return link.format(event_id=it.event_id) if linked is None or it.event_id in linked else None

    def colour(it: _Item) -> str:
        return MUTED if it.lane == none_lane else colour_for(it.lane)

    drawn = {}
    # Lane by lane: markers of one colour come out as one run, which the compact SVG draws as one group.
    items = sorted(items, key=lambda it: (it.lane, it.x0))
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
            scatter.set_urls([url(it) for it in points])
        drawn["day"] = len(points)
    for kind in ("year", "month", "span"):
        group = [it for it in items if it.kind == kind]
        if not group:
            continue
        h = HEIGHTS[kind] / 2
        polys = [_band(it.x0, it.x1, _y(it), h, min_width) for it in group]
        collection = PolyCollection(
            polys,
            facecolors=[colour(it) for it in group],
            alpha=ALPHAS[kind],
            edgecolors="none",
            zorder=2 if kind == "year" else 3,
        )
        if link:
            collection.set_urls([url(it) for it in group])
        ax.add_collection(collection)
        drawn[kind] = len(group)
    return drawn


def _band(x0: float, x1: float, y: float, h: float, min_width: float) -> list[tuple[float, float]]:
    """The corners of one band, widened about its middle to ``min_width`` when narrower."""
    if x1 - x0 < min_width:
        middle = (x0 + x1) / 2
        x0, x1 = middle - min_width / 2, middle + min_width / 2
    return [(x0, y - h), (x1, y - h), (x1, y + h), (x0, y + h)]


def _shade_eras(ax, x_min: float, x_max: float) -> int:
    """Shade every other era and name each at its left edge; return how many era names were drawn."""
    named = 0
    for i, (first, last, name) in enumerate(eras.ERAS):
        x0 = mdates.date2num(pd.Timestamp(first, 1, 1))
        x1 = mdates.date2num(pd.Timestamp(last + 1, 1, 1))
        if x1 < x_min or x0 > x_max:
            continue
        if i % 2 == 0:
            ax.axvspan(max(x0, x_min), min(x1, x_max), color="#F2F2F2", zorder=0, lw=0)
        # Era names alternate between two heights (fixed in points) so short eras never collide.
        ax.annotate(
            _(name),
            (max(x0, x_min), 1.0),
            xycoords=ax.get_xaxis_transform(),
            xytext=(2, 3 + 12 * (i % 2)),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=9,
            color=MUTED,
            annotation_clip=False,
        )
        named += 1
    return named


def _draw_eras(ax, x_min: float, x_max: float, eras_wanted: bool | None) -> bool:
    """Shade the eras if asked, or by default when the axis spans more than eight years; True if any were drawn."""
    wanted = eras_wanted if eras_wanted is not None else (x_max - x_min) / 365.25 > 8
    return bool(wanted and _shade_eras(ax, x_min, x_max))


def _style_axes(ax, lane: _Lanes, lanes: str, x_min: float, x_max: float) -> None:
    """Limits, lane names in their lane's colour, a concise date axis, axis labels."""
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(len(lane.order) - 0.5, -0.6)
    ax.set_yticks(range(len(lane.order)), lane.names)
    for i, tick in enumerate(ax.get_yticklabels()):
        tick.set_color(MUTED if i == lane.none_index else colour_for(i))
        tick.set_fontweight("bold")
    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(_DateFormatter(locator, show_offset=False))
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(_("Date"))
    ax.set_ylabel(_(LANES[lanes][1]).capitalize())


def _period_text(events: pd.DataFrame, period) -> str:
    """The period in words: the one asked for, or the years of the events drawn."""
    if period is not None:
        first, last = dates.parse(str(period[0])).label(), dates.parse(str(period[1])).label()
        return _("%(first)s to %(last)s") % {"first": first, "last": last}
    if events.empty:
        return _("no events")
    first, last = events["start_earliest"].min(), events["end_latest"].fillna(events["start_latest"]).max()
    return (
        str(first.year)
        if first.year == last.year
        else _("%(first)s to %(last)s") % {"first": first.year, "last": last.year}
    )


def _set_title(ax, text: str, eras_drawn: bool) -> None:
    """The title, lifted clear of the era names when they were drawn."""
    ax.set_title(text, pad=TITLE_PAD_ERAS if eras_drawn else TITLE_PAD)


def _legend(ax, drawn: dict[str, int]) -> None:
    """A legend of the date precisions drawn, beside the plot."""
    handles = []
    if drawn.get("day"):
        handles.append(Line2D([], [], marker="o", ls="", color=MUTED, markeredgecolor="white", label=_("the day")))
    if drawn.get("month"):
        handles.append(Patch(color=MUTED, label=_("the month")))
    if drawn.get("year"):
        handles.append(Patch(color=MUTED, alpha=ALPHAS["year"], label=_("the year")))
    if drawn.get("span"):
        handles.append(Patch(color=MUTED, alpha=ALPHAS["span"], label=_("start to end")))
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=9,
        title=_("Date known to"),
        title_fontsize=9,
    )


def _not_drawn_text(hidden: pd.DataFrame) -> str:
    """'Dated only to the year, not drawn: <title> (2011).', one sentence per precision."""
    parts = []
    for precision, group in hidden.groupby(hidden["start_precision"].astype(str), sort=False):
        listed = "; ".join(f"{t} ({w})" for t, w in zip(group["title"], group["start_label"], strict=True))
        parts.append(_(_NOT_DRAWN[precision]) % {"events": listed})
    return " ".join(parts)


def _note_not_drawn(ax, hidden: pd.DataFrame, width: float) -> None:
    """List the events too vaguely dated to draw in a note under the date axis."""
    if hidden.empty:
        return
    note = textwrap.fill(_not_drawn_text(hidden), width=int(width * 11), break_long_words=False)
    ax.annotate(
        note,
        (0, 0),
        xycoords=("axes fraction", ax.xaxis.label),
        xytext=(0, -4),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=9,
        color=INK,
        annotation_clip=False,
    )


def _freeze_layout(figure) -> None:
    """Lay the figure out once and keep it, so label boxes stay where they were measured.

    Laying out needs no pixels: the layout is what a full draw computes, without rasterizing it."""
    figure.draw_without_rendering()
    figure.set_layout_engine("none")


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
    """Whether a display-space box overlaps any of ``boxes``."""
    if len(boxes) == 0:
        return False
    return bool(
        np.any((boxes[:, 0] < box[2]) & (boxes[:, 2] > box[0]) & (boxes[:, 1] < box[3]) & (boxes[:, 3] > box[1]))
    )


# Offsets (in points) tried for each label, nearest first: above, below, then further out.
_CANDIDATES = [(dx, dy) for dy in (7, -7, 19, -19, 31, -31, 43, -43, 55, -55) for dx in (0, 12, -12, 45, -45, 90, -90)]


def _annotate(ax, text: str, xy: tuple[float, float], dx: float, dy: float):
    """One label at an offset (in points) from its marker, with a leader line when it sits further out."""
    return ax.annotate(
        text,
        xy,
        xytext=(dx, dy),
        textcoords="offset points",
        ha="center" if dx == 0 else ("left" if dx > 0 else "right"),
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


#: Pixels by which a label's text must break a rule before the label is ruled out unmeasured (float noise).
_MARGIN = 0.01


def _cannot_fit(text_box: np.ndarray, fits) -> bool:
    """Whether a label whose text alone fills ``text_box`` surely fails ``fits``: its text box, shrunk by
    a margin, already fails, and the label's own box (text and leader line) contains its text box."""
    return not fits(text_box + np.array([_MARGIN, _MARGIN, -_MARGIN, -_MARGIN]))


class _TextBoxes:
    """Where a label's text sits relative to its text anchor, by text and alignment, measured once each.

    The text box of an annotation only moves with its anchor, so one measurement serves every
    candidate offset with the same alignment."""

    def __init__(self, ax, renderer):
        self.ax, self.renderer, self.known = ax, renderer, {}

    def __call__(self, text: str, dx: float, dy: float, xy) -> np.ndarray:
        key = (text, np.sign(dx), np.sign(dy))
        if key not in self.known:
            label = _annotate(self.ax, text, xy, dx, dy)
            label.update_positions(self.renderer)
            box = Text.get_window_extent(label, self.renderer).extents
            anchor = label.get_transform().transform(label.get_unitless_position())
            label.remove()
            self.known[key] = box - np.tile(anchor, 2)
        return self.known[key]


def _place_labels(
    ax, figure, items: list[_Item], chosen: list[tuple[str, list[str]]], renderer
) -> tuple[list, list[str]]:
    """Place each label at the first candidate position, in any of its shapes, that overlaps nothing.

    ``chosen`` gives each event's label in one or more shapes (three narrow
    lines, two wider ones); a label that fits nowhere is dropped.
    """
    if not items:
        return [], [event_id for event_id, _ in chosen]
    anchors = {}
    for it in items:
        anchors.setdefault(it.event_id, it)
    obstacles = _obstacles(ax, items, renderer)
    axes_box = ax.get_window_extent(renderer)
    placed_boxes = np.empty((0, 4))
    placed, dropped = [], []
    top = axes_box.y1 + 2 * figure.dpi / 72
    scale = figure.dpi / 72
    text_boxes = _TextBoxes(ax, renderer)

    def fits(box) -> bool:
        inside = box[0] >= axes_box.x0 and box[2] <= axes_box.x1 and box[1] >= axes_box.y0 and box[3] <= top
        return inside and not _overlaps(box, placed_boxes) and not _overlaps(box, obstacles)

    for event_id, shapes in chosen:
        anchor = anchors.get(event_id)
        if anchor is None:
            dropped.append(event_id)
            continue
        xy = (anchor.x0 + 0.5 if anchor.kind == "day" else (anchor.x0 + anchor.x1) / 2, _y(anchor))
        label, at = None, ax.transData.transform(xy)
        for (dx, dy), text in ((c, t) for c in _CANDIDATES for t in shapes):
            if _cannot_fit(text_boxes(text, dx, dy, xy) + np.tile(at + np.array([dx, dy]) * scale, 2), fits):
                continue  # its text alone already breaks a rule, so the label with its leader line would too
            label = _annotate(ax, text, xy, dx, dy)
            box = label.get_window_extent(renderer).extents
            if fits(box):
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


def _wanted_labels(events: pd.DataFrame, label: str | list[str] | None, max_labels: int) -> list[str]:
    """The event ids to label: chosen automatically, given by the caller, or none."""
    if label == "auto":
        return choose_labels(events, max_labels)
    if label:
        return [label] if isinstance(label, str) else list(label)
    return []


def _short(title: str, width: int = 26, max_lines: int = 3) -> str:
    """A label of at most ``max_lines`` lines, widening the lines rather than cutting a word."""
    while True:
        lines = textwrap.wrap(title, width=width, break_long_words=False, break_on_hyphens=False)
        if len(lines) <= max_lines:
            return "\n".join(lines)
        width += 2


def _shapes(text: str) -> list[str]:
    """A label's shapes to try: three narrow lines, or two wider ones (each word whole)."""
    return list(dict.fromkeys([_short(text, 26, 3), _short(text, 30, 2)]))


def _label_texts(events: pd.DataFrame, wanted: list[str]) -> list[tuple[str, list[str]]]:
    """(event id, label shapes) for the wanted events drawn: the short ``label`` column if given, else the title."""
    texts = events["title"].astype(str)
    if "label" in events:
        texts = events["label"].astype(object).where(events["label"].notna(), texts).astype(str)
    by_id = dict(zip(events["event_id"], texts, strict=True))
    return [(e, _shapes(by_id[e])) for e in wanted if e in by_id]


def _alt_text(events, hidden, lanes, lane: _Lanes, drawn, placed_titles, period_text) -> str:
    """What the timeline shows, in words: events, period, lanes, precisions, events not drawn, labels."""
    lane_part = "; ".join(f"{display_name(v)} ({lane.counts.get(v, 0)})" for v in lane.order)
    counts = {kind: drawn.get(kind, 0) for kind in ("day", "month", "year", "span")}
    precision = (
        _(
            "%(day)s are dated to the day (points), %(month)s to the month (short dashes) "
            "and %(year)s only to the year (faint bands); %(span)s lasted over a period (bars)"
        )
        % counts
    )
    text = _("Timeline of %(events)s events, %(period)s, in %(lanes)s lanes by %(by)s: %(lane_part)s.") % {
        "events": len(events) + len(hidden),
        "period": period_text,
        "lanes": len(lane.order),
        "by": _(LANES[lanes][1]),
        "lane_part": lane_part,
    }
    text += " " + _("Of the markers drawn, %(precision)s.") % {"precision": precision}
    if len(hidden):
        n = len(hidden)
        listed = i18n.ngettext(
            "%(n)s event is listed under the axis instead of drawn.",
            "%(n)s events are listed under the axis instead of drawn.",
            n,
        )
        text += " " + listed % {"n": n} + " " + _not_drawn_text(hidden)
    if placed_titles:
        text += " " + _("Labelled: %(titles)s.") % {"titles": "; ".join(placed_titles)}
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

    The axis spans the events drawn (or ``period``). An event whose date window
    is wider than 40% of that span (such as one dated only to the year on a
    timeline of a few weeks) is not drawn: it is listed in a note under the axis
    and in the alt text.

    Parameters
    ----------
    events : pandas.DataFrame
        Events as loaded by :func:`cyberhistory.data.load` (or a filtered subset).
        A ``label`` column, where present and filled, gives a short label to use
        instead of the title.
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
        Shade the eras of hacktivism; by default when the axis spans more than eight years.
    title : str, optional
        Figure title; a descriptive default is used.
    link : str, optional
        URL pattern with ``{event_id}``; each marker in the SVG links to it (on a figure of more than
        ``LINK_EVERY_MARKER`` markers, only the labelled ones). Defaults to ``$CYBERHISTORY_EVENT_URL``
        (set by the site build to point at the data page).
    width : float
        Figure width in inches.

    Returns
    -------
    Chart
        The figure, its alt text, and ``details``: events, markers per lane,
        labels placed and dropped, events not drawn.
    """
    if lanes not in LANES:
        raise ValueError(f"lanes must be one of {', '.join(LANES)}, not {lanes!r}")
    bounds = _period_bounds(period)
    shown, hidden = _select_events(events, period, bounds)
    lane = _lanes(shown, lanes, actors)
    items = _items(shown, lane.values, lane.order)
    x_min, x_max = _x_range(items, bounds)
    _pack_rows(items, min_width=(x_max - x_min) * 0.012)
    figure = new_figure(width, max(3.8, 1.05 * len(lane.order) + 2.2))
    FigureCanvasAgg(figure)
    period_text = _period_text(shown, period)
    with house_style():
        ax = figure.add_subplot()
        wanted = _wanted_labels(shown, label, max_labels)
        # On a crowded figure the markers are too small to click: only the labelled ones link, and the
        # site links the whole figure to the explorer (``Chart.explore``), which shows every event.
        linked = None if len(items) <= LINK_EVERY_MARKER else set(wanted)
        drawn = _draw(ax, items, event_link(link), lane.none_index, (x_max - x_min) * MIN_BAND, linked)
        eras_drawn = _draw_eras(ax, x_min, x_max, eras)
        _style_axes(ax, lane, lanes, x_min, x_max)
        default_title = _("Hacktivism timeline by %(by)s, %(period)s") % {
            "by": _(LANES[lanes][1]),
            "period": period_text,
        }
        _set_title(ax, title or default_title, eras_drawn)
        _legend(ax, drawn)
        _note_not_drawn(ax, hidden, width)
        source_line(figure, credit(len(shown) + len(hidden)))
        _freeze_layout(figure)
        placed, dropped = _place_labels(ax, figure, items, _label_texts(shown, wanted), figure.canvas.get_renderer())
    whens = dict(zip(shown["event_id"], shown["title"] + " (" + shown["start_label"] + ")", strict=True))
    alt = _alt_text(shown, hidden, lanes, lane, drawn, [whens[e] for e, _artist in placed], period_text)
    details = _details(shown, hidden, lane, items, drawn, placed, dropped, wanted, ax)
    view = explore_view(pd.concat([shown, hidden]), lanes)  # the events listed under the axis are the figure's too
    return Chart(figure, alt, {**details, "lanes_by": lanes}, explore=view)


def _details(shown, hidden, lane: _Lanes, items, drawn, placed, dropped, wanted, ax) -> dict:
    """Facts about what was drawn, for tests and captions."""
    shown_ids = set(shown["event_id"])
    return {
        "events": len(shown) + len(hidden),
        "lanes": {display_name(v): sum(1 for it in items if it.lane == i) for i, v in enumerate(lane.order)},
        "markers": drawn,
        "labels": [e for e, _ in placed],
        "label_artists": [a for _, a in placed],
        "dropped_labels": dropped + [e for e in wanted if e not in shown_ids],
        "not_drawn": list(hidden["event_id"]),
        "axes": ax,
    }


#: The lane choices the site's explorer offers (``explore.html#lanes=...``).
EXPLORER_LANES = ("kind", "tactic", "region")
#: Up to this many events, a figure's explorer view lists them (``ids=``): exactly the figure's events.
EXPLORE_IDS = 80


def explore_view(events: pd.DataFrame, lanes: str = "kind") -> str | None:
    """The explorer view (a URL fragment) of these events, so a lesson's figure can open them there.

    A figure of a few dozen events gets exactly its events (``ids=...``); a larger one gets its years,
    and its campaign or kind when all its events share one, which holds at least its events.
    """
    if events.empty:
        return None
    if len(events) <= EXPLORE_IDS:
        view = {"ids": ",".join(sorted(events["event_id"]))}
    else:
        starts = events["start_earliest"].dt.year  # the explorer keeps events overlapping the years: this suffices
        view = {"from": int(starts.min()), "to": int(starts.max())}
        for column in ("campaign", "kind"):
            values = set(events[column].dropna())
            if len(values) == 1 and events[column].notna().all():
                view[column] = values.pop()
                break
    if lanes in EXPLORER_LANES and lanes != "kind":
        view["lanes"] = lanes
    return "&".join(f"{k}={v}" for k, v in view.items())
