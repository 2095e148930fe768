from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from . import rules  # noqa: F401  registers the app's permission rules
        from .documents import register_kinds

        register_kinds()
