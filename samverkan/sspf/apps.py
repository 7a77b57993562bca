from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SspfConfig(AppConfig):
    """Individual-level collaboration (SSPF, social insatsgrupper) with consent: the most
    protected part of Samverkan. Sits on top of the stack (organisations, plans, situation);
    nothing below it imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "samverkan.sspf"
    verbose_name = _("Individual-level collaboration (SSPF/SIG)")

    def ready(self):
        from samverkan.core import navigation

        navigation.register(_("SSPF/SIG"), "sspf:home", 80)

        from samverkan.situation.yearly import register_section

        from .figures import yearly_sections

        register_section(yearly_sections)
