"""A TCP proxy on loopback that a test can cut and restore, to make a real dependency go away.

The service under test is pointed at the proxy instead of the dependency (PostgreSQL, an S3
server). ``cut()`` closes every open connection and refuses new ones (the listening socket is
closed, so clients get "connection refused" as from a stopped server). ``hang()`` closes them too
but then accepts connections and never answers (a host gone silent, its packets dropped).
``restore()`` forwards again on the same port. ``cut_after(n)`` cuts once ``n`` more bytes went
upstream: a failure in the middle of a transfer. The shared server behind the proxy is never touched.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from bench.harness.processes import free_port

_CHUNK = 64 * 1024


class CuttableProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = free_port()
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._budget: int | None = None  # bytes still allowed upstream before an automatic cut
        self._silent = False  # accept connections but never answer them

    # -- control -------------------------------------------------------------------------------

    def restore(self) -> None:
        with self._lock:
            self._silent = False
            self._budget = None
        self._listen()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
        if listener is not None:
            _close(listener)
        self._drop_connections()

    def hang(self) -> None:
        with self._lock:
            self._silent = True
        self._drop_connections()
        self._listen()

    def _listen(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            listener = self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(listener,), daemon=True, name="proxy-accept").start()

    def _drop_connections(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, set()
        for sock in connections:
            _close(sock)

    def cut_after(self, upstream_bytes: int) -> None:
        with self._lock:
            self._budget = upstream_bytes

    # -- forwarding ----------------------------------------------------------------------------

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # the listener was closed by cut()
                return
            with self._lock:
                if self._silent:
                    self._connections.add(client)  # held open, never read: closed by the next change
                    continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            server.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # cut while connecting
                    _close(client)
                    _close(server)
                    return
                self._connections.update((client, server))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, upstream: bool) -> None:
        try:
            while data := source.recv(_CHUNK):
                if upstream and self._spend(len(data)):
                    self.cut()
                    return
                target.sendall(data)
        except OSError:
            pass
        with self._lock:
            self._connections.difference_update((source, target))
        _close(source)
        _close(target)

    def _spend(self, size: int) -> bool:
        """Count bytes against an armed budget; True when it is exhausted (time to cut)."""
        with self._lock:
            if self._budget is None:
                return False
            self._budget -= size
            return self._budget <= 0


def _close(sock: socket.socket) -> None:
    with suppress(OSError):  # already closed by the other side
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


@contextmanager
def cuttable_proxy(upstream_host: str, upstream_port: int) -> Iterator[CuttableProxy]:
    """A listening proxy for the block; cut at the end so no forwarding thread outlives it."""
    proxy = CuttableProxy(upstream_host, upstream_port)
    proxy.restore()
    try:
        yield proxy
    finally:
        proxy.cut()
