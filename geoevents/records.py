"""Stage 6 — events from structured records: CSV, JSONL, GeoJSON, GeoPackage, ACLED exports.

Columns are recognised by name (ACLED's codebook names first: ``event_id_cnty``,
``event_date``, ``event_type``, ``sub_event_type``, ``actor1``, ``actor2``,
``fatalities``, ``country``, ``admin1``..``admin3``, ``location``, ``latitude``,
``longitude``, ``geo_precision``, ``time_precision``, ``source``, ``notes``...); the
``lat``/``lon``/``location``/``date`` arguments name other columns. Unknown columns
are kept in :attr:`Event.extra <geoevents.events.Event>`.

Where a row is: its own coordinates when it has them (kept as given, a point;
``geo_method="coordinates"``); else its location text geocoded with the gazetteer
(``"gazetteer"``), or with the geoparser for phrases such as "eastern Syria"
(``"geoparser"``). A bad row — coordinates that are not numbers, not finite, out of
range or apparently swapped, an invalid or future date, a place that cannot be
geocoded — is reported with file and line and left out (``strict=True`` raises
:class:`~geoevents.exc.InputError` instead; ``keep_unlocated=True`` keeps rows
without a location, with no geometry).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import logging
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shapely.geometry import Point, shape

from ._io import iter_json_objects, open_text_input, read_text_file, require_file
from .dates import parse_date
from .events import Event
from .exc import InputError

__all__ = ["read_events", "iter_events", "ReadReport"]

log = logging.getLogger(__name__)

#: Column names recognised for each role, first match wins (compared case-insensitively).
LAT_COLUMNS = ("latitude", "lat", "y", "lat_dd")
LON_COLUMNS = ("longitude", "lon", "lng", "long", "x", "lon_dd")
LOCATION_COLUMNS = ("location", "place", "location_name", "place_name", "address", "city",
                    "town", "locality")
DATE_COLUMNS = ("event_date", "date", "day", "published", "date_published")
ID_COLUMNS = ("event_id_cnty", "event_id", "id")

_TEXT_FIELDS = ("event_type", "sub_event_type", "actor1", "actor2", "country", "iso3",
                "admin1", "admin2", "source", "source_url", "notes")
_INT_FIELDS = ("time_precision", "geo_precision", "fatalities")
# our own provenance fields, read back when a file was written by geoevents
_OWN_TEXT = ("event_time", "precision", "place_id", "sentence", "mention", "doc_id",
             "geo_method")
_OWN_INT = ("sentence_start", "sentence_end", "mention_start", "mention_end")
_FUTURE_DAYS = 1  # a day of slack for time zones
_GEO_PRECISION = {"site": 1, "district": 1, "town": 1, "admin2": 2, "admin1": 3, "region": 3,
                  "country": 3, "sea": 3, "continent": 3}


@dataclass
class ReadReport:
    """What happened to the rows of one input: counts and the problems found.

    Attributes
    ----------
    path : str
        The input.
    rows : int
        Data rows read.
    by_coordinates, geocoded, unlocated : int
        Events located by their own coordinates, by geocoding their location text,
        and kept without a location (``keep_unlocated``).
    skipped : int
        Rows left out (each has an entry in ``problems``).
    problems : list of (int, str)
        ``(line, reason)`` for every bad row.
    """

    path: str
    rows: int = 0
    by_coordinates: int = 0
    geocoded: int = 0
    unlocated: int = 0
    skipped: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line: how many rows went where."""
        return (f"{self.path}: {self.rows} rows: {self.by_coordinates} by coordinates, "
                f"{self.geocoded} geocoded, {self.unlocated} kept without location, "
                f"{self.skipped} skipped")


class _BadRow(ValueError):
    pass


