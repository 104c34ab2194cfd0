"""``geoevents parse``: place mentions of texts, streamed as JSONL or GeoJSON.

Inputs are read as streams (JSONL, ``.jsonl.gz``, CSV with a ``text`` column, folders
of ``.txt`` files, plain text files, ``-``) and parsed by ``--jobs`` worker processes
(:func:`geoevents.scale.imap_ordered`); output is written as it goes, in input order,
byte-identical whatever ``--jobs`` is, and only ever appears complete. ``--engine
dask`` runs the same parser on a Dask cluster and writes partitioned GeoParquet.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from .._io import SeenIds, atomic_output, iter_json_objects, open_text_input, read_text_file
from ..exc import InputError
from ..mention import ROLES

_JSONL = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
_CSV = (".csv", ".csv.gz")
_FOLDER_SUFFIXES = (".txt",)


# --------------------------------------------------------------------------- readers

def iter_records(path: str) -> Iterator[dict]:
    """Yield document records (``{"id", "text", ...}``) from one input, streaming.

    * ``.jsonl`` / ``.ndjson`` (optionally ``.gz``): one JSON object per line with a
      ``"text"`` string; ``"id"`` defaults to ``FILE:LINE``; other fields are kept.
    * ``.csv`` (optionally ``.gz``): a header row with a ``text`` column; ``id``
      defaults to ``FILE:ROW``; other columns are kept (as strings).
    * a folder: every ``*.txt`` file below it, in sorted path order; the id is the
      path relative to the folder (empty files give documents without mentions).
    * anything else (or ``-``): one plain-text document whose id is the file name.

    Ids must be unique within a file. Errors are :class:`InputError` naming the file
    and line.
    """
    name = str(path)
    low = name.lower()
    if name != "-" and os.path.isdir(name):
        yield from _folder_records(name)
    elif low.endswith(_JSONL):
        yield from _jsonl_records(name)
    elif low.endswith(_CSV):
        yield from _csv_records(name)
    else:
        text = read_text_file(path)
        if not text.strip():
            raise InputError("is empty; expected text", name)
        yield {"id": "stdin" if name == "-" else Path(name).name, "text": text}


def iter_documents(path: str) -> Iterator[tuple[str, str]]:
    """Yield ``(id, text)`` of each document of one input (see :func:`iter_records`)."""
    for rec in iter_records(path):
        yield rec["id"], rec["text"]


def _jsonl_records(name: str) -> Iterator[dict]:
    seen = SeenIds()  # bounded: a window in memory, older ids spilled to disk
    count = 0
    for n, doc in iter_json_objects(name, 'one {"id": ..., "text": ...} object per line'):
        text = doc.get("text")
        if not isinstance(text, str):
            raise InputError('missing "text" (a string)', name, n)
        doc_id = doc["id"] if "id" in doc else f"{Path(name).name}:{n}"
        if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
            raise InputError('"id" must be a string or an integer', name, n)
        seen.check(doc_id, name, n)
        doc["id"] = doc_id
        count += 1
        yield doc
    seen.finish(name)
    if count == 0:
        raise InputError('is empty; expected one {"id": ..., "text": ...} JSON object per line',
                         name)


def _csv_records(name: str) -> Iterator[dict]:
    if csv.field_size_limit() < 2**31 - 1:
        csv.field_size_limit(2**31 - 1)  # news articles exceed the 128 KiB default
    raw = open_text_input(name)
    fh = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
    reader = csv.reader(fh)
    line = 1
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise InputError("is empty; expected a CSV header with a 'text' column",
                             name) from None
        cols = [c.strip() for c in header]
        if "text" not in cols:
            raise InputError(f"no 'text' column (columns: {', '.join(cols)}); expected a "
                             "CSV with a 'text' column (and optionally 'id')", name, 1)
        base = Path(name).name
        seen = SeenIds()
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != len(cols):
                raise InputError(f"{len(row)} fields, expected {len(cols)} as in the header",
                                 name, line)
            rec = dict(zip(cols, row))
            doc_id = rec.get("id") or f"{base}:{line}"
            seen.check(doc_id, name, line)
            rec["id"] = doc_id
            yield rec
        seen.finish(name)
    except UnicodeDecodeError as exc:
        raise InputError(f"invalid UTF-8 (byte 0x{exc.object[exc.start]:02x}) near line "
                         f"{reader.line_num + 1}; expected UTF-8 text", name) from None
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", name, reader.line_num) from None
    finally:
        if name != "-":
            fh.close()


def _folder_records(root: str) -> Iterator[dict]:
    base = Path(root)
    found = False
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fn in sorted(filenames):
            if fn.startswith(".") or not fn.lower().endswith(_FOLDER_SUFFIXES):
                continue
            p = Path(dirpath, fn)
            found = True
            yield {"id": p.relative_to(base).as_posix(), "text": read_text_file(p)}
    if not found:
        raise InputError(f"no {'/'.join(_FOLDER_SUFFIXES)} files in this folder", root)


def count_documents(paths) -> int | None:
    """Count the documents in ``paths`` when cheap (for a progress ETA), else None.

    Counts lines of uncompressed JSONL and files in folders; gzip, CSV and stdin
    inputs give ``None``.
    """
    total = 0
    for path in paths:
        name = str(path)
        low = name.lower()
        if name == "-" or low.endswith((".gz", ".csv")):
            return None
        if os.path.isdir(name):
            total += sum(1 for _, _, fs in os.walk(name) for f in fs
                         if f.lower().endswith(_FOLDER_SUFFIXES) and not f.startswith("."))
        elif low.endswith(_JSONL):
            n, last = 0, b"\n"
            with open(name, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    n += block.count(b"\n")
                    last = block[-1:]
            total += n + (last != b"\n")
        else:
            total += 1
    return total


def _all_documents(inputs) -> Iterator[tuple[str, str]]:
    for path in inputs:
        yield from iter_documents(path)


# --------------------------------------------------------------------------- workers
# Module-level so worker processes (fork or spawn) find them by reference; each
# worker builds its Geoparser once (the gazetteer is memory-mapped, so pages are shared).

def _setup(gazetteer_path: str | None, keep: frozenset, fmt: str):
    from ..gazetteer import Gazetteer
    from ..geoparse import Geoparser

    return Geoparser(Gazetteer.load(gazetteer_path)), keep, fmt


def _render(state, doc: tuple[str, str]):
    """One document → its output text (``jsonl``/``geojsonseq``) or feature strings."""
    parser, keep, fmt = state
    doc_id, text = doc
    ms = [m for m in parser(text) if m.role in keep]
    if fmt == "jsonl":  # encoded here, in the worker: the writing process stays light
        rec = {"id": doc_id, "mentions": [m.to_dict() for m in ms]}
        return (json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    from ..outputs import to_geojson
    feats = []
    for m in ms:
        f = m.__geo_interface__
        f["properties"]["doc_id"] = doc_id
        feats.append(to_geojson([f], seq=True))
    if fmt == "geojsonseq":
        return "".join(feats).encode("utf-8")
    return [s[1:-1] for s in feats]  # RS + feature + "\n" → the feature's JSON text


def _single_document(path: str) -> bool:
    low = str(path).lower()
    return not (low.endswith(_JSONL + _CSV) or (path != "-" and os.path.isdir(path)))


def _count_after_first(results, progress, inputs):
    started = False
    try:
        for r in results:
            if not started:
                started = True
                progress.count_in_background(lambda: count_documents(inputs))
            yield r
    finally:
        results.close()


# --------------------------------------------------------------------------- command

@click.command("parse")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True,
              help="Output file ('-': standard output); a folder with --engine dask.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "geojson", "geojsonseq"]),
              default=None, help="Output format (default: jsonl; GeoParquet with --engine dask).")
@click.option("--roles", default=",".join(ROLES), show_default=True,
              help="Comma-separated roles to output.")
@click.option("-j", "--jobs", type=click.IntRange(0), default=None,
              help="Worker processes (default: all cores; 1: no workers).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="local processes, or a Dask cluster (GeoParquet out).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler, e.g. tcp://HOST:8786 (default: a local cluster).")
@click.pass_context
def command(ctx, inputs, output, fmt, roles, jobs, engine, scheduler):
    """Find, classify and resolve place mentions in INPUTS.

    INPUTS are JSONL files of {"id", "text"} (also .gz), CSV files with a 'text'
    column, folders of .txt files, text files, or '-'. Output is in input order.
    """
    keep = frozenset(r.strip() for r in roles.split(",") if r.strip())
    bad = sorted(keep - set(ROLES))
    if bad:
        raise click.BadParameter(f"unknown role(s) {bad}; choose from {list(ROLES)}",
                                 param_hint="--roles")
    quiet = bool((ctx.obj or {}).get("quiet"))
    from ..scale import Progress, default_jobs, imap_ordered

    if scheduler and engine != "dask":
        raise click.BadParameter("needs --engine dask", param_hint="--scheduler")
    if engine == "dask":
        if fmt is not None:
            raise click.BadParameter("--engine dask writes partitioned GeoParquet; "
                                     "drop --format", param_hint="--format")
        if output == "-":
            raise click.BadParameter("--engine dask needs an output folder",
                                     param_hint="--output")
        try:
            import dask_geopandas  # noqa: F401
            from dask import distributed  # noqa: F401
        except ImportError as exc:
            raise click.UsageError(f"--engine dask needs the dask extra ({exc.name} is "
                                   "missing): pip install 'geoevents[dask]'") from None
        from ..dask import write_parquet
        progress = Progress() if Progress.enabled(quiet) else None
        write_parquet(_all_documents(inputs), output, scheduler=scheduler,
                      roles=tuple(sorted(keep)), n_workers=jobs or None, progress=progress)
        return
    fmt = fmt or "jsonl"
    jobs = jobs or default_jobs()
    if all(_single_document(p) for p in inputs):
        jobs = min(jobs, len(inputs))  # a few text files: no idle workers to start
    from ..gazetteer import Gazetteer
    gaz_path = str(Gazetteer.load().path)  # fail early (exit 5) if missing
    progress = Progress() if Progress.enabled(quiet) else None
    results = imap_ordered(_render, _all_documents(inputs), jobs, setup=_setup,
                           setup_args=(gaz_path, keep, fmt), chunksize=32)
    if progress:
        # count the input once the workers exist (no thread running while forking)
        results = _count_after_first(results, progress, inputs)
    try:
        with atomic_output(output, "wb" if fmt != "geojson" else "w") as fh:
            if fmt == "geojson":
                n = 0
                fh.write('{"features":[')
                for feats in results:
                    for s in feats:
                        fh.write(("\n" if n == 0 else ",\n") + s)
                        n += 1
                    if progress:
                        progress.update()
                fh.write('\n],"type":"FeatureCollection"}\n' if n
                         else '],"type":"FeatureCollection"}\n')
            else:
                for out in results:
                    fh.write(out)
                    if progress:
                        progress.update()
    except BaseException:
        results.close()  # stop the workers before the error is reported
        if progress:
            sys.stderr.write("\n")
        raise
    if progress:
        progress.close()
