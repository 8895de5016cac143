"""The initiative planner, end to end with the test client: steps, errors, change, plan, files."""

import io
import json
import zipfile

import docx
import lxml.html
import pytest
from django.core import signing
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casestudies.models import CaseStudy
from tests.factories import make_case_study, make_framework, make_guide, make_part, make_theme
from toolkit.models import Framework
from toolkit.progress import MAX_FILE_BYTES

pytestmark = pytest.mark.django_db

PLANNER = "/framework/plan/"
RESUME = "/framework/plan/resume/"


@pytest.fixture
def themes():
    """A small framework of our own whose themes use the agreed slugs (so choices apply)."""
    Framework.objects.all().delete()
    framework = make_framework(title="Our framework")
    return {
        "intended-outcomes": make_theme(
            framework, "intended-outcomes", 1, "intent", title="Intended outcomes",
            questions=["What should change?", "Who will use it?", "How will you know?"],
        ),
        "power-dynamics": make_theme(
            framework, "power-dynamics", 2, "intent", title="Power dynamics",
            questions=["Who decides?", "Who owns the data?"],
        ),
        "scale": make_theme(
            framework, "scale", 3, "structure", title="Scale",
            questions=["How much work?", "How long?"],
        ),
        "involvement": make_theme(
            framework, "involvement", 4, "structure", title="Involvement",
            questions=["Who takes part?"],
        ),
        "learning-and-reflection": make_theme(
            framework, "learning-and-reflection", 10, "process", title="Learning and reflection",
            questions=["How will you review it?", "What will you record?"],
        ),
    }  # fmt: skip


class Reader:
    """A reader in a browser: fills in the form on the page before them and presses a button."""

    def __init__(self, client):
        self.client = client
        self.response = None

    def open(self, path):
        self.response = self.client.get(path)
        return self.response

    @property
    def tree(self):
        return lxml.html.fromstring(self.response.content)

    @property
    def text(self):
        return " ".join(self.tree.find_class("nhsuk-main-wrapper")[0].text_content().split())

    def hidden(self):
        form = self.tree.xpath("//form[@action='/framework/plan/']")[0]
        return {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}

    def press(self, go, **fields):
        data = {
            **self.hidden(),
            **{name.replace("__", "-"): value for name, value in fields.items()},
        }
        self.response = self.client.post(PLANNER, {**data, "go": go})
        return self.response

    def errors(self):
        return [
            (a.text_content(), a.get("href"))
            for a in self.tree.xpath("//*[@class='nhsuk-error-summary']//a")
        ]

    def value(self, name):
        field = self.tree.xpath(f"//*[@name='{name}']")[0]
        if field.tag == "textarea":
            return field.text or ""
        return field.get("value")

    def checked(self, name):
        return [i.get("value") for i in self.tree.xpath(f"//input[@name='{name}'][@checked]")]


@pytest.fixture
def reader(client, themes):
    return Reader(client)


ORGANISATION = {
    "organisation__name": "Northshire Community Health",
    "organisation__setting": "acute-trust",
    "organisation__model": "researcher-in-residence",
    "organisation__funding": "research-funder",
}
INTENT = {
    "intended-outcomes__answer_1": "Shorter waits for discharge.\nFewer readmissions.",
    "intended-outcomes__answer_3": "We will track readmissions monthly.",
    "intended-outcomes__outcomes": ["knowledge", "capacity"],
    "power-dynamics__answer_1": "A joint steering group.",
}
STRUCTURE = {
    "scale__answer_1": "A portfolio of three projects.",
    "scale__scale_of_work": "portfolio",
    "scale__timescale": "one-to-two-years",
    "involvement__public_involvement": "projects",
}
PROCESS = {"learning-and-reflection__answer_1": "Quarterly reviews with both partners."}


def walk_to_check(reader):
    reader.open("/framework/plan/organisation/")
    reader.press("intent", step="organisation", **ORGANISATION)
    reader.press("structure", step="intent", **INTENT)
    reader.press("process", step="structure", **STRUCTURE)
    return reader.press("check", step="process", **PROCESS)


