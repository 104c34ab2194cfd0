"""Stage 7 — outputs: GeoJSON (RFC 7946 / RFC 8142), GeoDataFrames and vector files.

Everything here is deterministic: the same input gives byte-identical GeoJSON
(sorted keys, input feature order, coordinates rounded to ``precision``
decimals, ``-0.0`` written as ``0.0``). Geometries are normalised to RFC 7946:
longitude/latitude order, no ``crs`` member, polygon exteriors counter-clockwise
and holes clockwise (the right-hand rule), and anything crossing the antimeridian
split into parts on either side of ±180°.

Maps live in :mod:`geoevents.maps`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import os
from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import IO, Any

import numpy as np
import shapely
from shapely.geometry import box, mapping, shape
from shapely.geometry.base import BaseGeometry

from ._io import atomic_output
from .events import Event
from .exc import OutputError

__all__ = [
    "to_geojson",
    "iter_features",
    "dumps_feature_collection",
    "normalize_geometry",
    "events_to_gdf",
    "gdf_to_events",
    "mentions_to_gdf",
    "write_vector",
    "VECTOR_FORMATS",
]

#: Output suffixes understood by :func:`write_vector` and the format each selects.
VECTOR_FORMATS = {
    ".gpkg": "GPKG", ".parquet": "Parquet", ".geoparquet": "Parquet",
    ".geojson": "GeoJSON", ".json": "GeoJSON",
    ".geojsons": "GeoJSONSeq", ".geojsonl": "GeoJSONSeq", ".geojsonseq": "GeoJSONSeq",
}

RS = "\x1e"  # RFC 8142 record separator

_EVENT_FIELDS = tuple(f.name for f in fields(Event) if f.name != "extra")
_DATE_FIELDS = ("event_date", "event_date_end")
_INT_FIELDS = ("time_precision", "fatalities", "geo_precision", "sentence_start",
               "sentence_end", "mention_start", "mention_end")
_FLOAT_FIELDS = ("latitude", "longitude", "confidence")
_WORLD = box(-180.0, -90.0, 180.0, 90.0)


# --------------------------------------------------------------------------- geometry

def _orient(geom: BaseGeometry) -> BaseGeometry:
    if hasattr(shapely, "orient_polygons"):  # shapely >= 2.1
        return shapely.orient_polygons(geom, exterior_cw=False)
    from shapely.geometry.polygon import orient  # pragma: no cover - older shapely

    if geom.geom_type == "Polygon":  # pragma: no cover
        return orient(geom, 1.0)
    if geom.geom_type == "MultiPolygon":  # pragma: no cover
        return type(geom)([orient(p, 1.0) for p in geom.geoms])
    return geom  # pragma: no cover


def _unwrap(xs: np.ndarray) -> np.ndarray | None:
    """Make a ring or line's longitudes continuous across ±180 (None: no crossing).

    A jump of more than 180° between consecutive vertices is an antimeridian
    crossing, unless both vertices lie on the ±180 meridian: that is an edge
    along the meridian of a geometry that is already split (Natural Earth's
    Russia, Fiji, Antarctica).
    """
    d = np.diff(xs)
    jump = np.abs(d) > 180.0
    if not jump.any():
        return None
    on_meridian = (np.abs(xs[:-1]) == 180.0) & (np.abs(xs[1:]) == 180.0)
    jump &= ~on_meridian
    if not jump.any():
        return None
    shift = np.concatenate([[0.0], np.cumsum(np.where(jump, -360.0 * np.sign(d), 0.0))])
    return xs + shift


def _split_at_antimeridian(geom: BaseGeometry) -> BaseGeometry:
    """Cut a geometry whose longitudes run past ±180 into parts inside [-180, 180]."""
    xmin, _, xmax, _ = geom.bounds
    if xmin >= -180.0 and xmax <= 180.0:
        return geom
    parts = []
    for k in range(-1, 2):  # the world copies west, at, and east of [-180, 180]
        window = box(-180.0 + 360.0 * k, -90.0, 180.0 + 360.0 * k, 90.0)
        piece = geom.intersection(window)
        if piece.is_empty:
            continue
        if k:
            piece = shapely.transform(piece, lambda c, k=k: c - [360.0 * k, 0.0])
        parts.append(piece)
    kind = geom.geom_type
    flat = []
    for p in parts:
        flat.extend(getattr(p, "geoms", [p]))
    if kind in ("Polygon", "MultiPolygon"):
        flat = [p for p in flat if p.geom_type == "Polygon" and not p.is_empty]
        return shapely.MultiPolygon(flat) if len(flat) > 1 else flat[0]
    if kind in ("LineString", "MultiLineString"):
        flat = [p for p in flat if p.geom_type == "LineString" and not p.is_empty]
        return shapely.MultiLineString(flat) if len(flat) > 1 else flat[0]
    return shapely.GeometryCollection(flat)


def _antimeridian_safe(geom: BaseGeometry) -> BaseGeometry:
    kind = geom.geom_type
    if kind == "Point" or kind == "MultiPoint":
        xmin, _, xmax, _ = geom.bounds
        if xmin < -180.0 or xmax > 180.0:
            return shapely.transform(
                geom, lambda c: np.column_stack([(c[:, 0] + 180.0) % 360.0 - 180.0, c[:, 1:]]))
        return geom
    if kind == "LineString":
        xs = _unwrap(np.asarray(geom.coords)[:, 0])
        if xs is not None:
            c = np.asarray(geom.coords).copy()
            c[:, 0] = xs
            geom = shapely.LineString(c)
        return _split_at_antimeridian(geom)
    if kind == "Polygon":
        rings = [geom.exterior, *geom.interiors]
        new, changed = [], False
        for ring in rings:
            c = np.asarray(ring.coords).copy()
            xs = _unwrap(c[:, 0])
            if xs is not None:
                if abs(xs[-1] - xs[0]) > 1e-9:  # ring around a pole: cannot unwrap
                    return geom
                c[:, 0] = xs
                changed = True
            new.append(c)
        if changed:
            ex_mid = (new[0][:, 0].min() + new[0][:, 0].max()) / 2.0
            holes = []
            for h in new[1:]:  # bring holes next to their (unwrapped) exterior
                h_mid = (h[:, 0].min() + h[:, 0].max()) / 2.0
                h[:, 0] += 360.0 * round((ex_mid - h_mid) / 360.0)
                holes.append(h)
            geom = shapely.Polygon(new[0], holes)
            if not geom.is_valid:
                geom = shapely.make_valid(geom)
        return _split_at_antimeridian(geom)
    if kind in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
        parts = [_antimeridian_safe(g) for g in geom.geoms]
        if kind == "GeometryCollection":
            return shapely.GeometryCollection(parts)
        flat = []
        for p in parts:
            flat.extend(getattr(p, "geoms", [p]))
        return type(geom)(flat)
    return geom


def normalize_geometry(geom: BaseGeometry | dict | None, precision: int = 6
                       ) -> dict[str, Any] | None:
    """Return the RFC 7946 GeoJSON geometry dict of a shapely geometry or GeoJSON mapping.

    Parameters
    ----------
    geom : shapely geometry, GeoJSON geometry mapping, or None
        In EPSG:4326, x = longitude, y = latitude.
    precision : int, default 6
        Decimal places kept (6 ≈ 0.1 m).

    Returns
    -------
    dict or None
        Counter-clockwise exteriors, clockwise holes, split at ±180°, rounded.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> normalize_geometry(box(179, 0, 181, 1))["type"]
    'MultiPolygon'
    """
    if geom is None:
        return None
    if isinstance(geom, dict) or not isinstance(geom, BaseGeometry):
        geom = shape(geom)
    if geom.is_empty:
        return None
    geom = _antimeridian_safe(geom)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    # snap to the output grid first, so that rounding cannot collapse or cross rings
    snapped = shapely.set_precision(geom, 10.0 ** -precision)
    if snapped.is_empty:
        snapped = shapely.set_precision(shapely.centroid(geom), 10.0 ** -precision)
    geom = _orient(snapped)
    scale = 10.0 ** precision
    geom = shapely.transform(geom, lambda c: np.round(c * scale) / scale + 0.0,
                             include_z=geom.has_z)
    return mapping(geom)


# --------------------------------------------------------------------------- features

def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, np.generic):
        return _clean(value.item())
    if isinstance(value, np.ndarray):
        return [_clean(v) for v in value.tolist()]
    if isinstance(value, decimal.Decimal):
        return _clean(float(value))
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, BaseGeometry):
        return value.wkt
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    return str(value)


def _clean(value: Any) -> Any:
    """Properties as strict JSON values: NaN/NaT/inf → null, nested values cleaned."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, (np.ndarray,)) and pd.isna(value) is True):
            return None
    except (TypeError, ValueError, ImportError):
        pass
    if isinstance(value, np.generic):
        return _clean(value.item())
    if isinstance(value, dt.datetime) and value.tzinfo is None and value.time() == dt.time():
        return value.date().isoformat()  # a date column read back as midnight timestamps
    return value


