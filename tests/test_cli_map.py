"""``geoevents map`` and ``geoevents geojson`` driven through click's CliRunner."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoevents.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BAGHDAD = EXAMPLES / "baghdad-2023-12-08.txt"


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


needs_baghdad = pytest.mark.skipif(not BAGHDAD.exists(), reason="worked example missing")


@needs_baghdad
def test_map_from_plain_text(tmp_path):
    out = tmp_path / "baghdad.html"
    r = run("map", str(BAGHDAD), "--published", "2023-12-08", "--offline",
            "--title", "Baghdad, 8 December 2023", "-o", str(out))
    assert r.exit_code == 0, r.output
    html = out.read_text()
    assert "<title>Baghdad, 8 December 2023</title>" in html
    assert "Explosions/Remote violence" in html and "Green Zone" in html
    assert "cdn.jsdelivr" not in html


@needs_baghdad
def test_geojson_from_plain_text_is_deterministic(tmp_path):
    a, b = tmp_path / "a.geojson", tmp_path / "b.geojson"
    for out in (a, b):
        r = run("geojson", str(BAGHDAD), "--published", "2023-12-08", "-o", str(out))
        assert r.exit_code == 0, r.output
    assert a.read_bytes() == b.read_bytes()
    doc = json.loads(a.read_text())
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    locations = {f["properties"]["location"] for f in doc["features"]}
    assert "Green Zone" in locations
    assert not locations & {"Iran-aligned", "Iraqi", "Tehran", "Islamic State"}


def test_articles_jsonl_from_stdin_as_text_sequence():
    line = {"id": "a1", "published": "2023-12-08",
            "text": "Rockets were fired at the Green Zone in Baghdad on Friday."}
    r = run("geojson", "-", "--seq", input=json.dumps(line) + "\n")
    assert r.exit_code == 0, r.output
    records = [x for x in r.output.split("\x1e") if x]
    assert records and all(x.endswith("\n") for x in records)
    f = json.loads(records[0])
    assert f["properties"]["doc_id"] == "a1" and f["properties"]["event_date"] == "2023-12-08"


def test_date_filters(tmp_path):
    text = tmp_path / "a.jsonl"
    text.write_text("\n".join(json.dumps({"id": f"a{i}", "published": d, "text":
                    "Rockets were fired at the Green Zone in Baghdad on Friday."})
                    for i, d in enumerate(["2023-12-08", "2023-11-10"])) + "\n")
    r = run("geojson", str(text), "--since", "2023-12-01")
    assert r.exit_code == 0, r.output
    dates = {f["properties"]["event_date"] for f in json.loads(r.output)["features"]}
    assert dates == {"2023-12-08"}


def test_bad_article_line_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "ok"}\n{not json\n')
    out = tmp_path / "m.html"
    r = CliRunner().invoke(main, ["map", str(bad), "-o", str(out)])
    assert r.exit_code == 3
    assert f"{bad}:2:" in r.output and "invalid JSON" in r.output
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_missing_input_and_bad_date(tmp_path):
    r = CliRunner().invoke(main, ["map", str(tmp_path / "nope.txt"),
                                  "-o", str(tmp_path / "m.html")])
    assert r.exit_code == 3 and "no such file" in r.output
    r = CliRunner().invoke(main, ["map", "x.txt", "--since", "yesterday", "-o", "m.html"])
    assert r.exit_code == 2 and "expected YYYY-MM-DD" in r.output


def test_unwritable_output(tmp_path):
    r = CliRunner().invoke(main, ["geojson", "-", "-o", str(tmp_path / "no" / "x.geojson")],
                           input="Rockets hit Baghdad on Friday.")
    assert r.exit_code == 4 and "does not exist" in r.output


def test_event_records(tmp_path):
    pytest.importorskip("geoevents.records")
    out = tmp_path / "sample.html"
    r = run("map", str(EXAMPLES / "events-sample.csv"), "--offline", "-o", str(out))
    assert r.exit_code == 0, r.output
    html = out.read_text()
    assert "Protests" in html and "Ain al-Asad" in html
    r = run("geojson", str(EXAMPLES / "events-sample.csv"), "-o", str(tmp_path / "s.gpkg"))
    assert r.exit_code == 0, r.output and (tmp_path / "s.gpkg").exists()
