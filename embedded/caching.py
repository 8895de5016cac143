"""Whole-page caching for anonymous readers, and the headers proxies rely on.

Every cached page is stored with the site-wide content version it was made
under: a token in one database row (`ContentVersion`) that changes whenever
content is saved or deleted, wherever that happens (the admin, `load_content`,
a shell), and when a scheduled item goes live. A page is served only while its
token is current, so an edit shows without hunting for the pages it touched.
The token lives in the database because every process already looks there and
it commits with the change it announces: no process, however many and whatever
the cache, can miss a change or see one early. The price is a primary-key read
per process at most every CONTENT_VERSION_CHECK_SECONDS (one second), until
which it may serve the old pages; the process that made the change knows at
once. (A bulk `update()` or raw SQL sends no signal: call
`bump_content_version()` after it.)

Pages are kept in each process's memory and, when `REDIS_URL` names one, in a
shared Redis, so a page one process rendered serves them all. A view marked
`public_page` leaves its response to `PageCacheMiddleware`, first in the
middleware, which stores it as the whole stack finished it (every security
header included) and answers the next anonymous GET or HEAD for that address
itself, before any other middleware runs: as cheap as a bare Django view.
Staff, previews and requests carrying a session cookie never get or fill the
cache: they may be previewing drafts.
"""

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from functools import cached_property, wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, connection, models, transaction
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)

PAGE_TIMEOUT = 24 * 60 * 60
# The stored format: change it whenever StoredPage changes, so a new release
# never reads an older one's pages from a shared Redis.
KEY_FORMAT = "page3"
# Cache backends that live in one process (or nowhere): no use for sharing pages.
PROCESS_CACHES = ("LocMemCache", "DummyCache")
# A 304 has no body to describe. It keeps the page's Content-Length (RFC 9110,
# 8.6), which also stops CommonMiddleware from claiming a length of 0.
NOT_MODIFIED_DROPS = {"content-type"}


# The content version.


class KnownVersion:
    """This process's last reading of the content version, and when to read it again."""

    def __init__(self):
        self.refreshing = threading.Lock()
        self.forget()

    def forget(self):
        # One tuple, replaced whole, so threads read it without a lock.
        self.reading = (None, float("-inf"), None)

    def remember(self, token, next_change=None):
        """`next_change`: a Unix time at which the token must be read again, if sooner."""
        self.reading = (token, time.monotonic(), next_change)

    def current(self):
        """The token, if read within the check interval and no scheduled change is due."""
        token, read_at, next_change = self.reading
        if time.monotonic() - read_at >= settings.CONTENT_VERSION_CHECK_SECONDS:
            return None
        if next_change is not None and time.time() >= next_change:
            return None
        return token

    @property
    def last(self):
        return self.reading[0]


version = KnownVersion()
_saving = threading.local()  # changes this thread announced inside a transaction


def content_version():
    """The current content version; it moves on by itself when scheduled content goes live.

    Read from the database at most once per check interval, by one thread at a
    time: the others go on with the token they have. If the database is away,
    pages cached under the last token go on being served.
    """
    token = version.current()
    if token is not None:
        return token
    if not version.refreshing.acquire(blocking=False):
        if version.last is not None:
            return version.last
        version.refreshing.acquire()
    try:
        token = version.current()  # another thread may have read it while we waited
        if token is None:
            token = _read_version()
    except DatabaseError:
        if version.last is None:
            raise
        token = version.last
        version.remember(token)  # try the database again after the interval
    finally:
        version.refreshing.release()
    return token


def _read_version():
    """Reads the token from the database, moving it on if a scheduled item's time has come."""
    from embedded.models import ContentVersion

    row = ContentVersion.objects.filter(pk=1).values_list("token", "next_change_at").first()
    if row is None:
        return _move_on()
    token, next_change = row
    if next_change is not None and next_change <= timezone.now():
        return _move_on(replacing=token)
    version.remember(token, next_change.timestamp() if next_change else None)
    return token


