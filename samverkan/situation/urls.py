"""Pages of the situation picture. A flat list: the weekly and yearly pages append to it."""
from django.urls import path

from . import views, views_import

app_name = "situation"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/<int:pk>/done/", views.report_done, name="report_done"),
    path("checklist/", views.checklist, name="checklist"),
    path("my-reports/", views.my_reports, name="my_reports"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/", views.review_action, name="review_action"),
    path("incidents/", views.IncidentListView.as_view(), name="incident_list"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("incidents/<int:pk>/edit/", views.IncidentUpdateView.as_view(),
         name="incident_update"),
    path("incidents/<int:pk>/delete/", views.IncidentDeleteView.as_view(),
         name="incident_delete"),
    path("import/", views_import.import_view, name="import"),
    path("import/<int:pk>/", views_import.import_job, name="import_job"),
    path("import/<int:pk>/import/", views_import.import_confirm, name="import_confirm"),
    path("areas/", views.AreaListView.as_view(), name="area_list"),
    path("areas/<int:pk>/", views.AreaDetailView.as_view(), name="area_detail"),
    path("statistics/", views.statistics, name="statistics"),
]

# --- Situation picture pages (weekly, yearly, focus-area trend): views_picture.py -------------
from . import views_picture  # noqa: E402

urlpatterns += [
    path("weekly/", views_picture.weekly_page, name="weekly"),
    path("weekly/map/", views_picture.weekly_map, name="weekly_map"),
    path("weekly/export/", views_picture.weekly_export, name="weekly_export"),
    path("weekly/send/", views_picture.weekly_send, name="weekly_send"),
    path("weekly/note/", views_picture.weekly_note, name="weekly_note"),
    path("weekly/measures/new/", views_picture.measure_create, name="measure_create"),
    path("weekly/measures/<int:pk>/edit/", views_picture.measure_update, name="measure_update"),
    path("yearly/", views_picture.yearly_page, name="yearly"),
    path("yearly/edit/", views_picture.yearly_edit, name="yearly_edit"),
    path("yearly/export/", views_picture.yearly_export, name="yearly_export"),
    path("focus-areas/<int:pk>/trend/", views_picture.focus_trend, name="focus_trend"),
]
# Emerging hot spots and the map's accuracy on the weekly page (views_emerging.py).
from . import views_emerging  # noqa: E402

urlpatterns += [
    path("weekly/emerging/", views_emerging.weekly_emerging, name="weekly_emerging"),
]
# --- end of situation picture pages ------------------------------------------------------------