# ---------------------------------------------------------------------- readers
def _sniff_format(path: str, head: str) -> str:
    ext = path.lower()
    if ext.endswith(".gz"):
        ext = ext[:-3]
    for suffix, fmt in ((".csv", "csv"), (".tsv", "csv"), (".tab", "csv"),
                        (".jsonl", "jsonl"), (".ndjson", "jsonl"), (".geojsonl", "jsonl"),
                        (".geojsons", "jsonl"), (".geojson", "geojson"), (".json", "geojson"),
                        (".gpkg", "vector"), (".parquet", "vector"), (".geoparquet", "vector"),
                        (".shp", "vector"), (".fgb", "vector")):
        if ext.endswith(suffix):
            if fmt == "geojson" and head.lstrip("\x1e \t\r\n").startswith("{"):
                first = head.lstrip("\x1e \t\r\n").split("\n", 1)[0]
                try:
                    obj = json.loads(first)
                except ValueError:
                    return "geojson"
                return "jsonl" if obj.get("type") != "FeatureCollection" else "geojson"
            return fmt
    s = head.lstrip("\x1e \t\r\n")
    if s.startswith("{"):
        first = s.split("\n", 1)[0]
        try:
            obj = json.loads(first)
        except ValueError:
            return "geojson"
        return "geojson" if obj.get("type") == "FeatureCollection" else "jsonl"
    if s.startswith("["):
        return "geojson"
    return "csv"


