"""Every kind of page meets WCAG 2.2 AA as axe-core checks it, in a real Chromium.

Each page is its own case, so a failure names the page and lists every rule
it breaks, with the elements that break it. Each page must also load without
breaking the site's Content Security Policy, and with every stylesheet, image
and font it asks for.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from embedded.content import read_source, registry
from guidance.models import Guide, GuidePart
from tests.browser.conftest import axe_violations, describe_violations

pytestmark = pytest.mark.browser


def shipped(model):
    """Front matter of the shipped content files of one model that the public can see.

    Read from the files alone: this runs as the module is imported, before the test
    database exists, so it must not touch a database (a kind's parse may).
    """
    kind = next(kind for kind in registry.kinds if kind.model is model)
    for path in kind.paths(settings.CONTENT_DIR):
        source = read_source(path, settings.CONTENT_DIR)
        values = {"slug": source.stem, "status": "published", **source.meta}
        if model is Guide:
            values["slug"] = source.meta.get("slug", source.folder)
        scheduled = values.get("published_at")
        if isinstance(scheduled, datetime.date) and not isinstance(scheduled, datetime.datetime):
            scheduled = datetime.datetime.combine(scheduled, datetime.time(), datetime.UTC)
        if values["status"] == "published" and not (scheduled and scheduled > timezone.now()):
            yield source, values


GUIDES = [values["slug"] for _, values in shipped(Guide)]
PARTS = [f"{source.folder}/{values['slug']}" for source, values in shipped(GuidePart)]

PAGES = [
    "/",
    "/guidance/",
    *[f"/guidance/{guide}/" for guide in GUIDES],
    *[f"/guidance/{part}/" for part in PARTS],
    *[f"/guidance/{guide}/print/" for guide in GUIDES],
    "/roles/embedded-researcher/",
    "/roles/embedded-researcher/build/",
    "/roles/embedded-researcher/self-assessment/",
    "/search/?q=research",
    "/search/?q=zzzzqqq",
    "/case-studies/",
    "/case-studies/?setting=acute-trust",
    "/case-studies/researcher-in-residence-acute-discharge/",
    "/about/",
    "/accessibility/",
    "/privacy/",
    "/contact/",
    "/glossary/",
    "/admin/login/",
]


def assert_accessible(tab):
    violations = axe_violations(tab.page)
    if violations:
        pytest.fail(
            f"{tab.page.url} breaks WCAG 2.2 AA rules:\n{describe_violations(violations)}",
            pytrace=False,
        )
    assert tab.csp_violations == []
    assert tab.broken_assets == []


def test_every_guide_part_is_checked():
    """The list of pages comes from the content files; an empty list would check nothing."""
    assert len(GUIDES) == 3
    assert len(PARTS) >= len(GUIDES)


@pytest.mark.parametrize("path", PAGES)
def test_page_meets_wcag_22_aa(tab, path):
    response = tab.open(path)
    assert response.status == 200
    assert_accessible(tab)


def test_page_not_found_meets_wcag_22_aa(tab):
    response = tab.open("/no-such-page/")
    assert response.status == 404
    assert tab.page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(tab)


def test_feedback_comment_step_and_its_error_meet_wcag_22_aa(tab):
    tab.open(f"/guidance/{PARTS[0]}/")
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="No this page was not helpful").click()
    assert "/feedback/thanks/" in tab.page.url
    comment = tab.page.get_by_role("textbox", name="How could we improve this page? (optional)")
    assert_accessible(tab)
    # The box stops at 500 characters; the server says so too, for browsers that do not.
    comment.evaluate("(box) => box.removeAttribute('maxlength')")
    comment.fill("x" * 501)
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Send comment").click()
    summary = tab.page.locator(".nhsuk-error-summary")
    assert "500 characters or fewer" in summary.inner_text()
    assert_accessible(tab)


def test_contact_form_errors_and_confirmation_meet_wcag_22_aa(tab):
    tab.open("/contact/")
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Send message").click()
    assert "Enter your name" in tab.page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(tab)
    tab.page.get_by_label("Your name").fill("Sam Patel")
    tab.page.get_by_label("Your email address").fill("sam@example.org")
    tab.page.get_by_label("Your message").fill("A question about the job description.")
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Send message").click()
    assert tab.page.get_by_role("heading", level=1).inner_text() == "Your message has been sent"
    assert_accessible(tab)


def test_the_checks_catch_a_page_that_breaks_the_rules(tab):
    """A guard on the guards: an image without a text alternative and an inline style fail."""
    tab.open("/about/")
    tab.page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML(
            "beforeend", '<img src="/static/images/favicon.svg"><p style="color: red">Hi</p>'
        )"""
    )
    tab.page.wait_for_timeout(100)
    with pytest.raises(pytest.fail.Exception, match=r"image-alt \(critical\)[^\n]*\n +at img"):
        assert_accessible(tab)
    assert any("style-src" in violation for violation in tab.csp_violations)


