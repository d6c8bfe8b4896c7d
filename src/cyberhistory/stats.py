"""Figures that describe the dataset: coverage by era, kind, tactic and region, and sourcing quality."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from cyberhistory import eras
from cyberhistory.data import Dataset
from cyberhistory.i18n import N_
from cyberhistory.i18n import gettext as _
from cyberhistory.labels import display_name

#: Source types that count as reputable on their own (not an actor's claim or an encyclopedia).
QUALIFYING_SOURCE_TYPES = frozenset(
    {"court", "government", "intl_org", "news", "trade_press", "research", "academic", "ngo"}
)

#: Source types that are primary documents: records and statements of courts, governments,
#: international bodies, and the actors themselves (the last always recorded as claims).
PRIMARY_SOURCE_TYPES = frozenset({"court", "government", "intl_org", "actor_statement"})
#: The years every one of which should hold at least ``per year`` events.
COVERAGE_YEARS = range(2008, 2026)

#: Regions outside North America and Western Europe.
WIDER_WORLD = frozenset({"latin_america", "eastern_europe", "middle_east", "africa", "asia_pacific"})


@dataclass(frozen=True)
class Target:
    """One coverage target of the dataset: what is measured, its value, and the least it should be."""

    name: str
    value: float
    least: float
    share: bool = False

    @property
    def met(self) -> bool:
        return self.value >= self.least

    def __str__(self) -> str:
        shown = (lambda v: f"{v:.0%}") if self.share else (lambda v: f"{v:g}")
        verdict = _("met") if self.met else _("NOT MET")
        target = _("target at least %(least)s: %(verdict)s") % {"least": shown(self.least), "verdict": verdict}
        return f"{_(self.name)}: {shown(self.value)} ({target})"


@dataclass(frozen=True)
class Summary:
    """Counts that describe the dataset."""

    counts: dict[str, int]
    sourcing: dict[str, float]
    tables: dict[str, pd.Series]
    coverage: tuple[Target, ...] = ()


def coverage(data: Dataset) -> tuple[Target, ...]:
    """The coverage targets of the unit's dataset, measured."""
    events, sources = data.events, data.sources
    regions = _count_lists(events["target_regions"]).drop("global", errors="ignore")
    years = events["year"].value_counts().reindex(list(COVERAGE_YEARS), fill_value=0)
    titled = sources["title"].notna() & (sources["title"].astype(str).str.strip() != "")
    # A stored page that shows no headline has no title to carry; a page not found still counts as missing.
    shows_one = sources["title_checked"].astype(str) != "no_headline_shown"
    return (
        Target(N_("events"), len(events), 300),
        Target(N_("events targeting the least-covered world region"), int(regions.min()) if len(regions) else 0, 20),
        Target(N_("events in the thinnest year 2008-2025"), int(years.min()), 5),
        Target(N_("sources not in English"), float((sources["language"].astype(str) != "en").mean()), 0.20, share=True),
        Target(
            N_("primary documents among the sources"), int(sources["source_type"].isin(PRIMARY_SOURCE_TYPES).sum()), 30
        ),
        Target(N_("sources with the title their page shows"), float(titled[shows_one].mean()), 0.95, share=True),
    )


def _count_lists(series: pd.Series) -> pd.Series:
    counter = Counter(item for items in series for item in items)
    return pd.Series(dict(counter.most_common()), dtype="int64")


def summarise(data: Dataset) -> Summary:
    """Compute the dataset's figures.

    Returns
    -------
    Summary
        ``counts`` (events, sources, outcomes ...), ``sourcing`` (shares of
        events meeting each sourcing rule) and ``tables`` (counts by era,
        kind, tactic, region, source type and outcome type).
    """
    events, sources = data.events, data.sources
    cited = sources.explode("event_ids").dropna(subset=["event_ids"])
    publishers = cited.groupby("event_ids")["publisher"].nunique()
    qualifying = cited[cited["source_type"].isin(QUALIFYING_SOURCE_TYPES)].groupby("event_ids").size()
    n = len(events)
    ids = events["event_id"]
    wider = events["target_regions"].map(lambda r: bool(WIDER_WORLD.intersection(r)))
    counts = {
        N_("events"): n,
        N_("sources"): len(sources),
        N_("actors"): len(data.actors),
        N_("actor relations"): len(data.actor_relations),
        N_("outcomes"): len(data.outcomes),
        N_("named people"): len(data.named_people),
        N_("events targeting outside North America and Western Europe"): int(wider.sum()),
        N_("first year"): int(events["year"].min()) if n else 0,
        N_("last year"): int(events["year"].max()) if n else 0,
    }

    def share(mask: pd.Series) -> float:
        return float(mask.mean()) if n else 0.0

    sourcing = {
        N_("events with a source"): share(ids.isin(publishers.index)),
        N_("events with sources from two or more publishers"): share(ids.map(publishers).fillna(0) >= 2),
        N_("events with a court, government, news or research source"): share(ids.isin(qualifying.index)),
        N_("sources served over https"): float(sources["url"].str.startswith("https://").mean())
        if len(sources)
        else 0.0,
    }
    era_order = eras.era_names()
    tables = {
        N_("Events by era"): events["year"].map(eras.era_of).value_counts().reindex(era_order, fill_value=0),
        N_("Events by kind"): events["kind"].value_counts(),
        N_("Events by tactic"): _count_lists(events["tactics"]),
        N_("Events by target region"): _count_lists(events["target_regions"]),
        N_("Events by year"): events["year"].value_counts().sort_index(),
        N_("Sources by type"): sources["source_type"].value_counts(),
        N_("Sources by language"): sources["language"].value_counts(),
        N_("Outcomes by type"): data.outcomes["outcome_type"].value_counts(),
        N_("Actors by kind"): data.actors["actor_kind"].value_counts(),
    }
    tables = {name: table[table > 0] for name, table in tables.items()}
    return Summary(counts=counts, sourcing=sourcing, tables=tables, coverage=coverage(data))


def to_markdown(summary: Summary) -> str:
    """The summary as Markdown tables (used in the codebook)."""
    lines = ["| measure | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in summary.counts.items()]
    lines += [f"| {k} | {v:.0%} |" for k, v in summary.sourcing.items()]
    for title, table in summary.tables.items():
        lines += ["", f"**{title}**", "", "| | events |" if title.startswith("Events") else "| | count |", "|---|---|"]
        lines += [f"| {label} | {count} |" for label, count in table.items()]
    return "\n".join(lines)


def _row_name(label) -> str:
    """A table row's name for people: an era's name, a year, or a stored value's display name."""
    if not isinstance(label, str) or label.isdigit():
        return str(label)
    return label if label in eras.era_names() else display_name(label)


def to_text(summary: Summary) -> str:
    """The summary as plain text for the terminal."""
    width = max(len(_(k)) for k in [*summary.counts, *summary.sourcing])
    lines = [f"{_(k):<{width}}  {v}" for k, v in summary.counts.items()]
    lines += [f"{_(k):<{width}}  {v:.0%}" for k, v in summary.sourcing.items()]
    if summary.coverage:
        lines += ["", _("Coverage targets")] + [f"  {target}" for target in summary.coverage]
    for title, table in summary.tables.items():
        lines += ["", _(title)]
        lines += [f"  {_row_name(label):<40} {count:>4}" for label, count in table.items()]
    return "\n".join(lines)
