"""Shared fixtures: the shipped content in the test database, a clean cache, a fixed clock, makers.

Hypothesis runs the "ci" profile unless HYPOTHESIS_PROFILE names another
("thorough" tries many more examples, for a run before a release).
"""

import datetime
import itertools
import os
import tempfile

import freezegun
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from embedded.caching import local, version
from embedded.content import load


def use_memory_for_scratch_files(folder="/dev/shm"):
    """Scratch files (the real-server tests' SQLite databases, Chromium's profiles, exported
    content) go to a RAM-backed folder where the machine has one.

    A SQLite file on disk waits for the disk at every commit: while PostgreSQL was busy
    writing, migrating one took 19 s on this project's two-core machine, against 3 s in RAM
    for the same CPU time. Set here,
    as pytest starts, so pytest's tmp_path, tempfile, the xdist workers and every process
    a test starts (gunicorn, Chromium) inherit it.
    """
    if "TMPDIR" not in os.environ and os.access(folder, os.W_OK):
        os.environ["TMPDIR"] = folder
        tempfile.tempdir = None  # tempfile re-reads TMPDIR on its next call


use_memory_for_scratch_files()

# Sized for CI on two cores: enough examples to find the usual edge cases in a
# few seconds per test. Deadlines are off because a shared machine's timing
# is noise, and fixtures are shared between examples on purpose (each example
# undoes its own changes inside the test's transaction).
hypothesis_settings.register_profile(
    "ci",
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "thorough", hypothesis_settings.get_profile("ci"), max_examples=500
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The fixed clock's moment: the day the shipped content was published and reviewed.
NOW = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)
freezegun.configure(extend_ignore_list=["_pytest"])  # pytest's own timings stay real


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the content the site ships with."""
    with django_db_blocker.unblock():
        load(settings.CONTENT_DIR)


@pytest.fixture(scope="session")
def prepared_sites(tmp_path_factory, worker_id):
    """Copies of a migrated SQLite database with the shipped content and an editor, for the
    tests that run the site in processes of its own (see tests.servers.PreparedSites)."""
    from tests.servers import PreparedSites

    session = tmp_path_factory.getbasetemp()
    # Under xdist each worker has a folder of its own; their parent is the session's.
    return PreparedSites(session if worker_id == "master" else session.parent)


TEST_VERSIONS = itertools.count()


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
    # A version of its own, as a freshly started site has: nothing kept per version in this
    # process (the page store, search's synonym lists) carries over from another test.
    version.remember(f"tests-{next(TEST_VERSIONS)}")
    yield
    cache.clear()
    local.clear()
    version.forget()


@pytest.fixture
def clock():
    """Time stands still at NOW for the test, for `timezone.now()`, `time.time()` and
    `time.monotonic()` alike, until the test moves it on: `clock.tick(timedelta(minutes=6))`."""
    with freezegun.freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def staff_client(client, django_user_model):
    """Signed in as an editor: staff, in the Editors group."""
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


@pytest.fixture
def edith(django_user_model):
    """An editor; with `fred`, two people sharing the admin."""
    from tests.factories import make_editor

    return make_editor(django_user_model, "edith")


@pytest.fixture
def fred(django_user_model):
    from tests.factories import make_editor

    return make_editor(django_user_model, "fred")
