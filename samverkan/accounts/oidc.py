"""Single sign-on with OpenID Connect (mozilla-django-oidc), off unless OIDC_ENABLED.

The provider (Microsoft Entra ID, Keycloak, ...) is found through its discovery document
(OIDC_ISSUER + /.well-known/openid-configuration), fetched when the first person logs in and
cached. What this module adds to mozilla-django-oidc:

- the id token is checked fully: signature (the provider's JWKS), algorithm, issuer, audience,
  expiry and the nonce of this login; anything wrong refuses the login with a message;
- the user is found by a configurable claim (OIDC_USER_CLAIM, OIDC_USER_FIELD); unknown users
  are refused or created (OIDC_UNKNOWN_USERS); deactivated users and the installation's
  superusers/staff are refused;
- a groups/roles claim gives memberships (OIDC_GROUP_MAP: claim value = organisation and role);
- the provider's word that the person used several factors (amr/acr, OIDC_MFA_*) counts as
  the second factor (a django-otp device of its own); otherwise the local TOTP step follows;
- every refusal gets a Swedish page, never a server error, and goes to the security log;
- the session is checked again at the provider every OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS
  (`SessionRefresh`, mozilla-django-oidc's middleware): a person deactivated or removed there
  is logged out here, and their memberships follow the provider's groups.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import LoginView, LogoutView
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.middleware import SessionRefresh as MozillaSessionRefresh
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from samverkan.core.choices import ROLE_RANK, Role

log = logging.getLogger("samverkan.security")

LOGIN_METHOD_SESSION_KEY = "samverkan_login_method"
ID_TOKEN_SESSION_KEY = "oidc_id_token"
UNKNOWN_USERS = ("refuse", "mapped", "create")


class Refused(Exception):
    """A login the provider vouched for, or tried to, that Samverkan refuses."""

    def __init__(self, message: str, reason: str, status: int = 403):
        super().__init__(message)
        self.message, self.reason, self.status = message, reason, status


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME


# -- configuration --------------------------------------------------------------------------

def parse_group_map(text: str) -> dict[str, list[tuple[int, str]]]:
    """'value=organisation id:role; ...' (also separated by new lines) into
    {value: [(organisation id, role), ...]}. Raises ValueError with the faulty entry."""
    mapping: dict[str, list[tuple[int, str]]] = {}
    for raw in (text or "").replace("\n", ";").split(";"):
        entry = raw.strip()
        if not entry:
            continue
        value, sep, target = entry.rpartition("=")
        org, sep2, role = target.partition(":")
        value, org, role = value.strip(), org.strip(), role.strip().lower()
        if not sep or not sep2 or not value or not org.isdigit() or role not in Role.values:
            raise ValueError(f"OIDC_GROUP_MAP: cannot read {entry!r}; write "
                             f"'group=organisation id:role' with a role among "
                             f"{', '.join(Role.values)}")
        mapping.setdefault(value, []).append((int(org), role))
    return mapping


def _discovery() -> dict:
    issuer = settings.OIDC_ISSUER.rstrip("/")
    key = f"samverkan:oidc:discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(f"{issuer}/.well-known/openid-configuration",
                                    timeout=settings.OIDC_TIMEOUT,
                                    verify=settings.OIDC_VERIFY_SSL)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            log.error("oidc discovery failed", extra={"event": "oidc_unavailable",
                                                      "detail": str(exc)[:300]})
            raise Refused(_("%(provider)s cannot be reached right now. Try again in a while, "
                            "or log in with your password.") % {"provider": provider_name()},
                          "provider_unavailable", status=502) from exc
        cache.set(key, document, 3600)
    return document


def endpoint(name: str) -> str:
    """An endpoint of the provider: the explicit setting, else the discovery document."""
    explicit = {"authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
                "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT,
                "userinfo_endpoint": settings.OIDC_OP_USER_ENDPOINT,
                "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT,
                "end_session_endpoint": settings.OIDC_OP_END_SESSION_ENDPOINT}.get(name)
    if explicit:
        return explicit
    return str(_discovery().get(name) or "")


def issuer() -> str:
    return settings.OIDC_ISSUER.rstrip("/") if settings.OIDC_OP_TOKEN_ENDPOINT else str(
        _discovery().get("issuer") or settings.OIDC_ISSUER).rstrip("/")


# -- what the claims mean -------------------------------------------------------------------

def _values(claim) -> list[str]:
    if claim is None:
        return []
    if isinstance(claim, str):
        return claim.split()
    if isinstance(claim, (list, tuple)):
        return [str(v) for v in claim]
    return [str(claim)]


def second_factor_done(id_token_claims: dict) -> bool:
    """Whether the provider says the person used more than a password (only the signed id
    token counts): OIDC_MFA_AMR (e.g. mfa) in `amr`, OIDC_MFA_ACR in the acr claim, or
    OIDC_MFA_ASSUMED when the provider enforces it on every login to Samverkan."""
    if settings.OIDC_MFA_ASSUMED:
        return True
    amr = {v.lower() for v in _values(id_token_claims.get("amr"))}
    if amr & {v.lower() for v in settings.OIDC_MFA_AMR}:
        return True
    acr = set(_values(id_token_claims.get(settings.OIDC_MFA_ACR_CLAIM)))
    return bool(acr & set(settings.OIDC_MFA_ACR))


def wanted_memberships(claims: dict) -> dict[int, str] | None:
    """{organisation id: role} from the groups claim and OIDC_GROUP_MAP; None when no map is
    configured (memberships are then managed in Samverkan only)."""
    mapping = parse_group_map(settings.OIDC_GROUP_MAP)
    if not mapping:
        return None
    name = settings.OIDC_GROUPS_CLAIM
    if name not in claims and (name in (claims.get("_claim_names") or {})
                               or claims.get("hasgroups")):
        raise Refused(_("%(provider)s sent no list of your groups because you belong to too "
                        "many. Ask the IT department to send only the groups assigned to "
                        "Samverkan.") % {"provider": provider_name()}, "groups_overage")
    raw = claims.get(name)
    wanted: dict[int, str] = {}
    for value in [raw] if isinstance(raw, str) else _values(raw):
        for org_id, role in mapping.get(value, []):
            if org_id not in wanted or ROLE_RANK[role] > ROLE_RANK[wanted[org_id]]:
                wanted[org_id] = role
    return wanted


def mapped_organization_ids() -> set[int]:
    return {org for targets in parse_group_map(settings.OIDC_GROUP_MAP).values()
            for org, _role in targets}


@transaction.atomic
def sync_memberships(user, wanted: dict[int, str]) -> None:
    """Give the memberships the provider's groups map to, change their roles, and deactivate
    those in mapped organisations the person no longer has a group for. A membership that is
    inactive is never re-activated here (a deactivation in Samverkan stands)."""
    from samverkan.organizations.models import Membership, Organization
    from samverkan.organizations.services import add_membership, update_membership

    organizations = Organization.objects.in_bulk(list(wanted))
    for missing in set(wanted) - set(organizations):
        log.error("oidc group map names a missing organisation",
                  extra={"event": "oidc_config", "organization_id": missing})
    existing = {m.organization_id: m for m in Membership.objects.select_related(
        "user", "organization").filter(user=user, organization_id__in=mapped_organization_ids())}
    for org_id, membership in existing.items():
        if not membership.active:
            continue
        if org_id in organizations and membership.role != wanted[org_id]:
            update_membership(membership, actor=None, role=wanted[org_id])
        elif org_id not in organizations:
            update_membership(membership, actor=None, active=False)
    for org_id, organization in organizations.items():
        if org_id not in existing:
            add_membership(actor=None, user=user, organization=organization,
                           role=wanted[org_id])


# -- the authentication backend ---------------------------------------------------------------

class OidcBackend(OIDCAuthenticationBackend):
    """Acts only on the callback of a login started here (mozilla-django-oidc passes the
    nonce and code verifier); other logins pass through untouched."""

    def __init__(self, *args, **kwargs):  # no settings read, no network: runs for every login
        self.UserModel = get_user_model()

    # mozilla-django-oidc reads these attributes; they come from settings or discovery.
    OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802
        return endpoint("token_endpoint")

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return endpoint("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return endpoint("jwks_uri")

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self):  # noqa: N802
        return settings.OIDC_RP_SIGN_ALGO

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)  # a deactivated user's session ends

    def authenticate(self, request, **kwargs):
        if request is None or not enabled() or "code_verifier" not in kwargs or \
                "username" in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except Refused as exc:
            refusal = exc
        except jwt.ExpiredSignatureError:
            refusal = Refused(_("The login from %(provider)s has expired. Check that your "
                                "computer's clock is right and log in again.")
                              % {"provider": provider_name()}, "token_expired")
        except (jwt.InvalidAudienceError, jwt.InvalidIssuerError):
            refusal = Refused(_("The login from %(provider)s was not issued for Samverkan.")
                              % {"provider": provider_name()}, "token_wrong_audience")
        except (jwt.InvalidTokenError, SuspiciousOperation) as exc:
            refusal = Refused(_("The login from %(provider)s could not be verified (%(what)s). "
                                "Log in again; if it happens again, tell the IT department.")
                              % {"provider": provider_name(), "what": _describe(exc)},
                              "token_invalid")
        except (requests.RequestException, ValueError, KeyError, TypeError,
                AttributeError) as exc:
            log.error("oidc provider error", extra={"event": "oidc_unavailable",
                                                    "detail": str(exc)[:300]})
            refusal = Refused(_("%(provider)s did not complete the login. Try again in a "
                                "while, or log in with your password.")
                              % {"provider": provider_name()}, "provider_error", status=502)
        request.samverkan_oidc_refusal = refusal
        return None

    def verify_token(self, token, **kwargs):
        """The id token (with a nonce) checked in full; a userinfo JWT for its signature."""
        if not token or not isinstance(token, str):
            raise SuspiciousOperation("no id token")
        key = self.retrieve_matching_jwk(token)
        header = jwt.get_unverified_header(token)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("unexpected algorithm")
        is_id_token = "nonce" in kwargs
        options = {"require": ["exp", "iat", "iss", "aud", "sub"]} if is_id_token else {
            "verify_aud": False}
        claims = jwt.decode(token, key, algorithms=[self.OIDC_RP_SIGN_ALGO],
                            audience=self.OIDC_RP_CLIENT_ID if is_id_token else None,
                            issuer=issuer() if is_id_token else None,
                            leeway=settings.OIDC_LEEWAY_SECONDS, options=options)
        if is_id_token and claims.get("nonce") != kwargs["nonce"]:
            raise SuspiciousOperation("nonce mismatch")
        if is_id_token:
            self.request.samverkan_oidc_id_claims = claims
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """The userinfo answer merged under the signed id token's claims (the id token wins:
        groups, amr and acr come from it). Without a userinfo endpoint, the id token alone."""
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        info = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject")
        return {**info, **payload}

    def filter_users_by_claims(self, claims):
        value = str(claims.get(settings.OIDC_USER_CLAIM) or "").strip()
        if not value:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(**{f"{settings.OIDC_USER_FIELD}__iexact": value})

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        name = provider_name()
        value = str(claims.get(settings.OIDC_USER_CLAIM) or "").strip()
        if not value:
            raise Refused(_("%(provider)s did not say who you are (the claim %(claim)s is "
                            "missing). Tell the IT department.")
                          % {"provider": name, "claim": settings.OIDC_USER_CLAIM},
                          "claim_missing")
        if settings.OIDC_USER_CLAIM == "email" and claims.get("email_verified") is False:
            raise Refused(_("%(provider)s has not verified your e-mail address.")
                          % {"provider": name}, "email_unverified")
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) > 1:
            raise Refused(_("More than one account in Samverkan matches your login. Contact "
                            "the crime prevention coordinator in your municipality."),
                          "ambiguous", status=409)
        wanted = wanted_memberships(claims)
        self.request.samverkan_oidc_identity = value[:150]
        if users:
            user = users[0]
            if not user.is_active:
                raise Refused(_("Your account in Samverkan is deactivated. Contact the crime "
                                "prevention coordinator in your municipality."), "deactivated")
            if (user.is_superuser or user.is_staff) and not settings.OIDC_ALLOW_STAFF:
                raise Refused(_("The installation's administrators log in with their password "
                                "and second factor, not through %(provider)s.")
                              % {"provider": name}, "staff")
        else:
            policy = settings.OIDC_UNKNOWN_USERS
            if policy == "refuse" or (policy == "mapped" and not wanted):
                raise Refused(_("You have no account in Samverkan yet. Ask the crime "
                                "prevention coordinator in your municipality to invite you "
                                "(%(who)s).") % {"who": value[:150]}, "unknown_user")
            user = self.create_user(claims)
        if wanted is not None:
            sync_memberships(user, wanted)
        self.request.samverkan_oidc_mfa = second_factor_done(
            getattr(self.request, "samverkan_oidc_id_claims", payload))
        return user

    def create_user(self, claims):
        from samverkan.audit import services as audit
        from samverkan.audit.choices import Action

        value = str(claims[settings.OIDC_USER_CLAIM]).strip()
        if len(value) > 150:
            raise Refused(_("Your user name from %(provider)s is too long for Samverkan.")
                          % {"provider": provider_name()}, "claim_too_long")
        username = value
        if settings.OIDC_USER_FIELD != "username" and self.UserModel.objects.filter(
                username__iexact=username).exists():
            username = f"{value[:140]}-{claims.get('sub', '')[:8]}"
        email = str(claims.get("email") or "")[:254]
        user = self.UserModel(username=username, email=email if "@" in email else "",
                              first_name=str(claims.get("given_name") or "")[:150],
                              last_name=str(claims.get("family_name") or "")[:150])
        if settings.OIDC_USER_FIELD != "username":
            setattr(user, settings.OIDC_USER_FIELD, value)
        user.set_unusable_password()
        user.save()
        audit.record(actor=None, action=Action.CREATE, obj=user, after={
            "username": user.username, "email": user.email, "created_by": "oidc"})
        log.info("oidc user created", extra={"event": "oidc_user_created", "user_id": user.pk})
        return user


def _describe(exc) -> str:
    if isinstance(exc, jwt.InvalidSignatureError) or "verification failed" in str(exc):
        return _("wrong signature")
    if "nonce" in str(exc).lower():
        return _("it does not belong to this login")
    if isinstance(exc, jwt.ImmatureSignatureError):
        return _("not valid yet")
    return _("invalid token")


# -- views --------------------------------------------------------------------------------------

def _refusal_page(request, refusal: Refused):
    log.warning("oidc login refused", extra={
        "event": "oidc_refused", "reason": refusal.reason,
        "username": getattr(request, "samverkan_oidc_identity", ""),
        "ip": request.META.get("REMOTE_ADDR")})
    return render(request, "accounts/oidc_failed.html",
                  {"message": refusal.message, "provider": provider_name()},
                  status=refusal.status)


class OidcLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce and PKCE kept in the session)."""

    def __init__(self, *args, **kwargs):  # the endpoint is looked up in get()
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoint("authorization_endpoint")
        except Refused as refusal:
            return _refusal_page(request, refusal)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: a login, or a page that says in Swedish why not."""

    def get(self, request):
        if not enabled():
            raise Http404
        name = provider_name()
        if request.GET.get("error"):
            states = request.session.get("oidc_states", {})
            if states.pop(request.GET.get("state"), None) is not None:  # no replay
                request.session.modified = True
            detail = request.GET.get("error_description", "")[:300]
            error = detail or request.GET["error"][:100]
            if _end_session(request):  # the provider no longer vouches for this person
                return _refusal_page(request, Refused(
                    _("Your login through %(provider)s is no longer valid (%(error)s), so you "
                      "have been logged out of Samverkan. Log in again.")
                    % {"provider": name, "error": error}, "session_refresh_refused"))
            return _refusal_page(request, Refused(
                _("%(provider)s did not log you in (%(error)s).")
                % {"provider": name, "error": error}, "provider_refused"))
        if "code" not in request.GET or "state" not in request.GET or \
                request.GET["state"] not in request.session.get("oidc_states", {}):
            return _refusal_page(request, Refused(
                _("The answer from %(provider)s does not belong to a login started in this "
                  "browser (it may have taken too long, or come from another tab). Log in "
                  "again.") % {"provider": name}, "state_mismatch", status=400))
        try:
            return super().get(request)
        except SuspiciousOperation:
            return _refusal_page(request, Refused(
                _("The answer from %(provider)s does not belong to a login started in this "
                  "browser. Log in again.") % {"provider": name}, "state_mismatch", status=400))

    def login_failure(self):
        _end_session(self.request)  # a refused check during a session ends the session
        if getattr(self.request, "axes_locked_out", False):
            from .lockout import lockout_response

            return lockout_response(self.request)
        refusal = getattr(self.request, "samverkan_oidc_refusal", None) or Refused(
            _("The login through %(provider)s failed. Log in again.")
            % {"provider": provider_name()}, "refused")
        return _refusal_page(self.request, refusal)

    def login_success(self):
        from django_otp import login as otp_login

        from . import otp
        from .models import IdentityProviderDevice

        self.request.samverkan_login_method = "oidc"
        response = super().login_success()
        session = self.request.session
        session[LOGIN_METHOD_SESSION_KEY] = "oidc"
        claims = getattr(self.request, "samverkan_oidc_id_claims", {})
        otp.forget_state(self.request)
        if getattr(self.request, "samverkan_oidc_mfa", False):
            device = IdentityProviderDevice.for_user(self.user)
            otp_login(self.request, device)
            log.info("second factor from provider", extra={
                "event": "otp_from_provider", "user_id": self.user.pk,
                "amr": _values(claims.get("amr")), "acr": claims.get("acr")})
        return response


def _end_session(request) -> bool:
    """Log out whoever is logged in (a failed login or session check at the provider must not
    leave the previous session open); whether someone was."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    log.warning("oidc session ended", extra={"event": "oidc_session_ended",
                                             "user_id": user.pk,
                                             "ip": request.META.get("REMOTE_ADDR")})
    auth_logout(request)
    return True


