"""Load the validated dataset as pandas DataFrames, and join its tables.

Loading always validates: a notebook never sees data that breaks the schema
or the content policy. Notebooks call :func:`load` and never read a CSV by path.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from cyberhistory import dates, i18n
from cyberhistory.problems import DataError
from cyberhistory.schema import Table, load_schema
from cyberhistory.validate import split_list, validate

# Date columns that get an uncertainty window and a label.
_DATE_COLUMNS = {
    "events": (("start_date", "start"), ("end_date", "end")),
    "sources": (("published", "published"),),
    "outcomes": (("date", "date"),),
}


UNTITLED = i18n.N_("[untitled page]")


@dataclass(frozen=True)
class Dataset:
    """Every table of the dataset, validated and typed.

    Attributes
    ----------
    events, sources, actors, actor_relations, outcomes, named_people, not_people : pandas.DataFrame
        One frame per CSV file. List fields hold Python lists, categorical
        fields are ``category`` dtype with every allowed value as a category,
        whole numbers are ``Int64``. Each date gains ``<name>_earliest`` and
        ``<name>_latest`` (the window it may mean) and ``<name>_label``
        (printed with only the precision known: ``'Oct 2011'``).
    directory : pathlib.Path
        The folder the data was loaded from.
    events_es, event_notes_es, outcomes_es, actors_es, sources_es : pandas.DataFrame
        The Spanish edition's texts: event titles, labels and summaries; event notes; outcome summaries;
        how each actor describes itself; what each source supports and disputes.
    language : str
        The language of the event texts and date labels: ``"en"``, or ``"es"`` (see :func:`in_language`).
    """

    events: pd.DataFrame
    sources: pd.DataFrame
    actors: pd.DataFrame
    actor_relations: pd.DataFrame
    outcomes: pd.DataFrame
    named_people: pd.DataFrame
    not_people: pd.DataFrame
    events_es: pd.DataFrame
    event_notes_es: pd.DataFrame
    outcomes_es: pd.DataFrame
    actors_es: pd.DataFrame
    sources_es: pd.DataFrame
    directory: Path
    language: str = "en"


def _frame(table: Table, rows: list[dict[str, str]]) -> pd.DataFrame:
    columns = {}
    for fld in table.fields:
        values = [row[fld.name] for row in rows]
        if fld.is_list:
            columns[fld.name] = pd.Series([split_list(v) for v in values], dtype=object)
        elif fld.type == "integer":
            columns[fld.name] = pd.array([int(v) if v else pd.NA for v in values], dtype="Int64")
        elif fld.enum:
            columns[fld.name] = pd.Categorical([v or None for v in values], categories=list(fld.enum))
        else:
            columns[fld.name] = pd.array([v or pd.NA for v in values], dtype="string")
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))
    for column, stem in _DATE_COLUMNS.get(table.name, ()):
        parsed = [dates.parse(v) if v else None for v in frame[column].fillna("")]
        frame[f"{stem}_earliest"] = pd.to_datetime([p.earliest if p else None for p in parsed])
        frame[f"{stem}_latest"] = pd.to_datetime([p.latest if p else None for p in parsed])
    _label_dates(frame, table.name)
    return frame


def _label_dates(frame: pd.DataFrame, table: str) -> None:
    """Add each date's label in the current language (``'Oct 2011'``, ``'oct 2011'``)."""
    for column, stem in _DATE_COLUMNS.get(table, ()):
        labels = [dates.parse(v).label() if v else pd.NA for v in frame[column].fillna("")]
        frame[f"{stem}_label"] = pd.array(labels, dtype="string")
    if table == "events":
        frame["when"] = [
            start if pd.isna(end) else f"{start} – {end}"
            for start, end in zip(frame["start_label"], frame["end_label"], strict=True)
        ]


