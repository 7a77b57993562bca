from django.urls import path

from . import views

app_name = "sspf"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/figures.<str:fmt>", views.figures_export, name="figures_export"),
    path("programmes/<int:pk>/indicator/", views.record_indicator, name="record_indicator"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:pk>/outcome/", views.case_outcome, name="case_outcome"),
    path("cases/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("cases/<int:pk>/consents/new/", views.consent_add, name="consent_add"),
    path("cases/<int:pk>/meetings/new/", views.meeting_add, name="meeting_add"),
    path("cases/<int:pk>/reads/", views.read_log, name="read_log"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("consents/<int:pk>/document/", views.consent_document, name="consent_document"),
    path("meetings/<int:pk>/actions/new/", views.action_add, name="action_add"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
]
