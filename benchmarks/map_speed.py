"""How fast is a 100,000-event map, and how does plain folium do with 10,000 markers?

Prints, in one run:

* geoevents ``event_map`` of 100,000 synthetic events: time to build and save
  the HTML, page size, and time until the page is ready in headless Chromium
  (navigation start → all markers added and two animation frames painted);
* the baseline: plain folium, one ``folium.Marker`` per event, 10,000 events —
  the same three figures (Leaflet inlined so neither page touches the network).

    python benchmarks/map_speed.py [--events 100000] [--baseline 10000]

Needs Debian's ``chromium`` and the ``playwright`` package for the browser
figures (they print as "n/a" otherwise).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))

from synthetic_events import synthetic_events  # noqa: E402

from geoevents.maps import event_map, save_map  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FRAMES = ("new Promise(r => requestAnimationFrame(() => "
          "requestAnimationFrame(() => r(performance.now()))))")


def ready_ms(path: str, flag: str | None, timeout_s: float = 300) -> float | None:
    """Milliseconds from navigation start until the page is ready and painted."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not os.path.exists(CHROMIUM):
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(timeout_s * 1000)
        page.goto(Path(path).as_uri(), wait_until="load", timeout=timeout_s * 1000)
        if flag:
            page.wait_for_function(flag, timeout=timeout_s * 1000)
        t = page.evaluate(FRAMES)
        browser.close()
    return t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--baseline", type=int, default=10_000)
    ap.add_argument("--online", action="store_true",
                    help="geoevents map with the tile basemap (default: offline page)")
    args = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="geoevents-bench-")

    events = synthetic_events(args.events, seed=1)
    t0 = time.perf_counter()
    m = event_map(events, offline=not args.online, title=f"{args.events:,} synthetic events")
    ours = os.path.join(tmp, "geoevents.html")
    save_map(m, ours)
    t_ours = time.perf_counter() - t0
    size_ours = os.path.getsize(ours) / 1e6
    r_ours = ready_ms(ours, "window.geoeventsReady >= 1")

    import folium

    from geoevents._folium import adopt

    base = events[: args.baseline]
    t0 = time.perf_counter()
    fm = folium.Map(location=[20, 0], zoom_start=2, tiles=None)
    adopt(fm, True, None)  # inline Leaflet so the page loads without network
    for e in base:
        folium.Marker([e.latitude, e.longitude], popup=e.notes, tooltip=e.event_type).add_to(fm)
    baseline = os.path.join(tmp, "folium-markers.html")
    fm.save(baseline)
    t_base = time.perf_counter() - t0
    size_base = os.path.getsize(baseline) / 1e6
    r_base = ready_ms(baseline, None)

    def fmt(ms):
        return "n/a" if ms is None else f"{ms / 1000:.2f} s"

    print(f"{'':38s} {'build+save':>10s} {'HTML':>9s} {'ready in Chromium':>18s}")
    print(f"{'geoevents event_map, ' + format(args.events, ',') + ' events':38s} "
          f"{t_ours:9.2f}s {size_ours:7.1f}MB {fmt(r_ours):>18s}")
    print(f"{'folium Marker per event, ' + format(len(base), ',') + ' events':38s} "
          f"{t_base:9.2f}s {size_base:7.1f}MB {fmt(r_base):>18s}")
    print(f"(pages in {tmp})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
