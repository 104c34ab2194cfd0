"""CPU time of each geoparser stage on a corpus, to see where a change costs.

    python benchmarks/stage_speed.py ../shared/evaldata/wiktor/docs.jsonl [N]

Runs the first N documents (all by default) through tokenisation, recognition, roles
and resolution separately, each stage on the previous stage's output computed once
beforehand, and prints the best of three CPU times per stage. Run it beside another
checkout (``PYTHONPATH=<other checkout> python ...``) to compare two versions.
"""

from __future__ import annotations

import json
import sys
import time


def best_of(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def main(path: str, limit: int | None = None) -> None:
    from geoevents.geoparse import Geoparser
    from geoevents.recognition import recognize, tokenize
    from geoevents.resolution import resolve
    from geoevents.role import assign_roles

    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f][:limit]
    parser = Geoparser()
    gaz, lex = parser.gazetteer, parser.lexicon
    tokens = [tokenize(t) for t in texts]
    spans = [recognize(t, gaz, k) for t, k in zip(texts, tokens)]
    roles = [assign_roles(t, k, s, lex)[0] if s else [] for t, k, s in
             zip(texts, tokens, spans)]
    for t in texts:  # warm the caches the stages keep between texts
        parser(t)
    stages = {
        "tokenize": lambda: [tokenize(t) for t in texts],
        "recognize": lambda: [recognize(t, gaz, k) for t, k in zip(texts, tokens)],
        "roles": lambda: [assign_roles(t, k, s, lex) for t, k, s in zip(texts, tokens, spans)
                          if s],
        "resolve": lambda: [resolve(t, s, r, gaz) for t, s, r in zip(texts, spans, roles)
                            if s],
        "whole parse": lambda: [parser(t) for t in texts],
    }
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{path}: {len(texts)} documents, {mb:.2f} MB, "
          f"{sum(map(len, spans))} names recognised")
    for name, fn in stages.items():
        print(f"  {name:12s} {best_of(fn):7.3f} s")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None)
