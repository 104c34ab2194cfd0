"""Resolution misses on an annotated corpus, grouped by the kind of place chosen.

    python benchmarks/resolution_misses.py ../shared/evaldata/geovirus/docs.jsonl [TOP]

A miss is a gold toponym that a prediction found but placed more than 161 km away.
For areal kinds (country, admin1, region, continent, sea) the line also counts the
misses whose gold point lies inside the chosen place's polygon: the place is right and
only the representative-point conventions differ.
"""

from __future__ import annotations

import sys
from collections import Counter

from shapely import Point

from geoevents import Gazetteer
from geoevents.evaluate import evaluate

AREAL = ("country", "admin1", "region", "continent", "sea")


def main(path: str, top: int = 15):
    gaz = Gazetteer.load()
    errors: list[dict] = []
    resolved = len(evaluate(path, errors_out=errors).errors)
    misses = [e for e in errors if e.get("err_km") is not None and e["err_km"] > 161]
    by_kind: Counter = Counter()
    inside: Counter = Counter()
    by_name: Counter = Counter()
    km: dict = {}
    for e in misses:
        place = gaz.get(e["place"])
        by_kind[place.kind] += 1
        if place.kind in AREAL and place.geometry.contains(Point(e["lon"], e["lat"])):
            inside[place.kind] += 1
        k = (e["gold"], place.name, place.kind)
        by_name[k] += 1
        km[k] = e["err_km"]
    print(f"{path}: {len(misses)} resolution misses (> 161 km)")
    for kind, n in by_kind.most_common():
        extra = f", {inside[kind]} with the gold point inside" if kind in AREAL else ""
        print(f"  {kind:10s} {n:5d}{extra}")
    held = sum(inside.values())
    print(f"  areal places holding the gold point: {held}")
    print(f"  Acc@161 {1 - len(misses) / resolved:.3f} of {resolved} resolved; with every "
          f"other miss fixed {1 - held / resolved:.3f}")
    for (gold, name, kind), n in by_name.most_common(top):
        print(f"  {n:4d}  {gold!r} -> {name} ({kind}), {km[(gold, name, kind)]:.0f} km")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15)
