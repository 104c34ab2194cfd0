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


def _near(gaz: Gazetteer, rows: list[int], lat: float, lon: float) -> list[bool]:
    return [haversine_km(lat, lon, float(gaz.lat[r]), float(gaz.lon[r])) <= 161 for r in rows]


def coverage(path: str, gaz: Gazetteer) -> tuple[int, float, float, int, int, int]:
    """Toponyms, top-10 and any-rank coverage, and the misses with no candidate at all
    and with candidates none of which is within 161 km; of the latter, those with a
    candidate within 161 km of the gold point with a sign flipped (a gold-data error)."""
    n = top10 = anyc = none = far = flipped = 0
    for line in open(path, encoding="utf-8"):
        doc = json.loads(line)
        for t in doc["toponyms"]:
            lat, lon = t.get("lat"), t.get("lon")
            if lat is None or lon is None:
                continue
            n += 1
            rows = gaz._ranked_for_name(t["name"])
            hits = _near(gaz, rows, lat, lon)
            top10 += any(hits[:10])
            anyc += any(hits)
            none += not rows
            if rows and not any(hits):
                far += 1
                flipped += any(_near(gaz, rows, lat, -lon)) or any(_near(gaz, rows, -lat, lon))
    return n, top10 / n, anyc / n, none, far, flipped


def main(paths):
    gaz = Gazetteer.load()
    print(f"{'corpus':50s} {'toponyms':>9s} {'top-10':>7s} {'any':>7s} {'none':>6s} "
          f"{'below10':>7s} {'far':>6s} {'flipped':>7s}")
    for p in paths:
        n, t10, a, none, far, flipped = coverage(p, gaz)
        below = round((a - t10) * n)
        print(f"{p:50s} {n:9d} {t10:7.3f} {a:7.3f} {none:6d} {below:7d} {far:6d} {flipped:7d}")
    print("none: no candidate; below10: a candidate within 161 km, ranked below 10; "
          "far: candidates, none within 161 km; flipped: of those, a candidate is within "
          "161 km of the gold point with its latitude or longitude sign flipped")


if __name__ == "__main__":
    main(sys.argv[1:])
