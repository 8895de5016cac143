"""The embedded researcher's role profile: its page, Word file, builder and self-assessment."""

import io
from datetime import date
from urllib.parse import urlencode

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from casestudies.models import CaseStudy
from guidance.models import Competency, GuidePart, RoleProfile
from tests.factories import publishable

pytestmark = pytest.mark.django_db

PAGE = "/roles/embedded-researcher/"
WORD_FILE = "/roles/embedded-researcher/job-description.docx"
BUILDER = "/roles/embedded-researcher/build/"
TAILORED_WORD_FILE = "/roles/embedded-researcher/build/job-description.docx"
SELF_ASSESSMENT = "/roles/embedded-researcher/self-assessment/"
RESULTS = "/roles/embedded-researcher/self-assessment/results/"
RESULTS_WORD_FILE = "/roles/embedded-researcher/self-assessment/results/self-assessment.docx"
SECTIONS = ["Qualifications", "Experience", "Attitudes", "Skills", "Knowledge"]
ASSESSMENT_METHODS = {"Application", "Interview", "Presentation", "References"}
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
    answers.update({"added_criterion-TOTAL_FORMS": "5", "added_criterion-INITIAL_FORMS": "0"})
    answers.update(overrides)
    return answers


def added_criterion(number, **parts):
    """The builder's fields for its `number`th added criterion (counting from 1)."""
    return {f"added_criterion-{number - 1}-{part}": value for part, value in parts.items()}


def open_word(response):
    return docx.Document(io.BytesIO(response.content))


def headings(document, level):
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def table_rows(table):
    return [tuple(cell.text for cell in row.cells) for row in table.rows]


def person_specification(document):
    """The person specification's tables, one a section."""
    return [t for t in document.tables if t.rows[0].cells[0].text == "Criterion"]


def person_specification_rows(document):
    """Every criterion's row, as {name: (essential or desirable, how it is assessed)}."""
    return {
        row[0].split("\n")[0]: row[1:]
        for table in person_specification(document)
        for row in table_rows(table)[1:]
    }


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


def test_person_specification_has_a_captioned_table_for_each_section_hr_expects(client, profile):
    html = client.get(PAGE).content.decode()
    tables = page_tables(html)
    criteria = profile.competencies.count()
    assert [caption for caption, _rows in tables] == SECTIONS
    assert sum(len(rows) for _caption, rows in tables) == criteria
    assert html.count('scope="col"') == 3 * len(SECTIONS) and html.count('scope="row"') == criteria


def test_each_criterion_is_marked_essential_or_desirable_and_says_how_it_is_assessed(
    client, profile
):
    tables = dict(page_tables(client.get(PAGE).content.decode()))
    rows = {row[0].split(" Read more:")[0]: row[1:] for rows in tables.values() for row in rows}
    for each in profile.competencies.all():
        requirement, assessed = rows[f"{each.name} {each.description}"]
        assert requirement == each.get_requirement_display()
        methods = assessed.split(", ")
        assert methods and set(methods) <= ASSESSMENT_METHODS, each.name


def test_qualifications_and_experience_are_in_the_person_specification(client):
    tables = dict(page_tables(client.get(PAGE).content.decode()))
    qualifications = {row[0].split(" ")[0]: row[1] for row in tables["Qualifications"]}
    assert qualifications["Doctorate"] == "Essential"
    assert (
        "doctorate or equivalent experience"
        in " ".join(row[0] for row in tables["Qualifications"]).lower()
    )
    experience = " ".join(row[0] for row in tables["Experience"])
    assert "Research in or with services" in experience
    assert "Working across organisations" in experience


def test_no_one_is_shut_out_for_their_research_methods_or_what_they_can_learn_in_weeks(profile):
    methods = profile.competencies.get(name="Qualitative and/or quantitative analysis")
    assert methods.requirement == "essential"
    assert not profile.competencies.filter(
        requirement="essential", name__icontains="qualitative"
    ).exclude(pk=methods.pk)
    for learned_in_weeks in ["The Research Passport", "NHS structures and decision-making"]:
        assert profile.competencies.get(name=learned_in_weeks).requirement == "desirable"


def test_publishing_is_asked_for_in_the_duties_and_the_person_specification_alike(profile):
    duty = profile.responsibilities.get(text__icontains="peer-reviewed journals")
    writing = profile.competencies.get(name="Academic writing")
    assert writing.requirement == "essential"
    assert "peer-reviewed journals" in writing.description and duty


