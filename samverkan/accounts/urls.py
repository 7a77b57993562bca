"""Account pages, the token API and the health check (included at the site root)."""
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from rest_framework.routers import SimpleRouter

from . import api, oidc, views, views_members

router = SimpleRouter()
router.register("tokens", api.ApiTokenViewSet, basename="apitoken")

app_name = "accounts"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("oidc/login/", oidc.OidcLoginView.as_view(), name="oidc_login"),
    path("oidc/callback/", oidc.OidcCallbackView.as_view(), name="oidc_callback"),
    path("account/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("account/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("account/members/", views_members.members, name="members"),
    path("account/members/<int:pk>/", views_members.membership_edit, name="membership_edit"),
    path("account/members/unlock/<int:user_pk>/", views_members.member_unlock,
         name="member_unlock"),
    path("account/invitations/<int:pk>/withdraw/", views_members.invitation_cancel,
         name="invitation_cancel"),
    path("account/invitation/<str:token>/", views_members.invitation_accept,
         name="invitation_accept"),
    path("account/password/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_form.html",
        success_url=reverse_lazy("accounts:account")), name="password_change"),
    path("account/password-reset/", auth_views.PasswordResetView.as_view(
        template_name="accounts/password_form.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done")), name="password_reset"),
    path("account/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_message.html"), name="password_reset_done"),
    path("account/password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_form.html",
        success_url=reverse_lazy("accounts:password_reset_complete")),
        name="password_reset_confirm"),
    path("account/password-reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_message.html"), name="password_reset_complete"),
    path("api/v1/auth/token/", api.ObtainTokenView.as_view(), name="api_token"),
    path("api/v1/", include(router.urls)),
]
