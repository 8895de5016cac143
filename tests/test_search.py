"""Search: readers find guidance, the role and case studies by what they say.

These run on SQLite (FTS5) and PostgreSQL alike.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from casestudies.models import CaseStudy, Theme
from embedded.models import SearchEntry
from embedded.search import MAX_QUERY_LENGTH, clean_query, parse, search
from embedded.search_index import fill_an_empty_index, indexed_models
from guidance.models import Guide, GuidePart, RoleProfile
from tests.factories import make_case_study, make_guide, make_page, make_part

pytestmark = pytest.mark.django_db

RECRUITING = "/guidance/nhs-organisations/recruiting-employing-and-hosting/"
GUIDES = ["/guidance/nhs-organisations/", "/guidance/researchers/", "/guidance/public-involvement/"]


def urls(query, kind=None):
    results = search(query, kind=kind)
    return [result.page_url for result in results[0 : len(results)]]


def later(**delta):
    return timezone.now() + datetime.timedelta(**delta)


# Reading what the reader typed.


def test_words_are_all_required_and_each_is_quoted_for_fts5():
    query = parse("honorary contract")
    assert query.fts5() == '("honorary" AND "contract")'
    assert query.tsquery() == (
        "(((phraseto_tsquery('english', %s)) && (phraseto_tsquery('english', %s))))",
        ["honorary", "contract"],
    )


def test_quotes_make_a_phrase_and_an_unclosed_quote_runs_to_the_end():
    assert parse('"researcher in residence" funding').fts5() == (
        '("researcher in residence" AND "funding")'
    )
    assert parse('funding "researcher in residence').fts5() == (
        '("funding" AND "researcher in residence")'
    )


def test_or_offers_alternatives_and_a_minus_sign_leaves_words_out():
    query = parse("evaluation OR audit -charity")
    assert query.fts5() == '("evaluation") OR (("audit") NOT ("charity"))'


def test_common_words_and_punctuation_leave_nothing_to_search_for():
    for text in ["", "the and of", "?!* ()", "-research", '""', "or or", "-"]:
        assert not parse(text), text


def test_fts5_operators_typed_by_a_reader_are_searched_as_words():
    query = parse('NEAR(research* title:data) ^start col:"x" AND')
    fts5 = query.fts5()
    assert fts5 == '("NEAR research" AND "title data" AND "start" AND "col" AND "x")'
    assert "*" not in fts5 and ":" not in fts5 and "^" not in fts5


def test_a_query_is_cleaned_of_control_characters_and_cut_to_the_limit():
    assert clean_query("honorary\x00 contract\u200b\t\n") == ("honorary contract", False)
    assert clean_query("ｈｏｎｏｒａｒｙ") == ("honorary", False)
    text, truncated = clean_query("research " * 50)
    assert truncated and len(text) <= MAX_QUERY_LENGTH


# Finding the right thing.


@pytest.mark.parametrize(
    ("title", "body"),
    [("Quokka care", "Feeding and shelter."), ("Care", "Intro.\n\n## Quokka care\n\nFeeding.")],
)
def test_a_title_or_heading_match_outranks_a_body_match(title, body):
    notes = (
        "Notes on wildlife. " * 20 + "We saw a quokka, then another quokka, then a third quokka."
    )
    in_body = make_page(slug="wildlife-notes", title="Wildlife notes", body=notes)
    in_title = make_page(slug="quokka-care", title=title, body=body)
    assert urls("quokka") == [in_title.get_absolute_url(), in_body.get_absolute_url()]


def test_a_phrase_needs_its_words_together_and_in_order():
    together = make_page(slug="together", body="The zephyr lantern glowed.")
    apart = make_page(slug="apart", body="A lantern. Then a zephyr.")
    assert urls('"zephyr lantern"') == [together.get_absolute_url()]
    assert set(urls("zephyr lantern")) == {together.get_absolute_url(), apart.get_absolute_url()}


def test_a_word_after_a_minus_sign_leaves_out_what_has_it():
    kept = make_page(slug="lantern", body="A zephyr lantern.")
    make_page(slug="kettle", body="A zephyr kettle.")
    assert urls("zephyr -kettle") == [kept.get_absolute_url()]


def test_or_finds_what_has_either_word():
    lantern = make_page(slug="lantern", body="A zephyr lantern.")
    kettle = make_page(slug="kettle", body="A gusty kettle.")
    assert set(urls("lantern or kettle")) == {lantern.get_absolute_url(), kettle.get_absolute_url()}


def test_a_question_no_item_fully_answers_finds_items_with_some_of_its_words(client):
    results = search("honorary xylophone")
    assert results.any_word
    assert RECRUITING in [result.page_url for result in results[0 : len(results)]]
    html = client.get("/search/", {"q": "honorary xylophone"}).content.decode()
    assert "No page has every word; these match most of them." in html


def test_the_type_filter_shows_one_kind_and_counts_every_kind():
    results = search("honorary contract", kind="case-study")
    assert {result.kind for result in results[0 : len(results)]} == {"Case study"}
    assert len(results) == results.counts["Case study"] < results.total
    counts = {choice.kind.slug: choice.count for choice in results.kind_filters}
    assert counts["case-study"] == len(results) and counts["guide-part"] >= 2


def test_an_unknown_type_means_every_type():
    results = search("honorary contract", kind="<script>")
    assert results.kind is None
    assert len(results) == results.total > 0


# Only what is published, and at once.


def test_drafts_and_scheduled_content_never_appear():
    make_page(slug="draft", title="Zeppelin draft", status="draft")
    make_page(slug="scheduled", title="Zeppelin scheduled", published_at=later(days=1))
    hidden_guide = make_guide(slug="hidden", status="draft")
    make_part(hidden_guide, slug="zeppelin-part", title="Zeppelin part")
    scheduled_guide = make_guide(slug="soon", published_at=later(days=1))
    make_part(scheduled_guide, slug="zeppelin-part", title="Zeppelin part too")
    assert urls("zeppelin") == []


def test_scheduled_content_appears_once_its_time_comes(clock):
    page = make_page(slug="scheduled", title="Zeppelin timetable", published_at=later(hours=1))
    assert urls("zeppelin") == []
    clock.tick(datetime.timedelta(hours=2))
    assert urls("zeppelin") == [page.get_absolute_url()]


def test_an_edit_shows_in_search_at_once(client):
    part = GuidePart.objects.get(guide__slug="nhs-organisations", slug="choosing-a-model")
    assert urls("zeppelin") == []
    client.get("/search/", {"q": "zeppelin"})  # and a cached page must not linger
    part.body += "\n\nA zeppelin is not a model of embedded research.\n"
    part.save()
    assert urls("zeppelin") == [part.get_absolute_url()]
    assert part.get_absolute_url() in client.get("/search/", {"q": "zeppelin"}).content.decode()


def test_unpublishing_or_deleting_removes_an_item_at_once():
    part = GuidePart.objects.get(
        guide__slug="nhs-organisations", slug="recruiting-employing-and-hosting"
    )
    part.status = "draft"
    part.save()
    assert RECRUITING not in urls("honorary contract")
    study = CaseStudy.objects.get(slug="joint-clinical-academic-post-community-care")
    study.delete()
    assert urls("housebound") == []


def test_hiding_a_guide_hides_its_parts_and_moving_it_moves_their_addresses():
    guide = Guide.objects.get(slug="nhs-organisations")
    guide.status = "draft"
    guide.save()
    assert RECRUITING not in urls("honorary contract")
    guide.status, guide.slug = "published", "for-nhs-organisations"
    guide.save()
    assert "/guidance/for-nhs-organisations/recruiting-employing-and-hosting/" in urls(
        "honorary contract"
    )


def test_editing_a_competency_or_a_theme_updates_what_it_belongs_to():
    competency = RoleProfile.objects.get(slug="embedded-researcher").competencies.first()
    competency.description = "Can pilot a zeppelin."
    competency.save()
    assert urls("zeppelin") == ["/roles/embedded-researcher/"]
    study = make_case_study(slug="airships")
    study.themes.add(Theme.objects.create(name="Airship logistics", slug="airship-logistics"))
    assert urls("airship") == [study.get_absolute_url()]


def test_the_anchors_beside_headings_are_not_searched():
    assert urls('"link to the section"') == []


def test_the_index_can_be_rebuilt_from_the_content():
    before = set(SearchEntry.objects.values_list("key", "title", "url"))
    SearchEntry.objects.all().delete()
    assert urls("honorary contract") == []
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(SearchEntry.objects.values_list("key", "title", "url")) == before
    assert RECRUITING in urls("honorary contract")


def test_migrating_a_database_that_already_has_content_fills_an_empty_index():
    SearchEntry.objects.all().delete()
    embedded = apps.get_app_config("embedded")
    fill_an_empty_index(sender=embedded, app_config=embedded)
    assert RECRUITING in urls("honorary contract")


def test_the_index_holds_every_published_item_and_nothing_else():
    # Each kind's published() knows its own rule (a guide part needs its guide live, too).
    expected = sum(model.objects.published().count() for model in indexed_models())
    pages = SearchEntry.objects.filter(published_at__lte=timezone.now(), anchor="")
    assert pages.count() == expected


# Highlights.


def test_highlights_are_escaped_text_with_only_mark_tags(client):
    make_page(
        slug="markup",
        body="Type `<script>alert('quokka')</script>` & <b>quokka</b> into the quokka box.",
    )
    [result] = search("quokka")[0:10]
    assert "<mark>" in result.snippet
    assert set(re.findall(r"</?([a-z]+)", result.snippet)) == {"mark"}
    # Text that looks like markup is escaped (SQLite) or left out (PostgreSQL's
    # ts_headline drops what its parser reads as tags); it is never markup.
    assert "&amp;" in result.snippet
    assert "<script" not in result.snippet and "<b>" not in result.snippet
    html = client.get("/search/", {"q": "quokka"}).content.decode()
    assert "<script>alert" not in html


def test_a_result_without_a_match_in_its_body_shows_its_summary(client):
    page = make_page(slug="quokka", title="Quokka care", summary="All about quokkas.", body="Hay.")
    [result] = search("quokka")[0:10]
    assert result.snippet == ""
    assert page.summary in client.get("/search/", {"q": "quokka"}).content.decode()


# The search page.


def test_the_search_page_lists_results_with_their_count_type_and_snippet(client):
    response = client.get("/search/", {"q": "honorary contract"})
    html = response.content.decode()
    count = len(search("honorary contract"))
    assert count >= 3
    assert f"{count} results for ‘honorary contract’" in html
    assert f'<a href="{RECRUITING}#' in html
    assert "Guide part, from Hosting an embedded researcher" in html
    assert "<mark>honorary" in html


def test_the_search_page_keeps_the_query_in_the_search_boxes_and_is_not_indexed(client):
    response = client.get("/search/", {"q": "honorary contract"})
    html = response.content.decode()
    assert 'id="search-field" name="q" type="search"' in html
    assert html.count('value="honorary contract"') == 2
    assert '<meta name="robots" content="noindex' in html
    assert "public" in response["Cache-Control"]


def test_the_type_filter_links_keep_the_query_and_show_counts(client):
    html = client.get("/search/", {"q": "honorary contract"}).content.decode()
    studies = search("honorary contract").counts["Case study"]
    assert f'href="?q=honorary+contract&amp;type=case-study">Case studies ({studies})</a>' in html
    html = client.get("/search/", {"q": "honorary contract", "type": "case-study"}).content.decode()
    assert f"{studies} results for ‘honorary contract’ in case studies" in html
    assert f'<strong aria-current="true">Case studies ({studies})</strong>' in html
    assert RECRUITING not in html


def test_results_come_a_page_at_a_time_with_links_that_keep_the_search(client):
    total = len(search("research", kind="guide-part"))
    assert total > 10
    first = client.get("/search/", {"q": "research", "type": "guide-part"}).content.decode()
    assert 'href="?q=research&amp;type=guide-part&amp;page=2"' in first
    second = client.get("/search/", {"q": "research", "type": "guide-part", "page": "2"})
    assert f"Showing results 11 to {min(20, total)} of {total}." in second.content.decode()


def test_an_empty_search_explains_how_to_search_and_suggests_the_guides(client):
    html = client.get("/search/").content.decode()
    assert "<h1>Search</h1>" in html
    assert "Enter a word or a question" in html
    for url in GUIDES:
        assert f'href="{url}"' in html


def test_a_search_with_no_results_says_so_and_suggests_the_guides(client):
    html = client.get("/search/", {"q": "xylophone"}).content.decode()
    assert "No results for ‘xylophone’" in html
    for url in GUIDES:
        assert f'href="{url}"' in html


def test_a_search_of_only_punctuation_or_common_words_explains_why(client):
    html = client.get("/search/", {"q": "?! the"}).content.decode()
    assert "We could not search for ‘?! the’" in html


def test_a_long_search_is_cut_short_and_says_so(client):
    html = client.get("/search/", {"q": "research " * 60}).content.decode()
    assert "Your search was longer than 200 characters, so we searched for the first 200." in html
    assert (
        re.search(r'id="search-field"[^>]*value="([^"]*)"', html).group(1)
        == clean_query("research " * 60)[0]
    )


@pytest.mark.parametrize(
    "params",
    [
        {"q": "<script>alert(1)</script>"},
        {"q": "'; DROP TABLE embedded_searchentry; --"},
        {"q": '" OR 1=1 --'},
        {"q": "研究 исследование بحث"},
        {"q": "research\x00 contract"},
        {"q": "research", "page": "abc"},
        {"q": "research", "page": "0"},
        {"q": "research", "page": "-3"},
        {"q": "research", "page": "99999999999999999999999"},
        {"q": "research", "type": "<script>"},
        {"q": ["research", "contract"]},
        {"type": "case-study"},
    ],
)
def test_odd_or_hostile_searches_get_a_page_and_change_nothing(client, params):
    entries = SearchEntry.objects.count()
    response = client.get("/search/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert SearchEntry.objects.count() == entries


def test_the_search_page_only_answers_get(client):
    assert client.post("/search/", {"q": "research"}).status_code == 405


@pytest.mark.parametrize(
    "params", [{"q": "research"}, {"q": "research", "type": "guide-part", "page": "2"}]
)
def test_a_search_of_all_the_content_costs_two_queries(client, django_assert_num_queries, params):
    # One counts the results of each type; one fetches the page of them. (The synonyms
    # and best bets are read once per content version, by the first search.)
    search("research")
    with django_assert_num_queries(2):
        assert client.get("/search/", params).status_code == 200


def test_a_search_costs_two_queries_however_much_content_there_is(
    client, django_assert_num_queries
):
    guide = Guide.objects.get(slug="researchers")
    for number in range(30):
        make_part(guide, slug=f"extra-{number}", order=100 + number, body="More research.")
    search("research")
    with django_assert_num_queries(2):
        assert client.get("/search/", {"q": "research"}).status_code == 200


def test_what_is_indexed_is_searchable_with_nothing_left_pending():
    # A PostgreSQL GIN index with "fastupdate" keeps new rows in a pending list that
    # every search reads end to end until a vacuum: 10,000 new parts made each search
    # 20-30 ms slower (migration 0012). Nothing written may wait there.
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's FTS5 index has no pending list")
    make_page(slug="zeppelin", title="Zeppelin timetable", body="A zeppelin leaves at noon.")
    assert urls("zeppelin")
    with connection.cursor() as cursor:
        for index in ["embedded_searchentry_search_vector", "embedded_searchentry_head_vector"]:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            assert cursor.fetchone() == (0,), f"{index} had pages pending"


# Whatever is typed, never a 500.

ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
SEARCH_SYNTAX = st.lists(
    st.sampled_from(
        ['"', "-", "--", "or", "OR", "AND", "NOT", "NEAR", "(", ")", "*", ":", "^", "'", "\\",
         "%", "_", "research", "honorary", "\x00", "<mark>", "&amp;", "研究", "\u200b", "ﷺ"]
    ),
    max_size=40,
).map(" ".join)  # fmt: skip


@given(
    q=st.one_of(ANY_TEXT, SEARCH_SYNTAX),
    kind=st.one_of(st.none(), st.sampled_from(["guide-part", "case-study", "nope"]), ANY_TEXT),
    page=st.one_of(st.none(), st.integers().map(str), ANY_TEXT),
)
def test_any_search_gets_a_page_never_an_error(client, q, kind, page):
    params = {
        "q": q,
        **({"type": kind} if kind is not None else {}),
        **({"page": page} if page else {}),
    }
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert b"<script" not in response.content.split(b"</header>")[1]


@given(
    q=st.one_of(
        st.text(st.characters(categories=["C"]) | st.characters(), max_size=300), SEARCH_SYNTAX
    )
)
def test_any_text_searches_cleanly_and_every_result_is_safe(q):
    results = search(q)
    assert len(results.text) <= MAX_QUERY_LENGTH
    page = results[0:10]
    assert len(page) == min(10, len(results))
    for result in page:
        assert set(re.findall(r"<(/?\w+)", result.snippet)) <= {"mark", "/mark"}