def _move_on(replacing=None):
    """Gives the content a new token and notes when the next scheduled item goes live.

    With `replacing`, only if the token is still that one: of several processes
    that notice the same go-live, one moves the token on and the others read it.
    """
    token, next_change = secrets.token_hex(16), _next_scheduled_publication()
    if not _write_version(token, next_change, replacing):
        return _read_version()
    version.remember(token, next_change.timestamp() if next_change else None)
    return token


def _write_version(token, next_change, replacing=None):
    """Stores the token; False when `replacing` is given and the row no longer holds it."""
    from embedded.models import ContentVersion

    rows = ContentVersion.objects.filter(pk=1)
    if replacing is not None:
        rows = rows.filter(token=replacing)
    if rows.update(token=token, next_change_at=next_change):
        return True
    if replacing is not None:
        return False
    # A new or emptied database has no row yet. Should another process make it
    # at the same moment, theirs stands and this process reads it next time.
    row = ContentVersion(pk=1, token=token, next_change_at=next_change)
    ContentVersion.objects.bulk_create([row], ignore_conflicts=True)
    return True


def _next_scheduled_publication():
    """When the next scheduled item goes live, or None if none is waiting."""
    from embedded.content import registry  # the registry imports the apps' models
    from embedded.models import ChangeNote

    # A change note dated later (loaded from a file) appears on its page at that time.
    notes = ChangeNote.objects.filter(major=True, made_at__gt=timezone.now())
    waiting = [notes.order_by().values(published_at=models.F("made_at"))]
    waiting += [
        model.objects.scheduled().order_by().values("published_at") for model in registry.models
    ]
    first = waiting[0].union(*waiting[1:]).order_by("published_at").first()
    return first["published_at"] if first else None


def bump_content_version():
    """Announces a change to content: every process serves pages made after it.

    Inside a transaction the new token commits together with the change, and
    this process uses it at once. Pages another thread here rendered from the
    rows as they were before the commit could be stored under it, so once the
    change commits the token moves on again (once, however many rows changed).
    """
    if not connection.in_atomic_block:
        _move_on()
        return
    token = secrets.token_hex(16)
    # A go-live time of now makes any process that reads this token before the
    # second move look for the next go-live itself, should this process stop first.
    _write_version(token, timezone.now())
    version.remember(token)
    _saving.changes = getattr(_saving, "changes", 0) + 1
    transaction.on_commit(_after_commit, robust=True)


def _after_commit():
    if getattr(_saving, "changes", 0):
        _saving.changes = 0
        _move_on()


# The pages.


@dataclass(frozen=True)
class StoredPage:
    """A page as the whole middleware stack finished it, made into a new response each time."""

    version: str
    content: bytes
    headers: tuple
    etag: str

    def response(self, request):
        """The page, or 304 Not Modified with the page's headers if the reader has this copy."""
        if is_conditional(request):
            not_modified = get_conditional_response(request, etag=self.etag)
            if not_modified is not None:
                for name, value in self.headers:
                    if name.lower() not in NOT_MODIFIED_DROPS:
                        not_modified.headers.setdefault(name, value)
                return not_modified
        response = HttpResponse(self.content)
        # The headers were checked when the page was first sent; copying them as
        # stored spares re-checking a dozen of them on every request.
        response.headers._store = dict(self.header_store)
        return response

    @cached_property
    def header_store(self):
        """The headers as Django's ResponseHeaders keeps them: by lower-case name."""
        return {name.lower(): (name, value) for name, value in self.headers}


def is_conditional(request):
    return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META


