"""Geoparser throughput and cold start, beside a dictionary baseline in the same process.

    python benchmarks/parser_speed.py ../shared/evaldata/{lgl,geovirus,wiktor}/docs.jsonl

Throughput is MB of UTF-8 text per CPU-second of this process (one core), after load.
The baseline is the classic dictionary geoparser: longest match of capitalised
gazetteer names, each resolved to its most populous place (no roles, no context).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

COLD = ("import time; t=time.perf_counter(); import geoevents; "
        "p=geoevents.Geoparser(); p('Rockets hit Baghdad.'); print(time.perf_counter()-t)")


def baseline_factory():
    from geoevents._text import key_hash
    from geoevents.gazetteer import Gazetteer
    from geoevents.recognition import lexicon_for, tokenize
    gaz = Gazetteer.load()
    lex = lexicon_for(gaz)

    def parse(text):
        toks = tokenize(text)
        words, out, i, n = toks.words, [], 0, len(toks.words)
        while i < n:
            if not words[i][0].isupper():
                i += 1
                continue
            key, best, j = toks.key(i), -1, i
            h = key_hash(key)
            while True:
                if h in lex.names:
                    best = j
                if j + 1 >= n or j - i >= 5 or h not in lex.prefixes:
                    break
                key = f"{key} {toks.key(j + 1)}"
                j += 1
                h = key_hash(key)
            if best < 0:
                i += 1
                continue
            rows, _ = gaz.rows_for_hash(key_hash(" ".join(toks.key(k) for k in
                                                          range(i, best + 1))))
            r = int(rows[gaz.population[rows].argmax()])
            out.append((toks.starts[i], toks.ends[best], r))
            i = best + 1
        return out
    return parse


def throughput(fn, texts):
    size = sum(len(t.encode("utf-8")) for t in texts)
    t0 = time.process_time()
    for t in texts:
        fn(t)
    return size / 1e6 / (time.process_time() - t0)


def main(paths):
    colds = sorted(float(subprocess.run([sys.executable, "-c", COLD], capture_output=True,
                                        text=True, check=True).stdout) for _ in range(3))
    print(f"cold start (import + load + first parse), median of 3: {colds[1] * 1000:.0f} ms")
    from geoevents.geoparse import Geoparser
    parser = Geoparser()
    base = baseline_factory()
    parser("warm up"), base("Warm Up")
    print(f"{'corpus':45s} {'MB':>6s} {'geoevents MB/s':>15s} {'baseline MB/s':>14s}")
    for p in paths:
        texts = [json.loads(line)["text"] for line in open(p, encoding="utf-8")]
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        ours = throughput(parser, texts)
        theirs = throughput(base, texts)
        print(f"{p:45s} {mb:6.2f} {ours:15.2f} {theirs:14.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
