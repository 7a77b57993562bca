"""Account pages, the token API and the health check (included at the site root)."""
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api, views

router = SimpleRouter()
router.register("tokens", api.ApiTokenViewSet, basename="apitoken")

app_name = "accounts"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("account/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("api/v1/auth/token/", api.ObtainTokenView.as_view(), name="api_token"),
    path("api/v1/", include(router.urls)),
]
