"""Reading a part on a 375 px phone and on paper, and a message sent through the contact form
and answered in the admin, in a real Chromium."""

import re

import pytest
from django.core import mail

from contact.models import ContactMessage
from embedded.models import RateLimitHit
from tests.browser.test_accessibility import PARTS, assert_accessible
from tests.browser.test_editor import editor, sign_in  # noqa: F401 - editor is a fixture

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
PART = "/guidance/nhs-organisations/recruiting-employing-and-hosting/"

# Where the first paragraph of the part's own text starts and ends its first line.
FIRST_PARAGRAPH = """() => {
    const paragraph = document.querySelector(".prose > p");
    const box = paragraph.getBoundingClientRect();
    return {top: box.top, lineEnd: box.top + parseFloat(getComputedStyle(paragraph).lineHeight)};
}"""


@pytest.fixture
def phone(new_tab):
    return new_tab(viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.mark.parametrize("part", PARTS)
def test_on_a_375_pixel_phone_a_part_starts_its_text_on_the_first_screen(phone, part):
    assert phone.open(f"/guidance/{part}/").status == 200
    paragraph = phone.page.evaluate(FIRST_PARAGRAPH)
    assert paragraph["lineEnd"] <= PHONE["height"], f"first line ends at {paragraph['lineEnd']}px"
    assert phone.page.locator("details").count() >= 1
    assert phone.page.locator("details[open]").count() == 0, "the contents lists are folded"


def test_the_folded_contents_open_to_the_numbered_parts_and_the_sections(phone):
    phone.open(PART)
    parts = phone.page.get_by_role("navigation", name="Parts of this guide")
    assert not parts.is_visible()
    phone.page.get_by_text("Guide contents").click()
    assert parts.is_visible()
    items = parts.get_by_role("listitem").all_inner_texts()
    total = len(items)
    assert items[0].startswith(f"Part 1 of {total}:")
    assert items[-1].startswith(f"Part {total} of {total}:")
    current = parts.locator("[aria-current=page]").inner_text()
    assert re.match(rf"Part \d+ of {total}: Recruiting, employing and hosting", current), current
    phone.page.get_by_text("On this page").click()
    sections = phone.page.get_by_role("navigation", name="On this page")
    assert sections.get_by_role("link").count() >= 3
    assert phone.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)


def test_the_header_marks_the_section_on_a_phone(phone):
    phone.open(PART)
    current = phone.page.get_by_role("banner").locator("[aria-current]")
    assert current.inner_text() == "Guidance"
    box = current.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_on_paper_a_part_keeps_its_text_and_its_address_and_drops_the_screen_only_parts(tab):
    tab.open(PART)
    tab.page.emulate_media(media="print")
    for screen_only in [".nhsuk-header", ".page-contents", ".feedback", ".print-links", ".related"]:
        assert not tab.page.locator(screen_only).first.is_visible(), screen_only
    printed_from = tab.page.get_by_text(re.compile(r"^Printed from http://"))
    assert printed_from.is_visible()
    assert printed_from.inner_text().endswith(PART)
    link = tab.page.locator(".prose a[href^='http']:not(.glossary-link)").first
    after = link.evaluate("(a) => getComputedStyle(a, '::after').content")
    assert "http://" in after, "a link prints its full address"
    glossary = tab.page.locator(".prose a.glossary-link").first
    assert glossary.evaluate("(a) => getComputedStyle(a, '::after').content") == "none"


def test_the_print_view_puts_part_titles_above_their_sections(tab):
    tab.open("/guidance/researchers/print/")
    tab.page.emulate_media(media="print")
    part_title = tab.page.locator(".printable-guide__part h2").first
    section = tab.page.locator(".printable-guide__part .prose h3").first
    size = "(el) => parseFloat(getComputedStyle(el).fontSize)"
    assert part_title.evaluate(size) > section.evaluate(size)
    assert_accessible(tab)


def test_the_print_button_prints_with_javascript_and_is_absent_without(new_tab):
    tab = new_tab()
    tab.open(PART)
    tab.page.evaluate("() => { window.print = () => { window.printed = true; }; }")
    tab.page.get_by_role("button", name="Print this part").click()
    assert tab.page.evaluate("() => window.printed") is True
    no_script = new_tab(java_script_enabled=False)
    no_script.open(PART)
    assert no_script.page.get_by_role("button", name="Print this part").count() == 0
    link = no_script.page.get_by_role("link", name=re.compile("whole guide on one page"))
    with no_script.page.expect_navigation():
        link.click()
    assert no_script.page.url.endswith("/guidance/nhs-organisations/print/")


