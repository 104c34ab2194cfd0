"""Events from structured records (geoevents.records)."""

import datetime as dt
import json
from pathlib import Path

import pytest

from geoevents.exc import InputError
from geoevents.records import ReadReport, read_events

TODAY = dt.date.today().isoformat()

ACLED = (Path(__file__).parent / "data" / "acled-export-sample.csv").read_text("utf-8")


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_acled_export(tmp_path):
    rep = ReadReport("acled.csv")
    evs = read_events(write(tmp_path, "acled.csv", ACLED), report=rep)
    assert [e.event_id for e in evs] == ["IRQ1001", "SYR2002"]
    e = evs[0]
    assert e.event_date == dt.date(2023, 12, 8) and e.time_precision == 1
    assert (e.event_type, e.sub_event_type) == ("Explosions/Remote violence",
                                                "Shelling/artillery/missile attack")
    assert e.actor1 == "Unidentified Armed Group (Iraq)" and e.fatalities == 0
    assert (e.country, e.iso3, e.admin1, e.admin2) == ("Iraq", "IRQ", "Baghdad", "Al Resafa")
    assert (e.latitude, e.longitude, e.geo_precision) == (33.3005, 44.3858, 1)
    assert e.geometry.wkt == "POINT (44.3858 33.3005)"  # coordinates used as given
    assert e.geo_method == "coordinates" and e.location == "Baghdad - Green Zone"
    extra = dict(e.extra)  # unknown ACLED columns are kept
    assert extra["disorder_type"] == "Political violence" and extra["iso"] == "368"
    assert extra["timestamp"] == "1702300000"
    assert e.to_dict()["civilian_targeting"] == ""
    assert evs[1].fatalities == 3 and evs[1].geo_precision == 2
    assert (rep.rows, rep.by_coordinates, rep.skipped) == (2, 2, 0)


def test_location_text_is_geocoded(tmp_path):
    p = write(tmp_path, "ev.csv", "date,place,country,what\n"
                                  "2023-12-08,Green Zone,Iraq,rockets\n"
                                  "2023-12-08,eastern Syria,,strikes\n"
                                  "2023-12-08,Red Sea,,shipping\n")
    evs = read_events(p)
    gz, es, rs = evs
    assert (gz.place_id, gz.geo_method, gz.geometry.geom_type) == (
        "curated:green-zone", "gazetteer", "Polygon")
    assert (gz.country, gz.iso3, gz.admin1, gz.geo_precision) == ("Iraq", "IRQ", "Baghdad", 1)
    assert es.geo_method == "geoparser" and es.country == "Syria" and es.geo_precision == 3
    assert es.geometry.centroid.x > 38.5           # the east of Syria
    assert rs.precision == "sea" and rs.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert dict(gz.extra) == {"what": "rockets"}


def test_points_get_country_and_admin1(tmp_path):
    p = write(tmp_path, "pts.csv", "Y,X,day\n33.30,44.385,2023-12-08\n")
    (e,) = read_events(p, lat="Y", lon="X", date="day")
    assert (e.country, e.iso3, e.admin1, e.event_date) == ("Iraq", "IRQ", "Baghdad",
                                                           dt.date(2023, 12, 8))


BAD = f"""event_date,location,country,latitude,longitude
2023-12-08,Baghdad,Iraq,33.3,44.4
not-a-date,Baghdad,Iraq,33.3,44.4
2023-12-08,Baghdad,Iraq,abc,44.4
2023-12-08,Baghdad,Iraq,nan,44.4
2023-12-08,Baghdad,Iraq,95.1,44.4
2023-12-08,Baghdad,Iraq,33.3,181
2023-12-08,Baghdad,Iraq,44.4,33.3
2023-12-08,Xqzzyville,Iraq,,
2999-01-01,Baghdad,Iraq,33.3,44.4
2023-12-08,Baghdad,Iraq,33.3,
{TODAY},Baghdad,Iraq,33.3,44.4
"""


