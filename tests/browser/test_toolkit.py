"""The toolkit in a real Chromium: the map by keyboard, the planner end to end, and WCAG 2.2 AA.

These use the shipped content (ten themes, five templates).
"""

import io
import json

import docx
import pytest

from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_keyboard_and_layout import overflowing, walk_with_tab

pytestmark = pytest.mark.browser

THEME_PATHS = [
    "/framework/intended-outcomes/", "/framework/power-dynamics/", "/framework/scale/",
    "/framework/involvement/", "/framework/proximity/", "/framework/belonging/",
    "/framework/functional-activities/", "/framework/researcher-skills-and-expertise/",
    "/framework/relational-role/", "/framework/learning-and-reflection/",
]  # fmt: skip
PAGES = [
    "/framework/",
    "/framework/scale/",
    "/framework/plan/",
    "/framework/plan/organisation/",
    "/framework/plan/intent/",
    "/framework/plan/structure/",
    "/framework/plan/process/",
    "/framework/templates/",
    "/framework/templates/partnership-heads-of-terms/",
    "/framework/templates/review-meeting-agenda/",
]


# The map, by keyboard alone


def test_the_map_is_reached_theme_by_theme_with_tab_and_opened_with_enter(tab):
    tab.open("/framework/")
    reached = []
    for _ in range(80):
        tab.page.keyboard.press("Tab")
        href = tab.page.evaluate("() => document.activeElement.getAttribute('href')")
        if href in THEME_PATHS:
            reached.append(href)
            if href == "/framework/scale/":
                break
    assert reached == THEME_PATHS[:3], "the themes come in the framework's order"
    focused = tab.page.locator(":focus")
    assert focused.inner_text() == "Scale"
    with tab.page.expect_navigation():
        tab.page.keyboard.press("Enter")
    assert tab.page.url.endswith("/framework/scale/")
    assert tab.page.get_by_role("heading", level=1).inner_text() == "Scale"


def test_every_control_on_the_map_is_reached_by_tab_and_shows_focus(tab):
    tab.open("/framework/")
    controls, unreached, no_indicator = walk_with_tab(tab.page)
    assert sum(1 for control in controls if "/framework/" in control["label"]) >= 10
    assert unreached == [] and no_indicator == []


def test_a_screen_reader_hears_the_map_as_three_headed_lists_of_links(tab):
    tab.open("/framework/")
    garden = tab.page.get_by_role("region", name="The design themes, in three groups")
    for group, count in [("Intent", 2), ("Structure", 4), ("Process", 4)]:
        bed = garden.get_by_role("region", name=group)
        assert bed.get_by_role("heading", level=3).count() == 1
        assert bed.get_by_role("list").get_by_role("listitem").count() == count
        assert bed.get_by_role("link").count() == count


@pytest.mark.parametrize("path", ["/framework/", "/framework/plan/structure/"])
def test_a_320_pixel_screen_never_scrolls_sideways_on_the_map_or_the_planner(new_tab, path):
    tab = new_tab(viewport={"width": 320, "height": 640})
    tab.open(path)
    scroll_width = tab.page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= 321, overflowing(tab.page, 320)


def test_the_map_prints_as_a_plain_list_of_every_theme(tab):
    tab.open("/framework/")
    tab.page.emulate_media(media="print")
    links = tab.page.locator(".garden__link")
    assert links.count() == 10
    assert all(links.nth(i).is_visible() for i in range(10))
    assert not tab.page.locator(".nhsuk-header").is_visible()


# The planner, end to end, without JavaScript


