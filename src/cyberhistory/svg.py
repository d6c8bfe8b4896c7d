"""Make matplotlib's SVG small without changing what it draws.

Matplotlib writes every coordinate with six decimals, indents every element,
and repeats the full style on each of hundreds of identical markers. A
timeline of 300 events came to 50-100 KB that way. Here the SVG text is
rewritten: coordinates rounded to hundredths of a point (tenths move text
visibly; markers' positions to tenths), whitespace between elements and inside path data dropped, and the
style shared by a run of identical markers or bars moved to one group around
them, matplotlib's unreferenced element ids dropped and its hashed ones derived from what they draw
and shortened, and links written
with SVG 2's plain ``href``.
Text content is never touched. ``tests/test_svg.py`` renders the original and
the compact SVG in Chromium and compares the pixels.
"""

from __future__ import annotations

import re
from itertools import groupby

#: Attributes whose values are numbers or path data (never text a reader sees).
_NUMERIC = re.compile(
    r'(\s(?:d|x|y|x1|x2|y1|y2|width|height|transform|points|cx|cy|r|rx|ry|viewBox|style|stroke-dasharray)=")([^"]*)"'
)
_NUMBER = re.compile(r"-?\d+\.\d+")
#: Whitespace between two tags, except inside <text> (where a space between spans is a real space).
_BETWEEN_TAGS = re.compile(r">\s+<(?!/?tspan)")
#: A run of markers that differ only in position: <use xlink:href="#m…" x="…" y="…" style="…"/>.
_MARKER = re.compile(r'<use xlink:href="(#[^"]+)" x="([^"]+)" y="([^"]+)" style="([^"]+)"/>')
_MARKER_RUN = re.compile(rf"(?:{_MARKER.pattern}){{2,}}")
#: One drawn item of a collection, with its clip and style, optionally inside a link: a scatter point
#: <g clip-path="…"><use … style="…"/></g> or a bar <path d="…" clip-path="…" style="…"/>, each
#: possibly wrapped in <a …>…</a> (matplotlib's urls).
_ITEM = re.compile(
    r'(<a [^>]+>)?(?:<g clip-path="([^"]+)">(<use [^>]+?) style="([^"]+)"/></g>'
    r'|(<path d="[^"]+") clip-path="([^"]+)" style="([^"]+)"/>)(?(1)</a>)'
)
_ITEM_RUN = re.compile(rf"(?:{_ITEM.pattern}){{2,}}")
#: Element ids (matplotlib names every group: figure_1, line2d_7, patch_3 ...): dropped unless referred to.
_AUTO_ID = re.compile(r' id="([\w.-]+)"')
#: A group with no attributes around one element does nothing (left once its id is gone).
_BARE_GROUP = re.compile(r"<g>(<[^<>]+/>)</g>")
#: Markers on one row: <use xlink:href="#…" x="…" y="Y"/> with the same marker and the same y.
_ROW = re.compile(r'<use xlink:href="(#[^"]+)" x="([^"]+)" y="([^"]+)"/>')
_ROW_RUN = re.compile(rf"(?:{_ROW.pattern}){{3,}}")
#: Matplotlib's hashed ids (a marker C0_0_1687f5b0ed, a clip path p46ffce37cf, a marker m5d181847ae):
#: six hex digits of the hash stay unique on a page, and the same shape keeps the same id in every figure.
_HASHED_ID = re.compile(r"\b(C\d+_\d+_|[mp])([0-9a-f]{6})[0-9a-f]{4}\b")
#: A definition matplotlib names by a hash of what it was computed from (a clip path, a marker), once the
#: numbers are rounded: its id is then derived from what it draws instead (see :func:`_ids_from_content`).
_HASH_NAMED = r'id="((?:C\d+_\d+_|[mp])[0-9a-f]{10})"'
_DEFINITION = re.compile(rf"<(clipPath) {_HASH_NAMED}(.*?</clipPath>)|<(path) {_HASH_NAMED}([^>]*/>)", re.S)
#: Links open in the same tab (matplotlib adds target="_blank" to every url), and the RDF metadata
#: block says nothing a reader needs.
_DROPPED = re.compile(r' target="_blank"|<metadata>.*?</metadata>', re.S)
#: Style properties that inherit, so setting them on a parent group draws the same marker.
_INHERITED = {"fill", "fill-opacity", "stroke", "stroke-opacity", "stroke-width", "stroke-linejoin", "stroke-linecap"}


