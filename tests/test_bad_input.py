"""Malformed input: every case runs the real CLI and must fail *well*.

Failing well means: exactly one ``Error: FILE[:LINE]: what is wrong`` line on stderr,
naming what was expected; a distinct non-zero exit code (2 usage, 3 bad input,
4 output not writable, 130 interrupted); no traceback; and no output file -- nor a
leftover ``.part`` temporary -- in the output folder. Inputs that merely look
unusual (a UTF-8 byte-order mark, Windows line endings) must work, and give the
same output as their plain twin.

Some cases began as ``xfail`` marks for bugs they found in other modules; those
bugs are fixed and the marks are gone.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _offline import cli_command, cli_env
from click.testing import CliRunner

from geoevents.cli import main
from geoevents.exc import InputError

EXIT_USAGE, EXIT_INPUT, EXIT_OUTPUT, EXIT_INTERRUPTED = 2, 3, 4, 130

DOC = {"id": "d1", "text": "Rockets hit Baghdad's Green Zone; US jets struck eastern Syria."}
DOC2 = {"id": "d2", "text": "Houthi attacks on shipping in the Red Sea near Yemen."}


def _jsonl(*docs) -> bytes:
    return b"".join(json.dumps(d).encode() + b"\n" for d in docs)


def _parse_args() -> list[str]:
    """``parse`` in-process: one job (no worker processes) when ``--jobs`` exists."""
    names = {p.name for p in main.commands["parse"].params}
    return ["parse", "--jobs", "1"] if "jobs" in names else ["parse"]


def _has(command: str) -> bool:
    return command in main.commands


needs_events = pytest.mark.skipif(not _has("events"), reason="geoevents events not there yet")


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A clean working folder; file names in messages are relative to it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=True)


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def assert_fails(result, code: int, where: str, *expect: str) -> str:
    """One ``Error: WHERE: ...`` line naming the problem, exit ``code``, no traceback."""
    out = result.output + (result.stderr if result.stderr not in result.output else "")
    assert "Traceback" not in out, out
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"unexpected {type(result.exception).__name__}: {result.exception}\n{out}")
    assert result.exit_code == code, f"exit {result.exit_code}, expected {code}:\n{out}"
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1, f"expected one Error: line, got:\n{result.stderr}"
    msg = errors[0]
    assert msg.startswith(f"Error: {where}"), f"{msg!r} does not name {where!r}"
    for word in expect:
        assert re.search(word, msg, re.I), f"{msg!r} does not say {word!r}"
    return msg


def assert_input_error(result, where: str, *expect: str) -> str:
    return assert_fails(result, EXIT_INPUT, where, *expect)


def assert_nothing_written(folder: Path, before: set[str]):
    after = listing(folder)
    assert after == before, f"left behind: {sorted(after - before)}"
    assert not [n for n in after if n.endswith(".part")]


def check_parse_fails(work: Path, name: str, data: bytes | None, where: str, *expect: str,
                      extra: tuple[str, ...] = ()):
    if data is not None:
        (work / name).write_bytes(data)
    before = listing(work)
    result = run(*_parse_args(), name, "-o", "out.jsonl", *extra)
    msg = assert_input_error(result, where, *expect)
    assert_nothing_written(work, before)
    return msg


# ------------------------------------------------------------------ files that are not there

def test_missing_file(work):
    check_parse_fails(work, "nope.jsonl", None, "nope.jsonl: ", "no such file")


def test_empty_directory(work):
    (work / "folder").mkdir()
    check_parse_fails(work, "folder", None, "folder: ", r"no .*\.txt files|directory")


def test_directory_for_events(work):
    if not _has("events"):
        pytest.skip("geoevents events not there yet")
    (work / "folder").mkdir()
    before = listing(work)
    assert_input_error(run("events", "folder", "-o", "out.geojson"), "folder: ", "directory")
    assert_nothing_written(work, before)


def test_unreadable_file(work, monkeypatch):
    path = work / "secret.jsonl"
    path.write_bytes(_jsonl(DOC))
    if os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything: make the read itself fail as it would for a user
        import builtins

        real_open = builtins.open

        def deny(file, *a, **k):
            if str(file).endswith("secret.jsonl"):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *a, **k)

        monkeypatch.setattr(builtins, "open", deny)
    try:
        check_parse_fails(work, "secret.jsonl", None, "secret.jsonl: ", "permission denied")
    finally:
        path.chmod(0o644)


# ------------------------------------------------------------------ empty, binary, encodings

def test_empty_jsonl(work):
    check_parse_fails(work, "empty.jsonl", b"", "empty.jsonl: ", "empty")


def test_blank_lines_jsonl(work):
    check_parse_fails(work, "blank.jsonl", b"\n  \n\r\n", "blank.jsonl: ", "empty")


def test_empty_text_file(work):
    check_parse_fails(work, "empty.txt", b"", "empty.txt: ", "empty", "expected text")


def test_whitespace_text_file(work):
    check_parse_fails(work, "space.txt", b" \n\t\r\n", "space.txt: ", "empty")


def test_binary_jsonl(work):
    data = b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4
    check_parse_fails(work, "bin.jsonl", data, "bin.jsonl:1: ", "binary|UTF-8")


def test_binary_text_file(work):
    data = gzip.compress(b"Baghdad " * 100)  # gzip bytes under a .txt name
    check_parse_fails(work, "bin.txt", data, "bin.txt", "binary|UTF-8")


def test_invalid_utf8_names_line(work):
    data = _jsonl(DOC, DOC2) + b'{"id": "d3", "text": "caf\xe9 in Mosul"}\n'
    check_parse_fails(work, "latin1.jsonl", data, "latin1.jsonl:3: ", "invalid UTF-8",
                      "expected UTF-8")


def test_utf16_with_bom(work):
    data = _jsonl(DOC).decode().encode("utf-16")
    check_parse_fails(work, "u16.jsonl", data, "u16.jsonl", "UTF-16", "expected UTF-8")


def test_utf16_without_bom(work):
    data = _jsonl(DOC).decode().encode("utf-16-le")
    check_parse_fails(work, "u16le.jsonl", data, "u16le.jsonl", "UTF-16", "expected UTF-8")


def test_utf16_text_file(work):
    data = DOC["text"].encode("utf-16")
    check_parse_fails(work, "u16.txt", data, "u16.txt: ", "UTF-16")


def test_truncated_gzip(work):
    data = gzip.compress(_jsonl(DOC, DOC2) * 50)[:40]
    check_parse_fails(work, "cut.jsonl.gz", data, "cut.jsonl.gz", "read|compressed|gzip")


def _parse_ok(work: Path, name: str, data: bytes) -> bytes:
    (work / name).write_bytes(data)
    result = run(*_parse_args(), name, "-o", f"{name}.out")
    assert result.exit_code == 0, result.output
    return (work / f"{name}.out").read_bytes()


def test_utf8_bom_works(work):
    plain = _parse_ok(work, "plain.jsonl", _jsonl(DOC, DOC2))
    bom = _parse_ok(work, "bom.jsonl", b"\xef\xbb\xbf" + _jsonl(DOC, DOC2))
    assert bom == plain and b'"d1"' in bom


def test_windows_line_endings_work(work):
    plain = _parse_ok(work, "plain.jsonl", _jsonl(DOC, DOC2))
    crlf = _parse_ok(work, "crlf.jsonl", _jsonl(DOC, DOC2).replace(b"\n", b"\r\n"))
    assert crlf == plain


def test_bom_and_crlf_text_file_works(work):
    text = "Fighting in Mogadishu.\nStrikes near Aleppo, Syria.\n"
    plain = _parse_ok(work, "plain.txt", text.encode()).replace(b"plain.txt", b"X")
    odd = _parse_ok(work, "odd.txt", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert odd.replace(b"odd.txt", b"X") == plain


# ------------------------------------------------------------------ malformed JSONL

def test_truncated_jsonl_line(work):
    data = _jsonl(DOC) + b'{"id": "d2", "text": "Strikes in eas'
    check_parse_fails(work, "cut.jsonl", data, "cut.jsonl:2: ", "invalid JSON",
                      "expected .*object")


def test_json_array_not_object(work):
    check_parse_fails(work, "arr.jsonl", _jsonl(DOC) + b'["d2", "Mosul"]\n', "arr.jsonl:2: ",
                      "expected a JSON object", "list")


def test_json_scalar_not_object(work):
    check_parse_fails(work, "str.jsonl", b'"Baghdad"\n', "str.jsonl:1: ",
                      "expected a JSON object")


def test_missing_text(work):
    check_parse_fails(work, "notext.jsonl", _jsonl(DOC, {"id": "d2", "body": "Mosul"}),
                      "notext.jsonl:2: ", '"text"')


def test_text_not_a_string(work):
    check_parse_fails(work, "num.jsonl", _jsonl({"id": "d1", "text": 42}), "num.jsonl:1: ",
                      '"text"', "string")


def test_missing_id_gets_file_line_id(work):
    # documented: a missing id defaults to FILE:LINE (it is not an error)
    out = _parse_ok(work, "noid.jsonl", _jsonl({"text": "Baghdad"}, {"text": "Mosul"}))
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert ids == ["noid.jsonl:1", "noid.jsonl:2"]


def test_duplicate_ids(work):
    check_parse_fails(work, "dup.jsonl", _jsonl(DOC, DOC2, {"id": "d1", "text": "Basra"}),
                      "dup.jsonl:3: ", "duplicate id", "unique")


def test_id_not_a_scalar(work):
    check_parse_fails(work, "idlist.jsonl", _jsonl({"id": [1], "text": "Mosul"}),
                      "idlist.jsonl:1: ", '"id"')


def test_nan_id(work):
    check_parse_fails(work, "nan.jsonl", b'{"id": NaN, "text": "Mosul"}\n', "nan.jsonl:1: ",
                      "id|NaN")


def test_deeply_nested_json(work):
    data = b'{"id": "d1", "text": ' + b"[" * 200_000 + b"}\n"
    check_parse_fails(work, "deep.jsonl", data, "deep.jsonl:1: ", "JSON")


def test_fifty_megabyte_single_line(work):
    data = b'{"id": "big", "text": "' + b"Baghdad " * (50 * 2**20 // 8) + b'"}\n'
    check_parse_fails(work, "big.jsonl", data, "big.jsonl:1: ", "longer than", "per line")


def test_bad_csv_without_text_column(work):
    check_parse_fails(work, "docs.csv", b"id,body\n1,Baghdad\n", "docs.csv:1: ",
                      "no 'text' column")


def test_ragged_csv_docs(work):
    check_parse_fails(work, "docs.csv", b"id,text\n1,Baghdad\n2,Mosul,extra\n",
                      "docs.csv:3: ", "fields")


def test_error_in_second_input_leaves_no_output(work):
    (work / "good.jsonl").write_bytes(_jsonl(DOC, DOC2))
    (work / "bad.jsonl").write_bytes(_jsonl(DOC) + b"{oops\n")
    before = listing(work)
    result = run(*_parse_args(), "good.jsonl", "bad.jsonl", "-o", "out.jsonl")
    assert_input_error(result, "bad.jsonl:2: ", "invalid JSON")
    assert_nothing_written(work, before)


def test_failed_run_keeps_previous_output(work):
    (work / "out.jsonl").write_text("previous result\n")
    (work / "bad.jsonl").write_bytes(b"{oops\n")
    result = run(*_parse_args(), "bad.jsonl", "-o", "out.jsonl")
    assert_input_error(result, "bad.jsonl:1: ")
    assert (work / "out.jsonl").read_text() == "previous result\n"
    assert not [n for n in listing(work) if n.endswith(".part")]


# ------------------------------------------------------------------ outputs that cannot be written

def _check_output_fails(work, out: str, *expect: str):
    (work / "in.jsonl").write_bytes(_jsonl(DOC))
    before = listing(work)
    result = run(*_parse_args(), "in.jsonl", "-o", out)
    msg = assert_fails(result, EXIT_OUTPUT, out, *expect)
    assert_nothing_written(work, before)
    return msg


def test_output_directory_missing(work):
    _check_output_fails(work, "no/such/dir/out.jsonl", "does not exist")


def test_output_unwritable(work):
    _check_output_fails(work, "/proc/out.jsonl", "cannot write")


def test_output_is_a_directory(work):
    (work / "outdir").mkdir()
    _check_output_fails(work, "outdir", "directory")


def test_output_parent_is_a_file(work):
    (work / "afile").write_text("x")
    _check_output_fails(work, "afile/out.jsonl", "not a directory")


def test_bad_option_is_a_usage_error(work):
    (work / "in.jsonl").write_bytes(_jsonl(DOC))
    before = listing(work)
    result = run(*_parse_args(), "in.jsonl", "-o", "out.jsonl", "--roles", "literal,bogus")
    assert result.exit_code == EXIT_USAGE and "bogus" in result.output
    assert "Traceback" not in result.output
    assert_nothing_written(work, before)


# ------------------------------------------------------------------ every command, same contract

COMMANDS = [c for c in ("parse", "events", "geojson", "map") if c in main.commands]


def _cmd(command: str) -> list[str]:
    return _parse_args() if command == "parse" else [command]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", ["missing", "directory", "binary", "empty", "utf16"])
def test_every_command_rejects_bad_input(work, command, case):
    name = {"missing": "nope.txt", "directory": "adir", "binary": "blob.txt",
            "empty": "empty.txt", "utf16": "wide.txt"}[case]
    if case == "directory":
        (work / name).mkdir()
        (work / name / "notes.md").write_text("not a .txt")
    elif case == "binary":
        (work / name).write_bytes(b"\x00\x01\x02" * 100)
    elif case == "empty":
        (work / name).write_bytes(b"")
    elif case == "utf16":
        (work / name).write_bytes(DOC["text"].encode("utf-16"))
    before = listing(work)
    out = "out.html" if command == "map" else "out.geojson"
    result = run(*_cmd(command), name, "-o", out)
    expect = {"missing": "no such file", "directory": "director|folder|no .*files",
              "binary": "binary|UTF-8", "empty": "empty", "utf16": "UTF-16"}[case]
    assert_input_error(result, name, expect)
    assert_nothing_written(work, before)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_rejects_missing_output_dir(work, command):
    (work / "in.txt").write_text(DOC["text"])
    before = listing(work)
    out = "missing/out.html" if command == "map" else "missing/out.geojson"
    result = run(*_cmd(command), "in.txt", "-o", out, *(["--published", "2023-12-08"]
                                                         if command != "parse" else []))
    assert_fails(result, EXIT_OUTPUT, out, "does not exist")
    assert_nothing_written(work, before)


@pytest.mark.parametrize("command", [
    c for c in COMMANDS])
def test_output_is_checked_before_reading_inputs(work, command):
    (work / "bad.txt").write_bytes(b"caf\xe9 in Baghdad")  # an input error, found on reading
    result = run(command, "bad.txt", "-o", "missing/out.x")
    assert result.exit_code == EXIT_OUTPUT, result.output


# ------------------------------------------------------------------ event records (events --strict)

H = "event_date,event_type,location,country,latitude,longitude,fatalities"
GOOD_ROW = "2023-12-08,Explosions/Remote violence,Baghdad,Iraq,33.3,44.4,0"


def check_events_fails(work: Path, name: str, data: str | bytes, where: str, *expect: str):
    if not _has("events"):
        pytest.skip("geoevents events not there yet")
    (work / name).write_bytes(data.encode() if isinstance(data, str) else data)
    before = listing(work)
    result = run("events", name, "--strict", "-o", "out.geojson")
    msg = assert_input_error(result, where, *expect)
    assert_nothing_written(work, before)
    return msg


def _csv(*rows: str, header: str = H) -> str:
    return "\n".join((header, *rows)) + "\n"


@needs_events
def test_events_good_csv_works(work):
    (work / "ok.csv").write_text(_csv(GOOD_ROW))
    result = run("events", "ok.csv", "--strict", "-o", "out.geojson")
    assert result.exit_code == 0, result.output
    assert json.loads((work / "out.geojson").read_text())["features"]


@needs_events
def test_events_ragged_csv_long_row(work):
    check_events_fails(work, "ragged.csv", _csv(GOOD_ROW, GOOD_ROW + ",extra"),
                       "ragged.csv:3: ", "fields", "header")


@needs_events
def test_events_ragged_csv_short_row(work):
    check_events_fails(work, "short.csv", _csv(GOOD_ROW, "2023-12-08,Battles,Mosul"),
                       "short.csv:3: ", "fields")


@needs_events
def test_events_csv_without_needed_columns(work):
    check_events_fails(work, "cols.csv", _csv("1,2", header="foo,bar"), "cols.csv:",
                       "coordinates|location")


@needs_events
def test_events_empty_csv(work):
    check_events_fails(work, "empty.csv", b"", "empty.csv", "empty")


@needs_events
@pytest.mark.parametrize("lat, lon, expect", [
    ("abc", "44.4", "latitude .*not a number"),
    ("33.3", "", "longitude|coordinates"),
    ("NaN", "44.4", "latitude .*not a finite number"),
    ("33.3", "inf", "longitude .*not a finite number"),
    ("-Infinity", "44.4", "latitude .*finite"),
    ("91", "44.4", "latitude 91 .*-90..90"),
    ("-90.5", "44.4", "latitude -90.5 .*-90..90"),
    ("33.3", "181", "longitude 181 .*-180..180"),
    ("33.3", "-540", "longitude -540 .*-180..180"),
    ("44.4", "33.3", "swapped"),
], ids=["non-numeric", "half-missing", "nan", "inf", "-inf", "lat91", "lat-90.5", "lon181",
        "lon-540", "swapped"])
def test_events_bad_coordinates(work, lat, lon, expect):
    row = f"2023-12-08,Battles,Baghdad,Iraq,{lat},{lon},0"
    check_events_fails(work, "coords.csv", _csv(GOOD_ROW, row), "coords.csv:3: ", expect)


@needs_events
@pytest.mark.parametrize("date, expect", [
    ("2023-13-45", "invalid date"),
    ("yesterday-ish", "invalid date"),
    ("2999-12-08", "future"),
], ids=["month13", "words", "far-future"])
def test_events_bad_dates(work, date, expect):
    row = f"{date},Battles,Baghdad,Iraq,33.3,44.4,0"
    check_events_fails(work, "dates.csv", _csv(row), "dates.csv:2: ", expect)


@needs_events
def test_events_bad_fatalities(work):
    check_events_fails(work, "fat.csv", _csv("2023-12-08,Battles,Baghdad,Iraq,33.3,44.4,-3"),
                       "fat.csv:2: ", "fatalities")


def _fc(geometry) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": geometry,
         "properties": {"event_date": "2023-12-08", "event_type": "Battles"}}]})


@needs_events
def test_events_self_intersecting_polygon(work):
    bowtie = {"type": "Polygon", "coordinates": [[[44, 33], [45, 34], [45, 33], [44, 34],
                                                  [44, 33]]]}
    check_events_fails(work, "bowtie.geojson", _fc(bowtie), "bowtie.geojson:1: ",
                       "invalid geometry|self-intersection")


@needs_events
def test_events_unclosed_ring(work):
    ring = {"type": "Polygon", "coordinates": [[[44, 33], [45, 33], [45, 34], [44, 34]]]}
    check_events_fails(work, "open.geojson", _fc(ring), "open.geojson:1: ",
                       "invalid geometry|closed")


@needs_events
def test_events_unknown_geometry_type(work):
    check_events_fails(work, "blob.geojson", _fc({"type": "Blob", "coordinates": [1, 2]}),
                       "blob.geojson:1: ", "invalid geometry")


@needs_events
def test_events_geometry_out_of_range(work):
    check_events_fails(work, "far.geojson", _fc({"type": "Point", "coordinates": [200, 1]}),
                       "far.geojson:1: ", "outside")


@needs_events
def test_events_truncated_geojson(work):
    check_events_fails(work, "cut.geojson", _fc(None)[:30], "cut.geojson", "invalid JSON")


@needs_events
def test_events_jsonl_not_objects(work):
    good = '{"event_date": "2023-12-08", "latitude": 33.3, "longitude": 44.4}\n'
    check_events_fails(work, "ev.jsonl", good + "[1, 2]\n", "ev.jsonl:2: ", "JSON object")


def test_read_events_strict_raises_with_line(tmp_path):
    records = pytest.importorskip("geoevents.records")
    path = tmp_path / "ev.csv"
    path.write_text(_csv(GOOD_ROW, "2023-12-08,Battles,Baghdad,Iraq,95,44.4,0"))
    with pytest.raises(InputError) as info:
        records.read_events(path, strict=True)
    assert info.value.line == 3 and info.value.path == str(path)
    assert "latitude" in info.value.message
    # not strict: the bad row is skipped and reported with its line
    report = records.ReadReport(str(path))
    events = list(records.iter_events(path, report=report))
    assert len(events) == 1 and report.skipped == 1 and report.problems[0][0] == 3


# ------------------------------------------------------------ processes: stdin, signals, pipes

def _spawn(args, cwd, **kw):
    return subprocess.Popen(cli_command(*args), cwd=cwd, env=cli_env(), **kw)


def test_stdin_closed_immediately(tmp_path):
    proc = _spawn(["parse", "-", "-o", "out.jsonl"], tmp_path, stdin=subprocess.DEVNULL,
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == EXIT_INPUT, err
    assert err.decode().strip().splitlines() == ["Error: -: is empty; expected text"]
    assert listing(tmp_path) == set()


@needs_events
def test_stdin_closes_mid_record(tmp_path):
    # a writer that dies mid-line: the cut record is reported, nothing is written
    proc = _spawn(["events", "-", "--strict", "-o", "out.geojson"], tmp_path,
                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    cut = (b'{"event_date": "2023-12-08", "latitude": 33.3, "longitude": 44.4}\n'
           b'{"event_date": "2023-12-08", "latit')
    out, err = proc.communicate(cut, timeout=120)
    assert proc.returncode == EXIT_INPUT, err
    lines = err.decode().strip().splitlines()
    assert [ln for ln in lines if ln.startswith("Error:")] == [
        ln for ln in lines if ln.startswith("Error: -:2: invalid JSON")], lines
    assert "Traceback" not in err.decode()
    assert listing(tmp_path) == set()


def _big_corpus(path: Path, n: int = 20000):
    docs = (DOC["text"] + " Clashes near Mosul, Aleppo and Mogadishu on Friday.") * 3
    with open(path, "w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"doc{i}", "text": docs}) + "\n")


def _interrupt_mid_run(tmp_path, sig, jobs: str):
    _big_corpus(tmp_path / "big.jsonl")
    before = listing(tmp_path)
    args = ["parse", "big.jsonl", "-o", "out.jsonl"]
    if "jobs" in {p.name for p in main.commands["parse"].params}:
        args += ["--jobs", jobs]
    proc = _spawn(args, tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                  start_new_session=True)
    deadline = time.monotonic() + 120
    part = None
    while time.monotonic() < deadline and proc.poll() is None:  # wait for output to flow
        parts = [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
        if parts and parts[0].stat().st_size > 0:
            part = parts[0]
            break
        time.sleep(0.05)
    assert part is not None and proc.poll() is None, "run ended before it could be interrupted"
    os.killpg(proc.pid, sig)  # like Ctrl-C at a terminal: the whole process group
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err.decode(), err.decode()
    assert_nothing_written(tmp_path, before)
    return proc.returncode, err.decode()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_mid_run_leaves_no_file(tmp_path, jobs):
    code, err = _interrupt_mid_run(tmp_path, signal.SIGINT, jobs)
    assert code == EXIT_INTERRUPTED, err
    assert "interrupted" in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_mid_run_leaves_no_file(tmp_path, jobs):
    code, err = _interrupt_mid_run(tmp_path, signal.SIGTERM, jobs)
    assert code in (128 + signal.SIGTERM, -signal.SIGTERM, EXIT_INTERRUPTED), err


def test_broken_pipe_is_quiet(tmp_path):
    _big_corpus(tmp_path / "big.jsonl", n=3000)
    args = ["parse", "big.jsonl"]
    if "jobs" in {p.name for p in main.commands["parse"].params}:
        args += ["--jobs", "1"]
    proc = _spawn(args, tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(100)  # like `| head -c 100`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert proc.returncode in (0, 1, 141, -signal.SIGPIPE), err


def test_subprocess_error_format(tmp_path):
    # the real entry point (not CliRunner) prints the same single line
    (tmp_path / "cut.jsonl").write_bytes(b'{"id": "x", "te')
    res = subprocess.run(cli_command("parse", "cut.jsonl", "-o", "o.jsonl"), cwd=tmp_path,
                         env=cli_env(), capture_output=True, timeout=120)
    assert res.returncode == EXIT_INPUT
    assert res.stderr.decode().splitlines() == [
        'Error: cut.jsonl:1: invalid JSON (Unterminated string starting at); expected one '
        '{"id": ..., "text": ...} object per line']
    assert sorted(listing(tmp_path)) == ["cut.jsonl"]


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX signals and /proc")
