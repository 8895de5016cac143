"""An editor's day in a real browser: edit with the live preview, draft, publish, search, revert."""

import contextlib
import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Error as PlaywrightError

from guidance.models import GuidePart

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PART = ("researchers", "what-the-role-is-like")
NEW_WORDS = "Quillfeather workshops help the team agree its questions."


@pytest.fixture(autouse=True)
def self_approval(settings):
    settings.EDITORIAL_SELF_APPROVAL = True  # one editor's day: she approves her own work


@pytest.fixture
def editor():
    # Another browser test may have left her account in the live server's database.
    User.objects.filter(username="edith").delete()
    user = User.objects.create_user("edith", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def sign_in(tab):
    tab.open("/admin/login/")
    tab.page.fill("#id_username", "edith")
    tab.page.fill("#id_password", "a-long-test-password")
    tab.page.click("input[type=submit]")
    tab.page.wait_for_url(re.compile(r"/admin/$"))


def press(page, button):
    """Clicks one of the edit form's buttons ("_save_draft", "_publish") and waits for the news."""
    page.locator(f"input[name={button}]").last.click()
    page.wait_for_selector(".messagelist .success")


def test_an_editor_drafts_previews_publishes_finds_and_reverts_a_part(new_tab, editor):
    part = GuidePart.objects.get(guide__slug=PART[0], slug=PART[1])
    public_url = part.get_absolute_url()
    editor_tab = new_tab()

    def reader():
        """A new reader each time: a browser may keep a public page for its short max-age."""
        return new_tab()

    assert reader().open(public_url).status == 200
    original_title = part.title

    sign_in(editor_tab)
    page = editor_tab.page
    editor_tab.open(f"/admin/guidance/guidepart/{part.pk}/change/")

    # The live preview renders through the site's sanitiser, under the site's CSP.
    body = page.locator("#id_body")
    body.fill(f"## A new first section\n\n{NEW_WORDS}\n\n<script>alert(1)</script>\n\n" + part.body)
    preview = page.locator(".markdownx-preview")
    preview.locator("h2#a-new-first-section").wait_for(timeout=10_000)
    assert NEW_WORDS in preview.inner_text()
    assert preview.locator("script").count() == 0
    assert "<script>alert(1)</script>" in preview.inner_text()

    page.fill("#id_title", "What the role is like, day to day")
    press(page, "_save_draft")
    assert "Readers still see the live version" in page.inner_text(".messagelist")
    unchanged = reader()
    assert unchanged.open(public_url).status == 200  # the live version stays for readers
    assert NEW_WORDS not in unchanged.page.inner_text("main")
    assert "Live, with unpublished changes" in page.inner_text("#editorial-state")

    editor_tab.open(f"/admin/guidance/guidepart/{part.pk}/preview/")
    assert NEW_WORDS in page.inner_text("main")
    assert "Was this page helpful?" not in page.inner_text("body")

    editor_tab.open(f"/admin/guidance/guidepart/{part.pk}/change/")
    assert page.input_value("#id_title") == "What the role is like, day to day"
    press(page, "_publish")
    live = reader()
    assert live.open(public_url).status == 200
    assert NEW_WORDS in live.page.inner_text("main")
    live.open("/search/?q=quillfeather")
    assert "What the role is like, day to day" in live.page.inner_text("main")

    # Revert to the version before today's edits: it becomes a draft, then goes live.
    editor_tab.open(f"/admin/guidance/guidepart/{part.pk}/history/")
    page.locator("#change-history a", has_text=original_title).last.click()
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    still_live = reader()
    still_live.open(public_url)
    assert NEW_WORDS in still_live.page.inner_text("main")
    editor_tab.open(f"/admin/guidance/guidepart/{part.pk}/change/")
    press(page, "_publish")
    reverted = reader()
    reverted.open(public_url)
    assert NEW_WORDS not in reverted.page.inner_text("main")
    assert original_title in reverted.page.inner_text("h1")
    assert editor_tab.csp_violations == [] and live.csp_violations == []


def test_an_editor_adds_an_image_with_its_description_and_a_failed_upload_changes_nothing(
    new_tab, editor, settings, tmp_path
):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path / "media"
    part = GuidePart.objects.get(guide__slug=PART[0], slug=PART[1])
    tab = new_tab()
    sign_in(tab)
    page = tab.page
    tab.open(f"/admin/guidance/guidepart/{part.pk}/change/")
    body = page.locator("#id_body")
    before = body.input_value()
    assert "You will be asked to describe it" in page.inner_text(".image-adder")

    not_an_image = tmp_path / "notes.png"
    not_an_image.write_bytes(b"these are notes, not pixels")
    page.once("dialog", lambda dialog: dialog.accept("A chart"))
    page.set_input_files(".image-adder__file", str(not_an_image))
    error = page.locator(".image-adder__status.errornote")
    error.wait_for()
    assert error.inner_text().startswith("The image was not added:")
    assert "Invalid response" not in body.input_value()
    assert body.input_value() == before

    chart = tmp_path / "chart.png"
    Image.new("RGB", (40, 30), (20, 90, 120)).save(chart, "PNG")
    page.once("dialog", lambda dialog: dialog.accept("Bar chart of recruitment by month"))
    page.set_input_files(".image-adder__file", str(chart))
    page.locator(".image-adder__status", has_text="Image added.").wait_for()
    assert re.search(
        r"!\[Bar chart of recruitment by month\]\(/media/uploads/[0-9a-f-]+\.png\)",
        body.input_value(),
    )
    assert tab.csp_violations == []


def test_two_editors_one_reviews_the_other_and_no_edit_is_lost(new_tab, editor, settings):
    settings.EDITORIAL_SELF_APPROVAL = False  # a second pair of eyes
    User.objects.filter(username="fred").delete()
    fred = User.objects.create_user("fred", password="a-long-test-password", is_staff=True)
    fred.groups.add(Group.objects.get(name="Editors"))
    part = GuidePart.objects.get(guide__slug=PART[0], slug=PART[1])
    change = f"/admin/guidance/guidepart/{part.pk}/change/"
    edith_tab, fred_tab = new_tab(), new_tab()
    sign_in(edith_tab)
    fred_tab.open("/admin/login/")
    fred_tab.page.fill("#id_username", "fred")
    fred_tab.page.fill("#id_password", "a-long-test-password")
    fred_tab.page.click("input[type=submit]")
    fred_tab.page.wait_for_url(re.compile(r"/admin/$"))
    edith_tab.open(change)
    fred_tab.open(change)

    fred_tab.page.fill("#id_title", "What the role is like, reviewed")
    press(fred_tab.page, "_submit_review")
    assert "Submitted for review" in fred_tab.page.inner_text(".messagelist")

    # Edith's form was opened before Fred's save: hers is refused, and her words kept.
    page = edith_tab.page
    page.fill("#id_summary", "Edith's summary.")
    page.locator("input[name=_save_draft]").last.click()
    page.wait_for_selector(".messagelist .error")
    assert "Fred saved changes to this page at" in page.inner_text(".messagelist")
    assert page.locator(".messagelist a", has_text="See their unpublished changes").count() == 1
    assert page.input_value("#id_summary") == "Edith's summary."

    # Leaving a changed form asks first (the warning script).
    page.click("#id_summary")
    page.keyboard.press("End")
    page.keyboard.type(" Changed again.")  # typed, as a person would: a browser asks only then
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    with contextlib.suppress(PlaywrightError):  # she chose to stay, so the browser never went
        page.goto(edith_tab.base_url + "/admin/", timeout=3000)
    assert dialogs == ["beforeunload"]
    assert page.input_value("#id_summary") == "Edith's summary. Changed again."

    # Edith reviews Fred's change from her list, and approving publishes it.
    reviewer = new_tab()
    sign_in(reviewer)
    waiting = reviewer.page.locator("#waiting-for-review a", has_text="reviewed")
    waiting.click()
    reviewer.page.click("button[value=approve]")
    reviewer.page.wait_for_selector(".messagelist .success")
    reader = new_tab()
    reader.open(part.get_absolute_url())
    assert "What the role is like, reviewed" in reader.page.inner_text("h1")
    assert reviewer.csp_violations == [] and fred_tab.csp_violations == []
