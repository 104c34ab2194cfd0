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
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import shapely

from ._text import BoundedMemo, key_hash, name_key
from .gazetteer import Gazetteer
from .recognition import Span
from .role import town_cue

__all__ = ["Resolution", "resolve"]

MAX_CANDIDATES = 48
EVIDENCE_CANDIDATES = 12  # per name, the ones that can support others
W_COUNTRY = 2.2       # candidate lies in a country the text names
W_ADMIN1 = 2.5        # candidate lies in a first-level division the text names
W_CONTAINER = 6.0     # "X, Y" where Y contains the candidate
W_FOCUS = 1.2         # candidate lies in the document's focus country
W_FOCUS_A1 = 2.0      # ... in its focus first-level division (at least two names there)
W_SUPPORT = 3.0       # per other name with a candidate near/around this one
W_CLOSE = 1.0         # more, per other name with a candidate within CLOSE_KM (same county)
W_LIST = 3.0          # a member of a list of countries (states) is one
W_DEMOTE = 3.0        # a town named like a country, with no container beside it
W_COUNTY = W_ADMIN1 + W_COUNTRY  # candidate lies in a county the text names (as much
#                                    as a named state and its country together)
W_TOWN = 3.0          # a town, where the text names the town's council or police
W_SEAT = 2.0          # a capital, for a name used as its government ("Washington said")
NEAR_KM = 120.0
CLOSE_KM = 40.0
_DEG2_NEAR = (NEAR_KM / 111.195) ** 2  # squared, in degrees of latitude
_DEG2_CLOSE = (CLOSE_KM / 111.195) ** 2
_AREAL = ("country", "admin1", "continent", "region", "sea")
_LIST_GAP = re.compile(r"(?:,? and|,? or|,|/| ?& ?)(?: the)? ?")
_DIVISION_AFTER = re.compile(r" (?:[Ss]tate|[Pp]rovince|[Gg]overnorate|[Oo]blast)\b")


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
    cands = {h: _candidates(gaz, h) for h in dict.fromkeys(s.key_hash for s in spans)}
    keys = [h for h, c in cands.items() if c[0].size]  # first-seen order
    if not keys:
        return [None] * len(spans)

    # all candidates of all names in one array; block k holds the candidates of keys[k]
    sizes = [len(cands[h][0]) for h in keys]
    start_list = [0]
    for n in sizes[:-1]:
        start_list.append(start_list[-1] + n)
    starts = np.array(start_list, dtype=np.int64)
    block = np.repeat(np.arange(len(keys)), sizes)
    rows = np.concatenate([cands[h][0] for h in keys])
    prior = np.concatenate([cands[h][1] for h in keys])
    where = {h: (a, a + n) for h, a, n in zip(keys, start_list, sizes)}
    kinds = gaz.kind_codes[rows]
    cc = pri.cc[rows]
    anc = pri.admin1[rows]

    # --- names that are (almost) unambiguous countries or divisions
    # candidates come sorted by prior: the first of a block is its best
    top_idx = dict(enumerate(start_list))
    country_code, admin1_code = gaz._kinds.index("country"), gaz._kinds.index("admin1")
    admin2_code = gaz._kinds.index("admin2")
    named = _DivisionsNamed(starts, sizes, kinds, cc, anc, rows, country_code, admin1_code,
                            len(gaz._ccs))
    divisions = named.bonus(prior, ranked=True)
    base = prior + divisions

    # --- a country's name means the country ("Norway", "Mexico", "Italy"), not a
    # town called after it, unless a container says so ("Mexico, Maine")
    demoted = np.zeros(len(rows), dtype=bool)
    for h in keys:
        if cands[h][2]:
            a, b = where[h]
            demoted[a:b] = pri.pointlike[kinds[a:b]]
    # ... and a name whose council, police or school the text names is a town's
    # ("Lebanon Police Department", "City of Norfolk"), not a country's or a state's
    for h in {s.key_hash for s in spans if town_cue(text, s)} & where.keys():
        a, b = where[h]
        town = pri.pointlike[kinds[a:b]]
        demoted[a:b] = False
        base[a:b] += W_TOWN * town
    if demoted.any():
        base = base - W_DEMOTE * demoted

    # --- a name that speaks or acts ("Washington blamed Tehran") stands for a
    # government: its seat, a capital, before a province or a town of that name
    spoken = {s.key_hash for s, r in zip(spans, roles) if r == "metonymic"}
    for h in spoken & where.keys():
        a, b = where[h]
        base[a:b] += W_SEAT * pri.seat[pri.fcode[rows[a:b]]]

    # --- lists of one kind: "Norway, Mexico and the United States", "Georgia, Ohio
    # and California": a member that can be a country (a state) is one here
    for run in _coordinated(text, spans):
        members = [where[s.key_hash] for s in run if s.key_hash in where]
        for code in (country_code, admin1_code):
            if sum(kinds[a] == code for a, _ in members) * 2 >= max(len(members), 3):
                for a, b in members:
                    base[a:b] += W_LIST * (kinds[a:b] == code)
        # ... and beside a state, a name that can be a state of that country is one:
        # "Georgia and North Carolina"
        states_of = [int(cc[a]) for a, _ in members if kinds[a] == admin1_code]
        if states_of:
            has_state = np.zeros(len(gaz._ccs), dtype=bool)
            has_state[states_of] = True
            for a, b in members:
                if kinds[a] != admin1_code:
                    base[a:b] += W_LIST * ((kinds[a:b] == admin1_code) & has_state[cc[a:b]])

    # --- containers written beside a name: "Paris, Texas", "Jackson, Miss.", and the
    # division's own kind after it: "Washington state", "Anbar province"
    def inside(cont: int, a: int, b: int) -> np.ndarray:
        """Which candidates ``a:b`` lie in the division in row ``cont``."""
        ck = gaz.kind_of(cont)
        if ck == "country":
            return cc[a:b] == pri.cc[cont]
        if ck == "admin2":
            return (pri.parent[rows[a:b]] == cont) | (rows[a:b] == cont)
        return anc[a:b] == cont

    key_index = {h: k for k, h in enumerate(keys)}

    def top_kind(s: Span) -> int:
        k = key_index.get(s.key_hash)
        return -1 if k is None else int(kinds[top_idx[k]])

    def peers(n: int, i: int) -> bool:
        """True if span ``n`` and candidate ``i`` are two divisions of one kind.

        "Iraq, Iran" and "Ohio, Indiana" list two countries (states); they are no
        place in a container as "Paris, Texas" is, unless a place of that very name
        lies in it ("Washington, D.C."), outside a longer list of such divisions
        ("Utah, Washington, West Virginia and Wyoming").
        """
        s1, kind = spans[n], int(kinds[i])
        if kind not in (country_code, admin1_code) or top_kind(s1) != kind:
            return False
        if n > 0 and _LIST_GAP.fullmatch(text, spans[n - 1].end, s1.start) \
                and top_kind(spans[n - 1]) == kind:
            return True
        if n + 2 < len(spans) and _LIST_GAP.fullmatch(text, spans[n + 1].end,
                                                      spans[n + 2].start) \
                and top_kind(spans[n + 2]) == kind:
            return True
        a, b = where[s1.key_hash]
        return not (inside(int(rows[i]), a, b) & cands[s1.key_hash][3]).any()

    container: dict[int, int] = {}
    for n, (s1, s2) in enumerate(zip(spans, spans[1:])):
        if text[s1.end:s2.start] in (", ", ",", " (", ", the ") and s2.key_hash in where:
            i = top_idx[key_index[s2.key_hash]]
            if gaz._kinds[kinds[i]] in ("admin1", "country", "admin2") and not peers(n, i):
                container[id(s1)] = int(rows[i])
    # "Idlib province", "Kano state": the division itself, not its capital
    division_of: dict[int, int] = {}
    for s1 in spans:
        if s1.key_hash in where and _DIVISION_AFTER.match(text, s1.end):
            a, b = where[s1.key_hash]
            a1 = np.flatnonzero(kinds[a:b] == admin1_code)
            if len(a1):
                division_of[id(s1)] = int(rows[a + a1[0]])

    # --- joint inference: a candidate is supported by the candidates of the other
    # names near it or around it, weighted by their lift over chance (1/n)
    lit_keys = {s.key_hash for s, r in zip(spans, roles) if r != "non_toponym"}
    literal = np.array([h in lit_keys for h in keys], dtype=bool)
    # evidence comes from each name's EVIDENCE_CANDIDATES most likely candidates
    ev_sizes = np.minimum(sizes, EVIDENCE_CANDIDATES)
    # the first ev_sizes[k] candidates of each block k
    cols = np.arange(ev_sizes.sum()) + np.repeat(starts - (np.cumsum(ev_sizes) - ev_sizes),
                                                  ev_sizes)
    R, d2 = _relations(gaz, rows, kinds, cc, anc, cols) if len(keys) > 1 else (None, None)
    size_of = np.repeat(np.array(sizes, dtype=np.float64), sizes)[cols]
    if R is not None:
        # R is sparse: keep its (candidate, evidence) pairs where the evidence is a
        # literal mention of another name. np.nonzero gives them row by row and cols
        # run block by block, so (candidate, evidence name) groups are contiguous.
        ii, jj = np.nonzero(R)
        bj = block[cols[jj]]
        keep = literal[bj] & (bj != block[ii])
        ii, jj, bj = ii[keep], jj[keep], bj[keep]
        brk, grp_row = _runs(ii, bj, len(keys))
        # the pairs of towns within CLOSE_KM: a neighbour in the same county says more
        pl = gaz.priors.pointlike[kinds]
        close = (d2[ii, jj] < _DEG2_CLOSE) & pl[ii] & pl[cols[jj]]
        jj2 = jj[close]
        brk2, grp_row2 = _runs(ii[close], bj[close], len(keys))
    scores = base
    for it in range(2):
        if R is not None:
            e = np.exp(scores - np.repeat(np.maximum.reduceat(scores, starts), sizes))
            prob = e / np.repeat(np.add.reduceat(e, starts), sizes)
            lift = np.minimum(1.0, prob[cols] * size_of)
            # per candidate: the sum over the other names of their best supporting lift
            sup = np.zeros(len(rows))
            if len(brk):
                sup = np.bincount(grp_row, weights=np.maximum.reduceat(lift[jj], brk),
                                  minlength=len(rows))
            scores = base + W_SUPPORT * np.log1p(sup)
            if len(brk2):
                close_sup = np.bincount(grp_row2, weights=np.maximum.reduceat(lift[jj2], brk2),
                                        minlength=len(rows))
                scores = scores + W_CLOSE * np.log1p(close_sup)
        else:
            scores = base.copy()
        if it == 0:
            # the document's focus: the country, and the first-level division, that
            # most of its names resolve into (CLIFF's country and state focus)
            votes: Counter = Counter()
            a1_votes: Counter = Counter()
            # each name's best candidate (the first of equals) and the share it has of
            # the name's probability: "Chicago" speaks for the US more surely than
            # "St. Louis" does for Senegal
            top = np.maximum.reduceat(scores, starts)
            share = (1.0 / np.add.reduceat(np.exp(scores - np.repeat(top, sizes)),
                                           starts)).tolist()
            is_top = np.flatnonzero(scores == np.repeat(top, sizes))
            first_top = np.concatenate([[True], block[is_top[1:]] != block[is_top[:-1]]])
            best = is_top[first_top].tolist()
            best_cc, best_anc = cc[best].tolist(), anc[best].tolist()
            own_cc = np.full(len(keys), -1)  # each name's own vote
            own_v = np.zeros(len(keys))
            for h in dict.fromkeys(s.key_hash for s, r in zip(spans, roles)
                                   if r != "non_toponym" and s.key_hash in where):
                k = key_index[h]
                votes[best_cc[k]] += share[k]
                own_cc[k], own_v[k] = best_cc[k], share[k]
                if best_anc[k] >= 0:
                    a1_votes[best_anc[k]] += 1
            # the countries and divisions the text names, read again in context:
            # "Georgia" beside "Atlanta" is the state, not the country
            reread = named.bonus(scores - divisions, literal)
            base = base + reread - divisions
            # ... each name's focus read from the other names' votes: a lone name (or
            # one said often) does not lift its own country ("Dublin" alone, Ireland)
            top3 = votes.most_common(3)
            focus_of = np.full(len(keys), top3[0][0] if top3 else -1)
            # only a name voting for the leading country may see another lead
            for k in np.flatnonzero(own_cc == focus_of[0]).tolist() if top3 else ():
                left = [(v - own_v[k] if c == own_cc[k] else v, -n, c)
                        for n, (c, v) in enumerate(top3)]
                left = [x for x in left if x[0] > 1e-9]
                focus_of[k] = max(left)[2] if left else -1
            base = base + W_FOCUS * (cc == focus_of[block])
            top_a1 = a1_votes.most_common(2)
            if top_a1 and top_a1[0][1] >= 2 and (len(top_a1) == 1 or top_a1[0][1] > top_a1[1][1]):
                base = base + W_FOCUS_A1 * (anc == top_a1[0][0])
            if (kinds == admin2_code).any():  # most texts name no county
                base = _county_evidence(gaz, keys, cands, rows, kinds, cc, block, starts,
                                        sizes, literal, best, share, scores, base,
                                        admin2_code)

    out: list[Resolution | None] = []
    memo: dict[tuple[int, int | None, int | None], Resolution] = {}
    sc_all = scores.tolist()  # small per-name selections are faster in plain Python
    rows_all = rows.tolist()
    for s in spans:
        if s.key_hash not in where:
            out.append(None)
            continue
        cont = container.get(id(s))
        division = division_of.get(id(s))
        memo_key = (s.key_hash, cont, division)
        res = memo.get(memo_key)
        if res is None:
            a, b = where[s.key_hash]
            sc = sc_all[a:b]
            if cont is not None:
                hit = inside(cont, a, b).tolist()
                dem = demoted[a:b].tolist()
                sc = [x + (W_CONTAINER + W_DEMOTE * d) * h for x, h, d in zip(sc, hit, dem)]
            if division is not None:
                sc = [x + W_CONTAINER * (r == division) for x, r in zip(sc, rows_all[a:b])]
            # as heapq.nlargest(4, ...), which is documented to equal this; faster for
            # the few dozen candidates a name has
            order = sorted(range(b - a), key=sc.__getitem__, reverse=True)[:4]
            ex = [math.exp(sc[k] - sc[order[0]]) for k in order]
            total = sum(ex)
            # a lone candidate is only as sure as its prior allows
            conf = ex[0] / total if b - a > 1 else 1.0 / (1.0 + math.exp(-sc[0]))
            res = Resolution(rows_all[a + order[0]], conf,
                             tuple([(rows_all[a + k], q / total) for k, q in
                                    zip(order[1:], ex[1:])]))
            memo[memo_key] = res
        out.append(res)
    return out




