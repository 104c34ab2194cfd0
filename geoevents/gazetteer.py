"""Stage 1 — the local gazetteer: places, their names, geometries and hierarchy.

The artifact built by ``gazetteer/build.py`` is a folder of ``.npy`` arrays, a
UTF-8 string blob and WKB geometries. It is memory-mapped, so loading costs a few
milliseconds and N worker processes share the same pages. Names are found through
a sorted array of 64-bit key hashes (see :mod:`geoevents._text`).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ._text import BoundedMemo, key_hash, name_key
from .exc import GazetteerError

__all__ = ["Place", "Gazetteer", "KINDS", "PRECISION"]

#: Place kinds, most specific first.
KINDS = ("site", "district", "city", "admin2", "admin1", "country", "region", "sea", "continent")

#: The precision level a place of each kind gives a location.
PRECISION = {
    "site": "site", "district": "district", "city": "town", "admin2": "admin2",
    "admin1": "admin1", "region": "region", "country": "country", "sea": "sea",
    "continent": "continent",
}

_KIND_RANK = {k: i for i, k in enumerate(KINDS)}
# prior weight of a kind when a name alone is known (countries before towns)
_KIND_PRIOR = {"country": 2.8, "continent": 3.5, "admin1": 1.2, "region": 2.8, "sea": 3.0,
               "city": 0.0, "admin2": 1.0, "district": -0.5, "site": 0.5}
#: fame of a town: FAME_WEIGHT per tenfold of names past FAME_NAMES (see Priors)
FAME_NAMES = 20
FAME_WEIGHT = 1.5
_NAME_TYPES = ("name", "alternate", "abbreviation", "demonym", "derived")
#: artifact format this version reads (2: postings stored best prior first, admin1_of)
FORMAT = 2


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Place:
    """One gazetteer entry: small, immutable and picklable.

    Attributes
    ----------
    id : str
        Stable identifier, prefixed by its source (``"geonames:98182"``,
        ``"ne-admin1:IRQ-2423"``, ``"curated:green-zone"``).
    name : str
        Preferred English name.
    kind : str
        One of :data:`KINDS`.
    country : str
        ISO 3166-1 alpha-2 code (``""`` for seas, continents, multi-country regions).
    admin1 : str
        Name of the first-level division the place lies in (``""`` if none).
    admin1_code : str
        GeoNames admin-1 code (``"07"`` for Baghdad governorate).
    population : int
        Population where the source gives one, else 0.
    latitude, longitude : float
        Representative point (the conventional gazetteer point for areal places).
    geometry : shapely geometry
        Point for towns, (Multi)Polygon for areal places; EPSG:4326, x=lon, y=lat.
        Gazetteer places decode it on first use; pass ``shape=`` to build a Place
        yourself.
    feature_code : str
        GeoNames-style feature code (``PPLC``, ``ADM1``, ``PCLI``...).
    source : str
        ``geonames``, ``naturalearth``, ``uscensus`` or ``curated``.
    alternate_names : tuple of str
        Other names, abbreviations and demonyms (read from the gazetteer on first
        use).
    geonameid : int
        GeoNames id where known, else 0.
    """

    id: str
    name: str
    kind: str
    country: str
    admin1: str
    admin1_code: str
    population: int
    latitude: float
    longitude: float
    shape: BaseGeometry | None = field(default=None, compare=False)
    feature_code: str = ""
    source: str = ""
    geonameid: int = 0
    row: int = field(default=-1, compare=False)
    gazetteer_path: str = field(default="", compare=False)

    @property
    def geometry(self) -> BaseGeometry:
        """The place's geometry (decoded from the gazetteer on first use)."""
        if self.shape is None:
            if self.row >= 0 and self.gazetteer_path:
                geom = Gazetteer.load(self.gazetteer_path).geometry_of(self.row)
            else:
                geom = Point(self.longitude, self.latitude)
            object.__setattr__(self, "shape", geom)  # a cache: the value never changes
        return self.shape

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Place) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return (f"Place({self.id!r}, {self.name!r}, kind={self.kind!r}, "
                f"country={self.country!r}, lat={self.latitude}, lon={self.longitude})")

    @property
    def alternate_names(self) -> tuple[str, ...]:
        """Other names, abbreviations and demonyms of the place."""
        if self.row < 0 or not self.gazetteer_path:
            return ()
        gaz = Gazetteer.load(self.gazetteer_path)
        return tuple(n for n, _ in gaz.names_of(self.row)[1:])

    @property
    def point(self) -> Point:
        """Representative point as a shapely ``Point(lon, lat)``."""
        return Point(self.longitude, self.latitude)

    @property
    def precision(self) -> str:
        """Precision level a location at this place has (``town``, ``admin1``...)."""
        return PRECISION[self.kind]

    @property
    def is_areal(self) -> bool:
        """True if the geometry is a polygon rather than a point."""
        if self.shape is None and self.row >= 0 and self.gazetteer_path:
            return Gazetteer.load(self.gazetteer_path).has_polygon(self.row)
        return self.geometry.geom_type in ("Polygon", "MultiPolygon")

    @property
    def raw(self) -> dict[str, Any]:
        """The gazetteer record as plain JSON-serialisable values."""
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "country": self.country,
            "admin1": self.admin1, "admin1_code": self.admin1_code,
            "population": self.population, "latitude": self.latitude,
            "longitude": self.longitude, "feature_code": self.feature_code,
            "source": self.source, "geonameid": self.geonameid,
        }

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "Feature", "id": self.id, "geometry": self.geometry.__geo_interface__,
                "properties": self.raw}


