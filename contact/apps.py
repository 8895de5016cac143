from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = "Contact messages"

    def ready(self):
        from contact import checks  # noqa: F401 - registers the email settings check
