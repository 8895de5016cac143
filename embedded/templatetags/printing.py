"""Filters that ready a stored body for paper: addresses that work when printed, and headings
that sit under a part's title in the whole-guide view.

They are cheap string changes to HTML the renderer wrote (no Markdown is
rendered per request), and the page they run on is cached like any other.
"""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

SITE_LINK = re.compile(r'href="/(?!/)')
HEADING_TAG = re.compile(r"<(/?)h([2-6])\b")
HEADING_ID = re.compile(r'(<h[2-6] id=")')
PAGE_ANCHOR = re.compile(r'href="#')


@register.filter
def absolute_links(html, request):
    """Links within the site written with the full address, so a printed page shows it."""
    origin = escape(f"{request.scheme}://{request.get_host()}")
    return mark_safe(SITE_LINK.sub(f'href="{origin}/', html))  # noqa: S308 - HTML we rendered


@register.filter
def as_part_of_guide(html, slug):
    """A part's body under its own title in the whole guide: every heading one level down,
    and its section anchors prefixed with the part's slug so two parts' "Summary" differ."""
    html = HEADING_TAG.sub(lambda match: f"<{match[1]}h{min(int(match[2]) + 1, 6)}", html)
    html = HEADING_ID.sub(rf"\g<1>{slug}-", html)
    return mark_safe(PAGE_ANCHOR.sub(f'href="#{slug}-', html))  # noqa: S308 - HTML we rendered