def _as_feature(item: Any) -> dict[str, Any]:
    if isinstance(item, dict):
        f = item
    elif hasattr(item, "__geo_interface__"):
        f = item.__geo_interface__
    else:
        raise TypeError(f"cannot turn {type(item).__name__} into a GeoJSON Feature "
                        "(expected an object with __geo_interface__ or a Feature dict)")
    if f.get("type") != "Feature":
        if f.get("type") in ("Point", "MultiPoint", "LineString", "MultiLineString",
                             "Polygon", "MultiPolygon", "GeometryCollection"):
            return {"type": "Feature", "geometry": f, "properties": {}}
        raise TypeError(f"not a GeoJSON Feature: type {f.get('type')!r}")
    return f


def _gdf_features(gdf) -> Iterator[dict[str, Any]]:
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs(4326)
    geom_name = gdf.geometry.name
    cols = [c for c in gdf.columns if c != geom_name]
    geoms = gdf.geometry.array
    records = gdf[cols].to_dict("records") if cols else [{} for _ in range(len(gdf))]
    id_col = next((c for c in ("event_id", "id") if c in cols), None)
    for g, props in zip(geoms, records, strict=True):
        f = {"type": "Feature", "geometry": g, "properties": props}
        if id_col is not None:
            f["id"] = props[id_col]
        yield f


