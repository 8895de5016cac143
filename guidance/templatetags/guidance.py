"""Template tags other pages use to point readers at the guidance."""

from django import template
from django.db import DatabaseError

from guidance.models import Guide

register = template.Library()


@register.inclusion_tag("guidance/guide_links.html")
def guide_links():
    """A list of links to the published guides, for pages that offer a way in (404, no results).

    Without a database (the page not found while it is away) it links to the guide list instead.
    """
    try:
        guides = list(Guide.objects.published().only("title", "slug"))
    except DatabaseError:
        guides = []
    return {"guides": guides}
