"""Run the geoparser (and event extraction) on Dask: bags and dataframes in, GeoDataFrames out.

Needs the ``dask`` extra (``pip install 'geoevents[dask]'``: dask.distributed,
dask-geopandas, pyarrow). Every function here returns a lazy
``dask_geopandas.GeoDataFrame`` (EPSG:4326) with one row per mention (or event);
compute it, or write it with ``.to_parquet(folder)`` as partitioned GeoParquet.

Only the gazetteer's *path* travels with the tasks: each worker process loads the
memory-mapped gazetteer and builds its parser once, on first use, and keeps it in a
module-level cache (:func:`worker_parser`), so nothing large is pickled per task.

Examples
--------
>>> import dask.bag as db
>>> from geoevents.dask import parse_bag
>>> docs = db.from_sequence([{"id": "a", "text": "Shelling hit Mosul."}], npartitions=1)
>>> parse_bag(docs).compute()[["doc_id", "name", "place_name"]].values.tolist()
[['a', 'Mosul', 'Mosul']]

On a cluster::

    from dask.distributed import Client
    client = Client("tcp://scheduler:8786")      # or dask-jobqueue / dask-kubernetes
    bag = dask.bag.read_text("s3://bucket/news/*.jsonl.gz").map(json.loads)
    parse_bag(bag).to_parquet("s3://bucket/mentions/")
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .exc import OutputError
from .mention import ROLES

__all__ = ["parse_bag", "parse_frame", "events_bag", "worker_parser", "mentions_frame",
           "write_parquet", "MENTION_COLUMNS"]

#: Columns of the mentions GeoDataFrame (then ``geometry``): the document id and the
#: :meth:`~geoevents.mention.Mention.to_dict` fields.
MENTION_COLUMNS = ["doc_id", "start", "end", "text", "name", "role", "lat", "lon", "place_id",
                   "place_name", "feature_type", "country_code", "admin1", "precision",
                   "modifier", "score"]
_INT = ("start", "end")
_FLOAT = ("lat", "lon", "score")

_PARSERS: dict[str, Any] = {}
_LOCK = threading.Lock()


def _gazetteer_path(gazetteer) -> str:
    """Return the artifact path of ``gazetteer`` (None: bundled; a Gazetteer or a path)."""
    from .gazetteer import Gazetteer

    if isinstance(gazetteer, Gazetteer):
        return str(gazetteer.path)
    return str(Gazetteer.load(gazetteer).path)


def worker_parser(gazetteer_path: str):
    """Return this process's :class:`~geoevents.geoparse.Geoparser` for a gazetteer path.

    Built once per process (per Dask worker) and cached; tasks pass only the path.
    """
    p = _PARSERS.get(gazetteer_path)
    if p is None:
        with _LOCK:  # a worker may run several threads
            p = _PARSERS.get(gazetteer_path)
            if p is None:
                from .gazetteer import Gazetteer
                from .geoparse import Geoparser
                p = _PARSERS[gazetteer_path] = Geoparser(Gazetteer.load(gazetteer_path))
    return p


def _conform(df):
    """Fix the dtypes so every partition (and the meta) has the same schema.

    Text columns are ``string[pyarrow]`` (missing: ``<NA>``), as dask would convert
    them anyway; ``start``/``end`` int64; ``lat``/``lon``/``score`` float64 (NaN).
    """
    import pandas as pd

    for c in MENTION_COLUMNS:
        if c in _INT:
            df[c] = df[c].astype("int64")
        elif c in _FLOAT:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
        else:
            df[c] = df[c].astype("string[pyarrow]")  # what dask's convert-string gives
    return df


def mentions_frame(docs: Iterable[tuple[Any, str]], gazetteer=None,
                   roles: Sequence[str] | None = None, full_geometry: bool = True):
    """Parse ``(doc_id, text)`` pairs eagerly into a GeoDataFrame of mentions, in order.

    The partition function of :func:`parse_bag` / :func:`parse_frame`; ``doc_id``
    becomes a string column. With ``full_geometry=False`` the geometry is the
    mention's point (as in ``geoevents parse`` JSONL), not its polygon.
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    parser = worker_parser(gazetteer if isinstance(gazetteer, str)
                           else _gazetteer_path(gazetteer))
    keep = set(roles) if roles is not None else set(ROLES)
    rows, geoms = [], []
    for doc_id, text in docs:
        did = None if doc_id is None else str(doc_id)
        for m in parser(text):
            if m.role in keep:
                d = m.to_dict()
                d["doc_id"] = did
                rows.append(d)
                if full_geometry:
                    geoms.append(m.geometry)
    df = _conform(pd.DataFrame.from_records(rows, columns=MENTION_COLUMNS))
    if not full_geometry:
        # the points of the JSONL output, built in one vectorised call
        lon, lat = df["lon"].to_numpy(), df["lat"].to_numpy()
        geoms = np.where(np.isnan(lat), None, shapely.points(lon, lat))
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, index=df.index, crs=4326),
                            crs=4326)


