from django.apps import AppConfig


class OparlConfig(AppConfig):
    name = "oparl"
    verbose_name = "OParl"

    def ready(self):
        from . import signals

        signals.connect()