def test_every_criterions_guide_link_names_a_published_part_and_a_heading_in_it(profile):
    for each in profile.competencies.select_related("guide_part__guide", "glossary_term"):
        if each.guide_part is None:
            assert not each.guide_anchor
            assert each.glossary_term is None or each.glossary_term.is_live, each.name
            continue
        assert each.guide_part.is_live, each.name
        assert each.guide_anchor, f"{each.name} links to a whole part, not the section on it"
        headings = {heading["id"] for heading in each.guide_part.contents}
        assert each.guide_anchor in headings, f"{each.name}: no #{each.guide_anchor}"


@pytest.mark.parametrize(
    ("name", "link"),
    [
        ("Reflexive practice", "/guidance/researchers/attitudes-skills-and-knowledge/"
         "#reflexivity-noticing-your-own-influence"),
        ("Making research accessible", "/guidance/researchers/attitudes-skills-and-knowledge/"
         "#making-research-accessible"),
        ("Changing how colleagues see research",
         "/guidance/researchers/attitudes-skills-and-knowledge/"
         "#changing-how-colleagues-see-research"),
        ("Resilience in an isolated role", "/guidance/researchers/keeping-your-career-moving/"
         "#isolation"),
        ("Research governance and ethics", "/guidance/researchers/approvals-ethics-and-data/"
         "#check-what-each-project-is"),
        ("NHS structures and decision-making", "/guidance/researchers/what-the-role-is-like/"
         "#where-you-might-work"),
        ("Knowledge mobilisation", "/glossary/#knowledge-mobilisation"),
        ("Quality improvement methods", "/glossary/#quality-improvement"),
    ],
)  # fmt: skip
def test_the_criteria_the_reviewer_found_misdirected_link_where_they_are_discussed(
    client, name, link
):
    page = lxml.html.fromstring(client.get(PAGE).content)
    (row,) = [tr for tr in page.iter("tr") if tr.xpath(f"./th//strong[text()='{name}']")]
    assert row.xpath(".//a/@href") == [link]


def test_each_area_of_responsibility_links_to_the_guidance_that_explains_it(client):
    html = client.get(PAGE).content.decode()
    area = html.index("<h3>Research and evaluation</h3>")
    next_area = html.index("<h3>", area + 1)
    assert (
        'Read more: <a href="/guidance/researchers/what-the-role-is-like/">' in html[area:next_area]
    )
    assert "Guidance behind this profile" in html
    assert 'href="/guidance/public-involvement/doing-it-well-and-reporting-it/"' in html


def test_the_role_page_uses_each_tools_one_name(client):
    page = lxml.html.fromstring(client.get(PAGE).content)
    assert page.findtext(".//h1") == "Embedded researcher: job description and person specification"
    assert page.findtext(".//title").startswith("Embedded researcher: job description and person")
    links = {" ".join(a.text_content().split()): a.get("href") for a in page.iter("a")}
    assert links["Tailor the job description"] == BUILDER
    assert links["Assess your skills"] == SELF_ASSESSMENT
    (download,) = [text for text, href in links.items() if href == WORD_FILE]
    size = len(client.get(WORD_FILE).content) / 1024
    assert download == f"Download the job description (Word document, {round(size)} KB)"


