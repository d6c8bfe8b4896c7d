"""The content policy, as far as a program can check it.

No e-mail addresses, phone numbers, IP or street addresses, account handles
or links to paste sites and leak archives anywhere in the data; and every
person named in the prose is on the allow-list ``named_people.csv``.
"""

from __future__ import annotations

import re
from functools import cache
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

_PATTERNS = {
    "an e-mail address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "an IP address": re.compile(
        r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])|\b(?:[0-9a-f]{1,4}:){4,7}[0-9a-f]{1,4}\b", re.I
    ),
    "an onion address": re.compile(r"\b[a-z2-7]{16,56}\.onion\b", re.I),
    "a phone number": re.compile(r"(?<![\w-])\+?\(?\d{2,4}\)?[ .-]\d{3,4}[ .-]\d{3,4}(?![\w-])"),
    "a street address": re.compile(
        r"\b\d{1,5}\s+(?:[A-Z][\w'-]+\s){1,3}(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.|Boulevard|Blvd\.?|Lane|Drive|Calle|Avenida|Rue)\b"
    ),
    "an account handle": re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{2,}\b"),
}

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

_CAPITALISED = r"[A-ZÀ-ÞĀ-Ž][a-zß-ÿā-ž'’]+(?:-[A-ZÀ-Þ][a-zß-ÿ'’]+)?"
_PARTICLE = r"(?:de|del|de la|la|van|von|der|bin|al|el|da|dos|y)"
_NAME_RUN = re.compile(rf"\b{_CAPITALISED}(?:\s+(?:{_PARTICLE}\s+)?{_CAPITALISED}){{1,3}}")


@cache
def given_names() -> frozenset[str]:
    """Given names that mark a capitalised run of words as a probable person's name."""
    text = files("cyberhistory").joinpath("given_names.txt").read_text(encoding="utf-8")
    names = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(names - _CALENDAR_WORDS)


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

    Returns
    -------
    list of (run, name)
        The whole capitalised run (for context, such as ``'Booz Allen Hamilton'``)
        and the part from the given name on (``'Allen Hamilton'``), possessives removed.

    Examples
    --------
    >>> person_like_names("a video in which Jane Roe's friend spoke")
    [('Jane Roe', 'Jane Roe')]
    """
    names = given_names()
    found = []
    for match in _NAME_RUN.finditer(text):
        words = [_POSSESSIVE.sub("", w) for w in match.group(0).split()]
        for i, word in enumerate(words[:-1]):
            if word in names:
                found.append((" ".join(words), " ".join(words[i:])))
                break
    return found


def _allowed_phrases(tables: dict[str, RawTable]) -> list[str]:
    allowed = []
    for _, row in tables["named_people"].rows:
        allowed.append(row.get("name", ""))
        allowed += [v for v in row.get("also_written", "").split(LIST_SEPARATOR) if v]
    allowed += [row.get("term", "") for _, row in tables["not_people"].rows]
    # Compare like with like: possessives are stripped from the prose, so strip them here too.
    normalised = {" ".join(_POSSESSIVE.sub("", w) for w in a.split()) for a in allowed if a}
    return sorted(normalised, key=len, reverse=True)


def _is_allowed(run: str, name: str, allowed: list[str]) -> bool:
    """A name passes when an allowed phrase is the name, starts it, or contains it within the same run."""
    return any(name == a or name.startswith(a + " ") or (name in a and a in run) for a in allowed)


def check_url(url: str) -> str | None:
    """Return a message if ``url`` points to a paste site or leak archive."""
    host = urlsplit(url).netloc.lower().split(":")[0]
    for blocked in BLOCKED_HOSTS:
        if host == blocked or host.endswith("." + blocked):
            return f"links to {blocked}, a paste site or leak archive; cite reputable reporting about it instead"
    return None


_DIGIT = re.compile(r"\d")
# Cheap tests that rule a pattern out before its (slower) regular expression runs.
_NEEDS = {
    "an e-mail address": lambda text, digits: "@" in text,
    "an account handle": lambda text, digits: "@" in text,
    "an onion address": lambda text, digits: ".onion" in text,
    "an IP address": lambda text, digits: digits or ":" in text,
    "a phone number": lambda text, digits: digits,
    "a street address": lambda text, digits: digits,
}


def check_text(text: str) -> list[str]:
    """Return messages for personal or operational data found in one text."""
    digits = bool(_DIGIT.search(text))
    return [
        f"contains what looks like {label} ({match.group(0)!r}); the content policy forbids it"
        for label, pattern in _PATTERNS.items()
        if _NEEDS[label](text, digits)
        for match in [pattern.search(text)]
        if match
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