class _DivisionsNamed:
    """The countries and first-level divisions a text names, and the bonus they give.

    A name is read as the candidate with the best score: a country names its
    country; an admin-1 division, if it clearly beats the name's other candidates,
    names itself and its country.
    """

    def __init__(self, starts, sizes, kinds, cc, anc, rows, country_code, admin1_code,
                 n_countries):
        self.starts, self.sizes = starts, np.asarray(sizes)
        self.kinds, self.cc, self.anc, self.rows = kinds, cc, anc, rows
        self.country_code, self.admin1_code = country_code, admin1_code
        self.n_countries = n_countries

    def bonus(self, scores: np.ndarray, only: np.ndarray | None = None,
              ranked: bool = False) -> np.ndarray:
        """Per candidate: ``W_COUNTRY`` in a named country, ``W_ADMIN1`` in a named division.

        ``ranked`` says each block of ``scores`` is sorted, best first (the priors).
        """
        starts, sizes = self.starts, self.sizes
        if ranked:
            best = starts
            top = scores[best]
            second = np.where(sizes > 1, scores[np.minimum(starts + 1, len(scores) - 1)], -9.0)
        else:
            top = np.maximum.reduceat(scores, starts)
            # the first best candidate of each block, and the best of the others
            is_top = np.flatnonzero(scores == np.repeat(top, sizes))
            blk = np.searchsorted(starts, is_top, side="right") - 1
            best = is_top[np.concatenate([[True], blk[1:] != blk[:-1]])]
            rest = scores.copy()
            rest[best] = -np.inf
            second = np.where(sizes > 1, np.maximum.reduceat(rest, starts), -9.0)
        kind = self.kinds[best]
        country = kind == self.country_code
        division = (kind == self.admin1_code) & (top - second > 0.5)
        if only is not None:
            country &= only
            division &= only
        named_cc = np.zeros(self.n_countries, dtype=bool)
        named_cc[self.cc[best[country | division]]] = True
        out = W_COUNTRY * named_cc[self.cc]
        named_a1 = self.rows[best[division]].tolist()
        if named_a1:
            # one comparison per named division: cheaper than an outer product
            hit = self.anc == named_a1[0]
            for row in named_a1[1:]:
                hit |= self.anc == row
            out = out + W_ADMIN1 * hit
        return out


