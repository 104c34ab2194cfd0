"""I/O at the edges: atomic output files and careful input decoding."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import signal
import sys
import tempfile
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .exc import InputError, OutputError

__all__ = ["atomic_output", "atomic_path", "check_output_path", "read_text_file",
           "open_text_input", "iter_lines", "MAX_LINE_BYTES"]

#: Longest line :func:`iter_lines` accepts (bytes). Records and documents are one per
#: line; a longer line is almost always a wrong file (a one-line JSON dump, a binary
#: blob), and reading it whole would only exhaust memory.
MAX_LINE_BYTES = 16 * 1024 * 1024

#: Errors of a write that mean "the output could not be written", not a program bug.
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS,
                 errno.EACCES, errno.EPERM}

_umask_lock = threading.Lock()


def _umask() -> int:
    with _umask_lock:
        mask = os.umask(0)
        os.umask(mask)
    return mask


@contextlib.contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """Turn SIGTERM into ``SystemExit(143)`` while writing, so cleanup runs.

    Only from the main thread and only when nobody installed a handler already.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        previous = signal.getsignal(signal.SIGTERM)
    except (ValueError, AttributeError):  # pragma: no cover - exotic platforms
        yield
        return
    if previous not in (signal.SIG_DFL, None):
        yield
        return

    owner = os.getpid()

    def _handler(signum, frame):
        if os.getpid() != owner:
            # A worker process forked while we were writing inherited this handler.
            # It must die as by default: a SystemExit raised inside a pool task would
            # be caught and sent back as a result, leaving the worker alive and the
            # parent waiting for it at exit.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _output_parent(target: Path) -> Path:
    if target.is_dir():
        raise OutputError(f"{target}: is a directory, expected an output file path")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.exists():
        raise OutputError(f"{target}: output directory {parent} does not exist")
    if not parent.is_dir():
        raise OutputError(f"{target}: {parent} is not a directory")
    return parent


def check_output_path(path: str | os.PathLike) -> None:
    """Raise :class:`OutputError` now if ``path`` could not be written later.

    Call it before a long run so that a typo in ``-o`` fails in a second, not after
    an hour of work. ``"-"`` (standard output) is always fine.
    """
    if str(path) == "-":
        return
    target = Path(path)
    parent = _output_parent(target)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{target}: cannot write here (permission denied)")