def test_the_job_description_builder_errors_and_preview_are_accessible(tab):
    tab.open("/roles/embedded-researcher/build/")
    tab.page.click("text=Check your job description")
    assert "There is a problem" in tab.page.inner_text("main")
    assert_accessible(tab)
    tab.page.fill("#id_organisation", "Brightwater Community Health")
    tab.page.fill("#id_job_title", "Embedded researcher")
    tab.page.locator("input[name=employed_by]").first.check()
    tab.page.click("text=Check your job description")
    assert "Brightwater Community Health" in tab.page.inner_text("main")
    assert_accessible(tab)


def test_the_job_description_check_page_and_a_change_are_accessible(tab):
    tab.open("/roles/embedded-researcher/build/")
    tab.page.fill("#id_organisation", "Brightwater Community Health")
    tab.page.locator("input[name=employed_by]").first.check()
    tab.page.click("text=Check your job description")
    assert tab.page.get_by_role("heading", level=1).inner_text() == "Check your job description"
    assert_accessible(tab)
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Change organisation").click()
    assert tab.page.url.endswith("#id_organisation")
    assert tab.page.input_value("#id_organisation") == "Brightwater Community Health"
    assert_accessible(tab)


def test_each_self_assessment_step_its_error_and_the_results_are_accessible(tab):
    tab.open("/roles/embedded-researcher/self-assessment/")
    for step in ["Attitudes", "Skills"]:
        assert tab.page.get_by_role("heading", level=1).inner_text() == step
        assert_accessible(tab)
        with tab.page.expect_navigation():
            tab.page.get_by_role("button", name="Continue").click()
    assert tab.page.get_by_role("heading", level=1).inner_text() == "Knowledge"
    assert_accessible(tab)
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="See your results").click()
    assert "Rate yourself against at least one" in tab.page.inner_text(".nhsuk-error-summary")
    assert_accessible(tab)
    radios = tab.page.locator("input[type=radio]")
    for index in range(0, radios.count(), 4):
        radios.nth(index + (index // 4) % 4).check()
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="See your results").click()
    assert tab.page.get_by_role("heading", level=1).inner_text() == "Your results"
    assert tab.page.get_by_role("button", name="Print your results").is_visible()
    assert_accessible(tab)


@pytest.mark.parametrize(
    "path",
    [
        "/guidance/nhs-organisations/choosing-a-model/",
        "/guidance/nhs-organisations/",
        "/case-studies/",
        "/roles/embedded-researcher/",
        "/roles/embedded-researcher/self-assessment/",
        "/glossary/",
        "/contact/",
    ],
)
def test_narrow_screens_meet_wcag_22_aa(new_tab, path):
    tab = new_tab(viewport={"width": 320, "height": 800})
    assert tab.open(path).status == 200
    assert_accessible(tab)
