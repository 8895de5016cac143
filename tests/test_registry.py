"""The content registry decides what is content: what each kind declares, and what reads it."""

import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.models import Theme
from embedded.caching import content_version
from embedded.content import load
from embedded.editors import EDITORS
from embedded.models import Feedback, SearchEntry
from guidance.models import Competency, RoleProfile

pytestmark = pytest.mark.django_db

# What migration 0002 gave the Editors group from its frozen list, before the
# registry declared it: databases made then must keep exactly this.
FROZEN_MODELS = {
    "embedded": ["page", "redirect"],
    "guidance": [
        "guide",
        "guidepart",
        "roleprofile",
        "responsibility",
        "workingrelationship",
        "competency",
    ],
    "casestudies": ["casestudy", "theme"],
}
WITHOUT_HISTORY = {"redirect", "theme"}


def frozen_editor_permissions():
    wanted = {("embedded", "view_feedback"), ("embedded", "delete_feedback")}
    for app_label, models in FROZEN_MODELS.items():
        for model in models:
            wanted |= {(app_label, f"{action}_{model}") for action in ("add", "change", "delete")}
            wanted.add((app_label, f"view_{model}"))
            if model not in WITHOUT_HISTORY:
                wanted.add((app_label, f"view_historical{model}"))
    return wanted


def editors_permissions():
    group = Group.objects.get(name=EDITORS)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_the_editors_group_holds_what_the_frozen_migration_gave_it():
    shipped = {p for p in editors_permissions() if p[0] in FROZEN_MODELS}
    assert shipped == frozen_editor_permissions()


def test_migrate_puts_the_editors_group_back_in_step():
    group = Group.objects.get(name=EDITORS)
    group.permissions.remove(*group.permissions.filter(codename="change_competency"))
    group.permissions.add(*group.permissions.model.objects.filter(codename="add_user"))

    call_command("migrate", verbosity=0, interactive=False)

    assert ("guidance", "change_competency") in editors_permissions()
    assert ("auth", "add_user") not in editors_permissions()


def test_migrate_makes_a_missing_editors_group():
    Group.objects.filter(name=EDITORS).delete()
    call_command("migrate", verbosity=0, interactive=False)
    assert frozen_editor_permissions() <= editors_permissions()


def test_editing_what_a_kind_owns_or_its_tags_is_a_change_to_the_content():
    profile = RoleProfile.objects.get(slug="embedded-researcher")
    before = content_version()
    competency = profile.competencies.first()
    competency.description = "A changed sentence."
    competency.save()
    after_owned = content_version()
    theme = Theme.objects.first()
    theme.name = "A renamed theme"
    theme.save()
    assert len({before, after_owned, content_version()}) == 3


def test_feedback_is_not_a_change_to_the_content():
    before = content_version()
    Feedback.objects.create(path="/about/", helpful=True)
    assert content_version() == before


def _change_every_competency(content_dir):
    path = content_dir / "roles" / "embedded-researcher.md"
    path.write_text(path.read_text().replace("description: ", "description: Reworded, "))


@pytest.fixture
def content_dir(tmp_path, settings):
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, target)
    return target


def test_a_load_rebuilds_the_search_index_once_and_moves_the_version_on_once(
    content_dir, django_capture_on_commit_callbacks
):
    _change_every_competency(content_dir)
    competencies = Competency.objects.count()
    assert competencies > 10
    before = content_version()
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks() as callbacks,
    ):
        load(content_dir)
    index_writes = [
        q["sql"]
        for q in queries.captured_queries
        if "embedded_searchentry" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    # One delete of every entry, then one batch of inserts: not a write per saved row.
    assert len(index_writes) <= 3, index_writes
    assert len(callbacks) == 1
    assert content_version() != before
    entry = SearchEntry.objects.get(url="/roles/embedded-researcher/")
    assert "Reworded" in entry.body


def test_a_load_that_changes_nothing_leaves_the_version_and_the_index_alone(
    content_dir, django_capture_on_commit_callbacks
):
    entries = list(SearchEntry.objects.order_by("pk").values_list("pk", flat=True))
    before = content_version()
    with django_capture_on_commit_callbacks() as callbacks:
        load(content_dir)
    assert callbacks == []
    assert content_version() == before
    assert list(SearchEntry.objects.order_by("pk").values_list("pk", flat=True)) == entries
