import json

from click.testing import CliRunner

from geoevents.cli import main
from geoevents.evaluate import evaluate, haversine_km


def _corpus(path):
    text1 = "Rockets hit Baghdad on Friday. Officials in Mosul said the Acme Bank was closed."
    text2 = "Flooding reached Paris, Texas, while Lyon stayed dry."
    docs = [
        {"id": "d1", "text": text1, "toponyms": [
            {"start": 12, "end": 19, "name": "Baghdad", "lat": 33.34, "lon": 44.40},
            {"start": 44, "end": 49, "name": "Mosul", "lat": 36.34, "lon": 43.13}]},
        {"id": "d2", "text": text2, "toponyms": [
            {"start": 17, "end": 22, "name": "Paris", "lat": 33.66, "lon": -95.56},
            {"start": 24, "end": 29, "name": "Texas", "lat": 31.0, "lon": -100.0},
            {"start": 37, "end": 41, "name": "Lyon", "lat": None, "lon": None}]},
    ]
    for d in docs:
        for t in d["toponyms"]:
            assert d["text"][t["start"]:t["end"]] == t["name"]
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    return path


def test_evaluate_scores_a_small_corpus(tmp_path):
    d = evaluate(_corpus(tmp_path / "mini.jsonl")).as_dict()
    assert d["docs"] == 2 and d["gold"] == 5
    assert d["overlap_r"] == 1.0 and d["overlap_p"] == 1.0
    assert d["resolved"] == 4 and d["acc161"] == 1.0
    # Lyon has no coordinates: counted for recognition only
    assert d["e2e_acc161"] == 1.0


def test_haversine():
    assert round(haversine_km(0, 0, 0, 1), 1) == 111.2


def test_evaluate_command(tmp_path):
    corpus = _corpus(tmp_path / "mini.jsonl")
    r = CliRunner().invoke(main, ["evaluate", str(corpus), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["overlap_f1"] == 1.0
    r = CliRunner().invoke(main, ["evaluate", str(corpus), "--recall-only"])
    assert "recognition recall" in r.output and "Acc@161 1.000" in r.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "a"}\n')
    r = CliRunner().invoke(main, ["evaluate", str(bad)])
    assert r.exit_code == 3 and "bad.jsonl:1:" in r.output
