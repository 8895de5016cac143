"""Whole-page caching for anonymous readers, and the headers proxies rely on.

Every cached page is stored with the site-wide content version it was made
under, a token that changes whenever any content is saved or deleted (see
`signals`), so an edit shows at once without hunting for the pages it touched.
Staff never get or fill the cache: they may be previewing drafts.

Two tiers: the shared cache (Redis in production, so every process sees an
edit) and, in front of it, each process's own small store of recent pages.
A process asks the shared cache for the current version at most once every
CONTENT_VERSION_CHECK_SECONDS (one second by default); the process that saved
an edit knows at once, the others within that second.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)

VERSION_KEY = "content-version"
NEXT_CHANGE_KEY = "content-next-scheduled"
PAGE_TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class StoredPage:
    """A cached page: its bytes and the view's own headers, made into a new response each time."""

    version: str
    content: bytes
    headers: tuple

    @classmethod
    def of(cls, response, version):
        return cls(version, response.content, tuple(response.items()))

    def response(self):
        response = HttpResponse(self.content)
        for name, value in self.headers:
            response[name] = value
        return response


class LocalTier:
    """This process's recent pages and its last reading of the content version."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        with self.lock:
            self.pages = OrderedDict()
            self.version, self.version_read_at = None, float("-inf")

    def known_version(self):
        with self.lock:
            fresh = time.monotonic() - self.version_read_at < settings.CONTENT_VERSION_CHECK_SECONDS
            return self.version if fresh else None

    def remember_version(self, version):
        with self.lock:
            self.version, self.version_read_at = version, time.monotonic()

    def get(self, key):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key, page):
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > settings.PAGE_CACHE_LOCAL_ENTRIES:
                self.pages.popitem(last=False)


local = LocalTier()


def content_version():
    """The current version; it moves on by itself when scheduled content goes live."""
    version = local.known_version()
    if version is not None:
        return version
    values = cache.get_many([VERSION_KEY, NEXT_CHANGE_KEY])
    version, next_change = values.get(VERSION_KEY), values.get(NEXT_CHANGE_KEY)
    if version is None or (next_change is not None and time.time() >= next_change):
        return bump_content_version()
    local.remember_version(version)
    return version


def bump_content_version():
    version = str(time.time_ns())
    cache.set_many(
        {VERSION_KEY: version, NEXT_CHANGE_KEY: _next_scheduled_publication()}, timeout=None
    )
    local.remember_version(version)
    return version


def _next_scheduled_publication():
    """When the next scheduled item goes live (a Unix time), or None if none is waiting."""
    from embedded.content import registry  # the registry imports the apps' models

    try:
        upcoming = [
            model.objects.filter(status="published", published_at__gt=timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
            for model in registry.models
        ]
    except DatabaseError:  # the database is away: serve what is cached, check again later
        return time.time() + 60
    upcoming = [moment for moment in upcoming if moment is not None]
    return min(upcoming).timestamp() if upcoming else None


def mark_private(response):
    """For staff, previews and a reader's own results: no cache may keep a copy."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def _page_key(request, params):
    """The page's address as the view sees it: host, path and only the query parameters
    it reads, so junk parameters (tracking tags, say) share one copy instead of filling
    the cache. The "2" is the stored format: change it whenever StoredPage changes, so a
    new release never reads an older one's pages."""
    kept = sorted((name, value) for name, value in request.GET.lists() if name in params)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{kept}"
    return f"page2:{hashlib.sha256(address.encode()).hexdigest()}"


def _stored_page(key, version):
    """This page under the current version, from this process or the shared cache."""
    page = local.get(key)
    if page is None or page.version != version:
        page = cache.get(key)
        if not isinstance(page, StoredPage) or page.version != version:
            return None
        local.put(key, page)
    return page


def public_page(view=None, *, timeout=PAGE_TIMEOUT, params=()):
    """Caches a content page for anonymous readers and lets proxies cache it too.

    The response gets `Cache-Control: public` with a short max-age and an
    ETag, and a matching conditional request is answered with 304. Only
    successful pages that set no cookie are shared. Use as `@public_page`, or
    `@public_page(timeout=seconds, params=[...])`: kept in our cache for less long,
    and naming the query parameters the view reads (others do not change the page).
    """
    if view is None:
        return lambda view: public_page(view, timeout=timeout, params=params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"} or request.user.is_authenticated:
            return mark_private(view(request, *args, **kwargs))
        key, version = _page_key(request, params), content_version()
        page = _stored_page(key, version)
        if page is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code != 200 or response.cookies:
                return response
            response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_MAX_AGE)
            page = StoredPage.of(response, version)
            cache.set(key, page, timeout)
            local.put(key, page)
        response = page.response()
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapper


def private_page(view):
    """A page made for one reader (their results, a preview): never stored anywhere."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return mark_private(view(request, *args, **kwargs))

    return wrapper
