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
W_SUPPORT = 3.0       # per other name with a candidate near/around this one
SUPPORT_CANDIDATES = 32
NEAR_KM = 120.0
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

    # --- the text's own context, per distinct name: named countries and divisions,
    # and containers written beside it
    keys = list(dict.fromkeys(s.key_hash for s in spans if cands[s.key_hash][0].size))
    base: dict[int, np.ndarray] = {}
    for h in keys:
        rows, p = cands[h]
        sc = p.copy()
        if named_cc:
            sc += W_COUNTRY * cc_mask[pri.cc[rows]]
        if named_a1:
            sc += W_ADMIN1 * np.fromiter((a in named_a1 for a in pri.admin1[rows].tolist()),
                                         bool, len(rows))
        base[h] = sc

    def with_container(s: Span, sc: np.ndarray) -> np.ndarray:
        cont = container.get(id(s))
        if cont is None:
            return sc
        rows = cands[s.key_hash][0]
        ck = gaz.kind_of(cont)
        if ck == "country":
            hit = pri.cc[rows] == pri.cc[cont]
        elif ck == "admin2":
            hit = (pri.parent[rows] == cont) | (rows == cont)
        else:
            hit = pri.admin1[rows] == cont
        return sc + W_CONTAINER * hit

    # --- joint inference: a candidate is supported by the candidates of the other
    # names that lie near it or inside/around it, weighted by how likely those are
    literal_keys = {s.key_hash for s, r in zip(spans, roles) if r != "non_toponym"}
    support = _Support(gaz, pri, [(h, cands[h][0][:SUPPORT_CANDIDATES]) for h in keys],
                       literal_keys)
    scores = {h: base[h] for h in keys}
    focus_cc = None
    for it in range(3):
        probs = {h: _softmax(scores[h][:SUPPORT_CANDIDATES]) for h in keys}
        sup = support(probs)
        if it == 1:
            votes: Counter = Counter()
            for s, role in zip(spans, roles):
                if s.key_hash in scores and role != "non_toponym":
                    r = cands[s.key_hash][0][int(np.argmax(scores[s.key_hash]))]
                    votes[int(pri.cc[r])] += 1
            focus_cc = votes.most_common(1)[0][0] if votes else None
        for h in keys:
            sc = base[h].copy()
            n = min(len(sc), SUPPORT_CANDIDATES)
            sc[:n] += W_SUPPORT * np.log1p(sup[h])  # saturates: long texts are not louder
            if focus_cc is not None:
                sc += W_FOCUS * (pri.cc[cands[h][0]] == focus_cc)
            scores[h] = sc

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
            sc = with_container(s, scores[s.key_hash])
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


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


_POINTLIKE = ("city", "district", "site", "admin2")


class _Support:
    """Relations between the candidates of a text's names (computed once per text).

    ``R[i, j]`` is 1 when candidates i and j are within ``NEAR_KM`` of each other
    (both town-like), or one is the admin-1 division the other lies in; 0.5 when one
    is the country the other lies in.
    """

    def __init__(self, gaz: Gazetteer, pri, blocks, literal_keys):
        self.blocks = []
        rows_all = []
        pos = 0
        for h, rows in blocks:
            self.blocks.append((h, pos, pos + len(rows), h in literal_keys))
            rows_all.append(rows)
            pos += len(rows)
        rows = np.concatenate(rows_all) if rows_all else np.zeros(0, dtype=np.int64)
        self.n = len(rows)
        if self.n == 0 or len(self.blocks) < 2:
            self.R = None
            return
        kinds = gaz.kind_codes[rows]
        pointlike = np.isin(kinds, [gaz._kinds.index(k) for k in _POINTLIKE])
        country = kinds == gaz._kinds.index("country")
        lat = np.radians(gaz.lat[rows])
        lon = np.radians(gaz.lon[rows])
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        a = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] \
            * np.sin(dlon / 2) ** 2
        d = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
        R = ((pointlike[:, None] & pointlike[None, :]) & (d < NEAR_KM)).astype(np.float64)
        anc = pri.admin1[rows]
        R = np.maximum(R, (anc[:, None] == rows[None, :]) | (anc[None, :] == rows[:, None]))
        cc = pri.cc[rows]
        same_cc = cc[:, None] == cc[None, :]
        R = np.maximum(R, same_cc & (country[:, None] | country[None, :]))
        self.R = R

    def __call__(self, probs: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
        out = {h: np.zeros(b - a) for h, a, b, _ in self.blocks}
        if self.R is None:
            return out
        best = []  # per contributing block: max_j R[:, j] * p_j
        for h, a, b, lit in self.blocks:
            if lit:
                # evidence of a candidate relative to chance among its name's candidates
                lift = np.minimum(1.0, probs[h] * (b - a))
                best.append((h, (self.R[:, a:b] * lift[None, :]).max(axis=1)))
        total = sum(v for _, v in best) if best else np.zeros(self.n)
        for h, a, b, _ in self.blocks:
            own = next((v for k, v in best if k == h), None)
            sup = total[a:b] - (own[a:b] if own is not None else 0.0)
            out[h] = sup
        return out
