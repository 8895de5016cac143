"""Facts the shipped content must keep right, checked in the Markdown files themselves.

These tests load nothing into the database: they read every file under `content/`,
split it into the pieces a reader takes as one statement (a paragraph, or one item
of a list) and check each piece. Each rule is first shown to catch the wording it
exists to stop, so a rule that could never fail would fail here.
"""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

CONTENT = Path(settings.CONTENT_DIR)
FILES = sorted(path for path in CONTENT.rglob("*.md") if path.name != "README.md")

OLD_NAME = "National Institute for Health Research"
NEW_NAME = "National Institute for Health and Care Research"
OLD_PROGRAMME = "Health Services and Delivery Research"
NEW_PROGRAMME = "Health and Social Care Delivery Research"
NON_CITATION = "Two papers on the scoping review and framework"

# Words that say a piece of text is about someone already in the NHS moving to another NHS body.
BETWEEN_NHS_BODIES = re.compile(
    r"\b(?:another|other|second|different) NHS (?:organisations?|bod(?:y|ies)|trusts?|employers?)"
    r"|\bbetween NHS\b|\bNHS employees?\b|\bNHS staff\b"
    r"|\bemployed by (?:an|one|the|another) NHS\b",
    re.IGNORECASE,
)


def pieces(text):
    """Paragraphs and list items, each with its whitespace collapsed."""
    for block in re.split(r"\n\s*\n", text):
        for item in re.split(r"\n(?=\s*(?:[-*+]|\d+\.)\s)", block):
            piece = " ".join(item.split())
            if piece:
                yield piece


def content_pieces():
    """What readers see of each file: its title, its summary and its body's pieces.

    (Other front matter, such as a glossary entry's `also_matches`, is for the site, not
    statements to readers.)
    """
    for path in FILES:
        _, front, body = path.read_text().split("---\n", 2)
        meta = yaml.safe_load(front)
        shown = [meta.get("title", ""), meta.get("summary", ""), body]
        for piece in pieces("\n\n".join(str(text) for text in shown)):
            yield path.relative_to(CONTENT).as_posix(), piece


def old_name_unexplained(piece):
    """The funder's old name, without the new name and a word saying it changed."""
    return OLD_NAME.lower() in piece.lower() and not (
        NEW_NAME.lower() in piece.lower()
        and re.search(r"\b(?:called|named|renamed|name)\b", piece, re.IGNORECASE)
    )


def old_programme_unexplained(piece):
    return OLD_PROGRAMME.lower() in piece.lower() and NEW_PROGRAMME.lower() not in piece.lower()


def passport_for_nhs_staff(piece):
    """The Research Passport named in a statement about NHS staff working in another NHS body,
    without the NHS-to-NHS letter of access that is their actual route."""
    return (
        "research passport" in piece.lower()
        and BETWEEN_NHS_BODIES.search(piece) is not None
        and "nhs-to-nhs" not in piece.lower()
    )


def names_a_part_by_number(piece):
    return re.search(r"\bpart \d+ of (?:this|the|our) guide\b", piece, re.IGNORECASE) is not None


def test_there_is_content_to_check():
    assert len(FILES) >= 25
    assert any(path.name == "about-the-study.md" for path in FILES)


# Each rule, shown catching the wording it guards against and passing the correct wording.


