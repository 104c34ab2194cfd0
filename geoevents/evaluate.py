"""Evaluation of the geoparser on annotated corpora (JSONL, one document a line).

Each line: ``{"id", "text", "toponyms": [{"start", "end", "name", "lat", "lon"}]}``.
Metrics follow the geoparsing literature (Gritta et al. 2018):

* recognition precision/recall/F1, *exact* (same span) and *overlap* (spans share
  a character; each gold and each prediction matched at most once);
* resolution over gold toponyms with coordinates matched by a prediction with
  coordinates: Acc@161 (share within 161 km), mean and median error (km), AUC
  (mean of ln(error + 1) / ln(20039); lower is better);
* end-to-end Acc@161: gold toponyms found *and* resolved within 161 km, over all
  gold toponyms with coordinates.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ._io import iter_json_objects
from .exc import InputError
from .geoparse import Geoparser

__all__ = ["evaluate", "Scores", "DEFAULT_ROLES"]

#: Roles counted as predicted toponyms (demonyms and names inside organisation or
#: person names are not toponyms in the benchmark annotations).
DEFAULT_ROLES = ("literal", "associative", "metonymic")
_EARTH_HALF = 20039.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Scores:
    """Counts and errors accumulated over documents."""

    docs: int = 0
    chars: int = 0
    gold: int = 0
    pred: int = 0
    exact_tp: int = 0
    overlap_tp: int = 0
    gold_coords: int = 0
    errors: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @staticmethod
    def _prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def as_dict(self) -> dict:
        """All metrics as a flat dict (rounded)."""
        ep, er, ef = self._prf(self.exact_tp, self.pred, self.gold)
        op, orr, of = self._prf(self.overlap_tp, self.pred, self.gold)
        e = self.errors
        within = sum(1 for x in e if x <= 161)
        out = {
            "docs": self.docs, "gold": self.gold, "predicted": self.pred,
            "exact_p": ep, "exact_r": er, "exact_f1": ef,
            "overlap_p": op, "overlap_r": orr, "overlap_f1": of,
            "resolved": len(e),
            "acc161": within / len(e) if e else 0.0,
            "mean_km": statistics.fmean(e) if e else 0.0,
            "median_km": statistics.median(e) if e else 0.0,
            "auc": (statistics.fmean(math.log(x + 1) for x in e) / math.log(_EARTH_HALF)
                    if e else 0.0),
            "e2e_acc161": within / self.gold_coords if self.gold_coords else 0.0,
            "mb_per_s": (self.chars / 1e6 / self.seconds) if self.seconds else 0.0,
        }
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


def _match(gold: list[dict], pred: list) -> tuple[int, list[tuple[dict, object]]]:
    """Exact matches, and overlap pairs (each side used at most once)."""
    exact = {(g["start"], g["end"]) for g in gold} & {(m.start, m.end) for m in pred}
    pairs, used = [], set()
    preds = sorted(pred, key=lambda m: (m.start, m.end))
    for g in sorted(gold, key=lambda g: (g["start"], g["end"])):
        best = None
        for k, m in enumerate(preds):
            if k in used or m.end <= g["start"]:
                continue
            if m.start >= g["end"]:
                break
            # prefer the same span, else the first overlapping one
            if (m.start, m.end) == (g["start"], g["end"]):
                best = k
                break
            if best is None:
                best = k
        if best is not None:
            used.add(best)
            pairs.append((g, preds[best]))
    return len(exact), pairs


def read_corpus(path: str | Path) -> Iterable[tuple[int, dict]]:
    """Documents of an evaluation corpus, with their line numbers."""
    for n, doc in iter_json_objects(path, "one document object per line"):
        if not isinstance(doc.get("text"), str) or not isinstance(doc.get("toponyms"), list):
            raise InputError('expected an object with "text" and "toponyms"', str(path), n)
        yield n, doc


def evaluate(path: str | Path, *, roles: Iterable[str] = DEFAULT_ROLES,
             parser: Geoparser | None = None, limit: int | None = None,
             errors_out: list | None = None) -> Scores:
    """Run the geoparser over a corpus and score it.

    Parameters
    ----------
    path : str or Path
        JSONL corpus (see module docstring).
    roles : iterable of str
        Mention roles that count as predicted toponyms.
    parser : Geoparser, optional
        A loaded parser (default: the bundled gazetteer).
    limit : int, optional
        Score only the first ``limit`` documents.
    errors_out : list, optional
        If given, receives one dict per gold toponym with what happened to it
        (for error analysis).
    """
    parser = parser or Geoparser()
    keep = set(roles)
    sc = Scores()
    for k, (_, doc) in enumerate(read_corpus(path)):
        if limit is not None and k >= limit:
            break
        text = doc["text"]
        t0 = time.perf_counter()
        mentions = parser(text)
        sc.seconds += time.perf_counter() - t0
        pred = [m for m in mentions if m.role in keep]
        gold = [g for g in doc["toponyms"] if text[g["start"]:g["end"]]]
        sc.docs += 1
        sc.chars += len(text.encode("utf-8"))
        sc.gold += len(gold)
        sc.pred += len(pred)
        exact, pairs = _match(gold, pred)
        sc.exact_tp += exact
        sc.overlap_tp += len(pairs)
        matched = {id(g): m for g, m in pairs}
        for g in gold:
            has = g.get("lat") is not None and g.get("lon") is not None
            if has:
                sc.gold_coords += 1
            m = matched.get(id(g))
            err = None
            if has and m is not None and m.point is not None:
                pt = m.place.point if m.place is not None else m.point
                err = haversine_km(g["lat"], g["lon"], pt.y, pt.x)
                sc.errors.append(err)
            if errors_out is not None:
                errors_out.append({
                    "doc": doc.get("id"), "gold": g["name"], "start": g["start"],
                    "lat": g.get("lat"), "lon": g.get("lon"),
                    "pred": m.text if m else None, "role": m.role if m else None,
                    "place": m.place.id if m and m.place else None,
                    "place_name": m.place.name if m and m.place else None,
                    "err_km": None if err is None else round(err, 1)})
        if errors_out is not None:
            gold_spans = [(g["start"], g["end"]) for g in gold]
            for m in pred:
                if not any(m.start < e and s < m.end for s, e in gold_spans):
                    errors_out.append({"doc": doc.get("id"), "false_positive": m.text,
                                       "start": m.start, "role": m.role,
                                       "place": m.place.id if m.place else None,
                                       "context": text[max(0, m.start - 40):m.end + 40]})
    return sc