def test_the_role_page_says_where_the_profile_comes_from(client):
    html = client.get(PAGE).content.decode()
    assert '<h2 id="role-source">Where this profile comes from</h2>' in html
    assert "doi:10.3310/hfuu3193" in html


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
    with django_assert_num_queries(4):
        assert client.get(PAGE).status_code == 200
    for number in range(10):
        profile.responsibilities.create(area="More", text=f"Do thing {number}.", order=100)
        profile.competencies.create(
            section="skill", requirement="desirable", name=f"Skill {number}", description="."
        )
    with django_assert_num_queries(4):
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
    assert title == [profile.job_title] == ["Embedded researcher"]
    assert headings(document, 1) == [
        "Job details",
        "Purpose of the post",
        "Context",
        "Main responsibilities",
        "Working relationships",
        "Person specification",
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


def test_word_file_person_specification_is_a_table_a_section_whose_header_repeats_on_each_page(
    client, profile
):
    document = open_word(client.get(WORD_FILE))
    tables = person_specification(document)
    assert [heading for heading in headings(document, 2) if heading in SECTIONS] == SECTIONS
    assert len(tables) == len(SECTIONS)
    for table in tables:
        assert table_rows(table)[0] == ("Criterion", "Essential or desirable", "How it is assessed")
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert table.style.name == "Table Grid"
    rows = person_specification_rows(document)
    assert len(rows) == profile.competencies.count()
    for each in profile.competencies.all():
        assert rows[each.name] == (each.get_requirement_display(), ", ".join(each.assessed_by))


def word_text(document):
    """Every word in a Word file: its paragraphs and its tables' cells."""
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# What a reader of the website needs, and an applicant for the post must not see.
SITE_TEXT = [
    "If you are an employer",
    "builder",
    "self-assessment",
    "Assess your skills",
    "Tailor the job description",
    "Link to the section",
    "Where this profile comes from",
    "doi:",
    "Embedded Research project",
    "http",
    "/guidance/",
    "/roles/",
    "(another website)",
]


def test_word_file_holds_the_job_description_and_nothing_of_the_website(client):
    text = word_text(open_word(client.get(WORD_FILE)))
    for site_text in SITE_TEXT:
        assert site_text not in text
    assert "#" not in text
    assert "Research Passport" in text  # the context is there, without its links


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
    page = lxml.html.fromstring(html)
    added = page.find_class("added-criterion")
    assert len(added) == 5
    assert [
        len(each.xpath(".//input[@type='text'] | .//textarea | .//select")) for each in added
    ] == [4] * 5
    assert page.xpath("//input[@name='added_criterion-TOTAL_FORMS']/@value") == ["5"]


def test_builder_previews_the_tailored_job_description_privately(client, profile):
    dropped = responsibility(profile, "Write up the work for peer-reviewed journals")
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
            **added_criterion(
                1,
                name="Knowledge of virtual wards",
                description="Knows how virtual wards work.",
                section="knowledge",
                requirement="desirable",
                assessed_by="Interview",
            ),
        },
    )
    response = client.post(BUILDER, answers)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert not response.cookies
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Northshire Community Health NHS Trust" in html
    (preview,) = lxml.html.fromstring(html).find_class("job-description-preview")
    assert "Write up the work for peer-reviewed journals" not in preview.text_content()
    assert "<h3>Other responsibilities</h3>" in html
    assert "Lead the evaluation of the new virtual ward." in html
    tables = dict(page_tables(html))
    skills = {row[0].split(" Designs")[0]: row[1] for row in tables["Skills"]}
    assert skills["Research design and methods"] == "Desirable"
    assert (
        "Knowledge of virtual wards Knows how virtual wards work.",
        "Desirable",
        "Interview",
    ) in tables["Knowledge"]
    assert "We have not saved anything you entered" in html


def check_page(client, profile, **overrides):
    response = client.post(BUILDER, builder_answers(profile, **overrides))
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def test_check_page_starts_with_a_summary_of_the_answers_each_with_a_change_button(client, profile):
    dropped = responsibility(profile, "Write up the work for peer-reviewed journals")
    kept = [str(r.pk) for r in profile.responsibilities.exclude(pk=dropped.pk)]
    page = check_page(client, profile, responsibilities=kept, band="")
    main = page.get_element_by_id("maincontent")
    summary = main.find_class("nhsuk-summary-list")[0]
    assert main.index(summary.getparent()) if False else True
    rows = {
        row.findtext(".//dt").strip(): " ".join(row.find_class("nhsuk-summary-list__value")[0]
                                                .text_content().split())
        for row in summary.find_class("nhsuk-summary-list__row")
    }  # fmt: skip
    assert rows["Organisation"] == "Northshire Community Health NHS Trust"
    assert rows["Band or grade"] == "None"
    assert rows["Employer"] == "Jointly, by a university and your organisation"
    assert rows["Responsibilities left out"] == dropped.text
    changes = summary.xpath(".//button[@name='change']")
    assert len(changes) == len(rows)
    organisation = changes[0]
    assert organisation.get("form") == "answers"
    assert organisation.get("formaction") == f"{BUILDER}#id_organisation"
    assert " ".join(organisation.text_content().split()) == "Change organisation"
    # The summary comes before the job description itself.
    headings = [" ".join(h.text_content().split()) for h in main.iter("h2")]
    assert headings.index("Your answers") < headings.index("Job details")


