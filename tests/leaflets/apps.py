from django.apps import AppConfig


class LeafletsConfig(AppConfig):
    name = "tests.leaflets"
    label = "leaflets"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tests.leaflets import content  # noqa: F401 - registers the content kind
