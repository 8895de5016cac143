"""Case studies as readers see them: the filterable list, each case study, drafts and previews."""

import datetime
import pickle
import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from casestudies.models import CaseStudy, Theme
from embedded.content import ContentError, load
from tests.factories import make_case_study, make_guide, make_part

pytestmark = pytest.mark.django_db

LIST = "/case-studies/"


def text(html):
    """What a screen reader announces for a fragment: the text, tags removed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def options(html, param):
    """{value: label} of one facet's checkboxes, e.g. {"london": "London (2 case studies)"}."""
    labels = re.findall(r'class="[^"]*nhsuk-checkboxes__label" for="([^"]+)">(.*?)</label>', html)
    return {
        for_id.removeprefix(f"{param}-"): text(label)
        for for_id, label in labels
        if for_id.startswith(f"{param}-")
    }


def ticked(html):
    return set(re.findall(r'<input [^>]*id="([^"]+)"[^>]*\bchecked>', html))


def card_titles(html):
    return [
        unescape(t) for t in re.findall(r'class="nhsuk-card__link" href="[^"]+">([^<]+)<', html)
    ]


def remove_links(html):
    """{link text: href} of the selected-filter links."""
    links = re.findall(r'<a href="([^"]*)">(Remove filter: [^<]*)</a>', html)
    return {unescape(label): unescape(href) for href, label in links}


def results_heading(html):
    return text(re.search(r'<h2 [^>]*id="results-heading">(.*?)</h2>', html).group(1))


def at_a_glance(html):
    rows = re.findall(
        r'<dt class="nhsuk-summary-list__key">(.*?)</dt>\s*'
        r'<dd class="nhsuk-summary-list__value">(.*?)</dd>',
        html,
        re.S,
    )
    return {text(key): text(value) for key, value in rows}


def with_themes(study, *names):
    study.themes.set(
        [Theme.objects.get_or_create(slug=slugify(n), defaults={"name": n})[0] for n in names]
    )
    return study


@pytest.fixture
def studies():
    """Four published case studies, and nothing else live (the shipped ones become drafts)."""
    CaseStudy.objects.update(status="draft")
    facets = [
        ("alpha", "acute-trust", "researcher-in-residence", "london", 2019, "joint", "none"),
        ("bravo", "acute-trust", "embedded-team", "north-west", 2020, "university", "projects"),
        ("charlie", "mental-health-trust", "researcher-in-residence", "north-west", 2020,
         "charity", "scheme"),
        ("delta", "local-authority-public-health", "research-practitioner", "london", 2021,
         "host-organisation", "none"),
    ]  # fmt: skip
    themes = {
        "alpha": ["Evaluation"],
        "bravo": ["Evaluation", "Workforce"],
        "charlie": ["Mental health"],
        "delta": ["Public health"],
    }
    fields = ["setting", "embedding_model", "region", "start_year", "funding", "public_involvement"]
    made = {}
    for slug, *values in facets:
        study = make_case_study(
            slug, title=slug.capitalize(), **dict(zip(fields, values, strict=True))
        )
        made[slug] = with_themes(study, *themes[slug])
    return made


# The list and its filters


def test_the_list_shows_every_published_case_study_as_a_card_with_its_key_facts(client):
    html = client.get(LIST).content.decode()
    published = CaseStudy.objects.published()
    assert results_heading(html).startswith(f"{published.count()} case studies")
    assert card_titles(html) == [study.title for study in published.order_by("title")][:10]
    card = html[html.index("A researcher in residence in a hospital&#x27;s discharge team") :]
    facts = re.search(r'<ul class="card-tags" aria-label="Key facts">(.*?)</ul>', card).group(1)
    assert re.findall(r">([^<>]+)</strong>", facts) == [
        "Acute trust",
        "Researcher in residence",
        "London",
        "Started 2018",
    ]


def test_every_facet_is_a_fieldset_of_checkboxes_in_one_form_that_works_without_javascript(
    client, studies
):
    html = client.get(LIST).content.decode()
    form = re.search(
        r'<form class="filters" action="/case-studies/" method="get".*?</form>', html, re.S
    )
    legends = re.findall(
        r'<legend class="nhsuk-fieldset__legend[^"]*">([^<]+)</legend>', form.group(0)
    )
    assert legends == [
        "Setting",
        "Model of embedding",
        "Region",
        "Funded by",
        "Public involvement",
        "Theme",
        "Year started",
    ]
    assert form.group(0).count('type="checkbox"') == 3 + 3 + 2 + 4 + 3 + 4 + 3
    assert '<button class="nhsuk-button" type="submit">Apply filters</button>' in form.group(0)


