from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("indicators/<int:pk>/definition/", views.definition_edit, name="definition_edit"),
    path("indicators/<int:pk>/definition/delete/", views.definition_delete,
         name="definition_delete"),
    path("activities/<int:pk>/evaluation/", views.evaluation_edit, name="evaluation_edit"),
    path("activities/<int:pk>/evaluation/delete/", views.evaluation_delete,
         name="evaluation_delete"),
]
