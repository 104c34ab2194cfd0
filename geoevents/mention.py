"""The value the geoparser hands to the later stages: one place mention in a text."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
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
        polygon, a geodesic destination point, a buffer).
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

    start: int
    end: int
    text: str
    name: str
    role: str = "literal"
    place: Place | None = None
    geometry: BaseGeometry | None = None
    precision: str = ""
    score: float = 0.0
    alternative_rows: tuple[tuple[int, float], ...] = field(default=(), repr=False)
    modifier: str = ""

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
        if self.geometry is None:
            return None
        if self.geometry.geom_type == "Point":
            return self.geometry
        if self.place is not None and not self.modifier:
            return self.place.point
        return self.geometry.representative_point()

    def to_dict(self) -> dict[str, Any]:
        """Flat JSON-serialisable record (the ``geoevents parse`` output fields)."""
        p, pt = self.place, self.point
        return {
            "start": self.start, "end": self.end, "text": self.text, "name": self.name,
            "role": self.role,
            "lat": round(pt.y, 6) if pt is not None else None,
            "lon": round(pt.x, 6) if pt is not None else None,
            "place_id": p.id if p else None, "place_name": p.name if p else None,
            "feature_type": p.kind if p else None, "country_code": p.country if p else None,
            "admin1": p.admin1 if p else None, "precision": self.precision or None,
            "modifier": self.modifier or None, "score": round(self.score, 4),
        }

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        geom = self.geometry.__geo_interface__ if self.geometry is not None else None
        return {"type": "Feature", "geometry": geom, "properties": self.to_dict()}
