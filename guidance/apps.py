from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "guidance"
    verbose_name = "Guidance and role profiles"

    def ready(self):
        from guidance import content  # noqa: F401 - registers the content kinds
