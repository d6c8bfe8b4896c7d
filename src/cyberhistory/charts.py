"""Charts for the notebooks: counts over time, shares, outcomes, targets, actor spans, attribution lag.

Each function draws one chart in the house style and returns a
:class:`~cyberhistory.style.Chart` whose alt text is written from the data drawn.
"""

from __future__ import annotations

import textwrap
from collections import Counter

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ticker import MaxNLocator, MultipleLocator

from cyberhistory import eras, i18n
from cyberhistory.i18n import N_
from cyberhistory.i18n import gettext as _
from cyberhistory.labels import display_name
from cyberhistory.style import INK, MUTED, OKABE_ITO, Chart, colour_for, credit, house_style, new_figure, source_line
from cyberhistory.timeline import NONE_LANE as NONE_RECORDED

#: How a stacked column is named in titles and alt text (the rest: the column's name, singular).
STACK_NAMES = {"tactics": N_("tactic"), "kind": N_("kind"), "target_regions": N_("target region")}


def _largest(counts: pd.Series, n: int = 3) -> str:
    top = counts.sort_values(ascending=False).head(n)
    return ", ".join(f"{display_name(str(k))} ({int(v)})" for k, v in top.items() if v > 0)


def _finish(figure, ax, title: str, xlabel: str, ylabel: str, credit: str) -> None:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    source_line(figure, credit)


def _credit(n: int, what: str = "events") -> str:
    return credit(n, what)


# What the credits count, for the catalog (translated where the credit is written).
_COUNTED = (N_("operations"), N_("outcomes"), N_("actors"), N_("operations with a response"))


def _count_by_year(frame: pd.DataFrame, year_column: pd.Series, category: pd.Series, top: int) -> pd.DataFrame:
    rows = [(y, c) for y, cs in zip(year_column, category, strict=True) for c in (cs if isinstance(cs, list) else [cs])]
    table = pd.DataFrame(rows, columns=["year", "category"]).dropna()
    counts = table.pivot_table(index="year", columns="category", aggfunc="size", fill_value=0, observed=True)
    if counts.empty:
        return counts
    order = counts.sum().sort_values(ascending=False).index
    counts = counts[order]
    if len(order) > top:
        counts = pd.concat([counts.iloc[:, : top - 1], counts.iloc[:, top - 1 :].sum(axis=1).rename("other")], axis=1)
    years = range(int(counts.index.min()), int(counts.index.max()) + 1)
    return counts.reindex(years, fill_value=0)


def _whole_number_axes(ax, x: bool = True) -> None:
    """Years and counts are whole numbers: never put a tick at 2021.5 or 2.5 events."""
    if x:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _stacked_bars(ax, counts: pd.DataFrame) -> None:
    bottom = np.zeros(len(counts))
    for i, column in enumerate(counts.columns):
        colour = MUTED if column in ("other", NONE_RECORDED) else colour_for(i)
        ax.bar(counts.index, counts[column], bottom=bottom, color=colour, width=0.8, label=display_name(str(column)))
        bottom += counts[column].to_numpy()
    if len(bottom) and bottom.max() > 0:
        ax.set_ylim(0, bottom.max() * 1.06)  # the tallest bar stops below the frame, never cut by it
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(axis="y")
    ax.grid(axis="x", visible=False)
    _whole_number_axes(ax)


def events_per_year(events: pd.DataFrame, stack_by: str = "tactics", top: int = 7) -> Chart:
    """Events per year as stacked bars, by tactic (default), kind or target region.

    When ``stack_by`` is a list column (tactics, target regions), an event with
    two values counts once in each, so a bar's height is the number of
    (event, value) pairs; the axis label and the alt text say so.
    """
    figure = new_figure(11, 5)
    FigureCanvasAgg(figure)
    column = events[stack_by].astype(object)
    is_list = bool(len(column)) and column.map(lambda v: isinstance(v, list)).all()
    category = column.map(lambda v: v if isinstance(v, list) and v else ([NONE_RECORDED] if isinstance(v, list) else v))
    counts = _count_by_year(events, events["year"], category, top)
    what = _(STACK_NAMES.get(stack_by, stack_by.rstrip("s").replace("_", " ")))
    with house_style():
        ax = figure.add_subplot()
        if not counts.empty:
            _stacked_bars(ax, counts)
        _finish(
            figure,
            ax,
            _("Events per year by %(what)s") % {"what": what},
            _("Year"),
            _("Events (an event counts once per %(what)s)") % {"what": what} if is_list else _("Events"),
            _credit(len(events)),
        )
    return Chart(figure, _events_per_year_alt(events, counts, what, is_list), {"counts": counts})


