"""The shipped case studies: enough of them, across the UK, each illustrative, and true to the
content brief's facts (when bodies existed, what contracts cover, what the models mean).

These check the shipped content in the test database; the finder's and a case study's
behaviour are tested with their own data in tests/test_casestudies.py. Each rule is first
shown to catch the wording it guards against.
"""

import re

import pytest

from casestudies.models import CaseStudy
from tests.test_content_facts import pieces

pytestmark = pytest.mark.django_db

NATIONS = {CaseStudy.Region.SCOTLAND, CaseStudy.Region.WALES, CaseStudy.Region.NORTHERN_IRELAND}
ENGLISH_BODIES = re.compile(
    r"\bintegrated care (?:boards?|systems?)\b|\bICBs?\b|\bclinical commissioning groups?\b"
    r"|\bCCGs?\b|\bNHS trusts?\b|\bNHS (?:Foundation )?Trust\b",
    re.IGNORECASE,
)
# The brief's four common models, and a challenge group each "What was hard" may tell of.
CHALLENGES = {
    "two masters": r"two masters|many masters|two of everything|each line manager",
    "outsider": r"outsider|inspector|stranger",
    "independence": r"independence|uncomfortable finding|truth to power",
    "isolation": r"lonely|isolat",
    "impact": r"impact was hard|showing impact|hard to show",
    "time and funding": r"protected time|protected academic time|funding|budget",
    "pandemic": r"pandemic",
    "data and approvals": r"information governance|access to data|approvals",
    "losing a sponsor": r"losing the sponsor|sponsor moved|sponsor left",
}


def published():
    return list(CaseStudy.objects.published().prefetch_related("themes"))


def what_was_hard(study):
    return study.body.split("## What was hard", 1)[1].split("\n## ", 1)[0]


def text_of(study):
    return "\n\n".join([study.title, study.summary, study.body, study.outcome, study.key_lessons])


# The rules, shown catching what they exist to stop.


def honorary_research_contract_without_its_condition(piece):
    """An honorary research contract named without the work having a direct bearing on care."""
    return "honorary research contract" in piece.lower() and "direct bearing" not in piece.lower()


def equates_joint_and_clinical_academic(piece):
    return re.search(
        r"joint posts?,? (?:also|sometimes|often) (?:called|known as) (?:a )?clinical-academic"
        r"|clinical-academic posts?,? (?:also|sometimes|often) (?:called|known as) (?:a )?joint",
        piece,
        re.IGNORECASE,
    )


def research_practitioner_definitions(text):
    return re.findall(r"\bA research practitioner (?:is|means) ([^.]+)\.", text)


def challenges_told(section):
    return {name for name, words in CHALLENGES.items() if re.search(words, section, re.I)}


def test_the_rules_catch_the_wording_they_guard_against():
    assert honorary_research_contract_without_its_condition(
        "They had an honorary research contract, the usual route for researchers."
    )
    assert not honorary_research_contract_without_its_condition(
        "The study had a direct bearing on patient care, so they had an honorary research contract."
    )
    assert equates_joint_and_clinical_academic("A joint post, also called a clinical-academic post")
    assert not equates_joint_and_clinical_academic("It was a joint post as well, a different idea")
    assert research_practitioner_definitions("A research practitioner is a nurse who counts.") == [
        "a nurse who counts"
    ]
    assert ENGLISH_BODIES.search("the NHS trust") and ENGLISH_BODIES.search("the local ICB")
    assert not ENGLISH_BODIES.search("a health and social care trust in Northern Ireland")
    assert challenges_told("The role was lonely. Then the pandemic came.") == {
        "isolation",
        "pandemic",
    }


# The shipped case studies.


def test_there_are_at_least_ten_including_one_in_scotland_wales_or_northern_ireland():
    studies = published()
    assert len(studies) >= 10
    assert {study.region for study in studies} & NATIONS


def test_every_summary_says_the_case_is_illustrative():
    """Listings and search show only the summary, so it must say so itself."""
    for study in published():
        assert "illustrative" in study.summary.lower(), study.slug