def test_each_option_shows_how_many_case_studies_it_would_find(client, studies):
    html = client.get(LIST).content.decode()
    assert options(html, "setting") == {
        "acute-trust": "Acute trust (2 case studies)",
        "mental-health-trust": "Mental health trust (1 case study)",
        "local-authority-public-health": "Local authority public health (1 case study)",
    }
    assert options(html, "theme") == {
        "evaluation": "Evaluation (2 case studies)",
        "mental-health": "Mental health (1 case study)",
        "public-health": "Public health (1 case study)",
        "workforce": "Workforce (1 case study)",
    }
    assert options(html, "start_year") == {
        "2019": "2019 (1 case study)",
        "2020": "2020 (2 case studies)",
        "2021": "2021 (1 case study)",
    }
    assert options(html, "public_involvement") == {
        "scheme": "In the scheme as a whole (1 case study)",
        "projects": "In individual projects (1 case study)",
        "none": "None yet (2 case studies)",
    }
    assert "wales" not in options(html, "region"), "a value no case study has is not offered"


def test_ticking_options_in_one_facet_shows_case_studies_with_any_of_them(client, studies):
    html = client.get(LIST, {"setting": ["acute-trust", "mental-health-trust"]}).content.decode()
    assert card_titles(html) == ["Alpha", "Bravo", "Charlie"]
    assert results_heading(html) == "3 case studies"
    assert {"setting-acute-trust", "setting-mental-health-trust"} == ticked(html)


def test_ticking_options_in_different_facets_shows_case_studies_with_all_of_them(client, studies):
    html = client.get(LIST, {"setting": "acute-trust", "region": "north-west"}).content.decode()
    assert card_titles(html) == ["Bravo"]
    assert results_heading(html) == "1 case study"


def test_a_count_is_what_the_results_would_be_with_that_option_added(client, studies):
    html = client.get(LIST, {"setting": "acute-trust", "region": "north-west"}).content.decode()
    assert card_titles(html) == ["Bravo"]
    # Within the ticked setting group, a count is the union: Bravo, plus Charlie if added.
    assert options(html, "setting") == {
        "acute-trust": "Acute trust (1 case study)",
        "mental-health-trust": "Mental health trust (2 case studies)",
        "local-authority-public-health": "Local authority public health (1 case study)",
    }
    assert options(html, "region") == {
        "london": "London (2 case studies)",
        "north-west": "North West (1 case study)",
    }
    # In a group with nothing ticked, an option narrows: Bravo is not a research practitioner.
    assert options(html, "model") == {
        "researcher-in-residence": "Researcher in residence (0 case studies)",
        "embedded-team": "Embedded research or evaluation team (1 case study)",
        "research-practitioner": "Research practitioner (0 case studies)",
    }


def test_a_count_in_a_group_of_several_values_counts_each_case_study_once(client, studies):
    # Bravo has both Evaluation and Workforce: adding Workforce to Evaluation adds nobody.
    html = client.get(LIST, {"theme": "evaluation"}).content.decode()
    assert card_titles(html) == ["Alpha", "Bravo"]
    assert options(html, "theme") == {
        "evaluation": "Evaluation (2 case studies)",
        "mental-health": "Mental health (3 case studies)",
        "public-health": "Public health (3 case studies)",
        "workforce": "Workforce (2 case studies)",
    }
    html = client.get(LIST, {"theme": ["evaluation", "mental-health"]}).content.decode()
    assert card_titles(html) == ["Alpha", "Bravo", "Charlie"]
    assert results_heading(html) == "3 case studies"


def checkbox(html, for_id):
    return re.search(rf'<input [^>]*id="{for_id}"[^>]*>', html).group(0)


def test_an_option_that_would_show_nothing_is_disabled_but_a_ticked_one_never_is(client, studies):
    html = client.get(LIST, {"setting": "mental-health-trust", "region": "london"}).content.decode()
    assert results_heading(html) == "0 case studies"
    # Nothing London-based is funded by a charity, and nothing here is a research practitioner.
    assert " disabled" in checkbox(html, "model-embedded-team")
    assert " disabled" in checkbox(html, "funding-charity")
    assert " disabled" not in checkbox(html, "setting-acute-trust")  # Alpha, in London
    # The ticked options can still be unticked, though they show nothing together.
    assert " disabled" not in checkbox(html, "setting-mental-health-trust")
    assert " disabled" not in checkbox(html, "region-london")
    assert options(html, "region")["north-west"] == "North West (1 case study)"


