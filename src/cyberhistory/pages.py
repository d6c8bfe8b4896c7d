"""The HTML around the content: page shell, course outline, data page, sources page.

Every string that comes from the data is HTML-escaped here; pages link to one
shared stylesheet and load nothing from outside the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import pandas as pd

from cyberhistory.data import Dataset, actor_names
from cyberhistory.timeline import lane_label


@dataclass(frozen=True)
class NavItem:
    """One page in the site's navigation."""

    href: str
    title: str


def page(
    *,
    title: str,
    body: str,
    edition: str,
    nav: list[NavItem],
    current: str,
    toc: list | None = None,
    previous: NavItem | None = None,
    following: NavItem | None = None,
    description: str = "",
    root: str = "",
) -> str:
    """A complete HTML page in the site's shell; ``root`` prefixes the stylesheet and home links."""
    nav_html = "".join(
        f'<li><a href="{n.href}"{" aria-current=page" if n.href == current else ""}>{escape(n.title)}</a></li>'
        for n in nav
    )
    toc_html = ""
    if toc:
        items = "".join(f'<li class="level-{lvl}"><a href="#{slug}">{escape(text)}</a></li>' for lvl, slug, text in toc)
        toc_html = f'<aside class="toc" aria-label="On this page"><h2>On this page</h2><ul>{items}</ul></aside>'
    pager = ""
    if previous or following:
        prev_html = (
            f'<a href="{previous.href}" rel="prev">← {escape(previous.title)}</a>' if previous else "<span></span>"
        )
        next_html = (
            f'<a href="{following.href}" rel="next">{escape(following.title)} →</a>' if following else "<span></span>"
        )
        pager = f'<nav class="pager" aria-label="Previous and next page">{prev_html}{next_html}</nav>'
    other = "instructor" if edition == "student" else "student"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · Hacktivism: a history in data</title>
<meta name="description" content="{escape(description or title)}">
<link rel="stylesheet" href="{root}assets/style.css">
</head>
<body>
<a class="skip-link" href="#content">Skip to content</a>
<header class="site"><div class="bar">
<a class="brand" href="{root}index.html">Hacktivism: a history in data</a>
<span class="edition">{edition.capitalize()} edition</span>
<nav class="main" aria-label="Course pages"><ul>{nav_html}</ul></nav>
</div></header>
<div class="layout{"" if toc_html else " wide"}">
<main id="content" tabindex="-1">
{body}
{pager}
</main>
{toc_html}
</div>
<footer class="site"><p>Data and text: CC BY 4.0; code: MIT. Built from the cyberhistory notebooks and dataset.
This is the {edition} edition; the {other} edition is built alongside it.</p></footer>
</body>
</html>
"""


def outline(entries: list[dict], edition: str, summary: dict[str, int]) -> str:
    """The index page body: what the unit is, how to use it, and the course outline."""
    items = []
    for entry in entries:
        objectives = "".join(f"<li>{escape(o)}</li>" for o in entry["objectives"][:4])
        meta = f'<p class="meta">Estimated time: {escape(entry["minutes"])}</p>' if entry.get("minutes") else ""
        goals = f"<p>You will be able to:</p><ul>{objectives}</ul>" if objectives else ""
        items.append(f'<li><h3><a href="{entry["href"]}">{escape(entry["title"])}</a></h3>{meta}{goals}</li>')
    solutions = (
        "<p>This <strong>instructor edition</strong> includes the worked solutions (marked in green) and the "
        "instructor guide. Give students the student edition.</p>"
        if edition == "instructor"
        else "<p>This is the <strong>student edition</strong>: exercises are here, their solutions are not.</p>"
    )
    return f"""<h1>Hacktivism: a history in data</h1>
