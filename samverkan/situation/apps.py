from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class SituationConfig(AppConfig):
    name = "samverkan.situation"
    label = "situation"
    verbose_name = _("Situation picture")

    def ready(self):
        from samverkan.agreements import hooks as agreement_hooks
        from samverkan.core import navigation

        navigation.register(_("Situation picture"), "situation:weekly", 30)
        navigation.register(_("Report incident"), "situation:report", 40)
        agreement_hooks.offer_links("situation:focus_trend")

        from samverkan.organizations.models import Municipality

        post_save.connect(_default_categories, sender=Municipality,
                          dispatch_uid="situation-default-categories")


def _default_categories(sender, instance, created, raw=False, **kwargs):
    """A new municipality gets the default EST categories, so that its first import or report
    finds them (existing municipalities got them by migration situation 0004)."""
    if created and not raw:
        from .services import ensure_default_categories

        ensure_default_categories(instance, actor=None)
