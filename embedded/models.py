"""The content machinery every app shares, and the site's own pages.

`Publishable` is the abstract base of everything a reader can open: it holds
the title, summary and Markdown body, renders the body once on save, and
knows whether it is published and when it is due for review. Apps subclass it
(`Guide`, `GuidePart`, `RoleProfile`, `CaseStudy`) and register their models
with `embedded.content` so that the loader, search and sitemap find them. The
site's own are `Page` (about, contact...) and `GlossaryTerm`. A `ChangeNote`
records each published change to any of them (see `embedded.changenotes`).
"""

import calendar
import datetime
import sys

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from embedded.markdown import check_body, render
from embedded.permissions import may_view
from embedded.plaintext import refuse_unprintable
from embedded.sitepaths import is_site_path, why_taken


def text_choices(name, labels):
    """A `TextChoices` made from one table of value → label, each member named after its
    value in capitals (acute-trust → ACUTE_TRUST), so an option is written once.

    Like Enum's own functional API, it takes its module and qualified name from where it
    is called (a model's class body, or a module), so its members pickle by reference.
    """
    caller = sys._getframe(1)
    outer = caller.f_locals.get("__qualname__")
    return models.TextChoices(
        name,
        [(value.upper().replace("-", "_"), (value, label)) for value, label in labels.items()],
        module=caller.f_globals["__name__"],
        qualname=f"{outer}.{name}" if outer else name,
    )


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, and not scheduled for later."""
        return self.filter(status=Publishable.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published with a go-live time still to come: hidden from the public until then."""
        return self.filter(status=Publishable.Status.PUBLISHED, published_at__gt=timezone.now())

    def visible_to(self, user):
        """Staff who may view this kind of content see its drafts and scheduled items (to
        preview them); everyone else, what is live."""
        if all(may_view(user, model) for model in self.previewed_with()):
            return self
        return self.published()

    def previewed_with(self):
        """The kinds a preview of this one needs permission to view (a part needs its guide)."""
        return [self.model]

    def due_for_review(self, within_days=0):
        """Content whose next review falls on or before today plus `within_days`."""
        horizon = timezone.localdate() + datetime.timedelta(days=within_days)
        return self.filter(next_review_due__lte=horizon)

    def overdue_for_review(self):
        return self.filter(next_review_due__lt=timezone.localdate())


class ChildQuerySet(PublishableQuerySet):
    """The publishable children of a publishable parent: a guide's parts, a framework's themes.

    A child is public only while its parent is: the children of a draft or scheduled parent
    are hidden with it. `parent` names the child's foreign key to its parent.
    """

    parent = None

    def published(self):
        parent = self.model._meta.get_field(self.parent).related_model
        parent_is_live = parent.objects.published().filter(pk=models.OuterRef(self.parent))
        return super().published().filter(models.Exists(parent_is_live))


def parent_link(parent, related_name, help_text):
    """A child's foreign key to its parent (a part's guide, a theme's framework): deleting
    the parent deletes its children. The child's `ChildQuerySet.parent` names it."""
    return models.ForeignKey(
        parent, on_delete=models.CASCADE, related_name=related_name, help_text=help_text
    )


def related_content(model, help_text, related_name=None):
    """Other content an editor links this to, for readers to go on to; none is fine."""
    return models.ManyToManyField(model, blank=True, related_name=related_name, help_text=help_text)


