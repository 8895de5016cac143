from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from casestudies.filters import PARAMS, CaseStudyFilters
from casestudies.models import CaseStudy
from casestudies.similar import similar_case_studies
from embedded.caching import public_page

HOME = ("Home", "/")
LIST = "/case-studies/"
PER_PAGE = 10
# The query parameter that carries the filtered list a reader came from to a case study.
CAME_FROM = "from"


@public_page(params=[*PARAMS, "page"])
def case_study_list(request):
    """Published case studies, filtered by facets; a page number past the end shows the last."""
    filters = CaseStudyFilters(request.GET, CaseStudy.objects.published())
    page = Paginator(filters.matching_ids, PER_PAGE).get_page(request.GET.get("page"))
    studies = CaseStudy.objects.defer("body", "body_html", "contents").in_bulk(page.object_list)
    query = filters.query_string
    context = {
        "filters": filters,
        "cards": [_card(studies[pk], query) for pk in page.object_list if pk in studies],
        "page_obj": page,
        "page_query": f"{query}&" if query else "",
        # Every combination of filters is its own address: keep search engines to the plain list.
        "noindex": bool(filters.selected),
        "breadcrumbs": [HOME],
    }
    return render(request, "casestudies/list.html", context)


def _card(study, query):
    key_facts = [
        study.get_setting_display(),
        study.get_embedding_model_display(),
        study.get_region_display(),
        f"Started {study.start_year}",
    ]
    return {
        "title": study.title,
        "url": _address(study.get_absolute_url(), query),
        "description": study.summary,
        "tags": key_facts,
    }


def _address(url, list_query):
    """A case study's address, carrying the filtered list's query string if there is one."""
    return f"{url}?{urlencode({CAME_FROM: list_query})}" if list_query else url


@public_page(params=[CAME_FROM])
def detail(request, slug):
    """A case study, with similar ones and a way back to the list the reader came from.

    The list comes as `from`, the list's query string; only filters the list
    would recognise are kept. Anything else is sent to the tidy address, so
    each page is cached under one address per real list, never per stray string.
    """
    study = get_object_or_404(
        CaseStudy.objects.visible_to(request.user).prefetch_related("themes"), slug=slug
    )
    came_from = request.GET.getlist(CAME_FROM)
    filters = CaseStudyFilters.from_query_string(
        came_from[-1] if came_from else "", CaseStudy.objects.published()
    )
    list_query = filters.query_string
    if came_from and (came_from != [list_query] or not list_query):
        return redirect(_address(study.get_absolute_url(), list_query))
    # published() keeps out parts whose guide is not live either.
    related_parts = list(study.related_parts.visible_to(request.user).select_related("guide"))
    similar = []
    for suggestion in similar_case_studies(study, filters):
        url = reverse("casestudies:detail", args=[suggestion["slug"]])
        similar.append({**suggestion, "url": _address(url, list_query)})
    headings = [{"id": "at-a-glance", "title": "At a glance"}, *study.section_headings]
    if study.lessons:
        headings.append({"id": "key-lessons", "title": "Key lessons"})
    if similar:
        headings.append({"id": "similar-case-studies", "title": "Similar case studies"})
    if related_parts:
        headings.append({"id": "related-guidance", "title": "Related guidance"})
    list_address = f"{LIST}?{list_query}" if list_query else LIST
    context = {
        "study": study,
        "item": study,
        "headings": headings,
        "related_parts": related_parts,
        "similar": similar,
        "breadcrumbs": [HOME, ("Case studies", list_address)],
    }
    return render(request, "casestudies/detail.html", context)
