"""The house style for every figure, and the :class:`Chart` every figure function returns.

One palette (Okabe-Ito, safe for the common colour-vision deficiencies), type
sizes readable on a classroom projector, no chart junk; output that is
byte-identical for the same data, and alt text that travels with the figure.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from cyberhistory.svg import compact_svg

#: Okabe & Ito (2008) colour-blind-safe palette, most distinct colours first.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
#: Text and axis grey: dark enough for contrast on white and on paper.
INK = "#222222"
MUTED = "#595959"

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
    "axes.grid": True,
    "axes.grid.axis": "x",
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "legend.frameon": False,
    "legend.fontsize": 10,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.fonttype": "none",  # real text: smaller files, selectable and readable by screen readers
    "svg.hashsalt": "cyberhistory",
    "path.simplify": True,
}

#: Metadata that would make two renders differ (dates, software versions) is dropped.
_SVG_METADATA = {"Date": None, "Creator": None}
_PNG_METADATA = {"Software": None}


def colour_for(index: int) -> str:
    """The palette colour for the ``index``-th category (cycling after eight)."""
    return OKABE_ITO[index % len(OKABE_ITO)]


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style inside a ``with`` block, leaving global settings untouched."""
    with mpl.rc_context(RC):
        yield


def new_figure(width: float = 11.0, height: float = 5.5) -> Figure:
    """A figure in the house style, not attached to pyplot (so notebooks never show it twice)."""
    with house_style():
        figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    # Keep a strip at the bottom free for the source line, which the layout engine does not see.
    strip = 0.3 / height
    figure.get_layout_engine().set(rect=(0.01, strip, 0.99, 1 - strip))
    return figure


#: What a figure's credit counts by default (translated where it is shown).
EVENTS = "events"


def credit(n: int, what: str = EVENTS) -> str:
    """The data credit under a figure: how many records it draws, and where their sources are."""
    from cyberhistory.i18n import gettext as _

    _("events")  # the default of ``what``, listed here for the catalog
    return _("Data: cyberhistory dataset, %(n)s %(what)s; see sources") % {"n": n, "what": _(what)}


def source_line(figure: Figure, text: str) -> None:
    """Write the data credit in small grey type under the plot."""
    figure.text(0.005, 0.005, text, fontsize=9, color=MUTED, ha="left", va="bottom")


class Chart:
    """A finished figure with its alt text.

    Every figure function returns one. In Jupyter it displays as SVG, with the
    alt text as its plain-text form and in the output's metadata, which the
    static site turns into the image's accessible description.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    alt_text : str
        What the figure shows, generated from the data drawn.
    details : dict
        Facts about what was drawn (counts, labels placed), for tests and captions.
    explore : str or None
        For a timeline, the site explorer's view of the same events (``campaign=...&from=...``),
        kept in the output's metadata so the site can link the figure to it.
    """

    def __init__(self, figure: Figure, alt_text: str, details: dict | None = None, explore: str | None = None):
        self.figure = figure
        self.alt_text = alt_text
        self.details = details or {}
        self.explore = explore

    def svg(self) -> str:
        """The figure as SVG text, identical across renders of the same data."""
        buffer = io.StringIO()
        with house_style():
            self.figure.savefig(buffer, format="svg", metadata=_SVG_METADATA)
        return _with_description(compact_svg(buffer.getvalue()), self.alt_text)

    def png(self, dpi: int = 150) -> bytes:
        """The figure as PNG bytes, identical across renders of the same data."""
        buffer = io.BytesIO()
        with house_style():
            self.figure.savefig(buffer, format="png", dpi=dpi, metadata=_PNG_METADATA)
        return buffer.getvalue()

    def save(self, path: str | Path) -> Path:
        """Write SVG or PNG by the file's suffix."""
        path = Path(path)
        if path.suffix == ".svg":
            path.write_text(self.svg(), encoding="utf-8")
        else:
            path.write_bytes(self.png())
        return path

    def _repr_mimebundle_(self, include: Sequence[str] | None = None, exclude: Sequence[str] | None = None):
        data = {"image/svg+xml": self.svg(), "text/plain": self.alt_text}
        meta = {"alt": self.alt_text} | ({"explore": self.explore} if self.explore else {})
        return data, {"image/svg+xml": meta}

    def __repr__(self) -> str:
        return f"<Chart: {self.alt_text[:80]}...>"


def _with_description(svg: str, alt_text: str) -> str:
    """Give the SVG an accessible name: role="img", <title> and aria-label."""
    from html import escape

    label = escape(alt_text, quote=True)
    head, sep, rest = svg.partition("<svg ")
    if not sep:
        return svg
    tag_end = rest.index(">")
    return f'{head}<svg role="img" aria-label="{label}" {rest[:tag_end]}><title>{label}</title>{rest[tag_end + 1 :]}'
