"""Determinism: the same input gives byte-identical output.

Across repeated runs in one process, across fresh interpreters with different
``PYTHONHASHSEED`` values (so set/dict-of-str iteration order differs), and across
``--jobs`` settings. Texts include ambiguous names (Tripoli, Alexandria, Georgia,
Victoria...) where a tie broken by set order would show up.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from _offline import ROOT, cli_command, cli_env
from click.testing import CliRunner

from geoevents.cli import main

EXAMPLES = Path(ROOT) / "examples"
SEEDS = ("0", "1", "12345")

AMBIGUOUS = [
    "Clashes in Tripoli and near Alexandria; protests in Georgia and Victoria.",
    "Strikes 35 km north of Baghdad, in eastern Syria and on the outskirts of Aleppo.",
    "San Jose, Santa Cruz, Córdoba, Valencia and Cambridge saw rallies on Friday.",
    "Houthi attacks in the Red Sea near Bab-el-Mandeb; shelling in the Gaza Strip.",
    "Washington said Tehran-backed militias hit Al-Qaim, Erbil and the Green Zone.",
    "Fighting in Omdurman and Khartoum; al-Shabaab attacked Mogadishu.",
    "",
    "No places here at all.",
    "Paris, Texas and Paris, France; Moscow, Idaho; Lagos, Portugal.",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("determinism")
    docs = [{"id": f"amb{i}", "text": t} for i, t in enumerate(AMBIGUOUS)]
    for p in sorted(EXAMPLES.glob("*.txt")):
        docs.append({"id": p.stem, "text": p.read_text(encoding="utf-8")})
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs),
                    encoding="utf-8")
    return path


def _jobs(*jobs: str) -> list[str]:
    names = {p.name for p in main.commands["parse"].params}
    return ["--jobs", *jobs] if "jobs" in names else []


def _in_process(args, out: Path) -> bytes:
    result = CliRunner().invoke(main, [*args, "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _in_subprocess(args, out: Path, seed: str) -> bytes:
    res = subprocess.run(cli_command(*args, "-o", str(out)), env=cli_env(PYTHONHASHSEED=seed),
                         capture_output=True, timeout=300)
    assert res.returncode == 0, res.stderr.decode()
    return out.read_bytes()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@pytest.mark.parametrize("fmt", ["jsonl", "geojson", "geojsonseq"])
def test_parse_repeated_runs_identical(corpus, tmp_path, fmt):
    args = ["parse", str(corpus), "--format", fmt, *_jobs("1")]
    first = _in_process(args, tmp_path / "a")
    second = _in_process(args, tmp_path / "b")
    assert first == second
    assert len(first) > 1000


@pytest.mark.parametrize("fmt", ["jsonl", "geojson"])
def test_parse_identical_across_hash_seeds(corpus, tmp_path, fmt):
    args = ["parse", str(corpus), "--format", fmt, *_jobs("1")]
    outs = {seed: _in_subprocess(args, tmp_path / f"{seed}.{fmt}", seed) for seed in SEEDS}
    assert len({_digest(v) for v in outs.values()}) == 1, {k: _digest(v) for k, v in
                                                            outs.items()}


def test_parse_identical_across_jobs(corpus, tmp_path):
    if not _jobs("1"):
        pytest.skip("parse has no --jobs yet")
    # many small documents so that both workers really get some
    big = tmp_path / "many.jsonl"
    lines = corpus.read_text(encoding="utf-8").splitlines()
    big.write_text("".join(
        json.dumps({**json.loads(ln), "id": f"{k}-{json.loads(ln)['id']}"}) + "\n"
        for k in range(20) for ln in lines), encoding="utf-8")
    one = _in_subprocess(["parse", str(big), "--jobs", "1"], tmp_path / "j1.jsonl", "0")
    two = _in_subprocess(["parse", str(big), "--jobs", "2"], tmp_path / "j2.jsonl", "1")
    assert one == two
    assert one.count(b"\n") == 20 * len(lines)


EVENTS_ARGS = ["-q", "events", str(EXAMPLES / "baghdad-2023-12-08.txt"),
               str(EXAMPLES / "events-sample.csv"), "--published", "2023-12-08"]


@pytest.mark.skipif("events" not in main.commands, reason="geoevents events not there yet")
@pytest.mark.parametrize("suffix", [".geojson", ".jsonl", ".csv"])
def test_events_identical_across_hash_seeds(tmp_path, suffix):
    args = EVENTS_ARGS
    outs = [_in_subprocess(args, tmp_path / f"{seed}{suffix}", seed) for seed in SEEDS[:2]]
    again = _in_process(args, tmp_path / f"again{suffix}")
    assert outs[0] == outs[1] == again
    assert len(outs[0]) > 200


@pytest.mark.skipif("geojson" not in main.commands, reason="geoevents geojson not there yet")
def test_geojson_command_identical_across_hash_seeds(tmp_path):
    args = ["geojson", str(EXAMPLES / "baghdad-2023-12-08.txt"), "--published", "2023-12-08"]
    outs = [_in_subprocess(args, tmp_path / f"{seed}.geojson", seed) for seed in SEEDS[1:]]
    assert outs[0] == outs[1]
    json.loads(outs[0])


@pytest.mark.skipif("map" not in main.commands, reason="geoevents map not there yet")
@pytest.mark.parametrize("offline", [False, True], ids=["cdn", "offline"])
def test_map_html_identical_across_runs(tmp_path, offline):
    args = ["map", str(EXAMPLES / "baghdad-2023-12-08.txt"), "--published", "2023-12-08",
            *(["--offline"] if offline else [])]
    a = _in_subprocess(args, tmp_path / "a.html", "0")
    b = _in_subprocess(args, tmp_path / "b.html", "12345")
    if a != b:
        import difflib

        diff = list(difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(),
                                         lineterm="", n=0))[:12]
        pytest.fail("map HTML differs between runs:\n" + "\n".join(d[:160] for d in diff))