# The steps


def test_the_start_page_explains_the_steps_and_offers_to_carry_on(reader):
    response = reader.open(PLANNER)
    assert response.status_code == 200
    assert "There are 4 steps" in reader.text
    assert reader.tree.xpath("//a[text()='Start now']/@href") == ["/framework/plan/organisation/"]
    assert reader.tree.xpath("//input[@type='file']/@name") == ["progress"]


@pytest.mark.parametrize("path", [PLANNER, "/framework/plan/intent/", "/framework/plan/process/"])
def test_planner_pages_are_private_and_never_stored(client, themes, path):
    response = client.get(path)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "ETag" not in response


def test_each_step_shows_its_group_with_every_theme_its_questions_and_choices(reader):
    reader.open("/framework/plan/structure/")
    assert reader.tree.findtext(".//h1").startswith("Structure")
    sections = reader.tree.find_class("planner-theme")
    assert [section.get("id") for section in sections] == ["theme-scale", "theme-involvement"]
    assert "1. How much work?" in reader.text and "2. How long?" in reader.text
    assert reader.tree.xpath("//input[@name='scale-timescale']/@value") == [
        "up-to-a-year", "one-to-two-years", "over-two-years", "no-end-date",
    ]  # fmt: skip


def test_an_unknown_step_is_404(client, themes):
    assert client.get("/framework/plan/gardening/").status_code == 404


def test_a_reader_walks_every_step_checks_their_answers_and_gets_their_plan(reader):
    response = walk_to_check(reader)
    assert response.status_code == 200
    assert reader.tree.findtext(".//h1") == "Check your answers"
    for answer in ["Northshire Community Health", "A joint steering group.", "Quarterly reviews"]:
        assert answer in reader.text
    assert "Knowledge: evidence and findings you can act on" in reader.text
    assert "private" in response["Cache-Control"]

    response = reader.press("plan")
    assert response.status_code == 200
    assert reader.tree.findtext(".//h1") == "Embedded research plan for Northshire Community Health"
    assert timezone.localdate().strftime("%B %Y") in reader.text
    assert "Shorter waits for discharge.<br>Fewer readmissions." in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_question_with_several_answers_says_to_select_all_that_apply_and_others_do_not(reader):
    reader.open("/framework/plan/organisation/")
    reader.press("intent", step="organisation", **ORGANISATION)
    hints = {hint.get("id"): hint.text_content() for hint in reader.tree.find_class("nhsuk-hint")}
    assert hints["id_intended-outcomes-outcomes-hint"] == "Select all that apply."
    assert "id_power-dynamics-agreement-hint" not in hints
    assert reader.tree.get_element_by_id("id_power-dynamics-agreement_0").get("type") == "radio"


def test_going_back_shows_the_answers_already_given(reader):
    reader.open("/framework/plan/organisation/")
    reader.press("intent", step="organisation", **ORGANISATION)
    reader.press("structure", step="intent", **INTENT)
    reader.press("intent", step="structure", **STRUCTURE)
    assert reader.value("power-dynamics-answer_1") == "A joint steering group."
    assert reader.checked("intended-outcomes-outcomes") == ["knowledge", "capacity"]
    reader.press("structure", step="intent")
    assert reader.checked("scale-timescale") == ["one-to-two-years"]


def test_each_theme_on_the_check_page_has_a_change_button_back_to_it(reader):
    walk_to_check(reader)
    change = reader.tree.get_element_by_id("change-scale")
    assert change.get("value") == "structure"
    assert change.get("formaction") == "/framework/plan/#theme-scale"
    assert "your answers on scale" in change.text_content()
    reader.press("structure")
    assert reader.tree.findtext(".//h1").startswith("Structure")
    assert reader.value("scale-answer_1") == "A portfolio of three projects."
    reader.press("check", step="structure", scale__answer_1="Two projects.")
    assert "Two projects." in reader.text and "A joint steering group." in reader.text


