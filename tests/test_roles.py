"""The embedded researcher's role profile: its page, Word file, builder and self-assessment."""

import io
from datetime import date

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from guidance.models import Competency, GuidePart, RoleProfile
from tests.factories import publishable

pytestmark = pytest.mark.django_db

PAGE = "/roles/embedded-researcher/"
WORD_FILE = "/roles/embedded-researcher/job-description.docx"
BUILDER = "/roles/embedded-researcher/build/"
TAILORED_WORD_FILE = "/roles/embedded-researcher/build/job-description.docx"
SELF_ASSESSMENT = "/roles/embedded-researcher/self-assessment/"
WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def profile():
    return RoleProfile.objects.get(slug="embedded-researcher")


def competency(name):
    return Competency.objects.get(profile__slug="embedded-researcher", name=name)


def responsibility(profile, starting):
    return profile.responsibilities.get(text__startswith=starting)


def builder_answers(profile, **overrides):
    """What an employer sends who keeps everything and fills in every detail."""
    answers = {
        "organisation": "Northshire Community Health NHS Trust",
        "job_title": "Researcher in residence",
        "band": "Agenda for Change band 7",
        "hours": "22.5 hours a week",
        "host_team": "Urgent care",
        "employed_by": "joint",
        "responsibilities": [
            str(pk) for pk in profile.responsibilities.values_list("pk", flat=True)
        ],
        "competencies": [str(pk) for pk in profile.competencies.values_list("pk", flat=True)],
    }
    for each in profile.competencies.all():
        answers[f"requirement_{each.pk}"] = each.requirement
    answers.update(overrides)
    return answers


def open_word(response):
    return docx.Document(io.BytesIO(response.content))


def headings(document, level):
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def table_rows(table):
    return [tuple(cell.text for cell in row.cells) for row in table.rows]


def person_specification(document):
    return next(t for t in document.tables if t.rows[0].cells[0].text == "Criterion")


def job_details(document):
    return dict(row[:2] for row in table_rows(document.tables[0]))


def page_tables(html):
    """Each table on a page as (caption, [rows of cell texts]), as a screen reader reads it."""
    page = lxml.html.fromstring(html)
    for label in page.find_class("nhsuk-table__heading"):  # aria-hidden, for small screens
        label.drop_tree()
    for line_break in page.iter("br"):
        line_break.tail = f" {line_break.tail or ''}"
    return [
        (
            table.find("caption").text_content().strip(),
            [
                tuple(" ".join(cell.text_content().split()) for cell in row)
                for row in table.find("tbody").iter("tr")
            ],
        )
        for table in page.iter("table")
    ]


def text_of(html):
    return " ".join(lxml.html.fromstring(html).text_content().split())


# The page


def test_person_specification_is_a_captioned_table_each_for_attitudes_skills_and_knowledge(
    client, profile
):
    html = client.get(PAGE).content.decode()
    tables = page_tables(html)
    criteria = profile.competencies.count()
    assert [caption for caption, _rows in tables] == ["Attitudes", "Skills", "Knowledge"]
    assert sum(len(rows) for _caption, rows in tables) == criteria
    assert html.count('scope="col"') == 6 and html.count('scope="row"') == criteria


def test_each_criterion_is_marked_essential_or_desirable(client, profile):
    tables = dict(page_tables(client.get(PAGE).content.decode()))
    requirement = {row[0]: row[1] for rows in tables.values() for row in rows}
    for each in profile.competencies.all():
        assert requirement[f"{each.name} {each.description}"] == each.get_requirement_display()


def test_each_area_of_responsibility_links_to_the_guidance_that_explains_it(client):
    html = client.get(PAGE).content.decode()
    area = html.index("<h3>Research and evaluation</h3>")
    next_area = html.index("<h3>", area + 1)
    assert (
        'Read more: <a href="/guidance/researchers/what-the-role-is-like/">' in html[area:next_area]
    )
    assert "Guidance behind this profile" in html
    assert 'href="/guidance/public-involvement/doing-it-well-and-reporting-it/"' in html


def test_a_link_to_unpublished_guidance_is_left_out(client):
    GuidePart.objects.filter(guide__slug="researchers", slug="what-the-role-is-like").update(
        status="draft"
    )
    html = client.get(PAGE).content.decode()
    assert "/guidance/researchers/what-the-role-is-like/" not in html
    assert "/guidance/researchers/making-it-work-day-to-day/" in html


