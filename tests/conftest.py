"""Suite-wide fixtures: the offline promise and hypothesis profiles.

Every test runs with non-loopback network connections blocked: ``socket.connect``,
``connect_ex``, ``create_connection``, ``sendto`` and ``getaddrinfo`` of any
non-local host raise :class:`OfflineViolation`. So a passing suite proves that
nothing in geoevents downloads or phones home at import or run time. Loopback
(127.0.0.0/8, ::1, ``localhost``) and Unix sockets stay allowed, for the Dask
LocalCluster tests and headless browsers.

Tests that run the CLI in a subprocess use ``_offline.cli_command()``, which
installs the same guard in the child before running ``geoevents``.
"""

from __future__ import annotations

import os

import pytest
from _browser import chromium, open_page  # noqa: F401 - browser fixtures, one session
from _offline import OfflineViolation, patches

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # pragma: no cover - hypothesis is a test extra
    settings = None

# --------------------------------------------------------------------- hypothesis

if settings is not None:
    _common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow],
                   derandomize=False, print_blob=True)
    # ci: the default; >= 1,000 examples per property (the bar).
    settings.register_profile("ci", max_examples=1000, **_common)
    # dev: quick local iteration.
    settings.register_profile("dev", max_examples=200, **_common)
    # long: a local soak run (HYPOTHESIS_PROFILE=long pytest tests/test_properties.py).
    settings.register_profile("long", max_examples=20000, **_common)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

__all__ = ["OfflineViolation"]


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Block every non-loopback connection for the duration of each test."""
    for owner, name, func in patches():
        monkeypatch.setattr(owner, name, func)
    yield
