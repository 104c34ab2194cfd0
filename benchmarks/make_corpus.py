"""Build a synthetic news corpus of N MB (JSONL) for the scale benchmarks.

Every sentence comes from the templates below (written for this benchmark, not taken
from any corpus), filled with place names drawn from the bundled gazetteer (cities,
admin areas and countries with a population), actor words, numbers and dates. The
output is deterministic for a given ``--seed``; write it to /tmp, never commit it.

    python benchmarks/make_corpus.py 20 -o /tmp/geo20.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TEMPLATES = [
    "Shelling struck a market in {city} on {day}, killing {n} people, officials in {admin} said.",
    "Residents of {city} said {actor} had set up checkpoints on the road to {city2}.",
    "{country}'s interior ministry reported {n} arrests after protests in {city}.",
    "A convoy carrying aid left {city} for {city2}, about {km} km to the {dir}.",
    "Talks between {actor} and the government of {country} resumed in {city} on {day}.",
    "Heavy rain flooded parts of {admin}, and roads between {city} and {city2} were cut.",
    "An explosion near the port of {city} wounded {n} workers, the police said.",
    "Farmers in {admin} say prices have doubled since the border with {country2} closed.",
    "The governor of {admin} imposed a curfew in {city} after clashes overnight.",
    "Officials from {country} and {country2} met to discuss water rights along the border.",
    "Gunmen attacked a village {km} km {dir} of {city}, burning homes and a school.",
    "Doctors in {city} said hospitals were running short of fuel and medicine.",
    "{actor} claimed to have taken control of two districts outside {city}.",
    "Hundreds marched through central {city} on {day} demanding the release of detainees.",
    "A drone strike hit a vehicle on the outskirts of {city}, killing {n}, witnesses said.",
    "Teachers in {admin} went on strike over unpaid salaries for a third week.",
    "The {country2} embassy in {city} suspended visa services until further notice.",
    "Displaced families arriving in {city} from {city2} described days of fighting.",
]
TITLES = [
    "Clashes reported near {city}", "{country} says talks will continue",
    "Aid reaches {city} after weeks of delays", "Protests spread across {admin}",
    "Curfew imposed in {city}", "Fighting displaces thousands in {admin}",
]
ACTORS = ["rebel fighters", "government forces", "an armed group", "militia members",
          "security forces", "the army", "local defence groups", "police units"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "3 March", "12 June", "28 September", "9 November"]
DIRS = ["north", "south", "east", "west", "northeast", "southwest"]


def place_names():
    import numpy as np

    from geoevents.gazetteer import Gazetteer

    g = Gazetteer.load()
    by_kind: dict[str, list[str]] = {"city": [], "admin1": [], "country": []}
    kinds = g.kind_codes
    big_city = (kinds == g._kinds.index("city")) & (g.population > 50_000)
    areas = np.isin(kinds, [g._kinds.index("admin1"), g._kinds.index("country")])
    for r in np.nonzero(big_city | areas)[0]:
        name = g.name_of(int(r))
        if name.isascii() and name[:1].isupper():
            by_kind[g.kind_of(int(r))].append(name)
    for k in by_kind:
        by_kind[k] = sorted(set(by_kind[k]))
    return by_kind


def make_doc(rng: random.Random, names: dict, i: int) -> dict:
    def fill(t: str) -> str:
        return t.format(
            city=rng.choice(names["city"]), city2=rng.choice(names["city"]),
            admin=rng.choice(names["admin1"]), country=rng.choice(names["country"]),
            country2=rng.choice(names["country"]), actor=rng.choice(ACTORS),
            day=rng.choice(DAYS), n=rng.randint(2, 40), km=rng.randint(5, 90),
            dir=rng.choice(DIRS))
    sents = [fill(rng.choice(TEMPLATES)) for _ in range(rng.randint(6, 14))]
    sents = [x[0].upper() + x[1:] for x in sents]
    paras = []
    while sents:
        k = rng.randint(2, 4)
        paras.append(" ".join(sents[:k]))
        sents = sents[k:]
    text = fill(rng.choice(TITLES)) + "\n\n" + "\n\n".join(paras)
    return {"id": f"doc-{i:08d}", "published": f"2024-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}", "text": text}


def write_corpus(path: str, megabytes: float, seed: int = 0) -> int:
    """Write about ``megabytes`` MB of JSONL documents to ``path``; return the count."""
    names = place_names()
    rng = random.Random(seed)
    limit = int(megabytes * 1_000_000)
    size = n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < limit:
            line = json.dumps(make_doc(rng, names, n), ensure_ascii=False) + "\n"
            fh.write(line)
            size += len(line.encode())
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("megabytes", type=float)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    n = write_corpus(a.output, a.megabytes, a.seed)
    print(f"{a.output}: {n} documents, {Path(a.output).stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
