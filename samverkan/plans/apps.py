from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "samverkan.plans"
    label = "plans"
    verbose_name = _("Action plans")

    def ready(self):
        from samverkan.core import navigation

        navigation.register(_("Activities"), "plans:activity_list", 20)

        from . import agreement_pages

        agreement_pages.register()
