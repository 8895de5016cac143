"""Shared fixtures: the shipped content in the test database, a clean cache, and makers."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache

from embedded.caching import local, version
from embedded.content import load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the content the site ships with."""
    with django_db_blocker.unblock():
        load(settings.CONTENT_DIR)


@pytest.fixture(autouse=True)
def clean_cache(settings):
    """An empty page cache with a content version already read, as on a running site.

    (A cold process reads the version once on its first request; pinned query
    counts measure the pages, not that, however slowly a busy machine runs a
    test. Tests of the check interval set their own.)
    """
    settings.CONTENT_VERSION_CHECK_SECONDS = 3600
    cache.clear()
    local.clear()
    version.remember("tests")
    yield
    cache.clear()
    local.clear()
    version.forget()


@pytest.fixture
def staff_client(client, django_user_model):
    """Signed in as an editor: staff, in the Editors group."""
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client
