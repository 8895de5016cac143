"""Search on the shipped content: questions as readers type them find the page that answers.

Each question is written the way a reader would ask it (whole questions, misspellings,
abbreviations), with the page that answers it (or the pages, where two answer it from
two sides); that page must be in the top three.
They run on SQLite and PostgreSQL alike.
"""

import pytest

from embedded.search import search

pytestmark = pytest.mark.django_db

NHS = "/guidance/nhs-organisations/"
RESEARCHERS = "/guidance/researchers/"
PUBLIC = "/guidance/public-involvement/"
ROLE = "/roles/embedded-researcher/"

QUESTIONS = [
    ("PPI", PUBLIC + "why-involve-people/"),
    ("what is ppie", PUBLIC + "why-involve-people/"),
    ("reseacher in residense", NHS + "choosing-a-model/"),
    ("RiR model", NHS + "choosing-a-model/"),
    ("how do I fund an embedded researcher", NHS + "funding-and-costs/"),
    ("how much does an embedded researcher cost", NHS + "funding-and-costs/"),
    ("who pays for the post", NHS + "funding-and-costs/"),
    ("job description template", ROLE),
    ("JD for embedded researcher", ROLE),
    ("person specification", ROLE),
    ("embeded researcher job decription", ROLE),
    ("how do I become an embedded researcher", RESEARCHERS + "finding-or-creating-a-role/"),
    (
        "what does an embedded researcher actually do",
        {RESEARCHERS + "what-the-role-is-like/", NHS + "what-embedded-research-is/"},
    ),
    ("honorary contract", NHS + "recruiting-employing-and-hosting/"),
    ("do they need a letter of access", NHS + "recruiting-employing-and-hosting/"),
    ("what is a research passport", NHS + "approvals-ethics-and-data/"),
    ("do we need ethics approval for a service evaluation", NHS + "approvals-ethics-and-data/"),
    ("is it research or audit", NHS + "approvals-ethics-and-data/"),
    ("HRA approval before I start", RESEARCHERS + "approvals-ethics-and-data/"),
    (
        "can we pay public contributors",
        {PUBLIC + "ways-to-involve-people/", NHS + "funding-and-costs/"},  # paying; budgeting
    ),
    ("will I get paid for taking part", PUBLIC + "getting-involved/"),
    ("will payment affect my benefits", PUBLIC + "getting-involved/"),
    ("reimbursing patients travel expenses", PUBLIC + "ways-to-involve-people/"),
    ("how do we find a university partner", NHS + "working-with-an-academic-partner/"),
    (
        "who owns the intellectual property",
        {NHS + "priorities-data-and-independence/", NHS + "working-with-an-academic-partner/"},
    ),
    ("what if the findings are unwelcome", NHS + "priorities-data-and-independence/"),
    ("is embedded research right for us", NHS + "is-it-right-for-you/"),
    ("line management and supervision", NHS + "recruiting-employing-and-hosting/"),
    ("induction for a new embedded researcher", NHS + "supporting-your-researcher/"),
    ("how do we measure impact", NHS + "measuring-and-sustaining/"),
    ("GRIPP2 reporting", PUBLIC + "doing-it-well-and-reporting-it/"),
    (
        "what are the UK standards for public involvement",
        PUBLIC + "doing-it-well-and-reporting-it/",
    ),
    ("co-produciton", PUBLIC + "why-involve-people/"),
    ("feeling isolated as an embedded researcher", NHS + "supporting-your-researcher/"),
    ("short term contracts and my career", RESEARCHERS + "keeping-your-career-moving/"),
    ("power dynamics", "/framework/power-dynamics/"),
    ("ICB researcher in residence", "/case-studies/researcher-in-residence-integrated-care-board/"),
]


@pytest.mark.parametrize(("question", "answer"), QUESTIONS)
def test_a_reader_question_finds_its_answer_in_the_top_three(question, answer):
    answers = answer if isinstance(answer, set) else {answer}
    results = search(question)
    top = [result.page_url for result in results[0:3]]
    assert answers & set(top), f"{question!r}: {top}"
