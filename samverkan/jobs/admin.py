from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "status", "progress", "municipality", "started_by",
                    "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["label", "key"]
    readonly_fields = [f.name for f in Job._meta.fields]