def test_the_plan_needs_the_organisations_name(reader):
    reader.open("/framework/plan/intent/")
    reader.press("check", step="intent", **INTENT)
    reader.press("plan")
    assert reader.response.status_code == 400
    assert reader.errors() == [("Enter the name of your organisation", "#change-organisation")]
    assert "A joint steering group." in reader.text


def test_the_organisation_step_needs_a_name(reader):
    reader.open("/framework/plan/organisation/")
    reader.press("intent", step="organisation", organisation__setting="acute-trust")
    assert reader.response.status_code == 400
    assert reader.errors() == [("Enter the name of your organisation", "#id_organisation-name")]
    assert reader.checked("organisation-setting") == ["acute-trust"]


# Bad input: a clear error, linked to the field, and every other answer kept


def test_an_over_long_answer_is_explained_and_every_other_answer_kept(reader):
    reader.open("/framework/plan/organisation/")
    reader.press("intent", step="organisation", **ORGANISATION)
    reader.press("intent", step="intent", **{**INTENT, "power-dynamics__answer_2": "x" * 1201})
    assert reader.response.status_code == 400
    assert reader.errors() == [
        (
            "Your answer to question 2 on power dynamics must be 1,200 characters or fewer",
            "#id_power-dynamics-answer_2",
        )
    ]
    assert reader.tree.findtext(".//title").startswith("Error:")
    assert reader.value("power-dynamics-answer_1") == "A joint steering group."
    assert reader.checked("intended-outcomes-outcomes") == ["knowledge", "capacity"]
    assert "answers-organisation" in reader.hidden()


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\ufffe"])
def test_control_characters_are_refused_and_named(reader, character):
    reader.open("/framework/plan/intent/")
    bad = {"intended-outcomes__answer_2": f"Managers{character}and staff"}
    reader.press("structure", step="intent", **{**INTENT, **bad})
    assert reader.response.status_code == 400
    [(message, link)] = reader.errors()
    assert message.startswith("Your answer to question 2 on intended outcomes contains characters")
    assert link == "#id_intended-outcomes-answer_2"
    assert reader.value("power-dynamics-answer_1") == "A joint steering group."


def test_line_breaks_and_any_script_are_kept(reader):
    reader.open("/framework/plan/intent/")
    answer = "Première ligne\r\nضمان الجودة\tand 研究"
    reader.press("check", step="intent", **{"intended-outcomes__answer_1": answer})
    assert "Première ligne<br>ضمان الجودة\tand 研究" in reader.response.content.decode()


def test_an_unknown_choice_is_refused_and_the_rest_kept(reader):
    reader.open("/framework/plan/structure/")
    reader.press("process", step="structure", **{**STRUCTURE, "scale__timescale": "forever"})
    assert reader.response.status_code == 400
    [(message, link)] = reader.errors()
    assert message == "Choose one of the answers listed for: How long will it run, at first?"
    assert link == "#id_scale-timescale_0"
    assert reader.checked("scale-scale_of_work") == ["portfolio"]
    assert reader.value("scale-answer_1") == "A portfolio of three projects."


def test_a_tampered_step_is_detected_dropped_alone_and_the_others_kept(reader):
    walk_to_check(reader)
    hidden = reader.hidden()
    structure = signing.loads(hidden["answers-structure"], salt="toolkit.planner.step.structure")
    structure["scale"]["answers"] = ["Changed behind the reader's back"]
    forged = signing.dumps(structure, salt="toolkit.planner.step.structure", compress=True)
    tampered = forged[:-3] + ("AAA" if not forged.endswith("AAA") else "BBB")
    reader.response = reader.client.post(
        PLANNER, {**hidden, "answers-structure": tampered, "go": "check"}
    )
    assert reader.response.status_code == 400
    [(message, link)] = reader.errors()
    assert "Your answers for “Structure” were changed outside this planner" in message
    assert link == "#change-structure"
    assert (
        "Changed behind" not in reader.text and "A portfolio of three projects." not in reader.text
    )
    assert "A joint steering group." in reader.text and "Quarterly reviews" in reader.text


