"""The content policy, as far as a program can check it.

No e-mail addresses, phone numbers, IP or street addresses, account handles
or links to paste sites and leak archives anywhere in the data; and every
person named in the prose is on the allow-list ``named_people.csv``.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import cache, lru_cache
from importlib.resources import files
from urllib.parse import urlsplit

from cyberhistory.csvfile import RawTable
from cyberhistory.problems import Problem
from cyberhistory.schema import LIST_SEPARATOR, Schema

#: Hosts whose pages are paste sites or archives of leaked material. Citing
#: them would republish what the policy says we never reproduce.
BLOCKED_HOSTS = frozenset(
    {
        "pastebin.com",
        "paste.ee",
        "ghostbin.com",
        "ghostbin.co",
        "justpaste.it",
        "controlc.com",
        "hastebin.com",
        "privatebin.net",
        "0bin.net",
        "rentry.co",
        "anonfiles.com",
        "mega.nz",
        "ddosecrets.com",
        "ddosecrets.org",
        "wikileaks.org",
        "wikileaks.ch",
        "cryptome.org",
        "breachforums.is",
        "raidforums.com",
        "transfer.sh",
        "t.me",
    }
)

# Every pattern is bounded by look-arounds that accept any punctuation or a line break around the
# item (an address at the end of a sentence, in brackets or in quotes is still found) but reject the
# inside of a longer token (a five-part version number, a word with digits in it).
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|0?\d?\d)"
_DATE_START = (
    r"(?!\d{4}[./-]\d{1,2}[./-]\d{1,2}(?!\d|[./-]\d))"  # 2011-10-06, 2011.10.06
    r"(?!\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d|[./-]\d))"  # 06.10.2011, 6-10-2011
)
_PATTERNS = {
    "an e-mail address": re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+"),
    # IPv6 candidates: hex digits, dots and at least two colons; _accept_ipv6 decides.
    "an IPv6 address": re.compile(r"(?<![\w.:])(?=[0-9a-f.]*:[0-9a-f.]*:)[0-9a-f.:]+(?!\w)", re.I),
    # IPv4: four octets, not part of a longer dotted number.
    "an IP address": re.compile(rf"(?<!\w)(?<!\d\.)(?:{_OCTET}\.){{3}}{_OCTET}(?!\w|\.\d)"),
    "an onion address": re.compile(r"\b[a-z2-7]{16,56}\.onion\b", re.I),
    "a phone number": re.compile(
        # Digit groups with one separator between them, an optional +country code and (area code);
        # _accept_phone then counts the digits and rules out dates, years and thousands.
        rf"(?<![\w+/-])(?<!\d[.,]){_DATE_START}"
        r"(?:\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,5}(?:[ .-]\d{2,8}){1,5}(?!\w|[.,-]\d)"
        r"|(?<![\w+])\+\d{8,15}(?!\w)"
    ),
    "a street address": re.compile(
        r"\b\d{1,5}\s+(?:[A-Z][\w'-]+\s){1,3}"
        r"(?:(?:Street|Avenue|Road|Boulevard|Lane|Drive|Calle|Avenida|Rue)\b|(?:St|Ave|Rd|Blvd)\b\.?)"
    ),
    "an account handle": re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,}\b"),
}
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_GROUPS = re.compile(r"[ .()-]+")


def _accept_phone(found: str) -> str | None:
    """The candidate if it reads as a phone number: 8 or more digits, not a run of years or thousands."""
    digits = sum(c.isdigit() for c in found)
    if digits < 8:
        return None
    if found[0] in "+(":
        return found
    groups = [g for g in _GROUPS.split(found) if g]
    if all(_YEAR.fullmatch(g) for g in groups):
        return None  # "1989-2011", "2011 2012 2013"
    if len(groups) == 2 and not found.startswith("0"):
        return None  # two groups only with a trunk prefix ("030 12345678"), else "in 2012 1200 sites"
    if "." in found and " " not in found and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return None  # "10.000.000", thousands in continental style
    return found


def _accept_ipv6(found: str) -> str | None:
    """An IPv6 candidate, trimmed of the punctuation around it, if it parses as an address."""
    for start in range(min(3, len(found))):
        if start and found[start - 1] not in ".:":
            break
        for end in range(len(found), max(start, len(found) - 4), -1):
            if end < len(found) and found[end] not in ".:":
                break
            candidate = found[start:end]
            if any(c not in ".:" for c in candidate) and _is_ipv6(candidate):
                return candidate
    return None


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _strip_email(found: str) -> str | None:
    """The address without an opening quote mark taken in from the prose."""
    stripped = found.lstrip("'")
    return found if stripped.startswith("@") else stripped


_ACCEPT = {"a phone number": _accept_phone, "an IPv6 address": _accept_ipv6, "an e-mail address": _strip_email}
#: Both kinds of IP address are reported as one.
_LABELS = {"an IPv6 address": "an IP address"}

# Columns that hold identifiers, codes or URLs rather than prose.
_NOT_PROSE = {
    "url",
    "source_id",
    "event_id",
    "actor_id",
    "outcome_id",
    "source_ids",
    "event_ids",
    "actor_ids",
    "actors",
    "related_actor_id",
    "campaign",
    "conflict_context",
    "published",
    "start_date",
    "end_date",
    "date",
}
_NAME_COLUMNS = {("named_people", "name"), ("named_people", "also_written"), ("not_people", "term")}

_CAPITALISED = r"[A-ZÀ-ÞĀ-Ž][a-zß-ÿā-ž'’]+(?:-[A-ZÀ-ÞĀ-Ž][a-zß-ÿā-ž'’]+)?"
_PARTICLE = r"(?:de|del|de la|la|van|von|der|bin|al|el|da|dos|y)"
_NAME_RUN = re.compile(rf"\b{_CAPITALISED}(?:\s+(?:{_PARTICLE}\s+)?{_CAPITALISED}){{1,3}}")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """``text`` without accents, so that names compare accent-insensitively.

    Examples
    --------
    >>> fold("Héctor Gonçalo João")
    'Hector Goncalo Joao'
    """
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def given_names() -> frozenset[str]:
    """Given names that mark a capitalised run of words as a probable person's name, accents folded."""
    text = files("cyberhistory").joinpath("given_names.txt").read_text(encoding="utf-8")
    names = {fold(line.strip()) for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(names - {fold(w) for w in _CALENDAR_WORDS})


# Month, day and place names that double as given names ("June", "Israel", "Georgia"): in this
# dataset's prose they are almost never people, and flagging them would bury the real hits.
_CALENDAR_WORDS = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Israel",
        "Jordan",
        "Kenya",
        "Georgia",
        "Chad",
        "India",
        "China",
        "Sudan",
        "Lebanon",
        "Syria",
        "Paris",
        "Austin",
        "Houston",
        "Dallas",
        "Florence",
        "Sydney",
        "Victoria",
        "Virginia",
        "Carolina",
        "Washington",
        "Lincoln",
        "Columbia",
        "Madison",
        "Santiago",
        "Tel",
        "Sao",
        "Trinidad",
        "Geneva",
        "Will",
        "Hope",
        "Love",
        "Gay",
        "Man",
        "Major",
        "German",
        "Chase",
        "Grant",
        "Rich",
        "Royal",
        "Young",
        "King",
        "Long",
        "Page",
        "Joy",
        "Sun",
        "Golden",
        "Summer",
        "Winter",
        "Cash",
        "Price",
        "Ray",
        "Star",
        "Sterling",
        "Miles",
        "Guy",
        "Bill",
        "Art",
        "Mark",
        "Pierce",
        "Hunter",
        "Rose",
        "Crystal",
    ]
)
_POSSESSIVE = re.compile(r"['’]s?$")


