"""The role profile: its page, its Word file, the job description builder and the self-assessment.

The page, the Word file and the form pages are public pages, cached for
anonymous readers. The two tools keep nothing on the server, and share one
shape (`RoleTool`): answers arrive in a POST, are refused if too big, sent
back with their errors if wrong, and otherwise answered.

- The builder answers with its check page, private and shown once. To change
  the answers or to download the Word file, they travel again as hidden
  fields.
- The self-assessment answers in three steps with post/redirect/get: each
  step's answers join the earlier ones in a signed token in the next page's
  address, so the results page can be refreshed, bookmarked and printed, and
  its Word file downloaded, with nothing kept but the address. Pages whose
  address carries answers are private: no shared cache keeps them.
"""

from functools import wraps

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from embedded.caching import private_page, public_page
from guidance import wordfile
from guidance.forms import (
    STEP_BY_SLUG,
    STEPS,
    JobDescriptionBuilderForm,
    SelfAssessment,
    SelfAssessmentStepForm,
    read_answers,
    sign_answers,
)
from guidance.jobdescription import JobDescription
from guidance.models import GuidePart, RoleProfile

HOME = ("Home", "/")
# Far more than the longest honest answers (every field full, in any script),
# far less than an upload. Bigger requests are refused before they are read.
MAX_ANSWERS_BYTES = 100_000
# The tools' names, the same in every heading, title and link (the profile's page is
# named by its title, such as "Embedded researcher: job description and person specification").
BUILDER = "Tailor the job description"
SELF_ASSESSMENT = "Assess your skills"


def _with_part(relation, *also):
    model = RoleProfile._meta.get_field(relation).related_model
    return model.objects.select_related("guide_part__guide", *also)


def _profile(request, slug):
    """The profile with all its items, in four queries, as this reader may see it."""
    return get_object_or_404(
        RoleProfile.objects.visible_to(request.user).prefetch_related(
            Prefetch("responsibilities", queryset=_with_part("responsibilities")),
            Prefetch("working_relationships", queryset=_with_part("working_relationships")),
            Prefetch("competencies", queryset=_with_part("competencies", "glossary_term")),
        ),
        slug=slug,
    )


def _context(profile, **extra):
    """For the pages within a profile: the builder and the self-assessment."""
    role_crumb = (profile.title, profile.get_absolute_url())
    return {"profile": profile, "item": profile, "breadcrumbs": [HOME, role_crumb], **extra}


def _kilobytes(document):
    return f"{max(round(len(document) / 1024), 1)} KB"


def _size(document):
    """A download's format and size, for the link or button that offers it."""
    return f"Word document, {_kilobytes(document)}"


def _word_download(job):
    """The job description's Word file, and its size for the link that offers it."""
    document = wordfile.document(job)
    return document, _size(document)


@public_page
def role(request, slug):
    profile = _profile(request, slug)
    job = JobDescription.from_profile(profile)
    _document, size = _word_download(job)
    context = {
        "profile": profile,
        "item": profile,
        "job": job,
        "download_size": size,
        "headings": _role_contents(profile, job),
        "breadcrumbs": [HOME],
    }
    return render(request, "guidance/role.html", context)


def _role_contents(profile, job):
    """The role page's sections, in the page's order, for its "On this page" list."""
    sections = [
        ("role-purpose", "Purpose of the post"),
        *((heading["id"], heading["title"]) for heading in profile.section_headings),
        ("role-responsibilities", "Main responsibilities"),
        ("role-relationships", "Working relationships"),
        ("role-person-specification", "Person specification"),
    ]
    if job.guide_parts:
        sections.append(("role-guidance", "Guidance behind this profile"))
    if profile.source:
        sections.append(("role-source", "Where this profile comes from"))
    return [{"id": anchor, "title": title} for anchor, title in sections]


@public_page
def job_description(request, slug):
    profile = _profile(request, slug)
    return _word_file(JobDescription.from_profile(profile))


def _word_file(job):
    return _attachment(wordfile.document(job), job.filename)


