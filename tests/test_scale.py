"""Streaming, ordered, parallel parsing (geoevents.scale, geoevents parse --jobs)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import subprocess
import time
from concurrent.futures.process import BrokenProcessPool

import pytest
from _offline import cli_command, cli_env
from click.testing import CliRunner

from geoevents.cli import main
from geoevents.cli.parse import count_documents, iter_documents
from geoevents.exc import InputError
from geoevents.scale import Progress, imap_ordered

# Our own sentences, filled with assorted place names (no corpus text).
_SENTENCES = [
    "Shelling hit a market in {a} on Monday, officials in {b} said.",
    "A convoy left {a} for {b} at dawn.",
    "Residents of {a} reported gunfire near the airport.",
    "The governor of {b} imposed a curfew after protests in {a}.",
    "Talks between the two sides resumed in {a}.",
    "Flooding cut the road from {a} to {b}.",
    "Nothing happened today, the spokesman said.",
]
_PLACES = ["Baghdad", "Mosul", "Kirkuk", "Basra", "Nairobi", "Mombasa", "Mogadishu", "Kismayo",
           "Khartoum", "Omdurman", "Damascus", "Aleppo", "Sanaa", "Aden", "Kabul", "Herat",
           "Lagos", "Kano", "Tripoli", "Benghazi", "Iraq", "Kenya", "Somalia", "Sudan",
           "Syria", "Yemen", "Afghanistan", "Nigeria", "Libya", "Darfur", "Nineveh"]


def _docs(n: int, seed: int = 6) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        k = rng.randint(1, 4)
        text = " ".join(rng.choice(_SENTENCES).format(a=rng.choice(_PLACES),
                                                      b=rng.choice(_PLACES))
                        for _ in range(k))
        out.append({"id": f"d{i:04d}", "text": text})
    return out


def _write_jsonl(path, docs) -> str:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d) + "\n")
    return str(path)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("scale")
    docs = _docs(300)
    return d, docs, _write_jsonl(d / "docs.jsonl", docs)


@pytest.fixture(scope="module")
def serial_out(corpus):
    d, _, path = corpus
    out = d / "j1.jsonl"
    r = CliRunner().invoke(main, ["-q", "parse", path, "-o", str(out), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    return out.read_bytes()


def _parse(args, out):
    r = CliRunner().invoke(main, ["-q", "parse", *args, "-o", str(out)])
    assert r.exit_code == 0, (r.output, r.exception)
    return out.read_bytes()


# ---------------------------------------------------------------- --jobs

def test_jobs2_byte_identical_and_ordered(corpus, serial_out):
    d, docs, path = corpus
    par = _parse([path, "--jobs", "2"], d / "j2.jsonl")
    assert par == serial_out
    ids = [json.loads(line)["id"] for line in par.decode().splitlines()]
    assert ids == [x["id"] for x in docs]
    assert sum(len(json.loads(line)["mentions"]) for line in par.decode().splitlines()) > 300


@pytest.mark.parametrize("fmt", ["geojson", "geojsonseq"])
def test_geojson_formats_identical_across_jobs(corpus, fmt):
    d, docs, _ = corpus
    small = _write_jsonl(d / f"small-{fmt}.jsonl", docs[:60])
    a = _parse([small, "--jobs", "1", "--format", fmt], d / f"a.{fmt}")
    b = _parse([small, "--jobs", "2", "--format", fmt], d / f"b.{fmt}")
    assert a == b
    if fmt == "geojson":
        fc = json.loads(a)
        assert fc["type"] == "FeatureCollection" and len(fc["features"]) > 60


def test_gz_input_same_as_plain(corpus, serial_out):
    d, docs, path = corpus
    gz = d / "docs.jsonl.gz"
    with open(path, "rb") as src, gzip.open(gz, "wb") as dst:
        dst.write(src.read())
    assert _parse([str(gz), "--jobs", "2"], d / "gz.jsonl") == serial_out


def test_folder_input(corpus, tmp_path):
    _, docs, _ = corpus
    root = tmp_path / "texts"
    (root / "sub").mkdir(parents=True)
    (root / "b.txt").write_text(docs[1]["text"], "utf-8")
    (root / "a.txt").write_text(docs[0]["text"], "utf-8")
    (root / "sub" / "c.txt").write_text(docs[2]["text"], "utf-8")
    (root / "notes.md").write_text("Baghdad", "utf-8")  # not a .txt: ignored
    assert [i for i, _ in iter_documents(str(root))] == ["a.txt", "b.txt", "sub/c.txt"]
    assert count_documents([str(root)]) == 3
    out = _parse([str(root), "--jobs", "2"], tmp_path / "f.jsonl")
    recs = [json.loads(line) for line in out.decode().splitlines()]
    assert [r["id"] for r in recs] == ["a.txt", "b.txt", "sub/c.txt"]
    one = _parse([_write_jsonl(tmp_path / "one.jsonl", docs[:1]), "--jobs", "1"],
                 tmp_path / "one.out")
    assert recs[0]["mentions"] == json.loads(one)["mentions"]


def test_csv_input(corpus, tmp_path):
    _, docs, _ = corpus
    path = tmp_path / "docs.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "published", "text"])
        for x in docs[:20]:
            w.writerow([x["id"], "2024-01-02", x["text"].replace(". ", ".\n", 1)])
    got = list(iter_documents(str(path)))
    assert [i for i, _ in got] == [x["id"] for x in docs[:20]]
    assert "\n" in got[0][1] or "." not in docs[0]["text"][:-1]
    out = _parse([str(path), "--jobs", "2"], tmp_path / "c.jsonl")
    assert len(out.decode().splitlines()) == 20
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\n1,Baghdad\n", "utf-8")
    with pytest.raises(InputError, match="no 'text' column"):
        list(iter_documents(str(bad)))


def test_bad_jsonl_line_exit_3_no_output(corpus, tmp_path):
    _, docs, _ = corpus
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps(x) for x in docs[:200]]
    lines[149] = '{"id": "x", "text": "Baghdad"'  # truncated object on line 150
    path.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    p = subprocess.run(cli_command("-q", "parse", str(path), "-o", str(out), "--jobs", "2"),
                       env=cli_env(), capture_output=True, text=True, timeout=120)
    assert p.returncode == 3, p.stderr
    assert f"{path}:150:" in p.stderr and "invalid JSON" in p.stderr
    assert "Traceback" not in p.stderr
    assert not out.exists()
    assert os.listdir(tmp_path) == ["bad.jsonl"]  # no temporary leftovers
    deadline = time.monotonic() + 10
    while _procs_mentioning(str(path)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _procs_mentioning(str(path)) == []  # no orphaned worker processes


def _procs_mentioning(arg: str) -> list[int]:
    found = []
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    if arg.encode() in fh.read():
                        found.append(int(pid))
            except OSError:
                pass
    return found


def test_progress_only_on_tty(corpus, tmp_path):
    _, docs, _ = corpus
    path = _write_jsonl(tmp_path / "p.jsonl", docs[:5])
    p = subprocess.run(cli_command("parse", path, "-o", str(tmp_path / "o.jsonl"), "-j", "1"),
                       env=cli_env(), capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stderr == ""  # stderr is a pipe: no progress bar


def test_progress_line_format():
    buf = io.StringIO()
    p = Progress(total=10, stream=buf, interval=0)
    p.update(4)
    p.close()
    out = buf.getvalue()
    assert "4/10 docs" in out and "40%" in out and "/s" in out and "ETA" in out
    assert out.endswith("\n")
    assert not Progress.enabled(False, io.StringIO())
    assert not Progress.enabled(True)


# ---------------------------------------------------------------- imap_ordered

def _slow_square(x):
    time.sleep(random.random() * 0.002)
    return x * x


def _setup_offset(k):
    return {"offset": k, "pid": os.getpid()}


def _with_state(state, x):
    return x + state["offset"]


def _boom(x):
    if x == 37:
        raise ValueError("bad item 37")
    return x


def _die(x):
    if x == 5:
        os._exit(1)
    return x


def test_imap_ordered_keeps_order():
    xs = list(range(500))
    assert list(imap_ordered(_slow_square, xs, 2, chunksize=3)) == [x * x for x in xs]
    assert list(imap_ordered(_slow_square, xs, 1)) == [x * x for x in xs]
    assert list(imap_ordered(_with_state, xs, 2, setup=_setup_offset, setup_args=(10,),
                             chunksize=7)) == [x + 10 for x in xs]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_imap_ordered_start_methods(method):
    import multiprocessing

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    got = list(imap_ordered(_with_state, range(40), 2, setup=_setup_offset, setup_args=(5,),
                            chunksize=3, start_method=method))
    assert got == [x + 5 for x in range(40)]


def test_imap_ordered_reads_lazily():
    pulled = []

    def items():
        for i in range(10_000):
            pulled.append(i)
            yield i

    it = imap_ordered(abs, items(), 2, chunksize=10, max_inflight=4)
    assert next(it) == 0
    assert len(pulled) <= 10 * 4 + 10  # bounded look-ahead, not the whole input
    it.close()


def test_imap_ordered_worker_error_and_crash():
    with pytest.raises(ValueError, match="bad item 37"):
        list(imap_ordered(_boom, range(100), 2, chunksize=4))
    with pytest.raises(BrokenProcessPool):
        list(imap_ordered(_die, range(50), 2, chunksize=2))


def test_imap_ordered_input_error_propagates():
    def items():
        yield from range(30)
        raise InputError("broken", "f.jsonl", 31)

    with pytest.raises(InputError, match="f.jsonl:31"):
        list(imap_ordered(abs, items(), 2, chunksize=4))
