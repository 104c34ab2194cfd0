"""GeoJSON (RFC 7946 / 8142), GeoDataFrames and vector files."""

import datetime as dt
import json

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box, shape

from geoevents.events import Event
from geoevents.exc import OutputError
from geoevents.outputs import (
    dumps_feature_collection,
    events_to_gdf,
    gdf_to_events,
    mentions_to_gdf,
    normalize_geometry,
    to_geojson,
    write_events,
    write_vector,
)

GREEN_ZONE = Polygon([(44.37, 33.29), (44.37, 33.31), (44.40, 33.31), (44.40, 33.29)])  # CW


def _events():
    return [
        Event("e1", event_date=dt.date(2023, 12, 8), time_precision=1,
              event_type="Explosions/Remote violence", location="Green Zone", admin1="Baghdad",
              country="Iraq", latitude=33.3005, longitude=44.38577, geometry=GREEN_ZONE,
              geo_precision=1, precision="district", fatalities=None,
              notes="Rockets hit the Green Zone."),
        Event("e2", event_date=dt.date(2023, 12, 2), event_type="Protests",
              latitude=33.3334123456789, longitude=44.4262987654321, fatalities=0,
              geometry=Point(44.4262987654321, 33.3334123456789)),
        Event("e3", event_type="Battles"),  # no location
    ]


def _signed_area(ring):
    c = list(ring.coords)
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(c, c[1:], strict=False)) / 2


def test_rfc7946_winding_order_and_no_crs():
    hole = [(44.38, 33.295), (44.39, 33.295), (44.39, 33.305), (44.38, 33.305)]  # CCW hole
    poly = Polygon(GREEN_ZONE.exterior.coords, [hole])
    doc = json.loads(to_geojson([{"type": "Feature", "geometry": poly, "properties": {}}]))
    assert "crs" not in doc
    g = shape(doc["features"][0]["geometry"])
    assert _signed_area(g.exterior) > 0          # exterior counter-clockwise
    assert _signed_area(g.interiors[0]) < 0      # hole clockwise


def test_lon_lat_order_and_precision():
    doc = json.loads(to_geojson(_events()[1:2], precision=4))
    assert doc["features"][0]["geometry"] == {"type": "Point", "coordinates": [44.4263, 33.3334]}


def test_antimeridian_polygon_is_split():
    g = normalize_geometry(Polygon([(170, -10), (-170, -10), (-170, 10), (170, 10)]))
    assert g["type"] == "MultiPolygon"
    parts = shape(g)
    assert parts.bounds == (-180.0, -10.0, 180.0, 10.0)
    assert all(p.bounds[2] - p.bounds[0] == 10 for p in parts.geoms)
    assert parts.area == pytest.approx(400.0)


def test_antimeridian_beyond_180_and_lines():
    assert normalize_geometry(box(179, 0, 181, 1))["type"] == "MultiPolygon"
    line = shape(normalize_geometry(LineString([(175, 0), (-175, 10)])))
    assert line.geom_type == "MultiLineString"
    assert line.geoms[0].coords[-1] == (180.0, 5.0) and line.geoms[1].coords[0] == (-180.0, 5.0)
    assert tuple(normalize_geometry(Point(190, 5))["coordinates"]) == (-170.0, 5.0)


def test_already_split_geometry_is_left_alone():
    # Natural Earth style: a country touching ±180 on both sides, already split
    fiji = shapely.MultiPolygon([box(177, -18, 180, -16), box(-180, -17, -179, -16)])
    out = shape(normalize_geometry(fiji))
    assert out.area == pytest.approx(fiji.area)
    assert len(out.geoms) == 2


def test_byte_identical_and_sorted_keys():
    a = to_geojson(_events())
    b = to_geojson(_events())
    assert a == b
    first = a.splitlines()[1]
    obj = json.loads(first.rstrip(","))
    assert first.rstrip(",") == json.dumps(obj, sort_keys=True, separators=(",", ":"),
                                           ensure_ascii=False)
    doc = json.loads(a)
    assert [f["id"] for f in doc["features"]] == ["e1", "e2", "e3"]
    assert doc["features"][2]["geometry"] is None
    assert doc["features"][0]["properties"]["event_date"] == "2023-12-08"
    assert doc["features"][0]["properties"]["fatalities"] is None


def test_text_sequence_rfc8142(tmp_path):
    out = tmp_path / "events.geojsons"
    to_geojson(_events(), out, seq=True)
    data = out.read_bytes()
    records = data.split(b"\x1e")[1:]
    assert data.startswith(b"\x1e") and len(records) == 3
    for r in records:
        assert r.endswith(b"\n") and json.loads(r)["type"] == "Feature"