def _round(match: re.Match) -> str:
    text = f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _compact_value(name: str, value: str) -> str:
    value = _NUMBER.sub(_round, value)
    if name == "style":
        return re.sub(r"\s*([:;])\s*", r"\1", value).strip(";")
    if name == "d":
        value = re.sub(r"\s+", " ", value).strip()
        return _polyline(value) or re.sub(r" ?([MLCQZmlcqz]) ?", r"\1", value)
    return value


_POLYLINE = re.compile(r"^M (-?[\d.]+) (-?[\d.]+)((?: L -?[\d.]+ -?[\d.]+)*)( z)?$")


def _polyline(d: str) -> str | None:
    """A path of straight segments (bars, bands, axis lines) with horizontal and vertical moves
    written relative (``h``/``v``): a bar becomes ``M263.51 403.63h14.22v11.04h-14.22z``."""
    match = _POLYLINE.match(d)
    if not match:
        return None
    hundredths = [round(float(n) * 100) for n in re.findall(r"-?[\d.]+", d)]
    x, y = hundredths[0], hundredths[1]
    out = [f"M{_num(x)} {_num(y)}"]
    for nx, ny in zip(hundredths[2::2], hundredths[3::2], strict=True):
        if ny == y:
            out.append(f"h{_num(nx - x)}")
        elif nx == x:
            out.append(f"v{_num(ny - y)}")
        else:
            out.append(f"L{_num(nx)} {_num(ny)}")
        x, y = nx, ny
    return "".join(out) + ("z" if match.group(4) else "")


def _num(hundredths: int) -> str:
    text = f"{hundredths / 100:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _style_is_inherited(style: str) -> bool:
    return all(part.split(":", 1)[0].strip() in _INHERITED for part in style.split(";") if part.strip())


def _group_markers(run: re.Match) -> str:
    markers = _MARKER.findall(run.group(0))
    styles = {style for _, _, _, style in markers}
    if len(styles) != 1 or not _style_is_inherited(next(iter(styles))):
        return run.group(0)
    uses = "".join(f'<use xlink:href="{ref}" x="{x}" y="{y}"/>' for ref, x, y, _ in markers)
    return f'<g style="{styles.pop()}">{uses}</g>'


def _group_items(run: re.Match) -> str:
    items = []
    for link, clip, use, style, path, path_clip, path_style in _ITEM.findall(run.group(0)):
        shape = (use or path) + "/>"
        items.append((f"{link}{shape}</a>" if link else shape, clip or path_clip, style or path_style))
    out = []
    for (clip, style), group in groupby(items, key=lambda item: item[1:]):
        shapes = [shape for shape, _, _ in group]
        if len(shapes) > 1 and _style_is_inherited(style):
            out.append(f'<g clip-path="{clip}" style="{style}">{"".join(shapes)}</g>')
        else:
            out += [_ungrouped(shape, clip, style) for shape in shapes]
    return "".join(out)


def _ungrouped(shape: str, clip: str, style: str) -> str:
    """One item as matplotlib wrote it (the clip and style back on the shape itself)."""
    return f'<g clip-path="{clip}" style="{style}">{shape}</g>'


