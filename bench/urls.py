"""The site's URLs plus a bare Django view, for the benchmark's baseline only."""

from pathlib import Path

from django.http import HttpResponse
from django.urls import include, path

BASELINE = Path(__file__).resolve().parent.parent / "staticfiles" / "bench" / "page.html"
PAGE = BASELINE.read_bytes() if BASELINE.exists() else b""


def bare(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/", bare), path("", include("embedded.urls"))]
handler404 = "embedded.views.not_found"
handler500 = "embedded.views.server_error"