def person_like_names(text: str) -> list[tuple[str, str]]:
    """Find probable person names: runs of capitalised words from a given name on.

    Given names are recognised with or without their accents (``Héctor`` and ``Hector``).

    Returns
    -------
    list of (run, name)
        The whole capitalised run (for context, such as ``'Booz Allen Hamilton'``)
        and the part from the given name on (``'Allen Hamilton'``), possessives removed.

    Examples
    --------
    >>> person_like_names("a video in which Jane Roe's friend spoke")
    [('Jane Roe', 'Jane Roe')]
    >>> person_like_names("Hacks Rupert Murdoch's Sun Website")
    [('Hacks Rupert Murdoch', 'Rupert Murdoch')]
    """
    names = given_names()
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)  # decomposed accents would split a word
    found = []
    for match in _NAME_RUN.finditer(text):
        run = match.group(0)
        for words in _segments(run.split()) if "'" in run or "’" in run else [run.split()]:
            for i, word in enumerate(words[:-1]):
                if fold(word) in names:
                    found.append((" ".join(words), " ".join(words[i:])))
                    break
    return found


def _segments(words: list[str]) -> list[list[str]]:
    """Split a run after each possessive, which ends a name ("Rupert Murdoch's | Sun Website")."""
    segments, current = [], []
    for word in words:
        bare = _POSSESSIVE.sub("", word)
        current.append(bare)
        if bare != word:
            segments.append(current)
            current = []
    return [*segments, current] if current else segments