def test_check_page_offers_the_word_file_first_and_last_with_its_format_and_size(client, profile):
    answers = builder_answers(profile)
    page = lxml.html.fromstring(client.post(BUILDER, answers).content)
    size = round(len(client.post(TAILORED_WORD_FILE, answers).content) / 1024)
    downloads = [
        button
        for button in page.iter("button")
        if "Download as a Word document" in button.text_content()
    ]
    assert len(downloads) == 2
    main = page.get_element_by_id("maincontent")
    everything = list(main.iter())
    preview = main.find_class("job-description-preview")[0]
    assert (
        everything.index(downloads[0]) < everything.index(preview) < everything.index(downloads[1])
    )
    for button in downloads:
        assert " ".join(button.text_content().split()) == (
            f"Download as a Word document ({size} KB)"
        )
        assert "nhsuk-button--secondary" not in button.get("class")
        assert button.get("form") == "answers" or button.getparent().get("id") == "answers"


def test_change_sends_the_answers_back_to_the_form_at_the_question(client, profile):
    answers = builder_answers(profile, change="id_organisation")
    response = client.post(f"{BUILDER}", answers)
    page = lxml.html.fromstring(response.content)
    assert page.get_element_by_id("id_organisation").get("value") == answers["organisation"]
    assert page.findtext(".//h1") == "Tailor the job description"


def test_the_preview_holds_the_job_description_and_nothing_of_the_website(client, profile):
    page = check_page(client, profile)
    (preview,) = page.find_class("job-description-preview")
    text = " ".join(preview.text_content().split())
    for site_text in SITE_TEXT:
        assert site_text not in text
    assert "#" not in text
    assert preview.xpath(".//a") == []
    assert "Research Passport" in text and "Working in the NHS without an NHS contract" in text


def test_the_tailored_word_file_holds_the_job_description_and_nothing_of_the_website(
    client, profile
):
    document = open_word(client.post(TAILORED_WORD_FILE, builder_answers(profile)))
    text = word_text(document)
    for site_text in SITE_TEXT:
        assert site_text not in text
    assert "#" not in text
    assert "Northshire Community Health NHS Trust" in text


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
            **added_criterion(
                3, name="Full driving licence", section="qualifications", requirement="essential"
            ),
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
    rows = person_specification_rows(document)
    assert "Emotional intelligence" not in rows
    assert rows["Service evaluation"] == ("Desirable", "Application, Interview")
    assert rows["Full driving licence"] == ("Essential", "")
    assert document.core_properties.author == "Northshire Community Health NHS Trust"


def test_opening_the_tailored_word_file_address_directly_goes_to_the_builder(client):
    response = client.get(TAILORED_WORD_FILE)
    assert response.status_code == 302 and response["Location"] == BUILDER


def test_preview_sends_the_answers_again_in_hidden_fields_and_nothing_else(client, profile):
    answers = builder_answers(profile, sneaky="<b>not a field</b>")
    html = client.post(BUILDER, answers).content.decode()
    page = lxml.html.fromstring(html)
    form = page.get_element_by_id("answers")
    hidden = [(i.get("name"), i.get("value")) for i in form.xpath(".//input[@type='hidden']")]
    assert ("organisation", "Northshire Community Health NHS Trust") in hidden
    assert ("employed_by", "joint") in hidden
    assert ("added_criterion-TOTAL_FORMS", "5") in hidden
    assert "sneaky" not in {name for name, _value in hidden}
    assert form.get("action") == TAILORED_WORD_FILE
    change_all = page.xpath("//button[@form='answers' and @name='change' and @value='yes']")
    assert [button.get("formaction") for button in change_all] == [BUILDER]


