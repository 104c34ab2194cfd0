"""``geoevents map``: events from texts, articles or records → one interactive HTML map.

Also home of the input handling shared with ``geoevents geojson``
(:func:`iter_events`): INPUT is a plain-text article, article JSONL
(``{"id", "text", "published", ...}`` per line), or event records
(CSV/JSONL/GeoJSON/GeoPackage/GeoParquet, read by
:func:`geoevents.records.read_events`); ``-`` is standard input.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from ..exc import InputError
from ._options import date_value as _date

TEXT_SUFFIXES = {".txt", ".text", ".md"}
RECORD_SUFFIXES = {".csv", ".tsv", ".geojson", ".gpkg", ".parquet", ".geoparquet", ".geojsons",
                   ".geojsonl", ".geojsonseq", ".xlsx"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json"}
_RECORD_KEYS = {"event_type", "event_date", "latitude", "longitude", "event_id", "data_id",
                "event_id_cnty", "location", "actor1", "geometry", "type"}


# --------------------------------------------------------------------------- options



def input_options(f):
    """Add the options ``map`` and ``geojson`` share (date filters, publication date)."""
    f = click.option("--published", callback=_date, metavar="DATE",
                     help="Publication date of plain-text input (resolves 'on Friday'); "
                          "article JSONL uses each line's 'published'.")(f)
    f = click.option("--until", callback=_date, metavar="DATE",
                     help="Only events dated on or before DATE (undated events dropped).")(f)
    f = click.option("--since", callback=_date, metavar="DATE",
                     help="Only events dated on or after DATE (undated events dropped).")(f)
    return f


# --------------------------------------------------------------------------- inputs

def _first_line(data: bytes) -> bytes:
    for line in data.splitlines():
        if line.strip():
            return line.strip()
    return b""


def _sniff_bytes(head: bytes, suffix: str) -> str:
    """``"text"``, ``"articles"`` or ``"records"`` from a file's first bytes and suffix."""
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in RECORD_SUFFIXES or head.startswith(b"SQLite format 3") or head.startswith(b"PAR1"):
        return "records"
    line = _first_line(head[:1 << 20])
    if line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    if line.startswith(b"{"):
        try:
            obj = json.loads(line)
        except ValueError:
            # a pretty-printed GeoJSON document or a broken JSONL line
            return "records" if b"FeatureCollection" in head[:4096] or suffix else "articles"
        if isinstance(obj, dict) and isinstance(obj.get("text"), str) and not (
                _RECORD_KEYS & set(obj)):
            return "articles"
        return "records"
    if suffix in JSON_SUFFIXES:
        return "records"
    first = line.decode("utf-8", "replace").lower()
    if "," in first and any(k in first for k in ("event_date", "event_type", "latitude")):
        return "records"
    return "text"


def _read_head(path: str) -> bytes:
    p = Path(path)
    if p.is_dir():
        raise InputError("is a directory; expected a file", path)
    try:
        if path.lower().endswith(".gz"):
            import gzip

            with gzip.open(p, "rb") as fh:
                return fh.read(1 << 16)
        with open(p, "rb") as fh:
            return fh.read(1 << 16)
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except PermissionError:
        raise InputError("permission denied; cannot read it", path) from None
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot read it ({exc})", path) from None


def _extract(text: str, **kw):
    from ..events import extract_events

    return extract_events(text, **kw)


def _read_records(path: str, display: str):
    try:
        from ..records import read_events
    except ImportError:
        raise InputError("reading event records needs geoevents.records, which is missing "
                         "from this installation", display) from None
    return read_events(path)


def _articles(path: str, published: dt.date | None, display: str | None = None) -> Iterator:
    """Events of an article JSONL: the same reader as ``geoevents events`` (all cores)."""
    from ..scale import default_jobs
    from .events import _articles as article_events
    yield from article_events(path, display or path, published, None, default_jobs())


