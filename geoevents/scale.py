"""Streaming, ordered, bounded-memory parallel map over documents (one machine).

:func:`imap_ordered` runs a function over an iterable of items in worker processes and
yields the results **in input order**, reading the input lazily: at most
``max_inflight`` chunks of ``chunksize`` items are ever in flight, so memory stays
bounded whatever the input size, and output can be written as it goes. With
``jobs=1`` it runs in-process and yields exactly the same results, so callers that
serialise each result get byte-identical output for any ``jobs``.

Per-worker state (a loaded :class:`~geoevents.geoparse.Geoparser`, for instance) is
built once per worker by ``setup(*setup_args)`` and handed to ``func(state, item)``.
``setup`` and ``func`` must be module-level functions (picklable by reference), which
keeps this safe under the ``spawn`` and ``forkserver`` start methods too; the bundled
gazetteer is a memory-mapped artifact, so N workers share its pages rather than
holding N copies.

Examples
--------
>>> from geoevents.scale import imap_ordered
>>> list(imap_ordered(abs, [-3, 1, -2], jobs=1))
[3, 1, 2]
"""

from __future__ import annotations

import collections
import contextlib
import gc
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TextIO

__all__ = ["imap_ordered", "default_jobs", "Progress"]

_NO_STATE = object()
#: Per-worker state built by ``setup``, by call token. Under ``fork`` the parent builds
#: it once before starting the pool and the workers inherit it (copy-on-write);
#: otherwise each worker builds its own in the pool initializer.
_STATES: dict[int, Any] = {}
_TOKENS = itertools.count()


