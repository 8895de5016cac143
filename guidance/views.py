from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from embedded.caching import public_page
from guidance.models import Guide, RoleProfile

GUIDANCE = ("Guidance", "/guidance/")
HOME = ("Home", "/")


@public_page
def home(request):
    guides = Guide.objects.published()
    return render(request, "guidance/home.html", {"guides": guides})


@public_page
def guide_list(request):
    guides = Guide.objects.published()
    return render(request, "guidance/guide_list.html", {"guides": guides, "breadcrumbs": [HOME]})


def _guide_with_parts(request, slug):
    """The guide and its parts, in two queries, as this reader may see them."""
    guide = get_object_or_404(Guide.objects.visible_to(request.user), slug=slug)
    # Through the guide's own manager each part knows its guide: no query per part.
    parts = list(guide.parts.visible_to(request.user).order_by("order", "pk"))
    return guide, parts


@public_page
def guide(request, slug):
    guide, parts = _guide_with_parts(request, slug)
    context = {"guide": guide, "item": guide, "parts": parts, "breadcrumbs": [HOME, GUIDANCE]}
    return render(request, "guidance/guide.html", context)


@public_page
def guide_print(request, slug):
    guide, parts = _guide_with_parts(request, slug)
    context = {"guide": guide, "item": guide, "parts": parts, "noindex": True}
    return render(request, "guidance/guide_print.html", context)


@public_page
def part(request, guide_slug, part_slug):
    guide, parts = _guide_with_parts(request, guide_slug)
    position = next((i for i, p in enumerate(parts) if p.slug == part_slug), None)
    if position is None:
        raise Http404("No such part in this guide")
    current = parts[position]
    related_parts = current.related_parts.visible_to(request.user).select_related("guide")
    case_studies = current.case_studies.visible_to(request.user).only("title", "slug", "summary")
    context = {
        "guide": guide,
        "parts": parts,
        "part": current,
        "item": current,
        "previous": parts[position - 1] if position else None,
        "next": parts[position + 1] if position + 1 < len(parts) else None,
        "related_parts": related_parts,
        "case_studies": case_studies,
        "breadcrumbs": [HOME, GUIDANCE, (guide.title, guide.get_absolute_url())],
    }
    return render(request, "guidance/part.html", context)


@public_page
def role(request, slug):
    profile = get_object_or_404(
        RoleProfile.objects.visible_to(request.user).prefetch_related(
            Prefetch("responsibilities", queryset=_with_part("responsibilities")),
            Prefetch("working_relationships", queryset=_with_part("working_relationships")),
            Prefetch("competencies", queryset=_with_part("competencies")),
        ),
        slug=slug,
    )
    context = {"profile": profile, "item": profile, "breadcrumbs": [HOME]}
    return render(request, "guidance/role.html", context)


def _with_part(relation):
    model = RoleProfile._meta.get_field(relation).related_model
    return model.objects.select_related("guide_part__guide")
