"""/contact/: the editable contact page with a form whose messages editors answer from the admin.

The empty form is the same for every reader, so the page is cached like any
other and carries no CSRF token or cookie (a token would make each copy
personal). A forged post could only send a message, which anyone may do;
the honeypot and the rate limit, as on the feedback form, keep robots out.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from contact.forms import ContactForm
from contact.notify import tell_editors
from embedded.caching import mark_private, public_page
from embedded.models import Page
from embedded.ratelimit import RateLimit

# Messages a client may send an hour, counted in the database like the feedback form's.
CONTACT_LIMIT = RateLimit("contact", limit=lambda: settings.CONTACT_RATE_LIMIT)


def retention(days):
    """How long a closed message is kept, as the privacy notice says it: "12 months"."""
    return f"{days // 365 * 12} months" if days % 365 == 0 else f"{days} days"


# Not an error in the form: the message it holds stays there, to send later.
TOO_MANY_MESSAGES = (
    "You have sent several messages in the last hour, so we could not send this one. "
    "Your message is still in the form below: please try again later."
)


def _show(request, page, form, status=200, limited=False):
    context = {
        "page": page,
        "item": page,
        "form": form,
        "limit_errors": [(TOO_MANY_MESSAGES, None)] if limited else [],
        "retention": retention(settings.CONTACT_MESSAGE_RETENTION_DAYS),
    }
    return render(request, "contact/contact.html", context, status=status)


@public_page
def _contact_page(request):
    page = get_object_or_404(Page.objects.visible_to(request.user), slug="contact")
    return _show(request, page, ContactForm())


# No CSRF token, for the feedback form's reason: the page is cached for every reader.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    """The page (cached like any page) and, when sent, the message (never cached)."""
    if request.method != "POST":
        return _contact_page(request)
    page = get_object_or_404(Page.objects.visible_to(request.user), slug="contact")
    form = ContactForm(request.POST)
    if not CONTACT_LIMIT.allow(request):
        response = _show(request, page, form, status=429, limited=True)
        response["Retry-After"] = "3600"
        return mark_private(response)
    if not form.is_valid():
        return mark_private(_show(request, page, form, status=400))
    if not form.is_spam():
        tell_editors(form.save(), request)
    return redirect("contact_sent")


@require_safe
def sent(request):
    return mark_private(render(request, "contact/sent.html"))