def iter_features(items: Any, precision: int = 6) -> Iterator[dict[str, Any]]:
    """Yield normalised RFC 7946 Feature dicts of events, mentions, places or a GeoDataFrame."""
    if hasattr(items, "geometry") and hasattr(items, "to_crs") and hasattr(items, "columns"):
        source: Iterable[Any] = _gdf_features(items)
    elif isinstance(items, dict) and items.get("type") == "FeatureCollection":
        source = items["features"]
    elif hasattr(items, "__geo_interface__") and not isinstance(items, (list, tuple)):
        gi = items.__geo_interface__
        source = gi["features"] if gi.get("type") == "FeatureCollection" else [gi]
    else:
        source = items
    for item in source:
        f = _as_feature(item)
        geom = f.get("geometry")
        if geom is None and isinstance(item, Event):  # located by latitude/longitude only
            geom = _event_geometry(item)
        out: dict[str, Any] = {"type": "Feature",
                               "geometry": normalize_geometry(geom, precision),
                               "properties": _clean(dict(f.get("properties") or {}))}
        if f.get("id") not in (None, ""):
            fid = _clean(f["id"])
            out["id"] = fid if isinstance(fid, (str, int, float)) else str(fid)
        if f.get("bbox") is not None:
            out["bbox"] = [round(float(v), precision) for v in f["bbox"]]
        yield out


def _dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False, default=_json_default)


def _write_features(features: Iterable[dict[str, Any]], fh: IO[str], seq: bool) -> int:
    n = 0
    if seq:
        for f in features:
            fh.write(RS + _dumps(f) + "\n")
            n += 1
        return n
    fh.write('{"features":[')
    for f in features:
        fh.write(("\n" if n == 0 else ",\n") + _dumps(f))
        n += 1
    fh.write('\n],"type":"FeatureCollection"}\n' if n else '],"type":"FeatureCollection"}\n')
    return n


def to_geojson(items: Any, path_or_file: str | os.PathLike | IO[str] | None = None, *,
               seq: bool = False, precision: int = 6) -> str | None:
    r"""Write events, mentions, places or a GeoDataFrame as RFC 7946 GeoJSON.

    Parameters
    ----------
    items : iterable or GeoDataFrame
        Objects with ``__geo_interface__`` (:class:`~geoevents.events.Event`,
        :class:`~geoevents.mention.Mention`, :class:`~geoevents.gazetteer.Place`,
        shapely-aware records), GeoJSON Feature dicts, a FeatureCollection, or a
        GeoDataFrame (reprojected to EPSG:4326 if needed). Feature order is the
        input order.
    path_or_file : str, path, file object, or None
        Where to write. A path is written atomically (temporary file, then
        rename; ``"-"`` is standard output). ``None`` returns the text.
    seq : bool, default False
        Write an RFC 8142 GeoJSON text sequence (each feature prefixed by the
        record separator ``\\x1e`` and ended by ``\\n``) instead of one
        FeatureCollection; streams with bounded memory.
    precision : int, default 6
        Decimal places of coordinates (6 ≈ 0.1 m, as RFC 7946 suggests).

    Returns
    -------
    str or None
        The GeoJSON text when ``path_or_file`` is None.

    Examples
    --------
    >>> from geoevents.events import Event
    >>> import json
    >>> doc = json.loads(to_geojson([Event("e1", latitude=33.3, longitude=44.4)]))
    >>> doc["features"][0]["geometry"]
    {'coordinates': [44.4, 33.3], 'type': 'Point'}
    """
    features = iter_features(items, precision)
    if path_or_file is None:
        import io

        buf = io.StringIO()
        _write_features(features, buf, seq)
        return buf.getvalue()
    if hasattr(path_or_file, "write"):
        _write_features(features, path_or_file, seq)  # type: ignore[arg-type]
        return None
    with atomic_output(path_or_file) as fh:
        _write_features(features, fh, seq)
    return None


