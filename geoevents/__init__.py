"""geoevents: news text and event records to maps and spatial data, fully offline.

The pipeline is the architecture, one module per stage:

gazetteer → recognition → role → resolution → geometry → events → outputs / maps.

The names below are the public API. The gazetteer and the geoparser load eagerly;
events, records, outputs, maps and the geopy geocoder are imported on first use,
so ``import geoevents`` stays cheap.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("geoevents")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+unknown"

from .exc import GazetteerError, GeoeventsError, InputError, OutputError
from .gazetteer import KINDS, Gazetteer, Place
from .geoparse import Geoparser, focus, geoparse
from .mention import ROLES, Mention

_LAZY = {
    "LocalGeocoder": "geocoder",
    "Event": "events", "EVENT_TYPES": "events", "extract_events": "events",
    "read_events": "records", "iter_events": "records", "ReadReport": "records",
    "to_geojson": "outputs", "events_to_gdf": "outputs", "gdf_to_events": "outputs",
    "mentions_to_gdf": "outputs", "write_vector": "outputs",
    "event_map": "maps", "mention_map": "maps", "save_map": "maps",
}

__all__ = [
    "__version__",
    "Gazetteer", "Place", "KINDS", "LocalGeocoder",
    "geoparse", "focus", "Geoparser", "Mention", "ROLES",
    "Event", "EVENT_TYPES", "extract_events", "read_events", "iter_events", "ReadReport",
    "to_geojson", "events_to_gdf", "gdf_to_events", "mentions_to_gdf", "write_vector",
    "event_map", "mention_map", "save_map",
    "GeoeventsError", "GazetteerError", "InputError", "OutputError",
]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geoevents' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
