from django.urls import path

from . import views

app_name = "faults"
urlpatterns = [
    # Public: residents, no account.
    path("report/", views.public_start, name="public_start"),
    path("report/<str:code>/", views.public_new, name="public_new"),
    path("report-received/", views.public_thanks_trap, name="public_thanks_trap"),
    path("r/<str:token>/", views.public_report, name="public_report"),
    path("r/<str:token>/photos/<int:pk>/", views.public_photo, name="public_photo"),
    # Handlers.
    path("", views.ReportListView.as_view(), name="report_list"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/status/", views.report_status, name="report_status"),
    path("<int:pk>/assign/", views.report_assign, name="report_assign"),
    path("<int:pk>/duplicate/", views.report_duplicate, name="report_duplicate"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("statistics/", views.statistics, name="statistics"),
    path("rules/", views.rules, name="rules"),
    path("categories/new/", views.CategoryCreateView.as_view(), name="category_create"),
    path("categories/<int:pk>/", views.CategoryDetailView.as_view(), name="category_detail"),
    path("categories/<int:pk>/edit/", views.CategoryUpdateView.as_view(),
         name="category_update"),
    path("rules/deadlines/new/", views.DeadlineRuleCreateView.as_view(),
         name="deadline_rule_create"),
    path("rules/routing/new/", views.RoutingRuleCreateView.as_view(),
         name="routing_rule_create"),
    path("open311-clients/new/", views.Open311ClientCreateView.as_view(),
         name="open311_client_create"),
]
