"""Search on the shipped content: a reader's real questions find the guidance that answers them."""

import pytest

from embedded.search import search
from guidance.models import Guide

pytestmark = pytest.mark.django_db

RECRUITING = "/guidance/nhs-organisations/recruiting-employing-and-hosting/"


def urls(query):
    results = search(query)
    return [result.page_url for result in results[0 : len(results)]]


def test_a_phrase_used_in_only_one_part_finds_that_part_first():
    assert urls('"pre-engagement checks"')[0] == RECRUITING


def test_honorary_contract_finds_the_guidance_on_recruiting_and_hosting():
    assert RECRUITING in urls("honorary contract")[:3]


def test_a_question_in_plain_words_finds_guidance():
    found = urls("how do we fund a researcher in residence")
    assert "/guidance/nhs-organisations/choosing-a-model/" in found[:5]


def test_a_case_study_is_found_by_a_word_in_its_body():
    results = search("housebound")
    [result] = results[0:10]
    assert result.kind == "Case study"
    assert result.url == "/case-studies/joint-clinical-academic-post-community-care/"


def test_the_role_profile_is_found_by_its_competencies_and_responsibilities():
    assert "/roles/embedded-researcher/" in urls("resilience")
    assert "/roles/embedded-researcher/" in urls('"personal development plan"')


def test_a_guide_part_is_shown_with_its_guide():
    result = search('"pre-engagement checks"')[0:1][0]
    assert result.kind == "Guide part"
    assert result.parent_title == Guide.objects.get(slug="nhs-organisations").title


def test_words_are_matched_by_their_stem():
    assert RECRUITING in urls("recruit")
