"""The value the geoparser hands to the later stages: one place mention in a text."""

from __future__ import annotations

from typing import Any

from shapely.geometry.base import BaseGeometry

from .gazetteer import Place

__all__ = ["Mention", "ROLES"]

#: Roles of a mention (GeoWebNews taxonomy, simplified).
#: ``literal``: the place itself; ``associative``: a modifier use ("Iraqi officials",
#: "Iran-aligned militias", "US Embassy"); ``metonymic``: the place stands for its
#: government or people ("Tehran denied"); ``demonym``: a nationality word used as a
#: noun ("the Iraqis"); ``non_toponym``: part of an organisation or person name
#: ("Islamic State", "Bank of America", "George Washington").
ROLES = ("literal", "associative", "metonymic", "demonym", "non_toponym")


class Mention:
    """One place mention found in a text, with its role and resolution.

    ``text[start:end] == mention.text`` always holds for the text it came from.

    Attributes
    ----------
    start, end : int
        Character offsets (Python indices, end exclusive).
    text : str
        The mention as written ("eastern Syria", "35 km north of Baghdad").
    name : str
        The place name inside it ("Syria", "Baghdad").
    role : str
        One of :data:`ROLES`.
    place : Place or None
        The resolved gazetteer entry.
    geometry : shapely geometry or None
        The location: the place's geometry, or a derived one (the eastern part of a
        polygon, a geodesic destination point, a buffer). The geoparser computes it
        on first access (``derive=``); pass ``geometry=`` to give it yourself.
    precision : str
        ``site``, ``district``, ``town``, ``admin2``, ``admin1``, ``region``,
        ``country``, ``sea``, ``continent`` (or ``""`` when unresolved).
    score : float
        Confidence in the resolution, 0–1.
    alternatives : tuple of (Place, float)
        Runner-up candidates with their scores, best first (built on access from
        ``alternative_rows``, the gazetteer rows).
    modifier : str
        The compound expression applied ("east", "35 km north", "near"), or ``""``.
    """

    __slots__ = ("start", "end", "text", "name", "role", "place", "_geometry", "precision",
                 "score", "alternative_rows", "modifier", "_derive")

    def __init__(self, start: int, end: int, text: str, name: str, role: str = "literal",
                 place: Place | None = None, geometry: BaseGeometry | None = None,
                 precision: str = "", score: float = 0.0,
                 alternative_rows: tuple[tuple[int, float], ...] = (), modifier: str = "",
                 *, derive: tuple | None = None):
        # the slots' own setters (bound below the class): object.__setattr__ would look
        # each slot up again, and a parse builds one Mention per name
        _set_start(self, start)
        _set_end(self, end)
        _set_text(self, text)
        _set_name(self, name)
        _set_role(self, role)
        _set_place(self, place)
        _set_geometry(self, geometry)
        _set_precision(self, precision)
        _set_score(self, score)
        _set_alternative_rows(self, alternative_rows)
        _set_modifier(self, modifier)
        _set_derive(self, derive if geometry is None else None)

    def __setattr__(self, name, value):
        raise AttributeError(f"Mention is immutable; cannot set {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"Mention is immutable; cannot delete {name!r}")

    def _fields(self) -> tuple:
        return (self.start, self.end, self.text, self.name, self.role, self.place,
                self.geometry, self.precision, self.score, self.alternative_rows,
                self.modifier)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mention):
            return NotImplemented
        a, b = self._fields(), other._fields()
        geom_eq = (a[6] is None and b[6] is None) or (
            a[6] is not None and b[6] is not None and a[6].equals_exact(b[6], 0))
        return a[:6] == b[:6] and a[7:] == b[7:] and geom_eq

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.text, self.role,
                     self.place.id if self.place else None))

    def __repr__(self) -> str:
        pid = self.place.id if self.place else None
        return (f"Mention({self.start}, {self.end}, {self.text!r}, role={self.role!r}, "
                f"place={pid!r}, precision={self.precision!r}, score={self.score})")

    def __reduce__(self):
        return (Mention, self._fields())

    @property
    def geometry(self) -> BaseGeometry | None:
        """The location's geometry (derived on first access)."""
        g = self._geometry
        if g is None and self._derive is not None:
            from .geometry import derive
            place, modifier = self._derive
            g = derive(place, modifier)[0]
            object.__setattr__(self, "_geometry", g)
            object.__setattr__(self, "_derive", None)
        return g

    @property
    def alternatives(self) -> tuple[tuple[Place, float], ...]:
        """Runner-up candidates with their scores, best first."""
        if not self.alternative_rows or self.place is None:
            return ()
        from .gazetteer import Gazetteer
        gaz = Gazetteer.load(self.place.gazetteer_path or None)
        return tuple((gaz.place(r), p) for r, p in self.alternative_rows)

    @property
    def is_literal(self) -> bool:
        """True for literal mentions (places where something is, or happens)."""
        return self.role == "literal"

    @property
    def point(self):
        """Representative point of the location (shapely Point) or None."""
        if self.place is not None and not self.modifier:
            return self.place.point  # the conventional point, no geometry needed
        geom = self.geometry
        if geom is None:
            return None
        if geom.geom_type == "Point":
            return geom
        return geom.representative_point()

    def to_dict(self) -> dict[str, Any]:
        """Flat JSON-serialisable record (the ``geoevents parse`` output fields)."""
        p = self.place
        if p is not None and not self.modifier:  # the place's own point: no Point object
            lat, lon = round(p.latitude, 6), round(p.longitude, 6)
        else:
            pt = self.point
            lat, lon = (round(pt.y, 6), round(pt.x, 6)) if pt is not None else (None, None)
        return {
            "start": self.start, "end": self.end, "text": self.text, "name": self.name,
            "role": self.role, "lat": lat, "lon": lon,
            "place_id": p.id if p else None, "place_name": p.name if p else None,
            "feature_type": p.kind if p else None, "country_code": p.country if p else None,
            "admin1": p.admin1 if p else None, "precision": self.precision or None,
            "modifier": self.modifier or None, "score": round(self.score, 4),
        }

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        geom = self.geometry.__geo_interface__ if self.geometry is not None else None
        return {"type": "Feature", "geometry": geom, "properties": self.to_dict()}


(_set_start, _set_end, _set_text, _set_name, _set_role, _set_place, _set_geometry,
 _set_precision, _set_score, _set_alternative_rows, _set_modifier, _set_derive) = (
    Mention.__dict__[slot].__set__ for slot in Mention.__slots__)
