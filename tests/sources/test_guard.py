"""The SSRF guard: which addresses are refused, and fetch with allow_private_urls=False against real servers.

Two local servers share one port: "internal" on 127.0.0.1 (what must never be reached) and "public" on
127.0.0.2, which the ``public`` fixture makes the guard treat as a public address, with the name
public.example resolving to it. No test resolves a real name: ``socket.getaddrinfo`` is patched for the
made-up names and passes literal addresses through to the real resolver.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpcore
import httpx
import pytest

from counterpoint.errors import FetchError
from counterpoint.settings import Settings, load_settings
from counterpoint.sources import guard, web
from counterpoint.sources.guard import GuardedBackend, blocked_reason, check_host
from counterpoint.sources.web import fetch

OPEN = Settings(http_timeout=2)
GUARDED = OPEN.replace(allow_private_urls=False)
PUBLIC_IP = "127.0.0.2"  # stands in for a public address in these tests (see the ``public`` fixture)
REAL_GETADDRINFO = socket.getaddrinfo


# --- which addresses are refused ------------------------------------------------------------------

REFUSED = [
    ("127.0.0.1", "loopback"), ("127.255.255.254", "loopback"), ("::1", "loopback"), ("[::1]", "loopback"),
    ("127.1", "loopback"), ("2130706433", "loopback"), ("0x7f.1", "loopback"), ("0177.0.0.1", "loopback"),
    ("0x7f000001", "loopback"), ("[::ffff:127.0.0.1]", "loopback"), ("::ffff:7f00:1", "loopback"),
    ("2002:7f00:1::1", "loopback"), ("64:ff9b::127.0.0.1", "loopback"),
    ("0.0.0.0", "unspecified"), ("0", "unspecified"), ("::", "unspecified"),
    ("10.0.0.5", "private"), ("172.16.0.1", "private"), ("172.31.255.255", "private"),
    ("192.168.1.1", "private"), ("fd00::1", "private"), ("fc00::1", "private"), ("fd00:ec2::254", "private"),
    ("::ffff:10.1.2.3", "private"), ("2002:a00:1::", "private"), ("fec0::1", "private (site-local)"),
    ("100.64.0.1", "shared (carrier-grade NAT)"), ("100.100.100.200", "shared (carrier-grade NAT)"),
    ("169.254.169.254", "cloud metadata"), ("::ffff:169.254.169.254", "cloud metadata"),
    ("64:ff9b::a9fe:a9fe", "cloud metadata"), ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("fe80::1%lo", "link-local"),
    ("224.0.0.1", "multicast"), ("239.255.255.250", "multicast"), ("ff02::1", "multicast"),
    ("255.255.255.255", "broadcast"), ("240.0.0.1", "reserved"), ("192.0.0.192", "reserved"),
    ("192.88.99.1", "reserved"), ("100::1", "reserved"), ("2001::1", "reserved (Teredo)"),
    ("64:ff9b:1::1", "reserved (local-use NAT64)"), ("::127.0.0.1", "IPv4-compatible"),
    ("::8.8.8.8", "IPv4-compatible"),
    ("192.0.2.1", "documentation"), ("198.51.100.7", "documentation"), ("203.0.113.9", "documentation"),
    ("2001:db8::1", "documentation"), ("3fff::1", "documentation"),
    ("198.18.0.1", "benchmarking"), ("198.19.255.255", "benchmarking"), ("2001:2::1", "benchmarking"),
]

ALLOWED = [
    ("8.8.8.8", "8.8.8.8"), ("1.1.1.1", "1.1.1.1"), ("134744072", "8.8.8.8"), ("0x08080808", "8.8.8.8"),
    ("2606:4700:4700::1111", "2606:4700:4700::1111"), ("[2a00:1450:4001::200e]", "2a00:1450:4001::200e"),
    ("::ffff:8.8.8.8", "::ffff:8.8.8.8"), ("64:ff9b::8.8.8.8", "64:ff9b::808:808"),
    ("2002:808:808::1", "2002:808:808::1"), ("100.63.255.255", "100.63.255.255"),
    ("172.32.0.1", "172.32.0.1"), ("198.20.0.1", "198.20.0.1"), ("223.255.255.254", "223.255.255.254"),
]


@pytest.mark.parametrize(("host", "reason"), REFUSED)
def test_refused_literals(host: str, reason: str) -> None:
    with pytest.raises(FetchError, match=r"^refused: ") as info:
        check_host(host, 80)
    assert f" {reason} address (" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("host", "address"), ALLOWED)
def test_allowed_literals(host: str, address: str) -> None:
    assert check_host(host, 443) == [ipaddress.ip_address(address)]
    assert blocked_reason(ipaddress.ip_address(address)) is None


def test_message_names_host_and_address(monkeypatch: pytest.MonkeyPatch) -> None:
    _resolve(monkeypatch, {"example.test": ["10.0.0.5"]})
    with pytest.raises(FetchError) as info:
        check_host("example.test", 80)
    assert str(info.value) == "refused: example.test resolves to a private address (10.0.0.5)"


@pytest.mark.parametrize("host", ["localhost", "LocalHost.", "app.localhost", "metadata.google.internal",
                                  "printer.local", "nas.localdomain", "router.home.arpa"])
def test_local_names_are_refused_without_a_lookup(monkeypatch: pytest.MonkeyPatch, host: str) -> None:
    def no_lookup(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("looked up")

    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    with pytest.raises(FetchError, match=r"^refused: .* is a local host name$"):
        check_host(host, 80)


def test_any_private_address_refuses_the_name(monkeypatch: pytest.MonkeyPatch) -> None:
    _resolve(monkeypatch, {"mixed.example": ["8.8.8.8", "2606:4700::1", "10.0.0.1"],
                           "fine.example": ["8.8.8.8", "8.8.8.8", "2606:4700::1"]})
    with pytest.raises(FetchError, match=r"private address \(10.0.0.1\)"):
        check_host("mixed.example", 80)
    assert check_host("fine.example", 80) == [ipaddress.ip_address("8.8.8.8"), ipaddress.ip_address("2606:4700::1")]


def test_unresolvable_and_empty_names(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(FetchError) as info:
        check_host("nowhere.example", 80)
    assert str(info.value) == "cannot resolve nowhere.example: Name or service not known"
    with pytest.raises(FetchError, match="no host"):
        check_host("", 80)


@pytest.mark.parametrize(("value", "expected"), [("false", False), ("0", False), ("no", False), ("off", False),
                                                 ("False", False), (" true ", True), ("1", True), ("yes", True)])
def test_allow_private_urls_from_the_environment(value: str, expected: bool) -> None:
    assert Settings().allow_private_urls is True
    assert load_settings(env={"COUNTERPOINT_ALLOW_PRIVATE_URLS": value}).allow_private_urls is expected


# --- fetch against real servers -------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        port = self.server.server_address[1]
        redirects = {
            "/to-internal": f"http://127.0.0.1:{port}/page",
            "/to-localhost": f"http://localhost:{port}/page",
            "/to-mapped": f"http://[::ffff:127.0.0.1]:{port}/page",
            "/to-relative": "page",
            "/to-public": f"http://public.example:{port}/page",
            "/to-file": "file:///etc/passwd",
        }
        if self.path in redirects:
            status, body, headers = 302, b"", {"Location": redirects[self.path]}
        elif self.path.startswith("/hop"):
            status, body, headers = 302, b"", {"Location": f"/hop{int(self.path[4:]) + 1}"}
        elif self.path == "/page":
            status, body, headers = 200, self.server.body, {}
        else:
            status, body, headers = 404, b"", {}
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str, port: int, body: bytes) -> None:
        super().__init__((address, port), Handler)
        self.body = body
        self.hits: list[str] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Server, Server]]:
    """(internal on 127.0.0.1:P, public on 127.0.0.2:P), the same port P."""
    for _ in range(20):
        internal = Server("127.0.0.1", 0, b"internal secret")
        try:
            public = Server(PUBLIC_IP, internal.server_address[1], b"public page")
        except OSError:  # that port is taken on 127.0.0.2: try another
            internal.stop()
            continue
        yield internal, public
        internal.stop()
        public.stop()
        return
    pytest.skip("no port free on both 127.0.0.1 and 127.0.0.2")


def _resolve(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]] | Callable[[str], list[str] | None]) -> None:
    """Make made-up names resolve to the given addresses; everything else goes to the real resolver."""
    lookup = table.get if isinstance(table, dict) else table

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        addresses = lookup(host) if isinstance(host, str) else None
        if addresses is None:
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def public(monkeypatch: pytest.MonkeyPatch, servers: tuple[Server, Server]) -> tuple[Server, Server]:
    """The guard takes 127.0.0.2 for a public address, and public.example resolves to it."""
    real_reason = guard.blocked_reason
    monkeypatch.setattr(guard, "blocked_reason", lambda ip: None if str(ip) == PUBLIC_IP else real_reason(ip))
    _resolve(monkeypatch, {"public.example": [PUBLIC_IP]})
    internal, public_server = servers
    internal.hits.clear()
    public_server.hits.clear()
    return servers


def _port(server: Server) -> int:
    return int(server.server_address[1])


def test_local_server_is_refused_when_guarded(servers: tuple[Server, Server]) -> None:
    internal, _ = servers
    internal.hits.clear()
    port = _port(internal)
    for url, message in [
        (f"http://127.0.0.1:{port}/page", "refused: 127.0.0.1 resolves to a loopback address (127.0.0.1)"),
        (f"http://127.1:{port}/page", "refused: 127.1 resolves to a loopback address (127.0.0.1)"),
        (f"http://[::ffff:127.0.0.1]:{port}/page", "loopback address (::ffff:"),
        (f"http://localhost:{port}/page", "refused: localhost is a local host name"),
        (f"https://localhost:{port}/page", "refused: localhost is a local host name"),
    ]:
        with pytest.raises(FetchError) as info:
            fetch(url, GUARDED)
        assert message in str(info.value), url
    assert internal.hits == []


def test_local_server_is_fetched_when_allowed(servers: tuple[Server, Server]) -> None:
    internal, _ = servers
    port = _port(internal)
    fetched = fetch(f"http://127.0.0.1:{port}/to-relative", OPEN)
    assert (fetched.data, fetched.final_url) == (b"internal secret", f"http://127.0.0.1:{port}/page")
    assert fetch(f"http://localhost:{port}/page", OPEN).data == b"internal secret"


def test_public_host_and_relative_redirect(public: tuple[Server, Server]) -> None:
    internal, public_server = public
    port = _port(public_server)
    fetched = fetch(f"http://public.example:{port}/to-relative", GUARDED)
    assert fetched.data == b"public page"
    assert (fetched.url, fetched.final_url) == (f"http://public.example:{port}/to-relative",
                                               f"http://public.example:{port}/page")
    assert fetched.content_type == "text/plain" and fetched.charset == "utf-8"
    assert public_server.hits == ["/to-relative", "/page"]
    assert fetch(f"http://{PUBLIC_IP}:{port}/to-public", GUARDED).data == b"public page"
    assert internal.hits == []


@pytest.mark.parametrize(("path", "message"), [
    ("/to-internal", "refused: 127.0.0.1 resolves to a loopback address (127.0.0.1)"),
    ("/to-localhost", "refused: localhost is a local host name"),
    ("/to-mapped", "loopback address (::ffff:"),  # 7f00:1 or 127.0.0.1, by Python version
    ("/to-file", "redirect to unsupported URL scheme 'file': only http and https"),
])
def test_redirect_to_the_internal_network_is_refused_at_the_second_hop(
        public: tuple[Server, Server], path: str, message: str) -> None:
    internal, public_server = public
    with pytest.raises(FetchError) as info:
        fetch(f"http://public.example:{_port(public_server)}{path}", GUARDED)
    assert message in str(info.value)
    assert public_server.hits == [path]  # the first hop was fetched ...
    assert internal.hits == []  # ... the second never reached


def test_too_many_redirects_when_guarded(public: tuple[Server, Server]) -> None:
    _, public_server = public
    with pytest.raises(FetchError, match=r"^too many redirects \(more than 5\)$"):
        fetch(f"http://public.example:{_port(public_server)}/hop0", GUARDED)
    assert public_server.hits == [f"/hop{n}" for n in range(6)]


def test_dns_rebinding_connects_only_to_the_checked_address(
        monkeypatch: pytest.MonkeyPatch, public: tuple[Server, Server]) -> None:
    """rebind.example answers 127.0.0.2 ("public") to the first lookup and 127.0.0.1 to every later one."""
    internal, public_server = public
    lookups: list[str] = []

    def rebinding(host: str) -> list[str] | None:
        if host != "rebind.example":
            return None
        lookups.append(host)
        return [PUBLIC_IP] if len(lookups) == 1 else ["127.0.0.1"]

    _resolve(monkeypatch, rebinding)
    fetched = fetch(f"http://rebind.example:{_port(public_server)}/page", GUARDED)
    assert fetched.data == b"public page"
    assert lookups == ["rebind.example"]  # checked and connected on one answer
    assert internal.hits == []
    with pytest.raises(FetchError, match=r"loopback address \(127.0.0.1\)"):  # the next answer is refused
        fetch(f"http://rebind.example:{_port(public_server)}/page", GUARDED)
    assert internal.hits == []


def test_name_with_a_public_and_a_private_address_is_refused(
        monkeypatch: pytest.MonkeyPatch, public: tuple[Server, Server]) -> None:
    internal, public_server = public
    _resolve(monkeypatch, {"both.example": [PUBLIC_IP, "127.0.0.1"]})
    with pytest.raises(FetchError, match=r"loopback address \(127.0.0.1\)"):
        fetch(f"http://both.example:{_port(public_server)}/page", GUARDED)
    assert internal.hits == [] and public_server.hits == []


def test_backend_refuses_a_peer_other_than_the_checked_address(public: tuple[Server, Server]) -> None:
    """Should the socket end up elsewhere than the checked address, the stream is refused."""
    internal, public_server = public

    class Misrouting(httpcore.SyncBackend):
        def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
            return super().connect_tcp("127.0.0.1", port, *args, **kwargs)

    backend = GuardedBackend()
    backend._sync = Misrouting()
    with pytest.raises(FetchError, match=r"^refused: connected to 127.0.0.1, not the checked address 127.0.0.2"):
        backend.connect_tcp("public.example", _port(public_server), timeout=2)
    assert internal.hits == []


def test_response_peer_is_checked_even_without_the_guarded_backend(
        monkeypatch: pytest.MonkeyPatch, servers: tuple[Server, Server]) -> None:
    """The second line: were the guarded backend bypassed, the response's peer address still refuses it."""
    internal, _ = servers
    monkeypatch.setattr(web, "_GuardedTransport", httpx.HTTPTransport)
    with pytest.raises(FetchError, match=r"^refused: 127.0.0.1 resolves to a loopback address \(127.0.0.1\)$"):
        fetch(f"http://127.0.0.1:{_port(internal)}/page", GUARDED)