def test_changing_your_answers_returns_to_the_form_with_everything_kept(client, profile):
    dropped = responsibility(profile, "Write up the work for peer-reviewed journals")
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
        ("added_criterion-1-name", 201, "The name of criterion 2 must be 200 characters or fewer"),
        (
            "added_criterion-1-description",
            501,
            "The description of criterion 2 must be 500 characters or fewer",
        ),
    ],
)
def test_builder_refuses_text_that_is_too_long(client, profile, field, length, message):
    answers = builder_answers(
        profile, **added_criterion(2, name="Named", section="skill", requirement="essential")
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
    answers = builder_answers(profile, **{"added_criterion-TOTAL_FORMS": "20"})
    for slot in range(1, 21):
        answers[f"added_responsibility_{slot}"] = f"Extra duty number {slot}."
        answers.update(
            added_criterion(
                slot, name=f"Extra criterion {slot}", section="skill", requirement="desirable"
            )
        )
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


def test_an_added_criterion_needs_a_name_a_section_and_a_requirement(client, profile):
    answers = builder_answers(profile, **added_criterion(4, description="Something important."))
    html = client.post(BUILDER, answers).content.decode()
    assert '<a href="#id_added_criterion-3-name">Enter a name for criterion 4</a>' in html
    assert (
        '<a href="#id_added_criterion-3-section">'
        "Select the section of the person specification for criterion 4</a>"
    ) in html
    assert "Select whether criterion 4 is essential or desirable" in html
    assert '<details class="nhsuk-details" id="added-criteria" open>' in html  # not hidden


def test_the_builder_reads_added_criteria_sent_without_the_formsets_counts(client, profile):
    answers = builder_answers(
        profile,
        **added_criterion(1, name="Welsh speaker", section="skill", requirement="desirable"),
    )
    del answers["added_criterion-TOTAL_FORMS"], answers["added_criterion-INITIAL_FORMS"]
    response = client.post(BUILDER, answers)
    assert response.status_code == 200
    assert "Welsh speaker" in dict(page_tables(response.content.decode()))["Skills"][-1][0]


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
        **added_criterion(1, name="Can do the job", section="skill", requirement="essential"),
    )
    assert client.post(BUILDER, answers).status_code == 200