def test_a_step_signed_for_another_step_is_refused(reader):
    walk_to_check(reader)
    hidden = reader.hidden()
    reader.response = reader.client.post(
        PLANNER, {**hidden, "answers-process": hidden["answers-intent"], "go": "check"}
    )
    assert reader.response.status_code == 400
    assert "Your answers for “Process” were changed" in reader.errors()[0][0]


def test_an_unknown_step_sent_in_the_form_is_refused_with_the_answers_kept(reader):
    walk_to_check(reader)
    reader.response = reader.client.post(
        PLANNER, {**reader.hidden(), "step": "garden", "go": "plan"}
    )
    assert reader.response.status_code == 400
    assert reader.errors() == [
        ("The page sent an unknown step. Check your answers", "#change-check")
    ]
    assert "A joint steering group." in reader.text


def test_a_request_far_too_big_to_be_answers_is_refused_plainly(client, themes):
    response = client.post(
        PLANNER, {"step": "intent", "intended-outcomes-answer_1": "x" * 2_100_000}
    )
    assert response.status_code == 413
    assert b"Your answers are too long" in response.content


# The plan: what the answers suggest


def test_the_plan_suggests_reading_similar_case_studies_and_lists_open_questions(reader, themes):
    guide = make_guide("planning")
    part = make_part(guide, "sizing-the-work", title="Sizing the work")
    themes["scale"].related_parts.set([part])
    CaseStudy.objects.all().delete()
    alike = make_case_study(
        "much-alike",
        title="Much alike",
        setting="acute-trust",
        funding="research-funder",
        embedding_model="researcher-in-residence",
        public_involvement="projects",
        duration_months=18,
    )
    make_case_study(
        "unalike",
        title="Unalike",
        setting="local-authority-public-health",
        embedding_model="joint-post",
        funding="charity",
        duration_months=60,
    )
    walk_to_check(reader)
    reader.press("plan")
    suggestions = reader.tree.get_element_by_id("suggestions").getparent()
    text = " ".join(suggestions.text_content().split())
    assert "Sizing the work (Guide planning). Helps with: Scale." in text
    assert reader.tree.xpath("//a[text()='Much alike']/@href") == [alike.get_absolute_url()]
    assert "Same kind of organisation: Acute trust; Same model: Researcher in residence" in text
    assert "A similar length: 1 year and 6 months" in text
    assert "Unalike" not in text
    assert "2. Who will use it?" in text and "2. Who owns the data?" in text
    assert "1. How will you review it?" not in text  # answered


def test_the_word_plan_is_titled_with_the_name_and_date_and_holds_every_answer(reader):
    walk_to_check(reader)
    reader.press("plan")
    response = reader.press("word")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "private" in response["Cache-Control"]
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        "attachment; filename="
        f'"embedded-research-plan-northshire-community-health-{today.isoformat()}.docx"'
    )
    document = docx.Document(io.BytesIO(response.content))
    title = document.paragraphs[0]
    assert title.style.name == "Title"
    assert title.text == "Embedded research plan for Northshire Community Health"
    assert document.paragraphs[1].text == f"Made on {today.day} {today:%B %Y}"
    assert document.core_properties.title == title.text
    texts = [p.text for p in document.paragraphs]
    for answer in [
        "Shorter waits for discharge.",
        "Fewer readmissions.",
        "A joint steering group.",
        "A portfolio of three projects.",
        "Quarterly reviews with both partners.",
    ]:
        assert answer in texts
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[:5] == ["Intended outcomes", "Power dynamics", "Scale", "Involvement",
                            "Learning and reflection"]  # fmt: skip
    assert {"Guidance to read next", "Questions left unanswered"} <= set(headings)
    assert "2. Who will use it?" in texts and "Not answered yet" in texts


# Saving and carrying on


def save(reader):
    """Presses "Save your progress": the browser downloads a file and stays on the page."""
    response = reader.client.post(PLANNER, {**reader.hidden(), "go": "save"})
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="embedded-research-plan'
    )
    assert "no-store" in response["Cache-Control"]
    return response.content


