"""Every link in the shipped content works: other websites over https with a well-formed
address, and every address within the site answering (directly or through a redirect),
down to the section a link points at."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from embedded.content import registry
from embedded.models import Publishable
from tests.factories import make_page

pytestmark = pytest.mark.django_db

HOST_NAME = re.compile(r"(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", re.I)


class Links(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.hrefs = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href") is not None:
            self.hrefs.append(dict(attrs)["href"])


def content_links():
    """(where, href) for every link in every body of every kind of content."""
    for model in registry.models:
        if issubclass(model, Publishable):
            for item in model.objects.all():
                where = f"{model._meta.verbose_name} {item.slug!r}"
                for href in Links(item.body_html).hrefs:
                    yield where, href, item


def problem_with_external(href):
    parts = urlsplit(href)
    if parts.scheme != "https":
        return "is not https"
    if not HOST_NAME.fullmatch(parts.hostname or "") or parts.port or parts.username:
        return "has no proper host name"
    if re.search(r"\s", href):
        return "has spaces in it"
    return None


def test_every_link_to_another_website_is_https_and_well_formed():
    problems = []
    for where, href, _ in content_links():
        if href.startswith(("/", "#", "mailto:")):
            continue
        problem = problem_with_external(href)
        if problem:
            problems.append(f"{where}: {href} {problem}")
    assert problems == [], "\n".join(problems)


def test_the_link_checks_catch_bad_addresses():
    assert problem_with_external("http://www.hra.nhs.uk/") == "is not https"
    assert problem_with_external("https://localhost/x") == "has no proper host name"
    assert problem_with_external("https://www.nihr.ac.uk/a page") == "has spaces in it"
    assert problem_with_external("https://doi.org/10.3310/hfuu3193") is None


def answer(client, path):
    """The page a path ends at (following redirects within the site), or None."""
    response = client.get(path, follow=True)
    return response.content.decode() if response.status_code == 200 else None


def problems_within_the_site(client, links):
    pages, problems = {}, []
    for where, href, item in links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("mailto:"):
            continue
        if not href.startswith(("/", "#")):
            problems.append(f"{where}: {href} should start with / (a path within the site)")
            continue
        if href.startswith("#"):
            html = item.body_html
        else:
            if parts.path not in pages:
                pages[parts.path] = answer(client, parts.path)
            html = pages[parts.path]
            if html is None:
                problems.append(f"{where}: {href} does not answer with a page")
                continue
        if parts.fragment and f'id="{parts.fragment}"' not in html:
            problems.append(f"{where}: {href} names a section the page does not have")
    return pages, problems


def test_every_link_within_the_site_reaches_a_page_and_the_section_it_names(client):
    pages, problems = problems_within_the_site(client, content_links())
    assert len(pages) > 10, "the content links to pages within the site"
    assert problems == [], "\n".join(problems)


def test_the_link_checks_catch_missing_pages_and_sections(client):
    page = make_page(
        "links", body="[a](/no-such-page/) [b](/glossary/#no-such-term) [c](#nowhere) [d](about/)"
    )
    links = [("page", href, page) for href in Links(page.body_html).hrefs]
    _, problems = problems_within_the_site(client, links)
    assert problems == [
        "page: /no-such-page/ does not answer with a page",
        "page: /glossary/#no-such-term names a section the page does not have",
        "page: #nowhere names a section the page does not have",
        "page: about/ should start with / (a path within the site)",
    ]
