"""The benchmark's baseline: the site's settings with only the middleware `startproject` gives.

`make bench` serves `bench.urls.bare` (the guide part's bytes from a bare view)
with these, in the same gunicorn and configuration as the site, so the site's
pages are measured against what any Django project costs.
"""

from embedded.settings import *  # noqa: F403 - the same settings, but for the two below

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "bench.urls"