def _place_builder():
    """A function building a Place from its fields in order, for the gazetteer's rows.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``,
    which looks the slot up every time; this calls the slots' own setters, bound once
    (a Place in ~1.3 µs instead of ~2.2 µs: ``search`` builds one per result).
    """
    names = [f.name for f in fields(Place)]
    set_ = [Place.__dict__[n].__set__ for n in names]
    if len(set_) != 15:
        raise AssertionError("update _place_builder with Place's fields")
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14 = set_
    new = object.__new__

    def build(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14) -> Place:
        p = new(Place)
        s0(p, a0), s1(p, a1), s2(p, a2), s3(p, a3), s4(p, a4), s5(p, a5), s6(p, a6)
        s7(p, a7), s8(p, a8), s9(p, a9), s10(p, a10), s11(p, a11), s12(p, a12)
        s13(p, a13), s14(p, a14)
        return p
    return build


_build_place = _place_builder()


def _map(path: Path):
    import mmap
    with open(path, "rb") as fh:
        if path.stat().st_size == 0:
            return b""
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


def _default_path() -> Path:
    env = os.environ.get("GEOEVENTS_GAZETTEER")
    if env:
        return Path(env)
    return _bundled_path()


@lru_cache(maxsize=1)
def _bundled_path() -> Path:
    # resolved once: geoparse() asks for the default gazetteer on every call
    here = Path(__file__).resolve().parent
    installed = here / "_data" / "gazetteer"
    if (installed / "meta.json").exists():
        return installed
    return here.parent / "gazetteer" / "build"


