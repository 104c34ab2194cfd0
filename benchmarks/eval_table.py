"""Accuracy table on the evaluation corpora (the metrics of ``geoevents evaluate``).

    python benchmarks/eval_table.py ../shared/evaldata

WikToR annotates only each article's own subject, so only its recall and resolution
are meaningful.
"""

from __future__ import annotations

import sys
from pathlib import Path

from geoevents.evaluate import evaluate
from geoevents.geoparse import Geoparser


def main(root: str):
    parser = Geoparser()
    print(f"{'corpus':10s} {'docs':>5s} {'P':>6s} {'R':>6s} {'F1':>6s} {'Acc@161':>8s} "
          f"{'median km':>9s} {'AUC':>6s} {'e2e':>6s}")
    for name in ("lgl", "geovirus", "wiktor"):
        path = Path(root) / name / "docs.jsonl"
        if not path.exists():
            continue
        d = evaluate(path, parser=parser).as_dict()
        p = "   n/a" if name == "wiktor" else f"{d['overlap_p']:6.3f}"
        f = "   n/a" if name == "wiktor" else f"{d['overlap_f1']:6.3f}"
        print(f"{name:10s} {d['docs']:5d} {p} {d['overlap_r']:6.3f} {f} {d['acc161']:8.3f} "
              f"{d['median_km']:9.1f} {d['auc']:6.3f} {d['e2e_acc161']:6.3f}")
    print("recognition is overlap matching; P/F1 are not meaningful for WikToR")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/evaldata")
