r"""folium/branca elements behind :mod:`geoevents.maps` (imported lazily: it imports folium).

* :class:`MapFigure` — the page: deterministic element ids, idempotent
  rendering, and (``offline=True``) every script and stylesheet inlined from
  ``geoevents/_vendor``.
* :class:`Runtime` — one small script per map: the shared canvas renderer, the
  string table (HTML-escaped in Python), popup/tooltip builders and the
  ``window.geoevents`` registry that tests and users can inspect.
* :class:`PointLayer` — the compact canvas layer: columnar coordinates and
  string-table indices, drawn as ``L.circleMarker`` on one canvas. 100,000
  events stay a few MB and render in about a second.
* :class:`AreaLayer`, :class:`Basemap`, :class:`Legend`, :class:`TimeSlider`,
  :class:`Title`.

Nothing that came from an input reaches the page unescaped: strings are
``html.escape``-d before they enter the string table, and every JSON blob is
embedded with ``<``, ``>``, ``&`` and ``'`` written as ``\\uXXXX`` escapes so it
cannot close the ``<script>`` element.
"""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from jinja2 import Template

__all__ = ["MapFigure", "Runtime", "PointLayer", "AreaLayer", "Basemap", "Legend",
           "TimeSlider", "Title", "js_json", "adopt"]

VENDOR = Path(__file__).parent / "_vendor"

