"""Tidy text: an admin save followed by export_content changes only what the editor changed."""

import difflib

import pytest
from django.urls import reverse

from embedded.content import export
from tests.factories import make_editor, signed_in
from tests.test_admin import change_form_data, part, self_approval  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def files(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*.md"))
    }


def test_an_admin_save_then_an_export_changes_only_the_edited_line(tmp_path, django_user_model):
    before, after = tmp_path / "before", tmp_path / "after"
    export(before)
    obj = part()
    lines = obj.body.split("\n")
    changed = next(n for n, line in enumerate(lines) if len(line) > 20)
    lines[changed] = lines[changed] + " An added sentence."
    body_from_a_browser = "\r\n".join(lines)
    client = signed_in(make_editor(django_user_model, "edith"))
    url = reverse("admin:guidance_guidepart_change", args=[obj.pk])
    client.post(url, change_form_data(obj, body=body_from_a_browser, _publish="Publish"))
    assert "\r" not in part().body
    export(after)
    old, new = files(before), files(after)
    differing = [name for name in old if old[name] != new[name]]
    assert len(differing) == 1
    diff = [
        line
        for line in difflib.unified_diff(
            old[differing[0]].decode().splitlines(), new[differing[0]].decode().splitlines(), n=0
        )
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert diff == [f"-{lines[changed].removesuffix(' An added sentence.')}", f"+{lines[changed]}"]
    assert all(text.endswith(b"\n") and b"\r" not in text for text in new.values())
