"""The network guard shared by ``conftest.py`` and CLI subprocesses.

``python tests/_offline.py ARGS...`` runs ``geoevents ARGS...`` with the guard
installed, so subprocess-based tests keep the offline promise too.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys


class OfflineViolation(OSError):
    """A test tried to reach the network; geoevents must work offline."""


_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""}
_LOCAL_ADDRS: set[str] = set()


def _own_names() -> None:
    """This machine's own host name and addresses count as local (Dask binds to them)."""
    try:
        names = {socket.gethostname()}  # not getfqdn(): that may query DNS
    except OSError:  # pragma: no cover
        return
    _LOCAL_NAMES.update(n.lower() for n in names if n)
    for name in names:
        try:
            infos = socket.getaddrinfo(name, None)  # /etc/hosts; before the patch
        except OSError:
            continue
        _LOCAL_ADDRS.update(info[4][0] for info in infos)


_own_names()


def _is_local_host(host) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").lower()
    if host in _LOCAL_NAMES or host in _LOCAL_ADDRS:
        return True
    try:
        addr = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return addr.is_loopback or addr.is_unspecified


def _check_address(address) -> None:
    # AF_UNIX addresses are str/bytes paths; inet addresses are tuples.
    if isinstance(address, tuple) and address and not _is_local_host(address[0]):
        raise OfflineViolation(f"network access blocked in tests: {address!r} "
                               "(geoevents must work offline)")


_real = {
    "connect": socket.socket.connect,
    "connect_ex": socket.socket.connect_ex,
    "sendto": socket.socket.sendto,
    "create_connection": socket.create_connection,
    "getaddrinfo": socket.getaddrinfo,
}


def _connect(self, address):
    _check_address(address)
    return _real["connect"](self, address)


def _connect_ex(self, address):
    _check_address(address)
    return _real["connect_ex"](self, address)


def _sendto(self, data, *args):
    _check_address(args[-1] if args else None)
    return _real["sendto"](self, data, *args)


def _create_connection(address, *args, **kwargs):
    _check_address(address)
    return _real["create_connection"](address, *args, **kwargs)


def _getaddrinfo(host, *args, **kwargs):
    if not _is_local_host(host):
        raise OfflineViolation(f"network access blocked in tests: DNS lookup of {host!r} "
                               "(geoevents must work offline)")
    return _real["getaddrinfo"](host, *args, **kwargs)




def patches():
    """``(owner, attribute, replacement)`` triples that block non-loopback networking."""
    return [
        (socket.socket, "connect", _connect),
        (socket.socket, "connect_ex", _connect_ex),
        (socket.socket, "sendto", _sendto),
        (socket, "create_connection", _create_connection),
        (socket, "getaddrinfo", _getaddrinfo),
    ]


def install() -> None:
    """Apply :func:`patches` for the rest of the process."""
    for owner, name, func in patches():
        setattr(owner, name, func)


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli_command(*args: str) -> list[str]:
    """argv running ``geoevents *args`` offline in a fresh interpreter."""
    return [sys.executable, os.path.abspath(__file__), *args]


def cli_env(**extra: str) -> dict[str, str]:
    """A subprocess environment: this checkout first on ``sys.path``, plus ``extra``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, env.get("PYTHONPATH")) if p)
    env.pop("PYTHONHASHSEED", None)
    env.update(extra)
    return env


if __name__ == "__main__":
    install()
    sys.path.insert(0, ROOT)
    from geoevents.cli import main

    main(args=sys.argv[1:], prog_name="geoevents")
