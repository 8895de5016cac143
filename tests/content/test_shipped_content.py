"""The shipped content: every kind is there, written in full, and in the form export writes."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from casestudies.models import CaseStudy
from embedded.content import export
from embedded.models import Page
from guidance.models import Guide, GuidePart, RoleProfile

pytestmark = pytest.mark.django_db


def words(html):
    return len(re.sub(r"<[^>]+>", " ", html).split())


def test_shipped_content_loads_every_kind():
    assert Page.objects.count() == 4
    assert Guide.objects.count() == 3
    assert GuidePart.objects.count() >= 15
    assert RoleProfile.objects.get(slug="embedded-researcher").competencies.count() >= 20
    assert CaseStudy.objects.count() >= 8


def test_the_guides_are_written_in_full():
    parts = GuidePart.objects.published()
    assert parts.filter(guide__slug="nhs-organisations").count() >= 6
    assert parts.filter(guide__slug="researchers").count() >= 5
    assert parts.filter(guide__slug="public-involvement").count() >= 4
    assert sum(words(part.body_html) for part in parts) >= 12_000
    for part in parts:
        assert not re.search(r"lorem ipsum|\bTODO\b|\bTBC\b", part.body, re.IGNORECASE), part


def test_every_file_is_written_as_export_writes_it(tmp_path):
    """So an export after editing in the admin changes only what was edited."""
    export(tmp_path)
    for path in Path(settings.CONTENT_DIR).rglob("*.md"):
        if path.name == "README.md":
            continue
        exported = tmp_path / path.relative_to(settings.CONTENT_DIR)
        assert exported.read_text() == path.read_text(), path