def test_no_integrated_care_board_before_july_2022():
    for study in published():
        if study.setting == CaseStudy.Setting.INTEGRATED_CARE_BOARD:
            assert study.start_year >= 2022, study.slug
            if study.start_year == 2022:
                assert "July 2022" in study.body, study.slug
        elif study.start_year < 2022 and study.region not in NATIONS:
            # An earlier case may name an ICB only to say it came later.
            for piece in pieces(text_of(study)):
                if re.search(r"integrated care boards?|\bICBs?\b", piece, re.IGNORECASE):
                    assert "2022" in piece, (study.slug, piece)


def test_cases_outside_england_use_their_own_nhs_bodies():
    outside = [study for study in published() if study.region in NATIONS]
    assert outside
    for study in outside:
        for piece in pieces(text_of(study)):
            told_apart = re.search(r"\bthere are no\b|\bunlike England\b", piece, re.IGNORECASE)
            assert told_apart or not ENGLISH_BODIES.search(piece), (study.slug, piece)
        assert study.setting in {CaseStudy.Setting.HEALTH_BOARD, CaseStudy.Setting.HSC_TRUST} or (
            study.setting == CaseStudy.Setting.LOCAL_AUTHORITY_PUBLIC_HEALTH
        ), study.slug


def test_an_honorary_research_contract_only_where_research_bears_on_care():
    for study in published():
        for piece in pieces(text_of(study)):
            assert not honorary_research_contract_without_its_condition(piece), (study.slug, piece)


def test_evaluation_is_never_put_under_the_research_passport():
    for study in published():
        for piece in pieces(text_of(study)):
            if "research passport" in piece.lower() and "evaluation" in piece.lower():
                # It says which the work was, and so which route applies.
                assert re.search(r"decision tool|research only", piece, re.IGNORECASE), piece


def test_joint_and_clinical_academic_posts_are_different_models():
    studies = published()
    models = {study.embedding_model for study in studies}
    assert {
        CaseStudy.EmbeddingModel.JOINT_POST,
        CaseStudy.EmbeddingModel.CLINICAL_ACADEMIC_POST,
    } <= (models)
    for study in studies:
        for piece in pieces(text_of(study)):
            assert not equates_joint_and_clinical_academic(piece), (study.slug, piece)


def test_research_practitioner_has_one_definition_and_the_cases_tagged_with_it_use_it():
    definitions = set()
    for study in published():
        definitions |= set(research_practitioner_definitions(study.body))
        if study.embedding_model == CaseStudy.EmbeddingModel.RESEARCH_PRACTITIONER:
            assert research_practitioner_definitions(study.body), study.slug
    assert definitions == {
        "a practitioner who takes on research as part of their job, alongside their everyday work"
    }


def test_cases_that_ran_through_2020_tell_of_the_pandemic():
    for study in published():
        ran_into_2020 = study.start_year * 12 + study.duration_months > 2020 * 12
        if study.start_year <= 2020 and ran_into_2020:
            assert "pandemic" in what_was_hard(study).lower(), study.slug


def test_each_what_was_hard_tells_its_own_story_not_every_challenge():
    told = {study.slug: challenges_told(what_was_hard(study)) for study in published()}
    for slug, challenges in told.items():
        assert 1 <= len(challenges) <= 4, (slug, challenges)
    # No one challenge is in every case study, and no two tell the same set.
    for name in CHALLENGES:
        assert sum(name in challenges for challenges in told.values()) < len(told), name
    sets = [frozenset(challenges) for challenges in told.values()]
    assert len(set(sets)) == len(sets), told


def test_every_case_study_has_another_with_the_same_model_setting_or_a_theme():
    """So the "Similar case studies" at the end of each has something to offer."""
    studies = published()
    for study in studies:
        themes = set(study.themes.all())
        assert any(
            other.embedding_model == study.embedding_model
            or other.setting == study.setting
            or themes & set(other.themes.all())
            for other in studies
            if other != study
        ), study.slug


def test_no_case_study_names_a_real_university_from_the_study():
    for study in published():
        assert not re.search(r"\bUCL\b|St Andrews|University of Birmingham", text_of(study)), (
            study.slug
        )
