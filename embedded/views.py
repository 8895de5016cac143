import mimetypes
from urllib.parse import urlencode

from django.conf import settings
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
from embedded.forms import FeedbackCommentForm, FeedbackForm
from embedded.glossary import by_letter
from embedded.models import GlossaryTerm, Page
from embedded.plaintext import strip_unprintable
from embedded.ratelimit import RateLimit
from embedded.search import search

RESULTS_PER_PAGE = 10
# Any text makes a search address: keep those pages briefly, so odd queries cannot fill the cache.
SEARCH_CACHE_SECONDS = 10 * 60


@public_page
def page(request, slug):
    page = get_object_or_404(Page.objects.visible_to(request.user), slug=slug)
    return render(request, "embedded/page.html", {"page": page, "item": page})


@public_page
def glossary(request):
    """Every term A to Z, each under its own anchor. One query."""
    terms = list(GlossaryTerm.objects.visible_to(request.user).defer("body"))
    review = {
        "last_reviewed": max((term.last_reviewed for term in terms), default=None),
        "next_review_due": min((term.next_review_due for term in terms), default=None),
    }
    context = {"letters": by_letter(terms), "terms": terms, "review": review}
    return render(request, "embedded/glossary.html", context)


@public_page(timeout=SEARCH_CACHE_SECONDS, params=("q", "type", "page", "exact"))
@require_safe
def search_page(request):
    """/search/?q=…&type=…&page=…&exact=1: the same for every reader, so cached like any page.

    `exact=1` searches for what was typed, with no spelling corrected.
    """
    exact = request.GET.get("exact") == "1"
    results = search(request.GET.get("q", ""), kind=request.GET.get("type"), exact=exact)
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


# "Was this page helpful?": a few answers an hour from one client, counted by every process.
FEEDBACK_LIMIT = RateLimit("feedback", limit=lambda: settings.FEEDBACK_RATE_LIMIT)


def _safe_path(request, path):
    path = strip_unprintable(path)
    if path and path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return path
    return "/"


# "Was this page helpful?" in two steps, as on NHS.UK: every page carries only
# the Yes and No buttons (the same for every reader, so the page stays cached);
# the answer is stored at once, and the thank-you page then offers a comment box.
# The comment is tied to the answer by a signed, short-lived token in the form.
#
# No CSRF token: the form sits on every cached page, and a token would make each
# page personal. The answer is anonymous, rate-limited and changes nothing else.
@csrf_exempt
@require_POST
def feedback(request):
    back = _safe_path(request, request.POST.get("path", ""))
    if "answer" in request.POST:
        return _feedback_comment(request, back)
    form = FeedbackForm(request.POST)
    if not FEEDBACK_LIMIT.allow(request):
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
    query = {"next": back}
    if not form.is_spam():
        answer = form.save(path=back)
        if not answer.comment:
            query["answer"] = FeedbackCommentForm.token_for(answer)
    return redirect(f"/feedback/thanks/?{urlencode(query, safe='/')}")


def _feedback_comment(request, back):
    form = FeedbackCommentForm(request.POST)
    if not form.is_valid():
        context = {"back": back, "comment_form": form, "answer": form.feedback}
        return mark_private(render(request, "embedded/feedback_thanks.html", context, status=400))
    form.save()
    return redirect(f"/feedback/thanks/?{urlencode({'next': back}, safe='/')}")


@require_GET
def feedback_thanks(request):
    back = _safe_path(request, request.GET.get("next", ""))
    context = {"back": back}
    form = FeedbackCommentForm(initial={"answer": request.GET.get("answer", "")})
    if form.feedback is not None and not form.feedback.comment:
        context.update(comment_form=form, answer=form.feedback)
    return mark_private(render(request, "embedded/feedback_thanks.html", context))


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors, no database: this page must render when everything else fails.
    return HttpResponse(render_to_string("500.html"), status=500)
