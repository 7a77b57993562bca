from django.contrib import admin

from samverkan.core.admin import AuditedAdmin

from .models import County, Membership, Municipality, Organization, PoliceArea


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "county", "population")
    search_fields = ("code", "name")


admin.site.register(County)


@admin.register(PoliceArea)
class PoliceAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "code", "parent")
    list_filter = ("level",)


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ("name", "abbreviation", "kind", "municipality")
    list_filter = ("kind", "municipality")
    search_fields = ("name", "abbreviation")


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "organization", "role", "active")
    list_filter = ("role",)