class LocalPages:
    """This process's copies of recent pages; the oldest stored goes first when full."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        self.pages = {}

    def get(self, key):
        return self.pages.get(key)

    def put(self, key, page):
        with self.lock:
            self.pages.pop(key, None)
            self.pages[key] = page
            while self.pages and len(self.pages) > settings.PAGE_CACHE_LOCAL_ENTRIES:
                del self.pages[next(iter(self.pages))]


local = LocalPages()


def shared_pages():
    """The cache every process shares (Redis), or None when the cache is this process's own."""
    own = settings.CACHES["default"]["BACKEND"].endswith(PROCESS_CACHES)
    return None if own else cache


def page_key(request, params=None):
    """The page's address: scheme, host, path and the query parameters the view reads
    (`params`; all of them when None), sorted, so junk parameters (tracking tags, say)
    share one copy instead of filling the cache."""
    if params is None:
        kept = sorted(request.GET.lists()) if request.META.get("QUERY_STRING") else []
    else:
        kept = sorted((name, value) for name, value in request.GET.lists() if name in params)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{kept}"
    return f"{KEY_FORMAT}:{hashlib.sha256(address.encode()).hexdigest()}"


def stored_page(key):
    """This page under the current version, from this process or the shared cache."""
    page = local.get(key)
    if page is None:
        shared = shared_pages()
        page = shared.get(key) if shared is not None else None
        if not isinstance(page, StoredPage):
            return None
    if page.version != content_version():
        return None
    local.put(key, page)
    return page


def is_cacheable(request):
    """An anonymous read that carries no session: the only kind the page cache answers."""
    if request.method not in {"GET", "HEAD"}:
        return False
    cookies = request.META.get("HTTP_COOKIE")
    return not cookies or settings.SESSION_COOKIE_NAME not in cookies


def cached_response(request):
    """The response for this request from the page cache, or None to let the site answer."""
    if not is_cacheable(request) or request.path.startswith(settings.STATIC_URL):
        return None
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None  # SecurityMiddleware sends it to HTTPS
    try:
        key = page_key(request)
    except SuspiciousOperation:  # a bad host, too many fields: the site answers 400
        return None
    try:
        page = stored_page(key)
    except DatabaseError:
        return None
    return page.response(request) if page is not None else None


def store(request, response):
    """Keeps a public page's finished response, if its view asked and nothing made it personal.

    Returns the stored page, or None if the response is not one to keep.
    """
    marked = getattr(response, "page_cache", None)
    if marked is None or response.status_code != 200 or response.cookies:
        return None
    key, version, timeout = marked
    page = StoredPage(version, response.content, tuple(response.items()), response["ETag"])
    shared = shared_pages()
    if shared is not None:
        shared.set(key, page, timeout)
    local.put(key, page)
    return page


def mark_private(response):
    """For staff, previews and a reader's own results: no cache may keep a copy."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def public_page(view=None, *, timeout=PAGE_TIMEOUT, params=()):
    """Caches a content page for anonymous readers and lets proxies cache it too.

    The page answers GET and HEAD only (anything else gets 405). An anonymous
    reader's response gets `Cache-Control: public` with a short max-age and an
    ETag, and a matching conditional request is answered with 304. Only
    successful pages that set no cookie are kept, by `PageCacheMiddleware`,
    which must come first in MIDDLEWARE. Staff get the page rendered afresh and
    marked private. Use as `@public_page`, or `@public_page(timeout=seconds,
    params=[...])`: kept in a shared cache for less long, and naming the query
    parameters the view reads (others do not change the page).
    """
    if view is None:
        return lambda view: public_page(view, timeout=timeout, params=params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if request.user.is_authenticated:
            return mark_private(view(request, *args, **kwargs))
        key = page_key(request, params)
        page = stored_page(key)
        if page is not None:
            return page.response(request)
        page_version = content_version()
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200 or response.cookies:
            return response
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_MAX_AGE)
        response.page_cache = (key, page_version, timeout)  # kept, and answered, on the way out
        return response

    return wrapper


def private_page(view):
    """A page made for one reader (their results, a preview): never stored anywhere."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return mark_private(view(request, *args, **kwargs))

    return wrapper