def _phrase(text: str) -> tuple[str, ...]:
    """A phrase as words compared like with like: accents folded, possessives removed."""
    return tuple(fold(_POSSESSIVE.sub("", w)) for w in text.split())


def _allowed_phrases(tables: dict[str, RawTable]) -> frozenset[tuple[str, ...]]:
    allowed = []
    for _, row in tables["named_people"].rows:
        allowed.append(row.get("name", ""))
        allowed += [v for v in row.get("also_written", "").split(LIST_SEPARATOR) if v]
    allowed += [row.get("term", "") for _, row in tables["not_people"].rows]
    return frozenset(_phrase(a) for a in allowed if a.strip())


def _is_allowed(run: str, name: str, allowed: frozenset[tuple[str, ...]]) -> bool:
    """A name passes when an allowed phrase is the name, or contains it within the same run.

    ``'Booz Allen Hamilton'`` covers the name ``'Allen Hamilton'`` in the run ``'Booz Allen
    Hamilton'``; but an allowed ``'Orlando'`` never covers ``'Orlando Smith'``: a phrase shorter
    than the name allows nothing.
    """
    run_words, name_words = _phrase(run), _phrase(name)
    if name_words in allowed:
        return True
    size = len(name_words)
    for at in range(len(run_words) - size + 1):
        if run_words[at : at + size] != name_words:
            continue
        for start in range(at + 1):
            for end in range(at + size, len(run_words) + 1):
                if run_words[start:end] in allowed:
                    return True
    return False


def check_url(url: str) -> str | None:
    """Return a message if ``url`` points to a paste site or leak archive."""
    host = urlsplit(url).netloc.lower().split(":")[0]
    for blocked in BLOCKED_HOSTS:
        if host == blocked or host.endswith("." + blocked):
            return f"links to {blocked}, a paste site or leak archive; cite reputable reporting about it instead"
    return None


_DIGIT = re.compile(r"\d")
# Cheap tests (given the text and how many digits it has) that rule a pattern out before its slower
# regular expression runs: an IPv6 address has '::' or seven colons, a phone number 8 digits.
_NEEDS = {
    "an e-mail address": lambda text, digits: "@" in text,
    "an account handle": lambda text, digits: "@" in text,
    "an onion address": lambda text, digits: ".onion" in text,
    "an IP address": lambda text, digits: digits >= 4,
    "an IPv6 address": lambda text, digits: "::" in text or text.count(":") >= 7,
    "a phone number": lambda text, digits: digits >= 8,
    "a street address": lambda text, digits: digits > 0,
}


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """Find what the content policy forbids in one text: the first hit of each kind.

    Returns
    -------
    list of (label, found)
        What the item looks like (``'an IP address'``) and the text found.

    Examples
    --------
    >>> find_personal_data("The attack came from 192.0.2.10.")
    [('an IP address', '192.0.2.10')]
    """
    digits = len(_DIGIT.findall(text)) if _DIGIT.search(text) else 0
    found = {}
    for label, pattern in _PATTERNS.items():
        shown = _LABELS.get(label, label)
        if shown in found or not _NEEDS[label](text, digits):
            continue
        accept = _ACCEPT.get(label)
        for match in pattern.finditer(text):
            item = accept(match.group(0)) if accept else match.group(0)
            if item:
                found[shown] = item
                break
    return list(found.items())


def check_text(text: str) -> list[str]:
    """Return messages for personal or operational data found in one text."""
    return [
        f"contains what looks like {label} ({item!r}); the content policy forbids it"
        for label, item in find_personal_data(text)
    ]


def check(schema: Schema, tables: dict[str, RawTable], shown: dict[str, str]) -> list[Problem]:
    """Apply the content policy to every cell of every table."""
    problems = []
    allowed = _allowed_phrases(tables)
    for table in schema.tables:
        raw = tables[table.name]
        enum_columns = {f.name for f in table.fields if f.enum or f.type == "integer"}
        for line, row in raw.rows:
            for column, value in row.items():
                if not value or column in enum_columns:
                    continue
                if column == "url":
                    message = check_url(value)
                    if message:
                        problems.append(Problem(shown[table.name], line, column, message))
                    continue
                if column in _NOT_PROSE:
                    continue
                problems += [Problem(shown[table.name], line, column, m) for m in check_text(value)]
                if (table.name, column) in _NAME_COLUMNS:
                    continue
                for run, name in person_like_names(value):
                    if not _is_allowed(run, name, allowed):
                        problems.append(
                            Problem(
                                shown[table.name],
                                line,
                                column,
                                f"{name!r} looks like a person's name that is not in named_people.csv "
                                "(add the person with a basis and a source, or add the phrase to not_people.csv)",
                            )
                        )
    return problems