def test_the_guide_page_action_link_starts_the_first_part(tab):
    tab.open("/guidance/nhs-organisations/")
    action = tab.page.locator("a.nhsuk-action-link")
    assert action.inner_text().startswith("Start reading:")
    with tab.page.expect_navigation():
        action.click()
    assert re.fullmatch(r"Part 1 of \d+", tab.page.locator(".nhsuk-caption-l").inner_text())


def test_a_glossary_link_takes_the_reader_to_the_terms_entry(tab):
    tab.open(PART)
    link = tab.page.locator(".prose a.glossary-link", has_text="Research Passport").first
    with tab.page.expect_navigation():
        link.click()
    assert tab.page.url.endswith("/glossary/#research-passport")
    entry = tab.page.locator("#research-passport")
    assert entry.inner_text() == "Research Passport"
    assert entry.bounding_box()["y"] < 100, "the entry is scrolled to the top"


@pytest.mark.usefixtures("editor")
def test_a_message_sent_is_kept_emailed_about_answered_and_closed(new_tab, settings):
    settings.CONTACT_NOTIFY_EMAILS = ["editors@example.org"]
    settings.CONTACT_RATE_LIMIT = 2
    # Other browser tests sent messages from this address too, and the database they share
    # keeps what they sent: this reader starts with none of them.
    RateLimitHit.objects.all().delete()
    ContactMessage.objects.all().delete()
    reader = new_tab()
    reader.open("/contact/")
    reader.page.get_by_label("Your name").fill("Sam Patel")
    reader.page.get_by_label("Your email address").fill("sam at example")
    reader.page.get_by_label("Your message").fill("Can we adapt the job description?")
    with reader.page.expect_navigation():
        reader.page.get_by_role("button", name="Send message").click()
    error = "Enter an email address in the correct format, like name@example.com"
    assert error in reader.page.locator(".nhsuk-error-summary").inner_text()
    assert reader.page.get_by_label("Your message").input_value() == (
        "Can we adapt the job description?"
    )
    assert reader.page.get_by_label("Your name").input_value() == "Sam Patel"
    reader.page.get_by_label("Your email address").fill("sam@example.org")
    with reader.page.expect_navigation():
        reader.page.get_by_role("button", name="Send message").click()
    assert reader.page.get_by_role("heading", level=1).inner_text() == "Your message has been sent"
    assert len(mail.outbox) == 1 and "sam@example.org" not in mail.outbox[0].body

    reader.open("/contact/")
    reader.page.get_by_label("Your name").fill("Sam Patel")
    reader.page.get_by_label("Your email address").fill("sam@example.org")
    reader.page.get_by_label("Your message").fill("And one more thing.")
    with reader.page.expect_navigation() as navigation:
        reader.page.get_by_role("button", name="Send message").click()
    assert navigation.value.status == 429
    assert "several messages in the last hour" in reader.page.inner_text("main")
    assert reader.page.get_by_label("Your message").input_value() == "And one more thing."
    assert ContactMessage.objects.count() == 1

    editor_tab = new_tab()
    sign_in(editor_tab)
    assert "1 new, 0 answered but not closed" in editor_tab.page.inner_text("#contact-messages")
    editor_tab.page.get_by_role("link", name="Read the new messages").click()
    editor_tab.page.get_by_role("link", name="Sam Patel").click()
    assert "Can we adapt the job description?" in editor_tab.page.inner_text("#content")
    mailto = editor_tab.page.get_by_role("link", name="sam@example.org")
    assert mailto.get_attribute("href").startswith("mailto:sam@example.org?subject=")
    editor_tab.page.select_option("#id_status", "closed")
    editor_tab.page.fill("#id_reply_note", "Replied by email on 30 November: yes, adapt it.")
    editor_tab.page.click("input[name=_save]")
    editor_tab.page.wait_for_selector(".messagelist .success")
    message = ContactMessage.objects.get()
    assert message.status == "closed" and message.closed_at is not None
    assert message.reply_note.startswith("Replied by email")