<p>A teaching unit on publicly reported hacktivism, from the 1989 WANK worm through Anonymous, LulzSec and
Operation Cartel to the state-run "hacktivist" personas of the 2020s. It is built on a cited dataset of
{summary["events"]} events, {summary["outcomes"]} legal and political outcomes, {summary["actors"]} groups and personas,
and {summary["sources"]} sources.</p>
{solutions}
<h2 id="how-to-use">How to use this unit</h2>
<ul>
<li>Read the pages in order, or pick a case study. Each page lists its learning objectives and an estimated time.</li>
<li>Every event shown links to its entry on the <a href="data.html">data page</a>, with its sources.</li>
<li>The same material runs as Jupyter notebooks: see the project README to open them in JupyterLab.</li>
<li>These pages work offline: open <code>index.html</code> from a folder or upload the folder to any web host.</li>
</ul>
<h2 id="ground-rules">Ground rules</h2>
<p>This unit records history from public reporting. It never gives operational detail and never exposes
anyone: private people are not named, and leaked material is never reproduced. Claims by groups are
marked as claims.</p>
<h2 id="outline">Course outline</h2>
<ol class="outline">{"".join(items)}</ol>
"""


def _list(values: list[str], labeller=lane_label) -> str:
    return escape(", ".join(labeller(v) for v in values)) if values else "—"


#: Largest body, in bytes, of one page of event entries or sources (pages stay light on slow links).
PAGE_BUDGET = 60_000


def paginate(items: list[tuple[str, str]], budget: int = PAGE_BUDGET) -> list[list[tuple[str, str]]]:
    """Split ``(key, html)`` items, in order, into pages whose HTML stays under ``budget`` bytes."""
    pages_: list[list[tuple[str, str]]] = [[]]
    size = 0
    for key, html in items:
        length = len(html.encode())
        if pages_[-1] and size + length > budget:
            pages_.append([])
            size = 0
        pages_[-1].append((key, html))
        size += length
    return pages_


def event_entry(data: Dataset, e: pd.Series, sources: pd.DataFrame, outcomes: pd.DataFrame) -> str:
    """One event in full, with its outcomes and sources; every data string escaped."""
    links = "".join(
        f'<li><a href="{escape(s["url"])}">{escape(s["title_shown"])}</a>, {escape(s["publisher"])}'
        f"{', ' + escape(s['published_label']) if pd.notna(s['published_label']) else ''}"
        f' <span class="small">({escape(str(s["source_type"]).replace("_", " "))})</span></li>'
        for _, s in sources.iterrows()
    )
    outcome_html = "".join(
        f"<li>{escape(o['date_label'])}: {escape(lane_label(str(o['outcome_type'])))}, {escape(o['summary'])}</li>"
        for _, o in outcomes.iterrows()
    )
    rows = [
        ("Kind", escape(lane_label(str(e["kind"])))),
        ("Actors", escape(", ".join(actor_names(data, e["actors"])) or "—")),
        (
            "Claim",
            escape(f"{lane_label(str(e['claim_status']))}; verification: {lane_label(str(e['claim_verification']))}"),
        ),
        (
            "Attributed by",
            _list(e["attributed_by"]) + escape(f" (confidence: {str(e['attribution_confidence']).replace('_', ' ')})"),
        ),
        ("State nexus", escape(lane_label(str(e["state_nexus"])))),
        ("Tactics", _list(e["tactics"])),
        ("Targets", escape("; ".join(e["target_orgs"]) or "—")),
        ("Countries", escape(", ".join(e["target_countries"]) or "—")),
    ]
    if pd.notna(e["uncertainty_note"]):
        rows.append(("Not known", escape(e["uncertainty_note"])))
    if pd.notna(e["date_note"]):
        rows.append(("Date note", escape(e["date_note"])))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<article class="event" id="event-{escape(e["event_id"])}">'
        f'<p class="when">{escape(e["when"])} <span class="small">(known to the {escape(str(e["start_precision"]))})</span></p>'
        f"<h2>{escape(e['title'])}</h2><p>{escape(e['summary'])}</p><dl>{dl}</dl>"
        + (f"<p><strong>Outcomes</strong></p><ul>{outcome_html}</ul>" if outcome_html else "")
        + f'<p><strong>Sources</strong></p><ul class="sources">{links}</ul></article>'
    )


def event_pages(data: Dataset) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """Every event in full, split into light pages.

    Returns
    -------
    pages : list of (file name, heading, body)
    page_of : dict mapping event id to its page's file name
    """
    sources = data.sources.explode("event_ids")
    by_event = {k: g for k, g in sources.groupby("event_ids")}
    outcomes = data.outcomes.explode("event_ids")
    outcomes_by_event = {k: g for k, g in outcomes.groupby("event_ids")}
    empty_sources, empty_outcomes = data.sources.iloc[0:0], data.outcomes.iloc[0:0]
    items = [
        (
            e["event_id"],
            event_entry(
                data,
                e,
                by_event.get(e["event_id"], empty_sources),
                outcomes_by_event.get(e["event_id"], empty_outcomes),
            ),
        )
        for _, e in data.events.iterrows()
    ]
    whens = dict(zip(data.events["event_id"], data.events["start_label"], strict=True))
    result, page_of = [], {}
    chunks = paginate(items)
    for i, chunk in enumerate(chunks, start=1):
        name = f"events-{i}.html"
        heading = f"Events {i} of {len(chunks)}: {whens[chunk[0][0]]} to {whens[chunk[-1][0]]}"
        pager = _page_links("events", len(chunks), i)
        body = f"<h1>{escape(heading)}</h1>{pager}" + "".join(html for _, html in chunk) + pager
        result.append((name, heading, body))
        page_of.update({key: name for key, _ in chunk})
    return result, page_of


def _page_links(stem: str, count: int, current: int) -> str:
    links = "".join(
        f'<li><a href="{stem}-{i}.html"{" aria-current=page" if i == current else ""}>Page {i}</a></li>'
        for i in range(1, count + 1)
    )
    return f'<nav aria-label="Pages"><ul class="pages-nav">{links}</ul></nav>'


def data_page(data: Dataset, downloads: list[tuple[str, str]], page_of: dict[str, str]) -> str:
    """The data page: downloads, a filter, and one row per event linking to its full entry."""
    kinds = [str(k) for k in data.events["kind"].cat.categories if (data.events["kind"] == k).any()]
    counts = data.sources.explode("event_ids")["event_ids"].value_counts()
    rows = "".join(
        f'<tr id="event-{escape(e["event_id"])}" data-kind="{escape(str(e["kind"]))}"><td>{escape(e["when"])}</td>'
        f'<td><a href="{page_of[e["event_id"]]}#event-{escape(e["event_id"])}">{escape(e["title"])}</a></td>'
        f"<td>{escape(lane_label(str(e['kind'])))}</td><td>{int(counts.get(e['event_id'], 0))}</td></tr>"
        for _, e in data.events.iterrows()
    )
    options = "".join(f'<option value="{k}">{escape(lane_label(k))}</option>' for k in kinds)
    download_list = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in downloads)
    return f"""<h1>The data: every event and its sources</h1>
