"""Arbitrary input at every public address and parameter: a clear answer, never a 500."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from embedded.models import Feedback, RateLimitHit
from embedded.plaintext import UNPRINTABLE, strip_unprintable

pytestmark = pytest.mark.django_db

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
NASTY = st.sampled_from(
    ["", " ", "%", "..", "../../etc/passwd", "\x00", "'; DROP TABLE x; --", '"', "<script>",
     "9" * 400, "-1", "0", "1.5", "null", "[]", "{}", "é", "ضمان", "研究", "\u202e", "%00"]
)  # fmt: skip
VALUES = st.one_of(ANY_TEXT, NASTY)
PREFIXES = [
    "/",
    "/guidance/",
    "/guidance/researchers/",
    "/guidance/researchers/print/",
    "/case-studies/",
    "/roles/embedded-researcher/",
    "/roles/embedded-researcher/build/",
    "/roles/embedded-researcher/self-assessment/",
    "/search/",
    "/feedback/thanks/",
]
PARAMETERS = ["q", "type", "page", "setting", "model", "region", "funding", "public_involvement",
              "theme", "start_year", "next", "feedback", "utm_source"]  # fmt: skip


@given(prefix=st.sampled_from(PREFIXES), segment=VALUES)
def test_any_path_answers_without_a_server_error(client, prefix, segment):
    response = client.get(prefix + quote(segment, safe="/"))
    assert response.status_code < 500


@given(
    prefix=st.sampled_from(PREFIXES),
    params=st.lists(st.tuples(st.sampled_from(PARAMETERS), VALUES), max_size=6),
)
def test_any_query_string_answers_without_a_server_error(client, prefix, params):
    response = client.get(f"{prefix}?{urlencode(params)}")
    assert response.status_code < 500


@given(
    path=VALUES,
    helpful=st.one_of(st.sampled_from(["yes", "no"]), VALUES),
    comment=st.one_of(ANY_TEXT, st.text(min_size=400, max_size=5000)),
    website=st.one_of(st.just(""), VALUES),
)
def test_any_feedback_answer_is_stored_or_explained(client, path, helpful, comment, website):
    # Each example is a new reader: without this, every answer after the tenth would
    # be the rate limit's 429 and the test would check nothing.
    RateLimitHit.objects.all().delete()
    before = Feedback.objects.count()
    data = {"path": path, "helpful": helpful, "comment": comment, "website": website}
    response = client.post("/feedback/", data)
    kept_comment = strip_unprintable(comment).strip()
    if helpful not in {"yes", "no"} or len(kept_comment) > 500:
        assert response.status_code == 400
        assert "There is a problem" in response.content.decode()
        assert Feedback.objects.count() == before
        return
    assert response.status_code == 302
    assert response["Location"].startswith("/feedback/thanks/?next=/")
    if strip_unprintable(website).strip():  # only a robot fills the hidden field in
        assert Feedback.objects.count() == before
        return
    answer = Feedback.objects.latest("pk")
    assert Feedback.objects.count() == before + 1
    assert (answer.helpful, answer.comment) == (helpful == "yes", kept_comment)
    assert answer.path.startswith("/") and not UNPRINTABLE.search(answer.path)


@given(
    target=st.sampled_from(
        ["/roles/embedded-researcher/build/", "/roles/embedded-researcher/self-assessment/"]
    ),
    fields=st.dictionaries(
        st.one_of(
            st.sampled_from(
                ["organisation", "job_title", "band", "hours", "host_team", "employer"]
            ),
            ANY_TEXT,
        ),
        VALUES,
        max_size=12,
    ),  # fmt: skip
)
def test_any_form_submission_to_the_role_tools_is_handled(client, target, fields):
    response = client.post(target, fields)
    assert response.status_code < 500
