"""Plan import and export pages; included into the "plans" namespace by plans/urls.py."""
from django.urls import path

from samverkan.plans import views_io

urlpatterns = [
    path("agreements/<int:pk>/import/", views_io.plan_import, name="plan_import"),
    path("agreements/<int:pk>/export/", views_io.plan_export, name="plan_export"),
]
