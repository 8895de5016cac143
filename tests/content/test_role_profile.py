"""The embedded researcher's role profile as shipped: what its page and Word file say."""

import io

import docx
import pytest

from tests.test_roles import PAGE, WORD_FILE, page_tables, person_specification_rows

pytestmark = pytest.mark.django_db


def test_role_page_sets_out_the_job_description(client):
    html = client.get(PAGE).content.decode()
    assert "<h1>Embedded researcher: job description and person specification</h1>" in html
    assert "setting out the attitudes, skills and knowledge the role needs" in html
    assert "helps the host organisation make better decisions" in html
    assert 'id="where-the-role-sits"' in html  # the context, from the body
    assert "<h3>Research and evaluation</h3>" in html
    assert "<h3>Governance, ethics and independence</h3>" in html
    assert '<dt class="nhsuk-summary-list__key">Host sponsor</dt>' in html


def test_the_person_specification_has_its_thirty_six_criteria(client):
    tables = page_tables(client.get(PAGE).content.decode())
    assert sum(len(rows) for _caption, rows in tables) == 36


def test_key_criteria_are_essential_or_desirable_as_the_study_found(client):
    tables = dict(page_tables(client.get(PAGE).content.decode()))
    requirement = {
        row[0].split(" Read more:")[0]: row[1] for rows in tables.values() for row in rows
    }
    assert (
        requirement[
            "Qualitative and/or quantitative analysis Collects and analyses qualitative data "
            "(such as interviews and observation), quantitative data (such as routine service "
            "data), or both, to a high standard."
        ]
        == "Essential"
    )
    assert (
        requirement[
            "Group facilitation Runs meetings and workshops that help people with different views "
            "agree questions, make sense of findings and decide what to do."
        ]
        == "Essential"
    )


def test_the_word_file_says_what_the_page_says(client):
    document = docx.Document(io.BytesIO(client.get(WORD_FILE).content))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Keep a personal development plan that covers both academic and practice goals." in (
        bullets
    )
    assert any(text.startswith("Host sponsor: Meets the postholder") for text in bullets)
    by_name = person_specification_rows(document)
    assert by_name["Mixed methods"] == ("Desirable", "Application, Interview")
    assert by_name["Commitment to co-production"] == ("Essential", "Interview")
    assert by_name["The Research Passport"] == ("Desirable", "Interview")
    assert by_name["Doctorate or equivalent experience"] == ("Essential", "Application")
