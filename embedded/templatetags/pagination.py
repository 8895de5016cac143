"""Previous and next links for a page of results, in `includes/pagination.html`."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/pagination.html")
def page_links(page_obj, page_query=""):
    """`page_query` is the rest of the query string, ending in "&" when not empty."""
    total = page_obj.paginator.num_pages
    links = {"unit": "page"}
    if page_obj.has_previous():
        number = page_obj.previous_page_number()
        links.update(
            previous_url=f"?{page_query}page={number}", previous_title=f"Page {number} of {total}"
        )
    if page_obj.has_next():
        number = page_obj.next_page_number()
        links.update(next_url=f"?{page_query}page={number}", next_title=f"Page {number} of {total}")
    return links