def test_role_page_links_to_the_word_file_the_builder_and_the_self_assessment(client):
    html = client.get(PAGE).content.decode()
    for url in [WORD_FILE, BUILDER, SELF_ASSESSMENT]:
        assert f'href="{url}"' in html


def test_role_page_shows_its_review_dates(client, profile):
    profile.last_reviewed, profile.next_review_due = date(2026, 3, 4), date(2027, 3, 4)
    profile.save()
    html = client.get(PAGE).content.decode()
    assert "Page last reviewed: 4 March 2026" in html
    assert "Next review due: 4 March 2027" in html


def test_role_page_costs_the_same_few_queries_however_long_the_profile(
    client, profile, django_assert_num_queries
):
    with django_assert_num_queries(4 + 1):  # and its change notes
        assert client.get(PAGE).status_code == 200
    for number in range(10):
        profile.responsibilities.create(area="More", text=f"Do thing {number}.", order=100)
        profile.competencies.create(
            kind="skill", requirement="desirable", name=f"Skill {number}", description="."
        )
    with django_assert_num_queries(4 + 1):
        assert client.get(f"{PAGE}?again").status_code == 200


@pytest.mark.parametrize("url", [WORD_FILE, BUILDER, SELF_ASSESSMENT])
def test_the_word_file_and_the_form_pages_cost_the_same_few_queries(
    client, url, django_assert_num_queries
):
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


def test_a_tailored_job_description_costs_the_same_few_queries(
    client, profile, django_assert_num_queries
):
    answers = builder_answers(profile)
    with django_assert_num_queries(4):
        assert client.post(BUILDER, answers).status_code == 200
    with django_assert_num_queries(4):
        assert client.post(TAILORED_WORD_FILE, answers).status_code == 200


@pytest.mark.parametrize("url", [PAGE, WORD_FILE, BUILDER, SELF_ASSESSMENT])
def test_a_draft_profile_is_hidden_from_the_public(client, url):
    RoleProfile.objects.create(
        **publishable(slug="secret-role", title="Secret role", purpose="Why.", status="draft")
    )
    assert client.get(url.replace("embedded-researcher", "secret-role")).status_code == 404


def test_a_draft_profile_cannot_be_built_or_assessed_by_the_public(client):
    RoleProfile.objects.create(
        **publishable(slug="secret-role", title="Secret role", purpose="Why.", status="draft")
    )
    assert client.post("/roles/secret-role/build/", {}).status_code == 404
    assert client.post("/roles/secret-role/build/job-description.docx", {}).status_code == 404
    assert client.post("/roles/secret-role/self-assessment/", {}).status_code == 404


def test_staff_preview_a_draft_profile_and_nothing_caches_it(staff_client):
    RoleProfile.objects.create(
        **publishable(slug="secret-role", title="Secret role", purpose="Why.", status="draft")
    )
    response = staff_client.get("/roles/secret-role/")
    assert b"Preview: not published" in response.content
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# The Word file


