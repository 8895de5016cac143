"""The role profile: its page, its Word file, the job description builder and the self-assessment.

The page, the Word file and the two form pages are public pages, cached for
anonymous readers. The builder and the self-assessment keep nothing: answers
arrive in a POST, are checked, and are shown back once on a private page
that no cache keeps. To change them or to download the tailored Word file,
the answers travel again as hidden fields: there is no session and no
server-side copy.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from embedded.caching import private_page, public_page
from guidance import wordfile
from guidance.forms import JobDescriptionBuilderForm, SelfAssessmentForm
from guidance.models import RoleProfile

HOME = ("Home", "/")
# Far more than the longest honest answers (every field full, in any script),
# far less than an upload. Bigger requests are refused before they are read.
MAX_ANSWERS_BYTES = 100_000


def _with_part(relation):
    model = RoleProfile._meta.get_field(relation).related_model
    return model.objects.select_related("guide_part__guide")


def _profile(request, slug):
    """The profile with all its items, in four queries, as this reader may see it."""
    return get_object_or_404(
        RoleProfile.objects.visible_to(request.user).prefetch_related(
            Prefetch("responsibilities", queryset=_with_part("responsibilities")),
            Prefetch("working_relationships", queryset=_with_part("working_relationships")),
            Prefetch("competencies", queryset=_with_part("competencies")),
        ),
        slug=slug,
    )


def _context(profile, **extra):
    """For the pages within a profile: the builder and the self-assessment."""
    role_crumb = (profile.title, profile.get_absolute_url())
    return {"profile": profile, "item": profile, "breadcrumbs": [HOME, role_crumb], **extra}


@public_page
def role(request, slug):
    profile = _profile(request, slug)
    job = wordfile.JobDescription.from_profile(profile)
    context = {"profile": profile, "item": profile, "job": job, "breadcrumbs": [HOME]}
    return render(request, "guidance/role.html", context)


@public_page
def job_description(request, slug):
    profile = _profile(request, slug)
    return _word_file(request, wordfile.JobDescription.from_profile(profile))


def _word_file(request, job):
    document = wordfile.document(job, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(document, content_type=wordfile.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


def _answers(request):
    """The submitted answers, or None when the request is too big to be honest answers."""
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_ANSWERS_BYTES:
            return None
        return request.POST
    except (ValueError, RequestDataTooBig, TooManyFieldsSent):
        return None


def _too_big(request, profile, form_name):
    form_url = reverse(form_name, args=[profile.slug])
    context = _context(profile, form_url=form_url, noindex=True)
    return render(request, "guidance/role_answers_too_big.html", context, status=413)


# The builder and the self-assessment take POSTs without a CSRF token. Their
# form pages are cached public pages, and a token would give every reader a
# cookie and a page of their own. A forged submission would gain an attacker
# nothing: it stores and changes nothing, and the answer goes back only to
# the browser that sent it.


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def build(request, slug):
    if request.method == "POST":
        return _build_answer(request, slug)
    return _build_form(request, slug)


@public_page
def _build_form(request, slug):
    profile = _profile(request, slug)
    form = JobDescriptionBuilderForm(profile)
    return render(request, "guidance/role_build.html", _context(profile, form=form))


@private_page
def _build_answer(request, slug):
    return _checked_answers(
        request,
        slug,
        JobDescriptionBuilderForm,
        form_template="guidance/role_build.html",
        result_template="guidance/role_build_preview.html",
        result=lambda form: {"job": form.job_description()},
    )


def _checked_answers(request, slug, form_class, form_template, result_template, result):
    """A tool's answers: refused if too big, sent back to change, explained if wrong, or shown.

    `result(form)` gives what the result page needs beyond the form.
    """
    profile = _profile(request, slug)
    answers = _answers(request)
    if answers is None:
        return _too_big(request, profile, request.resolver_match.view_name)
    form = form_class(profile, answers)
    if "change" in answers:
        return render(request, form_template, _context(profile, form=form))
    if not form.is_valid():
        return render(request, form_template, _context(profile, form=form), status=400)
    context = _context(profile, form=form, noindex=True, **result(form))
    return render(request, result_template, context)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def build_job_description(request, slug):
    """The tailored Word file, made from the answers the preview sends back."""
    if request.method != "POST":
        return redirect("guidance:role_build", slug=slug)
    profile = _profile(request, slug)
    answers = _answers(request)
    if answers is None:
        return _too_big(request, profile, "guidance:role_build")
    form = JobDescriptionBuilderForm(profile, answers)
    if not form.is_valid():
        context = _context(profile, form=form)
        return render(request, "guidance/role_build.html", context, status=400)
    return _word_file(request, form.job_description())


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def self_assessment(request, slug):
    if request.method == "POST":
        return _assessment_result(request, slug)
    return _assessment_form(request, slug)


@public_page
def _assessment_form(request, slug):
    profile = _profile(request, slug)
    form = SelfAssessmentForm(profile)
    return render(request, "guidance/role_self_assessment.html", _context(profile, form=form))


@private_page
def _assessment_result(request, slug):
    return _checked_answers(
        request,
        slug,
        SelfAssessmentForm,
        form_template="guidance/role_self_assessment.html",
        result_template="guidance/role_self_assessment_result.html",
        result=lambda form: {},
    )
