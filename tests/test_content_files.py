"""Content as files: load_content and export_content, on a small sample folder of every kind.

The tests load `tests/sample_content/` (one file of each kind) rather than the
shipped content, so an editor's change to `content/` cannot break them; checks
on the shipped content itself are in `tests/content/`.
"""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from casestudies.models import CaseStudy
from embedded.content import ContentError, export, load, registry
from embedded.models import Page
from guidance.models import Guide, GuidePart, RoleProfile

pytestmark = pytest.mark.django_db

GOOD_PAGE = """---
title: A new page
summary: What the new page is about.
last_reviewed: 2026-11-26
next_review_due: 2027-11-26
---
## Section

Words.
"""


SAMPLE = Path(__file__).parent / "sample_content"
PAGE = "pages/sample-page.md"
PART = "guides/sample-guide/01-first-part.md"
ROLE = "roles/sample-role.md"
STUDY = "casestudies/sample-study.md"


@pytest.fixture
def content_dir(tmp_path):
    """A copy of the sample folder, already loaded once (so the database matches it)."""
    target = tmp_path / "content"
    shutil.copytree(SAMPLE, target)
    load(target)
    return target


def snapshot():
    """Everything a reader could see, to prove a failed load left it alone."""
    return {
        "pages": sorted(Page.objects.values_list("slug", "title", "body")),
        "parts": sorted(GuidePart.objects.values_list("guide__slug", "slug", "title", "body")),
        "studies": sorted(CaseStudy.objects.values_list("slug", "title", "outcome")),
        "roles": sorted(RoleProfile.objects.values_list("slug", "competencies__name")),
    }


def test_loading_the_same_files_again_changes_nothing(content_dir):
    before = Page.history.count() + GuidePart.history.count() + CaseStudy.history.count()
    counts = load(content_dir)
    assert set(counts.values()) == {0}
    after = Page.history.count() + GuidePart.history.count() + CaseStudy.history.count()
    assert after == before


def test_export_writes_back_the_files_it_was_loaded_from(content_dir, tmp_path_factory):
    target = tmp_path_factory.mktemp("exported")
    export(target)
    for path in content_dir.glob("*/**/*.md"):
        exported = target / path.relative_to(content_dir)
        assert exported.read_text() == path.read_text(), path


def test_an_edit_in_the_database_survives_export_and_load(content_dir, tmp_path):
    part = GuidePart.objects.get(guide__slug="sample-guide", slug="first-part")
    part.title = "What the job is really like"
    part.save()
    export(tmp_path)
    part.title = "Something else"
    part.save()
    counts = load(tmp_path)
    assert counts["guide part"] == 1
    part.refresh_from_db()
    assert part.title == "What the job is really like"


def test_a_new_file_is_created_and_its_slug_comes_from_the_file_name(content_dir):
    (content_dir / "pages" / "a-new-page.md").write_text(GOOD_PAGE)
    load(content_dir)
    page = Page.objects.get(slug="a-new-page")
    assert page.title == "A new page"
    assert 'id="section"' in page.body_html