def _county_evidence(gaz: Gazetteer, keys, cands, rows, kinds, cc, block, starts, sizes,
                     literal, best, share, scores, base, admin2_code: int) -> np.ndarray:
    """``base`` plus what the counties the text names say about the towns in them."""
    # a county the text names, surely read, holds the towns inside it: "Lafayette"
    # beside "Tippecanoe County" is the one in Indiana; called by their own name: an
    # old name of a town in the county is no clue ("Youngstown" for Mount Gilead)
    own = np.concatenate([cands[h][3] for h in keys])
    for k in range(len(keys)):
        if literal[k] and kinds[best[k]] == admin2_code and share[k] >= 0.5:
            # the county's Place keeps its decoded outline for the next text
            inside_county = shapely.intersects_xy(
                gaz.place(int(rows[best[k]])).geometry, gaz.lon[rows], gaz.lat[rows])
            base = base + W_COUNTY * (inside_county & own)
    # a county and a town of another name inside it, both named, are each other's
    # evidence, however unsure each is alone: "Paris" beside "Henry County" is the pair
    # in Tennessee. The county counts even when named in an organisation's name ("the
    # Edgar County Community Foundation"): the county first, then the towns of the
    # county that wins its name
    pairs = _county_pairs(gaz, keys, rows, kinds, cc, block, literal, own, admin2_code)
    if pairs:
        lift = np.zeros(len(rows))
        lift[list(pairs)] = W_COUNTY
        after = scores + lift
        base = base + lift
        for i, towns in pairs.items():
            a, b = starts[block[i]], starts[block[i]] + sizes[block[i]]
            if int(np.argmax(after[a:b])) + a == i:
                base[towns] += W_COUNTY
    return base


