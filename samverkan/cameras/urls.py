from django.urls import path

from . import views

app_name = "cameras"
urlpatterns = [
    path("", views.CameraListView.as_view(), name="camera_list"),
    path("new/", views.CameraCreateView.as_view(), name="camera_create"),
    path("<int:pk>/", views.CameraDetailView.as_view(), name="camera_detail"),
    path("<int:pk>/holds/", views.hold_create, name="hold_create"),
    path("<int:pk>/access/", views.access_log, name="access_log"),
    path("holds/<int:pk>/release/", views.hold_release, name="hold_release"),
    path("retention/", views.retention, name="retention"),
    path("stills/", views.StillRequestListView.as_view(), name="still_list"),
    path("stills/new/", views.StillRequestCreateView.as_view(), name="still_create"),
    path("stills/<int:pk>/", views.StillRequestDetailView.as_view(), name="still_detail"),
    path("stills/<int:pk>/decide/", views.still_decide, name="still_decide"),
    path("public/<str:code>/", views.public, name="public"),
]
