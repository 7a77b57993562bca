"""Django admin for operators: every write still validated and audited exactly once."""
from django.contrib import admin
from django.db import models

from samverkan.audit import services as audit
from samverkan.audit.choices import Action
from samverkan.audit.models import AuditEntry

from . import access


class AuditedAdmin(admin.ModelAdmin):
    """Admin saves record one audit entry each (after many-to-many fields are saved)."""

    # A link typed without a scheme is read as https (Django 6's default, set now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        original = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        self._audit_before = audit.snapshot(original) if original is not None else None
        obj.full_clean()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        after = audit.snapshot(obj)
        before = getattr(self, "_audit_before", None)
        if before is None:
            audit.record(actor=request.user, action=Action.CREATE, obj=obj, after=after)
        elif before != after:
            audit.record(actor=request.user, action=Action.UPDATE, obj=obj, before=before,
                         after=after)

    def delete_model(self, request, obj):
        from . import services

        # One entry for the record and one for each record removed with it.
        services.delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def register_scoped_models() -> None:
    """Give every domain model not registered by its app an audited admin."""
    from django.apps import apps

    from .models import ScopedModel

    for model in apps.get_models():
        if issubclass(model, ScopedModel) and not admin.site.is_registered(model):
            admin.site.register(model, AuditedAdmin)


class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log for operators: read-only, by the one audit-visibility rule."""

    list_display = ("timestamp", "actor_repr", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type", "municipality")
    search_fields = ("object_repr", "actor_repr")

    def get_queryset(self, request):
        return access.filter_audit(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(AuditEntry, AuditEntryAdmin)
