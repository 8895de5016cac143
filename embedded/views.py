import hashlib
import mimetypes
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe

from embedded.caching import mark_private, public_page
from embedded.forms import FeedbackForm
from embedded.models import Page
from embedded.search import search

RESULTS_PER_PAGE = 10
# Any text makes a search address: keep those pages briefly, so odd queries cannot fill the cache.
SEARCH_CACHE_SECONDS = 10 * 60


@public_page
def page(request, slug):
    page = get_object_or_404(Page.objects.visible_to(request.user), slug=slug)
    return render(request, "embedded/page.html", {"page": page, "item": page})


@public_page(timeout=SEARCH_CACHE_SECONDS, params=("q", "type", "page"))
@require_safe
def search_page(request):
    """/search/?q=…&type=…&page=…: the same for every reader, so cached like any page."""
    results = search(request.GET.get("q", ""), kind=request.GET.get("type"))
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    kind = urlencode({"type": results.kind.slug}) + "&" if results.kind else ""
    context = {
        "results": results,
        "page_obj": page,
        "page_query": f"{results.query_string}&{kind}",
        "query": results.text,
        "noindex": True,
    }
    return render(request, "embedded/search.html", context)


@require_safe
def media(request, path):
    """Images editors uploaded, read from the configured storage (local disk or a shared
    bucket), so every web container serves every upload. A proxy or CDN in front keeps them."""
    try:
        if not path.startswith(settings.MARKDOWNX_MEDIA_PATH) or not default_storage.exists(path):
            raise Http404("No such image.")
        file = default_storage.open(path)
    except (SuspiciousFileOperation, OSError) as error:
        raise Http404("No such image.") from error
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(file, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not. Never cached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure to reach the database is "unhealthy"
        return mark_private(JsonResponse({"status": "database unavailable"}, status=503))
    return mark_private(JsonResponse({"status": "ok"}))


@require_GET
def robots_txt(request):
    body = render_to_string("robots.txt", {"sitemap": request.build_absolute_uri("/sitemap.xml")})
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={settings.PUBLIC_CACHE_MAX_AGE}"
    return response


def _client_key(request):
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if forwarded and settings.TRUSTED_PROXY_COUNT:
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[max(len(hops) - settings.TRUSTED_PROXY_COUNT, 0)]
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()
    return f"feedback-rate:{digest}"


def _over_rate_limit(request):
    key = _client_key(request)
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    return count > settings.FEEDBACK_RATE_LIMIT


def _safe_path(request, path):
    if path and path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return path
    return "/"


# No CSRF token: the form sits on every cached page, and a token would make each
# page personal. The answer is anonymous, rate-limited and changes nothing else.
@csrf_exempt
@require_POST
def feedback(request):
    form = FeedbackForm(request.POST)
    back = _safe_path(request, request.POST.get("path", ""))
    if _over_rate_limit(request):
        response = render(
            request,
            "embedded/feedback.html",
            {"form": form, "back": back, "limited": True},
            status=429,
        )
        response["Retry-After"] = "3600"
        return mark_private(response)
    if not form.is_valid():
        return mark_private(
            render(request, "embedded/feedback.html", {"form": form, "back": back}, status=400)
        )
    if not form.is_spam():
        form.save(path=back)
    return redirect(f"/feedback/thanks/?next={back}")


@require_GET
def feedback_thanks(request):
    back = _safe_path(request, request.GET.get("next", ""))
    return mark_private(render(request, "embedded/feedback_thanks.html", {"back": back}))


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors, no database: this page must render when everything else fails.
    return HttpResponse(render_to_string("500.html"), status=500)
