"""``geoevents events`` driven with click's CliRunner."""

import json
from pathlib import Path

import geopandas as gpd
from click.testing import CliRunner

from geoevents.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BAGHDAD = str(EXAMPLES / "baghdad-2023-12-08.txt")


def run(*args, input=None):
    return CliRunner().invoke(main, ["events", *args], input=input)


def test_text_to_geojson(tmp_path):
    out = tmp_path / "ev.geojson"
    r = run(BAGHDAD, "--published", "2023-12-08", "-o", str(out))
    assert r.exit_code == 0, r.output
    fc = json.loads(out.read_text())
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 7
    first = fc["features"][0]
    assert first["geometry"]["type"] == "Polygon"
    p = first["properties"]
    assert (p["location"], p["event_date"], p["time_precision"], p["fatalities"]) == (
        "Green Zone", "2023-12-08", 1, 0)
    # deterministic: byte-identical on a second run
    out2 = tmp_path / "ev2.geojson"
    run(BAGHDAD, "--published", "2023-12-08", "-o", str(out2))
    assert out.read_bytes() == out2.read_bytes()


def test_articles_jsonl_to_gpkg(tmp_path):
    arts = tmp_path / "articles.jsonl"
    arts.write_text("\n".join(json.dumps(a) for a in [
        {"id": "bgd", "text": Path(BAGHDAD).read_text(), "published": "2023-12-08",
         "source": "Example Wire", "url": "https://example.org/1"},
        {"id": "nbo", "title": "Kenya protests",
         "text": (EXAMPLES / "nairobi-2023-07-13.txt").read_text(),
         "published": "2023-07-13"},
    ]) + "\n")
    out = tmp_path / "ev.gpkg"
    r = run(str(arts), "-o", str(out))
    assert r.exit_code == 0, r.output
    gdf = gpd.read_file(out)
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 11
    assert set(gdf.doc_id) == {"bgd", "nbo"}
    row = gdf[gdf.doc_id == "bgd"].iloc[0]
    assert (row.source, row.source_url, row.location) == (
        "Example Wire", "https://example.org/1", "Green Zone")


def test_records_with_mapped_columns_to_csv(tmp_path, caplog):
    src = tmp_path / "pts.csv"
    src.write_text("when,Y,X,what\n2023-12-08,33.30,44.385,rockets\n"
                   "2023-12-08,33.30,444.0,typo\n")
    out = tmp_path / "ev.csv"
    r = run(str(src), "--lat", "Y", "--lon", "X", "--date", "when", "-o", str(out))
    assert r.exit_code == 0, r.output
    lines = out.read_text().splitlines()
    assert len(lines) == 2 and "geometry_wkt" in lines[0] and "what" in lines[0]
    assert "POINT (44.385 33.3)" in lines[1] and "Iraq" in lines[1]
    assert "pts.csv:3: longitude 444 is outside -180..180" in caplog.text
    assert "2 rows: 1 by coordinates, 0 geocoded, 0 kept without location, 1 skipped" in r.stderr


def test_strict_bad_row_exit_3_and_no_output(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text("event_date,latitude,longitude\n2023-12-08,33.3,44.4\nsoon,33.3,44.4\n")
    out = tmp_path / "ev.geojson"
    r = run(str(src), "--strict", "-o", str(out))
    assert r.exit_code == 3
    assert f"Error: {src}:3: invalid date 'soon'" in r.stderr
    assert "Traceback" not in r.output and not out.exists()


def test_stdin_text_to_jsonl_stdout():
    r = run("-", "--published", "2023-10-22", "--format", "jsonl",
            input="Gunmen abducted two aid workers in Nyala on Saturday.\n")
    assert r.exit_code == 0, r.output
    (line,) = r.stdout.splitlines()
    feat = json.loads(line)
    assert feat["properties"]["sub_event_type"] == "Abduction/forced disappearance"
    assert feat["properties"]["location"] == "Nyala"
    assert feat["properties"]["event_date"] == "2023-10-21"


def test_stdin_records():
    r = run("-", input="event_date,location,country\n2023-12-08,Green Zone,Iraq\n")
    assert r.exit_code == 0, r.output
    fc = json.loads(r.stdout)
    assert fc["features"][0]["properties"]["place_id"] == "curated:green-zone"


def test_missing_file_and_bad_date():
    r = run("/nonexistent/file.txt", "-o", "-")
    assert r.exit_code == 3 and "no such file" in r.stderr
    r = run(BAGHDAD, "--published", "8/12/2023")
    assert r.exit_code == 2 and "expected YYYY-MM-DD" in r.stderr


def test_gpkg_to_stdout_is_a_usage_error():
    r = run(BAGHDAD, "--format", "gpkg")
    assert r.exit_code == 2


def test_events_jobs_2_is_byte_identical_to_jobs_1(tmp_path):
    text = (Path(__file__).parent.parent / "examples" / "baghdad-2023-12-08.txt").read_text()
    arts = tmp_path / "arts.jsonl"
    arts.write_text("".join(json.dumps({"id": f"a{i}", "text": text,
                                         "published": "2023-12-08"}) + "\n" for i in range(12)))
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"e{jobs}.geojson"
        r = CliRunner().invoke(main, ["events", str(arts), "-o", str(out), "--jobs", jobs])
        assert r.exit_code == 0, r.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert outs[0].count(b'"Feature"') == 12 * 7
