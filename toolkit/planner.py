"""The initiative planner: a step per group of themes, a check page, then the plan.

Nothing is stored on the server and nothing is cached: every page is
`private, no-store`. Each page is a form that posts to /framework/plan/ with
the reader's answers so far in signed hidden fields (see `progress`), the
step whose fields it shows, and the button pressed (`go`: a step, check,
plan, word or save). Answers on the page are checked first; if any is wrong
the same step comes back with an error summary and every answer kept.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from embedded.caching import private_page
from guidance.models import GuidePart
from toolkit import plan_word
from toolkit.forms import OrganisationForm, ThemeFormSet, error_links
from toolkit.models import GROUP_QUESTIONS, DesignTheme, Framework
from toolkit.plan import Plan, case_studies_to_compare
from toolkit.progress import (
    STEPS,
    FileTooBig,
    Progress,
    ProgressFileError,
    step_title,
    too_big_message,
)
from toolkit.uploads import LimitedUploadHandler, progress_json

HOME = ("Home", "/")
FRAMEWORK = ("The framework", "/framework/")
PLANNER = ("Plan your initiative", "/framework/plan/")
# Far more than the longest honest answers (every field full, in any script).
MAX_POST_BYTES = 2_000_000
ACTIONS = {*STEPS, "check", "plan", "word", "save"}


def _themes(with_related=False):
    """The published themes, in order, with their questions; for a plan, their reading too."""
    themes = DesignTheme.objects.published().order_by("order", "pk").defer("body", "body_html")
    if with_related:
        parts = (
            GuidePart.objects.published().select_related("guide").order_by("guide__order", "order")
        )
        themes = themes.prefetch_related(Prefetch("related_parts", queryset=parts))
    return list(themes)


def _context(progress, **extra):
    return {
        "progress": progress,
        "steps": [(step, step_title(step)) for step in STEPS],
        "noindex": True,
        "breadcrumbs": [HOME, FRAMEWORK],
        **extra,
    }


# The planner's pages take POSTs without a CSRF token: they store and change
# nothing, and what they send back goes only to the browser that asked. A
# token's cookie expiring mid-plan would otherwise cost a reader their answers.


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def planner(request):
    if request.method == "POST":
        return _answer(request)
    framework = Framework.objects.published().only("title").order_by("pk").first()
    if framework is None:
        raise Http404("The framework is not published")
    return render(request, "toolkit/plan_start.html", _context(None, framework=framework))


@require_safe
@private_page
def start_at(request, step):
    """A step with no answers yet: where "Plan this theme" links lead."""
    if step not in STEPS:
        raise Http404("No such step")
    progress = Progress(themes=_themes())
    return _show_step(request, progress, step)


def _answer(request):
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_POST_BYTES:
        return _too_big(request)
    try:
        post = request.POST
    except (RequestDataTooBig, TooManyFieldsSent):
        return _too_big(request)
    progress = Progress.from_hidden_fields(
        post, _themes(with_related=post.get("go") in {"plan", "word"})
    )
    step, go = post.get("step", ""), post.get("go", "")
    if step and step not in STEPS:
        progress.problems.append(("The page sent an unknown step. Check your answers", "check"))
        return _check(request, progress, status=400)
    if step:
        forms = _step_forms(progress, step, data=post)
        if not all(form.is_valid() for form in forms):
            return _show_step(request, progress, step, forms=forms, status=400)
        progress.set(step, _stored(step, forms))
    if go not in ACTIONS:
        go = _next_step(step) if step else "check"
    if go in STEPS:
        return _show_step(request, progress, go)
    if go == "check" or progress.problems:
        return _check(request, progress)
    if go == "save":
        return _progress_file(progress)
    if not progress.organisation_name:
        progress.problems.append(("Enter the name of your organisation", "organisation"))
        return _check(request, progress, status=400)
    plan = Plan(progress, case_studies_to_compare(), today=timezone.localdate())
    if go == "word":
        document = plan_word.document(
            plan, progress.to_file(today=plan.made_on), base_url=request.build_absolute_uri("/")
        )
        response = HttpResponse(document, content_type=plan_word.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{plan_word.filename(plan)}"'
        return response
    context = _context(progress, plan=plan, hidden=progress.hidden_fields())
    return render(request, "toolkit/plan.html", context)


def _next_step(step):
    position = STEPS.index(step)
    return STEPS[position + 1] if position + 1 < len(STEPS) else "check"


def _step_forms(progress, step, data=None):
    """The step's forms: bound to what was sent, or showing the answers so far."""
    if step == "organisation":
        if data is not None:
            return [OrganisationForm(data)]
        return [OrganisationForm(initial=progress.organisation)]
    themes = progress.themes_of(step)
    if data is not None:
        return [ThemeFormSet(data, themes=themes)]
    initial = [ThemeFormSet.form.fields_from(progress.theme_answers(theme)) for theme in themes]
    return [ThemeFormSet(themes=themes, initial=initial)]


