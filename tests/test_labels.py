"""Tests for cyberhistory.labels: display names for stored values."""

from cyberhistory.labels import display_name


def test_special_names():
    """Values with their own spelling keep it (DDoS, Hack-and-leak, IT Army of Ukraine)."""
    assert [display_name(v) for v in ("ddos", "hack_and_leak", "it-army-of-ukraine")] == [
        "DDoS",
        "Hack-and-leak",
        "IT Army of Ukraine",
    ]


def test_generic_names():
    """Other values lose their underscores and hyphens and start with a capital."""
    assert display_name("operation-cartel") == "Operation Cartel"
    assert display_name("none recorded") == "None recorded"
    assert display_name("state_linked_persona") == "State-linked persona"


def test_proper_names_keep_their_capitals():
    """Regions and campaigns are proper names: Latin America, Operation Payback, Operation Anti-Security of the Net."""
    assert display_name("latin_america") == "Latin America" and display_name("asia_pacific") == "Asia-Pacific"
    assert display_name("operation-payback") == "Operation Payback"
    assert display_name("operation-anti-security-of-the-net") == "Operation Anti Security of the Net"
