"""The toolkit's content files: what ships, and how the loader reads and checks them."""

import shutil

import pytest
from django.conf import settings

from embedded.content import ContentError, load
from toolkit.models import DesignTheme, DocumentTemplate, Framework

pytestmark = pytest.mark.django_db

THEME_SLUGS = [
    "intended-outcomes", "power-dynamics", "scale", "involvement", "proximity", "belonging",
    "functional-activities", "researcher-skills-and-expertise", "relational-role",
    "learning-and-reflection",
]  # fmt: skip
TEMPLATE_SLUGS = [
    "partnership-heads-of-terms", "induction-plan", "impact-log", "review-meeting-agenda",
    "public-contributor-role-description",
]  # fmt: skip


@pytest.fixture
def content_dir(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, target)
    return target


def test_the_shipped_framework_has_ten_themes_in_three_groups_of_two_four_and_four():
    framework = Framework.objects.published().get()
    themes = list(framework.themes.published().order_by("order"))
    assert [theme.slug for theme in themes] == THEME_SLUGS
    assert [theme.order for theme in themes] == list(range(1, 11))
    groups = [theme.group for theme in themes]
    assert groups == ["intent"] * 2 + ["structure"] * 4 + ["process"] * 4
    for theme in themes:
        assert 4 <= len(theme.questions) <= 8, theme.slug
        assert theme.related_parts.exists() and theme.related_case_studies.exists(), theme.slug


def test_the_shipped_templates_are_the_five_agreed():
    slugs = list(DocumentTemplate.objects.published().values_list("slug", flat=True))
    assert slugs == TEMPLATE_SLUGS


def test_shipped_toolkit_content_has_no_placeholder_words():
    for model in (Framework, DesignTheme, DocumentTemplate):
        for item in model.objects.all():
            text = f"{item.title} {item.summary} {item.body} {getattr(item, 'questions', '')}"
            for word in ["TODO", "TBC", "lorem", "ipsum"]:
                assert word not in text, (item.slug, word)


def test_loading_the_toolkit_files_again_changes_nothing():
    before = DesignTheme.history.count() + DocumentTemplate.history.count()
    counts = load(settings.CONTENT_DIR)
    assert counts["framework theme"] == counts["template"] == counts["framework"] == 0
    assert DesignTheme.history.count() + DocumentTemplate.history.count() == before


def test_a_theme_edited_in_the_admin_survives_export_and_load(tmp_path):
    from embedded.content import export

    theme = DesignTheme.objects.get(slug="scale")
    theme.questions = [*theme.questions, "A question added by an editor?"]
    theme.save()
    export(tmp_path)
    text = (tmp_path / "framework" / "03-scale.md").read_text()
    assert "  - A question added by an editor?" in text
    assert text.index("next_review_due:") < text.index("group:")  # own fields after the shared ones
    theme.questions = ["Something else?"]
    theme.save()
    load(tmp_path)
    theme.refresh_from_db()
    assert theme.questions[-1] == "A question added by an editor?"


def replace_in(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        ("framework/03-scale.md", "group: structure", "group: roots", "'group' should be one of"),
        ("framework/03-scale.md", "slug: scale", "slug: plan", "used by another page"),
        (
            "framework/03-scale.md",
            "questions:\n",
            "questions: one\n",
            "'questions' should be a list",
        ),
        (
            "framework/03-scale.md",
            "related_case_studies:\n",
            "related_case_studies:\n  - no-such-study\n",
            "names 'no-such-study', but there is no such case study",
        ),
        (
            "framework/03-scale.md",
            "related_parts:\n",
            "related_parts:\n  - nhs-organisations/no-such-part\n",
            "there is no such guide part",
        ),
        (
            "framework/03-scale.md",
            "questions:\n",
            "questions:\n" + "  - Another?\n" * 9,
            "between 1 and 8 questions",
        ),
        ("templates/03-impact-log.md", "order: 3", "order: third", "should be a whole number"),
    ],
)
def test_a_bad_toolkit_file_is_named_and_nothing_changes(content_dir, file, old, new, problem):
    replace_in(content_dir / file, old, new)
    before = list(DesignTheme.objects.values_list("slug", "questions", "group"))
    with pytest.raises(ContentError) as error:
        load(content_dir)
    assert error.value.path == file and problem in str(error.value)
    assert list(DesignTheme.objects.values_list("slug", "questions", "group")) == before
