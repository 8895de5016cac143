"""Whole-page caching for anonymous readers, and the headers proxies rely on.

Every cached page is stored under the site-wide content version, a token
that changes whenever any content is saved or deleted (see `signals`), so an
edit shows at once without hunting for the pages it touched. Staff never get
or fill the cache: they may be previewing drafts.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)

VERSION_KEY = "content-version"
PAGE_TIMEOUT = 24 * 60 * 60


def content_version():
    return cache.get_or_set(VERSION_KEY, lambda: str(time.time_ns()), timeout=None)


def bump_content_version():
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


def mark_private(response):
    """For staff, previews and a reader's own results: no cache may keep a copy."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def _page_key(request):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{content_version()}:{path}"


def public_page(view):
    """Caches a content page for anonymous readers and lets proxies cache it too.

    The response gets `Cache-Control: public` with a short max-age and an
    ETag, and a matching conditional request is answered with 304. Only
    successful pages that set no cookie are shared.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"} or request.user.is_authenticated:
            return mark_private(view(request, *args, **kwargs))
        key = _page_key(request)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code != 200 or response.cookies:
                return response
            response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_MAX_AGE)
            cache.set(key, response, PAGE_TIMEOUT)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapper


def private_page(view):
    """A page made for one reader (their results, a preview): never stored anywhere."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return mark_private(view(request, *args, **kwargs))

    return wrapper
