from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .choices import Action
from .models import AuditEntry
from .services import record

# -- users: deactivated, not deleted, once they have acted ---------------------------------------
User = get_user_model()


def _user_state(user) -> dict:
    return {"username": user.get_username(), "is_active": user.is_active}


@admin.action(description=_("Deactivate the selected users (they can no longer log in)"))
def deactivate_users(modeladmin, request, queryset):
    for user in queryset.filter(is_active=True):
        before = _user_state(user)
        user.is_active = False
        user.save(update_fields=["is_active"])
        record(actor=request.user, action=Action.UPDATE, obj=user, before=before,
               after=_user_state(user))


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    """A user who has audit entries is deactivated, never deleted (the actor of an entry
    never becomes empty: `AuditEntry.actor` is protected); deleting one without entries is
    audited."""

    actions = [deactivate_users]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and AuditEntry.objects.filter(actor=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        record(actor=request.user, action=Action.DELETE, obj=obj, before=_user_state(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