def _county_pairs(gaz: Gazetteer, keys, rows, kinds, cc, block, literal, own,
                  admin2_code: int) -> dict[int, np.ndarray]:
    """County candidates holding town candidates of other literal names: those towns.

    Counties are read by their own name only ("Houston" is no county), and a town
    called as the county is no evidence ("Jackson" in a "Jackson County").
    """
    pri = gaz.priors
    out: dict[int, np.ndarray] = {}
    county = np.flatnonzero((kinds == admin2_code) & own)
    town = np.flatnonzero(pri.pointlike[kinds] & (kinds != admin2_code)
                          & literal[block])
    if not len(county) or not len(town):
        return out
    # towns of another name in the same country, roughly within reach of the county
    c_rows, t_rows = rows[county], rows[town]
    reach = (block[town][None, :] != block[county][:, None]) \
        & (cc[town][None, :] == cc[county][:, None]) \
        & (np.abs(gaz.lat[t_rows][None, :] - gaz.lat[c_rows][:, None]) < 1.0) \
        & (np.abs(gaz.lon[t_rows][None, :] - gaz.lon[c_rows][:, None]) < 1.5)
    for k in np.flatnonzero(reach.any(axis=1)).tolist():
        i, row, near = int(county[k]), int(c_rows[k]), town[reach[k]]
        near = near[shapely.intersects_xy(gaz.place(row).geometry,
                                          gaz.lon[rows[near]], gaz.lat[rows[near]])]
        if len(near):
            bare = key_hash(name_key(gaz.name_of(row).rsplit(" ", 1)[0]))
            hit = [j for j in near.tolist() if keys[block[j]] != bare]
            if hit:
                out[i] = np.array(hit)
    return out