def test_the_planner_works_end_to_end_without_javascript(new_tab):
    tab = new_tab(java_script_enabled=False, accept_downloads=True)
    page = tab.page
    tab.open("/framework/scale/")
    with page.expect_navigation():
        page.get_by_role("link", name="Plan this theme").click()
    assert page.url.endswith("/framework/plan/structure/#theme-scale")

    tab.open("/framework/plan/")
    with page.expect_navigation():
        page.get_by_role("link", name="Start now").click()
    page.get_by_label("What is your organisation called?").fill("Riverside Mental Health")
    page.get_by_role("radio", name="Mental health trust").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Intent")
    page.get_by_role("checkbox", name="Capacity: your staff more able").check()
    page.locator("#id_intended-outcomes-answer_1").fill("More staff confident with evidence.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("radio", name="A portfolio of projects").check()
    page.locator("#id_scale-answer_1").fill("Three projects a year.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()
    page.locator("#id_learning-and-reflection-answer_1").fill("A review every quarter.")
    with page.expect_navigation():
        page.get_by_role("button", name="Check your answers").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your answers"
    assert "Three projects a year." in page.inner_text("main")

    with page.expect_navigation():
        page.get_by_role("button", name="Change your answers on scale").click()
    assert page.url.endswith("#theme-scale")
    assert page.locator("#id_scale-answer_1").input_value() == "Three projects a year."
    page.locator("#id_scale-answer_1").fill("Two projects a year.")
    with page.expect_navigation():
        page.get_by_role("button", name="Check your answers", exact=True).first.click()
    assert "Two projects a year." in page.inner_text("main")

    with page.expect_download() as saved:
        page.get_by_role("button", name="Save your progress").click()
    progress = json.loads(saved.value.path().read_text(encoding="utf-8"))
    assert progress["themes"]["scale"]["answers"] == ["Two projects a year."]

    with page.expect_navigation():
        page.get_by_role("button", name="Make your plan").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Embedded research plan for Riverside Mental Health"
    )
    with page.expect_download() as word:
        page.get_by_role("button", name="Download your plan (Word document)").click()
    document = docx.Document(io.BytesIO(word.value.path().read_bytes()))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Embedded research plan for Riverside Mental Health" in texts
    assert "More staff confident with evidence." in texts and "Two projects a year." in texts

    # Later, in a new browser: carry on from the saved file.
    later = new_tab(java_script_enabled=False)
    later.open("/framework/plan/")
    later.page.get_by_label("Upload the file you saved").set_input_files(saved.value.path())
    with later.page.expect_navigation():
        later.page.get_by_role("button", name="Upload and carry on").click()
    assert "Riverside Mental Health" in later.page.inner_text("main")
    assert "A review every quarter." in later.page.inner_text("main")


def test_an_error_is_summarised_linked_to_its_field_and_other_answers_kept(tab):
    tab.open("/framework/plan/organisation/")
    tab.page.get_by_label("Integrated care board").check()
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Save and continue").click()
    summary = tab.page.get_by_role("alert")
    assert "Enter the name of your organisation" in summary.inner_text()
    assert tab.page.get_by_label("Integrated care board").is_checked()
    assert_accessible(tab)
    summary.get_by_role("link").click()
    assert tab.page.evaluate("() => document.activeElement.id") == "id_organisation-name"


def test_a_refused_upload_is_explained_accessibly(tab, tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text("these are my notes")
    tab.open("/framework/plan/")
    tab.page.get_by_label("Upload the file you saved").set_input_files(str(bad))
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Upload and carry on").click()
    assert "not in the JSON format" in tab.page.get_by_role("alert").inner_text()
    assert_accessible(tab)


# WCAG 2.2 AA at a desktop and a narrow width


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", PAGES)
def test_toolkit_pages_meet_wcag_22_aa(new_tab, path, width):
    tab = new_tab(viewport={"width": width, "height": 900})
    assert tab.open(path).status == 200
    assert_accessible(tab)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_check_page_and_the_plan_meet_wcag_22_aa(new_tab, width):
    tab = new_tab(viewport={"width": width, "height": 900})
    tab.open("/framework/plan/organisation/")
    tab.page.get_by_label("What is your organisation called?").fill("Riverside")
    tab.page.get_by_label("Researcher in residence").check()
    with tab.page.expect_navigation():
        tab.page.locator("#go-check").click()
    assert tab.page.get_by_role("heading", level=1).inner_text() == "Check your answers"
    assert_accessible(tab)
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Make your plan").click()
    assert tab.page.get_by_role("heading", level=1).inner_text() == (
        "Embedded research plan for Riverside"
    )
    assert_accessible(tab)