def _meta():
    return mentions_frame([], gazetteer=None)


def _pairs(records: Iterable, text_key: str, id_key: str) -> Iterator[tuple[Any, str]]:
    for r in records:
        if isinstance(r, dict):
            yield r.get(id_key), r[text_key]
        elif isinstance(r, (tuple, list)) and len(r) == 2:
            yield r[0], r[1]
        elif isinstance(r, str):
            yield None, r
        else:
            raise TypeError(f"expected a dict with {text_key!r}, an (id, text) pair or a "
                            f"str, got {type(r).__name__}")


def _bag_partition(records, text_key, id_key, gaz_path, roles):
    return mentions_frame(_pairs(records, text_key, id_key), gaz_path, roles)


def parse_bag(bag, *, text_key: str = "text", id_key: str = "id", gazetteer=None,
              roles: Sequence[str] | None = None):
    """Mentions of a ``dask.bag`` of documents, as a ``dask_geopandas.GeoDataFrame``.

    Parameters
    ----------
    bag : dask.bag.Bag
        Items are dicts (``{"id": ..., "text": ...}``, keys set by ``text_key`` and
        ``id_key``), ``(id, text)`` pairs, or plain strings (``doc_id`` None).
    gazetteer : Gazetteer or path, optional
        Defaults to the bundled gazetteer; only its path is sent to the workers.
    roles : sequence of str, optional
        Keep only mentions with these roles (default: all).

    Returns
    -------
    dask_geopandas.GeoDataFrame
        One row per mention, columns :data:`MENTION_COLUMNS` + ``geometry``, one
        partition per bag partition, in bag order.
    """
    import dask
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401 - registers the GeoDataFrame collection

    gaz_path = _gazetteer_path(gazetteer)
    roles = tuple(roles) if roles is not None else None
    fn = dask.delayed(_bag_partition, pure=True)
    parts = [fn(p, text_key, id_key, gaz_path, roles) for p in bag.to_delayed()]
    return dd.from_delayed(parts, meta=_meta(), verify_meta=False)


def _frame_partition(df, text_col, id_col, gaz_path, roles):
    ids = df.index if id_col is None else df[id_col]
    return mentions_frame(zip(ids, df[text_col]), gaz_path, roles)


def parse_frame(ddf, text_col: str = "text", id_col: str | None = "id", *, gazetteer=None,
                roles: Sequence[str] | None = None):
    """Mentions of a ``dask.dataframe`` of documents, as a ``dask_geopandas.GeoDataFrame``.

    ``text_col`` holds the texts, ``id_col`` the document ids (``None``: the index).
    See :func:`parse_bag` for the result.
    """
    if text_col not in ddf.columns:
        raise KeyError(f"no {text_col!r} column (columns: {list(ddf.columns)})")
    if id_col is not None and id_col not in ddf.columns:
        raise KeyError(f"no {id_col!r} column (columns: {list(ddf.columns)}); "
                       "pass id_col=None to use the index")
    import dask_geopandas  # noqa: F401 - registers the GeoDataFrame collection

    gaz_path = _gazetteer_path(gazetteer)
    roles = tuple(roles) if roles is not None else None
    return ddf.map_partitions(_frame_partition, text_col, id_col, gaz_path, roles,
                              meta=_meta(), align_dataframes=False)


# --------------------------------------------------------------------------- events

def _events_partition(records, text_key, id_key, published_key, source_key, gaz_path):
    from .events import extract_events
    from .outputs import events_to_gdf

    gaz = worker_parser(gaz_path).gazetteer
    out = []
    for r in records:
        if not isinstance(r, dict):
            raise TypeError(f"expected a dict record, got {type(r).__name__}")
        out.extend(extract_events(r[text_key], published=r.get(published_key) or None,
                                  source=str(r.get(source_key) or ""),
                                  doc_id=str(r.get(id_key) or ""), gazetteer=gaz))
    return events_to_gdf(out)


def events_bag(bag, *, text_key: str = "text", id_key: str = "id",
               published_key: str = "published", source_key: str = "source",
               gazetteer=None):
    """Events of a ``dask.bag`` of article dicts, as a ``dask_geopandas.GeoDataFrame``.

    Each item is a dict with the text (``text_key``) and optionally an id, a
    publication date (``published_key``, for relative dates) and a source; the
    columns are those of :func:`geoevents.outputs.events_to_gdf`.
    """
    import dask
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401 - registers the GeoDataFrame collection

    from .outputs import events_to_gdf

    gaz_path = _gazetteer_path(gazetteer)
    fn = dask.delayed(_events_partition, pure=True)
    parts = [fn(p, text_key, id_key, published_key, source_key, gaz_path)
             for p in bag.to_delayed()]
    return dd.from_delayed(parts, meta=events_to_gdf([]), verify_meta=False)


# --------------------------------------------------------------------------- CLI engine