def _runs(ii: np.ndarray, bj: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of one (candidate, evidence name) pair starts, and its candidate.

    ``ii`` are candidates in ascending order and ``bj`` the evidence's names, so
    each pair's entries are contiguous.
    """
    grp = ii * n_keys + bj
    brk = np.flatnonzero(np.concatenate([[True], grp[1:] != grp[:-1]])) if len(grp) else grp
    return brk, ii[brk]


def _coordinated(text: str, spans: list[Span]) -> list[list[Span]]:
    """Runs of at least two names joined by commas, "and", "or" or slashes."""
    runs, cur = [], spans[:1]
    for s1, s2 in zip(spans, spans[1:]):
        if _LIST_GAP.fullmatch(text, s1.end, s2.start):
            cur.append(s2)
            continue
        if len(cur) > 1:
            runs.append(cur)
        cur = [s2]
    if len(cur) > 1:
        runs.append(cur)
    return runs


def _relations(gaz: Gazetteer, rows, kinds, cc, anc, cols) -> tuple[np.ndarray, np.ndarray]:
    """Relations between candidates (rows) and evidence candidates (cols): 1 or 0.

    Related means within ``NEAR_KM`` of each other (both town-like), or one is the
    admin-1 division or the country the other lies in. Also the squared distances,
    in degrees of latitude.
    """
    pointlike = gaz.priors.pointlike[kinds]
    lat, lon = gaz.lat[rows], gaz.lon[rows]
    clat, clon = lat[cols], lon[cols]
    # equirectangular distance: exact enough at 120 km, and cheap; the cosine of the
    # mean latitude by the angle-sum identity (two outer products, no matrix cos)
    ha, hb = np.radians(lat) / 2, np.radians(clat) / 2
    kx = np.cos(ha)[:, None] * np.cos(hb)[None, :] - np.sin(ha)[:, None] * np.sin(hb)[None, :]
    dx = (lon[:, None] - clon[None, :]) * kx
    dy = lat[:, None] - clat[None, :]
    d2 = dx * dx + dy * dy
    R = d2 < _DEG2_NEAR
    R &= pointlike[:, None]  # both town-like
    R &= pointlike[cols][None, :]
    a1 = gaz.priors.a1code
    country = gaz.priors.country_code
    i = np.flatnonzero(kinds == a1)           # candidate is a division
    if i.size:
        R[i, :] |= rows[i][:, None] == anc[cols][None, :]
        j = np.flatnonzero(kinds[cols] == a1)     # evidence is a division
        R[:, j] |= anc[:, None] == rows[cols[j]][None, :]
    i = np.flatnonzero(kinds == country)      # candidate is a country
    if i.size:
        R[i, :] |= cc[i][:, None] == cc[cols][None, :]
        j = np.flatnonzero(kinds[cols] == country)    # evidence is a country
        R[:, j] |= cc[:, None] == cc[cols[j]][None, :]
    return R, d2


_CANDIDATE_CACHE = BoundedMemo(100_000)  # (gazetteer, name hash) -> candidates


def _candidates(gaz: Gazetteer, h: int) -> tuple[np.ndarray, np.ndarray, bool, np.ndarray]:
    """Rows called ``h`` and their priors, best first, at most MAX_CANDIDATES (cached).

    The flag says whether the name is a country's own name, a recorded abbreviation
    or spelling of it (not a demonym or a derived form); the last array, which rows
    have it as their own name (not an alternate).
    """
    key = (id(gaz), h)
    hit = _CANDIDATE_CACHE.get(key)
    if hit is not None:
        return hit
    j, a, b = gaz.postings(h)
    # the gazetteer stores a name's places best prior first (ties in row order)
    b = min(b, a + MAX_CANDIDATES)
    pri = gaz.priors
    out = (np.asarray(gaz._post_row[a:b], dtype=np.int64), pri.posting[a:b],
           bool(j >= 0 and pri.country_name[j]), gaz._post_type[a:b] == 0)
    _CANDIDATE_CACHE[key] = out
    return out
