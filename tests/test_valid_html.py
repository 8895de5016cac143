"""Every kind of page is valid HTML, as the Nu HTML Checker (vnu) judges it.

The pages are made with the test client, written to a folder, and checked in
one run of the checker, so its Java virtual machine starts once a session.
The checker is the `vnu-jar` npm package (a devDependency); it runs on the
machine's Java, which CI installs (`.ci/run`). Without Java the test is
skipped, saying so.
"""

import json
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings

from casestudies.models import CaseStudy
from toolkit.models import DesignTheme, DocumentTemplate
from toolkit.progress import STEPS as PLANNER_STEPS

pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ROLE = "/roles/embedded-researcher/"
PLANNER = "/framework/plan/"
PLANNER_ORGANISATION = {
    "organisation-name": "Northshire Community Health",
    "organisation-setting": "acute-trust",
    "organisation-model": "researcher-in-residence",
    "organisation-funding": "research-funder",
}
# A page the checker must fault, to prove it is looking: ARIA rows outside any table.
BROKEN = '<!DOCTYPE html><html lang="en"><title>Broken</title><div role="row">x</div></html>'


def _get(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, path
    return response.content


def _post(client, path, data, status=200):
    response = client.post(path, data)
    assert response.status_code == status, path
    return response.content


def _builder_answers(page):
    """Everything the builder's form starts with, as a browser would send it."""
    form = lxml.html.fromstring(page).xpath("//form[contains(@class, 'role-builder')]")[0]
    answers = dict(form.form_values())
    answers["responsibilities"] = form.xpath(".//input[@name='responsibilities']/@value")
    answers["competencies"] = form.xpath(".//input[@name='competencies']/@value")
    return answers


def _self_assessment(client):
    """Each step's page, a step refused for having no answers, and the results."""
    pages = {}
    url = f"{ROLE}self-assessment/"
    for number in range(1, 4):
        page = _get(client, url)
        pages[f"self-assessment-step-{number}"] = page
        tree = lxml.html.fromstring(page)
        action = tree.xpath("//form[contains(@action, 'self-assessment')]/@action")[0]
        sent = {i.get("name"): i.get("value") for i in tree.xpath("//form//input[@type='hidden']")}
        first = tree.xpath("//input[@type='radio']/@name")
        if number == 3:
            pages["self-assessment-none-rated"] = _post(client, action, {}, status=400)
        response = client.post(action, {**sent, first[0]: "developing"} if first else sent)
        url = response["Location"]
    pages["self-assessment-results"] = _get(client, url)
    return pages


def _planner_plan(client):
    """The plan, made from the organisation step alone (with the hidden fields it sends)."""
    page = lxml.html.fromstring(_get(client, f"{PLANNER}organisation/"))
    form = page.xpath(f"//form[@action='{PLANNER}']")[0]
    hidden = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
    data = {**hidden, "step": "organisation", **PLANNER_ORGANISATION, "go": "plan"}
    return _post(client, PLANNER, data)


def every_kind_of_page(client):
    """{name: HTML} for every kind of page a reader can reach."""
    case_study = CaseStudy.objects.published().order_by("pk").first()
    theme = DesignTheme.objects.published().order_by("order").first()
    template = DocumentTemplate.objects.published().order_by("pk").first()
    builder = _get(client, f"{ROLE}build/")
    answers = {
        **_builder_answers(builder),
        "organisation": "Northshire Community Health",
        "employed_by": "host",
    }
    pages = {
        "home": _get(client, "/"),
        "guide-list": _get(client, "/guidance/"),
        "guide": _get(client, "/guidance/researchers/"),
        "part": _get(client, "/guidance/researchers/attitudes-skills-and-knowledge/"),
        "part-with-a-table": _get(client, "/guidance/nhs-organisations/choosing-a-model/"),
        "print-view": _get(client, "/guidance/nhs-organisations/print/"),
        "role": _get(client, ROLE),
        "builder": builder,
        "builder-errors": _post(client, f"{ROLE}build/", {}, status=400),
        "builder-check": _post(client, f"{ROLE}build/", answers),
        **_self_assessment(client),
        "case-study-list": _get(client, "/case-studies/"),
        "case-study-list-filtered": _get(client, "/case-studies/?setting=acute-trust"),
        "case-study": _get(client, case_study.get_absolute_url()),
        "framework": _get(client, "/framework/"),
        "theme": _get(client, theme.get_absolute_url()),
        "planner-start": _get(client, PLANNER),
        **{f"planner-{step}": _get(client, f"{PLANNER}{step}/") for step in PLANNER_STEPS},
        "planner-check": _post(client, PLANNER, {"go": "check"}),
        "planner-plan": _planner_plan(client),
        "template-list": _get(client, "/framework/templates/"),
        "template": _get(client, template.get_absolute_url()),
        "search-results": _get(client, "/search/?q=research"),
        "search-nothing-found": _get(client, "/search/?q=zzzzqqq"),
        "glossary": _get(client, "/glossary/"),
        "contact": _get(client, "/contact/"),
        "contact-errors": _post(client, "/contact/", {}, status=400),
        "about": _get(client, "/about/"),
        "not-found": _get(client, "/no-such-page/", status=404),
    }
    return pages


def nu_errors(folder):
    """The checker's errors for each file in `folder`, by file name: one run for them all."""
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = {}
    for message in json.loads(run.stderr or '{"messages": []}')["messages"]:
        name = Path(message.get("url", "unknown")).name
        where = f"line {message.get('lastLine', '?')}"
        errors.setdefault(name, []).append(f"{where}: {message['message']}")
    return errors


@pytest.mark.skipif(shutil.which("java") is None, reason="Java is missing: install a JRE")
def test_every_kind_of_page_is_valid_html(client, tmp_path):
    if not VNU.exists():
        pytest.skip(f"{VNU} is missing: run `npm ci` to install the Nu HTML Checker")
    pages = every_kind_of_page(client)
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_bytes(html)
    (tmp_path / "checker-guard.html").write_text(BROKEN)

    errors = nu_errors(tmp_path)

    assert "checker-guard.html" in errors, "the checker ran but found nothing wrong on purpose"
    del errors["checker-guard.html"]
    report = "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in sorted(errors.items())
    )
    assert not errors, f"The Nu HTML Checker finds errors:\n{report}"
    assert len(pages) >= 30
