"""Property-based tests (hypothesis): hostile and random text, geometry and GeoJSON rules.

Profiles (``tests/conftest.py``): ``HYPOTHESIS_PROFILE=ci`` (the default, 1,000
examples per property), ``dev`` (200) and ``long`` (20,000) for a local soak::

    HYPOTHESIS_PROFILE=long pytest tests/test_properties.py

Texts mix real place phrases (so the recogniser, role rules, resolver and geometry
derivation all run) with arbitrary Unicode: combining marks, right-to-left
scripts, emoji, zero-width and control characters, lone line separators.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
import shapely
from hypothesis import assume, given, note
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon, shape

from geoevents.geoparse import geoparse
from geoevents.mention import ROLES

PLACES = [
    "Baghdad", "Baghdad's", "the Green Zone", "eastern Syria", "northern Iraq",
    "south of Beirut", "35 km north of Baghdad", "near Mosul", "outskirts of Aleppo",
    "the Red Sea", "the Gaza Strip", "West Bank", "Golan Heights", "al-Anbar", "Al-Qaim",
    "Iran-aligned", "Iraqi", "the Iraqis", "Tehran said", "supported by Tehran",
    "Islamic State", "US Embassy", "Washington", "New York", "Bab-el-Mandeb", "Sinai",
    "Kurdistan Region", "Mogadishu", "Khartoum", "Omdurman", "Nairobi", "São Paulo",
    "Zürich", "Kyiv", "Kiev", "Fiji", "Russia", "Chukotka", "Antarctica", "Pacific Ocean",
    "بغداد", "Москва", "東京", "Yemen's", "SYRIA", "syria", "100 km west of Damascus",
    "5 miles south of Gaza", "within 50 km of Erbil", "central Somalia", "Congo",
]
SEPARATORS = [" ", ", ", ". ", " and ", " in ", "\n", "\r\n", "\t", " near ", "-", "'s ",
              "\u00a0", "\u200b", "\u2028", "\u202e", "\ufeff", "\u0301", "“", "”", "…"]

unicode_bits = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
texts = st.lists(st.one_of(st.sampled_from(PLACES), st.sampled_from(SEPARATORS),
                           unicode_bits), max_size=10).map("".join)


# ------------------------------------------------------------------ geoparse

@given(texts)
def test_geoparse_never_raises_and_offsets_slice(text):
    mentions = geoparse(text)
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.name and m.name in m.text
        assert m.role in ROLES
        assert 0.0 <= m.score <= 1.0
        json.dumps(m.to_dict(), allow_nan=False)  # every record is strict JSON


@given(st.text(max_size=40))
def test_geoparse_any_unicode(text):
    for m in geoparse(text):
        assert text[m.start:m.end] == m.text


@given(texts)
def test_every_geometry_is_valid(text):
    for m in geoparse(text):
        g = m.geometry
        if g is None:
            continue
        note(f"{m.text!r} -> {g.geom_type} {m.modifier!r}")
        assert not g.is_empty
        assert g.is_valid, shapely.is_valid_reason(g)
        xmin, ymin, xmax, ymax = g.bounds
        assert -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90, g.bounds
        pt = m.point
        assert pt is not None and -180 <= pt.x <= 180 and -90 <= pt.y <= 90


ADVERSARIAL = {
    "al-chain": "al-" * 20000 + "Anbar",
    "possessives": "Baghdad's " * 5000,
    "km-chain": "35 km north of " * 3000 + "Baghdad",
    "near-chain": "near the outskirts of " * 3000 + "Mosul",
    "directions": "eastern northern southern western " * 3000 + "Syria",
    "capitals": "The " + "Big " * 20000 + "City",
    "hyphens": "-".join(["Iran"] * 20000),
    "combining": "Baghdad" + "\u0301" * 50000,
    "rtl": "\u202e" + "بغداد " * 10000,
    "one-word": "x" * 2_000_000,
    "punctuation": ".,;:!?'\"()[]{}" * 50000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_geoparse_adversarial_text_is_fast(name):
    """No catastrophic backtracking or quadratic blow-up on hostile text (2 MB max)."""
    import time

    text = ADVERSARIAL[name]
    t0 = time.perf_counter()
    mentions = geoparse(text)
    elapsed = time.perf_counter() - t0
    for m in mentions[:1000]:
        assert text[m.start:m.end] == m.text
    assert elapsed < 20, f"{name}: {elapsed:.1f} s for {len(text)} characters"


# ------------------------------------------------------------------ RFC 7946

def _ring_area(ring) -> float:
    # shoelace relative to the first vertex: absolute coordinates (~100) would cancel
    # away the area of rings that are small against them
    ox, oy = ring[0][0], ring[0][1]
    pts = [(x - ox, y - oy) for x, y, *_ in ring]
    pairs = zip(pts[:-1], pts[1:], strict=True)
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs) / 2


def _positions(coords):
    if coords and isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _positions(c)


def _check_polygon(rings):
    for i, ring in enumerate(rings):
        assert len(ring) >= 4 and ring[0] == ring[-1], "ring not closed"
        area = _ring_area(ring)
        if i == 0:
            assert area > 0, "exterior ring must be counter-clockwise"
        else:
            assert area < 0, "holes must be clockwise"


def _check_geometry(g):
    assert g is None or isinstance(g, dict)
    if g is None:
        return
    assert "crs" not in g
    t = g["type"]
    if t == "GeometryCollection":
        for sub in g["geometries"]:
            _check_geometry(sub)
        return
    for pos in _positions(g["coordinates"]):
        assert len(pos) in (2, 3)
        lon, lat = pos[0], pos[1]
        assert math.isfinite(lon) and math.isfinite(lat)
        assert -180 <= lon <= 180 and -90 <= lat <= 90, pos
    if t == "Polygon":
        _check_polygon(g["coordinates"])
    elif t == "MultiPolygon":
        for rings in g["coordinates"]:
            _check_polygon(rings)
    if "bbox" in g:
        assert len(g["bbox"]) in (4, 6)


def _reject_constant(name):
    raise AssertionError(f"{name} is not JSON (RFC 8259)")


def check_rfc7946(text: str):
    """Structural RFC 7946 rules for a FeatureCollection or one Feature."""
    doc = json.loads(text, parse_constant=_reject_constant)
    assert "crs" not in doc
    feats = doc["features"] if doc["type"] == "FeatureCollection" else [doc]
    assert doc["type"] in ("FeatureCollection", "Feature")
    for f in feats:
        assert f["type"] == "Feature" and "crs" not in f
        assert "geometry" in f and "properties" in f
        _check_geometry(f["geometry"])
        if f["geometry"] is not None:
            assert shape(f["geometry"]).is_valid
        if "id" in f:
            assert isinstance(f["id"], (str, int, float))
    return doc


@given(texts)
def test_geojson_of_mentions_obeys_rfc7946(text):
    outputs = pytest.importorskip("geoevents.outputs")
    feats = [m.__geo_interface__ for m in geoparse(text)]
    out = outputs.to_geojson(feats)
    doc = check_rfc7946(out)
    assert len(doc["features"]) == len(feats)


lons = st.floats(-180, 180, allow_nan=False)
lats = st.floats(-85, 85, allow_nan=False)


@st.composite
def polygons(draw, min_radius=0.001, min_gap=1e-4):
    """Valid polygons, any orientation, some with holes, some across the antimeridian."""
    cx, cy = draw(lons), draw(lats)
    r = draw(st.floats(min_radius, 20))
    n = draw(st.integers(3, 12))
    angles = sorted(draw(st.lists(st.floats(0, 2 * math.pi, exclude_max=True),
                                  min_size=n, max_size=n, unique=True)))
    ring = [(cx + r * math.cos(a), max(-89.9, min(89.9, cy + r * math.sin(a))))
            for a in angles]
    if draw(st.booleans()):
        ring.reverse()  # clockwise input must come out counter-clockwise
    poly = Polygon(ring)
    # no slivers or near-duplicate vertices: those are below the grid (see the small-geometry test)
    edges = shapely.get_coordinates(poly.exterior)
    shortest = min(math.dist(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True))
    assume(poly.is_valid and poly.area > 0.01 * r * r and shortest >= min_gap)
    if draw(st.booleans()):
        hole = shapely.affinity.scale(poly.convex_hull, 0.3, 0.3)
        if hole.within(poly) and hole.exterior.distance(poly.exterior) >= min_gap:
            poly = Polygon(poly.exterior.coords, [list(hole.exterior.coords)[::-1]])
            assume(poly.is_valid)
    return poly


def geometries(min_radius=0.001, min_gap=1e-4):
    return st.one_of(
        st.builds(Point, lons, st.floats(-90, 90, allow_nan=False)),
        polygons(min_radius, min_gap),
        st.lists(polygons(min_radius, min_gap), min_size=1, max_size=3).map(shapely.union_all),
    )


@given(geometries())
def test_geojson_of_geometries_obeys_rfc7946(geom):
    """At the default precision (6 decimals): places of 100 m and more, holes 10 m apart."""
    _check_geojson_geometry(geom, 6, close=True)


@given(geometries(min_radius=1e-6, min_gap=0.0), st.integers(2, 9))
def test_geojson_of_small_geometries_at_any_precision(geom, precision):
    # parts smaller than the grid may vanish (or become points): only the rules are checked
    _check_geojson_geometry(geom, precision, close=False)


def _check_geojson_geometry(geom, precision, close):
    outputs = pytest.importorskip("geoevents.outputs")
    assume(not geom.is_empty)
    feat = {"type": "Feature", "geometry": geom.__geo_interface__, "properties": {"k": 1}}
    note(geom.wkt[:300])
    doc = check_rfc7946(outputs.to_geojson([feat], precision=precision))
    out = shape(doc["features"][0]["geometry"])
    if close and geom.bounds[0] >= -180 and geom.bounds[2] <= 180:
        # same place: rounding moves it by at most a few 10^-precision degrees
        assert out.is_empty is False
        assert shapely.hausdorff_distance(out, geom) <= 10 ** -(precision - 1) * 5


# ------------------------------------------------------------------ events round trip

safe_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                    max_size=20)
event_types = st.sampled_from(["Battles", "Explosions/Remote violence", "Protests", "Riots",
                               "Violence against civilians", "Strategic developments"])


@st.composite
def event_lists(draw):
    events_mod = pytest.importorskip("geoevents.events")
    n = draw(st.integers(1, 5))
    out = []
    for i in range(n):
        lat = round(draw(st.floats(-89.9, 89.9, allow_nan=False)), 5)
        lon = round(draw(st.floats(-179.9, 179.9, allow_nan=False)), 5)
        out.append(events_mod.Event(
            event_id=f"ev{i}",
            event_date=draw(st.dates(dt.date(1990, 1, 1), dt.date(2023, 12, 31))),
            time_precision=draw(st.sampled_from([1, 2, 3])),
            event_type=draw(event_types),
            actor1=draw(safe_text), actor2=draw(safe_text), notes=draw(safe_text),
            source=draw(safe_text), location=draw(safe_text),
            doc_id=draw(safe_text.filter(bool)),
            fatalities=draw(st.one_of(st.none(), st.integers(0, 10_000))),
            latitude=lat, longitude=lon, geometry=Point(lon, lat), geo_precision=1,
            geo_method="coordinates"))
    return out


ROUND_TRIP_FIELDS = ("event_id", "event_date", "time_precision", "event_type",
                     "sub_event_type", "actor1", "actor2", "fatalities", "location",
                     "latitude", "longitude", "geo_precision", "source", "notes", "geo_method")


def _write_and_read(tmp_path_factory, text):
    records = pytest.importorskip("geoevents.records")
    path = tmp_path_factory.mktemp("rt") / "events.geojson"
    path.write_text(text, encoding="utf-8")
    return records.read_events(path, strict=True)


@given(event_lists())
def test_geojson_events_geojson_keeps_event_fields(tmp_path_factory, events):
    """Our GeoJSON read back as records keeps every ACLED field and the geometry."""
    outputs = pytest.importorskip("geoevents.outputs")
    first = outputs.to_geojson(events)
    check_rfc7946(first)
    again = _write_and_read(tmp_path_factory, first)
    assert len(again) == len(events)
    for a, b in zip(events, again, strict=True):
        for f in ROUND_TRIP_FIELDS:
            va, vb = getattr(a, f), getattr(b, f)
            if isinstance(va, str):
                va, vb = va.strip(), vb.strip()
            assert va == vb, (f, va, vb)
        assert shapely.equals_exact(a.geometry, b.geometry, 1e-9)


@given(event_lists())
def test_geojson_events_geojson_byte_identical(tmp_path_factory, events):
    outputs = pytest.importorskip("geoevents.outputs")
    first = outputs.to_geojson(events)
    assert outputs.to_geojson(_write_and_read(tmp_path_factory, first)) == first


def test_round_trip_keeps_empty_doc_id(tmp_path):
    outputs = pytest.importorskip("geoevents.outputs")
    records = pytest.importorskip("geoevents.records")
    from geoevents.events import Event

    ev = Event("e1", event_date=dt.date(2023, 12, 8), latitude=33.3, longitude=44.4,
               geometry=Point(44.4, 33.3), geo_method="coordinates")
    first = outputs.to_geojson([ev])
    (tmp_path / "events.geojson").write_text(first, encoding="utf-8")
    assert outputs.to_geojson(records.read_events(tmp_path / "events.geojson")) == first