def _attachment(document, filename):
    response = HttpResponse(document, content_type=wordfile.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _answers(request):
    """The submitted answers, or None when the request is too big to be honest answers."""
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_ANSWERS_BYTES:
            return None
        return request.POST
    except (ValueError, RequestDataTooBig, TooManyFieldsSent):
        return None


def _refused(request, profile, start_url, status, problem):
    context = _context(profile, form_url=start_url, problem=problem, noindex=True)
    return render(request, "guidance/role_answers_refused.html", context, status=status)


# The builder and the self-assessment take POSTs without a CSRF token. Their
# form pages are cached public pages, and a token would give every reader a
# cookie and a page of their own. A forged submission would gain an attacker
# nothing: it stores and changes nothing, and the answer goes back only to
# the browser that sent it.


@method_decorator(csrf_exempt, name="dispatch")
class RoleTool(View):
    """A tool on a role profile: a form page, and its answers checked and answered.

    Subclasses say which form and template, how to make the form, and what a
    valid answer gets (`answered`).
    """

    http_method_names = ["get", "head", "post"]
    template = None
    title = None

    def get(self, request, slug, **kwargs):
        return public_page(self.form_page)(request, slug, **kwargs)

    def form_page(self, request, slug, **kwargs):
        profile = _profile(request, slug)
        return self.render_form(request, profile, self.make_form(profile, None, **kwargs))

    def post(self, request, slug, **kwargs):
        return private_page(self.check)(request, slug, **kwargs)

    def check(self, request, slug, **kwargs):
        profile = _profile(request, slug)
        answers = _answers(request)
        if answers is None:
            return self.too_big(request, profile)
        form = self.make_form(profile, answers, **kwargs)
        if "change" in answers:
            return self.render_form(request, profile, form)
        if not form.is_valid():
            return self.render_form(request, profile, form, status=400)
        return self.answered(request, profile, form)

    def too_big(self, request, profile):
        return _refused(request, profile, self.start_url(profile), 413, "too-big")

    def start_url(self, profile):
        return reverse(self.url_name, args=[profile.slug])

    def render_form(self, request, profile, form, status=200, **extra):
        context = _context(profile, form=form, tool=self.title, **extra)
        return render(request, self.template, context, status=status)

    def make_form(self, profile, answers, **kwargs):
        raise NotImplementedError

    def answered(self, request, profile, form):
        raise NotImplementedError


class Builder(RoleTool):
    template = "guidance/role_build.html"
    title = BUILDER
    url_name = "guidance:role_build"

    def make_form(self, profile, answers, **kwargs):
        return JobDescriptionBuilderForm(profile, answers)

    def answered(self, request, profile, form):
        job = form.job_description()
        document = wordfile.document(job)
        # The button says "Download as a Word document": its size is all it needs.
        context = _context(
            profile, form=form, job=job, download_size=_kilobytes(document), noindex=True
        )
        context["tool"] = BUILDER
        return render(request, "guidance/role_build_preview.html", context)


build = Builder.as_view()


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def build_job_description(request, slug):
    """The tailored Word file, made from the answers the check page sends back."""
    if request.method != "POST":
        return redirect("guidance:role_build", slug=slug)
    profile = _profile(request, slug)
    answers = _answers(request)
    if answers is None:
        return Builder().too_big(request, profile)
    form = JobDescriptionBuilderForm(profile, answers)
    if not form.is_valid():
        return Builder().render_form(request, profile, form, status=400)
    return _word_file(form.job_description())


class SelfAssessmentStep(RoleTool):
    """One step of the self-assessment. Its form page is public unless its address carries
    earlier answers (from "Back" or "Change your answers"), which make it private."""

    template = "guidance/role_self_assessment.html"
    title = SELF_ASSESSMENT
    url_name = "guidance:role_self_assessment"

    def get(self, request, slug, step=STEPS[0].slug):
        if step not in STEP_BY_SLUG:
            return _not_found(request)
        if "answers" in request.GET:
            return private_page(self.form_page)(request, slug, step=step)
        return public_page(self.form_page)(request, slug, step=step)

    def post(self, request, slug, step=STEPS[0].slug):
        if step not in STEP_BY_SLUG:
            return _not_found(request)
        return super().post(request, slug, step=step)

    def make_form(self, profile, answers, step):
        source = answers if answers is not None else self.request.GET
        earlier = read_answers(profile, source.get("answers"))
        return SelfAssessmentStepForm(profile, STEP_BY_SLUG[step], answers, earlier=earlier or {})

    def render_form(self, request, profile, form, status=200):
        token = sign_answers(form.earlier) if form.earlier else ""
        position = STEPS.index(form.step)
        previous = STEPS[position - 1] if position else None
        back = _step_url(profile, previous, token) if previous else profile.get_absolute_url()
        return super().render_form(
            request, profile, form, status, steps=STEPS, token=token, back_url=back,
            action=_step_url(profile, form.step),
        )  # fmt: skip

    def answered(self, request, profile, form):
        token = sign_answers(form.answers())
        if form.is_last:
            return redirect(_results_url(profile, token))
        following = STEPS[STEPS.index(form.step) + 1]
        return redirect(_step_url(profile, following, token))


self_assessment = SelfAssessmentStep.as_view()


def _step_url(profile, step, token=""):
    name = "guidance:role_self_assessment"
    args = [profile.slug] if step == STEPS[0] else [profile.slug, step.slug]
    url = reverse(name if step == STEPS[0] else "guidance:role_self_assessment_step", args=args)
    return f"{url}?{urlencode({'answers': token})}" if token else url


def _results_url(profile, token, name="guidance:role_self_assessment_results"):
    return f"{reverse(name, args=[profile.slug])}?{urlencode({'answers': token})}"


def _not_found(request):
    raise Http404("The self-assessment has no such step")


def _with_assessment(view):
    """A view of the self-assessment its address carries: GET only, private, and given the
    profile and the `SelfAssessment`; an address without readable answers gets a page
    explaining so, and a link to start again."""

    @require_http_methods(["GET", "HEAD"])
    @private_page
    @wraps(view)
    def wrapper(request, slug):
        profile = _profile(request, slug)
        answers = read_answers(profile, request.GET.get("answers", ""))
        if not answers:
            start = reverse("guidance:role_self_assessment", args=[profile.slug])
            return _refused(request, profile, start, 400, "unreadable")
        return view(request, profile, SelfAssessment(profile, answers))

    return wrapper


@_with_assessment
def self_assessment_results(request, profile, assessment):
    token = request.GET["answers"]
    document = _results_document(request, assessment)
    context = _context(
        profile,
        assessment=assessment,
        change_url=_step_url(profile, STEPS[0], token),
        word_url=_results_url(profile, token, "guidance:role_self_assessment_word"),
        download_size=_size(document),
        finding_a_role=GuidePart.objects.published()
        .filter(guide__slug="researchers", slug="finding-or-creating-a-role")
        .first(),
        case_studies=assessment.case_studies(),
        tool=SELF_ASSESSMENT,
        noindex=True,
    )
    return render(request, "guidance/role_self_assessment_result.html", context)


def _results_document(request, assessment):
    base_url = request.build_absolute_uri("/")
    return wordfile.self_assessment_document(assessment, SELF_ASSESSMENT, base_url)


@_with_assessment
def self_assessment_word(request, profile, assessment):
    document = _results_document(request, assessment)
    return _attachment(document, f"{profile.slug}-self-assessment.docx")