def upload(client, content, name="progress.json"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(RESUME, {"progress": SimpleUploadedFile(name, content)})


def test_save_your_progress_from_a_step_then_carry_on_from_the_file(reader, client):
    reader.open("/framework/plan/organisation/")
    reader.press("intent", step="organisation", **ORGANISATION)
    content = save_from_step(reader)
    saved = json.loads(content)
    assert saved["organisation"]["name"] == "Northshire Community Health"
    assert saved["themes"]["intended-outcomes"]["choices"]["outcomes"] == ["knowledge", "capacity"]
    response = upload(client, content)
    assert response.status_code == 200
    resumed = Reader(client)
    resumed.response = response
    assert resumed.tree.findtext(".//h1") == "Check your answers"
    assert (
        "A joint steering group." in resumed.text and "Northshire Community Health" in resumed.text
    )
    resumed.press("plan")
    assert "Embedded research plan for Northshire" in resumed.text


def save_from_step(reader):
    """Saving from a step keeps what is typed on it, too."""
    reader.response = reader.client.post(PLANNER, {**reader.hidden(), "step": "intent", **{
        k.replace("__", "-"): v for k, v in INTENT.items()}, "go": "save"})  # fmt: skip
    assert reader.response["Content-Type"] == "application/json"
    return reader.response.content


def test_a_saved_file_round_trips_every_answer(reader, client):
    walk_to_check(reader)
    content = save(reader)
    resumed = Reader(client)
    resumed.response = upload(client, content)
    assert save(resumed) == content


def test_the_word_plan_carries_the_progress_and_can_be_uploaded_to_carry_on(reader, client):
    walk_to_check(reader)
    progress = save(reader)
    reader.press("plan")
    word = reader.press("word").content
    resumed = Reader(client)
    resumed.response = upload(client, word, name="plan.docx")
    assert resumed.response.status_code == 200
    assert "Quarterly reviews with both partners." in resumed.text
    assert save(resumed) == progress


def hostile(client, content, name="progress.json"):
    response = upload(client, content, name)
    tree = lxml.html.fromstring(response.content)
    message = " ".join(tree.get_element_by_id("progress-file-error").text_content().split())
    summary = tree.xpath("//*[@class='nhsuk-error-summary']//a")[0]
    assert summary.get("href") == "#progress-file"
    return response.status_code, message.removeprefix("Error: ")


def good_file(**changes):
    content = {
        "format": "embedded-research-plan",
        "version": 1,
        "saved_on": "2026-11-30",
        "organisation": {"name": "Northshire"},
        "themes": {
            "scale": {"answers": ["A portfolio."], "choices": {"timescale": "over-two-years"}}
        },
    }
    content.update(changes)
    return json.dumps(content).encode()


def test_a_well_formed_hand_written_file_is_accepted(client, themes):
    assert upload(client, good_file()).status_code == 200


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff\xfe\x00binary", "it is not text"),
        (b"name,answer\nNorthshire,yes", "it is not in the JSON format"),
        (b'{"format": "embedded-research-plan", "format": "x"}', "it is not in the JSON format"),
        (b"[" * 50_000 + b"]" * 50_000, "it is not in the JSON format"),
        (b'{"version": 1}', "not a saved plan from this planner"),
        (good_file(secret="x"), "has fields this planner does not know: 'secret'"),
        (good_file(version=2), "a version of this planner we cannot read"),
        (good_file(themes={"gardening": {}}), "fields this planner does not know: 'gardening'"),
        (good_file(themes={"scale": {"notes": "x"}}), "does not know: 'notes'"),
        (good_file(themes={"scale": {"choices": {"colour": "red"}}}), "does not know: 'colour'"),
        (good_file(themes={"scale": {"choices": {"timescale": "forever"}}}), "Choose one of"),
        (
            good_file(themes={"scale": {"choices": {"timescale": ["a", "b"]}}}),
            "should be one answer",
        ),
        (good_file(themes={"scale": {"answers": "not a list"}}), "should be a list of text"),
        (good_file(themes={"scale": {"answers": [1, 2]}}), "should be a list of text"),
        (good_file(themes={"scale": {"answers": ["x"] * 9}}), "more than 8 answers"),
        (good_file(themes={"scale": {"answers": ["x" * 1201]}}), "1,200 characters or fewer"),
        (good_file(themes={"scale": {"answers": ["bell\x07"]}}), "contains characters that cannot"),
        (good_file(organisation={"name": "N" * 151}), "150 characters or fewer"),
        (good_file(organisation={"name": ["N"]}), "should be text"),
        (good_file(organisation={"name": "N", "boss": "x"}), "does not know: 'boss'"),
        (good_file(organisation={"name": "N", "setting": "castle"}), "Choose one of"),
        (b"PK\x03\x04not really a zip", "damaged zip or Word file"),
    ],
)
def test_a_hostile_or_broken_file_is_refused_with_a_clear_message(client, themes, content, problem):
    status, message = hostile(client, content)
    assert status == 400
    assert problem in message


