"""Search understands readers: synonyms, spelling, questions, sections, best bets and ranking.

These run on SQLite (FTS5) and PostgreSQL alike.
"""

import datetime
import importlib
import re

import pytest

from embedded import search as search_module
from embedded.models import BestBet, SearchEntry, SynonymGroup
from embedded.search import edits, lexicon, parse, search
from tests.factories import make_guide, make_page, make_part, publishable
from tests.leaflets.models import Leaflet

pytestmark = pytest.mark.django_db

ROLE = "/roles/embedded-researcher/"
CHOOSING = "/guidance/nhs-organisations/choosing-a-model/"


def urls(query, **options):
    results = search(query, **options)
    return [result.page_url for result in results[0 : len(results)]]


# Questions and synonyms.


def test_words_of_a_question_that_mean_nothing_here_are_left_out():
    assert parse("How do I find out what a quokka needs?").fts5() == '("quokka")'
    assert parse("can we get a quokka").fts5() == '("quokka")'


def test_an_abbreviation_finds_pages_that_spell_it_out():
    page = make_page(
        slug="involving", title="Involving people", body="Patient and public involvement."
    )
    assert page.get_absolute_url() in urls("PPI")


def test_a_synonym_added_in_the_admin_takes_effect_at_once(staff_client, settings):
    settings.EDITORIAL_SELF_APPROVAL = True  # the editor publishes it at once
    page = make_page(slug="quokkas", title="Marsupials", body="The quokka lives on Rottnest.")
    assert urls("setonix") == []
    response = staff_client.post(
        "/admin/embedded/synonymgroup/add/",
        {
            "title": "Quokka",
            "slug": "quokka",
            "summary": "Words readers use for the quokka.",
            "terms": "quokka\nSetonix",
            "body": "",
            "status": "published",
            "last_reviewed": "26/11/2026",
            "_publish": "Publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert urls("setonix") == [page.get_absolute_url()]
    group = SynonymGroup.objects.get(slug="quokka")
    group.status = "draft"
    group.save()
    assert urls("setonix") == []


def test_a_shipped_synonym_group_widens_a_run_of_words_to_every_form():
    synonyms = lexicon().synonyms
    fts5 = parse("how do we fund a researcher in residence", synonyms).fts5()
    assert '"RiR"' in fts5 and '"researcher in residence"' in fts5.lower()
    # Quotes mean exactly these words: no synonyms.
    assert parse('"researcher in residence"', synonyms).fts5() == '("researcher in residence")'


def test_the_words_as_typed_outrank_their_synonyms():
    SynonymGroup.objects.create(
        **publishable(slug="quokka", title="Quokka", summary="Quokka.", terms="quokka\nSetonix")
    )
    setonix = make_page(slug="setonix", title="Setonix facts", body="Facts.")
    quokka = make_page(slug="quokka", title="Quokka facts", body="Facts.")
    assert urls("setonix facts") == [setonix.get_absolute_url(), quokka.get_absolute_url()]
    assert urls("quokka facts") == [quokka.get_absolute_url(), setonix.get_absolute_url()]


# Spelling.


def test_edit_distance_counts_a_swap_as_one():
    assert edits("reserach", "research") == 1
    assert edits("residense", "residence") == 1
    assert edits("quokka", "quokka") == 0


def test_a_misspelt_search_shows_the_results_for_the_site_s_spelling(client):
    results = search("reseacher in residense")
    assert results.searched_for == "researcher in residence"
    assert CHOOSING in [result.page_url for result in results[0:3]]
    html = client.get("/search/", {"q": "reseacher in residense"}).content.decode()
    assert "Showing results for ‘researcher in residence’." in html
    assert 'href="?q=reseacher+in+residense&amp;exact=1">Search instead for' in html


def test_searching_for_exactly_what_was_typed_offers_the_spelling_instead(client):
    results = search("reseacher in residense", exact=True)
    assert results.searched_for == "" and results.did_you_mean == "researcher in residence"
    html = client.get("/search/", {"q": "reseacher in residense", "exact": "1"}).content.decode()
    assert 'Did you mean <a href="?q=researcher+in+residence">researcher in residence</a>?' in html


def test_a_word_two_letters_off_is_offered_not_assumed(client):
    page = make_page(slug="quokkas", title="Quokka care", body="Feeding the quokka.")
    assert search("quoka").searched_for == "quokka"  # one letter out: its results at once
    results = search("qquoka")  # two letters out: only offered
    assert results.did_you_mean == "quokka" and len(results) == 0
    html = client.get("/search/", {"q": "qquoka"}).content.decode()
    assert "No results for ‘qquoka’" in html
    assert 'Did you mean <a href="?q=quokka">quokka</a>?' in html
    assert urls("quokka") == [page.get_absolute_url()]
    assert search("zqxjv").did_you_mean == ""  # nothing like it: nothing offered


def test_a_suggestion_is_only_looked_for_when_results_are_few(django_assert_max_num_queries):
    search("research")
    with django_assert_max_num_queries(1):  # the counts and nothing else: no vocabulary
        results = search("research")
    assert results.did_you_mean == "" and len(results) > 3


def test_past_the_count_limit_the_page_says_more_than(client, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_LIMIT", 3)
    html = client.get("/search/", {"q": "research"}).content.decode()
    assert "More than 3 results for ‘research’" in html


# Partial matches.


def test_when_no_page_has_every_word_the_pages_with_most_of_them_come_first(client):
    most = make_page(slug="most", title="Zephyr lantern", body="A zephyr lantern.")
    some = make_page(slug="some", title="Lantern", body="A lantern.")
    results = search("zephyr lantern kettle")
    assert results.any_word
    found = [result.page_url for result in results[0:10]]
    assert found.index(most.get_absolute_url()) < found.index(some.get_absolute_url())
    html = client.get("/search/", {"q": "zephyr lantern kettle"}).content.decode()
    assert "No page has every word; these match most of them." in html


# Sections.


def test_a_result_links_to_its_best_section_and_shows_that_section_s_words(client):
    guide = make_guide(slug="zoo")
    body = (
        "Introduction.\n\n## Feeding\n\nHay and water.\n\n"
        "## Paying the keepers fairly\n\nKeepers get a quokka allowance.\n"
    )
    part = make_part(guide, slug="keepers", title="Keepers", body=body)
    [result] = search("quokka allowance")[0:10]
    assert result.url == part.get_absolute_url() + "#paying-the-keepers-fairly"
    assert result.section == "Paying the keepers fairly"
    assert "<mark>quokka</mark>" in result.snippet and "Hay" not in result.snippet
    html = client.get("/search/", {"q": "quokka allowance"}).content.decode()
    assert f'href="{result.url}">Keepers: Paying the keepers fairly</a>' in html


def test_a_page_appears_once_however_many_of_its_sections_match():
    guide = make_guide(slug="zoo")
    body = "\n\n".join(f"## Quokka {n}\n\nA quokka, number {n}." for n in range(5))
    part = make_part(guide, slug="quokkas", title="Quokkas", body=body)
    found = urls("quokka")
    assert found == [part.get_absolute_url()]
    assert SearchEntry.objects.filter(page_key=f"guidance.guidepart:{part.pk}").count() == 6


@pytest.mark.parametrize(
    "question", ["paying people fairly", "honorary contract", "data protection", "PPI"]
)
def test_section_links_land_on_a_heading_of_the_page(client, question):
    results = search(question)
    linked = [result for result in results[0:10] if "#" in result.url]
    assert linked, question
    for result in linked:
        page, anchor = result.url.split("#")
        html = client.get(page).content.decode()
        assert re.search(rf'<h[23][^>]* id="{re.escape(anchor)}"', html), result.url


# Best bets.


def test_a_best_bet_comes_first_and_only_once():
    BestBet.objects.create(query="job description", url=ROLE)
    found = urls("What is a job description?")
    assert found[0] == ROLE and found.count(ROLE) == 1
    assert search("job description")[0:1][0].best_bet


def test_a_best_bet_counts_in_the_kind_it_belongs_to():
    BestBet.objects.create(query="quokka", url=ROLE)
    results = search("quokka")
    assert len(results) == 1 and results.counts == {"Role profile": 1}
    assert search("quokka", kind="case-study")[0:10] == []


def test_an_editor_can_pin_only_a_published_page(staff_client):
    response = staff_client.post("/admin/embedded/bestbet/add/", {"query": "x", "url": "/nope/"})
    html = response.content.decode()
    assert "No published page has this address." in html
    response = staff_client.post("/admin/embedded/bestbet/add/", {"query": "the", "url": ROLE})
    assert "Give at least one word that is not a common word" in response.content.decode()
    response = staff_client.post("/admin/embedded/bestbet/add/", {"query": "JD", "url": ROLE})
    assert response.status_code == 302
    assert urls("jd")[0] == ROLE


# Ranking.


def test_references_rank_last_unless_a_citation_is_sought():
    guide = make_guide(slug="zoo")
    part = make_part(guide, slug="keepers", title="Keepers", body="A quokka study from 2014.")
    part.title = "Quokka study"
    part.save()
    references = make_part(
        guide, slug="references", order=2, title="Quokka study 2014", body="Smith, 2014."
    )
    assert urls("quokka study") == [part.get_absolute_url(), references.get_absolute_url()]
    assert urls("quokka study 2014")[0] == references.get_absolute_url()


def test_guide_parts_outrank_pages_and_glossary_terms_for_the_same_words():
    page = make_page(slug="quokka", title="Quokka", body="Quokka.")
    part = make_part(make_guide(slug="zoo"), slug="quokka", title="Quokka", body="Quokka.")
    assert urls("quokka") == [part.get_absolute_url(), page.get_absolute_url()]


def test_when_content_was_reviewed_or_published_does_not_change_its_rank():
    old = make_page(
        slug="a-old",
        title="Quokka",
        body="Quokka.",
        published_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        last_reviewed=datetime.date(2020, 1, 1),
    )
    new = make_page(slug="b-new", title="Quokka", body="Quokka.")
    assert urls("quokka") == [old.get_absolute_url(), new.get_absolute_url()]


# What is searched: only what a kind declares.


def test_a_field_a_kind_does_not_declare_is_never_searched():
    leaflet = Leaflet.objects.create(
        **publishable(
            slug="quokka-leaflet",
            title="A leaflet",
            audience="Quokka keepers",
            editor_note="Zanzibar: check the wording.",
        )
    )
    assert urls("quokka") == [leaflet.get_absolute_url()]  # audience is declared
    assert urls("zanzibar") == []  # the editor's note is not


def test_sqlite_without_fts5_stops_migrate_with_a_clear_message(monkeypatch):
    migration = importlib.import_module(
        "embedded.migrations.0010_search_sections_synonyms_best_bets"
    )
    monkeypatch.setattr(migration, "sqlite_has_fts5", lambda: False)

    class SQLiteEditor:
        connection = type("Connection", (), {"vendor": "sqlite"})()

    with pytest.raises(RuntimeError, match="This SQLite has no FTS5 full-text search"):
        migration.create_index(None, SQLiteEditor())
