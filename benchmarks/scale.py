"""Scale benchmark: throughput and peak memory of ``geoevents parse`` (all in one run).

Prints MB/s of input for ``--jobs 1``, ``--jobs 2`` and ``--engine dask`` with 2
workers on a generated corpus of ``--mb`` MB, the peak memory of each run (whole
process tree: RSS summed over processes, which counts the shared memory-mapped
gazetteer once per process, and PSS, which shares it out fairly), and the peak
memory of ``--jobs 2`` on a corpus ``--factor`` times larger, to show memory does not
grow with the input. Corpora are built by ``make_corpus.py`` into ``--dir`` (/tmp).

    python benchmarks/scale.py --mb 20 --factor 10
    python benchmarks/scale.py --mb 200 --factor 0          # throughput on 200 MB
    python benchmarks/scale.py --mb 5 --factor 10 --no-dask --events-mb 5   # memory
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import write_corpus  # noqa: E402


def corpus(directory: Path, mb: float) -> Path:
    path = directory / f"geoevents-bench-{mb:g}MB.jsonl"
    if not path.exists():
        t = time.perf_counter()
        tmp = path.with_suffix(".part")
        n = write_corpus(str(tmp), mb)
        os.replace(tmp, path)
        print(f"# built {path} ({n} docs) in {time.perf_counter() - t:.0f} s", flush=True)
    return path


def _tree_memory(proc: psutil.Process) -> tuple[int, int]:
    rss = pss = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for p in procs:
        try:
            m = p.memory_full_info()
            rss += m.rss
            pss += getattr(m, "pss", m.rss)
        except psutil.Error:
            pass
    return rss, pss


def snapshot(directory: Path) -> Path:
    """Copy the package and gazetteer so every run uses the same code and data.

    (Other people edit the tree while the benchmark runs; comparing outputs of two
    versions would prove nothing.)
    """
    root = HERE.parent
    snap = directory / "geoevents-bench-code"
    shutil.rmtree(snap, ignore_errors=True)
    shutil.copytree(root / "geoevents", snap / "geoevents",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "gazetteer" / "build", snap / "gazetteer" / "build")
    return snap


_ENV: dict = {}


def run(args: list[str], label: str, size: int) -> dict:
    cmd = [sys.executable, "-c", "import sys; from geoevents.cli import main; "
           "main(args=sys.argv[1:], prog_name='geoevents')", *args]
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                        env=_ENV or None, cwd=_ENV.get("PYTHONPATH"))
    peak = [0, 0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            rss, pss = _tree_memory(proc)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            stop.wait(0.5)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t
    stop.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"{label}: exit {proc.returncode}\n{err.decode()[-2000:]}")
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    res = {"label": label, "seconds": wall, "mbps": size / 1e6 / wall, "cpu": cpu,
           "rss_mb": peak[0] / 1e6, "pss_mb": peak[1] / 1e6, "size_mb": size / 1e6}
    print(f"{label:<30} {res['size_mb']:6.1f} MB {wall:7.1f} s {res['mbps']:6.3f} MB/s "
          f"(CPU {cpu:6.1f} s)  peak RSS {res['rss_mb']:5.0f} MB  peak PSS "
          f"{res['pss_mb']:5.0f} MB", flush=True)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20, help="corpus size (MB)")
    ap.add_argument("--factor", type=float, default=10,
                    help="size of the memory-growth corpus, times --mb (0: skip)")
    ap.add_argument("--dir", default="/tmp", help="where corpora and outputs go")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--events-mb", type=float, default=0,
                    help="also measure `events --jobs 2` peak memory on this size and "
                         "--factor times it (0: skip)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs of each 1x configuration; the fastest counts (noisy machines)")
    a = ap.parse_args()
    d = Path(a.dir)
    snap = snapshot(d)
    _ENV.update(os.environ, PYTHONPATH=str(snap))
    _ENV.pop("GEOEVENTS_GAZETTEER", None)
    src = corpus(d, a.mb)
    size = src.stat().st_size
    out = d / "geoevents-bench-out"
    print(f"# code+gazetteer snapshot: {snap}")
    print(f"# cores: {os.cpu_count()}  load avg: {os.getloadavg()[0]:.2f}  "
          f"corpus: {src} ({size / 1e6:.1f} MB)", flush=True)
    r1 = r2 = None
    for _ in range(a.repeat):  # interleaved, so a busy spell hurts both alike
        x = run(["-q", "parse", str(src), "-o", f"{out}.j1.jsonl", "--jobs", "1"],
                "local --jobs 1", size)
        r1 = x if r1 is None or x["seconds"] < r1["seconds"] else r1
        x = run(["-q", "parse", str(src), "-o", f"{out}.j2.jsonl", "--jobs", "2"],
                "local --jobs 2", size)
        r2 = x if r2 is None or x["seconds"] < r2["seconds"] else r2
    same = filecmp.cmp(f"{out}.j1.jsonl", f"{out}.j2.jsonl", shallow=False)
    print(f"# --jobs 2 output byte-identical to --jobs 1: {same}")
    if not same:  # e.g. the code or gazetteer changed between the two runs
        with open(f"{out}.j1.jsonl", "rb") as f1, open(f"{out}.j2.jsonl", "rb") as f2:
            for n, (x, y) in enumerate(zip(f1, f2), 1):
                if x != y:
                    print(f"# first difference on line {n}:\n#  j1 {x[:300]!r}\n"
                          f"#  j2 {y[:300]!r}")
                    break
    if a.repeat > 1:
        print(f"# best of {a.repeat}: --jobs 1 {r1['seconds']:.1f} s, --jobs 2 "
              f"{r2['seconds']:.1f} s")
    print(f"# speed-up 1 -> 2 jobs: {r1['seconds'] / r2['seconds']:.2f}x wall (goal >= 1.8x); "
          f"CPU-time ratio j2/j1 {r2['cpu'] / r1['cpu']:.2f} (parallel overhead; ideal "
          f"2-idle-core speed-up from CPU time: {2 * r1['cpu'] / r2['cpu']:.2f}x)")
    if not a.no_dask:
        rd = None
        for _ in range(a.repeat):
            shutil.rmtree(f"{out}.dask", ignore_errors=True)
            x = run(["-q", "parse", str(src), "-o", f"{out}.dask", "--engine", "dask",
                     "--jobs", "2"], "dask LocalCluster 2 workers", size)
            rd = x if rd is None or x["seconds"] < rd["seconds"] else rd
        print(f"# dask / local --jobs 2 throughput: {rd['mbps'] / r2['mbps']:.2f} "
              "(goal >= 0.8)")
        shutil.rmtree(f"{out}.dask", ignore_errors=True)
    for f in (f"{out}.j1.jsonl", f"{out}.j2.jsonl"):
        os.unlink(f)
    if a.events_mb and a.factor:
        small, large = corpus(d, a.events_mb), corpus(d, a.events_mb * a.factor)
        res = []
        for src_ in (small, large):
            res.append(run(["-q", "events", str(src_), "-o", f"{out}.events.geojson",
                            "--jobs", "2"], f"events --jobs 2 ({src_.stat().st_size / 1e6:.0f} MB)",
                           src_.stat().st_size))
            os.unlink(f"{out}.events.geojson")
        print(f"# events peak RSS {a.factor:g}x corpus / 1x corpus: "
              f"{res[1]['rss_mb'] / res[0]['rss_mb']:.2f} "
              f"(PSS {res[1]['pss_mb'] / res[0]['pss_mb']:.2f})")
    if a.factor:
        big = corpus(d, a.mb * a.factor)
        bsize = big.stat().st_size
        rb = run(["-q", "parse", str(big), "-o", f"{out}.big.jsonl", "--jobs", "2"],
                 f"local --jobs 2 ({a.factor:g}x corpus)", bsize)
        os.unlink(f"{out}.big.jsonl")
        print(f"# peak RSS {a.factor:g}x corpus / 1x corpus (--jobs 2): "
              f"{rb['rss_mb'] / r2['rss_mb']:.2f} (PSS {rb['pss_mb'] / r2['pss_mb']:.2f})")


if __name__ == "__main__":
    main()
