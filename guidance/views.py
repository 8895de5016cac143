from django.shortcuts import get_object_or_404, render

from embedded.caching import public_page
from guidance.models import Guide, GuidePart

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


def _guide_with_parts(request, slug, bodies=False):
    """The guide and its parts, in two queries, as this reader may see them.

    The Markdown source is never needed to show a page; the rendered bodies
    only when every part is shown in full.
    """
    guide = get_object_or_404(Guide.objects.visible_to(request.user).defer("body"), slug=slug)
    # Through the guide's own manager each part knows its guide: no query per part.
    parts = guide.parts.visible_to(request.user).order_by("order", "pk").defer("body")
    if not bodies:
        parts = parts.defer("body", "body_html", "contents")
    return guide, list(parts)


@public_page
def guide(request, slug):
    guide, parts = _guide_with_parts(request, slug)
    context = {"guide": guide, "item": guide, "parts": parts, "breadcrumbs": [HOME, GUIDANCE]}
    return render(request, "guidance/guide.html", context)


@public_page
def guide_print(request, slug):
    guide, parts = _guide_with_parts(request, slug, bodies=True)
    context = {"guide": guide, "item": guide, "parts": parts, "noindex": True}
    return render(request, "guidance/guide_print.html", context)


@public_page
def part(request, guide_slug, part_slug):
    """Four queries: the part and its guide, the guide's parts, related parts, case studies."""
    current = get_object_or_404(
        GuidePart.objects.visible_to(request.user)
        .select_related("guide")
        .defer("body", "guide__body"),
        guide__slug=guide_slug,
        slug=part_slug,
    )
    guide = current.guide
    parts = list(
        guide.parts.visible_to(request.user)
        .order_by("order", "pk")
        .defer("body", "body_html", "contents")
    )
    position = next(i for i, p in enumerate(parts) if p.pk == current.pk)
    related_parts = (
        current.related_parts.visible_to(request.user)
        .select_related("guide")
        .only("title", "slug", "guide__title", "guide__slug")
    )
    case_studies = current.case_studies.visible_to(request.user).only("title", "slug")
    context = {
        "guide": guide,
        "parts": parts,
        "part": current,
        "position": position + 1,
        "item": current,
        "previous": parts[position - 1] if position else None,
        "next": parts[position + 1] if position + 1 < len(parts) else None,
        "related_parts": related_parts,
        "case_studies": case_studies,
        "breadcrumbs": [HOME, GUIDANCE, (guide.title, guide.get_absolute_url())],
    }
    return render(request, "guidance/part.html", context)