class PlainText(models.Model):
    """Refuses control characters in every text field an editor fills (see `plaintext`).

    Checked in `clean_fields`, so the admin shows the message beside the field, and any
    other path that calls `full_clean` is held to the same rule.
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skipped = set(exclude or ()) | set(errors)
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname)
            if field.name in skipped or not isinstance(value, str):
                continue
            try:
                self.check_text(field, value)
            except ValidationError as error:
                errors.setdefault(field.name, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    def check_text(self, field, value):
        """Raises a ValidationError when `value` may not be saved in `field`."""
        refuse_unprintable(value)


def months_ahead(date, months):
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date.replace(year=year, month=month, day=min(date.day, last_day))


class Publishable(PlainText):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(
        max_length=200, help_text="The page's heading, in sentence case. Keep it short and plain."
    )
    slug = models.SlugField(
        max_length=100,
        help_text=(
            "The last part of the web address: lower-case words joined by hyphens. "
            "If you change it, the old address will redirect to the new one."
        ),
    )
    summary = models.TextField(
        max_length=400,
        help_text=(
            "One or two plain sentences (no Markdown) shown under the title, in lists "
            "and in search results."
        ),
    )
    body = MarkdownxField(
        blank=True,
        help_text=(
            "The text, in Markdown. Start sections with '## ' and sub-sections with '### '. "
            "The preview shows exactly what readers will see."
        ),
    )
    body_html = models.TextField(blank=True, editable=False)
    contents = models.JSONField(default=list, blank=True, editable=False)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Drafts are only visible to editors, through the preview.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "When it goes live. Leave empty to publish now; a future date schedules it. "
            "It stays hidden until then even if the status is Published."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    last_reviewed = models.DateField(
        default=timezone.localdate,
        help_text="The date someone last checked this content was accurate.",
    )
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="When it should next be checked. Leave empty for a year after the last review.",
    )

    # An editor's unpublished changes, if any: the row itself stays the live version.
    drafts = GenericRelation("embedded.Draft")

    objects = PublishableQuerySet.as_manager()

    class Meta:
        """What every kind shares unless its own Meta says otherwise: listed by title, and
        one item of a kind to a slug (its address). A kind's Meta extends this one."""

        abstract = True
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="%(class)s_unique_slug")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.tidy_line_endings()
        rendered = render(self.body)
        self.body_html, self.contents = rendered.html, rendered.contents
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.next_review_due is None:
            self.next_review_due = months_ahead(self.last_reviewed, settings.REVIEW_PERIOD_MONTHS)
        super().save(*args, **kwargs)

    def tidy_line_endings(self):
        """Stores text with \\n line endings, whatever the browser sent (\\r\\n from a form),
        so an admin save followed by `export_content` changes only what the editor changed."""
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname)
            if isinstance(field, models.TextField) and isinstance(value, str) and "\r" in value:
                setattr(self, field.attname, value.replace("\r\n", "\n").replace("\r", "\n"))

    def check_text(self, field, value):
        super().check_text(field, value)
        if field.name == "body":
            check_body(value)

    def mark_reviewed(self, today=None):
        """Records a review today and sets the next one a review period ahead."""
        self.last_reviewed = today or timezone.localdate()
        self.next_review_due = months_ahead(self.last_reviewed, settings.REVIEW_PERIOD_MONTHS)

    @property
    def is_live(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def public_paths(self):
        """Every address this content answers at; a moved one gets a redirect."""
        return [self.get_absolute_url()]

    @property
    def section_headings(self):
        """The ## headings, for the on-page contents list."""
        return [heading for heading in self.contents if heading["level"] == 2]


class Page(Publishable):
    """A standing page of the site: about, accessibility statement, privacy, contact."""

    history = HistoricalRecords()

    def get_absolute_url(self):
        return reverse("page", args=[self.slug])


class GlossaryTerm(Publishable):
    """A specialist term the site uses, defined once on /glossary/ under its own anchor.

    The first use of a published term on any page links to its entry: the
    rendered bodies carry the links (see `embedded.links`), and
    `embedded.glossary` renders again the bodies a changed term touches.
    """

    also_matches = models.TextField(
        "other forms",
        blank=True,
        help_text=(
            "Other forms of the term that should link here too, one per line: "
            "abbreviations, plurals (for example 'research passports'). "
            "Forms written all in capitals, such as 'HRA', match only in capitals."
        ),
    )
    history = HistoricalRecords()

    def save(self, *args, **kwargs):
        from embedded import glossary

        # An entry never links to itself.
        with glossary.defining(self.slug):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{reverse('glossary')}#{self.slug}"

    def clean(self):
        from embedded import glossary

        super().clean()
        if glossary.HEADING.search(self.body):
            raise ValidationError({"body": glossary.NO_HEADINGS})

    def public_paths(self):
        # Its address is an anchor on /glossary/: a changed slug moves no page.
        return []

    @property
    def phrases(self):
        """Every form of the term that links to it: its title, then its other forms."""
        others = [line.strip() for line in self.also_matches.splitlines()]
        return [self.title, *(form for form in others if form)]


class Feedback(models.Model):
    """A reader's answer to "Was this page helpful?". Holds no personal data."""

    path = models.CharField(max_length=300, help_text="The page the answer was given on.")
    helpful = models.BooleanField(help_text="The reader's answer to “Was this page helpful?”.")
    comment = models.TextField(
        blank=True, max_length=1000, help_text="What the reader wrote, if anything (optional)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"

    def __str__(self):
        answer = "Yes" if self.helpful else "No"
        return f"{answer} on {self.path}"


class Redirect(PlainText):
    """An old address kept working after a slug changed (made automatically, or by an editor).

    Both ends must be paths on this site, and the old one must be free (see `sitepaths`).
    """

    old_path = models.CharField(
        max_length=300, unique=True, help_text="The address that moved, e.g. /guidance/old-name/."
    )
    new_path = models.CharField(max_length=300, help_text="Where readers are sent instead.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

    def clean(self):
        errors = {}
        if self.new_path and not is_site_path(self.new_path):
            errors["new_path"] = (
                "The new address must be an address on this site: a path starting with a "
                "single /, such as /guidance/researchers/."
            )
        elif self.new_path and self.new_path == self.old_path:
            errors["new_path"] = "The new address must differ from the old one."
        problem = why_taken(self.old_path) if self.old_path else None
        if problem:
            errors["old_path"] = problem
        if errors:
            raise ValidationError(errors)


class RateLimitHit(models.Model):
    """One request counted against a rate limit (`embedded.ratelimit`), until it expires.

    Kept in the database so every process counts the same requests, and nothing a
    reader does (filling a cache, say) can make the site forget them. The key is the
    limit's name and a keyed hash of the client's address, never the address itself.
    """

    key = models.CharField(max_length=100)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["key", "expires_at"], name="ratelimit_key_expiry"),
            models.Index(fields=["expires_at"], name="ratelimit_expiry"),
        ]

    def __str__(self):
        return self.key


class SearchEntry(models.Model):
    """One published item, or one section of it, as search sees it, kept in step with the content.

    `embedded.search_index` writes these rows (never edit them by hand; `manage.py
    rebuild_search_index` remakes them all) and `embedded.search` queries them. An item
    has one row for the whole page (`anchor` empty) and, if its kind says so, one per
    section (`anchor` the heading's id, `title` the heading); both carry the page's key in
    `page_key`. The full-text index lives beside this table (migration
    0010_search_sections_synonyms_best_bets): on PostgreSQL a generated, GIN-indexed
    `search_vector` column (title weighted A, summary and headings B, body C), and
    `head_vector` (0011), both written straight into the index with no pending list (0012);
    on SQLite an FTS5 table that triggers keep in step with this one. A later migration that alters
    this table on SQLite rebuilds it, and must then recreate those triggers.
    """

    key = models.CharField(
        max_length=100, unique=True, help_text="The item indexed, e.g. guidance.guidepart:12."
    )
    kind = models.CharField(max_length=50, help_text="What the item is, e.g. Guide part.")
    title = models.CharField(max_length=200)
    parent_title = models.CharField(
        max_length=200, blank=True, help_text="The title of what it belongs to: a part's guide."
    )
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Everything else it says, as plain text.")
    headings = models.TextField(blank=True, help_text="Its section headings, and other short text.")
    url = models.CharField(max_length=300)
    published_at = models.DateTimeField(
        help_text="When it goes live: search hides it until then (and while its guide is hidden)."
    )
    page_key = models.CharField(max_length=100, db_index=True, default="")
    anchor = models.CharField(max_length=100, blank=True, default="")
    rank = models.FloatField(
        default=1.0, help_text="How it ranks against other kinds for the same words."
    )

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self):
        return self.title


