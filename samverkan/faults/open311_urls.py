"""Open311 GeoReport v2 at /open311/v2/ (see open311.py)."""
from django.urls import path

from . import open311

FMT = "<str:fmt>"
urlpatterns = [
    path(f"services.{FMT}", open311.services_list, name="open311-services"),
    path(f"services/<str:code>.{FMT}", open311.service_definition, name="open311-service"),
    path(f"requests.{FMT}", open311.requests_endpoint, name="open311-requests"),
    path(f"requests/<int:pk>.{FMT}", open311.request_detail, name="open311-request"),
    path(f"tokens/<str:token>.{FMT}", open311.token_detail, name="open311-token"),
]