def _events_per_year_alt(events: pd.DataFrame, counts: pd.DataFrame, what: str, is_list: bool) -> str:
    """Alt text for :func:`events_per_year`: events, what a bar counts, the busiest year, the largest categories."""
    alt = _("Stacked bar chart of %(n)s events per year by %(what)s") % {"n": len(events), "what": what}
    if counts.empty:
        return alt + "."
    per_year = events["year"].value_counts()
    busiest = int(per_year.idxmax())
    alt += ", " + _("%(first)s to %(last)s") % {"first": counts.index.min(), "last": counts.index.max()} + "."
    if is_list:
        alt += " " + _(
            "An event counts once per %(what)s (an event with none counts once as none recorded), so the bars "
            "add up to %(pairs)s (event, %(what)s) pairs, not %(n)s events."
        ) % {"what": what, "pairs": int(counts.to_numpy().sum()), "n": len(events)}
    alt += " " + _("The busiest year is %(year)s with %(n)s events") % {"year": busiest, "n": int(per_year.max())}
    if is_list:
        alt += " " + _("(%(n)s pairs)") % {"n": int(counts.loc[busiest].sum())}
    return alt + ". " + _("Largest categories: %(largest)s.") % {"largest": _largest(counts.sum())}


def hacktivist_vs_state_share(events: pd.DataFrame) -> Chart:
    """Per era, the share of operations by self-described hacktivists versus state-linked personas."""
    operations = events[events["kind"].isin(["hacktivist_operation", "state_linked_operation"])]
    era_names = eras.era_names()
    table = pd.crosstab(operations["year"].map(eras.era_of), operations["kind"].astype(str)).reindex(
        index=era_names, columns=["hacktivist_operation", "state_linked_operation"], fill_value=0
    )
    shares = table.div(table.sum(axis=1).replace(0, np.nan), axis=0).fillna(0) * 100
    figure = new_figure(10, 4.8)
    FigureCanvasAgg(figure)
    with house_style():
        ax = figure.add_subplot()
        left = np.zeros(len(era_names))
        for i, kind in enumerate(shares.columns):
            ax.barh(era_names, shares[kind], left=left, color=OKABE_ITO[i], label=display_name(kind), height=0.6)
            for y, (share, n) in enumerate(zip(shares[kind], table[kind], strict=True)):
                if share >= 8:
                    ax.text(
                        left[y] + share / 2,
                        y,
                        f"{share:.0f}% ({n})",
                        ha="center",
                        va="center",
                        color="white" if i == 0 else INK,
                        fontsize=10,
                        fontweight="bold",
                    )
            left += shares[kind].to_numpy()
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MultipleLocator(20))
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.18), ncols=2)
        _finish(
            figure,
            ax,
            _("Hacktivists or state fronts? Operations by era"),
            _("Share of operations in the era (%)"),
            _("Era"),
            _credit(len(operations), "operations"),
        )
    parts = [
        _("%(era)s: %(share)s%% state-linked of %(n)s")
        % {"era": era, "share": f"{shares.loc[era, 'state_linked_operation']:.0f}", "n": int(table.loc[era].sum())}
        for era in era_names
    ]
    alt = (
        _(
            "Horizontal 100%% bars, one per era, showing the share of operations run by self-described "
            "hacktivists versus state-linked personas (%(n)s operations)."
        )
        % {"n": len(operations)}
        + " "
        + "; ".join(parts)
        + "."
    )
    return Chart(figure, alt, {"table": table, "shares": shares})


