"""The case-study finder on a phone and a desktop: results soon after the filters, a way back
to them from a case study, and WCAG 2.2 AA on the list and a case study at both widths."""

import pytest

from tests.browser.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}
DETAIL = "/case-studies/researcher-in-residence-acute-discharge/"


def top_of(locator):
    """How far down the page an element starts, in CSS pixels."""
    return locator.evaluate("(el) => el.getBoundingClientRect().top + window.scrollY")


def test_on_a_phone_the_first_result_is_within_two_screens_after_applying_a_filter(new_tab):
    tab = new_tab(viewport=PHONE)
    tab.open("/case-studies/")
    groups = tab.page.locator("details[data-filter-group]")
    assert groups.count() >= 6
    assert all(not groups.nth(n).evaluate("(d) => d.open") for n in range(groups.count()))
    tab.page.locator("summary", has_text="Setting").click()
    tab.page.get_by_label("Acute trust").check()
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Apply filters").click()
    assert tab.page.url.endswith("/case-studies/?setting=acute-trust")
    first = tab.page.locator(".nhsuk-card__link").first
    box = first.bounding_box()
    assert top_of(first) + box["height"] <= 2 * PHONE["height"], "the first result's title"
    # The count and the chosen filter come before the groups; only the chosen group is open.
    main = tab.page.locator("main")
    assert top_of(main.locator("#results-heading")) < top_of(main.locator("form.filters"))
    assert top_of(main.get_by_role("link", name="Remove filter: Acute trust (setting)")) < top_of(
        main.locator("form.filters")
    )
    opened = [groups.nth(n).evaluate("(d) => d.open") for n in range(groups.count())]
    assert opened[0] and not any(opened[1:])


def test_the_filters_can_be_skipped_with_a_link(new_tab):
    tab = new_tab(viewport=PHONE)
    tab.open("/case-studies/?setting=acute-trust")
    tab.page.get_by_role("link", name="Skip to results").click()
    assert tab.page.url.endswith("#results")
    assert tab.page.evaluate("() => document.activeElement.id") == "results"
    assert tab.page.locator(".nhsuk-card__link").first.is_visible()


def test_on_a_desktop_every_filter_group_is_open(new_tab):
    tab = new_tab(viewport=DESKTOP)
    tab.open("/case-studies/")
    groups = tab.page.locator("details[data-filter-group]")
    assert all(groups.nth(n).evaluate("(d) => d.open") for n in range(groups.count()))


def test_an_option_that_would_show_nothing_cannot_be_ticked(new_tab):
    tab = new_tab(viewport=DESKTOP)
    tab.open("/case-studies/?setting=acute-trust")
    disabled = tab.page.locator("form.filters input:disabled")
    assert disabled.count() > 0
    assert all(
        " (0" in text
        for text in disabled.evaluate_all("(inputs) => inputs.map((i) => i.labels[0].textContent)")
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_a_case_study_leads_back_to_the_filtered_list_it_was_opened_from(new_tab, viewport):
    tab = new_tab(viewport=viewport)
    tab.open("/case-studies/?setting=acute-trust")
    titles = tab.page.locator(".nhsuk-card__link").all_inner_texts()
    with tab.page.expect_navigation():
        tab.page.locator(".nhsuk-card__link").first.click()
    back = "Back to Case studies" if viewport is PHONE else "Case studies"
    link = tab.page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=back)
    with tab.page.expect_navigation():
        link.click()
    assert tab.page.url.endswith("/case-studies/?setting=acute-trust")
    assert tab.page.locator(".nhsuk-card__link").all_inner_texts() == titles


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
@pytest.mark.parametrize(
    "path",
    [
        "/case-studies/",
        "/case-studies/?setting=acute-trust&theme=evaluation",
        "/case-studies/?setting=mental-health-trust&region=london",
        DETAIL,
        f"{DETAIL}?from=setting%3Dacute-trust",
    ],
)
def test_the_finder_and_a_case_study_meet_wcag_22_aa(new_tab, viewport, path):
    tab = new_tab(viewport=viewport)
    assert tab.open(path).status == 200
    assert_accessible(tab)