def dumps_feature_collection(features: Iterable[Any], precision: int = 6) -> str:
    """Return a FeatureCollection string (one feature per line, no trailing newline)."""
    return to_geojson(features, precision=precision).rstrip("\n")


# --------------------------------------------------------------------------- GeoDataFrames

def _event_geometry(e: Event) -> BaseGeometry | None:
    if e.geometry is not None and not e.geometry.is_empty:
        return e.geometry
    if e.latitude is not None and e.longitude is not None:
        return shapely.Point(e.longitude, e.latitude)
    return None


def events_to_gdf(events: Iterable[Event]):
    """Return a GeoDataFrame (EPSG:4326): one row per event, every Event field a column.

    The geometry is the event's location geometry — the polygon for areal places
    (the Green Zone, eastern Syria, the Red Sea), else its point; ``latitude`` and
    ``longitude`` stay as columns (the representative point). Dates are
    ``datetime64`` columns, counts nullable ``Int64``; a record's ``extra``
    values become columns of their own after the Event fields.

    Examples
    --------
    >>> from geoevents.events import Event
    >>> gdf = events_to_gdf([Event("e1", latitude=33.3, longitude=44.4, fatalities=2)])
    >>> gdf.crs.to_epsg(), gdf.geometry.iloc[0].wkt, int(gdf.fatalities.iloc[0])
    (4326, 'POINT (44.4 33.3)', 2)
    """
    import geopandas as gpd
    import pandas as pd

    rows, geoms, extra_cols = [], [], {}
    for e in events:
        d = {name: getattr(e, name) for name in _EVENT_FIELDS if name != "geometry"}
        for k, v in getattr(e, "extra", ()):
            if k not in d and k != "geometry":
                d[k] = v
                extra_cols[k] = None
        rows.append(d)
        geoms.append(_event_geometry(e))
    cols = [n for n in _EVENT_FIELDS if n != "geometry"] + list(extra_cols)
    df = pd.DataFrame.from_records(rows, columns=cols)
    for name in _DATE_FIELDS:
        df[name] = pd.to_datetime(df[name], errors="coerce")
    for name in _INT_FIELDS:
        df[name] = pd.array(df[name].tolist(), dtype="Int64")
    for name in _FLOAT_FIELDS:
        df[name] = pd.to_numeric(df[name], errors="coerce").astype("float64")
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)


def _none(v: Any) -> Any:
    if v is None:
        return None
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def gdf_to_events(gdf) -> list[Event]:
    """Return the events of a GeoDataFrame with Event columns (see :func:`events_to_gdf`).

    Columns that are not Event fields go to ``extra`` (non-null values, in column
    order); missing fields take the defaults. Rows without ``event_id`` get
    ``"row-N"`` (N = 1-based row).
    """
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs(4326)
    geom_name = gdf.geometry.name
    have = [n for n in _EVENT_FIELDS if n in gdf.columns and n != "geometry"]
    others = [c for c in gdf.columns if c not in have and c != geom_name and c != "geometry"]
    out = []
    recs = gdf[have + others].to_dict("records")
    for i, (rec, g) in enumerate(zip(recs, gdf.geometry.array, strict=True), 1):
        kw: dict[str, Any] = {}
        extra = tuple((str(c), _clean(_none(rec[c]))) for c in others if _none(rec[c]) is not None)
        if extra:
            kw["extra"] = extra
        for name in have:
            v = _none(rec[name])
            if v is None:
                continue
            if name in _DATE_FIELDS:
                v = v.date() if hasattr(v, "date") and callable(v.date) else (
                    dt.date.fromisoformat(str(v)[:10]))
            elif name in _INT_FIELDS:
                v = int(v)
            elif name in _FLOAT_FIELDS:
                v = float(v)
            else:
                v = str(v) if not isinstance(v, str) else v
            kw[name] = v
        kw.setdefault("event_id", f"row-{i}")
        geom = None if g is None or g.is_empty else g
        out.append(Event(geometry=geom, **kw))
    return out


