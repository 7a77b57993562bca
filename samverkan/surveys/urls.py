from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.SurveyListView.as_view(), name="survey_list"),
    path("new/", views.SurveyCreateView.as_view(), name="survey_create"),
    path("bands/", views.IndexBandsView.as_view(), name="bands"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:survey_pk>/import/<int:pk>/", views.import_job, name="import_job"),
    path("<int:survey_pk>/import/<int:pk>/import/", views.import_confirm,
         name="import_confirm"),
    path("<int:pk>/edit/", views.SurveyUpdateView.as_view(), name="survey_update"),
    path("<int:pk>/delete/", views.SurveyDeleteView.as_view(), name="survey_delete"),
]
