from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("switch-municipality/", views.switch_municipality, name="switch_municipality"),
]
