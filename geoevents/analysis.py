"""Spatial analysis of events: per area, within a distance, on a grid, over time.

Every function takes events (a list of :class:`~geoevents.events.Event` or a GeoDataFrame
from :func:`~geoevents.outputs.events_to_gdf`) and returns a GeoDataFrame or DataFrame
named after what it holds. Events are counted at their point (latitude/longitude), so an
event located at a whole province counts once, at its representative point.

Examples
--------
>>> from geoevents.events import Event
>>> evs = [Event("a", latitude=33.30, longitude=44.38, fatalities=2),
...        Event("b", latitude=36.34, longitude=43.13, fatalities=0),
...        Event("c", latitude=35.33, longitude=40.14)]
>>> per = events_per_area(evs, "country")
>>> per[["name", "events", "fatalities"]].to_records(index=False).tolist()
[('Iraq', 2, 2), ('Syria', 1, 0)]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["events_per_area", "events_within", "event_density_grid", "event_counts_by_period"]


def _points(events) -> Any:
    """A GeoDataFrame of the events with point geometry (EPSG:4326)."""
    import geopandas as gpd

    from .outputs import events_to_gdf
    gdf = events if isinstance(events, gpd.GeoDataFrame) else events_to_gdf(list(events))
    gdf = gdf[gdf["latitude"].notna() & gdf["longitude"].notna()].copy()
    return gpd.GeoDataFrame(gdf.drop(columns=gdf.geometry.name),
                            geometry=gpd.points_from_xy(gdf["longitude"], gdf["latitude"]),
                            crs="EPSG:4326")


def _areas(areas) -> Any:
    import geopandas as gpd
    if isinstance(areas, gpd.GeoDataFrame):
        return areas.to_crs(4326) if areas.crs is not None else areas.set_crs(4326)
    from .gazetteer import Gazetteer
    places = Gazetteer.load().polygons(areas)
    return gpd.GeoDataFrame(
        {"place_id": [p.id for p in places], "name": [p.name for p in places],
         "country": [p.country for p in places]},
        geometry=[p.geometry for p in places], crs="EPSG:4326")


def events_per_area(events, areas: Any = "admin1"):
    """Count events (and sum fatalities) per area.

    Parameters
    ----------
    events : list of Event or GeoDataFrame
    areas : str or GeoDataFrame, default "admin1"
        A gazetteer kind (``"country"``, ``"admin1"``, ``"admin2"``, ``"sea"``,
        ``"region"``) or any polygon layer.

    Returns
    -------
    GeoDataFrame
        The areas that hold at least one event, with ``events`` and ``fatalities``
        columns, most events first.

    Examples
    --------
    >>> from geoevents.events import Event
    >>> evs = [Event("a", latitude=33.30, longitude=44.38),
    ...        Event("b", latitude=33.35, longitude=44.42)]
    >>> events_per_area(evs, "admin1")[["name", "events"]].values.tolist()
    [['Baghdad', 2]]
    """
    import geopandas as gpd

    pts = _points(events)
    layer = _areas(areas).reset_index(drop=True)
    layer["_area"] = np.arange(len(layer))
    joined = gpd.sjoin(pts, layer[["_area", "geometry"]], how="inner", predicate="within")
    fat = joined["fatalities"].fillna(0).astype("int64") if "fatalities" in joined else 0
    stats = joined.assign(_fat=fat).groupby("_area").agg(events=("_area", "size"),
                                                         fatalities=("_fat", "sum"))
    out = layer.merge(stats, left_on="_area", right_index=True).drop(columns="_area")
    out["events"] = out["events"].astype("int64")
    out["fatalities"] = out["fatalities"].astype("int64")
    return out.sort_values(["events", "name" if "name" in out else "events"],
                           ascending=[False, True]).reset_index(drop=True)


def events_within(events, center, km: float):
    """Events within ``km`` kilometres (geodesic, WGS84) of a place or point.

    Parameters
    ----------
    events : list of Event or GeoDataFrame
    center : Place, shapely Point, (lat, lon) tuple, or a place name
        A name is looked up in the gazetteer (best match).
    km : float

    Returns
    -------
    GeoDataFrame
        The events within the distance, with a ``distance_km`` column, nearest first.

    Examples
    --------
    >>> from geoevents.events import Event
    >>> evs = [Event("a", latitude=33.30, longitude=44.38),
    ...        Event("b", latitude=36.34, longitude=43.13)]
    >>> events_within(evs, "Baghdad", 50)["event_id"].tolist()
    ['a']
    """
    from pyproj import Geod

    lat, lon = _center(center)
    pts = _points(events)
    geod = Geod(ellps="WGS84")
    n = len(pts)
    _, _, dist = geod.inv(np.full(n, lon), np.full(n, lat), pts.geometry.x.to_numpy(),
                          pts.geometry.y.to_numpy())
    pts["distance_km"] = np.round(dist / 1000.0, 3)
    out = pts[pts["distance_km"] <= km]
    return out.sort_values(["distance_km", "event_id"]).reset_index(drop=True)


def _center(center) -> tuple[float, float]:
    from shapely.geometry import Point

    from .gazetteer import Gazetteer, Place
    if isinstance(center, Place):
        return center.latitude, center.longitude
    if isinstance(center, Point):
        return center.y, center.x
    if isinstance(center, str):
        found = Gazetteer.load().search(center, limit=1)
        if not found:
            raise ValueError(f"no place called {center!r} in the gazetteer")
        return found[0].latitude, found[0].longitude
    lat, lon = center
    return float(lat), float(lon)


def event_density_grid(events, cell_km: float = 50.0):
    """Events per square cell of an equal-area grid (EPSG:6933), back in EPSG:4326.

    Parameters
    ----------
    events : list of Event or GeoDataFrame
    cell_km : float, default 50
        Side of a cell in kilometres (equal area everywhere).

    Returns
    -------
    GeoDataFrame
        One polygon per non-empty cell with ``events`` and ``per_1000_km2`` columns.

    Examples
    --------
    >>> from geoevents.events import Event
    >>> evs = [Event("a", latitude=33.30, longitude=44.38),
    ...        Event("b", latitude=33.31, longitude=44.39)]
    >>> event_density_grid(evs, cell_km=20)["events"].tolist()
    [2]
    """
    import geopandas as gpd
    from shapely.geometry import box

    pts = _points(events).to_crs(6933)
    size = cell_km * 1000.0
    ix = np.floor(pts.geometry.x.to_numpy() / size).astype("int64")
    iy = np.floor(pts.geometry.y.to_numpy() / size).astype("int64")
    cells, counts = np.unique(np.stack([ix, iy], axis=1), axis=0, return_counts=True)
    geoms = [box(x * size, y * size, (x + 1) * size, (y + 1) * size) for x, y in cells]
    grid = gpd.GeoDataFrame({"events": counts.astype("int64"),
                             "per_1000_km2": np.round(counts / (cell_km ** 2) * 1000, 4)},
                            geometry=geoms, crs=6933)
    return grid.to_crs(4326).sort_values("events", ascending=False,
                                          kind="stable").reset_index(drop=True)


def event_counts_by_period(events: Iterable | Any, freq: str = "W", by: str | None = None):
    """Events per period (and per ``by`` column), a table ready to plot.

    Parameters
    ----------
    events : list of Event or GeoDataFrame
    freq : str, default "W"
        A pandas period alias: ``"D"``, ``"W"``, ``"M"``, ``"Q"``, ``"Y"``.
    by : str, optional
        A column to split by (``"country"``, ``"admin1"``, ``"event_type"``...).

    Returns
    -------
    DataFrame
        Rows are periods (start dates), columns the ``by`` values (or ``events``).

    Examples
    --------
    >>> import datetime as dt
    >>> from geoevents.events import Event
    >>> evs = [Event("a", event_date=dt.date(2023, 12, 1), country="Iraq"),
    ...        Event("b", event_date=dt.date(2023, 12, 2), country="Iraq"),
    ...        Event("c", event_date=dt.date(2023, 12, 9), country="Syria")]
    >>> event_counts_by_period(evs, "W", by="country").values.tolist()
    [[2, 0], [0, 1]]
    """
    import geopandas as gpd
    import pandas as pd

    from .outputs import events_to_gdf
    gdf = events if isinstance(events, gpd.GeoDataFrame) else events_to_gdf(list(events))
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    df = df[df["event_date"].notna()]
    period = pd.to_datetime(df["event_date"]).dt.to_period(freq).dt.start_time.dt.date
    if by is None:
        out = df.groupby(period).size().to_frame("events")
    else:
        key = df[by].fillna("").replace("", "(unknown)")
        out = df.groupby([period, key]).size().unstack(fill_value=0)
    out.index.name = "period"
    return out.astype("int64")