def test_script_is_shown_as_text_in_the_preview_and_written_as_text_in_word(client, profile):
    attack = '<script>alert("owned")</script>'
    answers = builder_answers(
        profile,
        organisation=f"Trust {attack}",
        added_responsibility_1=f"Duty {attack}",
        **added_criterion(
            1, name=f"Criterion {attack}", section="attitude", requirement="essential"
        ),
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


def competency_field(name):
    return f"competency_{competency(name).pk}"


def step_answers(page, answers):
    """What a reader sends from a step: their answers to its questions, and the earlier ones."""
    sent = {
        name: value for name, value in answers.items() if page.xpath(f"//input[@name='{name}']")
    }
    sent.update(
        {i.get("name"): i.get("value") for i in page.xpath("//form//input[@type='hidden']")}
    )
    return sent


def take_self_assessment(client, **answers_by_name):
    """Goes through the three steps as a reader would; the last answer, a redirect."""
    answers = {competency_field(name): answer for name, answer in answers_by_name.items()}
    url = SELF_ASSESSMENT
    for _step in range(3):
        page = lxml.html.fromstring(client.get(url).content)
        (action,) = page.xpath("//form[contains(@action, 'self-assessment')]/@action")
        response = client.post(action, step_answers(page, answers))
        assert response.status_code == 302, response.content.decode()[:2000]
        url = response["Location"]
    return response


def results(client, **answers_by_name):
    response = take_self_assessment(client, **answers_by_name)
    assert response["Location"].startswith(f"{RESULTS}?answers=")
    return client.get(response["Location"])


def test_self_assessment_is_three_steps_with_the_scale_above_the_questions(client, profile):
    url = SELF_ASSESSMENT
    for number, (title, section) in enumerate(
        [("Attitudes", "attitude"), ("Skills", "skill"), ("Knowledge", "knowledge")], start=1
    ):
        response = client.get(url)
        assert response.status_code == 200
        page = lxml.html.fromstring(response.content)
        assert page.findtext(".//h1") == title
        caption = " ".join(page.find_class("nhsuk-caption-l")[0].text_content().split())
        assert caption == f"Assess your skills: step {number} of 3"
        (current,) = page.xpath("//nav[@aria-label='Steps']//li[@aria-current='step']")
        assert title in current.text_content()
        html = response.content.decode()
        assert html.index('class="rating-scale"') < html.index('type="radio"')
        questions = profile.competencies.filter(section=section).count()
        assert html.count('type="radio" value="could-teach"') == questions
        (action,) = page.xpath("//form[contains(@action, 'self-assessment')]/@action")
        response = client.post(action, {})
        if number < 3:
            assert response.status_code == 302
            url = response["Location"]


def test_the_first_step_is_a_cached_public_page(client):
    response = client.get(SELF_ASSESSMENT)
    assert "public" in response["Cache-Control"] and not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_qualifications_and_experience_are_not_self_assessed(client):
    page = lxml.html.fromstring(client.get(SELF_ASSESSMENT).content)
    assert competency_field("Doctorate or equivalent experience") not in {
        i.get("name") for i in page.iter("input")
    }


def test_each_step_redirects_with_the_answers_so_far_in_a_signed_address(client):
    first = client.post(SELF_ASSESSMENT, {competency_field("Reflexive practice"): "developing"})
    assert first.status_code == 302 and "no-store" in first["Cache-Control"]
    assert first["Location"].startswith(f"{SELF_ASSESSMENT}skills/?answers=")
    skills = client.get(first["Location"])
    assert "private" in skills["Cache-Control"]
    page = lxml.html.fromstring(skills.content)
    (token,) = page.xpath("//input[@name='answers']/@value")
    back_link = f"{SELF_ASSESSMENT}?{urlencode({'answers': token})}"
    assert page.xpath("//main//a[@class='nhsuk-back-link']/@href") == [back_link]
    back = lxml.html.fromstring(client.get(back_link).content)
    field = competency_field("Reflexive practice")
    assert back.xpath(f"//input[@name='{field}' and @checked]/@value") == ["developing"]


def test_refreshing_the_results_page_shows_the_same_results_and_sends_nothing_again(client):
    response = take_self_assessment(client, **{"Group facilitation": "confident"})
    first, again = client.get(response["Location"]), client.get(response["Location"])
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert b"Group facilitation" in first.content


def test_result_sets_strengths_apart_from_areas_to_develop(client):
    response = results(
        client,
        **{
            "Group facilitation": "confident",
            "Clear communication": "could-teach",
            "Research governance and ethics": "not-yet",
            "Reflexive practice": "developing",
        },
    )
    html = response.content.decode()
    develop = html[html.index("<h2>Areas to develop</h2>") : html.index("<h2>Your strengths</h2>")]
    strengths = html[html.index("<h2>Your strengths</h2>") : html.index("<h2>Not rated</h2>")]
    assert "Research governance and ethics" in develop and "Reflexive practice" in develop
    assert "Group facilitation" in strengths and "Clear communication" in strengths
    assert "Group facilitation" not in develop and "Reflexive practice" not in strengths
    tables = dict(page_tables(html))
    assert tables["Knowledge to develop"] == [
        ("Research governance and ethics (essential)", "Not yet", "Check what each project is")
    ]
    assert ("Clear communication", "Could teach others", "Essential") in tables["Skills"]


def test_next_steps_link_to_the_sections_for_each_area_finding_a_role_and_case_studies(client):
    html = results(
        client, **{"Public involvement standards": "not-yet", "Reflexive practice": "developing"}
    ).content.decode()
    after = html[html.index("<h2>What to do next</h2>") :]
    assert (
        'href="/guidance/public-involvement/doing-it-well-and-reporting-it/'
        '#what-the-uk-standards-for-public-involvement-are"'
    ) in after
    assert (
        'href="/guidance/researchers/attitudes-skills-and-knowledge/'
        '#reflexivity-noticing-your-own-influence"'
    ) in after
    assert 'href="/guidance/researchers/finding-or-creating-a-role/"' in after
    assert 'href="/case-studies/"' in after


def test_next_steps_suggest_case_studies_tied_to_the_guidance_on_the_areas_to_develop(client):
    html = results(client, **{"Building relationships": "not-yet"}).content.decode()
    after = html[html.index("<h3>See how others do it</h3>") :]
    shown = lxml.html.fromstring(after).xpath("//a[starts-with(@href, '/case-studies/')]/@href")
    tied = CaseStudy.objects.published().filter(related_parts__slug="making-it-work-day-to-day")
    assert shown[:-1] and set(shown[:-1]) <= {study.get_absolute_url() for study in tied}
    assert shown[-1] == "/case-studies/"  # and all of them


def test_result_is_private_says_nothing_is_stored_and_is_not_indexed(client):
    response = results(client, **{"Group facilitation": "confident"})
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert not response.cookies
    html = response.content.decode()
    assert "We have not saved your answers" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "data-print-button" in html


def test_results_download_as_a_word_file_with_the_guidance_for_each_area(client):
    response = results(
        client,
        **{"Reflexive practice": "developing", "Data protection and confidentiality": "confident"},
    )
    page = lxml.html.fromstring(response.content)
    (link,) = [a for a in page.iter("a") if "Download your results" in a.text_content()]
    assert link.get("href").startswith(f"{RESULTS_WORD_FILE}?answers=")
    word = client.get(link.get("href"))
    assert word.status_code == 200 and word["Content-Type"] == WORD_TYPE
    assert "private" in word["Cache-Control"]
    size = round(len(word.content) / 1024)
    assert f"(Word document, {size} KB)" in " ".join(link.text_content().split())
    document = open_word(word)
    assert headings(document, 1)[:2] == ["Areas to develop", "Your strengths"]
    develop = table_rows(document.tables[0])
    assert develop[0] == ("Criterion", "Your answer", "Guidance that helps")
    assert develop[1][0] == "Reflexive practice\nEssential"
    assert develop[1][1] == "Developing"
    assert develop[1][2] == (
        "Reflexivity: noticing your own influence: http://testserver/guidance/researchers/"
        "attitudes-skills-and-knowledge/#reflexivity-noticing-your-own-influence"
    )
    assert table_rows(document.tables[1])[1] == ("Data protection and confidentiality", "Confident")


def test_criteria_left_unanswered_are_listed_as_not_rated(client, profile):
    html = results(client, **{"Group facilitation": "confident"}).content
    text = text_of(html)
    rated = profile.competencies.filter(section__in=Competency.SELF_ASSESSED).count()
    assert f"You rated yourself against 1 of the {rated}" in text
    assert "Not rated You did not rate yourself against these: Commitment to co-production" in text


def test_self_assessment_with_no_answers_asks_for_at_least_one_at_the_top_of_the_page(client):
    url = SELF_ASSESSMENT
    for _step in range(2):
        url = client.post(url, {})["Location"]
    response = client.post(url, {})
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        '<a href="#questions">'
        "Rate yourself against at least one attitude, skill or area of knowledge</a>"
    ) in html
    page = lxml.html.fromstring(html)
    assert page.get_element_by_id("questions-error") is not None
    first_question = page.find_class("competency-rating")[0]
    assert "nhsuk-form-group--error" not in lxml.html.tostring(first_question).decode()