class SessionRefresh(MozillaSessionRefresh):
    """mozilla-django-oidc's session refresh, in the settings' MIDDLEWARE only when
    OIDC_ENABLED: OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS after a single sign-on login (or the last
    check), the next page the person opens sends them to the provider for a silent login
    (prompt=none). The callback then runs the login's checks again: a person deactivated or
    removed at the provider (the provider refuses) or deactivated here is logged out; a
    person still there gets the memberships their groups map to. Password logins are not
    affected. Endpoints come from discovery; htmx requests are sent on with `HX-Redirect`
    (back to the page they came from); the API (token or session) and the login, callback,
    logout and health endpoints are left alone."""

    def __init__(self, get_response):
        super(MozillaSessionRefresh, self).__init__(get_response)
        self.OIDC_EXEMPT_URLS = []
        self.OIDC_STATE_SIZE = 32
        self.OIDC_AUTHENTICATION_CALLBACK_URL = settings.OIDC_AUTHENTICATION_CALLBACK_URL
        self.OIDC_USE_NONCE = True
        self.OIDC_NONCE_SIZE = 32

    @property
    def exempt_urls(self):
        return {reverse("accounts:oidc_login"), reverse("accounts:oidc_callback"),
                reverse("logout"), "/health/"}

    @property
    def exempt_url_patterns(self):
        import re

        return {re.compile(r"^/(api|static|media|i18n)/")}

    def process_request(self, request):
        if not enabled() or not self.is_refreshable_url(request):
            return None
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_SCOPES = settings.OIDC_RP_SCOPES
        try:
            self.OIDC_OP_AUTHORIZATION_ENDPOINT = endpoint("authorization_endpoint")
        except Refused as refusal:
            return _refusal_page(request, refusal)
        htmx = request.headers.get("HX-Request") == "true"
        response = super().process_request(request)
        if response is None:
            return None
        log.info("oidc session check", extra={"event": "oidc_session_refresh",
                                              "user_id": request.user.pk})
        if htmx:
            current = request.headers.get("HX-Current-URL", "")
            page = "/"
            if current and url_has_allowed_host_and_scheme(
                    current, allowed_hosts={request.get_host()},
                    require_https=request.is_secure()):
                parts = current.split("://", 1)[-1].split("/", 1)
                page = "/" + (parts[1] if len(parts) > 1 else "")
            request.session["oidc_login_next"] = page
            refresh = HttpResponse(status=204)
            refresh["HX-Redirect"] = response.get("Location") or response.get("refresh_url")
            return refresh
        return response


