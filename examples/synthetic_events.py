"""Generate N synthetic, ACLED-shaped events placed at real gazetteer places.

Deterministic for a given ``--seed``. Events sit at (jittered) representative
points of the gazetteer's first-level divisions (provinces, states,
governorates); about 1 in 200 is areal and carries its province polygon, drawn
from a fixed set of 40 provinces so a map holds few distinct polygons.

    python examples/synthetic_events.py 10000 -o /tmp/synthetic-10k.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys

from geoevents.events import EVENT_TYPES, Event

ACTORS = ["Military Forces", "Police Forces", "Rebel Group A", "Rebel Group B", "Militia C",
          "Protesters", "Rioters", "Civilians", "Unidentified Armed Group",
          "Communal Militia D", "Islamist Militia E", "Coalition Forces"]

SENTENCES = {
    "Battles": "Fighting broke out between {a1} and {a2} near {loc} on {date}.",
    "Explosions/Remote violence": "A {sub} hit {loc} on {date}, officials said.",
    "Violence against civilians": "{a1} attacked villagers in {loc} on {date}.",
    "Protests": "Hundreds of people protested in {loc} on {date} against rising prices.",
    "Riots": "Rioters clashed with police in {loc} on {date}.",
    "Strategic developments": "{a1} set up a new base outside {loc} on {date}.",
}

COLUMNS = ["event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
           "actor2", "fatalities", "country", "admin1", "location", "latitude", "longitude",
           "geo_precision", "precision", "source", "notes"]


def synthetic_events(n: int, seed: int = 42, areal: bool = True) -> list[Event]:
    """``n`` synthetic events at real gazetteer places (deterministic for ``seed``)."""
    import shapely

    from geoevents import Gazetteer

    rnd = random.Random(seed)
    places = sorted(Gazetteer.load().polygons("admin1"), key=lambda p: p.id)
    for p in places:
        shapely.prepare(p.geometry)
    polygons = rnd.sample(places, 40)
    start = dt.date(2023, 1, 1)
    types = sorted(EVENT_TYPES)
    weights = [4, 6, 3, 5, 1, 2]  # Battles, Explosions, Protests, Riots, Strategic, VAC
    events = []
    for i in range(n):
        etype = rnd.choices(types, weights)[0]
        sub = rnd.choice(EVENT_TYPES[etype])
        is_area = areal and rnd.random() < 0.005
        p = rnd.choice(polygons if is_area else places)
        lat, lon = p.latitude, p.longitude
        if not is_area:  # jitter, staying inside the province
            y = round(lat + rnd.uniform(-0.3, 0.3), 5)
            x = round(lon + rnd.uniform(-0.3, 0.3), 5)
            if shapely.contains_xy(p.geometry, x, y):
                lat, lon = y, x
        day = start + dt.timedelta(days=rnd.randrange(365))
        a1, a2 = rnd.sample(ACTORS, 2)
        loc = p.name
        sentence = SENTENCES[etype].format(a1=a1, a2=a2, loc=loc, sub=sub.lower(),
                                           date=day.strftime("%d %B %Y"))
        k = sentence.index(loc)
        events.append(Event(
            event_id=f"syn-{i + 1:06d}", event_date=day, time_precision=1, event_type=etype,
            sub_event_type=sub, actor1=a1, actor2=a2 if etype == "Battles" else "",
            fatalities=rnd.choice([0, 0, 0, 1, 2, 3, 5, 12, None]), country=p.country,
            admin1=p.name, location=loc, latitude=lat, longitude=lon,
            geo_precision=3 if is_area else 1, precision="admin1" if is_area else "town",
            geometry=p.geometry if is_area else None, source="Synthetic Wire",
            notes=sentence, sentence=sentence, sentence_start=0, mention=loc,
            mention_start=k, mention_end=k + len(loc), place_id=p.id))
    return events


def write_csv(events: list[Event], out) -> None:
    """ACLED-style CSV (the geometry is not written: latitude/longitude are)."""
    w = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    w.writeheader()
    for e in events:
        d = e.to_dict()
        w.writerow({c: "" if d.get(c) is None else d.get(c) for c in COLUMNS})


def main(argv=None) -> int:
    """Write ``n`` synthetic events as CSV."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of events")
    ap.add_argument("-o", "--output", default="-", help="CSV file ('-': stdout)")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    events = synthetic_events(args.n, args.seed, areal=False)
    if args.output == "-":
        write_csv(events, sys.stdout)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            write_csv(events, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
