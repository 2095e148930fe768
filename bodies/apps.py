from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodiesConfig(AppConfig):
    name = "bodies"
    verbose_name = _("Bodies")

    def ready(self):
        from . import rules  # noqa: F401  registers the app's permission rules
