"""Checks a body before it is published: links, images, headings and alt text.

`problems(body)` lists what a reader would trip over, each a `Problem` with a
plain message. Some block publishing outright (`blocks`: a link to a page on
this site that readers cannot open); the rest ask the editor to confirm. A
draft can always be saved with them: the checks run on the rendered HTML, so
they see exactly what readers would get.

- internal links must lead to a live page (or an address that redirects to one);
- images must be uploads that still exist, with alt text that describes them;
- heading levels must not skip (a ### section straight after the title, say).
"""

from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import Resolver404, resolve

from embedded.content import registry
from embedded.links import is_external
from embedded.markdown import render

# What the uploader used to insert, and other words that describe no image.
PLACEHOLDER_ALT = {
    "describe the image here",
    "image",
    "picture",
    "photo",
    "alt",
    "alt text",
    "screenshot",
    "todo",
}


@dataclass(frozen=True)
class Problem:
    message: str
    blocks: bool = False  # publishing is refused, not just confirmed


class _Body(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.images, self.headings = [], [], []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "img":
            self.images.append((attrs.get("src") or "", (attrs.get("alt") or "").strip()))
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self._heading = [int(tag[1]), ""]

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if self._heading is not None and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None


class Site:
    """The addresses readers can open now, read once per check."""

    @cached_property
    def addresses(self):
        """(live, hidden): each a set of addresses and a set of slugs."""
        live, hidden = (set(), set()), (set(), set())
        for model in registry.models:
            if not hasattr(model, "public_paths"):
                continue
            for item in model.objects.all():
                paths, slugs = live if item.is_live else hidden
                paths.update(path.partition("#")[0] for path in item.public_paths())
                slugs.add(item.slug)
        return live, hidden

    @cached_property
    def redirects(self):
        from embedded.models import Redirect

        return set(Redirect.objects.values_list("old_path", flat=True))

    def link_problem(self, href):
        """Why an internal link would fail a reader (a `Problem`), or None."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return None  # another website, mail, a #section of this page, or relative
        path = unquote(parts.path)
        if media_name(path) is not None:
            if not default_storage.exists(media_name(path)):
                return Problem(f"The link to {href} leads to a file that is no longer uploaded.")
            return None
        (live, live_slugs), (hidden, hidden_slugs) = self.addresses
        if path in live or path in self.redirects:
            return None
        not_live = _broken(
            f"The link to {href} leads to a page that is not live, so readers get an error."
        )
        if path in hidden:
            return not_live
        try:
            named = [str(value) for value in resolve(path).kwargs.values()]
        except Resolver404:
            named = None
        if named is not None and all(value in live_slugs for value in named):
            return None  # a page of the site's own, or one of a live item's (a guide's print page)
        if named and all(value in live_slugs | hidden_slugs for value in named):
            return not_live
        return _broken(f"The link to {href} leads to no page on this site.")


def _broken(message):
    return Problem(message, blocks=True)


def media_name(url):
    """The storage name of an upload's address, or None for any other address."""
    prefix = settings.MEDIA_URL
    if prefix and url.startswith(prefix):
        return unquote(url[len(prefix) :].split("?")[0])
    return None


def problems(body, site=None, html=None):
    """What would trip a reader in this Markdown body (or its rendered `html`), by kind."""
    site = site or Site()
    parsed = _Body()
    parsed.feed(render(body).html if html is None else html)
    found = []
    for href in dict.fromkeys(parsed.links):
        if problem := site.link_problem(href):
            found.append(problem)
    for src, alt in parsed.images:
        name = media_name(src)
        if name is not None and not default_storage.exists(name):
            found.append(Problem(f"The image {src} is no longer uploaded, so readers see nothing."))
        elif name is None and is_external(src):
            found.append(Problem(f"The image {src} is on another website: upload it here."))
        if not alt:
            found.append(
                Problem(
                    f"The image {src} has no alt text: describe it for readers who cannot see it."
                )
            )
        elif alt.lower().rstrip(".") in PLACEHOLDER_ALT:
            found.append(
                Problem(f"The image {src} has “{alt}” as its alt text: describe what it shows.")
            )
    level = 1  # the page's title
    for heading_level, text in parsed.headings:
        if heading_level > level + 1:
            found.append(
                Problem(
                    f"The heading “{text}” skips a level: it is level {heading_level} straight "
                    f"after level {level}. Use {'#' * (level + 1)} for it."
                )
            )
        level = heading_level
    return found


def broken_links_on_live_pages():
    """Every live item whose body links to something readers cannot open, with the problems."""
    site = Site()
    found = []
    for model in registry.models:
        for item in model.objects.published():
            links = [
                problem for problem in problems(None, site, html=item.body_html) if problem.blocks
            ]
            if links:
                found.append((item, links))
    return found
