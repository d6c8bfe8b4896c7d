"""Tests for cyberhistory.translations: a Spanish text knows which English it translates, and says when that changed."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, write_dataset

from cyberhistory import translations
from cyberhistory.translations import cell_hash, english_hash


def _with_translation(tmp_path, minimal_rows, **overrides):
    event = minimal_rows["events"][0]
    row = {
        "event_id": event["event_id"],
        "title": "El grupo publica una amenaza en video",
        "label": "Amenaza en video",
        "summary": "Un grupo publicó un video con una amenaza; nadie confirmó quién lo hizo.",
        "english_hash": english_hash(event["title"], event["label"], event["summary"]),
    }
    minimal_rows["events_es"] = [row | overrides]
    return write_dataset(tmp_path / "data", minimal_rows)


def test_a_current_translation_is_counted_and_nothing_is_stale(tmp_path, minimal_rows):
    report = translations.check(_with_translation(tmp_path, minimal_rows))
    assert (report.events_translated, report.events, report.stale) == (1, len(minimal_rows["events"]), [])
    assert [m for m in report.missing if minimal_rows["events"][0]["event_id"] in m] == []


def test_a_changed_english_summary_makes_the_row_stale_with_its_line_and_id(tmp_path, minimal_rows):
    folder = _with_translation(tmp_path, minimal_rows)
    minimal_rows["events"][0]["summary"] += " A correction."
    write_dataset(folder, minimal_rows)
    event_id = minimal_rows["events"][0]["event_id"]
    assert translations.check(folder).stale == [
        f"data/events_es.csv:2: {event_id}: the English title, label or summary changed"
    ]


def test_the_validator_applies_the_content_policy_and_keys_to_spanish_text(tmp_path, minimal_rows):
    from cyberhistory.validate import validate

    folder = _with_translation(tmp_path, minimal_rows, summary="Escriban a juan.perez@example.org para unirse.")
    messages = [str(p) for p in validate(folder).problems]
    assert any("events_es.csv:2: summary" in m and "e-mail" in m for m in messages), messages
    folder = _with_translation(tmp_path, minimal_rows, event_id="2011-no-such-event")
    assert any("events_es.csv:2: event_id" in str(p) for p in validate(folder).problems)


def _lesson(folder, source="Hello, class."):
    nb = {"cells": [{"cell_type": "markdown", "id": "intro", "metadata": {}, "source": source}], "metadata": {}}
    (folder / "01-intro.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return nb


def test_a_spanish_cell_goes_stale_when_its_english_cell_changes_and_current_after_retranslation(tmp_path):
    folder = tmp_path / "notebooks"
    (folder / "es").mkdir(parents=True)
    english = _lesson(folder)
    spanish = json.loads(json.dumps(english))
    spanish["cells"][0]["source"] = "Hola, grupo."
    spanish["cells"][0]["metadata"]["translation"] = {"english_hash": cell_hash(english["cells"][0])}
    (folder / "es" / "01-intro.ipynb").write_text(json.dumps(spanish), encoding="utf-8")
    assert translations.check(None, folder).stale == []
    changed = _lesson(folder, "Hello, class. Read Document A.")
    assert translations.check(None, folder).stale == [
        "notebooks/es/01-intro.ipynb: cell intro: the English cell changed since it was translated"
    ]
    spanish["cells"][0]["metadata"]["translation"]["english_hash"] = cell_hash(changed["cells"][0])
    (folder / "es" / "01-intro.ipynb").write_text(json.dumps(spanish), encoding="utf-8")
    report = translations.check(None, folder)
    assert report.stale == [] and report.notebooks_translated == 1


def test_the_command_fails_on_stale_text_and_lists_missing_only_when_asked(tmp_path, minimal_rows):
    folder = _with_translation(tmp_path, minimal_rows)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _lesson(notebooks)
    command = [sys.executable, "-m", "cyberhistory", "translations", "--check", "--data", str(folder)]
    command += ["--notebooks", str(notebooks)]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0 and "events: 1 of 2 translated" in done.stdout and "missing:" not in done.stdout
    complete = subprocess.run([*command, "--complete"], capture_output=True, text=True)
    assert complete.returncode == 1 and "missing: notebooks/es/01-intro.ipynb" in complete.stdout
    minimal_rows["events"][0]["title"] = "A new English title"
    write_dataset(folder, minimal_rows)
    stale = subprocess.run(command, capture_output=True, text=True)
    assert stale.returncode == 1 and "out of date: data/events_es.csv:2" in stale.stdout
    assert "Traceback" not in stale.stderr


def test_a_damaged_spanish_notebook_is_a_clear_error(tmp_path):
    folder = tmp_path / "notebooks"
    (folder / "es").mkdir(parents=True)
    _lesson(folder)
    (folder / "es" / "01-intro.ipynb").write_text("{broken", encoding="utf-8")
    command = [sys.executable, "-m", "cyberhistory", "translations", "--notebooks", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 1 and "cannot read the notebook" in done.stderr and "Traceback" not in done.stderr


def test_the_real_translations_are_current():
    """What `make test` runs: no Spanish text of the real unit is out of date."""
    report = translations.check(ROOT / "data", ROOT / "notebooks")
    assert report.stale == [] and report.events > 300 and report.notebooks == 16


def _with_notes_and_outcome(tmp_path, minimal_rows, note="Nadie confirmó quién grabó el video."):
    event, outcome = minimal_rows["events"][0], minimal_rows["outcomes"][0]
    event["uncertainty_note"] = "No one confirmed who made the video."
    minimal_rows["event_notes_es"] = [
        {
            "event_id": event["event_id"],
            "uncertainty_note": note,
            "english_hash": english_hash(event["uncertainty_note"], ""),
        }
    ]
    minimal_rows["outcomes_es"] = [
        {
            "outcome_id": outcome["outcome_id"],
            "summary": "Una persona fue detenida.",
            "english_hash": english_hash(outcome["summary"]),
        }
    ]
    return write_dataset(tmp_path / "data", minimal_rows)


def test_event_notes_and_outcomes_are_counted_and_go_stale_when_their_english_changes(tmp_path, minimal_rows):
    folder = _with_notes_and_outcome(tmp_path, minimal_rows)
    report = translations.check(folder)
    assert report.stale == [] and report.tables["event notes"] == (1, 1) and report.tables["outcomes"] == (1, 1)
    minimal_rows["events"][0]["uncertainty_note"] = "Two groups claimed the video."
    minimal_rows["outcomes"][0]["summary"] = "Two people were arrested."
    write_dataset(folder, minimal_rows)
    assert translations.check(folder).stale == [
        "data/event_notes_es.csv:2: 2011-example-video: the English uncertainty_note or date_note changed",
        "data/outcomes_es.csv:2: 2012-example-arrest: the English summary changed",
    ]


def test_a_note_in_one_language_only_and_a_note_for_an_event_without_notes_are_stale(tmp_path, minimal_rows):
    folder = _with_notes_and_outcome(tmp_path, minimal_rows)
    minimal_rows["events"][0]["date_note"] = "The video's upload date."
    minimal_rows["event_notes_es"][0]["english_hash"] = english_hash(
        minimal_rows["events"][0]["uncertainty_note"], "The video's upload date."
    )
    other = minimal_rows["events"][1]["event_id"]
    minimal_rows["event_notes_es"].append({"event_id": other, "uncertainty_note": "Nota.", "english_hash": "0" * 12})
    write_dataset(folder, minimal_rows)
    assert translations.check(folder).stale == [
        "data/event_notes_es.csv:2: 2011-example-video: date_note is empty in one language only",
        f"data/event_notes_es.csv:3: {other}: the English has no uncertainty_note or date_note",
    ]


def test_spanish_notes_and_outcomes_reach_the_event_card_and_english_ones_stay_marked(tmp_path, minimal_rows):
    from cyberhistory import i18n
    from cyberhistory.data import load
    from cyberhistory.display import event_card

    folder = _with_notes_and_outcome(tmp_path, minimal_rows)
    minimal_rows["outcomes"].append(
        minimal_rows["outcomes"][0] | {"outcome_id": "2012-example-second", "summary": "A second person was charged."}
    )
    write_dataset(folder, minimal_rows)
    with i18n.using("es"):
        data = load(folder, language="es")
        card = event_card(data, "2011-example-video", link="").html
    i18n.activate("en")
    assert "<dd>Nadie confirmó quién grabó el video.</dd>" in card
    assert "Una persona fue detenida." in card and "One person was arrested." not in card
    assert '<span lang="en">A second person was charged.</span>' in card
    outcomes = data.outcomes.set_index("outcome_id")
    assert list(outcomes["text_language"]) == ["es", "en"]


def test_an_actors_spanish_self_description_is_used_and_goes_stale_with_its_english(tmp_path, minimal_rows):
    from cyberhistory import i18n
    from cyberhistory.data import load

    actor = minimal_rows["actors"][0]
    actor["self_description"] = "hacktivists defending free speech"
    minimal_rows["actors_es"] = [
        {
            "actor_id": actor["actor_id"],
            "self_description": "hacktivistas que defienden la libertad de expresión",
            "english_hash": english_hash(actor["self_description"]),
        }
    ]
    folder = write_dataset(tmp_path / "data", minimal_rows)
    report = translations.check(folder)
    assert report.stale == [] and report.tables["actor descriptions"] == (1, 1)
    with i18n.using("es"):
        actors = load(folder, language="es").actors.set_index("actor_id")
    i18n.activate("en")
    assert actors.loc["example-group", "self_description"] == "hacktivistas que defienden la libertad de expresión"
    assert actors.loc["example-group", "text_language"] == "es"
    assert (
        load(folder).actors.set_index("actor_id").loc["example-group", "self_description"] == actor["self_description"]
    )
    actor["self_description"] = "a movement of pranksters"
    write_dataset(folder, minimal_rows)
    assert translations.check(folder).stale == [
        "data/actors_es.csv:2: example-group: the English self_description changed"
    ]


def test_a_sources_spanish_notes_reach_the_card_and_untranslated_ones_stay_marked_english(tmp_path, minimal_rows):
    from cyberhistory import i18n
    from cyberhistory.data import load
    from cyberhistory.display import event_card

    source = minimal_rows["sources"][0]
    minimal_rows["sources"].append(
        source | {"source_id": "example-blog-2011-video", "url": "https://blog.example.net/v", "supports": "video"}
    )
    minimal_rows["sources_es"] = [
        {
            "source_id": source["source_id"],
            "supports": "fecha; amenaza",
            "english_hash": english_hash("date; threat", ""),
        }
    ]
    folder = write_dataset(tmp_path / "data", minimal_rows)
    assert translations.check(folder).tables["source notes"] == (1, len(minimal_rows["sources"]))
    with i18n.using("es"):
        card = event_card(load(folder, language="es"), "2011-example-video", link="").html
    i18n.activate("en")
    assert "fecha; amenaza" in card and "date; threat" not in card
    assert '<span lang="en">fecha; amenaza</span>' not in card
    other = [s for s in minimal_rows["sources"][1:] if "2011-example-video" in s["event_ids"]]
    assert other and all(f'<span lang="en">{s["supports"]}</span>' in card for s in other), "untranslated: marked"
    source["supports"] = "date; threat; arrests"
    write_dataset(folder, minimal_rows)
    assert translations.check(folder).stale == [
        f"data/sources_es.csv:2: {source['source_id']}: the English supports or disputes changed"
    ]