def test_with_nothing_ticked_no_option_is_disabled(client, studies):
    html = client.get(LIST).content.decode()
    assert "disabled" not in html


def test_filter_labels_read_as_answers_to_their_question(client, studies):
    html = client.get(LIST).content.decode()
    assert options(html, "funding")["joint"] == "The host and a university together (1 case study)"
    assert options(html, "public_involvement")["none"] == "None yet (2 case studies)"
    assert ">Jointly<" not in html and "Not yet" not in html


def test_the_count_and_selected_filters_come_before_the_filter_groups(client, studies):
    html = client.get(LIST, {"region": "london"}).content.decode()
    count = html.index('id="results-heading"')
    selected = html.index("Remove filter: London (region)")
    skip = html.index('<a class="skip-filters" href="#results">Skip to results</a>')
    form = html.index('<form class="filters"')
    first_card = html.index('class="nhsuk-card__link"')
    assert count < selected < skip < form < first_card
    assert 'id="results" tabindex="-1"' in html


def filter_groups(html):
    """{legend: open?} of the filter groups, each a <details>."""
    groups = re.findall(
        r'<details class="nhsuk-details filter-group" data-filter-group( open)?>\s*'
        r'<summary class="nhsuk-details__summary">\s*'
        r'<span class="nhsuk-details__summary-text">([^<]+)',
        html,
    )
    return {legend.strip(): bool(opened) for opened, legend in groups}


def test_each_filter_group_is_a_details_open_only_when_something_in_it_is_ticked(client, studies):
    assert set(filter_groups(client.get(LIST).content.decode()).values()) == {False}
    html = client.get(LIST, {"region": "london", "theme": "evaluation"}).content.decode()
    assert filter_groups(html) == {
        "Setting": False,
        "Model of embedding": False,
        "Region": True,
        "Funded by": False,
        "Public involvement": False,
        "Theme": True,
        "Year started": False,
    }
    assert "(1 selected)" in html


def test_filtering_by_theme_and_by_year(client, studies):
    html = client.get(LIST, {"theme": "evaluation"}).content.decode()
    assert card_titles(html) == ["Alpha", "Bravo"]
    html = client.get(LIST, {"start_year": ["2020", "2021"]}).content.decode()
    assert card_titles(html) == ["Bravo", "Charlie", "Delta"]
    html = client.get(LIST, {"theme": "evaluation", "start_year": "2020"}).content.decode()
    assert card_titles(html) == ["Bravo"]
    assert options(html, "theme")["workforce"] == "Workforce (1 case study)"


def test_each_selected_filter_has_a_link_that_removes_only_that_filter(client, studies):
    query = {"setting": ["acute-trust", "mental-health-trust"], "theme": "evaluation"}
    html = client.get(LIST, query).content.decode()
    links = {label: href.removeprefix(LIST) for label, href in remove_links(html).items()}
    assert links == {
        "Remove filter: Acute trust (setting)": "?setting=mental-health-trust&theme=evaluation",
        "Remove filter: Mental health trust (setting)": "?setting=acute-trust&theme=evaluation",
        "Remove filter: Evaluation (theme)": "?setting=acute-trust&setting=mental-health-trust",
    }
    assert '<a href="/case-studies/">Clear all filters</a>' in html
    after = client.get(
        "/case-studies/?setting=mental-health-trust&theme=evaluation"
    ).content.decode()
    assert ticked(after) == {"setting-mental-health-trust", "theme-evaluation"}


def test_removing_the_last_filter_goes_back_to_the_whole_list(client, studies):
    html = client.get(LIST, {"region": "london"}).content.decode()
    assert remove_links(html) == {"Remove filter: London (region)": "/case-studies/"}


def test_without_filters_there_is_nothing_to_remove_or_clear(client, studies):
    html = client.get(LIST).content.decode()
    assert remove_links(html) == {}
    assert "Clear all filters" not in html
    assert ticked(html) == set()