def _stored(step, forms):
    return forms[0].stored()


def _show_step(request, progress, step, forms=None, status=200):
    forms = forms or _step_forms(progress, step)
    position = STEPS.index(step)
    all_forms = forms[0].forms if isinstance(forms[0], ThemeFormSet) else forms
    problems = [(message, f"#go-{where}") for message, where in progress.problems]
    context = _context(
        progress,
        step=step,
        title=step_title(step),
        asks=GROUP_QUESTIONS.get(step, ""),
        number=position + 1,
        form=forms[0],
        errors=problems + error_links(all_forms),
        previous=STEPS[position - 1] if position else None,
        next=_next_step(step),
        hidden=progress.hidden_fields(leave_out=step),
    )
    if progress.problems and status == 200:
        status = 400
    return render(request, "toolkit/plan_step.html", context, status=status)


def _check(request, progress, status=200):
    plan = Plan(progress, today=timezone.localdate())
    problems = [(message, f"#change-{where}") for message, where in progress.problems]
    context = _context(
        progress,
        plan=plan,
        errors=problems,
        notices=progress.notices,
        hidden=progress.hidden_fields(),
    )
    if problems and status == 200:
        status = 400
    return render(request, "toolkit/plan_check.html", context, status=status)


def _progress_file(progress):
    today = timezone.localdate()
    response = HttpResponse(progress.to_file(today=today), content_type="application/json")
    name = "embedded-research-plan-progress"
    response["Content-Disposition"] = f'attachment; filename="{name}-{today.isoformat()}.json"'
    return response


def _too_big(request, message=None):
    context = _context(None, message=message)
    return render(request, "toolkit/plan_too_big.html", context, status=413)


@csrf_exempt
@require_POST
@private_page
def resume(request):
    """Carries on from a saved progress file (or a Word plan), after checking it strictly."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > Progress.max_upload_bytes():
        return _refuse_upload(request, too_big_message(), status=413)
    handler = LimitedUploadHandler(request)
    request.upload_handlers = [handler]
    try:
        upload = request.FILES.get("progress")
    except (RequestDataTooBig, TooManyFieldsSent):
        return _refuse_upload(request, too_big_message(), status=413)
    if getattr(handler, "too_big", False):
        return _refuse_upload(request, too_big_message(), status=413)
    if upload is None:
        return _refuse_upload(request, "Choose the file you saved with “Save your progress”")
    try:
        progress = Progress.from_file(progress_json(upload.read()), _themes())
    except ProgressFileError as error:
        return _refuse_upload(
            request, str(error), status=413 if isinstance(error, FileTooBig) else 400
        )
    return _check(request, progress)


def _refuse_upload(request, message, status=400):
    framework = Framework.objects.published().only("title").order_by("pk").first()
    context = _context(
        None, framework=framework, upload_error=message, errors=[(message, "#progress-file")]
    )
    return render(request, "toolkit/plan_start.html", context, status=status)