OUTCOME_TYPES = (
    "arrest",
    "charge",
    "plea",
    "conviction",
    "sentence",
    "extradition",
    "sanction",
    "official_attribution",
)


def outcomes_over_time(outcomes: pd.DataFrame, types: tuple[str, ...] = OUTCOME_TYPES) -> Chart:
    """Legal and political outcomes per year, stacked by type (arrests, charges, convictions, sentences ...)."""
    chosen = outcomes[outcomes["outcome_type"].isin(types)]
    years = chosen["date_earliest"].dt.year
    counts = _count_by_year(chosen, years, chosen["outcome_type"].astype(str), top=len(types))
    if not counts.empty:
        counts = counts[[t for t in types if t in counts.columns]]
    figure = new_figure(11, 5)
    FigureCanvasAgg(figure)
    with house_style():
        ax = figure.add_subplot()
        if not counts.empty:
            _stacked_bars(ax, counts)
        _finish(
            figure,
            ax,
            _("Consequences: arrests, charges, convictions and sanctions per year"),
            _("Year"),
            _("Outcomes"),
            _credit(len(chosen), "outcomes"),
        )
    totals = counts.sum() if not counts.empty else pd.Series(dtype=int)
    people = chosen["n_people"].sum()
    span = (
        ", " + _("%(first)s to %(last)s") % {"first": counts.index.min(), "last": counts.index.max()}
        if not counts.empty
        else ""
    )
    alt = (
        _("Stacked bar chart of %(n)s legal and political outcomes per year") % {"n": len(chosen)}
        + span
        + ", "
        + _("concerning at least %(people)s people where numbers were reported. Most common: %(largest)s.")
        % {"people": int(people), "largest": _largest(totals)}
    )
    return Chart(figure, alt, {"counts": counts})


def _horizontal_counts(series: pd.Series, title: str, ylabel: str, n_events: int, top: int = 12) -> Chart:
    counts = pd.Series(Counter(v for vs in series for v in vs)).sort_values(ascending=False).head(top)
    figure = new_figure(9, max(3.5, 0.42 * len(counts) + 1.6))
    FigureCanvasAgg(figure)
    with house_style():
        ax = figure.add_subplot()
        labels = [display_name(str(k)) for k in counts.index]
        ax.barh(labels, counts.to_numpy(), color=OKABE_ITO[0], height=0.65)
        for y, value in enumerate(counts.to_numpy()):
            ax.text(value, y, f" {value}", va="center", fontsize=10, color=INK)
        ax.invert_yaxis()
        ax.tick_params(axis="y", length=0)
        _finish(figure, ax, _(title), _("Events"), _(ylabel), _credit(n_events))
    alt = _(
        "Horizontal bar chart: %(title)s, counting %(n)s events (an event with several targets counts "
        "once for each). Largest: %(largest)s."
    ) % {"title": _(title).lower(), "n": n_events, "largest": _largest(counts, 4)}
    return Chart(figure, alt, {"counts": counts})


def targets_by_sector(events: pd.DataFrame) -> Chart:
    """How many events targeted each sector."""
    return _horizontal_counts(events["target_sectors"], N_("Targets by sector"), N_("Sector"), len(events))


def targets_by_region(events: pd.DataFrame) -> Chart:
    """How many events targeted each world region."""
    return _horizontal_counts(events["target_regions"], N_("Targets by region"), N_("Region"), len(events))


