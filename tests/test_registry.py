"""The content registry decides what is content: what each kind declares, and what reads it."""

import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from casestudies.models import Theme
from embedded.caching import content_version
from embedded.content import ContentError, export, load
from embedded.editors import EDITORS
from embedded.models import Feedback, SearchEntry
from guidance.models import RoleProfile
from tests.factories import publishable
from tests.test_content_files import SAMPLE

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
    # (The glossary, approving drafts, change notes, synonym groups and best bets came
    # after that migration; the group has them through their kinds and the site's own list.)
    later = ("glossaryterm", "approve_draft", "changenote", "synonymgroup", "bestbet")
    shipped = {
        p
        for p in editors_permissions()
        if p[0] in FROZEN_MODELS and not any(name in p[1] for name in later)
    }
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


def test_editing_what_a_kind_owns_or_its_tags_is_a_change_to_the_content(content_dir):
    profile = RoleProfile.objects.get(slug="sample-role")
    before = content_version()
    competency = profile.competencies.first()
    competency.description = "A changed sentence."
    competency.save()
    after_owned = content_version()
    theme = Theme.objects.get(name="Evaluation")
    theme.name = "A renamed theme"
    theme.save()
    assert len({before, after_owned, content_version()}) == 3


def test_feedback_is_not_a_change_to_the_content():
    before = content_version()
    Feedback.objects.create(path="/about/", helpful=True)
    assert content_version() == before


def _change_every_competency(content_dir):
    path = content_dir / "roles" / "sample-role.md"
    path.write_text(path.read_text().replace("description: ", "description: Reworded, "))


@pytest.fixture
def content_dir(tmp_path):
    """A copy of the loader tests' sample folder, loaded once."""
    target = tmp_path / "content"
    shutil.copytree(SAMPLE, target)
    load(target)
    return target


def test_a_load_rebuilds_the_search_index_once_and_moves_the_version_on_once(
    content_dir, django_capture_on_commit_callbacks
):
    _change_every_competency(content_dir)
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
    # A few statements for the whole index (delete, batched inserts, the full-text rebuild):
    # not a write per saved row, of which there are over a hundred.
    fields = [f for f in SearchEntry._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * SearchEntry.objects.count())
    inserts = -(-SearchEntry.objects.count() // min(batch, 1000))
    assert len(index_writes) <= 2 + inserts < 10, index_writes
    assert len(callbacks) == 1
    assert content_version() != before
    entry = SearchEntry.objects.get(url="/roles/sample-role/")
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


# A new content type is one app and one registration: `tests.leaflets`, installed
# only in tests, is named nowhere else, yet everything site-wide picks it up.

LEAFLET = """---
title: Getting ready for your first week
slug: first-week
summary: What to expect in the first week of an embedded post.
status: published
published_at: 2026-11-20
last_reviewed: 2026-11-26
next_review_due: 2027-11-26
audience: New postholders
topics:
  - Induction
  - Starting out
sections:
  - Before you arrive
  - Your first day
---
## Before you arrive

Agree a desk, a login and a first meeting with your sponsor.
"""


@pytest.fixture
def leaflet_dir(tmp_path):
    (tmp_path / "leaflets").mkdir()
    (tmp_path / "leaflets" / "first-week.md").write_text(LEAFLET)
    return tmp_path


def test_a_new_kind_is_loaded_from_its_folder(leaflet_dir):
    from tests.leaflets.models import Leaflet

    counts = load(leaflet_dir)
    assert counts["leaflet"] == 1
    leaflet = Leaflet.objects.get(slug="first-week")
    assert leaflet.audience == "New postholders"
    assert [s.heading for s in leaflet.sections.all()] == ["Before you arrive", "Your first day"]
    assert sorted(t.name for t in leaflet.topics.all()) == ["Induction", "Starting out"]
    assert 'id="before-you-arrive"' in leaflet.body_html


def test_a_new_kind_keeps_one_item_to_a_slug_without_saying_so(leaflet_dir):
    """The rule lives on Publishable's Meta; a kind that declares no Meta still has it."""
    from tests.leaflets.models import Leaflet

    load(leaflet_dir)
    twin = Leaflet(**publishable(slug="first-week", title="A twin", audience="Anyone"))
    with pytest.raises(ValidationError, match="already exists"):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_new_kind_is_exported_as_it_was_written(leaflet_dir, tmp_path_factory):
    load(leaflet_dir)
    target = tmp_path_factory.mktemp("exported")
    export(target)
    assert (target / "leaflets" / "first-week.md").read_text() == LEAFLET


def test_a_new_kinds_bad_value_is_named_with_its_line(leaflet_dir):
    path = leaflet_dir / "leaflets" / "first-week.md"
    path.write_text(LEAFLET.replace("  - Your first day", "  - " + "Your first day " * 10))
    with pytest.raises(ContentError) as error:
        load(leaflet_dir)
    assert error.value.line == LEAFLET.splitlines().index("  - Your first day") + 1
    assert "'sections' entry 2: Ensure this value has at most 100 characters" in str(error.value)


def test_editing_a_new_kind_or_what_it_owns_clears_cached_pages(client, leaflet_dir):
    from tests.leaflets.models import Leaflet

    load(leaflet_dir)
    assert "Getting ready" in client.get("/leaflets/first-week/").text
    assert "/leaflets/first-week/" in client.get("/sitemap.xml").text
    leaflet = Leaflet.objects.get(slug="first-week")
    leaflet.title = "Your first week"
    leaflet.save()
    assert "Your first week" in client.get("/leaflets/first-week/").text

    before = content_version()
    leaflet.sections.first().delete()
    leaflet.topics.first().delete()
    assert content_version() != before


def test_a_new_kinds_changed_slug_redirects_from_the_old_address(client, leaflet_dir):
    from tests.leaflets.models import Leaflet

    load(leaflet_dir)
    leaflet = Leaflet.objects.get(slug="first-week")
    leaflet.slug = "your-first-week"
    leaflet.save()
    response = client.get("/leaflets/first-week/")
    assert response.status_code == 301
    assert response["Location"] == "/leaflets/your-first-week/"


def test_a_new_kind_is_found_by_search(client, leaflet_dir):
    load(leaflet_dir)
    response = client.get("/search/", {"q": "sponsor login"})
    assert "Getting ready for your first week" in response.text


def test_editors_may_edit_a_new_kind_what_it_owns_and_its_tags():
    permissions = editors_permissions()
    for model in ("leaflet", "leafletsection", "topic"):
        for action in ("add", "change", "delete", "view"):
            assert ("leaflets", f"{action}_{model}") in permissions
    assert ("leaflets", "view_historicalleaflet") in permissions