<p>{len(data.events)} events, {len(data.sources)} sources and {len(data.outcomes)} outcomes. Dates show only
the precision the sources support: "Oct 2011" means some time in October 2011. Each event has a stable
address (<code>data.html#event-…</code>); its title leads to the full entry with its sources.</p>
<h2 id="downloads">Downloads</h2>
<ul class="downloads">{download_list}</ul>
<h2 id="events">Events</h2>
<form class="filter" id="filter" hidden role="search" aria-label="Filter events" onsubmit="return false">
<label for="filter-text">Search titles<input id="filter-text" type="search"></label>
<label for="filter-kind">Kind<select id="filter-kind"><option value="">All kinds</option>{options}</select></label>
<p class="small" id="filter-count" aria-live="polite"></p>
</form>
<table class="event-index"><caption class="small">Events in date order</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Event</th><th scope="col">Kind</th><th scope="col">Sources</th></tr></thead>
<tbody id="events">{rows}</tbody></table>
<script>
(function () {{
  var form = document.getElementById("filter"), text = document.getElementById("filter-text"),
      kind = document.getElementById("filter-kind"), count = document.getElementById("filter-count"),
      rows = document.querySelectorAll("#events tr");
  form.hidden = false;
  function update() {{
    var q = text.value.toLowerCase(), k = kind.value, shown = 0;
    rows.forEach(function (r) {{
      var ok = (!k || r.dataset.kind === k) && (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok; if (ok) shown++;
    }});
    count.textContent = shown + " of " + rows.length + " events shown";
  }}
  text.addEventListener("input", update); kind.addEventListener("change", update); update();
}})();
</script>
"""


def source_pages(data: Dataset, page_of: dict[str, str]) -> list[tuple[str, str, str]]:
    """The bibliography, by publisher, split into light pages: (file name, heading, body)."""
    titles = dict(zip(data.events["event_id"], data.events["title"], strict=True))
    ordered = data.sources.assign(_key=data.sources["publisher"].str.lower()).sort_values(
        ["_key", "published_earliest", "source_id"]
    )
    items = []
    for _, s in ordered.iterrows():
        cited = ", ".join(
            f'<a href="{page_of[i]}#event-{escape(i)}">{escape(titles[i])}</a>' for i in s["event_ids"] if i in titles
        )
        date = f", {escape(s['published_label'])}" if pd.notna(s["published_label"]) else ""
        items.append(
            (
                s["source_id"],
                f'<li id="source-{escape(s["source_id"])}">{escape(s["publisher"])}{date}. '
                f'<a href="{escape(s["url"])}">{escape(s["title_shown"])}</a>. '
                f'<span class="small">{escape(str(s["source_type"]).replace("_", " "))}; cited for: {cited or "—"}</span></li>',
            )
        )
    chunks = paginate(items)
    result = []
    for i, chunk in enumerate(chunks, start=1):
        first, last = chunk[0][1].split(">", 1)[1][:1].upper(), chunk[-1][1].split(">", 1)[1][:1].upper()
        heading = f"Sources {i} of {len(chunks)}: publishers {first} to {last}"
        intro = (
            f"<p>Every source the dataset cites ({len(data.sources)}), by publisher. Each was read for this "
            "project; an actor's own statement is listed as such and used only as evidence of a claim.</p>"
        )
        pager = _page_links("sources", len(chunks), i)
        body = (
            f'<h1>{escape(heading)}</h1>{intro}{pager}<ul class="bibliography">'
            + "".join(html for _, html in chunk)
            + f"</ul>{pager}"
        )
        result.append((f"sources-{i}.html", heading, body))
    return result