def actor_spans(
    actors: pd.DataFrame,
    relations: pd.DataFrame | None = None,
    until: int = 2025,
    all_actors: pd.DataFrame | None = None,
) -> Chart:
    """When each group or persona was active, coloured by state nexus, with its reported relations noted.

    Parameters
    ----------
    actors : pandas.DataFrame
        The actors to draw (all of ``data.actors``, or a subset).
    relations : pandas.DataFrame, optional
        ``data.actor_relations``; each actor's relations are written beside its bar.
    until : int
        Year an actor with no reported end is drawn to.
    all_actors : pandas.DataFrame, optional
        The full actors table, to name related actors that are not drawn (such as a state unit).
    """
    frame = actors[actors["active_from"].notna()].sort_values(["active_from", "name"]).reset_index(drop=True)
    nexus_order = list(frame["state_nexus"].cat.categories) if hasattr(frame["state_nexus"], "cat") else []
    lookup = all_actors if all_actors is not None else actors
    names = dict(zip(lookup["actor_id"], lookup["name"], strict=True))
    notes: dict[str, list[str]] = {}
    if relations is not None:
        for a, rel, b in zip(relations["actor_id"], relations["relation"], relations["related_actor_id"], strict=True):
            short = names.get(b, b).split(" (")[0]  # "GRU (Main Intelligence ...)" -> "GRU"
            notes.setdefault(a, []).append(f"{display_name(str(rel)).lower()} {short}")
    figure = new_figure(11, max(4, 0.42 * len(frame) + 1.8))
    FigureCanvasAgg(figure)
    with house_style():
        ax = figure.add_subplot()
        used = []
        for y, row in frame.iterrows():
            start = int(row["active_from"])
            end = int(row["active_to"]) if pd.notna(row["active_to"]) else until
            nexus = str(row["state_nexus"])
            colour = colour_for(nexus_order.index(nexus)) if nexus in nexus_order else MUTED
            ax.barh(
                y,
                end + 1 - start,
                left=start,
                color=colour,
                height=0.62,
                label=display_name(nexus) if nexus not in used else None,
            )
            used.append(nexus)
        # Each actor's reported relations sit under its name, so the time axis stays true to the years.
        labels = [
            name + ("\n" + textwrap.shorten("; ".join(notes[actor]), 60, placeholder="…") if actor in notes else "")
            for name, actor in zip(frame["name"], frame["actor_id"], strict=True)
        ]
        ax.set_yticks(range(len(frame)), labels, fontsize=9)
        ax.invert_yaxis()
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(frame["active_from"].min() - 1, until + 1)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        legend = {"loc": "upper left", "bbox_to_anchor": (1.0, 1.0), "fontsize": 9, "title_fontsize": 9}
        ax.legend(title=_("State nexus"), **legend)
        title = _("When groups and personas were active")
        _finish(figure, ax, title, _("Year"), _("Actor"), _credit(len(frame), "actors"))
    active_now = int(frame["active_to"].isna().sum())
    nexus_counts = frame["state_nexus"].astype(str).value_counts()
    alt = _(
        "Horizontal bars showing the active years of %(n)s groups and personas, from %(first)s; %(now)s have "
        "no reported end. By state nexus: %(largest)s. %(relations)s reported relations are written under the "
        "actors' names."
    ) % {
        "n": len(frame),
        "first": int(frame["active_from"].min()),
        "now": active_now,
        "largest": _largest(nexus_counts, 6),
        "relations": sum(len(v) for v in notes.values()),
    }
    return Chart(figure, alt, {"actors": len(frame), "relations": sum(len(v) for v in notes.values())})


LAG_COLUMNS = [
    "event_id",
    "title",
    "label",
    "outcome_type",
    "outcome_id",
    "lag_min_years",
    "lag_max_years",
    "lag_years",
]


def _years(delta: pd.Timedelta) -> float:
    return delta.days / 365.25