_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
               "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JS_ESCAPE_RE = re.compile("[<>&'\u2028\u2029]")


def js_json(obj: Any) -> str:
    """JSON safe to place inside a ``<script>`` element (no ``</script>`` breakout)."""
    s = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return _JS_ESCAPE_RE.sub(lambda m: _JS_ESCAPES[m.group()], s)


# --------------------------------------------------------------------------- vendored assets

@cache
def _leaflet_js() -> str:
    js = (VENDOR / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
    return re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", js)


@cache
def _leaflet_css() -> str:
    css = (VENDOR / "leaflet" / "leaflet.css").read_text(encoding="utf-8")

    def inline(m: re.Match) -> str:
        data = (VENDOR / "leaflet" / "images" / m.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    return css.replace("behavior: url(#default#VML);", "")


def _inline_asset(url: str) -> str | None:
    """Inline replacement for a folium CDN link, ``""`` to drop it, None if unknown."""
    name = url.rsplit("/", 1)[-1].split("?")[0]
    if name == "leaflet.js":
        return f"<script>{_leaflet_js()}</script>"
    if name == "leaflet.css":
        return f"<style>{_leaflet_css()}</style>"
    # folium.Map's other defaults serve Marker icons and Bootstrap popups; the
    # layers geoevents draws do not need them.
    if name in ("jquery-3.7.1.min.js", "bootstrap.bundle.min.js", "leaflet.awesome-markers.js",
                "bootstrap.min.css", "bootstrap-glyphicons.css", "all.min.css",
                "leaflet.awesome-markers.css", "leaflet.awesome.rotate.min.css"):
        return ""
    return None


# --------------------------------------------------------------------------- the page

class MapFigure(Figure):
    """A branca Figure with stable element ids, idempotent render and an offline mode.

    folium names every element with a random id; here each element gets the
    next number of a per-figure counter the first time the page is rendered, so
    the same map built the same way renders to the same bytes. Rendering twice
    gives the same page (folium appends duplicate scripts on re-render).
    """

    def __init__(self, offline: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.offline = offline
        self._ge_next = 0
        self._ge_base = None

    def _number(self, el: Element) -> None:
        if not getattr(el, "_ge_numbered", False):
            self._ge_next += 1
            el._id = f"{self._ge_next:04d}"
            el._ge_numbered = True
        for child in list(el._children.values()):
            self._number(child)

    def render(self, **kwargs) -> str:
        """Render the page (numbering ids first, inlining assets when offline)."""
        parts = (self.header, self.html, self.script)
        if self._ge_base is None:
            self._ge_base = [list(p._children.items()) for p in parts]
        for p, base in zip(parts, self._ge_base, strict=True):
            p._children.clear()
            p._children.update(base)
        self._number(self)
        for child in list(self._children.values()):
            child.render(**kwargs)
        if self.offline:
            self._inline()
        return self._template.render(this=self, kwargs=kwargs)

    def _inline(self) -> None:
        new = {}
        for key, el in self.header._children.items():
            if isinstance(el, (JavascriptLink, CssLink)):
                html = _inline_asset(el.url)
                if html is None:
                    raise ValueError(f"offline map: {el.url} is not vendored in geoevents/_vendor;"
                                     " remove the element that needs it or use offline=False")
                if html:
                    new[key] = Element(html)
                continue
            new[key] = el
        self.header._children.clear()
        self.header._children.update(new)


def adopt(m: folium.Map, offline: bool, title: str | None) -> MapFigure:
    """Move ``m`` into a :class:`MapFigure` (keeping its size) and return the figure."""
    root = m.get_root()
    if isinstance(root, MapFigure):
        root.offline = root.offline or offline
        if title is not None:
            root.title = title
        return root
    if root is not m and (not isinstance(root, Figure) or len(root._children) > 1):
        raise ValueError("event_map: m must be a folium.Map of its own (not inside another "
                         "figure) to be made deterministic/offline")
    fig = MapFigure(offline=offline, title=title if title is not None
                    else getattr(root, "title", None))
    if isinstance(root, Figure):
        fig.width, fig.height, fig.ratio = root.width, root.height, root.ratio
        for key, el in root.header._children.items():
            if key != "meta_http":
                fig.header._children[key] = el
    if m._parent is not None and m.get_name() in m._parent._children:
        m._parent._children.pop(m.get_name())
    fig.add_child(m)
    return fig


# --------------------------------------------------------------------------- elements

_RUNTIME_CSS = """
<style>
.ge-popup{font:13px/1.35 system-ui,sans-serif;max-width:360px}
.ge-popup .ge-title{font-weight:600;margin-bottom:3px}
.ge-popup .ge-label{color:#555;font-weight:600;margin-right:4px}
.ge-popup mark{background:#ffe066;padding:0 1px}
.ge-popup .ge-row{margin:1px 0}
.ge-legend,.ge-time,.ge-note{background:rgba(255,255,255,.92);padding:6px 8px;
 border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.4 system-ui,sans-serif}
.ge-legend .ge-sw{display:inline-block;width:11px;height:11px;border-radius:6px;
 margin-right:5px;vertical-align:-1px;border:1px solid rgba(0,0,0,.35)}
.ge-legend .ge-count{color:#666;margin-left:4px}
.ge-legend-title{font-weight:600;margin-bottom:2px}
.ge-time input{width:220px;vertical-align:middle}
.ge-time button{font:12px system-ui,sans-serif;width:26px;margin-right:4px}
.ge-time-label{display:inline-block;min-width:140px;margin-left:6px}
.ge-titlebar{position:absolute;top:10px;left:56px;z-index:1000;
 background:rgba(255,255,255,.92);padding:4px 12px;border-radius:4px;
 font:600 15px/1.4 system-ui,sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);
 max-width:calc(100% - 420px);pointer-events:none}
</style>
"""


class Runtime(MacroElement):
    """Shared per-map script: renderer, string table, popup builder, registry."""

    _template = Template("""
{% macro header(this, kwargs) %}""" + _RUNTIME_CSS + """{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function (map) {
    var G = {map: map, renderer: L.canvas({padding: 0.5, tolerance: 3}), layers: [],
             S: {{ this.strings }}, L: {{ this.labels }}, tip: {{ this.tip }},
             total: 0, areas: 0};
    G.popup = function (D, i) {
        var b = D.k * i, h = '<div class="ge-popup">';
        for (var j = 0; j < D.k; j++) {
            var s = G.S[D.f[b + j]];
            if (!s) continue;
            if (j === 0) { h += '<div class="ge-title">' + s + '</div>'; continue; }
            h += '<div class="ge-row"><span class="ge-label">' + G.L[j] + '</span>' + s + '</div>';
        }
        return h + '<div class="ge-row ge-coords">' + (+D.ll[2 * i]).toFixed(4) + ', ' +
            (+D.ll[2 * i + 1]).toFixed(4) + '</div></div>';
    };
    G.tooltip = function (D, i) {
        var b = D.k * i, out = [];
        for (var t = 0; t < G.tip.length; t++) {
            var s = G.S[D.f[b + G.tip[t]]];
            if (s) out.push(s);
        }
        return out.join(' &middot; ');
    };
    G.visible = function () {
        var n = 0;
        G.layers.forEach(function (l) { if (map.hasLayer(l.group)) n += l.shown; });
        return n;
    };
    G.ready = function () {
        window.geoeventsReady = (window.geoeventsReady || 0) + 1;
        document.documentElement.setAttribute('data-geoevents-ready', '1');
    };
    window.geoevents = window.geoevents || {};
    window.geoevents[{{ this._parent.get_name()|tojson }}] = G;
    return G;
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, strings: list[str], labels: list[str], tip: list[int]):
        super().__init__()
        self._name = "GeoeventsRuntime"
        self.strings = js_json(strings)
        self.labels = js_json(labels)
        self.tip = js_json(tip)


class PointLayer(MacroElement):
    """Canvas circle markers for many points inside one FeatureGroup (the compact layer).

    ``data`` holds ``ll`` (flat lat, lon pairs), ``u`` (number of undated records,
    which come first), ``d`` (day numbers of the dated records, ascending),
    ``k`` fields per record and ``f`` (string-table indices, ``k`` per record).
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function (G, group) {
    var D = {{ this.data }}, n = D.ll.length / 2, ms = new Array(n);
    var opt = {renderer: G.renderer, radius: {{ this.radius }}, color: {{ this.stroke|tojson }},
               weight: 1, opacity: 0.9, fillColor: {{ this.color|tojson }}, fillOpacity: 0.8};
    for (var i = 0; i < n; i++) {
        var m = L.circleMarker([D.ll[2 * i], D.ll[2 * i + 1]], opt);
        m._gi = i;
        ms[i] = m;
        group.addLayer(m);
    }
    var rec = {group: group, markers: ms, data: D, shown: n, label: {{ this.label|tojson }}};
    G.layers.push(rec);
    G.total += n;
    group.bindPopup(function (layer) { return G.popup(D, layer._gi); }, {maxWidth: 380});
    group.bindTooltip(function (layer) { return G.tooltip(D, layer._gi); }, {sticky: true});
})({{ this.runtime.get_name() }}, {{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, runtime: Runtime, data: dict[str, Any], color: str, label: str,
                 radius: float = 5.0, stroke: str = "#333333"):
        super().__init__()
        self._name = "GeoeventsPoints"
        self.runtime = runtime
        self.data = js_json(data)
        self.color = color
        self.stroke = stroke
        self.radius = float(radius)
        self.label = label


class AreaLayer(MacroElement):
    """Polygons of areal locations (one per distinct geometry) on the shared canvas."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (G, group) {
    var gj = L.geoJSON({{ this.data }}, {
        renderer: G.renderer,
        style: function (f) { return f.properties.style; },
        onEachFeature: function (f, layer) {
            layer.bindTooltip(f.properties.tip, {sticky: true});
            layer.bindPopup(f.properties.popup, {maxWidth: 380});
        }
    });
    gj.addTo(group);
    G.areas += gj.getLayers().length;
    G.areaLayer = gj;
})({{ this.runtime.get_name() }}, {{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, runtime: Runtime, collection: dict[str, Any]):
        super().__init__()
        self._name = "GeoeventsAreas"
        self.runtime = runtime
        self.data = js_json(collection)


class Basemap(MacroElement):
    """Offline vector basemap: country polygons from the gazetteer, under everything."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
    var pane = map.createPane('geoeventsBasemap');
    pane.style.zIndex = 150;
    pane.style.pointerEvents = 'none';
    map.getContainer().style.background = '#cad9e5';
    L.geoJSON({{ this.data }}, {
        pane: 'geoeventsBasemap', interactive: false, renderer: L.svg({pane: 'geoeventsBasemap'}),
        style: {color: '#ffffff', weight: 0.8, fillColor: '#eeece6', fillOpacity: 1}
    }).addTo(map);
    map.attributionControl.addAttribution({{ this.attribution|tojson }});
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, collection_json: str, attribution: str):
        super().__init__()
        self._name = "GeoeventsBasemap"
        self.data = collection_json
        self.attribution = attribution


class Legend(MacroElement):
    """Legend control; ``html`` is built from escaped labels and fixed colours."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
    var c = L.control({position: 'bottomright'});
    c.onAdd = function () {
        var div = L.DomUtil.create('div', 'ge-legend');
        div.innerHTML = {{ this.html }};
        L.DomEvent.disableClickPropagation(div);
        return div;
    };
    c.addTo(map);
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, html_fragment: str):
        super().__init__()
        self._name = "GeoeventsLegend"
        self.html = js_json(html_fragment)


class Title(MacroElement):
    """A title bar over the map (escaped text)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
    var div = L.DomUtil.create('div', 'ge-titlebar', map.getContainer());
    div.innerHTML = {{ this.html }};
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, escaped_title: str):
        super().__init__()
        self._name = "GeoeventsTitle"
        self.html = js_json(escaped_title)


class TimeSlider(MacroElement):
    """A slider over the event dates: shows events dated on or before the chosen day.

    Each point layer's records are sorted (undated first, then by day), so the
    visible set is always a prefix; moving the slider adds or removes only the
    markers between the old and the new prefix end.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function (G, map) {
    var days = {{ this.days }};
    function iso(d) { return new Date(d * 864e5).toISOString().slice(0, 10); }
    function upper(a, x) { var lo = 0, hi = a.length;
        while (lo < hi) { var mid = (lo + hi) >> 1; if (a[mid] <= x) lo = mid + 1; else hi = mid; }
        return lo; }
    function show(k) {
        var day = days[k];
        G.layers.forEach(function (l) {
            var want = l.data.u + upper(l.data.d, day), have = l.shown, i;
            if (want > have) { for (i = have; i < want; i++) l.group.addLayer(l.markers[i]); }
            else { for (i = want; i < have; i++) l.group.removeLayer(l.markers[i]); }
            l.shown = want;
        });
        label.textContent = (k === days.length - 1 ? 'all, up to ' : 'up to ') + iso(day);
        G.until = iso(day);
    }
    var c = L.control({position: 'bottomleft'}), input, label, button, timer = null;
    c.onAdd = function () {
        var div = L.DomUtil.create('div', 'ge-time');
        button = L.DomUtil.create('button', '', div);
        button.type = 'button'; button.textContent = '\\u25B6'; button.title = 'Play';
        input = L.DomUtil.create('input', '', div);
        input.type = 'range'; input.min = 0; input.max = days.length - 1; input.step = 1;
        input.value = days.length - 1; input.setAttribute('aria-label', 'Show events up to date');
        label = L.DomUtil.create('span', 'ge-time-label', div);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        input.addEventListener('input', function () { show(+input.value); });
        button.addEventListener('click', function () {
            if (timer) {
                clearInterval(timer); timer = null; button.textContent = '\\u25B6'; return;
            }
            if (+input.value >= days.length - 1) input.value = 0;
            button.textContent = '\\u275A\\u275A';
            show(+input.value);
            timer = setInterval(function () {
                if (+input.value >= days.length - 1) { clearInterval(timer); timer = null;
                    button.textContent = '\\u25B6'; return; }
                input.value = +input.value + 1; show(+input.value);
            }, {{ this.interval }});
        });
        return div;
    };
    c.addTo(map);
    G.slider = {input: input, show: function (k) { input.value = k; show(k); }, days: days};
    show(days.length - 1);
})({{ this.runtime.get_name() }}, {{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, runtime: Runtime, days: list[int], interval_ms: int = 400):
        super().__init__()
        self._name = "GeoeventsTimeSlider"
        self.runtime = runtime
        self.days = js_json(days)
        self.interval = int(interval_ms)


class Ready(MacroElement):
    """Fits the view (no animation) and marks the page ready (``window.geoeventsReady``)."""

    _template = Template("""
{% macro script(this, kwargs) %}
{%- if this.bounds %}
{{ this._parent.get_name() }}.fitBounds({{ this.bounds }},
    {padding: [30, 30], maxZoom: 12, animate: false});
{%- endif %}
{{ this.runtime.get_name() }}.ready();
{% endmacro %}
""")

    def __init__(self, runtime: Runtime, bounds: list[list[float]] | None = None):
        super().__init__()
        self._name = "GeoeventsReady"
        self.runtime = runtime
        self.bounds = js_json(bounds) if bounds else None
