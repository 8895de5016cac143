"""The site's own middleware, each with one job; their order is set in settings.MIDDLEWARE."""

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from embedded import caching
from embedded.caching import mark_private
from embedded.sitepaths import is_site_path


class PageCacheMiddleware:
    """Answers an anonymous reader from the page cache before anything else runs.

    First in MIDDLEWARE, as Django's own FetchFromCacheMiddleware is: a GET or
    HEAD without a session cookie, for an address a public page was stored at,
    gets that page with every header the whole stack gave it (or a 304). Any
    other request goes on unchanged, and on its way out a public page's
    finished response is stored (see `embedded.caching`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = caching.cached_response(request)
        if response is not None:
            return response
        response = self.get_response(request)
        page = caching.store(request, response)
        if page is not None and caching.is_conditional(request):
            return page.response(request)  # a 304 if the reader has this very copy
        return response


class AllowedMethodsMiddleware:
    """Refuses, with 405, the methods no page here answers (OPTIONS, TRACE, PUT, DELETE...)."""

    ALLOWED = ["GET", "HEAD", "POST"]

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED:
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)


class CacheControlMiddleware:
    """Gives every response that did not choose its own caching a deliberate Cache-Control.

    Pages choose theirs (`public_page`, `mark_private`) and so do static files.
    A permanent redirect (a moved page, a missing slash, HTTP to HTTPS) may be
    kept as long as a page, no longer: browsers otherwise keep it for ever.
    Anything else (errors, temporary redirects, forms) is never stored: a
    404 or a 503 must not outlive the moment that caused it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if response.status_code in {301, 308}:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_MAX_AGE)
        else:
            mark_private(response)
        return response


class DatabaseUnavailableMiddleware:
    """Answers a friendly 503 when the database cannot be reached.

    Pages already in the cache never get here (they need no database). The
    connection pool reconnects by itself once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError) or _is_pool_error(exception):
            response = HttpResponse(render_to_string("503.html"), status=503)
            response["Retry-After"] = "60"
            return mark_private(response)
        return None


def _is_pool_error(exception):
    return type(exception).__module__.startswith("psycopg_pool")


class RedirectFallbackMiddleware:
    """Sends a request that found nothing to where its content moved, if it did."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        from embedded.models import Redirect

        try:
            redirect = Redirect.objects.filter(old_path=request.path).first()
        except DatabaseError:
            return response
        # A target that could leave the site (saved before targets were checked) is ignored.
        if redirect is None or not is_site_path(redirect.new_path):
            return response
        query = request.META.get("QUERY_STRING")
        joiner = "&" if "?" in redirect.new_path else "?"
        target = f"{redirect.new_path}{joiner}{query}" if query else redirect.new_path
        return HttpResponsePermanentRedirect(target)
