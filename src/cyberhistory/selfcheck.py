"""Self-checks a student can do in the browser, without code: put events in order, sort them by a category,
put an event's reports in the order they were published.

Each function builds the question and its answers from the data when the notebook runs, so a
correction to the data never leaves a self-check wrong. The result shows as a form: in JupyterLab
it is a question on the page; on the site, ``assets/selfcheck.js`` checks the answers, marks each
one right or not yet with the reason, and announces the result to screen readers. Without
scripts the questions stay readable and the page says how to check them by hand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from cyberhistory.data import UNTITLED, Dataset, sources_for
from cyberhistory.display import HTML, PRECISION
from cyberhistory.i18n import gettext as _
from cyberhistory.labels import display_name
from cyberhistory.links import DATA_PAGE, event_link
from cyberhistory.schema import load_schema
from cyberhistory.templating import render


def _events(data: Dataset, event_ids: Iterable[str]):
    ids = list(event_ids)
    missing = sorted(set(ids) - set(data.events["event_id"]))
    if missing:
        raise ValueError(f"no such event: {', '.join(missing)}")
    if len(ids) < 2:
        raise ValueError("a self-check needs at least two events")
    return data.events.set_index("event_id").loc[ids].reset_index()


def _shuffled(items: list[dict], seed: str) -> list[dict]:
    """A fixed order that is not the answer: the same on every build, different for every check."""
    ordered = sorted(items, key=lambda item: hashlib.sha256((seed + item["id"]).encode()).hexdigest())
    if len(ordered) > 2 and [i["answer"] for i in ordered] == sorted(i["answer"] for i in ordered):
        ordered = ordered[1:] + ordered[:1]
    return ordered


def _check(kind: str, check_id: str, question: str, items: list[dict], options: list[dict]) -> HTML:
    items = _shuffled(items, check_id)
    html = render("selfcheck.html", kind=kind, id=check_id, question=question, items=items, options=options)
    lines = [question] + [f"  - {item['text']}" for item in items]
    return HTML(html, "\n".join(lines))


def order_events(data: Dataset, event_ids: Iterable[str], check_id: str, question: str | None = None) -> HTML:
    """Ask for the events in date order (earliest first); the reason shown after checking is each date."""
    events = _events(data, event_ids).sort_values(["start_earliest", "event_id"])
    link = event_link() or DATA_PAGE
    items = [
        {
            "id": e["event_id"],
            "text": e["title"],
            "answer": str(rank),
            "reason": f"{e['when']} ({_(PRECISION[str(e['start_precision'])])})",
            "href": link.format(event_id=e["event_id"]),
        }
        for rank, (_i, e) in enumerate(events.iterrows(), start=1)
    ]
    options = [{"value": str(n), "label": str(n)} for n in range(1, len(items) + 1)]
    return _check(
        "order", check_id, question or _("Put these events in order, earliest first (1 = earliest)."), items, options
    )


def sort_events(
    data: Dataset, event_ids: Iterable[str], column: str, check_id: str, question: str | None = None
) -> HTML:
    """Ask which category of ``column`` (for example ``claim_verification``) each event has.

    The options are every value the codebook allows for the column, and the reason shown after
    checking is the codebook's definition of the right one.
    """
    field = load_schema(data.directory).table("events").field(column)
    if not field.enum or field.is_list:
        raise ValueError(f"{column} is not a column with one category per event")
    link = event_link() or DATA_PAGE
    items = [
        {
            "id": e["event_id"],
            "text": e["title"],
            "answer": str(e[column]),
            "reason": f"{display_name(str(e[column]))}: {_(field.labels.get(str(e[column]), ''))}".rstrip(": "),
            "href": link.format(event_id=e["event_id"]),
        }
        for _i, e in _events(data, event_ids).iterrows()
    ]
    options = [{"value": v, "label": display_name(v)} for v in field.enum]
    default = _("For each event, choose what the data records as its %(column)s.") % {
        "column": _first_lower(display_name(column))
    }
    return _check("sort", check_id, question or default, items, options)


def order_sources(data: Dataset, event_id: str, check_id: str, question: str | None = None) -> HTML:
    """Ask for an event's dated reports in publication order (1 = first): which report could date the news?

    Only reports with a publication date take part, one per date (two reports of one day have no order);
    the reason shown after checking is each report's date.
    """
    cited = sources_for(data, event_id).dropna(subset=["published_earliest"])
    cited = cited.sort_values(["published_earliest", "source_id"]).drop_duplicates("published_earliest")
    if len(cited) < 2:
        raise ValueError(f"{event_id} has fewer than two reports with different publication dates")
    items = [
        {
            "id": s["source_id"],
            "text": f"{s['publisher']}: {s['title'] if isinstance(s['title'], str) and s['title'] else _(UNTITLED)}",
            "answer": str(rank),
            "reason": _("published %(date)s") % {"date": s["published_label"]},
            "href": f"{DATA_PAGE.split('#')[0]}#source-{s['source_id']}",
        }
        for rank, (_i, s) in enumerate(cited.iterrows(), start=1)
    ]
    options = [{"value": str(n), "label": str(n)} for n in range(1, len(items) + 1)]
    default = _("Put these reports in the order they were published (1 = the first to report it).")
    return _check("order", check_id, question or default, items, options)


def _first_lower(name: str) -> str:
    """A display name inside a sentence: its first letter in lower case, the rest as written ("un Estado")."""
    return name[:1].lower() + name[1:]
