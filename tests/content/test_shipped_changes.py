"""The change notes the shipped content carries: on their pages, What's new and the feed."""

import pytest

pytestmark = pytest.mark.django_db

ROLE_NOTE = "Added qualifications and experience to the person specification"
ICB_NOTE = "Corrected the dates: integrated care boards began in July 2022"


def test_the_role_page_says_when_it_was_last_updated_and_why(client):
    html = client.get("/roles/embedded-researcher/").content.decode()
    assert "Last updated" in html and "30 November 2026" in html
    assert ROLE_NOTE in html


def test_whats_new_and_its_feed_list_the_shipped_changes(client):
    html = client.get("/whats-new/").content.decode()
    assert ROLE_NOTE in html and ICB_NOTE in html
    assert '<a href="/case-studies/researcher-in-residence-integrated-care-board/">' in html
    feed = client.get("/whats-new/feed/").content.decode()
    assert ROLE_NOTE in feed and ICB_NOTE in feed