def _client(scheduler: str | None, n_workers: int | None):
    from dask.distributed import Client, LocalCluster

    root = logging.getLogger().getEffectiveLevel()
    for name in ("distributed", "dask"):  # no INFO chatter unless -v asks for it
        lg = logging.getLogger(name)
        if lg.getEffectiveLevel() < max(root, logging.WARNING):
            lg.setLevel(max(root, logging.WARNING))
    if scheduler:
        return Client(scheduler), None
    from .scale import default_jobs
    cluster = LocalCluster(n_workers=n_workers or default_jobs(), threads_per_worker=1,
                           processes=True, host="127.0.0.1", dashboard_address=None,
                           silence_logs=logging.ERROR)
    return Client(cluster), cluster


def _partition_task(batch, gaz_path, roles, path=None, full_geometry=False):
    gdf = mentions_frame(batch, gaz_path, roles, full_geometry)
    if path is None:
        return gdf
    gdf.to_parquet(path, index=False)  # written by the worker: only a count travels back
    return len(gdf)


def write_parquet(docs: Iterable[tuple[Any, str]], output: str | os.PathLike, *,
                  scheduler: str | None = None, roles: Sequence[str] | None = None,
                  gazetteer=None, n_workers: int | None = None, partition_size: int = 500,
                  max_inflight: int | None = None, progress=None, client=None,
                  write_on_workers: bool | None = None, full_geometry: bool = False) -> int:
    """Parse a stream of ``(id, text)`` on a Dask cluster into a GeoParquet folder.

    The documents are read here (so inputs need not be visible to the workers),
    sent in partitions of ``partition_size`` with at most ``max_inflight`` in flight
    (bounded memory), and each partition's mentions are written, in input order, as
    ``part.NNNNNN.parquet`` in a temporary folder beside ``output`` that replaces it
    only when everything succeeded.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler (``tcp://HOST:8786``); default: a
        ``LocalCluster`` of ``n_workers`` single-threaded processes on loopback.
    client : distributed.Client, optional
        Use this client instead (``scheduler`` is then ignored).
    full_geometry : bool, default False
        Write each mention's full geometry (polygons for areal places) instead of its
        point; points keep the files small, as ``geoevents parse`` JSONL does.
    write_on_workers : bool, optional
        Workers write their partitions straight into the output folder (which must
        then be on a file system they share with this process) instead of sending
        them back here. Default: True for the local cluster, False otherwise.

    Returns
    -------
    int
        The number of mentions written.
    """
    target = Path(output)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder; --engine dask writes "
                          "a folder of GeoParquet files")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{target}: parent folder {parent} does not exist")
    gaz_path = _gazetteer_path(gazetteer)
    roles = tuple(roles) if roles is not None else None
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=parent))
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here ({exc.strerror})") from exc
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(tmp, 0o777 & ~mask)  # mkdtemp makes it private
    own = client is None
    cluster = None
    n_rows = 0
    pending: deque = deque()
    try:
        if own:
            client, cluster = _client(scheduler, n_workers)
        on_workers = (cluster is not None) if write_on_workers is None else write_on_workers
        workers = max(1, len(client.scheduler_info().get("workers", {})) or (n_workers or 1))
        window = max_inflight or 2 * workers + 1

        submitted = 0

        def submit(batch):
            nonlocal submitted
            path = str(tmp / f"part.{submitted:06d}.parquet")
            fut = client.submit(_partition_task, batch, gaz_path, roles,
                                path if on_workers else None, full_geometry, pure=False)
            pending.append((fut, path, len(batch)))
            submitted += 1

        def drain_one():
            nonlocal n_rows
            fut, path, n_docs = pending.popleft()
            res = fut.result()
            if on_workers:
                n_rows += res
            else:
                res.to_parquet(path, index=False)
                n_rows += len(res)
            fut.release()
            if progress is not None:
                progress.update(n_docs)

        batch: list = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= partition_size:
                submit(batch)
                batch = []
                while len(pending) >= window:
                    drain_one()
        if batch or not submitted:
            submit(batch)
        while pending:
            drain_one()
        _replace_dir(tmp, target)
    except BaseException:
        if pending and client is not None:
            with contextlib.suppress(Exception):
                client.cancel([f for f, _, _ in pending])
        shutil.rmtree(tmp, ignore_errors=True)
        if tmp.exists():  # a worker was still writing a part
            time.sleep(1)
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if own and client is not None:
            with contextlib.suppress(Exception):
                client.close()
            if cluster is not None:
                with contextlib.suppress(Exception):
                    cluster.close()
    if progress is not None:
        progress.close()
    return n_rows


def _replace_dir(tmp: Path, target: Path) -> None:
    """Move the finished ``tmp`` folder to ``target``, replacing an old one."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    try:
        os.replace(tmp, target)
    except OSError as exc:
        if old is not None:
            os.replace(old, target)
        raise OutputError(f"{target}: cannot move the result into place ({exc})") from exc
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
