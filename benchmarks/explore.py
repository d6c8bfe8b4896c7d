"""Benchmark: the timeline explorer with the real data and with 10,000 synthetic events, in Chromium.

Builds two sites (the real data; `synthetic.write_synthetic` with 10,000 events), each with one tiny
notebook so only the explorer's part of the build matters, opens each `explore.html` from file://
with every other request blocked, and prints the median of a few runs of: navigation to the first
drawn timeline (the page's own `window.__exploreReady` mark), applying a filter and clearing the
filters (until the next frame is laid out, ready to paint, and until the events table is complete),
and one zoom step; the 10,000-event figures also as ratios to the real data's. Then the size of the site's own
scripts (every assets/*.js but the data file) against its 60 KB target, and explore.js against 25 KB.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

import nbformat
from synthetic import write_synthetic

from cyberhistory.schema import DEFAULT_DATA_DIR
from cyberhistory.site.build import build
from cyberhistory.site.explore import DATA_FILE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCRIPTS_TARGET = 60 * 1024
EXPLORE_TARGET = 25 * 1024

# Runs in the page: time an action until its frame is laid out (ready to paint), and until the table is complete.
_TIMED = """async (action) => {
  const stats = window.__exploreStats, start = performance.now();
  const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  // The next frame, with its style and layout forced: what the browser then paints.
  const laidOut = () => new Promise((done) => requestAnimationFrame(() => { document.body.offsetHeight; done(); }));
  if (action === "filter" || action === "clear") {
    const menu = document.getElementById("f-tactic");
    menu.value = action === "filter" ? "ddos" : "";
    menu.dispatchEvent(new Event("change", { bubbles: true }));
  } else {
    document.getElementById("zoom-in").click();
  }
  await laidOut();
  const painted = performance.now() - start;
  while (action !== "zoom" && !(stats.tableAt > start)) await frame();
  return [painted, action === "zoom" ? painted : stats.tableAt - start, stats.markers];
}"""


def _tiny_notebooks(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny\n\n**Estimated time:** 5 minutes")]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / "00-tiny.ipynb")
    return folder


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file:")
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page.goto(path.as_uri())
    page.wait_for_function("window.__exploreReady !== undefined")
    return page, outside


def measure(browser, page_path: Path, runs: int) -> dict[str, float]:
    """Median figures (ms) over ``runs`` fresh page loads."""
    figures: dict[str, list[float]] = {}
    for _ in range(runs):
        page, outside = _open(browser, page_path)
        assert outside == [], outside
        values = {"events": page.evaluate("window.__exploreStats.markers"), "ready": page.evaluate("__exploreReady")}
        for action in ("filter", "clear", "zoom"):
            painted, table, _ = page.evaluate(_TIMED, action)
            values[f"{action} painted"], values[f"{action} table"] = painted, table
        page.close()
        for key, value in values.items():
            figures.setdefault(key, []).append(value)
    return {key: statistics.median(values) for key, values in figures.items()}


def script_sizes(assets: Path) -> tuple[int, int, int]:
    """(the site's own scripts, explore.js, the data file), in bytes."""
    own = sum(p.stat().st_size for p in assets.glob("*.js") if p.name != DATA_FILE)
    return own, (assets / "explore.js").stat().st_size, (assets / DATA_FILE).stat().st_size


def _verdict(value: float, target: float) -> str:
    return "met" if value <= target else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000, help="synthetic events (default 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="page loads per site (default 3)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        notebooks = _tiny_notebooks(tmp / "nb")
        real = shutil.copytree(DEFAULT_DATA_DIR, tmp / "real-data")
        synthetic = write_synthetic(tmp / "synthetic-data", args.events)
        sites = {}
        for name, data in (("real data", real), (f"{args.events:,} events", synthetic)):
            out = build(
                tmp / f"_build-{len(sites)}", notebook_dir=notebooks, data_directory=data, report=lambda *_: None
            )
            sites[name] = out / "student"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            results = {name: measure(browser, site / "explore.html", args.runs) for name, site in sites.items()}
            browser.close()
        sizes = {name: script_sizes(site / "assets") for name, site in sites.items()}
    (real_name, base), (big_name, big) = results.items()
    print(f"explore.html in Chromium from file://, median of {args.runs} loads (ms; ratio = {big_name} / real data)")
    print(f"  {'':34} {real_name:>10} {big_name:>14} {'ratio':>7}")
    rows = [
        ("events drawn", "events"),
        ("navigation to first drawn timeline", "ready"),
        ("filter (tactic = DDoS): next frame", "filter painted"),
        ("  ... events table complete", "filter table"),
        ("clear the filter: next frame", "clear painted"),
        ("  ... events table complete", "clear table"),
        ("one zoom step: next frame", "zoom painted"),
    ]
    for label, key in rows:
        ratio = big[key] / base[key] if base[key] else float("nan")
        print(f"  {label:34} {base[key]:10.0f} {big[key]:14.0f} {ratio:7.1f}")
    own, explore_js, data_file = sizes[real_name]
    print(
        f"site's own scripts (assets/*.js but {DATA_FILE}): {own / 1024:.1f} KB (target <= 60 KB) "
        f"{_verdict(own, SCRIPTS_TARGET)}"
    )
    print(f"  of which explore.js: {explore_js / 1024:.1f} KB (target <= 25 KB) {_verdict(explore_js, EXPLORE_TARGET)}")
    print(
        f"{DATA_FILE}: {data_file / 1024:.0f} KB with the real data, {sizes[big_name][2] / 2**20:.1f} MB with {big_name}"
    )


if __name__ == "__main__":
    main()
