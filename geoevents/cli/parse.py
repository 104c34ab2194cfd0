"""``geoevents parse``: place mentions of texts, streamed as JSONL or GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .._io import atomic_output, iter_lines, read_text_file
from ..exc import InputError
from ..geoparse import Geoparser
from ..mention import ROLES


def iter_documents(path: str):
    """Yield ``(id, text)`` from a JSONL file of ``{"id","text"}`` or a plain text file.

    JSONL is recognised by the ``.jsonl``/``.jsonl.gz``/``.ndjson`` suffix; anything
    else is one plain-text document whose id is the file name.
    """
    name = str(path)
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        seen: set = set()
        for n, line in iter_lines(path):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON ({exc.msg}); expected one "
                                 '{"id": ..., "text": ...} object per line', name, n) from None
            if not isinstance(doc, dict):
                raise InputError(f"expected a JSON object, got {type(doc).__name__}", name, n)
            text = doc.get("text")
            if not isinstance(text, str):
                raise InputError('missing "text" (a string)', name, n)
            doc_id = doc.get("id", f"{Path(name).name}:{n}")
            if doc_id in seen:
                raise InputError(f"duplicate id {doc_id!r}; ids must be unique", name, n)
            seen.add(doc_id)
            yield doc_id, text
    else:
        text = read_text_file(path)
        if not text.strip():
            raise InputError("is empty; expected text", name)
        yield ("stdin" if name == "-" else Path(name).name), text


@click.command("parse")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True,
              help="Output file ('-': standard output).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "geojson", "geojsonseq"]),
              default="jsonl", show_default=True)
@click.option("--roles", default=",".join(ROLES), show_default=True,
              help="Comma-separated roles to output.")
def command(inputs, output, fmt, roles):
    """Find, classify and resolve place mentions in INPUTS (JSONL or text files, '-')."""
    keep = {r.strip() for r in roles.split(",") if r.strip()}
    bad = sorted(keep - set(ROLES))
    if bad:
        raise click.BadParameter(f"unknown role(s) {bad}; choose from {list(ROLES)}",
                                 param_hint="--roles")
    parser = Geoparser()
    with atomic_output(output) as fh:
        if fmt == "geojson":
            from ..outputs import to_geojson
            feats = []
            for path in inputs:
                for doc_id, text in iter_documents(path):
                    for m in parser(text):
                        if m.role in keep:
                            f = m.__geo_interface__
                            f["properties"]["doc_id"] = doc_id
                            feats.append(f)
            fh.write(to_geojson(feats))
            return
        for path in inputs:
            for doc_id, text in iter_documents(path):
                ms = [m for m in parser(text) if m.role in keep]
                if fmt == "jsonl":
                    rec = {"id": doc_id, "mentions": [m.to_dict() for m in ms]}
                    fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
                else:
                    from ..outputs import to_geojson
                    for m in ms:
                        f = m.__geo_interface__
                        f["properties"]["doc_id"] = doc_id
                        fh.write(to_geojson([f], seq=True))
