from django.shortcuts import get_object_or_404, render

from casestudies.models import CaseStudy
from embedded.caching import public_page

HOME = ("Home", "/")
CASE_STUDIES = ("Case studies", "/case-studies/")


@public_page
def case_study_list(request):
    studies = CaseStudy.objects.published().prefetch_related("themes")
    return render(request, "casestudies/list.html", {"studies": studies, "breadcrumbs": [HOME]})


@public_page
def detail(request, slug):
    study = get_object_or_404(
        CaseStudy.objects.visible_to(request.user).prefetch_related("themes"), slug=slug
    )
    related_parts = study.related_parts.visible_to(request.user).select_related("guide")
    context = {
        "study": study,
        "item": study,
        "related_parts": related_parts,
        "breadcrumbs": [HOME, CASE_STUDIES],
    }
    return render(request, "casestudies/detail.html", context)
