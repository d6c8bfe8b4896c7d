"""Tests for cyberhistory.style: the Chart wrapper, its accessible SVG and deterministic output."""

from matplotlib.figure import Figure

from cyberhistory.style import OKABE_ITO, Chart, colour_for, new_figure


def _chart() -> Chart:
    figure = new_figure(4, 3)
    figure.add_subplot().plot([1, 2, 3], [3, 1, 2])
    return Chart(figure, 'A line that falls then rises; "quoted" & <tagged>.')


def test_svg_carries_escaped_alt_text():
    """The SVG has role=img, an escaped aria-label and a title."""
    svg = _chart().svg()
    assert 'role="img"' in svg
    assert 'aria-label="A line that falls then rises; &quot;quoted&quot; &amp; &lt;tagged&gt;."' in svg
    assert "<title>A line that falls" in svg


def test_jupyter_bundle_has_alt_in_metadata():
    """In Jupyter the chart shows as SVG with the alt text as plain text and in the metadata."""
    data, metadata = _chart()._repr_mimebundle_()
    assert set(data) == {"image/svg+xml", "text/plain"}
    assert metadata["image/svg+xml"]["alt"].startswith("A line that falls")


def test_deterministic_bytes():
    """Two charts built the same way give identical SVG and PNG bytes (no dates, no random ids)."""
    assert _chart().svg() == _chart().svg()
    assert _chart().png() == _chart().png()


def test_palette_and_figure():
    """Colours come from the Okabe-Ito palette and figures are not attached to pyplot."""
    assert colour_for(0) == OKABE_ITO[0] and colour_for(8) == OKABE_ITO[0]
    assert isinstance(new_figure(), Figure)
