"""The glossary's terms as the renderer sees them, and keeping bodies in step when they change.

Each published `GlossaryTerm` lends its phrases (its title and its other
forms) to `embedded.links`, which links the first use of each term in a body
as the body is rendered on save, never per request. A term's own entry never
links to itself: whatever renders an entry does so inside `defining(slug)`.

Rendered bodies therefore depend on the glossary. When a term is saved or
deleted in a way that changes what links where (its phrases, its slug, whether
it is live), every body that mentions one of its old or new phrases, or links
to its old anchor, is rendered again in the same transaction, so the content
version that the save moves on covers those bodies too. Only `body_html` and
`contents` are written (no history row, no new "updated" date): the text an
editor wrote did not change. `load_content` reads the glossary before every
other kind (it is registered first), so the bodies that follow are compared
with, and saved under, the new terms.

Limitation: a term scheduled for a later date is not linked until something
saves it (or a body that mentions it) after it goes live.
"""

import contextvars
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

_defining = contextvars.ContextVar("glossary_defining", default=None)

# An entry is a few paragraphs under its term; the term is its heading on /glossary/.
HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)", re.MULTILINE)
NO_HEADINGS = "A glossary entry has no headings: its term is the heading on the glossary page."


@dataclass(frozen=True)
class Term:
    slug: str
    phrases: tuple


@contextmanager
def defining(slug):
    """Renders inside this block are the entry for `slug`, which does not link to itself."""
    token = _defining.set(slug)
    try:
        yield
    finally:
        _defining.reset(token)


def being_defined():
    return _defining.get()


def live_terms():
    """The published terms, as (slug, phrases), in a stable order. One query."""
    from embedded.models import GlossaryTerm

    rows = (
        GlossaryTerm.objects.published()
        .order_by("slug")
        .values_list("slug", "title", "also_matches")
    )
    return tuple(Term(slug, _phrases(title, others)) for slug, title, others in rows)


def _phrases(title, others):
    forms = [title, *(line.strip() for line in others.splitlines())]
    return tuple(dict.fromkeys(" ".join(form.split()) for form in forms if form.strip()))


def is_abbreviation(phrase):
    """'HRA', 'PPI/PPIE': written in capitals, so matched only in capitals."""
    return phrase == phrase.upper() and any(char.isalpha() for char in phrase)


@dataclass(frozen=True)
class Matcher:
    pattern: re.Pattern
    exact: dict
    folded: dict

    def slug_for(self, text):
        key = " ".join(text.split())
        return self.exact.get(key) or self.folded.get(key.casefold())


@lru_cache(maxsize=8)
def matcher(terms):
    """One pattern for every phrase of `terms` (a tuple of Term), longest phrases first."""
    exact, folded, alternatives = {}, {}, []
    for term in terms:
        for phrase in term.phrases:
            words = r"\s+".join(re.escape(word) for word in phrase.split())
            if is_abbreviation(phrase):
                exact.setdefault(phrase, term.slug)
                alternatives.append((len(phrase), words))
            else:
                folded.setdefault(phrase.casefold(), term.slug)
                alternatives.append((len(phrase), f"(?i:{words})"))
    if not alternatives:
        return None
    alternatives.sort(key=lambda item: -item[0])
    body = "|".join(words for _, words in alternatives)
    # Whole words only: "HRA" is not found in "SHRA", nor "co-production" in "co-productions".
    pattern = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")
    return Matcher(pattern, exact, folded)


def current_matcher():
    return matcher(live_terms())


# Keeping rendered bodies in step with the glossary.


def _signature(term):
    """What about a term decides where links go: nothing else needs a body rendered again."""
    if term is None or not term.is_live:
        return None
    return (term.slug, _phrases(term.title, term.also_matches))


def _mentions(body, phrases):
    text = " ".join(body.split()).casefold()
    return any(phrase.casefold() in text for phrase in phrases)


def render_again_bodies_that_mention(phrases, slugs):
    """Renders again every body that uses one of `phrases` or links to one of `slugs`' anchors.

    Returns how many bodies changed.
    """
    from embedded.content import registry
    from embedded.markdown import render
    from embedded.models import GlossaryTerm, Publishable

    anchors = [f'/glossary/#{slug}"' for slug in slugs]
    changed = 0
    for model in registry.models:
        if not issubclass(model, Publishable):
            continue
        rows = model._base_manager.values_list("pk", "slug", "body", "body_html")
        for pk, slug, body, body_html in rows.iterator():
            if not (_mentions(body, phrases) or any(anchor in body_html for anchor in anchors)):
                continue
            with defining(slug if model is GlossaryTerm else None):
                rendered = render(body)
            if rendered.html != body_html:
                model._base_manager.filter(pk=pk).update(
                    body_html=rendered.html, contents=rendered.contents
                )
                changed += 1
    return changed


@receiver(pre_save, sender="embedded.GlossaryTerm", dispatch_uid="glossary_before_save")
def remember_term(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = sender._base_manager.filter(pk=instance.pk).first() if instance.pk else None
    instance._glossary_before = _signature(before)


@receiver(post_save, sender="embedded.GlossaryTerm", dispatch_uid="glossary_saved")
def term_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before, after = getattr(instance, "_glossary_before", None), _signature(instance)
    if before != after:
        _render_again(before, after)


@receiver(post_delete, sender="embedded.GlossaryTerm", dispatch_uid="glossary_deleted")
def term_deleted(sender, instance, **kwargs):
    _render_again(_signature(instance), None)


def _render_again(*signatures):
    signatures = [signature for signature in signatures if signature]
    phrases = {phrase for _, forms in signatures for phrase in forms}
    slugs = {slug for slug, _ in signatures}
    if phrases or slugs:
        render_again_bodies_that_mention(phrases, slugs)


def by_letter(terms):
    """Terms grouped A to Z: (letter, [terms]) for every letter, empty ones included.

    Terms that start with anything else (a digit) come first, under "0-9".
    """
    groups = {letter: [] for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    other = []
    for term in sorted(terms, key=lambda term: term.title.casefold()):
        groups.get(term.title[:1].upper(), other).append(term)
    letters = list(groups.items())
    return [("0-9", other), *letters] if other else letters
