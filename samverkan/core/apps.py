from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samverkan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # After every app's admin module has registered its own classes.
        from django.contrib.admin import autodiscover

        from .admin import register_scoped_models

        autodiscover()
        register_scoped_models()
