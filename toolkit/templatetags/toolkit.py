from django import template

from toolkit.fill_ins import mark_fill_ins

register = template.Library()


@register.filter
def fill_ins(html):
    """Marks a template's fill-in fields ([like this]) so they stand out."""
    return mark_fill_ins(html)


@register.filter
def kilobytes(size):
    """A file size as readers see it on GOV.UK download links: 14 KB."""
    return f"{max(1, round(size / 1024)):,} KB"
