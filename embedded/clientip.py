"""The address a request came from, as far as this site can trust it.

Each proxy in front of the site appends the address it was reached from to
X-Forwarded-For, so the client is the entry DJANGO_PROXY_COUNT places from the
right: anything further left is whatever the client chose to send. With no
proxy (the count is 0) the header is the client's own invention and is
ignored. Log-in lockout (django-axes, through AXES_CLIENT_IP_CALLABLE) and
every rate limit ask this one function, so they always agree on who a reader is.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's IP address as text, or None when the request carries none that is valid."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded.strip():
        hops = [hop.strip() for hop in forwarded.split(",")]
        # Fewer entries than proxies: the request skipped the outer ones, and the
        # leftmost entry was written by the first proxy it did pass through.
        address = hops[max(len(hops) - proxies, 0)]
    return _valid(address) or _valid(request.META.get("REMOTE_ADDR", ""))


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None