class ContentVersion(models.Model):
    """The site-wide content version: one row that every web process reads.

    `embedded.caching` stores each cached page with the token it was made under
    and serves it only while this row holds the same token. The token changes
    whenever any content is saved or deleted, and when `next_change_at` (the
    moment the next scheduled item goes live) passes. Never edit it by hand.
    """

    token = models.CharField(max_length=32, help_text="Changes with every change to content.")
    next_change_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next scheduled item goes live, if any is."
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_content_version")]

    def __str__(self):
        return self.token


def _editor(help_text):
    """A link to an editor's account that outlives the account."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


class Draft(models.Model):
    """An editor's unpublished changes to a published item, kept beside its live version.

    The item's own row is always what readers see. Once an item has been published,
    "Save draft" in the admin stores the edit form here, exactly as the editor posted
    it (fields and owned rows), and leaves the row alone; "Publish" replays the form
    through the admin, so the row, its owned rows, its history, the page cache and the
    search index change together, as for any save. An item has at most one draft.
    Items never published keep their work on the row itself, with status Draft.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SCHEDULED = "scheduled", "Scheduled"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(
        default=dict, help_text="The edit form as last saved: each field's name and values."
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    author = _editor("Who last saved the draft.")
    submitted_by = _editor("Who submitted it for review.")
    reviewer = _editor("Who approved it, or sent it back.")
    comment = models.TextField(blank=True, help_text="The reviewer's comment, if sent back.")
    base_version = models.CharField(
        max_length=40, blank=True, help_text="The live version's stamp when the draft began."
    )
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When a scheduled draft replaces the live version."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_draft_per_item")
        ]
        permissions = [("approve_draft", "Approve and publish changes")]

    def __str__(self):
        return f"{self.get_state_display()} of {self.item}"