BAD_FILES = {
    "broken YAML": (
        "---\ntitle: Fine\nsummary: [unclosed\nlast_reviewed: 2026-11-26\n---\nBody\n",
        4,
        "not valid YAML",
    ),
    "unknown field": (
        "---\ntitle: Fine\nsummary: Fine.\nlast_reviewed: 2026-11-26\nnext_review_due: 2027-11-26\n"
        "colour: blue\n---\nBody\n",
        6,
        "unknown field 'colour'",
    ),
    "missing title": (
        "---\nsummary: Fine.\nlast_reviewed: 2026-11-26\nnext_review_due: 2027-11-26\n---\nBody\n",
        1,
        "'title' field is missing",
    ),
    "wrong type": (
        "---\ntitle: Fine\nsummary: Fine.\nlast_reviewed: next tuesday\n"
        "next_review_due: 2027-11-26\n---\nBody\n",
        4,
        "'last_reviewed' should be a date",
    ),
    "bad status": (
        "---\ntitle: Fine\nsummary: Fine.\nstatus: live\nlast_reviewed: 2026-11-26\n"
        "next_review_due: 2027-11-26\n---\nBody\n",
        4,
        "should be one of draft, published",
    ),
    "no front matter": ("# Just a heading\n\nBody\n", 1, "should start with front matter"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_file_stops_the_load_names_its_line_and_changes_nothing(content_dir, case):
    text, line, problem = BAD_FILES[case]
    # A good change in the same run must not land either.
    about = content_dir / PAGE
    about.write_text(about.read_text().replace("title: About", "title: Changed about", 1))
    (content_dir / "pages" / "zz-bad.md").write_text(text)
    before = snapshot()
    with pytest.raises(ContentError) as error:
        load(content_dir)
    assert error.value.path == "pages/zz-bad.md"
    assert error.value.line == line
    assert problem in str(error.value)
    assert snapshot() == before


def test_a_duplicate_slug_names_both_files(content_dir):
    (content_dir / "pages" / "zz-copy.md").write_text(
        GOOD_PAGE.replace("title:", "slug: sample-page\ntitle:")
    )
    problem = r"pages/zz-copy.md, line 2: the slug 'sample-page' is already used by pages/sample-p"
    with pytest.raises(ContentError, match=problem):
        load(content_dir)


def test_a_wrong_value_in_a_case_study_facet_is_named(content_dir):
    path = content_dir / STUDY
    path.write_text(path.read_text().replace("setting: acute-trust", "setting: hospital"))
    with pytest.raises(ContentError, match="'setting' should be one of acute-trust"):
        load(content_dir)


def test_a_link_to_a_missing_guide_part_is_named_and_nothing_changes(content_dir):
    path = content_dir / STUDY
    path.write_text(path.read_text().replace("sample-guide/first-part", "sample-guide/nope"))
    before = snapshot()
    with pytest.raises(ContentError, match="'sample-guide/nope', but there is no such guide part"):
        load(content_dir)
    assert snapshot() == before


def test_a_criterion_links_to_a_heading_of_its_part_and_a_missing_one_is_named(content_dir):
    load(content_dir)

    def curiosity():
        return RoleProfile.objects.get(slug="sample-role").competencies.get(name="Curiosity")

    assert (curiosity().guide_part.slug, curiosity().guide_anchor) == ("second-part", "")
    path = content_dir / ROLE
    text = path.read_text()
    path.write_text(
        text.replace("sample-guide/second-part", "sample-guide/second-part#another-section")
    )
    load(content_dir)
    assert curiosity().guide_anchor == "another-section"
    path.write_text(text.replace("sample-guide/second-part", "sample-guide/second-part#nowhere"))
    before = snapshot()
    with pytest.raises(
        ContentError, match="names the heading #nowhere in 'sample-guide/second-part'"
    ):
        load(content_dir)
    assert snapshot() == before


def test_a_criterion_assessed_in_an_unknown_way_is_named(content_dir):
    path = content_dir / ROLE
    path.write_text(path.read_text().replace("      - interview\n", "      - astrology\n", 1))
    with pytest.raises(ContentError, match="should be one of application, interview"):
        load(content_dir)


def test_a_non_integer_order_is_refused(content_dir):
    path = content_dir / PART
    path.write_text(path.read_text().replace("order: 1", "order: first"))
    with pytest.raises(ContentError, match=r"line \d+: 'order' should be a whole number"):
        load(content_dir)


def test_the_command_reports_the_problem_without_a_traceback(content_dir):
    (content_dir / "pages" / "bad.md").write_text(BAD_FILES["unknown field"][0])
    with pytest.raises(CommandError, match=r"Nothing was loaded. pages/bad.md, line 6"):
        call_command("load_content", dir=str(content_dir))


def test_the_loader_fills_an_empty_database(content_dir):
    for model in (CaseStudy, RoleProfile, GuidePart, Guide, Page):
        model.objects.all().delete()
    call_command("load_content", dir=str(content_dir), stdout=io.StringIO())
    assert list(Guide.objects.values_list("slug", flat=True)) == ["sample-guide"]
    assert GuidePart.objects.count() == 2 and Page.objects.count() == 1
    study = CaseStudy.objects.get()
    assert [part.slug for part in study.related_parts.all()] == ["first-part"]
    assert sorted(theme.name for theme in study.themes.all()) == ["Evaluation", "Service redesign"]
    role = RoleProfile.objects.get()
    assert role.responsibilities.count() == 3 and role.competencies.count() == 2


def line_number(path, starting):
    """The 1-based number of the first line of the file that starts with `starting`."""
    lines = path.read_text().splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.lstrip().startswith(starting))


def test_a_title_longer_than_its_field_allows_is_named_with_its_file_and_line(content_dir):
    about = content_dir / PAGE
    about.write_text(about.read_text().replace("title: About", "title: " + "Much longer " * 20, 1))
    before = snapshot()
    with pytest.raises(ContentError) as error:
        load(content_dir)
    assert error.value.path == PAGE
    assert error.value.line == line_number(about, "title:")
    assert "'title': Ensure this value has at most 200 characters" in str(error.value)
    assert snapshot() == before


def test_a_value_too_long_inside_a_list_is_named_with_its_own_line(content_dir):
    role = content_dir / ROLE
    text = role.read_text()
    name = text.split("    name: ", 1)[1].split("\n", 1)[0]
    role.write_text(text.replace(f"    name: {name}", f"    name: {name}{' and more' * 20}", 1))
    before = snapshot()
    with pytest.raises(ContentError) as error:
        load(content_dir)
    assert error.value.line == line_number(role, f"name: {name}")
    assert "'competencies' entry 1 'name': Ensure this value has at most 100" in str(error.value)
    assert snapshot() == before


def test_a_single_value_where_a_list_belongs_is_refused_not_split_into_letters(content_dir):
    role = content_dir / ROLE
    lines = role.read_text().splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == "items:")
    end = next(n for n in range(start + 1, len(lines)) if not lines[n].startswith("      - "))
    lines[start:end] = ["    items: Research"]
    role.write_text("\n".join(lines) + "\n")
    before = snapshot()
    with pytest.raises(ContentError) as error:
        load(content_dir)
    assert error.value.line == start + 1
    assert "'items' should be a list" in str(error.value)
    assert snapshot() == before


