from django.conf import settings
from django.core.checks import Warning, register


@register("contact")
def email_is_set_up_for_notices(app_configs, **kwargs):
    """Editors asked to be emailed need a mail server to email them through."""
    if settings.CONTACT_NOTIFY_EMAILS and not settings.EMAIL_HOST:
        return [
            Warning(
                "CONTACT_NOTIFY_EMAILS is set but EMAIL_HOST is not, so editors will not be "
                "emailed when a contact message arrives.",
                hint="Set EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD if it needs them).",
                id="contact.W001",
            )
        ]
    return []
