"""``geoevents events``: events from articles, texts or records → GeoJSON, JSONL, CSV, GPKG.

INPUT is one of:

* article JSONL — one ``{"id", "text", "published", "source", "url", "title"}`` object
  per line (``.jsonl``/``.ndjson`` whose lines have a ``text`` string);
* a plain-text article (``.txt`` or anything that is not records), dated with
  ``--published``;
* event records — CSV/TSV, JSONL, GeoJSON, GeoPackage, GeoParquet, ACLED exports
  (see :mod:`geoevents.records`; ``--lat/--lon/--location/--date`` name columns).

``-`` reads standard input (articles, records or text, recognised by content).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from .._io import SeenIds, iter_json_objects, read_text_file, require_file
from ..exc import InputError
from ._options import date_value as _date

FORMATS = ("geojson", "geojsonseq", "jsonl", "csv", "gpkg", "parquet")
_BY_SUFFIX = {".geojson": "geojson", ".json": "geojson", ".geojsons": "geojsonseq",
              ".geojsonl": "geojsonseq", ".geojsonseq": "geojsonseq", ".jsonl": "jsonl",
              ".ndjson": "jsonl", ".csv": "csv", ".gpkg": "gpkg", ".parquet": "parquet",
              ".geoparquet": "parquet"}
_RECORD_SUFFIXES = (".csv", ".tsv", ".geojson", ".gpkg", ".parquet", ".geoparquet", ".shp",
                    ".fgb", ".geojsons", ".geojsonl")
_TEXT_SUFFIXES = (".txt", ".text", ".md")




def _read_head(path: str) -> bytes:
    """The first 64 KiB of a file (decompressed for ``.gz``), with clear errors."""
    try:
        if path.lower().endswith(".gz"):
            import gzip

            with gzip.open(path, "rb") as fh:
                return fh.read(1 << 16)
        with open(path, "rb") as fh:
            return fh.read(1 << 16)
    except PermissionError:
        raise InputError("permission denied; cannot read it", path) from None
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot read it ({exc})", path) from None


def _kind(path: str, head: str) -> str:
    """Tell ``"articles"``, ``"records"`` or ``"text"`` apart by suffix and first line."""
    low = path.lower().removesuffix(".gz")
    if low.endswith(_TEXT_SUFFIXES):
        return "text"
    if low.endswith(_RECORD_SUFFIXES):
        return "records"
    first = next((ln.strip() for ln in head.splitlines() if ln.strip()), "").lstrip("\ufeff")
    if first.startswith("{"):
        try:
            obj = json.loads(first)
        except ValueError:
            return "records"  # a pretty-printed GeoJSON document
        if isinstance(obj, dict) and isinstance(obj.get("text"), str) \
                and obj.get("type") != "Feature":
            return "articles"
        return "records"
    if low.endswith((".json", ".jsonl", ".ndjson")):
        return "records"
    if "," in first and any(k in first.lower() for k in ("event_date", "latitude",
                                                         "event_type", "location")):
        return "records"
    return "text"


from ..scale import default_jobs  # noqa: E402 - light module, no workers started


def _events_setup(gaz_path: str):
    from ..gazetteer import Gazetteer
    return Gazetteer.load(gaz_path)


def _article_events(gaz, item) -> list:
    from ..events import extract_events
    text, pub, source, url, doc_id = item
    return extract_events(text, published=pub, source=source, source_url=url, doc_id=doc_id,
                          gazetteer=gaz)


def _articles(path: str, display: str, published, source, jobs: int = 1) -> Iterator:
    """Events of an article JSONL, extracted on ``jobs`` worker processes, in order."""
    from ..gazetteer import Gazetteer
    from ..scale import imap_ordered

    items = _article_items(path, display, published, source)
    for evs in imap_ordered(_article_events, items, jobs, setup=_events_setup,
                            setup_args=(str(Gazetteer.load().path),), chunksize=8):
        yield from evs


def _article_items(path: str, display: str, published, source) -> Iterator[tuple]:
    name = "stdin" if display == "-" else Path(display).name
    seen = SeenIds()  # bounded: a window in memory, older ids spilled to disk
    for n, obj in iter_json_objects(path, 'one {"id", "text", "published"} object per line',
                                    display):
        if not isinstance(obj.get("text"), str):
            raise InputError('expected an article object with a "text" string', display, n)
        pub = obj.get("published") or published
        try:
            from ..dates import to_date
            pub = to_date(pub)
        except ValueError:
            raise InputError(f'"published" is {obj.get("published")!r}; expected YYYY-MM-DD',
                             display, n) from None
        doc_id = str(obj.get("id") or f"{name}:{n}")
        seen.check(doc_id, display, n, "article id")
        text = obj["text"]
        title = obj.get("title")
        if isinstance(title, str) and title.strip() and not text.startswith(title):
            text = f"{title.strip()}\n\n{text}"
        yield (text, pub, str(obj.get("source") or source or name),
               str(obj.get("url") or ""), doc_id)
    seen.finish(display, "article id")


def _events_from(path: str, *, published, source, record_kw, reports, jobs=1) -> Iterator:
    from ..events import extract_events
    from ..records import ReadReport, iter_events

    if path == "-":
        data = sys.stdin.buffer.read()
        from .._io import _decode
        text = _decode(data, "-").replace("\r\n", "\n")
        kind = _kind("", text[:65536])
        if kind == "text":
            if not text.strip():
                raise InputError("is empty; expected news text", "-")
            yield from extract_events(text, published=published, source=source or "stdin",
                                      doc_id="stdin")
            return
        import os
        import tempfile
        suffix = ".jsonl" if kind == "articles" else (
            ".csv" if not text.lstrip().startswith(("{", "[")) else (
                ".geojson" if '"FeatureCollection"' in text[:4096] else ".jsonl"))
        fd, tmp = tempfile.mkstemp(prefix="geoevents-stdin-", suffix=suffix)
        try:
            with open(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            if kind == "articles":
                yield from _articles(tmp, "-", published, source, jobs)
            else:
                rep = ReadReport("-")
                reports.append(rep)
                try:
                    yield from iter_events(tmp, report=rep, **record_kw)
                except InputError as exc:
                    raise InputError(exc.message, "-", exc.line) from None
        finally:
            os.unlink(tmp)
        return
    require_file(path)
    p = Path(path)
    head = ""
    if not path.lower().endswith((".gpkg", ".parquet", ".geoparquet", ".shp", ".fgb")):
        head = _read_head(path).decode("utf-8", "replace")
    kind = _kind(path, head)
    if kind == "records":
        rep = ReadReport(path)
        reports.append(rep)
        yield from iter_events(path, report=rep, **record_kw)
    elif kind == "articles":
        yield from _articles(path, path, published, source, jobs)
    else:
        text = read_text_file(path)
        if not text.strip():
            raise InputError("is empty; expected news text", path)
        yield from extract_events(text, published=published, source=source or p.name,
                                  doc_id=p.name)


@click.command("events")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", default="-", show_default=True, metavar="OUT",
              type=click.Path(dir_okay=False, allow_dash=True),
              help="Output file ('-': stdout); its suffix picks the format.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Output format (default: from the output suffix, else geojson).")
@click.option("--published", callback=_date, metavar="DATE",
              help="Publication date of plain-text input (resolves 'on Friday', 'December 2').")
@click.option("--source", default="", help="Source name for plain-text input (ACLED 'source').")
@click.option("--lat", metavar="COL", help="Records: the latitude column.")
@click.option("--lon", metavar="COL", help="Records: the longitude column.")
@click.option("--location", metavar="COL", help="Records: the location-text column.")
@click.option("--date", "date_col", metavar="COL", help="Records: the date column.")
@click.option("--strict", is_flag=True,
              help="Records: stop at the first bad row (exit 3) instead of skipping it.")
@click.option("-j", "--jobs", type=click.IntRange(0), default=None,
              help="Worker processes for article JSONL (default: all cores; 1: none).")
@click.option("--keep-unlocated", is_flag=True,
              help="Records: keep rows whose location cannot be found (no geometry).")
def command(inputs, output, fmt, published, source, lat, lon, location, date_col, strict,
            jobs, keep_unlocated):
    r"""Extract events from INPUT... (articles, texts or event records) and write them.

    Every event has ACLED's fields (event_date, time_precision, event_type,
    sub_event_type, actor1, actor2, fatalities, country, iso3, admin1, location,
    latitude, longitude, geo_precision, source, notes) plus its evidence
    (sentence, offsets, mention, confidence). Bad record rows are reported with
    file and line and skipped, with a summary on stderr.

    \b
    Examples:
      geoevents events examples/baghdad-2023-12-08.txt --published 2023-12-08 -o ev.geojson
      geoevents events articles.jsonl -o events.gpkg
      geoevents events acled.csv --strict -o events.parquet
      geoevents events points.csv --lat Y --lon X --date day -o events.csv
    """
    from .._io import check_output_path

    check_output_path(output)  # fail on a bad -o before any work  # noqa: D301 - click's \b (no rewrap) marker needs a plain string
    if fmt is None:
        fmt = _BY_SUFFIX.get(Path(output).suffix.lower(), "geojson") if output != "-" \
            else "geojson"
    if fmt in ("gpkg", "parquet") and output == "-":
        raise click.UsageError(f"--format {fmt} needs an output file (-o), not stdout")
    record_kw = {"lat": lat, "lon": lon, "location": location, "date": date_col,
                 "strict": strict, "keep_unlocated": keep_unlocated}
    from ..outputs import write_events

    for path in inputs:  # before the first byte goes out (the output is streamed)
        require_file(path)
    reports: list = []
    events = (e for path in inputs
              for e in _events_from(path, published=published, source=source,
                                    record_kw=record_kw, reports=reports,
                                    jobs=jobs or default_jobs()))
    n_events = write_events(events, output, fmt)  # streamed: memory stays bounded
    ctx = click.get_current_context(silent=True)
    quiet = bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("quiet"))
    if not quiet:
        for rep in reports:
            click.echo(f"geoevents: {rep.summary()}", err=True)
        click.echo(f"geoevents: {n_events} events written to "
                   f"{'stdout' if output == '-' else output}", err=True)
