from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "samverkan.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from samverkan.agreements import hooks as agreement_hooks
        from samverkan.core import navigation

        navigation.register(_("Follow-up"), "followup:yearwheel", 50)
        agreement_hooks.offer_links("followup:dashboard", "followup:deviation_list",
                                    "followup:yearwheel")
