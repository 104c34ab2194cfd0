"""I/O at the edges: atomic output files and careful input decoding."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .exc import InputError, OutputError

__all__ = ["atomic_output", "read_text_file", "open_text_input"]


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
    if target.is_dir():
        raise OutputError(f"{target}: is a directory, expected an output file path")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{target}: output directory {parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here ({exc.strerror})") from exc
    try:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with open(fd, mode, **kwargs) as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("is UTF-16 encoded; expected UTF-8 text "
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


def read_text_file(path: str | os.PathLike) -> str:
    """Read a whole UTF-8 text file (``"-"``: stdin) with clear errors.

    A UTF-8 byte-order mark is dropped and Windows line endings become ``\\n``.
    """
    name = str(path)
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        p = Path(path)
        if p.is_dir():
            raise InputError("is a directory; expected a file", name)
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise InputError("no such file", name) from None
        except PermissionError:
            raise InputError("permission denied; cannot read it", name) from None
        except OSError as exc:
            raise InputError(f"cannot read it ({exc.strerror})", name) from None
    return _decode(data, name).replace("\r\n", "\n")


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
        if name.endswith(".gz"):
            import gzip
            raw = gzip.open(raw)
    return io.BufferedReader(raw) if not isinstance(raw, io.BufferedReader) else raw


def iter_lines(path: str | os.PathLike) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` of a UTF-8 file, streaming, with clear errors."""
    name = str(path)
    fh = open_text_input(path)
    try:
        for n, raw in enumerate(fh, 1):
            if n == 1:
                if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise InputError("is UTF-16 encoded; expected UTF-8 text", name)
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
    except OSError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"read error ({exc})", name) from None
    finally:
        if name != "-":
            fh.close()