def default_jobs() -> int:
    """Return the number of usable cores (CPU affinity aware), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _worker_init(token: int, setup: Callable | None, setup_args: tuple) -> None:
    # The parent handles Ctrl-C and SIGTERM (they reach the whole process group) and
    # stops the pool. A worker killed half-way through writing its result would leave
    # a partial message in the result pipe, on which the pool's manager thread then
    # blocks for ever (and so the parent at exit): workers ignore both signals, finish
    # the chunk in hand and exit when the pool tells them to. When the parent dies,
    # the closed pipe ends them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if setup is not None and token not in _STATES:
        _STATES[token] = setup(*setup_args)


def _run_chunk(func: Callable, token: int, chunk: list) -> list:
    state = _STATES.get(token, _NO_STATE)
    if state is _NO_STATE:
        return [func(x) for x in chunk]
    return [func(state, x) for x in chunk]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while True:
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        yield chunk


def imap_ordered(func: Callable, items: Iterable, jobs: int | None = None, *,
                 setup: Callable | None = None, setup_args: tuple = (),
                 chunksize: int = 16, max_inflight: int | None = None,
                 start_method: str | None = None) -> Iterator:
    """Map ``func`` over ``items`` in ``jobs`` processes; yield results in input order.

    Parameters
    ----------
    func : callable
        ``func(item)``, or ``func(state, item)`` when ``setup`` is given. Module-level
        (picklable) when ``jobs > 1``. Return small, picklable values (strings are
        best: serialise in the worker).
    items : iterable
        Read lazily, only as fast as results are consumed. Exceptions raised while
        iterating it (a bad input line, say) propagate to the caller unchanged.
    jobs : int, optional
        Worker processes; ``None`` or ``0``: all usable cores; ``1``: run in this
        process (no pool).
    setup, setup_args : callable, tuple
        ``state = setup(*setup_args)`` runs once per worker (once in-process for
        ``jobs=1``), e.g. to load the gazetteer and parser.
    chunksize : int, default 16
        Items sent to a worker at a time.
    max_inflight : int, optional
        Chunks submitted but not yet yielded; default ``4 * jobs``. Bounds memory.
    start_method : str, optional
        ``multiprocessing`` start method (default: the platform's).

    Yields
    ------
    object
        ``func``'s results, one per item, in the order of ``items``.

    Notes
    -----
    If the consumer stops early, raises, or is interrupted with Ctrl-C, the pool is
    terminated; with :func:`geoevents._io.atomic_output` around the writes, no
    partial output file is left behind. An exception in a worker is re-raised here.
    """
    if jobs is None or jobs <= 0:
        jobs = default_jobs()
    if chunksize < 1:
        raise ValueError("chunksize must be >= 1")
    if jobs == 1:
        if setup is None:
            yield from map(func, items)
        else:
            state = setup(*setup_args)
            for x in items:
                yield func(state, x)
        return
    max_inflight = max_inflight or 4 * jobs
    ctx = multiprocessing.get_context(start_method)
    # ProcessPoolExecutor, not multiprocessing.Pool: a worker that dies (killed, out
    # of memory, segfault) raises BrokenProcessPool here instead of hanging forever.
    token = next(_TOKENS)
    forked = ctx.get_start_method() == "fork"
    if forked and setup is not None:
        _STATES[token] = setup(*setup_args)  # once, shared copy-on-write by the workers
        gc.freeze()  # keep the collector from touching (and so copying) shared pages
    try:
        pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_worker_init,
                                   initargs=(token, setup, setup_args))
    except BaseException:
        _STATES.pop(token, None)
        raise
    pending: collections.deque = collections.deque()
    ok = False
    try:
        for chunk in _chunks(items, chunksize):
            pending.append(pool.submit(_run_chunk, func, token, chunk))
            while len(pending) >= max_inflight:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
        ok = True
    finally:
        if ok:
            pool.shutdown(wait=True)
        else:
            _kill(pool)
        if _STATES.pop(token, _NO_STATE) is not _NO_STATE and forked:
            gc.unfreeze()


def _kill(pool: ProcessPoolExecutor, grace: float = 30.0) -> None:
    """Stop a pool early: drop queued chunks, let the workers finish the chunk in hand.

    Workers are only killed if they have not exited after ``grace`` seconds (a stuck
    worker); killing them earlier could cut a result message in half (see
    :func:`_worker_init`).
    """
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for p in procs:
        with contextlib.suppress(Exception):
            p.join(max(0.0, deadline - time.monotonic()))
    for p in procs:
        with contextlib.suppress(Exception):
            if p.is_alive():
                p.kill()
                p.join(5)


class Progress:
    """A tiny progress line on stderr: documents, rate, ETA (when the total is known).

    Draws at most a few times a second; call :meth:`close` (or use it as a context
    manager) to finish the line. ``total`` may be set later (e.g. by a thread that
    counts the input).
    """

    def __init__(self, total: int | None = None, unit: str = "docs",
                 stream: TextIO | None = None, interval: float = 0.25):
        self.total = total
        self.unit = unit
        self.stream = stream or sys.stderr
        self.interval = interval
        self.n = 0
        self.t0 = time.monotonic()
        self._last = 0.0
        self._width = 0

    @staticmethod
    def enabled(quiet: bool, stream: TextIO | None = None) -> bool:
        """Tell whether to show a progress line: a terminal, and not ``-q``."""
        stream = stream or sys.stderr
        try:
            return not quiet and stream.isatty()
        except (AttributeError, ValueError):
            return False

    def update(self, n: int = 1) -> None:
        """Count ``n`` more items done; redraw if due."""
        self.n += n
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._draw(now)

    def _draw(self, now: float, final: bool = False) -> None:
        el = max(now - self.t0, 1e-9)
        rate = self.n / el
        total = self.total
        if total:
            pct = min(100.0, 100.0 * self.n / total)
            left = max(total - self.n, 0) / rate if rate > 0 else float("inf")
            eta = "" if final else f" ETA {_fmt_time(left)}"
            line = f"{self.n:,}/{total:,} {self.unit} ({pct:3.0f}%) {rate:,.1f}/s{eta}"
        else:
            line = f"{self.n:,} {self.unit} {rate:,.1f}/s {_fmt_time(el)}"
        pad = max(self._width - len(line), 0)
        self._width = len(line)
        self.stream.write("\r" + line + " " * pad + ("\n" if final else ""))
        self.stream.flush()

    def close(self) -> None:
        """Draw the final line and end it."""
        self._draw(time.monotonic(), final=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.close()
        else:
            self.stream.write("\n")
            self.stream.flush()

    def count_in_background(self, counter: Callable[[], int | None]) -> None:
        """Set :attr:`total` from ``counter()`` run in a daemon thread."""
        def run():
            try:
                self.total = counter()
            except Exception:  # noqa: BLE001 - a progress estimate is optional
                pass
        threading.Thread(target=run, daemon=True).start()


def _fmt_time(s: float) -> str:
    if s == float("inf"):
        return "?"
    s = int(s)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"
