"""The framework's pages and the templates: public pages, cached for anonymous readers."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from embedded.caching import public_page
from toolkit import template_word
from toolkit.models import GROUP_QUESTIONS, DesignTheme, DocumentTemplate, Framework, Group

HOME = ("Home", "/")
FRAMEWORK = ("The framework", "/framework/")
TEMPLATES = ("Templates", "/framework/templates/")


def _framework(request):
    framework = Framework.objects.visible_to(request.user).defer("body").order_by("pk").first()
    if framework is None:
        raise Http404("The framework is not published")
    return framework


def _themes(request, framework):
    """The framework's themes in order, as listings need them (no bodies)."""
    return list(
        framework.themes.visible_to(request.user)
        .order_by("order", "pk")
        .only("framework", "title", "slug", "summary", "group", "order", "status", "published_at")
    )


def groups_of(themes):
    """[(group value, label, what it asks, [themes])] in the framework's order."""
    return [
        (group.value, group.label, GROUP_QUESTIONS[group], members)
        for group in Group
        if (members := [theme for theme in themes if theme.group == group])
    ]


@public_page
def framework(request):
    framework = _framework(request)
    themes = _themes(request, framework)
    context = {
        "framework": framework,
        "item": framework,
        "groups": groups_of(themes),
        "theme_count": len(themes),
        "breadcrumbs": [HOME],
    }
    return render(request, "toolkit/framework.html", context)


@public_page
def theme(request, slug):
    theme = get_object_or_404(
        DesignTheme.objects.visible_to(request.user).select_related("framework").defer("body"),
        slug=slug,
    )
    # Through the framework's own manager each theme knows it: no query per theme.
    themes = _themes(request, theme.framework)
    position = next((i for i, other in enumerate(themes) if other.pk == theme.pk), None)
    related_parts = (
        theme.related_parts.visible_to(request.user)
        .select_related("guide")
        .only("title", "slug", "summary", "guide__title", "guide__slug")
        .order_by("guide__order", "order")
    )
    case_studies = theme.related_case_studies.visible_to(request.user).only(
        "title", "slug", "summary"
    )
    related_parts, case_studies = list(related_parts), list(case_studies)
    headings = [{"id": "questions", "title": "Questions to ask"}, *theme.section_headings]
    if related_parts or case_studies:
        headings.append({"id": "related", "title": "Related guidance and case studies"})
    context = {
        "theme": theme,
        "headings": headings,
        "item": theme,
        "related_parts": related_parts,
        "case_studies": case_studies,
        "previous": themes[position - 1] if position else None,
        "next": themes[position + 1]
        if position is not None and position + 1 < len(themes)
        else None,
        "breadcrumbs": [HOME, FRAMEWORK],
    }
    return render(request, "toolkit/theme.html", context)


@public_page
def template_list(request):
    templates = DocumentTemplate.objects.published().defer("body", "body_html", "contents")
    context = {"templates": templates, "breadcrumbs": [HOME, FRAMEWORK]}
    return render(request, "toolkit/template_list.html", context)


def _template(request, slug):
    return get_object_or_404(DocumentTemplate.objects.visible_to(request.user), slug=slug)


@public_page
def template(request, slug):
    template = _template(request, slug)
    document = template_word.document(template, base_url=request.build_absolute_uri("/"))
    context = {
        "template": template,
        "item": template,
        "word_size": len(document),
        "breadcrumbs": [HOME, FRAMEWORK, TEMPLATES],
    }
    return render(request, "toolkit/template.html", context)


@public_page
def template_docx(request, slug):
    template = _template(request, slug)
    document = template_word.document(template, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(document, content_type=template_word.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{template.word_filename}"'
    return response
