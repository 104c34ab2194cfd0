"""geoevents.dask on a LocalCluster (loopback, 2 worker processes) equals the local engine."""

from __future__ import annotations

import json
import os

import pytest

pytest.importorskip("dask")
pytest.importorskip("dask_geopandas")
distributed = pytest.importorskip("dask.distributed")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from test_scale import _docs, _write_jsonl  # noqa: E402

from geoevents.cli import main  # noqa: E402
from geoevents.geoparse import Geoparser  # noqa: E402

N_DOCS = 80


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None,
                                       silence_logs=40)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def docs():
    return _docs(N_DOCS, seed=61)


@pytest.fixture(scope="module")
def local_rows(docs, tmp_path_factory):
    """The local engine's output (geoevents parse --jobs 1), flattened to one row a mention."""
    d = tmp_path_factory.mktemp("dask")
    src, out = _write_jsonl(d / "docs.jsonl", docs), d / "local.jsonl"
    r = CliRunner().invoke(main, ["-q", "parse", src, "-o", str(out), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    rows = []
    for line in out.read_text("utf-8").splitlines():
        rec = json.loads(line)
        rows += [{"doc_id": rec["id"], **m} for m in rec["mentions"]]
    parser = Geoparser()
    geoms = [m.geometry for x in docs for m in parser(x["text"])]
    return rows, geoms


def _as_records(gdf) -> list[dict]:
    df = pd.DataFrame(gdf.drop(columns="geometry")).astype(object)
    df = df.where(df.notna(), None)
    return [{k: v for k, v in r.items()} for r in df.to_dict("records")]


def _same_geoms(a, b) -> bool:
    return len(a) == len(b) and all(
        (x is None and y is None) or (x is not None and y is not None and shapely.equals_exact(
            x, y, 1e-9)) for x, y in zip(a, b))


def test_parse_bag_equals_local(client, docs, local_rows):
    import dask_geopandas

    from geoevents.dask import parse_bag

    rows, geoms = local_rows
    gdf = parse_bag(db.from_sequence(docs, npartitions=4))
    assert isinstance(gdf, dask_geopandas.GeoDataFrame)
    got = gdf.compute()  # the distributed client is the default scheduler
    assert got.crs.to_epsg() == 4326
    assert _as_records(got) == rows
    assert _same_geoms(list(got.geometry.values), geoms)


def test_parse_frame_equals_parse_bag(client, docs, local_rows):
    from geoevents.dask import parse_frame

    ddf = dd.from_pandas(pd.DataFrame(docs), npartitions=3)
    got = parse_frame(ddf, text_col="text", id_col="id").compute()
    assert _as_records(got) == local_rows[0]


def test_gazetteer_loaded_once_per_worker(client, docs):
    from geoevents.dask import parse_bag

    def parsers():
        import geoevents.dask as gd
        return [id(p) for p in gd._PARSERS.values()]

    parse_bag(db.from_sequence(docs[:20], npartitions=4)).compute()
    before = client.run(parsers)
    parse_bag(db.from_sequence(docs[20:40], npartitions=4)).compute()
    after = client.run(parsers)
    assert len(before) == 2 and all(len(v) == 1 for v in after.values())
    assert before == after  # same parser object reused, not reloaded per task
    # only the gazetteer path travels with the tasks
    g = parse_bag(db.from_sequence(docs[:4], npartitions=1))
    import cloudpickle
    assert len(cloudpickle.dumps(dict(g.__dask_graph__()))) < 200_000


@pytest.mark.parametrize("on_workers", [False, True])
def test_write_parquet_and_cli(client, docs, local_rows, tmp_path, on_workers):
    import geopandas as gpd

    from geoevents.dask import write_parquet

    out = tmp_path / "mentions.parquet"
    pairs = [(x["id"], x["text"]) for x in docs]
    n = write_parquet(iter(pairs), out, client=client, partition_size=25,
                      write_on_workers=on_workers)
    assert n == len(local_rows[0])
    parts = sorted(os.listdir(out))
    assert parts == [f"part.{i:06d}.parquet" for i in range(4)]
    back = pd.concat([gpd.read_parquet(out / p) for p in parts], ignore_index=True)
    assert _as_records(back) == local_rows[0]

    if on_workers:
        return
    # the CLI, pointed at the running cluster
    src = _write_jsonl(tmp_path / "docs.jsonl", docs)
    out2 = tmp_path / "cli-out"
    addr = client.scheduler.address
    r = CliRunner().invoke(main, ["-q", "parse", src, "--engine", "dask", "--scheduler", addr,
                                  "-o", str(out2)])
    assert r.exit_code == 0, (r.output, r.exception)
    back2 = gpd.read_parquet(out2)
    assert _as_records(back2) == local_rows[0]


@pytest.mark.parametrize("on_workers", [False, True])
def test_write_parquet_failure_leaves_nothing(client, tmp_path, on_workers):
    from geoevents.dask import write_parquet

    out = tmp_path / "out"
    bad = [("a", "Shelling hit Mosul.")] * 30 + [("b", None)]  # not a text: fails in a task
    with pytest.raises(TypeError):
        write_parquet(iter(bad), out, client=client, partition_size=10,
                      write_on_workers=on_workers)
    assert os.listdir(tmp_path) == []


def test_events_bag(client, docs):
    from geoevents.dask import events_bag
    from geoevents.events import extract_events

    recs = [dict(x, published="2024-03-01") for x in docs[:30]]
    got = events_bag(db.from_sequence(recs, npartitions=3)).compute()
    want = [e.event_id for x in recs for e in extract_events(
        x["text"], published="2024-03-01", doc_id=x["id"])]
    assert list(got["event_id"]) == want
    assert got.crs.to_epsg() == 4326
