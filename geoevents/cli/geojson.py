"""``geoevents geojson``: events from texts, articles or records → GeoJSON (RFC 7946).

Streams: events are written as they are found, so ``--seq`` output (RFC 8142
GeoJSON text sequence) starts before the input is read to the end. ``.gpkg``,
``.parquet`` and ``.geoparquet`` outputs go through a GeoDataFrame.
"""

from __future__ import annotations

from pathlib import Path

import click

from .map import _quiet, input_options, iter_events


@click.command("geojson")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", default="-", show_default=True, metavar="OUT.geojson",
              type=click.Path(dir_okay=False, allow_dash=True),
              help="Output file ('-': stdout). .gpkg/.parquet write GeoPackage/GeoParquet.")
@click.option("--seq", is_flag=True,
              help="GeoJSON text sequence (RFC 8142: RS-prefixed, LF-delimited features).")
@click.option("--precision", default=6, show_default=True, type=click.IntRange(0, 15),
              help="Decimal places of coordinates.")
@input_options
def command(inputs, output, seq, precision, since, until, published):
    r"""Write the events found in INPUT... as GeoJSON features (one per event).

    INPUT is a plain-text article, article JSONL, or event records (CSV,
    JSONL, GeoJSON, GeoPackage); "-" reads standard input. The same input
    gives byte-identical output.

    \b
    Examples:
      geoevents geojson examples/baghdad-2023-12-08.txt --published 2023-12-08 -o events.geojson
      geoevents geojson articles.jsonl --seq > events.geojsons
    """
    from ..outputs import VECTOR_FORMATS, events_to_gdf, to_geojson, write_vector

    events = iter_events(inputs, published=published, since=since, until=until, quiet=_quiet())
    fmt = VECTOR_FORMATS.get(Path(output).suffix.lower()) if output != "-" else None
    if fmt in ("GPKG", "Parquet"):
        write_vector(events_to_gdf(events), output)
        return
    to_geojson(events, output, seq=seq or fmt == "GeoJSONSeq", precision=precision)
