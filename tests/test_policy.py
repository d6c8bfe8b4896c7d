"""Tests for cyberhistory.policy: the person-name detector and the text and link checks."""

import pytest

from cyberhistory.policy import check_text, check_url, person_like_names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("A statement by Jane Roe, the spokesperson.", ["Jane Roe"]),
        ("Rupert Murdoch's newspaper", ["Rupert Murdoch"]),
        ("the firm Booz Allen Hamilton", ["Allen Hamilton"]),
        ("José María de la Cruz said", ["José María de la Cruz"]),
        ("In June Sony Pictures was breached; Hackers Will Review it", []),
        ("Anonymous Mexico and Los Zetas", []),
    ],
)
def test_person_like_names(text, names):
    """Runs of capitalised words starting with a given name are found; months and ordinary words are not."""
    assert [name for _, name in person_like_names(text)] == names


def test_clean_text_passes():
    """Ordinary prose with dates and numbers raises nothing."""
    assert check_text("On 6 October 2011, about 2,000 sites went offline for 3 hours.") == []


@pytest.mark.parametrize("url", ["https://pastebin.com/x", "https://www.wikileaks.org/gifiles", "https://t.me/channel"])
def test_blocked_hosts(url):
    """Paste sites, leak archives and messaging channels are refused, subdomains included."""
    assert "paste site or leak archive" in check_url(url)


def test_news_host_allowed():
    """A news site that merely mentions a leak archive in its path is fine."""
    assert check_url("https://www.theguardian.com/world/2012/wikileaks-stratfor") is None
