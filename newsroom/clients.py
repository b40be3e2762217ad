"""Who sent a request, for the defences both apps use (reply flood control, read counting, stored replies).

Only the peers in ``TRUSTED_PROXIES`` (addresses or networks) are believed
about the client behind them. ``X-Forwarded-For`` and ``X-Forwarded-Proto``
from anyone else are dropped before any view or ``SECURE_PROXY_SSL_HEADER``
reads them: a reader who reaches gunicorn directly cannot pass for another
address, nor for HTTPS.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


def client_ip(request):
    """REMOTE_ADDR; or, from a trusted proxy, the right-most ``X-Forwarded-For`` entry that is not a trusted
    proxy itself (proxies append, so entries left of it were written by the client). None when unknown."""
    address = _address(request.META.get("REMOTE_ADDR", ""))
    if address is None or not _is_trusted(address):
        return _text(address)
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    for entry in reversed(entries):
        hop = _address(entry)
        if hop is None:
            return None
        if not _is_trusted(hop):
            return _text(hop)
        address = hop
    return _text(address)


class ForwardedHeadersMiddleware:
    """Outermost: drops the ``X-Forwarded-*`` headers of a request whose peer is not a trusted proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        peer = _address(request.META.get("REMOTE_ADDR", ""))
        if peer is None or not _is_trusted(peer):
            for name in FORWARDED_HEADERS:
                request.META.pop(name, None)
        return self.get_response(request)


def _address(text):
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _text(address):
    return None if address is None else str(address)


def _is_trusted(address):
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


@lru_cache(maxsize=8)
def _networks(proxies):
    return [ipaddress.ip_network(proxy, strict=False) for proxy in proxies]
