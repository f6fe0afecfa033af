"""Keep URL fetching off the fetching machine's own network (server-side request forgery).

A web app that fetches URLs its users paste must not become a way into the networks only the server
can reach: its loopback services, the office or cluster network behind it, or the cloud metadata
service at 169.254.169.254 that hands out credentials. ``check_host`` resolves a host name and refuses
it (a one-line ``FetchError``) when *any* address it resolves to is not a globally routable unicast
address:

* loopback (127/8, ::1), unspecified (0/8, ::), private (10/8, 172.16/12, 192.168/16, fc00::/7,
  deprecated site-local fec0::/10), shared / carrier-grade NAT (100.64/10), link-local (169.254/16
  with the metadata address, fe80::/10), multicast (224/4, ff00::/8), reserved (240/4 with the
  broadcast address, 192.0.0/24, 192.88.99/24, IPv6 outside 2000::/3, Teredo 2001::/32, local-use
  NAT64 64:ff9b:1::/48), documentation (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32,
  3fff::/20) and benchmarking (198.18/15, 2001:2::/48) ranges, and anything else Python's
  ``ipaddress`` does not call global;
* IPv6 addresses that carry one of those IPv4 addresses: IPv4-mapped (::ffff:127.0.0.1),
  IPv4-compatible (::127.0.0.1, refused outright), 6to4 (2002:7f00:1::) and NAT64 (64:ff9b::7f00:1);
* host names that only ever mean this machine or its local network, whatever a resolver says:
  ``localhost`` and names ending in ``.localhost``, ``.local``, ``.internal`` (which covers
  ``metadata.google.internal``), ``.localdomain`` and ``.home.arpa``.

Literal addresses go through the same resolver, so every notation it accepts is caught as the address
it means ("127.1", "2130706433", "0x7f.1", "[::1]", "[::ffff:127.0.0.1]").

Checking a name and then letting the HTTP client resolve it again would leave a gap (DNS rebinding:
the name answers a public address to the check and 127.0.0.1 to the connect). ``GuardedBackend`` closes
it: it is the httpcore network backend that ``sources.web`` uses when ``settings.allow_private_urls`` is
false; it resolves and checks in one step, connects only to the addresses it checked, and checks the
peer address of the socket it got. TLS still verifies the certificate for the host name (httpcore passes
the name as SNI to ``start_tls``), and the Host header stays the name.
"""

from __future__ import annotations

import ipaddress
import socket
import typing

import httpcore

from ..errors import FetchError