def test_no_matches_says_so_and_offers_a_way_back(client, studies):
    html = client.get(LIST, {"setting": "mental-health-trust", "region": "london"}).content.decode()
    assert results_heading(html) == "0 case studies"
    assert card_titles(html) == []
    assert "No case studies match all of these filters." in html
    assert '<a href="/case-studies/">clear all filters</a>' in html


def test_a_filtered_list_is_kept_out_of_search_engines_but_the_plain_list_is_not(client, studies):
    robots = '<meta name="robots" content="noindex, nofollow">'
    assert robots in client.get(LIST, {"region": "london"}).content.decode()
    assert robots not in client.get(LIST).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "setting=nope",
        "start_year=x",
        "start_year=1850",
        "region=wales",
        "theme=" + "a" * 5000,
        "model=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "public_involvement=none%00",
    ],
)
def test_an_unrecognised_filter_value_is_ignored_and_the_page_says_so(client, studies, query):
    response = client.get(f"{LIST}?{query}")
    html = response.content.decode()
    assert response.status_code == 200
    assert card_titles(html) == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert "Some filters in the web address were not recognised" in html
    assert remove_links(html) == {}
    assert "<script>alert" not in html


def test_a_recognised_value_still_applies_beside_an_unrecognised_one(client, studies):
    html = client.get(f"{LIST}?setting=nope&setting=mental-health-trust").content.decode()
    assert card_titles(html) == ["Charlie"]
    assert "Some filters in the web address were not recognised" in html
    assert list(remove_links(html)) == ["Remove filter: Mental health trust (setting)"]


def test_a_repeated_value_counts_once_and_needs_no_explanation(client, studies):
    html = client.get(f"{LIST}?region=london&region=london&utm_source=newsletter").content.decode()
    assert card_titles(html) == ["Alpha", "Delta"]
    assert remove_links(html) == {"Remove filter: London (region)": "/case-studies/"}
    assert "not recognised" not in html


# Drafts and scheduled case studies


def test_drafts_and_scheduled_case_studies_are_left_out_of_the_list_and_its_counts(client, studies):
    later = timezone.now() + datetime.timedelta(days=3)
    with_themes(make_case_study("draft", title="Secret draft", status="draft"), "Secret theme")
    make_case_study("soon", title="Coming soon", published_at=later, region="wales")
    make_case_study("also-soon", title="Also soon", published_at=later, setting="acute-trust")
    html = client.get(LIST).content.decode()
    assert card_titles(html) == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert "secret-theme" not in options(html, "theme")
    assert "wales" not in options(html, "region")
    assert options(html, "setting")["acute-trust"] == "Acute trust (2 case studies)"
    assert results_heading(html) == "4 case studies"


def test_drafts_and_scheduled_case_studies_are_hidden_from_the_public(client):
    make_case_study("secret-draft", status="draft")
    make_case_study("coming-soon", published_at=timezone.now() + datetime.timedelta(days=3))
    assert client.get("/case-studies/secret-draft/").status_code == 404
    assert client.get("/case-studies/coming-soon/").status_code == 404