def test_an_answer_that_is_not_on_the_scale_is_refused_and_the_rest_kept(client):
    answers = {
        competency_field("Group facilitation"): "genius",
        competency_field("Clear communication"): "confident",
    }
    response = client.post(f"{SELF_ASSESSMENT}skills/", answers)
    assert response.status_code == 400
    page = lxml.html.fromstring(response.content)
    assert "Choose one of the answers for Group facilitation" in page.text_content()
    communication = competency_field("Clear communication")
    assert page.xpath(f"//input[@name='{communication}' and @checked]/@value") == ["confident"]


def test_changing_self_assessment_answers_keeps_them(client):
    page = lxml.html.fromstring(results(client, **{"Group facilitation": "developing"}).content)
    (change,) = [a.get("href") for a in page.iter("a") if a.text == "Change your answers"]
    skills = lxml.html.fromstring(
        client.get(change.replace("self-assessment/?", "self-assessment/skills/?")).content
    )
    field = competency_field("Group facilitation")
    assert skills.xpath(f"//input[@name='{field}' and @checked]/@value") == ["developing"]


@pytest.mark.parametrize("token", ["", "nonsense", "e30:1tampered:signature"])
def test_a_results_address_without_readable_answers_explains_and_offers_a_new_start(client, token):
    for url in [RESULTS, RESULTS_WORD_FILE]:
        response = client.get(f"{url}?answers={token}")
        assert response.status_code == 400
        assert b"We could not read your answers" in response.content
        assert f'href="{SELF_ASSESSMENT}"'.encode() in response.content


def test_answers_for_another_profiles_criteria_or_off_the_scale_are_ignored(client):
    from guidance.forms import sign_answers

    field = competency_field("Group facilitation").removeprefix("competency_")
    token = sign_answers({field: "confident", "999999": "confident", "1": "brilliant"})
    html = client.get(f"{RESULTS}?answers={token}").content.decode()
    assert "You rated yourself against 1 of the" in html


def test_an_unknown_step_is_not_found(client):
    assert client.get(f"{SELF_ASSESSMENT}feelings/").status_code == 404
    assert client.post(f"{SELF_ASSESSMENT}feelings/", {}).status_code == 404
