"""The local gazetteer as a geopy geocoder.

``LocalGeocoder`` honours geopy's contract (``geocode(query, exactly_one=True)``
returns ``None``, one :class:`geopy.location.Location` or a list), so it can stand
in wherever a geopy geocoder is used — offline, with no rate limit. ``raw`` is the
:class:`~geoevents.gazetteer.Place`.
"""

from __future__ import annotations

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point as GeopyPoint

from .gazetteer import Gazetteer, Place

__all__ = ["LocalGeocoder"]


def _location(place: Place) -> Location:
    parts = [place.name]
    if place.admin1 and place.admin1 != place.name:
        parts.append(place.admin1)
    if place.country:
        parts.append(place.country)
    # geopy speaks (lat, lon)
    return Location(", ".join(parts), (place.latitude, place.longitude), place)


class LocalGeocoder(Geocoder):
    """A geopy geocoder backed by the bundled offline gazetteer.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Defaults to :meth:`Gazetteer.load`.

    Examples
    --------
    >>> LocalGeocoder().geocode("Bagdad").address
    'Baghdad, IQ'
    """

    def __init__(self, gazetteer: Gazetteer | None = None):
        super().__init__()
        self.gazetteer = gazetteer or Gazetteer.load()

    def geocode(self, query: str, *, exactly_one: bool = True, limit: int = 10,
                country: str | None = None, kind: str | None = None, **_ignored):
        """Places called ``query``: ``None``, one Location, or a list of them."""
        places = self.gazetteer.search(str(query), limit=1 if exactly_one else limit,
                                       country=country, kind=kind)
        if not places:
            return None
        if exactly_one:
            return _location(places[0])
        return [_location(p) for p in places]

    def reverse(self, query, *, exactly_one: bool = True, **_ignored):
        """Areal places containing ``query`` (``"lat, lon"``, tuple or geopy Point)."""
        pt = GeopyPoint(query)
        places = self.gazetteer.reverse(pt.latitude, pt.longitude)
        if not places:
            return None
        if exactly_one:
            return _location(places[0])
        return [_location(p) for p in places]