def test_geodataframe_round_trip():
    events = _events()
    gdf = events_to_gdf(events)
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 3
    assert list(gdf.geom_type[:2]) == ["Polygon", "Point"] and gdf.geometry.iloc[2] is None
    assert gdf.latitude.iloc[0] == pytest.approx(33.3005)        # point kept as columns
    assert str(gdf.fatalities.dtype) == "Int64"
    assert gdf_to_events(gdf) == events
    # an event located by latitude/longitude only gets a point geometry
    only_latlon = Event("e4", latitude=1.5, longitude=2.5)
    assert events_to_gdf([only_latlon]).geometry.iloc[0].equals(Point(2.5, 1.5))
    assert json.loads(to_geojson([only_latlon]))["features"][0]["geometry"]["coordinates"] == [
        2.5, 1.5]
    assert to_geojson(gdf) == to_geojson(events)


def test_dumps_feature_collection_used_by_gazetteer_cli():
    s = dumps_feature_collection([{"type": "Feature", "geometry": {"type": "Point",
                                   "coordinates": [1, 2]}, "properties": {"n": 1}}])
    assert json.loads(s)["features"][0]["geometry"]["coordinates"] == [1.0, 2.0]
    assert not s.endswith("\n")


@pytest.mark.parametrize("suffix", [".gpkg", ".parquet", ".geojson", ".geojsons"])
def test_write_vector_formats_round_trip(tmp_path, suffix):
    events = _events()[:2]
    path = tmp_path / f"events{suffix}"
    write_vector(events_to_gdf(events), path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left
    if suffix == ".geojsons":
        assert path.read_bytes().count(b"\x1e") == 2
        return
    back = gpd.read_parquet(path) if suffix == ".parquet" else gpd.read_file(path)
    got = gdf_to_events(back)
    assert [e.event_id for e in got] == ["e1", "e2"]
    assert got[0].event_date == dt.date(2023, 12, 8)
    assert got[0].geometry.equals_exact(GREEN_ZONE, 1e-6) or got[0].geometry.normalize(
    ).equals_exact(GREEN_ZONE.normalize(), 1e-6)


@pytest.mark.parametrize("fmt", ["gpkg", "parquet", "csv", "jsonl", "geojson"])
def test_streamed_events_in_small_chunks_equal_the_whole_table(tmp_path, fmt):
    # extra columns that appear only in later chunks, numbers in one and text in another
    events = [*_events(), Event("e4", latitude=1.0, longitude=2.0, extra=(("actor_id", 7),)),
              Event("e5", extra=(("actor_id", "x9"), ("note2", "late")))]
    path = tmp_path / f"ev.{fmt}"
    assert write_events(iter(events), path, fmt, chunk_size=2) == 5
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no spool or temp file left
    if fmt in ("csv", "jsonl", "geojson"):
        text = path.read_text("utf-8")
        assert "x9" in text and "late" in text
        if fmt == "csv":
            assert text.splitlines()[0].endswith(",actor_id,note2,geometry_wkt")
        return
    back = gpd.read_parquet(path) if fmt == "parquet" else gpd.read_file(path)
    assert back["event_id"].tolist() == ["e1", "e2", "e3", "e4", "e5"]
    assert back["actor_id"].tolist()[3:] == ["7", "x9"]
    assert back["note2"].tolist()[4] == "late"
    assert back.crs.to_epsg() == 4326
    whole = events_to_gdf(events)
    assert back.geometry.iloc[0].normalize().equals_exact(whole.geometry.iloc[0].normalize(),
                                                          1e-6)
    assert back.geometry.iloc[2] is None or back.geometry.iloc[2].is_empty
    assert [e.event_date for e in gdf_to_events(back)][:2] == [dt.date(2023, 12, 8),
                                                               dt.date(2023, 12, 2)]


def test_write_vector_errors_leave_nothing(tmp_path):
    with pytest.raises(OutputError, match="unknown output format"):
        write_vector(events_to_gdf(_events()), tmp_path / "x.shp")
    with pytest.raises(OutputError, match="does not exist"):
        write_vector(events_to_gdf(_events()), tmp_path / "missing" / "x.gpkg")
    assert list(tmp_path.iterdir()) == []


def test_failed_geojson_write_leaves_no_file(tmp_path):
    def boom():
        yield _events()[0]
        raise RuntimeError("stream broke")

    with pytest.raises(RuntimeError):
        to_geojson(boom(), tmp_path / "x.geojson")
    assert list(tmp_path.iterdir()) == []


def test_mentions_to_gdf_and_geojson():
    from geoevents.mention import Mention

    m = Mention(0, 7, "Baghdad", "Baghdad", geometry=Point(44.4, 33.34), precision="town",
                score=0.9)
    gdf = mentions_to_gdf([m])
    assert gdf.crs.to_epsg() == 4326 and gdf.text.iloc[0] == "Baghdad"
    assert json.loads(to_geojson([m]))["features"][0]["properties"]["role"] == "literal"