def test_a_file_too_big_is_refused_before_it_is_read(client, themes):
    status, message = hostile(client, b" " * (MAX_FILE_BYTES + 1))
    assert status == 413
    assert message.startswith("The file is too big to be a saved plan")


def test_a_word_file_without_saved_answers_is_refused(client, themes):
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    status, message = hostile(client, buffer.getvalue(), name="other.docx")
    assert status == 400 and "does not hold saved answers" in message


def test_a_word_file_whose_answers_would_unpack_too_big_is_refused(client, themes):
    import base64
    import zlib

    from toolkit.plan_word import PROGRESS_PROPERTY, PROPERTIES_NS, VT_NS

    bomb = base64.b64encode(zlib.compress(b" " * (MAX_FILE_BYTES * 4), 9)).decode()
    xml = (
        f'<Properties xmlns="{PROPERTIES_NS}" xmlns:vt="{VT_NS}">'
        f'<property name="{PROGRESS_PROPERTY}0001"><vt:lpwstr>{bomb}</vt:lpwstr></property>'
        "</Properties>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("docProps/custom.xml", xml)
    status, message = hostile(client, buffer.getvalue(), name="bomb.docx")
    assert status == 413 and "too big" in message


def test_an_upload_without_a_file_asks_for_one(client, themes):
    response = client.post(RESUME, {})
    assert response.status_code == 400
    assert "Choose the file you saved" in response.content.decode()


# Anything at all: a clear answer, never a server error

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
FIELDS = st.sampled_from(
    ["step", "go", "answers-intent", "answers-organisation", "organisation-name",
     "organisation-setting", "scale-answer_1", "scale-timescale", "intended-outcomes-outcomes",
     "themes-TOTAL_FORMS", "csrfmiddlewaretoken"]
)  # fmt: skip


@FUZZ
@given(data=st.lists(st.tuples(FIELDS, ANY_TEXT), max_size=8))
def test_any_form_data_gets_a_page_never_a_server_error(client, themes, data):
    response = client.post(
        PLANNER, data=_encoded(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code < 500
    assert "no-store" in response["Cache-Control"]


@FUZZ
@given(content=st.one_of(st.binary(max_size=2000), ANY_TEXT.map(str.encode)))
def test_any_uploaded_bytes_get_a_page_never_a_server_error(client, themes, content):
    assert upload(client, content).status_code < 500


def _encoded(pairs):
    from urllib.parse import urlencode

    return urlencode(pairs)


@pytest.mark.parametrize("extra", [0, 6])
def test_planner_pages_cost_a_few_queries_however_many_themes(
    reader, themes, django_assert_num_queries, extra
):
    framework = themes["scale"].framework
    for number in range(extra):
        make_theme(framework, f"extra-{number}", 20 + number, "process")
    walk_to_check(reader)
    with django_assert_num_queries(1):  # the themes
        reader.press("structure")
    with django_assert_num_queries(1):
        reader.press("check", step="structure")
    with django_assert_num_queries(3):  # the themes, their guide parts, the case studies
        reader.press("plan")
    with django_assert_num_queries(3):
        reader.press("word")
