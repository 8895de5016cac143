"""Small makers for test data, with sensible published defaults."""

import datetime

from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from casestudies.models import CaseStudy
from embedded.models import Page
from guidance.models import Guide, GuidePart

TODAY = datetime.date(2026, 11, 26)


def publishable(**overrides):
    values = {
        "summary": "A short summary for readers.",
        "body": "## First section\n\nSome words.\n\n## Second section\n\nMore words.",
        "status": "published",
        "published_at": timezone.now() - datetime.timedelta(days=1),
        "last_reviewed": TODAY,
        "next_review_due": TODAY + datetime.timedelta(days=365),
    }
    values.update(overrides)
    return values


def make_page(slug="test-page", **overrides):
    return Page.objects.create(**publishable(slug=slug, **{"title": f"Page {slug}", **overrides}))


def make_guide(slug="test-guide", **overrides):
    defaults = {"title": f"Guide {slug}", "audience": "researchers", "order": 9}
    return Guide.objects.create(**publishable(slug=slug, **{**defaults, **overrides}))


def make_part(guide, slug="test-part", order=1, **overrides):
    defaults = {"title": f"Part {slug}", "order": order}
    return GuidePart.objects.create(
        **publishable(guide=guide, slug=slug, **{**defaults, **overrides})
    )


def make_case_study(slug="test-study", **overrides):
    defaults = {
        "title": f"Case study {slug}",
        "setting": "acute-trust",
        "embedding_model": "researcher-in-residence",
        "region": "london",
        "start_year": 2020,
        "duration_months": 24,
        "funding": "joint",
        "public_involvement": "none",
        "outcome": "It went well.",
        "key_lessons": "Agree the role early.\nFind a sponsor.",
    }
    return CaseStudy.objects.create(**publishable(slug=slug, **{**defaults, **overrides}))


def make_framework(slug="test-framework", **overrides):
    from toolkit.models import Framework

    defaults = {"title": "A framework"}
    return Framework.objects.create(**publishable(slug=slug, **{**defaults, **overrides}))


def make_theme(framework, slug="test-theme", order=1, group="intent", **overrides):
    from toolkit.models import DesignTheme

    defaults = {
        "title": f"Theme {slug}",
        "order": order,
        "group": group,
        "questions": ["What is the first question?", "What is the second question?"],
    }
    return DesignTheme.objects.create(
        **publishable(framework=framework, slug=slug, **{**defaults, **overrides})
    )


def make_template(slug="test-template", order=9, **overrides):
    from toolkit.models import DocumentTemplate

    defaults = {"title": f"Template {slug}", "order": order}
    return DocumentTemplate.objects.create(**publishable(slug=slug, **{**defaults, **overrides}))


def make_editor(django_user_model, username):
    """A member of the Editors group, named after `username` (e.g. "edith" is Edith)."""
    user = django_user_model.objects.create_user(
        username, password="a-long-test-password", first_name=username.capitalize()
    )
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def signed_in(user):
    """A test client of its own, signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client