def axes_whitelisted(request, credentials) -> bool:
    """Refused single sign-on callbacks are not counted as failed logins by django-axes: there
    is nothing to guess there, and stale tabs of an office must not lock its address. An
    existing lockout of an address still stops single sign-on from it."""
    return request is not None and getattr(request, "samverkan_oidc_refusal", None) is not None


class SamverkanLogoutView(LogoutView):
    """Logout ends the Samverkan session; after a single sign-on login it also ends the
    session at the provider (RP-initiated logout) when the provider offers it."""

    def post(self, request, *args, **kwargs):
        was_oidc = request.session.get(LOGIN_METHOD_SESSION_KEY) == "oidc"
        id_token = request.session.get(ID_TOKEN_SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        if not (was_oidc and enabled() and settings.OIDC_LOGOUT_AT_PROVIDER):
            return response
        try:
            end_session = endpoint("end_session_endpoint")
        except Refused:
            return response
        if not end_session:
            return response
        params = {"client_id": settings.OIDC_RP_CLIENT_ID,
                  "post_logout_redirect_uri": request.build_absolute_uri(reverse("login"))}
        if id_token:
            params["id_token_hint"] = id_token
        return HttpResponseRedirect(f"{end_session}?{urlencode(params)}")


@dataclass
class LoginOption:
    url: str
    label: str


def login_option(request) -> LoginOption | None:
    """The login page's button, when single sign-on is on."""
    if not enabled():
        return None
    url = reverse("accounts:oidc_login")
    next_url = request.GET.get("next")
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    return LoginOption(url=url, label=_("Log in with %(provider)s") % {
        "provider": provider_name()})


class SamverkanLoginView(LoginView):
    """Django's login page, with the single sign-on button when it is on."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso"] = login_option(self.request)
        return context
