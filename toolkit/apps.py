from django.apps import AppConfig


class ToolkitConfig(AppConfig):
    name = "toolkit"
    verbose_name = "Planning toolkit"

    def ready(self):
        from toolkit import content  # noqa: F401 - registers the content kinds