class Gazetteer:
    """The local gazetteer, loaded from the bundled (or a given) artifact.

    Use :meth:`Gazetteer.load`, which caches one instance per path.

    Examples
    --------
    >>> gaz = Gazetteer.load()
    >>> gaz.search("Bagdad")[0].name
    'Baghdad'
    >>> [p.name for p in gaz.reverse(33.303, 44.385)][:2]
    ['Green Zone', 'Baghdad']
    """

    PLACE_CACHE_SIZE = 16384  # Places kept built (an LRU, about 600 bytes each)
    _instances: dict[Path, Gazetteer] = {}
    _by_str: dict[str, Gazetteer] = {}
    _lock = threading.Lock()

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else _default_path()
        meta = self.path / "meta.json"
        if not meta.exists():
            raise GazetteerError(f"no gazetteer artifact at {self.path} "
                                 "(run: python gazetteer/build.py)")
        try:
            self.meta = json.loads(meta.read_text("utf-8"))
            a = {}
            for f in sorted(self.path.glob("*.npy")):
                # a plain ndarray view of the mapping: no copy, fast indexing
                a[f.stem] = np.asarray(np.load(f, mmap_mode="r", allow_pickle=False))
        except (OSError, ValueError) as exc:
            raise GazetteerError(f"unreadable gazetteer artifact at {self.path}: {exc}") from exc
        if self.meta.get("format") != FORMAT:
            raise GazetteerError(f"gazetteer artifact at {self.path} has format "
                                 f"{self.meta.get('format')}, this version reads {FORMAT} "
                                 "(run: python gazetteer/build.py)")
        self._a = a
        # byte blobs as mmap objects: slicing them gives bytes at C speed
        self._strings = _map(self.path / "strings.bin")
        self._geoms = _map(self.path / "geoms.wkb")
        self._kinds = tuple(self.meta["kinds"])
        self._fcodes = tuple(self.meta["fcodes"])
        self._ccs = tuple(self.meta["countries"])
        self._sources = tuple(self.meta["sources"])
        # small, hot arrays are copied into memory
        self.kind_codes = np.asarray(a["kind"])
        self.population = np.asarray(a["population"])
        self.lat = np.asarray(a["lat"])
        self.lon = np.asarray(a["lon"])
        self.keys = np.asarray(a["keys"])
        self._post_ptr = a["post_ptr"]
        self._post_row = a["post_row"]
        self._post_type = a["post_type"]
        # Python ints for fast scalar access, in a tuple: the garbage collector stops
        # tracking a tuple of ints, where it would walk a list of them at every full pass
        self._str_off = tuple(a["str_off"].tolist())
        self._ids: dict[str, int] | None = None
        self._tree = None
        self._priors: Priors | None = None
        self._admin1_names: dict[int, str] = {}
        self._admin1_codes: dict[int, str] = {}
        self._path_str = str(self.path)
        self._rows_cache = BoundedMemo(100_000)  # name hash -> (rows, name types)
        self._rows_tab: tuple[np.ndarray, np.ndarray] | None = None
        self.place = lru_cache(maxsize=self.PLACE_CACHE_SIZE)(self._place)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | os.PathLike | None = None) -> Gazetteer:
        """Load the gazetteer at ``path`` (default: the bundled one), once per process."""
        if isinstance(path, str):
            inst = cls._by_str.get(path)
            if inst is not None:
                return inst
        p = Path(path) if path is not None else _default_path()
        with cls._lock:
            inst = cls._instances.get(p)
            if inst is None:
                inst = cls._instances[p] = cls(p)
            if isinstance(path, str):
                cls._by_str[path] = inst
        return inst

    def __len__(self) -> int:
        return len(self.kind_codes)

    def __reduce__(self):
        # workers re-open the memory-mapped artifact instead of receiving a copy
        return (Gazetteer.load, (self.path,))

    # ------------------------------------------------------------------ strings
    def _str(self, i: int) -> str:
        off = self._str_off
        return self._strings[off[i]:off[i + 1]].decode("utf-8")

    def name_of(self, row: int) -> str:
        """Preferred name of the place in ``row``."""
        return self._str(int(self._a["name"][row]))

    def kind_of(self, row: int) -> str:
        """Kind of the place in ``row``."""
        return self._kinds[self.kind_codes[row]]

    def country_of(self, row: int) -> str:
        """ISO alpha-2 code of the place in ``row``."""
        return self._ccs[self._a["cc"][row]]

    def admin1_code_of(self, row: int) -> str:
        """Admin-1 code of the place in ``row``."""
        return self._str(int(self._a["admin1"][row]))

    def parent_row(self, row: int) -> int:
        """Row of the parent place (-1 if none)."""
        return int(self._a["parent"][row])

    def names_of(self, row: int) -> list[tuple[str, str]]:
        """All (name, name type) pairs of the place in ``row``."""
        p = self._a["alt_ptr"]
        ids = self._a["alt_ids"][p[row]:p[row + 1]]
        types = self._a["alt_types"][p[row]:p[row + 1]]
        return [(self._str(int(i)), _NAME_TYPES[int(t)]) for i, t in zip(ids, types)]

    def has_polygon(self, row: int) -> bool:
        """True if the place in ``row`` has a polygon (not just a point)."""
        return bool(self._a["geom_of"][row] >= 0)

    def geometry_of(self, row: int) -> BaseGeometry:
        """Shapely geometry of the place in ``row`` (a Point where no polygon)."""
        g = int(self._a["geom_of"][row])
        if g < 0:
            return Point(float(self.lon[row]), float(self.lat[row]))
        ptr = self._a["geom_ptr"]
        return shapely.from_wkb(self._geoms[int(ptr[g]):int(ptr[g + 1])])

    def _row_table(self) -> tuple[np.ndarray, np.ndarray]:
        # one row of Python ints/floats per place through a single ``tolist`` call:
        # ten scalar reads from ten arrays cost more than building the Place itself
        if self._rows_tab is None:
            a = self._a
            cols = ("id", "name", "cc", "admin1", "fcode", "source", "kind", "admin1_of",
                    "population", "geonameid")
            # a place's fields side by side, so ``ints[row]`` reads one cache line
            ints = np.empty((len(self), len(cols)), dtype=np.int64)
            for i, c in enumerate(cols):
                ints[:, i] = a[c]
            self._rows_tab = (ints, np.stack([self.lat, self.lon], axis=1))
        return self._rows_tab

    def _place(self, row: int) -> Place:
        row = int(row)
        ints, lls = self._row_table()
        id_, name, cc, adm1, fcode, source, kind, up, pop, gid = ints[row].tolist()
        lat, lon = lls[row].tolist()
        admin1 = self._admin1_names.get(up)
        if admin1 is None:
            admin1 = self._admin1_names[up] = self.name_of(up) if up >= 0 else ""
        code = self._admin1_codes.get(adm1)  # a few thousand codes, shared by many places
        if code is None:
            code = self._admin1_codes[adm1] = self._str(adm1)
        off, strings = self._str_off, self._strings
        return _build_place(strings[off[id_]:off[id_ + 1]].decode(),
                     strings[off[name]:off[name + 1]].decode(), self._kinds[kind],
                     self._ccs[cc], admin1, code, pop, lat, lon, None, self._fcodes[fcode],
                     self._sources[source], gid, row, self._path_str)

    def country_row(self, country: str) -> int:
        """Row of the country with ISO code ``country`` (-1 if unknown)."""
        return self._country_rows().get(country, -1)

    @lru_cache(maxsize=1)  # noqa: B019 - one gazetteer per path, lives for the process
    def _country_rows(self) -> dict[str, int]:
        rows = np.flatnonzero(self.kind_codes == self._kinds.index("country"))
        return {self.country_of(r): int(r) for r in rows.tolist()}

    # ------------------------------------------------------------------ look-ups
    def rows_for_hash(self, h: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and name types of the places having a name with key hash ``h``."""
        hit = self._rows_cache.get(h)
        if hit is not None:
            return hit
        hit = self._rows_for_hash(h)
        self._rows_cache[h] = hit
        return hit

    def _rows_for_hash(self, h: int) -> tuple[np.ndarray, np.ndarray]:
        _, a, b = self.postings(h)
        return self._post_row[a:b], self._post_type[a:b]

    def postings(self, h: int) -> tuple[int, int, int]:
        """Index of the name with key hash ``h`` and the range of its postings.

        ``(-1, 0, 0)`` if no place has that name.
        """
        j = int(self.keys.searchsorted(h))
        if j >= len(self.keys) or self.keys[j] != h:
            return -1, 0, 0
        return j, int(self._post_ptr[j]), int(self._post_ptr[j + 1])

    def rows_for_name(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows and name types of the places called ``name`` (any spelling)."""
        key = name_key(name)
        if not key:
            return _EMPTY, _EMPTY
        return self.rows_for_hash(key_hash(key))

    @property
    def priors(self) -> Priors:
        """The vectorised prior (kind, population, seat status, name type)."""
        if self._priors is None:
            self._priors = Priors(self)
        return self._priors

    def prior(self, row: int, name_type: int = 0) -> float:
        """Importance of a place before any context: kind, population, name type."""
        return float(self.priors(np.array([row]), np.array([name_type]))[0])

    def search(self, name: str, *, limit: int = 10, country: str | None = None,
               kind: str | None = None) -> list[Place]:
        """Places called ``name``, best first.

        Matching ignores case, accents and punctuation, and knows alternate names,
        abbreviations and demonyms ("al-Anbar", "Anbar Province", "Bagdad", "U.S.").

        Parameters
        ----------
        name : str
            The name to look for.
        limit : int, default 10
            At most this many places.
        country : str, optional
            Keep only places in this ISO alpha-2 country.
        kind : str, optional
            Keep only places of this kind (see :data:`KINDS`).

        Returns
        -------
        list of Place
        """
        key = name_key(name)
        if not key:
            return []
        if country is None and kind is None:
            # no filter: the first ``limit`` postings are the answer
            _, a, b = self.postings(key_hash(key))
            rows = self._post_row[a:min(b, a + limit)].tolist()
            if not rows:
                rows = self._suffix_fallback(key)[:limit]
            place = self.place
            return [place(r) for r in rows]
        rows = self._ranked(key_hash(key))
        if not rows:
            rows = self._suffix_fallback(key)
        out = []
        cc = country.upper() if country else None
        for r in rows:
            if cc and self.country_of(r) != cc:
                continue
            if kind and self.kind_of(r) != kind:
                continue
            out.append(self.place(r))
            if len(out) >= limit:
                break
        return out

    def _ranked_for_name(self, name: str) -> list[int]:
        """Rows of every place called ``name``, best prior first (as :meth:`search`)."""
        key = name_key(name)
        if not key:
            return []
        return self._ranked(key_hash(key)) or self._suffix_fallback(key)

    def _ranked(self, h: int) -> list[int]:
        """Rows called ``h``, best prior first (the build stores them in that order)."""
        return self.rows_for_hash(h)[0].tolist()

    def _suffix_fallback(self, key: str) -> list[int]:
        # "Anbar province", "Baghdad governorate": drop a generic head word
        parts = key.split(" ")
        if len(parts) > 1 and parts[-1] in _GENERIC_HEADS:
            return self._ranked(key_hash(" ".join(parts[:-1])))
        if len(parts) > 1 and parts[0] in ("the", "al", "el"):
            return self._ranked(key_hash(" ".join(parts[1:])))
        return []

    def neighbours(self, country: str) -> tuple[str, ...]:
        """ISO codes of the countries whose outlines touch ``country``'s.

        Examples
        --------
        >>> Gazetteer.load().neighbours("IQ")
        ('IR', 'JO', 'KW', 'SA', 'SY', 'TR')
        """
        return tuple(self.meta["neighbours"].get(country, ()))

    def get(self, place_id: str) -> Place:
        """The place with id ``place_id``; ``KeyError`` if unknown."""
        if self._ids is None:
            ids = self._a["id"]
            self._ids = {self._str(int(ids[r])): r for r in range(len(self))}
        return self.place(self._ids[place_id])

    def parents(self, place: Place) -> list[Place]:
        """The places ``place`` lies in, nearest first (city → admin-1 → country)."""
        out, row, seen = [], place.row, set()
        while True:
            row = self.parent_row(row)
            if row < 0 or row in seen:
                return out
            seen.add(row)
            out.append(self.place(row))

    def _present_areas(self) -> np.ndarray:
        """Rows with a polygon that is a present-day area (not a historical entity)."""
        historical = np.array([f == "PCLH" for f in self._fcodes])
        return (np.asarray(self._a["geom_of"]) >= 0) & ~historical[np.asarray(self._a["fcode"])]

    def _strtree(self):
        if self._tree is None:
            # historical entities (the Soviet Union) are names to look up, not areas a
            # point lies in today
            rows = np.flatnonzero(self._present_areas())
            ptr = self._a["geom_ptr"]
            go = self._a["geom_of"]
            geoms = shapely.from_wkb([self._geoms[int(ptr[go[r]]):int(ptr[go[r] + 1])]
                                      for r in rows.tolist()])
            rank = np.array([_KIND_RANK[k] for k in self._kinds])[self.kind_codes[rows]]
            # a region inside one country (Sinai, Java, Donbas) ranks with the provinces
            national = np.array([c != "" for c in self._ccs])[np.asarray(self._a["cc"])[rows]]
            rank = np.where((rank == _KIND_RANK["region"]) & national, _KIND_RANK["admin1"],
                            rank)
            # most specific first: kind, then area (smaller first), then row
            order_key = np.lexsort((rows, shapely.area(geoms), rank))
            position = np.empty(len(rows), dtype=np.int64)
            position[order_key] = np.arange(len(rows))
            # the tree holds the polygons' parts, each with its own box: a point then tests
            # a few islands of Canada or of a continent, not all their vertices at once
            parts, owner = shapely.get_parts(geoms, return_index=True)
            shapely.prepare(parts)
            self._tree = (shapely.STRtree(parts), parts, rows, owner, position)
        return self._tree

    def reverse(self, lat: float, lon: float, *, kinds: tuple[str, ...] | None = None
                ) -> list[Place]:
        """Areal places containing the point, most specific first.

        Examples
        --------
        >>> [p.kind for p in Gazetteer.load().reverse(33.303, 44.385)]
        ['district', 'admin1', 'country', 'region', 'continent']
        """
        tree, parts, rows, owner, position = self._strtree()
        # the boxes first, then the point-in-polygon tests on the prepared parts
        # (the tree's own predicate would not use their indexes: 3-5x slower)
        boxed = tree.query(Point(lon, lat))
        hits = np.unique(owner[boxed[shapely.intersects_xy(parts[boxed], lon, lat)]])
        hits = hits[np.argsort(position[hits])]
        found = rows[hits].tolist()
        if kinds:
            found = [r for r in found if self.kind_of(r) in kinds]
        return [self.place(r) for r in found]

    def polygons(self, kind: str) -> list[Place]:
        """All present-day areal places of one kind (e.g. every country, for a basemap)."""
        code = self._kinds.index(kind)
        rows = np.flatnonzero((self.kind_codes == code) & self._present_areas())
        return [self.place(int(r)) for r in rows]

    def info(self) -> dict[str, Any]:
        """Counts by kind and source, build inputs and licences."""
        return {"path": str(self.path), "places": len(self), "names": self.meta["names"],
                "counts": self.meta["counts"], "inputs": self.meta["inputs"],
                "supplement": self.meta["supplement"]}


def _kind_prior_array(gaz: Gazetteer) -> np.ndarray:
    return np.array([_KIND_PRIOR[k] for k in gaz._kinds], dtype=np.float64)


def _fcode_bonus_array(gaz: Gazetteer) -> np.ndarray:
    bonus = {"PPLC": 1.2, "PPLA": 0.5, "PPLA2": 0.15, "PPLA3": 0.1, "PPLX": -0.3}
    return np.array([bonus.get(f, 0.0) for f in gaz._fcodes], dtype=np.float64)


class Priors:
    """Vectorised importance of places before any context (see :meth:`Gazetteer.prior`)."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        self.kind = _kind_prior_array(gaz)
        self.fbonus = _fcode_bonus_array(gaz)
        self.fcode = np.asarray(gaz._a["fcode"])
        #: indexed by feature code: True for the seats of a government (PPLC, PPLA)
        self.seat = np.array([f in ("PPLC", "PPLA") for f in gaz._fcodes])
        self.cc = np.asarray(gaz._a["cc"])
        self.parent = np.asarray(gaz._a["parent"], dtype=np.int64)
        # by row: the seat of a government with a parent division
        self.seat_row = self.seat[self.fcode] & (self.parent >= 0)
        # by name type (name, alternate, abbreviation, demonym, derived); the sources'
        # alternate names include old names of small places (GeoNames gives "Atlanta"
        # for Lyons, Kansas), so they count for less than our curated alternates
        self.penalty = np.array([0.0, 0.15, 0.1, 0.0, 0.4])
        self.source_alt_penalty = 1.0
        # ...and far less for a small place: GeoNames keeps old names of small towns
        # ("Maryville" for Beeville, Texas) while the exonyms of cities are the ones in use
        self.small_source_alt_penalty = 2.0
        self.sourced = np.asarray(gaz._a["source"]) != gaz._sources.index("curated")
        kind = gaz.kind_codes
        a1code = gaz._kinds.index("admin1")
        #: admin-1 ancestor of every row (itself for admin-1 rows), -1 if none
        self.admin1 = np.asarray(gaz._a["admin1_of"])
        # areal kinds whose alternate names are often loose (Natural Earth's name_alt
        # lists cities and old names; a county's bare name "DeKalb" is often a town's):
        # an alternate name counts for less
        self.loose = np.array([k in ("admin1", "region", "admin2") for k in gaz._kinds])
        self.areal = np.array([k in ("region", "sea", "continent", "admin1")
                               for k in gaz._kinds])
        # the part of the prior that depends on the place alone, for every row
        pop = gaz.population
        # seas, regions and continents have no population: they count as a large town.
        # An admin-1 unit's is the sum of its towns, so one without any (a parish of
        # the Seychelles, an atoll) is small: it does not outrank St. Louis, Missouri
        unpeopled = (pop == 0) & self.areal[kind]
        pop = np.where(unpeopled & (kind != a1code), 1_000_000, pop)
        pop = np.where(unpeopled & (kind == a1code), 1_000, pop)
        self.static = self.kind[kind] + np.log10(pop + 1.0) * 0.45 + self.fbonus[self.fcode]
        # a town known in many languages is a famous one: GeoNames gives a name for
        # each language that writes about it (Gaza 62 names, Paris 108; the median town
        # 2). Past FAME_NAMES names, each tenfold counts FAME_WEIGHT, so Gaza the city
        # comes before Mozambique's province of the same name and size
        n_names = np.diff(np.asarray(gaz._a["alt_ptr"]))
        self.fame = np.where(kind == gaz._kinds.index("city"),
                             FAME_WEIGHT * np.log10(np.maximum(n_names, FAME_NAMES) / FAME_NAMES),
                             0.0)
        self.small = pop < 100_000
        self.loose_row = self.loose[kind]
        self.a1code = a1code
        self.country_code = gaz._kinds.index("country")
        self.pointlike_codes = [gaz._kinds.index(k) for k in ("city", "district", "site",
                                                             "admin2")]
        #: indexed by kind code: True for the town-like kinds
        self.pointlike = np.isin(np.arange(len(gaz._kinds)), self.pointlike_codes)
        # the prior of every row under every name type (set here: later changes to the
        # weights above are not seen), looked up while parsing
        self._table = np.stack([self._base(np.arange(len(kind)), np.full(len(kind), t))
                                for t in range(len(self.penalty))])
        ptr = np.asarray(gaz._post_ptr)
        rows, types = np.asarray(gaz._post_row), np.asarray(gaz._post_type)
        kinds = kind[rows]
        #: the prior of every posting (a name's places, in stored order)
        self.posting = self.of_postings(ptr, rows, types, kinds)
        #: by name index: True for a country's own name, abbreviation or spelling (not
        #: a demonym or a derived form)
        self.country_name = np.zeros(len(ptr) - 1, dtype=bool)
        own = np.flatnonzero((kinds == self.country_code) & ((types == 0) | (types == 2)))
        self.country_name[np.searchsorted(ptr, own, side="right") - 1] = True

    def base(self, rows: np.ndarray, types: np.ndarray) -> np.ndarray:
        """The prior of each (row, name type) pair on its own."""
        return self._table[types, rows]

    def _base(self, rows: np.ndarray, types: np.ndarray) -> np.ndarray:
        loose = self.loose_row[rows] & ((types == 1) | (types == 4))
        p = self.static[rows] - self.penalty[types] - 1.2 * loose
        # fame goes with the town's own name (or abbreviation): an alternate name of a
        # famous city is often another place's ("Manhattan" for New York City)
        p = p + self.fame[rows] * ((types == 0) | (types == 2))
        source_alt = (types == 1) & self.sourced[rows]
        if source_alt.any():
            penalty = np.where(self.small[rows], self.small_source_alt_penalty,
                               self.source_alt_penalty)
            p -= (penalty - self.penalty[1]) * source_alt
        return p

    def of_postings(self, ptr: np.ndarray, rows: np.ndarray, types: np.ndarray,
                    kinds: np.ndarray | None = None) -> np.ndarray:
        """The prior of every posting: ``rows`` called by the names ``ptr`` delimits.

        The same as calling the prior on each name's places, for all names at once.
        """
        p = self._table[types, rows]
        # an admin-1 division named after its capital: the name means the city
        # ("Baghdad"), unless the city is not the seat ("New York")
        kinds = self.gaz.kind_codes[rows] if kinds is None else kinds
        a1 = np.flatnonzero(kinds == self.a1code)
        seat = np.flatnonzero(self.seat_row[rows])
        n = len(self.gaz)
        name_a1 = np.searchsorted(ptr, a1, side="right") - 1
        name_seat = np.searchsorted(ptr, seat, side="right") - 1
        seats_of = name_seat * n + self.parent[rows[seat]]
        p[a1[np.isin(name_a1 * n + rows[a1], seats_of)]] -= 1.0
        return p

    def __call__(self, rows: np.ndarray, types: np.ndarray) -> np.ndarray:
        """The prior of the places sharing one name (``rows``, by ``types``)."""
        rows, types = np.asarray(rows), np.asarray(types)
        return self.of_postings(np.array([0, len(rows)]), rows, types)


_GENERIC_HEADS = {"province", "governorate", "state", "region", "district", "county", "city",
                  "oblast", "prefecture", "department", "municipality", "area", "territory"}
_EMPTY = np.zeros(0, dtype=np.int32)