def test_word_file_downloads_with_a_meaningful_name_and_is_cached_like_a_page(client):
    response = client.get(WORD_FILE)
    assert response.status_code == 200
    assert response["Content-Type"] == WORD_TYPE
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="embedded-researcher-job-description.docx"'
    )
    assert "public" in response["Cache-Control"] and not response.cookies
    assert client.get(WORD_FILE, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_word_file_has_the_sections_of_a_job_description(client, profile):
    document = open_word(client.get(WORD_FILE))
    title = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert title == [profile.title]
    assert headings(document, 1) == [
        "Job details",
        "Purpose of the post",
        "Context",
        "Main responsibilities",
        "Working relationships",
        "Person specification",
        "About this job description",
    ]
    areas = set(profile.responsibilities.values_list("area", flat=True))
    assert areas <= set(headings(document, 2))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert set(profile.responsibilities.values_list("text", flat=True)) <= set(bullets)
    for each in profile.working_relationships.all():
        assert f"{each.who}: {each.how}" in bullets


def test_word_file_leaves_the_job_details_for_the_employer_to_fill_in(client):
    details = job_details(open_word(client.get(WORD_FILE)))
    assert details == {
        "Organisation": "",
        "Job title": "",
        "Band or grade": "",
        "Hours": "",
        "Host team": "",
        "Employed by": "",
    }


def test_word_file_person_specification_is_a_table_whose_header_repeats_on_each_page(
    client, profile
):
    table = person_specification(open_word(client.get(WORD_FILE)))
    rows = table_rows(table)
    assert rows[0] == ("Criterion", "Attitude, skill or knowledge", "Essential or desirable")
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.style.name == "Table Grid"
    assert len(rows) == 1 + profile.competencies.count()
    by_name = {row[0].split("\n")[0]: row[1:] for row in rows[1:]}
    for each in profile.competencies.all():
        assert by_name[each.name] == (each.get_kind_display(), each.get_requirement_display())
    kinds = [row[1] for row in rows[1:]]
    assert kinds == sorted(kinds, key=["Attitude", "Skill", "Knowledge"].index)


def test_word_file_writes_the_sites_links_as_full_addresses(client):
    text = "\n".join(p.text for p in open_word(client.get(WORD_FILE)).paragraphs)
    assert "choosing a model (http://testserver/guidance/nhs-organisations/choosing-a-model/)" in (
        text
    )
    assert "Link to the section" not in text
    assert "last reviewed on 26 November 2026" in text


def test_word_file_is_a4_in_british_english(client):
    document = open_word(client.get(WORD_FILE))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.language == "en-GB"


# The job description builder


def test_builder_form_is_a_cached_public_page_with_everything_kept_by_default(client, profile):
    response = client.get(BUILDER)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and not response.cookies
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert 'value="Embedded researcher"' in html  # the job title starts as the profile's
    checked = lxml.html.fromstring(html).xpath("//input[@type='checkbox' and @checked]")
    assert len(checked) == profile.responsibilities.count() + profile.competencies.count()
    assert html.count('name="added_responsibility_') == 5
    assert html.count('name="added_criterion_') == 5 * 4


def test_builder_previews_the_tailored_job_description_privately(client, profile):
    dropped = responsibility(profile, "Publish in peer-reviewed journals")
    research_methods = competency("Research design and methods")
    answers = builder_answers(
        profile,
        responsibilities=[
            str(pk)
            for pk in profile.responsibilities.exclude(pk=dropped.pk).values_list("pk", flat=True)
        ],
        **{
            f"requirement_{research_methods.pk}": "desirable",
            "added_responsibility_1": "Lead the evaluation of the new virtual ward.",
            "added_criterion_1_name": "Knowledge of virtual wards",
            "added_criterion_1_description": "Knows how virtual wards work.",
            "added_criterion_1_kind": "knowledge",
            "added_criterion_1_requirement": "desirable",
        },
    )
    response = client.post(BUILDER, answers)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert not response.cookies
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Northshire Community Health NHS Trust" in html
    assert "Publish in peer-reviewed journals" not in html
    assert "<h3>Other responsibilities</h3>" in html
    assert "Lead the evaluation of the new virtual ward." in html
    tables = dict(page_tables(html))
    skills = {row[0].split(" Designs")[0]: row[1] for row in tables["Skills"]}
    assert skills["Research design and methods"] == "Desirable"
    assert ("Knowledge of virtual wards Knows how virtual wards work.", "Desirable") in tables[
        "Knowledge"
    ]
    assert "We have not saved anything you entered" in html


def test_builder_downloads_the_tailored_word_file(client, profile):
    dropped = competency("Emotional intelligence")
    answers = builder_answers(
        profile,
        competencies=[
            str(pk)
            for pk in profile.competencies.exclude(pk=dropped.pk).values_list("pk", flat=True)
        ],
        **{
            f"requirement_{competency('Service evaluation').pk}": "desirable",
            "added_responsibility_2": "Chair the monthly evidence huddle.",
            "added_criterion_3_name": "Full driving licence",
            "added_criterion_3_kind": "skill",
            "added_criterion_3_requirement": "essential",
        },
    )
    response = client.post(TAILORED_WORD_FILE, answers)
    assert response.status_code == 200
    assert response["Content-Type"] == WORD_TYPE
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="researcher-in-residence-job-description.docx"'
    )
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    document = open_word(response)
    assert job_details(document) == {
        "Organisation": "Northshire Community Health NHS Trust",
        "Job title": "Researcher in residence",
        "Band or grade": "Agenda for Change band 7",
        "Hours": "22.5 hours a week",
        "Host team": "Urgent care",
        "Employed by": "Jointly, by a university and Northshire Community Health NHS Trust",
    }
    assert document.paragraphs[0].text == "Researcher in residence"
    assert "Other responsibilities" in headings(document, 2)
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Chair the monthly evidence huddle." in bullets
    rows = {row[0].split("\n")[0]: row[1:] for row in table_rows(person_specification(document))}
    assert "Emotional intelligence" not in rows
    assert rows["Service evaluation"] == ("Skill", "Desirable")
    assert rows["Full driving licence"] == ("Skill", "Essential")
    assert document.core_properties.author == "Northshire Community Health NHS Trust"


