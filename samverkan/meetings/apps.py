from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "samverkan.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from samverkan.agreements import hooks as agreement_hooks
        from samverkan.core import navigation

        navigation.register(_("Meetings"), "meetings:meeting_list", 60)
        agreement_hooks.offer_links("meetings:compliance", "meetings:forum_attendance",
                                    "meetings:meeting_list")

        from . import hooks  # noqa: F401 - fills the follow-up app's registries
