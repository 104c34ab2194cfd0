"""``geoevents._io``: atomic outputs, careful decoding, streaming lines; the offline guard."""

from __future__ import annotations

import errno
import gzip
import io
import os
import socket
import stat
import subprocess
import sys
import urllib.request

import pytest
from _offline import OfflineViolation, cli_command, cli_env

from geoevents import _io
from geoevents._io import (
    atomic_output,
    atomic_path,
    check_output_path,
    iter_lines,
    read_text_file,
)
from geoevents.exc import InputError, OutputError


def parts(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


# ------------------------------------------------------------------ atomic_output

def test_atomic_output_writes_whole_file(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_output(target) as fh:
        fh.write("a\n")
        assert not target.exists()  # nothing visible until the block succeeds
        assert len(parts(tmp_path)) == 1
    assert target.read_text() == "a\n"
    assert parts(tmp_path) == []


def test_atomic_output_keeps_newlines_verbatim(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_output(target) as fh:
        fh.write("a\nb\r\n")
    assert target.read_bytes() == b"a\nb\r\n"


@pytest.mark.parametrize("exc", [ValueError("boom"), KeyboardInterrupt(), SystemExit(143)])
def test_atomic_output_failure_leaves_nothing(tmp_path, exc):
    target = tmp_path / "out.txt"
    with pytest.raises(type(exc)):
        with atomic_output(target) as fh:
            fh.write("partial")
            raise exc
    assert list(tmp_path.iterdir()) == []


def test_atomic_output_failure_keeps_previous_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as fh:
            fh.write("new")
            raise RuntimeError
    assert target.read_text() == "old"
    assert parts(tmp_path) == []


def test_atomic_output_permissions_follow_umask(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_output(tmp_path / "new.txt") as fh:
            fh.write("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


def test_atomic_output_keeps_mode_of_replaced_file(tmp_path):
    target = tmp_path / "private.txt"
    target.write_text("old")
    target.chmod(0o600)
    with atomic_output(target) as fh:
        fh.write("new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_atomic_output_binary(tmp_path):
    with atomic_output(tmp_path / "b.bin", "wb") as fh:
        fh.write(b"\x00\x01")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"


def test_atomic_output_dash_is_stdout(capsys):
    with atomic_output("-") as fh:
        fh.write("to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"


@pytest.mark.parametrize("where, expect", [
    ("missing/dir/out.txt", "does not exist"),
    ("afile/out.txt", "not a directory"),
    ("adir", "is a directory"),
    ("/proc/out.txt", "cannot write"),
])
def test_atomic_output_unwritable(tmp_path, monkeypatch, where, expect):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("x")
    (tmp_path / "adir").mkdir()
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(OutputError, match=expect) as info:
        with atomic_output(where) as fh:
            fh.write("x")
    assert str(info.value).startswith(where)
    assert sorted(os.listdir(tmp_path)) == before


def test_check_output_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    check_output_path("-")
    check_output_path("fine.geojson")
    (tmp_path / "afile").write_text("x")
    for bad, expect in (("missing/x.geojson", "does not exist"), (".", "is a directory"),
                        ("afile/x.geojson", "not a directory")):
        with pytest.raises(OutputError, match=expect):
            check_output_path(bad)
    assert sorted(os.listdir(tmp_path)) == ["afile"]  # checking writes nothing


def test_atomic_output_disk_full_is_an_output_error(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_io.os, "fsync", full)
    with pytest.raises(OutputError, match="No space left"):
        with atomic_output(tmp_path / "out.txt") as fh:
            fh.write("x")
    assert list(tmp_path.iterdir()) == []


def test_atomic_output_sigterm_cleans_up(tmp_path):
    code = (
        "import os, signal, sys, time\n"
        "from geoevents._io import atomic_output\n"
        "with atomic_output(sys.argv[1]) as fh:\n"
        "    fh.write('partial'); fh.flush()\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(30)\n"
    )
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out.txt")],
                         env=cli_env(), capture_output=True, timeout=60)
    assert res.returncode == 143, res.stderr.decode()
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ atomic_path

def test_atomic_path_for_writers_by_name(tmp_path):
    target = tmp_path / "events.gpkg"
    old = os.umask(0o022)
    try:
        with atomic_path(target) as tmp:
            assert tmp.parent == tmp_path and tmp.name.endswith(".part.gpkg")
            assert not tmp.exists()  # GDAL drivers refuse to overwrite
            tmp.write_bytes(b"SQLite format 3\x00")
            assert not target.exists()
    finally:
        os.umask(old)
    assert target.read_bytes().startswith(b"SQLite")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.gpkg"]


def test_atomic_path_failure_leaves_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(tmp_path / "map.html") as tmp:
            tmp.write_text("<html>half")
            raise KeyboardInterrupt
    with pytest.raises(OutputError, match="nothing was written"):
        with atomic_path(tmp_path / "map.html"):
            pass
    with pytest.raises(OutputError, match="does not exist"):
        with atomic_path(tmp_path / "missing" / "map.html"):
            pass
    assert list(tmp_path.iterdir()) == []


def test_geopandas_writes_through_atomic_path(tmp_path):
    gpd = pytest.importorskip("geopandas")
    from shapely.geometry import Point

    gdf = gpd.GeoDataFrame({"name": ["Baghdad"]}, geometry=[Point(44.4, 33.3)], crs=4326)
    with atomic_path(tmp_path / "places.gpkg") as tmp:
        gdf.to_file(tmp, driver="GPKG", layer="places", engine="pyogrio")
    assert gpd.read_file(tmp_path / "places.gpkg").loc[0, "name"] == "Baghdad"
    assert [p.name for p in tmp_path.iterdir()] == ["places.gpkg"]


# ------------------------------------------------------------------ read_text_file

def _file(tmp_path, data: bytes, name="in.txt"):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_read_text_file_bom_and_crlf(tmp_path):
    p = _file(tmp_path, b"\xef\xbb\xbfBaghdad\r\nMosul\r\n")
    assert read_text_file(p) == "Baghdad\nMosul\n"


@pytest.mark.parametrize("data, expect", [
    ("Baghdad".encode("utf-16"), "UTF-16"),
    ("Baghdad and Mosul".encode("utf-16-le"), "UTF-16"),
    ("Baghdad and Mosul".encode("utf-16-be"), "UTF-16"),
    ("Baghdad".encode("utf-32"), "UTF-32"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
], ids=["utf16-bom", "utf16le", "utf16be", "utf32", "png"])
def test_read_text_file_wrong_encoding(tmp_path, data, expect):
    with pytest.raises(InputError, match=expect) as info:
        read_text_file(_file(tmp_path, data))
    assert "expected UTF-8" in info.value.message


def test_read_text_file_invalid_utf8_names_line(tmp_path):
    with pytest.raises(InputError) as info:
        read_text_file(_file(tmp_path, b"one\ntwo\nd\xe9j\xe0 vu\n"))
    assert info.value.line == 3 and "0xe9" in info.value.message


def test_read_text_file_missing_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text_file(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_text_file(tmp_path)


def test_read_text_file_max_bytes(tmp_path):
    p = _file(tmp_path, b"x" * 1000)
    assert len(read_text_file(p, max_bytes=1000)) == 1000
    with pytest.raises(InputError, match="larger than 999 bytes"):
        read_text_file(p, max_bytes=999)


def test_read_text_file_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbfKyiv\r\n")))
    assert read_text_file("-") == "Kyiv\n"


# ------------------------------------------------------------------ iter_lines

def test_iter_lines_numbers_bom_crlf(tmp_path):
    p = _file(tmp_path, b"\xef\xbb\xbfa\r\n\r\nb\nc", "in.jsonl")
    assert list(iter_lines(p)) == [(1, "a"), (2, ""), (3, "b"), (4, "c")]


def test_iter_lines_empty_file(tmp_path):
    assert list(iter_lines(_file(tmp_path, b"", "in.jsonl"))) == []


def test_iter_lines_keeps_unicode_separators(tmp_path):
    # only \n ends a line: U+2028, U+0085 and lone \r stay inside the record
    line = "a\u2028b\u0085c\rd"
    assert list(iter_lines(_file(tmp_path, line.encode() + b"\n", "in.jsonl"))) == [(1, line)]


@pytest.mark.parametrize("data, line, expect", [
    (b"ok\nok\n\xff\xfe\n", 3, "invalid UTF-8"),
    (b"ok\nnul\x00here\n", 2, "NUL"),
], ids=["bad-utf8", "nul"])
def test_iter_lines_errors_name_the_line(tmp_path, data, line, expect):
    with pytest.raises(InputError, match=expect) as info:
        list(iter_lines(_file(tmp_path, data, "in.jsonl")))
    assert info.value.line == line


def test_iter_lines_utf16(tmp_path):
    with pytest.raises(InputError, match="UTF-16"):
        list(iter_lines(_file(tmp_path, "a\nb\n".encode("utf-16"), "in.jsonl")))


def test_iter_lines_long_line_is_refused_without_reading_it_whole(tmp_path):
    p = _file(tmp_path, b"short\n" + b"x" * 5000 + b"\nshort\n", "in.jsonl")
    it = iter_lines(p, max_line_bytes=1000)
    assert next(it) == (1, "short")
    with pytest.raises(InputError, match="longer than 1000 bytes") as info:
        next(it)
    assert info.value.line == 2
    assert len(list(iter_lines(p, max_line_bytes=None))) == 3
    assert _io.MAX_LINE_BYTES >= 8 * 2**20  # generous for real records


def test_iter_lines_gzip(tmp_path):
    p = tmp_path / "in.jsonl.gz"
    p.write_bytes(gzip.compress(b"a\nb\n"))
    assert list(iter_lines(p)) == [(1, "a"), (2, "b")]


@pytest.mark.parametrize("data", [
    gzip.compress(os.urandom(4000).hex().encode())[:300],  # truncated stream
    b"\x1f\x8b\x08\x00garbage-garbage-garbage",            # corrupt deflate data
    b"not gzip at all\n",                                  # not gzip
], ids=["truncated", "corrupt", "not-gzip"])
def test_iter_lines_bad_gzip(tmp_path, data):
    p = tmp_path / "in.jsonl.gz"
    p.write_bytes(data)
    with pytest.raises(InputError, match="cannot read it") as info:
        list(iter_lines(p))
    assert info.value.path == str(p)


def test_iter_lines_missing(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(iter_lines(tmp_path / "nope.jsonl"))


# ------------------------------------------------------------------ the offline promise

def test_network_is_blocked_in_tests():
    with pytest.raises(OSError, match="network access blocked"):  # URLError wraps it
        urllib.request.urlopen("https://example.com/", timeout=2)
    with pytest.raises(OfflineViolation):
        socket.create_connection(("198.51.100.7", 80), timeout=1)
    with pytest.raises(OfflineViolation):
        socket.getaddrinfo("nominatim.openstreetmap.org", 443)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        with pytest.raises(OfflineViolation):
            s.sendto(b"x", ("8.8.8.8", 53))
    finally:
        s.close()


def test_loopback_is_allowed():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    try:
        client = socket.create_connection(server.getsockname(), timeout=5)
        client.close()
        assert socket.getaddrinfo("localhost", 80)
    finally:
        server.close()


def test_whole_package_imports_and_runs_offline():
    import importlib
    import pkgutil

    import geoevents

    for mod in pkgutil.walk_packages(geoevents.__path__, "geoevents."):
        if mod.name.startswith("geoevents._vendor"):
            continue
        try:
            importlib.import_module(mod.name)
        except ImportError as exc:  # optional extras (dask) may be absent
            if "dask" not in str(exc):
                raise
    from geoevents.geoparse import geoparse

    assert geoparse("Rockets hit Baghdad's Green Zone.")


def test_cli_subprocess_is_offline_too(tmp_path):
    guard = ("import _offline, urllib.request; _offline.install(); "
             "urllib.request.urlopen('http://example.com', timeout=2)")
    res = subprocess.run([sys.executable, "-c", guard], cwd=os.path.dirname(cli_command()[1]),
                         capture_output=True, timeout=60)
    assert b"OfflineViolation" in res.stderr
    res = subprocess.run(cli_command("gazetteer", "search", "Baghdad"), env=cli_env(),
                         capture_output=True, timeout=120)
    assert res.returncode == 0 and b"Baghdad" in res.stdout, res.stderr.decode()


def test_seen_ids_across_batches(monkeypatch):
    from geoevents._io import SeenIds

    monkeypatch.setattr(SeenIds, "_BATCH", 7)
    monkeypatch.setattr(SeenIds, "_BLOCK", 3)  # runs are read back in several blocks
    seen = SeenIds()
    ids = [f"doc-{i}" for i in range(100)] + list(range(50)) + ["50"]
    assert all(seen.add(d, line) is None for line, d in enumerate(ids, 1))
    assert len(seen._recent) < 7 and sum(n for _, n in seen._runs) >= 140  # spilled
    assert seen.first_repeat() is None
    assert seen.add(50, 200) is None  # new: only the string "50" was seen
    assert seen.add(49, 201) is None  # older than the window: found at the end
    assert seen.add(49, 202) == 201  # within the window: found at once
    assert seen.first_repeat() == (201, 150)  # line 201 repeats 49 (line 150)


def test_seen_ids_repeat_reported_at_end(tmp_path, monkeypatch):
    import json

    from geoevents.cli.parse import iter_records

    monkeypatch.setattr(_io.SeenIds, "_BATCH", 4)
    p = tmp_path / "docs.jsonl"
    lines = [json.dumps({"id": f"d{i}", "text": "Rain in Paris."}) for i in range(30)]
    lines.insert(20, json.dumps({"id": "d2", "text": "Again."}))
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"docs.jsonl:21: repeats the id of line 3"):
        list(iter_records(str(p)))
    p.write_text("\n".join(lines[:20] + lines[21:]) + "\n")
    assert len(list(iter_records(str(p)))) == 30
