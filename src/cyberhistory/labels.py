"""Display names for stored values: ``state_linked_operation`` -> ``State-linked operation`` (Spanish: from the catalog)."""

from __future__ import annotations

from cyberhistory import i18n

#: Values whose display name is not their stored form, capitalised.
SPECIAL_NAMES = {
    "ddos": "DDoS",
    "it-army-of-ukraine": "IT Army of Ukraine",
    "hack_and_leak": "Hack-and-leak",
    "virtual_sit_in": "Virtual sit-in",
    "state_linked_operation": "State-linked operation",
    "official_attribution": "Official attribution",
    "north_america": "North America",
    "latin_america": "Latin America",
    "western_europe": "Western Europe",
    "eastern_europe": "Eastern Europe",
    "middle_east": "Middle East",
    "asia_pacific": "Asia-Pacific",
    "antisec": "AntiSec",
    # Campaign ids whose names are not their words capitalised (hashtags, acronyms, accents).
    "edt-zapatista-floodnet": "EDT Zapatista FloodNet",
    "operation-poweroff": "Operation PowerOFF",
    "operacion-david": "Operación David",
    "operacion-tequila": "Operación Tequila",
    "opbart": "OpBART",
    "opkkk": "OpKKK",
    "opisis": "OpISIS",
    "ophongkong": "OpHongKong",
    "opfunkill": "OpFunKill",
    "opyoungbustards": "OpYoungBustards",
    "opweekspayment": "OpWeeksPayment",
    "opworldcup": "OpWorldCup",
    "opsudan-opzimbabwe-2019": "OpSudan/OpZimbabwe 2019",
    "opafrica": "OpAfrica",
    "opangola": "OpAngola",
    "opaustralia": "OpAustralia",
    "opcatalonia": "OpCatalonia",
    "opferguson": "OpFerguson",
    "opgabon": "OpGabon",
    "opindependencia": "OpIndependencia",
    "opindia": "OpIndia",
    "opisrael": "OpIsrael",
    "opnigeria": "OpNigeria",
    "opturkey": "OpTurkey",
}
#: Words kept in lower case inside a campaign's name.
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "to", "a"})


def display_name(value: str) -> str:
    """Turn a stored value (``state_linked_operation``, ``operation-cartel``) into a name for people.

    Examples
    --------
    >>> display_name("state_linked_operation")
    'State-linked operation'
    >>> display_name("operation-cartel")
    'Operation Cartel'
    """
    return i18n.gettext(english_name(value))


def english_name(value: str) -> str:
    """The English display name of a stored value: the message id its translations are filed under."""
    if value in SPECIAL_NAMES:
        return SPECIAL_NAMES[value]
    if "-" in value:  # kebab-case ids name campaigns: proper names, so every main word is capitalised
        words = value.split("-")
        return " ".join(w if i and w in _SMALL_WORDS else w.capitalize() for i, w in enumerate(words))
    return value.replace("-", " ").replace("state_linked", "state-linked").replace("_", " ").capitalize()