def mentions_to_gdf(mentions: Iterable[Any]):
    """Return a GeoDataFrame (EPSG:4326) of mentions: :meth:`Mention.to_dict` columns + geometry."""
    import geopandas as gpd
    import pandas as pd

    rows, geoms = [], []
    for m in mentions:
        rows.append(m.to_dict())
        geoms.append(m.geometry)
    cols = ["start", "end", "text", "name", "role", "lat", "lon", "place_id", "place_name",
            "feature_type", "country_code", "admin1", "precision", "modifier", "score"]
    df = pd.DataFrame.from_records(rows, columns=cols)
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, crs=4326), crs=4326)


# --------------------------------------------------------------------------- files

def _for_ogr(gdf):
    """Copy with object columns OGR can store (dates and lists as text)."""
    gdf = gdf.copy()
    for c in gdf.columns:
        if c == gdf.geometry.name or gdf[c].dtype != object:
            continue
        gdf[c] = gdf[c].map(lambda v: v if v is None or isinstance(v, str)
                            else (v.isoformat() if hasattr(v, "isoformat") else str(v)))
    return gdf


def write_vector(gdf, path: str | os.PathLike) -> None:
    """Write a GeoDataFrame as GeoPackage, GeoParquet or GeoJSON, chosen by suffix.

    ``.gpkg`` → GeoPackage (layer named after the file), ``.parquet`` /
    ``.geoparquet`` → GeoParquet, ``.geojson`` / ``.json`` → RFC 7946 GeoJSON,
    ``.geojsons`` / ``.geojsonl`` / ``.geojsonseq`` → RFC 8142 text sequence.
    The file appears only complete (temporary file in the same folder, then
    :func:`os.replace`).

    Raises
    ------
    OutputError
        Unknown suffix, missing folder, or the write failed.
    """
    target = Path(path)
    fmt = VECTOR_FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise OutputError(f"{target}: unknown output format {target.suffix!r}; expected one of "
                          + ", ".join(sorted(VECTOR_FORMATS)))
    if fmt in ("GeoJSON", "GeoJSONSeq"):
        to_geojson(gdf, target, seq=fmt == "GeoJSONSeq")
        return
    from ._io import atomic_path
    try:
        with atomic_path(target) as tmp:
            if fmt == "GPKG":
                _for_ogr(gdf).to_file(tmp, driver="GPKG", layer=target.stem, engine="pyogrio")
            else:
                _for_ogr(gdf).to_parquet(tmp, index=False)
    except (KeyboardInterrupt, OutputError):
        raise
    except Exception as exc:  # noqa: BLE001 - a driver error becomes one clear message
        raise OutputError(f"{target}: could not write {fmt} ({exc})") from exc



# --------------------------------------------------------------------------- streaming

def _spool(events: Iterable[Event], fh: IO[bytes]) -> tuple[int, dict[str, None]]:
    """Pickle ``events`` one by one into ``fh``; return their count and extra columns."""
    import pickle

    n, extra = 0, {}
    core = set(_EVENT_FIELDS)
    for e in events:
        pickle.dump(e, fh, protocol=pickle.HIGHEST_PROTOCOL)
        n += 1
        for k, _ in getattr(e, "extra", ()):
            if k not in core and k != "geometry":
                extra[k] = None
    return n, extra


def _unspool(fh: IO[bytes], size: int) -> Iterator[list[Event]]:
    import pickle

    fh.seek(0)
    chunk: list[Event] = []
    while True:
        try:
            chunk.append(pickle.load(fh))  # our own temporary file
        except EOFError:
            break
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _chunk_frame(events: list[Event], extra: dict[str, None]):
    """events_to_gdf with every column present and of one type in every chunk."""
    import pandas as pd

    gdf = _for_ogr(events_to_gdf(events))
    raw = [dict(getattr(e, "extra", ())) for e in events]
    for k in extra:  # from the events, not the frame (where [None, 7] became 7.0)
        gdf[k] = pd.Series([r.get(k) for r in raw], index=gdf.index, dtype=object)
    cols = [n for n in _EVENT_FIELDS if n != "geometry"] + list(extra)
    gdf = gdf[cols + [gdf.geometry.name]]
    for c in cols:
        if c in _DATE_FIELDS or c in _INT_FIELDS or c in _FLOAT_FIELDS:
            continue
        gdf[c] = gdf[c].map(lambda v: None if v is None or (isinstance(v, float) and
                                                              math.isnan(v)) else str(v))
        gdf[c] = gdf[c].astype(pd.StringDtype())
    return gdf


