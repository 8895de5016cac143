"""The site's one settings file, read from the environment.

A first run on a laptop needs nothing set: `make run` asks for DEBUG and the
site runs on SQLite with a local-memory cache. With DJANGO_DEBUG off the site
is in production: it refuses to start without a secret key, allowed hosts and
a database URL, and turns on every transport-security setting. Each variable
is listed in the README.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if DEBUG:
    # A throwaway key is fine on a laptop: nothing signed with it outlives the run.
    SECRET_KEY = SECRET_KEY or "development-only-not-secret"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    missing = [
        name
        for name, value in [
            ("DJANGO_SECRET_KEY", SECRET_KEY),
            ("DJANGO_ALLOWED_HOSTS", ALLOWED_HOSTS),
            ("DATABASE_URL", os.environ.get("DATABASE_URL")),
        ]
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            f"Production settings (DJANGO_DEBUG is off) need {', '.join(missing)}. "
            "For a local run, use `make run`, which sets DJANGO_DEBUG=1."
        )

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "embedded",
    "guidance",
    "casestudies",
    "toolkit",
    "contact",
    # Django's admin, as our own site class (embedded/admin_site.py).
    "embedded.apps.SiteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "simple_history",
    "axes",
]

MIDDLEWARE = [
    # Answers anonymous readers from the page cache before anything below runs,
    # with the headers the middleware below gave the page when it was stored.
    "embedded.middleware.PageCacheMiddleware",
    # Headers every response needs, whatever made it (an error, a redirect,
    # a refused method, a bad host): so these come before anything that answers.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "embedded.middleware.CacheControlMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "embedded.middleware.AllowedMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "embedded.middleware.RedirectFallbackMiddleware",
    # Turns a database error raised by a view into the friendly 503 page.
    "embedded.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "embedded.urls"
WSGI_APPLICATION = "embedded.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "embedded.navigation.navigation",
            ],
        },
    },
]

# Databases: SQLite next to the code unless DATABASE_URL names another.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's psycopg pool keeps connections warm between requests in each
    # gunicorn worker; it replaces persistent connections, so CONN_MAX_AGE is 0.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "8")),
        # Give up quickly when the database is away, so readers get the
        # friendly 503 page instead of a hung request.
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "5")),
    }
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: Redis is shared by every web container, so a page one renders serves
# them all; without it each process keeps its own pages (see embedded/caching.py).
REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "embedded"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Each process keeps its own copies of recent pages, and reads the content
# version from the database at most this often (seconds): other processes see
# an edit within this time, the one that saved it at once.
CONTENT_VERSION_CHECK_SECONDS = float(os.environ.get("CONTENT_VERSION_CHECK_SECONDS", "1"))
PAGE_CACHE_LOCAL_ENTRIES = int(os.environ.get("PAGE_CACHE_LOCAL_ENTRIES", "500"))

# How long an anonymous page may be reused by browsers and proxies (seconds).
# Our own cache is invalidated on every edit; shared caches outside us are not,
# so this stays short.
PUBLIC_CACHE_MAX_AGE = int(os.environ.get("PUBLIC_CACHE_MAX_AGE", "300"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded images live on local disk (one container) or in S3-compatible object
# storage (several containers share one bucket). The app serves them at
# /media/ either way, unless MEDIA_S3_PUBLIC_URL names the bucket's own public
# address, in which case pages link straight to it.


def media_storage(environ):
    """The storage for uploads, their base address, and the origins the CSP must allow."""
    kind = environ.get("MEDIA_STORAGE", "filesystem")
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "/media/", []
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE should be filesystem or s3, not {kind!r}.")
    if not environ.get("MEDIA_S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET.")
    options = {
        "bucket_name": environ["MEDIA_S3_BUCKET"],
        # Empty means AWS itself; any S3-compatible service gives its address here.
        "endpoint_url": environ.get("MEDIA_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("MEDIA_S3_REGION") or None,
        # Unset, boto3 finds credentials itself (environment, instance role).
        "access_key": environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
        "location": environ.get("MEDIA_S3_PREFIX", ""),
        # Upload names are random; never replace an object another container wrote.
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": False,
    }
    public = environ.get("MEDIA_S3_PUBLIC_URL", "").rstrip("/")
    if not public:
        return {"BACKEND": "embedded.storage.AppServedS3Storage", "OPTIONS": options}, "/media/", []
    scheme, _, domain = public.partition("//")
    options |= {"custom_domain": domain, "url_protocol": scheme}
    origin = f"{scheme}//{domain.partition('/')[0]}"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, f"{public}/", [origin]


MEDIA_STORAGE_BACKEND, MEDIA_URL, MEDIA_ORIGINS = media_storage(os.environ)
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Hashed file names may be cached for ever by browsers and CDNs.
WHITENOISE_MAX_AGE = 31536000
# On a laptop, serve straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Markdown: the admin preview runs the same render-and-sanitise as the site.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "embedded.markdown.markdownify"
MARKDOWNX_URLS_PATH = "/admin/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/admin/markdownx/upload/"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"]
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 85}
MARKDOWNX_SERVER_CALL_LATENCY = 400
# The longest body (in characters) an editor can save: about 3,000 words, three times the
# longest page today, and short enough that even hostile text renders in a fraction of a second.
MARKDOWN_MAX_LENGTH = int(os.environ.get("MARKDOWN_MAX_LENGTH", "20000"))

# Review dates: "mark as reviewed" sets the next one this many months ahead.
REVIEW_PERIOD_MONTHS = int(os.environ.get("REVIEW_PERIOD_MONTHS", "12"))

# A second pair of eyes: an editor's changes go live once another editor approves them.
# A team of one or two can let editors approve (publish) their own.
EDITORIAL_SELF_APPROVAL = env_flag("EDITORIAL_SELF_APPROVAL")

CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content"))

# Security headers sent on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# How many proxies in front of us append to X-Forwarded-For: the client's address
# is that many entries from the end (log-in lockout and feedback limits use it).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
# Behind a TLS-terminating proxy, trust its X-Forwarded-Proto to know a
# request was HTTPS (the proxy must overwrite the header, as ours do).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
    # /healthz is probed over plain HTTP inside the container network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Sending "preload" submits nothing by itself; it lets the domain owner apply to the
    # browsers' preload list. Turn it off for a domain whose subdomains are not all HTTPS.
    SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", True)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
}

# Log-in protection: five failures for one username from one address locks
# that pair out for a while; other people and addresses are not affected.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The one function that finds a client's address, honouring DJANGO_PROXY_COUNT.
AXES_CLIENT_IP_CALLABLE = "embedded.clientip.client_ip"

# "Was this page helpful?": answers per client address per hour.
FEEDBACK_RATE_LIMIT = int(os.environ.get("FEEDBACK_RATE_LIMIT", "10"))

# The contact form: messages per client address per hour, who is told one
# arrived, and how long a closed message is kept before
# `manage.py delete_closed_contact_messages` (run daily) deletes it.
CONTACT_RATE_LIMIT = int(os.environ.get("CONTACT_RATE_LIMIT", "5"))
CONTACT_NOTIFY_EMAILS = env_list("CONTACT_NOTIFY_EMAILS")
CONTACT_MESSAGE_RETENTION_DAYS = int(os.environ.get("CONTACT_MESSAGE_RETENTION_DAYS", "365"))

# Email, used only to tell editors a contact message arrived. Without EMAIL_HOST
# nothing is sent (on a laptop, emails are printed to the console instead).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", not env_flag("EMAIL_USE_SSL"))
EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL")
# A slow mail server must not hold a reader's request for long.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