@pytest.mark.parametrize(
    "status, days_ahead, banner",
    [
        ("draft", -1, "This is a draft. Only editors can see it."),
        ("published", 3, "This is scheduled for"),
    ],
)
def test_staff_preview_a_hidden_case_study_with_a_banner_and_nothing_caches_it(
    staff_client, status, days_ahead, banner
):
    published_at = timezone.now() + datetime.timedelta(days=days_ahead)
    make_case_study("preview-me", title="Preview me", status=status, published_at=published_at)
    response = staff_client.get("/case-studies/preview-me/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Preview me</h1>" in html
    assert "Preview: not published" in html and banner in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_published_case_study_shows_no_preview_banner(client, studies):
    html = client.get("/case-studies/alpha/").content.decode()
    assert "Preview: not published" not in html
    assert "noindex" not in html


# Pagination


@pytest.fixture
def many_studies(studies):
    """25 more live case studies in integrated care boards, each with two themes."""
    for number in range(1, 26):
        study = make_case_study(
            f"icb-{number:02}",
            title=f"ICB study {number:02}",
            setting="integrated-care-board",
            start_year=2015 + number % 5,
        )
        with_themes(study, "Integrated care", f"Topic {number % 3}")


def test_results_come_ten_to_a_page_and_the_page_links_keep_the_filters(client, many_studies):
    html = client.get(LIST, {"setting": "integrated-care-board"}).content.decode()
    assert results_heading(html) == "25 case studies, page 1 of 3"
    assert card_titles(html) == [f"ICB study {n:02}" for n in range(1, 11)]
    assert 'href="?setting=integrated-care-board&amp;page=2" rel="next"' in html
    html = client.get(LIST, {"setting": "integrated-care-board", "page": "3"}).content.decode()
    assert card_titles(html) == [f"ICB study {n:02}" for n in range(21, 26)]
    assert 'href="?setting=integrated-care-board&amp;page=2" rel="prev"' in html
    assert 'rel="next"' not in html


def test_the_page_links_of_the_whole_list_carry_no_filters(client, many_studies):
    html = client.get(LIST).content.decode()
    assert results_heading(html) == "29 case studies, page 1 of 3"
    assert 'href="?page=2" rel="next"' in html


def test_a_short_list_has_no_page_links(client, studies):
    html = client.get(LIST).content.decode()
    assert 'rel="next"' not in html and 'rel="prev"' not in html
    assert results_heading(html) == "4 case studies"


@pytest.mark.parametrize(
    "page, shown",
    [
        ("abc", 1),
        ("", 1),
        ("1.5", 1),
        ("9" * 5000, 1),
        ("999", 3),
        ("0", 3),
        ("-1", 3),
    ],
)
def test_a_page_number_that_is_not_a_number_shows_the_first_page_and_one_past_the_end_the_last(
    client, many_studies, page, shown
):
    response = client.get(LIST, {"setting": "integrated-care-board", "page": page})
    assert response.status_code == 200
    assert results_heading(response.content.decode()) == f"25 case studies, page {shown} of 3"


# Query counts


@pytest.fixture
def thirty_more():
    for number in range(30):
        study = make_case_study(
            f"extra-{number:02}",
            setting=["acute-trust", "mental-health-trust"][number % 2],
            start_year=2010 + number % 10,
        )
        with_themes(study, "Evaluation", f"Extra theme {number % 4}")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"setting": "acute-trust", "theme": ["evaluation", "extra-theme-1"], "start_year": "2012"},
        {"region": "london", "funding": "joint", "model": "researcher-in-residence", "page": "2"},
    ],
)
def test_the_list_costs_three_queries_however_many_case_studies_and_filters(
    client, django_assert_num_queries, thirty_more, query
):
    # facet values, themes, the case studies on the page
    with django_assert_num_queries(3):
        assert client.get(LIST, query).status_code == 200


@pytest.mark.parametrize("extra_themes", [0, 20])
@pytest.mark.parametrize("came_from", ["", "setting=acute-trust&theme=evaluation"])
def test_a_case_study_costs_six_queries(
    client, django_assert_num_queries, thirty_more, extra_themes, came_from
):
    study = make_case_study("counted")
    with_themes(study, "Evaluation", *[f"Theme {n}" for n in range(extra_themes)])
    guide = make_guide("counted-guide")
    study.related_parts.set([make_part(guide, f"part-{n}", order=n) for n in range(5)])
    # the case study, its themes, its related guidance, and the facets and themes of every
    # published case study (to check the list it came from and to suggest similar ones),
    # and its change notes
    with django_assert_num_queries(6):
        response = client.get("/case-studies/counted/", {"from": came_from} if came_from else {})
        assert response.status_code == 200
    assert "Similar case studies" in response.content.decode()


# One case study


def test_a_case_study_shows_its_caption_title_summary_and_body(client):
    study = make_case_study("shown", title="A well told story", summary="What happened, briefly.")
    html = client.get(study.get_absolute_url()).content.decode()
    assert '<span class="nhsuk-caption-l">Case study</span>' in html
    assert "<h1>A well told story</h1>" in html
    assert '<p class="nhsuk-lede-text">What happened, briefly.</p>' in html
    assert 'id="first-section"' in html and "More words." in html
    assert "Page last reviewed: 26 November 2026" in html


def test_a_case_study_says_it_is_an_illustrative_composite_with_fictional_names(client):
    html = client.get(make_case_study("composite").get_absolute_url()).content.decode()
    notice = re.search(r'<div class="nhsuk-inset-text">(.*?)</div>', html, re.S).group(1)
    assert "illustrative composite" in text(notice)
    assert "fictional" in text(notice)


