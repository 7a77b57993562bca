from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "samverkan.participation"
    label = "participation"
    verbose_name = _("Residents' participation")

    def ready(self):
        from samverkan.core import navigation

        navigation.register(_("Residents' voice"), "participation:walk_list", 70)

        # The residents' voice as sources of the situation picture (the situation app sits
        # below this one and never imports it).
        from samverkan.situation import contributions

        from .picture import dialogues_section, residents_points, walks_section

        contributions.register(walks_section)
        contributions.register(dialogues_section)
        # ... and their places as the weekly map's residents' layer (keeping to ?area=).
        contributions.register_points(residents_points)
        # ... and of the compliance page's checkpoints on dialogues and pledges.
        from . import checkpoints

        checkpoints.register()
        # ... and of the follow-up rounds' pages and reports (the pledges' follow-ups).
        from samverkan.followup.hooks import register_round_section

        from .rounds import pledges_section

        register_round_section(pledges_section)