def load(directory: str | os.PathLike | None = None, language: str | None = None) -> Dataset:
    """Validate and load the dataset.

    Parameters
    ----------
    directory : path-like, optional
        A data folder; the project's ``data/`` by default.
    language : str, optional
        ``"es"`` for the Spanish edition: event titles, labels and summaries in Spanish where
        translated, dates written the Spanish way, and every table, chart and check the library
        draws from then on in Spanish (:func:`cyberhistory.i18n.activate`). By default the language
        already chosen, English unless a notebook chose another.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        When validation finds any problem; its message lists them all as
        ``file:line: column: message``.

    Examples
    --------
    >>> data = load()
    >>> data.events.loc[0, "start_label"]  # doctest: +SKIP
    'Oct 2011'
    """
    checked = validate(directory)
    if not checked.ok:
        raise DataError(checked.problems)
    prepared = _PREPARED.pop(checked.directory.resolve(), None)  # once: this process then owns its frames
    if prepared is not None and prepared[0] is checked.tables:
        data = replace(prepared[1], directory=checked.directory)
    else:
        data = _dataset(checked)
    if language is not None:
        i18n.activate(language)
    return in_language(data, i18n.current()) if i18n.current() != "en" else data


#: Datasets built ahead by :func:`prepare`, by folder, with the validated tables they were built from.
_PREPARED: dict[Path, tuple[object, Dataset]] = {}


def prepare(directory: str | os.PathLike | None = None) -> None:
    """Build the dataset of a valid folder now, for the next :func:`load` of that folder in this process
    or in any process forked from it.

    The build's warm kernel server calls this once after :func:`cyberhistory.validate.remember`, so a
    lesson's ``load()`` finds its tables already built. Each process uses the prepared dataset at most
    once, so no two ``load()`` results ever share a list or a frame; and only while the folder's
    validation is the remembered one, so a changed file is loaded afresh.
    """
    checked = validate(directory)
    if checked.ok:
        with i18n.using("en"):  # as load() builds it in an English kernel; other languages relabel a copy
            _PREPARED[checked.directory.resolve()] = (checked.tables, _dataset(checked))


def _dataset(checked) -> Dataset:
    """The English dataset from a folder's validated rows."""
    schema = load_schema(checked.directory)
    frames = {t.name: _frame(t, [row for _, row in checked.tables[t.name].rows]) for t in schema.tables}
    events = frames["events"]
    events["year"] = events["start_earliest"].dt.year.astype("Int64")
    events["text_language"] = events["notes_language"] = "en"
    frames["outcomes"]["text_language"] = frames["actors"]["text_language"] = "en"
    frames["sources"]["title_shown"] = frames["sources"]["title"].fillna(UNTITLED)
    frames["sources"]["notes_language"] = "en"
    frames["events"] = events.sort_values(["start_earliest", "event_id"]).reset_index(drop=True)
    return Dataset(directory=checked.directory, **frames)


def in_language(data: Dataset, language: str) -> Dataset:
    """The dataset as the edition in ``language`` shows it, without loading or validating it again.

    Event titles, labels, summaries and notes, outcome summaries, actors' self-descriptions and what
    each source supports and disputes come from the translation tables (``events_es``,
    ``event_notes_es``, ``outcomes_es``, ``actors_es``, ``sources_es``) where they have the row, and stay
    English otherwise (``text_language`` and, for event notes, ``notes_language`` say which, so a page
    can mark them); date labels are written in ``language``; an untitled source says so in it.
    """
    with i18n.using(language):
        events, sources, outcomes, actors = (
            data.events.copy(),
            data.sources.copy(),
            data.outcomes.copy(),
            data.actors.copy(),
        )
        for frame, table in ((events, "events"), (sources, "sources"), (outcomes, "outcomes")):
            _label_dates(frame, table)
        # A source whose stored copy showed no title is cited by publisher and URL; pages say so plainly.
        sources["title_shown"] = sources["title"].fillna(i18n.gettext(UNTITLED))
    if language != "en":
        _translate(events, getattr(data, f"events_{language}", None), "event_id", "text_language", language)
        _translate(events, getattr(data, f"event_notes_{language}", None), "event_id", "notes_language", language)
        _translate(outcomes, getattr(data, f"outcomes_{language}", None), "outcome_id", "text_language", language)
        _translate(actors, getattr(data, f"actors_{language}", None), "actor_id", "text_language", language)
        _translate(sources, getattr(data, f"sources_{language}", None), "source_id", "notes_language", language)
    return replace(data, events=events, sources=sources, outcomes=outcomes, actors=actors, language=language)


