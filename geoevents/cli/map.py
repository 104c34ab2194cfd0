"""``geoevents map``: events from texts, articles or records → one interactive HTML map.

Also home of the input handling shared with ``geoevents geojson``
(:func:`iter_events`): INPUT is a plain-text article, article JSONL
(``{"id", "text", "published", ...}`` per line), or event records
(CSV/JSONL/GeoJSON/GeoPackage/GeoParquet, read by
:func:`geoevents.records.read_events`); ``-`` is standard input.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable, Iterator

import click

from ._options import date_value as _date

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

def _events_from(path: str, published: dt.date | None) -> Iterator:
    """Events of one input, read as ``geoevents events`` reads it.

    Plain text, article JSONL (extracted on all cores) or event records.
    """
    from ..scale import default_jobs
    from .events import _events_from as events_of_input
    yield from events_of_input(path, published=published, source="", record_kw={},
                               reports=[], jobs=default_jobs())


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
