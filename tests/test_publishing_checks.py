"""Checks before publishing: links and images resolve, headings do not skip, alt text says
something."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from embedded.publishing_checks import problems
from tests.factories import make_page, signed_in
from tests.test_admin import change_form_data, part, self_approval  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def messages(body):
    return [(problem.blocks, problem.message) for problem in problems(body)]


def test_a_link_to_a_live_page_or_a_site_page_passes():
    live = part().get_absolute_url()
    assert (
        messages(f"See [the part]({live}) and [search](/search/) or [mail](mailto:a@b.org).") == []
    )


def test_a_link_to_a_part_that_does_not_exist_blocks_publishing():
    found = messages("See [this](/guidance/researchers/no-such-part/).")
    assert found == [
        (True, "The link to /guidance/researchers/no-such-part/ leads to no page on this site.")
    ]


def test_a_link_to_a_draft_page_blocks_publishing():
    make_page("hidden-page", status="draft", published_at=None)
    [(blocks, message)] = messages("See [this](/hidden-page/).")
    assert blocks and "not live" in message


def test_a_missing_image_and_placeholder_or_empty_alt_text_are_flagged(settings):
    name = default_storage.save("uploads/present.png", ContentFile(b"not really a png"))
    try:
        body = (
            f"![A chart of recruitment by month]({settings.MEDIA_URL}{name})\n\n"
            f"![Describe the image here]({settings.MEDIA_URL}{name})\n\n"
            f"![]({settings.MEDIA_URL}{name})\n\n"
            f"![A diagram]({settings.MEDIA_URL}uploads/gone.png)"
        )
        found = messages(body)
    finally:
        default_storage.delete(name)
    assert [blocks for blocks, _ in found] == [False, False, False]
    assert "“Describe the image here” as its alt text" in found[0][1]
    assert "has no alt text" in found[1][1]
    assert "uploads/gone.png is no longer uploaded" in found[2][1]


def test_a_skipped_heading_level_is_flagged():
    found = messages("## Section\n\nText.\n\n#### Too deep\n\nMore.")
    assert found == [
        (
            False,
            "The heading “Too deep” skips a level: it is level 4 straight after level 2. "
            "Use ### for it.",
        )
    ]


def change_url(obj):
    return reverse("admin:guidance_guidepart_change", args=[obj.pk])


BROKEN = "\n\nSee [the missing part](/guidance/researchers/no-such-part/)."
SKIPPED = "\n\n#### A heading too deep\n\nWords."


def test_a_draft_saves_with_problems_and_lists_them_at_the_top_of_the_form(edith):
    obj = part()
    client = signed_in(edith)
    body = obj.body + BROKEN
    client.post(change_url(obj), change_form_data(obj, body=body, _save_draft="Save draft"))
    form = client.get(change_url(obj)).content.decode()
    top = form.split('id="publishing-problems"')[1].split("</div>")[0]
    assert "Must be fixed:</strong> The link to /guidance/researchers/no-such-part/" in top


def test_publishing_refuses_a_broken_internal_link(edith):
    obj = part()
    body = obj.body + BROKEN
    data = change_form_data(obj, body=body, _publish="Publish", publish_despite_problems="1")
    response = signed_in(edith).post(change_url(obj), data)
    html = response.content.decode()
    assert response.status_code == 200 and "cannot be published until these links are fixed" in html
    assert part().body == obj.body


def test_publishing_with_other_problems_asks_for_confirmation(edith):
    obj = part()
    body = obj.body + SKIPPED
    client = signed_in(edith)
    response = client.post(change_url(obj), change_form_data(obj, body=body, _publish="Publish"))
    html = response.content.decode()
    assert "Check these problems before publishing" in html and "Publish anyway" in html
    assert part().body == obj.body
    client.post(
        change_url(obj),
        change_form_data(obj, body=body, _publish="Publish", publish_despite_problems="1"),
    )
    assert part().body == body


def test_the_admin_home_lists_broken_links_on_live_pages(edith):
    make_page("linking-page", title="A page with a bad link", body="See [x](/no/such/page/).")
    home = signed_in(edith).get(reverse("admin:index")).content.decode()
    listed = home.split('id="broken-links"')[1].split("</div>")[0]
    assert "A page with a bad link" in listed and "/no/such/page/" in listed
