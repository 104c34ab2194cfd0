"""Stage 4 — resolution: pick the gazetteer entry each mention refers to.

Each candidate gets a score from

* its prior (kind, population, capital/seat status, how its name matched);
* the document's context: countries and first-level divisions the text names,
  a container written right after the name ("Paris, Texas", "Jackson, Miss."),
  the document focus (the country most mentions resolve to), and proximity to
  the other places resolved in the text;

and the scores are turned into probabilities (softmax), so every resolution
carries a confidence and its runner-up alternatives. A name keeps one resolution
within a document unless a container written beside it says otherwise.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .gazetteer import Gazetteer
from .recognition import Span

__all__ = ["Resolution", "resolve"]

MAX_CANDIDATES = 64
W_COUNTRY = 2.2       # candidate lies in a country the text names
W_ADMIN1 = 2.5        # candidate lies in a first-level division the text names
W_CONTAINER = 6.0     # "X, Y" where Y contains the candidate
W_FOCUS = 1.2         # candidate lies in the document's focus country
W_NEAR = 1.5          # close to the other resolved places
_AREAL = ("country", "admin1", "continent", "region", "sea")


@dataclass(frozen=True, slots=True)
class Resolution:
    """The chosen row for a span, its confidence, and the runners-up."""

    row: int
    score: float
    alternatives: tuple[tuple[int, float], ...]


def resolve(text: str, spans: list[Span], roles: list[str], gazetteer: Gazetteer
            ) -> list[Resolution | None]:
    """Resolve every span to a gazetteer row (``None`` if no candidate)."""
    gaz = gazetteer
    pri = gaz.priors
    cands: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for s in spans:
        if s.key_hash in cands:
            continue
        rows, types = gaz.rows_for_hash(s.key_hash)
        rows = np.asarray(rows, dtype=np.int64)
        types = np.asarray(types, dtype=np.int64)
        if len(rows) == 0:
            cands[s.key_hash] = (rows, np.zeros(0))
            continue
        p = pri(rows, types)
        if len(rows) > MAX_CANDIDATES:
            keep = np.argsort(-p, kind="stable")[:MAX_CANDIDATES]
            rows, p = rows[keep], p[keep]
        cands[s.key_hash] = (rows, p)

    # --- context from names that are (almost) unambiguous areal places
    named_cc: Counter = Counter()
    named_a1: set[int] = set()
    for s in spans:
        rows, p = cands[s.key_hash]
        if len(rows) == 0:
            continue
        top = int(np.argmax(p))
        r = int(rows[top])
        kind = gaz.kind_of(r)
        margin = p[top] - (np.partition(p, -2)[-2] if len(p) > 1 else -9.0)
        if kind == "country" or (kind == "admin1" and margin > 0.5):
            named_cc[int(pri.cc[r])] += 1
            if kind == "admin1":
                named_a1.add(r)

    # --- containers written beside a name: "Paris, Texas", "Jackson, Miss."
    container: dict[int, int] = {}
    for a, b in zip(spans, spans[1:]):
        gap = text[a.end:b.start]
        if gap in (", ", ",", " (", ", the ") and cands[b.key_hash][0].size:
            brow = cands[b.key_hash][0]
            bp = cands[b.key_hash][1]
            br = int(brow[int(np.argmax(bp))])
            if gaz.kind_of(br) in ("admin1", "country", "admin2"):
                container[id(a)] = br

    cc_mask = np.zeros(len(gaz._ccs), dtype=bool)
    for c in named_cc:
        cc_mask[c] = True

    def score(s: Span, focus_cc: int | None, anchors: np.ndarray | None) -> np.ndarray:
        rows, p = cands[s.key_hash]
        sc = p.copy()
        if named_cc:
            sc += W_COUNTRY * cc_mask[pri.cc[rows]]
        if named_a1:
            sc += W_ADMIN1 * np.fromiter((a in named_a1 for a in pri.admin1[rows].tolist()),
                                         bool, len(rows))
        cont = container.get(id(s))
        if cont is not None:
            ck = gaz.kind_of(cont)
            if ck == "country":
                hit = pri.cc[rows] == pri.cc[cont]
            elif ck == "admin2":
                hit = np.array([int(pri.parent[r]) == cont or r == cont for r in rows])
            else:
                hit = pri.admin1[rows] == cont
            sc += W_CONTAINER * hit
        if focus_cc is not None:
            sc += W_FOCUS * (pri.cc[rows] == focus_cc)
        if anchors is not None and len(anchors):
            lat = np.radians(gaz.lat[rows])[:, None]
            lon = np.radians(gaz.lon[rows])[:, None]
            alat, alon = np.radians(anchors[:, 0])[None, :], np.radians(anchors[:, 1])[None, :]
            d = 2 * 6371 * np.arcsin(np.sqrt(np.sin((alat - lat) / 2) ** 2 + np.cos(lat)
                                             * np.cos(alat) * np.sin((alon - lon) / 2) ** 2))
            near = np.log10(d + 1.0).mean(axis=1)
            sc += W_NEAR * np.clip(1.0 - near / 3.5, 0.0, 1.0)
        return sc

    # --- pass 1: prior + named context
    first: dict[int, int] = {}
    for s in spans:
        rows, _ = cands[s.key_hash]
        if len(rows) and s.key_hash not in first:
            first[s.key_hash] = int(rows[int(np.argmax(score(s, None, None)))])
    votes: Counter = Counter()
    for s, role in zip(spans, roles):
        r = first.get(s.key_hash)
        if r is not None and role != "non_toponym":
            votes[int(pri.cc[r])] += 1
    focus_cc = votes.most_common(1)[0][0] if votes else None
    anchors = [(gaz.lat[r], gaz.lon[r]) for r in set(first.values())
               if gaz.kind_of(r) not in ("continent", "region", "sea", "country")]
    anchor_arr = np.array(anchors, dtype=np.float64) if anchors else None

    # --- pass 2: with focus and proximity
    out: list[Resolution | None] = []
    memo: dict[tuple[int, int | None], Resolution] = {}
    for s in spans:
        rows, _ = cands[s.key_hash]
        if len(rows) == 0:
            out.append(None)
            continue
        memo_key = (s.key_hash, container.get(id(s)))
        res = memo.get(memo_key)
        if res is None:
            sc = score(s, focus_cc, anchor_arr)
            order = np.argsort(-sc, kind="stable")[:6]
            ex = np.exp(sc[order] - sc[order[0]])
            prob = ex / ex.sum() if len(rows) > 1 else np.ones(1)
            # a lone candidate is only as sure as its prior allows
            conf = float(prob[0]) if len(rows) > 1 else 1.0 / (1.0 + math.exp(-sc[0]))
            res = Resolution(int(rows[order[0]]), conf,
                             tuple((int(rows[k]), float(q)) for k, q in
                                   zip(order[1:], prob[1:])))
            memo[memo_key] = res
        out.append(res)
    return out
