"""Which addresses a redirect may send readers to, and which it may take over.

A permanent redirect is cached by browsers for good, so both ends are checked
before one is saved. The target must be a path on this site: one leading
slash, no scheme or host, and nothing (a backslash, a tab, a line break) that
a browser would read as the start of another site's address. The old address
must be free: not the site's own files, the admin, one of its fixed pages or
the address of any content, live or not.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from embedded.plaintext import UNPRINTABLE

# Addresses browsers and other software ask for by convention.
RESERVED_PATHS = ("/favicon.ico", "/apple-touch-icon.png")
RESERVED_PREFIXES = ("/.well-known/", "/admin/")


def is_site_path(address):
    """True for a path on this site, with an optional query string or fragment."""
    if not address.startswith("/") or address.startswith("//"):
        return False
    if "\\" in address or UNPRINTABLE.search(address) or any(ch.isspace() for ch in address):
        return False
    parts = urlsplit(address)
    return not parts.scheme and not parts.netloc


def why_taken(path):
    """Why a redirect may not start at `path`, or None when the address is free."""
    if not is_site_path(path) or "?" in path or "#" in path:
        return "The old address must be a path on this site, such as /guidance/old-name/."
    prefixes = (*RESERVED_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL)
    if path in RESERVED_PATHS or path.startswith(prefixes):
        return f"{path} is not free for a redirect: the site or browsers use it for its own files."
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is not None and not match.captured_kwargs:
        return f"{path} is not free for a redirect: it is one of the site's own pages."
    if path in content_paths():
        return f"{path} is not free for a redirect: it is the address of existing content."
    return None


def content_paths():
    """Every address any content answers at, published or not."""
    from embedded.content import registry  # the registry imports the apps' models

    items = (item for model in registry.models for item in model.objects.all())
    return {path for item in items for path in item.public_paths()}
