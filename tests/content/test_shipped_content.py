"""The shipped content: every kind is there, written in full, and in the form export writes."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from casestudies.models import CaseStudy
from embedded.content import export, registry
from embedded.models import Page
from guidance.models import Guide, GuidePart, RoleProfile

pytestmark = pytest.mark.django_db


def words(html):
    return len(re.sub(r"<[^>]+>", " ", html).split())


def test_shipped_content_loads_every_kind():
    assert {"about", "about-the-study", "accessibility", "contact", "privacy"} <= set(
        Page.objects.values_list("slug", flat=True)
    )
    assert Guide.objects.count() == 3
    assert GuidePart.objects.count() >= 15
    assert RoleProfile.objects.get(slug="embedded-researcher").competencies.count() >= 20
    assert CaseStudy.objects.count() >= 8


def test_the_guides_are_written_in_full():
    parts = GuidePart.objects.published()
    assert parts.filter(guide__slug="nhs-organisations").count() >= 12
    assert parts.filter(guide__slug="researchers").count() >= 7
    assert parts.filter(guide__slug="public-involvement").count() >= 6
    assert sum(words(part.body_html) for part in parts) >= 22_000
    for part in parts:
        assert not re.search(r"lorem ipsum|\bTODO\b|\bTBC\b", part.body, re.IGNORECASE), part


def test_each_shipped_guide_numbers_its_parts_one_by_one_with_references_last():
    for guide in Guide.objects.all():
        parts = list(guide.parts.order_by("order"))
        assert [part.order for part in parts] == list(range(1, len(parts) + 1)), guide
        assert parts[-1].slug == "references", guide


def source_words(markdown):
    """Words as a writer counts them: the Markdown body without link addresses."""
    return len(re.findall(r"\w[\w'’-]*", re.sub(r"\]\([^)]*\)", "]", markdown)))


@pytest.mark.parametrize(
    ("path", "shortest", "longest"),
    [
        ("nhs-organisations/working-with-an-academic-partner", 1_000, 1_200),
        ("nhs-organisations/funding-and-costs", 1_000, 1_200),
        ("nhs-organisations/approvals-ethics-and-data", 1_000, 1_200),
        ("researchers/approvals-ethics-and-data", 600, 900),
        ("public-involvement/getting-involved", 1_000, 1_200),
    ],
)
def test_the_parts_a_manager_needs_next_are_published_at_a_readable_length(path, shortest, longest):
    guide, slug = path.split("/")
    part = GuidePart.objects.published().get(guide__slug=guide, slug=slug)
    assert shortest <= source_words(part.body) <= longest, part


def test_every_file_is_written_as_export_writes_it(tmp_path):
    """So an export after editing in the admin changes only what was edited."""
    export(tmp_path)
    # Every file in a folder the loader reads, so a misnamed file there (which the
    # loader would skip) fails; a folder no kind reads yet is not content.
    read_folders = {kind.folder for kind in registry.kinds}
    for path in Path(settings.CONTENT_DIR).rglob("*.md"):
        relative = path.relative_to(settings.CONTENT_DIR)
        if path.name == "README.md" or relative.parts[0] not in read_folders:
            continue
        exported = tmp_path / path.relative_to(settings.CONTENT_DIR)
        assert exported.read_text() == path.read_text(), path