def _translate(frame: pd.DataFrame, texts: pd.DataFrame | None, key: str, marker: str, language: str) -> None:
    """Replace ``frame``'s texts with those of the translation table ``texts``; ``marker`` says whose are whose."""
    frame[marker] = "en"
    if texts is None or not len(texts):
        return
    texts = texts.set_index(key).drop(columns="english_hash")
    found = frame[key].isin(texts.index)
    for column in texts.columns:
        translated = frame.loc[found, key].map(texts[column])
        frame.loc[found, column] = translated.where(translated.notna(), frame.loc[found, column])
    frame.loc[found, marker] = language


def _explode_ids(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    exploded = frame.explode(column)
    return exploded[exploded[column].notna()]


def _ids(event_ids: Iterable[str] | pd.DataFrame | pd.Series | str) -> list[str]:
    if isinstance(event_ids, str):
        return [event_ids]
    if isinstance(event_ids, pd.DataFrame):
        return list(event_ids["event_id"])
    return list(event_ids)


def sources_for(data: Dataset, events: Iterable[str] | pd.DataFrame | str) -> pd.DataFrame:
    """The sources cited for some events, one row per (event, source).

    Parameters
    ----------
    data : Dataset
    events : event ids, an events frame, or one event id

    Returns
    -------
    pandas.DataFrame
        Columns ``event_id`` plus every column of ``sources``, ordered by event
        date, then publication date.
    """
    wanted = _ids(events)
    exploded = _explode_ids(data.sources, "event_ids").rename(columns={"event_ids": "event_id"})
    cited = exploded[exploded["event_id"].isin(wanted)]
    order = {event_id: i for i, event_id in enumerate(data.events["event_id"])}
    cited = cited.assign(_order=cited["event_id"].map(order))
    return (
        cited.sort_values(["_order", "published_earliest", "source_id"]).drop(columns="_order").reset_index(drop=True)
    )


def figure_sources(data: Dataset, events: pd.DataFrame) -> pd.DataFrame:
    """The sources behind the events a figure shows: one row per source, with the events it supports.

    Returns
    -------
    pandas.DataFrame
        ``source_id, publisher, title, published_label, url, source_type, events``.
    """
    cited = sources_for(data, events)
    grouped = cited.groupby("source_id", sort=False).agg(
        publisher=("publisher", "first"),
        title=("title", "first"),
        published_label=("published_label", "first"),
        url=("url", "first"),
        source_type=("source_type", "first"),
        events=("event_id", lambda ids: ", ".join(ids)),
    )
    return grouped.reset_index()


def outcomes_for(data: Dataset, events: Iterable[str] | pd.DataFrame | str) -> pd.DataFrame:
    """The outcomes (arrests, charges, sentences ...) that follow from some events, by date."""
    wanted = set(_ids(events))
    mask = data.outcomes["event_ids"].map(lambda ids: bool(wanted.intersection(ids)))
    return data.outcomes[mask].sort_values(["date_earliest", "outcome_id"]).reset_index(drop=True)


def actors_for(data: Dataset, events: Iterable[str] | pd.DataFrame | str) -> pd.DataFrame:
    """The actors involved in some events."""
    wanted = set(_ids(events))
    involved = {a for ids in data.events.loc[data.events["event_id"].isin(wanted), "actors"] for a in ids}
    return data.actors[data.actors["actor_id"].isin(involved)].reset_index(drop=True)


def actor_names(data: Dataset, actor_ids: Iterable[str]) -> list[str]:
    """Display names for actor ids, in the order given."""
    names = dict(zip(data.actors["actor_id"], data.actors["name"], strict=True))
    return [names.get(a, a) for a in actor_ids]


def events_with_actor_names(data: Dataset) -> pd.DataFrame:
    """The events with an ``actor_names`` column (a readable string) added."""
    events = data.events.copy()
    events["actor_names"] = [", ".join(actor_names(data, ids)) for ids in events["actors"]]
    return events
