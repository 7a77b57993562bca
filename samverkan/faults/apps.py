from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaultsConfig(AppConfig):
    name = "samverkan.faults"
    label = "faults"
    verbose_name = _("Fault reports")

    def ready(self):
        from samverkan.situation.yearly import SECTION_BUILDERS

        from .yearly import yearly_section

        if yearly_section not in SECTION_BUILDERS:
            SECTION_BUILDERS.append(yearly_section)