def test_at_a_glance_lists_every_facet_in_plain_words(client):
    study = make_case_study(
        "glance",
        setting="local-authority-public-health",
        embedding_model="joint-post",
        region="north-east-and-yorkshire",
        start_year=2019,
        duration_months=30,
        funding="research-funder",
        public_involvement="scheme",
        outcome="The council kept the post.",
    )
    with_themes(study, "Workforce", "Evaluation")
    html = client.get(study.get_absolute_url()).content.decode()
    assert '<h2 id="at-a-glance">At a glance</h2>' in html
    assert at_a_glance(html) == {
        "Setting": "Local authority public health",
        "Model of embedding": "Joint post",
        "Region": "North East and Yorkshire",
        "Started": "2019",
        "Duration": "2 years and 6 months",
        "Funded by": "A research funder",
        "Public involvement": "In the scheme itself",
        "Themes": "Evaluation, Workforce",
        "Outcome": "The council kept the post.",
    }


def test_a_facet_option_is_named_after_the_value_it_stores_and_pickles_as_itself():
    """Each facet is one table of value → label (`embedded.models.text_choices`)."""
    option = CaseStudy.Setting.LOCAL_AUTHORITY_PUBLIC_HEALTH
    assert (option.value, option.label) == (
        "local-authority-public-health",
        "Local authority public health",
    )
    assert pickle.loads(pickle.dumps(option)) is option  # noqa: S301 (bytes made just now)


def test_key_lessons_are_a_list_one_per_line(client):
    study = make_case_study("lessons", key_lessons="Agree the role early.\n\n  Find a sponsor.  \n")
    html = client.get(study.get_absolute_url()).content.decode()
    lessons = html[html.index('<h2 id="key-lessons">Key lessons</h2>') :]
    items = re.search(r"<ul [^>]*>(.*?)</ul>", lessons, re.S).group(1)
    assert re.findall(r"<li>([^<]+)</li>", items) == ["Agree the role early.", "Find a sponsor."]


def test_the_contents_list_covers_the_glance_the_body_the_lessons_and_the_guidance(client):
    study = make_case_study("contents")  # similar to shipped ones in an acute trust
    study.related_parts.set([make_part(make_guide("contents-guide"), "a-part")])
    html = client.get(study.get_absolute_url()).content.decode()
    nav = re.search(r'<details class="nhsuk-details on-page-contents.*?</details>', html, re.S)[0]
    assert re.findall(r'<a href="(#[^"]+)">', nav) == [
        "#at-a-glance",
        "#first-section",
        "#second-section",
        "#key-lessons",
        "#similar-case-studies",
        "#related-guidance",
    ]


def test_related_guidance_links_only_to_parts_the_public_can_read(client):
    live_guide = make_guide("live-guide", title="Live guide")
    draft_guide = make_guide("draft-guide", status="draft")
    study = make_case_study("related")
    study.related_parts.set(
        [
            make_part(live_guide, "readable", title="A readable part"),
            make_part(live_guide, "unfinished", title="An unfinished part", status="draft"),
            make_part(draft_guide, "in-a-draft-guide", title="A part of a draft guide"),
        ]
    )
    html = client.get(study.get_absolute_url()).content.decode()
    related = re.search(r'<aside class="related".*?</aside>', html, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', related) == [
        ("/guidance/live-guide/readable/", "A readable part")
    ]
    assert "Live guide" in related
    assert "unfinished" not in html and "draft-guide" not in html


def test_staff_previewing_a_case_study_also_see_its_unpublished_guidance(staff_client):
    study = make_case_study("related")
    study.related_parts.set([make_part(make_guide("g"), "unfinished", status="draft")])
    html = staff_client.get(study.get_absolute_url()).content.decode()
    assert 'href="/guidance/g/unfinished/"' in html


def test_a_case_study_without_related_guidance_has_no_empty_section(client):
    html = client.get(make_case_study("alone").get_absolute_url()).content.decode()
    assert "Related guidance" not in html


def test_the_list_and_case_studies_are_cached_for_anonymous_readers(client, studies):
    for url in [LIST, f"{LIST}?region=london", "/case-studies/alpha/"]:
        assert "public" in client.get(url)["Cache-Control"]


# The shipped case studies


SHIPPED = sorted(path.stem for path in (Path(settings.CONTENT_DIR) / "casestudies").glob("*.md"))


