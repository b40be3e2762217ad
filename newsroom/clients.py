"""What we can tell of who sent a request, for the defences both apps use (reply flood control, read counting)."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The reader's IP address: REMOTE_ADDR, or the one our own proxies saw (``COMMENTS_PROXY_COUNT``).

    Only the entries our own proxies appended to ``X-Forwarded-For`` are
    trusted; anything a client wrote there itself is ignored.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    proxies = settings.COMMENTS_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return None
    return str(getattr(address, "ipv4_mapped", None) or address)
