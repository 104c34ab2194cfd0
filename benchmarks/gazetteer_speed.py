"""Gazetteer speed and memory: cold start, search and reverse latency, resident memory.

    python benchmarks/gazetteer_speed.py

Cold start is measured in a fresh interpreter (import + load + first search).
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import time

COLD = ("import time; t=time.perf_counter(); import geoevents; "
        "g=geoevents.Gazetteer.load(); g.search('Baghdad'); print(time.perf_counter()-t)")


def main():
    colds = sorted(float(subprocess.run([sys.executable, "-c", COLD], capture_output=True,
                                        text=True, check=True).stdout) for _ in range(5))
    print(f"cold start (import + load + first search), median of 5: {colds[2] * 1000:.0f} ms")

    from geoevents import Gazetteer
    gaz = Gazetteer.load()
    rng = random.Random(0)
    rows = [rng.randrange(len(gaz)) for _ in range(20000)]
    names = [gaz.name_of(r) for r in rows]
    t = time.perf_counter()
    for n in names[:10000]:
        gaz.search(n, limit=5)
    cold_search = (time.perf_counter() - t) / 10000
    t = time.perf_counter()
    for n in names[:10000]:
        gaz.search(n, limit=5)
    warm_search = (time.perf_counter() - t) / 10000
    t = time.perf_counter()
    for n in names[:10000]:
        gaz.rows_for_name(n)
    lookup = (time.perf_counter() - t) / 10000
    print(f"search, 10,000 random place names: {cold_search * 1e6:.1f} µs first time "
          f"(builds Place objects), {warm_search * 1e6:.1f} µs repeated; "
          f"name look-up alone {lookup * 1e6:.1f} µs")
    gaz.reverse(0, 0)  # builds the spatial index
    pts = [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(5000)]
    t = time.perf_counter()
    for lat, lon in pts:
        gaz.reverse(lat, lon)
    print(f"reverse, 5,000 random points: {(time.perf_counter() - t) / 5000 * 1e6:.1f} µs")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process (gazetteer loaded, index built): {rss:.0f} MB")


if __name__ == "__main__":
    main()
