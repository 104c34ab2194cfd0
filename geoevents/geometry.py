"""Stage 5 — geometry: the shape a mention refers to, and its precision.

* a plain name: the place's own geometry (polygon or point);
* "eastern Syria", "northern Iraq", "central Baghdad": the matching part of the
  place's polygon (a town's point is first widened to a disc sized by population);
* "35 km north of Baghdad": the geodesic destination point (geopy);
* "south of Beirut": a 90° sector on that side of the place, geodesic;
* "near / outside / on the outskirts of X": a buffer in metres drawn in a local
  azimuthal equidistant projection centred on the place (pyproj), back in EPSG:4326.
"""

from __future__ import annotations

import math
from functools import lru_cache

import shapely
from shapely.geometry import Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from .gazetteer import Place

__all__ = ["derive", "derived_precision", "BEARINGS", "directional_part", "destination",
           "buffer_m", "sector", "circle"]

BEARINGS = {"north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0,
            "south": 180.0, "southwest": 225.0, "west": 270.0, "northwest": 315.0}

# precision of a derived location, by the place's own precision
_PART_PRECISION = {"country": "region", "continent": "region", "admin1": "admin1",
                   "region": "region", "sea": "sea", "admin2": "admin2", "town": "district",
                   "district": "district", "site": "site"}


def town_radius_m(place: Place) -> float:
    """Rough radius of a town from its population (2–25 km)."""
    return min(25_000.0, max(2_000.0, 2_000.0 * math.sqrt(max(place.population, 1) / 1e5)))


def destination(point: Point, bearing: float, metres: float) -> Point:
    """Geodesic destination from ``point`` (lon/lat) along ``bearing`` degrees."""
    from geopy.distance import geodesic  # imported on use: geopy pulls in its geocoders

    d = geodesic(meters=metres).destination((point.y, point.x), bearing)
    return Point(round(d.longitude, 6), round(d.latitude, 6))


@lru_cache(maxsize=4096)
def _aeqd(lat: float, lon: float):
    from pyproj import Transformer
    proj = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +x_0=0 +y_0=0 +datum=WGS84 +units=m"
    fwd = Transformer.from_crs("EPSG:4326", proj, always_xy=True)
    inv = Transformer.from_crs(proj, "EPSG:4326", always_xy=True)
    return fwd, inv


def buffer_m(geom: BaseGeometry, metres: float) -> BaseGeometry:
    """Buffer ``geom`` by ``metres`` in a local azimuthal equidistant projection."""
    c = geom.centroid
    fwd, inv = _aeqd(round(c.y, 4), round(c.x, 4))
    local = shapely.transform(geom, lambda xy: _stack(fwd.transform(xy[:, 0], xy[:, 1])))
    out = local.buffer(metres, quad_segs=16)
    back = shapely.transform(out, lambda xy: _stack(inv.transform(xy[:, 0], xy[:, 1])))
    return shapely.set_precision(back, 1e-6)


def _stack(xy):
    import numpy as np
    return np.column_stack(xy)


@lru_cache(maxsize=1)
def _geod():
    from pyproj import Geod
    return Geod(ellps="WGS84")


def _fan(point: Point, bearings, radius_m: float) -> list[tuple[float, float]]:
    """Geodesic destinations from ``point`` along many bearings (vectorised, pyproj)."""
    import numpy as np
    az = np.asarray(bearings, dtype=float)
    lon, lat, _ = _geod().fwd(np.full(az.shape, point.x), np.full(az.shape, point.y), az,
                              np.full(az.shape, float(radius_m)))
    return [(round(x, 6), round(y, 6)) for x, y in zip(lon.tolist(), lat.tolist())]


def sector(point: Point, bearing: float, radius_m: float, width: float = 90.0) -> Polygon:
    """A geodesic circular sector from ``point`` toward ``bearing``."""
    steps = 12
    arc = _fan(point, [bearing - width / 2 + width * k / steps for k in range(steps + 1)],
               radius_m)
    return Polygon([(point.x, point.y), *arc, (point.x, point.y)])