def _events_from(path: str, published: dt.date | None) -> Iterator:
    from .._io import read_text_file

    if path == "-":
        data = sys.stdin.buffer.read()
        kind = _sniff_bytes(data[:1 << 16], "")
        if kind == "records":
            head = data[:1 << 16].lstrip()
            suffix = (".geojson" if b"FeatureCollection" in head[:4096] else ".jsonl"
                      ) if head.startswith(b"{") else ".csv"
            fd, tmp = tempfile.mkstemp(prefix="geoevents-stdin-", suffix=suffix)
            try:
                with open(fd, "wb") as fh:
                    fh.write(data)
                yield from list(_read_records(tmp, "-"))
            finally:
                os.unlink(tmp)
            return
        if kind == "articles":
            fd, tmp = tempfile.mkstemp(prefix="geoevents-stdin-", suffix=".jsonl")
            try:
                with open(fd, "wb") as fh:
                    fh.write(data)
                yield from _articles(tmp, published, "-")
            finally:
                os.unlink(tmp)
            return
        from .._io import _decode

        text = _decode(data, "-").replace("\r\n", "\n")
        yield from _extract(text, published=published, source="stdin", doc_id="stdin")
        return
    base = path[:-3] if path.lower().endswith(".gz") else path
    kind = _sniff_bytes(_read_head(path), Path(base).suffix.lower())
    if kind == "records":
        yield from _read_records(path, path)
    elif kind == "articles":
        yield from _articles(path, published)
    else:
        text = read_text_file(path)
        if not text.strip():
            raise InputError("is empty; expected news text", path)
        name = Path(path).name
        yield from _extract(text, published=published, source=name, doc_id=name)


def iter_events(inputs: Iterable[str], *, published: dt.date | None = None,
                since: dt.date | None = None, until: dt.date | None = None,
                quiet: bool = False) -> Iterator:
    """Events from every input in order, date-filtered, with progress on stderr.

    Progress lines appear only when reading takes longer than two seconds.
    """
    t0 = last = time.monotonic()
    n = kept = 0
    for path in inputs:
        for e in _events_from(path, published):
            n += 1
            if since is not None or until is not None:
                d = e.event_date
                if not isinstance(d, dt.date):
                    continue
                end = e.event_date_end if isinstance(e.event_date_end, dt.date) else d
                if (since is not None and end < since) or (until is not None and d > until):
                    continue
            kept += 1
            now = time.monotonic()
            if not quiet and n >= 1000 and now - last > 2.0:
                click.echo(f"geoevents: {n:,} events read, {kept:,} kept "
                           f"({now - t0:.0f} s)", err=True)
                last = now
            yield e


def _quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("quiet"))


# --------------------------------------------------------------------------- command

_COLOR_FIELDS = ("event_type", "sub_event_type", "actor1", "actor2", "country", "admin1",
                 "precision", "geo_precision", "time_precision", "source", "geo_method",
                 "location", "iso3")


@click.command("map")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", required=True, metavar="MAP.html",
              type=click.Path(dir_okay=False, allow_dash=True),
              help="The HTML file to write (written whole or not at all).")
@click.option("--offline", is_flag=True,
              help="Self-contained page: inlined Leaflet and a vector basemap from the "
                   "gazetteer; makes no network request.")
@click.option("--title", help="Map title (shown over the map and as page title).")
@click.option("--color-by", default="event_type", show_default=True,
              type=click.Choice(_COLOR_FIELDS), help="Event field for colours and layers.")
@input_options
def command(inputs, output, offline, title, color_by, since, until, published):
    r"""Draw the events found in INPUT... on an interactive HTML map.

    INPUT is a plain-text article, article JSONL ({"id", "text", "published"}
    per line), or event records (CSV, JSONL, GeoJSON, GeoPackage); "-" reads
    standard input.

    \b
    Examples:
      geoevents map examples/baghdad-2023-12-08.txt --published 2023-12-08 -o baghdad.html
      geoevents map events.csv --offline --since 2023-10-01 -o events.html
    """
    from .._io import check_output_path

    check_output_path(output)  # fail on a bad -o before any work
    from ..maps import event_map, save_map

    quiet = _quiet()
    events = list(iter_events(inputs, published=published, since=since, until=until,
                              quiet=quiet))
    t = time.monotonic()
    m = event_map(events, offline=offline, title=title, color_by=color_by)
    save_map(m, output)
    located = sum(1 for e in events if e.geometry is not None or (
        e.latitude is not None and e.longitude is not None))
    if not quiet:
        if not located:
            click.echo("geoevents map: warning: no event with a location; the map is empty",
                       err=True)
        if output != "-":
            click.echo(f"geoevents map: {located:,} of {len(events):,} events mapped → {output} "
                       f"({os.path.getsize(output) / 1e6:.1f} MB, "
                       f"{time.monotonic() - t:.1f} s)", err=True)
