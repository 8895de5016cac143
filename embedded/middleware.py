from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string

from embedded.caching import mark_private
from embedded.sitepaths import is_site_path


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
