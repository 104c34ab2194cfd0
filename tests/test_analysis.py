import datetime as dt

import pytest
from shapely.geometry import Point, box

from geoevents.analysis import (
    event_counts_by_period,
    event_density_grid,
    events_per_area,
    events_within,
)
from geoevents.events import Event

EVENTS = [
    Event("baghdad-1", event_date=dt.date(2023, 12, 8), latitude=33.30, longitude=44.38,
          fatalities=0, country="Iraq", event_type="Explosions/Remote violence"),
    Event("baghdad-2", event_date=dt.date(2023, 12, 9), latitude=33.35, longitude=44.42,
          fatalities=3, country="Iraq", event_type="Battles"),
    Event("mosul", event_date=dt.date(2023, 11, 20), latitude=36.34, longitude=43.13,
          country="Iraq", event_type="Battles"),
    Event("deir-ez-zor", event_date=dt.date(2023, 12, 1), latitude=35.33, longitude=40.14,
          fatalities=5, country="Syria", event_type="Explosions/Remote violence"),
    Event("unlocated", event_date=dt.date(2023, 12, 1)),
]


def test_events_per_country_and_admin1():
    per = events_per_area(EVENTS, "country")
    assert per[["name", "events", "fatalities"]].values.tolist() == [
        ["Iraq", 3, 3], ["Syria", 1, 5]]
    a1 = events_per_area(EVENTS, "admin1")
    assert dict(zip(a1["name"], a1["events"])) == {"Baghdad": 2, "Nineveh": 1,
                                                   "Deir ez-Zor": 1}
    assert per.crs.to_epsg() == 4326


def test_events_per_custom_layer():
    import geopandas as gpd
    layer = gpd.GeoDataFrame({"name": ["west", "east"]},
                             geometry=[box(38, 30, 42, 40), box(42, 30, 48, 40)], crs=4326)
    per = events_per_area(EVENTS, layer)
    assert per[["name", "events"]].values.tolist() == [["east", 3], ["west", 1]]


def test_events_within_is_geodesic():
    near = events_within(EVENTS, "Baghdad", 60)
    assert near["event_id"].tolist() == ["baghdad-2", "baghdad-1"]
    assert near["distance_km"].iloc[0] < near["distance_km"].iloc[1] < 60
    far = events_within(EVENTS, (33.3, 44.4), 400)
    assert set(far["event_id"]) == {"baghdad-1", "baghdad-2", "mosul"}
    assert events_within(EVENTS, Point(44.38, 33.30), 0.001)["event_id"].tolist() == [
        "baghdad-1"]
    with pytest.raises(ValueError, match="no place called"):
        events_within(EVENTS, "Xqzzyville", 10)


def test_density_grid_is_equal_area():
    grid = event_density_grid(EVENTS, cell_km=100)
    assert grid["events"].sum() == 4
    assert grid["events"].iloc[0] == 2  # the two Baghdad events share a cell
    areas_km2 = grid.to_crs(6933).area / 1e6
    assert all(abs(a - 100 * 100) < 1 for a in areas_km2)


def test_counts_by_period():
    weekly = event_counts_by_period(EVENTS, "W", by="country")
    assert list(weekly.columns) == ["(unknown)", "Iraq", "Syria"]
    assert weekly.sum().to_dict() == {"(unknown)": 1, "Iraq": 3, "Syria": 1}
    monthly = event_counts_by_period(EVENTS, "M")
    assert monthly["events"].tolist() == [1, 4]
