from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = "Contact messages"

    def ready(self):
        from contact import checks  # noqa: F401 - registers the email settings check
        from embedded.editors import allow_editors

        # Editors read, answer, close and delete messages; nobody adds them by hand.
        allow_editors(
            "contact", "view_contactmessage", "change_contactmessage", "delete_contactmessage"
        )
