from django.urls import path

from . import views

app_name = "participation"
urlpatterns = [
    path("", views.WalkListView.as_view(), name="walk_list"),
    path("walks/new/", views.WalkCreateView.as_view(), name="walk_create"),
    path("walks/<int:pk>/", views.walk_detail, name="walk_detail"),
    path("walks/<int:pk>/edit/", views.WalkUpdateView.as_view(), name="walk_update"),
    path("walks/<int:pk>/delete/", views.WalkDeleteView.as_view(), name="walk_delete"),
    path("walks/<int:pk>/observe/", views.observation_add, name="observation_add"),
    path("walks/<int:pk>/protocol/", views.walk_protocol, name="walk_protocol"),
    path("walks/<int:pk>/publish/", views.walk_publish, name="walk_publish"),
    path("observations/<int:pk>/", views.ObservationUpdateView.as_view(),
         name="observation_update"),
    path("observations/<int:pk>/delete/", views.ObservationDeleteView.as_view(),
         name="observation_delete"),
    path("observations/<int:pk>/photo/", views.observation_photo, name="observation_photo"),
    path("dialogues/", views.DialogueListView.as_view(), name="dialogue_list"),
    path("dialogues/new/", views.DialogueCreateView.as_view(), name="dialogue_create"),
    path("dialogues/<int:pk>/", views.dialogue_detail, name="dialogue_detail"),
    path("dialogues/<int:pk>/edit/", views.DialogueUpdateView.as_view(),
         name="dialogue_update"),
    path("dialogues/<int:pk>/delete/", views.DialogueDeleteView.as_view(),
         name="dialogue_delete"),
    path("concerns/<int:pk>/activity/", views.concern_to_activity,
         name="concern_to_activity"),
    path("pledges/", views.PledgeListView.as_view(), name="pledge_list"),
    path("pledges/new/", views.PledgeCreateView.as_view(), name="pledge_create"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pk>/edit/", views.PledgeUpdateView.as_view(), name="pledge_update"),
    path("pledges/<int:pk>/delete/", views.PledgeDeleteView.as_view(), name="pledge_delete"),
    path("followups/<int:pk>/edit/", views.FollowUpUpdateView.as_view(),
         name="followup_update"),
    path("followups/<int:pk>/delete/", views.FollowUpDeleteView.as_view(),
         name="followup_delete"),
    path("public/<str:code>/", views.public_page, name="public"),
]