@pytest.mark.parametrize("slug", SHIPPED)
def test_each_shipped_case_study_gives_the_composite_notice_once(client, slug):
    html = client.get(f"/case-studies/{slug}/").content.decode()
    assert text(html).count("This is an illustrative composite") == 1
    assert "illustrative composite" not in CaseStudy.objects.get(slug=slug).body_html


# Back to the filtered list


def crumbs(html):
    nav = re.search(r'<nav class="nhsuk-breadcrumb".*?</nav>', html, re.S).group(0)
    links = re.findall(r'class="nhsuk-breadcrumb__link" href="([^"]+)">([^<]+)<', nav)
    back = re.search(r'<a class="nhsuk-back-link" href="([^"]+)">', nav).group(1)
    return [(unescape(href), label) for href, label in links], unescape(back)


def test_a_result_links_to_its_case_study_carrying_the_filters(client, studies):
    query = {"region": "london", "model": "researcher-in-residence"}
    html = client.get(LIST, query).content.decode()
    [link] = re.findall(r'class="nhsuk-card__link" href="([^"]+)"', html)
    assert unescape(link) == (
        "/case-studies/alpha/?from=model%3Dresearcher-in-residence%26region%3Dlondon"
    )
    plain = client.get(LIST).content.decode()
    assert 'class="nhsuk-card__link" href="/case-studies/alpha/"' in plain


def test_the_breadcrumb_and_back_link_return_to_the_filtered_list(client, studies):
    html = client.get(
        "/case-studies/alpha/", {"from": "model=researcher-in-residence&region=london"}
    ).content.decode()
    links, back = crumbs(html)
    list_address = "/case-studies/?model=researcher-in-residence&region=london"
    assert links == [("/", "Home"), (list_address, "Case studies")]
    assert back == list_address
    listed = client.get(list_address).content.decode()
    assert card_titles(listed) == ["Alpha"]


def test_without_a_list_to_return_to_the_breadcrumb_goes_to_the_whole_list(client, studies):
    links, back = crumbs(client.get("/case-studies/alpha/").content.decode())
    assert links == [("/", "Home"), ("/case-studies/", "Case studies")]
    assert back == "/case-studies/"


@pytest.mark.parametrize(
    "came_from, tidy",
    [
        (
            "region=london&model=researcher-in-residence",
            "model=researcher-in-residence&region=london",
        ),
        ("region=london&region=london", "region=london"),
        ("region=london&utm_source=x&page=3", "region=london"),
        ("region=atlantis&region=london", "region=london"),
        ("theme=evaluation&theme=no-such-theme", "theme=evaluation"),
        ("region=atlantis", ""),
        ("https://evil.example/", ""),
        ("//evil.example/case-studies/", ""),
        ("", ""),
        ("region=london&" * 200, ""),
        ("&" * 150 + "region=london", ""),
        ("%3Cscript%3E=1", ""),
    ],
)
def test_a_list_address_that_is_not_tidy_is_sent_to_its_tidy_form(client, studies, came_from, tidy):
    response = client.get("/case-studies/alpha/", {"from": came_from})
    assert response.status_code == 302
    expected = "/case-studies/alpha/" + (f"?from={quote(tidy)}" if tidy else "")
    assert response["Location"] == expected
    assert "public" not in response.get("Cache-Control", ""), "a redirect is never cached"


def test_only_one_list_address_is_kept(client, studies):
    response = client.get("/case-studies/alpha/?from=region%3Dlondon&from=region%3Dlondon")
    assert response.status_code == 302
    assert response["Location"] == "/case-studies/alpha/?from=region%3Dlondon"


def test_a_case_study_reached_from_a_list_is_cached_once_per_list(client, studies):
    from embedded import caching

    caching.local.clear()
    for _ in range(2):
        assert client.get("/case-studies/alpha/", {"from": "region=london"}).status_code == 200
        client.get("/case-studies/alpha/", {"from": "region=nowhere"})
        client.get("/case-studies/alpha/", {"from": "region=london", "junk": "1"})
    assert len(caching.local.pages) == 1


# Similar case studies


def similar_section(html):
    match = re.search(r'<section class="similar".*?</section>', html, re.S)
    if match is None:
        return []
    items = re.findall(
        r'<a class="similar__link" href="([^"]+)">([^<]+)</a>.*?In common: ([^<]+)</p>',
        match.group(0),
        re.S,
    )
    return [(unescape(href), unescape(title), unescape(shared)) for href, title, shared in items]