def test_the_rules_catch_the_old_wording_and_pass_the_correct_wording():
    assert old_name_unexplained(
        "This guide draws on a study funded by the National Institute for Health Research (NIHR)."
    )
    assert not old_name_unexplained(
        "The funder is the National Institute for Health and Care Research (NIHR). "
        "When the study was funded, it was called the National Institute for Health Research."
    )
    assert old_programme_unexplained("the NIHR Health Services and Delivery Research programme")
    assert not old_programme_unexplained(
        "the programme then called Health Services and Delivery Research, "
        "now Health and Social Care Delivery Research"
    )
    assert passport_for_nhs_staff(
        "If you employ the researcher directly, they will not need a Research Passport for your "
        "organisation. They may need one to work in other NHS organisations."
    )
    assert passport_for_nhs_staff(
        "NHS employees who work in another NHS trust apply for a Research Passport."
    )
    assert not passport_for_nhs_staff(
        "Staff already employed by one NHS body need an NHS-to-NHS letter of access to work in "
        "another NHS organisation, not a Research Passport."
    )
    assert not passport_for_nhs_staff(
        "Researchers without an NHS contract get access through the Research Passport."
    )
    assert names_a_part_by_number("Part 4 of this guide explains the thinking.")
    assert not names_a_part_by_number("Read designing your initiative, in this guide.")
    assert list(pieces("One\nline.\n\n- first item\n- second\n  item")) == [
        "One line.",
        "- first item",
        "- second item",
    ]


# The rules, applied to every file the site ships.


def test_the_placeholder_reference_is_gone_and_the_ward_papers_are_cited():
    for path in FILES:
        assert NON_CITATION.lower() not in " ".join(path.read_text().split()).lower(), path
    for guide in ["nhs-organisations", "researchers", "public-involvement"]:
        [references] = (CONTENT / "guides" / guide).glob("*-references.md")
        text = references.read_text()
        assert "Embedding researchers into organisations" in text, guide
        assert "A framework to support the design and cultivation" in text, guide
        assert "https://doi.org/10.1332/174426421X16165177707227" in text, guide
        assert "https://doi.org/10.3310/hfuu3193" in text, guide
        assert "2022;10(3):1-182" in text, guide


def test_the_old_funder_name_appears_only_where_the_new_name_explains_it():
    offending = [(path, piece) for path, piece in content_pieces() if old_name_unexplained(piece)]
    assert offending == []
    explained = {path for path, piece in content_pieces() if OLD_NAME.lower() in piece.lower()}
    assert explained == {"pages/about-the-study.md", "glossary/nihr.md"}


def test_the_old_programme_name_appears_only_beside_the_new_one():
    offending = [
        (path, piece) for path, piece in content_pieces() if old_programme_unexplained(piece)
    ]
    assert offending == []


def test_nhs_staff_are_never_sent_to_the_research_passport_to_work_in_another_nhs_body():
    offending = [(path, piece) for path, piece in content_pieces() if passport_for_nhs_staff(piece)]
    assert offending == []
    [hosting] = (CONTENT / "guides" / "nhs-organisations").glob(
        "*-recruiting-employing-and-hosting.md"
    )
    hosting = hosting.read_text()
    assert "NHS-to-NHS letter of access" in hosting
    assert "https://www.hra-decisiontools.org.uk/research/" in hosting


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.relative_to(CONTENT).as_posix())
def test_no_page_points_to_a_part_by_its_number(path):
    assert not any(names_a_part_by_number(piece) for piece in pieces(path.read_text()))


def other_sponsor_term(piece):
    """A name for the host's senior champion other than the one term the guides use."""
    return re.search(r"\b(?:named|host|host's) sponsor\b", piece, re.IGNORECASE) is not None


def test_the_sponsor_rule_catches_the_old_terms():
    assert other_sponsor_term("A named sponsor is a senior person in the host.")
    assert other_sponsor_term("The scheme lead or host sponsor arranges it.")
    assert not other_sponsor_term("Your senior sponsor in the host can help.")
    assert not other_sponsor_term("A named senior person in the host who champions the work.")


def test_guides_and_pages_call_the_host_champion_the_senior_sponsor():
    offending = [
        (path, piece)
        for path, piece in content_pieces()
        if path.startswith(("guides/", "pages/")) and other_sponsor_term(piece)
    ]
    assert offending == []
    for guide in ["nhs-organisations", "researchers", "public-involvement"]:
        text = " ".join(
            " ".join(part.read_text().split()) for part in (CONTENT / "guides" / guide).glob("*.md")
        )
        assert "senior sponsor" in text, guide
        assert "formal sponsor of a research study" in text, guide
