"""Tests for cyberhistory.svg: the compact SVG draws what matplotlib drew, in fewer bytes.

The pixel test renders matplotlib's SVG and the compact one in Chromium and
compares the screenshots; the others check what must never change (text,
links, accessible names) on every figure the library draws from the real data.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageChops

from cyberhistory.gallery import figures
from cyberhistory.links import DATA_PAGE, LINK_ENV
from cyberhistory.style import _SVG_METADATA, house_style
from cyberhistory.svg import compact_svg


@pytest.fixture(scope="module")
def drawn(real_data, monkeypatch_module) -> dict[str, tuple[str, str]]:
    """(matplotlib's SVG, compact SVG) of every gallery figure, with event links as on the site."""
    monkeypatch_module.setenv(LINK_ENV, DATA_PAGE)
    result = {}
    for stem, chart in figures(real_data).items():
        buffer = io.StringIO()
        with house_style():
            chart.figure.savefig(buffer, format="svg", metadata=_SVG_METADATA)
        result[stem] = (buffer.getvalue(), compact_svg(buffer.getvalue()))
    return result


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _texts(svg: str) -> list[str]:
    """Every text a reader or a screen reader meets (the RDF metadata block is dropped on purpose)."""
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    return [t.strip() for t in re.findall(r">([^<>]*)<", svg) if t.strip()]


def test_every_figure_gets_smaller_and_keeps_its_text_and_links(drawn):
    for stem, (raw, compact) in drawn.items():
        assert len(compact) < 0.85 * len(raw), stem
        assert _texts(compact) == _texts(raw), stem
        assert re.findall(r'<a xlink:href="(data\.html[^"]+)"', compact) == re.findall(
            r'<a xlink:href="(data\.html[^"]+)"', raw
        ), stem
        assert "<use xlink:href" not in compact, stem


def test_links_survive_on_linked_timelines(drawn):
    raw, compact = drawn["timeline-kind"]
    assert compact.count("<a ") == raw.count("<a ") > 5


def test_compacting_is_stable():
    svg = (
        '<g id="patch_2"><path d="M 0 0 \nL 10.123456 0 \nL 10.123456 5 \nz\n" '
        'clip-path="url(#p1)" style="fill: #ffffff"/></g>'
    )
    once = compact_svg(svg)
    assert once == '<path d="M0 0h10.12v5z" clip-path="url(#p1)" style="fill:#ffffff"/>'
    assert compact_svg(once) == once


def test_markers_share_one_style_only_when_it_inherits():
    inherited = (
        '<use xlink:href="#m" x="1" y="2" style="fill: #000"/><use xlink:href="#m" x="3" y="2" style="fill: #000"/>'
    )
    assert compact_svg(inherited) == '<g style="fill:#000"><use href="#m" x="1" y="2"/><use href="#m" x="3" y="2"/></g>'
    # opacity does not inherit: moving it to a group would change how overlapping markers blend
    own = inherited.replace("fill: #000", "opacity: 0.5")
    assert compact_svg(own) == own.replace("opacity: 0.5", "opacity:0.5").replace("xlink:href", "href")


def test_referenced_ids_are_kept():
    svg = '<defs><clipPath id="clip_1"><rect x="0"/></clipPath></defs><g id="line2d_1" clip-path="url(#clip_1)"/>'
    assert (
        compact_svg(svg) == '<defs><clipPath id="clip_1"><rect x="0"/></clipPath></defs><g clip-path="url(#clip_1)"/>'
    )


def test_a_clip_path_is_named_by_what_it_draws():
    """Two renders whose clip rectangles differ below the rounding (a layout solved in another order) are
    the same bytes; two clip paths that draw the same are defined once."""
    import matplotlib

    matplotlib.use("agg")
    from matplotlib.figure import Figure

    def render(nudge: float) -> tuple[str, str]:
        figure = Figure(figsize=(4, 3))
        for i, ax in enumerate(figure.subplots(1, 2)):
            ax.set_position([0.1 + 0.45 * i + nudge, 0.1, 0.35, 0.8])
            ax.bar(["a", "b"], [1, 2])
        buffer = io.StringIO()
        with house_style():
            figure.savefig(buffer, format="svg", metadata=_SVG_METADATA)
        return buffer.getvalue(), compact_svg(buffer.getvalue())

    (raw_a, a), (raw_b, b) = render(0.0), render(1e-12)
    clips = re.compile(r'<clipPath id="([^"]+)"')
    assert clips.findall(raw_a) != clips.findall(raw_b), "matplotlib's own ids do differ (the test can fail)"
    assert a == b and len(clips.findall(a)) == 2
    assert set(re.findall(r"url\(#([^)]+)\)", a)) == set(clips.findall(a))
    twice = '<clipPath id="p0123456789"><rect x="1"/></clipPath><clipPath id="p9876543210"><rect x="1"/></clipPath>'
    once = compact_svg(twice + '<g clip-path="url(#p0123456789)"/><g clip-path="url(#p9876543210)"/>')
    assert once.count("<clipPath") == once.count("</clipPath>") == 1
    assert len(set(re.findall(r"url\(#([^)]+)\)", once))) == 1


def _screenshot(browser, svg: str) -> Image.Image:
    page = browser.new_page(viewport={"width": 1000, "height": 1000})
    page.set_content(f'<html><body style="margin:0;background:#fff">{svg}</body></html>')
    png = page.locator("svg").screenshot()
    page.close()
    return Image.open(io.BytesIO(png)).convert("RGB")


@pytest.mark.browser
@pytest.mark.parametrize("stem", ["timeline-kind", "timeline-operation-cartel", "events-per-year", "actor-spans"])
def test_chromium_draws_the_same_pixels(browser, drawn, stem):
    raw, compact = drawn[stem]
    before, after = _screenshot(browser, raw), _screenshot(browser, compact)
    assert before.size == after.size
    diff = ImageChops.difference(before, after).convert("L")
    changed = sum(diff.point(lambda value: 255 if value > 48 else 0).histogram()[255:])
    assert changed <= before.size[0] * before.size[1] * 0.001, f"{stem}: {changed} pixels differ visibly"


def test_markers_on_one_row_share_a_translated_group():
    """Three or more identical markers with the same y keep only their x inside a group moved to that row."""
    uses = (
        "".join(f'<use xlink:href="#C1" x="{x}" y="7.5"/>' for x in (1, 2, 3)) + '<use xlink:href="#C1" x="4" y="9"/>'
    )
    assert compact_svg(uses) == (
        '<g transform="translate(0 7.5)"><use href="#C1" x="1"/><use href="#C1" x="2"/>'
        '<use href="#C1" x="3"/></g><use href="#C1" x="4" y="9"/>'
    )