def directional_part(geom: BaseGeometry, direction: str) -> BaseGeometry:
    """The ``direction`` part ("east", "northwest", "central") of an areal geometry.

    Cardinal parts are the half of the bounding box on that side; intercardinal
    parts are the quadrant; "central" is the middle half in both axes. The result
    is clipped to the geometry.
    """
    minx, miny, maxx, maxy = geom.bounds
    mx, my = (minx + maxx) / 2, (miny + maxy) / 2
    qx, qy = (maxx - minx) / 4, (maxy - miny) / 4
    boxes = {
        "north": box(minx, my, maxx, maxy), "south": box(minx, miny, maxx, my),
        "east": box(mx, miny, maxx, maxy), "west": box(minx, miny, mx, maxy),
        "northeast": box(mx, my, maxx, maxy), "northwest": box(minx, my, mx, maxy),
        "southeast": box(mx, miny, maxx, my), "southwest": box(minx, miny, mx, my),
        "central": box(mx - qx, my - qy, mx + qx, my + qy),
    }
    part = shapely.intersection(geom, boxes[direction])
    if part.is_empty:
        return geom
    if part.geom_type == "GeometryCollection":
        polys = [g for g in part.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        part = shapely.union_all(polys) if polys else geom
    return shapely.make_valid(part)


def circle(point: Point, radius_m: float, segments: int = 48) -> Polygon:
    """A geodesic circle (polygon) of ``radius_m`` metres around ``point``."""
    return Polygon(_fan(point, [360.0 * k / segments for k in range(segments)], radius_m))


_LARGE = ("country", "admin1", "region", "sea", "continent")


def derived_precision(place: Place, modifier: tuple) -> str:
    """Precision of ``place`` under a recognition ``modifier`` (no geometry needed)."""
    precision = place.precision
    if not modifier:
        return precision
    what = modifier[0]
    if len(modifier) == 2 and what == "near":
        return precision if place.kind in _LARGE or place.is_areal else "town"
    if len(modifier) == 2:  # distance + bearing: a point
        return "town"
    if what.endswith("-of") and not place.is_areal:
        return "admin2"
    return _PART_PRECISION.get(precision, precision)


def derive(place: Place, modifier: tuple) -> tuple[BaseGeometry, str]:
    """Geometry and precision of ``place`` under a recognition ``modifier``.

    Derived geometries of gazetteer places are cached (bounded): news repeats
    "northern Iraq" and clipping a country polygon costs a millisecond.
    """
    if modifier and place.row >= 0 and place.gazetteer_path:
        return _derive_cached(place.gazetteer_path, place.row, place, modifier)
    return _derive(place, modifier)


@lru_cache(maxsize=2048)
def _derive_cached(path: str, row: int, place: Place, modifier: tuple):
    return _derive(place, modifier)


def _derive(place: Place, modifier: tuple) -> tuple[BaseGeometry, str]:
    precision = derived_precision(place, modifier)
    if not modifier:
        return place.geometry, precision
    what = modifier[0]
    if len(modifier) == 2 and what == "near":
        if place.kind in _LARGE:
            return place.geometry, precision  # "near Syria": the vicinity is the country
        if not place.is_areal:
            return circle(place.point, town_radius_m(place) + modifier[1]), precision
        return buffer_m(place.geometry, modifier[1]), precision
    if len(modifier) == 2:  # distance + bearing: a point
        return destination(place.point, BEARINGS[what], modifier[1]), precision
    if what.endswith("-of"):
        radius = town_radius_m(place) * 3 if not place.is_areal else _extent_m(place.geometry)
        return sector(place.point, BEARINGS[what[:-3]], radius), precision
    base = place.geometry if place.is_areal else circle(place.point, town_radius_m(place))
    return directional_part(base, what), precision


def _extent_m(geom: BaseGeometry) -> float:
    minx, miny, maxx, maxy = geom.bounds
    lat = math.radians((miny + maxy) / 2)
    dx = (maxx - minx) * 111_320 * max(math.cos(lat), 0.1)
    dy = (maxy - miny) * 110_570
    return max(10_000.0, min(500_000.0, max(dx, dy) / 2))