class ChangeNote(PlainText):
    """One published change to an item of content: a major one with its note for readers,
    or a minor one (typos, formatting) that is never listed.

    The item is named by its model's label and primary key, so this app needs no
    app's models (`embedded.changenotes` finds the items through the registry).
    `made_at` is when the change went, or goes, live: a scheduled publication's
    note is public from then, and only while its item is live. Record changes
    with `embedded.changenotes.record_change`, never by creating rows here.
    """

    item_type = models.CharField(
        max_length=100, help_text="The kind of content changed, e.g. guidance.guidepart."
    )
    item_id = models.PositiveBigIntegerField(help_text="Which item of that kind.")
    major = models.BooleanField(
        help_text="Major changes are listed for readers with their note; minor ones are not."
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text="One line for readers on what changed, e.g. Added a section on funding routes.",
    )
    made_at = models.DateTimeField(help_text="When the change went (or goes) live.")
    author = _editor("The editor who published it; empty for changes loaded from content files.")

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [
            models.Index(fields=["item_type", "item_id", "made_at"], name="changenote_item"),
            models.Index(fields=["made_at"], name="changenote_made_at"),
        ]

    def __str__(self):
        return self.note or "Minor change"

    def clean(self):
        super().clean()
        if self.major and not self.note.strip():
            raise ValidationError({"note": MAJOR_NEEDS_A_NOTE})


MAJOR_NEEDS_A_NOTE = (
    "Enter a change note: one line for readers on what changed, "
    "for example ‘Added a section on funding routes’."
)


class SynonymGroup(Publishable):
    """Words readers use for one thing: a search for any of them finds what says any other.

    Glossary terms and their other forms count as groups too (see `embedded.search`).
    """

    terms = models.TextField(
        help_text=(
            "The words and phrases that mean the same on this site, one per line: "
            "abbreviations (PPI), other names (patient and public involvement)."
        ),
    )
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        verbose_name = "synonym group"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """Where its effect shows: a search for its first term (the admin links there)."""
        from urllib.parse import urlencode

        terms = self.term_list()
        return "/search/?" + urlencode({"q": terms[0] if terms else self.title})

    def public_paths(self):
        return []  # search uses it; it has no page of its own

    def term_list(self):
        return [line.strip() for line in self.terms.splitlines() if line.strip()]


class BestBet(models.Model):
    """A page editors pin to the top of the results for one search."""

    query = models.CharField(
        max_length=200,
        unique=True,
        help_text=(
            "What readers type, for example 'job description'. Case, punctuation and "
            "common words such as 'how do I' make no difference."
        ),
    )
    url = models.CharField(
        "page address",
        max_length=300,
        help_text="The address of a published page of this site, e.g. /roles/embedded-researcher/.",
    )

    class Meta:
        ordering = ["query"]
        verbose_name = "best bet"

    def __str__(self):
        return f"{self.query} → {self.url}"

    def clean(self):
        from embedded.search import normalised

        if not normalised(self.query):
            raise ValidationError(
                {"query": "Give at least one word that is not a common word such as 'the'."}
            )
        if not SearchEntry.objects.filter(url=self.url, anchor="").exists():
            raise ValidationError(
                {"url": "No published page has this address. Copy it from the page itself."}
            )
