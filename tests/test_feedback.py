"""'Was this page helpful?' in two steps: Yes or No on every page, a comment box only after."""

import re

import pytest

from embedded.forms import FeedbackCommentForm
from embedded.models import Feedback

pytestmark = pytest.mark.django_db

PART_URL = "/guidance/researchers/what-the-role-is-like/"


def test_every_page_asks_only_yes_or_no_with_no_comment_box(client):
    html = client.get(PART_URL).content.decode()
    feedback = re.search(r'<aside class="feedback.*?</aside>', html, re.S)[0]
    assert "Was this page helpful?" in feedback
    assert re.findall(r'<button[^>]*name="helpful" value="(yes|no)"', feedback) == ["yes", "no"]
    assert "<textarea" not in feedback


def test_the_question_keeps_the_page_cacheable(client):
    response = client.get(PART_URL)
    assert "public" in response["Cache-Control"]
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content


def test_an_answer_is_stored_at_once_and_then_a_comment_box_is_offered(client):
    response = client.post("/feedback/", {"path": PART_URL, "helpful": "no"})
    answer = Feedback.objects.get()
    assert (answer.path, answer.helpful, answer.comment) == (PART_URL, False, "")
    thanks = client.get(response["Location"])
    html = thanks.content.decode()
    assert "Thank you for your feedback" in html
    assert "How could we improve this page? (optional)" in html
    assert "private" in thanks["Cache-Control"]


def test_after_yes_the_comment_box_asks_what_could_be_better(client):
    response = client.post("/feedback/", {"path": PART_URL, "helpful": "yes"})
    html = client.get(response["Location"]).content.decode()
    assert "Is there anything we could do better? (optional)" in html


def test_the_comment_is_added_to_the_answer_just_given(client):
    response = client.post("/feedback/", {"path": PART_URL, "helpful": "no"})
    thanks = client.get(response["Location"]).content.decode()
    token = re.search(r'name="answer" value="([^"]+)"', thanks)[1]
    comment = {"path": PART_URL, "answer": token, "comment": "More examples"}
    response = client.post("/feedback/", comment)
    assert response["Location"] == f"/feedback/thanks/?next={PART_URL}"
    assert Feedback.objects.get().comment == "More examples"
    assert "<textarea" not in client.get(response["Location"]).content.decode()


def test_a_comment_cannot_replace_one_already_given_nor_use_a_forged_token(client):
    answer = Feedback.objects.create(path="/", helpful=True, comment="First")
    token = FeedbackCommentForm.token_for(answer)
    client.post("/feedback/", {"path": "/", "answer": token, "comment": "Second"})
    assert Feedback.objects.get().comment == "First"
    response = client.post("/feedback/", {"path": "/", "answer": token + "x", "comment": "Forged"})
    assert response.status_code == 400
    assert "This form has expired" in response.content.decode()


def test_a_comment_that_is_too_long_is_refused_and_kept(client):
    answer = Feedback.objects.create(path="/", helpful=False)
    token = FeedbackCommentForm.token_for(answer)
    response = client.post("/feedback/", {"path": "/", "answer": token, "comment": "y" * 501})
    assert response.status_code == 400
    html = response.content.decode()
    assert "500 characters or fewer" in html
    assert "y" * 501 in html
    assert Feedback.objects.get().comment == ""


def test_answer_and_comment_in_one_post_still_work(client):
    response = client.post("/feedback/", {"path": "/", "helpful": "yes", "comment": "Good"})
    assert response["Location"] == "/feedback/thanks/?next=/"
    assert Feedback.objects.get().comment == "Good"
