"""The admin does not open cases: superusers are not participants, so they see none of them
through the application (docs/sspf.md). Programmes hold no personal data and are audited as
every other domain model (registered by `samverkan.core.admin`)."""
from django.contrib import admin

from .models import AgreedAction, Case, CaseMember, Consent, TeamMeeting


class ClosedAdmin(admin.ModelAdmin):
    """Registered so that no generic admin is made for the model; gives no access at all."""

    def has_module_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _model in (Case, CaseMember, Consent, TeamMeeting, AgreedAction):
    admin.site.register(_model, ClosedAdmin)
