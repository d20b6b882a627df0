"""The loopback test sites: a client that drops its connection is counted, not reported as an error."""

from __future__ import annotations

import socket
import struct
import time

from tests.sites import TestSite


def reset_mid_request(site: TestSite) -> None:
    """Send half a request line, then reset the connection (SO_LINGER 0), as a killed crawler does."""
    client = socket.create_connection(("127.0.0.1", site.port))
    client.sendall(b"GET /a HT")
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()


def test_a_connection_reset_mid_request_is_counted_without_a_traceback(capfd):
    with TestSite() as site:
        site.page("/a", "bài")
        for _ in range(3):
            reset_mid_request(site)
        deadline = time.monotonic() + 5
        while site.dropped < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert site.dropped == 3
        assert site.requests == []
    assert "Traceback" not in capfd.readouterr().err
