"""geoevents: news text and event records to maps and spatial data, fully offline.

The pipeline is the architecture: gazetteer → recognition → role → resolution →
geometry → events → outputs.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("geoevents")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+unknown"

from .events import EVENT_TYPES, Event, extract_events
from .exc import GazetteerError, GeoeventsError, InputError, OutputError
from .gazetteer import KINDS, Gazetteer, Place
from .geocoder import LocalGeocoder
from .geoparse import Geoparser, focus, geoparse
from .maps import event_map, mention_map, save_map
from .mention import ROLES, Mention
from .outputs import events_to_gdf, gdf_to_events, mentions_to_gdf, to_geojson, write_vector
from .records import ReadReport, iter_events, read_events

__all__ = [
    "__version__",
    "Gazetteer", "Place", "KINDS", "LocalGeocoder",
    "geoparse", "focus", "Geoparser", "Mention", "ROLES",
    "to_geojson", "events_to_gdf", "gdf_to_events", "mentions_to_gdf", "write_vector",
    "event_map", "mention_map", "save_map",
    "Event", "EVENT_TYPES", "extract_events", "read_events", "iter_events", "ReadReport",
    "GeoeventsError", "GazetteerError", "InputError", "OutputError",
]
