"""Interrupt ``geoevents parse --jobs 2`` at random moments; count hangs and leftovers.

    python benchmarks/interrupt_stress.py [--runs 40] [--dir /tmp/geoevents-interrupt]

Each run starts a parse of a generated corpus (our own example text, 3,000 copies) in its
own process group, sends SIGINT or SIGTERM to the whole group after 0.8–3 s, and checks
that it exits within 40 s, with code 130 or 143, leaving no output file and no process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--dir", default="/tmp/geoevents-interrupt")
    args = ap.parse_args()
    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    text = (Path(__file__).parent.parent / "examples" / "baghdad-2023-12-08.txt").read_text()
    corpus = work / "big.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": text}) + "\n" for i in range(3000)))
    out = work / "out.jsonl"
    rng = random.Random(1)
    hangs, codes, leftovers = 0, Counter(), 0
    for _ in range(args.runs):
        p = subprocess.Popen(["geoevents", "parse", str(corpus), "-o", str(out), "--jobs", "2"],
                             start_new_session=True, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.8, 3.0))
        os.killpg(p.pid, rng.choice([signal.SIGTERM, signal.SIGINT]))
        try:
            codes[p.wait(timeout=40)] += 1
        except subprocess.TimeoutExpired:
            hangs += 1
        try:
            os.killpg(p.pid, 0)  # anything left in the group?
            leftovers += 1
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
    print(f"runs {args.runs}  hangs {hangs}  exit codes {dict(sorted(codes.items()))}  "
          f"process groups left behind {leftovers}  output file exists {out.exists()}")


if __name__ == "__main__":
    main()