def test_a_theme_name_too_long_is_named(content_dir):
    study = content_dir / STUDY
    text = study.read_text()
    study.write_text(text.replace("themes:\n", "themes:\n  - " + "A very long theme " * 5 + "\n"))
    with pytest.raises(ContentError) as error:
        load(content_dir)
    assert error.value.line == line_number(study, "themes:")
    assert "'themes': Ensure this value has at most 60 characters" in str(error.value)


def test_export_keeps_files_that_match_nothing_unless_told_to_delete(content_dir):
    orphan = content_dir / "pages" / "no-longer-in-the-database.md"
    orphan.write_text(GOOD_PAGE)
    out = io.StringIO()
    call_command("export_content", dir=str(content_dir), stdout=out)
    assert orphan.read_text() == GOOD_PAGE
    assert "Kept 1 files that match nothing" in out.getvalue()
    assert "pages/no-longer-in-the-database.md" in out.getvalue()

    call_command("export_content", dir=str(content_dir), delete=True, stdout=io.StringIO())
    assert not orphan.exists()
    assert (content_dir / PAGE).exists()


def test_export_never_deletes_files_when_the_database_holds_no_content(content_dir):
    before = {path: path.read_bytes() for path in content_dir.rglob("*.md")}
    for kind in reversed(registry.kinds):
        kind.model.objects.all().delete()
    with pytest.raises(CommandError, match="The database holds no content"):
        call_command("export_content", dir=str(content_dir), delete=True)
    call_command("export_content", dir=str(content_dir), stdout=io.StringIO())
    assert {path: path.read_bytes() for path in content_dir.rglob("*.md")} == before