def attribution_lags(
    events: pd.DataFrame,
    outcomes: pd.DataFrame,
    types: tuple[str, ...] = ("official_attribution", "charge", "sanction"),
) -> pd.DataFrame:
    """For each operation, the time until its first official attribution, charge or sanction.

    Both dates may be known only to the month or year, so the lag is a window:
    ``lag_min_years`` runs from the latest day the event may have started to the
    earliest day of the outcome (never below zero), ``lag_max_years`` from the
    earliest start to the outcome's latest day. ``lag_years`` is the middle of
    the window. An event's first response is the one with the shortest lag.

    Returns
    -------
    pandas.DataFrame
        ``event_id, title, label, outcome_type, outcome_id, lag_min_years, lag_max_years, lag_years``,
        one row per operation, shortest lag first.
    """
    operations = events[events["kind"].isin(["hacktivist_operation", "state_linked_operation"])]
    by_id = operations.set_index("event_id")
    rows = []
    for _row, outcome in outcomes[outcomes["outcome_type"].isin(types)].iterrows():
        for event_id in outcome["event_ids"]:
            if event_id not in by_id.index:
                continue
            event = by_id.loc[event_id]
            low = max(_years(outcome["date_earliest"] - event["start_latest"]), 0.0)
            high = max(_years(outcome["date_latest"] - event["start_earliest"]), low)
            rows.append(
                [
                    event_id,
                    event["title"],
                    event["label"],  # written for figures (the schema requires it), never cut
                    str(outcome["outcome_type"]),
                    outcome["outcome_id"],
                    low,
                    high,
                    (low + high) / 2,
                ]
            )
    table = pd.DataFrame(rows, columns=LAG_COLUMNS)
    return table.sort_values(["lag_years", "outcome_id"]).drop_duplicates("event_id").reset_index(drop=True)


def attribution_lag(events: pd.DataFrame, outcomes: pd.DataFrame) -> Chart:
    """How long after each operation the first official attribution, charge or sanction came.

    Each operation's lag is drawn as a bar over the window its dates allow (from
    the shortest to the longest possible lag), with a dot at the window's middle.
    """
    lags = attribution_lags(events, outcomes)
    figure = new_figure(10, max(3.5, 0.34 * len(lags) + 1.8))
    FigureCanvasAgg(figure)
    types = list(dict.fromkeys(lags["outcome_type"]))
    with house_style():
        ax = figure.add_subplot()
        ax.hlines(lags.index, 0, lags["lag_min_years"], color="#BBBBBB", lw=1, zorder=2)
        for i, kind in enumerate(types):
            part = lags[lags["outcome_type"] == kind]
            ax.barh(
                part.index,
                part["lag_max_years"] - part["lag_min_years"],
                left=part["lag_min_years"],
                height=0.6,
                color=OKABE_ITO[i],
                alpha=0.5,
                zorder=3,
                label=display_name(kind),
            )
            ax.scatter(
                part["lag_years"], part.index, color=OKABE_ITO[i], s=16, edgecolors="white", linewidths=0.5, zorder=4
            )
        ax.set_yticks(lags.index, list(lags["label"]))
        ax.invert_yaxis()
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(left=0)
        if types:
            legend = {"loc": "upper left", "bbox_to_anchor": (1.0, 1.0), "fontsize": 9, "title_fontsize": 9}
            ax.legend(title=_("First response"), **legend)
        _finish(
            figure,
            ax,
            _("How long until an official response?"),
            _("Years to the first official attribution, charge or sanction (bar: what the dates allow)"),
            _("Operation"),
            _credit(len(lags), "operations with a response"),
        )
    return Chart(figure, _lag_alt(lags), {"lags": lags})


def _lag_alt(lags: pd.DataFrame) -> str:
    """Alt text for :func:`attribution_lag`: how many operations, what a bar means, the median and longest lag."""
    alt = _(
        "Range plot of %(n)s operations and the years until their first official attribution, charge or "
        "sanction. Dates known only to the month or year make each lag a window, drawn as a bar from the shortest "
        "to the longest lag the dates allow, with a dot at its middle"
    ) % {"n": len(lags)}
    if lags.empty:
        return alt + "."
    longest = lags.loc[lags["lag_years"].idxmax()]
    return (
        alt
        + ". "
        + _("The median lag is %(median)s years; the longest is %(low)s to %(high)s years (%(title)s).")
        % {
            "median": i18n.number(lags["lag_years"].median(), 1),
            "low": i18n.number(longest["lag_min_years"], 1),
            "high": i18n.number(longest["lag_max_years"], 1),
            "title": longest["title"],
        }
    )
