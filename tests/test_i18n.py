"""The library's languages: Spanish dates, numbers and display names, Spanish event texts from load(),
and the catalog check that lists site strings missing or out of date."""

from __future__ import annotations

import pytest

from cyberhistory import dates, i18n, translations
from cyberhistory.labels import display_name


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.activate("en")


def test_dates_are_written_the_spanish_way():
    with i18n.using("es"):
        assert [dates.parse(d).label() for d in ("2011-10-06", "2011-09", "2011")] == ["6 oct 2011", "sep 2011", "2011"]
    assert dates.parse("2011-10-06").label() == "6 Oct 2011"


def test_numbers_use_the_mexican_separators():
    with i18n.using("es"):
        assert i18n.number(10000) == "10,000" and i18n.number(1234.5, 1) == "1,234.5"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        i18n.activate("fr")


def test_display_names_come_from_the_catalog_and_fall_back_to_english():
    spanish = i18n.translations("es").gettext("State-linked operation")
    with i18n.using("es"):
        assert display_name("state_linked_operation") == spanish
        assert display_name("a_value_nobody_translated") == "A value nobody translated"
        assert i18n.gettext("") == ""  # never the catalog's header


def test_load_in_spanish_gives_spanish_texts_where_translated_and_marks_the_rest(real_data):
    from cyberhistory.data import load

    data = load(language="es")
    assert i18n.current() == "es" and data.language == "es"
    texts = data.events.set_index("event_id")
    translated = set(data.events_es["event_id"])
    some = sorted(translated)[0]
    assert texts.loc[some, "title"] == data.events_es.set_index("event_id").loc[some, "title"]
    assert texts.loc[some, "text_language"] == "es"
    untranslated = set(texts.index) - translated
    for event_id in sorted(untranslated)[:3]:
        assert texts.loc[event_id, "title"] == real_data.events.set_index("event_id").loc[event_id, "title"]
        assert texts.loc[event_id, "text_language"] == "en"
    assert " oct " in " ".join(texts["when"]).lower() or "oct" in " ".join(texts["when"])


def test_the_catalog_check_lists_unused_and_fuzzy_strings_with_their_line(tmp_path, monkeypatch):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="es")
    catalog.add("Course outline", "Índice del curso")
    catalog.add("A string the site no longer shows", "Una cadena")
    catalog.add("Data", "Datos", flags=["fuzzy"])
    path = tmp_path / "es" / "LC_MESSAGES" / "cyberhistory.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setattr(i18n, "catalog_path", lambda language: path)
    report = translations.Report()
    translations._catalog_report(report, translations.data_dir(None))
    assert any("no longer used: 'A string the site no longer shows'" in s and ".po:" in s for s in report.stale)
    assert any("fuzzy" in s and "'Data'" in s for s in report.stale)
    assert report.strings_translated == 1 and report.strings > 300
    assert any("'Outline'" in m for m in report.missing)


def test_the_real_catalog_is_current_with_the_code():
    report = translations.Report()
    translations._catalog_report(report, translations.data_dir(None))
    assert report.stale == [], report.stale[:5]


def test_the_spanish_edition_lists_spanish_language_sources_first(real_data):
    from cyberhistory.data import in_language, sources_for
    from cyberhistory.display import event_context

    event_id = "2011-operation-cartel-video-threat"
    sources = sources_for(real_data, [event_id])
    assert set(sources["language"].astype(str)) >= {"en", "es"}  # the test needs both
    event = real_data.events.loc[real_data.events["event_id"] == event_id].iloc[0]
    english = event_context(real_data, event, sources, real_data.outcomes.iloc[0:0])["sources"]
    with i18n.using("es"):
        spanish = event_context(in_language(real_data, "es"), event, sources, real_data.outcomes.iloc[0:0])["sources"]
    languages = dict(zip(sources["source_id"], sources["language"].astype(str), strict=True))
    order = [languages[s["id"]] for s in spanish]
    assert order == sorted(order, key=lambda lang: lang != "es") and order[0] == "es"
    assert sorted(s["id"] for s in spanish) == sorted(s["id"] for s in english)