def _group_rows(run: re.Match) -> str:
    """Markers sharing a row are drawn in one group moved to that row: each keeps only its x."""
    out = []
    for (ref, y), group in groupby(_ROW.findall(run.group(0)), key=lambda m: (m[0], m[2])):
        xs = [x for _, x, _ in group]
        if len(xs) < 3:
            out += [f'<use xlink:href="{ref}" x="{x}" y="{y}"/>' for x in xs]
        else:
            uses = "".join(f'<use xlink:href="{ref}" x="{x}"/>' for x in xs)
            out.append(f'<g transform="translate(0 {y})">{uses}</g>')
    return "".join(out)


def _drop_unused_ids(svg: str) -> str:
    return _AUTO_ID.sub(lambda m: m.group(0) if f"#{m.group(1)}" in svg else "", svg)


#: A marker (<use .../>) and the row group that moves markers (<g transform="translate(0 …)"><use):
#: tenths of a point are plenty for a dot's position (text and paths keep their hundredths).
_USE = re.compile(r"<use [^>]*>")
_USE_AT = re.compile(r'(\s[xy]=")(-?\d+\.\d+)"')
_ROW_AT = re.compile(r'(<g transform="translate\(0 )(-?\d+\.\d+)(\)"><use )')


def _tenth(number: str) -> str:
    text = f"{float(number):.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _marker_tenths(svg: str) -> str:
    svg = _USE.sub(lambda use: _USE_AT.sub(lambda m: f'{m.group(1)}{_tenth(m.group(2))}"', use.group(0)), svg)
    return _ROW_AT.sub(lambda m: m.group(1) + _tenth(m.group(2)) + m.group(3), svg)


def _svg2_links(svg: str) -> str:
    """SVG 2's plain ``href`` on markers (every current browser) instead of ``xlink:href``. Links to events
    keep ``xlink:href``: inside a figure that is one image (role="img"), they stay mouse shortcuts that
    assistive technology does not announce one by one (the events table is their accessible form)."""
    svg = svg.replace("<use xlink:href=", "<use href=")
    return svg if "xlink:" in svg.replace('xmlns:xlink="', "") else re.sub(r'\sxmlns:xlink="[^"]*"', "", svg)


def _ids_from_content(svg: str) -> str:
    """Name each clip path and marker by a hash of what it draws, as written (numbers rounded).

    Matplotlib hashes the unrounded numbers: a clip rectangle from a layout solved in a different order
    can differ in its last bits and get another id, so two renders of the same figure differed though they
    draw the same. Two definitions that now draw the same are kept once.
    """
    import hashlib

    renamed: dict[str, str] = {}

    def rename(match: re.Match) -> str:
        tag, old, rest = match.groups()[:3] if match.group(1) else match.groups()[3:]
        prefix = re.match(r"C\d+_\d+_|[mp]", old).group(0)
        new = prefix + hashlib.sha256(f"{tag}{rest}".encode()).hexdigest()[:10]
        first = new not in renamed.values()
        renamed[old] = new
        return f'<{tag} id="{new}"{rest}' if first else ""

    svg = _DEFINITION.sub(rename, svg)
    return re.sub(r"#((?:C\d+_\d+_|[mp])[0-9a-f]{10})\b", lambda m: "#" + renamed.get(m.group(1), m.group(1)), svg)


def compact_svg(svg: str) -> str:
    """The same drawing in fewer bytes (see the module's docstring for what changes)."""
    svg = _NUMERIC.sub(lambda m: m.group(1) + _compact_value(m.group(1).strip()[:-2], m.group(2)) + '"', svg)
    svg = _ids_from_content(svg)
    svg = _BETWEEN_TAGS.sub("><", _DROPPED.sub("", svg))
    svg = _HASHED_ID.sub(lambda m: ("C" if m.group(1).startswith("C") else m.group(1)) + m.group(2), svg)
    svg = _BARE_GROUP.sub(r"\1", _drop_unused_ids(svg))
    svg = _MARKER_RUN.sub(_group_markers, svg)
    svg = _ITEM_RUN.sub(_group_items, svg)
    svg = _ROW_RUN.sub(_group_rows, svg)
    return _svg2_links(_marker_tenths(svg))