__all__ = ["GuardedBackend", "IPAddress", "blocked_reason", "check_address", "check_host", "peer_address"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_LOCAL_NAMES = ("localhost",)
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network
# (network, what it is); the first match names the reason
_BLOCKED: tuple[tuple[_V4 | _V6, str], ...] = (
    (_V4("0.0.0.0/8"), "unspecified"),
    (_V4("127.0.0.0/8"), "loopback"),
    (_V4("10.0.0.0/8"), "private"),
    (_V4("172.16.0.0/12"), "private"),
    (_V4("192.168.0.0/16"), "private"),
    (_V4("100.64.0.0/10"), "shared (carrier-grade NAT)"),
    (_V4("169.254.169.254/32"), "cloud metadata"),
    (_V4("169.254.0.0/16"), "link-local"),
    (_V4("192.0.0.0/24"), "reserved"),
    (_V4("192.0.2.0/24"), "documentation"),
    (_V4("198.51.100.0/24"), "documentation"),
    (_V4("203.0.113.0/24"), "documentation"),
    (_V4("198.18.0.0/15"), "benchmarking"),
    (_V4("192.88.99.0/24"), "reserved"),
    (_V4("224.0.0.0/4"), "multicast"),
    (_V4("255.255.255.255/32"), "broadcast"),
    (_V4("240.0.0.0/4"), "reserved"),
    (_V6("::/128"), "unspecified"),
    (_V6("::1/128"), "loopback"),
    (_V6("::/96"), "IPv4-compatible"),
    (_V6("fc00::/7"), "private"),
    (_V6("fec0::/10"), "private (site-local)"),
    (_V6("fe80::/10"), "link-local"),
    (_V6("ff00::/8"), "multicast"),
    (_V6("64:ff9b:1::/48"), "reserved (local-use NAT64)"),
    (_V6("2001::/32"), "reserved (Teredo)"),
    (_V6("2001:2::/48"), "benchmarking"),
    (_V6("2001:db8::/32"), "documentation"),
    (_V6("3fff::/20"), "documentation"),
)
_NAT64 = _V6("64:ff9b::/96")
_GLOBAL_UNICAST = _V6("2000::/3")


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for: IPv4-mapped, 6to4 or NAT64 (well-known prefix)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def blocked_reason(ip: IPAddress) -> str | None:
    """What kind of non-public address ``ip`` is ("loopback", "private", ...), or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ipaddress.IPv6Address(int(ip))  # without a %scope
        inner = _embedded_v4(ip)
        if inner is not None:
            return blocked_reason(inner)
    for network, reason in _BLOCKED:
        if ip.version == network.version and ip in network:
            return reason
    if isinstance(ip, ipaddress.IPv6Address) and ip not in _GLOBAL_UNICAST:
        return "reserved"
    if not ip.is_global:
        return "non-global"
    return None


def check_address(ip: IPAddress, host: str) -> None:
    """Raise a one-line ``FetchError`` when ``ip`` (an address of ``host``) is not public."""
    reason = blocked_reason(ip)
    if reason is not None:
        article = "an" if reason[0] in "aeiouIU" else "a"
        raise FetchError(f"refused: {host} resolves to {article} {reason} address ({ip})")


def _strip_scope(text: str) -> str:
    return text.split("%", 1)[0]


def check_host(host: str, port: int) -> list[IPAddress]:
    """Resolve ``host`` and return its addresses, or raise ``FetchError`` if any of them is not public.

    ``host`` may be a name or a literal address in any notation the resolver accepts (IPv6 with or
    without brackets). Names that only mean this machine or its network are refused without a lookup.
    """
    name = host.strip()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if not name:
        raise FetchError("invalid URL: no host")
    folded = name.lower().rstrip(".")
    if folded in _LOCAL_NAMES or folded.endswith(_LOCAL_SUFFIXES):
        raise FetchError(f"refused: {name} is a local host name")
    try:
        infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        detail = (str(exc) or type(exc).__name__).splitlines()[0]
        if isinstance(exc, OSError) and exc.strerror:
            detail = exc.strerror
        raise FetchError(f"cannot resolve {name}: {detail}") from None
    addresses: list[IPAddress] = []
    for family, _, _, _, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        ip = ipaddress.ip_address(_strip_scope(str(sockaddr[0])))
        check_address(ip, name)
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise FetchError(f"cannot resolve {name}: no IPv4 or IPv6 address")
    return addresses


def peer_address(stream: object) -> IPAddress | None:
    """The remote address of an httpcore network stream, or None when it does not say."""
    get_extra_info = getattr(stream, "get_extra_info", None)
    if get_extra_info is None:
        return None
    try:
        peer = get_extra_info("server_addr")
        return ipaddress.ip_address(_strip_scope(str(peer[0]))) if peer else None
    except (OSError, ValueError, TypeError, IndexError):
        return None


class GuardedBackend(httpcore.NetworkBackend):
    """An httpcore network backend that connects only to checked, public addresses of the host.

    The host is resolved and checked once per connection (``check_host``) and the socket is connected to
    those very addresses, so a second, different DNS answer cannot slip in; the connected socket's peer
    address is checked again before the stream is handed back.
    """

    def __init__(self) -> None:
        self._sync = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        error: Exception | None = None
        for ip in check_host(host, port):
            try:  # a literal address: the connect itself resolves nothing
                stream = self._sync.connect_tcp(str(ip), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            peer = peer_address(stream)
            try:
                if peer != ip:
                    raise FetchError(f"refused: connected to {peer or 'an unknown address'}, not the checked "
                                     f"address {ip} of {host}")
                check_address(peer, host)
            except FetchError:
                stream.close()
                raise
            return stream
        assert error is not None  # check_host returns at least one address
        raise error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise FetchError("refused: connecting to a unix socket")

    def sleep(self, seconds: float) -> None:
        self._sync.sleep(seconds)
