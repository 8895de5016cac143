"""Who a request comes from, and how much one client may do: log-in lockout and feedback limits.

Behind the proxy in compose.yaml (DJANGO_PROXY_COUNT=1) every request arrives
from the proxy's address, and the reader's own address is the last entry of
X-Forwarded-For. Anything left of it is whatever the client chose to send.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from embedded.caching import local
from embedded.clientip import client_ip
from embedded.models import Feedback, RateLimitHit
from embedded.ratelimit import RateLimit

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
READER = "198.51.100.7"
ATTACKER = "203.0.113.66"
PASSWORD = "a-long-test-password"


def request_from(remote_addr, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded", "client"),
    [
        # No proxy: the header is the client's invention and counts for nothing.
        (0, READER, ATTACKER, READER),
        (0, READER, "not an address", READER),
        # One proxy: the last entry is the one it added; earlier ones are the client's.
        (1, PROXY, READER, READER),
        (1, PROXY, f"{ATTACKER}, {READER}", READER),
        (1, PROXY, f"1.2.3.4, 5.6.7.8, {READER}", READER),
        # Two proxies: the entry the outer one added, one from the end.
        (2, PROXY, f"{ATTACKER}, {READER}, 10.0.0.1", READER),
        # A request that reached the inner proxy directly: the first entry is all there is.
        (2, PROXY, READER, READER),
        # A proxy but no header (a health check from inside): the connecting address.
        (1, PROXY, None, PROXY),
        (1, PROXY, "", PROXY),
        # Junk where an address should be: the connecting address, never the junk.
        (1, PROXY, "unknown", PROXY),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_counts_trusted_proxies_from_the_right(
    settings, proxies, remote_addr, forwarded, client
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_from(remote_addr, forwarded)) == client


def test_django_axes_finds_clients_with_the_same_function(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(request_from(PROXY, f"{ATTACKER}, {READER}")) == READER


def test_no_setting_pretends_to_configure_django_ipware():
    """django-ipware is not installed: settings for it would do nothing, silently."""
    import embedded.settings

    assert not [name for name in vars(embedded.settings) if name.startswith("AXES_IPWARE_")]


# Log-in lockout.


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def sign_in(client, password):
    data = {"username": "editor", "password": password, "next": reverse("admin:index")}
    return client.post(reverse("admin:login"), data)


def test_an_attacker_behind_the_proxy_cannot_lock_out_an_editor_elsewhere(settings, editor):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    statuses = [sign_in(attacker, "wrong").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert sign_in(attacker, PASSWORD).status_code == 429
    editor_client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=READER)
    response = sign_in(editor_client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_forged_forwarded_entry_does_not_escape_the_lockout_behind_a_proxy(settings, editor):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        # The attacker sends a new address each time; the proxy appends the real one.
        forged = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, {ATTACKER}")
        sign_in(forged, "wrong")
    forged = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER}")
    assert sign_in(forged, PASSWORD).status_code == 429


def test_without_a_proxy_a_forged_header_does_not_escape_the_lockout(settings, editor):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(5):
        sign_in(Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}"), "wrong")
    forged = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert sign_in(forged, PASSWORD).status_code == 429
    # ...and the header cannot be used to lock out someone else's address either.
    assert sign_in(Client(REMOTE_ADDR=READER), PASSWORD).status_code == 302


# The feedback limit.


def send_feedback(client):
    return client.post("/feedback/", {"path": "/about/", "helpful": "yes"}).status_code


def test_readers_behind_one_proxy_each_have_their_own_feedback_allowance(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.FEEDBACK_RATE_LIMIT = 2
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert [send_feedback(attacker) for _ in range(3)] == [302, 302, 429]
    reader = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=READER)
    assert send_feedback(reader) == 302
    assert Feedback.objects.count() == 3


def test_a_forged_forwarded_entry_gets_no_fresh_feedback_allowance(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.FEEDBACK_RATE_LIMIT = 2
    statuses = [
        send_feedback(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}"))
        for n in range(4)
    ]
    assert statuses == [302, 302, 429, 429]


def test_without_a_proxy_a_forged_header_gets_no_fresh_feedback_allowance(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.FEEDBACK_RATE_LIMIT = 2
    statuses = [
        send_feedback(Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"))
        for n in range(4)
    ]
    assert statuses == [302, 302, 429, 429]


def test_the_feedback_limit_holds_in_every_process(settings):
    """Another worker, or this one after a restart, starts with its own empty memory."""
    settings.FEEDBACK_RATE_LIMIT = 3
    assert [send_feedback(Client()) for _ in range(3)] == [302, 302, 302]
    cache.clear()
    local.clear()
    assert send_feedback(Client()) == 429
    assert Feedback.objects.count() == 3


def test_a_flood_of_junk_searches_does_not_reset_the_feedback_limit(settings):
    # A cache small enough that a few dozen searches fill it, as 700 filled the real one.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "junk-search-flood",
            "OPTIONS": {"MAX_ENTRIES": 20},
        }
    }
    settings.FEEDBACK_RATE_LIMIT = 2
    attacker = Client()
    assert [send_feedback(attacker) for _ in range(2)] == [302, 302]
    for number in range(40):
        assert attacker.get(f"/search/?q=junk{number}").status_code == 200
    assert send_feedback(attacker) == 429


def test_a_limit_counts_only_the_last_period_and_prunes_older_hits():
    limit = RateLimit("test", limit=2, period=datetime.timedelta(hours=1))
    request = request_from(READER)
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    assert limit.allow(request) and limit.allow(request)
    RateLimitHit.objects.update(expires_at=long_ago)  # both hits now belong to the past
    other = RateLimit("other", limit=5, period=datetime.timedelta(hours=1))
    assert other.allow(request)
    assert limit.allow(request) and limit.allow(request)
    assert not limit.allow(request)
    assert not RateLimitHit.objects.filter(expires_at__lte=timezone.now()).exists()
    # A refused request leaves no row behind, so a flood cannot fill the table.
    assert RateLimitHit.objects.count() == 3


def test_a_limit_stores_no_address():
    RateLimit("test", limit=2, period=datetime.timedelta(hours=1)).allow(request_from(READER))
    key = RateLimitHit.objects.get().key
    assert READER not in key and key.startswith("test:")


def test_counting_a_request_leaves_the_cached_pages_alone():
    from embedded.caching import content_version

    before = content_version()
    assert send_feedback(Client()) == 302
    assert content_version() == before