def write_events(events: Iterable[Event], path: str | os.PathLike, fmt: str,
                 chunk_size: int = 20_000) -> int:
    """Write a stream of events with bounded memory; return how many were written.

    ``fmt`` is ``geojson``, ``geojsonseq``, ``jsonl`` or ``csv`` (``path`` may be
    ``"-"``), ``gpkg`` or ``parquet``. GeoJSON and JSON lines are written as the
    events arrive; CSV, GeoPackage and GeoParquet need every column first, so the
    events are spooled to a temporary file and written in chunks of ``chunk_size``.
    The output appears only complete.
    """
    import csv
    import tempfile

    counted = _Counter(events)
    if fmt in ("geojson", "geojsonseq"):
        to_geojson(counted, path, seq=fmt == "geojsonseq")
        return counted.n
    if fmt == "jsonl":
        with atomic_output(path) as fh:
            for feat in iter_features(counted):
                fh.write(json.dumps(feat, sort_keys=True, ensure_ascii=False,
                                    separators=(",", ":")) + "\n")
        return counted.n
    with tempfile.TemporaryFile(prefix="geoevents-spool-") as spool:
        n, extra = _spool(events, spool)
        if fmt == "csv":
            cols = [c for c in _EVENT_FIELDS if c != "geometry"] + list(extra)
            with atomic_output(path) as fh:
                w = csv.DictWriter(fh, fieldnames=cols + ["geometry_wkt"],
                                   lineterminator="\n", extrasaction="ignore")
                w.writeheader()
                for chunk in _unspool(spool, chunk_size):
                    for e in chunk:
                        r = e.to_dict()
                        r["geometry_wkt"] = e.geometry.wkt if e.geometry is not None else ""
                        w.writerow({k: ("" if v is None else v) for k, v in r.items()})
            return n
        _write_vector_chunks(_unspool(spool, chunk_size), extra, path, fmt)
    return n


class _Counter:
    def __init__(self, items: Iterable[Any]):
        self.items, self.n = items, 0

    def __iter__(self) -> Iterator[Any]:
        for x in self.items:
            self.n += 1
            yield x


def _write_vector_chunks(chunks: Iterable[list[Event]], extra: dict[str, None],
                         path: str | os.PathLike, fmt: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from pyproj import CRS

    from ._io import atomic_path

    target = Path(path)
    try:
        with atomic_path(target) as tmp:
            writer = None
            first = True
            for chunk in chunks:
                gdf = _chunk_frame(chunk, extra)
                if fmt == "gpkg":
                    gdf.to_file(tmp, driver="GPKG", layer=target.stem, engine="pyogrio",
                                append=not first)
                else:
                    geom = gdf.geometry
                    table = pa.Table.from_pandas(gdf.drop(columns=[geom.name]),
                                                 preserve_index=False)
                    table = table.append_column(
                        "geometry", pa.array(shapely.to_wkb(geom.values), type=pa.binary()))
                    if writer is None:
                        geo = {"version": "1.0.0", "primary_column": "geometry",
                               "columns": {"geometry": {
                                   "encoding": "WKB", "geometry_types": [],
                                   "crs": CRS.from_epsg(4326).to_json_dict()}}}
                        meta = dict(table.schema.metadata or {})
                        meta[b"geo"] = json.dumps(geo).encode()
                        schema = table.schema.with_metadata(meta)
                        writer = pq.ParquetWriter(tmp, schema)
                    writer.write_table(table.cast(writer.schema))
                first = False
            if first:  # no events: an empty file with the full schema
                gdf = _chunk_frame([], extra)
                if fmt == "gpkg":
                    gdf.to_file(tmp, driver="GPKG", layer=target.stem, engine="pyogrio")
                else:
                    gdf.to_parquet(tmp, index=False)
            if writer is not None:
                writer.close()
    except (KeyboardInterrupt, OutputError):
        raise
    except Exception as exc:  # noqa: BLE001 - a driver error becomes one clear message
        raise OutputError(f"{target}: could not write {fmt} ({exc})") from exc
