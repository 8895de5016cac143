"""The site with nowhere to keep pages: `make bench` measures what rendering every request costs."""

from embedded.settings import *  # noqa: F403 - the same settings, but for the two below

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
PAGE_CACHE_LOCAL_ENTRIES = 0
