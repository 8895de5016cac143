"""A bare Django view returning a guide part's bytes: the benchmark's baseline."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

PAGE = Path(os.environ.get("BENCH_PAGE", "/dev/null")).read_bytes()


def bare(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/", bare)]