def test_bad_rows_are_reported_and_skipped(tmp_path, caplog):
    p = write(tmp_path, "bad.csv", BAD)
    rep = ReadReport(str(p))
    evs = read_events(p, report=rep)
    assert len(evs) == 2 and rep.skipped == 9 and rep.rows == 11
    reasons = dict(rep.problems)
    assert "invalid date 'not-a-date'" in reasons[3]
    assert "latitude 'abc' is not a number" in reasons[4]
    assert "not a finite number" in reasons[5]
    assert "latitude 95.1 is outside -90..90" in reasons[6]
    assert "longitude 181 is outside -180..180" in reasons[7]
    assert "look swapped" in reasons[8]
    assert "cannot geocode location 'Xqzzyville'" in reasons[9]
    assert "in the future" in reasons[10]
    assert "only one of latitude/longitude" in reasons[11]
    assert "bad.csv:3: invalid date" in caplog.text
    assert "2 rows" not in rep.summary() and "9 skipped" in rep.summary()


def test_strict_raises_with_file_and_line(tmp_path):
    p = write(tmp_path, "bad.csv", BAD)
    with pytest.raises(InputError) as err:
        read_events(p, strict=True)
    assert err.value.line == 3 and err.value.path == str(p)
    assert str(err.value).startswith(f"{p}:3: invalid date")


def test_keep_unlocated(tmp_path):
    p = write(tmp_path, "u.csv", "event_date,location\n2023-12-08,Xqzzyville\n"
                                 "2023-12-08,\n")
    evs = read_events(p, keep_unlocated=True)
    assert [(e.location, e.geometry, e.geo_method) for e in evs] == [
        ("Xqzzyville", None, ""), ("", None, "")]


def test_jsonl_and_geojson(tmp_path):
    rows = [{"id": "a", "event_date": "2023-12-08", "location": "Gaza Strip", "fatalities": 4},
            {"id": "b", "event_date": "2023-12-08", "lat": 15.35, "lon": 44.2}]
    p = write(tmp_path, "r.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    a, b = read_events(p)
    assert (a.event_id, a.location, a.iso3, a.fatalities) == ("a", "Gaza Strip", "PSE", 4)
    assert (b.country, b.geometry.wkt) == ("Yemen", "POINT (44.2 15.35)")
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "g1", "geometry": {"type": "Point", "coordinates": [44.4, 33.3]},
         "properties": {"event_date": "2023-12-08", "event_type": "Protests"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [44.4, 133.3]},
         "properties": {"event_date": "2023-12-08"}}]}
    g = write(tmp_path, "r.geojson", json.dumps(fc))
    rep = ReadReport("g")
    (e,) = read_events(g, report=rep)
    assert (e.event_id, e.event_type, e.country, e.geo_method) == (
        "g1", "Protests", "Iraq", "coordinates")
    assert rep.problems and rep.problems[0][0] == 2


def test_geopackage_roundtrip(tmp_path):
    from geoevents.outputs import events_to_gdf, write_vector
    evs = read_events(write(tmp_path, "acled.csv", ACLED))
    out = tmp_path / "ev.gpkg"
    write_vector(events_to_gdf(evs), out)
    back = read_events(out)
    assert [e.event_id for e in back] == ["IRQ1001", "SYR2002"]
    assert back[0].event_date == dt.date(2023, 12, 8) and back[0].fatalities == 0
    assert back[0].geometry.equals_exact(evs[0].geometry, 1e-9)


@pytest.mark.parametrize("content, message", [
    ("", "is empty"),
    ("a,b\n1,2,3\n", "3 fields, the header has 2"),
    ('event_date,location\n"2023-12-08,Baghdad\n', "malformed CSV"),
])
def test_malformed_files(tmp_path, content, message):
    p = write(tmp_path, "m.csv", content)
    with pytest.raises(InputError, match=message):
        read_events(p)


def test_bad_json_line(tmp_path):
    p = write(tmp_path, "m.jsonl", '{"location": "Baghdad"}\n{oops\n')
    with pytest.raises(InputError) as err:
        read_events(p)
    assert err.value.line == 2


def test_unknown_mapped_column(tmp_path):
    p = write(tmp_path, "m.csv", "a,b\n1,2\n")
    with pytest.raises(InputError, match="no column 'lat'"):
        read_events(p, lat="lat")
