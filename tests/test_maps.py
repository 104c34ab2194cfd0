"""HTML maps: structure, escaping, determinism, offline mode — and in a real browser."""

import datetime as dt
import re

import folium
import pytest
from shapely.geometry import Point, Polygon

from geoevents.events import Event
from geoevents.maps import event_map, mention_map, save_map

GREEN_ZONE = Polygon([(44.37, 33.29), (44.40, 33.29), (44.40, 33.31), (44.37, 33.31)])
XSS = "<img src=x onerror=window.__xss=1>"
SCRIPT = "<script>window.__xss=2</script>"


def _events():
    return [
        Event("e1", event_date=dt.date(2023, 12, 8), time_precision=1,
              event_type="Explosions/Remote violence",
              sub_event_type="Shelling/artillery/missile attack",
              actor1="Unidentified Armed Group", location="Green Zone", admin1="Baghdad",
              country="Iraq", latitude=33.3005, longitude=44.38577, geometry=GREEN_ZONE,
              precision="district", geo_precision=1, fatalities=None,
              sentence=f"Rockets hit the Green Zone {SCRIPT} on Friday.", sentence_start=100,
              mention="Green Zone", mention_start=116, mention_end=126, source="Example Wire"),
        Event("e2", event_date=dt.date(2023, 12, 2), event_type="Explosions/Remote violence",
              location="Green Zone", latitude=33.3005, longitude=44.38577, geometry=GREEN_ZONE,
              notes="A second attack on the same compound."),
        Event("e3", event_date=dt.date(2023, 11, 20), event_type="Protests", actor1=XSS,
              location=f"Tahrir {XSS}", latitude=33.3334, longitude=44.4262, fatalities=0,
              notes=XSS, source="Wire", source_url="javascript:window.__xss=3"),
        Event("e4", event_type=f"Riots {SCRIPT}", latitude=33.35, longitude=44.41),  # undated
        Event("e5", event_type="Battles"),  # no location: not drawn, counted in the legend
    ]


def _html(m):
    return m.get_root().render()


def test_returns_folium_map_with_layers_legend_and_control_last():
    m = event_map(_events())
    assert isinstance(m, folium.Map)
    children = list(m._children.values())
    groups = [c for c in children if isinstance(c, folium.FeatureGroup)]
    names = [g.layer_name for g in groups]
    assert names[0] == "Areas" and len(groups) == 4  # Areas + 3 located event types
    assert any("Explosions/Remote violence" in n and "(2)" in n for n in names)
    control = [i for i, c in enumerate(children) if isinstance(c, folium.LayerControl)]
    assert control and control[0] > max(children.index(g) for g in groups)
    html = _html(m)
    assert "1 event without a location not shown" in html


def test_same_input_same_bytes(tmp_path):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    save_map(event_map(_events(), title="T"), a)
    save_map(event_map(_events(), title="T"), b)
    assert a.read_bytes() == b.read_bytes()
    m = event_map(_events())
    assert _html(m) == _html(m)  # rendering twice does not duplicate scripts
    assert not re.search(r"[0-9a-f]{32}", a.read_text())  # no random folium ids


def test_input_text_is_escaped_everywhere():
    html = _html(event_map(_events(), title=f"Map {SCRIPT}"))
    for raw in ("<img src=x", "<script>window.__xss", "javascript:window"):
        assert raw not in html
    assert "<title>Map &lt;script&gt;" in html
    # the evidence sentence keeps its highlight (our markup) around escaped text
    assert ("Rockets hit the \\u003cmark\\u003eGreen Zone\\u003c/mark\\u003e "
            "\\u0026lt;script") in html


def test_one_polygon_per_area_and_time_slider():
    html = _html(event_map(_events()))
    assert html.count('"tip":') == 1  # both Green Zone events share one polygon
    assert "ge-time" in html and "[19681,19693,19699]" in html  # the three dates (day numbers)
    single = _html(event_map(_events()[3:4]))
    assert "L.control({position: 'bottomleft'})" not in single  # no dates: no slider


def test_takes_and_returns_the_given_map():
    m = folium.Map(tiles=None)
    assert event_map(_events(), m=m) is m
    with pytest.raises(ValueError, match="tile layers"):
        event_map(_events(), m=folium.Map(), offline=True)


def test_offline_page_references_nothing_outside():
    html = _html(event_map(_events(), offline=True))
    assert not re.search(r"<(script|img|iframe)[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "cdn.jsdelivr" not in html and "tile.openstreetmap" not in html
    assert "L.geoJSON" in html and "geoeventsBasemap" in html


def test_mention_map():
    from geoevents.mention import Mention

    text = "Rockets hit Baghdad's Green Zone."
    mentions = [Mention(12, 19, "Baghdad", "Baghdad", geometry=Point(44.4, 33.34),
                        precision="town", score=0.9),
                Mention(22, 32, "Green Zone", "Green Zone", geometry=GREEN_ZONE,
                        precision="district", score=0.8)]
    html = _html(mention_map(mentions, text=text))
    assert "literal" in html and html.count('"tip":') == 1


# ----------------------------------------------------------------------------- browser

@pytest.mark.browser
def test_offline_page_in_chromium(tmp_path, open_page):
    path = tmp_path / "offline.html"
    save_map(event_map(_events(), offline=True, title=XSS), path)
    p = open_page(path)
    assert p.outside_requests == []
    assert p.errors == []
    assert p.js("window.__xss") is None
    G = "window.geoevents[Object.keys(window.geoevents)[0]]"
    assert p.js(f"{G}.total") == 4 and p.js(f"{G}.areas") == 1
    assert p.js(f"{G}.visible()") == 4
    assert p.js("document.querySelector('.ge-titlebar').textContent") == XSS

    # a popup opens with the escaped text, and nothing executes
    p.js(f"(() => {{ const G = {G}; const l = G.layers.find(l => l.label.startsWith('Protests'));"
         " l.group.fire('click', {layer: l.markers[0], latlng: l.markers[0].getLatLng()}); })()")
    popup = p.page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert XSS in popup.inner_text()
    assert p.page.locator(".leaflet-popup-content img").count() == 0
    assert p.js("window.__xss") is None

    # layers toggle from the layer control
    box = p.page.locator(".leaflet-control-layers-overlays label", has_text="Protests")
    box.locator("input").click()
    assert p.js(f"{G}.visible()") == 3
    # the time slider: only events dated on or before the first day (plus undated)
    p.js(f"{G}.slider.show(0)")
    assert p.js(f"{G}.visible()") == 1  # e4 (undated); e1, e2 are later; Protests is off
    p.js(f"{G}.slider.show(2)")
    assert p.js(f"{G}.visible()") == 3
    assert p.outside_requests == [] and p.js("window.__xss") is None


@pytest.mark.browser
def test_many_events_render_on_canvas(tmp_path, open_page):
    events = [Event(f"e{i}", event_date=dt.date(2023, 1, 1) + dt.timedelta(days=i % 50),
                    event_type=("Battles", "Protests", "Riots")[i % 3],
                    latitude=-60 + (i * 7919 % 12000) / 100,
                    longitude=-170 + (i * 104729 % 34000) / 100)
              for i in range(5000)]
    path = tmp_path / "many.html"
    save_map(event_map(events, offline=True), path)
    p = open_page(path)
    G = "window.geoevents[Object.keys(window.geoevents)[0]]"
    assert p.js(f"{G}.total") == 5000 and p.js(f"{G}.visible()") == 5000
    assert p.page.locator(".leaflet-marker-icon").count() == 0  # no DOM markers
    assert p.page.locator("canvas").count() >= 1
    assert p.outside_requests == []