def _rows_csv(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    raw = open_text_input(path)
    fh = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        try:
            sample = fh.readline()
        except UnicodeDecodeError:
            raise InputError("invalid UTF-8; expected UTF-8 text", path, 1) from None
        if not sample.strip():
            raise InputError("is empty; expected a header row of column names", path, 1)
        delim = "\t" if sample.count("\t") > sample.count(",") else (
            ";" if sample.count(";") > sample.count(",") else ",")
        header = next(csv.reader([sample], delimiter=delim))
        header = [h.strip() for h in header]
        if len(set(h.lower() for h in header)) != len(header):
            raise InputError("duplicate column names in the header", path, 1)
        reader = csv.reader(fh, delimiter=delim, strict=True)
        line = 1
        while True:
            start = line + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise InputError("invalid UTF-8; expected UTF-8 text", path, start) from None
            except csv.Error as exc:
                raise InputError(f"malformed CSV ({exc})", path, start) from None
            line = reader.line_num + 1
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise InputError(f"{len(row)} fields, the header has {len(header)}; expected "
                                 "one value per column (is a delimiter or a quote missing?)",
                                 path, start)
            yield start, dict(zip(header, row, strict=False))
    finally:
        if path != "-":
            fh.close()


def _rows_jsonl(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, obj in iter_json_objects(path, "one JSON object per line"):
        yield n, _flatten_feature(obj)


def _flatten_feature(obj: dict[str, Any]) -> dict[str, Any]:
    if obj.get("type") == "Feature":
        row = dict(obj.get("properties") or {})
        if obj.get("id") is not None and "id" not in row:
            row["id"] = obj["id"]
        row["__geometry__"] = obj.get("geometry")
        return row
    return obj


def _rows_geojson(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    text = read_text_file(path)
    if not text.strip():
        raise InputError("is empty; expected GeoJSON", path)
    try:
        obj = json.loads(text)
    except ValueError as exc:
        raise InputError(f"invalid JSON ({exc.msg})", path, exc.lineno) from None
    if isinstance(obj, list):
        feats = obj
    elif isinstance(obj, dict) and obj.get("type") == "FeatureCollection":
        feats = obj.get("features") or []
    elif isinstance(obj, dict) and obj.get("type") == "Feature":
        feats = [obj]
    else:
        raise InputError("expected a GeoJSON FeatureCollection, a Feature or a list of "
                         "records", path)
    for i, f in enumerate(feats, 1):
        if not isinstance(f, dict):
            raise InputError(f"feature {i} is not a JSON object", path, i)
        yield i, _flatten_feature(f)


def _rows_vector(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    import pyogrio
    if not Path(path).exists():
        raise InputError("no such file", path)
    try:
        if path.lower().endswith((".parquet", ".geoparquet")):
            import geopandas as gpd
            try:
                gdf = gpd.read_parquet(path)
            except ValueError:  # a plain Parquet table without geometry
                import pandas as pd
                gdf = pd.read_parquet(path)
        else:
            gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure is bad input
        raise InputError(f"cannot read it as a vector dataset ({exc})", path) from None
    geom_col = getattr(gdf, "geometry", None)
    if geom_col is not None and getattr(gdf, "crs", None) is not None \
            and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    cols = [c for c in gdf.columns if c != "geometry"]
    for i, rec in enumerate(gdf.itertuples(index=False), 1):
        d = dict(zip(gdf.columns, rec, strict=True))
        row = {c: _plain(d[c]) for c in cols}
        if "geometry" in d and d["geometry"] is not None:
            row["__geometry__"] = d["geometry"]
        yield i, row


def _plain(v: Any) -> Any:
    if v is None:
        return None
    import pandas as pd
    try:
        if pd.isna(v):  # None, NaN, NaT, pd.NA
            return None
    except (TypeError, ValueError):  # arrays and other non-scalars
        pass
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            v = v.item()
        except (AttributeError, ValueError):
            pass
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "isoformat") and not isinstance(v, (dt.date, dt.datetime)):
        v = v.to_pydatetime() if hasattr(v, "to_pydatetime") else v
    return v


# ---------------------------------------------------------------------- rows → events
def _find(columns: dict[str, str], given: str | None, candidates: tuple[str, ...],
          what: str, path: str) -> str | None:
    if given:
        key = columns.get(given.lower())
        if key is None:
            raise InputError(f"no column {given!r} for {what} (columns: "
                             f"{', '.join(columns.values())})", path, 1)
        return key
    for c in candidates:
        if c in columns:
            return columns[c]
    return None


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (
        isinstance(v, float) and math.isnan(v))


def _number(v: Any, name: str) -> float:
    if isinstance(v, bool):
        raise _BadRow(f"{name} {v!r} is not a number")
    if isinstance(v, (int, float)):
        x = float(v)
    else:
        try:
            x = float(str(v).strip().replace(",", ".") if str(v).count(",") == 1
                      and "." not in str(v) else str(v).strip())
        except ValueError:
            raise _BadRow(f"{name} {v!r} is not a number") from None
    if not math.isfinite(x):
        raise _BadRow(f"{name} {v!r} is not a finite number")
    return x


def _coords(lat_v: Any, lon_v: Any) -> tuple[float, float]:
    lat, lon = _number(lat_v, "latitude"), _number(lon_v, "longitude")
    if abs(lat) > 90:
        if abs(lon) <= 90 and abs(lat) <= 180:
            raise _BadRow(f"latitude {lat:g} is outside -90..90; latitude and longitude "
                          f"look swapped ({lat:g}, {lon:g})")
        raise _BadRow(f"latitude {lat:g} is outside -90..90")
    if abs(lon) > 180:
        raise _BadRow(f"longitude {lon:g} is outside -180..180")
    return lat, lon


def _int(v: Any, name: str) -> int | None:
    if _blank(v):
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise _BadRow(f"{name} {v!r} is not a whole number") from None
    if not math.isfinite(x) or x != int(x) or x < 0:
        raise _BadRow(f"{name} {v!r} is not a whole number")
    return int(x)


def _date(v: Any, today: dt.date) -> dt.date | None:
    if _blank(v):
        return None
    if isinstance(v, dt.datetime):
        d = v.date()
    elif isinstance(v, dt.date):
        d = v
    else:
        d = parse_date(str(v))
        if d is None:
            raise _BadRow(f"invalid date {str(v)!r} (expected YYYY-MM-DD or "
                          "'08 December 2023')")
    if d > today + dt.timedelta(days=_FUTURE_DAYS):
        raise _BadRow(f"date {d.isoformat()} is in the future")
    if d.year < 1800:
        raise _BadRow(f"date {d.isoformat()} is implausibly old")
    return d


class _Locator:
    """Geocodes location texts and reverse-geocodes points, with caches."""

    def __init__(self, gazetteer=None):
        self._gaz = gazetteer
        self._cc: dict[str, str] = {}
        self._geo: dict[tuple[str, str], tuple] = {}

    @property
    def gaz(self):
        if self._gaz is None:
            from .gazetteer import Gazetteer
            self._gaz = Gazetteer.load()
        return self._gaz

    def country_code(self, value: str) -> str:
        v = value.strip()
        if not v:
            return ""
        if v not in self._cc:
            cc = ""
            if len(v) == 2 and v.isalpha():
                cc = v.upper()
            else:
                if len(v) == 3 and v.isalpha():
                    try:
                        cc = self.gaz.get(f"ne-admin0:{v.upper()}").country
                    except KeyError:
                        cc = ""
                if not cc:
                    hits = self.gaz.search(v, kind="country", limit=1)
                    cc = hits[0].country if hits else ""
            self._cc[v] = cc
        return self._cc[v]

    def country_fields(self, cc: str) -> tuple[str, str]:
        row = self.gaz.country_row(cc) if cc else -1
        if row < 0:
            return "", ""
        c = self.gaz.place(row)
        iso3 = c.id.split(":", 1)[1] if c.id.startswith("ne-admin0:") else ""
        return c.name, {"PSX": "PSE", "KOS": "XKX"}.get(iso3, iso3)

    def geocode(self, text: str, cc: str):
        """(place, geometry, precision, modifier, method) for a location text, or None."""
        key = (text, cc)
        if key not in self._geo:
            res = None
            hits = self.gaz.search(text, country=cc or None, limit=1)
            if hits:
                p = hits[0]
                res = (p, p.geometry, p.precision, "", "gazetteer")
            else:
                from .geoparse import geoparse
                ms = [m for m in geoparse(text, self.gaz)
                      if m.place is not None and m.geometry is not None
                      and m.role in ("literal", "associative")
                      and (not cc or m.place.country in (cc, ""))]
                if ms:
                    m = min(ms, key=lambda m: m.start)
                    res = (m.place, m.geometry, m.precision, m.modifier, "geoparser")
            self._geo[key] = res
        return self._geo[key]

    def reverse(self, lat: float, lon: float):
        return self.gaz.reverse(lat, lon, kinds=("admin1", "country"))


def iter_events(path: str | os.PathLike, *, lat: str | None = None, lon: str | None = None,
                location: str | None = None, date: str | None = None, strict: bool = False,
                gazetteer=None, keep_unlocated: bool = False,
                report: ReadReport | None = None, today: dt.date | None = None
                ) -> Iterator[Event]:
    """Stream the events of a record file (CSV, JSONL, GeoJSON, GeoPackage, ACLED export).

    Parameters
    ----------
    path : str or path-like
        The input (``"-"``: standard input, CSV/JSONL/GeoJSON sniffed from content).
    lat, lon, location, date : str, optional
        Names of the latitude, longitude, location-text and date columns when they
        are not among the names recognised (``latitude``/``lat``, ``longitude``/
        ``lon``/``lng``, ``location``/``place``, ``event_date``/``date``...).
    strict : bool, default False
        Raise :class:`~geoevents.exc.InputError` (naming file and line) at the first
        bad row instead of skipping it with a warning.
    gazetteer : Gazetteer, optional
        For geocoding location texts and filling country/admin1 of bare points.
    keep_unlocated : bool, default False
        Keep rows that have no usable location (no geometry) instead of skipping them.
    report : ReadReport, optional
        Filled with counts and problems as rows are read.
    today : date, optional
        Reference for "in the future" (default: today).

    Yields
    ------
    Event
    """
    name = str(path)
    rep = report if report is not None else ReadReport(name)
    today = today or dt.date.today()
    require_file(name)
    head = ""
    if name == "-":
        fmt_rows = _stdin_rows()
    else:
        low = name.lower()
        if not low.endswith((".gpkg", ".parquet", ".geoparquet", ".shp", ".fgb")):
            with open(name, "rb") as fh:
                head = fh.read(4096).decode("utf-8", "replace")
        fmt = _sniff_format(name, head)
        fmt_rows = {"csv": _rows_csv, "jsonl": _rows_jsonl, "geojson": _rows_geojson,
                    "vector": _rows_vector}[fmt](name)
    loc = _Locator(gazetteer)
    cols: dict[str, str] | None = None
    roles: dict[str, str | None] = {}
    stem = Path(name).name if name != "-" else "stdin"
    for line, row in fmt_rows:
        row_cols = {k.lower(): k for k in row if k != "__geometry__"}
        if cols is None or row_cols.keys() != cols.keys():
            cols = row_cols
            roles = {
                "lat": _find(cols, lat, LAT_COLUMNS, "latitude", name),
                "lon": _find(cols, lon, LON_COLUMNS, "longitude", name),
                "location": _find(cols, location, LOCATION_COLUMNS, "location", name),
                "date": _find(cols, date, DATE_COLUMNS, "date", name),
                "id": _find(cols, None, ID_COLUMNS, "id", name),
            }
        rep.rows += 1
        try:
            if _OWN_FIELDS <= row.keys():  # written by geoevents: restore it as it was
                ev = _own_event(row)
            else:
                ev = _row_event(row, roles, cols, loc, today, stem, line, keep_unlocated)
        except _BadRow as exc:
            if strict:
                raise InputError(str(exc), name, line) from None
            rep.skipped += 1
            rep.problems.append((line, str(exc)))
            log.warning("%s:%d: %s; row skipped", name, line, exc)
            continue
        if ev.geo_method == "coordinates":
            rep.by_coordinates += 1
        elif ev.geo_method:
            rep.geocoded += 1
        else:
            rep.unlocated += 1
        yield ev
    if rep.rows == 0 and name != "-":
        log.warning("%s: no data rows", name)


_OWN_FIELDS = frozenset(f.name for f in dataclasses.fields(Event)
                        if f.name not in ("geometry", "extra"))
_OWN_DATES = ("event_date", "event_date_end")
_OWN_INTS = ("time_precision", "fatalities", "geo_precision", "sentence_start",
             "sentence_end", "mention_start", "mention_end")
_OWN_FLOATS = ("latitude", "longitude", "confidence")


def _own_event(row: dict[str, Any]) -> Event:
    """An event from a record geoevents wrote itself (all Event fields present)."""
    kw: dict[str, Any] = {}
    for name in _OWN_FIELDS:
        v = row[name]
        if v is None or v == "":
            kw[name] = None if name in _OWN_DATES + _OWN_INTS + _OWN_FLOATS else (v or "")
            continue
        try:
            if name in _OWN_DATES:
                v = dt.date.fromisoformat(str(v)[:10])
            elif name in _OWN_INTS:
                v = _int(v, name)
            elif name in _OWN_FLOATS:
                v = float(v)
                if not math.isfinite(v):
                    raise _BadRow(f"{name} is not a finite number")
            else:
                v = str(v)
        except ValueError:
            raise _BadRow(f"{name} {v!r} is not valid; expected the type geoevents writes"
                          ) from None
        kw[name] = v
    g = row.get("__geometry__")
    extra = tuple((k, _jsonable(v)) for k, v in row.items()
                  if k not in _OWN_FIELDS and k not in ("__geometry__", "id"))
    return Event(geometry=_geometry(g) if g is not None else None, extra=extra, **kw)


def _stdin_rows() -> Iterator[tuple[int, dict[str, Any]]]:
    import sys
    import tempfile
    data = sys.stdin.buffer.read()
    with tempfile.TemporaryDirectory() as tmp:
        head = data[:4096].decode("utf-8", "replace")
        fmt = _sniff_format("", head)
        p = os.path.join(tmp, "stdin." + {"csv": "csv", "jsonl": "jsonl",
                                          "geojson": "geojson"}[fmt])
        with open(p, "wb") as fh:
            fh.write(data)
        reader = {"csv": _rows_csv, "jsonl": _rows_jsonl, "geojson": _rows_geojson}[fmt]
        try:
            yield from reader(p)
        except InputError as exc:
            raise InputError(exc.message, "-", exc.line) from None


def _row_event(row: dict[str, Any], roles: dict[str, str | None], cols: dict[str, str],
               loc: _Locator, today: dt.date, stem: str, line: int,
               keep_unlocated: bool) -> Event:
    used = {v for v in roles.values() if v}
    get = row.get

    def col(name: str) -> Any:
        k = cols.get(name)
        if k is not None:
            used.add(k)
            return get(k)
        return None

    values: dict[str, Any] = {}
    for f in _TEXT_FIELDS:
        v = col(f)
        values[f] = "" if _blank(v) else str(v).strip()
    if not values["iso3"]:
        col("iso")  # ACLED's numeric ISO code: kept as an extra column
        used.discard(cols.get("iso", ""))
    for f in _INT_FIELDS:
        values[f] = _int(col(f), f)
    event_date = _date(get(roles["date"]) if roles["date"] else None, today)
    own: dict[str, Any] = {}
    for f in _OWN_TEXT:
        v = col(f)
        if not _blank(v):
            own[f] = str(v)
    for f in _OWN_INT:
        v = col(f)
        if not _blank(v):
            own[f] = _int(v, f)
    v = col("confidence")
    if not _blank(v):
        own["confidence"] = _number(v, "confidence")
    v = col("event_date_end")
    if not _blank(v):
        own["event_date_end"] = _date(v, today)

    lat_v = get(roles["lat"]) if roles["lat"] else None
    lon_v = get(roles["lon"]) if roles["lon"] else None
    geom_v = row.get("__geometry__")
    loc_text = get(roles["location"]) if roles["location"] else None
    loc_text = "" if _blank(loc_text) else str(loc_text).strip()
    cc = loc.country_code(values["country"]) if values["country"] else ""

    geometry = None
    latitude = longitude = None
    precision, place_id, method = "", "", ""
    geometry = _geometry(geom_v) if geom_v is not None else None
    if geometry is not None:
        # a feature's own geometry (a polygon for areal places) comes first
        pt = geometry if geometry.geom_type == "Point" else geometry.representative_point()
        if not _blank(lat_v) and not _blank(lon_v):
            latitude, longitude = _coords(lat_v, lon_v)
        else:
            latitude, longitude = _coords(pt.y, pt.x)
        method = "coordinates"
    elif not _blank(lat_v) or not _blank(lon_v):
        if _blank(lat_v) or _blank(lon_v):
            raise _BadRow("has only one of latitude/longitude")
        latitude, longitude = _coords(lat_v, lon_v)
        geometry, method = Point(longitude, latitude), "coordinates"
    if method == "coordinates" and cc and abs(latitude) <= 90 and abs(longitude) <= 90:
        _check_swap(loc, latitude, longitude, cc)
    if method == "coordinates":
        if not values["country"] or not values["admin1"]:
            areas = loc.reverse(latitude, longitude)
            for p in areas:
                if p.kind == "country" and not values["country"]:
                    values["country"], values["iso3"] = loc.country_fields(p.country)
                elif p.kind == "admin1" and not values["admin1"]:
                    values["admin1"] = p.name
    elif loc_text:
        hit = loc.geocode(loc_text, cc)
        if hit is None:
            if not keep_unlocated:
                raise _BadRow(f"cannot geocode location {loc_text!r}"
                              + (f" in {values['country']}" if values["country"] else ""))
        else:
            place, geometry, precision, modifier, method = hit
            pt = geometry if geometry.geom_type == "Point" else (
                place.point if not modifier else geometry.representative_point())
            latitude, longitude = round(pt.y, 6), round(pt.x, 6)
            place_id = place.id
            if values["geo_precision"] is None:
                gp = _GEO_PRECISION.get(precision, 3)
                values["geo_precision"] = 3 if modifier and "km" not in modifier and \
                    not modifier.startswith("near") else gp
            if not values["country"] and place.country:
                values["country"], values["iso3"] = loc.country_fields(place.country)
            if not values["admin1"] and place.kind not in ("country", "sea", "region",
                                                           "continent"):
                values["admin1"] = place.admin1
    elif not keep_unlocated:
        raise _BadRow("has no coordinates and no location text")
    if values["country"] and not values["iso3"]:
        _, values["iso3"] = loc.country_fields(cc) if cc else ("", "")

    rid = get(roles["id"]) if roles["id"] else None
    if _blank(rid):
        rid = "rec-" + hashlib.blake2b(f"{stem}|{line}".encode(), digest_size=8).hexdigest()
    extra = tuple((k, _jsonable(v)) for k, v in row.items()
                  if k not in used and k != "__geometry__")
    return Event(
        event_id=str(rid), event_date=event_date, time_precision=values["time_precision"],
        event_type=values["event_type"], sub_event_type=values["sub_event_type"],
        actor1=values["actor1"], actor2=values["actor2"], fatalities=values["fatalities"],
        country=values["country"], iso3=values["iso3"], admin1=values["admin1"],
        admin2=values["admin2"], location=loc_text,
        latitude=latitude, longitude=longitude, geo_precision=values["geo_precision"],
        geometry=geometry, source=values["source"], source_url=values["source_url"],
        notes=values["notes"], precision=own.pop("precision", precision),
        place_id=own.pop("place_id", place_id), doc_id=own.pop("doc_id", stem),
        geo_method=own.pop("geo_method", method), extra=extra, **own,
    )


def _jsonable(v: Any) -> Any:
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return str(v)


def _check_rings(g: Any) -> None:
    """GeoJSON polygon rings must be closed and have at least four positions."""
    kind = g.get("type") if isinstance(g, dict) else None
    polys = ([g.get("coordinates") or []] if kind == "Polygon" else
             (g.get("coordinates") or []) if kind == "MultiPolygon" else [])
    for poly in polys:
        for ring in poly or []:
            if len(ring) < 4:
                raise _BadRow(f"polygon ring with {len(ring)} positions; expected a closed "
                              "ring of at least 4")
            if list(ring[0]) != list(ring[-1]):
                raise _BadRow("unclosed polygon ring; expected the last position to repeat "
                              "the first (RFC 7946)")


def _geometry(g: Any):
    import shapely
    _check_rings(g)
    try:
        geom = g if hasattr(g, "geom_type") else shape(g)
    except Exception as exc:  # noqa: BLE001 - malformed GeoJSON geometry
        raise _BadRow(f"invalid geometry ({exc})") from None
    if geom.is_empty:
        return None
    if not shapely.is_valid(geom):
        raise _BadRow(f"invalid geometry ({shapely.is_valid_reason(geom)}); expected a valid "
                      "GeoJSON geometry")
    coords = shapely.get_coordinates(geom)
    if not (abs(coords[:, 1]) <= 90).all() or not (abs(coords[:, 0]) <= 180).all():
        raise _BadRow("geometry coordinates outside -180..180 / -90..90")
    return geom


def _check_swap(loc: _Locator, lat: float, lon: float, cc: str) -> None:
    if loc.gaz.country_row(cc) < 0:
        return
    here = {p.country for p in loc.reverse(lat, lon) if p.kind == "country"}
    if cc in here:
        return
    there = {p.country for p in loc.reverse(lon, lat) if p.kind == "country"}
    if cc in there:
        raise _BadRow(f"point ({lat:g}, {lon:g}) is not in {cc} but ({lon:g}, {lat:g}) is; "
                      "latitude and longitude look swapped")


def read_events(path: str | os.PathLike, *, lat: str | None = None, lon: str | None = None,
                location: str | None = None, date: str | None = None, strict: bool = False,
                gazetteer=None, keep_unlocated: bool = False,
                report: ReadReport | None = None) -> list[Event]:
    r"""Read all events of a record file; see :func:`iter_events` for the parameters.

    Bad rows are skipped with a warning and counted in ``report`` (or raise with
    ``strict=True``).

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "ev.csv")
    >>> _ = open(p, "w").write("event_date,location,country,fatalities\n"
    ...                        "2023-12-08,Green Zone,Iraq,0\n")
    >>> e = read_events(p)[0]
    >>> e.location, e.geo_method, e.country, e.iso3, e.geometry.geom_type
    ('Green Zone', 'gazetteer', 'Iraq', 'IRQ', 'Polygon')
    """
    return list(iter_events(path, lat=lat, lon=lon, location=location, date=date,
                            strict=strict, gazetteer=gazetteer, keep_unlocated=keep_unlocated,
                            report=report))
