from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "samverkan.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self):
        from samverkan.core import navigation

        navigation.register(_("Agreements"), "agreements:agreement_list", 10)
