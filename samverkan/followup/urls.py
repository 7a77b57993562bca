from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("", views.yearwheel, name="yearwheel"),
    path("rounds/", views.RoundListView.as_view(), name="round_list"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/edit/", views.RoundUpdateView.as_view(), name="round_update"),
    path("rounds/<int:pk>/export/", views.round_export, name="round_export"),
    path("rounds/<int:pk>/<slug:action>/", views.round_action, name="round_action"),
    path("agreements/<int:parent_pk>/rounds/new/", views.RoundCreateView.as_view(),
         name="round_create"),
    path("agreements/<int:pk>/lay-out/", views.lay_out_rounds, name="lay_out_rounds"),
    path("agreements/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("agreements/<int:pk>/current/", views.round_status, name="current_round"),
    path("my-reports/", views.my_reports, name="my_reports"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/write/<int:round_pk>/<int:activity_pk>/<int:organization_pk>/",
         views.report_edit, name="report_edit"),
    path("deviations/", views.DeviationListView.as_view(), name="deviation_list"),
    path("deviations/<int:pk>/", views.DeviationDetailView.as_view(), name="deviation_detail"),
    path("deviations/<int:pk>/edit/", views.DeviationUpdateView.as_view(),
         name="deviation_update"),
    path("deviations/<int:pk>/resolve/", views.deviation_resolve, name="deviation_resolve"),
]