def test_similar_case_studies_share_the_model_setting_or_a_theme_most_alike_first(client, studies):
    html = client.get("/case-studies/alpha/").content.decode()
    # Alpha: acute trust, researcher in residence, Evaluation. Charlie shares the model (2),
    # Bravo the setting and a theme (2): tied, so by title. Delta shares nothing.
    assert similar_section(html) == [
        ("/case-studies/bravo/", "Bravo", "Acute trust, Evaluation"),
        ("/case-studies/charlie/", "Charlie", "Researcher in residence"),
    ]
    assert 'href="#similar-case-studies"' in html


def test_similar_case_studies_keep_the_list_the_reader_came_from(client, studies):
    html = client.get("/case-studies/alpha/", {"from": "region=london"}).content.decode()
    assert [href for href, _, _ in similar_section(html)] == [
        "/case-studies/bravo/?from=region%3Dlondon",
        "/case-studies/charlie/?from=region%3Dlondon",
    ]


def test_similar_case_studies_are_only_published_ones(client, studies):
    make_case_study("hidden", title="Aardvark draft", status="draft")
    make_case_study(
        "later", title="Aardvark later", published_at=timezone.now() + datetime.timedelta(days=3)
    )
    html = client.get("/case-studies/alpha/").content.decode()
    assert [title for _, title, _ in similar_section(html)] == ["Bravo", "Charlie"]


def test_at_most_three_similar_case_studies_are_suggested(client, many_studies):
    study = make_case_study("another", title="Another", setting="integrated-care-board")
    html = client.get(study.get_absolute_url()).content.decode()
    assert len(similar_section(html)) == 3


def test_a_case_study_with_nothing_in_common_has_no_similar_section(client, studies):
    html = client.get("/case-studies/delta/").content.decode()
    assert similar_section(html) == []
    assert "Similar case studies" not in html


# Sense checks on the facts an editor types


@pytest.mark.parametrize(
    ("facts", "field", "message"),
    [
        ({"start_year": 1066}, "start_year", "between 1990 and"),
        ({"start_year": timezone.localdate().year + 5}, "start_year", "between 1990 and"),
        ({"duration_months": 0}, "duration_months", "from 1 to 240"),
        ({"duration_months": 600}, "duration_months", "from 1 to 240"),
        (
            {"setting": "integrated-care-board", "start_year": 2020},
            "start_year",
            "Integrated care boards exist from 1 July 2022",
        ),
    ],
)
def test_a_year_or_duration_no_scheme_could_have_is_refused_with_the_reason(facts, field, message):
    study = make_case_study("sense")
    for name, value in facts.items():
        setattr(study, name, value)
    with pytest.raises(ValidationError) as error:
        study.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_the_admin_form_explains_a_year_before_integrated_care_boards_and_keeps_the_rest(
    admin_client,
):
    study = make_case_study("sense", setting="integrated-care-board", start_year=2023)
    url = f"/admin/casestudies/casestudy/{study.pk}/change/"
    data = {
        "_save": "Save draft",
        **{name: getattr(study, name) for name in ["title", "slug", "summary", "body"]},
        **{name: getattr(study, name) for name in ["setting", "embedding_model", "region"]},
        **{name: getattr(study, name) for name in ["funding", "public_involvement"]},
        "duration_months": study.duration_months,
        "key_lessons": study.key_lessons,
        "last_reviewed": study.last_reviewed.strftime("%d/%m/%Y"),
        "next_review_due": study.next_review_due.strftime("%d/%m/%Y"),
        "start_year": "2019",
        "outcome": "A new outcome.",
    }
    html = admin_client.post(url, data).content.decode()
    assert "Integrated care boards exist from 1 July 2022" in html
    assert 'value="A new outcome."' in html  # what was typed is kept
    study.refresh_from_db()
    assert (study.start_year, study.outcome) == (2023, "It went well.")


def test_the_loader_names_the_file_of_a_case_study_with_an_impossible_year(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(Path(settings.BASE_DIR) / "tests" / "sample_content", content)
    study = content / "casestudies" / "sample-study.md"
    study.write_text(study.read_text().replace("start_year: 2020", "start_year: 1890"))
    with pytest.raises(ContentError, match=r"casestudies/sample-study.md.*between 1990 and"):
        load(content)
