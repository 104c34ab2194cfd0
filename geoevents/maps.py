"""Stage 7 — interactive HTML maps of events and place mentions (folium).

Modelled on :meth:`geopandas.GeoDataFrame.explore`: folium is imported lazily,
the functions take an optional ``folium.Map`` (``m=``) and return one so it can
be customised further, and the view is fitted to the data.

What a map holds:

* one ``FeatureGroup`` per category of ``color_by`` (the event type by
  default), each with a compact canvas layer of circle markers — 100,000 events
  stay a few MB and draw in about a second (one ``folium.Marker`` per event
  does not scale: folium issues #1399, #1814);
* an "Areas" layer with the polygons of areal locations (the Green Zone,
  eastern Syria, the Red Sea), one per distinct geometry;
* a legend, a layer control (added last), popups and tooltips with date, type,
  actors, fatalities, location and precision, and the evidence sentence with
  the place mention highlighted;
* a time slider when events carry two or more distinct dates.

Every string that came from an input is passed through :func:`html.escape`
before it reaches the page. ``offline=True`` inlines Leaflet (vendored in
``geoevents/_vendor``) and draws a vector basemap of the gazetteer's country
polygons instead of web tiles, so the page makes no network request at all.
Element ids are numbered, not random, so the same input gives the same HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["event_map", "mention_map", "save_map", "CATEGORY_COLORS", "PALETTE"]

#: Fixed colours of ACLED's event types (so every map uses the same ones).
CATEGORY_COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#1f77b4",
    "Riots": "#8c564b",
    "Strategic developments": "#2ca02c",
    "literal": "#1f77b4",
    "associative": "#ff7f0e",
    "metonymic": "#9467bd",
    "demonym": "#8c564b",
    "non_toponym": "#7f7f7f",
}

#: Colours for other categories, in order of frequency.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#ad494a", "#637939", "#8c6d31",
           "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354")

_OTHER = "Other"
_EPOCH = dt.date(1970, 1, 1).toordinal()
_TIME_PRECISION = {1: "day", 2: "week", 3: "month or wider"}
_GEO_PRECISION = {1: "town/site", 2: "near/district", 3: "region/province/country"}


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True) if value not in (None, "") else ""


@dataclass(slots=True)
class _Rec:
    lat: float
    lon: float
    category: str
    day: int | None
    fields: list[str]          # HTML, already escaped
    area: Any = None           # shapely polygon of an areal location
    area_label: str = ""       # escaped


# --------------------------------------------------------------------------- records

def _highlight(sentence: str, start: int | None, end: int | None, mention: str,
               limit: int = 600) -> str:
    """Escaped sentence with the mention wrapped in ``<mark>`` (if found)."""
    if not sentence:
        return ""
    a = b = None
    if start is not None and end is not None and 0 <= start < end <= len(sentence) and (
            not mention or sentence[start:end] == mention):
        a, b = start, end
    elif mention:
        i = sentence.find(mention)
        if i >= 0:
            a, b = i, i + len(mention)
    if a is None:
        s = sentence if len(sentence) <= limit else sentence[:limit] + "…"
        return html.escape(s)
    pre, mid, post = sentence[:a], sentence[a:b], sentence[b:]
    if len(pre) > limit // 2:
        pre = "…" + pre[-(limit // 2):]
    if len(post) > limit // 2:
        post = post[:limit // 2] + "…"
    return f"{html.escape(pre)}<mark>{html.escape(mid)}</mark>{html.escape(post)}"


def _event_point(e) -> tuple[float, float] | None:
    lat, lon = e.latitude, e.longitude
    if lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon):
        return float(lat), float(lon)
    g = e.geometry
    if g is None or g.is_empty:
        return None
    p = g if g.geom_type == "Point" else g.representative_point()
    return p.y, p.x


def _event_fields(e) -> list[str]:
    title = _esc(e.event_type) or "Event"
    if e.sub_event_type:
        title += " — " + _esc(e.sub_event_type)
    date = ""
    if e.event_date is not None:
        date = e.event_date.isoformat()
        if e.event_date_end is not None and e.event_date_end != e.event_date:
            date += " to " + e.event_date_end.isoformat()
        if e.event_time:
            date += " " + _esc(e.event_time)
        if e.time_precision in _TIME_PRECISION:
            date += f" (precision: {_TIME_PRECISION[e.time_precision]})"
    actors = " vs ".join(_esc(a) for a in (e.actor1, e.actor2) if a)
    fatalities = "unknown" if e.fatalities is None else str(int(e.fatalities))
    where = []
    for part in (e.location, e.admin2, e.admin1, e.country):
        if part and part not in where:
            where.append(part)
    location = _esc(", ".join(where))
    prec = []
    if e.precision:
        prec.append(_esc(e.precision))
    if e.geo_precision in _GEO_PRECISION:
        prec.append(f"geo_precision {int(e.geo_precision)} ({_GEO_PRECISION[e.geo_precision]})")
    ss = e.sentence_start
    ms = e.mention_start - ss if (e.mention_start is not None and ss is not None) else None
    me = e.mention_end - ss if (e.mention_end is not None and ss is not None) else None
    evidence = _highlight(e.sentence, ms, me, e.mention) if e.sentence else _highlight(
        e.notes, None, None, e.mention or e.location)
    source = _esc(e.source)
    url = e.source_url or ""
    if url.startswith(("https://", "http://")):
        source = (f'<a href="{_esc(url)}" target="_blank" rel="noopener noreferrer">'
                  f"{source or _esc(url)}</a>")
    return [title, date, actors, fatalities, location, "; ".join(prec), evidence, source]


_EVENT_LABELS = ["", "Date", "Actors", "Fatalities", "Location", "Precision", "Evidence", "Source"]
_EVENT_TIP = [1, 0, 4]


def _category(obj, attr: str) -> str:
    v = getattr(obj, attr, None)
    if v is None or v == "":
        return "Unspecified"
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _event_records(events: Iterable[Any], color_by: str) -> tuple[list[_Rec], int]:
    recs, skipped = [], 0
    for e in events:
        pt = _event_point(e)
        if pt is None or not (-90 <= pt[0] <= 90):
            skipped += 1
            continue
        lat, lon = pt
        lon = (lon + 180.0) % 360.0 - 180.0 if not -180 <= lon <= 180 else lon
        day = e.event_date.toordinal() - _EPOCH if e.event_date is not None else None
        g = e.geometry
        area = g if g is not None and g.geom_type in ("Polygon", "MultiPolygon") else None
        label = _esc(e.location or e.place_id or "area")
        recs.append(_Rec(lat, lon, _category(e, color_by), day, _event_fields(e), area, label))
    return recs, skipped


def _mention_fields(mn, text: str | None) -> list[str]:
    p = mn.place
    place = ""
    if p is not None:
        where = ", ".join(x for x in (p.admin1 if p.kind != "admin1" else "", p.country) if x)
        place = f"{_esc(p.name)} ({_esc(p.kind)}{', ' + _esc(where) if where else ''})"
    evidence = ""
    if text:
        a = max(0, mn.start - 120)
        b = min(len(text), mn.end + 120)
        evidence = _highlight(text[a:b], mn.start - a, mn.end - a, mn.text)
    prec = _esc(mn.precision)
    if mn.modifier:
        prec += f" (modifier: {_esc(mn.modifier)})"
    return [_esc(mn.text), place, _esc(mn.role), prec, f"{mn.score:.2f}",
            _esc(p.id) if p is not None else "", evidence]


_MENTION_LABELS = ["", "Place", "Role", "Precision", "Score", "Gazetteer id", "Context"]
_MENTION_TIP = [0, 1, 2]


def _mention_records(mentions: Iterable[Any], color_by: str, text: str | None
                     ) -> tuple[list[_Rec], int]:
    recs, skipped = [], 0
    for mn in mentions:
        pt = mn.point
        if pt is None:
            skipped += 1
            continue
        g = mn.geometry
        area = g if g is not None and g.geom_type in ("Polygon", "MultiPolygon") else None
        recs.append(_Rec(pt.y, pt.x, _category(mn, color_by), None, _mention_fields(mn, text),
                         area, _esc(mn.text)))
    return recs, skipped


# --------------------------------------------------------------------------- building

def _colors(categories: Sequence[str]) -> dict[str, str]:
    used, out, free = set(), {}, iter(PALETTE * 3)
    for c in categories:
        if c in CATEGORY_COLORS and CATEGORY_COLORS[c] not in used:
            out[c] = CATEGORY_COLORS[c]
            used.add(out[c])
    for c in categories:
        if c in out:
            continue
        if c == _OTHER:
            out[c] = "#9e9e9e"
            continue
        col = next(free)
        while col in used and len(used) < len(PALETTE):
            col = next(free)
        out[c] = col
        used.add(col)
    return out


def _simplify_for_display(g):
    import shapely

    xmin, ymin, xmax, ymax = g.bounds
    tol = max(xmax - xmin, ymax - ymin) / 3000.0
    if tol > 0:
        g = shapely.simplify(g, tol, preserve_topology=True)
    return g


@lru_cache(maxsize=4)
def _basemap_json(tolerance: float = 0.05, min_area: float = 0.03) -> str:
    """Simplified country polygons of the gazetteer as compact GeoJSON (cached)."""
    import numpy as np
    import shapely

    from ._folium import js_json
    from .gazetteer import Gazetteer
    from .outputs import normalize_geometry

    features = []
    for p in sorted(Gazetteer.load().polygons("country"), key=lambda p: p.id):
        parts = list(getattr(p.geometry, "geoms", [p.geometry]))
        areas = np.array([q.area for q in parts])
        keep = [q for q, a in zip(parts, areas, strict=True) if a >= min_area or a == areas.max()]
        g = shapely.MultiPolygon(keep) if len(keep) > 1 else keep[0]
        g = shapely.simplify(g, tolerance, preserve_topology=True)
        geom = normalize_geometry(g, precision=2)
        if geom is None or "Polygon" not in geom["type"]:
            continue  # a territory smaller than the basemap grid
        features.append({"type": "Feature", "properties": {}, "geometry": geom})
    return js_json({"type": "FeatureCollection", "features": features})


def _categories(recs: list[_Rec], max_categories: int) -> tuple[list[str], dict[str, int]]:
    counts = Counter(r.category for r in recs)
    order = sorted(counts, key=lambda c: (-counts[c], c))
    if len(order) > max_categories:
        keep = set(order[:max_categories - 1])
        for r in recs:
            if r.category not in keep:
                r.category = _OTHER
        counts = Counter(r.category for r in recs)
        order = sorted(counts, key=lambda c: (c == _OTHER, -counts[c], c))
    return order, dict(counts)


def _build(recs: list[_Rec], skipped: int, *, m, offline: bool, title: str | None,
           color_by: str, labels: list[str], tip: list[int], noun: str,
           tiles: Any = "OpenStreetMap", radius: float = 5.0, time_slider: bool | None = None,
           legend: bool = True, max_categories: int = 20, **map_kwds):
    import folium
    import shapely

    from . import _folium as F
    from .outputs import normalize_geometry

    escaped_title = _esc(title) if title else None
    if m is None:
        kw = {"tiles": None if offline else tiles, "prefer_canvas": True, "control_scale": True,
              "zoom_start": 2, "location": [20, 0]}
        kw.update(map_kwds)
        m = folium.Map(**kw)
    elif offline and any(isinstance(c, folium.raster_layers.TileLayer)
                         for c in m._children.values()):
        raise ValueError("offline=True: the map has web tile layers, which need the network; "
                         "create it with folium.Map(tiles=None)")
    F.adopt(m, offline, escaped_title)
    for key, child in list(m._children.items()):  # the layer control goes last again
        if isinstance(child, folium.LayerControl):
            m._children.pop(key)

    if offline:
        F.Basemap(_basemap_json(), "Basemap: Natural Earth (public domain) via the geoevents "
                  "gazetteer").add_to(m)

    order, counts = _categories(recs, max_categories)
    colors = _colors(order)

    # string table shared by all layers (index 0 is the empty string)
    table: dict[str, int] = {"": 0}

    def sid(s: str) -> int:
        i = table.get(s)
        if i is None:
            i = table[s] = len(table)
        return i

    by_cat: dict[str, list[int]] = {c: [] for c in order}
    for i, r in enumerate(recs):
        by_cat[r.category].append(i)

    # areas: one polygon per distinct geometry, coloured by its most frequent category
    areas: dict[bytes, dict[str, Any]] = {}
    for r in recs:
        if r.area is None:
            continue
        key = shapely.to_wkb(r.area)
        a = areas.get(key)
        if a is None:
            a = areas[key] = {"geom": r.area, "label": r.area_label, "cats": Counter()}
        a["cats"][r.category] += 1

    runtime_fields = []  # filled below, Runtime needs the final table
    layers = []
    days_all: set[int] = set()
    for c in order:
        idx = by_cat[c]
        idx.sort(key=lambda i: (recs[i].day is not None, recs[i].day or 0, i))
        ll, d, f = [], [], []
        undated = 0
        for i in idx:
            r = recs[i]
            ll.append(round(r.lat, 5))
            ll.append(round(r.lon, 5))
            if r.day is None:
                undated += 1
            else:
                d.append(r.day)
                days_all.add(r.day)
            f.extend(sid(s) for s in r.fields)
        layers.append((c, {"ll": ll, "u": undated, "d": d, "k": len(labels), "f": f}))
    runtime_fields.extend(table)  # insertion order == index order

    runtime = F.Runtime(runtime_fields, [_esc(x) for x in labels], tip)
    runtime.add_to(m)

    if areas:
        feats = []
        for a in areas.values():
            cats = a["cats"]
            top = sorted(cats, key=lambda k: (-cats[k], k))[0]
            n = sum(cats.values())
            summary = ", ".join(f"{_esc(k)}: {cats[k]}" for k in sorted(cats, key=lambda k:
                                                                     (-cats[k], k)))
            tipt = f"<b>{a['label']}</b> &middot; {n} {noun}{'s' if n != 1 else ''}"
            area_geom = normalize_geometry(_simplify_for_display(a["geom"]), 5)
            if area_geom is None or "Polygon" not in area_geom["type"]:
                continue  # smaller than the display grid: the event point shows it
            feats.append({"type": "Feature",
                          "geometry": area_geom,
                          "properties": {
                              "tip": tipt,
                              "popup": f'<div class="ge-popup">{tipt}<br>{summary}</div>',
                              "style": {"color": colors[top], "weight": 1.5, "opacity": 0.9,
                                        "fillColor": colors[top], "fillOpacity": 0.18}}})
        group = folium.FeatureGroup(name="Areas", overlay=True, control=True)
        group.add_to(m)
        F.AreaLayer(runtime, {"type": "FeatureCollection", "features": feats}).add_to(group)

    for c, data in layers:
        col = colors[c]
        name = (f'<span style="color:{col}">&#9679;</span> {_esc(c)} '
                f'<span class="ge-count">({counts[c]:,})</span>')
        group = folium.FeatureGroup(name=name, overlay=True, control=True)
        group.add_to(m)
        F.PointLayer(runtime, data, col, _esc(c), radius=radius).add_to(group)

    if legend and order:
        heading = _esc(color_by.replace("_", " ").capitalize())
        rows = "".join(f'<div><span class="ge-sw" style="background:{colors[c]}"></span>'
                       f'{_esc(c)}<span class="ge-count">{counts[c]:,}</span></div>'
                       for c in order)
        note = (f'<div class="ge-count">{skipped:,} {noun}{"s" if skipped != 1 else ""} '
                f"without a location not shown</div>") if skipped else ""
        F.Legend(f'<div class="ge-legend-title">{heading}</div>{rows}{note}').add_to(m)

    if escaped_title:
        F.Title(escaped_title).add_to(m)

    if time_slider is None:
        time_slider = len(days_all) >= 2
    if time_slider and days_all:
        F.TimeSlider(runtime, sorted(days_all)).add_to(m)

    fit = None
    bounds = _bounds(recs, areas)
    if bounds is not None:
        (s, w), (n, e) = bounds
        if (n - s) < 1e-6 and (e - w) < 1e-6:
            s, w, n, e = s - 0.05, w - 0.05, n + 0.05, e + 0.05
        fit = [[round(s, 5), round(w, 5)], [round(n, 5), round(e, 5)]]

    folium.LayerControl(collapsed=False).add_to(m)
    F.Ready(runtime, fit).add_to(m)
    return m


def _bounds(recs: list[_Rec], areas: dict
            ) -> tuple[tuple[float, float], tuple[float, float]] | None:
    if not recs:
        return None
    lats = [r.lat for r in recs]
    lons = [r.lon for r in recs]
    s, n, w, e = min(lats), max(lats), min(lons), max(lons)
    for a in areas.values():
        x0, y0, x1, y1 = a["geom"].bounds
        if x1 - x0 < 180:  # skip bounds of geometries spanning the antimeridian
            s, w, n, e = min(s, y0), min(w, x0), max(n, y1), max(e, x1)
    return (max(s, -85.0), max(w, -180.0)), (min(n, 85.0), min(e, 180.0))


def event_map(events: Iterable[Any], m=None, *, offline: bool = False, title: str | None = None,
              color_by: str = "event_type", **kw):
    """Draw events on an interactive folium map.

    Parameters
    ----------
    events : iterable of Event
        Events with a location (``latitude``/``longitude`` or ``geometry``);
        others are counted in the legend and not drawn.
    m : folium.Map, optional
        A map to draw on (as in ``GeoDataFrame.explore``); a new one otherwise.
    offline : bool, default False
        Inline every script and stylesheet and draw a vector basemap of
        gazetteer country polygons instead of web tiles: the page makes no
        network request. A given ``m`` must have no tile layers.
    title : str, optional
        Shown over the map and as the page title (escaped).
    color_by : str, default "event_type"
        Event field that colours the points and makes the layers (one
        ``FeatureGroup`` per value; ACLED types have fixed colours).
    **kw
        ``tiles`` (default ``"OpenStreetMap"``, ignored offline), ``radius``
        (marker radius in px, 5), ``time_slider`` (None: when there are two or
        more dates), ``legend`` (True), ``max_categories`` (20; the rest become
        "Other"); anything else goes to :class:`folium.Map`.

    Returns
    -------
    folium.Map
        Save it with :func:`save_map` (atomic) or ``m.save(path)``.

    Examples
    --------
    >>> from geoevents.events import Event
    >>> m = event_map([Event("e1", event_type="Protests", latitude=33.3, longitude=44.4)])
    >>> type(m).__name__
    'Map'
    """
    recs, skipped = _event_records(events, color_by)
    return _build(recs, skipped, m=m, offline=offline, title=title, color_by=color_by,
                  labels=_EVENT_LABELS, tip=_EVENT_TIP, noun="event", **kw)


def mention_map(mentions: Iterable[Any], m=None, *, offline: bool = False,
                title: str | None = None, color_by: str = "role", text: str | None = None,
                literal_only: bool = False, **kw):
    """Draw place mentions (the geoparser's output) on an interactive folium map.

    Parameters
    ----------
    mentions : iterable of Mention
        Mentions with a geometry; unresolved ones are counted, not drawn.
    m, offline, title, **kw
        As for :func:`event_map`.
    color_by : str, default "role"
        Mention attribute that colours points and makes the layers
        (``"role"``, ``"precision"``...).
    text : str, optional
        The text the mentions came from: popups then show the mention in context.
    literal_only : bool, default False
        Draw only literal mentions (places where something is or happens).

    Returns
    -------
    folium.Map
    """
    if literal_only:
        mentions = [mn for mn in mentions if mn.role == "literal"]
    recs, skipped = _mention_records(mentions, color_by, text)
    return _build(recs, skipped, m=m, offline=offline, title=title, color_by=color_by,
                  labels=_MENTION_LABELS, tip=_MENTION_TIP, noun="mention", **kw)


def save_map(m, path: str | os.PathLike) -> None:
    """Write a map's HTML atomically (temporary file, then rename; ``"-"``: stdout)."""
    from ._io import atomic_output

    page = m.get_root().render()
    with atomic_output(path) as fh:
        fh.write(page)
