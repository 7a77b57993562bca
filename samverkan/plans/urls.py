from importlib.util import find_spec

from django.urls import include, path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(),
         name="activity_update"),
    path("activities/<int:pk>/delete/", views.ActivityDeleteView.as_view(),
         name="activity_delete"),
    path("activities/<int:pk>/status/", views.activity_status, name="activity_status"),
    path("indicators/new/", views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.IndicatorUpdateView.as_view(),
         name="indicator_update"),
    path("indicators/<int:pk>/delete/", views.IndicatorDeleteView.as_view(),
         name="indicator_delete"),
    path("indicators/<int:parent_pk>/measurements/new/", views.MeasurementCreateView.as_view(),
         name="measurement_create"),
    path("measurements/<int:pk>/edit/", views.MeasurementUpdateView.as_view(),
         name="measurement_update"),
    path("measurements/<int:pk>/delete/", views.MeasurementDeleteView.as_view(),
         name="measurement_delete"),
]

# Plan import and export pages (samverkan/plans/io/urls.py, names such as "plan_export")
# join this namespace once they exist.
if find_spec("samverkan.plans.io.urls") is not None:
    urlpatterns.append(path("", include("samverkan.plans.io.urls")))
