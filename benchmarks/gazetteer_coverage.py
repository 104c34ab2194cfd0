"""Gazetteer coverage on annotated corpora.

For the gold toponyms with coordinates, the share for which ``search(mention text)``
returns some candidate within 161 km of the gold point (top 10, and any candidate).

    python benchmarks/gazetteer_coverage.py ../shared/evaldata/{lgl,geovirus,wiktor}/docs.jsonl
"""

from __future__ import annotations

import json
import sys

from geoevents import Gazetteer
from geoevents.evaluate import haversine_km


def coverage(path: str, gaz: Gazetteer) -> tuple[int, float, float, int, int]:
    """Toponyms, top-10 and any-rank coverage, and the misses with no candidate at all
    and with candidates none of which is within 161 km."""
    n = top10 = anyc = none = far = 0
    for line in open(path, encoding="utf-8"):
        doc = json.loads(line)
        for t in doc["toponyms"]:
            if t.get("lat") is None or t.get("lon") is None:
                continue
            n += 1
            rows = gaz._ranked_for_name(t["name"])
            hits = [haversine_km(t["lat"], t["lon"], float(gaz.lat[r]), float(gaz.lon[r])) <= 161
                    for r in rows]
            top10 += any(hits[:10])
            anyc += any(hits)
            none += not rows
            far += bool(rows) and not any(hits)
    return n, top10 / n, anyc / n, none, far


def main(paths):
    gaz = Gazetteer.load()
    print(f"{'corpus':50s} {'toponyms':>9s} {'top-10':>7s} {'any':>7s} {'none':>6s} "
          f"{'below10':>7s} {'far':>6s}")
    for p in paths:
        n, t10, a, none, far = coverage(p, gaz)
        below = round((a - t10) * n)
        print(f"{p:50s} {n:9d} {t10:7.3f} {a:7.3f} {none:6d} {below:7d} {far:6d}")
    print("none: no candidate; below10: a candidate within 161 km, ranked below 10; "
          "far: candidates, none within 161 km")


if __name__ == "__main__":
    main(sys.argv[1:])
