from django.urls import path

from . import api

urlpatterns = [path("jobs/<int:pk>/", api.JobView.as_view(), name="job-detail")]