def _give_output_mode(tmp: str | os.PathLike, target: Path) -> None:
    """Give ``tmp`` the permissions a plain ``open()`` of ``target`` would.

    ``mkstemp`` makes 0600 files; a file that is replaced keeps its own mode.
    """
    try:
        mode_bits = target.stat().st_mode & 0o7777
    except OSError:
        mode_bits = 0o666 & ~_umask()
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode_bits)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8"
                  ) -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and rename it into place on success.

    ``"-"`` writes to standard output. If the block raises (or is interrupted with
    Ctrl-C) the temporary file is removed and ``path`` is left untouched, so an
    output file only ever appears complete.
    """
    if str(path) == "-":
        if "b" in mode:
            yield sys.stdout.buffer
        else:
            yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    parent = _output_parent(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here ({exc.strerror})") from exc
    try:
        with _sigterm_as_exit():
            _give_output_mode(tmp, target)
            kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
            with open(fd, mode, **kwargs) as fh:
                try:
                    yield fh
                    fh.flush()
                    os.fsync(fh.fileno())
                except OSError as exc:
                    if isinstance(exc, OutputError) or exc.errno not in _WRITE_ERRNOS:
                        raise
                    raise OutputError(f"{target}: cannot write it ({exc.strerror})") from exc
            _move_into_place(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _move_into_place(tmp: str | os.PathLike, target: Path) -> None:
    try:
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write it ({exc.strerror})") from exc


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` for a writer that wants a file name.

    For libraries that write by name (GeoPackage via pyogrio, Parquet, ``folium``'s
    ``save``): the temporary name keeps ``path``'s suffix (drivers pick formats by
    it) and does not exist yet (name GeoPackage layers explicitly: the temporary
    stem is not a valid layer name). On success it is renamed onto ``path`` with the
    permissions a plain ``open()`` would give; on any error (or Ctrl-C/SIGTERM) it
    is removed and ``path`` is left untouched.
    """
    target = Path(path)
    parent = _output_parent(target)
    suffix = "".join(target.suffixes[-2:]) if target.suffix else ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".part{suffix}",
                                        dir=parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here ({exc.strerror})") from exc
    os.close(fd)
    os.unlink(tmp_name)  # writers such as the GPKG driver refuse an existing file
    tmp = Path(tmp_name)
    try:
        with _sigterm_as_exit():
            yield tmp
            if not tmp.exists():
                raise OutputError(f"{target}: nothing was written")
            _give_output_mode(tmp, target)
            _move_into_place(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            if tmp.is_dir():
                import shutil

                shutil.rmtree(tmp)
            else:
                tmp.unlink()
        raise


def _wide_encoding(head: bytes) -> str | None:
    """``"UTF-16"``/``"UTF-32"`` when ``head`` starts like such text, else None."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = head[:512]
    if len(sample) >= 4:
        # BOM-less UTF-16 of mostly ASCII text: every other byte is NUL.
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even) or \
                even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "UTF-16"
    return None


def _decode(data: bytes, name: str) -> str:
    wide = _wide_encoding(data[:4096])
    if wide:
        raise InputError(f"is {wide} encoded; expected UTF-8 text "
                         "(re-save it as UTF-8)", name)
    if b"\x00" in data[:8192]:
        raise InputError("looks like a binary file; expected UTF-8 text", name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); expected UTF-8 text",
                         name, line) from None


def read_text_file(path: str | os.PathLike, max_bytes: int | None = None) -> str:
    r"""Read a whole UTF-8 text file (``"-"``: stdin) with clear errors.

    A UTF-8 byte-order mark is dropped and Windows line endings become ``\n``.
    With ``max_bytes``, a larger input is refused (:class:`InputError`) without
    reading all of it.
    """
    name = str(path)
    limit = -1 if max_bytes is None else max_bytes + 1
    if name == "-":
        data = sys.stdin.buffer.read(limit)
    else:
        p = Path(path)
        if p.is_dir():
            raise InputError("is a directory; expected a file", name)
        try:
            with open(p, "rb") as fh:
                data = fh.read(limit)
        except FileNotFoundError:
            raise InputError("no such file", name) from None
        except PermissionError:
            raise InputError("permission denied; cannot read it", name) from None
        except OSError as exc:
            raise InputError(f"cannot read it ({exc.strerror})", name) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(f"is larger than {_size(max_bytes)}; expected at most that much "
                         "text per document", name)
    return _decode(data, name).replace("\r\n", "\n")


def require_file(path: str | os.PathLike) -> None:
    """Raise :class:`InputError` unless ``path`` is ``"-"`` or an existing file."""
    name = str(path)
    if name == "-":
        return
    if Path(name).is_dir():
        raise InputError("is a directory; expected a file", name)
    if not Path(name).exists():
        raise InputError("no such file", name)


def _size(n: int) -> str:
    return f"{n / 2**20:g} MiB" if n >= 2**20 else f"{n} bytes"


def open_text_input(path: str | os.PathLike) -> IO[str]:
    """Open a UTF-8 text input for streaming line by line (``"-"``: stdin; ``.gz`` ok).

    Decoding errors are raised as :class:`InputError` by :func:`iter_lines`.
    """
    name = str(path)
    if name == "-":
        raw = sys.stdin.buffer
    else:
        p = Path(path)
        if p.is_dir():
            raise InputError("is a directory; expected a file", name)
        try:
            raw = open(p, "rb")  # noqa: SIM115 - handed to the caller
        except FileNotFoundError:
            raise InputError("no such file", name) from None
        except PermissionError:
            raise InputError("permission denied; cannot read it", name) from None
        except OSError as exc:
            raise InputError(f"cannot read it ({exc.strerror})", name) from None
        if name.endswith(".gz"):
            import gzip
            raw = gzip.open(raw)
    return io.BufferedReader(raw) if not isinstance(raw, io.BufferedReader) else raw


def iter_lines(path: str | os.PathLike, max_line_bytes: int | None = MAX_LINE_BYTES
               ) -> Iterator[tuple[int, str]]:
    r"""Yield ``(line_number, text)`` of a UTF-8 file, streaming, with clear errors.

    A UTF-8 byte-order mark is dropped and the line ending (``\n`` or ``\r\n``)
    stripped. A line longer than ``max_line_bytes`` is refused with an
    :class:`InputError` before it is read whole (``None``: no limit).
    """
    name = str(path)
    fh = open_text_input(path)
    limit = -1 if max_line_bytes is None else max_line_bytes + 1
    n = 0
    try:
        while True:
            raw = fh.readline(limit)
            if not raw:
                return
            n += 1
            if max_line_bytes is not None and len(raw) > max_line_bytes:
                raise InputError(f"line is longer than {_size(max_line_bytes)}; expected one "
                                 "record per line (is this one huge JSON document, or not "
                                 "a line-based file?)", name, n)
            if n == 1:
                wide = _wide_encoding(raw)
                if wide:
                    raise InputError(f"is {wide} encoded; expected UTF-8 text "
                                     "(re-save it as UTF-8)", name)
                if raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
            if b"\x00" in raw:
                raise InputError("binary data (NUL byte); expected UTF-8 text", name, n)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                                 "expected UTF-8 text", name, n) from None
            yield n, text.rstrip("\r\n")
    except (OSError, EOFError, zlib.error) as exc:
        # gzip: BadGzipFile (OSError), truncated stream (EOFError), corrupt data (zlib)
        reason = (exc.strerror if isinstance(exc, OSError) and exc.strerror
                  else str(exc) or type(exc).__name__)
        where = f" after line {n}" if n else ""
        raise InputError(f"cannot read it{where} ({reason}); expected an intact file",
                         name, n + 1) from None
    finally:
        if name != "-":
            fh.close()


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def iter_json_objects(path: str | os.PathLike, expected: str, display: str | None = None
                      ) -> Iterator[tuple[int, dict]]:
    """Yield ``(line_number, object)`` of a JSON-lines file, streaming, with clear errors.

    Blank lines (and RFC 8142 record separators) are skipped. A line that is not valid
    JSON (including ``NaN``/``Infinity`` and nesting too deep to parse) raises
    :class:`InputError` "invalid JSON (...); expected {expected}"; a value that is not
    an object raises "expected a JSON object, got ...". ``display`` names the input
    in messages (default: ``path``).
    """
    name = display if display is not None else str(path)
    for n, line in iter_lines(path):
        s = line.strip().lstrip("\x1e")
        if not s:
            continue
        try:
            obj = json.loads(s, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            why = exc.msg if isinstance(exc, json.JSONDecodeError) else (
                "nested too deeply" if isinstance(exc, RecursionError) else str(exc))
            raise InputError(f"invalid JSON ({why}); expected {expected}", name, n) from None
        if not isinstance(obj, dict):
            raise InputError(f"expected a JSON object, got {type(obj).__name__}", name, n)
        yield n, obj


class SeenIds:
    """The document ids of a stream, to report a duplicate, in bounded memory.

    Each id is kept as a 64-bit BLAKE2b hash with its line number. The last
    ``_BATCH`` ids live in a dict and a repeat among them is reported at once by
    :meth:`add`; older ones are spilled to a temporary file as sorted runs, and
    :meth:`first_repeat` finds a repeat among them with one merge pass when the
    stream ends (the output is atomic, so nothing is written before). Memory is the
    window plus one block per run: a corpus ten times larger costs the same.
    Two different ids collide with probability about n²/2⁶⁵ (10⁻⁷ for two million
    documents).

    Examples
    --------
    >>> seen = SeenIds()
    >>> seen.add("a", 1), seen.add(1, 2), seen.add("1", 3), seen.add("a", 4)
    (None, None, None, 1)
    >>> seen.first_repeat() is None
    True
    """

    _BATCH = 65_536
    _BLOCK = 1_024  # records read at a time from each run when merging (~70 kB a run)

    def __init__(self):
        self._recent: dict[int, int] = {}  # hash -> line
        self._spill: IO[bytes] | None = None
        self._runs: list[tuple[int, int]] = []  # (first record, records) in the spill

    def add(self, doc_id: str | int, line: int = 0) -> int | None:
        """Remember ``doc_id`` read at ``line``; the line of a recent repeat, else None."""
        import hashlib

        h = int.from_bytes(hashlib.blake2b(repr(doc_id).encode("utf-8"), digest_size=8)
                           .digest(), "little", signed=True)
        first = self._recent.get(h)
        if first is not None:
            return first
        self._recent[h] = line
        if len(self._recent) >= self._BATCH:
            self._flush()
        return None

    def _flush(self) -> None:
        import numpy as np

        run = np.fromiter(self._recent.items(), dtype=[("h", "<i8"), ("line", "<i8")],
                          count=len(self._recent))
        run.sort(order=["h", "line"])
        if self._spill is None:
            self._spill = tempfile.TemporaryFile(prefix="geoevents-ids-")
        start = sum(n for _, n in self._runs)
        self._spill.seek(start * run.itemsize)
        self._spill.write(run.tobytes())
        self._runs.append((start, len(run)))
        self._recent.clear()

    def first_repeat(self) -> tuple[int, int] | None:
        """``(line, earlier line)`` of the first id that repeats an older one, or None.

        Call it when the stream has ended: it checks the ids that :meth:`add` no
        longer held in memory.
        """
        if not self._runs:
            return None
        import heapq

        import numpy as np

        if self._recent:
            self._flush()
        dtype = np.dtype([("h", "<i8"), ("line", "<i8")])
        spill = self._spill

        def records(start: int, count: int) -> Iterator[tuple[int, int]]:
            for a in range(start, start + count, self._BLOCK):
                n = min(self._BLOCK, start + count - a)
                spill.seek(a * dtype.itemsize)
                block = np.frombuffer(spill.read(n * dtype.itemsize), dtype=dtype)
                yield from zip(block["h"].tolist(), block["line"].tolist())

        best = None
        prev_h, prev_line = None, 0
        for h, line in heapq.merge(*(records(a, n) for a, n in self._runs)):
            if h == prev_h and (best is None or line < best[0]):
                best = (line, prev_line)  # prev_line is the group's first line
            elif h != prev_h:
                prev_h, prev_line = h, line
        return best

    def check(self, doc_id: str | int, name: str, line: int, what: str = "id") -> None:
        """:meth:`add`, raising :class:`InputError` at ``name:line`` for a recent repeat."""
        first = self.add(doc_id, line)
        if first is not None:
            raise InputError(f"duplicate {what} {doc_id!r} (first on line {first}); {what}s "
                             "must be unique", name, line)

    def finish(self, name: str, what: str = "id") -> None:
        """At the end of stream ``name``: raise :class:`InputError` for an older repeat."""
        rep = self.first_repeat()
        self.close()
        if rep is not None:
            raise InputError(f"repeats the {what} of line {rep[1]}; {what}s must be unique",
                             name, rep[0])

    def close(self) -> None:
        """Remove the spill file (also done when the object is collected)."""
        if self._spill is not None:
            self._spill.close()
            self._spill = None