def test_opening_the_tailored_word_file_address_directly_goes_to_the_builder(client):
    response = client.get(TAILORED_WORD_FILE)
    assert response.status_code == 302 and response["Location"] == BUILDER


def test_preview_sends_the_answers_again_in_hidden_fields_and_nothing_else(client, profile):
    answers = builder_answers(profile, sneaky="<b>not a field</b>")
    html = client.post(BUILDER, answers).content.decode()
    form = lxml.html.fromstring(html).get_element_by_id("download")
    hidden = [(i.get("name"), i.get("value")) for i in form.xpath(".//input[@type='hidden']")]
    assert ("organisation", "Northshire Community Health NHS Trust") in hidden
    assert ("employed_by", "joint") in hidden
    assert "sneaky" not in {name for name, _value in hidden}
    assert form.get("action") == TAILORED_WORD_FILE
    assert form.xpath(".//button[@name='change']/@formaction") == [BUILDER]


def test_changing_your_answers_returns_to_the_form_with_everything_kept(client, profile):
    dropped = responsibility(profile, "Publish in peer-reviewed journals")
    answers = builder_answers(
        profile,
        change="yes",
        responsibilities=[str(responsibility(profile, "Design and carry out").pk)],
        added_responsibility_4="Run the journal club.",
    )
    response = client.post(BUILDER, answers)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = lxml.html.fromstring(response.content)
    assert page.get_element_by_id("id_organisation").get("value") == answers["organisation"]
    assert page.get_element_by_id("id_added_responsibility_4").text == "Run the journal club."
    checked = {i.get("value") for i in page.xpath("//input[@name='responsibilities' and @checked]")}
    assert str(dropped.pk) not in checked and len(checked) == 1
    assert page.xpath("//input[@name='employed_by' and @checked]/@value") == ["joint"]


def test_builder_without_an_organisation_explains_and_keeps_what_was_typed(client, profile):
    response = client.post(BUILDER, builder_answers(profile, organisation="  ", hours="3 days"))
    assert response.status_code == 400
    assert "private" in response["Cache-Control"]
    html = response.content.decode()
    assert '<h2 class="nhsuk-error-summary__title" id="error-summary-title">' in html
    assert '<a href="#id_organisation">Enter the name of your organisation</a>' in html
    assert 'value="3 days"' in html
    assert "<title>Error: " in html


def test_builder_needs_an_employer(client, profile):
    answers = builder_answers(profile)
    del answers["employed_by"]
    html = client.post(BUILDER, answers).content.decode()
    assert '<a href="#id_employed_by_0">Select who will employ the postholder</a>' in html


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [
        ("organisation", 201, "Organisation name must be 200 characters or fewer"),
        ("job_title", 201, "Job title must be 200 characters or fewer"),
        ("band", 201, "Band or grade must be 200 characters or fewer"),
        ("added_responsibility_1", 501, "Responsibility 1 must be 500 characters or fewer"),
        ("added_criterion_2_name", 201, "The name of criterion 2 must be 200 characters or fewer"),
        (
            "added_criterion_2_description",
            501,
            "The description of criterion 2 must be 500 characters or fewer",
        ),
    ],
)
def test_builder_refuses_text_that_is_too_long(client, profile, field, length, message):
    answers = builder_answers(
        profile,
        added_criterion_2_name="Named",
        added_criterion_2_kind="skill",
        added_criterion_2_requirement="essential",
    )
    answers[field] = "a" * length
    response = client.post(BUILDER, answers)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "a" * length in response.content.decode()  # kept, to shorten


def test_builder_accepts_text_right_at_its_limit(client, profile):
    answers = builder_answers(profile, organisation="o" * 200, added_responsibility_5="r" * 500)
    assert client.post(BUILDER, answers).status_code == 200


def test_builder_offers_five_of_each_and_ignores_any_more_that_are_sent(client, profile):
    answers = builder_answers(profile)
    for slot in range(1, 21):
        answers[f"added_responsibility_{slot}"] = f"Extra duty number {slot}."
        answers[f"added_criterion_{slot}_name"] = f"Extra criterion {slot}"
        answers[f"added_criterion_{slot}_kind"] = "skill"
        answers[f"added_criterion_{slot}_requirement"] = "desirable"
    html = client.post(BUILDER, answers).content.decode()
    assert "Extra duty number 5." in html and "Extra criterion 5" in html
    assert "Extra duty number 6." not in html and "Extra criterion 6" not in html


