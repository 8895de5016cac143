from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from casestudies.filters import FACETS, CaseStudyFilters
from casestudies.models import CaseStudy
from embedded.caching import public_page

HOME = ("Home", "/")
CASE_STUDIES = ("Case studies", "/case-studies/")
PER_PAGE = 10


@public_page(params=[param for param, _, _ in FACETS] + ["page"])
def case_study_list(request):
    """Published case studies, filtered by facets; a page number past the end shows the last."""
    filters = CaseStudyFilters(request.GET, CaseStudy.objects.published())
    page = Paginator(filters.matching_ids, PER_PAGE).get_page(request.GET.get("page"))
    studies = CaseStudy.objects.defer("body", "body_html", "contents").in_bulk(page.object_list)
    query = filters.query_string
    context = {
        "filters": filters,
        "cards": [_card(studies[pk]) for pk in page.object_list if pk in studies],
        "page_obj": page,
        "page_query": f"{query}&" if query else "",
        # Every combination of filters is its own address: keep search engines to the plain list.
        "noindex": bool(filters.selected),
        "breadcrumbs": [HOME],
    }
    return render(request, "casestudies/list.html", context)


def _card(study):
    key_facts = [
        study.get_setting_display(),
        study.get_embedding_model_display(),
        study.get_region_display(),
        f"Started {study.start_year}",
    ]
    return {
        "title": study.title,
        "url": study.get_absolute_url(),
        "description": study.summary,
        "tags": key_facts,
    }


@public_page
def detail(request, slug):
    study = get_object_or_404(
        CaseStudy.objects.visible_to(request.user).prefetch_related("themes"), slug=slug
    )
    # published() keeps out parts whose guide is not live either.
    related_parts = list(study.related_parts.visible_to(request.user).select_related("guide"))
    headings = [{"id": "at-a-glance", "title": "At a glance"}, *study.section_headings]
    if study.lessons:
        headings.append({"id": "key-lessons", "title": "Key lessons"})
    if related_parts:
        headings.append({"id": "related-guidance", "title": "Related guidance"})
    context = {
        "study": study,
        "item": study,
        "headings": headings,
        "related_parts": related_parts,
        "breadcrumbs": [HOME, CASE_STUDIES],
    }
    return render(request, "casestudies/detail.html", context)
