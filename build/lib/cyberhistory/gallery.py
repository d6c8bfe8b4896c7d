"""Render every figure the library draws, from the real data, to ``_build/gallery/`` for review."""

from __future__ import annotations

from pathlib import Path

from cyberhistory import charts
from cyberhistory.data import load
from cyberhistory.filters import between, by_campaign
from cyberhistory.timeline import plot_timeline


def figures(data) -> dict[str, object]:
    """Every figure in the library, drawn from ``data``, by file stem."""
    events = data.events
    return {
        "timeline-kind": plot_timeline(events, lanes="kind"),
        "timeline-tactic": plot_timeline(events, lanes="tactic"),
        "timeline-region": plot_timeline(events, lanes="region"),
        "timeline-actor-kind": plot_timeline(events, lanes="actor_kind", actors=data.actors),
        "timeline-2011": plot_timeline(between(events, 2011, 2011), lanes="campaign"),
        "timeline-operation-cartel": plot_timeline(
            by_campaign(events, "operation-cartel"),
            lanes="kind",
            label=list(by_campaign(events, "operation-cartel")["event_id"]),
        ),
        "events-per-year": charts.events_per_year(events),
        "hacktivist-vs-state": charts.hacktivist_vs_state_share(events),
        "outcomes-over-time": charts.outcomes_over_time(data.outcomes),
        "targets-by-sector": charts.targets_by_sector(events),
        "targets-by-region": charts.targets_by_region(events),
        "actor-spans": charts.actor_spans(data.actors, data.actor_relations),
        "attribution-lag": charts.attribution_lag(events, data.outcomes),
    }


def main(args) -> int:
    """Entry point for ``python -m cyberhistory gallery``."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = load()
    lines = ["# Figure gallery", ""]
    for stem, chart in figures(data).items():
        chart.save(out / f"{stem}.png")
        chart.save(out / f"{stem}.svg")
        lines += [f"## {stem}", "", f"![{chart.alt_text}]({stem}.png)", "", chart.alt_text, ""]
        print(f"{out / stem}.png")
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")
    return 0