def test_builder_refuses_ids_that_are_not_in_the_profile(client, profile):
    answers = builder_answers(profile, competencies=["999999"], responsibilities=["nonsense"])
    response = client.post(BUILDER, answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#id_competencies_0">Choose criteria from the list</a>' in html
    assert '<a href="#id_responsibilities_0">Choose responsibilities from the list</a>' in html


def test_builder_refuses_an_unknown_requirement(client, profile):
    methods = competency("Research design and methods")
    response = client.post(
        BUILDER, builder_answers(profile, **{f"requirement_{methods.pk}": "vital"})
    )
    assert response.status_code == 400
    assert (
        f'<a href="#id_requirement_{methods.pk}_0">'
        "Select essential or desirable for Research design and methods</a>"
    ) in response.content.decode()


def test_an_added_criterion_needs_a_name_a_kind_and_a_requirement(client, profile):
    answers = builder_answers(profile, added_criterion_4_description="Something important.")
    html = client.post(BUILDER, answers).content.decode()
    assert '<a href="#id_added_criterion_4_name">Enter a name for criterion 4</a>' in html
    assert "Select whether criterion 4 is an attitude, a skill or knowledge" in html
    assert "Select whether criterion 4 is essential or desirable" in html
    assert '<details class="nhsuk-details" open>' in html  # the error is not hidden


def test_builder_needs_at_least_one_responsibility_and_one_criterion(client, profile):
    answers = builder_answers(profile)
    del answers["responsibilities"], answers["competencies"]
    response = client.post(BUILDER, answers)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Keep at least one responsibility, or add your own" in html
    assert "Keep at least one criterion in the person specification, or add your own" in html
    answers.update(
        added_responsibility_1="Do the job.",
        added_criterion_1_name="Can do the job",
        added_criterion_1_kind="skill",
        added_criterion_1_requirement="essential",
    )
    assert client.post(BUILDER, answers).status_code == 200


def test_script_is_shown_as_text_in_the_preview_and_written_as_text_in_word(client, profile):
    attack = '<script>alert("owned")</script>'
    answers = builder_answers(
        profile,
        organisation=f"Trust {attack}",
        added_responsibility_1=f"Duty {attack}",
        added_criterion_1_name=f"Criterion {attack}",
        added_criterion_1_kind="attitude",
        added_criterion_1_requirement="essential",
    )
    html = client.post(BUILDER, answers).content.decode()
    assert "<script>" not in html
    assert "Trust &lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in html
    document = open_word(client.post(TAILORED_WORD_FILE, answers))
    assert job_details(document)["Organisation"] == f"Trust {attack}"
    assert f"Duty {attack}" in [p.text for p in document.paragraphs]


def test_control_characters_are_dropped_so_the_word_file_still_opens(client, profile):
    answers = builder_answers(profile, organisation="North\x0bshire\x00 \x1b Trust\n\tOne")
    response = client.post(TAILORED_WORD_FILE, answers)
    assert response.status_code == 200
    assert job_details(open_word(response))["Organisation"] == "Northshire Trust One"


def test_a_job_title_that_makes_no_file_name_falls_back_to_the_profiles(client, profile):
    response = client.post(TAILORED_WORD_FILE, builder_answers(profile, job_title='";/\\..'))
    assert 'filename="embedded-researcher-job-description.docx"' in response["Content-Disposition"]


@pytest.mark.parametrize("url", [BUILDER, TAILORED_WORD_FILE, SELF_ASSESSMENT])
def test_an_oversized_request_is_refused_politely(client, url):
    response = client.post(url, {"organisation": "x" * 200_000})
    assert response.status_code == 413
    assert b"Your answers are too long to send" in response.content
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url", [BUILDER, SELF_ASSESSMENT])
def test_a_flood_of_fields_is_refused_politely(client, url):
    response = client.post(url, {f"field{number}": "1" for number in range(1500)})
    assert response.status_code == 413
    assert b"Your answers are too long to send" in response.content


@given(organisation=st.text(max_size=250), duty=st.text(max_size=600))
def test_any_text_at_all_gets_an_answer_and_never_an_error(client, profile, organisation, duty):
    answers = builder_answers(profile, organisation=organisation, added_responsibility_1=duty)
    response = client.post(TAILORED_WORD_FILE, answers)
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        assert job_details(open_word(response))["Organisation"]


# The self-assessment


def assessment(**answers_by_name):
    return {f"competency_{competency(name).pk}": answer for name, answer in answers_by_name.items()}


def test_self_assessment_form_is_a_cached_public_page_grouped_by_kind(client, profile):
    response = client.get(SELF_ASSESSMENT)
    assert "public" in response["Cache-Control"] and not response.cookies
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert html.index("<h2>Attitudes</h2>") < html.index("<h2>Skills</h2>")
    assert html.index("<h2>Skills</h2>") < html.index("<h2>Knowledge</h2>")
    assert html.count('type="radio" value="could-teach"') == profile.competencies.count()
    for label in ["Not yet", "Developing", "Confident", "Could teach others"]:
        assert f">{label}</label>" in html


def test_result_sets_strengths_apart_from_areas_to_develop(client):
    answers = assessment(
        **{
            "Group facilitation": "confident",
            "Clear communication": "could-teach",
            "Research governance and ethics": "not-yet",
            "Reflexive practice": "developing",
        }
    )
    response = client.post(SELF_ASSESSMENT, answers)
    assert response.status_code == 200
    html = response.content.decode()
    develop = html[html.index("<h2>Areas to develop</h2>") : html.index("<h2>Your strengths</h2>")]
    strengths = html[html.index("<h2>Your strengths</h2>") : html.index("<h2>Not rated</h2>")]
    assert "Research governance and ethics" in develop and "Reflexive practice" in develop
    assert "Group facilitation" in strengths and "Clear communication" in strengths
    assert "Group facilitation" not in develop and "Reflexive practice" not in strengths
    tables = dict(page_tables(html))
    assert tables["Knowledge to develop"] == [
        (
            "Research governance and ethics (essential)",
            "Not yet",
            "Making it work day to day",
        )
    ]
    assert ("Clear communication", "Could teach others", "Essential") in tables["Skills"]


def test_each_area_to_develop_links_to_the_guidance_that_helps(client):
    answers = assessment(**{"Public involvement standards": "not-yet"})
    html = client.post(SELF_ASSESSMENT, answers).content.decode()
    develop = html[html.index("<h2>Areas to develop</h2>") : html.index("<h2>Your strengths</h2>")]
    assert 'href="/guidance/public-involvement/doing-it-well-and-reporting-it/"' in develop


def test_result_is_private_says_nothing_is_stored_and_is_not_indexed(client):
    response = client.post(SELF_ASSESSMENT, assessment(**{"Group facilitation": "confident"}))
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert not response.cookies
    html = response.content.decode()
    assert "We have not saved your answers" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert 'class="no-print"' in html  # the buttons stay off paper


def test_criteria_left_unanswered_are_listed_as_not_rated(client, profile):
    html = client.post(SELF_ASSESSMENT, assessment(**{"Group facilitation": "confident"})).content
    text = text_of(html)
    assert f"You rated yourself against 1 of the {profile.competencies.count()}" in text
    assert "Not rated You did not rate yourself against these: Commitment to co-production" in text


def test_self_assessment_with_no_answers_asks_for_at_least_one(client):
    response = client.post(SELF_ASSESSMENT, {})
    assert response.status_code == 400
    html = response.content.decode()
    first = competency("Commitment to co-production")
    assert (
        f'<a href="#id_competency_{first.pk}_0">'
        "Rate yourself against at least one attitude, skill or area of knowledge</a>"
    ) in html


def test_an_answer_that_is_not_on_the_scale_is_refused_and_the_rest_kept(client):
    answers = assessment(**{"Group facilitation": "genius", "Clear communication": "confident"})
    response = client.post(SELF_ASSESSMENT, answers)
    assert response.status_code == 400
    page = lxml.html.fromstring(response.content)
    assert "Choose one of the answers for Group facilitation" in page.text_content()
    communication = f"competency_{competency('Clear communication').pk}"
    assert page.xpath(f"//input[@name='{communication}' and @checked]/@value") == ["confident"]


def test_changing_self_assessment_answers_keeps_them(client):
    answers = assessment(**{"Group facilitation": "developing"})
    result = lxml.html.fromstring(client.post(SELF_ASSESSMENT, answers).content)
    hidden = {i.get("name"): i.get("value") for i in result.xpath("//input[@type='hidden']")}
    assert hidden.items() >= answers.items()
    response = client.post(SELF_ASSESSMENT, {**hidden, "change": "yes"})
    page = lxml.html.fromstring(response.content)
    (name,) = answers
    assert page.xpath(f"//input[@name='{name}' and @checked]/@value") == ["developing"]
    assert "no-store" in response["Cache-Control"]
